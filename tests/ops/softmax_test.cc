#include <cmath>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

std::vector<float> RunOp(fb::BuiltinOperator op, fb::BuiltinOptionsUnion opts,
                       const std::vector<int32_t>& shape, const std::vector<float>& in) {
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, shape);
  int y = m.Output(DataType::kFloat32);
  m.Op(op, {x}, {y}, std::move(opts));
  EXPECT_TRUE(m.Build().ok());
  m.Set<float>(x, in);
  EXPECT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), shape);
  return m.Get<float>(y);
}

fb::BuiltinOptionsUnion Beta(float beta) {
  fb::SoftmaxOptionsT o;
  o.beta = beta;
  return MakeOptions(o);
}

TEST(SoftmaxFloat, HandComputed) {
  // Row [0, ln 3]: exp -> [1, 3] / 4 = [0.25, 0.75]. Row [1000, 1000]: [0.5, 0.5]
  // (the max subtraction keeps exp finite). beta 2 on [0, ln 3 / 2] gives the same.
  const float l3 = std::log(3.0f);
  auto y = RunOp(fb::BuiltinOperator::SOFTMAX, Beta(1), {2, 2}, {0, l3, 1000, 1000});
  EXPECT_NEAR(y[0], 0.25f, 1e-7);
  EXPECT_NEAR(y[1], 0.75f, 1e-7);
  EXPECT_EQ(y[2], 0.5f);
  EXPECT_EQ(y[3], 0.5f);
  y = RunOp(fb::BuiltinOperator::SOFTMAX, Beta(2), {1, 2}, {0, l3 / 2});
  EXPECT_NEAR(y[0], 0.25f, 1e-7);
}

TEST(LogSoftmaxFloat, HandComputed) {
  // [0, ln 3] -> [ln 1/4, ln 3/4]; a constant shift of the row changes nothing.
  const float l3 = std::log(3.0f);
  auto y = RunOp(fb::BuiltinOperator::LOG_SOFTMAX, MakeOptions(fb::LogSoftmaxOptionsT{}), {2, 2},
               {0, l3, 500, 500 + l3});
  EXPECT_NEAR(y[0], std::log(0.25), 1e-6);
  EXPECT_NEAR(y[1], std::log(0.75), 1e-6);
  EXPECT_NEAR(y[2], std::log(0.25), 1e-4);  // 500 + ln3 is only exact to ~3e-5 in float
  EXPECT_NEAR(y[3], std::log(0.75), 1e-4);
}

TEST(SoftmaxFloat, RandomAgainstFloat64) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 30; ++trial) {
    const int rank = 1 + rng() % 4;
    std::vector<int32_t> shape;
    for (int i = 0; i < rank; ++i) shape.push_back(1 + rng() % 6);
    size_t n = 1;
    for (int d : shape) n *= d;
    const int depth = shape.back();
    const float beta = 0.25f + (rng() % 8) * 0.25f;
    const bool log_variant = trial % 2;
    auto xv = testing::RandomFloats(rng, n, -5, 5);
    auto got = log_variant ? RunOp(fb::BuiltinOperator::LOG_SOFTMAX,
                                 MakeOptions(fb::LogSoftmaxOptionsT{}), shape, xv)
                           : RunOp(fb::BuiltinOperator::SOFTMAX, Beta(beta), shape, xv);
    for (size_t r = 0; r < n / depth; ++r) {
      double mx = -1e300, sum = 0;
      const double b = log_variant ? 1.0 : beta;
      for (int c = 0; c < depth; ++c) mx = std::max(mx, double(xv[r * depth + c]));
      for (int c = 0; c < depth; ++c) sum += std::exp((xv[r * depth + c] - mx) * b);
      for (int c = 0; c < depth; ++c) {
        const double z = (xv[r * depth + c] - mx) * b;
        // softmax: relative error of exp and the sum, ~ (depth + 4) eps32;
        // log_softmax: absolute error ~ (|z| + log(sum) + depth) eps32.
        if (log_variant)
          ASSERT_NEAR(got[r * depth + c], z - std::log(sum), 2e-6 * (12 + depth));
        else
          ASSERT_NEAR(got[r * depth + c], std::exp(z) / sum,
                      2e-7 * (depth + 12) * std::exp(z) / sum + 1e-30);
      }
    }
  }
}

TEST(SoftmaxFloat, RejectsScalarAndIntegers) {
  {
    SingleOpModel m;
    int x = m.Input(DataType::kFloat32, {});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::SOFTMAX, {x}, {y}, Beta(1));
    Status s = m.Build();
    EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
    EXPECT_NE(s.message().find("SOFTMAX"), std::string::npos) << s.message();
  }
  {
    SingleOpModel m;
    QuantSpec q{{0.1f}, {0}, 0};
    int x = m.Input(DataType::kInt8, {2}, &q);
    int y = m.Output(DataType::kInt8, {}, &q);
    m.Op(fb::BuiltinOperator::LOG_SOFTMAX, {x}, {y});
    // Quantized LOG_SOFTMAX needs output scale 16/256 and zero point 127
    // (as TFLite); this output has 0.1 / 0.
    EXPECT_EQ(m.Build().code(), StatusCode::kInvalidModel);
  }
}

}  // namespace
}  // namespace edgelite
