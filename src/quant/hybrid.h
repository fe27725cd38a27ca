// On-the-fly quantization of float activations for hybrid (dynamic-range)
// kernels: float inputs, int8 weights. Reproduces TFLite's portable
// SymmetricQuantizeFloats / AsymmetricQuantizeFloats exactly (same float
// and double arithmetic, same rounding), so the int8 values and scales match.
#ifndef EDGELITE_QUANT_HYBRID_H_
#define EDGELITE_QUANT_HYBRID_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace edgelite {
namespace quant {

// Symmetric: scale = max|v| / 127, q = round(v / scale) in [-127, 127].
// An all-zero input gives q = 0 and scale 1.
inline void SymmetricQuantizeFloats(const float* values, int64_t size, int8_t* quantized,
                                    float* scaling_factor) {
  constexpr int32_t kScale = 127;
  float lo = 0.0f, hi = 0.0f;
  if (size > 0) {
    lo = hi = values[0];
    for (int64_t i = 1; i < size; ++i) {
      lo = std::min(lo, values[i]);
      hi = std::max(hi, values[i]);
    }
  }
  const float range = std::max(std::fabs(lo), std::fabs(hi));
  if (range == 0.0f) {
    if (size > 0) memset(quantized, 0, static_cast<size_t>(size));
    *scaling_factor = 1.0f;
    return;
  }
  *scaling_factor = range / kScale;
  const float inv = kScale / range;
  for (int64_t i = 0; i < size; ++i) {
    const float r = std::round(values[i] * inv);
    // Clamp in float first: NaN or huge values must not reach the int cast.
    const float c = std::min(static_cast<float>(kScale), std::max(-static_cast<float>(kScale), r));
    quantized[i] = static_cast<int8_t>(c == c ? static_cast<int32_t>(c) : 0);
  }
}

// Asymmetric: the range [min(0, lo), max(0, hi)] mapped onto [-128, 127]
// with a nudged integer zero point `offset`; q = round(offset + v / scale).
// A constant-zero input gives q = 0, scale 1, offset 0.
inline void AsymmetricQuantizeFloats(const float* values, int64_t size, int8_t* quantized,
                                     float* scaling_factor, int32_t* offset) {
  constexpr int32_t kMin = -128, kMax = 127;
  const double qmin = kMin, qmax = kMax;
  float lo = 0.0f, hi = 0.0f;
  if (size > 0) {
    lo = hi = values[0];
    for (int64_t i = 1; i < size; ++i) {
      lo = std::min(lo, values[i]);
      hi = std::max(hi, values[i]);
    }
  }
  const double rmin = static_cast<double>(std::min(0.0f, lo));
  const double rmax = static_cast<double>(std::max(0.0f, hi));
  if (rmin == rmax) {
    if (size > 0) memset(quantized, 0, static_cast<size_t>(size));
    *scaling_factor = 1.0f;
    *offset = 0;
    return;
  }
  const double scale = (rmax - rmin) / (qmax - qmin);
  const double zp_from_min = qmin - rmin / scale;
  const double zp_from_max = qmax - rmax / scale;
  const double err_min = std::fabs(qmin) + std::fabs(rmin / scale);
  const double err_max = std::fabs(qmax) + std::fabs(rmax / scale);
  const double zp = err_min < err_max ? zp_from_min : zp_from_max;
  int32_t nudged;
  if (zp <= qmin) {
    nudged = kMin;
  } else if (zp >= qmax) {
    nudged = kMax;
  } else {
    nudged = static_cast<int32_t>(std::round(zp));
  }
  *scaling_factor = static_cast<float>(scale);
  *offset = nudged;
  const float inv = 1.0f / *scaling_factor;
  for (int64_t i = 0; i < size; ++i) {
    const float r = std::round(static_cast<float>(nudged) + values[i] * inv);
    const float c = std::min(static_cast<float>(kMax), std::max(static_cast<float>(kMin), r));
    quantized[i] = static_cast<int8_t>(c == c ? static_cast<int32_t>(c) : 0);
  }
}

}  // namespace quant
}  // namespace edgelite

#endif  // EDGELITE_QUANT_HYBRID_H_
