// Quantized LEAKY_RELU, LOGISTIC, TANH, ELU, RSQRT and SOFTMAX: hand-derived
// cases, randomized inputs against float64 evaluations of the quantized
// formula (tolerances stated per test), and invalid quantization.
#include <algorithm>
#include <cmath>
#include <random>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;
using Op = fb::BuiltinOperator;

struct Q {
  float scale;
  int64_t zp;
};

QuantSpec Spec(const Q& q) {
  QuantSpec s;
  s.scale = {q.scale};
  s.zero_point = {q.zp};
  return s;
}

template <typename T>
Status RunUnary(Op op, DataType type, const std::vector<T>& in, Q qi, Q qo, std::vector<T>* out,
                fb::BuiltinOptionsUnion options = fb::BuiltinOptionsUnion(),
                DataType out_type = DataType::kFloat32) {
  SingleOpModel m;
  const QuantSpec pi = Spec(qi), po = Spec(qo);
  int x = m.Input(type, {1, static_cast<int32_t>(in.size())}, &pi);
  int y = m.Output(out_type == DataType::kFloat32 ? type : out_type, {}, &po);
  m.Op(op, {x}, {y}, options);
  Status s = m.Build();
  if (!s.ok()) return s;
  m.Set<T>(x, in);
  s = m.Invoke();
  if (s.ok()) *out = m.Get<T>(y);
  return s;
}

fb::BuiltinOptionsUnion LeakyAlpha(float alpha) {
  fb::LeakyReluOptionsT o;
  o.alpha = alpha;
  return MakeOptions(o);
}

fb::BuiltinOptionsUnion SoftmaxBeta(float beta) {
  fb::SoftmaxOptionsT o;
  o.beta = beta;
  return MakeOptions(o);
}

// All values of an 8-bit type, or a spread of int16 values.
template <typename T>
std::vector<T> Sweep() {
  std::vector<T> v;
  const int32_t lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
  const int32_t step = sizeof(T) == 1 ? 1 : 97;
  for (int32_t q = lo; q <= hi; q += step) v.push_back(static_cast<T>(q));
  return v;
}

// max |got - round(f(real)/s_out) + z_out| over a sweep of all inputs.
template <typename T, typename F>
int MaxLsbError(Op op, DataType type, Q qi, Q qo, F f, fb::BuiltinOptionsUnion opts = {}) {
  const std::vector<T> in = Sweep<T>();
  std::vector<T> out;
  Status s = RunUnary<T>(op, type, in, qi, qo, &out, opts);
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return 1000;
  const double lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
  int worst = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    const double real = qi.scale * (static_cast<double>(in[i]) - qi.zp);
    const double q = std::min(hi, std::max(lo, std::round(f(real) / qo.scale) + qo.zp));
    worst = std::max(worst, static_cast<int>(std::fabs(q - out[i])));
  }
  return worst;
}

TEST(QuantizedActivationsTest, LeakyReluInt8HandWorked) {
  // Scales 0.5 -> 0.5, alpha 0.25: [4, -8, -3] -> reals [2, -4, -1.5] ->
  // [2, -1, -0.375] -> q [4, -2, -0.75 -> -1].
  std::vector<int8_t> out;
  ASSERT_TRUE(RunUnary<int8_t>(Op::LEAKY_RELU, DataType::kInt8, {4, -8, -3}, {0.5f, 0}, {0.5f, 0},
                               &out, LeakyAlpha(0.25f))
                  .ok());
  EXPECT_EQ(out, (std::vector<int8_t>{4, -2, -1}));
}

TEST(QuantizedActivationsTest, LeakyReluAllTypesWithinOneLsb) {
  // Two requantizations by Q31 multipliers with double rounding: +-1 LSB.
  for (float alpha : {0.2f, -0.5f, 1.5f}) {
    SCOPED_TRACE(alpha);
    auto f = [alpha](double x) { return x >= 0 ? x : alpha * x; };
    EXPECT_LE(MaxLsbError<int8_t>(Op::LEAKY_RELU, DataType::kInt8, {0.05f, -7}, {0.04f, 3}, f,
                                  LeakyAlpha(alpha)),
              1);
    EXPECT_LE(MaxLsbError<uint8_t>(Op::LEAKY_RELU, DataType::kUInt8, {0.05f, 120}, {0.07f, 100}, f,
                                   LeakyAlpha(alpha)),
              1);
    EXPECT_LE(MaxLsbError<int16_t>(Op::LEAKY_RELU, DataType::kInt16, {0.001f, 0}, {0.0013f, 0}, f,
                                   LeakyAlpha(alpha)),
              1);
  }
}

TEST(QuantizedActivationsTest, LogisticTanhEluTablesWithinOneLsb) {
  // The tables hold round(f(x) / s_out) + z_out computed in float: +-1 LSB
  // of the float64 value (float rounding at ties).
  auto logistic = [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
  auto tanh = [](double x) { return std::tanh(x); };
  auto elu = [](double x) { return x < 0 ? std::expm1(x) : x; };
  EXPECT_LE(
      MaxLsbError<int8_t>(Op::LOGISTIC, DataType::kInt8, {0.06f, 5}, {1.0f / 256, -128}, logistic),
      1);
  EXPECT_LE(
      MaxLsbError<uint8_t>(Op::LOGISTIC, DataType::kUInt8, {0.06f, 128}, {1.0f / 256, 0}, logistic),
      1);
  EXPECT_LE(MaxLsbError<int8_t>(Op::TANH, DataType::kInt8, {0.03f, 0}, {1.0f / 128, 0}, tanh), 1);
  EXPECT_LE(MaxLsbError<uint8_t>(Op::TANH, DataType::kUInt8, {0.03f, 128}, {1.0f / 128, 128}, tanh),
            1);
  EXPECT_LE(MaxLsbError<int8_t>(Op::ELU, DataType::kInt8, {0.05f, 10}, {0.04f, 20}, elu), 1);
}

TEST(QuantizedActivationsTest, HardSwishWithinTwoLsb) {
  // TFLite's int16 fixed-point kernel (Q15 multipliers, two roundings and a
  // truncating product): within 2 LSB of round(x relu6(x+3)/6 / s_out) + z_out.
  auto hs = [](double x) { return x * std::min(6.0, std::max(0.0, x + 3)) / 6; };
  EXPECT_LE(MaxLsbError<int8_t>(Op::HARD_SWISH, DataType::kInt8, {0.05f, -10}, {0.04f, -60}, hs),
            2);
  EXPECT_LE(MaxLsbError<uint8_t>(Op::HARD_SWISH, DataType::kUInt8, {0.04f, 128}, {0.03f, 20}, hs),
            2);
}

TEST(QuantizedActivationsTest, PreluInt8HandWorkedAndRandom) {
  // Scales: input 0.5, alpha 0.25, output 0.5, zero points 0. Input q
  // [4, -4] = reals [2, -2]; alpha q 2 = 0.5. x >= 0: 2 -> q 4; x < 0:
  // -2 * 0.5 = -1 -> q -2.
  {
    SingleOpModel m;
    const QuantSpec qi = Spec({0.5f, 0}), qa = Spec({0.25f, 0}), qo = Spec({0.5f, 0});
    int x = m.Input(DataType::kInt8, {2}, &qi);
    int a = m.Const<int8_t>(DataType::kInt8, {2}, {2, 2}, &qa);
    int y = m.Output(DataType::kInt8, {}, &qo);
    m.Op(Op::PRELU, {x, a}, {y});
    ASSERT_TRUE(m.Build().ok());
    m.Set<int8_t>(x, {4, -4});
    ASSERT_TRUE(m.Invoke().ok());
    EXPECT_EQ(m.Get<int8_t>(y), (std::vector<int8_t>{4, -2}));
  }
  // Random: alpha per channel (broadcast over [4, 3]), within 1 LSB.
  std::mt19937 rng(testing::TestSeed() + 21);
  SCOPED_TRACE(testing::TestSeed());
  const Q qi{0.03f, 5}, qa{0.01f, -3}, qo{0.02f, -7};
  SingleOpModel m;
  const QuantSpec pi = Spec(qi), pa = Spec(qa), po = Spec(qo);
  int x = m.Input(DataType::kInt8, {4, 3}, &pi);
  int a = m.Input(DataType::kInt8, {3}, &pa);
  int y = m.Output(DataType::kInt8, {}, &po);
  m.Op(Op::PRELU, {x, a}, {y});
  ASSERT_TRUE(m.Build().ok());
  std::vector<int8_t> xv(12), av(3);
  for (auto& v : xv) v = static_cast<int8_t>(rng());
  for (auto& v : av) v = static_cast<int8_t>(rng());
  m.Set<int8_t>(x, xv);
  m.Set<int8_t>(a, av);
  ASSERT_TRUE(m.Invoke().ok());
  const auto out = m.Get<int8_t>(y);
  for (int i = 0; i < 12; ++i) {
    const double rx = qi.scale * (xv[i] - qi.zp), ra = qa.scale * (av[i % 3] - qa.zp);
    const double r = rx >= 0 ? rx : rx * ra;
    const double q = std::min(127.0, std::max(-128.0, std::round(r / qo.scale) + qo.zp));
    EXPECT_LE(std::fabs(q - out[i]), 1.0) << i;
  }
}

TEST(QuantizedActivationsTest, SquaredDifferenceInt8WithinOneLsb) {
  // Inputs rescaled to a common scale with 7 extra bits, squared, requantized:
  // within 1 LSB of round((a - b)^2 / s_out) + z_out.
  std::mt19937 rng(testing::TestSeed() + 31);
  const Q qa{0.02f, 3}, qb{0.03f, -4}, qo{0.1f, -128};
  SingleOpModel m;
  const QuantSpec pa = Spec(qa), pb = Spec(qb), po = Spec(qo);
  int x = m.Input(DataType::kInt8, {64}, &pa);
  int z = m.Input(DataType::kInt8, {1}, &pb);
  int y = m.Output(DataType::kInt8, {}, &po);
  m.Op(Op::SQUARED_DIFFERENCE, {x, z}, {y});
  ASSERT_TRUE(m.Build().ok());
  std::vector<int8_t> xv(64);
  for (auto& v : xv) v = static_cast<int8_t>(rng());
  m.Set<int8_t>(x, xv);
  m.Set<int8_t>(z, {17});
  ASSERT_TRUE(m.Invoke().ok());
  const auto out = m.Get<int8_t>(y);
  for (int i = 0; i < 64; ++i) {
    const double d = qa.scale * (xv[i] - qa.zp) - qb.scale * (17 - qb.zp);
    const double q = std::min(127.0, std::max(-128.0, std::round(d * d / qo.scale) + qo.zp));
    EXPECT_LE(std::fabs(q - out[i]), 1.0) << i;
  }
}

TEST(QuantizedActivationsTest, LogisticHandWorked) {
  // Input scale 1, zp 0: q = 0 -> logistic 0.5 -> 128/256 -> 128 - 128 = 0;
  // q = 127 -> ~1 -> 256 -> clamped to 127; q = -128 -> ~0 -> -128.
  std::vector<int8_t> out;
  ASSERT_TRUE(RunUnary<int8_t>(Op::LOGISTIC, DataType::kInt8, {0, 127, -128}, {1.0f, 0},
                               {1.0f / 256, -128}, &out)
                  .ok());
  EXPECT_EQ(out, (std::vector<int8_t>{0, 127, -128}));
}

TEST(QuantizedActivationsTest, RsqrtInt8AndInt16) {
  // int8: fixed-point inverse square root then a Q31 rescale; within 1 LSB
  // of round(1/sqrt(x) / s_out) + z_out for x > 0 (x = 0 maps to 127).
  const Q qi{0.02f, -128}, qo{0.05f, -100};
  std::vector<int8_t> in, out;
  for (int q = -127; q <= 127; ++q) in.push_back(static_cast<int8_t>(q));
  ASSERT_TRUE(RunUnary<int8_t>(Op::RSQRT, DataType::kInt8, in, qi, qo, &out).ok());
  int worst = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    const double x = qi.scale * (in[i] - qi.zp);
    const double q =
        std::min(127.0, std::max(-128.0, std::round(1 / std::sqrt(x) / qo.scale) + qo.zp));
    worst = std::max(worst, static_cast<int>(std::fabs(q - out[i])));
  }
  EXPECT_LE(worst, 1);
  // A negative real input is a runtime error.
  std::vector<int8_t> bad;
  EXPECT_EQ(RunUnary<int8_t>(Op::RSQRT, DataType::kInt8, {-128}, {0.02f, -127}, qo, &bad).code(),
            StatusCode::kRuntimeError);
  // int16: interpolated 513-entry table (segments of 1/8 here); within 2 LSB
  // where 1/sqrt is nearly linear over a segment (x >= 4).
  const Q qi16{1.0f / 1024, 0}, qo16{1.0f / 8192, 0};
  std::vector<int16_t> in16, out16;
  for (int q = 4096; q <= 32767; q += 61) in16.push_back(static_cast<int16_t>(q));
  ASSERT_TRUE(RunUnary<int16_t>(Op::RSQRT, DataType::kInt16, in16, qi16, qo16, &out16).ok());
  worst = 0;
  for (size_t i = 0; i < in16.size(); ++i) {
    const double q = std::round(1 / std::sqrt(qi16.scale * in16[i]) / qo16.scale);
    worst = std::max(worst, static_cast<int>(std::fabs(q - out16[i])));
  }
  EXPECT_LE(worst, 2);
}

template <typename T, typename O = T>
void SoftmaxRandomCheck(DataType type, DataType out_type, Q qi, Q qo, float beta, int tolerance,
                        int tolerance_per_element, uint32_t seed) {
  std::mt19937 rng(seed);
  const int32_t lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
  std::uniform_int_distribution<int32_t> val(lo, hi);
  SCOPED_TRACE(std::string(DataTypeName(type)) + " -> " + DataTypeName(out_type));
  for (int iter = 0; iter < 10; ++iter) {
    const int rows = 3, depth = 1 + static_cast<int>(rng() % 40);
    std::vector<T> in(rows * depth);
    for (auto& v : in) v = static_cast<T>(val(rng));
    SingleOpModel m;
    const QuantSpec pi = Spec(qi), po = Spec(qo);
    int x = m.Input(type, {rows, depth}, &pi);
    int y = m.Output(out_type, {}, &po);
    m.Op(Op::SOFTMAX, {x}, {y}, SoftmaxBeta(beta));
    ASSERT_TRUE(m.Build().ok());
    m.Set<T>(x, in);
    ASSERT_TRUE(m.Invoke().ok());
    const std::vector<O> out = m.Get<O>(y);
    int worst = 0;
    for (int r = 0; r < rows; ++r) {
      double mx = -1e300, sum = 0;
      for (int c = 0; c < depth; ++c) mx = std::max(mx, qi.scale * double(in[r * depth + c]));
      for (int c = 0; c < depth; ++c)
        sum += std::exp(beta * (qi.scale * double(in[r * depth + c]) - mx));
      for (int c = 0; c < depth; ++c) {
        const double p = std::exp(beta * (qi.scale * double(in[r * depth + c]) - mx)) / sum;
        const double q =
            std::min<double>(std::numeric_limits<O>::max(), std::round(p / qo.scale) + qo.zp);
        worst = std::max(worst, static_cast<int>(std::fabs(q - out[r * depth + c])));
      }
    }
    EXPECT_LE(worst, tolerance + tolerance_per_element * depth) << "depth " << depth;
  }
}

TEST(QuantizedActivationsTest, SoftmaxAgainstFloat64) {
  SCOPED_TRACE(testing::TestSeed());
  // 8-bit: gemmlowp fixed-point exp (Q5.26 inputs, Q12 sum, Newton-Raphson
  // reciprocal): within 1 LSB of the 1/256 output grid.
  SoftmaxRandomCheck<int8_t>(DataType::kInt8, DataType::kInt8, {0.1f, 0}, {1.0f / 256, -128}, 1.0f,
                             1, 0, testing::TestSeed());
  SoftmaxRandomCheck<uint8_t>(DataType::kUInt8, DataType::kUInt8, {0.05f, 128}, {1.0f / 256, 0},
                              2.0f, 1, 0, testing::TestSeed() + 1);
  // int8 -> int16 (scale 1/65536, zero point -32768): a few LSB of 2^-16.
  SoftmaxRandomCheck<int8_t, int16_t>(DataType::kInt8, DataType::kInt16, {0.1f, 0},
                                      {1.0f / 65536, -32768}, 1.0f, 8, 0, testing::TestSeed() + 2);
  // int16: exp over [-10, 0] and 1/(1+x) from 513-entry interpolated tables.
  // Each interpolated exp is within ~1.5 LSB (2^-15) and those errors add
  // up in the row sum, so the bound grows with the row length: 4 + 2 * depth
  // LSB (measured up to 28 at depth 32).
  SoftmaxRandomCheck<int16_t>(DataType::kInt16, DataType::kInt16, {0.0005f, 0}, {1.0f / 32768, 0},
                              1.0f, 4, 2, testing::TestSeed() + 3);
}

template <typename T>
void LogSoftmaxRandomCheck(DataType type, Q qi, int32_t out_zp, uint32_t seed) {
  std::mt19937 rng(seed);
  const int32_t lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
  std::uniform_int_distribution<int32_t> val(lo, hi);
  const Q qo{16.0f / 256, out_zp};
  for (int iter = 0; iter < 10; ++iter) {
    const int rows = 2, depth = 1 + static_cast<int>(rng() % 30);
    std::vector<T> in(rows * depth);
    for (auto& v : in) v = static_cast<T>(val(rng));
    SingleOpModel m;
    const QuantSpec pi = Spec(qi), po = Spec(qo);
    int x = m.Input(type, {rows, depth}, &pi);
    int y = m.Output(type, {}, &po);
    m.Op(Op::LOG_SOFTMAX, {x}, {y});
    ASSERT_TRUE(m.Build().ok());
    m.Set<T>(x, in);
    ASSERT_TRUE(m.Invoke().ok());
    const std::vector<T> out = m.Get<T>(y);
    int worst = 0;
    for (int r = 0; r < rows; ++r) {
      double mx = -1e300, sum = 0;
      for (int c = 0; c < depth; ++c)
        mx = std::max(mx, qi.scale * (double(in[r * depth + c]) - qi.zp));
      for (int c = 0; c < depth; ++c)
        sum += std::exp(qi.scale * (double(in[r * depth + c]) - qi.zp) - mx);
      for (int c = 0; c < depth; ++c) {
        const double l = qi.scale * (double(in[r * depth + c]) - qi.zp) - mx - std::log(sum);
        const double q = std::max<double>(lo, std::round(l / qo.scale) + qo.zp);
        worst = std::max(worst, static_cast<int>(std::fabs(q - out[r * depth + c])));
      }
    }
    EXPECT_LE(worst, 1) << "depth " << depth;
  }
}

TEST(QuantizedActivationsTest, LogSoftmaxWithinOneLsb) {
  // Fixed-point exp sum and log (Q5 result) rounded to the 1/16 output grid:
  // within 1 LSB of the float64 log-softmax.
  SCOPED_TRACE(testing::TestSeed());
  LogSoftmaxRandomCheck<int8_t>(DataType::kInt8, {0.05f, 3}, 127, testing::TestSeed() + 41);
  LogSoftmaxRandomCheck<uint8_t>(DataType::kUInt8, {0.04f, 128}, 255, testing::TestSeed() + 42);
  // Output quantization other than scale 16/256, zero point 127 is rejected.
  std::vector<int8_t> out;
  EXPECT_EQ(
      RunUnary<int8_t>(Op::LOG_SOFTMAX, DataType::kInt8, {0}, {0.1f, 0}, {16.0f / 256, 0}, &out)
          .code(),
      StatusCode::kInvalidModel);
}

TEST(QuantizedActivationsTest, SoftmaxHandWorked) {
  // Two equal logits: 0.5 each -> 128/256 -> 128 - 128 = 0 (int8 output).
  // A logit far below (difference beyond the Q5.26 range): -128.
  std::vector<int8_t> out;
  ASSERT_TRUE(RunUnary<int8_t>(Op::SOFTMAX, DataType::kInt8, {10, 10, -128}, {1.0f, 0},
                               {1.0f / 256, -128}, &out, SoftmaxBeta(1.0f))
                  .ok());
  EXPECT_EQ(out, (std::vector<int8_t>{0, 0, -128}));
}

TEST(QuantizedActivationsTest, RejectsInvalidQuantization) {
  std::vector<int8_t> out;
  // LOGISTIC needs output scale 1/256.
  EXPECT_EQ(
      RunUnary<int8_t>(Op::LOGISTIC, DataType::kInt8, {0}, {0.1f, 0}, {0.01f, -128}, &out).code(),
      StatusCode::kInvalidModel);
  // int8 SOFTMAX needs output zero point -128.
  EXPECT_EQ(RunUnary<int8_t>(Op::SOFTMAX, DataType::kInt8, {0}, {0.1f, 0}, {1.0f / 256, 0}, &out,
                             SoftmaxBeta(1.0f))
                .code(),
            StatusCode::kInvalidModel);
  // int16 LEAKY_RELU needs zero point 0.
  std::vector<int16_t> out16;
  EXPECT_EQ(RunUnary<int16_t>(Op::LEAKY_RELU, DataType::kInt16, {0}, {0.1f, 5}, {0.1f, 0}, &out16,
                              LeakyAlpha(0.1f))
                .code(),
            StatusCode::kInvalidModel);
  // Per-channel parameters on an activation.
  SingleOpModel m;
  QuantSpec pc;
  pc.scale = {0.1f, 0.2f};
  pc.zero_point = {0, 0};
  pc.quantized_dimension = 1;
  const QuantSpec po = Spec({1.0f / 256, -128});
  int x = m.Input(DataType::kInt8, {1, 2}, &pc);
  int y = m.Output(DataType::kInt8, {}, &po);
  m.Op(Op::TANH, {x}, {y});
  EXPECT_EQ(m.Build().code(), StatusCode::kInvalidModel);
}

}  // namespace
}  // namespace edgelite
