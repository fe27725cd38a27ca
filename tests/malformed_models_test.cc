// The malformed-model suite: hostile .tflite files generated from valid
// models (ModelBuilder + the FlatBuffers object API) must all come back as an
// error Status with a message, at load, create, allocate or invoke, and never
// crash (the `asan` preset runs this under ASan + UBSan).
//
// Three groups:
//   structured  one named defect each (out-of-range indices, wrong buffer
//               sizes, bad shapes, cycles, bad quantization, unknown ops,
//               recursion, ...): every one must be rejected;
//   truncated   every strict prefix of each base model: every one rejected;
//   bit flips   seeded single-bit flips of each base model: each is either
//               rejected with a message or runs to completion.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using fb::BuiltinOperator;

// ------------------------------------------------------------ running

struct Outcome {
  bool ok = true;
  const char* stage = "";
  Status status;
};

// Load -> create -> allocate -> fill inputs -> invoke (twice), with caps
// that keep hostile shapes from eating the machine.
Outcome RunBytes(const std::vector<uint8_t>& bytes) {
  Outcome o;
  auto fail = [&o](const char* stage, const Status& s) {
    o.ok = false;
    o.stage = stage;
    o.status = s;
    return o;
  };
  auto model = Model::FromBufferCopy(bytes.data(), bytes.size());
  if (!model.ok()) return fail("load", model.status());
  BuiltinOpResolver resolver;
  InterpreterOptions options;
  options.max_arena_bytes = size_t{256} << 20;
  options.max_tensor_bytes = size_t{64} << 20;
  auto interp = Interpreter::Create(**model, resolver, options);
  if (!interp.ok()) return fail("create", interp.status());
  Status s = (*interp)->AllocateTensors();
  if (!s.ok()) return fail("allocate", s);
  for (int i = 0; i < (*interp)->num_inputs(); ++i) {
    Tensor* t = (*interp)->input(i);
    if (t->data == nullptr || t->type == DataType::kString) continue;
    uint8_t* p = static_cast<uint8_t*>(t->data);
    for (size_t k = 0; k < t->bytes; ++k) p[k] = static_cast<uint8_t>(k * 7 + 1) & 0x3f;
  }
  s = (*interp)->Invoke();
  if (!s.ok()) return fail("invoke", s);
  s = (*interp)->Invoke();
  if (!s.ok()) return fail("invoke", s);
  return o;
}

// ------------------------------------------------------------ base models

// x [1,4,4,2] -> CONV_2D (w [3,2,2,2], b [3]) -> [1,3,3,3] -> RESHAPE [1,27]
// -> FULLY_CONNECTED (w [2,27], b [2]) -> [1,2] -> SOFTMAX -> y [1,2].
ModelBuilder FloatCnn() {
  ModelBuilder b;
  std::vector<float> cw(3 * 2 * 2 * 2), fw(2 * 27);
  for (size_t i = 0; i < cw.size(); ++i) cw[i] = 0.05f * static_cast<float>(i % 7) - 0.1f;
  for (size_t i = 0; i < fw.size(); ++i) fw[i] = 0.02f * static_cast<float>(i % 5) - 0.03f;
  const int x = b.AddTensor(DataType::kFloat32, {1, 4, 4, 2}, "x");                    // 0
  const int w = b.AddConstTensor<float>(DataType::kFloat32, {3, 2, 2, 2}, cw, "conv_w");  // 1
  const int cb = b.AddConstTensor<float>(DataType::kFloat32, {3}, {0.1f, 0.0f, -0.1f},
                                         "conv_b");                                    // 2
  const int c = b.AddTensor(DataType::kFloat32, {1, 3, 3, 3}, "conv_out");             // 3
  const int shp = b.AddConstTensor<int32_t>(DataType::kInt32, {2}, {1, 27}, "shape");  // 4
  const int r = b.AddTensor(DataType::kFloat32, {1, 27}, "flat");                      // 5
  const int f = b.AddConstTensor<float>(DataType::kFloat32, {2, 27}, fw, "fc_w");      // 6
  const int fb_ = b.AddConstTensor<float>(DataType::kFloat32, {2}, {0.5f, -0.5f}, "fc_b");  // 7
  const int l = b.AddTensor(DataType::kFloat32, {1, 2}, "logits");                     // 8
  const int y = b.AddTensor(DataType::kFloat32, {1, 2}, "y");                          // 9
  fb::Conv2DOptionsT co;
  co.padding = fb::Padding::VALID;
  co.stride_w = co.stride_h = 1;
  b.AddOperator(BuiltinOperator::CONV_2D, {x, w, cb}, {c}, MakeOptions(co));
  b.AddOperator(BuiltinOperator::RESHAPE, {c, shp}, {r}, MakeOptions(fb::ReshapeOptionsT{}));
  b.AddOperator(BuiltinOperator::FULLY_CONNECTED, {r, f, fb_}, {l},
                MakeOptions(fb::FullyConnectedOptionsT{}));
  fb::SoftmaxOptionsT so;
  so.beta = 1.0f;
  b.AddOperator(BuiltinOperator::SOFTMAX, {l}, {y}, MakeOptions(so));
  b.SetInputs({x});
  b.SetOutputs({y});
  return b;
}

// x int8 [1,4] -> FULLY_CONNECTED (per-channel int8 w [3,4], int32 b [3]) ->
// y int8 [1,3].
ModelBuilder QuantFc() {
  ModelBuilder b;
  QuantSpec qx{{0.05f}, {-2}, 0};
  QuantSpec qw{{0.01f, 0.02f, 0.03f}, {0, 0, 0}, 0};
  QuantSpec qb{{0.0005f, 0.001f, 0.0015f}, {0, 0, 0}, 0};
  QuantSpec qy{{0.1f}, {3}, 0};
  const int x = b.AddTensor(DataType::kInt8, {1, 4}, "x", 0, &qx);  // 0
  const int w = b.AddConstTensor<int8_t>(DataType::kInt8, {3, 4},
                                         {1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12}, "w",
                                         &qw);  // 1
  const int bias = b.AddConstTensor<int32_t>(DataType::kInt32, {3}, {10, -20, 30}, "b",
                                             &qb);                      // 2
  const int y = b.AddTensor(DataType::kInt8, {1, 3}, "y", 0, &qy);     // 3
  b.AddOperator(BuiltinOperator::FULLY_CONNECTED, {x, w, bias}, {y},
                MakeOptions(fb::FullyConnectedOptionsT{}));
  b.SetInputs({x});
  b.SetOutputs({y});
  return b;
}

fb::BuiltinOptionsUnion WhileOpts(int cond, int body) {
  fb::WhileOptionsT o;
  o.cond_subgraph_index = cond;
  o.body_subgraph_index = body;
  return MakeOptions(o);
}

// main: (c1, x1) = WHILE(c0, x0) with cond = subgraph 1 (c < 3) and body =
// subgraph 2 (c += 1, x *= 2).
ModelBuilder WhileLoop() {
  ModelBuilder b;
  const int c0 = b.AddTensor(DataType::kFloat32, {}, "c0");
  const int x0 = b.AddTensor(DataType::kFloat32, {2}, "x0");
  const int c1 = b.AddTensor(DataType::kFloat32, {}, "c1");
  const int x1 = b.AddTensor(DataType::kFloat32, {2}, "x1");
  b.AddOperator(BuiltinOperator::WHILE, {c0, x0}, {c1, x1}, WhileOpts(1, 2));
  b.SetInputs({c0, x0});
  b.SetOutputs({c1, x1});
  b.AddSubgraph("cond");
  {
    const int c = b.AddTensor(DataType::kFloat32, {}, "c");
    const int x = b.AddTensor(DataType::kFloat32, {2}, "x");
    const int l = b.AddConstTensor<float>(DataType::kFloat32, {}, {3.0f}, "limit");
    const int r = b.AddTensor(DataType::kBool, {}, "less");
    b.AddOperator(BuiltinOperator::LESS, {c, l}, {r});
    b.SetInputs({c, x});
    b.SetOutputs({r});
  }
  b.AddSubgraph("body");
  {
    const int c = b.AddTensor(DataType::kFloat32, {}, "c");
    const int x = b.AddTensor(DataType::kFloat32, {2}, "x");
    const int one = b.AddConstTensor<float>(DataType::kFloat32, {}, {1.0f}, "one");
    const int two = b.AddConstTensor<float>(DataType::kFloat32, {}, {2.0f}, "two");
    const int c2 = b.AddTensor(DataType::kFloat32, {}, "c2");
    const int x2 = b.AddTensor(DataType::kFloat32, {2}, "x2");
    b.AddOperator(BuiltinOperator::ADD, {c, one}, {c2}, MakeOptions(fb::AddOptionsT{}));
    b.AddOperator(BuiltinOperator::MUL, {x, two}, {x2}, MakeOptions(fb::MulOptionsT{}));
    b.SetInputs({c, x});
    b.SetOutputs({c2, x2});
  }
  b.SetSubgraph(0);
  return b;
}

// ------------------------------------------------------------ structured cases

struct Case {
  std::string name;
  std::function<std::vector<uint8_t>()> make;
};

// A case that mutates the object model of `base()` before serializing.
Case Mutate(const std::string& name, std::function<ModelBuilder()> base,
            std::function<void(fb::ModelT&)> mutate) {
  return {name, [base, mutate] {
            ModelBuilder b = base();
            mutate(b.model());
            return b.Finish();
          }};
}

fb::TensorT& T(fb::ModelT& m, int sg, int t) { return *m.subgraphs[sg]->tensors[t]; }
fb::OperatorT& Op(fb::ModelT& m, int sg, int op) { return *m.subgraphs[sg]->operators[op]; }

std::unique_ptr<fb::QuantizationParametersT> Quant(std::vector<float> scale,
                                                   std::vector<int64_t> zp, int qd = 0) {
  auto q = std::make_unique<fb::QuantizationParametersT>();
  q->scale = std::move(scale);
  q->zero_point = std::move(zp);
  q->quantized_dimension = qd;
  return q;
}

// The subgraph indices of a control-flow op's options, whatever its type.
void SetCallTargets(fb::OperatorT& op, int a, int b) {
  if (auto* w = op.builtin_options.AsWhileOptions()) {
    w->cond_subgraph_index = a;
    w->body_subgraph_index = b;
  } else if (auto* i = op.builtin_options.AsIfOptions()) {
    i->then_subgraph_index = a;
    i->else_subgraph_index = b;
  } else if (auto* c = op.builtin_options.AsCallOnceOptions()) {
    c->init_subgraph_index = a;
  }
}

std::vector<Case> StructuredCases() {
  const float kNaN = std::numeric_limits<float>::quiet_NaN();
  const float kInf = std::numeric_limits<float>::infinity();
  std::vector<Case> cases;
  auto add = [&cases](const std::string& n, std::function<ModelBuilder()> base,
                      std::function<void(fb::ModelT&)> f) {
    cases.push_back(Mutate(n, std::move(base), std::move(f)));
  };

  // --- out-of-range indices
  add("op input tensor index 99", FloatCnn, [](fb::ModelT& m) { Op(m, 0, 0).inputs[0] = 99; });
  add("op input tensor index -5", FloatCnn, [](fb::ModelT& m) { Op(m, 0, 1).inputs[0] = -5; });
  add("op output tensor index 1000", FloatCnn,
      [](fb::ModelT& m) { Op(m, 0, 2).outputs[0] = 1000; });
  add("op output tensor index -2", FloatCnn, [](fb::ModelT& m) { Op(m, 0, 3).outputs[0] = -2; });
  add("op intermediate index 77", FloatCnn,
      [](fb::ModelT& m) { Op(m, 0, 0).intermediates = {77}; });
  add("subgraph input index 10", FloatCnn,
      [](fb::ModelT& m) { m.subgraphs[0]->inputs = {10}; });
  add("subgraph output index -1", FloatCnn,
      [](fb::ModelT& m) { m.subgraphs[0]->outputs = {-1}; });
  add("tensor buffer index 500", FloatCnn, [](fb::ModelT& m) { T(m, 0, 1).buffer = 500; });
  add("tensor buffer index UINT32_MAX", FloatCnn,
      [](fb::ModelT& m) { T(m, 0, 6).buffer = 0xffffffffu; });
  add("opcode index 40", FloatCnn, [](fb::ModelT& m) { Op(m, 0, 1).opcode_index = 40; });
  add("opcode index UINT32_MAX", FloatCnn,
      [](fb::ModelT& m) { Op(m, 0, 0).opcode_index = 0xffffffffu; });
  add("WHILE cond subgraph 7", WhileLoop,
      [](fb::ModelT& m) { SetCallTargets(Op(m, 0, 0), 7, 2); });
  add("WHILE body subgraph -1", WhileLoop,
      [](fb::ModelT& m) { SetCallTargets(Op(m, 0, 0), 1, -1); });
  add("WHILE body subgraph INT32_MAX", WhileLoop,
      [](fb::ModelT& m) { SetCallTargets(Op(m, 0, 0), 1, 0x7fffffff); });
  add("signature def subgraph 9", FloatCnn, [](fb::ModelT& m) {
    auto s = std::make_unique<fb::SignatureDefT>();
    s->signature_key = "serving_default";
    s->subgraph_index = 9;
    m.signature_defs.push_back(std::move(s));
  });
  add("signature def tensor 999", FloatCnn, [](fb::ModelT& m) {
    auto s = std::make_unique<fb::SignatureDefT>();
    s->signature_key = "serving_default";
    auto tm = std::make_unique<fb::TensorMapT>();
    tm->name = "x";
    tm->tensor_index = 999;
    s->inputs.push_back(std::move(tm));
    m.signature_defs.push_back(std::move(s));
  });

  // --- wrong buffer sizes, missing buffers
  add("conv weights one byte short", FloatCnn,
      [](fb::ModelT& m) { m.buffers[T(m, 0, 1).buffer]->data.pop_back(); });
  add("conv weights one byte long", FloatCnn,
      [](fb::ModelT& m) { m.buffers[T(m, 0, 1).buffer]->data.push_back(0); });
  add("fc weights half the bytes", FloatCnn, [](fb::ModelT& m) {
    auto& d = m.buffers[T(m, 0, 6).buffer]->data;
    d.resize(d.size() / 2);
  });
  add("reshape shape buffer 3 bytes", FloatCnn,
      [](fb::ModelT& m) { m.buffers[T(m, 0, 4).buffer]->data.resize(3); });
  add("int8 weights as 4 bytes too few", QuantFc,
      [](fb::ModelT& m) { m.buffers[T(m, 0, 1).buffer]->data.resize(8); });
  add("all buffers removed", FloatCnn, [](fb::ModelT& m) { m.buffers.clear(); });
  add("conv weights without data", FloatCnn, [](fb::ModelT& m) { T(m, 0, 1).buffer = 0; });
  add("reshape shape without data", FloatCnn, [](fb::ModelT& m) { T(m, 0, 4).buffer = 0; });
  add("external buffer beyond the file", FloatCnn, [](fb::ModelT& m) {
    auto& buf = *m.buffers[T(m, 0, 6).buffer];
    buf.data.clear();
    buf.offset = 1u << 30;
    buf.size = 216;
  });
  add("external buffer size overflows", FloatCnn, [](fb::ModelT& m) {
    auto& buf = *m.buffers[T(m, 0, 6).buffer];
    buf.data.clear();
    buf.offset = 16;
    buf.size = 0xffffffffffffff00ull;
  });
  add("large custom options beyond the file", FloatCnn, [](fb::ModelT& m) {
    Op(m, 0, 0).large_custom_options_offset = 1u << 20;
    Op(m, 0, 0).large_custom_options_size = 64;
  });

  // --- shapes
  add("negative dimension -5 on the input", FloatCnn,
      [](fb::ModelT& m) { T(m, 0, 0).shape = {1, -5, 4, 2}; });
  add("-1 dimension on a used activation", FloatCnn,
      [](fb::ModelT& m) { T(m, 0, 0).shape = {1, -1, 4, 2}; });
  add("-1 dimension on a constant", FloatCnn,
      [](fb::ModelT& m) { T(m, 0, 2).shape = {-1}; });
  add("huge dimensions 2^30 x 2^30", FloatCnn,
      [](fb::ModelT& m) { T(m, 0, 0).shape = {1 << 30, 1 << 30, 4, 2}; });
  add("shape product overflows int64", FloatCnn, [](fb::ModelT& m) {
    T(m, 0, 3).shape = {0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff,
                        0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff};
  });
  add("rank 9", FloatCnn,
      [](fb::ModelT& m) { T(m, 0, 0).shape = {1, 1, 1, 1, 1, 1, 1, 4, 4}; });
  add("input too large for the tensor cap (2^28 floats)", FloatCnn,
      [](fb::ModelT& m) { T(m, 0, 0).shape = {1, 1 << 12, 1 << 14, 4}; });
  add("conv weights rank 2", FloatCnn, [](fb::ModelT& m) { T(m, 0, 1).shape = {3, 8}; });
  add("conv input rank 3", FloatCnn, [](fb::ModelT& m) { T(m, 0, 0).shape = {4, 4, 2}; });
  add("fc weights inner size mismatch", FloatCnn,
      [](fb::ModelT& m) { T(m, 0, 6).shape = {3, 18}; });
  add("reshape to 26 elements", FloatCnn, [](fb::ModelT& m) {
    const int32_t v[2] = {2, 13};
    memcpy(m.buffers[T(m, 0, 4).buffer]->data.data(), v, 8);
  });
  add("reshape to a negative count", FloatCnn, [](fb::ModelT& m) {
    const int32_t v[2] = {-3, -9};
    memcpy(m.buffers[T(m, 0, 4).buffer]->data.data(), v, 8);
  });
  add("unknown tensor type 100", FloatCnn,
      [](fb::ModelT& m) { T(m, 0, 3).type = static_cast<fb::TensorType>(100); });
  add("conv weights int8 with float input", FloatCnn, [](fb::ModelT& m) {
    T(m, 0, 1).type = fb::TensorType::INT8;
    m.buffers[T(m, 0, 1).buffer]->data.resize(24);
  });

  // --- graph structure
  add("use before define (ops swapped)", FloatCnn, [](fb::ModelT& m) {
    std::swap(m.subgraphs[0]->operators[0], m.subgraphs[0]->operators[1]);
  });
  add("self loop (op reads its own output)", FloatCnn,
      [](fb::ModelT& m) { Op(m, 0, 3).inputs[0] = 9; });
  add("two-op cycle", FloatCnn, [](fb::ModelT& m) {
    Op(m, 0, 2).inputs[0] = 9;  // FC reads softmax's output, softmax reads FC's
  });
  add("op writes a constant", FloatCnn, [](fb::ModelT& m) { Op(m, 0, 3).outputs[0] = 6; });
  add("output never produced", FloatCnn, [](fb::ModelT& m) {
    auto t = std::make_unique<fb::TensorT>();
    t->shape = {1, 2};
    t->name = "orphan";
    m.subgraphs[0]->tensors.push_back(std::move(t));
    Op(m, 0, 3).inputs[0] = 10;
  });
  add("no subgraphs", FloatCnn, [](fb::ModelT& m) { m.subgraphs.clear(); });
  add("no operator codes", FloatCnn, [](fb::ModelT& m) { m.operator_codes.clear(); });
  add("conv with no inputs", FloatCnn, [](fb::ModelT& m) { Op(m, 0, 0).inputs.clear(); });
  add("softmax with no outputs", FloatCnn, [](fb::ModelT& m) { Op(m, 0, 3).outputs.clear(); });
  add("schema version 4", FloatCnn, [](fb::ModelT& m) { m.version = 4; });

  // --- quantization
  add("per-channel: 2 scales for 3 channels", QuantFc,
      [](fb::ModelT& m) { T(m, 0, 1).quantization = Quant({0.01f, 0.02f}, {0, 0}); });
  add("per-channel: 4 scales for 3 channels", QuantFc, [](fb::ModelT& m) {
    T(m, 0, 1).quantization = Quant({0.01f, 0.02f, 0.03f, 0.04f}, {0, 0, 0, 0});
  });
  add("quantized_dimension 5 on rank 2", QuantFc, [](fb::ModelT& m) {
    T(m, 0, 1).quantization = Quant({0.01f, 0.02f, 0.03f}, {0, 0, 0}, 5);
  });
  add("quantized_dimension -1", QuantFc, [](fb::ModelT& m) {
    T(m, 0, 1).quantization = Quant({0.01f, 0.02f, 0.03f}, {0, 0, 0}, -1);
  });
  add("quantized_dimension 1 (4 channels, 3 scales)", QuantFc, [](fb::ModelT& m) {
    T(m, 0, 1).quantization = Quant({0.01f, 0.02f, 0.03f}, {0, 0, 0}, 1);
  });
  add("3 scales, 2 zero points", QuantFc, [](fb::ModelT& m) {
    T(m, 0, 1).quantization = Quant({0.01f, 0.02f, 0.03f}, {0, 0});
  });
  add("input scale 0", QuantFc, [](fb::ModelT& m) { T(m, 0, 0).quantization->scale = {0.0f}; });
  add("output scale 0", QuantFc, [](fb::ModelT& m) { T(m, 0, 3).quantization->scale = {0.0f}; });
  add("input scale -0.05", QuantFc,
      [](fb::ModelT& m) { T(m, 0, 0).quantization->scale = {-0.05f}; });
  add("output scale NaN", QuantFc, [kNaN](fb::ModelT& m) { T(m, 0, 3).quantization->scale = {kNaN}; });
  add("weight scale +inf", QuantFc,
      [kInf](fb::ModelT& m) { T(m, 0, 1).quantization->scale = {0.01f, kInf, 0.03f}; });
  add("weight scale -inf", QuantFc,
      [kInf](fb::ModelT& m) { T(m, 0, 1).quantization->scale = {0.01f, 0.02f, -kInf}; });
  add("int8 zero point 200", QuantFc,
      [](fb::ModelT& m) { T(m, 0, 0).quantization->zero_point = {200}; });
  add("int8 zero point -129", QuantFc,
      [](fb::ModelT& m) { T(m, 0, 3).quantization->zero_point = {-129}; });
  add("int8 activations without quantization", QuantFc,
      [](fb::ModelT& m) { T(m, 0, 0).quantization.reset(); });
  add("int8 weights with nonzero per-channel zero point", QuantFc,
      [](fb::ModelT& m) { T(m, 0, 1).quantization->zero_point = {0, 5, 0}; });

  // --- unknown operators and versions
  add("builtin code 9999", FloatCnn, [](fb::ModelT& m) {
    m.operator_codes[0]->builtin_code = static_cast<BuiltinOperator>(9999);
    m.operator_codes[0]->deprecated_builtin_code = 127;
  });
  add("builtin code -3", FloatCnn, [](fb::ModelT& m) {
    m.operator_codes[0]->builtin_code = static_cast<BuiltinOperator>(-3);
    m.operator_codes[0]->deprecated_builtin_code = -3;
  });
  add("deprecated code 126 (unknown)", FloatCnn, [](fb::ModelT& m) {
    m.operator_codes[1]->builtin_code = static_cast<BuiltinOperator>(0);
    m.operator_codes[1]->deprecated_builtin_code = 126;
  });
  add("CONV_2D version 0", FloatCnn, [](fb::ModelT& m) { m.operator_codes[0]->version = 0; });
  add("CONV_2D version -1", FloatCnn, [](fb::ModelT& m) { m.operator_codes[0]->version = -1; });
  add("CUSTOM without a name", FloatCnn, [](fb::ModelT& m) {
    m.operator_codes[3]->builtin_code = BuiltinOperator::CUSTOM;
    m.operator_codes[3]->deprecated_builtin_code = 32;
  });
  add("CUSTOM 'NoSuchOp'", FloatCnn, [](fb::ModelT& m) {
    m.operator_codes[3]->builtin_code = BuiltinOperator::CUSTOM;
    m.operator_codes[3]->deprecated_builtin_code = 32;
    m.operator_codes[3]->custom_code = "NoSuchOp";
  });
  add("conv options replaced by softmax options", FloatCnn, [](fb::ModelT& m) {
    fb::SoftmaxOptionsT so;
    so.beta = 1.0f;
    Op(m, 0, 0).builtin_options.Reset();
    Op(m, 0, 0).builtin_options.Set(so);
  });
  add("conv stride 0", FloatCnn,
      [](fb::ModelT& m) { Op(m, 0, 0).builtin_options.AsConv2DOptions()->stride_w = 0; });
  add("conv stride -2", FloatCnn,
      [](fb::ModelT& m) { Op(m, 0, 0).builtin_options.AsConv2DOptions()->stride_h = -2; });
  add("conv dilation 0", FloatCnn, [](fb::ModelT& m) {
    Op(m, 0, 0).builtin_options.AsConv2DOptions()->dilation_w_factor = 0;
  });
  add("conv dilation INT32_MAX", FloatCnn, [](fb::ModelT& m) {
    Op(m, 0, 0).builtin_options.AsConv2DOptions()->dilation_h_factor = 0x7fffffff;
  });
  add("conv activation code 42", FloatCnn, [](fb::ModelT& m) {
    Op(m, 0, 0).builtin_options.AsConv2DOptions()->fused_activation_function =
        static_cast<fb::ActivationFunctionType>(42);
  });

  // --- subgraph recursion through WHILE / IF / CALL_ONCE
  add("WHILE body is the main subgraph", WhileLoop,
      [](fb::ModelT& m) { SetCallTargets(Op(m, 0, 0), 1, 0); });
  add("WHILE cond is the main subgraph", WhileLoop,
      [](fb::ModelT& m) { SetCallTargets(Op(m, 0, 0), 0, 2); });
  add("WHILE body calls itself", WhileLoop, [](fb::ModelT& m) {
    // The body's MUL becomes a WHILE(cond 1, body 2) on (c, x): body -> body.
    auto& op = Op(m, 2, 1);
    op.opcode_index = Op(m, 0, 0).opcode_index;
    op.inputs = {0, 1};
    op.outputs = {4, 5};
    op.builtin_options.Reset();
    fb::WhileOptionsT w;
    w.cond_subgraph_index = 1;
    w.body_subgraph_index = 2;
    op.builtin_options.Set(w);
  });
  add("IF branches call each other (mutual recursion)", [] {
    ModelBuilder b;
    auto add_if = [&b](int target) {
      const int cond = b.AddTensor(DataType::kBool, {1}, "cond");
      const int x = b.AddTensor(DataType::kFloat32, {3}, "x");
      const int y = b.AddTensor(DataType::kFloat32, {3}, "y");
      fb::IfOptionsT o;
      o.then_subgraph_index = target;
      o.else_subgraph_index = target;
      b.AddOperator(BuiltinOperator::IF, {cond, cond, x}, {y}, MakeOptions(o));
      b.SetInputs({cond, x});
      b.SetOutputs({y});
    };
    add_if(1);
    b.AddSubgraph("a");
    add_if(2);
    b.AddSubgraph("b");
    add_if(1);
    b.SetSubgraph(0);
    return b;
  }, [](fb::ModelT&) {});
  add("CALL_ONCE of the main subgraph", [] {
    ModelBuilder b;
    fb::CallOnceOptionsT co;
    co.init_subgraph_index = 0;
    const int x = b.AddTensor(DataType::kFloat32, {2}, "x");
    const int y = b.AddTensor(DataType::kFloat32, {2}, "y");
    b.AddOperator(BuiltinOperator::CALL_ONCE, {}, {}, MakeOptions(co));
    b.AddOperator(BuiltinOperator::RELU, {x}, {y});
    b.SetInputs({x});
    b.SetOutputs({y});
    return b;
  }, [](fb::ModelT&) {});
  add("CALL_ONCE subgraphs call each other", [] {
    ModelBuilder b;
    fb::CallOnceOptionsT co;
    const int x = b.AddTensor(DataType::kFloat32, {2}, "x");
    const int y = b.AddTensor(DataType::kFloat32, {2}, "y");
    co.init_subgraph_index = 1;
    b.AddOperator(BuiltinOperator::CALL_ONCE, {}, {}, MakeOptions(co));
    b.AddOperator(BuiltinOperator::RELU, {x}, {y});
    b.SetInputs({x});
    b.SetOutputs({y});
    b.AddSubgraph("init1");
    co.init_subgraph_index = 2;
    b.AddOperator(BuiltinOperator::CALL_ONCE, {}, {}, MakeOptions(co));
    b.AddSubgraph("init2");
    co.init_subgraph_index = 1;
    b.AddOperator(BuiltinOperator::CALL_ONCE, {}, {}, MakeOptions(co));
    b.SetSubgraph(0);
    return b;
  }, [](fb::ModelT&) {});
  add("CALL_ONCE subgraph index 42", [] {
    ModelBuilder b;
    fb::CallOnceOptionsT co;
    co.init_subgraph_index = 42;
    const int x = b.AddTensor(DataType::kFloat32, {2}, "x");
    const int y = b.AddTensor(DataType::kFloat32, {2}, "y");
    b.AddOperator(BuiltinOperator::CALL_ONCE, {}, {}, MakeOptions(co));
    b.AddOperator(BuiltinOperator::RELU, {x}, {y});
    b.SetInputs({x});
    b.SetOutputs({y});
    return b;
  }, [](fb::ModelT&) {});
  add("WHILE with mismatched arity", WhileLoop,
      [](fb::ModelT& m) { Op(m, 0, 0).outputs = {2}; });
  add("WHILE cond output is float", WhileLoop,
      [](fb::ModelT& m) { T(m, 1, 3).type = fb::TensorType::FLOAT32; });

  // --- not a model at all
  cases.push_back({"empty file", [] { return std::vector<uint8_t>(); }});
  cases.push_back({"3 bytes", [] { return std::vector<uint8_t>{1, 2, 3}; }});
  cases.push_back({"4 KiB of 0xff", [] { return std::vector<uint8_t>(4096, 0xff); }});
  cases.push_back({"wrong file identifier", [] {
                     std::vector<uint8_t> v = FloatCnn().Finish();
                     memcpy(v.data() + 4, "XXXX", 4);
                     return v;
                   }});
  cases.push_back({"root offset beyond the end", [] {
                     std::vector<uint8_t> v = FloatCnn().Finish();
                     const uint32_t off = static_cast<uint32_t>(v.size()) + 100;
                     memcpy(v.data(), &off, 4);
                     return v;
                   }});
  return cases;
}

void PrintOutcome(const std::string& name, const Outcome& o) {
  printf("  %-52s %s: %s\n", name.c_str(), o.ok ? "ACCEPTED" : o.stage,
         o.ok ? "" : o.status.ToString().c_str());
}

TEST(MalformedModels, BaseModelsRun) {
  // The bases are valid: a rejected mutation is the mutation's doing.
  for (auto base : {FloatCnn, QuantFc, WhileLoop}) {
    const Outcome o = RunBytes(base().Finish());
    EXPECT_TRUE(o.ok) << o.stage << ": " << o.status.ToString();
  }
}

TEST(MalformedModels, StructuredCasesAreRejected) {
  const std::vector<Case> cases = StructuredCases();
  int rejected = 0;
  for (const Case& c : cases) {
    const Outcome o = RunBytes(c.make());
    PrintOutcome(c.name, o);
    EXPECT_FALSE(o.ok) << "accepted: " << c.name;
    if (!o.ok) {
      ++rejected;
      EXPECT_FALSE(o.status.message().empty()) << c.name;
    }
  }
  printf("malformed models: %zu structured cases, %d rejected\n", cases.size(), rejected);
}

// Not malformed, but extreme: scales that push the requantization multiplier
// below 2^-31 or far above 2^31. These models are valid and must run; under
// UBSan (the asan preset) this is the regression test for QuantizeMultiplier
// handing the kernels a shift above 30 (undefined `<<`).
TEST(MalformedModels, ExtremeScalesRun) {
  struct Extreme {
    const char* name;
    float in_scale, out_scale;
  } cases[] = {{"input scale 1e-45 (denormal)", 1e-45f, 0.1f},
               {"input scale 3e38, output 1e-38 (multiplier ~3e74)", 3e38f, 1e-38f},
               {"input 1e-38, output 3e38 (multiplier ~3e-79)", 1e-38f, 3e38f}};
  for (const Extreme& e : cases) {
    ModelBuilder b = QuantFc();
    T(b.model(), 0, 0).quantization->scale = {e.in_scale};
    T(b.model(), 0, 3).quantization->scale = {e.out_scale};
    // Keep the bias scale = input scale x weight scale, as the spec wants.
    T(b.model(), 0, 2).quantization->scale = {e.in_scale * 0.01f, e.in_scale * 0.02f,
                                              e.in_scale * 0.03f};
    const Outcome o = RunBytes(b.Finish());
    PrintOutcome(e.name, o);
    EXPECT_TRUE(o.ok) << e.name << ": " << o.status.ToString();
  }
}

TEST(MalformedModels, TruncationsAreRejected) {
  int total = 0, rejected = 0;
  for (auto base : {FloatCnn, QuantFc, WhileLoop}) {
    const std::vector<uint8_t> full = base().Finish();
    for (size_t n = 0; n < full.size(); ++n) {
      const std::vector<uint8_t> cut(full.begin(), full.begin() + n);
      const Outcome o = RunBytes(cut);
      ++total;
      if (!o.ok) {
        ++rejected;
        EXPECT_FALSE(o.status.message().empty());
      }
      EXPECT_FALSE(o.ok) << "prefix of " << n << " of " << full.size() << " bytes accepted";
    }
  }
  printf("malformed models: %d truncations, %d rejected\n", total, rejected);
}

TEST(MalformedModels, SeededBitFlips) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed) + " (EDGELITE_TEST_SEED)");
  printf("bit flips: seed %u\n", seed);
  std::mt19937 rng(seed);
  int total = 0, rejected = 0;
  for (auto base : {FloatCnn, QuantFc, WhileLoop}) {
    const std::vector<uint8_t> full = base().Finish();
    for (int k = 0; k < 700; ++k) {
      std::vector<uint8_t> v = full;
      // One to three flipped bits.
      const int flips = 1 + static_cast<int>(rng() % 3);
      for (int f = 0; f < flips; ++f) v[rng() % v.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
      const Outcome o = RunBytes(v);
      ++total;
      if (!o.ok) {
        ++rejected;
        EXPECT_FALSE(o.status.message().empty());
      }
    }
  }
  // Most flips land in structure and must be caught; those in weights or
  // names leave a valid model that runs.
  EXPECT_GT(rejected, 0);
  printf("malformed models: %d bit-flip cases, %d rejected, %d still valid and ran\n", total,
         rejected, total - rejected);
}

}  // namespace
}  // namespace edgelite
