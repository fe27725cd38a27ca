// FULLY_CONNECTED with blockwise-quantized int4 weights (LiteRT's Qwen
// k_proj test model). TFLite's reference kernels output zeros for it (see
// models_test.cc), so the expected values come from hand-derived math: the
// int4 weights dequantized with their float16 block scales, times the float
// input, in double. edgelite quantizes the input to int8 per row (as TFLite's
// optimized path does), so the bound is that quantization's error:
// |err_n| <= sum_k |w_nk s_nk| * (input_scale / 2), input_scale = range / 255.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "edgelite/interpreter.h"
#include "edgelite/op_resolver.h"
#include "src/ref/quantize.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

TEST(BlockwiseFc, QwenKProjMatchesDequantizedMath) {
  EDGELITE_REQUIRE_SHARED();
  const std::string rel = "litert/litert_testdata/qwen_fc_blockwise_quantized.tflite";
  const std::string path = testing::SharedDir() + "/models/" + rel;
  auto model = Model::FromFile(path.c_str());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  BuiltinOpResolver resolver;
  auto interp = Interpreter::Create(**model, resolver);
  ASSERT_TRUE(interp.ok()) << interp.status().ToString();
  Interpreter& in = **interp;
  ASSERT_TRUE(in.AllocateTensors().ok());
  ASSERT_EQ(in.num_inputs(), 1);
  Tensor* x = in.input(0);
  ASSERT_EQ(x->type, DataType::kFloat32);
  const size_t depth = x->shape[x->shape.rank - 1];

  // The weights: the int4 tensor with blockwise quantization.
  const Tensor* w = nullptr;
  for (size_t i = 0; i < in.num_tensors(); ++i)
    if (in.tensor(static_cast<int32_t>(i))->type == DataType::kInt4) w = in.tensor(i);
  ASSERT_NE(w, nullptr);
  ASSERT_GT(w->quant.block_size, 0);
  const Tensor* scales = in.tensor(w->quant.block_scales_tensor);
  ASSERT_EQ(scales->type, DataType::kFloat16);
  const size_t units = w->shape[0], block = w->quant.block_size, blocks = depth / block;
  ASSERT_EQ(static_cast<size_t>(w->shape[1]), depth);

  // Seeded input in [-1, 1).
  uint32_t state = 12345;
  float* xd = x->data_as<float>();
  float lo = 0, hi = 0;
  for (size_t k = 0; k < depth; ++k) {
    state = state * 1664525u + 1013904223u;
    xd[k] = static_cast<float>(state >> 8) / static_cast<float>(1 << 24) * 2.0f - 1.0f;
    lo = std::min(lo, xd[k]);
    hi = std::max(hi, xd[k]);
  }
  ASSERT_TRUE(in.Invoke().ok());
  const float* y = in.output(0)->data_as<float>();
  const double input_step = (static_cast<double>(hi) - lo) / 255.0;

  const uint8_t* wd = w->data_as<uint8_t>();
  const uint16_t* sd = scales->data_as<uint16_t>();
  double worst_ratio = 0, worst_abs = 0;
  for (size_t n = 0; n < units; ++n) {
    double want = 0, bound = 0;
    for (size_t k = 0; k < depth; ++k) {
      const uint8_t byte = wd[(n * depth + k) / 2];
      const int nibble = (k % 2 == 0) ? (byte & 0xF) : (byte >> 4);
      const double wv = ((nibble ^ 8) - 8) * ref::HalfToFloat(sd[n * blocks + k / block]);
      want += wv * xd[k];
      bound += std::fabs(wv) * input_step / 2;
    }
    const double err = std::fabs(y[n] - want);
    worst_abs = std::max(worst_abs, err);
    worst_ratio = std::max(worst_ratio, err / (bound + 1e-6));
    EXPECT_LE(err, bound + 1e-5) << "unit " << n;
  }
  printf("blockwise int4 FC: %zu units x %zu inputs, blocks of %zu: max |err| %.3g, "
         "worst err / input-quantization bound = %.3f\n",
         units, depth, block, worst_abs, worst_ratio);
}

}  // namespace
}  // namespace edgelite
