// Fixed-point transcendental functions on raw int32 values, reproducing
// gemmlowp's fixedpoint.h (which TFLite's reference integer kernels use for
// SOFTMAX, LOG_SOFTMAX and friends) bit for bit.
//
// Notation: a "Qm" value has m integer bits (sign excluded) and 31 - m
// fractional bits: real = raw * 2^(m - 31). Multiplying a Qa by a Qb value is
// SaturatingRoundingDoublingHighMul of the raws and gives a Q(a+b) value.
// Additions wrap like gemmlowp's int32 adds (they never overflow in the
// ranges these functions use).
#ifndef EDGELITE_QUANT_FIXED_POINT_MATH_H_
#define EDGELITE_QUANT_FIXED_POINT_MATH_H_

#include <cstdint>
#include <limits>

#include "src/quant/fixed_point.h"

namespace edgelite {
namespace quant {
namespace fp {

constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();

inline int32_t Add(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}
inline int32_t Sub(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
}
inline int32_t Mul(int32_t a, int32_t b) { return SaturatingRoundingDoublingHighMul(a, b); }

// x * 2^exponent: saturating for exponent > 0, rounding (half away from
// zero) for exponent < 0.
inline int32_t SaturatingRoundingMultiplyByPOT(int32_t x, int exponent) {
  if (exponent == 0) return x;
  if (exponent < 0) return RoundingDivideByPOT(x, -exponent);
  const int32_t threshold = static_cast<int32_t>((int64_t{1} << (31 - exponent)) - 1);
  if (x > threshold) return kInt32Max;
  if (x < -threshold) return kInt32Min;
  return static_cast<int32_t>(static_cast<uint32_t>(x) << exponent);
}

// Changes a value from Q(src_bits) to Q(dst_bits).
inline int32_t Rescale(int32_t x, int src_bits, int dst_bits) {
  return SaturatingRoundingMultiplyByPOT(x, src_bits - dst_bits);
}

// (a + b) / 2 rounded half away from zero, without overflow.
inline int32_t RoundingHalfSum(int32_t a, int32_t b) {
  const int64_t sum = static_cast<int64_t>(a) + b;
  const int64_t sign = sum >= 0 ? 1 : -1;
  return static_cast<int32_t>((sum + sign) / 2);
}

// exp(a) for a Q0 value a in [-1/4, 0): Taylor expansion around -1/8. Q0 result.
inline int32_t ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(int32_t a) {
  const int32_t kExpMinusOneEighth = 1895147668;  // exp(-1/8) in Q0
  const int32_t kOneThird = 715827883;            // 1/3 in Q0
  const int32_t x = Add(a, int32_t{1} << 28);     // a + 1/8
  const int32_t x2 = Mul(x, x);
  const int32_t x3 = Mul(x2, x);
  const int32_t x4 = Mul(x2, x2);
  const int32_t x4_over_4 = SaturatingRoundingMultiplyByPOT(x4, -2);
  const int32_t poly =
      SaturatingRoundingMultiplyByPOT(Add(Mul(Add(x4_over_4, x3), kOneThird), x2), -1);
  return Add(kExpMinusOneEighth, Mul(kExpMinusOneEighth, Add(x, poly)));
}

// exp(a) for a <= 0 given in Q(integer_bits); Q0 result (exp(0) = the
// largest Q0 value). integer_bits in [0, 30].
inline int32_t ExpOnNegativeValues(int32_t a, int integer_bits) {
  const int fractional_bits = 31 - integer_bits;
  const int32_t one_quarter = int32_t{1} << (fractional_bits - 2);
  const int32_t mask = one_quarter - 1;
  const int32_t a_mod_quarter_minus_one_quarter = Sub(a & mask, one_quarter);
  int32_t result = ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(
      Rescale(a_mod_quarter_minus_one_quarter, integer_bits, 0));
  const int32_t remainder = Sub(a_mod_quarter_minus_one_quarter, a);
  // exp(-2^k) in Q0 for k = -2..4: multiply in the factors of the whole
  // quarters that were split off.
  static const int32_t kFactors[] = {1672461947, 1302514674, 790015084, 290630308,
                                     39332535,   720401,     242};
  for (int k = -2; k <= 4; ++k) {
    if (integer_bits > k) {
      const int shift = fractional_bits + k;
      if (remainder & (int32_t{1} << shift)) result = Mul(result, kFactors[k + 2]);
    }
  }
  if (integer_bits > 5) {
    const int32_t clamp = -(int32_t{1} << (36 - integer_bits));  // -32
    if (a < clamp) result = 0;
  }
  if (a == 0) result = kInt32Max;
  return result;
}

// 1 / (1 + a) for a Q0 value a in [0, 1): Newton-Raphson division. Q0 result.
inline int32_t OneOverOnePlusXForXIn01(int32_t a) {
  const int32_t half_denominator = RoundingHalfSum(a, kInt32Max);
  const int32_t k48Over17 = 1515870810;      // Q2
  const int32_t kNeg32Over17 = -1010580540;  // Q2
  const int32_t kOneQ2 = int32_t{1} << 29;
  int32_t x = Add(k48Over17, Mul(half_denominator, kNeg32Over17));  // Q2
  for (int i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_x = Mul(half_denominator, x);  // Q2
    const int32_t one_minus = Sub(kOneQ2, half_denominator_times_x);    // Q2
    x = Add(x, Rescale(Mul(x, one_minus), 4, 2));
  }
  // x / 2 reinterpreted as Q1, then brought to Q0.
  return Rescale(x, 1, 0);
}

// (1 - a) / (1 + a) for a Q0 value a in [0, 1). Q0 result.
inline int32_t OneMinusXOverOnePlusXForXIn01(int32_t a) {
  const int32_t half_denominator = RoundingHalfSum(a, kInt32Max);
  const int32_t k48Over17 = 1515870810;
  const int32_t kNeg32Over17 = -1010580540;
  const int32_t kOneQ2 = int32_t{1} << 29;
  int32_t x = Add(k48Over17, Mul(half_denominator, kNeg32Over17));
  for (int i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_x = Mul(half_denominator, x);
    const int32_t one_minus = Sub(kOneQ2, half_denominator_times_x);
    x = Add(x, Rescale(Mul(x, one_minus), 4, 2));
  }
  return Rescale(Sub(x, kOneQ2), 2, 0);
}

// Number of leading zero bits of a 32-bit value (32 for 0).
inline int CountLeadingZeros32(uint32_t x) {
  int n = 0;
  for (uint32_t bit = uint32_t{1} << 31; bit != 0 && (x & bit) == 0; bit >>= 1) ++n;
  return n;
}

// TFLite's GetReciprocal: for x > 0 in Q(x_integer_digits), a Q0 value s and
// *num_bits_over_unit such that 1/x = s * 2^-num_bits_over_unit.
inline int32_t GetReciprocal(int32_t x, int x_integer_digits, int* num_bits_over_unit) {
  const int headroom_plus_one = CountLeadingZeros32(static_cast<uint32_t>(x));
  *num_bits_over_unit = x_integer_digits - headroom_plus_one;
  const int32_t shifted_minus_one =
      static_cast<int32_t>((static_cast<uint32_t>(x) << headroom_plus_one) - (uint32_t{1} << 31));
  return OneOverOnePlusXForXIn01(shifted_minus_one);
}

inline int32_t SaturatingAdd32(int32_t a, int32_t b) {
  const int64_t r = static_cast<int64_t>(a) + b;
  return static_cast<int32_t>(r > kInt32Max ? kInt32Max : r < kInt32Min ? kInt32Min : r);
}
inline int32_t SaturatingSub32(int32_t a, int32_t b) {
  const int64_t r = static_cast<int64_t>(a) - b;
  return static_cast<int32_t>(r > kInt32Max ? kInt32Max : r < kInt32Min ? kInt32Min : r);
}

// log(x) for x >= 1 given in Q(input_bits); result in Q(output_bits).
// TFLite's log_x_for_x_greater_than_or_equal_to_1: x = 2^z * r with r in
// [sqrt(1/2), sqrt(2)) picked from two candidate normalisations, then a
// rational approximation of log(r) around 2^-1/4, accumulated with one
// extra integer bit.
inline int32_t LogXForXGreaterThanOrEqualTo1(int32_t x, int input_bits, int output_bits) {
  const int accum_bits = output_bits + 1;
  const int32_t kLog2 = 1488522236;          // log(2) in Q0
  const int32_t kSqrtSqrtHalf = 1805811301;  // 2^-1/4
  const int32_t kSqrtHalf = 1518500250;      // 2^-1/2
  const int32_t kOneQuarter = 536870912;
  const int32_t kAlphaN = 117049297;   // 11/240 * 2^1/4
  const int32_t kAlphaD = 127690142;   // 1/20 * 2^1/4
  const int32_t kAlphaI = 1057819769;  // 2 / 2^1/4 - 2^1/4
  const int32_t kAlphaF = 638450708;   // 1/4 * 2^1/4
  const int32_t shifted_quarter = Rescale(kOneQuarter, 0, accum_bits);
  // Candidate a: normalise x, then scale by sqrt(1/2).
  const int z_a_headroom_plus_1 = CountLeadingZeros32(static_cast<uint32_t>(x));
  const int32_t r_a_tmp = SaturatingRoundingMultiplyByPOT(x, z_a_headroom_plus_1 - 1);
  const int32_t r_a = SaturatingRoundingMultiplyByPOT(Mul(r_a_tmp, kSqrtHalf), 1);
  const int32_t z_a_pow_2_adj = SaturatingAdd32(
      SaturatingRoundingMultiplyByPOT(input_bits - z_a_headroom_plus_1, 31 - accum_bits),
      shifted_quarter);
  // Candidate b: x * sqrt(1/2) normalised.
  const int32_t z_b = Mul(x, kSqrtHalf);
  const int z_b_headroom = CountLeadingZeros32(static_cast<uint32_t>(z_b)) - 1;
  const int32_t r_b = SaturatingRoundingMultiplyByPOT(x, z_b_headroom);
  const int32_t z_b_pow_2_adj = SaturatingSub32(
      SaturatingRoundingMultiplyByPOT(input_bits - z_b_headroom, 31 - accum_bits), shifted_quarter);
  const int32_t r = r_a < r_b ? r_a : r_b;
  const int32_t z_pow_2_adj = z_a_pow_2_adj > z_b_pow_2_adj ? z_a_pow_2_adj : z_b_pow_2_adj;
  const int32_t p = RoundingHalfSum(r, kSqrtSqrtHalf);
  int32_t q = Sub(r, kSqrtSqrtHalf);
  q = Add(q, q);
  const int32_t common_sq = Mul(q, q);
  const int32_t num = Add(Mul(q, r), Mul(Mul(q, common_sq), kAlphaN));
  const int32_t denom_minus_one =
      Add(Mul(p, Add(Add(kAlphaI, q), Mul(kAlphaD, common_sq))), Mul(kAlphaF, q));
  const int32_t recip_denom = OneOverOnePlusXForXIn01(denom_minus_one);
  const int32_t num_scaled = Rescale(num, 0, accum_bits);
  return Rescale(Add(Mul(z_pow_2_adj, kLog2), Mul(num_scaled, recip_denom)), accum_bits,
                 output_bits);
}

}  // namespace fp
}  // namespace quant
}  // namespace edgelite

#endif  // EDGELITE_QUANT_FIXED_POINT_MATH_H_
