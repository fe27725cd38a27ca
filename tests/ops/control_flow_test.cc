// WHILE, IF, CALL_ONCE, STABLEHLO_COMPOSITE and the resource variable ops
// (VAR_HANDLE, ASSIGN_VARIABLE, READ_VARIABLE): multi-subgraph models built
// in code. Bodies use ADD / MUL / LESS.
#include <cmath>

#include "src/runtime/subgraph.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

// Holds everything an interpreter built from a ModelBuilder needs.
struct Built {
  std::vector<uint8_t> bytes;
  std::unique_ptr<Model> model;
  BuiltinOpResolver resolver;
  std::unique_ptr<Interpreter> interp;

  // Serializes, loads, creates; returns the first error (AllocateTensors too).
  Status Make(ModelBuilder& b) {
    bytes = b.Finish();
    auto m = Model::FromBuffer(bytes.data(), bytes.size());
    if (!m.ok()) return m.status();
    model = std::move(m.value());
    auto i = Interpreter::Create(*model, resolver);
    if (!i.ok()) return i.status();
    interp = std::move(i.value());
    return interp->AllocateTensors();
  }
  void SetFloats(int input, const std::vector<float>& v) {
    Tensor* t = interp->input(input);
    ASSERT_EQ(t->bytes, v.size() * sizeof(float));
    memcpy(t->data, v.data(), t->bytes);
  }
  std::vector<float> OutFloats(int output) {
    const Tensor* t = interp->output(output);
    return std::vector<float>(t->data_as<float>(), t->data_as<float>() + t->num_elements());
  }
  std::vector<int32_t> OutShape(int output) {
    const Tensor* t = interp->output(output);
    return std::vector<int32_t>(t->shape.dims, t->shape.dims + t->shape.rank);
  }
};

fb::BuiltinOptionsUnion WhileOpts(int cond, int body) {
  fb::WhileOptionsT o;
  o.cond_subgraph_index = cond;
  o.body_subgraph_index = body;
  return MakeOptions(o);
}

// cond(c, x) = c < limit   (subgraph built at the builder's current index)
void AddLessCond(ModelBuilder& b, const std::vector<int32_t>& x_shape, float limit) {
  int c = b.AddTensor(DataType::kFloat32, {}, "c");
  int x = b.AddTensor(DataType::kFloat32, x_shape, "x");
  int l = b.AddConstTensor<float>(DataType::kFloat32, {}, {limit}, "limit");
  int r = b.AddTensor(DataType::kBool, {}, "less");
  b.AddOperator(fb::BuiltinOperator::LESS, {c, l}, {r});
  b.SetInputs({c, x});
  b.SetOutputs({r});
}

TEST(While, CountsAndDoubles) {
  // vars (c, x): while c < 5: c += 1, x *= 2. From c = 0 the body runs 5
  // times: c = 5, x = x0 * 32.
  ModelBuilder b;
  int c0 = b.AddTensor(DataType::kFloat32, {}, "c0");
  int x0 = b.AddTensor(DataType::kFloat32, {2}, "x0");
  int c1 = b.AddTensor(DataType::kFloat32, {}, "c1");
  int x1 = b.AddTensor(DataType::kFloat32, {2}, "x1");
  b.AddOperator(fb::BuiltinOperator::WHILE, {c0, x0}, {c1, x1}, WhileOpts(1, 2));
  b.SetInputs({c0, x0});
  b.SetOutputs({c1, x1});
  b.AddSubgraph("cond");
  AddLessCond(b, {2}, 5.0f);
  b.AddSubgraph("body");
  {
    int c = b.AddTensor(DataType::kFloat32, {}, "c");
    int x = b.AddTensor(DataType::kFloat32, {2}, "x");
    int one = b.AddConstTensor<float>(DataType::kFloat32, {}, {1.0f}, "one");
    int two = b.AddConstTensor<float>(DataType::kFloat32, {}, {2.0f}, "two");
    int c2 = b.AddTensor(DataType::kFloat32, {}, "c2");
    int x2 = b.AddTensor(DataType::kFloat32, {2}, "x2");
    b.AddOperator(fb::BuiltinOperator::ADD, {c, one}, {c2}, MakeOptions(fb::AddOptionsT{}));
    b.AddOperator(fb::BuiltinOperator::MUL, {x, two}, {x2}, MakeOptions(fb::MulOptionsT{}));
    b.SetInputs({c, x});
    b.SetOutputs({c2, x2});
  }
  Built m;
  Status s = m.Make(b);
  ASSERT_TRUE(s.ok()) << s.ToString();
  m.SetFloats(0, {0.0f});
  m.SetFloats(1, {1.5f, -0.25f});
  s = m.interp->Invoke();
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(m.OutFloats(0), (std::vector<float>{5.0f}));
  EXPECT_EQ(m.OutFloats(1), (std::vector<float>{48.0f, -8.0f}));
  // Zero iterations: c = 7 is not < 5, outputs = inputs.
  m.SetFloats(0, {7.0f});
  ASSERT_TRUE(m.interp->Invoke().ok());
  EXPECT_EQ(m.OutFloats(0), (std::vector<float>{7.0f}));
  EXPECT_EQ(m.OutFloats(1), (std::vector<float>{1.5f, -0.25f}));
  // Called subgraphs report their own arenas in the total.
  EXPECT_GT(m.interp->arena_bytes(), 0u);
  EXPECT_TRUE(m.interp->subgraph(2)->is_callee());
}

TEST(While, BodyChangesShape) {
  // x starts [2]; body: x = x + a with a constant a of shape [3,1], which
  // broadcasts x to [3,2] on the first iteration and keeps [3,2] after.
  // Two iterations (c < 2): x[i][j] = x0[j] + 2 * a[i].
  ModelBuilder b;
  int c0 = b.AddTensor(DataType::kFloat32, {}, "c0");
  int x0 = b.AddTensor(DataType::kFloat32, {2}, "x0");
  int c1 = b.AddTensor(DataType::kFloat32, {}, "c1");
  int x1 = b.AddTensor(DataType::kFloat32, {2}, "x1");
  b.AddOperator(fb::BuiltinOperator::WHILE, {c0, x0}, {c1, x1}, WhileOpts(1, 2));
  b.SetInputs({c0, x0});
  b.SetOutputs({c1, x1});
  b.AddSubgraph("cond");
  AddLessCond(b, {2}, 2.0f);
  b.AddSubgraph("body");
  {
    int c = b.AddTensor(DataType::kFloat32, {}, "c");
    int x = b.AddTensor(DataType::kFloat32, {2}, "x");
    int one = b.AddConstTensor<float>(DataType::kFloat32, {}, {1.0f}, "one");
    int a = b.AddConstTensor<float>(DataType::kFloat32, {3, 1}, {10.0f, 20.0f, 30.0f}, "a");
    int c2 = b.AddTensor(DataType::kFloat32, {}, "c2");
    int x2 = b.AddTensor(DataType::kFloat32, {3, 2}, "x2");
    b.AddOperator(fb::BuiltinOperator::ADD, {c, one}, {c2}, MakeOptions(fb::AddOptionsT{}));
    b.AddOperator(fb::BuiltinOperator::ADD, {x, a}, {x2}, MakeOptions(fb::AddOptionsT{}));
    b.SetInputs({c, x});
    b.SetOutputs({c2, x2});
  }
  Built m;
  Status s = m.Make(b);
  ASSERT_TRUE(s.ok()) << s.ToString();
  for (int run = 0; run < 2; ++run) {  // the second run re-prepares back to [2]
    m.SetFloats(0, {0.0f});
    m.SetFloats(1, {1.0f, 2.0f});
    s = m.interp->Invoke();
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(m.OutShape(1), (std::vector<int32_t>{3, 2}));
    EXPECT_EQ(m.OutFloats(1), (std::vector<float>{21, 22, 41, 42, 61, 62}));
    EXPECT_EQ(m.OutFloats(0), (std::vector<float>{2.0f}));
  }
}

fb::BuiltinOptionsUnion IfOpts(int then_sg, int else_sg) {
  fb::IfOptionsT o;
  o.then_subgraph_index = then_sg;
  o.else_subgraph_index = else_sg;
  return MakeOptions(o);
}

// A subgraph computing op(x, x) for a [3] float x.
void AddSelfBinary(ModelBuilder& b, fb::BuiltinOperator op) {
  int x = b.AddTensor(DataType::kFloat32, {3}, "x");
  int y = b.AddTensor(DataType::kFloat32, {3}, "y");
  if (op == fb::BuiltinOperator::ADD)
    b.AddOperator(op, {x, x}, {y}, MakeOptions(fb::AddOptionsT{}));
  else
    b.AddOperator(op, {x, x}, {y}, MakeOptions(fb::MulOptionsT{}));
  b.SetInputs({x});
  b.SetOutputs({y});
}

TEST(If, PicksBranch) {
  // then: x + x, else: x * x.
  ModelBuilder b;
  int cond = b.AddTensor(DataType::kBool, {1}, "cond");
  int x = b.AddTensor(DataType::kFloat32, {3}, "x");
  int y = b.AddTensor(DataType::kFloat32, {3}, "y");
  b.AddOperator(fb::BuiltinOperator::IF, {cond, x}, {y}, IfOpts(1, 2));
  b.SetInputs({cond, x});
  b.SetOutputs({y});
  b.AddSubgraph("then");
  AddSelfBinary(b, fb::BuiltinOperator::ADD);
  b.AddSubgraph("else");
  AddSelfBinary(b, fb::BuiltinOperator::MUL);
  Built m;
  Status s = m.Make(b);
  ASSERT_TRUE(s.ok()) << s.ToString();
  m.SetFloats(1, {1.0f, -2.0f, 3.0f});
  *m.interp->input(0)->data_as<bool>() = true;
  ASSERT_TRUE(m.interp->Invoke().ok());
  EXPECT_EQ(m.OutFloats(0), (std::vector<float>{2.0f, -4.0f, 6.0f}));
  *m.interp->input(0)->data_as<bool>() = false;
  ASSERT_TRUE(m.interp->Invoke().ok());
  EXPECT_EQ(m.OutFloats(0), (std::vector<float>{1.0f, 4.0f, 9.0f}));
}

TEST(If, ResizedInputReachesBranches) {
  ModelBuilder b;
  int cond = b.AddTensor(DataType::kBool, {1}, "cond");
  int x = b.AddTensor(DataType::kFloat32, {3}, "x");
  int y = b.AddTensor(DataType::kFloat32, {3}, "y");
  b.AddOperator(fb::BuiltinOperator::IF, {cond, x}, {y}, IfOpts(1, 2));
  b.SetInputs({cond, x});
  b.SetOutputs({y});
  b.AddSubgraph("then");
  AddSelfBinary(b, fb::BuiltinOperator::ADD);
  b.AddSubgraph("else");
  AddSelfBinary(b, fb::BuiltinOperator::MUL);
  Built m;
  ASSERT_TRUE(m.Make(b).ok());
  ASSERT_TRUE(m.interp->ResizeInputTensor(1, Shape{2, 2}).ok());
  Status s = m.interp->AllocateTensors();
  ASSERT_TRUE(s.ok()) << s.ToString();
  m.SetFloats(1, {1, 2, 3, 4});
  *m.interp->input(0)->data_as<bool>() = false;
  ASSERT_TRUE(m.interp->Invoke().ok());
  EXPECT_EQ(m.OutShape(0), (std::vector<int32_t>{2, 2}));
  EXPECT_EQ(m.OutFloats(0), (std::vector<float>{1, 4, 9, 16}));
}

TEST(StablehloComposite, RunsDecomposition) {
  // decomposition(a, b) = a * b + a
  ModelBuilder b;
  int a = b.AddTensor(DataType::kFloat32, {2}, "a");
  int c = b.AddConstTensor<float>(DataType::kFloat32, {2}, {3.0f, -1.0f}, "c");
  int y = b.AddTensor(DataType::kFloat32, {2}, "y");
  b.AddOperator(fb::BuiltinOperator::STABLEHLO_COMPOSITE, {a, c}, {y});
  {
    fb::StableHLOCompositeOptionsT o;
    o.name = "test.mul_add";
    o.decomposition_subgraph_index = 1;
    b.model().subgraphs[0]->operators[0]->builtin_options_2.Set(std::move(o));
  }
  b.SetInputs({a});
  b.SetOutputs({y});
  b.AddSubgraph("decomposition");
  {
    int p = b.AddTensor(DataType::kFloat32, {2}, "p");
    int q = b.AddTensor(DataType::kFloat32, {2}, "q");
    int pq = b.AddTensor(DataType::kFloat32, {2}, "pq");
    int r = b.AddTensor(DataType::kFloat32, {2}, "r");
    b.AddOperator(fb::BuiltinOperator::MUL, {p, q}, {pq}, MakeOptions(fb::MulOptionsT{}));
    b.AddOperator(fb::BuiltinOperator::ADD, {pq, p}, {r}, MakeOptions(fb::AddOptionsT{}));
    b.SetInputs({p, q});
    b.SetOutputs({r});
  }
  Built m;
  Status s = m.Make(b);
  ASSERT_TRUE(s.ok()) << s.ToString();
  m.SetFloats(0, {2.0f, 5.0f});
  ASSERT_TRUE(m.interp->Invoke().ok());
  // [2*3 + 2, 5*-1 + 5]
  EXPECT_EQ(m.OutFloats(0), (std::vector<float>{8.0f, 0.0f}));
}

TEST(ControlFlowErrors, InvalidSubgraphIndex) {
  for (int bad : {7, -1, 0}) {
    SCOPED_TRACE("body index " + std::to_string(bad));
    ModelBuilder b;
    int c0 = b.AddTensor(DataType::kFloat32, {}, "c0");
    int x0 = b.AddTensor(DataType::kFloat32, {2}, "x0");
    int c1 = b.AddTensor(DataType::kFloat32, {}, "c1");
    int x1 = b.AddTensor(DataType::kFloat32, {2}, "x1");
    b.AddOperator(fb::BuiltinOperator::WHILE, {c0, x0}, {c1, x1}, WhileOpts(1, bad));
    b.SetInputs({c0, x0});
    b.SetOutputs({c1, x1});
    b.AddSubgraph("cond");
    AddLessCond(b, {2}, 5.0f);
    Built m;
    Status s = m.Make(b);
    EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();
    EXPECT_NE(s.message().find("WHILE"), std::string::npos) << s.message();
  }
}

TEST(ControlFlowErrors, RecursionIsAnError) {
  // main: IF -> subgraph 1; subgraph 1: IF -> subgraph 2; subgraph 2: IF -> 1.
  // Every subgraph takes (cond, x) and passes both on to its branches.
  ModelBuilder b;
  auto add_if = [&b](int target) {
    int cond = b.AddTensor(DataType::kBool, {1}, "cond");
    int x = b.AddTensor(DataType::kFloat32, {3}, "x");
    int y = b.AddTensor(DataType::kFloat32, {3}, "y");
    b.AddOperator(fb::BuiltinOperator::IF, {cond, cond, x}, {y}, IfOpts(target, target));
    b.SetInputs({cond, x});
    b.SetOutputs({y});
  };
  add_if(1);
  b.AddSubgraph("a");
  add_if(2);
  b.AddSubgraph("b");
  add_if(1);
  Built m;
  Status s = m.Make(b);
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();
  EXPECT_NE(s.message().find("recursi"), std::string::npos) << s.message();

  // A subgraph naming itself.
  ModelBuilder b2;
  for (int sg = 0; sg < 2; ++sg) {
    if (sg == 1) b2.AddSubgraph("self");
    int cond = b2.AddTensor(DataType::kBool, {1}, "cond");
    int x = b2.AddTensor(DataType::kFloat32, {3}, "x");
    int y = b2.AddTensor(DataType::kFloat32, {3}, "y");
    b2.AddOperator(fb::BuiltinOperator::IF, {cond, cond, x}, {y}, IfOpts(1, 1));
    b2.SetInputs({cond, x});
    b2.SetOutputs({y});
  }
  Built m2;
  s = m2.Make(b2);
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();
  EXPECT_NE(s.message().find("own subgraph"), std::string::npos) << s.message();
}

TEST(ControlFlowErrors, ArityAndTypeMismatch) {
  // The body returns one value for two loop variables.
  ModelBuilder b;
  int c0 = b.AddTensor(DataType::kFloat32, {}, "c0");
  int x0 = b.AddTensor(DataType::kFloat32, {2}, "x0");
  int c1 = b.AddTensor(DataType::kFloat32, {}, "c1");
  int x1 = b.AddTensor(DataType::kFloat32, {2}, "x1");
  b.AddOperator(fb::BuiltinOperator::WHILE, {c0, x0}, {c1, x1}, WhileOpts(1, 2));
  b.SetInputs({c0, x0});
  b.SetOutputs({c1, x1});
  b.AddSubgraph("cond");
  AddLessCond(b, {2}, 5.0f);
  b.AddSubgraph("body");
  {
    int c = b.AddTensor(DataType::kFloat32, {}, "c");
    int x = b.AddTensor(DataType::kFloat32, {2}, "x");
    b.SetInputs({c, x});
    b.SetOutputs({c});
  }
  Built m;
  Status s = m.Make(b);
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();

  // IF whose branch takes an int32 where a float is passed.
  ModelBuilder b2;
  int cond = b2.AddTensor(DataType::kBool, {1}, "cond");
  int x = b2.AddTensor(DataType::kFloat32, {3}, "x");
  int y = b2.AddTensor(DataType::kFloat32, {3}, "y");
  b2.AddOperator(fb::BuiltinOperator::IF, {cond, x}, {y}, IfOpts(1, 1));
  b2.SetInputs({cond, x});
  b2.SetOutputs({y});
  b2.AddSubgraph("branch");
  {
    int p = b2.AddTensor(DataType::kInt32, {3}, "p");
    b2.SetInputs({p});
    b2.SetOutputs({p});
  }
  Built m2;
  s = m2.Make(b2);
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();
}

// main: CALL_ONCE(init); h = VAR_HANDLE("v"); r = READ(h); ASSIGN(h, x);
// y = r * x.   init: ASSIGN(VAR_HANDLE("v"), 3).  (The shape of TFLite's
// call_once_mul test model.)
void BuildCallOnceMul(ModelBuilder& b) {
  fb::VarHandleOptionsT vh;
  vh.shared_name = "v";
  int x = b.AddTensor(DataType::kFloat32, {}, "x");
  int h = b.AddTensor(DataType::kResource, {}, "h");
  int r = b.AddTensor(DataType::kFloat32, {}, "r");
  int y = b.AddTensor(DataType::kFloat32, {}, "y");
  fb::CallOnceOptionsT co;
  co.init_subgraph_index = 1;
  b.AddOperator(fb::BuiltinOperator::CALL_ONCE, {}, {}, MakeOptions(co));
  b.AddOperator(fb::BuiltinOperator::VAR_HANDLE, {}, {h}, MakeOptions(vh));
  b.AddOperator(fb::BuiltinOperator::READ_VARIABLE, {h}, {r});
  b.AddOperator(fb::BuiltinOperator::ASSIGN_VARIABLE, {h, x}, {});
  b.AddOperator(fb::BuiltinOperator::MUL, {r, x}, {y}, MakeOptions(fb::MulOptionsT{}));
  b.SetInputs({x});
  b.SetOutputs({y});
  b.AddSubgraph("init");
  int k = b.AddConstTensor<float>(DataType::kFloat32, {}, {3.0f}, "k");
  int h1 = b.AddTensor(DataType::kResource, {}, "h1");
  b.AddOperator(fb::BuiltinOperator::VAR_HANDLE, {}, {h1}, MakeOptions(vh));
  b.AddOperator(fb::BuiltinOperator::ASSIGN_VARIABLE, {h1, k}, {});
  b.SetInputs({});
  b.SetOutputs({});
}

TEST(CallOnceAndResourceVariables, InitRunsOnceAndVariablePersists) {
  ModelBuilder b;
  BuildCallOnceMul(b);
  Built m;
  Status s = m.Make(b);
  ASSERT_TRUE(s.ok()) << s.ToString();
  m.SetFloats(0, {2.0f});
  s = m.interp->Invoke();
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(m.OutFloats(0), (std::vector<float>{6.0f}));  // 3 (init) * 2
  m.SetFloats(0, {5.0f});
  ASSERT_TRUE(m.interp->Invoke().ok());
  EXPECT_EQ(m.OutFloats(0), (std::vector<float>{10.0f}));  // 2 (assigned last time) * 5
  // As in TFLite, ResetVariables leaves resource variables and CALL_ONCE alone.
  ASSERT_TRUE(m.interp->ResetVariables().ok());
  ASSERT_TRUE(m.interp->AllocateTensors().ok());
  m.SetFloats(0, {-1.0f});
  ASSERT_TRUE(m.interp->Invoke().ok());
  EXPECT_EQ(m.OutFloats(0), (std::vector<float>{-5.0f}));  // 5 * -1
}

TEST(CallOnceAndResourceVariables, ReadBeforeAssignFails) {
  ModelBuilder b;
  fb::VarHandleOptionsT vh;
  vh.shared_name = "never_assigned";
  int h = b.AddTensor(DataType::kResource, {}, "h");
  int r = b.AddTensor(DataType::kFloat32, {}, "r");
  b.AddOperator(fb::BuiltinOperator::VAR_HANDLE, {}, {h}, MakeOptions(vh));
  b.AddOperator(fb::BuiltinOperator::READ_VARIABLE, {h}, {r});
  b.SetInputs({});
  b.SetOutputs({r});
  Built m;
  Status s = m.Make(b);
  ASSERT_TRUE(s.ok()) << s.ToString();
  s = m.interp->Invoke();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
}

TEST(CallOnceAndResourceVariables, RejectsInitWithInputsAndBadHandleType) {
  ModelBuilder b;
  fb::CallOnceOptionsT co;
  co.init_subgraph_index = 1;
  int x = b.AddTensor(DataType::kFloat32, {}, "x");
  b.AddOperator(fb::BuiltinOperator::CALL_ONCE, {}, {}, MakeOptions(co));
  b.SetInputs({x});
  b.SetOutputs({x});
  b.AddSubgraph("init");
  int p = b.AddTensor(DataType::kFloat32, {}, "p");
  b.SetInputs({p});
  b.SetOutputs({p});
  Built m;
  Status s = m.Make(b);
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();

  ModelBuilder b2;
  int f = b2.AddTensor(DataType::kFloat32, {}, "f");
  int r = b2.AddTensor(DataType::kFloat32, {}, "r");
  b2.AddOperator(fb::BuiltinOperator::READ_VARIABLE, {f}, {r});
  b2.SetInputs({f});
  b2.SetOutputs({r});
  Built m2;
  s = m2.Make(b2);
  EXPECT_FALSE(s.ok());
}

}  // namespace
}  // namespace edgelite
