#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

TEST(Concatenation, Axis1WithRelu) {
  // [[1,-2],[3,4]] ++ [[5],[-6]] along axis 1, relu -> [[1,0,5],[3,4,0]].
  SingleOpModel m;
  int a = m.Input(DataType::kFloat32, {2, 2});
  int b = m.Input(DataType::kFloat32, {2, 1});
  int y = m.Output(DataType::kFloat32);
  fb::ConcatenationOptionsT o;
  o.axis = -1;
  o.fused_activation_function = fb::ActivationFunctionType::RELU;
  m.Op(fb::BuiltinOperator::CONCATENATION, {a, b}, {y}, MakeOptions(o));
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(a, {1, -2, 3, 4});
  m.Set<float>(b, {5, -6});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{2, 3}));
  EXPECT_EQ(m.Get<float>(y), (std::vector<float>{1, 0, 5, 3, 4, 0}));
}

TEST(Concatenation, RandomSplitRoundTrip) {
  // SPLIT_V then CONCATENATION along the same axis gives back the input.
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 10; ++trial) {
    const int rows = 1 + rng() % 4, cols = 2 + rng() % 6;
    const int first = 1 + rng() % (cols - 1);
    std::vector<uint8_t> xv(rows * cols);
    for (auto& v : xv) v = rng() % 256;
    SingleOpModel m;
    ModelBuilder& b = m.builder();
    int x = m.Input(DataType::kUInt8, {rows, cols});
    int sizes = m.Const<int32_t>(DataType::kInt32, {2}, {first, -1});
    int axis = m.Const<int32_t>(DataType::kInt32, {}, {1});
    int p0 = b.AddTensor(DataType::kUInt8, {}, "p0");
    int p1 = b.AddTensor(DataType::kUInt8, {}, "p1");
    int y = m.Output(DataType::kUInt8);
    fb::SplitVOptionsT so;
    so.num_splits = 2;
    m.Op(fb::BuiltinOperator::SPLIT_V, {x, sizes, axis}, {p0, p1}, MakeOptions(so));
    fb::ConcatenationOptionsT co;
    co.axis = 1;
    m.Op(fb::BuiltinOperator::CONCATENATION, {p0, p1}, {y}, MakeOptions(co));
    ASSERT_TRUE(m.Build().ok());
    m.Set<uint8_t>(x, xv);
    ASSERT_TRUE(m.Invoke().ok());
    EXPECT_EQ(m.Shape(p0), (std::vector<int32_t>{rows, first}));
    EXPECT_EQ(m.Get<uint8_t>(y), xv);
  }
}

TEST(Concatenation, RejectsMismatchedDims) {
  SingleOpModel m;
  int a = m.Input(DataType::kFloat32, {2, 2});
  int b = m.Input(DataType::kFloat32, {3, 1});
  int y = m.Output(DataType::kFloat32);
  fb::ConcatenationOptionsT o;
  o.axis = 1;
  m.Op(fb::BuiltinOperator::CONCATENATION, {a, b}, {y}, MakeOptions(o));
  EXPECT_EQ(m.Build().code(), StatusCode::kInvalidModel);
}

}  // namespace
}  // namespace edgelite
