#include <cmath>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

TEST(L2NormalizationFloat, HandComputed) {
  // [3, 4] -> [0.6, 0.8]; an all-zero row stays zero (norm floored at 1e-6).
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {2, 2});
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::L2_NORMALIZATION, {x}, {y}, MakeOptions(fb::L2NormOptionsT{}));
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(x, {3, 4, 0, 0});
  ASSERT_TRUE(m.Invoke().ok());
  const auto got = m.Get<float>(y);
  EXPECT_FLOAT_EQ(got[0], 0.6f);
  EXPECT_FLOAT_EQ(got[1], 0.8f);
  EXPECT_EQ(got[2], 0.0f);
  EXPECT_EQ(got[3], 0.0f);
}

TEST(L2NormalizationFloat, RandomAgainstFloat64) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 20; ++trial) {
    const int rows = 1 + rng() % 5, depth = 1 + rng() % 40;
    auto xv = testing::RandomFloats(rng, size_t(rows) * depth, -3, 3);
    SingleOpModel m;
    int x = m.Input(DataType::kFloat32, {1, rows, depth});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::L2_NORMALIZATION, {x}, {y});
    ASSERT_TRUE(m.Build().ok());
    m.Set<float>(x, xv);
    ASSERT_TRUE(m.Invoke().ok());
    const auto got = m.Get<float>(y);
    for (int r = 0; r < rows; ++r) {
      double sq = 0;
      for (int c = 0; c < depth; ++c) sq += double(xv[r * depth + c]) * xv[r * depth + c];
      const double norm = std::max(std::sqrt(sq), 1e-6);
      for (int c = 0; c < depth; ++c)  // |y| <= 1; error ~ (depth + 3) eps32
        ASSERT_NEAR(got[r * depth + c], xv[r * depth + c] / norm, 1.2e-7 * (depth + 3));
    }
  }
}

TEST(L2NormalizationFloat, RejectsInteger) {
  SingleOpModel m;
  int x = m.Input(DataType::kInt32, {2});
  int y = m.Output(DataType::kInt32);
  m.Op(fb::BuiltinOperator::L2_NORMALIZATION, {x}, {y});
  Status s = m.Build();
  EXPECT_EQ(s.code(), StatusCode::kUnsupported);
  EXPECT_NE(s.message().find("L2_NORMALIZATION"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace edgelite
