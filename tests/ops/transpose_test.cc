#include <algorithm>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

TEST(Transpose, Matrix) {
  // [[1,2,3],[4,5,6]]^T = [[1,4],[2,5],[3,6]].
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {2, 3});
  int p = m.Const<int32_t>(DataType::kInt32, {2}, {1, 0});
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::TRANSPOSE, {x, p}, {y});
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(x, {1, 2, 3, 4, 5, 6});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{3, 2}));
  EXPECT_EQ(m.Get<float>(y), (std::vector<float>{1, 4, 2, 5, 3, 6}));
}

TEST(Transpose, RandomRank6) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 10; ++trial) {
    const int rank = 1 + rng() % 6;
    std::vector<int32_t> dims(rank), perm(rank);
    for (int d = 0; d < rank; ++d) {
      dims[d] = 1 + rng() % 3;
      perm[d] = d;
    }
    std::shuffle(perm.begin(), perm.end(), rng);
    int64_t total = 1;
    for (int32_t d : dims) total *= d;
    std::vector<int32_t> xv(total);
    for (int64_t i = 0; i < total; ++i) xv[i] = static_cast<int32_t>(i);
    SingleOpModel m;
    int x = m.Input(DataType::kInt32, dims);
    int p = m.Const<int32_t>(DataType::kInt32, {rank}, perm);
    int y = m.Output(DataType::kInt32);
    m.Op(fb::BuiltinOperator::TRANSPOSE, {x, p}, {y});
    ASSERT_TRUE(m.Build().ok());
    m.Set<int32_t>(x, xv);
    ASSERT_TRUE(m.Invoke().ok());
    // Expected: out[o] = in[flat index of the input coordinate that o maps to].
    std::vector<int32_t> od(rank);
    for (int d = 0; d < rank; ++d) od[d] = dims[perm[d]];
    EXPECT_EQ(m.Shape(y), od);
    const auto got = m.Get<int32_t>(y);
    std::vector<int32_t> oi(rank, 0);
    for (int64_t o = 0; o < total; ++o) {
      std::vector<int32_t> ii(rank);
      for (int d = 0; d < rank; ++d) ii[perm[d]] = oi[d];
      int64_t flat = 0;
      for (int d = 0; d < rank; ++d) flat = flat * dims[d] + ii[d];
      ASSERT_EQ(got[o], xv[flat]);
      for (int d = rank - 1; d >= 0; --d) {
        if (++oi[d] < od[d]) break;
        oi[d] = 0;
      }
    }
  }
}

TEST(Transpose, RejectsNonPermutation) {
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {2, 3});
  int p = m.Const<int32_t>(DataType::kInt32, {2}, {0, 0});
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::TRANSPOSE, {x, p}, {y});
  EXPECT_EQ(m.Build().code(), StatusCode::kInvalidModel);
}

}  // namespace
}  // namespace edgelite
