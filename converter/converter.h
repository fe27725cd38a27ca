// edgelite's ONNX -> .tflite converter (host tool; see docs/converter.md).
//
//   edgelite::converter::ConvertOptions opts;
//   opts.input_shapes["input"] = {1, 3, 224, 224};
//   std::vector<uint8_t> tflite = edgelite::converter::ConvertOnnxFile("m.onnx", opts).tflite;
//
// Throws edgelite::converter::ConvertError (a std::runtime_error) on failure;
// when ops are unsupported, one error lists every such node, its op type and why.
// Calls are independent (no shared state) and may run on several threads;
// `progress` is called on the calling thread.
#ifndef EDGELITE_CONVERTER_CONVERTER_H_
#define EDGELITE_CONVERTER_CONVERTER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "converter/ir.h"

namespace edgelite {
namespace converter {

struct ConvertOptions {
  // Static shapes for named inputs (replaces the model's, including symbolic
  // dimensions). Unnamed symbolic dimensions default to 1.
  std::map<std::string, std::vector<int64_t>> input_shapes;
  // Inputs and outputs keep the ONNX model's layout (NCHW for images): the
  // converter adds one TRANSPOSE after each image input and before each image
  // output. With nhwc_io=true they are exposed channels-last instead, with no
  // edge transposes (what TFLite users usually feed).
  bool nhwc_io = false;
  // Progress lines ("folded 12 nodes", ...); may be empty.
  std::function<void(const std::string&)> progress;
};

struct ConvertStats {
  int onnx_nodes = 0;
  int folded_nodes = 0;
  int fused_nodes = 0;
  int tflite_ops = 0;
  int runtime_transposes = 0;  // TRANSPOSE ops inserted for layout changes
  std::map<std::string, int> op_counts;  // TFLite builtin name -> count
};

struct ConvertResult {
  std::vector<uint8_t> tflite;
  ConvertStats stats;
};

ConvertResult ConvertOnnxBytes(const std::string& onnx_bytes, const ConvertOptions& options = {});
ConvertResult ConvertOnnxFile(const std::string& path, const ConvertOptions& options = {});

// ONNX op types (default domain) the converter maps or folds.
const std::set<std::string>& MappedOnnxOps();

// Parses "NAME=1,3,224,224" (as the CLI's --input-shape) into `options`.
void ParseInputShape(const std::string& spec, ConvertOptions* options);

}  // namespace converter
}  // namespace edgelite

#endif  // EDGELITE_CONVERTER_CONVERTER_H_
