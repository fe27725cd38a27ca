// Reference integer kernels of quantized activations (int8/uint8/int16),
// bit-exact with TFLite's reference kernels. Parameters are computed once
// in the op's prepare.
#ifndef EDGELITE_REF_QUANTIZED_ACTIVATIONS_H_
#define EDGELITE_REF_QUANTIZED_ACTIVATIONS_H_

#include <algorithm>
#include <cstdint>
#include <limits>

#include "src/quant/fixed_point.h"
#include "src/quant/fixed_point_math.h"

namespace edgelite {
namespace ref {

// LEAKY_RELU: inputs >= zero point are rescaled by s_in/s_out, the others by
// alpha*s_in/s_out (alpha may be negative: its multiplier is kept positive
// and the sign applied after the multiply, as TFLite does).
struct QuantizedLeakyReluParams {
  int32_t input_offset = 0, output_offset = 0;  // the zero points
  int32_t identity_multiplier = 0, alpha_multiplier = 0;
  int identity_shift = 0, alpha_shift = 0;
  bool alpha_negative = false;
};

template <typename T>
inline T QuantizedLeakyRelu(T x, const QuantizedLeakyReluParams& p) {
  const int32_t v = static_cast<int32_t>(x) - p.input_offset;
  int32_t out = p.output_offset;
  if (v >= 0) {
    out += quant::MultiplyByQuantizedMultiplier(v, p.identity_multiplier, p.identity_shift);
  } else {
    const int32_t scaled =
        quant::MultiplyByQuantizedMultiplier(v, p.alpha_multiplier, p.alpha_shift);
    out += p.alpha_negative ? -scaled : scaled;
  }
  const int32_t lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
  return static_cast<T>(std::min(hi, std::max(lo, out)));
}

// TFLite's fixed-point 1/sqrt (GetInvSqrtQuantizedMultiplierExp): for an
// integer input > 1, a Q0 multiplier and a left shift with
// 1/sqrt(input) ~= multiplier * 2^(shift - 31). Inputs 0 and 1 give
// (INT32_MAX, 0).
inline void InvSqrtQuantizedMultiplier(int32_t input, int32_t* multiplier, int* shift) {
  if (input <= 1) {
    *multiplier = std::numeric_limits<int32_t>::max();
    *shift = 0;
    return;
  }
  int right_shift = 11;
  while (input >= (1 << 29)) {
    input /= 4;
    ++right_shift;
  }
  // Normalise input into [2^27, 2^29) by pairs of bits.
  const int max_left_shift_bits = quant::fp::CountLeadingZeros32(static_cast<uint32_t>(input)) - 1;
  const int left_shift_bit_pairs = max_left_shift_bits / 2 - 1;
  right_shift -= left_shift_bit_pairs;
  input <<= 2 * left_shift_bit_pairs;
  // Newton-Raphson on Q3 values: x <- 1.5 x - (input/2) x^3, from x = 1.
  using quant::fp::Mul;
  using quant::fp::Rescale;
  const int32_t q3_input = input >> 1;
  const int32_t half_input = quant::fp::SaturatingRoundingMultiplyByPOT(q3_input, -1);
  const int32_t three_halves = (1 << 28) + (1 << 27);  // 1.5 in Q3
  int32_t x = 1 << 28;                                 // 1.0 in Q3
  for (int i = 0; i < 5; ++i) {
    const int32_t x3 = Rescale(Mul(Mul(x, x), x), 9, 3);
    x = Rescale(quant::fp::Sub(Mul(three_halves, x), Mul(half_input, x3)), 6, 3);
  }
  const int32_t half_sqrt_2 = 1518500250;  // sqrt(2)/2 in Q0
  x = Mul(x, half_sqrt_2);
  if (right_shift < 0) {
    x = static_cast<int32_t>(static_cast<uint32_t>(x) << -right_shift);
    right_shift = 0;
  }
  *multiplier = x;
  *shift = -right_shift;
}

// RSQRT int8: (q - z_in) -> 1/sqrt, then rescaled by 1/(sqrt(s_in) s_out).
struct QuantizedRsqrtParams {
  int32_t input_offset = 0, output_offset = 0;  // zero points
  int32_t multiplier = 0;                       // 1 / (sqrt(s_in) * s_out)
  int shift = 0;
};

inline int8_t QuantizedRsqrtInt8(int8_t q, const QuantizedRsqrtParams& p) {
  const int32_t value = static_cast<int32_t>(q) - p.input_offset;
  if (value == 0) return std::numeric_limits<int8_t>::max();  // 1/sqrt(0): the largest output
  constexpr int kShift = 20;  // keeps 1/sqrt(value) an integer with 20 fractional bits
  int32_t inv_multiplier;
  int inv_shift;
  InvSqrtQuantizedMultiplier(value, &inv_multiplier, &inv_shift);
  const int32_t scaled =
      quant::MultiplyByQuantizedMultiplier(1, inv_multiplier, inv_shift + kShift);
  const int32_t out = quant::MultiplyByQuantizedMultiplier(scaled, p.multiplier, p.shift - kShift) +
                      p.output_offset;
  return static_cast<int8_t>(std::min<int32_t>(std::max<int32_t>(out, -128), 127));
}

// PRELU: (x - z_x) rescaled by s_x/s_out where x >= z_x, else
// (x - z_x)(alpha - z_alpha) rescaled by s_x s_alpha / s_out.
struct QuantizedPreluParams {
  int32_t input_offset = 0, alpha_offset = 0, output_offset = 0;  // -z_x, -z_alpha, z_out
  int32_t identity_multiplier = 0, alpha_multiplier = 0;
  int identity_shift = 0, alpha_shift = 0;
};

template <typename T>
inline T QuantizedPrelu(T x, T alpha, const QuantizedPreluParams& p) {
  const int32_t v = p.input_offset + static_cast<int32_t>(x);
  int32_t out;
  if (v >= 0) {
    out = quant::MultiplyByQuantizedMultiplier(v, p.identity_multiplier, p.identity_shift);
  } else {
    const int32_t a = p.alpha_offset + static_cast<int32_t>(alpha);
    out = quant::MultiplyByQuantizedMultiplier(v * a, p.alpha_multiplier, p.alpha_shift);
  }
  out += p.output_offset;
  const int32_t lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
  return static_cast<T>(std::min(hi, std::max(lo, out)));
}

// HARD_SWISH x * relu6(x + 3) / 6 on int8/uint8, TFLite's reference
// int16 fixed-point kernel: the input is moved to a 128x finer scale, a
// "reluish" factor relu6(x + 3)/6 is formed in Q0.15 via a 16-bit
// multiplier, multiplied with the input rescaled to the output scale.
struct QuantizedHardSwishParams {
  int32_t input_zero_point = 0, output_zero_point = 0;
  int16_t output_multiplier = 0, reluish_multiplier = 0;  // Q0.15
  int output_exponent = 0, reluish_exponent = 0;
};

// gemmlowp's int16 SaturatingRoundingDoublingHighMul.
inline int16_t SaturatingRoundingDoublingHighMul16(int16_t a, int16_t b) {
  if (a == b && a == std::numeric_limits<int16_t>::min())
    return std::numeric_limits<int16_t>::max();
  const int32_t ab = static_cast<int32_t>(a) * b;
  const int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  return static_cast<int16_t>((ab + nudge) / (1 << 15));
}

// Doubling high multiply without rounding (truncating division), as
// TFLite's hard-swish kernel uses for its last product.
inline int16_t SaturatingDoublingHighMul16(int16_t a, int16_t b) {
  if (a == b && a == std::numeric_limits<int16_t>::min())
    return std::numeric_limits<int16_t>::max();
  return static_cast<int16_t>((static_cast<int32_t>(a) * b) / (1 << 15));
}

inline int16_t SaturatingLeftShift16(int16_t v, int amount) {
  const int64_t r = static_cast<int64_t>(v) * (int64_t{1} << amount);
  return static_cast<int16_t>(std::min<int64_t>(std::max<int64_t>(r, -32768), 32767));
}

template <typename T>
inline T QuantizedHardSwish(T q, const QuantizedHardSwishParams& p) {
  const int16_t x = static_cast<int16_t>(static_cast<int32_t>(q) - p.input_zero_point);
  const int16_t hires = static_cast<int16_t>(x * (1 << 7));
  const int16_t on_output_scale = SaturatingRoundingDoublingHighMul16(hires, p.output_multiplier);
  int16_t reluish = hires;
  if (p.reluish_exponent > 0) reluish = SaturatingLeftShift16(reluish, p.reluish_exponent - 1);
  reluish = SaturatingRoundingDoublingHighMul16(reluish, p.reluish_multiplier);
  if (p.reluish_exponent > 0) reluish = SaturatingLeftShift16(reluish, 1);
  if (p.reluish_exponent < 0)
    reluish = static_cast<int16_t>(quant::RoundingDivideByPOT(reluish, -p.reluish_exponent));
  // From [-1, 1] (Q0.15) to [0, 1].
  reluish = static_cast<int16_t>((static_cast<int32_t>(reluish) + (1 << 15)) >> 1);
  const int16_t pre = SaturatingDoublingHighMul16(reluish, on_output_scale);
  int16_t out = static_cast<int16_t>(quant::RoundingDivideByPOT(pre, -p.output_exponent));
  out = static_cast<int16_t>(out + p.output_zero_point);
  const int16_t lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
  return static_cast<T>(std::max(lo, std::min(hi, out)));
}

// A Q31 multiplier rounded to Q15 (saturating), as TFLite's
// DownScaleInt32ToInt16Multiplier.
inline int16_t DownScaleMultiplierToInt16(int32_t m) {
  constexpr int32_t kRounding = 1 << 15;
  if (m >= std::numeric_limits<int32_t>::max() - kRounding)
    return std::numeric_limits<int16_t>::max();
  return static_cast<int16_t>((m + kRounding) >> 16);
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_QUANTIZED_ACTIVATIONS_H_
