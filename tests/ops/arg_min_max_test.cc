// ARG_MAX and ARG_MIN.
#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

fb::BuiltinOptionsUnion ArgOptions(bool is_max, fb::TensorType t) {
  if (is_max) {
    fb::ArgMaxOptionsT o;
    o.output_type = t;
    return MakeOptions(o);
  }
  fb::ArgMinOptionsT o;
  o.output_type = t;
  return MakeOptions(o);
}

template <typename Index>
std::vector<Index> RunArg(bool is_max, const std::vector<int32_t>& shape,
                          const std::vector<float>& x, int32_t axis, bool const_axis,
                          std::vector<int32_t>* out_shape) {
  const bool i64 = sizeof(Index) == 8;
  SingleOpModel m;
  int in = m.Input(DataType::kFloat32, shape);
  int ax = const_axis ? m.Const<int32_t>(DataType::kInt32, {1}, {axis})
                      : m.Input(DataType::kInt32, {});
  int out = m.Output(i64 ? DataType::kInt64 : DataType::kInt32);
  m.Op(is_max ? fb::BuiltinOperator::ARG_MAX : fb::BuiltinOperator::ARG_MIN, {in, ax}, {out},
       ArgOptions(is_max, i64 ? fb::TensorType::INT64 : fb::TensorType::INT32));
  Status s = m.Build();
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return {};
  m.Set<float>(in, x);
  if (!const_axis) m.Set<int32_t>(ax, {axis});
  s = m.Invoke();
  EXPECT_TRUE(s.ok()) << s.ToString();
  *out_shape = m.Shape(out);
  return m.Get<Index>(out);
}

TEST(ArgMinMax, HandComputedTiesPickFirst) {
  // x = [[1, 5, 5, 2], [7, 0, 7, -1]]
  const std::vector<float> x = {1, 5, 5, 2, 7, 0, 7, -1};
  std::vector<int32_t> shape;
  // Along rows: max of {1,5,5,2} first at 1; of {7,0,7,-1} first at 0.
  EXPECT_EQ(RunArg<int32_t>(true, {2, 4}, x, 1, true, &shape), (std::vector<int32_t>{1, 0}));
  EXPECT_EQ(shape, (std::vector<int32_t>{2}));
  // Mins: 1 at 0; -1 at 3. Axis -1 == 1, int64 output, axis fed at run time.
  EXPECT_EQ(RunArg<int64_t>(false, {2, 4}, x, -1, false, &shape), (std::vector<int64_t>{0, 3}));
  // Along columns: (1,7)->1 (5,0)->0 (5,7)->1 (2,-1)->0.
  EXPECT_EQ(RunArg<int64_t>(true, {2, 4}, x, 0, true, &shape),
            (std::vector<int64_t>{1, 0, 1, 0}));
  EXPECT_EQ(shape, (std::vector<int32_t>{4}));
}

TEST(ArgMinMax, RandomAgainstLoop) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 30; ++trial) {
    const bool is_max = trial % 2;
    const int rank = 1 + rng() % 4;
    std::vector<int32_t> shape(rank);
    for (auto& d : shape) d = 1 + rng() % 5;
    const int axis = rng() % rank;
    int64_t count = 1;
    for (int d : shape) count *= d;
    // Few distinct values so ties happen often.
    std::vector<float> x(count);
    for (auto& v : x) v = float(int(rng() % 5) - 2);
    int64_t outer = 1, inner = 1;
    for (int a = 0; a < axis; ++a) outer *= shape[a];
    for (int a = axis + 1; a < rank; ++a) inner *= shape[a];
    std::vector<int32_t> want;
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i = 0; i < inner; ++i) {
        int best = 0;
        for (int j = 1; j < shape[axis]; ++j) {
          const float v = x[(o * shape[axis] + j) * inner + i];
          const float b = x[(o * shape[axis] + best) * inner + i];
          if (is_max ? v > b : v < b) best = j;
        }
        want.push_back(best);
      }
    std::vector<int32_t> out_shape;
    SCOPED_TRACE("trial " + std::to_string(trial));
    EXPECT_EQ(RunArg<int32_t>(is_max, shape, x, axis - (rng() % 2 ? rank : 0), rng() % 2,
                              &out_shape),
              want);
    std::vector<int32_t> want_shape = shape;
    want_shape.erase(want_shape.begin() + axis);
    EXPECT_EQ(out_shape, want_shape);
  }
}

TEST(ArgMinMax, Errors) {
  {  // axis out of range
    SingleOpModel m;
    int in = m.Input(DataType::kFloat32, {2, 3});
    int ax = m.Const<int32_t>(DataType::kInt32, {1}, {2});
    int out = m.Output(DataType::kInt32);
    m.Op(fb::BuiltinOperator::ARG_MAX, {in, ax}, {out},
         ArgOptions(true, fb::TensorType::INT32));
    Status s = m.Build();
    EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
    EXPECT_NE(s.message().find("ARG_MAX"), std::string::npos) << s.message();
  }
  {  // float output
    SingleOpModel m;
    int in = m.Input(DataType::kFloat32, {2, 3});
    int ax = m.Const<int32_t>(DataType::kInt32, {1}, {0});
    int out = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::ARG_MIN, {in, ax}, {out});
    EXPECT_EQ(m.Build().code(), StatusCode::kInvalidModel);
  }
  {  // option says int64, tensor is int32
    SingleOpModel m;
    int in = m.Input(DataType::kFloat32, {2, 3});
    int ax = m.Const<int32_t>(DataType::kInt32, {1}, {0});
    int out = m.Output(DataType::kInt32);
    m.Op(fb::BuiltinOperator::ARG_MIN, {in, ax}, {out},
         ArgOptions(false, fb::TensorType::INT64));
    EXPECT_EQ(m.Build().code(), StatusCode::kInvalidModel);
  }
  {  // run-time axis out of range
    SingleOpModel m;
    int in = m.Input(DataType::kFloat32, {2, 3});
    int ax = m.Input(DataType::kInt32, {});
    int out = m.Output(DataType::kInt64);
    m.Op(fb::BuiltinOperator::ARG_MAX, {in, ax}, {out},
         ArgOptions(true, fb::TensorType::INT64));
    ASSERT_TRUE(m.Build().ok());
    m.Set<int32_t>(ax, {5});
    EXPECT_EQ(m.Invoke().code(), StatusCode::kRuntimeError);
  }
}

}  // namespace
}  // namespace edgelite
