// Fixed-point logistic and tanh on raw int16 values, reproducing gemmlowp's
// fixedpoint.h instantiated for std::int16_t bit for bit. TFLite's integer
// LSTM (8x8_16: int8 activations and weights, int16 gates and cell state)
// applies these to its Q3.12 gate pre-activations and to the cell state.
//
// Notation as in fixed_point_math.h, for 16-bit raws: a "Qm" value has m
// integer bits (sign excluded) and 15 - m fractional bits. The int16 flavour
// differs from the int32 one in three ways that matter for exactness:
//   - constants are the int32 ones divided by 2^16 with rounding;
//   - plain additions wrap to 16 bits (the sum is computed in int and
//     narrowed), except the final add of the exp polynomial, which saturates;
//   - the doubling high multiply keeps the high 16 bits of 2ab.
#ifndef EDGELITE_QUANT_FIXED_POINT_INT16_H_
#define EDGELITE_QUANT_FIXED_POINT_INT16_H_

#include <cstdint>

#include "src/quant/fixed_point.h"

namespace edgelite {
namespace quant {
namespace fp16 {

inline int16_t Wrap(int32_t v) { return static_cast<int16_t>(static_cast<uint16_t>(v)); }
inline int16_t Add(int16_t a, int16_t b) { return Wrap(int32_t{a} + b); }
inline int16_t Sub(int16_t a, int16_t b) { return Wrap(int32_t{a} - b); }
inline int16_t Neg(int16_t a) { return Wrap(-int32_t{a}); }

inline int16_t SaturatingAdd(int16_t a, int16_t b) {
  const int32_t s = int32_t{a} + b;
  return static_cast<int16_t>(s > 32767 ? 32767 : (s < -32768 ? -32768 : s));
}

// High 16 bits of 2ab rounded to nearest (ties toward +infinity via the
// nudge and a truncating division); -32768 * -32768 saturates.
inline int16_t Mul(int16_t a, int16_t b) {
  if (a == b && a == -32768) return 32767;
  const int32_t ab = int32_t{a} * b;
  const int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  return Wrap((ab + nudge) / (1 << 15));
}

// x / 2^exponent rounded to nearest, ties away from zero.
inline int16_t RoundingDivideByPOT(int16_t x, int exponent) {
  const int32_t mask = (1 << exponent) - 1;
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return Wrap((int32_t{x} >> exponent) + (remainder > threshold ? 1 : 0));
}

// x * 2^exponent, saturating for exponent > 0, rounding for exponent < 0.
inline int16_t SaturatingRoundingMultiplyByPOT(int16_t x, int exponent) {
  if (exponent == 0) return x;
  if (exponent < 0) return RoundingDivideByPOT(x, -exponent);
  const int32_t threshold = (1 << (15 - exponent)) - 1;
  if (x > threshold) return 32767;
  if (x < -threshold) return -32768;
  return Wrap(int32_t{x} * (1 << exponent));
}

inline int16_t Rescale(int16_t x, int src_bits, int dst_bits) {
  return SaturatingRoundingMultiplyByPOT(x, src_bits - dst_bits);
}

inline int16_t RoundingHalfSum(int16_t a, int16_t b) {
  const int32_t sum = int32_t{a} + b;
  return Wrap((sum + (sum >= 0 ? 1 : -1)) / 2);
}

// A gemmlowp constant given as its int32 raw value, narrowed to 16 bits.
inline int16_t Constant(int32_t raw32) {
  return static_cast<int16_t>(quant::RoundingDivideByPOT(raw32, 16));
}

// exp(a) for a Q0 value in [-1/4, 0). Q0 result.
inline int16_t ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(int16_t a) {
  const int16_t constant_term = Constant(1895147668);  // exp(-1/8)
  const int16_t one_third = Constant(715827883);
  const int16_t x = Add(a, int16_t{1 << 12});  // a + 1/8
  const int16_t x2 = Mul(x, x);
  const int16_t x3 = Mul(x2, x);
  const int16_t x4 = Mul(x2, x2);
  const int16_t x4_over_4 = SaturatingRoundingMultiplyByPOT(x4, -2);
  const int16_t poly =
      SaturatingRoundingMultiplyByPOT(Add(Mul(Add(x4_over_4, x3), one_third), x2), -1);
  return SaturatingAdd(constant_term, Mul(constant_term, Add(x, poly)));
}

// exp(a) for a <= 0 in Q(integer_bits), integer_bits in [0, 12]. Q0 result.
inline int16_t ExpOnNegativeValues(int16_t a, int integer_bits) {
  const int fractional_bits = 15 - integer_bits;
  const int16_t one_quarter = static_cast<int16_t>(1 << (fractional_bits - 2));
  const int16_t mask = static_cast<int16_t>(one_quarter - 1);
  const int16_t a_mod_quarter_minus_one_quarter = Sub(static_cast<int16_t>(a & mask), one_quarter);
  int16_t result = ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(
      Rescale(a_mod_quarter_minus_one_quarter, integer_bits, 0));
  const int16_t remainder = Sub(a_mod_quarter_minus_one_quarter, a);
  // exp(-2^k) for k = -2..4 (gemmlowp's int32 constants, narrowed).
  static const int32_t kFactors[] = {1672461947, 1302514674, 790015084, 290630308,
                                     39332535,   720401,     242};
  for (int k = -2; k <= 4; ++k) {
    if (integer_bits > k) {
      const int shift = fractional_bits + k;
      if (remainder & (1 << shift)) result = Mul(result, Constant(kFactors[k + 2]));
    }
  }
  if (integer_bits > 5) {
    const int16_t clamp = Constant(-(int32_t{1} << (36 - integer_bits)));  // -32
    if (a < clamp) result = 0;
  }
  if (a == 0) result = 32767;
  return result;
}

// The Newton-Raphson iteration shared by 1/(1+a) and (1-a)/(1+a), Q2 result.
inline int16_t NewtonRaphsonOneOverOnePlusHalf(int16_t a) {
  const int16_t half_denominator = RoundingHalfSum(a, 32767);
  const int16_t k48_over_17 = Constant(1515870810);       // Q2
  const int16_t k_neg32_over_17 = Constant(-1010580540);  // Q2
  const int16_t one_q2 = int16_t{1 << 13};
  int16_t x = Add(k48_over_17, Mul(half_denominator, k_neg32_over_17));
  for (int i = 0; i < 3; ++i) {
    const int16_t half_denominator_times_x = Mul(half_denominator, x);
    const int16_t one_minus = Sub(one_q2, half_denominator_times_x);
    x = Add(x, Rescale(Mul(x, one_minus), 4, 2));
  }
  return x;
}

// 1 / (1 + a) for a Q0 value a in [0, 1). Q0 result.
inline int16_t OneOverOnePlusXForXIn01(int16_t a) {
  // x / 2 reinterpreted as Q1, then brought to Q0.
  return Rescale(NewtonRaphsonOneOverOnePlusHalf(a), 1, 0);
}

// (1 - a) / (1 + a) for a Q0 value a in [0, 1). Q0 result.
inline int16_t OneMinusXOverOnePlusXForXIn01(int16_t a) {
  return Rescale(Sub(NewtonRaphsonOneOverOnePlusHalf(a), int16_t{1 << 13}), 2, 0);
}

// logistic(a) for a in Q(integer_bits); Q0 result.
inline int16_t Logistic(int16_t a, int integer_bits) {
  if (a == 0) return Constant(1 << 30);  // 1/2
  const int16_t abs_a = a > 0 ? a : Neg(a);
  const int16_t positive = OneOverOnePlusXForXIn01(ExpOnNegativeValues(Neg(abs_a), integer_bits));
  return a > 0 ? positive : Sub(32767, positive);
}

// tanh(a) for a in Q(integer_bits); Q0 result.
inline int16_t Tanh(int16_t a, int integer_bits) {
  if (a == 0) return 0;
  const int16_t non_positive = a < 0 ? a : Neg(a);
  // exp(2x): the same raw read with one more integer bit.
  const int16_t t =
      OneMinusXOverOnePlusXForXIn01(ExpOnNegativeValues(non_positive, integer_bits + 1));
  return a < 0 ? Neg(t) : t;
}

}  // namespace fp16
}  // namespace quant
}  // namespace edgelite

#endif  // EDGELITE_QUANT_FIXED_POINT_INT16_H_
