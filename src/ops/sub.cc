// SUB: elementwise subtraction with NumPy broadcasting and a fused activation.
// float32, int32, int64, and quantized int8/uint8/int16 (TFLite's integer kernels,
// src/ops/quantized_binary_util.h).
#include "src/ops/elementwise_util.h"
#include "src/ops/quantized_binary_util.h"
#include "src/ref/binary_elementwise.h"

namespace edgelite {
namespace ops {
namespace {

fb::ActivationFunctionType Activation(const OpContext& ctx) {
  const auto* opts = Options<fb::SubOptions>(ctx);
  return opts ? opts->fused_activation_function() : fb::ActivationFunctionType::NONE;
}

Status Prepare(OpContext& ctx) {
  if (IsQuantizedBinary(ctx)) {
    const auto* opts = Options<fb::SubOptions>(ctx);
    // Schema default of pot_scale_int16 is true (absent options keep it).
    const bool pot = opts ? opts->pot_scale_int16() : true;
    return PrepareQuantizedBinary(ctx, QuantizedBinaryKind::kSub, Activation(ctx), pot);
  }
  BinarySpec spec;
  spec.types = TypeBit(DataType::kFloat32) | TypeBit(DataType::kInt32) | TypeBit(DataType::kInt64);
  spec.has_f32_op = true;
  spec.f32_op = kernels::elementwise_f32::BinaryOp::kSub;
  return PrepareBinary(ctx, spec, Activation(ctx));
}

Status Eval(OpContext& ctx) {
  if (IsQuantizedBinary(ctx)) return EvalQuantizedBinary(ctx, QuantizedBinaryKind::kSub);
  switch (ctx.input(0)->type) {
    case DataType::kFloat32:
      EvalBinary<float>(ctx, ref::WrapSub<float>);
      break;
    case DataType::kInt32:
      EvalBinary<int32_t>(ctx, ref::WrapSub<int32_t>);
      break;
    case DataType::kInt64:
      EvalBinary<int64_t>(ctx, ref::WrapSub<int64_t>);
      break;
    default:
      return ctx.Fail(StatusCode::kInternal, "unexpected type");
  }
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_SUB() {
  static const OpRegistration reg = {"SUB", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
