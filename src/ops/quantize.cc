// QUANTIZE: float32 -> int8/uint8/int16 (per-tensor, or per-channel along the
// output's quantized_dimension), and requantization between integer types
// with different parameters (int8/uint8 -> int8/uint8/int16, int16 ->
// int8/int16/int32, int32 -> int8/int16), as TFLite's reference kernels:
//   quantize    q = clamp(round_half_away(v / scale) + zero_point)
//   requantize  q' = clamp(MBQM(q - zp_in, in_scale/out_scale) + zp_out)
#include <cmath>

#include "src/kernels/quantize/quantize_f32.h"
#include "src/ops/conv_quant_util.h"
#include "src/ops/op_util.h"
#include "src/quant/quantization.h"
#include "src/ref/quantize.h"

namespace edgelite {
namespace ops {
namespace {

struct QuantizeData {
  int32_t multiplier = 0;
  int32_t shift = 0;
  // 8-bit to 8-bit requantization: the reference's result for each of the 256 inputs, computed
  // in Prepare (the output depends on the input byte only).
  bool use_lut = false;
  uint8_t lut[256] = {};
};

template <typename InT, typename OutT>
void FillLut(QuantizeData* d, int32_t zi, int32_t zo, DataType out_type) {
  InT in[256];
  OutT out[256];
  for (int i = 0; i < 256; ++i) in[i] = static_cast<InT>(static_cast<uint8_t>(i));
  ref::Requantize(in, 256, d->multiplier, d->shift, zi, zo, out_type, out);
  for (int i = 0; i < 256; ++i) d->lut[i] = static_cast<uint8_t>(out[i]);
}

// Chooses the table for 8-bit input and output (validated parameters already in *d).
void PrepareLut(QuantizeData* d, const Tensor* input, const Tensor* output) {
  d->use_lut = false;
  const bool in8 = input->type == DataType::kInt8 || input->type == DataType::kUInt8;
  const bool out8 = output->type == DataType::kInt8 || output->type == DataType::kUInt8;
  if (!in8 || !out8) return;
  const int32_t zi = quant::ZeroPoint(*input), zo = quant::ZeroPoint(*output);
  if (input->type == DataType::kInt8) {
    if (output->type == DataType::kInt8) FillLut<int8_t, int8_t>(d, zi, zo, output->type);
    else FillLut<int8_t, uint8_t>(d, zi, zo, output->type);
  } else {
    if (output->type == DataType::kInt8) FillLut<uint8_t, int8_t>(d, zi, zo, output->type);
    else FillLut<uint8_t, uint8_t>(d, zi, zo, output->type);
  }
  d->use_lut = true;
}

bool RequantizeSupported(DataType in, DataType out) {
  switch (in) {
    case DataType::kInt8:
    case DataType::kUInt8:
      return out == DataType::kInt8 || out == DataType::kUInt8 || out == DataType::kInt16;
    case DataType::kInt16:
      return out == DataType::kInt8 || out == DataType::kInt16 || out == DataType::kInt32;
    case DataType::kInt32:
      return out == DataType::kInt8 || out == DataType::kInt16;
    default:
      return false;
  }
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  Tensor *input, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &input));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  QuantizeData* d = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &d));
  const Quantization& oq = output->quant;
  if (!oq.is_quantized() || oq.scale == nullptr)
    return ctx.Invalid("output '%s' has no quantization parameters", output->name);
  if (input->type == DataType::kFloat32) {
    if (!IsQuantizedActivationType(output->type))
      return ctx.Fail(StatusCode::kUnsupported,
                      "quantizing float32 to %s is not supported (int8, uint8, int16 are)",
                      DataTypeName(output->type));
    if (oq.per_channel()) {
      const int32_t axis = oq.quantized_dimension;
      if (axis < 0 || axis >= input->shape.rank || input->shape[axis] != oq.count)
        return ctx.Invalid("output '%s' has %d scales along dimension %d, which does not match "
                           "the shape", output->name, oq.count, axis);
      int32_t lo, hi;
      quant::TypeRange(output->type, &lo, &hi);
      for (int32_t i = 0; i < oq.count; ++i) {
        if (!(oq.scale[i] > 0.0f) || !std::isfinite(oq.scale[i]))
          return ctx.Invalid("output '%s' scale %g at %d must be finite and > 0", output->name,
                             oq.scale[i], i);
        const int64_t zp = oq.zero_point ? oq.zero_point[i] : 0;
        if (zp < lo || zp > hi)
          return ctx.Invalid("output '%s' zero point %lld is outside the %s range", output->name,
                             static_cast<long long>(zp), DataTypeName(output->type));
      }
    } else {
      EDGELITE_RETURN_IF_ERROR(CheckActivationQuant(ctx, output, "output", false));
    }
  } else {
    if (!RequantizeSupported(input->type, output->type))
      return ctx.Fail(StatusCode::kUnsupported, "requantizing %s to %s is not supported",
                      DataTypeName(input->type), DataTypeName(output->type));
    const bool int16_pair = input->type == DataType::kInt16 && output->type == DataType::kInt16;
    if (input->type != DataType::kInt32)
      EDGELITE_RETURN_IF_ERROR(CheckActivationQuant(ctx, input, "input", int16_pair));
    else if (!input->quant.is_quantized() || !(input->quant.scale[0] > 0.0f))
      return ctx.Invalid("input '%s' needs a positive scale", input->name);
    if (output->type != DataType::kInt32)
      EDGELITE_RETURN_IF_ERROR(CheckActivationQuant(ctx, output, "output", int16_pair));
    else if (!(oq.scale[0] > 0.0f) || oq.per_channel())
      return ctx.Invalid("output '%s' needs one positive scale", output->name);
    const double real = static_cast<double>(quant::Scale(*input)) / quant::Scale(*output);
    EDGELITE_RETURN_IF_ERROR(
        QuantizeMultiplierChecked(ctx, real, "requantization", &d->multiplier, &d->shift,
                                  kMaxShift32));
    PrepareLut(d, input, output);
  }
  return ctx.ResizeOutput(output, input->shape);
}

template <typename OutT>
void QuantizeFloat(const Tensor* input, Tensor* output) {
  const Quantization& oq = output->quant;
  if (oq.per_channel()) {
    // One zero point for all channels is broadcast, as TFLite does.
    const bool per_channel_zp = oq.zero_point != nullptr;
    static const int64_t kZero = 0;
    ref::PerChannelQuantize(input->data_as<float>(), input->shape, oq.quantized_dimension,
                            oq.scale, oq.zero_point ? oq.zero_point : &kZero, per_channel_zp,
                            output->type, output->data_as<OutT>());
  } else {
    // Per-tensor: the vectorized kernel (same values as ref::AffineQuantize).
    namespace kq = kernels::quantize;
    kq::QuantizeArgs a;
    a.scale = oq.scale[0];
    a.zero_point = quant::ZeroPoint(*output);
    quant::TypeRange(output->type, &a.lo, &a.hi);
    a.out_bytes = static_cast<int>(sizeof(OutT));
    kq::SelectQuantize()(a, input->data_as<float>(), input->num_elements(), output->data);
  }
}

template <typename InT>
void RequantizeFrom(const QuantizeData& d, const Tensor* input, Tensor* output) {
  const int64_t n = input->num_elements();
  const int32_t zi = quant::ZeroPoint(*input), zo = quant::ZeroPoint(*output);
  const InT* in = input->data_as<InT>();
  switch (output->type) {
    case DataType::kInt8:
      ref::Requantize(in, n, d.multiplier, d.shift, zi, zo, output->type, output->data_as<int8_t>());
      break;
    case DataType::kUInt8:
      ref::Requantize(in, n, d.multiplier, d.shift, zi, zo, output->type, output->data_as<uint8_t>());
      break;
    case DataType::kInt16:
      ref::Requantize(in, n, d.multiplier, d.shift, zi, zo, output->type, output->data_as<int16_t>());
      break;
    default:
      ref::Requantize(in, n, d.multiplier, d.shift, zi, zo, output->type, output->data_as<int32_t>());
      break;
  }
}

Status Eval(OpContext& ctx) {
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  const auto& d = *static_cast<const QuantizeData*>(ctx.user_data());
  switch (input->type) {
    case DataType::kFloat32:
      switch (output->type) {
        case DataType::kInt8: QuantizeFloat<int8_t>(input, output); break;
        case DataType::kUInt8: QuantizeFloat<uint8_t>(input, output); break;
        default: QuantizeFloat<int16_t>(input, output); break;
      }
      break;
    case DataType::kInt8:
    case DataType::kUInt8:
      if (d.use_lut) {
        const uint8_t* in = input->data_as<uint8_t>();
        uint8_t* out = output->data_as<uint8_t>();
        const int64_t n = input->num_elements();
        for (int64_t i = 0; i < n; ++i) out[i] = d.lut[in[i]];
        break;
      }
      if (input->type == DataType::kInt8) RequantizeFrom<int8_t>(d, input, output);
      else RequantizeFrom<uint8_t>(d, input, output);
      break;
    case DataType::kInt16: RequantizeFrom<int16_t>(d, input, output); break;
    default: RequantizeFrom<int32_t>(d, input, output); break;
  }
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_QUANTIZE() {
  static const OpRegistration reg = {"QUANTIZE", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
