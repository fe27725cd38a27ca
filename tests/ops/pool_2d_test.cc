#include <cmath>
#include <limits>

#include "tests/ops/window_ref64.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

fb::Pool2DOptionsT PoolOpts(fb::Padding pad, int sh, int sw, int fh, int fw,
                            fb::ActivationFunctionType act = fb::ActivationFunctionType::NONE) {
  fb::Pool2DOptionsT o;
  o.padding = pad;
  o.stride_h = sh;
  o.stride_w = sw;
  o.filter_height = fh;
  o.filter_width = fw;
  o.fused_activation_function = act;
  return o;
}

std::vector<float> RunPool(fb::BuiltinOperator op, const std::vector<float>& in,
                           std::vector<int32_t> shape, const fb::Pool2DOptionsT& o,
                           std::vector<int32_t>* out_shape) {
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, shape);
  int y = m.Output(DataType::kFloat32);
  m.Op(op, {x}, {y}, MakeOptions(o));
  EXPECT_TRUE(m.Build().ok());
  m.Set<float>(x, in);
  EXPECT_TRUE(m.Invoke().ok());
  *out_shape = m.Shape(y);
  return m.Get<float>(y);
}

TEST(Pool2DFloat, HandComputedSamePaddingCountsOnlyInsideTaps) {
  // input 3x3 = 1..9, 2x2 window, stride 2, SAME: out 2x2, padding after only.
  // windows: {1,2,4,5}, {3,6}, {7,8}, {9}.
  const std::vector<float> in = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const auto o = PoolOpts(fb::Padding::SAME, 2, 2, 2, 2);
  std::vector<int32_t> s;
  EXPECT_EQ(RunPool(fb::BuiltinOperator::AVERAGE_POOL_2D, in, {1, 3, 3, 1}, o, &s),
            (std::vector<float>{3, 4.5, 7.5, 9}));
  EXPECT_EQ(s, (std::vector<int32_t>{1, 2, 2, 1}));
  EXPECT_EQ(RunPool(fb::BuiltinOperator::MAX_POOL_2D, in, {1, 3, 3, 1}, o, &s),
            (std::vector<float>{5, 6, 8, 9}));
  // l2: sqrt((1+4+16+25)/4), sqrt((9+36)/2), sqrt((49+64)/2), 9.
  const auto l2 = RunPool(fb::BuiltinOperator::L2_POOL_2D, in, {1, 3, 3, 1}, o, &s);
  const double want[] = {std::sqrt(46.0 / 4), std::sqrt(45.0 / 2), std::sqrt(113.0 / 2), 9};
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(l2[i], want[i], 1e-6 * want[i]);
  // RELU_N1_TO_1 clamps the max pool.
  EXPECT_EQ(RunPool(fb::BuiltinOperator::MAX_POOL_2D, in, {1, 3, 3, 1},
                    PoolOpts(fb::Padding::VALID, 1, 1, 3, 3,
                             fb::ActivationFunctionType::RELU_N1_TO_1),
                    &s),
            (std::vector<float>{1}));
}

TEST(Pool2DFloat, RandomAgainstFloat64) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  const fb::BuiltinOperator ops[] = {fb::BuiltinOperator::AVERAGE_POOL_2D,
                                     fb::BuiltinOperator::MAX_POOL_2D,
                                     fb::BuiltinOperator::L2_POOL_2D};
  for (int trial = 0; trial < 45; ++trial) {
    const int kind = trial % 3;
    const int n = 1 + rng() % 2, h = 1 + rng() % 9, w = 1 + rng() % 9, c = 1 + rng() % 4;
    const int fh = 1 + rng() % 4, fw = 1 + rng() % 4, sh = 1 + rng() % 3, sw = 1 + rng() % 3;
    const bool same = rng() % 2;
    SCOPED_TRACE("trial " + std::to_string(trial));
    const testing::Axis64 ay = testing::Geometry(same, h, fh, sh, 1);
    const testing::Axis64 ax = testing::Geometry(same, w, fw, sw, 1);
    auto xv = testing::RandomFloats(rng, size_t(n) * h * w * c);
    std::vector<int32_t> s;
    const auto got = RunPool(ops[kind], xv, {n, h, w, c},
                             PoolOpts(same ? fb::Padding::SAME : fb::Padding::VALID, sh, sw, fh, fw),
                             &s);
    ASSERT_EQ(s, (std::vector<int32_t>{n, ay.out, ax.out, c}));
    size_t idx = 0;
    for (int b = 0; b < n; ++b)
      for (int y = 0; y < ay.out; ++y)
        for (int x = 0; x < ax.out; ++x)
          for (int ch = 0; ch < c; ++ch, ++idx) {
            double sum = 0, sq = 0, mx = -std::numeric_limits<double>::infinity();
            int count = 0;
            for (int ky = 0; ky < fh; ++ky)
              for (int kx = 0; kx < fw; ++kx) {
                const int iy = y * sh - ay.pad + ky, ix = x * sw - ax.pad + kx;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                const double v = xv[((size_t(b) * h + iy) * w + ix) * c + ch];
                sum += v;
                sq += v * v;
                mx = std::max(mx, v);
                ++count;
              }
            ASSERT_GT(count, 0);
            const double want = kind == 0 ? sum / count : kind == 1 ? mx : std::sqrt(sq / count);
            // Max is exact; sums of <= 16 terms of magnitude <= 1: 16 * eps32 * 16.
            ASSERT_NEAR(got[idx], want, kind == 1 ? 0.0 : 3.1e-5) << "at " << idx;
          }
  }
}

TEST(Pool2DFloat, RejectsBadParameters) {
  for (auto op : {fb::BuiltinOperator::AVERAGE_POOL_2D, fb::BuiltinOperator::MAX_POOL_2D,
                  fb::BuiltinOperator::L2_POOL_2D}) {
    {
      SingleOpModel m;  // filter width 0
      int x = m.Input(DataType::kFloat32, {1, 2, 2, 1});
      int y = m.Output(DataType::kFloat32);
      m.Op(op, {x}, {y}, MakeOptions(PoolOpts(fb::Padding::VALID, 1, 1, 1, 0)));
      Status s = m.Build();
      EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
      EXPECT_NE(s.message().find("POOL_2D"), std::string::npos) << s.message();
    }
    {
      SingleOpModel m;  // rank 3 input
      int x = m.Input(DataType::kFloat32, {2, 2, 1});
      int y = m.Output(DataType::kFloat32);
      m.Op(op, {x}, {y}, MakeOptions(PoolOpts(fb::Padding::VALID, 1, 1, 1, 1)));
      EXPECT_EQ(m.Build().code(), StatusCode::kInvalidModel);
    }
  }
}

}  // namespace
}  // namespace edgelite
