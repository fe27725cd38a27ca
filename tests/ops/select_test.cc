// SELECT and SELECT_V2: hand cases for each condition form, random
// broadcasting (V2) checked against an index computation here, invalid models.
#include "tests/ops/elementwise_test_util.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::Dims;
using testing::SingleOpModel;
using Op = fb::BuiltinOperator;

template <typename T>
std::vector<T> RunSelect(Op op, DataType type, const Dims& sc, const std::vector<uint8_t>& c,
                         const Dims& sx, const std::vector<T>& x, const Dims& sy,
                         const std::vector<T>& y, Dims* shape = nullptr) {
  SingleOpModel m;
  int ci = m.Input(DataType::kBool, sc);
  int xi = m.Input(type, sx);
  int yi = m.Input(type, sy);
  int z = m.Output(type);
  m.Op(op, {ci, xi, yi}, {z});
  Status s = m.Build();
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return {};
  m.Set<uint8_t>(ci, c);
  m.Set<T>(xi, x);
  m.Set<T>(yi, y);
  s = m.Invoke();
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (shape) *shape = m.Shape(z);
  return m.Get<T>(z);
}

TEST(Select, SameShape) {
  // c = [1,0,1,0]: take x, y, x, y.
  EXPECT_EQ(RunSelect<float>(Op::SELECT, DataType::kFloat32, {4}, {1, 0, 1, 0}, {4}, {1, 2, 3, 4},
                             {4}, {-1, -2, -3, -4}),
            (std::vector<float>{1, -2, 3, -4}));
}

TEST(Select, RankOneConditionPicksRows) {
  // SELECT v1: condition [2] chooses whole rows of x/y [2,3]: row0 from y, row1 from x.
  EXPECT_EQ(RunSelect<int32_t>(Op::SELECT, DataType::kInt32, {2}, {0, 1}, {2, 3}, {1, 2, 3, 4, 5, 6},
                               {2, 3}, {-1, -2, -3, -4, -5, -6}),
            (std::vector<int32_t>{-1, -2, -3, 4, 5, 6}));
  // Scalar condition true: all of x.
  EXPECT_EQ(RunSelect<int64_t>(Op::SELECT, DataType::kInt64, {}, {1}, {2}, {7, 8}, {2}, {0, 0}),
            (std::vector<int64_t>{7, 8}));
}

TEST(Select, V2Broadcasts) {
  // cond [2,1] = [[1],[0]], x [3] = [1,2,3], y scalar 9 -> [[1,2,3],[9,9,9]].
  Dims shape;
  EXPECT_EQ(RunSelect<float>(Op::SELECT_V2, DataType::kFloat32, {2, 1}, {1, 0}, {3}, {1, 2, 3}, {},
                             {9}, &shape),
            (std::vector<float>{1, 2, 3, 9, 9, 9}));
  EXPECT_EQ(shape, (Dims{2, 3}));
}

TEST(Select, V2RandomBroadcast) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 30; ++trial) {
    auto shapes = testing::RandomBroadcastShapes(rng, 3);
    const Dims out = testing::BroadcastDims(testing::BroadcastDims(shapes[0], shapes[1]), shapes[2]);
    SCOPED_TRACE(testing::DimsString(shapes[0]) + " " + testing::DimsString(shapes[1]) + " " +
                 testing::DimsString(shapes[2]));
    std::vector<uint8_t> c(testing::NumElements(shapes[0]));
    for (auto& v : c) v = rng() % 2;
    std::vector<int16_t> x(testing::NumElements(shapes[1])), y(testing::NumElements(shapes[2]));
    for (auto& v : x) v = static_cast<int16_t>(rng() % 1000);
    for (auto& v : y) v = static_cast<int16_t>(-1 - static_cast<int>(rng() % 1000));
    Dims shape;
    auto got = RunSelect<int16_t>(Op::SELECT_V2, DataType::kInt16, shapes[0], c, shapes[1], x,
                                  shapes[2], y, &shape);
    ASSERT_EQ(shape, out);
    ASSERT_EQ(static_cast<int64_t>(got.size()), testing::NumElements(out));
    for (size_t i = 0; i < got.size(); ++i) {
      const bool take_x = c[testing::SourceIndex(out, shapes[0], i)] != 0;
      const int16_t want = take_x ? x[testing::SourceIndex(out, shapes[1], i)]
                                  : y[testing::SourceIndex(out, shapes[2], i)];
      ASSERT_EQ(got[i], want) << "element " << i;
    }
  }
}

TEST(Select, RejectsInvalidModels) {
  auto build = [](Op op, DataType tc, const Dims& sc, const Dims& sx, const Dims& sy,
                  DataType ty = DataType::kFloat32) {
    SingleOpModel m;
    int c = m.Input(tc, sc);
    int x = m.Input(DataType::kFloat32, sx);
    int y = m.Input(ty, sy);
    int z = m.Output(DataType::kFloat32);
    m.Op(op, {c, x, y}, {z});
    return m.Build();
  };
  // SELECT v1 does not broadcast x against y.
  Status s = build(Op::SELECT, DataType::kBool, {2}, {2}, {1});
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();
  // A rank-1 condition must match x's first dimension.
  s = build(Op::SELECT, DataType::kBool, {3}, {2, 3}, {2, 3});
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();
  EXPECT_NE(s.message().find("SELECT"), std::string::npos) << s.message();
  // Condition must be bool.
  s = build(Op::SELECT_V2, DataType::kFloat32, {2}, {2}, {2});
  EXPECT_NE(s.code(), StatusCode::kOk);
  // x and y types differ.
  s = build(Op::SELECT_V2, DataType::kBool, {2}, {2}, {2}, DataType::kInt32);
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();
  // V2 shapes that do not broadcast.
  s = build(Op::SELECT_V2, DataType::kBool, {3}, {2}, {2});
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();
}

}  // namespace
}  // namespace edgelite
