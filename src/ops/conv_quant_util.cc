#include "src/ops/conv_quant_util.h"

#include <cmath>

#include "src/quant/quantization.h"

namespace edgelite {
namespace ops {

Status CheckActivationQuant(OpContext& ctx, const Tensor* t, const char* what,
                            bool symmetric_int16) {
  const Quantization& q = t->quant;
  if (!q.is_quantized() || q.scale == nullptr)
    return ctx.Invalid("%s '%s' (%s) has no quantization parameters", what, t->name,
                       DataTypeName(t->type));
  if (q.per_channel())
    return ctx.Fail(StatusCode::kUnsupported,
                    "%s '%s' has per-channel quantization; activations must be per-tensor", what,
                    t->name);
  const float s = q.scale[0];
  if (!(s > 0.0f) || !std::isfinite(s))
    return ctx.Invalid("%s '%s' has scale %g; it must be finite and > 0", what, t->name, s);
  const int64_t zp = q.zero_point ? q.zero_point[0] : 0;
  int32_t lo, hi;
  quant::TypeRange(t->type, &lo, &hi);
  if (zp < lo || zp > hi)
    return ctx.Invalid("%s '%s' has zero point %lld, outside the %s range", what, t->name,
                       static_cast<long long>(zp), DataTypeName(t->type));
  if (symmetric_int16 && t->type == DataType::kInt16 && zp != 0)
    return ctx.Invalid("int16 %s '%s' must have zero point 0 (symmetric), has %lld", what,
                       t->name, static_cast<long long>(zp));
  return Status::Ok();
}

Status CheckWeightsQuant(OpContext& ctx, const Tensor* w, const char* what, int channel_dim,
                         int32_t channels, bool require_zero_zp) {
  const Quantization& q = w->quant;
  if (!q.is_quantized() || q.scale == nullptr)
    return ctx.Invalid("%s '%s' (%s) has no quantization parameters", what, w->name,
                       DataTypeName(w->type));
  if (q.per_channel()) {
    if (q.quantized_dimension != channel_dim)
      return ctx.Invalid("%s '%s' is quantized along dimension %d; expected %d", what, w->name,
                         q.quantized_dimension, channel_dim);
    if (q.count != channels || w->shape.rank <= channel_dim || w->shape[channel_dim] != channels)
      return ctx.Invalid("%s '%s' has %d scales; expected %d (one per output channel)", what,
                         w->name, q.count, channels);
  }
  for (int32_t i = 0; i < q.count; ++i) {
    const float s = q.scale[i];
    if (!(s > 0.0f) || !std::isfinite(s))
      return ctx.Invalid("%s '%s' has scale %g at %d; scales must be finite and > 0", what,
                         w->name, s, i);
    const int64_t zp = q.zero_point ? q.zero_point[i] : 0;
    if (require_zero_zp && zp != 0)
      return ctx.Invalid("%s '%s' has zero point %lld at %d; %s weights must be symmetric "
                         "(zero point 0)",
                         what, w->name, static_cast<long long>(zp), i, DataTypeName(w->type));
    int32_t lo, hi;
    quant::TypeRange(w->type, &lo, &hi);
    if (zp < lo || zp > hi)
      return ctx.Invalid("%s '%s' has zero point %lld, outside the %s range", what, w->name,
                         static_cast<long long>(zp), DataTypeName(w->type));
  }
  return Status::Ok();
}

Status QuantizeMultiplierChecked(OpContext& ctx, double real, const char* what,
                                 int32_t* multiplier, int32_t* shift, int max_shift) {
  if (!(real >= 0.0) || !std::isfinite(real))
    return ctx.Invalid("%s multiplier %g must be finite and >= 0", what, real);
  int s = 0;
  quant::QuantizeMultiplier(real, multiplier, &s);
  if (s > max_shift)
    return ctx.Fail(StatusCode::kUnsupported, "%s multiplier %g is too large (> 2^%d)", what,
                    real, max_shift);
  *shift = s;
  return Status::Ok();
}

Status EnsureChannelArrays(OpContext& ctx, int32_t channels, ref::QuantConvParams* q,
                           int32_t* capacity) {
  if (q->multiplier != nullptr && *capacity >= channels) return Status::Ok();
  const size_t n = static_cast<size_t>(channels > 0 ? channels : 1);
  q->multiplier = static_cast<int32_t*>(ctx.AllocatePersistent(n * sizeof(int32_t)));
  q->shift = static_cast<int32_t*>(ctx.AllocatePersistent(n * sizeof(int32_t)));
  if (q->multiplier == nullptr || q->shift == nullptr)
    return ctx.Fail(StatusCode::kResourceExhausted, "out of memory for %d channel multipliers",
                    channels);
  *capacity = static_cast<int32_t>(n);
  return Status::Ok();
}

Status PrepareConvQuant(OpContext& ctx, const Tensor* input, const Tensor* filter,
                        const Tensor* bias, const Tensor* output, int activation,
                        int channel_dim, int32_t channels, ref::QuantConvParams* q,
                        int32_t* capacity) {
  const DataType type = input->type;
  if (output->type != type)
    return ctx.Fail(StatusCode::kUnsupported, "output '%s' has type %s; expected %s (the input type)",
                    output->name, DataTypeName(output->type), DataTypeName(type));
  const bool legacy_uint8 = type == DataType::kUInt8;
  const DataType want_filter = legacy_uint8 ? DataType::kUInt8 : DataType::kInt8;
  if (filter->type != want_filter)
    return ctx.Fail(StatusCode::kUnsupported, "filter '%s' has type %s; %s inputs need %s weights",
                    filter->name, DataTypeName(filter->type), DataTypeName(type),
                    DataTypeName(want_filter));
  EDGELITE_RETURN_IF_ERROR(CheckActivationQuant(ctx, input, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckActivationQuant(ctx, output, "output"));
  EDGELITE_RETURN_IF_ERROR(
      CheckWeightsQuant(ctx, filter, "filter", channel_dim, channels, !legacy_uint8));
  if (legacy_uint8 && filter->quant.per_channel())
    return ctx.Fail(StatusCode::kUnsupported,
                    "uint8 filter '%s' is quantized per channel; only int8 weights may be",
                    filter->name);
  if (bias) {
    const bool ok = type == DataType::kInt16
                        ? (bias->type == DataType::kInt32 || bias->type == DataType::kInt64)
                        : bias->type == DataType::kInt32;
    if (!ok)
      return ctx.Fail(StatusCode::kUnsupported, "bias '%s' has type %s; %s needs %s", bias->name,
                      DataTypeName(bias->type), DataTypeName(type),
                      type == DataType::kInt16 ? "int32 or int64" : "int32");
    for (int32_t i = 0; i < bias->quant.count; ++i)
      if (bias->quant.zero_point && bias->quant.zero_point[i] != 0)
        return ctx.Invalid("bias '%s' must have zero point 0", bias->name);
  }
  const float in_s = input->quant.scale[0], out_s = output->quant.scale[0];
  if (legacy_uint8 && bias && bias->quant.is_quantized()) {
    // TFLite's check that the bias scale is input_scale * filter_scale
    // (within 2% of the output scale).
    const double product = static_cast<double>(in_s) * filter->quant.scale[0];
    const double diff = std::fabs(product - static_cast<double>(bias->quant.scale[0]));
    if (diff / out_s > 0.02)
      return ctx.Invalid("bias '%s' scale %g is not input scale x filter scale (%g)", bias->name,
                         bias->quant.scale[0], product);
  }
  EDGELITE_RETURN_IF_ERROR(EnsureChannelArrays(ctx, channels, q, capacity));
  for (int32_t o = 0; o < channels; ++o) {
    const float f_s = filter->quant.scale[filter->quant.per_channel() ? o : 0];
    // uint8 (TFLite's GetQuantizedConvolutionMultipler) multiplies the two
    // scales in float; the per-channel path in double.
    const double real = legacy_uint8 ? static_cast<double>(in_s * f_s) / out_s
                                     : static_cast<double>(in_s) * f_s / out_s;
    EDGELITE_RETURN_IF_ERROR(
        QuantizeMultiplierChecked(ctx, real, "output", &q->multiplier[o], &q->shift[o],
                                  type == DataType::kInt16 ? kMaxShift64 : kMaxShift32));
  }
  q->input_offset = -quant::ZeroPoint(*input);
  q->weights_offset = legacy_uint8 ? -quant::ZeroPoint(*filter) : 0;
  q->output_offset = quant::ZeroPoint(*output);
  Status st = quant::ActivationRangeQuantized(activation, type, out_s, q->output_offset,
                                              &q->act_min, &q->act_max);
  if (!st.ok()) return ctx.Fail(StatusCode::kUnsupported, "%s", st.message().c_str());
  if (q->act_min > q->act_max)
    return ctx.Invalid("fused activation range is empty for output '%s'", output->name);
  return Status::Ok();
}

}  // namespace ops
}  // namespace edgelite
