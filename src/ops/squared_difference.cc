// SQUARED_DIFFERENCE: (a - b)^2 elementwise with NumPy broadcasting.
// float32 and int32 (wrapping); quantized int8 (TFLite's integer kernel,
// src/ops/quantized_binary_util.h).
#include "src/ops/elementwise_util.h"
#include "src/ops/quantized_binary_util.h"
#include "src/ref/binary_elementwise.h"

namespace edgelite {
namespace ops {
namespace {

Status Prepare(OpContext& ctx) {
  if (IsQuantizedBinary(ctx))
    return PrepareQuantizedBinary(ctx, QuantizedBinaryKind::kSquaredDifference,
                                  fb::ActivationFunctionType::NONE, false);
  BinarySpec spec;
  spec.types = TypeBit(DataType::kFloat32) | TypeBit(DataType::kInt32);
  spec.has_f32_op = true;
  spec.f32_op = kernels::elementwise_f32::BinaryOp::kSquaredDifference;
  return PrepareBinary(ctx, spec);
}

Status Eval(OpContext& ctx) {
  if (IsQuantizedBinary(ctx))
    return EvalQuantizedBinary(ctx, QuantizedBinaryKind::kSquaredDifference);
  switch (ctx.input(0)->type) {
    case DataType::kFloat32:
      EvalBinary<float>(ctx, ref::SquaredDifference<float>);
      break;
    case DataType::kInt32:
      EvalBinary<int32_t>(ctx, ref::SquaredDifference<int32_t>);
      break;
    default:
      return ctx.Fail(StatusCode::kInternal, "unexpected type");
  }
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_SQUARED_DIFFERENCE() {
  static const OpRegistration reg = {"SQUARED_DIFFERENCE", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
