#include <cmath>

#include "tests/ops/window_ref64.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

fb::TransposeConvOptionsT TcOpts(fb::Padding pad, int sh, int sw,
                                 fb::ActivationFunctionType act = fb::ActivationFunctionType::NONE) {
  fb::TransposeConvOptionsT o;
  o.padding = pad;
  o.stride_h = sh;
  o.stride_w = sw;
  o.fused_activation_function = act;
  return o;
}

TEST(TransposeConvFloat, HandComputedStride2) {
  // input 1x2x2x1 = [1,2,3,4], filter 1x2x2x1 all ones, stride 2, VALID,
  // output 4x4: each input pixel paints its own 2x2 block (no overlap).
  SingleOpModel m;
  int shape = m.Const<int32_t>(DataType::kInt32, {4}, {1, 4, 4, 1});
  int f = m.Const<float>(DataType::kFloat32, {1, 2, 2, 1}, {1, 1, 1, 1});
  int x = m.Input(DataType::kFloat32, {1, 2, 2, 1});
  int b = m.Const<float>(DataType::kFloat32, {1}, {0.5f});
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::TRANSPOSE_CONV, {shape, f, x, b}, {y},
       MakeOptions(TcOpts(fb::Padding::VALID, 2, 2)));
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(x, {1, 2, 3, 4});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{1, 4, 4, 1}));
  EXPECT_EQ(m.Get<float>(y), (std::vector<float>{1.5, 1.5, 2.5, 2.5, 1.5, 1.5, 2.5, 2.5,  //
                                                 3.5, 3.5, 4.5, 4.5, 3.5, 3.5, 4.5, 4.5}));
}

TEST(TransposeConvFloat, HandComputedSameOverlap) {
  // input 1x1x2x1 = [1,2], filter 1x1x3x1 = [1,10,100], stride 1, SAME, out 1x2:
  // forward padding for out=2 -> in=2: total = 1*1+3-2 = 2, before = 1.
  // x0 at origin -1 paints out[-1..1] += [1,10,100] -> out0 += 10, out1 += 100
  // x1 at origin 0 paints out[0..2] += [2,20,200] -> out0 += 2, out1 += 20.
  SingleOpModel m;
  int shape = m.Const<int32_t>(DataType::kInt32, {4}, {1, 1, 2, 1});
  int f = m.Const<float>(DataType::kFloat32, {1, 1, 3, 1}, {1, 10, 100});
  int x = m.Input(DataType::kFloat32, {1, 1, 2, 1});
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::TRANSPOSE_CONV, {shape, f, x}, {y},
       MakeOptions(TcOpts(fb::Padding::SAME, 1, 1)));
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(x, {1, 2});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<float>(y), (std::vector<float>{12, 120}));
}

// TRANSPOSE_CONV is the adjoint of CONV_2D with the same filter: for random
// x (conv input shape) and z (conv output shape), <conv(x), z> = <x, tconv(z)>.
// Instead of the identity we check tconv(z) element-wise against the float64
// gather form: out[p] = sum over (q, k) with q*stride - pad + k == p of z[q] w[k].
TEST(TransposeConvFloat, RandomAgainstFloat64) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 30; ++trial) {
    const int n = 1 + rng() % 2, oh = 1 + rng() % 8, ow = 1 + rng() % 8;
    const int ic = 1 + rng() % 4, oc = 1 + rng() % 4, kh = 1 + rng() % 3, kw = 1 + rng() % 3;
    const int sh = 1 + rng() % 3, sw = 1 + rng() % 3;
    const bool same = rng() % 2, has_bias = rng() % 2, relu = rng() % 2;
    const testing::Axis64 ay = testing::Geometry(same, oh, kh, sh, 1);
    const testing::Axis64 ax = testing::Geometry(same, ow, kw, sw, 1);
    if (ay.out == 0 || ax.out == 0) continue;
    const int ih = ay.out, iw = ax.out;
    SCOPED_TRACE("trial " + std::to_string(trial));
    auto zv = testing::RandomFloats(rng, size_t(n) * ih * iw * ic);
    auto fv = testing::RandomFloats(rng, size_t(oc) * kh * kw * ic);
    auto bv = testing::RandomFloats(rng, oc);
    std::vector<double> want(size_t(n) * oh * ow * oc), mag(want.size());
    for (int b = 0; b < n; ++b)
      for (int y = 0; y < oh; ++y)
        for (int x = 0; x < ow; ++x)
          for (int o = 0; o < oc; ++o) {
            double acc = has_bias ? bv[o] : 0.0, m = std::fabs(acc);
            for (int qy = 0; qy < ih; ++qy)
              for (int qx = 0; qx < iw; ++qx) {
                const int ky = y - (qy * sh - ay.pad), kx = x - (qx * sw - ax.pad);
                if (ky < 0 || ky >= kh || kx < 0 || kx >= kw) continue;
                for (int i = 0; i < ic; ++i) {
                  const double t = double(zv[((size_t(b) * ih + qy) * iw + qx) * ic + i]) *
                                   fv[((size_t(o) * kh + ky) * kw + kx) * ic + i];
                  acc += t;
                  m += std::fabs(t);
                }
              }
            const size_t idx = ((size_t(b) * oh + y) * ow + x) * oc + o;
            want[idx] = relu ? std::max(acc, 0.0) : acc;
            mag[idx] = m;
          }
    SingleOpModel m;
    int shape = m.Const<int32_t>(DataType::kInt32, {4}, {n, oh, ow, oc});
    int f = m.Const<float>(DataType::kFloat32, {oc, kh, kw, ic}, fv);
    int x = m.Input(DataType::kFloat32, {n, ih, iw, ic});
    int b = has_bias ? m.Const<float>(DataType::kFloat32, {oc}, bv) : -1;
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::TRANSPOSE_CONV, {shape, f, x, b}, {y},
         MakeOptions(TcOpts(same ? fb::Padding::SAME : fb::Padding::VALID, sh, sw,
                            relu ? fb::ActivationFunctionType::RELU
                                 : fb::ActivationFunctionType::NONE)));
    ASSERT_TRUE(m.Build().ok());
    m.Set<float>(x, zv);
    ASSERT_TRUE(m.Invoke().ok());
    ASSERT_EQ(m.Shape(y), (std::vector<int32_t>{n, oh, ow, oc}));
    const auto got = m.Get<float>(y);
    const int terms = kh * kw * ic + 2;
    for (size_t i = 0; i < got.size(); ++i)
      ASSERT_NEAR(got[i], want[i], terms * 1.2e-7 * mag[i] + 1e-30) << "at " << i;
  }
}

TEST(TransposeConvFloat, DynamicOutputShape) {
  // output_shape as a graph input: the output is sized at Invoke.
  SingleOpModel m;
  int shape = m.Input(DataType::kInt32, {4});
  int f = m.Const<float>(DataType::kFloat32, {1, 1, 1, 1}, {2});
  int x = m.Input(DataType::kFloat32, {1, 2, 2, 1});
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::TRANSPOSE_CONV, {shape, f, x}, {y},
       MakeOptions(TcOpts(fb::Padding::VALID, 1, 1)));
  ASSERT_TRUE(m.Build().ok());
  m.Set<int32_t>(shape, {1, 2, 2, 1});
  m.Set<float>(x, {1, 2, 3, 4});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<float>(y), (std::vector<float>{2, 4, 6, 8}));
  // An inconsistent shape is an error at Invoke, not a crash.
  m.Set<int32_t>(shape, {1, 5, 2, 1});
  EXPECT_FALSE(m.Invoke().ok());
}

TEST(TransposeConvFloat, RejectsBadParameters) {
  {
    // output_shape 3x3 cannot come back to a 2x2 input with a 1x1 VALID stride-1 conv.
    SingleOpModel m;
    int shape = m.Const<int32_t>(DataType::kInt32, {4}, {1, 3, 3, 1});
    int f = m.Const<float>(DataType::kFloat32, {1, 1, 1, 1}, {1});
    int x = m.Input(DataType::kFloat32, {1, 2, 2, 1});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::TRANSPOSE_CONV, {shape, f, x}, {y},
         MakeOptions(TcOpts(fb::Padding::VALID, 1, 1)));
    Status s = m.Build();
    EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
    EXPECT_NE(s.message().find("TRANSPOSE_CONV"), std::string::npos) << s.message();
  }
  {
    // Weights depth 2 vs input depth 1.
    SingleOpModel m;
    int shape = m.Const<int32_t>(DataType::kInt32, {4}, {1, 2, 2, 1});
    int f = m.Const<float>(DataType::kFloat32, {1, 1, 1, 2}, {1, 1});
    int x = m.Input(DataType::kFloat32, {1, 2, 2, 1});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::TRANSPOSE_CONV, {shape, f, x}, {y},
         MakeOptions(TcOpts(fb::Padding::VALID, 1, 1)));
    EXPECT_EQ(m.Build().code(), StatusCode::kInvalidModel);
  }
}

}  // namespace
}  // namespace edgelite
