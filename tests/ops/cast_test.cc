// CAST: hand cases for each rule (truncation, saturation, NaN, bool, float16
// rounding), a random round trip, and invalid models.
#include <cmath>
#include <cstring>
#include <limits>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

template <typename To, typename From>
std::vector<To> RunCast(DataType from, DataType to, const std::vector<From>& in) {
  SingleOpModel m;
  int x = m.Input(from, {static_cast<int32_t>(in.size())});
  int y = m.Output(to);
  m.Op(fb::BuiltinOperator::CAST, {x}, {y});
  Status s = m.Build();
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return {};
  m.Set<From>(x, in);
  s = m.Invoke();
  EXPECT_TRUE(s.ok()) << s.ToString();
  return m.Get<To>(y);
}

TEST(Cast, FloatToInt) {
  const float nan = std::nanf(""), inf = std::numeric_limits<float>::infinity();
  // Truncation toward zero; saturation at the range; NaN -> max (TFLite's rule).
  EXPECT_EQ((RunCast<int32_t, float>(DataType::kFloat32, DataType::kInt32,
                                     {2.9f, -2.9f, 3e9f, -3e9f, nan, inf})),
            (std::vector<int32_t>{2, -2, 2147483647, -2147483647 - 1, 2147483647, 2147483647}));
  EXPECT_EQ((RunCast<uint8_t, float>(DataType::kFloat32, DataType::kUInt8, {-5, 255.9f, 300, 7.5f})),
            (std::vector<uint8_t>{0, 255, 255, 7}));
  EXPECT_EQ((RunCast<int8_t, float>(DataType::kFloat32, DataType::kInt8, {-200, 127.5f, -128.5f})),
            (std::vector<int8_t>{-128, 127, -128}));
  // 2^63 does not fit int64: saturates.
  EXPECT_EQ((RunCast<int64_t, float>(DataType::kFloat32, DataType::kInt64, {9.3e18f, -1.5f})),
            (std::vector<int64_t>{std::numeric_limits<int64_t>::max(), -1}));
}

TEST(Cast, IntegersAndBool) {
  // int32 -> uint8 wraps modulo 256: 257 -> 1, -1 -> 255.
  EXPECT_EQ((RunCast<uint8_t, int32_t>(DataType::kInt32, DataType::kUInt8, {257, -1, 5})),
            (std::vector<uint8_t>{1, 255, 5}));
  EXPECT_EQ((RunCast<float, int64_t>(DataType::kInt64, DataType::kFloat32, {-3, 1 << 20})),
            (std::vector<float>{-3, 1 << 20}));
  // Anything -> bool is "!= 0" (NaN is true); bool bytes -> 0/1.
  EXPECT_EQ((RunCast<bool, float>(DataType::kFloat32, DataType::kBool, {0, -0.0f, 0.1f, std::nanf("")})),
            (std::vector<bool>{false, false, true, true}));
  EXPECT_EQ((RunCast<bool, int16_t>(DataType::kInt16, DataType::kBool, {0, -7})),
            (std::vector<bool>{false, true}));
  EXPECT_EQ((RunCast<float, uint8_t>(DataType::kBool, DataType::kFloat32, {0, 1, 9})),
            (std::vector<float>{0, 1, 1}));
  EXPECT_EQ((RunCast<int32_t, uint8_t>(DataType::kBool, DataType::kInt32, {1, 0})),
            (std::vector<int32_t>{1, 0}));
}

TEST(Cast, Float16) {
  // Known encodings: 1 = 0x3c00, -2 = 0xc000, 65504 (max) = 0x7bff, 65520 rounds
  // to inf 0x7c00, 2^-24 (smallest subnormal) = 0x0001, 0.1 -> 0x2e66 (nearest),
  // 1 + 2^-11 is a tie between 0x3c00 and 0x3c01 -> even 0x3c00;
  // 1 + 3*2^-11 ties between 0x3c01 and 0x3c02 -> even 0x3c02.
  const std::vector<float> in = {1, -2, 65504, 65520, std::ldexp(1.0f, -24), 0.1f,
                                 1 + std::ldexp(1.0f, -11), 1 + 3 * std::ldexp(1.0f, -11)};
  EXPECT_EQ((RunCast<uint16_t, float>(DataType::kFloat32, DataType::kFloat16, in)),
            (std::vector<uint16_t>{0x3c00, 0xc000, 0x7bff, 0x7c00, 0x0001, 0x2e66, 0x3c00, 0x3c02}));
  // And back: 0x3555 = 0.333251953125, 0x8001 = -2^-24, 0xfc00 = -inf.
  auto back = RunCast<float, uint16_t>(DataType::kFloat16, DataType::kFloat32, {0x3555, 0x8001, 0xfc00});
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[0], 0.333251953125f);
  EXPECT_EQ(back[1], -std::ldexp(1.0f, -24));
  EXPECT_TRUE(std::isinf(back[2]) && back[2] < 0);
  // float16 -> int32 saturates like float: 0x7bff = 65504 -> 65504.
  EXPECT_EQ((RunCast<int32_t, uint16_t>(DataType::kFloat16, DataType::kInt32, {0x7bff, 0xbe00})),
            (std::vector<int32_t>{65504, -1}));  // 0xbe00 = -1.5 -> -1
}

TEST(Cast, RandomFloat16RoundTripIsNearest) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  // Random floats across many binades; float -> half -> float must be the
  // nearest half value: within half an ulp of the half grid (relative 2^-11
  // for normals, absolute 2^-25 for subnormals).
  std::vector<float> in(500);
  std::uniform_real_distribution<float> mant(-1, 1);
  for (float& v : in) v = std::ldexp(mant(rng), static_cast<int>(rng() % 36) - 26);
  auto h = RunCast<uint16_t, float>(DataType::kFloat32, DataType::kFloat16, in);
  auto back = RunCast<float, uint16_t>(DataType::kFloat16, DataType::kFloat32, h);
  ASSERT_EQ(back.size(), in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const double x = in[i], y = back[i];
    const double bound = std::max(std::fabs(x) * std::ldexp(1.0, -11), std::ldexp(1.0, -25));
    ASSERT_LE(std::fabs(x - y), bound) << "x=" << x << " half=" << h[i];
  }
}

TEST(Cast, RejectsUnsupportedTypes) {
  SingleOpModel m;
  int x = m.Input(DataType::kString, {2});
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::CAST, {x}, {y});
  // String tensors are sized at Invoke, so the node is prepared (and rejected) then.
  Status s = m.Build();
  if (s.ok()) s = m.Invoke();
  EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.ToString();
  EXPECT_NE(s.message().find("CAST"), std::string::npos) << s.message();
  SingleOpModel m2;
  int a = m2.Input(DataType::kFloat32, {2});
  int b = m2.Input(DataType::kFloat32, {2});
  int c = m2.Output(DataType::kInt32);
  m2.Op(fb::BuiltinOperator::CAST, {a, b}, {c});
  EXPECT_EQ(m2.Build().code(), StatusCode::kInvalidModel);
}

}  // namespace
}  // namespace edgelite
