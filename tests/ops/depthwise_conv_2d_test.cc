#include <cmath>

#include "tests/ops/window_ref64.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

fb::DepthwiseConv2DOptionsT DwOpts(fb::Padding pad, int sh, int sw, int mult, int dh = 1,
                                   int dw = 1,
                                   fb::ActivationFunctionType act = fb::ActivationFunctionType::NONE) {
  fb::DepthwiseConv2DOptionsT o;
  o.padding = pad;
  o.stride_h = sh;
  o.stride_w = sw;
  o.depth_multiplier = mult;
  o.dilation_h_factor = dh;
  o.dilation_w_factor = dw;
  o.fused_activation_function = act;
  return o;
}

TEST(DepthwiseConv2DFloat, HandComputedMultiplier2) {
  // input 1x2x2x2, channel 0 = [1,2,3,4], channel 1 = [10,20,30,40] (row-major pixels).
  // filter 2x2, 4 outputs (multiplier 2): output o = c*2 + m.
  //   o0 (c0) weights all 1 -> 10;  o1 (c0) weights [1,0,0,0] -> 1;
  //   o2 (c1) weights [0,0,0,1] -> 40; o3 (c1) weights all -1 -> -100, bias +100 -> 0.
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {1, 2, 2, 2});
  int f = m.Const<float>(DataType::kFloat32, {1, 2, 2, 4},
                         {1, 1, 0, -1, 1, 0, 0, -1, 1, 0, 0, -1, 1, 0, 1, -1});
  int b = m.Const<float>(DataType::kFloat32, {4}, {0, 0, 0, 100});
  int y = m.Output(DataType::kFloat32);
  // depth_multiplier deliberately wrong (1): it is derived from the shapes.
  m.Op(fb::BuiltinOperator::DEPTHWISE_CONV_2D, {x, f, b}, {y},
       MakeOptions(DwOpts(fb::Padding::VALID, 1, 1, 1)));
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(x, {1, 10, 2, 20, 3, 30, 4, 40});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{1, 1, 1, 4}));
  EXPECT_EQ(m.Get<float>(y), (std::vector<float>{10, 1, 40, 0}));
}

TEST(DepthwiseConv2DFloat, RandomAgainstFloat64) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  const fb::ActivationFunctionType acts[] = {
      fb::ActivationFunctionType::NONE, fb::ActivationFunctionType::RELU,
      fb::ActivationFunctionType::RELU_N1_TO_1, fb::ActivationFunctionType::RELU6};
  for (int trial = 0; trial < 40; ++trial) {
    const int n = 1 + rng() % 2, h = 1 + rng() % 9, w = 1 + rng() % 9, c = 1 + rng() % 5;
    const int mult = 1 + rng() % 3, o = c * mult, kh = 1 + rng() % 3, kw = 1 + rng() % 3;
    const int sh = 1 + rng() % 3, sw = 1 + rng() % 3, dh = 1 + rng() % 2, dw = 1 + rng() % 2;
    const bool same = rng() % 2, has_bias = rng() % 2;
    const int act = rng() % 4;
    SCOPED_TRACE("trial " + std::to_string(trial));
    auto xv = testing::RandomFloats(rng, size_t(n) * h * w * c);
    auto fv = testing::RandomFloats(rng, size_t(kh) * kw * o);
    auto bv = testing::RandomFloats(rng, o);
    // A depthwise conv is a grouped conv with groups = c and filter depth 1:
    // rearrange the [1, kh, kw, o] filter to [o, kh, kw, 1].
    std::vector<float> grouped(fv.size());
    for (int k = 0; k < kh * kw; ++k)
      for (int oc = 0; oc < o; ++oc) grouped[size_t(oc) * kh * kw + k] = fv[size_t(k) * o + oc];
    int oh, ow;
    std::vector<double> mag;
    auto want = testing::Conv2D64(xv, n, h, w, c, grouped, o, kh, kw, 1,
                                  has_bias ? &bv : nullptr, same, sh, sw, dh, dw, act, &oh, &ow,
                                  &mag);
    SingleOpModel m;
    int x = m.Input(DataType::kFloat32, {n, h, w, c});
    int f = m.Const<float>(DataType::kFloat32, {1, kh, kw, o}, fv);
    int b = has_bias ? m.Const<float>(DataType::kFloat32, {o}, bv) : -1;
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::DEPTHWISE_CONV_2D, {x, f, b}, {y},
         MakeOptions(DwOpts(same ? fb::Padding::SAME : fb::Padding::VALID, sh, sw, mult, dh, dw,
                            acts[act])));
    ASSERT_TRUE(m.Build().ok());
    m.Set<float>(x, xv);
    ASSERT_TRUE(m.Invoke().ok());
    ASSERT_EQ(m.Shape(y), (std::vector<int32_t>{n, oh, ow, o}));
    const auto got = m.Get<float>(y);
    const int terms = kh * kw + 1;
    for (size_t i = 0; i < got.size(); ++i)
      ASSERT_NEAR(got[i], want[i], (terms + 1) * 1.2e-7 * mag[i] + 1e-30) << "at " << i;
  }
}

TEST(DepthwiseConv2DFloat, RejectsBadParameters) {
  {
    // 5 filter channels for 2 input channels.
    SingleOpModel m;
    int x = m.Input(DataType::kFloat32, {1, 2, 2, 2});
    int f = m.Const<float>(DataType::kFloat32, {1, 1, 1, 5}, {1, 1, 1, 1, 1});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::DEPTHWISE_CONV_2D, {x, f}, {y},
         MakeOptions(DwOpts(fb::Padding::VALID, 1, 1, 2)));
    Status s = m.Build();
    EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
    EXPECT_NE(s.message().find("DEPTHWISE_CONV_2D"), std::string::npos) << s.message();
  }
  {
    // Dilation 0.
    SingleOpModel m;
    int x = m.Input(DataType::kFloat32, {1, 2, 2, 1});
    int f = m.Const<float>(DataType::kFloat32, {1, 1, 1, 1}, {1});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::DEPTHWISE_CONV_2D, {x, f}, {y},
         MakeOptions(DwOpts(fb::Padding::VALID, 1, 1, 1, 0, 1)));
    EXPECT_EQ(m.Build().code(), StatusCode::kInvalidModel);
  }
}

}  // namespace
}  // namespace edgelite
