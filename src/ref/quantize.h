// Reference QUANTIZE / DEQUANTIZE / requantize kernels (TFLite's reference
// semantics):
//   quantize    q = clamp(round_half_away(v / scale) + zero_point)   (float division)
//   dequantize  v = float(double(scale) * (q - zero_point))           (per tensor)
//               v = float(scale[c] * (q - zero_point[c]))             (per channel, float)
//   requantize  q' = clamp(MultiplyByQuantizedMultiplier(q - zp_in, m, s) + zp_out)
#ifndef EDGELITE_REF_QUANTIZE_H_
#define EDGELITE_REF_QUANTIZE_H_

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>

#include "edgelite/tensor.h"
#include "src/quant/fixed_point.h"
#include "src/quant/quantization.h"

namespace edgelite {
namespace ref {

template <typename OutT>
inline void AffineQuantize(const float* input, int64_t n, float scale, int32_t zero_point,
                           DataType out_type, OutT* output) {
  for (int64_t i = 0; i < n; ++i)
    output[i] = static_cast<OutT>(quant::QuantizeValue(input[i], scale, zero_point, out_type));
}

// Per-channel along `axis`: the element's channel is (i / inner) % channels,
// inner = product of the dims after `axis`.
template <typename OutT>
inline void PerChannelQuantize(const float* input, const Shape& shape, int axis,
                               const float* scales, const int64_t* zero_points,
                               bool per_channel_zero_points, DataType out_type, OutT* output) {
  const int64_t channels = shape[axis];
  const int64_t inner = shape.FlatSize(axis + 1, shape.rank);
  const int64_t n = shape.NumElements();
  for (int64_t i = 0; i < n; ++i) {
    const int64_t c = (i / inner) % channels;
    const int32_t zp = static_cast<int32_t>(zero_points[per_channel_zero_points ? c : 0]);
    output[i] = static_cast<OutT>(quant::QuantizeValue(input[i], scales[c], zp, out_type));
  }
}

template <typename InT>
inline void Dequantize(const InT* input, int64_t n, float scale, int32_t zero_point,
                       float* output) {
  const double s = scale;
  for (int64_t i = 0; i < n; ++i)
    output[i] = static_cast<float>(s * (static_cast<int32_t>(input[i]) - zero_point));
}

template <typename InT>
inline void PerChannelDequantize(const InT* input, const Shape& shape, int axis,
                                 const float* scales, const int64_t* zero_points,
                                 bool per_channel_zero_points, float* output) {
  const int64_t channels = shape[axis];
  const int64_t inner = shape.FlatSize(axis + 1, shape.rank);
  const int64_t n = shape.NumElements();
  for (int64_t i = 0; i < n; ++i) {
    const int64_t c = (i / inner) % channels;
    const int32_t zp = static_cast<int32_t>(zero_points[per_channel_zero_points ? c : 0]);
    output[i] = static_cast<float>(scales[c] * static_cast<float>(static_cast<int32_t>(input[i]) - zp));
  }
}

// IEEE half (binary16) bits to float, exact for every value (subnormals,
// infinities and NaN included).
inline float HalfToFloat(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exp = (h >> 10) & 0x1Fu;
  uint32_t mant = h & 0x3FFu;
  uint32_t bits;
  if (exp == 0x1F) {
    bits = sign | 0x7F800000u | (mant << 13);  // inf / NaN
  } else if (exp != 0) {
    bits = sign | ((exp + 112u) << 23) | (mant << 13);  // 112 = 127 - 15
  } else if (mant == 0) {
    bits = sign;  // +-0
  } else {
    // Subnormal: normalise the mantissa.
    uint32_t e = 113;  // exponent of 2^-14 in float bias, before shifting
    while ((mant & 0x400u) == 0) {
      mant <<= 1;
      --e;
    }
    bits = sign | (e << 23) | ((mant & 0x3FFu) << 13);
  }
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

inline void DequantizeFloat16(const uint16_t* input, int64_t n, float* output) {
  for (int64_t i = 0; i < n; ++i) output[i] = HalfToFloat(input[i]);
}

template <typename InT, typename OutT>
inline void Requantize(const InT* input, int64_t n, int32_t multiplier, int shift,
                       int32_t in_zero_point, int32_t out_zero_point, DataType out_type,
                       OutT* output) {
  int32_t lo, hi;
  quant::TypeRange(out_type, &lo, &hi);
  for (int64_t i = 0; i < n; ++i) {
    // int64 difference saturated to int32: only an int32 input can exceed it.
    const int64_t d = static_cast<int64_t>(input[i]) - in_zero_point;
    const int32_t v = static_cast<int32_t>(std::min<int64_t>(
        std::max<int64_t>(d, std::numeric_limits<int32_t>::min()), std::numeric_limits<int32_t>::max()));
    const int32_t r = quant::MultiplyByQuantizedMultiplier(v, multiplier, shift) + out_zero_point;
    output[i] = static_cast<OutT>(std::min(std::max(r, lo), hi));
  }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_QUANTIZE_H_
