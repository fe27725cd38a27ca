// MUL: elementwise multiplication with NumPy broadcasting and a fused activation.
// float32, int32, int64, and quantized int8/uint8/int16 (TFLite's integer kernels,
// src/ops/quantized_binary_util.h).
#include "src/ops/elementwise_util.h"
#include "src/ops/quantized_binary_util.h"
#include "src/ref/binary_elementwise.h"

namespace edgelite {
namespace ops {
namespace {

fb::ActivationFunctionType Activation(const OpContext& ctx) {
  const auto* opts = Options<fb::MulOptions>(ctx);
  return opts ? opts->fused_activation_function() : fb::ActivationFunctionType::NONE;
}

Status Prepare(OpContext& ctx) {
  if (IsQuantizedBinary(ctx)) {
    const bool pot = false;
    return PrepareQuantizedBinary(ctx, QuantizedBinaryKind::kMul, Activation(ctx), pot);
  }
  BinarySpec spec;
  spec.types = TypeBit(DataType::kFloat32) | TypeBit(DataType::kInt32) | TypeBit(DataType::kInt64);
  spec.has_f32_op = true;
  spec.f32_op = kernels::elementwise_f32::BinaryOp::kMul;
  return PrepareBinary(ctx, spec, Activation(ctx));
}

Status Eval(OpContext& ctx) {
  if (IsQuantizedBinary(ctx)) return EvalQuantizedBinary(ctx, QuantizedBinaryKind::kMul);
  switch (ctx.input(0)->type) {
    case DataType::kFloat32:
      EvalBinary<float>(ctx, ref::WrapMul<float>);
      break;
    case DataType::kInt32:
      EvalBinary<int32_t>(ctx, ref::WrapMul<int32_t>);
      break;
    case DataType::kInt64:
      EvalBinary<int64_t>(ctx, ref::WrapMul<int64_t>);
      break;
    default:
      return ctx.Fail(StatusCode::kInternal, "unexpected type");
  }
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_MUL() {
  static const OpRegistration reg = {"MUL", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
