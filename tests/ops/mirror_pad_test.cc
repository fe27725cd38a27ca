#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

std::vector<float> Mirror(fb::MirrorPadMode mode, const std::vector<int32_t>& shape,
                          const std::vector<float>& in, const std::vector<int32_t>& pads,
                          std::vector<int32_t>* out_shape) {
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, shape);
  int p = m.Const<int32_t>(DataType::kInt32, {int(shape.size()), 2}, pads);
  int y = m.Output(DataType::kFloat32);
  fb::MirrorPadOptionsT o;
  o.mode = mode;
  m.Op(fb::BuiltinOperator::MIRROR_PAD, {x, p}, {y}, MakeOptions(o));
  EXPECT_TRUE(m.Build().ok());
  m.Set<float>(x, in);
  EXPECT_TRUE(m.Invoke().ok());
  *out_shape = m.Shape(y);
  return m.Get<float>(y);
}

TEST(MirrorPad, HandComputed) {
  std::vector<int32_t> s;
  // [1,2,3] padded [2,2]: REFLECT 3,2,|1,2,3|,2,1 ; SYMMETRIC 2,1,|1,2,3|,3,2.
  EXPECT_EQ(Mirror(fb::MirrorPadMode::REFLECT, {3}, {1, 2, 3}, {2, 2}, &s),
            (std::vector<float>{3, 2, 1, 2, 3, 2, 1}));
  EXPECT_EQ(Mirror(fb::MirrorPadMode::SYMMETRIC, {3}, {1, 2, 3}, {2, 2}, &s),
            (std::vector<float>{2, 1, 1, 2, 3, 3, 2}));
  // 2-D REFLECT [[1,2],[3,4]] pads [[1,0],[0,1]] -> [[3,4,3],[1,2,1],[3,4,3]].
  EXPECT_EQ(Mirror(fb::MirrorPadMode::REFLECT, {2, 2}, {1, 2, 3, 4}, {1, 0, 0, 1}, &s),
            (std::vector<float>{3, 4, 3, 1, 2, 1, 3, 4, 3}));
  EXPECT_EQ(s, (std::vector<int32_t>{3, 3}));
}

TEST(MirrorPad, RandomAgainstIndexFormula) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 25; ++trial) {
    const int rank = 1 + rng() % 4;
    const bool reflect = rng() % 2;
    const int off = reflect ? 1 : 0;
    std::vector<int32_t> shape, pads, out_shape;
    for (int d = 0; d < rank; ++d) {
      shape.push_back(1 + rng() % 4);
      const int lim = shape[d] - off + 1;
      pads.push_back(rng() % lim);
      pads.push_back(rng() % lim);
      out_shape.push_back(shape[d] + pads[2 * d] + pads[2 * d + 1]);
    }
    size_t n = 1, on = 1;
    for (int d = 0; d < rank; ++d) n *= shape[d], on *= out_shape[d];
    std::vector<float> in(n);
    for (size_t i = 0; i < n; ++i) in[i] = float(i + 1);
    std::vector<int32_t> s;
    const auto got = Mirror(reflect ? fb::MirrorPadMode::REFLECT : fb::MirrorPadMode::SYMMETRIC,
                            shape, in, pads, &s);
    ASSERT_EQ(s, out_shape);
    for (size_t flat = 0; flat < on; ++flat) {
      size_t rest = flat, src = 0;
      std::vector<int> idx(rank);
      for (int d = rank - 1; d >= 0; --d) idx[d] = rest % out_shape[d], rest /= out_shape[d];
      for (int d = 0; d < rank; ++d) {
        int i = idx[d] - pads[2 * d];
        // Mirror about the edge: REFLECT skips the edge element, SYMMETRIC repeats it.
        if (i < 0) i = reflect ? -i : -i - 1;
        if (i >= shape[d]) i = reflect ? 2 * (shape[d] - 1) - i : 2 * shape[d] - 1 - i;
        src = src * shape[d] + i;
      }
      ASSERT_EQ(got[flat], in[src]) << "at " << flat;
    }
  }
}

TEST(MirrorPad, RejectsPaddingBeyondInput) {
  // REFLECT allows at most size - 1 = 2.
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {3});
  int p = m.Const<int32_t>(DataType::kInt32, {1, 2}, {3, 0});
  int y = m.Output(DataType::kFloat32);
  fb::MirrorPadOptionsT o;
  o.mode = fb::MirrorPadMode::REFLECT;
  m.Op(fb::BuiltinOperator::MIRROR_PAD, {x, p}, {y}, MakeOptions(o));
  Status s = m.Build();
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
  EXPECT_NE(s.message().find("MIRROR_PAD"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace edgelite
