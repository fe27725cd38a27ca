// ModelBuilder: builds a .tflite model in code and serializes it.
//
// Used by tests (small single-op models), fuzzers and tools. Not part of the
// runtime core: it uses the heap freely and the FlatBuffers object API.
//
//   edgelite::ModelBuilder b;
//   int in = b.AddTensor(DataType::kFloat32, {1, 4}, "x");
//   int w = b.AddConstTensor<float>(DataType::kFloat32, {2, 4}, weights, "w");
//   int out = b.AddTensor(DataType::kFloat32, {1, 2}, "y");
//   b.AddOperator(fb::BuiltinOperator::FULLY_CONNECTED, {in, w, -1}, {out},
//                 edgelite::MakeOptions(fb::FullyConnectedOptionsT{}));
//   b.SetInputs({in}); b.SetOutputs({out});
//   std::vector<uint8_t> bytes = b.Finish();
#ifndef EDGELITE_MODEL_BUILDER_H_
#define EDGELITE_MODEL_BUILDER_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "edgelite/tensor.h"
#include "schema/tflite_generated.h"

namespace edgelite {

template <typename T>
fb::BuiltinOptionsUnion MakeOptions(T options) {
  fb::BuiltinOptionsUnion u;
  u.Set(std::move(options));
  return u;
}

struct QuantSpec {
  std::vector<float> scale;
  std::vector<int64_t> zero_point;
  int32_t quantized_dimension = 0;
};

class ModelBuilder {
 public:
  ModelBuilder();

  // Adds a buffer holding `bytes` bytes of `data`; returns its index.
  int AddBuffer(const void* data, size_t bytes);
  // Adds a tensor to the current subgraph; returns its index.
  int AddTensor(DataType type, const std::vector<int32_t>& shape, const std::string& name,
                int buffer = 0, const QuantSpec* quant = nullptr, bool is_variable = false,
                const std::vector<int32_t>& shape_signature = {});
  template <typename T>
  int AddConstTensor(DataType type, const std::vector<int32_t>& shape, const std::vector<T>& values,
                     const std::string& name, const QuantSpec* quant = nullptr) {
    const int b = AddBuffer(values.data(), values.size() * sizeof(T));
    return AddTensor(type, shape, name, b, quant);
  }
  int AddOperator(fb::BuiltinOperator op, const std::vector<int32_t>& inputs,
                  const std::vector<int32_t>& outputs,
                  fb::BuiltinOptionsUnion options = fb::BuiltinOptionsUnion(), int version = 1);
  int AddCustomOperator(const std::string& name, const std::vector<int32_t>& inputs,
                        const std::vector<int32_t>& outputs,
                        const std::vector<uint8_t>& custom_options = {});
  void SetInputs(const std::vector<int32_t>& inputs);
  void SetOutputs(const std::vector<int32_t>& outputs);
  // Starts a new subgraph; later Add* calls go to it. Returns its index.
  int AddSubgraph(const std::string& name = "");
  void SetSubgraph(int index) { current_ = index; }
  void AddSignature(const std::string& key, int subgraph,
                    const std::vector<std::pair<std::string, int32_t>>& inputs,
                    const std::vector<std::pair<std::string, int32_t>>& outputs);
  void SetDescription(const std::string& d) { model_.description = d; }
  void AddMetadata(const std::string& name, const std::vector<uint8_t>& data);

  // Direct access for unusual models (tests of the validator).
  fb::ModelT& model() { return model_; }

  // Serializes with the TFL3 identifier.
  std::vector<uint8_t> Finish() const;

 private:
  int OperatorCodeIndex(int32_t builtin_code, const std::string& custom, int version);
  fb::ModelT model_;
  int current_ = 0;
};

}  // namespace edgelite

#endif  // EDGELITE_MODEL_BUILDER_H_
