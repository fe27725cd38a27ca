// Quantized AVERAGE_POOL_2D / MAX_POOL_2D, MEAN / SUM, RESIZE_BILINEAR,
// CONCATENATION (uint8 requantization) and BATCH_MATMUL: hand-derived cases,
// randomized cases against float64 evaluations of the quantized formula, and
// invalid models.
#include <algorithm>
#include <cmath>
#include <random>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;
using Op = fb::BuiltinOperator;

QuantSpec Spec(float scale, int64_t zp) {
  QuantSpec s;
  s.scale = {scale};
  s.zero_point = {zp};
  return s;
}

fb::BuiltinOptionsUnion Pool(int fh, int fw, int stride, fb::Padding pad,
                             fb::ActivationFunctionType act = fb::ActivationFunctionType::NONE) {
  fb::Pool2DOptionsT o;
  o.filter_height = fh;
  o.filter_width = fw;
  o.stride_h = o.stride_w = stride;
  o.padding = pad;
  o.fused_activation_function = act;
  return MakeOptions(o);
}

TEST(QuantizedPoolTest, AverageRoundsHalfAwayFromZeroAndMaxClamps) {
  // 1x2x2x1 int8, one 2x2 window: sum 1 + 2 + 3 + 4 = 10 over 4 -> 2.5 -> 3;
  // negated: -2.5 -> -3. MAX with RELU6 at scale 0.5 (zp 0): 6.0 -> q 12,
  // so max 20 clamps to 12.
  for (int sign : {1, -1}) {
    SingleOpModel m;
    const QuantSpec q = Spec(0.5f, 0);
    int x = m.Input(DataType::kInt8, {1, 2, 2, 1}, &q);
    int y = m.Output(DataType::kInt8, {}, &q);
    m.Op(Op::AVERAGE_POOL_2D, {x}, {y}, Pool(2, 2, 1, fb::Padding::VALID));
    ASSERT_TRUE(m.Build().ok());
    m.Set<int8_t>(x, {static_cast<int8_t>(sign), static_cast<int8_t>(2 * sign),
                      static_cast<int8_t>(3 * sign), static_cast<int8_t>(4 * sign)});
    ASSERT_TRUE(m.Invoke().ok());
    EXPECT_EQ(m.Get<int8_t>(y), (std::vector<int8_t>{static_cast<int8_t>(3 * sign)}));
  }
  SingleOpModel m;
  const QuantSpec q = Spec(0.5f, 0);
  int x = m.Input(DataType::kInt8, {1, 2, 2, 1}, &q);
  int y = m.Output(DataType::kInt8, {}, &q);
  m.Op(Op::MAX_POOL_2D, {x}, {y},
       Pool(2, 2, 1, fb::Padding::VALID, fb::ActivationFunctionType::RELU6));
  ASSERT_TRUE(m.Build().ok());
  m.Set<int8_t>(x, {1, 20, -3, 4});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<int8_t>(y), (std::vector<int8_t>{12}));
}

TEST(QuantizedPoolTest, RandomSamePaddingAgainstFloat64) {
  // Average of the in-image taps, rounded half away from zero: exact against
  // float64 (the integer division is exact up to the final rounding).
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE(testing::TestSeed());
  for (int iter = 0; iter < 10; ++iter) {
    const int h = 1 + rng() % 7, w = 1 + rng() % 7, c = 1 + rng() % 3;
    const int k = 1 + rng() % 3, stride = 1 + rng() % 2;
    SingleOpModel m;
    const QuantSpec q = Spec(0.1f, 3);
    int x = m.Input(DataType::kUInt8, {1, h, w, c}, &q);
    int y = m.Output(DataType::kUInt8, {}, &q);
    m.Op(Op::AVERAGE_POOL_2D, {x}, {y}, Pool(k, k, stride, fb::Padding::SAME));
    ASSERT_TRUE(m.Build().ok());
    std::vector<uint8_t> in(h * w * c);
    for (auto& v : in) v = static_cast<uint8_t>(rng());
    m.Set<uint8_t>(x, in);
    ASSERT_TRUE(m.Invoke().ok());
    const auto shape = m.Shape(y);
    const auto out = m.Get<uint8_t>(y);
    const int oh = shape[1], ow = shape[2];
    const int pad_h = std::max(0, ((oh - 1) * stride + k - h)) / 2;
    const int pad_w = std::max(0, ((ow - 1) * stride + k - w)) / 2;
    for (int oy = 0; oy < oh; ++oy)
      for (int ox = 0; ox < ow; ++ox)
        for (int ch = 0; ch < c; ++ch) {
          double sum = 0;
          int n = 0;
          for (int ky = 0; ky < k; ++ky)
            for (int kx = 0; kx < k; ++kx) {
              const int iy = oy * stride - pad_h + ky, ix = ox * stride - pad_w + kx;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              sum += in[(iy * w + ix) * c + ch];
              ++n;
            }
          const double expect = std::floor(sum / n + 0.5);
          ASSERT_EQ(out[(oy * ow + ox) * c + ch], expect) << oy << "," << ox << "," << ch;
        }
  }
}

Status RunReduce(Op op, const std::vector<int32_t>& shape, const std::vector<int8_t>& in,
                 const QuantSpec& qi, const std::vector<int32_t>& axes, const QuantSpec& qo,
                 std::vector<int8_t>* out) {
  SingleOpModel m;
  int x = m.Input(DataType::kInt8, shape, &qi);
  int a = m.Const<int32_t>(DataType::kInt32, {static_cast<int32_t>(axes.size())}, axes);
  int y = m.Output(DataType::kInt8, {}, &qo);
  fb::ReducerOptionsT o;
  o.keep_dims = false;
  m.Op(op, {x, a}, {y}, MakeOptions(o));
  Status s = m.Build();
  if (!s.ok()) return s;
  m.Set<int8_t>(x, in);
  s = m.Invoke();
  if (s.ok()) *out = m.Get<int8_t>(y);
  return s;
}

TEST(QuantizedReduceTest, MeanAndSumHandWorked) {
  // [[1, 2, 3, 6]] (zp 0, scale 1) over axis 1: mean 3 at output scale 0.5 ->
  // 6, plus zp 1 -> 7. SUM = 12 at scale 0.5 -> 24 + 1 = 25.
  std::vector<int8_t> out;
  ASSERT_TRUE(
      RunReduce(Op::MEAN, {1, 4}, {1, 2, 3, 6}, Spec(1.0f, 0), {1}, Spec(0.5f, 1), &out).ok());
  EXPECT_EQ(out, (std::vector<int8_t>{7}));
  ASSERT_TRUE(
      RunReduce(Op::SUM, {1, 4}, {1, 2, 3, 6}, Spec(1.0f, 0), {1}, Spec(0.5f, 1), &out).ok());
  EXPECT_EQ(out, (std::vector<int8_t>{25}));
}

TEST(QuantizedReduceTest, RandomMeanWithinOneLsb) {
  // The 1/count factor is folded into the Q31 multiplier (truncated): within
  // 1 LSB of round(mean(real) / s_out) + z_out.
  std::mt19937 rng(testing::TestSeed() + 11);
  SCOPED_TRACE(testing::TestSeed());
  for (int iter = 0; iter < 20; ++iter) {
    const int rows = 1 + rng() % 4, cols = 1 + rng() % 50;
    std::vector<int8_t> in(rows * cols);
    for (auto& v : in) v = static_cast<int8_t>(rng());
    const float si = 0.02f + 0.01f * (rng() % 5), so = 0.01f + 0.01f * (rng() % 5);
    const int zi = static_cast<int>(rng() % 21) - 10, zo = static_cast<int>(rng() % 21) - 10;
    std::vector<int8_t> out;
    ASSERT_TRUE(RunReduce(Op::MEAN, {rows, cols}, in, Spec(si, zi), {1}, Spec(so, zo), &out).ok());
    for (int r = 0; r < rows; ++r) {
      double sum = 0;
      for (int c = 0; c < cols; ++c) sum += si * (in[r * cols + c] - zi);
      const double q = std::min(127.0, std::max(-128.0, std::round(sum / cols / so) + zo));
      EXPECT_LE(std::fabs(q - out[r]), 1.0) << "row " << r << " cols " << cols;
    }
  }
}

TEST(QuantizedReduceTest, RejectsInt16WithZeroPoint) {
  SingleOpModel m;
  const QuantSpec q = Spec(0.1f, 4);
  int x = m.Input(DataType::kInt16, {2}, &q);
  int a = m.Const<int32_t>(DataType::kInt32, {1}, {0});
  int y = m.Output(DataType::kInt16, {}, &q);
  m.Op(Op::MEAN, {x, a}, {y}, MakeOptions(fb::ReducerOptionsT{}));
  EXPECT_EQ(m.Build().code(), StatusCode::kInvalidModel);
}

TEST(QuantizedResizeBilinearTest, Int8HalfwayValuesAndUInt8) {
  // 1x1x2x1 -> 1x1x4x1 (align_corners false, half_pixel false): source x =
  // 0, 0.5, 1, 1.5 -> [a, (a+b)/2, b, b]. int8 a=1, b=4: (1+4)/2 = 2.5 -> 3
  // (ties away from zero); uint8 the same through float + 0.5: 3.
  const QuantSpec q = Spec(0.1f, 0);
  for (DataType t : {DataType::kInt8, DataType::kUInt8}) {
    SingleOpModel m;
    int x = m.Input(t, {1, 1, 2, 1}, &q);
    int size = m.Const<int32_t>(DataType::kInt32, {2}, {1, 4});
    int y = m.Output(t, {}, &q);
    m.Op(Op::RESIZE_BILINEAR, {x, size}, {y}, MakeOptions(fb::ResizeBilinearOptionsT{}));
    ASSERT_TRUE(m.Build().ok());
    if (t == DataType::kInt8) {
      m.Set<int8_t>(x, {1, 4});
      ASSERT_TRUE(m.Invoke().ok());
      EXPECT_EQ(m.Get<int8_t>(y), (std::vector<int8_t>{1, 3, 4, 4}));
    } else {
      m.Set<uint8_t>(x, {1, 4});
      ASSERT_TRUE(m.Invoke().ok());
      EXPECT_EQ(m.Get<uint8_t>(y), (std::vector<uint8_t>{1, 3, 4, 4}));
    }
  }
}

TEST(QuantizedResizeBilinearTest, RandomInt16WithinOneLsbOfFloat) {
  // Weights in 1/1024 steps: within 1 LSB of the float64 bilinear value for
  // half_pixel_centers sizes that divide exactly.
  std::mt19937 rng(testing::TestSeed() + 5);
  const QuantSpec q = Spec(0.001f, 0);
  SingleOpModel m;
  int x = m.Input(DataType::kInt16, {1, 3, 4, 2}, &q);
  int size = m.Const<int32_t>(DataType::kInt32, {2}, {6, 8});
  int y = m.Output(DataType::kInt16, {}, &q);
  fb::ResizeBilinearOptionsT o;
  o.half_pixel_centers = true;
  m.Op(Op::RESIZE_BILINEAR, {x, size}, {y}, MakeOptions(o));
  ASSERT_TRUE(m.Build().ok());
  std::vector<int16_t> in(24);
  for (auto& v : in) v = static_cast<int16_t>(rng());
  m.Set<int16_t>(x, in);
  ASSERT_TRUE(m.Invoke().ok());
  const auto out = m.Get<int16_t>(y);
  for (int oy = 0; oy < 6; ++oy)
    for (int ox = 0; ox < 8; ++ox)
      for (int c = 0; c < 2; ++c) {
        const double sy = (oy + 0.5) * 0.5 - 0.5, sx = (ox + 0.5) * 0.5 - 0.5;
        const int y0 = std::max(0, static_cast<int>(std::floor(sy)));
        const int x0 = std::max(0, static_cast<int>(std::floor(sx)));
        const int y1 = std::min(2, static_cast<int>(std::ceil(sy)));
        const int x1 = std::min(3, static_cast<int>(std::ceil(sx)));
        const double dy = sy - y0, dx = sx - x0;
        auto at = [&](int yy, int xx) { return static_cast<double>(in[(yy * 4 + xx) * 2 + c]); };
        const double v = at(y0, x0) * (1 - dy) * (1 - dx) + at(y1, x0) * dy * (1 - dx) +
                         at(y0, x1) * (1 - dy) * dx + at(y1, x1) * dy * dx;
        EXPECT_LE(std::fabs(v - out[(oy * 8 + ox) * 2 + c]), 1.0);
      }
}

TEST(QuantizedConcatenationTest, UInt8RequantizesInputsWithOtherScales) {
  // Output scale 1, zp 0. Input a: scale 0.5, zp 10 -> [10, 13] = reals
  // [0, 1.5] -> round -> [0, 2]. Input b shares the output's params: copied.
  SingleOpModel m;
  const QuantSpec qa = Spec(0.5f, 10), qo = Spec(1.0f, 0);
  int a = m.Input(DataType::kUInt8, {1, 2}, &qa);
  int b = m.Input(DataType::kUInt8, {1, 2}, &qo);
  int y = m.Output(DataType::kUInt8, {}, &qo);
  fb::ConcatenationOptionsT o;
  o.axis = 1;
  m.Op(Op::CONCATENATION, {a, b}, {y}, MakeOptions(o));
  ASSERT_TRUE(m.Build().ok());
  m.Set<uint8_t>(a, {10, 13});
  m.Set<uint8_t>(b, {200, 7});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<uint8_t>(y), (std::vector<uint8_t>{0, 2, 200, 7}));
}

TEST(QuantizedConcatenationTest, Int8WithDifferentScalesIsRejected) {
  SingleOpModel m;
  const QuantSpec qa = Spec(0.5f, 0), qo = Spec(1.0f, 0);
  int a = m.Input(DataType::kInt8, {1, 2}, &qa);
  int b = m.Input(DataType::kInt8, {1, 2}, &qo);
  int y = m.Output(DataType::kInt8, {}, &qo);
  fb::ConcatenationOptionsT o;
  o.axis = 1;
  m.Op(Op::CONCATENATION, {a, b}, {y}, MakeOptions(o));
  EXPECT_EQ(m.Build().code(), StatusCode::kUnsupported);
}

template <typename L, typename R>
void BatchMatMulRandom(DataType lt, DataType rt, float sl, int zl, float sr, int zr, float so,
                       int zo, uint32_t seed) {
  std::mt19937 rng(seed);
  const int b = 2, m_ = 3, k = 5, n = 4;
  for (bool adj_y : {false, true}) {
    SingleOpModel m;
    const QuantSpec ql = Spec(sl, zl), qr = Spec(sr, zr), qo = Spec(so, zo);
    int x = m.Input(lt, {b, m_, k}, &ql);
    int y = m.Input(rt, adj_y ? std::vector<int32_t>{n, k} : std::vector<int32_t>{k, n}, &qr);
    int z = m.Output(lt, {}, &qo);
    fb::BatchMatMulOptionsT o;
    o.adj_y = adj_y;
    m.Op(Op::BATCH_MATMUL, {x, y}, {z}, MakeOptions(o));
    ASSERT_TRUE(m.Build().ok());
    std::vector<L> lv(b * m_ * k);
    std::vector<R> rv(k * n);
    for (auto& v : lv) v = static_cast<L>(rng());
    for (auto& v : rv) v = static_cast<R>(rng());
    m.Set<L>(x, lv);
    m.Set<R>(y, rv);
    ASSERT_TRUE(m.Invoke().ok());
    const auto out = m.Get<L>(z);
    const double lo = std::numeric_limits<L>::min(), hi = std::numeric_limits<L>::max();
    for (int bb = 0; bb < b; ++bb)
      for (int i = 0; i < m_; ++i)
        for (int j = 0; j < n; ++j) {
          double acc = 0;
          for (int p = 0; p < k; ++p) {
            const double rvv = adj_y ? rv[j * k + p] : rv[p * n + j];
            acc += (lv[(bb * m_ + i) * k + p] - zl) * (rvv - zr);
          }
          const double q = std::min(hi, std::max(lo, std::round(acc * sl * sr / so) + zo));
          EXPECT_LE(std::fabs(q - out[(bb * m_ + i) * n + j]), 1.0);
        }
  }
}

TEST(QuantizedBatchMatMulTest, RandomInt8AndInt16WithinOneLsb) {
  SCOPED_TRACE(testing::TestSeed());
  BatchMatMulRandom<int8_t, int8_t>(DataType::kInt8, DataType::kInt8, 0.02f, 3, 0.01f, -2, 0.05f,
                                    -5, testing::TestSeed());
  BatchMatMulRandom<int16_t, int16_t>(DataType::kInt16, DataType::kInt16, 0.001f, 0, 0.002f, 0,
                                      2.0f, 0, testing::TestSeed() + 1);
  BatchMatMulRandom<int16_t, int8_t>(DataType::kInt16, DataType::kInt8, 0.001f, 0, 0.01f, 0, 0.05f,
                                     0, testing::TestSeed() + 2);
}

TEST(QuantizedBatchMatMulTest, MismatchedTypesAreRejected) {
  SingleOpModel m;
  const QuantSpec q = Spec(0.1f, 0);
  int x = m.Input(DataType::kInt8, {2, 2}, &q);
  int y = m.Input(DataType::kInt16, {2, 2}, &q);
  int z = m.Output(DataType::kInt8, {}, &q);
  m.Op(Op::BATCH_MATMUL, {x, y}, {z}, MakeOptions(fb::BatchMatMulOptionsT{}));
  EXPECT_EQ(m.Build().code(), StatusCode::kUnsupported);
}

}  // namespace
}  // namespace edgelite
