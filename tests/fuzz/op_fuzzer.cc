// libFuzzer target (b): single-op models built with the writer API
// (ModelBuilder) from fuzzer-chosen op, shapes, options, data types and
// quantization parameters, then loaded, allocated and invoked like any file.
//
// Family: ADD, SUB, MUL, FULLY_CONNECTED, CONV_2D, DEPTHWISE_CONV_2D,
// AVERAGE_POOL_2D, MAX_POOL_2D, RESHAPE, CONCATENATION, SOFTMAX, TRANSPOSE,
// PAD, MEAN. Shapes are small (dims 0..6) so each run is fast; options and
// quantization range over everything the schema can express (zero, negative,
// NaN and huge scales; out-of-range zero points, axes and strides).
#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "edgelite/model_builder.h"
#include "tests/fuzz/fuzz_util.h"

namespace edgelite {
namespace {

using fb::ActivationFunctionType;
using fb::BuiltinOperator;

const DataType kTypes[] = {DataType::kFloat32, DataType::kInt8, DataType::kUInt8,
                           DataType::kInt16, DataType::kInt32};

class Gen {
 public:
  explicit Gen(FuzzedDataProvider* p) : p_(*p) {}

  DataType Type() { return kTypes[p_.ConsumeIntegralInRange<int>(0, 4)]; }

  std::vector<int32_t> Shape(int min_rank, int max_rank) {
    const int rank = p_.ConsumeIntegralInRange<int>(min_rank, max_rank);
    std::vector<int32_t> s(rank);
    for (int& d : s) d = p_.ConsumeIntegralInRange<int>(0, 6);
    // Rarely, a dimension the validator or the op must refuse.
    if (rank > 0 && p_.ConsumeIntegralInRange<int>(0, 31) == 0)
      s[p_.ConsumeIntegralInRange<int>(0, rank - 1)] =
          p_.PickValueInArray<int32_t>({-1, -7, 1 << 20, std::numeric_limits<int32_t>::max()});
    return s;
  }

  float Scale() {
    switch (p_.ConsumeIntegralInRange<int>(0, 9)) {
      case 0: return 0.0f;
      case 1: return -0.5f;
      case 2: return std::numeric_limits<float>::quiet_NaN();
      case 3: return std::numeric_limits<float>::infinity();
      case 4: return 1e30f;
      case 5: return 1e-30f;
      default: return p_.ConsumeFloatingPointInRange<float>(1e-4f, 4.0f);
    }
  }

  // Quantization for a tensor of `type` and `shape`; nullptr-equivalent
  // (empty) for float unless the fuzzer insists.
  bool Quant(DataType type, const std::vector<int32_t>& shape, QuantSpec* q) {
    const bool integer = type != DataType::kFloat32;
    if (!integer && p_.ConsumeIntegralInRange<int>(0, 15) != 0) return false;
    if (integer && p_.ConsumeIntegralInRange<int>(0, 15) == 0) return false;  // missing
    int count = 1;
    q->quantized_dimension = 0;
    if (!shape.empty() && p_.ConsumeBool()) {
      q->quantized_dimension = p_.ConsumeIntegralInRange<int>(-1, static_cast<int>(shape.size()));
      const int qd = q->quantized_dimension;
      count = (qd >= 0 && qd < static_cast<int>(shape.size()) && p_.ConsumeBool())
                  ? shape[qd]
                  : p_.ConsumeIntegralInRange<int>(1, 8);
      if (count < 1 || count > 64) count = 1;
    }
    for (int i = 0; i < count; ++i) {
      q->scale.push_back(Scale());
      q->zero_point.push_back(p_.ConsumeIntegralInRange<int64_t>(-300, 300));
    }
    return true;
  }

  int Tensor(ModelBuilder* b, DataType type, const std::vector<int32_t>& shape, bool constant,
             const char* name) {
    QuantSpec q;
    const bool quant = Quant(type, shape, &q);
    int buffer = 0;
    if (constant) {
      int64_t n = 1;
      for (int32_t d : shape) n = (d < 0 || d > 4096) ? -1 : (n < 0 ? -1 : n * d);
      size_t bytes = 0;
      if (n >= 0 && n <= 4096 && DataTypeBytes(type, n, &bytes)) {
        std::vector<uint8_t> data(bytes);
        for (size_t i = 0; i < bytes; ++i) data[i] = p_.ConsumeIntegral<uint8_t>();
        if (type == DataType::kFloat32)
          for (size_t i = 0; i + 4 <= bytes; i += 4) {
            const float v = p_.ConsumeFloatingPointInRange<float>(-8.0f, 8.0f);
            memcpy(&data[i], &v, 4);
          }
        buffer = b->AddBuffer(data.data(), data.size());
      }
    }
    return b->AddTensor(type, shape, name, buffer, quant ? &q : nullptr);
  }

  ActivationFunctionType Act() {
    return static_cast<ActivationFunctionType>(p_.ConsumeIntegralInRange<int>(0, 6));
  }
  int32_t Small(int lo, int hi) { return p_.ConsumeIntegralInRange<int32_t>(lo, hi); }
  bool Bool() { return p_.ConsumeBool(); }
  FuzzedDataProvider& p() { return p_; }

 private:
  FuzzedDataProvider& p_;
};

std::vector<uint8_t> BuildModel(FuzzedDataProvider* provider) {
  Gen g(provider);
  ModelBuilder b;
  const int which = g.Small(0, 13);
  const DataType type = g.Type();
  // Output type usually matches the input; sometimes not (ops must refuse).
  const DataType out_type = g.Small(0, 7) == 0 ? g.Type() : type;
  std::vector<int32_t> ins, outs;
  fb::BuiltinOptionsUnion options;
  BuiltinOperator op = BuiltinOperator::ADD;
  auto out = [&](int min_rank, int max_rank) {
    outs.push_back(g.Tensor(&b, out_type, g.Shape(min_rank, max_rank), false, "y"));
  };
  switch (which) {
    case 0:
    case 1:
    case 2: {
      op = which == 0 ? BuiltinOperator::ADD : which == 1 ? BuiltinOperator::SUB
                                                          : BuiltinOperator::MUL;
      const auto s = g.Shape(0, 5);
      ins.push_back(g.Tensor(&b, type, s, false, "a"));
      ins.push_back(g.Tensor(&b, type, g.Bool() ? s : g.Shape(0, 5), g.Bool(), "b"));
      out(0, 5);
      if (op == BuiltinOperator::ADD) {
        fb::AddOptionsT o;
        o.fused_activation_function = g.Act();
        o.pot_scale_int16 = g.Bool();
        options = MakeOptions(o);
      } else if (op == BuiltinOperator::SUB) {
        fb::SubOptionsT o;
        o.fused_activation_function = g.Act();
        options = MakeOptions(o);
      } else {
        fb::MulOptionsT o;
        o.fused_activation_function = g.Act();
        options = MakeOptions(o);
      }
      break;
    }
    case 3: {
      op = BuiltinOperator::FULLY_CONNECTED;
      ins.push_back(g.Tensor(&b, type, g.Shape(1, 4), false, "x"));
      ins.push_back(g.Tensor(&b, g.Bool() ? type : g.Type(), g.Shape(1, 3), true, "w"));
      ins.push_back(g.Bool() ? -1 : g.Tensor(&b, g.Bool() ? DataType::kInt32 : type,
                                             g.Shape(0, 2), true, "bias"));
      out(0, 4);
      fb::FullyConnectedOptionsT o;
      o.fused_activation_function = g.Act();
      o.keep_num_dims = g.Bool();
      o.asymmetric_quantize_inputs = g.Bool();
      options = MakeOptions(o);
      break;
    }
    case 4:
    case 5: {
      const bool dw = which == 5;
      op = dw ? BuiltinOperator::DEPTHWISE_CONV_2D : BuiltinOperator::CONV_2D;
      ins.push_back(g.Tensor(&b, type, g.Shape(3, 5), false, "x"));
      ins.push_back(g.Tensor(&b, g.Bool() ? type : g.Type(), g.Shape(3, 5), true, "w"));
      ins.push_back(g.Bool() ? -1 : g.Tensor(&b, g.Bool() ? DataType::kInt32 : type,
                                             g.Shape(0, 2), true, "bias"));
      out(3, 5);
      if (dw) {
        fb::DepthwiseConv2DOptionsT o;
        o.padding = g.Bool() ? fb::Padding::SAME : fb::Padding::VALID;
        o.stride_w = g.Small(-1, 4);
        o.stride_h = g.Small(-1, 4);
        o.depth_multiplier = g.Small(-1, 4);
        o.dilation_w_factor = g.Small(-1, 3);
        o.dilation_h_factor = g.Small(-1, 3);
        o.fused_activation_function = g.Act();
        options = MakeOptions(o);
      } else {
        fb::Conv2DOptionsT o;
        o.padding = g.Bool() ? fb::Padding::SAME : fb::Padding::VALID;
        o.stride_w = g.Small(-1, 4);
        o.stride_h = g.Small(-1, 4);
        o.dilation_w_factor = g.Small(-1, 3);
        o.dilation_h_factor = g.Small(-1, 3);
        o.fused_activation_function = g.Act();
        options = MakeOptions(o);
      }
      break;
    }
    case 6:
    case 7: {
      op = which == 6 ? BuiltinOperator::AVERAGE_POOL_2D : BuiltinOperator::MAX_POOL_2D;
      ins.push_back(g.Tensor(&b, type, g.Shape(3, 5), false, "x"));
      out(3, 5);
      fb::Pool2DOptionsT o;
      o.padding = g.Bool() ? fb::Padding::SAME : fb::Padding::VALID;
      o.stride_w = g.Small(-1, 4);
      o.stride_h = g.Small(-1, 4);
      o.filter_width = g.Small(-1, 5);
      o.filter_height = g.Small(-1, 5);
      o.fused_activation_function = g.Act();
      options = MakeOptions(o);
      break;
    }
    case 8: {
      op = BuiltinOperator::RESHAPE;
      ins.push_back(g.Tensor(&b, type, g.Shape(0, 5), false, "x"));
      if (g.Bool()) ins.push_back(g.Tensor(&b, DataType::kInt32, g.Shape(0, 2), true, "shape"));
      out(0, 5);
      fb::ReshapeOptionsT o;
      if (g.Bool()) o.new_shape = g.Shape(0, 5);
      options = MakeOptions(o);
      break;
    }
    case 9: {
      op = BuiltinOperator::CONCATENATION;
      const int n = g.Small(1, 4);
      const auto s = g.Shape(0, 4);
      for (int i = 0; i < n; ++i)
        ins.push_back(g.Tensor(&b, g.Small(0, 7) == 0 ? g.Type() : type,
                               g.Bool() ? s : g.Shape(0, 4), g.Small(0, 3) == 0, "x"));
      out(0, 4);
      fb::ConcatenationOptionsT o;
      o.axis = g.Small(-6, 6);
      o.fused_activation_function = g.Act();
      options = MakeOptions(o);
      break;
    }
    case 10: {
      op = BuiltinOperator::SOFTMAX;
      ins.push_back(g.Tensor(&b, type, g.Shape(0, 4), false, "x"));
      out(0, 4);
      fb::SoftmaxOptionsT o;
      o.beta = g.Bool() ? 1.0f : g.p().ConsumeFloatingPoint<float>();
      options = MakeOptions(o);
      break;
    }
    case 11: {
      op = BuiltinOperator::TRANSPOSE;
      ins.push_back(g.Tensor(&b, type, g.Shape(0, 6), false, "x"));
      ins.push_back(g.Tensor(&b, DataType::kInt32, g.Shape(1, 1), true, "perm"));
      out(0, 6);
      options = MakeOptions(fb::TransposeOptionsT{});
      break;
    }
    case 12: {
      op = BuiltinOperator::PAD;
      ins.push_back(g.Tensor(&b, type, g.Shape(0, 5), false, "x"));
      ins.push_back(g.Tensor(&b, g.Bool() ? DataType::kInt32 : DataType::kInt64, g.Shape(2, 2),
                             true, "paddings"));
      out(0, 5);
      options = MakeOptions(fb::PadOptionsT{});
      break;
    }
    default: {
      op = BuiltinOperator::MEAN;
      ins.push_back(g.Tensor(&b, type, g.Shape(0, 5), false, "x"));
      ins.push_back(g.Tensor(&b, DataType::kInt32, g.Shape(0, 1), true, "axes"));
      out(0, 5);
      fb::ReducerOptionsT o;
      o.keep_dims = g.Bool();
      options = MakeOptions(o);
      break;
    }
  }
  b.AddOperator(op, ins, outs, std::move(options), g.Small(1, 7));
  std::vector<int32_t> graph_inputs;
  for (int32_t t : ins)
    if (t >= 0 && b.model().subgraphs[0]->tensors[t]->buffer == 0) graph_inputs.push_back(t);
  b.SetInputs(graph_inputs);
  b.SetOutputs(outs);
  return b.Finish();
}

}  // namespace
}  // namespace edgelite

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider provider(data, size);
  const uint64_t seed = provider.ConsumeIntegral<uint64_t>();
  const std::vector<uint8_t> model = edgelite::BuildModel(&provider);
  edgelite::fuzz::RunModelBytes(model.data(), model.size(), seed);
  return 0;
}
