// LEAKY_RELU: x for x >= 0, alpha * x below (LeakyReluOptions.alpha, default
// 0 as in the schema). float32, and quantized int8/uint8/int16 (TFLite's
// integer kernel: two requantization multipliers, s_in/s_out and
// alpha*s_in/s_out, computed in prepare).
#include <cmath>

#include "src/ops/elementwise_util.h"
#include "src/ops/quantized_unary_util.h"
#include "src/quant/quantization.h"
#include "src/ref/quantized_activations.h"
#include "src/ref/unary.h"

namespace edgelite {
namespace ops {
namespace {

struct LeakyReluData {
  float alpha;
  ref::QuantizedLeakyReluParams q;
  FloatUnaryFast fast;  // float32
};

constexpr uint32_t kQuantTypes =
    TypeBit(DataType::kInt8) | TypeBit(DataType::kUInt8) | TypeBit(DataType::kInt16);

Status Prepare(OpContext& ctx) {
  LeakyReluData* data;
  EDGELITE_RETURN_IF_ERROR(GetOrAllocOpData(ctx, &data));
  const auto* opts = Options<fb::LeakyReluOptions>(ctx);
  data->alpha = opts ? opts->alpha() : 0.0f;  // schema default
  if (!IsQuantizedSmallInt(ctx.input(0))) {
    EDGELITE_RETURN_IF_ERROR(PrepareUnary(ctx, TypeBit(DataType::kFloat32)));
    if constexpr (kOptimizedKernels) {  // the micro profile keeps the reference
      kernels::elementwise_f32::UnaryArgs args;
      args.op = kernels::elementwise_f32::UnaryOp::kLeakyRelu;
      args.alpha = data->alpha;
      ChooseFloatUnaryFast(args, &data->fast);
    }
    return Status::Ok();
  }

  Tensor *in, *out;
  EDGELITE_RETURN_IF_ERROR(PrepareQuantizedUnary(ctx, kQuantTypes, &in, &out));
  if (!std::isfinite(data->alpha))
    return ctx.Invalid("alpha %g is not finite", static_cast<double>(data->alpha));
  ref::QuantizedLeakyReluParams& q = data->q;
  q.input_offset = quant::ZeroPoint(*in);
  q.output_offset = quant::ZeroPoint(*out);
  // TFLite forms both ratios in float before widening to double.
  const float alpha_ratio = quant::Scale(*in) * data->alpha / quant::Scale(*out);
  const float identity_ratio = quant::Scale(*in) / quant::Scale(*out);
  q.alpha_negative = alpha_ratio < 0.0f;
  quant::QuantizeMultiplier(std::fabs(static_cast<double>(alpha_ratio)), &q.alpha_multiplier,
                            &q.alpha_shift);
  quant::QuantizeMultiplier(static_cast<double>(identity_ratio), &q.identity_multiplier,
                            &q.identity_shift);
  if (q.alpha_shift > 30 || q.identity_shift > 30)
    return ctx.Fail(StatusCode::kUnsupported, "rescale factor too large (scales of '%s', '%s')",
                    in->name, out->name);
  return Status::Ok();
}

template <typename T>
void EvalQuantized(OpContext& ctx, const ref::QuantizedLeakyReluParams& q) {
  EvalUnary<T>(ctx, [&q](T x) { return ref::QuantizedLeakyRelu<T>(x, q); });
}

Status Eval(OpContext& ctx) {
  const auto* data = static_cast<const LeakyReluData*>(ctx.user_data());
  switch (ctx.input(0)->type) {
    case DataType::kFloat32: {
      if (RunFloatUnaryFast(ctx, &data->fast)) return Status::Ok();
      const float alpha = data->alpha;
      EvalUnary<float>(ctx, [alpha](float x) { return ref::LeakyRelu(x, alpha); });
      return Status::Ok();
    }
    case DataType::kInt8:
      EvalQuantized<int8_t>(ctx, data->q);
      return Status::Ok();
    case DataType::kUInt8:
      EvalQuantized<uint8_t>(ctx, data->q);
      return Status::Ok();
    case DataType::kInt16:
      EvalQuantized<int16_t>(ctx, data->q);
      return Status::Ok();
    default:
      return ctx.Fail(StatusCode::kInternal, "unexpected type");
  }
}

}  // namespace

const OpRegistration* Register_LEAKY_RELU() {
  static const OpRegistration reg = {"LEAKY_RELU", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
