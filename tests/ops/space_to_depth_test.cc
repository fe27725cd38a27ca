#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

template <typename T>
std::vector<T> RunOp(fb::BuiltinOperator op, DataType type, const std::vector<int32_t>& shape,
                   const std::vector<T>& in, int bs, std::vector<int32_t>* out_shape) {
  SingleOpModel m;
  int x = m.Input(type, shape);
  int y = m.Output(type);
  if (op == fb::BuiltinOperator::SPACE_TO_DEPTH) {
    fb::SpaceToDepthOptionsT o;
    o.block_size = bs;
    m.Op(op, {x}, {y}, MakeOptions(o));
  } else {
    fb::DepthToSpaceOptionsT o;
    o.block_size = bs;
    m.Op(op, {x}, {y}, MakeOptions(o));
  }
  EXPECT_TRUE(m.Build().ok());
  m.Set<T>(x, in);
  EXPECT_TRUE(m.Invoke().ok());
  *out_shape = m.Shape(y);
  return m.Get<T>(y);
}

TEST(SpaceToDepth, HandComputed) {
  // 1x2x2x1 [[1,2],[3,4]] with block 2 -> 1x1x1x4 [1,2,3,4] (block row-major).
  std::vector<int32_t> s;
  EXPECT_EQ(RunOp<float>(fb::BuiltinOperator::SPACE_TO_DEPTH, DataType::kFloat32, {1, 2, 2, 1},
                       {1, 2, 3, 4}, 2, &s),
            (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(s, (std::vector<int32_t>{1, 1, 1, 4}));
  // 1x2x4x1 with 2 channels... 1x2x4x1 [[1,2,3,4],[5,6,7,8]] -> 1x1x2x4
  // [[1,2,5,6],[3,4,7,8]].
  EXPECT_EQ(RunOp<uint8_t>(fb::BuiltinOperator::SPACE_TO_DEPTH, DataType::kUInt8, {1, 2, 4, 1},
                         {1, 2, 3, 4, 5, 6, 7, 8}, 2, &s),
            (std::vector<uint8_t>{1, 2, 5, 6, 3, 4, 7, 8}));
  EXPECT_EQ(s, (std::vector<int32_t>{1, 1, 2, 4}));
}

TEST(DepthToSpace, HandComputed) {
  // The inverse of the second case above.
  std::vector<int32_t> s;
  EXPECT_EQ(RunOp<int64_t>(fb::BuiltinOperator::DEPTH_TO_SPACE, DataType::kInt64, {1, 1, 2, 4},
                         {1, 2, 5, 6, 3, 4, 7, 8}, 2, &s),
            (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(s, (std::vector<int32_t>{1, 2, 4, 1}));
}

TEST(SpaceToDepth, RandomAgainstIndexFormulaAndRoundTrip) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 20; ++trial) {
    const int bs = 1 + rng() % 3, n = 1 + rng() % 2, c = 1 + rng() % 3;
    const int h = bs * (1 + rng() % 3), w = bs * (1 + rng() % 3);
    std::vector<int32_t> in(size_t(n) * h * w * c);
    for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<int32_t>(rng());
    std::vector<int32_t> s1, s2;
    auto d = RunOp<int32_t>(fb::BuiltinOperator::SPACE_TO_DEPTH, DataType::kInt32, {n, h, w, c},
                          in, bs, &s1);
    ASSERT_EQ(s1, (std::vector<int32_t>{n, h / bs, w / bs, c * bs * bs}));
    for (int b = 0; b < n; ++b)
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
          for (int ch = 0; ch < c; ++ch) {
            const size_t o = ((size_t(b) * (h / bs) + y / bs) * (w / bs) + x / bs) * c * bs * bs +
                             ((y % bs) * bs + (x % bs)) * c + ch;
            ASSERT_EQ(d[o], in[((size_t(b) * h + y) * w + x) * c + ch]);
          }
    auto back = RunOp<int32_t>(fb::BuiltinOperator::DEPTH_TO_SPACE, DataType::kInt32, s1, d, bs, &s2);
    ASSERT_EQ(s2, (std::vector<int32_t>{n, h, w, c}));
    ASSERT_EQ(back, in);
  }
}

TEST(SpaceToDepth, RejectsBadBlockSize) {
  {
    SingleOpModel m;  // height 3 not divisible by 2
    int x = m.Input(DataType::kFloat32, {1, 3, 2, 1});
    int y = m.Output(DataType::kFloat32);
    fb::SpaceToDepthOptionsT o;
    o.block_size = 2;
    m.Op(fb::BuiltinOperator::SPACE_TO_DEPTH, {x}, {y}, MakeOptions(o));
    Status s = m.Build();
    EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
    EXPECT_NE(s.message().find("SPACE_TO_DEPTH"), std::string::npos) << s.message();
  }
  {
    SingleOpModel m;  // depth 2 not divisible by 4; and block 0 below
    int x = m.Input(DataType::kFloat32, {1, 1, 1, 2});
    int y = m.Output(DataType::kFloat32);
    fb::DepthToSpaceOptionsT o;
    o.block_size = 2;
    m.Op(fb::BuiltinOperator::DEPTH_TO_SPACE, {x}, {y}, MakeOptions(o));
    EXPECT_EQ(m.Build().code(), StatusCode::kInvalidModel);
  }
  {
    SingleOpModel m;
    int x = m.Input(DataType::kFloat32, {1, 1, 1, 2});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::DEPTH_TO_SPACE, {x}, {y}, MakeOptions(fb::DepthToSpaceOptionsT{}));
    EXPECT_EQ(m.Build().code(), StatusCode::kInvalidModel);
  }
}

}  // namespace
}  // namespace edgelite
