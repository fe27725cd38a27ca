#include "edgelite/model_builder.h"

#include <algorithm>
#include <memory>

namespace edgelite {

namespace {
// PLACEHOLDER_FOR_GREATER_OP_CODES: what the int8 code field holds for
// builtin codes that do not fit in it.
constexpr int32_t kPlaceholderForGreaterOpCodes = 127;
}  // namespace

ModelBuilder::ModelBuilder() {
  model_.version = 3;
  model_.description = "edgelite ModelBuilder";
  // Buffer 0 is the conventional empty buffer.
  model_.buffers.push_back(std::make_unique<fb::BufferT>());
  model_.subgraphs.push_back(std::make_unique<fb::SubGraphT>());
}

int ModelBuilder::AddBuffer(const void* data, size_t bytes) {
  auto b = std::make_unique<fb::BufferT>();
  const auto* p = static_cast<const uint8_t*>(data);
  b->data.assign(p, p + bytes);
  model_.buffers.push_back(std::move(b));
  return static_cast<int>(model_.buffers.size() - 1);
}

int ModelBuilder::AddTensor(DataType type, const std::vector<int32_t>& shape,
                            const std::string& name, int buffer, const QuantSpec* quant,
                            bool is_variable, const std::vector<int32_t>& shape_signature) {
  auto t = std::make_unique<fb::TensorT>();
  t->type = static_cast<fb::TensorType>(static_cast<int8_t>(type));
  t->shape = shape;
  t->name = name;
  t->buffer = static_cast<uint32_t>(buffer);
  t->is_variable = is_variable;
  t->shape_signature = shape_signature;
  if (quant) {
    t->quantization = std::make_unique<fb::QuantizationParametersT>();
    t->quantization->scale = quant->scale;
    t->quantization->zero_point = quant->zero_point;
    t->quantization->quantized_dimension = quant->quantized_dimension;
  }
  auto& sg = model_.subgraphs[current_];
  sg->tensors.push_back(std::move(t));
  return static_cast<int>(sg->tensors.size() - 1);
}

int ModelBuilder::OperatorCodeIndex(int32_t builtin_code, const std::string& custom, int version) {
  for (size_t i = 0; i < model_.operator_codes.size(); ++i) {
    const auto& oc = model_.operator_codes[i];
    if (static_cast<int32_t>(oc->builtin_code) == builtin_code && oc->custom_code == custom &&
        oc->version == version)
      return static_cast<int>(i);
  }
  auto oc = std::make_unique<fb::OperatorCodeT>();
  oc->builtin_code = static_cast<fb::BuiltinOperator>(builtin_code);
  oc->deprecated_builtin_code =
      static_cast<int8_t>(std::min(builtin_code, kPlaceholderForGreaterOpCodes));
  oc->custom_code = custom;
  oc->version = version;
  model_.operator_codes.push_back(std::move(oc));
  return static_cast<int>(model_.operator_codes.size() - 1);
}

int ModelBuilder::AddOperator(fb::BuiltinOperator op, const std::vector<int32_t>& inputs,
                              const std::vector<int32_t>& outputs, fb::BuiltinOptionsUnion options,
                              int version) {
  auto o = std::make_unique<fb::OperatorT>();
  o->opcode_index =
      static_cast<uint32_t>(OperatorCodeIndex(static_cast<int32_t>(op), "", version));
  o->inputs = inputs;
  o->outputs = outputs;
  o->builtin_options = std::move(options);
  auto& sg = model_.subgraphs[current_];
  sg->operators.push_back(std::move(o));
  return static_cast<int>(sg->operators.size() - 1);
}

int ModelBuilder::AddCustomOperator(const std::string& name, const std::vector<int32_t>& inputs,
                                    const std::vector<int32_t>& outputs,
                                    const std::vector<uint8_t>& custom_options) {
  auto o = std::make_unique<fb::OperatorT>();
  o->opcode_index = static_cast<uint32_t>(
      OperatorCodeIndex(static_cast<int32_t>(fb::BuiltinOperator::CUSTOM), name, 1));
  o->inputs = inputs;
  o->outputs = outputs;
  o->custom_options = custom_options;
  auto& sg = model_.subgraphs[current_];
  sg->operators.push_back(std::move(o));
  return static_cast<int>(sg->operators.size() - 1);
}

void ModelBuilder::SetInputs(const std::vector<int32_t>& inputs) {
  model_.subgraphs[current_]->inputs = inputs;
}
void ModelBuilder::SetOutputs(const std::vector<int32_t>& outputs) {
  model_.subgraphs[current_]->outputs = outputs;
}

int ModelBuilder::AddSubgraph(const std::string& name) {
  auto sg = std::make_unique<fb::SubGraphT>();
  sg->name = name;
  model_.subgraphs.push_back(std::move(sg));
  current_ = static_cast<int>(model_.subgraphs.size() - 1);
  return current_;
}

void ModelBuilder::AddSignature(const std::string& key, int subgraph,
                                const std::vector<std::pair<std::string, int32_t>>& inputs,
                                const std::vector<std::pair<std::string, int32_t>>& outputs) {
  auto s = std::make_unique<fb::SignatureDefT>();
  s->signature_key = key;
  s->subgraph_index = static_cast<uint32_t>(subgraph);
  for (const auto& [name, t] : inputs) {
    auto m = std::make_unique<fb::TensorMapT>();
    m->name = name;
    m->tensor_index = static_cast<uint32_t>(t);
    s->inputs.push_back(std::move(m));
  }
  for (const auto& [name, t] : outputs) {
    auto m = std::make_unique<fb::TensorMapT>();
    m->name = name;
    m->tensor_index = static_cast<uint32_t>(t);
    s->outputs.push_back(std::move(m));
  }
  model_.signature_defs.push_back(std::move(s));
}

void ModelBuilder::AddMetadata(const std::string& name, const std::vector<uint8_t>& data) {
  auto md = std::make_unique<fb::MetadataT>();
  md->name = name;
  md->buffer = static_cast<uint32_t>(AddBuffer(data.data(), data.size()));
  model_.metadata.push_back(std::move(md));
}

std::vector<uint8_t> ModelBuilder::Finish() const {
  flatbuffers::FlatBufferBuilder fbb;
  auto root = fb::Model::Pack(fbb, &model_);
  fb::FinishModelBuffer(fbb, root);
  return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

}  // namespace edgelite
