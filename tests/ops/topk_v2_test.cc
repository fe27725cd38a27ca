// TOPK_V2.
#include <algorithm>
#include <numeric>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

TEST(TopKV2, HandComputedStableTies) {
  // Row {3, 1, 3, 2, 5}, k = 3: 5 (index 4), then the two 3s in index order (0, 2).
  SingleOpModel m;
  int in = m.Input(DataType::kFloat32, {1, 5});
  int k = m.Const<int32_t>(DataType::kInt32, {}, {3});
  int vals = m.Output(DataType::kFloat32);
  int idx = m.Output(DataType::kInt32);
  m.Op(fb::BuiltinOperator::TOPK_V2, {in, k}, {vals, idx});
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(in, {3, 1, 3, 2, 5});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<float>(vals), (std::vector<float>{5, 3, 3}));
  EXPECT_EQ(m.Get<int32_t>(idx), (std::vector<int32_t>{4, 0, 2}));
  EXPECT_EQ(m.Shape(vals), (std::vector<int32_t>{1, 3}));
}

TEST(TopKV2, RuntimeKGivesDynamicShape) {
  SingleOpModel m;
  int in = m.Input(DataType::kInt32, {2, 4});
  int k = m.Input(DataType::kInt32, {});
  int vals = m.Output(DataType::kInt32);
  int idx = m.Output(DataType::kInt64);
  m.Op(fb::BuiltinOperator::TOPK_V2, {in, k}, {vals, idx});
  ASSERT_TRUE(m.Build().ok());
  m.Set<int32_t>(in, {7, -1, 7, 9, 0, 0, 0, 0});
  m.Set<int32_t>(k, {2});
  ASSERT_TRUE(m.Invoke().ok());
  // Row 0: 9 (3), 7 (0). Row 1: all equal -> indices 0, 1.
  EXPECT_EQ(m.Shape(vals), (std::vector<int32_t>{2, 2}));
  EXPECT_EQ(m.Get<int32_t>(vals), (std::vector<int32_t>{9, 7, 0, 0}));
  EXPECT_EQ(m.Get<int64_t>(idx), (std::vector<int64_t>{3, 0, 0, 1}));
  m.Set<int32_t>(k, {4});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(idx), (std::vector<int32_t>{2, 4}));
  EXPECT_EQ(m.Get<int64_t>(idx), (std::vector<int64_t>{3, 0, 2, 1, 0, 1, 2, 3}));
  m.Set<int32_t>(k, {0});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(idx), (std::vector<int32_t>{2, 0}));
  m.Set<int32_t>(k, {5});  // more than the row holds
  EXPECT_EQ(m.Invoke().code(), StatusCode::kRuntimeError);
}

TEST(TopKV2, RandomAgainstStableSort) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 30; ++trial) {
    const int rows = 1 + rng() % 4, n = 1 + rng() % 40, kk = rng() % (n + 1);
    std::vector<float> x(rows * n);
    for (auto& v : x) v = float(int(rng() % 9) - 4) * 0.5f;  // many ties
    SingleOpModel m;
    int in = m.Input(DataType::kFloat32, {rows, n});
    const bool const_k = rng() % 2;
    int k = const_k ? m.Const<int32_t>(DataType::kInt32, {}, {kk}) : m.Input(DataType::kInt32, {});
    int vals = m.Output(DataType::kFloat32);
    int idx = m.Output(DataType::kInt32);
    m.Op(fb::BuiltinOperator::TOPK_V2, {in, k}, {vals, idx});
    ASSERT_TRUE(m.Build().ok());
    m.Set<float>(in, x);
    if (!const_k) m.Set<int32_t>(k, {kk});
    ASSERT_TRUE(m.Invoke().ok());
    std::vector<float> want_v;
    std::vector<int32_t> want_i;
    for (int r = 0; r < rows; ++r) {
      std::vector<int32_t> order(n);
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(),
                       [&](int a, int b) { return x[r * n + a] > x[r * n + b]; });
      for (int j = 0; j < kk; ++j) {
        want_i.push_back(order[j]);
        want_v.push_back(x[r * n + order[j]]);
      }
    }
    SCOPED_TRACE("trial " + std::to_string(trial));
    EXPECT_EQ(m.Get<float>(vals), want_v);
    EXPECT_EQ(m.Get<int32_t>(idx), want_i);
    EXPECT_EQ(m.Shape(idx), (std::vector<int32_t>{rows, kk}));
  }
}

TEST(TopKV2, RejectsConstantKTooLarge) {
  SingleOpModel m;
  int in = m.Input(DataType::kFloat32, {3});
  int k = m.Const<int32_t>(DataType::kInt32, {}, {4});
  int vals = m.Output(DataType::kFloat32);
  int idx = m.Output(DataType::kInt32);
  m.Op(fb::BuiltinOperator::TOPK_V2, {in, k}, {vals, idx});
  Status s = m.Build();
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
  EXPECT_NE(s.message().find("TOPK_V2"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace edgelite
