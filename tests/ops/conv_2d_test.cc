#include <cmath>

#include "tests/ops/window_ref64.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

fb::Conv2DOptionsT ConvOpts(fb::Padding pad, int sh, int sw, int dh = 1, int dw = 1,
                            fb::ActivationFunctionType act = fb::ActivationFunctionType::NONE) {
  fb::Conv2DOptionsT o;
  o.padding = pad;
  o.stride_h = sh;
  o.stride_w = sw;
  o.dilation_h_factor = dh;
  o.dilation_w_factor = dw;
  o.fused_activation_function = act;
  return o;
}

TEST(Conv2DFloat, HandComputedValidAndSame) {
  // input 3x3 = [[1,2,3],[4,5,6],[7,8,9]], filter 2x2 = [[1,0],[0,1]] (sums a
  // pixel and its lower-right neighbour).
  const std::vector<float> in = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  {
    // VALID, stride 1: [1+5, 2+6, 4+8, 5+9] + bias 0.5.
    SingleOpModel m;
    int x = m.Input(DataType::kFloat32, {1, 3, 3, 1});
    int f = m.Const<float>(DataType::kFloat32, {1, 2, 2, 1}, {1, 0, 0, 1});
    int b = m.Const<float>(DataType::kFloat32, {1}, {0.5f});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::CONV_2D, {x, f, b}, {y},
         MakeOptions(ConvOpts(fb::Padding::VALID, 1, 1)));
    ASSERT_TRUE(m.Build().ok());
    m.Set<float>(x, in);
    ASSERT_TRUE(m.Invoke().ok());
    EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{1, 2, 2, 1}));
    EXPECT_EQ(m.Get<float>(y), (std::vector<float>{6.5f, 8.5f, 12.5f, 14.5f}));
  }
  {
    // SAME, stride 2: out 2x2, total padding (2-1)*2+2-3 = 1, all of it after.
    // (0,0): 1+5; (0,1): 3 + pad; (1,0): 7 + pad; (1,1): 9.
    SingleOpModel m;
    int x = m.Input(DataType::kFloat32, {1, 3, 3, 1});
    int f = m.Const<float>(DataType::kFloat32, {1, 2, 2, 1}, {1, 0, 0, 1});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::CONV_2D, {x, f, -1}, {y},
         MakeOptions(ConvOpts(fb::Padding::SAME, 2, 2)));
    ASSERT_TRUE(m.Build().ok());
    m.Set<float>(x, in);
    ASSERT_TRUE(m.Invoke().ok());
    EXPECT_EQ(m.Get<float>(y), (std::vector<float>{6, 3, 7, 9}));
  }
}

TEST(Conv2DFloat, HandComputedGroupedAndRelu6) {
  // 1x1 input with 4 channels [1,2,3,4]; 2 groups of filter depth 2; 2 outputs:
  // out0 uses channels 0-1 with weights [1,1] -> 3; out1 uses channels 2-3 with
  // weights [2,1] -> 10, clamped by RELU6 to 6.
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {1, 1, 1, 4});
  int f = m.Const<float>(DataType::kFloat32, {2, 1, 1, 2}, {1, 1, 2, 1});
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::CONV_2D, {x, f}, {y},
       MakeOptions(ConvOpts(fb::Padding::VALID, 1, 1, 1, 1, fb::ActivationFunctionType::RELU6)));
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(x, {1, 2, 3, 4});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<float>(y), (std::vector<float>{3, 6}));
}

TEST(Conv2DFloat, RandomAgainstFloat64) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  const fb::ActivationFunctionType acts[] = {
      fb::ActivationFunctionType::NONE, fb::ActivationFunctionType::RELU,
      fb::ActivationFunctionType::RELU_N1_TO_1, fb::ActivationFunctionType::RELU6};
  for (int trial = 0; trial < 40; ++trial) {
    const int n = 1 + rng() % 2, h = 1 + rng() % 9, w = 1 + rng() % 9;
    const int groups = 1 + rng() % 2, fc = 1 + rng() % 4, c = groups * fc;
    const int o = groups * (1 + rng() % 3), kh = 1 + rng() % 3, kw = 1 + rng() % 3;
    const int sh = 1 + rng() % 3, sw = 1 + rng() % 3, dh = 1 + rng() % 2, dw = 1 + rng() % 2;
    const bool same = rng() % 2, has_bias = rng() % 2;
    const int act = rng() % 4;
    SCOPED_TRACE("trial " + std::to_string(trial));
    auto xv = testing::RandomFloats(rng, size_t(n) * h * w * c);
    auto fv = testing::RandomFloats(rng, size_t(o) * kh * kw * fc);
    auto bv = testing::RandomFloats(rng, o);
    int oh, ow;
    std::vector<double> mag;
    auto want = testing::Conv2D64(xv, n, h, w, c, fv, o, kh, kw, fc, has_bias ? &bv : nullptr,
                                  same, sh, sw, dh, dw, act, &oh, &ow, &mag);
    SingleOpModel m;
    int x = m.Input(DataType::kFloat32, {n, h, w, c});
    int f = m.Const<float>(DataType::kFloat32, {o, kh, kw, fc}, fv);
    int b = has_bias ? m.Const<float>(DataType::kFloat32, {o}, bv) : -1;
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::CONV_2D, {x, f, b}, {y},
         MakeOptions(ConvOpts(same ? fb::Padding::SAME : fb::Padding::VALID, sh, sw, dh, dw,
                              acts[act])));
    ASSERT_TRUE(m.Build().ok());
    m.Set<float>(x, xv);
    ASSERT_TRUE(m.Invoke().ok());
    ASSERT_EQ(m.Shape(y), (std::vector<int32_t>{n, oh, ow, o}));
    const auto got = m.Get<float>(y);
    // float32 summation: |err| <= (terms + 1) * eps32 * sum|terms|.
    const int terms = kh * kw * fc + 1;
    for (size_t i = 0; i < got.size(); ++i)
      ASSERT_NEAR(got[i], want[i], (terms + 1) * 1.2e-7 * mag[i] + 1e-30) << "at " << i;
  }
}

TEST(Conv2DFloat, RejectsBadParameters) {
  {
    // Input depth 3 is not a multiple of filter depth 2.
    SingleOpModel m;
    int x = m.Input(DataType::kFloat32, {1, 2, 2, 3});
    int f = m.Const<float>(DataType::kFloat32, {1, 1, 1, 2}, {1, 1});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::CONV_2D, {x, f}, {y},
         MakeOptions(ConvOpts(fb::Padding::VALID, 1, 1)));
    Status s = m.Build();
    EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
    EXPECT_NE(s.message().find("CONV_2D"), std::string::npos) << s.message();
  }
  {
    // Stride 0.
    SingleOpModel m;
    int x = m.Input(DataType::kFloat32, {1, 2, 2, 1});
    int f = m.Const<float>(DataType::kFloat32, {1, 1, 1, 1}, {1});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::CONV_2D, {x, f}, {y},
         MakeOptions(ConvOpts(fb::Padding::VALID, 0, 1)));
    EXPECT_EQ(m.Build().code(), StatusCode::kInvalidModel);
  }
  {
    // int32 activations are not a conv type (int8/uint8/int16 are, see
    // conv_quant_test.cc).
    SingleOpModel m;
    int x = m.Input(DataType::kInt32, {1, 2, 2, 1});
    int f = m.Const<int32_t>(DataType::kInt32, {1, 1, 1, 1}, {1});
    int y = m.Output(DataType::kInt32);
    m.Op(fb::BuiltinOperator::CONV_2D, {x, f}, {y},
         MakeOptions(ConvOpts(fb::Padding::VALID, 1, 1)));
    EXPECT_EQ(m.Build().code(), StatusCode::kUnsupported);
  }
}

}  // namespace
}  // namespace edgelite
