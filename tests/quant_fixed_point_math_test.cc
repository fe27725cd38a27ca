// src/quant/fixed_point_math.h and src/quant/lut.h: the gemmlowp-style
// fixed-point functions against float64 with stated bounds, exact values at
// hand-checked points, and the lookup tables.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "src/quant/fixed_point_math.h"
#include "src/quant/lut.h"
#include "src/ref/quantized_activations.h"
#include "tests/test_util.h"

namespace edgelite {
namespace quant {
namespace {

double FromQ(int32_t raw, int integer_bits) { return std::ldexp(raw, integer_bits - 31); }

TEST(FixedPointMathTest, ExpOnNegativeValuesMatchesExp) {
  // exp(0) is the largest Q0 value; exp(-1/4) ... exp(-31) from Q5.26 inputs
  // agree with float64 within 5e-7 absolute: the degree-4 Taylor polynomial
  // on [-1/4, 0) is good to ~2e-7 (measured 2.3e-7), each barrel-shifter
  // factor adds a Q0 rounding (4.7e-10).
  EXPECT_EQ(fp::ExpOnNegativeValues(0, 5), fp::kInt32Max);
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE(testing::TestSeed());
  std::uniform_int_distribution<int32_t> dist(-(31 << 26), 0);
  double worst = 0;
  for (int i = 0; i < 20000; ++i) {
    const int32_t a = dist(rng);
    const double got = FromQ(fp::ExpOnNegativeValues(a, 5), 0);
    worst = std::max(worst, std::fabs(got - std::exp(FromQ(a, 5))));
  }
  EXPECT_LT(worst, 5e-7);
  // Inputs below -32 in a wider format are flushed to 0.
  EXPECT_EQ(fp::ExpOnNegativeValues(-(33 << 24), 7), 0);
}

TEST(FixedPointMathTest, ReciprocalAndOneOverOnePlusX) {
  // 1/(1+x) for x in [0, 1): three Newton-Raphson steps, within 1e-8.
  double worst = 0;
  for (int i = 0; i < 1000; ++i) {
    const double x = i / 1000.0;
    const int32_t raw = static_cast<int32_t>(std::ldexp(x, 31));
    worst = std::max(worst, std::fabs(FromQ(fp::OneOverOnePlusXForXIn01(raw), 0) - 1 / (1 + x)));
  }
  EXPECT_LT(worst, 1e-8);
  // GetReciprocal of 3.0 in Q12: 1/3 = s * 2^-bits with s in Q0.
  int bits = 0;
  const int32_t s = fp::GetReciprocal(3 << 19, 12, &bits);
  EXPECT_NEAR(std::ldexp(FromQ(s, 0), -bits), 1.0 / 3, 1e-8);
}

TEST(FixedPointMathTest, LogOfValuesAtLeastOne) {
  // log(x) for x in [1, 4096) given in Q12, result in Q5: within 1e-6
  // absolute (Q5 resolution 1.5e-8; the rational approximation dominates).
  std::mt19937 rng(testing::TestSeed() + 3);
  std::uniform_real_distribution<double> dist(0.0, std::log(4095.0));
  double worst = 0;
  for (int i = 0; i < 5000; ++i) {
    const double x = std::exp(dist(rng));
    const int32_t raw = static_cast<int32_t>(std::ldexp(x, 31 - 12));
    const double exact = std::log(FromQ(raw, 12));
    worst =
        std::max(worst, std::fabs(FromQ(fp::LogXForXGreaterThanOrEqualTo1(raw, 12, 5), 5) - exact));
  }
  EXPECT_LT(worst, 1e-6);
}

TEST(FixedPointMathTest, RoundingHalfSumAndSaturatingShift) {
  EXPECT_EQ(fp::RoundingHalfSum(1, 2), 2);     // 1.5 -> 2
  EXPECT_EQ(fp::RoundingHalfSum(-1, -2), -2);  // -1.5 -> -2
  EXPECT_EQ(fp::SaturatingRoundingMultiplyByPOT(1 << 29, 2), fp::kInt32Max);
  EXPECT_EQ(fp::SaturatingRoundingMultiplyByPOT(-(1 << 29), 2), fp::kInt32Min);
  EXPECT_EQ(fp::SaturatingRoundingMultiplyByPOT(3, 2), 12);
  EXPECT_EQ(fp::SaturatingRoundingMultiplyByPOT(6, -2), 2);  // 1.5 -> 2
}

TEST(FixedPointMathTest, InverseSqrtMultiplier) {
  // 1/sqrt(v) = multiplier * 2^(shift - 31), within 5e-6 relative (five
  // Newton-Raphson steps in Q3, resolution 2^-28; measured 1.2e-6 at v = 2).
  for (int32_t v : {2, 3, 4, 10, 100, 12345, 1 << 20, (1 << 30) + 7}) {
    int32_t m;
    int shift;
    ref::InvSqrtQuantizedMultiplier(v, &m, &shift);
    const double got = std::ldexp(static_cast<double>(m), shift - 31);
    EXPECT_NEAR(got * std::sqrt(static_cast<double>(v)), 1.0, 5e-6) << v;
  }
}

TEST(LutTest, Int8TableIsIndexedByBitPattern) {
  // Identity function, input scale 1 zp 0, output scale 0.5 zp 1: q -> 2q+1
  // saturated; entry for q lives at index uint8(q).
  uint8_t lut[kLut8Size];
  PopulateLut8(
      DataType::kInt8, 1.0f, 0, 0.5f, 1, [](float x) { return x; }, lut);
  EXPECT_EQ(static_cast<int8_t>(lut[static_cast<uint8_t>(int8_t{3})]), 7);
  EXPECT_EQ(static_cast<int8_t>(lut[static_cast<uint8_t>(int8_t{-3})]), -5);
  EXPECT_EQ(static_cast<int8_t>(lut[static_cast<uint8_t>(int8_t{100})]), 127);
  EXPECT_EQ(static_cast<int8_t>(lut[static_cast<uint8_t>(int8_t{-100})]), -128);
}

TEST(LutTest, Int16TableInterpolatesLinearFunctionsExactly) {
  // f(x) = x / 2 with equal scales: every output is round(q / 2) up to 1 LSB.
  int16_t lut[kLut16Size];
  PopulateLut16<float>(
      1.0f / 1024, 0, 1.0f / 1024, 0, [](float x) { return x / 2; }, lut);
  int worst = 0;
  for (int q = -32768; q <= 32767; q += 37) {
    const int got = LookupLut16(static_cast<int16_t>(q), lut);
    worst = std::max(worst, std::abs(got - static_cast<int>(std::lround(q / 2.0))));
  }
  EXPECT_LE(worst, 1);
}

}  // namespace
}  // namespace quant
}  // namespace edgelite
