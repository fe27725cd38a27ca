// QUANTIZE / DEQUANTIZE: hand cases, randomized checks against float64, and
// invalid quantization parameters.
#include <cmath>
#include <cstring>
#include <random>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

TEST(Quantize, FloatToInt8HandComputed) {
  // scale 0.5, zero point -1: q = round(v / 0.5) - 1, half away from zero,
  // saturating: 0 -> -1, 0.25 -> round(0.5)=1 -> 0, -0.25 -> -1 -> -2,
  // 1 -> 1, 100 -> 199 -> 127, -100 -> -201 -> -128.
  SingleOpModel m;
  QuantSpec q{{0.5f}, {-1}};
  int x = m.Input(DataType::kFloat32, {6});
  int y = m.Output(DataType::kInt8, {}, &q);
  m.Op(fb::BuiltinOperator::QUANTIZE, {x}, {y});
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(x, {0.0f, 0.25f, -0.25f, 1.0f, 100.0f, -100.0f});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<int8_t>(y), (std::vector<int8_t>{-1, 0, -2, 1, 127, -128}));
}

TEST(Quantize, FloatToUInt8PerChannel) {
  // Channels along dimension 1: scales {1, 0.1}, zero points {10, 0}.
  // [0]: 2/1+10 = 12, [1]: 0.25/0.1 = 2.5 -> 3, [2]: -20/1+10 = -10 -> 0,
  // [3]: 30/0.1 = 300 -> 255.
  SingleOpModel m;
  QuantSpec q{{1.0f, 0.1f}, {10, 0}, 1};
  int x = m.Input(DataType::kFloat32, {2, 2});
  int y = m.Output(DataType::kUInt8, {2, 2}, &q);
  m.Op(fb::BuiltinOperator::QUANTIZE, {x}, {y});
  const Status st = m.Build();
  ASSERT_TRUE(st.ok()) << st.message();
  m.Set<float>(x, {2.0f, 0.25f, -20.0f, 30.0f});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<uint8_t>(y), (std::vector<uint8_t>{12, 3, 0, 255}));
}

TEST(Quantize, RequantizeInt8ToUInt8AndInt16) {
  // int8 (s=1, zp=0) -> uint8 (s=1, zp=128): q + 128 (TFLite's xor shortcut).
  {
    SingleOpModel m;
    QuantSpec qi{{1.0f}, {0}}, qo{{1.0f}, {128}};
    int x = m.Input(DataType::kInt8, {4}, &qi);
    int y = m.Output(DataType::kUInt8, {}, &qo);
    m.Op(fb::BuiltinOperator::QUANTIZE, {x}, {y});
    ASSERT_TRUE(m.Build().ok());
    m.Set<int8_t>(x, {-128, -1, 0, 127});
    ASSERT_TRUE(m.Invoke().ok());
    EXPECT_EQ(m.Get<uint8_t>(y), (std::vector<uint8_t>{0, 127, 128, 255}));
  }
  // int8 (s=0.5, zp=2) -> int16 (s=0.25, zp=0): (q - 2) * 2.
  {
    SingleOpModel m;
    QuantSpec qi{{0.5f}, {2}}, qo{{0.25f}, {0}};
    int x = m.Input(DataType::kInt8, {3}, &qi);
    int y = m.Output(DataType::kInt16, {}, &qo);
    m.Op(fb::BuiltinOperator::QUANTIZE, {x}, {y});
    ASSERT_TRUE(m.Build().ok());
    m.Set<int8_t>(x, {-128, 2, 127});
    ASSERT_TRUE(m.Invoke().ok());
    EXPECT_EQ(m.Get<int16_t>(y), (std::vector<int16_t>{-260, 0, 250}));
  }
}

TEST(Quantize, RandomRequantizeAgainstFloat64) {
  // q' = clamp(round((q - zi) * si / so) + zo): the fixed-point multiplier
  // may differ from exact rounding by at most 1 LSB.
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  std::uniform_real_distribution<float> sd(0.01f, 2.0f);
  for (int trial = 0; trial < 20; ++trial) {
    const float si = sd(rng), so = sd(rng);
    const int zi = int(rng() % 256) - 128, zo = int(rng() % 256) - 128;
    SingleOpModel m;
    QuantSpec qi{{si}, {zi}}, qo{{so}, {zo}};
    int x = m.Input(DataType::kInt8, {256}, &qi);
    int y = m.Output(DataType::kInt8, {}, &qo);
    m.Op(fb::BuiltinOperator::QUANTIZE, {x}, {y});
    ASSERT_TRUE(m.Build().ok());
    std::vector<int8_t> in(256);
    for (int i = 0; i < 256; ++i) in[i] = int8_t(i - 128);
    m.Set<int8_t>(x, in);
    ASSERT_TRUE(m.Invoke().ok());
    const auto got = m.Get<int8_t>(y);
    for (int i = 0; i < 256; ++i) {
      double e = std::round((in[i] - zi) * double(si) / so) + zo;
      e = std::min(127.0, std::max(-128.0, e));
      EXPECT_LE(std::fabs(got[i] - e), 1.0) << "input " << int(in[i]);
    }
  }
}

TEST(Dequantize, PerTensorPerChannelAndFloat16) {
  {
    // uint8 s=0.5 zp=10: (q - 10) * 0.5.
    SingleOpModel m;
    QuantSpec q{{0.5f}, {10}};
    int x = m.Input(DataType::kUInt8, {3}, &q);
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::DEQUANTIZE, {x}, {y});
    ASSERT_TRUE(m.Build().ok());
    m.Set<uint8_t>(x, {0, 10, 255});
    ASSERT_TRUE(m.Invoke().ok());
    EXPECT_EQ(m.Get<float>(y), (std::vector<float>{-5.0f, 0.0f, 122.5f}));
  }
  {
    // int8 per channel along dim 0: scales {2, 0.25}, zp 0.
    SingleOpModel m;
    QuantSpec q{{2.0f, 0.25f}, {0, 0}, 0};
    int x = m.Const<int8_t>(DataType::kInt8, {2, 2}, {1, -3, 4, -128}, &q);
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::DEQUANTIZE, {x}, {y});
    ASSERT_TRUE(m.Build().ok());
    ASSERT_TRUE(m.Invoke().ok());
    EXPECT_EQ(m.Get<float>(y), (std::vector<float>{2.0f, -6.0f, 1.0f, -32.0f}));
  }
  {
    // float16 bits: 0x3C00 = 1, 0xC000 = -2, 0x0001 = 2^-24 (subnormal),
    // 0x7BFF = 65504 (max), 0x7C00 = +inf.
    SingleOpModel m;
    int x = m.Const<uint16_t>(DataType::kFloat16, {5}, {0x3C00, 0xC000, 0x0001, 0x7BFF, 0x7C00});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::DEQUANTIZE, {x}, {y});
    ASSERT_TRUE(m.Build().ok());
    ASSERT_TRUE(m.Invoke().ok());
    const auto got = m.Get<float>(y);
    EXPECT_EQ(got[0], 1.0f);
    EXPECT_EQ(got[1], -2.0f);
    EXPECT_EQ(got[2], std::ldexp(1.0f, -24));
    EXPECT_EQ(got[3], 65504.0f);
    EXPECT_TRUE(std::isinf(got[4]) && got[4] > 0);
  }
}

TEST(Quantize, InvalidParametersAreRejected) {
  {
    // Output without quantization parameters.
    SingleOpModel m;
    int x = m.Input(DataType::kFloat32, {2});
    int y = m.Output(DataType::kInt8);
    m.Op(fb::BuiltinOperator::QUANTIZE, {x}, {y});
    EXPECT_FALSE(m.Build().ok());
  }
  {
    // Zero scale.
    SingleOpModel m;
    QuantSpec q{{0.0f}, {0}};
    int x = m.Input(DataType::kFloat32, {2});
    int y = m.Output(DataType::kInt8, {}, &q);
    m.Op(fb::BuiltinOperator::QUANTIZE, {x}, {y});
    EXPECT_FALSE(m.Build().ok());
  }
  {
    // int16 dequantize with a nonzero zero point.
    SingleOpModel m;
    QuantSpec q{{1.0f}, {3}};
    int x = m.Input(DataType::kInt16, {2}, &q);
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::DEQUANTIZE, {x}, {y});
    EXPECT_FALSE(m.Build().ok());
  }
  {
    // Per-channel scales that do not match the shape.
    SingleOpModel m;
    QuantSpec q{{1.0f, 2.0f, 3.0f}, {0, 0, 0}, 0};
    int x = m.Input(DataType::kFloat32, {2, 2});
    int y = m.Output(DataType::kInt8, {}, &q);
    m.Op(fb::BuiltinOperator::QUANTIZE, {x}, {y});
    EXPECT_FALSE(m.Build().ok());
  }
}

}  // namespace
}  // namespace edgelite
