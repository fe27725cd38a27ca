// The int16 fixed-point logistic/tanh (gemmlowp's int16 instantiation, used by
// TFLite's integer LSTM) against the real functions, over every int16 input.
// Bit-exactness with TFLite itself is checked end to end by the integer LSTM
// models against TFLite's goldens (models_test); here the bound is accuracy.
#include <cmath>
#include <cstdio>

#include <gtest/gtest.h>

#include "src/quant/fixed_point_int16.h"

namespace edgelite {
namespace {

// Worst error in Q0.15 LSB over all inputs of a Q(bits) format.
template <typename F, typename R>
double WorstError(int bits, F fixed, R real) {
  double worst = 0.0;
  for (int32_t raw = -32768; raw <= 32767; ++raw) {
    const double x = raw / static_cast<double>(1 << (15 - bits));
    const double want = real(x) * 32768.0;
    const double got = fixed(static_cast<int16_t>(raw), bits);
    worst = std::max(worst, std::fabs(got - std::min(want, 32767.0)));
  }
  return worst;
}

TEST(FixedPointInt16, LogisticAccuracy) {
  for (int bits = 0; bits <= 6; ++bits) {
    const double e = WorstError(bits, quant::fp16::Logistic,
                                [](double x) { return 1.0 / (1.0 + std::exp(-x)); });
    std::printf("logistic Q%d.%d: worst error %.1f LSB\n", bits, 15 - bits, e);
    // A 16-bit Newton-Raphson reciprocal and exp polynomial: a few LSB.
    EXPECT_LE(e, 8.0) << "integer bits " << bits;
  }
}

TEST(FixedPointInt16, TanhAccuracy) {
  for (int bits = 0; bits <= 6; ++bits) {
    const double e =
        WorstError(bits, quant::fp16::Tanh, [](double x) { return std::tanh(x); });
    std::printf("tanh Q%d.%d: worst error %.1f LSB\n", bits, 15 - bits, e);
    EXPECT_LE(e, 16.0) << "integer bits " << bits;
  }
}

TEST(FixedPointInt16, SymmetryAndFixedPoints) {
  using quant::fp16::Logistic;
  using quant::fp16::Tanh;
  EXPECT_EQ(Logistic(0, 3), 16384);  // 1/2
  EXPECT_EQ(Tanh(0, 3), 0);
  for (int raw = 1; raw < 32768; raw += 97) {
    const int16_t a = static_cast<int16_t>(raw);
    // logistic(-x) = 1 - logistic(x) and tanh(-x) = -tanh(x), as computed.
    EXPECT_EQ(Logistic(static_cast<int16_t>(-a), 3), 32767 - Logistic(a, 3));
    EXPECT_EQ(Tanh(static_cast<int16_t>(-a), 3), -Tanh(a, 3));
  }
  // The ends of the Q3.12 range (+-8): logistic(8) * 2^15 = 32757.0,
  // logistic(-8) * 2^15 = 10.99, tanh(8) * 2^15 = 32768 - 7.4e-3 (saturates).
  EXPECT_NEAR(Logistic(32767, 3), 32757.0, 1.0);
  EXPECT_NEAR(Logistic(-32768, 3), 10.99, 1.0);
  EXPECT_EQ(Tanh(32767, 3), 32767);
}

TEST(FixedPointInt16, NarrowedConstantsMatchRealValues) {
  // gemmlowp's int32 constants divided by 2^16 with rounding.
  EXPECT_EQ(quant::fp16::Constant(1895147668), static_cast<int16_t>(std::lround(std::exp(-0.125) * 32768)));
  EXPECT_EQ(quant::fp16::Constant(715827883), 10923);  // 1/3 in Q0.15
  EXPECT_EQ(quant::fp16::Constant(1 << 30), 16384);
}

}  // namespace
}  // namespace edgelite
