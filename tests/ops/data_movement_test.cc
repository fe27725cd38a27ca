// Hand-computed cases for the smaller data-movement and shape ops (SQUEEZE,
// EXPAND_DIMS, SLICE, PACK, UNPACK, SPLIT, TILE, BROADCAST_TO, BROADCAST_ARGS,
// SHAPE, FILL, ZEROS_LIKE, RANGE, REVERSE_V2), each with an invalid case.
#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

TEST(Squeeze, AllAndListed) {
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {1, 2, 1, 3});
  int y = m.Output(DataType::kFloat32);
  fb::SqueezeOptionsT o;
  o.squeeze_dims = {-2};
  m.Op(fb::BuiltinOperator::SQUEEZE, {x}, {y}, MakeOptions(o));
  ASSERT_TRUE(m.Build().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{1, 2, 3}));
  SingleOpModel bad;
  int bx = bad.Input(DataType::kFloat32, {1, 2});
  int by = bad.Output(DataType::kFloat32);
  fb::SqueezeOptionsT bo;
  bo.squeeze_dims = {1};  // size 2, cannot squeeze
  bad.Op(fb::BuiltinOperator::SQUEEZE, {bx}, {by}, MakeOptions(bo));
  EXPECT_EQ(bad.Build().code(), StatusCode::kInvalidModel);
}

TEST(ExpandDims, NegativeAxisAndRange) {
  SingleOpModel m;
  int x = m.Input(DataType::kBool, {2, 3});
  int a = m.Const<int32_t>(DataType::kInt32, {}, {-1});  // -1 -> append: [2,3,1]
  int y = m.Output(DataType::kBool);
  m.Op(fb::BuiltinOperator::EXPAND_DIMS, {x, a}, {y});
  ASSERT_TRUE(m.Build().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{2, 3, 1}));
  SingleOpModel bad;
  int bx = bad.Input(DataType::kFloat32, {2});
  int ba = bad.Const<int32_t>(DataType::kInt32, {}, {3});
  int by = bad.Output(DataType::kFloat32);
  bad.Op(fb::BuiltinOperator::EXPAND_DIMS, {bx, ba}, {by});
  EXPECT_EQ(bad.Build().code(), StatusCode::kInvalidModel);
}

TEST(Slice, SizeMinusOne) {
  // [3,3] = 0..8, begin [1,1], size [-1,1] -> rows 1..2, col 1 -> [4,7].
  SingleOpModel m;
  int x = m.Input(DataType::kInt16, {3, 3});
  int b = m.Const<int64_t>(DataType::kInt64, {2}, {1, 1});
  int s = m.Const<int64_t>(DataType::kInt64, {2}, {-1, 1});
  int y = m.Output(DataType::kInt16);
  m.Op(fb::BuiltinOperator::SLICE, {x, b, s}, {y});
  ASSERT_TRUE(m.Build().ok());
  m.Set<int16_t>(x, {0, 1, 2, 3, 4, 5, 6, 7, 8});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{2, 1}));
  EXPECT_EQ(m.Get<int16_t>(y), (std::vector<int16_t>{4, 7}));
  SingleOpModel bad;
  int bx = bad.Input(DataType::kFloat32, {3});
  int bb = bad.Const<int32_t>(DataType::kInt32, {1}, {2});
  int bs = bad.Const<int32_t>(DataType::kInt32, {1}, {2});  // 2 + 2 > 3
  int by = bad.Output(DataType::kFloat32);
  bad.Op(fb::BuiltinOperator::SLICE, {bx, bb, bs}, {by});
  EXPECT_EQ(bad.Build().code(), StatusCode::kInvalidModel);
}

TEST(PackUnpack, Axis1) {
  // pack([1,2],[3,4]) on axis 1 -> [[1,3],[2,4]]; unpack axis 0 gives rows.
  SingleOpModel m;
  ModelBuilder& b = m.builder();
  int a = m.Input(DataType::kFloat32, {2});
  int c = m.Input(DataType::kFloat32, {2});
  int p = b.AddTensor(DataType::kFloat32, {}, "packed");
  int r0 = m.Output(DataType::kFloat32);
  int r1 = m.Output(DataType::kFloat32);
  fb::PackOptionsT po;
  po.values_count = 2;
  po.axis = 1;
  m.Op(fb::BuiltinOperator::PACK, {a, c}, {p}, MakeOptions(po));
  fb::UnpackOptionsT uo;
  uo.num = 2;
  m.Op(fb::BuiltinOperator::UNPACK, {p}, {r0, r1}, MakeOptions(uo));
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(a, {1, 2});
  m.Set<float>(c, {3, 4});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<float>(r0), (std::vector<float>{1, 3}));
  EXPECT_EQ(m.Get<float>(r1), (std::vector<float>{2, 4}));
  SingleOpModel bad;
  int x0 = bad.Input(DataType::kFloat32, {2});
  int x1 = bad.Input(DataType::kFloat32, {3});
  int by = bad.Output(DataType::kFloat32);
  bad.Op(fb::BuiltinOperator::PACK, {x0, x1}, {by}, MakeOptions(po));
  EXPECT_EQ(bad.Build().code(), StatusCode::kInvalidModel);
}

TEST(Split, AxisIsFirstInput) {
  SingleOpModel m;
  int axis = m.Const<int32_t>(DataType::kInt32, {}, {1});
  int x = m.Input(DataType::kInt64, {2, 4});
  int y0 = m.Output(DataType::kInt64);
  int y1 = m.Output(DataType::kInt64);
  fb::SplitOptionsT o;
  o.num_splits = 2;
  m.Op(fb::BuiltinOperator::SPLIT, {axis, x}, {y0, y1}, MakeOptions(o));
  ASSERT_TRUE(m.Build().ok());
  m.Set<int64_t>(x, {0, 1, 2, 3, 4, 5, 6, 7});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<int64_t>(y0), (std::vector<int64_t>{0, 1, 4, 5}));
  EXPECT_EQ(m.Get<int64_t>(y1), (std::vector<int64_t>{2, 3, 6, 7}));
  SingleOpModel bad;  // 3 does not split into 2
  int ba = bad.Const<int32_t>(DataType::kInt32, {}, {0});
  int bx = bad.Input(DataType::kFloat32, {3});
  int b0 = bad.Output(DataType::kFloat32);
  int b1 = bad.Output(DataType::kFloat32);
  bad.Op(fb::BuiltinOperator::SPLIT, {ba, bx}, {b0, b1}, MakeOptions(o));
  EXPECT_EQ(bad.Build().code(), StatusCode::kInvalidModel);
}

TEST(TileAndBroadcastTo, HandComputed) {
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {1, 2});
  int mult = m.Const<int32_t>(DataType::kInt32, {2}, {2, 2});
  int t = m.Output(DataType::kFloat32);
  int shp = m.Const<int32_t>(DataType::kInt32, {3}, {2, 2, 2});
  int bt = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::TILE, {x, mult}, {t});
  m.Op(fb::BuiltinOperator::BROADCAST_TO, {x, shp}, {bt});
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(x, {1, 2});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(t), (std::vector<int32_t>{2, 4}));
  EXPECT_EQ(m.Get<float>(t), (std::vector<float>{1, 2, 1, 2, 1, 2, 1, 2}));
  EXPECT_EQ(m.Shape(bt), (std::vector<int32_t>{2, 2, 2}));
  EXPECT_EQ(m.Get<float>(bt), (std::vector<float>{1, 2, 1, 2, 1, 2, 1, 2}));
  SingleOpModel bad;
  int bx = bad.Input(DataType::kFloat32, {3});
  int bs = bad.Const<int32_t>(DataType::kInt32, {1}, {2});
  int by = bad.Output(DataType::kFloat32);
  bad.Op(fb::BuiltinOperator::BROADCAST_TO, {bx, bs}, {by});
  EXPECT_EQ(bad.Build().code(), StatusCode::kInvalidModel);
}

TEST(ShapeOps, ShapeBroadcastArgsFillRangeZeros) {
  SingleOpModel m;
  ModelBuilder& b = m.builder();
  int x = m.Input(DataType::kFloat32, {3, 1});
  int s = b.AddTensor(DataType::kInt64, {2}, "s");
  int other = m.Const<int64_t>(DataType::kInt64, {3}, {2, 1, 4});
  int ba = m.Output(DataType::kInt64);
  fb::ShapeOptionsT so;
  so.out_type = fb::TensorType::INT64;
  m.Op(fb::BuiltinOperator::SHAPE, {x}, {s}, MakeOptions(so));
  m.Op(fb::BuiltinOperator::BROADCAST_ARGS, {s, other}, {ba});
  int val = m.Const<float>(DataType::kFloat32, {}, {2.5f});
  int f = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::FILL, {ba, val}, {f});
  int r0 = m.Const<int32_t>(DataType::kInt32, {}, {10});
  int r1 = m.Const<int32_t>(DataType::kInt32, {}, {3});
  int r2 = m.Const<int32_t>(DataType::kInt32, {}, {-3});
  int r = m.Output(DataType::kInt32);
  m.Op(fb::BuiltinOperator::RANGE, {r0, r1, r2}, {r});
  int z = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::ZEROS_LIKE, {x}, {z});
  ASSERT_TRUE(m.Build().ok());
  // SHAPE [3,1] broadcast with [2,1,4] -> [2,3,4]; everything here is folded.
  EXPECT_EQ(m.Get<int64_t>(ba), (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(m.Shape(f), (std::vector<int32_t>{2, 3, 4}));
  m.Set<float>(x, {1, 2, 3});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<float>(f), std::vector<float>(24, 2.5f));
  // range(10, 3, -3) = 10, 7, 4.
  EXPECT_EQ(m.Get<int32_t>(r), (std::vector<int32_t>{10, 7, 4}));
  EXPECT_EQ(m.Get<float>(z), (std::vector<float>{0, 0, 0}));
  SingleOpModel bad;  // delta of the wrong sign
  int c0 = bad.Const<float>(DataType::kFloat32, {}, {0});
  int c1 = bad.Const<float>(DataType::kFloat32, {}, {1});
  int c2 = bad.Const<float>(DataType::kFloat32, {}, {-1});
  int by = bad.Output(DataType::kFloat32);
  bad.Op(fb::BuiltinOperator::RANGE, {c0, c1, c2}, {by});
  EXPECT_EQ(bad.Build().code(), StatusCode::kInvalidModel);
}

TEST(ReverseV2, TwoAxes) {
  SingleOpModel m;
  int x = m.Input(DataType::kUInt8, {2, 3});
  int a = m.Const<int32_t>(DataType::kInt32, {2}, {0, -1});
  int y = m.Output(DataType::kUInt8);
  m.Op(fb::BuiltinOperator::REVERSE_V2, {x, a}, {y});
  ASSERT_TRUE(m.Build().ok());
  m.Set<uint8_t>(x, {1, 2, 3, 4, 5, 6});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<uint8_t>(y), (std::vector<uint8_t>{6, 5, 4, 3, 2, 1}));
  SingleOpModel bad;
  int bx = bad.Input(DataType::kFloat32, {2});
  int ba = bad.Const<int32_t>(DataType::kInt32, {1}, {1});
  int by = bad.Output(DataType::kFloat32);
  bad.Op(fb::BuiltinOperator::REVERSE_V2, {bx, ba}, {by});
  EXPECT_EQ(bad.Build().code(), StatusCode::kInvalidModel);
}

}  // namespace
}  // namespace edgelite
