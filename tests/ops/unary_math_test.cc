// ABS, NEG, SIGN, CEIL, FLOOR, ROUND, SQRT, RSQRT, EXP, LOG, SIN, COS, TANH,
// LOGISTIC, SQUARE, ELU, HARD_SWISH: hand cases, random inputs against float64
// math here, and invalid models.
#include <cmath>
#include <limits>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;
using Op = fb::BuiltinOperator;

template <typename T>
std::vector<T> RunUnary(Op op, DataType type, const std::vector<T>& in) {
  SingleOpModel m;
  int x = m.Input(type, {static_cast<int32_t>(in.size())});
  int y = m.Output(type);
  m.Op(op, {x}, {y});
  Status s = m.Build();
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return {};
  m.Set<T>(x, in);
  s = m.Invoke();
  EXPECT_TRUE(s.ok()) << s.ToString();
  return m.Get<T>(y);
}

using F = std::vector<float>;

TEST(UnaryMath, HandExact) {
  EXPECT_EQ(RunUnary<float>(Op::ABS, DataType::kFloat32, {-2.5f, 0, 3}), (F{2.5f, 0, 3}));
  // |INT_MIN| is not representable: wraps to INT_MIN (defined, no trap).
  const int32_t kMin = std::numeric_limits<int32_t>::min();
  EXPECT_EQ(RunUnary<int32_t>(Op::ABS, DataType::kInt32, {-7, kMin}), (std::vector<int32_t>{7, kMin}));
  EXPECT_EQ(RunUnary<int64_t>(Op::NEG, DataType::kInt64, {5, -3}), (std::vector<int64_t>{-5, 3}));
  EXPECT_EQ(RunUnary<float>(Op::NEG, DataType::kFloat32, {5, -3}), (F{-5, 3}));
  EXPECT_EQ(RunUnary<float>(Op::SIGN, DataType::kFloat32, {-2, 0, 3.5f}), (F{-1, 0, 1}));
  EXPECT_EQ(RunUnary<int32_t>(Op::SIGN, DataType::kInt32, {-9, 0, 4}), (std::vector<int32_t>{-1, 0, 1}));
  EXPECT_EQ(RunUnary<float>(Op::CEIL, DataType::kFloat32, {-1.5f, 1.2f, 2}), (F{-1, 2, 2}));
  EXPECT_EQ(RunUnary<float>(Op::FLOOR, DataType::kFloat32, {-1.5f, 1.2f, 2}), (F{-2, 1, 2}));
  // Half to even: 0.5->0, 1.5->2, 2.5->2, -0.5->-0, -1.5->-2; others to nearest.
  EXPECT_EQ(RunUnary<float>(Op::ROUND, DataType::kFloat32, {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 2.4f, -2.6f}),
            (F{0, 2, 2, 0, -2, 2, -3}));
  EXPECT_EQ(RunUnary<float>(Op::SQRT, DataType::kFloat32, {4, 0.25f}), (F{2, 0.5f}));
  EXPECT_EQ(RunUnary<float>(Op::RSQRT, DataType::kFloat32, {4, 0.25f}), (F{0.5f, 2}));
  EXPECT_EQ(RunUnary<float>(Op::SQUARE, DataType::kFloat32, {-3, 0.5f}), (F{9, 0.25f}));
  // hard_swish(x) = x*relu6(x+3)/6: -4 -> 0, -1 -> -1*2/6, 0 -> 0, 1 -> 4/6, 4 -> 4.
  auto hs = RunUnary<float>(Op::HARD_SWISH, DataType::kFloat32, {-4, -1, 0, 1, 4});
  const F hs_want = {0, -1.0f / 3, 0, 2.0f / 3, 4};
  ASSERT_EQ(hs.size(), hs_want.size());
  for (size_t i = 0; i < hs.size(); ++i) EXPECT_NEAR(hs[i], hs_want[i], 1e-6) << i;
}

TEST(UnaryMath, HandTranscendental) {
  const double e = std::exp(1.0), pi = 3.14159265358979323846;
  auto near = [](const F& got, const std::vector<double>& want, double tol) {
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tol) << i;
  };
  near(RunUnary<float>(Op::EXP, DataType::kFloat32, {0, 1}), {1, e}, 1e-6);
  near(RunUnary<float>(Op::LOG, DataType::kFloat32, {1, static_cast<float>(e)}), {0, 1}, 1e-6);
  near(RunUnary<float>(Op::SIN, DataType::kFloat32, {static_cast<float>(pi / 2), 0}), {1, 0}, 1e-6);
  near(RunUnary<float>(Op::COS, DataType::kFloat32, {0, static_cast<float>(pi)}), {1, -1}, 1e-6);
  near(RunUnary<float>(Op::TANH, DataType::kFloat32, {0, 20}), {0, 1}, 1e-6);
  // logistic(0) = 1/2; at 20 the float result is 1; at -20 it is e^-20 (~2.06e-9).
  auto lg = RunUnary<float>(Op::LOGISTIC, DataType::kFloat32, {0, 20, -20});
  ASSERT_EQ(lg.size(), 3u);
  EXPECT_EQ(lg[0], 0.5f);
  EXPECT_EQ(lg[1], 1.0f);
  EXPECT_NEAR(lg[2], std::exp(-20.0), 1e-6 * std::exp(-20.0));
  // elu(-1) = e^-1 - 1, elu(2) = 2.
  near(RunUnary<float>(Op::ELU, DataType::kFloat32, {-1, 2}), {1 / e - 1, 2}, 1e-6);
}

struct FloatUnaryCase {
  Op op;
  double (*f)(double);
  float lo, hi;  // input range (inside the function's domain)
  double tol;    // |got - want| <= tol * max(1, |want|)
};

const FloatUnaryCase kCases[] = {
    {Op::ABS, [](double x) { return std::fabs(x); }, -10, 10, 0},
    {Op::NEG, [](double x) { return -x; }, -10, 10, 0},
    {Op::CEIL, [](double x) { return std::ceil(x); }, -10, 10, 0},
    {Op::FLOOR, [](double x) { return std::floor(x); }, -10, 10, 0},
    {Op::ROUND, [](double x) { return std::nearbyint(x); }, -10, 10, 0},
    {Op::SQUARE, [](double x) { return x * x; }, -10, 10, 1e-7},
    {Op::SQRT, [](double x) { return std::sqrt(x); }, 0, 100, 1e-7},
    {Op::RSQRT, [](double x) { return 1 / std::sqrt(x); }, 0.01f, 100, 2e-7},
    {Op::EXP, [](double x) { return std::exp(x); }, -20, 20, 1e-6},
    {Op::LOG, [](double x) { return std::log(x); }, 1e-3f, 1e3f, 1e-6},
    {Op::SIN, [](double x) { return std::sin(x); }, -10, 10, 1e-6},
    {Op::COS, [](double x) { return std::cos(x); }, -10, 10, 1e-6},
    {Op::TANH, [](double x) { return std::tanh(x); }, -10, 10, 1e-6},
    {Op::LOGISTIC, [](double x) { return 1 / (1 + std::exp(-x)); }, -30, 30, 1e-6},
    {Op::ELU, [](double x) { return x < 0 ? std::expm1(x) : x; }, -10, 10, 1e-6},
    {Op::HARD_SWISH, [](double x) { return x * std::min(std::max(x + 3, 0.0), 6.0) / 6; }, -6, 6,
     1e-6},
    {Op::SIGN, [](double x) { return double((x > 0) - (x < 0)); }, -1, 1, 0},
};

TEST(UnaryMath, RandomAgainstFloat64) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (const FloatUnaryCase& c : kCases) {
    SCOPED_TRACE(fb::EnumNameBuiltinOperator(c.op));
    const int n = 1 + rng() % 300;
    auto in = testing::RandomFloats(rng, n, c.lo, c.hi);
    auto got = RunUnary<float>(c.op, DataType::kFloat32, in);
    ASSERT_EQ(got.size(), in.size());
    for (int i = 0; i < n; ++i) {
      const double want = c.f(in[i]);
      ASSERT_NEAR(got[i], want, c.tol * std::max(1.0, std::fabs(want))) << "x=" << in[i];
    }
  }
}

TEST(UnaryMath, RejectsInvalidModels) {
  // Quantized int8 SIN is not implemented (quantized TANH, LOGISTIC, ELU,
  // RSQRT, HARD_SWISH are: tests/ops/quantized_activations_test.cc).
  QuantSpec q{{1.0f / 128}, {0}, 0};
  {
    SingleOpModel m;
    int x = m.Input(DataType::kInt8, {4}, &q);
    int y = m.Output(DataType::kInt8, {}, &q);
    m.Op(Op::SIN, {x}, {y});
    Status s = m.Build();
    EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.ToString();
    EXPECT_NE(s.message().find("SIN"), std::string::npos) << s.message();
  }
  {  // CEIL has no integer version.
    SingleOpModel m;
    int x = m.Input(DataType::kInt32, {4});
    int y = m.Output(DataType::kInt32);
    m.Op(Op::CEIL, {x}, {y});
    EXPECT_EQ(m.Build().code(), StatusCode::kUnsupported);
  }
  {  // Output type differs from the input's.
    SingleOpModel m;
    int x = m.Input(DataType::kFloat32, {4});
    int y = m.Output(DataType::kInt32);
    m.Op(Op::EXP, {x}, {y});
    EXPECT_NE(m.Build().code(), StatusCode::kOk);
  }
  {  // Two inputs.
    SingleOpModel m;
    int x = m.Input(DataType::kFloat32, {4});
    int x2 = m.Input(DataType::kFloat32, {4});
    int y = m.Output(DataType::kFloat32);
    m.Op(Op::SQRT, {x, x2}, {y});
    EXPECT_EQ(m.Build().code(), StatusCode::kInvalidModel);
  }
}

}  // namespace
}  // namespace edgelite
