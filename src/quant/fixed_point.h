// The project-wide integer requantization scheme (TFLite's quantization spec).
//
// A real multiplier M (e.g. input_scale * filter_scale / output_scale) is
// represented as a Q31 fixed-point `multiplier` in [2^30, 2^31) and a power of
// two `shift` (positive = left): M ~= multiplier * 2^(shift - 31).
//
// Applying it to an int32 accumulator uses, by default, TFLite's reference
// "double rounding":
//   x' = SaturatingRoundingDoublingHighMul(x * 2^max(shift,0), multiplier)
//   result = RoundingDivideByPOT(x', max(-shift, 0))
// (two roundings: the high multiply, then a rounding divide with ties away
// from zero, exactly as gemmlowp/TFLite's reference kernels do). With
// EDGELITE_SINGLE_ROUNDING defined at build time, TFLite's newer single
// rounding is used instead: one 64-bit multiply and one rounding shift.
// docs/numerics.md states which TFLite behaviour each function reproduces.
//
// Header-only, no dependencies: the micro profile and every kernel use it.
#ifndef EDGELITE_QUANT_FIXED_POINT_H_
#define EDGELITE_QUANT_FIXED_POINT_H_

#include <cstdint>
#include <limits>

namespace edgelite {
namespace quant {

// High 32 bits of 2*a*b, rounded to nearest (gemmlowp's nudge then a
// truncating division: ties go toward +infinity), saturating the single
// overflow case a == b == INT32_MIN.
inline int32_t SaturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  if (a == b && a == std::numeric_limits<int32_t>::min())
    return std::numeric_limits<int32_t>::max();
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  const int64_t nudge = ab >= 0 ? (int64_t{1} << 30) : (1 - (int64_t{1} << 30));
  // Division (not a shift) truncates toward zero, as the reference does.
  return static_cast<int32_t>((ab + nudge) / (int64_t{1} << 31));
}

// x / 2^exponent rounded to nearest, ties away from zero. exponent in [0, 31].
inline int32_t RoundingDivideByPOT(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((int64_t{1} << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

#if defined(EDGELITE_SINGLE_ROUNDING)
// TFLite's single-rounding variant (TFLITE_SINGLE_ROUNDING).
inline int32_t MultiplyByQuantizedMultiplier(int32_t x, int32_t multiplier, int shift) {
  const int total_shift = 31 - shift;
  const int64_t round = int64_t{1} << (total_shift - 1);
  int64_t result = static_cast<int64_t>(x) * multiplier + round;
  result >>= total_shift;
  if (result > std::numeric_limits<int32_t>::max()) return std::numeric_limits<int32_t>::max();
  if (result < std::numeric_limits<int32_t>::min()) return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(result);
}
#else
// TFLite's reference double rounding (the default).
inline int32_t MultiplyByQuantizedMultiplier(int32_t x, int32_t multiplier, int shift) {
  const int left = shift > 0 ? shift : 0;
  const int right = shift > 0 ? 0 : -shift;
  // x * 2^left may overflow int32 only for out-of-spec multipliers; the
  // reference kernels compute it in int32 with wrap-around, as we do.
  const int32_t shifted = static_cast<int32_t>(static_cast<uint32_t>(x) << left);
  return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(shifted, multiplier), right);
}
#endif

// Same, for a multiplier < 1 known to have shift <= 0 (TFLite's
// MultiplyByQuantizedMultiplierSmallerThanOneExp); kept for parity of names.
inline int32_t MultiplyByQuantizedMultiplierSmallerThanOne(int32_t x, int32_t multiplier,
                                                          int shift) {
  return MultiplyByQuantizedMultiplier(x, multiplier, shift);
}

// int64 accumulators (16x8 kernels): TFLite's MultiplyByQuantizedMultiplier
// overload for int64 input: the multiplier reduced to Q15, one rounding
// 64-bit multiply and shift (see quantization.cc).
int32_t MultiplyByQuantizedMultiplier64(int64_t x, int32_t multiplier, int shift);

// acc + bias for the int64 accumulators of the 16x8 kernels, saturating: a
// file's int64 bias can be anything (TFLite adds it with signed overflow), and
// MultiplyByQuantizedMultiplier64 clamps its input to +-2^47 anyway, so a
// saturated sum requantizes exactly like the true sum would.
inline int64_t AddBias64(int64_t acc, int64_t bias) {
  int64_t sum;
  if (__builtin_add_overflow(acc, bias, &sum)) return bias > 0 ? INT64_MAX : INT64_MIN;
  return sum;
}

}  // namespace quant
}  // namespace edgelite

#endif  // EDGELITE_QUANT_FIXED_POINT_H_
