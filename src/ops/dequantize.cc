// DEQUANTIZE: int8/uint8/int16 -> float32 (per-tensor, or per-channel along
// the input's quantized_dimension) and float16 -> float32 (float16-weight
// models), as TFLite's reference kernels:
//   per tensor   v = float(double(scale) * (q - zero_point))
//   per channel  v = scale[c] * float(q - zero_point[c])
//
// A constant input (float16 weights, or int8 weights kept quantized) is
// dequantized once, in Prepare, into interpreter-lifetime memory, as TFLite
// does (its output becomes kTfLitePersistentRo there). The output is then
// marked Allocation::kConstant: the planner leaves it out of the arena, the
// consumers (CONV_2D, FULLY_CONNECTED, DEPTHWISE_CONV_2D, ...) prepare after
// this node and see constant weights, so they pack them for their fast
// kernels, and Eval has nothing to do. The values are the same: the same
// kernel runs, only earlier. A later AllocateTensors (after a resize) keeps
// the folded output: its input is a constant, so neither shape nor values
// can change.
#include <cmath>

#include "src/ops/conv_quant_util.h"
#include "src/ops/op_util.h"
#include "src/quant/quantization.h"
#include "src/ref/quantize.h"

namespace edgelite {
namespace ops {
namespace {

// Node state: the storage of an output dequantized once in Prepare.
struct DequantizeData {
  void* folded = nullptr;  // persistent; non-null once the output was folded
  size_t capacity = 0;
};

void Run(const Tensor* input, Tensor* output);

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  DequantizeData* data = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &data));
  Tensor *input, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &input));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  // Folded by an earlier AllocateTensors: the input is a constant, so the
  // output (already validated, sized and computed) stays as it is.
  if (data->folded != nullptr && output->is_constant() && output->data == data->folded)
    return Status::Ok();
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
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(output, input->shape));
  // Fold only outputs that nothing else has given storage (not a variable,
  // not dynamic), from inputs whose values are in the model.
  if (ctx.phase() != Phase::kPrepare || !input->is_constant() || input->data == nullptr ||
      output->allocation != Allocation::kNone || output->is_variable)
    return Status::Ok();
  size_t bytes = 0;
  if (!DataTypeBytes(DataType::kFloat32, output->num_elements(), &bytes))
    return ctx.Fail(StatusCode::kInternal, "cannot size output '%s'", output->name);
  EDGELITE_RETURN_IF_ERROR(GrowPersistent(ctx, bytes, &data->folded, &data->capacity));
  output->data = data->folded;
  output->bytes = bytes;
  Run(input, output);
  output->allocation = Allocation::kConstant;
  return Status::Ok();
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

void Run(const Tensor* input, Tensor* output) {
  switch (input->type) {
    case DataType::kFloat16:
      ref::DequantizeFloat16(input->data_as<uint16_t>(), input->num_elements(),
                             output->data_as<float>());
      break;
    case DataType::kInt8: DequantizeTyped<int8_t>(input, output); break;
    case DataType::kUInt8: DequantizeTyped<uint8_t>(input, output); break;
    default: DequantizeTyped<int16_t>(input, output); break;
  }
}

Status Eval(OpContext& ctx) {
  Tensor* output = ctx.output(0);
  if (output->is_constant()) return Status::Ok();  // folded in Prepare
  Run(ctx.input(0), output);
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_DEQUANTIZE() {
  static const OpRegistration reg = {"DEQUANTIZE", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
