#include <cmath>

#include "tests/ops/window_ref64.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

fb::Conv3DOptionsT C3Opts(fb::Padding pad, int sd, int sh, int sw, int dd = 1, int dh = 1,
                          int dw = 1) {
  fb::Conv3DOptionsT o;
  o.padding = pad;
  o.stride_d = sd;
  o.stride_h = sh;
  o.stride_w = sw;
  o.dilation_d_factor = dd;
  o.dilation_h_factor = dh;
  o.dilation_w_factor = dw;
  return o;
}

TEST(Conv3DFloat, HandComputed) {
  // input 2x2x2 (one channel) = 1..8 in DHW order; filter 2x2x2 all ones with
  // 2 output channels weighted 1 and -1, VALID: out = [36, -36] (+ bias [0, 40] -> [36, 4]).
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {1, 2, 2, 2, 1});
  std::vector<float> fv;
  for (int k = 0; k < 8; ++k) {
    fv.push_back(1);
    fv.push_back(-1);
  }
  int f = m.Const<float>(DataType::kFloat32, {2, 2, 2, 1, 2}, fv);
  int b = m.Const<float>(DataType::kFloat32, {2}, {0, 40});
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::CONV_3D, {x, f, b}, {y},
       MakeOptions(C3Opts(fb::Padding::VALID, 1, 1, 1)));
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(x, {1, 2, 3, 4, 5, 6, 7, 8});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{1, 1, 1, 1, 2}));
  EXPECT_EQ(m.Get<float>(y), (std::vector<float>{36, 4}));
}

TEST(Conv3DFloat, RandomAgainstFloat64) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 20; ++trial) {
    const int d = 1 + rng() % 5, h = 1 + rng() % 5, w = 1 + rng() % 5, c = 1 + rng() % 3;
    const int o = 1 + rng() % 3, kd = 1 + rng() % 3, kh = 1 + rng() % 3, kw = 1 + rng() % 3;
    int s[3], dl[3];
    for (int i = 0; i < 3; ++i) s[i] = 1 + rng() % 2, dl[i] = 1 + rng() % 2;
    const bool same = rng() % 2;
    SCOPED_TRACE("trial " + std::to_string(trial));
    auto xv = testing::RandomFloats(rng, size_t(d) * h * w * c);
    auto fv = testing::RandomFloats(rng, size_t(kd) * kh * kw * c * o);
    auto bv = testing::RandomFloats(rng, o);
    const testing::Axis64 az = testing::Geometry(same, d, kd, s[0], dl[0]);
    const testing::Axis64 ay = testing::Geometry(same, h, kh, s[1], dl[1]);
    const testing::Axis64 ax = testing::Geometry(same, w, kw, s[2], dl[2]);
    std::vector<double> want(size_t(az.out) * ay.out * ax.out * o), mag(want.size());
    for (int z = 0; z < az.out; ++z)
      for (int y = 0; y < ay.out; ++y)
        for (int x = 0; x < ax.out; ++x)
          for (int oc = 0; oc < o; ++oc) {
            double acc = bv[oc], m = std::fabs(acc);
            for (int a = 0; a < kd; ++a)
              for (int bb = 0; bb < kh; ++bb)
                for (int cc = 0; cc < kw; ++cc) {
                  const int iz = z * s[0] - az.pad + a * dl[0];
                  const int iy = y * s[1] - ay.pad + bb * dl[1];
                  const int ix = x * s[2] - ax.pad + cc * dl[2];
                  if (iz < 0 || iz >= d || iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                  for (int i = 0; i < c; ++i) {
                    const double t = double(xv[((size_t(iz) * h + iy) * w + ix) * c + i]) *
                                     fv[(((size_t(a) * kh + bb) * kw + cc) * c + i) * o + oc];
                    acc += t;
                    m += std::fabs(t);
                  }
                }
            const size_t idx = ((size_t(z) * ay.out + y) * ax.out + x) * o + oc;
            want[idx] = acc;
            mag[idx] = m;
          }
    SingleOpModel m;
    int xi = m.Input(DataType::kFloat32, {1, d, h, w, c});
    int f = m.Const<float>(DataType::kFloat32, {kd, kh, kw, c, o}, fv);
    int b = m.Const<float>(DataType::kFloat32, {o}, bv);
    int yo = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::CONV_3D, {xi, f, b}, {yo},
         MakeOptions(C3Opts(same ? fb::Padding::SAME : fb::Padding::VALID, s[0], s[1], s[2],
                            dl[0], dl[1], dl[2])));
    ASSERT_TRUE(m.Build().ok());
    m.Set<float>(xi, xv);
    ASSERT_TRUE(m.Invoke().ok());
    ASSERT_EQ(m.Shape(yo), (std::vector<int32_t>{1, az.out, ay.out, ax.out, o}));
    const auto got = m.Get<float>(yo);
    const int terms = kd * kh * kw * c + 2;
    for (size_t i = 0; i < got.size(); ++i)
      ASSERT_NEAR(got[i], want[i], terms * 1.2e-7 * mag[i] + 1e-30) << "at " << i;
  }
}

TEST(Conv3DFloat, RejectsChannelMismatch) {
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {1, 2, 2, 2, 3});
  int f = m.Const<float>(DataType::kFloat32, {1, 1, 1, 2, 1}, {1, 1});
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::CONV_3D, {x, f}, {y}, MakeOptions(C3Opts(fb::Padding::VALID, 1, 1, 1)));
  Status s = m.Build();
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
  EXPECT_NE(s.message().find("CONV_3D"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace edgelite
