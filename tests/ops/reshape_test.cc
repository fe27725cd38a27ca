#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

TEST(Reshape, ShapeTensorWithInferredDim) {
  // [2,3] -> shape [3,-1]: -1 = 6/3 = 2; data order unchanged.
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {2, 3});
  int s = m.Const<int32_t>(DataType::kInt32, {2}, {3, -1});
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::RESHAPE, {x, s}, {y});
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(x, {1, 2, 3, 4, 5, 6});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{3, 2}));
  EXPECT_EQ(m.Get<float>(y), (std::vector<float>{1, 2, 3, 4, 5, 6}));
}

TEST(Reshape, OptionsAndLegacyScalar) {
  SingleOpModel m;
  int x = m.Input(DataType::kInt64, {1, 1});
  int y = m.Output(DataType::kInt64);
  fb::ReshapeOptionsT o;
  o.new_shape = {0};  // legacy marker for a scalar
  m.Op(fb::BuiltinOperator::RESHAPE, {x}, {y}, MakeOptions(o));
  ASSERT_TRUE(m.Build().ok());
  m.Set<int64_t>(x, {42});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{}));
  EXPECT_EQ(m.Get<int64_t>(y), (std::vector<int64_t>{42}));
}

TEST(Reshape, NonConstantShapeMakesOutputDynamic) {
  // The shape arrives as a model input: the output is sized at Invoke.
  SingleOpModel m;
  int x = m.Input(DataType::kInt8, {4});
  int s = m.Input(DataType::kInt32, {2});
  int y = m.Output(DataType::kInt8);
  m.Op(fb::BuiltinOperator::RESHAPE, {x, s}, {y});
  ASSERT_TRUE(m.Build().ok());
  m.Set<int8_t>(x, {1, -2, 3, -4});
  m.Set<int32_t>(s, {-1, 1});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{4, 1}));
  EXPECT_EQ(m.Get<int8_t>(y), (std::vector<int8_t>{1, -2, 3, -4}));
  m.Set<int32_t>(s, {2, 2});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{2, 2}));
  // A bad runtime shape is an error Status, not a crash.
  m.Set<int32_t>(s, {3, -1});
  EXPECT_FALSE(m.Invoke().ok());
}

TEST(Reshape, RandomShapes) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 10; ++trial) {
    const int a = 1 + rng() % 6, b = 1 + rng() % 6, c = 1 + rng() % 6;
    auto xv = testing::RandomFloats(rng, a * b * c);
    SingleOpModel m;
    int x = m.Input(DataType::kFloat32, {a, b, c});
    int s = m.Const<int64_t>(DataType::kInt64, {2}, {int64_t{a} * b, -1});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::RESHAPE, {x, s}, {y});
    ASSERT_TRUE(m.Build().ok());
    m.Set<float>(x, xv);
    ASSERT_TRUE(m.Invoke().ok());
    EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{a * b, c}));
    EXPECT_EQ(m.Get<float>(y), xv);
  }
}

TEST(Reshape, RejectsElementCountMismatch) {
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {2, 3});
  int s = m.Const<int32_t>(DataType::kInt32, {2}, {4, 2});
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::RESHAPE, {x, s}, {y});
  Status st = m.Build();
  EXPECT_EQ(st.code(), StatusCode::kInvalidModel);
  EXPECT_NE(st.message().find("RESHAPE"), std::string::npos) << st.message();
}

TEST(Reshape, RejectsTwoInferredDims) {
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {2, 3});
  int s = m.Const<int32_t>(DataType::kInt32, {2}, {-1, -1});
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::RESHAPE, {x, s}, {y});
  EXPECT_EQ(m.Build().code(), StatusCode::kInvalidModel);
}

// SHAPE -> STRIDED_SLICE -> PACK -> RESHAPE: the shape arithmetic is folded
// in prepare, so the RESHAPE output is planned statically (not dynamic).
TEST(Reshape, FoldedShapeChainIsStatic) {
  SingleOpModel m;
  ModelBuilder& b = m.builder();
  int x = m.Input(DataType::kFloat32, {2, 3, 4});
  int shp = b.AddTensor(DataType::kInt32, {3}, "shape");
  int beg = m.Const<int32_t>(DataType::kInt32, {1}, {0});
  int end = m.Const<int32_t>(DataType::kInt32, {1}, {1});
  int str = m.Const<int32_t>(DataType::kInt32, {1}, {1});
  int d0 = b.AddTensor(DataType::kInt32, {}, "d0");
  int minus1 = m.Const<int32_t>(DataType::kInt32, {}, {-1});
  int packed = b.AddTensor(DataType::kInt32, {2}, "packed");
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::SHAPE, {x}, {shp});
  fb::StridedSliceOptionsT so;
  so.shrink_axis_mask = 1;
  m.Op(fb::BuiltinOperator::STRIDED_SLICE, {shp, beg, end, str}, {d0}, MakeOptions(so));
  fb::PackOptionsT po;
  po.values_count = 2;
  m.Op(fb::BuiltinOperator::PACK, {d0, minus1}, {packed}, MakeOptions(po));
  m.Op(fb::BuiltinOperator::RESHAPE, {x, packed}, {y});
  ASSERT_TRUE(m.Build().ok());
  EXPECT_EQ(m.tensor(y)->allocation, Allocation::kArena);
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{2, 12}));
  std::vector<float> xv(24);
  for (int i = 0; i < 24; ++i) xv[i] = i;
  m.Set<float>(x, xv);
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<float>(y), xv);
  // After a resize the folded values are recomputed.
  ASSERT_TRUE(m.interpreter()->ResizeInputTensor(0, Shape{3, 2, 2}).ok());
  ASSERT_TRUE(m.interpreter()->AllocateTensors().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{3, 4}));
}

}  // namespace
}  // namespace edgelite
