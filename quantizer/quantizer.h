// edgelite's post-training quantizer (host tool; see docs/quantizer.md).
//
//   edgelite::quantizer::QuantizeOptions o;
//   o.mode = edgelite::quantizer::Mode::kInt8;
//   o.calibration = edgelite::quantizer::LoadRawSamples("calib.bin", model_bytes);
//   auto res = edgelite::quantizer::QuantizeModel(model_bytes, o);
//   // res.tflite: the quantized .tflite file; res.report: sizes and per-tensor errors
//
// Modes (TensorFlow Lite's post-training quantization, docs/quantizer.md):
//   kFloat16  float constants stored as float16, each followed by a DEQUANTIZE op;
//   kDynamic  int8 weights of CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED with at
//             least `dynamic_min_elements` values (hybrid kernels), float activations;
//   kInt8     full integer: int8 activations from calibrated min/max, int8 weights
//             (per channel unless per_tensor), int32 biases, QUANTIZE/DEQUANTIZE at
//             the edges unless integer I/O is asked for;
//   kInt16x8  int16 activations (symmetric), int8 weights, int64 biases.
//
// Throws QuantizeError (a std::runtime_error) with a message naming the op,
// tensor or file at fault. Calls share no state.
#ifndef EDGELITE_QUANTIZER_QUANTIZER_H_
#define EDGELITE_QUANTIZER_QUANTIZER_H_

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace edgelite {
namespace quantizer {

class QuantizeError : public std::runtime_error {
 public:
  explicit QuantizeError(const std::string& what) : std::runtime_error(what) {}
};

enum class Mode { kFloat16, kDynamic, kInt8, kInt16x8 };
// Type of the quantized model's inputs/outputs (kInt8/kUInt8 only in kInt8
// mode, kInt16 only in kInt16x8 mode).
enum class IoType { kFloat, kInt8, kUInt8, kInt16 };

// "float16", "dynamic", "int8", "int16x8" / "float", "int8", "uint8", "int16";
// throw QuantizeError on anything else.
Mode ParseMode(const std::string& s);
IoType ParseIoType(const std::string& s);
const char* ModeName(Mode m);

// One calibration sample: the raw little-endian bytes of every input of the
// float model's subgraph 0, in input order, each exactly the input's byte size.
struct Sample {
  std::vector<std::vector<uint8_t>> inputs;
};

struct QuantizeOptions {
  Mode mode = Mode::kInt8;
  bool per_tensor = false;  // kInt8/kInt16x8: per-tensor weights instead of per channel
  IoType input_type = IoType::kFloat;
  IoType output_type = IoType::kFloat;
  // Representative data: required for kInt8 and kInt16x8; also used for the
  // report in every mode.
  std::vector<Sample> calibration;
  // kInt8/kInt16x8: ops without an integer rule stay float, with DEQUANTIZE
  // before and QUANTIZE after them (TFLite's default TFLITE_BUILTINS behaviour);
  // false: such ops are an error listing them all (TFLITE_BUILTINS_INT8).
  bool allow_float_fallback = false;
  // kDynamic: weights with fewer values stay float (TFLite's threshold).
  int64_t dynamic_min_elements = 1024;
  // Compute the per-tensor error report (runs float and quantized models on
  // up to report_samples calibration samples).
  bool report = false;
  int report_samples = 100;
  // Progress lines ("calibration: 50/500 samples"); may be empty.
  std::function<void(const std::string&)> progress;
};

// Error of one quantized tensor against the float model, over the report's
// samples. Errors accumulate through the graph (the quantized model runs
// end to end, as it will in use), so later tensors include earlier errors.
struct TensorError {
  std::string name;
  std::string op;       // producing op ("input" for graph inputs)
  int op_index = -1;
  std::string type;     // "int8", "int16"
  float scale = 0.0f;   // first (or only) scale
  int64_t zero_point = 0;
  double float_min = 0.0, float_max = 0.0;  // range seen in the float model
  double rmse = 0.0;        // sqrt(mean (dequantized - float)^2)
  double max_abs = 0.0;     // max |dequantized - float|
  double mean_error = 0.0;  // mean (dequantized - float): bias
  double rmse_lsb = 0.0;    // rmse / scale
  int64_t values = 0;
};

struct QuantizeReport {
  Mode mode = Mode::kInt8;
  size_t bytes_before = 0;
  size_t bytes_after = 0;
  int calibration_samples = 0;
  int report_samples = 0;
  // Calibrated float range of every activation tensor (kInt8/kInt16x8).
  std::vector<TensorError> tensors;  // in operator order (when options.report)
  // Largest output difference (dequantized quantized output vs float output)
  // and top-1 agreement of output 0 over the report samples.
  double output_max_abs = 0.0;
  int top1_agree = 0;
  std::string ToText(int worst = 10) const;
  std::string ToJson() const;
};

struct QuantizeResult {
  std::vector<uint8_t> tflite;
  QuantizeReport report;
};

QuantizeResult QuantizeModel(const std::vector<uint8_t>& float_model, const QuantizeOptions& options);

// Calibration data (see docs/quantizer.md):
//  - a raw file holding samples one after another, each in input `input`'s
//    dtype and shape (its size must be a multiple of the input's byte size);
//  - a directory of such files (one sample per file, sorted by name).
// For models with several inputs, give one source per input: the samples are
// zipped (all sources must hold the same number of samples).
// `spec` is "PATH" (input 0) or "N=PATH" (input N, position in the inputs).
std::vector<Sample> LoadCalibration(const std::vector<std::string>& specs,
                                    const std::vector<uint8_t>& float_model);

// Byte size and description ("float32[1,32,32,3]") of every input of subgraph 0.
struct InputInfo {
  std::string name;
  std::string dtype;
  std::vector<int32_t> shape;
  size_t bytes = 0;
};
std::vector<InputInfo> ModelInputs(const std::vector<uint8_t>& model);

std::vector<uint8_t> ReadFileBytes(const std::string& path);

}  // namespace quantizer
}  // namespace edgelite

#endif  // EDGELITE_QUANTIZER_QUANTIZER_H_
