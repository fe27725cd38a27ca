// Drives the C API tests written in C (tests/c_api_test_c.c) and checks a
// few things from C++ that C cannot easily set up (quantized tensors,
// model files on disk, per-thread messages).
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "edgelite/c/c_api.h"
#include "edgelite/model_builder.h"

extern "C" int edgelite_c_api_null_safety(char* failure, size_t failure_size);
extern "C" int edgelite_c_api_add_model(const void* bytes, size_t size, char* failure,
                                        size_t failure_size);

namespace edgelite {
namespace {

std::vector<uint8_t> AddModel() {
  ModelBuilder b;
  const int a = b.AddTensor(DataType::kFloat32, {1, 4}, "a");
  const int x = b.AddTensor(DataType::kFloat32, {1, 4}, "b");
  const int y = b.AddTensor(DataType::kFloat32, {1, 4}, "y");
  b.AddOperator(fb::BuiltinOperator::ADD, {a, x}, {y}, MakeOptions(fb::AddOptionsT{}));
  b.SetInputs({a, x});
  b.SetOutputs({y});
  return b.Finish();
}

TEST(CApi, NullSafetyFromC) {
  char failure[512] = "";
  EXPECT_TRUE(edgelite_c_api_null_safety(failure, sizeof(failure))) << failure;
}

TEST(CApi, AddModelAndMisuseFromC) {
  const std::vector<uint8_t> model = AddModel();
  char failure[512] = "";
  EXPECT_TRUE(edgelite_c_api_add_model(model.data(), model.size(), failure, sizeof(failure)))
      << failure;
}

TEST(CApi, QuantizationParams) {
  ModelBuilder b;
  QuantSpec q{{0.25f}, {-3}, 0};
  const int x = b.AddTensor(DataType::kInt8, {1, 3}, "x", 0, &q);
  const int y = b.AddTensor(DataType::kInt8, {1, 3}, "y", 0, &q);
  fb::ReshapeOptionsT ro;
  ro.new_shape = {1, 3};
  b.AddOperator(fb::BuiltinOperator::RESHAPE, {x}, {y}, MakeOptions(ro));
  b.SetInputs({x});
  b.SetOutputs({y});
  const std::vector<uint8_t> bytes = b.Finish();
  edgelite_model* model = nullptr;
  ASSERT_EQ(edgelite_model_create_from_buffer(bytes.data(), bytes.size(), &model), EDGELITE_OK)
      << edgelite_last_error_message();
  edgelite_interpreter* interp = nullptr;
  ASSERT_EQ(edgelite_interpreter_create(model, nullptr, &interp), EDGELITE_OK);
  const edgelite_tensor* t = edgelite_interpreter_input_tensor(interp, 0);
  const edgelite_quantization_params p = edgelite_tensor_quantization_params(t);
  EXPECT_EQ(p.scale, 0.25f);
  EXPECT_EQ(p.zero_point, -3);
  EXPECT_EQ(edgelite_tensor_quantization_channels(t), 1);
  float s = 0;
  int64_t zp = 0;
  int32_t qd = -1;
  EXPECT_EQ(edgelite_tensor_quantization_channel(t, 0, &s, &zp, &qd), EDGELITE_OK);
  EXPECT_EQ(s, 0.25f);
  EXPECT_EQ(zp, -3);
  EXPECT_EQ(qd, 0);
  EXPECT_EQ(edgelite_tensor_quantization_channel(t, 1, &s, &zp, &qd), EDGELITE_INVALID_ARGUMENT);
  EXPECT_NE(std::string(edgelite_interpreter_error_message(interp)).find("channel 1"),
            std::string::npos);
  EXPECT_EQ(edgelite_tensor_type(t), EDGELITE_INT8);
  // Typed copy into an int8 tensor with the right and the wrong type.
  ASSERT_EQ(edgelite_interpreter_allocate_tensors(interp), EDGELITE_OK)
      << edgelite_interpreter_error_message(interp);
  const int8_t v[3] = {-5, 0, 7};
  EXPECT_EQ(edgelite_tensor_copy_from_buffer_typed(const_cast<edgelite_tensor*>(t), EDGELITE_UINT8,
                                                   v, 3),
            EDGELITE_INVALID_ARGUMENT);
  EXPECT_EQ(edgelite_tensor_copy_from_buffer_typed(const_cast<edgelite_tensor*>(t), EDGELITE_INT8,
                                                   v, 3),
            EDGELITE_OK);
  ASSERT_EQ(edgelite_interpreter_invoke(interp), EDGELITE_OK);
  int8_t out[3];
  ASSERT_EQ(edgelite_tensor_copy_to_buffer(edgelite_interpreter_output_tensor(interp, 0), out, 3),
            EDGELITE_OK);
  // RESHAPE to the same shape: the values pass through unchanged.
  EXPECT_EQ(out[0], -5);
  EXPECT_EQ(out[1], 0);
  EXPECT_EQ(out[2], 7);
  edgelite_interpreter_delete(interp);
  edgelite_model_delete(model);
}

TEST(CApi, ModelFromFileAndPerThreadMessages) {
  const std::vector<uint8_t> bytes = AddModel();
  const std::string path = ::testing::TempDir() + "/edgelite_c_api_add.tflite";
  FILE* f = fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(fwrite(bytes.data(), 1, bytes.size(), f), bytes.size());
  fclose(f);
  edgelite_model* model = nullptr;
  ASSERT_EQ(edgelite_model_create_from_file(path.c_str(), &model), EDGELITE_OK)
      << edgelite_last_error_message();
  edgelite_model_delete(model);
  // A failure on another thread does not change this thread's message.
  ASSERT_EQ(edgelite_model_create_from_file(nullptr, &model), EDGELITE_INVALID_ARGUMENT);
  const std::string mine = edgelite_last_error_message();
  std::thread([] {
    edgelite_model* m = nullptr;
    EXPECT_EQ(edgelite_model_create_from_file("/nonexistent/x.tflite", &m), EDGELITE_IO_ERROR);
  }).join();
  EXPECT_EQ(mine, edgelite_last_error_message());
}

}  // namespace
}  // namespace edgelite
