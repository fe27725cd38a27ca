// WHERE (one input).
#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

TEST(Where, HandComputedBool) {
  // [[T, F], [F, T]] -> coordinates (0,0), (1,1).
  SingleOpModel m;
  int c = m.Input(DataType::kBool, {2, 2});
  int y = m.Output(DataType::kInt64);
  m.Op(fb::BuiltinOperator::WHERE, {c}, {y});
  ASSERT_TRUE(m.Build().ok());
  m.Set<uint8_t>(c, {1, 0, 0, 1});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{2, 2}));
  EXPECT_EQ(m.Get<int64_t>(y), (std::vector<int64_t>{0, 0, 1, 1}));
  // The count changes with the values: all false -> [0, 2].
  m.Set<uint8_t>(c, {0, 0, 0, 0});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{0, 2}));
  m.Set<uint8_t>(c, {1, 1, 1, 0});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<int64_t>(y), (std::vector<int64_t>{0, 0, 0, 1, 1, 0}));
}

TEST(Where, ConstantConditionAndFloat) {
  // Constant float condition {0, 2.5, 0, -1}: non-zero at 1 and 3; shape fixed at prepare.
  SingleOpModel m;
  int c = m.Const<float>(DataType::kFloat32, {4}, {0.0f, 2.5f, 0.0f, -1.0f});
  int y = m.Output(DataType::kInt64);
  m.Op(fb::BuiltinOperator::WHERE, {c}, {y});
  ASSERT_TRUE(m.Build().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{2, 1}));
  EXPECT_NE(m.tensor(y)->allocation, Allocation::kDynamic);
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<int64_t>(y), (std::vector<int64_t>{1, 3}));
}

TEST(Where, RandomRank3AgainstLoop) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 10; ++trial) {
    const int d0 = 1 + rng() % 4, d1 = 1 + rng() % 4, d2 = 1 + rng() % 4;
    std::vector<int32_t> x(d0 * d1 * d2);
    for (auto& v : x) v = rng() % 3 == 0 ? int32_t(rng() % 7) - 3 : 0;
    SingleOpModel m;
    int c = m.Input(DataType::kInt32, {d0, d1, d2});
    int y = m.Output(DataType::kInt64);
    m.Op(fb::BuiltinOperator::WHERE, {c}, {y});
    ASSERT_TRUE(m.Build().ok());
    m.Set<int32_t>(c, x);
    ASSERT_TRUE(m.Invoke().ok());
    std::vector<int64_t> want;
    for (int i = 0; i < d0; ++i)
      for (int j = 0; j < d1; ++j)
        for (int k = 0; k < d2; ++k)
          if (x[(i * d1 + j) * d2 + k] != 0) want.insert(want.end(), {i, j, k});
    EXPECT_EQ(m.Get<int64_t>(y), want);
    EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{int32_t(want.size() / 3), 3}));
  }
}

TEST(Where, RejectsNonInt64Output) {
  SingleOpModel m;
  int c = m.Input(DataType::kBool, {3});
  int y = m.Output(DataType::kInt32);
  m.Op(fb::BuiltinOperator::WHERE, {c}, {y});
  Status s = m.Build();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("WHERE"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace edgelite
