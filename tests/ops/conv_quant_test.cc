// Integer CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, TRANSPOSE_CONV and the
// hybrid (float input, int8 weights) paths: hand cases, randomized checks
// against a float64 evaluation of the quantized formula, invalid parameters.
#include <cmath>
#include <random>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

TEST(ConvQuantized, Int8HandComputed) {
  // 1x1 conv, 2 input channels, 2 output channels, per-channel weights.
  // input s=0.5 zp=1; weights scales {1, 0.5}; output s=1 zp=-2.
  // pixel q = [3, -1] -> real [1, -1]. filter o0 = [2, 1], o1 = [4, -2], bias {2, 0}
  // (bias scale 0.5*w_scale: o0 bias real 1, o1 real 0).
  // o0: acc = 2*(3-1) + 1*(-1-1) + 2 = 4; * 0.5*1/1 = 2 -> 2 - 2 = 0.
  // o1: acc = 4*2 + -2*-2 + 0 = 12; * 0.5*0.5 = 3 -> 3 - 2 = 1.
  SingleOpModel m;
  QuantSpec qi{{0.5f}, {1}}, qw{{1.0f, 0.5f}, {0, 0}, 0}, qb{{0.5f, 0.25f}, {0, 0}, 0},
      qo{{1.0f}, {-2}};
  int x = m.Input(DataType::kInt8, {1, 1, 1, 2}, &qi);
  int w = m.Const<int8_t>(DataType::kInt8, {2, 1, 1, 2}, {2, 1, 4, -2}, &qw);
  int b = m.Const<int32_t>(DataType::kInt32, {2}, {2, 0}, &qb);
  int y = m.Output(DataType::kInt8, {}, &qo);
  fb::Conv2DOptionsT o;
  o.padding = fb::Padding::VALID;
  o.stride_w = o.stride_h = 1;
  m.Op(fb::BuiltinOperator::CONV_2D, {x, w, b}, {y}, MakeOptions(o));
  const Status st = m.Build();
  ASSERT_TRUE(st.ok()) << st.message();
  m.Set<int8_t>(x, {3, -1});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<int8_t>(y), (std::vector<int8_t>{0, 1}));
}

// Expected int output of the quantized formula in float64.
int ExpectedQ(double acc, double real, int zp, int lo, int hi) {
  double v = std::round(acc * real) + zp;
  return int(std::min<double>(hi, std::max<double>(lo, v)));
}

TEST(ConvQuantized, RandomInt8ConvAndDepthwiseAgainstFloat64) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 12; ++trial) {
    const bool depthwise = trial % 2;
    const int h = 1 + rng() % 6, wd = 1 + rng() % 6, c = 1 + rng() % 4, k = 1 + rng() % 3;
    const int oc = depthwise ? c * (1 + rng() % 2) : 1 + rng() % 5;
    const int stride = 1 + rng() % 2;
    const bool same = rng() % 2;
    const float si = 0.02f + (rng() % 100) / 1000.0f, so = 0.05f + (rng() % 100) / 500.0f;
    const int zi = int(rng() % 40) - 20, zo = int(rng() % 40) - 20;
    std::vector<float> ws(oc);
    for (auto& s : ws) s = 0.005f + (rng() % 100) / 5000.0f;
    std::vector<int64_t> wz(oc, 0);
    const int kc = depthwise ? oc : c;
    std::vector<int8_t> xv(h * wd * c), wv(oc * k * k * (depthwise ? 1 : c));
    for (auto& v : xv) v = int8_t(int(rng() % 256) - 128);
    for (auto& v : wv) v = int8_t(int(rng() % 255) - 127);
    std::vector<int32_t> bv(oc);
    for (auto& v : bv) v = int(rng() % 2001) - 1000;
    std::vector<float> bs(oc);
    for (int o = 0; o < oc; ++o) bs[o] = si * ws[o];
    SingleOpModel m;
    QuantSpec qi{{si}, {zi}}, qw{ws, wz, depthwise ? 3 : 0}, qb{bs, wz, 0}, qo{{so}, {zo}};
    int x = m.Input(DataType::kInt8, {1, h, wd, c}, &qi);
    std::vector<int32_t> wshape = depthwise ? std::vector<int32_t>{1, k, k, oc}
                                            : std::vector<int32_t>{oc, k, k, c};
    int w = m.Const<int8_t>(DataType::kInt8, wshape, wv, &qw);
    int b = m.Const<int32_t>(DataType::kInt32, {oc}, bv, &qb);
    int y = m.Output(DataType::kInt8, {}, &qo);
    const fb::Padding pad = same ? fb::Padding::SAME : fb::Padding::VALID;
    if (depthwise) {
      fb::DepthwiseConv2DOptionsT o;
      o.padding = pad;
      o.stride_w = o.stride_h = stride;
      o.depth_multiplier = oc / c;
      m.Op(fb::BuiltinOperator::DEPTHWISE_CONV_2D, {x, w, b}, {y}, MakeOptions(o));
    } else {
      fb::Conv2DOptionsT o;
      o.padding = pad;
      o.stride_w = o.stride_h = stride;
      m.Op(fb::BuiltinOperator::CONV_2D, {x, w, b}, {y}, MakeOptions(o));
    }
    const Status st = m.Build();
    if (!same && (h < k || wd < k)) continue;  // empty VALID output: nothing to check
    ASSERT_TRUE(st.ok()) << st.message();
    m.Set<int8_t>(x, xv);
    ASSERT_TRUE(m.Invoke().ok());
    const auto shape = m.Shape(y);
    const int oh = shape[1], ow = shape[2];
    const int pad_h = same ? std::max(0, ((oh - 1) * stride + k - h) / 2) : 0;
    const int pad_w = same ? std::max(0, ((ow - 1) * stride + k - wd) / 2) : 0;
    const auto got = m.Get<int8_t>(y);
    for (int py = 0; py < oh; ++py)
      for (int px = 0; px < ow; ++px)
        for (int o = 0; o < oc; ++o) {
          double acc = bv[o];
          for (int ky = 0; ky < k; ++ky)
            for (int kx = 0; kx < k; ++kx) {
              const int iy = py * stride - pad_h + ky, ix = px * stride - pad_w + kx;
              if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
              if (depthwise) {
                const int ic = o / (oc / c);
                acc += double(wv[(ky * k + kx) * kc + o]) * (xv[(iy * wd + ix) * c + ic] - zi);
              } else {
                for (int i = 0; i < c; ++i)
                  acc += double(wv[((o * k + ky) * k + kx) * c + i]) *
                         (xv[(iy * wd + ix) * c + i] - zi);
              }
            }
          const int e = ExpectedQ(acc, double(si) * ws[o] / so, zo, -128, 127);
          // Fixed-point double rounding: within 1 LSB of exact rounding.
          EXPECT_LE(std::abs(got[(py * ow + px) * oc + o] - e), 1)
              << "trial " << trial << " at " << py << "," << px << "," << o;
        }
  }
}

TEST(FullyConnectedQuantized, RandomInt8AndUInt8AgainstFloat64) {
  // TFLite's reference FC requantizes in double: the float64 formula is exact.
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 12; ++trial) {
    const bool u8 = trial % 2;
    const DataType t = u8 ? DataType::kUInt8 : DataType::kInt8;
    const int lo = u8 ? 0 : -128, hi = u8 ? 255 : 127;
    const int batches = 1 + rng() % 3, depth = 1 + rng() % 40, units = 1 + rng() % 10;
    const float si = 0.01f + (rng() % 100) / 1000.0f, so = 0.1f + (rng() % 100) / 200.0f;
    const float sw = 0.01f + (rng() % 100) / 2000.0f;
    const int zi = lo + int(rng() % 40) + 40, zo = lo + int(rng() % 40) + 40;
    const int zw = u8 ? 100 + int(rng() % 50) : 0;
    std::vector<uint8_t> raw_x(batches * depth), raw_w(units * depth);
    for (auto& v : raw_x) v = uint8_t(rng());
    for (auto& v : raw_w) v = uint8_t(rng());
    std::vector<int32_t> bv(units);
    for (auto& v : bv) v = int(rng() % 4001) - 2000;
    SingleOpModel m;
    QuantSpec qi{{si}, {zi}}, qw{{sw}, {zw}}, qb{{si * sw}, {0}}, qo{{so}, {zo}};
    int x = m.Input(t, {batches, depth}, &qi);
    int w = u8 ? m.Const<uint8_t>(t, {units, depth}, raw_w, &qw)
               : m.Const<int8_t>(t, {units, depth},
                                 std::vector<int8_t>(raw_w.begin(), raw_w.end()), &qw);
    int b = m.Const<int32_t>(DataType::kInt32, {units}, bv, &qb);
    int y = m.Output(t, {}, &qo);
    m.Op(fb::BuiltinOperator::FULLY_CONNECTED, {x, w, b}, {y},
         MakeOptions(fb::FullyConnectedOptionsT{}));
    const Status st = m.Build();
    ASSERT_TRUE(st.ok()) << st.message();
    auto val = [&](uint8_t r) { return u8 ? int(r) : int(int8_t(r)); };
    if (u8) m.Set<uint8_t>(x, raw_x);
    else m.Set<int8_t>(x, std::vector<int8_t>(raw_x.begin(), raw_x.end()));
    ASSERT_TRUE(m.Invoke().ok());
    std::vector<int> got;
    if (u8) for (auto v : m.Get<uint8_t>(y)) got.push_back(v);
    else for (auto v : m.Get<int8_t>(y)) got.push_back(v);
    for (int bb = 0; bb < batches; ++bb)
      for (int n = 0; n < units; ++n) {
        double acc = bv[n];
        for (int kk = 0; kk < depth; ++kk)
          acc += double(val(raw_w[n * depth + kk]) - zw) * (val(raw_x[bb * depth + kk]) - zi);
        EXPECT_EQ(got[bb * units + n], ExpectedQ(acc, double(si) * sw / so, zo, lo, hi))
            << "trial " << trial;
      }
  }
}

TEST(ConvHybrid, FloatInputInt8WeightsCloseToFloat) {
  // Hybrid conv and FC quantize the input to int8 (symmetric, per batch):
  // the result is within the quantization error of the float computation:
  // |err| <= sum |w_real| * (input_scale / 2) + float rounding.
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  const int h = 4, wd = 5, c = 3, oc = 4, k = 3;
  std::vector<float> xv(h * wd * c);
  for (auto& v : xv) v = (int(rng() % 2001) - 1000) / 500.0f;
  std::vector<int8_t> wv(oc * k * k * c);
  for (auto& v : wv) v = int8_t(int(rng() % 255) - 127);
  const float ws = 0.01f;
  QuantSpec qw{{ws}, {0}};
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {1, h, wd, c});
  int w = m.Const<int8_t>(DataType::kInt8, {oc, k, k, c}, wv, &qw);
  int b = m.Const<float>(DataType::kFloat32, {oc}, {0.5f, -0.5f, 0.0f, 1.0f});
  int y = m.Output(DataType::kFloat32);
  fb::Conv2DOptionsT o;
  o.padding = fb::Padding::SAME;
  o.stride_w = o.stride_h = 1;
  m.Op(fb::BuiltinOperator::CONV_2D, {x, w, b}, {y}, MakeOptions(o));
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(x, xv);
  ASSERT_TRUE(m.Invoke().ok());
  float maxabs = 0;
  for (float v : xv) maxabs = std::max(maxabs, std::fabs(v));
  const double in_scale = maxabs / 127.0;
  const auto got = m.Get<float>(y);
  const float bias[4] = {0.5f, -0.5f, 0.0f, 1.0f};
  for (int py = 0; py < h; ++py)
    for (int px = 0; px < wd; ++px)
      for (int oo = 0; oo < oc; ++oo) {
        double acc = bias[oo], bound = 1e-5;
        for (int ky = 0; ky < k; ++ky)
          for (int kx = 0; kx < k; ++kx) {
            const int iy = py - 1 + ky, ix = px - 1 + kx;
            if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
            for (int i = 0; i < c; ++i) {
              const double wr = wv[((oo * k + ky) * k + kx) * c + i] * double(ws);
              acc += wr * xv[(iy * wd + ix) * c + i];
              bound += std::fabs(wr) * in_scale * 0.5;
            }
          }
        EXPECT_NEAR(got[(py * wd + px) * oc + oo], acc, bound * 1.01);
      }
}

TEST(ConvQuantized, InvalidQuantizationIsRejected) {
  auto build = [](const QuantSpec& qw, DataType wtype, const QuantSpec* qi) {
    SingleOpModel m;
    QuantSpec qo{{1.0f}, {0}};
    int x = m.Input(DataType::kInt8, {1, 2, 2, 2}, qi);
    int w = m.Const<int8_t>(wtype, {2, 1, 1, 2}, {1, 2, 3, 4}, &qw);
    int b = m.Const<int32_t>(DataType::kInt32, {2}, {0, 0});
    int y = m.Output(DataType::kInt8, {}, &qo);
    fb::Conv2DOptionsT o;
    o.padding = fb::Padding::VALID;
    o.stride_w = o.stride_h = 1;
    m.Op(fb::BuiltinOperator::CONV_2D, {x, w, b}, {y}, MakeOptions(o));
    return m.Build();
  };
  QuantSpec good_in{{0.5f}, {0}};
  // Sanity: the valid configuration builds.
  EXPECT_TRUE(build(QuantSpec{{0.1f, 0.2f}, {0, 0}, 0}, DataType::kInt8, &good_in).ok());
  // Nonzero weight zero point on int8 weights.
  EXPECT_FALSE(build(QuantSpec{{0.1f, 0.2f}, {0, 3}, 0}, DataType::kInt8, &good_in).ok());
  // Negative weight scale.
  EXPECT_FALSE(build(QuantSpec{{0.1f, -0.2f}, {0, 0}, 0}, DataType::kInt8, &good_in).ok());
  // Input without quantization.
  EXPECT_FALSE(build(QuantSpec{{0.1f, 0.2f}, {0, 0}, 0}, DataType::kInt8, nullptr).ok());
  // uint8 weights with int8 activations.
  EXPECT_FALSE(build(QuantSpec{{0.1f}, {0}}, DataType::kUInt8, &good_in).ok());
}

TEST(TransposeConvQuantized, Int16HandComputed) {
  // 1x1 input pixel value q=100 (s=0.01), 2x2 kernel stride 2, weights
  // {1,2,3,4} (s=0.5), int64 bias 0, output s=0.01: out = q*w*0.5 = 50*w.
  SingleOpModel m;
  QuantSpec qi{{0.01f}, {0}}, qw{{0.5f}, {0}}, qo{{0.01f}, {0}}, qb{{0.005f}, {0}};
  int shape = m.Const<int32_t>(DataType::kInt32, {4}, {1, 2, 2, 1});
  int w = m.Const<int8_t>(DataType::kInt8, {1, 2, 2, 1}, {1, 2, 3, 4}, &qw);
  int x = m.Input(DataType::kInt16, {1, 1, 1, 1}, &qi);
  int b = m.Const<int64_t>(DataType::kInt64, {1}, {10}, &qb);
  int y = m.Output(DataType::kInt16, {}, &qo);
  fb::TransposeConvOptionsT o;
  o.padding = fb::Padding::VALID;
  o.stride_w = o.stride_h = 2;
  m.Op(fb::BuiltinOperator::TRANSPOSE_CONV, {shape, w, x, b}, {y}, MakeOptions(o));
  const Status st = m.Build();
  ASSERT_TRUE(st.ok()) << st.message();
  m.Set<int16_t>(x, {100});
  ASSERT_TRUE(m.Invoke().ok());
  // acc = 100*w + 10; * 0.5 -> 55, 105, 155, 205.
  EXPECT_EQ(m.Get<int16_t>(y), (std::vector<int16_t>{55, 105, 155, 205}));
}

}  // namespace
}  // namespace edgelite
