// The shared integer math, against values derived by hand from the
// definitions in TFLite's quantization spec / gemmlowp.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "src/quant/quantization.h"
#include "tests/test_util.h"

namespace edgelite {
namespace quant {
namespace {

TEST(FixedPoint, SaturatingRoundingDoublingHighMul) {
  // 2^30 * 2^30 * 2 / 2^32 = 2^29.
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(1 << 30, 1 << 30), 1 << 29);
  // The one overflow case saturates.
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN), INT32_MAX);
  // gemmlowp's nudge (+2^30, or 1-2^30 for negative products) followed by a
  // division truncating toward zero rounds ties toward +infinity:
  // 3 * 2^30 * 2 / 2^32 = 1.5 -> 2, and -1.5 -> -1.
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(3, 1 << 30), 2);
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(-3, 1 << 30), -1);
  // 0.5 -> 1 ; -0.5 -> 0.
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(1, 1 << 30), 1);
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(-1, 1 << 30), 0);
  // Non-tie values round to nearest: 5 * 2^29 * 2 / 2^32 = 1.25 -> 1; -1.25 -> -1.
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(5, 1 << 29), 1);
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(-5, 1 << 29), -1);
}

TEST(FixedPoint, RoundingDivideByPOT) {
  EXPECT_EQ(RoundingDivideByPOT(5, 1), 3);    // 2.5 -> 3
  EXPECT_EQ(RoundingDivideByPOT(-5, 1), -3);  // -2.5 -> -3 (away from zero)
  EXPECT_EQ(RoundingDivideByPOT(7, 2), 2);    // 1.75 -> 2
  EXPECT_EQ(RoundingDivideByPOT(-7, 2), -2);
  EXPECT_EQ(RoundingDivideByPOT(6, 2), 2);    // 1.5 -> 2
  EXPECT_EQ(RoundingDivideByPOT(-6, 2), -2);  // -1.5 -> -2
  EXPECT_EQ(RoundingDivideByPOT(123, 0), 123);
}

TEST(FixedPoint, QuantizeMultiplier) {
  int32_t m;
  int s;
  QuantizeMultiplier(0.5, &m, &s);  // 0.5 = 0.5 * 2^0
  EXPECT_EQ(m, 1 << 30);
  EXPECT_EQ(s, 0);
  QuantizeMultiplier(1.0, &m, &s);  // 0.5 * 2^1
  EXPECT_EQ(m, 1 << 30);
  EXPECT_EQ(s, 1);
  QuantizeMultiplier(0.75 / 1024, &m, &s);  // 0.75 * 2^-10
  EXPECT_EQ(m, 3 << 29);
  EXPECT_EQ(s, -10);
  QuantizeMultiplier(0.0, &m, &s);
  EXPECT_EQ(m, 0);
  QuantizeMultiplier(1e-12, &m, &s);  // below 2^-31: flushed to zero
  EXPECT_EQ(m, 0);
  EXPECT_EQ(s, 0);
}

// Regression (malformed models): scales from a hostile file can make the
// real multiplier huge (3e38 / 1e-38), infinite (x / 0) or NaN (0 / 0).
// Shifts above 30 were handed to the kernels, whose `x << shift` is then
// undefined; the cast of inf/NaN to int64 was undefined too.
// Regression (op fuzzer): a tiny output scale (1e-30) made v / scale in the
// fused-activation bounds ~1e30, cast to int32: undefined behaviour.
TEST(Quantization, ActivationRangeWithExtremeScales) {
  constexpr int kRelu = 1, kRelu6 = 3, kReluN1To1 = 2;
  int32_t lo = 0, hi = 0;
  ASSERT_TRUE(ActivationRangeQuantized(kRelu6, DataType::kInt8, 1e-30f, 5, &lo, &hi).ok());
  EXPECT_EQ(lo, 5);    // q(0) = zero point
  EXPECT_EQ(hi, 127);  // q(6) = 6e30: clamped to the type's maximum
  ASSERT_TRUE(ActivationRangeQuantized(kReluN1To1, DataType::kInt8, 1e-30f, 0, &lo, &hi).ok());
  EXPECT_EQ(lo, -128);
  EXPECT_EQ(hi, 127);
  // Scale 0 (accepted by the validator: some converters write it): q(0) is
  // 0 / 0 -> the zero point; q(6) is +inf -> the maximum.
  ASSERT_TRUE(ActivationRangeQuantized(kRelu6, DataType::kUInt8, 0.0f, 10, &lo, &hi).ok());
  EXPECT_EQ(lo, 10);
  EXPECT_EQ(hi, 255);
  ASSERT_TRUE(ActivationRangeQuantized(kRelu, DataType::kInt16, 0.5f, 0, &lo, &hi).ok());
  EXPECT_EQ(lo, 0);
  EXPECT_EQ(hi, 32767);
}

TEST(FixedPoint, QuantizeMultiplierOutOfSpec) {
  int32_t m = 1;
  int s = 1;
  QuantizeMultiplier(0.75 * 1073741824.0, &m, &s);  // 0.75 * 2^30: largest exact shift
  EXPECT_EQ(m, 3 << 29);
  EXPECT_EQ(s, 30);
  for (double big : {1.0 * (int64_t{1} << 31), 9e74, 1e300,
                     std::numeric_limits<double>::infinity()}) {
    SCOPED_TRACE(big);
    QuantizeMultiplier(big, &m, &s);
    EXPECT_EQ(m, std::numeric_limits<int32_t>::max());
    EXPECT_EQ(s, 30);
  }
  QuantizeMultiplier(-std::numeric_limits<double>::infinity(), &m, &s);
  EXPECT_EQ(m, std::numeric_limits<int32_t>::min());
  EXPECT_EQ(s, 30);
  QuantizeMultiplier(std::numeric_limits<double>::quiet_NaN(), &m, &s);
  EXPECT_EQ(m, 0);
  EXPECT_EQ(s, 0);
}

TEST(FixedPoint, MultiplyByQuantizedMultiplierMatchesRealArithmetic) {
  // For random multipliers and accumulators the result is within 1 of
  // round(x * M) computed in double (the scheme rounds twice).
  const uint32_t seed = edgelite::testing::TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> md(1e-6, 8.0);
  std::uniform_int_distribution<int32_t> xd(-(1 << 24), 1 << 24);
  for (int i = 0; i < 20000; ++i) {
    const double real = md(rng);
    int32_t m;
    int s;
    QuantizeMultiplier(real, &m, &s);
    const int32_t x = xd(rng);
    const double exact = x * (static_cast<double>(m) * std::ldexp(1.0, s - 31));
    const int32_t got = MultiplyByQuantizedMultiplier(x, m, s);
    ASSERT_LE(std::fabs(got - exact), 1.0) << "x=" << x << " real=" << real;
  }
  // Hand case: 100 * 0.5 = 50; 7 * 0.25 = 1.75 -> 2; -7 * 0.25 -> -2.
  int32_t m;
  int s;
  QuantizeMultiplier(0.5, &m, &s);
  EXPECT_EQ(MultiplyByQuantizedMultiplier(100, m, s), 50);
  QuantizeMultiplier(0.25, &m, &s);
  EXPECT_EQ(MultiplyByQuantizedMultiplier(7, m, s), 2);
  EXPECT_EQ(MultiplyByQuantizedMultiplier(-7, m, s), -2);
}

TEST(Quantization, ActivationRanges) {
  int32_t lo, hi;
  // uint8, scale 0.1, zp 10: RELU6 -> [10, 70].
  ASSERT_TRUE(ActivationRangeQuantized(3, DataType::kUInt8, 0.1f, 10, &lo, &hi).ok());
  EXPECT_EQ(lo, 10);
  EXPECT_EQ(hi, 70);
  // int8, scale 0.1, zp -128: RELU -> [-128, 127].
  ASSERT_TRUE(ActivationRangeQuantized(1, DataType::kInt8, 0.1f, -128, &lo, &hi).ok());
  EXPECT_EQ(lo, -128);
  EXPECT_EQ(hi, 127);
  // NONE on int16 -> full range.
  ASSERT_TRUE(ActivationRangeQuantized(0, DataType::kInt16, 1.0f, 0, &lo, &hi).ok());
  EXPECT_EQ(lo, -32768);
  EXPECT_EQ(hi, 32767);
  EXPECT_FALSE(ActivationRangeQuantized(4, DataType::kInt8, 1.0f, 0, &lo, &hi).ok());
}

TEST(Quantization, QuantizeValueRoundsHalfAwayAndSaturates) {
  EXPECT_EQ(QuantizeValue(0.25f, 0.5f, 0, DataType::kInt8), 1);    // 0.5 -> 1
  EXPECT_EQ(QuantizeValue(-0.25f, 0.5f, 0, DataType::kInt8), -1);  // -0.5 -> -1
  EXPECT_EQ(QuantizeValue(1000.0f, 1.0f, 0, DataType::kInt8), 127);
  EXPECT_EQ(QuantizeValue(-1000.0f, 1.0f, 3, DataType::kUInt8), 0);
}

}  // namespace
}  // namespace quant
}  // namespace edgelite
