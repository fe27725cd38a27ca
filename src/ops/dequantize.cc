// DEQUANTIZE: int8/uint8/int16 -> float32 (per-tensor, or per-channel along
// the input's quantized_dimension) and float16 -> float32 (float16-weight
// models), as TFLite's reference kernels:
//   per tensor   v = float(double(scale) * (q - zero_point))
//   per channel  v = scale[c] * float(q - zero_point[c])
#include <cmath>

#include "src/ops/conv_quant_util.h"
#include "src/ops/op_util.h"
#include "src/quant/quantization.h"
#include "src/ref/quantize.h"

namespace edgelite {
namespace ops {
namespace {

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  Tensor *input, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &input));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, DataType::kFloat32, "output"));
  if (input->type != DataType::kFloat16) {
    if (!IsQuantizedActivationType(input->type))
      return ctx.Fail(StatusCode::kUnsupported,
                      "dequantizing %s is not supported (int8, uint8, int16, float16 are)",
                      DataTypeName(input->type));
    const Quantization& q = input->quant;
    if (q.per_channel()) {
      const int32_t axis = q.quantized_dimension;
      if (axis < 0 || axis >= input->shape.rank || input->shape[axis] != q.count)
        return ctx.Invalid("input '%s' has %d scales along dimension %d, which does not match "
                           "its shape", input->name, q.count, axis);
      for (int32_t i = 0; i < q.count; ++i) {
        if (!std::isfinite(q.scale[i]))
          return ctx.Invalid("input '%s' scale at %d is not finite", input->name, i);
        if (input->type == DataType::kInt16 && q.zero_point && q.zero_point[i] != 0)
          return ctx.Invalid("int16 input '%s' must have zero point 0", input->name);
      }
    } else {
      if (!q.is_quantized() || q.scale == nullptr)
        return ctx.Invalid("input '%s' has no quantization parameters", input->name);
      if (!std::isfinite(q.scale[0]))
        return ctx.Invalid("input '%s' scale is not finite", input->name);
      if (input->type == DataType::kInt16 && quant::ZeroPoint(*input) != 0)
        return ctx.Invalid("int16 input '%s' must have zero point 0", input->name);
    }
  }
  return ctx.ResizeOutput(output, input->shape);
}

template <typename InT>
void DequantizeTyped(const Tensor* input, Tensor* output) {
  const Quantization& q = input->quant;
  if (q.per_channel()) {
    static const int64_t kZero = 0;
    ref::PerChannelDequantize(input->data_as<InT>(), input->shape, q.quantized_dimension, q.scale,
                              q.zero_point ? q.zero_point : &kZero, q.zero_point != nullptr,
                              output->data_as<float>());
  } else {
    ref::Dequantize(input->data_as<InT>(), input->num_elements(), q.scale[0],
                    quant::ZeroPoint(*input), output->data_as<float>());
  }
}

Status Eval(OpContext& ctx) {
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  switch (input->type) {
    case DataType::kFloat16:
      ref::DequantizeFloat16(input->data_as<uint16_t>(), input->num_elements(),
                             output->data_as<float>());
      break;
    case DataType::kInt8: DequantizeTyped<int8_t>(input, output); break;
    case DataType::kUInt8: DequantizeTyped<uint8_t>(input, output); break;
    default: DequantizeTyped<int16_t>(input, output); break;
  }
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_DEQUANTIZE() {
  static const OpRegistration reg = {"DEQUANTIZE", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
