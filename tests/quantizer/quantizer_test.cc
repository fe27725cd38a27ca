// The post-training quantizer on small models built with ModelBuilder.
// Expected scales, zero points and integer values are derived by hand in the
// comments from TFLite's quantization spec (docs/quantizer.md), never taken
// from the quantizer's output. Built with exceptions (the quantizer is a host
// tool), unlike the runtime's unit tests.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <memory>

#include "edgelite/interpreter.h"
#include "edgelite/model_builder.h"
#include "edgelite/op_resolver.h"
#include "quantizer/internal.h"
#include "quantizer/quantizer.h"

namespace edgelite {
namespace quantizer {
namespace {

using fb::BuiltinOperator;
using fb::TensorType;

Sample FloatSample(const std::vector<float>& v) {
  Sample s;
  s.inputs.emplace_back(v.size() * 4);
  std::memcpy(s.inputs[0].data(), v.data(), v.size() * 4);
  return s;
}

std::unique_ptr<fb::ModelT> Unpack(const std::vector<uint8_t>& b) {
  return std::unique_ptr<fb::ModelT>(fb::GetModel(b.data())->UnPack());
}

std::vector<BuiltinOperator> Ops(const fb::ModelT& m) {
  std::vector<BuiltinOperator> v;
  for (const auto& op : m.subgraphs[0]->operators) v.push_back(internal::OpCode(m, *op));
  return v;
}

template <typename T>
std::vector<T> Data(const fb::ModelT& m, int32_t t) {
  const auto& d = m.buffers.at(m.subgraphs[0]->tensors.at(t)->buffer)->data;
  std::vector<T> v(d.size() / sizeof(T));
  std::memcpy(v.data(), d.data(), v.size() * sizeof(T));
  return v;
}

// x [1,2,2,1] -> CONV_2D 1x1, 2 output channels: w = {0.5, -0.3}, b = {0.1, -0.15}
// (y0 = 0.5x + 0.1, y1 = -0.3x - 0.15) -> y [1,2,2,2].
std::vector<uint8_t> ConvModel() {
  ModelBuilder b;
  const int x = b.AddTensor(DataType::kFloat32, {1, 2, 2, 1}, "x");
  const int w = b.AddConstTensor<float>(DataType::kFloat32, {2, 1, 1, 1}, {0.5f, -0.3f}, "w");
  const int bias = b.AddConstTensor<float>(DataType::kFloat32, {2}, {0.1f, -0.15f}, "b");
  const int y = b.AddTensor(DataType::kFloat32, {1, 2, 2, 2}, "y");
  fb::Conv2DOptionsT o;
  o.padding = fb::Padding::VALID;
  o.stride_w = o.stride_h = 1;
  b.AddOperator(BuiltinOperator::CONV_2D, {x, w, bias}, {y}, MakeOptions(o));
  b.SetInputs({x});
  b.SetOutputs({y});
  return b.Finish();
}

// Calibration: x over both samples spans [-1, 3]; y0 = 0.5x + 0.1 spans
// [-0.4, 1.6], y1 = -0.3x - 0.15 spans [-1.05, 0.15]: y spans [-1.05, 1.6].
std::vector<Sample> ConvSamples() {
  return {FloatSample({0, 1, 2, 3}), FloatSample({-1, 0, 0.5f, 1})};
}

TEST(QuantizerParams, AsymmetricMatchesHandDerivation) {
  // [-1, 3]: scale 4/255; zero point -128 + 1/(4/255) = -64.25 -> -64.
  auto q = internal::Asymmetric(-1, 3, -128, 127);
  EXPECT_FLOAT_EQ(q.scale[0], 4.0f / 255);
  EXPECT_EQ(q.zero_point[0], -64);
  // [0.5, 2] widened to [0, 2]: zero point at qmin.
  q = internal::Asymmetric(0.5, 2, -128, 127);
  EXPECT_FLOAT_EQ(q.scale[0], 2.0f / 255);
  EXPECT_EQ(q.zero_point[0], -128);
  // [-2, -1] widened to [-2, 0]: zero point at qmax.
  q = internal::Asymmetric(-2, -1, -128, 127);
  EXPECT_FLOAT_EQ(q.scale[0], 2.0f / 255);
  EXPECT_EQ(q.zero_point[0], 127);
  // Symmetric int16: max |v| / 32767, zero point 0.
  q = internal::Symmetric(-1, 3, 32767);
  EXPECT_FLOAT_EQ(q.scale[0], 3.0f / 32767);
  EXPECT_EQ(q.zero_point[0], 0);
}

TEST(QuantizerInt8, ConvScalesZeroPointsWeightsBias) {
  QuantizeOptions o;
  o.mode = Mode::kInt8;
  o.calibration = ConvSamples();
  const auto res = QuantizeModel(ConvModel(), o);
  auto m = Unpack(res.tflite);
  const auto& sg = *m->subgraphs[0];
  ASSERT_EQ(Ops(*m), (std::vector<BuiltinOperator>{BuiltinOperator::QUANTIZE, BuiltinOperator::CONV_2D,
                                                   BuiltinOperator::DEQUANTIZE}));
  // Float I/O kept; internal tensors int8.
  EXPECT_EQ(sg.tensors[sg.inputs[0]]->type, TensorType::FLOAT32);
  EXPECT_EQ(sg.tensors[sg.outputs[0]]->type, TensorType::FLOAT32);
  const auto& conv = *sg.operators[1];
  const auto& xq = *sg.tensors[conv.inputs[0]];
  EXPECT_EQ(xq.type, TensorType::INT8);
  EXPECT_FLOAT_EQ(xq.quantization->scale[0], 4.0f / 255);
  EXPECT_EQ(xq.quantization->zero_point[0], -64);
  // Output [-1.05, 1.6]: scale 2.65/255, zero point -128 + 1.05*255/2.65 = -26.96 -> -27.
  const auto& yq = *sg.tensors[conv.outputs[0]];
  EXPECT_EQ(yq.type, TensorType::INT8);
  EXPECT_FLOAT_EQ(yq.quantization->scale[0], 2.65f / 255);
  EXPECT_EQ(yq.quantization->zero_point[0], -27);
  // Weights: per channel along dim 0, scale |w|/127, values +-127.
  const auto& wq = *sg.tensors[conv.inputs[1]];
  EXPECT_EQ(wq.type, TensorType::INT8);
  ASSERT_EQ(wq.quantization->scale.size(), 2u);
  EXPECT_FLOAT_EQ(wq.quantization->scale[0], 0.5f / 127);
  EXPECT_FLOAT_EQ(wq.quantization->scale[1], 0.3f / 127);
  EXPECT_EQ(wq.quantization->zero_point, (std::vector<int64_t>{0, 0}));
  EXPECT_EQ(wq.quantization->quantized_dimension, 0);
  EXPECT_EQ(Data<int8_t>(*m, conv.inputs[1]), (std::vector<int8_t>{127, -127}));
  // Bias: int32, scale (4/255)(0.5/127) and (4/255)(0.3/127);
  // 0.1 / ((4/255)(0.5/127)) = 1619.25 -> 1619; -0.15 / ((4/255)(0.3/127)) = -4048.125 -> -4048.
  const auto& bq = *sg.tensors[conv.inputs[2]];
  EXPECT_EQ(bq.type, TensorType::INT32);
  EXPECT_FLOAT_EQ(bq.quantization->scale[0], (4.0f / 255) * (0.5f / 127));
  EXPECT_EQ(Data<int32_t>(*m, conv.inputs[2]), (std::vector<int32_t>{1619, -4048}));
  // Float constants are gone: the file holds only what it needs.
  for (const auto& t : sg.tensors) {
    if (t->type == TensorType::FLOAT32) {
      EXPECT_EQ(m->buffers[t->buffer]->data.size(), 0u) << t->name;
    }
  }

  // Runs in edgelite: y within one output step (plus the input's rounding) of the float math.
  auto model = Model::FromBuffer(res.tflite.data(), res.tflite.size());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  BuiltinOpResolver r;
  auto in = Interpreter::Create(**model, r);
  ASSERT_TRUE(in.ok());
  ASSERT_TRUE((*in)->AllocateTensors().ok());
  const float x[4] = {-1, 0.3f, 1.7f, 2.9f};
  ASSERT_TRUE((*in)->CopyToInput(0, x, sizeof x).ok());
  ASSERT_TRUE((*in)->Invoke().ok());
  const float* y = (*in)->output(0)->data_as<float>();
  for (int p = 0; p < 4; ++p) {
    EXPECT_NEAR(y[2 * p], 0.5f * x[p] + 0.1f, 0.02f);
    EXPECT_NEAR(y[2 * p + 1], -0.3f * x[p] - 0.15f, 0.02f);
  }
}

TEST(QuantizerInt8, PerTensorWeights) {
  QuantizeOptions o;
  o.mode = Mode::kInt8;
  o.per_tensor = true;
  o.calibration = ConvSamples();
  auto m = Unpack(QuantizeModel(ConvModel(), o).tflite);
  const auto& conv = *m->subgraphs[0]->operators[1];
  const auto& wq = *m->subgraphs[0]->tensors[conv.inputs[1]];
  // One scale max|w|/127 = 0.5/127: 0.5 -> 127, -0.3 -> -76.2 -> -76.
  ASSERT_EQ(wq.quantization->scale.size(), 1u);
  EXPECT_FLOAT_EQ(wq.quantization->scale[0], 0.5f / 127);
  EXPECT_EQ(Data<int8_t>(*m, conv.inputs[1]), (std::vector<int8_t>{127, -76}));
}

TEST(QuantizerInt8, IntegerIo) {
  QuantizeOptions o;
  o.mode = Mode::kInt8;
  o.calibration = ConvSamples();
  o.input_type = IoType::kInt8;
  o.output_type = IoType::kUInt8;
  auto m = Unpack(QuantizeModel(ConvModel(), o).tflite);
  const auto& sg = *m->subgraphs[0];
  // int8 input: no QUANTIZE; the input is the quantized tensor (same name).
  EXPECT_EQ(Ops(*m), (std::vector<BuiltinOperator>{BuiltinOperator::CONV_2D, BuiltinOperator::QUANTIZE}));
  const auto& x = *sg.tensors[sg.inputs[0]];
  EXPECT_EQ(x.name, "x");
  EXPECT_EQ(x.type, TensorType::INT8);
  EXPECT_EQ(x.quantization->zero_point[0], -64);
  // uint8 output: same scale, zero point -27 + 128 = 101, through a QUANTIZE.
  const auto& y = *sg.tensors[sg.outputs[0]];
  EXPECT_EQ(y.name, "y");
  EXPECT_EQ(y.type, TensorType::UINT8);
  EXPECT_FLOAT_EQ(y.quantization->scale[0], 2.65f / 255);
  EXPECT_EQ(y.quantization->zero_point[0], 101);
}

TEST(QuantizerInt8, FixedAndSharedParams) {
  // x [1,4,4,1] -> MAX_POOL 2x2 -> RESHAPE [1,4] -> LOGISTIC -> y; and RESHAPE -> TANH -> z.
  ModelBuilder b;
  const int x = b.AddTensor(DataType::kFloat32, {1, 4, 4, 1}, "x");
  const int p = b.AddTensor(DataType::kFloat32, {1, 2, 2, 1}, "pool");
  const int shape = b.AddConstTensor<int32_t>(DataType::kInt32, {2}, {1, 4}, "shape");
  const int r = b.AddTensor(DataType::kFloat32, {1, 4}, "reshape");
  const int y = b.AddTensor(DataType::kFloat32, {1, 4}, "y");
  const int z = b.AddTensor(DataType::kFloat32, {1, 4}, "z");
  fb::Pool2DOptionsT po;
  po.padding = fb::Padding::VALID;
  po.stride_w = po.stride_h = po.filter_width = po.filter_height = 2;
  b.AddOperator(BuiltinOperator::MAX_POOL_2D, {x}, {p}, MakeOptions(po));
  b.AddOperator(BuiltinOperator::RESHAPE, {p, shape}, {r});
  b.AddOperator(BuiltinOperator::LOGISTIC, {r}, {y});
  b.AddOperator(BuiltinOperator::TANH, {r}, {z});
  b.SetInputs({x});
  b.SetOutputs({y, z});
  std::vector<float> v(16);
  for (int i = 0; i < 16; ++i) v[i] = -2.0f + 0.25f * i;  // [-2, 1.75]
  QuantizeOptions o;
  o.mode = Mode::kInt8;
  o.calibration = {FloatSample(v)};
  auto m = Unpack(QuantizeModel(b.Finish(), o).tflite);
  const auto& sg = *m->subgraphs[0];
  auto params_of = [&](const std::string& name) {
    for (const auto& t : sg.tensors)
      if (t->name == name) return std::make_pair(t->quantization->scale[0], t->quantization->zero_point[0]);
    ADD_FAILURE() << "no tensor " << name;
    return std::make_pair(0.0f, int64_t{0});
  };
  // Input [-2, 1.75]: scale 3.75/255, zero point from min -128 + 2*255/3.75 = 8.
  EXPECT_FLOAT_EQ(params_of("x_int8").first, 3.75f / 255);
  EXPECT_EQ(params_of("x_int8").second, 8);
  // MAX_POOL and RESHAPE keep their input's params (TFLite requires it).
  EXPECT_EQ(params_of("pool"), params_of("x_int8"));
  EXPECT_EQ(params_of("reshape"), params_of("x_int8"));
  // LOGISTIC: 1/256, -128; TANH: 1/128, 0.
  EXPECT_EQ(params_of("y_int8"), std::make_pair(1.0f / 256, int64_t{-128}));
  EXPECT_EQ(params_of("z_int8"), std::make_pair(1.0f / 128, int64_t{0}));
}

TEST(QuantizerInt8, InputRangeReadBeforeTheArenaReusesIt) {
  // x -> RELU -> a -> RELU -> b -> RELU -> y: x's arena memory is free after
  // the first RELU and may hold b later; the input's range must be x's own.
  ModelBuilder b;
  const int x = b.AddTensor(DataType::kFloat32, {1, 4}, "x");
  const int a = b.AddTensor(DataType::kFloat32, {1, 4}, "a");
  const int c = b.AddTensor(DataType::kFloat32, {1, 4}, "b");
  const int y = b.AddTensor(DataType::kFloat32, {1, 4}, "y");
  b.AddOperator(BuiltinOperator::RELU, {x}, {a});
  b.AddOperator(BuiltinOperator::RELU, {a}, {c});
  b.AddOperator(BuiltinOperator::RELU, {c}, {y});
  b.SetInputs({x});
  b.SetOutputs({y});
  QuantizeOptions o;
  o.mode = Mode::kInt8;
  o.calibration = {FloatSample({-1, -2, 3, 4})};
  auto m = Unpack(QuantizeModel(b.Finish(), o).tflite);
  const auto& sg = *m->subgraphs[0];
  const auto& xq = *sg.tensors[sg.operators[0]->outputs[0]];  // QUANTIZE's output
  // [-2, 4]: scale 6/255, zero point -128 + 2/(6/255) = -43.
  EXPECT_FLOAT_EQ(xq.quantization->scale[0], 6.0f / 255);
  EXPECT_EQ(xq.quantization->zero_point[0], -43);
}

TEST(QuantizerInt8, ConcatenationInputsRequantizedToOutput) {
  ModelBuilder b;
  const int a = b.AddTensor(DataType::kFloat32, {1, 2}, "a");
  const int c = b.AddTensor(DataType::kFloat32, {1, 2}, "c");
  const int y = b.AddTensor(DataType::kFloat32, {1, 4}, "y");
  fb::ConcatenationOptionsT co;
  co.axis = 1;
  b.AddOperator(BuiltinOperator::CONCATENATION, {a, c}, {y}, MakeOptions(co));
  b.SetInputs({a, c});
  b.SetOutputs({y});
  Sample s;
  const float av[2] = {-1, 1}, cv[2] = {0, 4};
  s.inputs.emplace_back(reinterpret_cast<const uint8_t*>(av), reinterpret_cast<const uint8_t*>(av) + 8);
  s.inputs.emplace_back(reinterpret_cast<const uint8_t*>(cv), reinterpret_cast<const uint8_t*>(cv) + 8);
  QuantizeOptions o;
  o.mode = Mode::kInt8;
  o.calibration = {s};
  auto m = Unpack(QuantizeModel(b.Finish(), o).tflite);
  const auto& sg = *m->subgraphs[0];
  // Both inputs' params differ from the output's ([-1, 4]: scale 5/255), so
  // each goes through a requantizing QUANTIZE; every concat input then has the output's params.
  const BuiltinOperator Q = BuiltinOperator::QUANTIZE;
  EXPECT_EQ(Ops(*m), (std::vector<BuiltinOperator>{Q, Q, Q, Q, BuiltinOperator::CONCATENATION,
                                                   BuiltinOperator::DEQUANTIZE}));
  const auto& cat = *sg.operators[4];
  const auto& out = *sg.tensors[cat.outputs[0]];
  EXPECT_FLOAT_EQ(out.quantization->scale[0], 5.0f / 255);
  EXPECT_EQ(out.quantization->zero_point[0], -77);  // -128 + 1/(5/255) = -77
  for (int32_t t : cat.inputs) {
    EXPECT_EQ(sg.tensors[t]->quantization->scale, out.quantization->scale);
    EXPECT_EQ(sg.tensors[t]->quantization->zero_point, out.quantization->zero_point);
  }
}

TEST(QuantizerInt16x8, SymmetricActivationsInt64Bias) {
  QuantizeOptions o;
  o.mode = Mode::kInt16x8;
  o.calibration = ConvSamples();
  auto m = Unpack(QuantizeModel(ConvModel(), o).tflite);
  const auto& sg = *m->subgraphs[0];
  const auto& conv = *sg.operators[1];
  const auto& xq = *sg.tensors[conv.inputs[0]];
  EXPECT_EQ(xq.type, TensorType::INT16);
  EXPECT_FLOAT_EQ(xq.quantization->scale[0], 3.0f / 32767);  // max(|-1|, |3|) / 32767
  EXPECT_EQ(xq.quantization->zero_point[0], 0);
  const auto& yq = *sg.tensors[conv.outputs[0]];
  EXPECT_FLOAT_EQ(yq.quantization->scale[0], 1.6f / 32767);  // max(1.05, 1.6) / 32767
  EXPECT_EQ(sg.tensors[conv.inputs[2]]->type, TensorType::INT64);
  // 0.1 / ((3/32767)(0.5/127)) = 0.1 * 32767 * 127 / 1.5 = 277427.27 -> 277427
  EXPECT_EQ(Data<int64_t>(*m, conv.inputs[2])[0], 277427);
}

std::vector<uint8_t> FcModel(int units, int depth) {
  ModelBuilder b;
  const int x = b.AddTensor(DataType::kFloat32, {1, depth}, "x");
  std::vector<float> w(units * depth);
  for (size_t i = 0; i < w.size(); ++i) w[i] = (static_cast<int>(i % 7) - 3) * 0.1f;  // max |w| 0.3
  const int wt = b.AddConstTensor<float>(DataType::kFloat32, {units, depth}, w, "w");
  const int y = b.AddTensor(DataType::kFloat32, {1, units}, "y");
  b.AddOperator(BuiltinOperator::FULLY_CONNECTED, {x, wt, -1}, {y}, MakeOptions(fb::FullyConnectedOptionsT()));
  b.SetInputs({x});
  b.SetOutputs({y});
  return b.Finish();
}

TEST(QuantizerDynamic, WeightsFromTheThresholdUp) {
  QuantizeOptions o;
  o.mode = Mode::kDynamic;
  // 32 x 32 = 1024 values: quantized, one scale 0.3/127; values (i%7-3)*0.1 -> round(k*127/3).
  auto m = Unpack(QuantizeModel(FcModel(32, 32), o).tflite);
  const auto& sg = *m->subgraphs[0];
  ASSERT_EQ(Ops(*m), (std::vector<BuiltinOperator>{BuiltinOperator::FULLY_CONNECTED}));
  const auto& w = *sg.tensors[sg.operators[0]->inputs[1]];
  EXPECT_EQ(w.type, TensorType::INT8);
  EXPECT_FLOAT_EQ(w.quantization->scale[0], 0.3f / 127);
  const auto q = Data<int8_t>(*m, sg.operators[0]->inputs[1]);
  const int expect[7] = {-127, -85, -42, 0, 42, 85, 127};  // k*127/3 = 42.33, 84.67
  for (size_t i = 0; i < 14; ++i) EXPECT_EQ(q[i], expect[i % 7]) << i;
  EXPECT_EQ(sg.tensors[sg.inputs[0]]->type, TensorType::FLOAT32);
  // 31 x 32 = 992 values: below TFLite's threshold, stays float.
  auto m2 = Unpack(QuantizeModel(FcModel(31, 32), o).tflite);
  EXPECT_EQ(m2->subgraphs[0]->tensors[m2->subgraphs[0]->operators[0]->inputs[1]]->type, TensorType::FLOAT32);
}

TEST(QuantizerFloat16, ConstantsBecomeHalfWithDequantize) {
  QuantizeOptions o;
  o.mode = Mode::kFloat16;
  const auto res = QuantizeModel(ConvModel(), o);
  auto m = Unpack(res.tflite);
  const auto& sg = *m->subgraphs[0];
  ASSERT_EQ(Ops(*m), (std::vector<BuiltinOperator>{BuiltinOperator::DEQUANTIZE, BuiltinOperator::DEQUANTIZE,
                                                   BuiltinOperator::CONV_2D}));
  // IEEE half bit patterns: 0.5 = 0x3800; 0.3 = 1.2 * 2^-2: mantissa 0.2 * 1024 = 204.8 -> 205,
  // -0.3 -> 0xB4CD; 0.1 = 1.6 * 2^-4: 0.6 * 1024 = 614.4 -> 614, 0x2E66 (0.0999755859375);
  // -0.15 = -1.2 * 2^-3 -> 0xB0CD.
  EXPECT_EQ(Data<uint16_t>(*m, sg.operators[0]->inputs[0]), (std::vector<uint16_t>{0x3800, 0xB4CD}));
  EXPECT_EQ(Data<uint16_t>(*m, sg.operators[1]->inputs[0]), (std::vector<uint16_t>{0x2E66, 0xB0CD}));
  EXPECT_EQ(sg.tensors[sg.operators[0]->inputs[0]]->type, TensorType::FLOAT16);
  // And it runs: y0 = 0.5x + 0.0999755859375.
  auto model = Model::FromBuffer(res.tflite.data(), res.tflite.size());
  ASSERT_TRUE(model.ok());
  BuiltinOpResolver r;
  auto in = Interpreter::Create(**model, r);
  ASSERT_TRUE(in.ok() && (*in)->AllocateTensors().ok());
  const float x[4] = {1, 2, 3, 4};
  ASSERT_TRUE((*in)->CopyToInput(0, x, sizeof x).ok());
  ASSERT_TRUE((*in)->Invoke().ok());
  EXPECT_FLOAT_EQ((*in)->output(0)->data_as<float>()[0], 0.5f + 0.0999755859375f);
}

TEST(QuantizerReport, SizesAndErrors) {
  QuantizeOptions o;
  o.mode = Mode::kInt8;
  o.calibration = ConvSamples();
  o.report = true;
  const auto in = ConvModel();
  const auto res = QuantizeModel(in, o);
  EXPECT_EQ(res.report.bytes_before, in.size());
  EXPECT_EQ(res.report.bytes_after, res.tflite.size());
  EXPECT_EQ(res.report.report_samples, 2);
  ASSERT_EQ(res.report.tensors.size(), 2u);  // x (QUANTIZE) and y (CONV_2D)
  EXPECT_EQ(res.report.tensors[1].name, "y");
  EXPECT_EQ(res.report.tensors[1].op, "CONV_2D");
  // Quantization error of a well-calibrated tensor is below one output step (2.65/255)
  // plus the input's step times max |w| (0.5 * 4/255).
  EXPECT_GT(res.report.tensors[1].max_abs, 0.0);
  EXPECT_LT(res.report.tensors[1].max_abs, 2.65 / 255 + 0.5 * 4.0 / 255);
  EXPECT_EQ(res.report.top1_agree, 2);
  EXPECT_NE(res.report.ToText().find("worst tensors"), std::string::npos);
  EXPECT_NE(res.report.ToJson().find("\"rmse\""), std::string::npos);
}

TEST(QuantizerErrors, ClearMessages) {
  QuantizeOptions o;
  o.mode = Mode::kInt8;
  auto expect_error = [&](const std::vector<uint8_t>& model, const QuantizeOptions& opts,
                          const std::string& needle) {
    try {
      QuantizeModel(model, opts);
      ADD_FAILURE() << "no error, expected '" << needle << "'";
    } catch (const QuantizeError& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expect_error(ConvModel(), o, "needs calibration data");
  o.calibration = ConvSamples();
  // Already quantized.
  const auto q = QuantizeModel(ConvModel(), o).tflite;
  expect_error(q, o, "already quantized");
  // Not a model.
  expect_error(std::vector<uint8_t>(100, 7), o, "not a valid .tflite model");
  // An op without an int8 rule: EXP.
  ModelBuilder b;
  const int x = b.AddTensor(DataType::kFloat32, {1, 4}, "x");
  const int y = b.AddTensor(DataType::kFloat32, {1, 4}, "y");
  b.AddOperator(BuiltinOperator::EXP, {x}, {y});
  b.SetInputs({x});
  b.SetOutputs({y});
  QuantizeOptions o2 = o;
  o2.calibration = {FloatSample({0, 1, 2, 3})};
  expect_error(b.Finish(), o2, "operator 0 (EXP)");
  // A sample of the wrong size.
  QuantizeOptions o3 = o;
  o3.calibration = {FloatSample({0, 1, 2})};
  expect_error(ConvModel(), o3, "calibration input 0");
  // Integer I/O in a float mode.
  QuantizeOptions o4;
  o4.mode = Mode::kFloat16;
  o4.input_type = IoType::kInt8;
  expect_error(ConvModel(), o4, "integer I/O needs mode int8");
}

}  // namespace
}  // namespace quantizer
}  // namespace edgelite
