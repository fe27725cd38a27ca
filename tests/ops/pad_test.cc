#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

TEST(Pad, HandComputedPadAndPadV2) {
  // [[1,2],[3,4]] padded [[1,0],[0,2]] -> 3x4 with the value in row 0 and columns 2-3.
  for (bool v2 : {false, true}) {
    SingleOpModel m;
    int x = m.Input(DataType::kFloat32, {2, 2});
    int pads = m.Const<int32_t>(DataType::kInt32, {2, 2}, {1, 0, 0, 2});
    int cv = v2 ? m.Const<float>(DataType::kFloat32, {}, {9.5f}) : -1;
    int y = m.Output(DataType::kFloat32);
    if (v2)
      m.Op(fb::BuiltinOperator::PADV2, {x, pads, cv}, {y});
    else
      m.Op(fb::BuiltinOperator::PAD, {x, pads}, {y});
    ASSERT_TRUE(m.Build().ok());
    m.Set<float>(x, {1, 2, 3, 4});
    ASSERT_TRUE(m.Invoke().ok());
    const float p = v2 ? 9.5f : 0.0f;
    EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{3, 4}));
    EXPECT_EQ(m.Get<float>(y), (std::vector<float>{p, p, p, p, 1, 2, p, p, 3, 4, p, p}));
  }
}

TEST(Pad, QuantizedUsesZeroPointAndInt64Paddings) {
  SingleOpModel m;
  QuantSpec q{{0.1f}, {3}, 0};
  int x = m.Input(DataType::kUInt8, {2}, &q);
  int pads = m.Const<int64_t>(DataType::kInt64, {1, 2}, {1, 2});
  int y = m.Output(DataType::kUInt8, {}, &q);
  m.Op(fb::BuiltinOperator::PAD, {x, pads}, {y});
  ASSERT_TRUE(m.Build().ok());
  m.Set<uint8_t>(x, {200, 201});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<uint8_t>(y), (std::vector<uint8_t>{3, 200, 201, 3, 3}));
}

TEST(Pad, RandomAgainstIndexFormula) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 25; ++trial) {
    const int rank = 1 + rng() % 5;
    std::vector<int32_t> shape, pads, out_shape;
    for (int d = 0; d < rank; ++d) {
      shape.push_back(rng() % 4);  // includes empty dimensions
      pads.push_back(rng() % 3);
      pads.push_back(rng() % 3);
      out_shape.push_back(shape[d] + pads[2 * d] + pads[2 * d + 1]);
    }
    size_t n = 1, on = 1;
    for (int d = 0; d < rank; ++d) n *= shape[d], on *= out_shape[d];
    std::vector<int16_t> in(n);
    for (size_t i = 0; i < n; ++i) in[i] = static_cast<int16_t>(i + 1);
    const bool dynamic = rng() % 2;
    SingleOpModel m;
    int x = m.Input(DataType::kInt16, shape);
    int pt = dynamic ? m.Input(DataType::kInt32, {rank, 2})
                     : m.Const<int32_t>(DataType::kInt32, {rank, 2}, pads);
    int cv = m.Const<int16_t>(DataType::kInt16, {1}, {-7});
    int y = m.Output(DataType::kInt16);
    m.Op(fb::BuiltinOperator::PADV2, {x, pt, cv}, {y});
    ASSERT_TRUE(m.Build().ok());
    m.Set<int16_t>(x, in);
    if (dynamic) m.Set<int32_t>(pt, pads);
    ASSERT_TRUE(m.Invoke().ok());
    ASSERT_EQ(m.Shape(y), out_shape);
    const auto got = m.Get<int16_t>(y);
    for (size_t flat = 0; flat < on; ++flat) {
      size_t rest = flat, src = 0;
      bool inside = true;
      std::vector<int> idx(rank);
      for (int d = rank - 1; d >= 0; --d) idx[d] = rest % out_shape[d], rest /= out_shape[d];
      for (int d = 0; d < rank; ++d) {
        const int i = idx[d] - pads[2 * d];
        inside = inside && i >= 0 && i < shape[d];
        src = src * shape[d] + (inside ? i : 0);
      }
      ASSERT_EQ(got[flat], inside ? in[src] : -7) << "at " << flat;
    }
  }
}

TEST(Pad, RejectsBadParameters) {
  {
    SingleOpModel m;  // negative padding
    int x = m.Input(DataType::kFloat32, {2});
    int pads = m.Const<int32_t>(DataType::kInt32, {1, 2}, {-1, 0});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::PAD, {x, pads}, {y});
    Status s = m.Build();
    EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
    EXPECT_NE(s.message().find("PAD"), std::string::npos) << s.message();
  }
  {
    SingleOpModel m;  // paddings shape [1,2] for a rank-2 input
    int x = m.Input(DataType::kFloat32, {2, 2});
    int pads = m.Const<int32_t>(DataType::kInt32, {1, 2}, {0, 0});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::PAD, {x, pads}, {y});
    EXPECT_EQ(m.Build().code(), StatusCode::kInvalidModel);
  }
  {
    SingleOpModel m;  // constant of the wrong type
    int x = m.Input(DataType::kFloat32, {2});
    int pads = m.Const<int32_t>(DataType::kInt32, {1, 2}, {0, 1});
    int cv = m.Const<int32_t>(DataType::kInt32, {1}, {1});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::PADV2, {x, pads, cv}, {y});
    EXPECT_EQ(m.Build().code(), StatusCode::kInvalidModel);
  }
}

}  // namespace
}  // namespace edgelite
