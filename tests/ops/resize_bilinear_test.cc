#include <cmath>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

std::vector<float> Resize(const std::vector<float>& in, int h, int w, int c, int oh, int ow,
                          bool align, bool half, bool dynamic_size = false) {
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {1, h, w, c});
  int size = dynamic_size ? m.Input(DataType::kInt32, {2})
                          : m.Const<int32_t>(DataType::kInt32, {2}, {oh, ow});
  int y = m.Output(DataType::kFloat32);
  fb::ResizeBilinearOptionsT o;
  o.align_corners = align;
  o.half_pixel_centers = half;
  m.Op(fb::BuiltinOperator::RESIZE_BILINEAR, {x, size}, {y}, MakeOptions(o));
  EXPECT_TRUE(m.Build().ok());
  m.Set<float>(x, in);
  if (dynamic_size) m.Set<int32_t>(size, {oh, ow});
  EXPECT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{1, oh, ow, c}));
  return m.Get<float>(y);
}

TEST(ResizeBilinearFloat, HandComputed1D) {
  // Row [0, 4] to width 4.
  // default: scale 0.5, src = 0, .5, 1, 1.5 -> 0, 2, 4, 4 (clamped at the edge).
  EXPECT_EQ(Resize({0, 4}, 1, 2, 1, 1, 4, false, false), (std::vector<float>{0, 2, 4, 4}));
  // align_corners: scale 1/3 -> 0, 4/3, 8/3, 4.
  auto a = Resize({0, 4}, 1, 2, 1, 1, 4, true, false);
  EXPECT_FLOAT_EQ(a[1], 4.0f / 3);
  EXPECT_FLOAT_EQ(a[3], 4.0f);
  // half_pixel_centers: src = -0.25, 0.25, 0.75, 1.25 -> 0 (clamped), 1, 3, 4.
  EXPECT_EQ(Resize({0, 4}, 1, 2, 1, 1, 4, false, true), (std::vector<float>{0, 1, 3, 4}));
  // Dynamic size input behaves the same.
  EXPECT_EQ(Resize({0, 4}, 1, 2, 1, 1, 4, false, true, true), (std::vector<float>{0, 1, 3, 4}));
}

TEST(ResizeBilinearFloat, RandomAgainstFloat64) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 30; ++trial) {
    const int h = 1 + rng() % 6, w = 1 + rng() % 6, c = 1 + rng() % 3;
    const int oh = 1 + rng() % 12, ow = 1 + rng() % 12, mode = rng() % 3;
    const bool align = mode == 1, half = mode == 2;
    auto xv = testing::RandomFloats(rng, size_t(h) * w * c);
    const auto got = Resize(xv, h, w, c, oh, ow, align, half);
    auto src = [&](int dst, int in, int out, int* lo, int* hi) {
      const double scale = (align && out > 1) ? double(in - 1) / (out - 1) : double(in) / out;
      const double s = half ? (dst + 0.5) * scale - 0.5 : dst * scale;
      *lo = std::max(int(std::floor(s)), 0);
      *hi = std::min(int(std::ceil(s)), in - 1);
      return s - *lo;
    };
    for (int y = 0; y < oh; ++y)
      for (int x = 0; x < ow; ++x) {
        int y0, y1, x0, x1;
        const double dy = src(y, h, oh, &y0, &y1), dx = src(x, w, ow, &x0, &x1);
        for (int ch = 0; ch < c; ++ch) {
          auto at = [&](int yy, int xx) { return double(xv[(size_t(yy) * w + xx) * c + ch]); };
          const double want = at(y0, x0) * (1 - dy) * (1 - dx) + at(y1, x0) * dy * (1 - dx) +
                              at(y0, x1) * (1 - dy) * dx + at(y1, x1) * dy * dx;
          // |values| <= 1, so neighbours differ by <= 2. The float32 source
          // coordinate (<= 6) is off by <= ~4 eps32 * 6 = 3e-6, moving the result
          // by <= 6e-6; the 4 products and sums add ~1e-6.
          ASSERT_NEAR(got[(size_t(y) * ow + x) * c + ch], want, 1e-5);
        }
      }
  }
}

TEST(ResizeBilinearFloat, RejectsBadParameters) {
  {
    SingleOpModel m;  // size must be positive
    int x = m.Input(DataType::kFloat32, {1, 2, 2, 1});
    int size = m.Const<int32_t>(DataType::kInt32, {2}, {0, 3});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::RESIZE_BILINEAR, {x, size}, {y});
    Status s = m.Build();
    EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
    EXPECT_NE(s.message().find("RESIZE_BILINEAR"), std::string::npos) << s.message();
  }
  {
    SingleOpModel m;  // both flags
    int x = m.Input(DataType::kFloat32, {1, 2, 2, 1});
    int size = m.Const<int32_t>(DataType::kInt32, {2}, {3, 3});
    int y = m.Output(DataType::kFloat32);
    fb::ResizeBilinearOptionsT o;
    o.align_corners = o.half_pixel_centers = true;
    m.Op(fb::BuiltinOperator::RESIZE_BILINEAR, {x, size}, {y}, MakeOptions(o));
    EXPECT_EQ(m.Build().code(), StatusCode::kInvalidModel);
  }
}

}  // namespace
}  // namespace edgelite
