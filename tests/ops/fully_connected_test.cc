#include <cmath>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

TEST(FullyConnectedFloat, HandComputed) {
  // y = relu(x W^T + b), x = [[1,2,3],[-1,0,1]], W = [[1,0,-1],[2,1,0]], b = [0.5,-10].
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {2, 3});
  int w = m.Const<float>(DataType::kFloat32, {2, 3}, {1, 0, -1, 2, 1, 0});
  int b = m.Const<float>(DataType::kFloat32, {2}, {0.5f, -10.0f});
  int y = m.Output(DataType::kFloat32);
  fb::FullyConnectedOptionsT o;
  o.fused_activation_function = fb::ActivationFunctionType::RELU;
  m.Op(fb::BuiltinOperator::FULLY_CONNECTED, {x, w, b}, {y}, MakeOptions(o));
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(x, {1, 2, 3, -1, 0, 1});
  ASSERT_TRUE(m.Invoke().ok());
  // row0: 1-3+0.5=-1.5 -> 0 ; 2+2-10=-6 -> 0.  row1: -1-1+0.5=-1.5 -> 0 ; -2+0-10 -> 0
  // pick an input that exercises the positive side too:
  m.Set<float>(x, {3, 2, 1, 4, 5, 6});
  ASSERT_TRUE(m.Invoke().ok());
  // row0: 3-1+0.5=2.5 ; 6+2-10=-2->0. row1: 4-6+0.5=-1.5->0 ; 8+5-10=3
  EXPECT_EQ(m.Get<float>(y), (std::vector<float>{2.5f, 0.0f, 0.0f, 3.0f}));
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{2, 2}));
}

TEST(FullyConnectedFloat, RandomAgainstFloat64) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 20; ++trial) {
    const int batches = 1 + rng() % 5, depth = 1 + rng() % 70, units = 1 + rng() % 40;
    const bool keep = rng() % 2;
    auto xv = testing::RandomFloats(rng, batches * depth);
    auto wv = testing::RandomFloats(rng, units * depth);
    auto bv = testing::RandomFloats(rng, units);
    SingleOpModel m;
    int x = m.Input(DataType::kFloat32, {1, batches, depth});
    int w = m.Const<float>(DataType::kFloat32, {units, depth}, wv);
    int b = m.Const<float>(DataType::kFloat32, {units}, bv);
    int y = m.Output(DataType::kFloat32);
    fb::FullyConnectedOptionsT o;
    o.keep_num_dims = keep;
    m.Op(fb::BuiltinOperator::FULLY_CONNECTED, {x, w, b}, {y}, MakeOptions(o));
    ASSERT_TRUE(m.Build().ok());
    m.Set<float>(x, xv);
    ASSERT_TRUE(m.Invoke().ok());
    // Bound: float32 summation error grows with depth and with the magnitude
    // of the terms: |y - y64| <= 2 * depth * eps32 * (|b| + sum |x w|).
    const auto got = m.Get<float>(y);
    for (int i = 0; i < batches; ++i)
      for (int n = 0; n < units; ++n) {
        double acc = bv[n], mag = std::fabs(bv[n]);
        for (int k = 0; k < depth; ++k) {
          const double p = double(xv[i * depth + k]) * wv[n * depth + k];
          acc += p;
          mag += std::fabs(p);
        }
        EXPECT_NEAR(got[i * units + n], acc, 2.0 * depth * 1.2e-7 * mag);
      }
    if (keep)
      EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{1, batches, units}));
    else
      EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{batches, units}));
  }
}

TEST(FullyConnectedFloat, RejectsDepthMismatch) {
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {1, 5});
  int w = m.Const<float>(DataType::kFloat32, {2, 3}, {1, 2, 3, 4, 5, 6});
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::FULLY_CONNECTED, {x, w, -1}, {y});
  Status s = m.Build();
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
  EXPECT_NE(s.message().find("FULLY_CONNECTED"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace edgelite
