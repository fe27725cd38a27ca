// DIV: elementwise division with NumPy broadcasting and a fused activation.
// float32 (IEEE: x/0 is inf or NaN) and int32 (truncating; a zero divisor is a
// kRuntimeError at eval, as in TFLite). Quantized inputs: kUnsupported for now.
#include "src/ops/elementwise_util.h"
#include "src/ref/binary_elementwise.h"

namespace edgelite {
namespace ops {
namespace {

Status Prepare(OpContext& ctx) {
  const auto* opts = Options<fb::DivOptions>(ctx);
  BinarySpec spec;
  spec.types = TypeBit(DataType::kFloat32) | TypeBit(DataType::kInt32);
  spec.has_f32_op = true;
  spec.f32_op = kernels::elementwise_f32::BinaryOp::kDiv;
  return PrepareBinary(ctx, spec,
                       opts ? opts->fused_activation_function() : fb::ActivationFunctionType::NONE);
}

Status Eval(OpContext& ctx) {
  switch (ctx.input(0)->type) {
    case DataType::kFloat32:
      EvalBinary<float>(ctx, ref::Div<float>);
      break;
    case DataType::kInt32:
      EDGELITE_RETURN_IF_ERROR(CheckNoZeroDivisor<int32_t>(ctx, ctx.input(1)));
      EvalBinary<int32_t>(ctx, ref::Div<int32_t>);
      break;
    default:
      return ctx.Fail(StatusCode::kInternal, "unexpected type");
  }
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_DIV() {
  static const OpRegistration reg = {"DIV", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
