// PRELU: x for x >= 0, alpha * x below, alpha broadcast against the input
// (NumPy rules; the output takes the broadcast shape, as in TFLite).
// float32, and quantized int8/uint8 (TFLite's integer kernel: x - z_x
// rescaled by s_x/s_out where x >= z_x, else (x - z_x)(alpha - z_alpha)
// rescaled by s_x s_alpha / s_out).
#include "src/ops/elementwise_util.h"
#include "src/ops/quantized_unary_util.h"
#include "src/quant/quantization.h"
#include "src/ref/quantized_activations.h"
#include "src/ref/unary.h"

namespace edgelite {
namespace ops {
namespace {

Status PrepareQuantized(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  Tensor *in, *alpha, *out;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &in));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 1, &alpha));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &out));
  if (in->type != DataType::kInt8 && in->type != DataType::kUInt8)
    return ctx.Fail(StatusCode::kUnsupported, "quantized %s PRELU is not supported",
                    DataTypeName(in->type));
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, in, alpha));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, out, in->type, "output"));
  EDGELITE_RETURN_IF_ERROR(CheckQuantizedTensor(ctx, in, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckQuantizedTensor(ctx, alpha, "alpha"));
  EDGELITE_RETURN_IF_ERROR(CheckQuantizedTensor(ctx, out, "output"));
  Shape shape;
  if (!BroadcastShapes(in->shape, alpha->shape, &shape))
    return ctx.Invalid("alpha '%s' does not broadcast against input '%s'", alpha->name, in->name);
  ref::QuantizedPreluParams* p;
  EDGELITE_RETURN_IF_ERROR(GetOrAllocOpData(ctx, &p));
  p->input_offset = -quant::ZeroPoint(*in);
  p->alpha_offset = -quant::ZeroPoint(*alpha);
  p->output_offset = quant::ZeroPoint(*out);
  // TFLite forms both ratios in float.
  const float identity = quant::Scale(*in) / quant::Scale(*out);
  const float times_alpha = quant::Scale(*in) * quant::Scale(*alpha) / quant::Scale(*out);
  quant::QuantizeMultiplier(identity, &p->identity_multiplier, &p->identity_shift);
  quant::QuantizeMultiplier(times_alpha, &p->alpha_multiplier, &p->alpha_shift);
  if (p->identity_shift > 30 || p->alpha_shift > 30)
    return ctx.Fail(StatusCode::kUnsupported, "PRELU rescale factor too large");
  return ctx.ResizeOutput(out, shape);
}

Status Prepare(OpContext& ctx) {
  if (IsQuantizedSmallInt(ctx.input(0))) return PrepareQuantized(ctx);
  BinarySpec spec;
  spec.types = TypeBit(DataType::kFloat32);
  return PrepareBinary(ctx, spec);
}

template <typename T>
void EvalQuantized(OpContext& ctx) {
  const auto& p = *static_cast<const ref::QuantizedPreluParams*>(ctx.user_data());
  const Tensor* a = ctx.input(0);
  const Tensor* b = ctx.input(1);
  Tensor* out = ctx.output(0);
  ref::BroadcastBinary(a->shape, a->data_as<T>(), b->shape, b->data_as<T>(), out->shape,
                       out->data_as<T>(),
                       [&p](T x, T alpha) { return ref::QuantizedPrelu(x, alpha, p); });
}

Status Eval(OpContext& ctx) {
  switch (ctx.input(0)->type) {
    case DataType::kInt8:
      EvalQuantized<int8_t>(ctx);
      break;
    case DataType::kUInt8:
      EvalQuantized<uint8_t>(ctx);
      break;
    default:
      EvalBinary<float>(ctx, ref::Prelu);
      break;
  }
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_PRELU() {
  static const OpRegistration reg = {"PRELU", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
