// Loading and validation: good files load zero-copy; bad files give a clear
// error Status (never a crash). Run under ASan in the sanitizer preset.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SharedDir;

// A valid two-op float model: y = FC(FC(x, w1), w2).
ModelBuilder TwoLayerModel() {
  ModelBuilder b;
  int x = b.AddTensor(DataType::kFloat32, {1, 4}, "x");
  int w1 = b.AddConstTensor<float>(DataType::kFloat32, {3, 4}, std::vector<float>(12, 0.5f), "w1");
  int h = b.AddTensor(DataType::kFloat32, {1, 3}, "h");
  int w2 = b.AddConstTensor<float>(DataType::kFloat32, {2, 3}, std::vector<float>(6, 1.0f), "w2");
  int y = b.AddTensor(DataType::kFloat32, {1, 2}, "y");
  b.AddOperator(fb::BuiltinOperator::FULLY_CONNECTED, {x, w1, -1}, {h});
  b.AddOperator(fb::BuiltinOperator::FULLY_CONNECTED, {h, w2, -1}, {y});
  b.SetInputs({x});
  b.SetOutputs({y});
  return b;
}

Status LoadAndRun(const std::vector<uint8_t>& bytes) {
  auto m = Model::FromBuffer(bytes.data(), bytes.size());
  if (!m.ok()) return m.status();
  BuiltinOpResolver r;
  auto i = Interpreter::Create(**m, r);
  if (!i.ok()) return i.status();
  EDGELITE_RETURN_IF_ERROR((*i)->AllocateTensors());
  return (*i)->Invoke();
}

// Expects an invalid-model error whose message contains every fragment.
void ExpectInvalid(const std::vector<uint8_t>& bytes, std::initializer_list<const char*> fragments,
                   StatusCode code = StatusCode::kInvalidModel) {
  Status s = LoadAndRun(bytes);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), code) << s.ToString();
  for (const char* f : fragments)
    EXPECT_NE(s.message().find(f), std::string::npos) << "missing '" << f << "' in: " << s.message();
}

TEST(Loader, ValidModelRunsAndConstantsAreZeroCopy) {
  auto bytes = TwoLayerModel().Finish();
  auto m = Model::FromBuffer(bytes.data(), bytes.size());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  BuiltinOpResolver r;
  auto i = Interpreter::Create(**m, r);
  ASSERT_TRUE(i.ok());
  ASSERT_TRUE((*i)->AllocateTensors().ok());
  const Tensor* w1 = (*i)->tensor(1);
  ASSERT_TRUE(w1->is_constant());
  const uint8_t* p = static_cast<const uint8_t*>(w1->data);
  EXPECT_GE(p, bytes.data());
  EXPECT_LT(p, bytes.data() + bytes.size());
  float* x = (*i)->input(0)->data_as<float>();
  for (int k = 0; k < 4; ++k) x[k] = 1.0f;
  ASSERT_TRUE((*i)->Invoke().ok());
  // h = 4 * 0.5 = 2 per unit; y = 3 * 2 = 6.
  EXPECT_EQ((*i)->output(0)->data_as<float>()[0], 6.0f);
  EXPECT_EQ((*i)->output(0)->data_as<float>()[1], 6.0f);
}

TEST(Loader, MissingFileIsIoError) {
  auto m = Model::FromFile("/nonexistent/model.tflite");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kIoError);
  EXPECT_NE(m.status().message().find("/nonexistent/model.tflite"), std::string::npos);
}

TEST(Loader, NullAndTinyBuffers) {
  EXPECT_EQ(Model::FromBuffer(nullptr, 100).status().code(), StatusCode::kInvalidArgument);
  uint8_t four[4] = {0, 0, 0, 0};
  EXPECT_EQ(Model::FromBufferCopy(four, 4).status().code(), StatusCode::kInvalidModel);
}

TEST(Loader, UnalignedBufferIsRejectedButCopyWorks) {
  auto bytes = TwoLayerModel().Finish();
  std::vector<uint8_t> shifted(bytes.size() + 1);
  memcpy(shifted.data() + 1, bytes.data(), bytes.size());
  auto m = Model::FromBuffer(shifted.data() + 1, bytes.size());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(m.status().message().find("aligned"), std::string::npos);
  EXPECT_TRUE(Model::FromBufferCopy(shifted.data() + 1, bytes.size()).ok());
}

TEST(Loader, RandomBytesAreRejected) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<uint8_t> bytes(8 + rng() % 2000);
    for (auto& v : bytes) v = static_cast<uint8_t>(rng());
    EXPECT_FALSE(LoadAndRun(bytes).ok());
  }
}

TEST(Loader, EveryTruncationIsRejected) {
  auto bytes = TwoLayerModel().Finish();
  for (size_t n = 0; n < bytes.size(); n += 3) {
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + n);
    Status s = cut.empty() ? Status(StatusCode::kInvalidModel, "empty")
                           : LoadAndRun(cut);
    EXPECT_FALSE(s.ok()) << "truncated to " << n << " of " << bytes.size() << " bytes loaded";
  }
}

TEST(Loader, BitFlipsNeverCrash) {
  // Every single-bit flip of a small model either loads and runs, or fails
  // with a Status. (Meaningful under ASan/UBSan; counted for the log.)
  auto bytes = TwoLayerModel().Finish();
  int rejected = 0, ran = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    {
      const int bit = static_cast<int>(i % 8);  // one bit per byte, all bit positions
      std::vector<uint8_t> mutated = bytes;
      mutated[i] ^= static_cast<uint8_t>(1u << bit);
      Status s = LoadAndRun(mutated);
      if (s.ok())
        ++ran;
      else
        ++rejected;
    }
  }
  EXPECT_GT(rejected, 0);
  printf("bit flips: %d rejected, %d still valid\n", rejected, ran);
}

TEST(Loader, OutOfRangeTensorIndexNamesOperator) {
  ModelBuilder b = TwoLayerModel();
  b.model().subgraphs[0]->operators[1]->inputs[0] = 999;
  ExpectInvalid(b.Finish(), {"subgraph 0", "operator 1", "FULLY_CONNECTED", "999"});
}

TEST(Loader, OutOfRangeOutputAndGraphIndices) {
  {
    ModelBuilder b = TwoLayerModel();
    b.model().subgraphs[0]->operators[0]->outputs[0] = -5;
    ExpectInvalid(b.Finish(), {"operator 0", "output 0"});
  }
  {
    ModelBuilder b = TwoLayerModel();
    b.model().subgraphs[0]->outputs[0] = 77;
    ExpectInvalid(b.Finish(), {"subgraph 0", "output 0", "77"});
  }
  {
    ModelBuilder b = TwoLayerModel();
    b.model().subgraphs[0]->operators[0]->opcode_index = 9;
    ExpectInvalid(b.Finish(), {"opcode index 9"});
  }
  {
    ModelBuilder b = TwoLayerModel();
    b.model().subgraphs[0]->tensors[1]->buffer = 1234;
    ExpectInvalid(b.Finish(), {"tensor 1 'w1'", "buffer 1234"});
  }
}

TEST(Loader, BufferSizeMustMatchShape) {
  ModelBuilder b = TwoLayerModel();
  b.model().subgraphs[0]->tensors[1]->shape = {3, 5};  // 15 floats, buffer holds 12
  ExpectInvalid(b.Finish(), {"'w1'", "48 bytes", "[3,5]", "60"});
}

TEST(Loader, ShapeProductOverflowAndRank) {
  {
    ModelBuilder b = TwoLayerModel();
    b.model().subgraphs[0]->tensors[2]->shape = {65536, 65536, 65536, 65536};
    ExpectInvalid(b.Finish(), {"'h'", "too many elements"});
  }
  {
    ModelBuilder b = TwoLayerModel();
    b.model().subgraphs[0]->tensors[2]->shape = std::vector<int32_t>(9, 1);
    ExpectInvalid(b.Finish(), {"'h'", "rank 9"});
  }
  {
    ModelBuilder b = TwoLayerModel();
    b.model().subgraphs[0]->tensors[2]->shape = {1, -7};
    ExpectInvalid(b.Finish(), {"'h'", "negative dimension -7"});
  }
}

TEST(Loader, UseBeforeDefineAndCycles) {
  ModelBuilder b = TwoLayerModel();
  // Swap the operators: the second reads h before the first produces it.
  std::swap(b.model().subgraphs[0]->operators[0], b.model().subgraphs[0]->operators[1]);
  ExpectInvalid(b.Finish(), {"operator 0", "'h'", "before"});
}

TEST(Loader, WritingAConstantIsRejected) {
  ModelBuilder b = TwoLayerModel();
  b.model().subgraphs[0]->operators[0]->outputs[0] = 1;  // w1 is constant
  ExpectInvalid(b.Finish(), {"operator 0", "constant"});
}

QuantSpec Q(std::vector<float> s, std::vector<int64_t> z, int qd = 0) {
  QuantSpec q;
  q.scale = std::move(s);
  q.zero_point = std::move(z);
  q.quantized_dimension = qd;
  return q;
}

TEST(Loader, QuantizationParametersAreChecked) {
  struct Case {
    QuantSpec q;
    DataType type;
    const char* fragment;
  };
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<Case> cases = {
      {Q({-0.5f}, {0}), DataType::kInt8, "scale[0] = -0.5"},
      {Q({nan}, {0}), DataType::kInt8, "scale[0]"},
      {Q({0.1f}, {200}), DataType::kInt8, "zero point[0] = 200"},
      {Q({0.1f}, {-1}), DataType::kUInt8, "zero point[0] = -1"},
      {Q({0.1f, 0.2f}, {0}), DataType::kInt8, "2 scales but 1 zero points"},
      {Q({0.1f, 0.2f}, {0, 0}, 5), DataType::kInt8, "quantized_dimension 5"},
      {Q({0.1f, 0.2f, 0.3f}, {0, 0, 0}, 1), DataType::kInt8, "dimension 1 has size 4"},
  };
  for (const Case& c : cases) {
    ModelBuilder b;
    int x = b.AddTensor(c.type, {2, 4}, "qx", 0, &c.q);
    b.SetInputs({x});
    b.SetOutputs({x});
    ExpectInvalid(b.Finish(), {"'qx'", c.fragment});
  }
}

TEST(Loader, ExternalBufferOutsideFile) {
  ModelBuilder b = TwoLayerModel();
  auto& buf = b.model().buffers[1];
  buf->data.clear();
  buf->offset = 1u << 30;
  buf->size = 48;
  ExpectInvalid(b.Finish(), {"buffer 1", "outside"});
}

TEST(Loader, ZeroSubgraphs) {
  ModelBuilder b;
  b.model().subgraphs.clear();
  ExpectInvalid(b.Finish(), {"no subgraphs"});
}

TEST(Loader, SignatureWithBadSubgraph) {
  ModelBuilder b = TwoLayerModel();
  b.AddSignature("serving_default", 3, {{"x", 0}}, {{"y", 4}});
  ExpectInvalid(b.Finish(), {"signature def 0", "subgraph 3"});
}

TEST(Loader, UnsupportedOpsAreListed) {
  ModelBuilder b;
  int x = b.AddTensor(DataType::kFloat32, {1, 4}, "x");
  int y = b.AddTensor(DataType::kFloat32, {1, 4}, "y");
  int z = b.AddTensor(DataType::kFloat32, {1, 4}, "z");
  b.AddCustomOperator("MyCustomThing", {x}, {y});
  b.AddOperator(static_cast<fb::BuiltinOperator>(9999), {y}, {z});
  b.SetInputs({x});
  b.SetOutputs({z});
  Status s = LoadAndRun(b.Finish());
  EXPECT_EQ(s.code(), StatusCode::kUnsupported);
  EXPECT_NE(s.message().find("CUSTOM 'MyCustomThing'"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("operator 1"), std::string::npos) << s.message();
}

TEST(Loader, BrokenCorpusFiles) {
  EDGELITE_REQUIRE_SHARED();
  for (const char* rel : {"models/litert/java_testdata/invalid_model.bin",
                          "models/litert/tflite_testdata/test_model_broken.bin",
                          "models/litert/tflite_testdata/segment_sum_invalid_buffer.bin"}) {
    auto m = Model::FromFile((SharedDir() + "/" + rel).c_str());
    ASSERT_FALSE(m.ok()) << rel;
    EXPECT_EQ(m.status().code(), StatusCode::kInvalidModel) << m.status().ToString();
    EXPECT_NE(m.status().message().find(rel), std::string::npos) << m.status().message();
  }
}

TEST(Loader, TruncatedCorpusModel) {
  EDGELITE_REQUIRE_SHARED();
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(testing::ReadFile(SharedDir() + "/models/tflm/hello_world/hello_world_float.tflite",
                                &bytes));
  for (int k = 1; k < 20; ++k) {
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + bytes.size() * k / 20);
    EXPECT_FALSE(LoadAndRun(cut).ok()) << k << "/20";
  }
}

}  // namespace
}  // namespace edgelite
