#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

TEST(SpaceToBatchND, HandComputedWithPadding) {
  // 1x2x3x1 [[1,2,3],[4,5,6]], block [2,2], paddings [[0,0],[0,1]] -> padded
  // [[1,2,3,0],[4,5,6,0]] -> 4 batches of 1x2: offsets (0,0) [1,3], (0,1) [2,0],
  // (1,0) [4,6], (1,1) [5,0].
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {1, 2, 3, 1});
  int block = m.Const<int32_t>(DataType::kInt32, {2}, {2, 2});
  int pads = m.Const<int32_t>(DataType::kInt32, {2, 2}, {0, 0, 0, 1});
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::SPACE_TO_BATCH_ND, {x, block, pads}, {y},
       MakeOptions(fb::SpaceToBatchNDOptionsT{}));
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(x, {1, 2, 3, 4, 5, 6});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{4, 1, 2, 1}));
  EXPECT_EQ(m.Get<float>(y), (std::vector<float>{1, 3, 2, 0, 4, 6, 5, 0}));
}

TEST(SpaceToBatchND, QuantizedPadsWithZeroPoint) {
  // int8 with zero point -5: padding holds -5 (the real value 0).
  SingleOpModel m;
  QuantSpec q{{0.5f}, {-5}, 0};
  int x = m.Input(DataType::kInt8, {1, 1, 1, 1}, &q);
  int block = m.Const<int32_t>(DataType::kInt32, {2}, {1, 2});
  int pads = m.Const<int32_t>(DataType::kInt32, {2, 2}, {0, 0, 1, 0});
  int y = m.Output(DataType::kInt8, {}, &q);
  m.Op(fb::BuiltinOperator::SPACE_TO_BATCH_ND, {x, block, pads}, {y});
  ASSERT_TRUE(m.Build().ok());
  m.Set<int8_t>(x, {7});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<int8_t>(y), (std::vector<int8_t>{-5, 7}));
}

TEST(BatchToSpaceND, HandComputedWithCrops) {
  // The inverse of the first case: crops [[0,0],[0,1]].
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {4, 1, 2, 1});
  int block = m.Const<int32_t>(DataType::kInt32, {2}, {2, 2});
  int crops = m.Const<int32_t>(DataType::kInt32, {2, 2}, {0, 0, 0, 1});
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::BATCH_TO_SPACE_ND, {x, block, crops}, {y});
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(x, {1, 3, 2, 0, 4, 6, 5, 0});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{1, 2, 3, 1}));
  EXPECT_EQ(m.Get<float>(y), (std::vector<float>{1, 2, 3, 4, 5, 6}));
}

// Random shapes (rank 3 and 4), checked against the index formula, then
// BATCH_TO_SPACE_ND with crops = paddings must undo SPACE_TO_BATCH_ND. Block
// shape and paddings are graph inputs half of the time (dynamic output).
TEST(SpaceToBatchND, RandomAgainstFormulaAndRoundTrip) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 20; ++trial) {
    const int m_sp = 1 + rng() % 2;  // spatial dims
    const int n = 1 + rng() % 2, c = 1 + rng() % 3;
    std::vector<int32_t> shape = {n}, block, pads, out_shape = {0};
    int prod = 1;
    for (int i = 0; i < m_sp; ++i) {
      const int b = 1 + rng() % 3, s = 1 + rng() % 5, before = rng() % 3;
      const int total = ((s + before + b - 1) / b) * b, after = total - s - before;
      shape.push_back(s);
      block.push_back(b);
      pads.push_back(before);
      pads.push_back(after);
      out_shape.push_back(total / b);
      prod *= b;
    }
    shape.push_back(c);
    out_shape[0] = n * prod;
    out_shape.push_back(c);
    const bool dynamic = rng() % 2;
    size_t count = 1;
    for (int d : shape) count *= d;
    std::vector<int32_t> in(count);
    for (size_t i = 0; i < count; ++i) in[i] = static_cast<int32_t>(i + 1);

    SingleOpModel m;
    int x = m.Input(DataType::kInt32, shape);
    int bt = dynamic ? m.Input(DataType::kInt32, {m_sp})
                     : m.Const<int32_t>(DataType::kInt32, {m_sp}, block);
    int pt = dynamic ? m.Input(DataType::kInt32, {m_sp, 2})
                     : m.Const<int32_t>(DataType::kInt32, {m_sp, 2}, pads);
    int mid = m.Output(DataType::kInt32);
    int back = m.Output(DataType::kInt32);
    m.Op(fb::BuiltinOperator::SPACE_TO_BATCH_ND, {x, bt, pt}, {mid});
    m.Op(fb::BuiltinOperator::BATCH_TO_SPACE_ND, {mid, bt, pt}, {back});
    ASSERT_TRUE(m.Build().ok());
    m.Set<int32_t>(x, in);
    if (dynamic) {
      m.Set<int32_t>(bt, block);
      m.Set<int32_t>(pt, pads);
    }
    ASSERT_TRUE(m.Invoke().ok());
    ASSERT_EQ(m.Shape(mid), out_shape);
    const auto got = m.Get<int32_t>(mid);
    // Check every batch-side element by the formula.
    size_t idx = 0;
    const int t1 = out_shape[1], t2 = m_sp == 2 ? out_shape[2] : 1;
    const int b1 = block[0], b2 = m_sp == 2 ? block[1] : 1;
    const int p1 = pads[0], p2 = m_sp == 2 ? pads[2] : 0;
    const int s1 = shape[1], s2 = m_sp == 2 ? shape[2] : 1;
    for (int ob = 0; ob < out_shape[0]; ++ob)
      for (int y = 0; y < t1; ++y)
        for (int xx = 0; xx < t2; ++xx)
          for (int ch = 0; ch < c; ++ch, ++idx) {
            const int b = ob % n, k = ob / n, o1 = k / b2, o2 = k % b2;
            const int sy = y * b1 + o1 - p1, sx = xx * b2 + o2 - p2;
            const bool inside = sy >= 0 && sy < s1 && sx >= 0 && sx < s2;
            const int want = inside ? in[((size_t(b) * s1 + sy) * s2 + sx) * c + ch] : 0;
            ASSERT_EQ(got[idx], want) << "at " << idx;
          }
    ASSERT_EQ(m.Shape(back), shape);
    ASSERT_EQ(m.Get<int32_t>(back), in);
  }
}

TEST(SpaceToBatchND, RejectsBadParameters) {
  {
    SingleOpModel m;  // 3 + 0 not divisible by block 2
    int x = m.Input(DataType::kFloat32, {1, 3, 2, 1});
    int block = m.Const<int32_t>(DataType::kInt32, {2}, {2, 2});
    int pads = m.Const<int32_t>(DataType::kInt32, {2, 2}, {0, 0, 0, 0});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::SPACE_TO_BATCH_ND, {x, block, pads}, {y});
    Status s = m.Build();
    EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
    EXPECT_NE(s.message().find("SPACE_TO_BATCH_ND"), std::string::npos) << s.message();
  }
  {
    SingleOpModel m;  // batch 3 not divisible by block product 4
    int x = m.Input(DataType::kFloat32, {3, 1, 1, 1});
    int block = m.Const<int32_t>(DataType::kInt32, {2}, {2, 2});
    int crops = m.Const<int32_t>(DataType::kInt32, {2, 2}, {0, 0, 0, 0});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::BATCH_TO_SPACE_ND, {x, block, crops}, {y});
    EXPECT_EQ(m.Build().code(), StatusCode::kInvalidModel);
  }
  {
    SingleOpModel m;  // block 0 given at run time: error at Invoke, no crash
    int x = m.Input(DataType::kFloat32, {1, 2, 2, 1});
    int block = m.Input(DataType::kInt32, {2});
    int pads = m.Const<int32_t>(DataType::kInt32, {2, 2}, {0, 0, 0, 0});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::SPACE_TO_BATCH_ND, {x, block, pads}, {y});
    ASSERT_TRUE(m.Build().ok());
    m.Set<int32_t>(block, {0, 1});
    EXPECT_FALSE(m.Invoke().ok());
  }
}

}  // namespace
}  // namespace edgelite
