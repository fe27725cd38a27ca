// API misuse through the C++ API and the resource limits
// (InterpreterOptions::max_arena_bytes / max_tensor_bytes): every case must
// return the documented StatusCode with a message naming what is wrong.
#include <cstring>
#include <string>
#include <vector>

#include "src/runtime/subgraph.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

struct Loaded {
  std::vector<uint8_t> bytes;
  std::unique_ptr<Model> model;
  BuiltinOpResolver resolver;
  std::unique_ptr<Interpreter> interp;

  Status Make(ModelBuilder& b, const InterpreterOptions& o = {}) {
    bytes = b.Finish();
    auto m = Model::FromBuffer(bytes.data(), bytes.size());
    if (!m.ok()) return m.status();
    model = std::move(m.value());
    auto i = Interpreter::Create(*model, resolver, o);
    if (!i.ok()) return i.status();
    interp = std::move(i.value());
    return Status::Ok();
  }
};

// y = a + b, float32 [1, 4]; `sig` adds a shape signature [-1, 4].
void AddModel(ModelBuilder* b, bool sig = false) {
  const std::vector<int32_t> s = sig ? std::vector<int32_t>{-1, 4} : std::vector<int32_t>{};
  const int a = b->AddTensor(DataType::kFloat32, {1, 4}, "a", 0, nullptr, false, s);
  const int x = b->AddTensor(DataType::kFloat32, {1, 4}, "b", 0, nullptr, false, s);
  const int y = b->AddTensor(DataType::kFloat32, {1, 4}, "y");
  b->AddOperator(fb::BuiltinOperator::ADD, {a, x}, {y}, MakeOptions(fb::AddOptionsT{}));
  b->SetInputs({a, x});
  b->SetOutputs({y});
}

bool Has(const Status& s, const char* text) {
  return s.message().find(text) != std::string::npos;
}

TEST(ApiMisuse, InvokeBeforeAllocate) {
  ModelBuilder b;
  AddModel(&b);
  Loaded m;
  ASSERT_TRUE(m.Make(b).ok());
  EXPECT_FALSE(m.interp->tensors_allocated());
  Status s = m.interp->Invoke();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
  EXPECT_TRUE(Has(s, "AllocateTensors")) << s.ToString();
}

TEST(ApiMisuse, NullNamesAndSignatures) {
  ModelBuilder b;
  AddModel(&b);
  b.AddSignature("serving_default", 0, {{"in_a", 0}, {"in_b", 1}}, {{"out", 2}});
  Loaded m;
  ASSERT_TRUE(m.Make(b).ok());
  EXPECT_EQ(m.interp->FindInput(nullptr), -1);
  EXPECT_EQ(m.interp->FindOutput(nullptr), -1);
  EXPECT_EQ(m.interp->input(static_cast<const char*>(nullptr)), nullptr);
  EXPECT_EQ(m.interp->output(static_cast<const char*>(nullptr)), nullptr);
  EXPECT_EQ(m.interp->FindInput("nope"), -1);
  EXPECT_EQ(m.interp->signature_key(5), nullptr);
  EXPECT_EQ(m.interp->GetSignatureRunner("nope"), nullptr);
  SignatureRunner* r = m.interp->GetSignatureRunner("serving_default");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->input(nullptr), nullptr);
  EXPECT_EQ(r->output(nullptr), nullptr);
  Status s = r->ResizeInputTensor(nullptr, Shape{2, 4});
  EXPECT_EQ(s.code(), StatusCode::kNotFound) << s.ToString();
  s = r->ResizeInputTensor("in_a", Shape{2, -4});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  s = r->Invoke();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
}

TEST(ApiMisuse, CheckedCopies) {
  ModelBuilder b;
  AddModel(&b);
  Loaded m;
  ASSERT_TRUE(m.Make(b).ok());
  const float v[4] = {1.0f, 2.0f, 3.0f, 4.0f};
  float out[4] = {};
  // Before allocate.
  Status s = m.interp->CopyToInput(0, v, sizeof(v));
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
  ASSERT_TRUE(m.interp->AllocateTensors().ok());
  // Out of range indices.
  for (int bad : {-1, 2, 1 << 30}) {
    s = m.interp->CopyToInput(bad, v, sizeof(v));
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
    EXPECT_TRUE(Has(s, "does not exist")) << s.ToString();
  }
  s = m.interp->CopyFromOutput(1, out, sizeof(out));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_EQ(m.interp->input(5), nullptr);
  EXPECT_EQ(m.interp->tensor(-3), nullptr);
  EXPECT_EQ(m.interp->tensor(1000), nullptr);
  EXPECT_EQ(m.interp->subgraph(9), nullptr);
  // Wrong size, wrong type, null buffer.
  s = m.interp->CopyToInput(0, v, 12);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Has(s, "'a' holds 16 bytes (shape [1,4] of float32), but the buffer has 12"))
      << s.ToString();
  s = m.interp->CopyToInput(0, DataType::kInt8, v, 16);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Has(s, "has type float32, not int8")) << s.ToString();
  s = m.interp->CopyToInput(0, static_cast<DataType>(100), v, 16);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  s = m.interp->CopyToInput(0, nullptr, 16);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  s = m.interp->CopyFromOutput(0, DataType::kInt32, out, 16);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  // The good path, checked against hand-computed sums.
  ASSERT_TRUE(m.interp->CopyToInput(0, DataType::kFloat32, v, 16).ok());
  ASSERT_TRUE(m.interp->CopyToInput(1, v, 16).ok());
  ASSERT_TRUE(m.interp->Invoke().ok());
  ASSERT_TRUE(m.interp->CopyFromOutput(0, DataType::kFloat32, out, 16).ok());
  EXPECT_EQ(out[0], 2.0f);
  EXPECT_EQ(out[3], 8.0f);
}

TEST(ApiMisuse, InvalidResizes) {
  ModelBuilder b;
  AddModel(&b, /*sig=*/true);
  Loaded m;
  ASSERT_TRUE(m.Make(b).ok());
  ASSERT_TRUE(m.interp->AllocateTensors().ok());
  struct Case {
    const char* what;
    Shape shape;
    const char* text;
  };
  Shape negative{1, -4};
  Shape too_big_rank;
  too_big_rank.rank = kMaxRank + 1;
  Shape negative_rank;
  negative_rank.rank = -2;
  // 2^16^8 = 2^128 elements: the product overflows int64 long before.
  Shape overflow;
  overflow.rank = 8;
  for (int i = 0; i < 8; ++i) overflow.dims[i] = 1 << 16;
  Shape int_max{2147483647, 2147483647, 2147483647};
  for (const Case& c : {Case{"negative dim", negative, "negative"},
                        Case{"rank 9", too_big_rank, "rank 9 is out of range"},
                        Case{"rank -2", negative_rank, "rank -2 is out of range"},
                        Case{"overflowing product", overflow, "overflow"},
                        Case{"INT32_MAX dims", int_max, "overflow"}}) {
    SCOPED_TRACE(c.what);
    Status s = m.interp->ResizeInputTensor(0, c.shape);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
    EXPECT_TRUE(Has(s, c.text)) << s.ToString();
    EXPECT_TRUE(Has(s, "'a'")) << s.ToString();
  }
  // Index out of range.
  Status s = m.interp->ResizeInputTensor(2, Shape{1, 4});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  s = m.interp->ResizeInputTensor(-1, Shape{1, 4});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  // Strict: rank 0 against a rank-2 signature, and a fixed dimension changed.
  s = m.interp->ResizeInputTensor(0, Shape{}, /*strict=*/true);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_TRUE(Has(s, "rank 0")) << s.ToString();
  s = m.interp->ResizeInputTensor(0, Shape{3, 5}, /*strict=*/true);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  // None of these changed anything: still allocated, still runs.
  EXPECT_TRUE(m.interp->tensors_allocated());
  EXPECT_TRUE(m.interp->Invoke().ok());
  // A shape that resizes fine but that the op cannot broadcast: allocate
  // fails, and everything after it is refused until a good allocate.
  ASSERT_TRUE(m.interp->ResizeInputTensor(0, Shape{3, 4}).ok());
  ASSERT_TRUE(m.interp->ResizeInputTensor(1, Shape{2, 4}).ok());
  s = m.interp->AllocateTensors();
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(Has(s, "ADD")) << s.ToString();
  EXPECT_FALSE(m.interp->tensors_allocated());
  EXPECT_EQ(m.interp->Invoke().code(), StatusCode::kFailedPrecondition);
  const float v[12] = {};
  EXPECT_EQ(m.interp->CopyToInput(0, v, sizeof(v)).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(m.interp->ResizeInputTensor(1, Shape{3, 4}).ok());
  ASSERT_TRUE(m.interp->AllocateTensors().ok());
  EXPECT_TRUE(m.interp->CopyToInput(0, v, sizeof(v)).ok());
  EXPECT_TRUE(m.interp->Invoke().ok());
}

TEST(ResourceLimits, TensorCapAtAllocate) {
  // y = a + b with y [64, 64] float (16384 bytes) by broadcasting [64,1] and
  // [1,64]: the intermediate, not an input, breaks a 10000-byte cap.
  ModelBuilder b;
  const int a = b.AddTensor(DataType::kFloat32, {64, 1}, "a");
  const int x = b.AddTensor(DataType::kFloat32, {1, 64}, "b");
  const int y = b.AddTensor(DataType::kFloat32, {64, 64}, "big_sum");
  b.AddOperator(fb::BuiltinOperator::ADD, {a, x}, {y}, MakeOptions(fb::AddOptionsT{}));
  b.SetInputs({a, x});
  b.SetOutputs({y});
  InterpreterOptions o;
  o.max_tensor_bytes = 10000;
  Loaded m;
  ASSERT_TRUE(m.Make(b, o).ok());
  Status s = m.interp->AllocateTensors();
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted) << s.ToString();
  EXPECT_TRUE(Has(s, "'big_sum'")) << s.ToString();
  EXPECT_TRUE(Has(s, "needs 16384 bytes")) << s.ToString();
  EXPECT_TRUE(Has(s, "limit of 10000")) << s.ToString();
  EXPECT_EQ(m.interp->Invoke().code(), StatusCode::kFailedPrecondition);
  // Exactly at the cap is allowed.
  o.max_tensor_bytes = 16384;
  Loaded ok;
  ASSERT_TRUE(ok.Make(b, o).ok());
  EXPECT_TRUE(ok.interp->AllocateTensors().ok());
}

TEST(ResourceLimits, TensorCapOnResize) {
  ModelBuilder b;
  AddModel(&b);
  InterpreterOptions o;
  o.max_tensor_bytes = 64;
  Loaded m;
  ASSERT_TRUE(m.Make(b, o).ok());
  ASSERT_TRUE(m.interp->AllocateTensors().ok());
  Status s = m.interp->ResizeInputTensor(0, Shape{5, 4});  // 80 bytes
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted) << s.ToString();
  EXPECT_TRUE(Has(s, "tensor 'a': shape [5,4] of float32 needs 80 bytes")) << s.ToString();
  EXPECT_TRUE(m.interp->Invoke().ok());  // unchanged
  EXPECT_TRUE(m.interp->ResizeInputTensor(0, Shape{4, 4}).ok());  // 64: at the cap
}

TEST(ResourceLimits, ArenaCapShared) {
  ModelBuilder b;
  AddModel(&b);
  Loaded unlimited;
  ASSERT_TRUE(unlimited.Make(b).ok());
  ASSERT_TRUE(unlimited.interp->AllocateTensors().ok());
  const size_t need = unlimited.interp->arena_bytes();
  ASSERT_GT(need, 0u);
  InterpreterOptions o;
  o.max_arena_bytes = need - 1;
  Loaded m;
  ASSERT_TRUE(m.Make(b, o).ok());
  Status s = m.interp->AllocateTensors();
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted) << s.ToString();
  EXPECT_TRUE(Has(s, "1 more than the limit")) << s.ToString();
  o.max_arena_bytes = need;
  Loaded at;
  ASSERT_TRUE(at.Make(b, o).ok());
  EXPECT_TRUE(at.interp->AllocateTensors().ok());
}

// main: y = IF(cond, x) with both branches subgraph 1;
// subgraph 1: t = x + zeros[512, 2] (4096 bytes), y = SUM(t, axis 0).
void BigBranchModel(ModelBuilder* b) {
  const int cond = b->AddTensor(DataType::kBool, {1}, "cond");
  const int x = b->AddTensor(DataType::kFloat32, {2}, "x");
  const int y = b->AddTensor(DataType::kFloat32, {2}, "y");
  fb::IfOptionsT io;
  io.then_subgraph_index = 1;
  io.else_subgraph_index = 1;
  b->AddOperator(fb::BuiltinOperator::IF, {cond, x}, {y}, MakeOptions(io));
  b->SetInputs({cond, x});
  b->SetOutputs({y});
  b->AddSubgraph("branch");
  const int bx = b->AddTensor(DataType::kFloat32, {2}, "bx");
  const int zeros = b->AddConstTensor<float>(DataType::kFloat32, {512, 2},
                                             std::vector<float>(1024, 0.0f), "zeros");
  const int t = b->AddTensor(DataType::kFloat32, {512, 2}, "t");
  const int axis = b->AddConstTensor<int32_t>(DataType::kInt32, {1}, {0}, "axis");
  const int by = b->AddTensor(DataType::kFloat32, {2}, "by");
  b->AddOperator(fb::BuiltinOperator::ADD, {bx, zeros}, {t}, MakeOptions(fb::AddOptionsT{}));
  b->AddOperator(fb::BuiltinOperator::SUM, {t, axis}, {by}, MakeOptions(fb::ReducerOptionsT{}));
  b->SetInputs({bx});
  b->SetOutputs({by});
}

TEST(ResourceLimits, ArenaCapCoversCalleeArenas) {
  ModelBuilder b;
  BigBranchModel(&b);
  Loaded unlimited;
  ASSERT_TRUE(unlimited.Make(b).ok());
  Status s = unlimited.interp->AllocateTensors();
  ASSERT_TRUE(s.ok()) << s.ToString();
  // The branch's own arena holds t (4096 bytes) and is counted.
  const size_t callee = unlimited.interp->subgraph(1)->own_arena_capacity();
  ASSERT_GE(callee, 4096u);
  const size_t held = unlimited.interp->arena_held_bytes();
  const size_t shared = held - callee;
  ASSERT_LT(shared, 4000u);
  // Sanity of the model: 3 * 0 added and summed over 512 rows.
  const bool c = true;
  const float xv[2] = {1.5f, -2.0f};
  ASSERT_TRUE(unlimited.interp->CopyToInput(0, &c, 1).ok());
  ASSERT_TRUE(unlimited.interp->CopyToInput(1, xv, 8).ok());
  ASSERT_TRUE(unlimited.interp->Invoke().ok());
  float out[2];
  ASSERT_TRUE(unlimited.interp->CopyFromOutput(0, out, 8).ok());
  EXPECT_EQ(out[0], 512 * 1.5f);
  EXPECT_EQ(out[1], 512 * -2.0f);

  // A cap above the shared arena alone but below shared + callee: refused
  // (before the fix only the shared arena was compared with the cap).
  InterpreterOptions o;
  o.max_arena_bytes = 4000;
  Loaded m;
  ASSERT_TRUE(m.Make(b, o).ok());
  s = m.interp->AllocateTensors();
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted) << s.ToString();
  EXPECT_TRUE(Has(s, "max_arena_bytes")) << s.ToString();
  EXPECT_EQ(m.interp->Invoke().code(), StatusCode::kFailedPrecondition);
  // The exact total fits.
  o.max_arena_bytes = held;
  Loaded at;
  ASSERT_TRUE(at.Make(b, o).ok());
  s = at.interp->AllocateTensors();
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_LE(at.interp->arena_held_bytes(), held);
}

}  // namespace
}  // namespace edgelite
