// Shared helpers of the edgelite CLI. Tools may use exceptions and the
// standard library: every failure is thrown as CliError and turned into one
// "edgelite: error: ..." line and exit status 1 by main().
#ifndef EDGELITE_TOOLS_EDGELITE_COMMON_H_
#define EDGELITE_TOOLS_EDGELITE_COMMON_H_

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "edgelite/interpreter.h"
#include "edgelite/model.h"
#include "edgelite/status.h"
#include "edgelite/tensor.h"

namespace edgelite {
namespace cli {

// A failure to report to the user (message without the "error:" prefix).
class CliError : public std::runtime_error {
 public:
  explicit CliError(const std::string& what) : std::runtime_error(what) {}
};

// Throws CliError("<context>: <status>") if `s` is an error.
void Check(const Status& s, const std::string& context);

// Loads a model (memory-mapped), throwing CliError with the loader's message.
std::unique_ptr<Model> LoadModel(const std::string& path);

std::vector<uint8_t> ReadBinaryFile(const std::string& path);
void WriteBinaryFile(const std::string& path, const void* data, size_t size);
void WriteTextFile(const std::string& path, const std::string& text);
uint64_t FileSize(const std::string& path);

// "[1,224,224,3]".
std::string ShapeString(const Shape& shape);
std::string ShapeString(const int32_t* dims, int rank);
std::vector<int32_t> ShapeVector(const Shape& shape);

// Bytes a tensor of `type` with `shape` needs; throws for types without a
// fixed element size (string, resource, variant).
size_t TensorBytes(DataType type, const Shape& shape);

// Element `i` of raw tensor bytes as a double (for summaries, top-K and
// dequantization). Supports every numeric type with a fixed element size.
bool ElementAsDouble(DataType type, const void* data, int64_t i, double* out);

// Lower-case file extension without the dot ("jpg"), "" if none.
std::string Extension(const std::string& path);

// The seeded input pattern shared with ../shared/oracles/tfjs-tflite/run_tflite.js
// (mulberry32). Fills `bytes` (the tensor's storage) for input position
// `input_index`. Returns false (and leaves `bytes` untouched) for types the
// pattern does not cover (string, resource, variant, complex, sub-byte).
bool FillSeededPattern(DataType type, int64_t seed, int input_index, void* data,
                       int64_t num_elements);

// The mulberry32 generator, exposed for tests of the tool.
class Mulberry32 {
 public:
  explicit Mulberry32(uint32_t seed) : state_(seed) {}
  uint32_t Next();

 private:
  uint32_t state_;
};

}  // namespace cli
}  // namespace edgelite

#endif  // EDGELITE_TOOLS_EDGELITE_COMMON_H_
