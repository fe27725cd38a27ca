// SEGMENT_SUM.
#include <cmath>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

TEST(SegmentSum, HandComputed) {
  // rows {1,2} {3,4} {5,6}, ids {0,0,1}: segment 0 = {4,6}, segment 1 = {5,6}.
  SingleOpModel m;
  int d = m.Input(DataType::kFloat32, {3, 2});
  int ids = m.Const<int32_t>(DataType::kInt32, {3}, {0, 0, 1});
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::SEGMENT_SUM, {d, ids}, {y});
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(d, {1, 2, 3, 4, 5, 6});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{2, 2}));
  EXPECT_EQ(m.Get<float>(y), (std::vector<float>{4, 6, 5, 6}));
}

TEST(SegmentSum, RuntimeIdsInt32) {
  SingleOpModel m;
  int d = m.Input(DataType::kInt32, {4});
  int ids = m.Input(DataType::kInt32, {4});
  int y = m.Output(DataType::kInt32);
  m.Op(fb::BuiltinOperator::SEGMENT_SUM, {d, ids}, {y});
  ASSERT_TRUE(m.Build().ok());
  m.Set<int32_t>(d, {1, 10, 100, 1000});
  m.Set<int32_t>(ids, {0, 1, 2, 3});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<int32_t>(y), (std::vector<int32_t>{1, 10, 100, 1000}));
  m.Set<int32_t>(ids, {0, 0, 0, 1});  // {111, 1000}
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{2}));
  EXPECT_EQ(m.Get<int32_t>(y), (std::vector<int32_t>{111, 1000}));
  m.Set<int32_t>(ids, {0, 2, 2, 3});  // a gap: rejected like TFLite
  EXPECT_EQ(m.Invoke().code(), StatusCode::kRuntimeError);
  m.Set<int32_t>(ids, {0, 1, 0, 1});  // not sorted
  EXPECT_EQ(m.Invoke().code(), StatusCode::kRuntimeError);
}

TEST(SegmentSum, RandomAgainstFloat64) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 15; ++trial) {
    const int rows = 1 + rng() % 30, inner = 1 + rng() % 5;
    std::vector<int32_t> id(rows);
    for (int r = 1; r < rows; ++r) id[r] = id[r - 1] + int(rng() % 3 == 0);
    auto x = testing::RandomFloats(rng, rows * inner, -5.0f, 5.0f);
    SingleOpModel m;
    int d = m.Input(DataType::kFloat32, {rows, inner});
    int ids = m.Const<int32_t>(DataType::kInt32, {rows}, id);
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::SEGMENT_SUM, {d, ids}, {y});
    ASSERT_TRUE(m.Build().ok());
    m.Set<float>(d, x);
    ASSERT_TRUE(m.Invoke().ok());
    const int segs = id.back() + 1;
    ASSERT_EQ(m.Shape(y), (std::vector<int32_t>{segs, inner}));
    std::vector<double> want(segs * inner, 0.0);
    for (int r = 0; r < rows; ++r)
      for (int j = 0; j < inner; ++j) want[id[r] * inner + j] += x[r * inner + j];
    // Double accumulation, one rounding to float: within 1 ulp (2^-23 relative) + tiny.
    const auto got = m.Get<float>(y);
    for (size_t i = 0; i < want.size(); ++i)
      EXPECT_NEAR(got[i], want[i], 1.2e-7 * std::fabs(want[i]) + 1e-12);
  }
}

TEST(SegmentSum, Errors) {
  {  // constant ids not starting at 0
    SingleOpModel m;
    int d = m.Input(DataType::kFloat32, {2});
    int ids = m.Const<int32_t>(DataType::kInt32, {2}, {1, 1});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::SEGMENT_SUM, {d, ids}, {y});
    Status s = m.Build();
    EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
    EXPECT_NE(s.message().find("SEGMENT_SUM"), std::string::npos) << s.message();
  }
  {  // ids length differs from data rows
    SingleOpModel m;
    int d = m.Input(DataType::kFloat32, {3, 2});
    int ids = m.Input(DataType::kInt32, {2});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::SEGMENT_SUM, {d, ids}, {y});
    EXPECT_EQ(m.Build().code(), StatusCode::kInvalidModel);
  }
}

}  // namespace
}  // namespace edgelite
