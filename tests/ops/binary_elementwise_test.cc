// ADD, SUB, MUL, DIV, SQUARED_DIFFERENCE, MAXIMUM, MINIMUM, FLOOR_DIV,
// FLOOR_MOD, POW, ATAN2: hand-worked cases, randomized broadcasting against a
// float64 / int64 computation written here, and invalid models.
#include <cmath>
#include <functional>
#include <limits>

#include "tests/ops/elementwise_test_util.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::Dims;
using testing::SingleOpModel;
using Act = fb::ActivationFunctionType;
using Op = fb::BuiltinOperator;

// Options carrying a fused activation for the ops that have one.
fb::BuiltinOptionsUnion ActOptions(Op op, Act act) {
  switch (op) {
    case Op::ADD: {
      fb::AddOptionsT o;
      o.fused_activation_function = act;
      return MakeOptions(o);
    }
    case Op::SUB: {
      fb::SubOptionsT o;
      o.fused_activation_function = act;
      return MakeOptions(o);
    }
    case Op::MUL: {
      fb::MulOptionsT o;
      o.fused_activation_function = act;
      return MakeOptions(o);
    }
    case Op::DIV: {
      fb::DivOptionsT o;
      o.fused_activation_function = act;
      return MakeOptions(o);
    }
    default:
      return fb::BuiltinOptionsUnion();
  }
}

// Runs op(a, b) once; returns the output values (and shape through *shape).
template <typename T>
std::vector<T> RunBinary(Op op, DataType type, const Dims& sa, const std::vector<T>& a, const Dims& sb,
                   const std::vector<T>& b, Act act = Act::NONE, Dims* shape = nullptr,
                   StatusCode expect = StatusCode::kOk) {
  SingleOpModel m;
  int x = m.Input(type, sa);
  int y = m.Input(type, sb);
  int z = m.Output(type);
  m.Op(op, {x, y}, {z}, ActOptions(op, act));
  Status s = m.Build();
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return {};
  m.Set<T>(x, a);
  m.Set<T>(y, b);
  s = m.Invoke();
  EXPECT_EQ(s.code(), expect) << s.ToString();
  if (!s.ok()) return {};
  if (shape) *shape = m.Shape(z);
  return m.Get<T>(z);
}

TEST(BinaryElementwise, AddBroadcastRelu) {
  // [[1,-2,3],[-4,5,-6]] + [10,-10,0] = [[11,-12,3],[6,-5,-6]]; relu -> [[11,0,3],[6,0,0]].
  Dims shape;
  auto out = RunBinary<float>(Op::ADD, DataType::kFloat32, {2, 3}, {1, -2, 3, -4, 5, -6}, {3},
                        {10, -10, 0}, Act::RELU, &shape);
  EXPECT_EQ(out, (std::vector<float>{11, 0, 3, 6, 0, 0}));
  EXPECT_EQ(shape, (Dims{2, 3}));
}

TEST(BinaryElementwise, SubInt32Relu6) {
  // [10,3,-1] - [2] = [8,1,-3]; relu6 on int32 clamps to [0,6] -> [6,1,0].
  EXPECT_EQ(RunBinary<int32_t>(Op::SUB, DataType::kInt32, {3}, {10, 3, -1}, {1}, {2}, Act::RELU6),
            (std::vector<int32_t>{6, 1, 0}));
}

TEST(BinaryElementwise, MulInt64OuterProduct) {
  // [[2],[3]] * [[1,-1,4]] = [[2,-2,8],[3,-3,12]]; output shape [2,3].
  Dims shape;
  EXPECT_EQ(RunBinary<int64_t>(Op::MUL, DataType::kInt64, {2, 1}, {2, 3}, {1, 3}, {1, -1, 4}, Act::NONE,
                         &shape),
            (std::vector<int64_t>{2, -2, 8, 3, -3, 12}));
  EXPECT_EQ(shape, (Dims{2, 3}));
}

TEST(BinaryElementwise, MulReluN1To1) {
  // [0.5,3,-2] * [1] = [0.5,3,-2] -> clamp [-1,1] -> [0.5,1,-1].
  EXPECT_EQ(RunBinary<float>(Op::MUL, DataType::kFloat32, {3}, {0.5f, 3, -2}, {}, {1}, Act::RELU_N1_TO_1),
            (std::vector<float>{0.5f, 1, -1}));
}

TEST(BinaryElementwise, DivFloatAndInt) {
  // float: 7/2 = 3.5, -7/2 = -3.5, 1/0 = +inf (IEEE).
  auto f = RunBinary<float>(Op::DIV, DataType::kFloat32, {3}, {7, -7, 1}, {3}, {2, 2, 0});
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0], 3.5f);
  EXPECT_EQ(f[1], -3.5f);
  EXPECT_TRUE(std::isinf(f[2]) && f[2] > 0);
  // int32 truncates toward zero: 7/2=3, -7/2=-3, 7/-2=-3, -7/-2=3.
  EXPECT_EQ(RunBinary<int32_t>(Op::DIV, DataType::kInt32, {4}, {7, -7, 7, -7}, {4}, {2, 2, -2, -2}),
            (std::vector<int32_t>{3, -3, -3, 3}));
  // INT_MIN / -1 overflows: defined here as wrapping to INT_MIN (no trap).
  const int32_t kMin = std::numeric_limits<int32_t>::min();
  EXPECT_EQ(RunBinary<int32_t>(Op::DIV, DataType::kInt32, {1}, {kMin}, {1}, {-1}),
            (std::vector<int32_t>{kMin}));
}

TEST(BinaryElementwise, IntDivisionByZeroIsRuntimeError) {
  RunBinary<int32_t>(Op::DIV, DataType::kInt32, {2}, {1, 2}, {2}, {1, 0}, Act::NONE, nullptr,
               StatusCode::kRuntimeError);
  RunBinary<int32_t>(Op::FLOOR_DIV, DataType::kInt32, {2}, {1, 2}, {1}, {0}, Act::NONE, nullptr,
               StatusCode::kRuntimeError);
  RunBinary<int64_t>(Op::FLOOR_MOD, DataType::kInt64, {2}, {1, 2}, {1}, {0}, Act::NONE, nullptr,
               StatusCode::kRuntimeError);
}

TEST(BinaryElementwise, FloorDivAndMod) {
  // floor(7/2)=3, floor(-7/2)=-4, floor(7/-2)=-4, floor(-7/-2)=3.
  EXPECT_EQ(RunBinary<int32_t>(Op::FLOOR_DIV, DataType::kInt32, {4}, {7, -7, 7, -7}, {4}, {2, 2, -2, -2}),
            (std::vector<int32_t>{3, -4, -4, 3}));
  EXPECT_EQ(RunBinary<float>(Op::FLOOR_DIV, DataType::kFloat32, {2}, {7.5f, -7.5f}, {1}, {2}),
            (std::vector<float>{3, -4}));
  // The remainder takes the divisor's sign: 7 = 2*3+1, -7 = -3*3+2, 7 = -3*-3-2, -7 = 2*-3-1.
  EXPECT_EQ(RunBinary<int32_t>(Op::FLOOR_MOD, DataType::kInt32, {4}, {7, -7, 7, -7}, {4}, {3, 3, -3, -3}),
            (std::vector<int32_t>{1, 2, -2, -1}));
  // fmod(5.5, -2) = 1.5, signs differ -> 1.5 + -2 = -0.5; fmod(-5.5, -2) = -1.5.
  EXPECT_EQ(RunBinary<float>(Op::FLOOR_MOD, DataType::kFloat32, {2}, {5.5f, -5.5f}, {1}, {-2}),
            (std::vector<float>{-0.5f, -1.5f}));
  // int8 (not quantized) works; INT8_MIN mod -1 = 0 without trapping.
  EXPECT_EQ(RunBinary<int8_t>(Op::FLOOR_MOD, DataType::kInt8, {2}, {-128, 9}, {1}, {-1}),
            (std::vector<int8_t>{0, 0}));
}

TEST(BinaryElementwise, PowSquaredDifferenceMaxMinAtan2) {
  // 2^10 = 1024, 3^0 = 1, (-2)^3 = -8.
  EXPECT_EQ(RunBinary<int32_t>(Op::POW, DataType::kInt32, {3}, {2, 3, -2}, {3}, {10, 0, 3}),
            (std::vector<int32_t>{1024, 1, -8}));
  EXPECT_EQ(RunBinary<float>(Op::POW, DataType::kFloat32, {2}, {4, 9}, {1}, {0.5f}),
            (std::vector<float>{2, 3}));
  RunBinary<int32_t>(Op::POW, DataType::kInt32, {1}, {2}, {1}, {-1}, Act::NONE, nullptr,
               StatusCode::kRuntimeError);
  // (1-4)^2 = 9, (5-4)^2 = 1.
  EXPECT_EQ(RunBinary<int32_t>(Op::SQUARED_DIFFERENCE, DataType::kInt32, {2}, {1, 5}, {1}, {4}),
            (std::vector<int32_t>{9, 1}));
  EXPECT_EQ(RunBinary<float>(Op::MAXIMUM, DataType::kFloat32, {3}, {-1, 2, 5}, {1}, {1}),
            (std::vector<float>{1, 2, 5}));
  EXPECT_EQ(RunBinary<int64_t>(Op::MINIMUM, DataType::kInt64, {3}, {-1, 2, 5}, {1}, {1}),
            (std::vector<int64_t>{-1, 1, 1}));
  // atan2(1,1) = pi/4, atan2(1,-1) = 3pi/4, atan2(-1,0) = -pi/2, atan2(0,-1) = pi.
  auto a = RunBinary<float>(Op::ATAN2, DataType::kFloat32, {4}, {1, 1, -1, 0}, {4}, {1, -1, 0, -1});
  const double kPi = 3.14159265358979323846;
  const double want[] = {kPi / 4, 3 * kPi / 4, -kPi / 2, kPi};
  ASSERT_EQ(a.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(a[i], want[i], 1e-6) << i;
}

TEST(BinaryElementwise, MaximumOnQuantizedInt8UsesRawValues) {
  // MAXIMUM/MINIMUM only pick values: quantized int8 works on the stored bytes.
  QuantSpec q{{0.5f}, {-3}, 0};
  for (Op op : {Op::MAXIMUM, Op::MINIMUM}) {
    SingleOpModel m;
    int x = m.Input(DataType::kInt8, {3}, &q);
    int y = m.Input(DataType::kInt8, {1}, &q);
    int z = m.Output(DataType::kInt8, {}, &q);
    m.Op(op, {x, y}, {z});
    ASSERT_TRUE(m.Build().ok());
    m.Set<int8_t>(x, {-5, 3, 0});
    m.Set<int8_t>(y, {0});
    ASSERT_TRUE(m.Invoke().ok());
    EXPECT_EQ(m.Get<int8_t>(z), op == Op::MAXIMUM ? (std::vector<int8_t>{0, 3, 0})
                                                  : (std::vector<int8_t>{-5, 0, 0}));
  }
}

// Float ops and their float64 definitions; `tol` is the relative bound vs the
// float64 result (computed from the same float32 inputs). +,-,*,/ and max/min
// are correctly rounded in float32 (<= 2^-24 relative); libm's pow/atan2 are
// within a few ulp.
struct FloatCase {
  Op op;
  double (*f)(double, double);
  double tol;
  bool has_act;
  bool positive_a;  // POW: keep the base positive so the result is real
};

const FloatCase kFloatCases[] = {
    {Op::ADD, [](double a, double b) { return a + b; }, 1e-6, true, false},
    {Op::SUB, [](double a, double b) { return a - b; }, 1e-6, true, false},
    {Op::MUL, [](double a, double b) { return a * b; }, 1e-6, true, false},
    {Op::DIV, [](double a, double b) { return a / b; }, 1e-6, true, false},
    {Op::SQUARED_DIFFERENCE, [](double a, double b) { return (a - b) * (a - b); }, 1e-6, false,
     false},
    {Op::MAXIMUM, [](double a, double b) { return a > b ? a : b; }, 0, false, false},
    {Op::MINIMUM, [](double a, double b) { return a < b ? a : b; }, 0, false, false},
    {Op::POW, [](double a, double b) { return std::pow(a, b); }, 1e-5, false, true},
    {Op::ATAN2, [](double a, double b) { return std::atan2(a, b); }, 1e-5, false, false},
};

double ApplyAct(Act act, double v) {
  switch (act) {
    case Act::RELU: return std::max(v, 0.0);
    case Act::RELU6: return std::min(std::max(v, 0.0), 6.0);
    case Act::RELU_N1_TO_1: return std::min(std::max(v, -1.0), 1.0);
    default: return v;
  }
}

TEST(BinaryElementwise, RandomFloatBroadcastAgainstFloat64) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  const Act acts[] = {Act::NONE, Act::RELU, Act::RELU6, Act::RELU_N1_TO_1};
  for (const FloatCase& c : kFloatCases) {
    for (int trial = 0; trial < 12; ++trial) {
      auto shapes = testing::RandomBroadcastShapes(rng, 2);
      const Dims out_dims = testing::BroadcastDims(shapes[0], shapes[1]);
      SCOPED_TRACE(std::string(fb::EnumNameBuiltinOperator(c.op)) + " " +
                   testing::DimsString(shapes[0]) + " x " + testing::DimsString(shapes[1]));
      auto a = testing::RandomFloats(rng, testing::NumElements(shapes[0]), c.positive_a ? 0.1f : -8,
                                     8);
      auto b = testing::RandomFloats(rng, testing::NumElements(shapes[1]), -8, 8);
      // Keep divisors away from 0 (DIV): magnitude >= 0.5.
      for (float& v : b)
        if (std::fabs(v) < 0.5f) v = v < 0 ? -0.5f - v : 0.5f + v;
      const Act act = c.has_act ? acts[rng() % 4] : Act::NONE;
      Dims shape;
      auto got = RunBinary<float>(c.op, DataType::kFloat32, shapes[0], a, shapes[1], b, act, &shape);
      ASSERT_EQ(shape, out_dims);
      ASSERT_EQ(static_cast<int64_t>(got.size()), testing::NumElements(out_dims));
      for (size_t i = 0; i < got.size(); ++i) {
        const double va = a[testing::SourceIndex(out_dims, shapes[0], i)];
        const double vb = b[testing::SourceIndex(out_dims, shapes[1], i)];
        const double want = ApplyAct(act, c.f(va, vb));
        ASSERT_NEAR(got[i], want, c.tol * std::max(1.0, std::fabs(want)))
            << "element " << i << " a=" << va << " b=" << vb;
      }
    }
  }
}

// Integer ops are exact: compared with int64 arithmetic on small operands.
struct IntCase {
  Op op;
  int64_t (*f)(int64_t, int64_t);
  bool nonzero_b;
};

int64_t FloorDiv64(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (q * b != a && ((a < 0) != (b < 0))) ? q - 1 : q;
}

const IntCase kIntCases[] = {
    {Op::ADD, [](int64_t a, int64_t b) { return a + b; }, false},
    {Op::SUB, [](int64_t a, int64_t b) { return a - b; }, false},
    {Op::MUL, [](int64_t a, int64_t b) { return a * b; }, false},
    {Op::DIV, [](int64_t a, int64_t b) { return a / b; }, true},
    {Op::SQUARED_DIFFERENCE, [](int64_t a, int64_t b) { return (a - b) * (a - b); }, false},
    {Op::MAXIMUM, [](int64_t a, int64_t b) { return std::max(a, b); }, false},
    {Op::MINIMUM, [](int64_t a, int64_t b) { return std::min(a, b); }, false},
    {Op::FLOOR_DIV, FloorDiv64, true},
    {Op::FLOOR_MOD, [](int64_t a, int64_t b) { return a - FloorDiv64(a, b) * b; }, true},
};

TEST(BinaryElementwise, RandomInt32BroadcastExact) {
  std::mt19937 rng(testing::TestSeed() + 1);
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed() + 1));
  for (const IntCase& c : kIntCases) {
    for (int trial = 0; trial < 8; ++trial) {
      auto shapes = testing::RandomBroadcastShapes(rng, 2);
      const Dims out_dims = testing::BroadcastDims(shapes[0], shapes[1]);
      SCOPED_TRACE(std::string(fb::EnumNameBuiltinOperator(c.op)) + " " +
                   testing::DimsString(shapes[0]) + " x " + testing::DimsString(shapes[1]));
      std::vector<int32_t> a(testing::NumElements(shapes[0])), b(testing::NumElements(shapes[1]));
      for (auto& v : a) v = static_cast<int32_t>(rng() % 2001) - 1000;
      for (auto& v : b) {
        v = static_cast<int32_t>(rng() % 201) - 100;
        if (c.nonzero_b && v == 0) v = 7;
      }
      Dims shape;
      auto got = RunBinary<int32_t>(c.op, DataType::kInt32, shapes[0], a, shapes[1], b, Act::NONE, &shape);
      ASSERT_EQ(shape, out_dims);
      for (size_t i = 0; i < got.size(); ++i) {
        const int64_t va = a[testing::SourceIndex(out_dims, shapes[0], i)];
        const int64_t vb = b[testing::SourceIndex(out_dims, shapes[1], i)];
        ASSERT_EQ(got[i], c.f(va, vb)) << "element " << i << " a=" << va << " b=" << vb;
      }
    }
  }
}

Status BuildOnly(Op op, DataType ta, const Dims& sa, DataType tb, const Dims& sb, DataType tout,
                 const QuantSpec* q = nullptr, Act act = Act::NONE) {
  SingleOpModel m;
  int x = m.Input(ta, sa, q);
  int y = m.Input(tb, sb, q);
  int z = m.Output(tout, {}, q);
  m.Op(op, {x, y}, {z}, ActOptions(op, act));
  return m.Build();
}

TEST(BinaryElementwise, RejectsInvalidModels) {
  // Shapes that do not broadcast: [2,3] vs [4].
  Status s = BuildOnly(Op::ADD, DataType::kFloat32, {2, 3}, DataType::kFloat32, {4},
                       DataType::kFloat32);
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();
  EXPECT_NE(s.message().find("ADD"), std::string::npos) << s.message();
  // Mixed input types.
  s = BuildOnly(Op::MUL, DataType::kFloat32, {2}, DataType::kInt32, {2}, DataType::kFloat32);
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();
  // Output type differs from the inputs'.
  s = BuildOnly(Op::SUB, DataType::kInt32, {2}, DataType::kInt32, {2}, DataType::kFloat32);
  EXPECT_NE(s.code(), StatusCode::kOk);
  // Quantized int8 DIV is not implemented (quantized ADD/SUB/MUL are:
  // tests/ops/quantized_binary_test.cc).
  QuantSpec q{{0.1f}, {0}, 0};
  s = BuildOnly(Op::DIV, DataType::kInt8, {2}, DataType::kInt8, {2}, DataType::kInt8, &q);
  EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.ToString();
  // A fused activation the op cannot apply.
  s = BuildOnly(Op::ADD, DataType::kFloat32, {2}, DataType::kFloat32, {2}, DataType::kFloat32,
                nullptr, Act::TANH);
  EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.ToString();
  // Types an op does not take: DIV on int64, ATAN2 on int32.
  s = BuildOnly(Op::DIV, DataType::kInt64, {2}, DataType::kInt64, {2}, DataType::kInt64);
  EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.ToString();
  s = BuildOnly(Op::ATAN2, DataType::kInt32, {2}, DataType::kInt32, {2}, DataType::kInt32);
  EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.ToString();
}

TEST(BinaryElementwise, RejectsWrongArity) {
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {2});
  int z = m.Output(DataType::kFloat32);
  m.Op(Op::ADD, {x}, {z});
  Status s = m.Build();
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();
}

}  // namespace
}  // namespace edgelite
