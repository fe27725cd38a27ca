// LESS, LESS_EQUAL, GREATER, GREATER_EQUAL, EQUAL, NOT_EQUAL, LOGICAL_AND,
// LOGICAL_OR, LOGICAL_NOT: hand cases, random broadcasting checked against
// comparisons done here, and invalid models.
#include <cmath>

#include "tests/ops/elementwise_test_util.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::Dims;
using testing::SingleOpModel;
using Op = fb::BuiltinOperator;

// Runs op(a, b) -> bool; T is the input element type.
template <typename T>
std::vector<bool> Compare(Op op, DataType type, const Dims& sa, const std::vector<T>& a,
                          const Dims& sb, const std::vector<T>& b, Dims* shape = nullptr,
                          const QuantSpec* qa = nullptr, const QuantSpec* qb = nullptr) {
  SingleOpModel m;
  int x = m.Input(type, sa, qa);
  int y = m.Input(type, sb, qb);
  int z = m.Output(DataType::kBool);
  m.Op(op, {x, y}, {z});
  Status s = m.Build();
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return {};
  m.Set<T>(x, a);
  m.Set<T>(y, b);
  s = m.Invoke();
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (shape) *shape = m.Shape(z);
  return m.Get<bool>(z);
}

using B = std::vector<bool>;

TEST(Comparisons, HandFloat) {
  // a = [1, 2, 3] vs b = 2 (broadcast scalar).
  const std::vector<float> a = {1, 2, 3}, b = {2};
  EXPECT_EQ(Compare<float>(Op::LESS, DataType::kFloat32, {3}, a, {}, b), (B{true, false, false}));
  EXPECT_EQ(Compare<float>(Op::LESS_EQUAL, DataType::kFloat32, {3}, a, {}, b), (B{true, true, false}));
  EXPECT_EQ(Compare<float>(Op::GREATER, DataType::kFloat32, {3}, a, {}, b), (B{false, false, true}));
  EXPECT_EQ(Compare<float>(Op::GREATER_EQUAL, DataType::kFloat32, {3}, a, {}, b),
            (B{false, true, true}));
  EXPECT_EQ(Compare<float>(Op::EQUAL, DataType::kFloat32, {3}, a, {}, b), (B{false, true, false}));
  EXPECT_EQ(Compare<float>(Op::NOT_EQUAL, DataType::kFloat32, {3}, a, {}, b), (B{true, false, true}));
  // NaN compares unequal to everything, itself included.
  const float nan = std::nanf("");
  EXPECT_EQ(Compare<float>(Op::EQUAL, DataType::kFloat32, {2}, {nan, 1}, {2}, {nan, 1}),
            (B{false, true}));
}

TEST(Comparisons, HandIntegersAndBool) {
  // int64 [[1],[5]] > [[2, 5]] -> [[F,F],[T,F]], shape [2,2].
  Dims shape;
  EXPECT_EQ(Compare<int64_t>(Op::GREATER, DataType::kInt64, {2, 1}, {1, 5}, {1, 2}, {2, 5}, &shape),
            (B{false, false, true, false}));
  EXPECT_EQ(shape, (Dims{2, 2}));
  EXPECT_EQ(Compare<int32_t>(Op::LESS_EQUAL, DataType::kInt32, {3}, {-1, 0, 1}, {1}, {0}),
            (B{true, true, false}));
  // bool EQUAL; the bytes 2 and 1 both mean true.
  EXPECT_EQ(Compare<uint8_t>(Op::EQUAL, DataType::kBool, {3}, {0, 1, 2}, {3}, {0, 0, 1}),
            (B{true, false, true}));
  // uint8 with the same quantization on both sides compares stored values.
  QuantSpec q{{0.5f}, {128}, 0};
  EXPECT_EQ(Compare<uint8_t>(Op::LESS, DataType::kUInt8, {3}, {0, 128, 255}, {1}, {128}, nullptr,
                             &q, &q),
            (B{true, false, false}));
}

TEST(Comparisons, HandLogical) {
  auto run = [](Op op, const std::vector<uint8_t>& a, const Dims& sb, const std::vector<uint8_t>& b) {
    SingleOpModel m;
    int x = m.Input(DataType::kBool, {4});
    int y = m.Input(DataType::kBool, sb);
    int z = m.Output(DataType::kBool);
    m.Op(op, {x, y}, {z});
    EXPECT_TRUE(m.Build().ok());
    m.Set<uint8_t>(x, a);
    m.Set<uint8_t>(y, b);
    EXPECT_TRUE(m.Invoke().ok());
    return m.Get<bool>(z);
  };
  // Truth tables over (a,b) = (0,0),(0,1),(1,0),(1,1).
  EXPECT_EQ(run(Op::LOGICAL_AND, {0, 0, 1, 1}, {4}, {0, 1, 0, 1}), (B{false, false, false, true}));
  EXPECT_EQ(run(Op::LOGICAL_OR, {0, 0, 1, 1}, {4}, {0, 1, 0, 1}), (B{false, true, true, true}));
  // Broadcast scalar: x OR false == x.
  EXPECT_EQ(run(Op::LOGICAL_OR, {1, 0, 0, 1}, {}, {0}), (B{true, false, false, true}));
  SingleOpModel m;
  int x = m.Input(DataType::kBool, {3});
  int z = m.Output(DataType::kBool);
  m.Op(Op::LOGICAL_NOT, {x}, {z});
  ASSERT_TRUE(m.Build().ok());
  m.Set<uint8_t>(x, {0, 1, 7});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<bool>(z), (B{true, false, false}));
}

TEST(Comparisons, RandomBroadcast) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  const Op ops[] = {Op::LESS, Op::LESS_EQUAL, Op::GREATER, Op::GREATER_EQUAL, Op::EQUAL,
                    Op::NOT_EQUAL};
  for (Op op : ops) {
    for (int trial = 0; trial < 10; ++trial) {
      auto shapes = testing::RandomBroadcastShapes(rng, 2);
      const Dims out = testing::BroadcastDims(shapes[0], shapes[1]);
      SCOPED_TRACE(std::string(fb::EnumNameBuiltinOperator(op)) + " " +
                   testing::DimsString(shapes[0]) + " x " + testing::DimsString(shapes[1]));
      // Small integer values (as int32 and as float) so that ties happen.
      std::vector<int32_t> a(testing::NumElements(shapes[0])), b(testing::NumElements(shapes[1]));
      for (auto& v : a) v = static_cast<int32_t>(rng() % 5) - 2;
      for (auto& v : b) v = static_cast<int32_t>(rng() % 5) - 2;
      std::vector<float> af(a.begin(), a.end()), bf(b.begin(), b.end());
      Dims shape;
      const B gi = Compare<int32_t>(op, DataType::kInt32, shapes[0], a, shapes[1], b, &shape);
      ASSERT_EQ(shape, out);
      const B gf = Compare<float>(op, DataType::kFloat32, shapes[0], af, shapes[1], bf);
      ASSERT_EQ(gi.size(), static_cast<size_t>(testing::NumElements(out)));
      ASSERT_EQ(gf.size(), gi.size());
      for (size_t i = 0; i < gi.size(); ++i) {
        const int32_t va = a[testing::SourceIndex(out, shapes[0], i)];
        const int32_t vb = b[testing::SourceIndex(out, shapes[1], i)];
        bool want = false;
        switch (op) {
          case Op::LESS: want = va < vb; break;
          case Op::LESS_EQUAL: want = va <= vb; break;
          case Op::GREATER: want = va > vb; break;
          case Op::GREATER_EQUAL: want = va >= vb; break;
          case Op::EQUAL: want = va == vb; break;
          default: want = va != vb; break;
        }
        ASSERT_EQ(gi[i], want) << "int32 element " << i << ": " << va << " vs " << vb;
        ASSERT_EQ(gf[i], want) << "float element " << i << ": " << va << " vs " << vb;
      }
    }
  }
}

TEST(Comparisons, RejectsInvalidModels) {
  auto build = [](Op op, DataType ta, DataType tb, DataType tout, const Dims& sa, const Dims& sb,
                  const QuantSpec* qa = nullptr, const QuantSpec* qb = nullptr) {
    SingleOpModel m;
    int x = m.Input(ta, sa, qa);
    int y = m.Input(tb, sb, qb);
    int z = m.Output(tout);
    m.Op(op, {x, y}, {z});
    return m.Build();
  };
  // Output must be bool.
  Status s = build(Op::LESS, DataType::kFloat32, DataType::kFloat32, DataType::kFloat32, {2}, {2});
  EXPECT_NE(s.code(), StatusCode::kOk);
  // Mixed input types.
  s = build(Op::EQUAL, DataType::kFloat32, DataType::kInt32, DataType::kBool, {2}, {2});
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();
  // Incompatible shapes.
  s = build(Op::GREATER, DataType::kInt32, DataType::kInt32, DataType::kBool, {3}, {2});
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();
  EXPECT_NE(s.message().find("GREATER"), std::string::npos) << s.message();
  // Ordering bools is not defined.
  s = build(Op::LESS, DataType::kBool, DataType::kBool, DataType::kBool, {2}, {2});
  EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.ToString();
  // Quantized inputs with different scales need rescaling: not yet.
  QuantSpec q1{{0.5f}, {0}, 0}, q2{{0.25f}, {0}, 0};
  s = build(Op::LESS, DataType::kInt8, DataType::kInt8, DataType::kBool, {2}, {2}, &q1, &q2);
  EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.ToString();
  // Logical ops take bool only.
  s = build(Op::LOGICAL_AND, DataType::kInt32, DataType::kInt32, DataType::kBool, {2}, {2});
  EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.ToString();
}

}  // namespace
}  // namespace edgelite
