// RELU, RELU6, RELU_N1_TO_1, RELU_0_TO_1, LEAKY_RELU, GELU, PRELU: hand
// cases, random inputs against float64 here, invalid models.
#include <cmath>

#include "tests/ops/elementwise_test_util.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::Dims;
using testing::SingleOpModel;
using Op = fb::BuiltinOperator;
using F = std::vector<float>;

F RunAct(Op op, const F& in, fb::BuiltinOptionsUnion opts = fb::BuiltinOptionsUnion()) {
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {static_cast<int32_t>(in.size())});
  int y = m.Output(DataType::kFloat32);
  m.Op(op, {x}, {y}, std::move(opts));
  Status s = m.Build();
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return {};
  m.Set<float>(x, in);
  s = m.Invoke();
  EXPECT_TRUE(s.ok()) << s.ToString();
  return m.Get<float>(y);
}

TEST(Activations, ReluFamilyHand) {
  const F in = {-3, -1, -0.5f, 0, 0.5f, 1, 3, 7};
  EXPECT_EQ(RunAct(Op::RELU, in), (F{0, 0, 0, 0, 0.5f, 1, 3, 7}));
  EXPECT_EQ(RunAct(Op::RELU6, in), (F{0, 0, 0, 0, 0.5f, 1, 3, 6}));
  EXPECT_EQ(RunAct(Op::RELU_N1_TO_1, in), (F{-1, -1, -0.5f, 0, 0.5f, 1, 1, 1}));
  EXPECT_EQ(RunAct(Op::RELU_0_TO_1, in), (F{0, 0, 0, 0, 0.5f, 1, 1, 1}));
}

TEST(Activations, LeakyReluAndGeluHand) {
  fb::LeakyReluOptionsT lo;
  lo.alpha = 0.25f;
  // x >= 0 unchanged; -4 * 0.25 = -1, -2 * 0.25 = -0.5.
  EXPECT_EQ(RunAct(Op::LEAKY_RELU, {-4, -2, 0, 3}, MakeOptions(lo)), (F{-1, -0.5f, 0, 3}));
  // Absent options: alpha = 0 (schema default) -> plain relu.
  EXPECT_EQ(RunAct(Op::LEAKY_RELU, {-4, 3}), (F{0, 3}));
  // gelu(0) = 0; gelu(x) -> x for large x, -> 0 for large negative x;
  // gelu(1) = 0.5 * (1 + erf(1/sqrt2)) = 0.8413447460685429.
  auto g = RunAct(Op::GELU, {0, 1, 10, -10});
  ASSERT_EQ(g.size(), 4u);
  EXPECT_EQ(g[0], 0.0f);
  EXPECT_NEAR(g[1], 0.8413447460685429, 1e-6);
  EXPECT_NEAR(g[2], 10.0, 1e-5);
  EXPECT_NEAR(g[3], 0.0, 1e-6);
  // Approximate: 0.5 (1 + tanh(sqrt(2/pi) (1 + 0.044715))) = 0.8411919906082768.
  fb::GeluOptionsT go;
  go.approximate = true;
  auto ga = RunAct(Op::GELU, {1}, MakeOptions(go));
  ASSERT_EQ(ga.size(), 1u);
  EXPECT_NEAR(ga[0], 0.8411919906082768, 1e-6);
}

TEST(Activations, RandomAgainstFloat64) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  const double kPi = 3.14159265358979323846;
  for (int trial = 0; trial < 5; ++trial) {
    const int n = 1 + rng() % 200;
    const F in = testing::RandomFloats(rng, n, -8, 8);
    const float alpha = testing::RandomFloats(rng, 1, 0, 1)[0];
    fb::LeakyReluOptionsT lo;
    lo.alpha = alpha;
    const F leaky = RunAct(Op::LEAKY_RELU, in, MakeOptions(lo));
    const F gelu = RunAct(Op::GELU, in);
    fb::GeluOptionsT go;
    go.approximate = true;
    const F gelu_a = RunAct(Op::GELU, in, MakeOptions(go));
    const F relu6 = RunAct(Op::RELU6, in);
    ASSERT_EQ(leaky.size(), in.size());
    for (int i = 0; i < n; ++i) {
      const double x = in[i];
      // Leaky relu and relu6 are one rounding (or none) away from float64.
      EXPECT_NEAR(leaky[i], x >= 0 ? x : x * double(alpha), 1e-7 * std::fabs(x)) << x;
      EXPECT_EQ(relu6[i], static_cast<float>(std::min(std::max(x, 0.0), 6.0))) << x;
      // GELU via float erfc/tanh: a few ulp; bound 1e-6 * max(1, |x|).
      const double g = 0.5 * x * std::erfc(-x / std::sqrt(2.0));
      const double ga =
          0.5 * x * (1 + std::tanh(std::sqrt(2 / kPi) * (x + 0.044715 * x * x * x)));
      EXPECT_NEAR(gelu[i], g, 1e-6 * std::max(1.0, std::fabs(x))) << x;
      EXPECT_NEAR(gelu_a[i], ga, 1e-6 * std::max(1.0, std::fabs(x))) << x;
    }
  }
}

TEST(Activations, PreluBroadcastAlpha) {
  // input [1,2,2,3], alpha [3] per channel = [0, 0.5, 2]:
  // negatives scale by the channel's alpha, positives pass.
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {1, 2, 2, 3});
  int a = m.Const<float>(DataType::kFloat32, {3}, {0, 0.5f, 2});
  int y = m.Output(DataType::kFloat32);
  m.Op(Op::PRELU, {x, a}, {y});
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(x, {-1, -1, -1, 1, 1, 1, -2, -4, -6, 0, 5, -0.5f});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<float>(y), (F{0, -0.5f, -2, 1, 1, 1, 0, -2, -12, 0, 5, -1}));
  EXPECT_EQ(m.Shape(y), (Dims{1, 2, 2, 3}));
}

TEST(Activations, PreluRandomBroadcast) {
  std::mt19937 rng(testing::TestSeed() + 7);
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed() + 7));
  for (int trial = 0; trial < 20; ++trial) {
    auto shapes = testing::RandomBroadcastShapes(rng, 2);
    const Dims out = testing::BroadcastDims(shapes[0], shapes[1]);
    const F in = testing::RandomFloats(rng, testing::NumElements(shapes[0]), -4, 4);
    const F alpha = testing::RandomFloats(rng, testing::NumElements(shapes[1]), -1, 1);
    SingleOpModel m;
    int x = m.Input(DataType::kFloat32, shapes[0]);
    int a = m.Const<float>(DataType::kFloat32, shapes[1], alpha);
    int y = m.Output(DataType::kFloat32);
    m.Op(Op::PRELU, {x, a}, {y});
    ASSERT_TRUE(m.Build().ok());
    m.Set<float>(x, in);
    ASSERT_TRUE(m.Invoke().ok());
    ASSERT_EQ(m.Shape(y), out);
    const F got = m.Get<float>(y);
    for (size_t i = 0; i < got.size(); ++i) {
      const double v = in[testing::SourceIndex(out, shapes[0], i)];
      const double al = alpha[testing::SourceIndex(out, shapes[1], i)];
      ASSERT_NEAR(got[i], v >= 0 ? v : v * al, 1e-7 * std::fabs(v)) << i;
    }
  }
}

TEST(Activations, RejectsInvalidModels) {
  QuantSpec q{{0.1f}, {0}, 0};
  // Quantized RELU and GELU are not implemented (quantized LEAKY_RELU is:
  // tests/ops/quantized_activations_test.cc).
  for (Op op : {Op::RELU, Op::GELU}) {
    SingleOpModel m;
    int x = m.Input(DataType::kInt8, {4}, &q);
    int y = m.Output(DataType::kInt8, {}, &q);
    m.Op(op, {x}, {y});
    Status s = m.Build();
    EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.ToString();
  }
  // PRELU alpha that does not broadcast against the input.
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {2, 3});
  int a = m.Const<float>(DataType::kFloat32, {2}, {1, 2});
  int y = m.Output(DataType::kFloat32);
  m.Op(Op::PRELU, {x, a}, {y});
  Status s = m.Build();
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();
  EXPECT_NE(s.message().find("PRELU"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace edgelite
