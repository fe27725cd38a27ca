#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

struct SliceCase {
  std::vector<int32_t> in_shape, begin, end, strides;
  int begin_mask = 0, end_mask = 0, ellipsis_mask = 0, new_axis_mask = 0, shrink_mask = 0;
  bool offset = false;
};

Status RunSlice(const SliceCase& c, std::vector<float>* out, std::vector<int32_t>* shape) {
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, c.in_shape);
  const int32_t n = static_cast<int32_t>(c.begin.size());
  int b = m.Const<int32_t>(DataType::kInt32, {n}, c.begin);
  int e = m.Const<int32_t>(DataType::kInt32, {n}, c.end);
  int s = m.Const<int32_t>(DataType::kInt32, {n}, c.strides);
  int y = m.Output(DataType::kFloat32);
  fb::StridedSliceOptionsT o;
  o.begin_mask = c.begin_mask;
  o.end_mask = c.end_mask;
  o.ellipsis_mask = c.ellipsis_mask;
  o.new_axis_mask = c.new_axis_mask;
  o.shrink_axis_mask = c.shrink_mask;
  o.offset = c.offset;
  m.Op(fb::BuiltinOperator::STRIDED_SLICE, {x, b, e, s}, {y}, MakeOptions(o));
  EDGELITE_RETURN_IF_ERROR(m.Build());
  int64_t total = 1;
  for (int32_t d : c.in_shape) total *= d;
  std::vector<float> xv(total);
  for (int64_t i = 0; i < total; ++i) xv[i] = static_cast<float>(i);  // value = flat index
  m.Set<float>(x, xv);
  EDGELITE_RETURN_IF_ERROR(m.Invoke());
  *out = m.Get<float>(y);
  *shape = m.Shape(y);
  return Status::Ok();
}

TEST(StridedSlice, HandCases) {
  std::vector<float> out;
  std::vector<int32_t> shape;
  // 1-D [0..9], begin 1, end 8, stride 3 -> 1, 4, 7.
  ASSERT_TRUE(RunSlice({{10}, {1}, {8}, {3}}, &out, &shape).ok());
  EXPECT_EQ(out, (std::vector<float>{1, 4, 7}));
  // Negative stride with both masks: the whole vector reversed.
  SliceCase rev{{5}, {0}, {0}, {-1}};
  rev.begin_mask = rev.end_mask = 1;
  ASSERT_TRUE(RunSlice(rev, &out, &shape).ok());
  EXPECT_EQ(out, (std::vector<float>{4, 3, 2, 1, 0}));
  // Negative begin/end: [-2, -5) step -1 on [0..5] -> 4, 3, 2.
  ASSERT_TRUE(RunSlice({{6}, {-2}, {-5}, {-1}}, &out, &shape).ok());
  EXPECT_EQ(out, (std::vector<float>{4, 3, 2}));
  // [3,4]: shrink axis 0 at row 2 -> [8, 9, 10, 11], rank 1.
  SliceCase shr{{3, 4}, {2, 0}, {3, 4}, {1, 1}};
  shr.shrink_mask = 1;
  ASSERT_TRUE(RunSlice(shr, &out, &shape).ok());
  EXPECT_EQ(shape, (std::vector<int32_t>{4}));
  EXPECT_EQ(out, (std::vector<float>{8, 9, 10, 11}));
  // Ellipsis then index 1 on the last axis of [2,2,3]: x[..., 1] (shrink) -> [2,2].
  SliceCase ell{{2, 2, 3}, {0, 1}, {0, 2}, {1, 1}};
  ell.ellipsis_mask = 1;
  ell.shrink_mask = 2;
  ASSERT_TRUE(RunSlice(ell, &out, &shape).ok());
  EXPECT_EQ(shape, (std::vector<int32_t>{2, 2}));
  EXPECT_EQ(out, (std::vector<float>{1, 4, 7, 10}));
  // New axis in front of [2,3]: x[newaxis, 0:2] -> [1,2,3].
  SliceCase na{{2, 3}, {0, 0}, {1, 2}, {1, 1}};
  na.new_axis_mask = 1;
  ASSERT_TRUE(RunSlice(na, &out, &shape).ok());
  EXPECT_EQ(shape, (std::vector<int32_t>{1, 2, 3}));
  EXPECT_EQ(out, (std::vector<float>{0, 1, 2, 3, 4, 5}));
  // offset: end is a length from begin: begin 2, "end" 3 -> 2, 3, 4.
  SliceCase off{{8}, {2}, {3}, {1}};
  off.offset = true;
  ASSERT_TRUE(RunSlice(off, &out, &shape).ok());
  EXPECT_EQ(out, (std::vector<float>{2, 3, 4}));
}

TEST(StridedSlice, RandomAgainstDirectIndexing) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 30; ++trial) {
    const int rank = 1 + rng() % 4;
    SliceCase c;
    for (int d = 0; d < rank; ++d) {
      const int dim = 1 + rng() % 6;
      c.in_shape.push_back(dim);
      int stride = static_cast<int>(rng() % 5) - 2;
      if (stride == 0) stride = 1;
      c.begin.push_back(static_cast<int>(rng() % (2 * dim + 1)) - dim);
      c.end.push_back(static_cast<int>(rng() % (2 * dim + 1)) - dim);
      c.strides.push_back(stride);
    }
    c.begin_mask = rng() % (1 << rank);
    c.end_mask = rng() % (1 << rank);
    std::vector<float> out;
    std::vector<int32_t> shape;
    ASSERT_TRUE(RunSlice(c, &out, &shape).ok());
    // Expected, straight from the definition (Python slicing semantics).
    std::vector<std::vector<int>> picks(rank);
    for (int d = 0; d < rank; ++d) {
      const int dim = c.in_shape[d], s = c.strides[d];
      int b = c.begin[d], e = c.end[d];
      if (b < 0) b += dim;
      if (e < 0) e += dim;
      if (s > 0) {
        b = std::min(std::max(b, 0), dim);
        e = std::min(std::max(e, 0), dim);
        if (c.begin_mask >> d & 1) b = 0;
        if (c.end_mask >> d & 1) e = dim;
        for (int i = b; i < e; i += s) picks[d].push_back(i);
      } else {
        b = std::min(std::max(b, -1), dim - 1);
        e = std::min(std::max(e, -1), dim - 1);
        if (c.begin_mask >> d & 1) b = dim - 1;
        if (c.end_mask >> d & 1) e = -1;
        for (int i = b; i > e; i += s) picks[d].push_back(i);
      }
      ASSERT_EQ(shape[d], static_cast<int32_t>(picks[d].size()));
    }
    std::vector<float> expect;
    std::vector<size_t> idx(rank, 0);
    bool empty = false;
    for (auto& p : picks) empty |= p.empty();
    while (!empty) {
      int64_t flat = 0;
      for (int d = 0; d < rank; ++d) flat = flat * c.in_shape[d] + picks[d][idx[d]];
      expect.push_back(static_cast<float>(flat));
      int d = rank - 1;
      for (; d >= 0; --d) {
        if (++idx[d] < picks[d].size()) break;
        idx[d] = 0;
      }
      if (d < 0) break;
    }
    EXPECT_EQ(out, expect);
  }
}

TEST(StridedSlice, RejectsZeroStrideAndBadShrink) {
  std::vector<float> out;
  std::vector<int32_t> shape;
  EXPECT_EQ(RunSlice({{4}, {0}, {4}, {0}}, &out, &shape).code(), StatusCode::kInvalidModel);
  SliceCase shr{{3}, {5}, {6}, {1}};
  shr.shrink_mask = 1;
  EXPECT_EQ(RunSlice(shr, &out, &shape).code(), StatusCode::kInvalidModel);
}

}  // namespace
}  // namespace edgelite
