// Regression tests for what the fuzzers (tests/fuzz/) found: each case is the
// smallest model reproducing one crash, which must now fail cleanly (or run
// correctly). Hand-derived expectations.
#include <string>
#include <vector>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

// op_fuzzer: FULLY_CONNECTED with keep_num_dims and an input whose last
// dimension is not the weights depth. Input [3,3,3,3] (81 values), weights
// [1,1]: 81 rows of depth 1, but the output kept the input's leading dims
// ([3,3,3,1], 27 values) and the kernel wrote 81: heap-buffer-overflow.
TEST(FuzzRegressions, FullyConnectedKeepNumDimsDepthMismatch) {
  SingleOpModel m;
  const int x = m.Input(DataType::kFloat32, {3, 3, 3, 3});
  const int w = m.Const<float>(DataType::kFloat32, {1, 1}, {2.0f});
  const int y = m.Output(DataType::kFloat32);
  fb::FullyConnectedOptionsT o;
  o.keep_num_dims = true;
  m.Op(fb::BuiltinOperator::FULLY_CONNECTED, {x, w, -1}, {y}, MakeOptions(o));
  const Status s = m.Build();
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();
  EXPECT_NE(s.message().find("keep_num_dims"), std::string::npos) << s.ToString();

  // The valid form (last dimension = depth) still works: [3,3,3,1] x [2,1].
  SingleOpModel ok;
  const int x2 = ok.Input(DataType::kFloat32, {3, 1, 1, 1});
  const int w2 = ok.Const<float>(DataType::kFloat32, {2, 1}, {2.0f, -1.0f});
  const int y2 = ok.Output(DataType::kFloat32);
  ok.Op(fb::BuiltinOperator::FULLY_CONNECTED, {x2, w2, -1}, {y2}, MakeOptions(o));
  ASSERT_TRUE(ok.Build().ok());
  ok.Set<float>(x2, {1.0f, 2.0f, 3.0f});
  ASSERT_TRUE(ok.Invoke().ok());
  EXPECT_EQ(ok.Get<float>(y2), (std::vector<float>{2.0f, -1.0f, 4.0f, -2.0f, 6.0f, -3.0f}));
}

// op_fuzzer: int8 MUL with an output scale of 1e-30 (accepted: finite and
// > 0). The multiplier 1/1e-30 saturates (shift 30); for a = 2, b = 1 the
// requantized product is -(2^31 - 1) (2 << 30 wraps to INT32_MIN, times
// ~1.0 in Q31), and adding the output zero point -30 overflowed int32
// (undefined; in practice it wrapped to +2147483619 and clamped to +127).
// Saturating arithmetic gives INT32_MIN, clamped to -128.
TEST(FuzzRegressions, QuantizedMulOutputOffsetOverflow) {
  SingleOpModel m;
  QuantSpec q_in{{1.0f}, {0}, 0};
  QuantSpec q_out{{1e-30f}, {-30}, 0};
  const int a = m.Input(DataType::kInt8, {}, &q_in);
  const int b = m.Input(DataType::kInt8, {}, &q_in);
  const int y = m.Output(DataType::kInt8, {}, &q_out);
  m.Op(fb::BuiltinOperator::MUL, {a, b}, {y}, MakeOptions(fb::MulOptionsT{}));
  const Status s = m.Build();
  ASSERT_TRUE(s.ok()) << s.ToString();
  m.Set<int8_t>(a, {2});
  m.Set<int8_t>(b, {1});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<int8_t>(y), (std::vector<int8_t>{-128}));
}

// op_fuzzer: PAD with int64 paddings near INT64_MAX: before + after
// overflowed int64 (undefined) before the padded size was checked.
TEST(FuzzRegressions, PadInt64PaddingsOverflow) {
  SingleOpModel m;
  const int x = m.Input(DataType::kFloat32, {2});
  const int p = m.Const<int64_t>(DataType::kInt64, {1, 2},
                                 {int64_t{8142516922496319490}, int64_t{3688228433952246784}});
  const int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::PAD, {x, p}, {y}, MakeOptions(fb::PadOptionsT{}));
  const Status s = m.Build();
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();
  EXPECT_NE(s.message().find("exceed the int32 range"), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace edgelite
