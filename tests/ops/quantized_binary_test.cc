// Quantized ADD, SUB, MUL (int8/uint8/int16): hand-derived cases worked
// through TFLite's integer arithmetic, randomized broadcasting cases against
// a float64 evaluation of the quantized formula, and invalid quantization.
#include <algorithm>
#include <cmath>
#include <random>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;
using Act = fb::ActivationFunctionType;
using Op = fb::BuiltinOperator;

struct Q {
  float scale;
  int64_t zp;
};

QuantSpec Spec(const Q& q) {
  QuantSpec s;
  s.scale = {q.scale};
  s.zero_point = {q.zp};
  return s;
}

fb::BuiltinOptionsUnion Options(Op op, Act act, bool pot_scale_int16) {
  if (op == Op::ADD) {
    fb::AddOptionsT o;
    o.fused_activation_function = act;
    o.pot_scale_int16 = pot_scale_int16;
    return MakeOptions(o);
  }
  if (op == Op::SUB) {
    fb::SubOptionsT o;
    o.fused_activation_function = act;
    o.pot_scale_int16 = pot_scale_int16;
    return MakeOptions(o);
  }
  fb::MulOptionsT o;
  o.fused_activation_function = act;
  return MakeOptions(o);
}

template <typename T>
Status RunBinaryOp(Op op, DataType type, const std::vector<int32_t>& sa, const std::vector<T>& a,
                   Q qa, const std::vector<int32_t>& sb, const std::vector<T>& b, Q qb, Q qo,
                   std::vector<T>* out, Act act = Act::NONE, bool pot_scale_int16 = false) {
  SingleOpModel m;
  const QuantSpec pa = Spec(qa), pb = Spec(qb), po = Spec(qo);
  int x = m.Input(type, sa, &pa);
  int y = m.Input(type, sb, &pb);
  int z = m.Output(type, {}, &po);
  m.Op(op, {x, y}, {z}, Options(op, act, pot_scale_int16));
  Status s = m.Build();
  if (!s.ok()) return s;
  m.Set<T>(x, a);
  m.Set<T>(y, b);
  s = m.Invoke();
  if (s.ok()) *out = m.Get<T>(z);
  return s;
}

TEST(QuantizedBinaryTest, Int8AddHandWorked) {
  // Scales 0.5, 0.5 -> 1.0, zero points 0. Reals: a = [1, 2, -3],
  // b = [1, 1.5, 0.5]; sums 2, 3.5, -2.5. TFLite's arithmetic is exact here
  // (power-of-two multipliers) and its final rounding divide sends ties away
  // from zero: 3.5 -> 4, -2.5 -> -3.
  std::vector<int8_t> out;
  ASSERT_TRUE(RunBinaryOp<int8_t>(Op::ADD, DataType::kInt8, {3}, {2, 4, -6}, {0.5f, 0}, {3},
                                  {2, 3, 1}, {0.5f, 0}, {1.0f, 0}, &out)
                  .ok());
  EXPECT_EQ(out, (std::vector<int8_t>{2, 4, -3}));
}

TEST(QuantizedBinaryTest, UInt8SubWithZeroPointsAndRelu) {
  // a: scale 1, zp 10 -> reals [0, 5, 20]; b: scale 1, zp 0 -> [5, 5, 5].
  // a - b = [-5, 0, 15]; output scale 1, zp 100 -> [95, 100, 115]; RELU
  // clamps at the image of 0 (100): [100, 100, 115].
  std::vector<uint8_t> out;
  ASSERT_TRUE(RunBinaryOp<uint8_t>(Op::SUB, DataType::kUInt8, {3}, {10, 15, 30}, {1.0f, 10}, {1},
                                   {5}, {1.0f, 0}, {1.0f, 100}, &out, Act::RELU)
                  .ok());
  EXPECT_EQ(out, (std::vector<uint8_t>{100, 100, 115}));
}

TEST(QuantizedBinaryTest, Int8MulHandWorked) {
  // (a - 1) * (b + 2) * (0.5 * 0.25 / 0.125 = 1) + 3:
  // a = [5, -3], b = [2, 0] -> (4*4, -4*2) + 3 = [19, -5].
  std::vector<int8_t> out;
  ASSERT_TRUE(RunBinaryOp<int8_t>(Op::MUL, DataType::kInt8, {2}, {5, -3}, {0.5f, 1}, {2}, {2, 0},
                                  {0.25f, -2}, {0.125f, 3}, &out)
                  .ok());
  EXPECT_EQ(out, (std::vector<int8_t>{19, -5}));
}

TEST(QuantizedBinaryTest, Int16PowerOfTwoAddShiftsOneInput) {
  // pot_scale_int16: a at the output scale 2^-10, b at 2^-12: out = a +
  // round(b / 4) (ties away from zero), saturated. b = [6, -6, 4] -> [2, -2, 1]
  // (1.5 -> 2, -1.5 -> -2); a = [100, 32767, -5].
  std::vector<int16_t> out;
  ASSERT_TRUE(RunBinaryOp<int16_t>(Op::ADD, DataType::kInt16, {3}, {100, 32767, -5},
                                   {1.0f / 1024, 0}, {3}, {6, -6, 4}, {1.0f / 4096, 0},
                                   {1.0f / 1024, 0}, &out, Act::NONE, /*pot_scale_int16=*/true)
                  .ok());
  EXPECT_EQ(out, (std::vector<int16_t>{102, 32765, -4}));
}

// The quantized formula in float64: q_out = round(f(real_a, real_b) / s_out)
// + z_out, clamped to the type. The integer kernels round twice (input
// rescale, output rescale), so they may differ by one LSB.
template <typename T>
void RandomCheck(Op op, DataType type, uint32_t seed) {
  std::mt19937 rng(seed);
  const int32_t lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
  const bool int16 = type == DataType::kInt16;
  std::uniform_real_distribution<float> scale_dist(0.005f, 0.05f);
  std::uniform_int_distribution<int32_t> zp_dist(lo / 2, hi / 2);
  std::uniform_int_distribution<int32_t> dim(1, 4);
  for (int iter = 0; iter < 30; ++iter) {
    SCOPED_TRACE(iter);
    Q qa{scale_dist(rng), int16 ? 0 : zp_dist(rng)};
    Q qb{scale_dist(rng), int16 ? 0 : zp_dist(rng)};
    // Output scale: sums need about twice the input range; products about
    // range * s_a * s_b (divided by 2..8 so that some outputs saturate).
    std::uniform_real_distribution<float> div(2.0f, 8.0f);
    Q qo{op == Op::MUL ? qa.scale * qb.scale * static_cast<float>(hi - lo) / div(rng)
                       : scale_dist(rng) * 2,
         int16 ? 0 : zp_dist(rng)};
    // Shapes [d0, d1, d2] with random size-1 (broadcast) axes on either side.
    std::vector<int32_t> sa, sb;
    for (int d = 0; d < 3; ++d) {
      const int32_t n = dim(rng);
      const int pick = static_cast<int>(rng() % 3);
      sa.push_back(pick == 1 ? 1 : n);
      sb.push_back(pick == 2 ? 1 : n);
    }
    auto count = [](const std::vector<int32_t>& s) {
      int64_t n = 1;
      for (int32_t d : s) n *= d;
      return n;
    };
    std::uniform_int_distribution<int32_t> val(lo, hi);
    std::vector<T> a(count(sa)), b(count(sb));
    for (auto& v : a) v = static_cast<T>(val(rng));
    for (auto& v : b) v = static_cast<T>(val(rng));
    std::vector<T> out;
    ASSERT_TRUE(RunBinaryOp<T>(op, type, sa, a, qa, sb, b, qb, qo, &out).ok());
    std::vector<int32_t> so(3);
    for (int d = 0; d < 3; ++d) so[d] = std::max(sa[d], sb[d]);
    ASSERT_EQ(static_cast<int64_t>(out.size()), count(so));
    int worst = 0;
    for (int i = 0; i < so[0]; ++i)
      for (int j = 0; j < so[1]; ++j)
        for (int k = 0; k < so[2]; ++k) {
          // Element of a broadcast operand: size-1 axes stay at index 0.
          auto at = [&](const std::vector<T>& v, const std::vector<int32_t>& s) {
            const int ii = s[0] == 1 ? 0 : i, jj = s[1] == 1 ? 0 : j, kk = s[2] == 1 ? 0 : k;
            return v[(ii * s[1] + jj) * s[2] + kk];
          };
          const double ra = qa.scale * (static_cast<double>(at(a, sa)) - qa.zp);
          const double rb = qb.scale * (static_cast<double>(at(b, sb)) - qb.zp);
          const double r = op == Op::ADD ? ra + rb : op == Op::SUB ? ra - rb : ra * rb;
          const double q = std::min<double>(
              hi, std::max<double>(lo, std::round(r / qo.scale) + static_cast<double>(qo.zp)));
          const T got = out[(i * so[1] + j) * so[2] + k];
          worst = std::max(worst, static_cast<int>(std::fabs(q - got)));
        }
    EXPECT_LE(worst, 1) << "scales " << qa.scale << " " << qb.scale << " -> " << qo.scale;
  }
}

TEST(QuantizedBinaryTest, RandomInt8AgainstFloat64WithinOneLsb) {
  SCOPED_TRACE(testing::TestSeed());
  RandomCheck<int8_t>(Op::ADD, DataType::kInt8, testing::TestSeed());
  RandomCheck<int8_t>(Op::SUB, DataType::kInt8, testing::TestSeed() + 1);
  RandomCheck<int8_t>(Op::MUL, DataType::kInt8, testing::TestSeed() + 2);
}

TEST(QuantizedBinaryTest, RandomUInt8AgainstFloat64WithinOneLsb) {
  SCOPED_TRACE(testing::TestSeed());
  RandomCheck<uint8_t>(Op::ADD, DataType::kUInt8, testing::TestSeed() + 3);
  RandomCheck<uint8_t>(Op::SUB, DataType::kUInt8, testing::TestSeed() + 4);
  RandomCheck<uint8_t>(Op::MUL, DataType::kUInt8, testing::TestSeed() + 5);
}

TEST(QuantizedBinaryTest, RandomInt16GeneralScalesWithinOneLsb) {
  SCOPED_TRACE(testing::TestSeed());
  RandomCheck<int16_t>(Op::ADD, DataType::kInt16, testing::TestSeed() + 6);
  RandomCheck<int16_t>(Op::SUB, DataType::kInt16, testing::TestSeed() + 7);
  RandomCheck<int16_t>(Op::MUL, DataType::kInt16, testing::TestSeed() + 8);
}

TEST(QuantizedBinaryTest, RejectsInvalidQuantization) {
  std::vector<int16_t> out16;
  // int16 needs zero point 0.
  Status s = RunBinaryOp<int16_t>(Op::ADD, DataType::kInt16, {1}, {1}, {0.1f, 3}, {1}, {1},
                                  {0.1f, 0}, {0.1f, 0}, &out16);
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();
  std::vector<int8_t> out8;
  // Non-positive scale.
  s = RunBinaryOp<int8_t>(Op::MUL, DataType::kInt8, {1}, {1}, {0.0f, 0}, {1}, {1}, {0.1f, 0},
                          {0.1f, 0}, &out8);
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();
  // Zero point outside the type's range.
  s = RunBinaryOp<int8_t>(Op::SUB, DataType::kInt8, {1}, {1}, {0.1f, 300}, {1}, {1}, {0.1f, 0},
                          {0.1f, 0}, &out8);
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();
  // Power-of-two int16 path with both inputs off the output scale.
  s = RunBinaryOp<int16_t>(Op::ADD, DataType::kInt16, {1}, {1}, {0.25f, 0}, {1}, {1}, {0.25f, 0},
                           {1.0f, 0}, &out16, Act::NONE, true);
  EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.ToString();
}

}  // namespace
}  // namespace edgelite
