#include <cmath>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

template <typename T>
std::vector<T> Resize(DataType type, const std::vector<T>& in, int h, int w, int c, int oh,
                      int ow, bool align, bool half) {
  SingleOpModel m;
  int x = m.Input(type, {1, h, w, c});
  int size = m.Const<int32_t>(DataType::kInt32, {2}, {oh, ow});
  int y = m.Output(type);
  fb::ResizeNearestNeighborOptionsT o;
  o.align_corners = align;
  o.half_pixel_centers = half;
  m.Op(fb::BuiltinOperator::RESIZE_NEAREST_NEIGHBOR, {x, size}, {y}, MakeOptions(o));
  EXPECT_TRUE(m.Build().ok());
  m.Set<T>(x, in);
  EXPECT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{1, oh, ow, c}));
  return m.Get<T>(y);
}

TEST(ResizeNearestNeighbor, HandComputed1D) {
  // Row [10, 20, 30] to width 5.
  // default: src = floor(x * 0.6) = 0,0,1,1,2.
  EXPECT_EQ(Resize<float>(DataType::kFloat32, {10, 20, 30}, 1, 3, 1, 1, 5, false, false),
            (std::vector<float>{10, 10, 20, 20, 30}));
  // align_corners: round(x * 0.5) = 0, 1 (0.5 rounds away), 1, 2 (1.5), 2.
  EXPECT_EQ(Resize<float>(DataType::kFloat32, {10, 20, 30}, 1, 3, 1, 1, 5, true, false),
            (std::vector<float>{10, 20, 20, 30, 30}));
  // half_pixel_centers: floor((x + .5) * .6) = 0, 0, 1, 2, 2.
  EXPECT_EQ(Resize<int8_t>(DataType::kInt8, {10, 20, 30}, 1, 3, 1, 1, 5, false, true),
            (std::vector<int8_t>{10, 10, 20, 30, 30}));
  // int64 elements are copied whole.
  EXPECT_EQ(Resize<int64_t>(DataType::kInt64, {int64_t{1} << 40, 7}, 1, 2, 1, 1, 4, false, false),
            (std::vector<int64_t>{int64_t{1} << 40, int64_t{1} << 40, 7, 7}));
}

TEST(ResizeNearestNeighbor, RandomAgainstFormula) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 30; ++trial) {
    const int h = 1 + rng() % 6, w = 1 + rng() % 6, c = 1 + rng() % 3;
    const int oh = 1 + rng() % 12, ow = 1 + rng() % 12, mode = rng() % 3;
    const bool align = mode == 1, half = mode == 2;
    std::vector<int32_t> xv(size_t(h) * w * c);
    for (size_t i = 0; i < xv.size(); ++i) xv[i] = static_cast<int32_t>(i * 7 + 1);
    const auto got = Resize<int32_t>(DataType::kInt32, xv, h, w, c, oh, ow, align, half);
    // TFLite defines the mapping in float32 arithmetic; exact ties (x.5, and
    // integers under floor) depend on it, so the reference uses float32 too.
    auto src = [&](int dst, int in, int out) {
      const float scale = (align && out > 1) ? float(in - 1) / float(out - 1)
                                             : float(in) / float(out);
      const float s = (float(dst) + (half ? 0.5f : 0.0f)) * scale;
      const int i = align ? int(std::round(s)) : int(std::floor(s));
      return std::max(0, std::min(i, in - 1));
    };
    for (int y = 0; y < oh; ++y)
      for (int x = 0; x < ow; ++x)
        for (int ch = 0; ch < c; ++ch)
          ASSERT_EQ(got[(size_t(y) * ow + x) * c + ch],
                    xv[(size_t(src(y, h, oh)) * w + src(x, w, ow)) * c + ch])
              << y << "," << x;
  }
}

TEST(ResizeNearestNeighbor, RejectsBadSizeShape) {
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {1, 2, 2, 1});
  int size = m.Const<int32_t>(DataType::kInt32, {3}, {1, 2, 3});
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::RESIZE_NEAREST_NEIGHBOR, {x, size}, {y});
  Status s = m.Build();
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
  EXPECT_NE(s.message().find("RESIZE_NEAREST_NEIGHBOR"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace edgelite
