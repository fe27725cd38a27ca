// Regression tests for what the fuzzers (tests/fuzz/) found: each case is the
// smallest model reproducing one crash, which must now fail cleanly (or run
// correctly). Hand-derived expectations.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <flatbuffers/flatbuffers.h>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

// op_fuzzer (CI): uint8 CONCATENATION requantizing an input with scale 1e20
// into an output with scale 1e-10: (q - zp) * 1e30 is far outside int32 and
// the float-to-int conversion was undefined (UBSan). The bytes must saturate
// to 0 / 255; q = zp gives exactly 0 + the output zero point 5; the second
// input shares the output's parameters and is copied.
TEST(FuzzRegressions, ConcatenationUInt8HugeScaleRatioSaturates) {
  SingleOpModel m;
  QuantSpec qa{{1e20f}, {10}, 0};
  QuantSpec qo{{1e-10f}, {5}, 0};
  const int a = m.Input(DataType::kUInt8, {1, 3}, &qa);
  const int b = m.Input(DataType::kUInt8, {1, 1}, &qo);
  const int y = m.Output(DataType::kUInt8, {}, &qo);
  fb::ConcatenationOptionsT o;
  o.axis = 1;
  m.Op(fb::BuiltinOperator::CONCATENATION, {a, b}, {y}, MakeOptions(o));
  const Status s = m.Build();
  ASSERT_TRUE(s.ok()) << s.ToString();
  m.Set<uint8_t>(a, {10, 11, 9});
  m.Set<uint8_t>(b, {42});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<uint8_t>(y), (std::vector<uint8_t>{5, 255, 0, 42}));
}

// A one-op DEQUANTIZE model (int8 [2] -> float [2], input scale 0.5) whose
// input zero point 3 is stored as an int64 vector at an offset that is not a
// multiple of 8 when `misalign`, which FlatBuffers writers never produce but a
// corrupted file can (the verifier checks only the 4-byte length word).
std::vector<uint8_t> DequantizeModelWithZeroPointAt(bool pad) {
  flatbuffers::FlatBufferBuilder b;
  // The zero-point vector, built by hand as two 32-bit halves so that it is
  // only 4-byte aligned; `pad` shifts it by 4 bytes.
  if (pad) b.PushElement<int32_t>(0);
  b.StartVector(2, sizeof(int32_t));
  b.PushElement<int32_t>(0);  // high half of int64 3 (written back to front)
  b.PushElement<int32_t>(3);  // low half
  const flatbuffers::Offset<flatbuffers::Vector<int64_t>> zp(b.EndVector(1));
  const auto scale = b.CreateVector(std::vector<float>{0.5f});
  const auto q_in = fb::CreateQuantizationParameters(b, 0, 0, scale, zp);
  const auto shape = b.CreateVector(std::vector<int32_t>{2});
  std::vector<flatbuffers::Offset<fb::Tensor>> tensors = {
      fb::CreateTensor(b, shape, fb::TensorType::INT8, 0, b.CreateString("x"), q_in),
      fb::CreateTensor(b, shape, fb::TensorType::FLOAT32, 0, b.CreateString("y"))};
  const auto op = fb::CreateOperator(b, 0, b.CreateVector(std::vector<int32_t>{0}),
                                     b.CreateVector(std::vector<int32_t>{1}));
  const auto sg = fb::CreateSubGraph(b, b.CreateVector(tensors),
                                     b.CreateVector(std::vector<int32_t>{0}),
                                     b.CreateVector(std::vector<int32_t>{1}),
                                     b.CreateVector(std::vector<flatbuffers::Offset<fb::Operator>>{op}));
  const auto code = fb::CreateOperatorCode(b, static_cast<int8_t>(fb::BuiltinOperator::DEQUANTIZE),
                                           0, 1, fb::BuiltinOperator::DEQUANTIZE);
  const auto model = fb::CreateModel(
      b, 3, b.CreateVector(std::vector<flatbuffers::Offset<fb::OperatorCode>>{code}),
      b.CreateVector(std::vector<flatbuffers::Offset<fb::SubGraph>>{sg}), 0,
      b.CreateVector(std::vector<flatbuffers::Offset<fb::Buffer>>{fb::CreateBuffer(b)}));
  fb::FinishModelBuffer(b, model);
  return std::vector<uint8_t>(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
}

// model_fuzzer: a quantization zero_point vector (int64) at an offset that is
// not a multiple of 8 was read in place: misaligned int64 loads in validation
// and in every kernel (UBSan). Now validation reads it byte-wise and the
// runtime gives the tensor an aligned copy; the model runs: (q - 3) * 0.5.
TEST(FuzzRegressions, MisalignedInt64ZeroPoints) {
  bool tested_misaligned = false;
  for (bool pad : {false, true}) {
    const std::vector<uint8_t> bytes = DequantizeModelWithZeroPointAt(pad);
    const fb::Model* fm = fb::GetModel(bytes.data());
    const auto* zp = fm->subgraphs()->Get(0)->tensors()->Get(0)->quantization()->zero_point();
    ASSERT_NE(zp, nullptr);
    const bool misaligned = (zp->Data() - bytes.data()) % 8 != 0;
    tested_misaligned |= misaligned;
    auto m = Model::FromBufferCopy(bytes.data(), bytes.size());  // 8-byte aligned copy
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    BuiltinOpResolver r;
    auto it = Interpreter::Create(**m, r);
    ASSERT_TRUE(it.ok()) << it.status().ToString();
    ASSERT_TRUE((*it)->AllocateTensors().ok());
    const Tensor* in = (*it)->input(0);
    ASSERT_NE(in->quant.zero_point, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(in->quant.zero_point) % alignof(int64_t), 0u);
    EXPECT_EQ(in->quant.zero_point[0], 3);
    const int8_t x[2] = {5, 1};
    memcpy((*it)->input(0)->data, x, sizeof(x));
    ASSERT_TRUE((*it)->Invoke().ok());
    const float* y = (*it)->output(0)->data_as<float>();
    EXPECT_EQ(y[0], 1.0f);
    EXPECT_EQ(y[1], -1.0f);
  }
  EXPECT_TRUE(tested_misaligned) << "neither layout put the zero points off 8-byte alignment";
}

// model_fuzzer (seed 1): a 16x8 CONV_2D whose int64 bias is near INT64_MIN:
// acc + bias overflowed int64 (undefined; TFLite's reference kernels do the
// same add). The sum now saturates, which requantizes like the true sum (the
// int64 requantizer clamps its input to +-2^47): -2 + (INT64_MIN + 1) gives
// the int16 minimum, 2 + INT64_MAX the maximum. FULLY_CONNECTED 16x8 too.
TEST(FuzzRegressions, Int16x8ExtremeInt64BiasSaturates) {
  const int64_t kLow = INT64_MIN + 1, kHigh = INT64_MAX;
  QuantSpec q1{{1.0f}, {0}, 0};
  QuantSpec qw{{1.0f, 1.0f}, {0, 0}, 0};
  {
    SingleOpModel m;
    const int x = m.Input(DataType::kInt16, {1, 1, 1, 1}, &q1);
    const int w = m.Const<int8_t>(DataType::kInt8, {2, 1, 1, 1}, {2, -2}, &qw);
    const int b = m.Const<int64_t>(DataType::kInt64, {2}, {kLow, kHigh}, &qw);
    const int y = m.Output(DataType::kInt16, {}, &q1);
    fb::Conv2DOptionsT o;
    o.padding = fb::Padding::VALID;
    o.stride_w = o.stride_h = 1;
    m.Op(fb::BuiltinOperator::CONV_2D, {x, w, b}, {y}, MakeOptions(o));
    const Status s = m.Build();
    ASSERT_TRUE(s.ok()) << s.ToString();
    m.Set<int16_t>(x, {-1});
    ASSERT_TRUE(m.Invoke().ok());
    EXPECT_EQ(m.Get<int16_t>(y), (std::vector<int16_t>{-32768, 32767}));
  }
  {
    SingleOpModel m;
    const int x = m.Input(DataType::kInt16, {1, 1}, &q1);
    const int w = m.Const<int8_t>(DataType::kInt8, {2, 1}, {2, -2}, &q1);
    const int b = m.Const<int64_t>(DataType::kInt64, {2}, {kLow, kHigh}, &q1);
    const int y = m.Output(DataType::kInt16, {}, &q1);
    m.Op(fb::BuiltinOperator::FULLY_CONNECTED, {x, w, b}, {y},
         MakeOptions(fb::FullyConnectedOptionsT{}));
    const Status s = m.Build();
    ASSERT_TRUE(s.ok()) << s.ToString();
    m.Set<int16_t>(x, {-1});
    ASSERT_TRUE(m.Invoke().ok());
    EXPECT_EQ(m.Get<int16_t>(y), (std::vector<int16_t>{-32768, 32767}));
  }
}

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
