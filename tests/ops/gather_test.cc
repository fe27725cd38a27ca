#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

TEST(Gather, Axis1Int64Indices) {
  // params [2,3] = [[1,2,3],[4,5,6]], axis 1, indices [2,0] -> [[3,1],[6,4]].
  SingleOpModel m;
  int p = m.Input(DataType::kFloat32, {2, 3});
  int i = m.Const<int64_t>(DataType::kInt64, {2}, {2, 0});
  int y = m.Output(DataType::kFloat32);
  fb::GatherOptionsT o;
  o.axis = 1;
  m.Op(fb::BuiltinOperator::GATHER, {p, i}, {y}, MakeOptions(o));
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(p, {1, 2, 3, 4, 5, 6});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{2, 2}));
  EXPECT_EQ(m.Get<float>(y), (std::vector<float>{3, 1, 6, 4}));
}

TEST(Gather, BatchDims) {
  // params [2,3], indices [2,1] with batch_dims 1, axis 1: row b picks column idx[b].
  SingleOpModel m;
  int p = m.Input(DataType::kInt32, {2, 3});
  int i = m.Input(DataType::kInt32, {2, 1});
  int y = m.Output(DataType::kInt32);
  fb::GatherOptionsT o;
  o.axis = 1;
  o.batch_dims = 1;
  m.Op(fb::BuiltinOperator::GATHER, {p, i}, {y}, MakeOptions(o));
  ASSERT_TRUE(m.Build().ok());
  m.Set<int32_t>(p, {10, 11, 12, 20, 21, 22});
  m.Set<int32_t>(i, {2, 0});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{2, 1}));
  EXPECT_EQ(m.Get<int32_t>(y), (std::vector<int32_t>{12, 20}));
}

TEST(Gather, OutOfRangeIndexIsRuntimeError) {
  SingleOpModel m;
  int p = m.Input(DataType::kFloat32, {3});
  int i = m.Input(DataType::kInt32, {2});
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::GATHER, {p, i}, {y});
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(p, {1, 2, 3});
  m.Set<int32_t>(i, {0, 3});
  EXPECT_EQ(m.Invoke().code(), StatusCode::kRuntimeError);
  m.Set<int32_t>(i, {-1, 0});
  EXPECT_EQ(m.Invoke().code(), StatusCode::kRuntimeError);
}

TEST(Gather, RandomAgainstDirectIndexing) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 10; ++trial) {
    const int a = 1 + rng() % 4, b = 1 + rng() % 5, c = 1 + rng() % 4, n = 1 + rng() % 6;
    auto pv = testing::RandomFloats(rng, a * b * c);
    std::vector<int32_t> iv(n);
    for (auto& v : iv) v = rng() % b;
    SingleOpModel m;
    int p = m.Input(DataType::kFloat32, {a, b, c});
    int i = m.Input(DataType::kInt32, {n});
    int y = m.Output(DataType::kFloat32);
    fb::GatherOptionsT o;
    o.axis = -2;
    m.Op(fb::BuiltinOperator::GATHER, {p, i}, {y}, MakeOptions(o));
    ASSERT_TRUE(m.Build().ok());
    m.Set<float>(p, pv);
    m.Set<int32_t>(i, iv);
    ASSERT_TRUE(m.Invoke().ok());
    std::vector<float> expect;
    for (int x = 0; x < a; ++x)
      for (int k = 0; k < n; ++k)
        for (int z = 0; z < c; ++z) expect.push_back(pv[(x * b + iv[k]) * c + z]);
    EXPECT_EQ(m.Get<float>(y), expect);
  }
}

TEST(GatherNd, HandComputed) {
  // params [2,2,2] = 0..7; indices [[1,0],[0,1]] -> slices p[1,0,:]=[4,5], p[0,1,:]=[2,3].
  SingleOpModel m;
  int p = m.Input(DataType::kFloat32, {2, 2, 2});
  int i = m.Const<int32_t>(DataType::kInt32, {2, 2}, {1, 0, 0, 1});
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::GATHER_ND, {p, i}, {y});
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(p, {0, 1, 2, 3, 4, 5, 6, 7});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{2, 2}));
  EXPECT_EQ(m.Get<float>(y), (std::vector<float>{4, 5, 2, 3}));
}

TEST(GatherNd, RejectsTooDeepIndices) {
  SingleOpModel m;
  int p = m.Input(DataType::kFloat32, {2});
  int i = m.Const<int32_t>(DataType::kInt32, {1, 2}, {0, 0});
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::GATHER_ND, {p, i}, {y});
  EXPECT_EQ(m.Build().code(), StatusCode::kInvalidModel);
}

}  // namespace
}  // namespace edgelite
