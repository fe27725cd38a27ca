// MEAN, SUM, REDUCE_PROD, REDUCE_MAX, REDUCE_MIN, REDUCE_ANY, REDUCE_ALL.
#include <cmath>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

fb::BuiltinOptionsUnion Reducer(bool keep) {
  fb::ReducerOptionsT o;
  o.keep_dims = keep;
  return MakeOptions(o);
}

// 1..12 as [2,3,2].
std::vector<float> Iota12() {
  std::vector<float> v(12);
  for (int i = 0; i < 12; ++i) v[i] = float(i + 1);
  return v;
}

struct RunResult {
  std::vector<float> values;
  std::vector<int32_t> shape;
};

RunResult RunFloat(fb::BuiltinOperator op, const std::vector<int32_t>& shape,
                   const std::vector<float>& x, const std::vector<int32_t>& axes, bool keep,
                   bool const_axis = true) {
  SingleOpModel m;
  int in = m.Input(DataType::kFloat32, shape);
  int ax = const_axis
               ? m.Const<int32_t>(DataType::kInt32, {int32_t(axes.size())}, axes)
               : m.Input(DataType::kInt32, {int32_t(axes.size())});
  int out = m.Output(DataType::kFloat32);
  m.Op(op, {in, ax}, {out}, Reducer(keep));
  Status s = m.Build();
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return {};
  m.Set<float>(in, x);
  if (!const_axis) m.Set<int32_t>(ax, axes);
  s = m.Invoke();
  EXPECT_TRUE(s.ok()) << s.ToString();
  return {m.Get<float>(out), m.Shape(out)};
}

TEST(ReduceFloat, HandComputedMiddleAxis) {
  // x[i][j][k] = 1 + 6i + 2j + k; reducing j sums {1,3,5},{2,4,6},{7,9,11},{8,10,12}.
  const auto x = Iota12();
  auto r = RunFloat(fb::BuiltinOperator::SUM, {2, 3, 2}, x, {1}, false);
  EXPECT_EQ(r.values, (std::vector<float>{9, 12, 27, 30}));
  EXPECT_EQ(r.shape, (std::vector<int32_t>{2, 2}));
  r = RunFloat(fb::BuiltinOperator::MEAN, {2, 3, 2}, x, {1}, true);
  EXPECT_EQ(r.values, (std::vector<float>{3, 4, 9, 10}));
  EXPECT_EQ(r.shape, (std::vector<int32_t>{2, 1, 2}));
  r = RunFloat(fb::BuiltinOperator::REDUCE_PROD, {2, 3, 2}, x, {1}, false);
  // 1*3*5, 2*4*6, 7*9*11, 8*10*12
  EXPECT_EQ(r.values, (std::vector<float>{15, 48, 693, 960}));
  r = RunFloat(fb::BuiltinOperator::REDUCE_MAX, {2, 3, 2}, x, {1}, false);
  EXPECT_EQ(r.values, (std::vector<float>{5, 6, 11, 12}));
  r = RunFloat(fb::BuiltinOperator::REDUCE_MIN, {2, 3, 2}, x, {1}, false);
  EXPECT_EQ(r.values, (std::vector<float>{1, 2, 7, 8}));
}

TEST(ReduceFloat, NegativeAndDuplicateAxes) {
  // Axes {-1, 0, 2} = {0, 2}: for each j sum x[i][j][k] over i,k:
  // j=0: 1+2+7+8=18, j=1: 3+4+9+10=26, j=2: 5+6+11+12=34.
  auto r = RunFloat(fb::BuiltinOperator::SUM, {2, 3, 2}, Iota12(), {-1, 0, 2}, true);
  EXPECT_EQ(r.values, (std::vector<float>{18, 26, 34}));
  EXPECT_EQ(r.shape, (std::vector<int32_t>{1, 3, 1}));
  // Same with the axes fed at run time: the output becomes dynamic.
  r = RunFloat(fb::BuiltinOperator::SUM, {2, 3, 2}, Iota12(), {-1, 0, 2}, false, false);
  EXPECT_EQ(r.values, (std::vector<float>{18, 26, 34}));
  EXPECT_EQ(r.shape, (std::vector<int32_t>{3}));
}

TEST(ReduceFloat, AllAxesAndEmptyAxisList) {
  // Sum of 1..12 = 78; mean 6.5.
  auto r = RunFloat(fb::BuiltinOperator::SUM, {2, 3, 2}, Iota12(), {0, 1, 2}, false);
  EXPECT_EQ(r.values, (std::vector<float>{78}));
  EXPECT_EQ(r.shape, (std::vector<int32_t>{}));
  r = RunFloat(fb::BuiltinOperator::MEAN, {2, 3, 2}, Iota12(), {2, 1, 0}, true);
  EXPECT_EQ(r.values, (std::vector<float>{6.5f}));
  EXPECT_EQ(r.shape, (std::vector<int32_t>{1, 1, 1}));
  // No axes: nothing is reduced, the output is the input.
  r = RunFloat(fb::BuiltinOperator::REDUCE_MAX, {2, 3, 2}, Iota12(), {}, false);
  EXPECT_EQ(r.values, Iota12());
  EXPECT_EQ(r.shape, (std::vector<int32_t>{2, 3, 2}));
}

TEST(ReduceFloat, EmptyReductionValues) {
  // Reducing an axis of size 0: SUM 0, PROD 1, MEAN NaN, MAX lowest float.
  auto r = RunFloat(fb::BuiltinOperator::SUM, {2, 0}, {}, {1}, false);
  EXPECT_EQ(r.values, (std::vector<float>{0, 0}));
  r = RunFloat(fb::BuiltinOperator::REDUCE_PROD, {2, 0}, {}, {1}, false);
  EXPECT_EQ(r.values, (std::vector<float>{1, 1}));
  r = RunFloat(fb::BuiltinOperator::MEAN, {1, 0}, {}, {1}, false);
  ASSERT_EQ(r.values.size(), 1u);
  EXPECT_TRUE(std::isnan(r.values[0]));
  r = RunFloat(fb::BuiltinOperator::REDUCE_MAX, {1, 0}, {}, {1}, false);
  EXPECT_EQ(r.values, (std::vector<float>{std::numeric_limits<float>::lowest()}));
}

TEST(ReduceFloat, SumOfManyTermsStaysAccurate) {
  // 2^20 copies of 0.1f: the exact sum is 2^20 * 0.1f (in double). A float
  // accumulator drifts by ~1e-3 relative here; ours must stay within 1 ulp.
  const int n = 1 << 20;
  std::vector<float> x(n, 0.1f);
  auto r = RunFloat(fb::BuiltinOperator::SUM, {n}, x, {0}, false);
  ASSERT_EQ(r.values.size(), 1u);
  const double exact = double(n) * double(0.1f);
  EXPECT_NEAR(r.values[0], exact, 1.2e-7 * exact);
  r = RunFloat(fb::BuiltinOperator::MEAN, {n}, x, {0}, false);
  EXPECT_EQ(r.values[0], 0.1f);
}

TEST(ReduceFloat, RandomAgainstFloat64) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  const fb::BuiltinOperator ops[] = {fb::BuiltinOperator::SUM, fb::BuiltinOperator::MEAN,
                                     fb::BuiltinOperator::REDUCE_PROD,
                                     fb::BuiltinOperator::REDUCE_MAX,
                                     fb::BuiltinOperator::REDUCE_MIN};
  for (int trial = 0; trial < 60; ++trial) {
    const fb::BuiltinOperator op = ops[trial % 5];
    const int rank = 1 + rng() % 4;
    std::vector<int32_t> shape(rank);
    for (auto& d : shape) d = 1 + rng() % 6;
    std::vector<int32_t> axes;
    bool red[4] = {};
    for (int a = 0; a < rank; ++a)
      if (rng() % 2) {
        axes.push_back(rng() % 2 ? a : a - rank);
        red[a] = true;
      }
    if (!axes.empty() && rng() % 3 == 0) axes.push_back(axes[0]);  // a duplicate
    const bool keep = rng() % 2, const_axis = rng() % 2;
    int64_t count = 1;
    for (int d : shape) count *= d;
    // Products over up to 6^4 terms: keep factors near 1 to stay in range.
    const bool prod = op == fb::BuiltinOperator::REDUCE_PROD;
    const auto x = prod ? testing::RandomFloats(rng, count, 0.8f, 1.25f)
                        : testing::RandomFloats(rng, count, -10.0f, 10.0f);
    SCOPED_TRACE(std::string(fb::EnumNameBuiltinOperator(op)) + " trial " +
                 std::to_string(trial));
    auto r = RunFloat(op, shape, x, axes, keep, const_axis);
    // Expected shape and values, computed directly in double.
    std::vector<int32_t> want_shape;
    int64_t out_count = 1, red_count = 1;
    for (int a = 0; a < rank; ++a) {
      if (!red[a]) {
        want_shape.push_back(shape[a]);
        out_count *= shape[a];
      } else {
        if (keep) want_shape.push_back(1);
        red_count *= shape[a];
      }
    }
    ASSERT_EQ(r.shape, want_shape);
    ASSERT_EQ(int64_t(r.values.size()), out_count);
    std::vector<double> acc(out_count, prod ? 1.0 : 0.0), mag(out_count, 0.0);
    std::vector<bool> seen(out_count, false);
    for (int64_t i = 0; i < count; ++i) {
      int64_t rest = i, o = 0, mul = 1;
      for (int a = rank - 1; a >= 0; --a) {
        const int64_t c = rest % shape[a];
        rest /= shape[a];
        if (!red[a]) {
          o += c * mul;
          mul *= shape[a];
        }
      }
      const double v = x[i];
      if (op == fb::BuiltinOperator::REDUCE_MAX)
        acc[o] = seen[o] ? std::max(acc[o], v) : v;
      else if (op == fb::BuiltinOperator::REDUCE_MIN)
        acc[o] = seen[o] ? std::min(acc[o], v) : v;
      else if (prod)
        acc[o] *= v;
      else
        acc[o] += v;
      mag[o] += std::fabs(v);
      seen[o] = true;
    }
    for (int64_t o = 0; o < out_count; ++o) {
      double want = acc[o];
      if (op == fb::BuiltinOperator::MEAN) {
        want /= double(red_count);
        mag[o] /= double(red_count);
      }
      // Bound: one float rounding of the result (2^-24 relative) plus the
      // double accumulation error of both sides (<= 2 * n * 2^-53 * sum|x|;
      // for products, relative to the result). MAX/MIN are exact.
      double tol = 6.0e-8 * std::fabs(want);
      if (prod)
        tol += 2.0 * red_count * 1.2e-16 * std::fabs(want);
      else if (op != fb::BuiltinOperator::REDUCE_MAX && op != fb::BuiltinOperator::REDUCE_MIN)
        tol += 2.0 * red_count * 1.2e-16 * mag[o];
      EXPECT_NEAR(r.values[o], want, tol) << "output " << o;
    }
  }
}

TEST(ReduceInt, SumWrapsAndMeanTruncates) {
  SingleOpModel m;
  int in = m.Input(DataType::kInt32, {2, 2});
  int ax = m.Const<int32_t>(DataType::kInt32, {1}, {1});
  int out = m.Output(DataType::kInt32);
  m.Op(fb::BuiltinOperator::MEAN, {in, ax}, {out}, Reducer(false));
  ASSERT_TRUE(m.Build().ok());
  // Means -3.5 -> -3 and 3.5 -> 3 (truncation toward zero, as TFLite).
  m.Set<int32_t>(in, {-3, -4, 3, 4});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<int32_t>(out), (std::vector<int32_t>{-3, 3}));

  SingleOpModel s;
  int sin = s.Input(DataType::kInt64, {3});
  int sax = s.Const<int32_t>(DataType::kInt32, {}, {0});
  int sout = s.Output(DataType::kInt64);
  s.Op(fb::BuiltinOperator::SUM, {sin, sax}, {sout}, Reducer(false));
  ASSERT_TRUE(s.Build().ok());
  s.Set<int64_t>(sin, {int64_t{1} << 40, -5, 7});
  ASSERT_TRUE(s.Invoke().ok());
  EXPECT_EQ(s.Get<int64_t>(sout), (std::vector<int64_t>{(int64_t{1} << 40) + 2}));
}

TEST(ReduceInt, MaxMinInt8) {
  SingleOpModel m;
  int in = m.Input(DataType::kInt8, {2, 3});
  int ax = m.Const<int32_t>(DataType::kInt32, {1}, {0});
  int out = m.Output(DataType::kInt8);
  m.Op(fb::BuiltinOperator::REDUCE_MIN, {in, ax}, {out}, Reducer(false));
  ASSERT_TRUE(m.Build().ok());
  m.Set<int8_t>(in, {-128, 5, 7, 127, -6, 7});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<int8_t>(out), (std::vector<int8_t>{-128, -6, 7}));
}

TEST(ReduceBool, AnyAll) {
  for (bool all : {false, true}) {
    SingleOpModel m;
    int in = m.Input(DataType::kBool, {3, 2});
    int ax = m.Const<int32_t>(DataType::kInt32, {1}, {-1});
    int out = m.Output(DataType::kBool);
    m.Op(all ? fb::BuiltinOperator::REDUCE_ALL : fb::BuiltinOperator::REDUCE_ANY, {in, ax}, {out},
         Reducer(true));
    ASSERT_TRUE(m.Build().ok());
    // rows {0,0} {0,1} {1,1}: any -> 0,1,1; all -> 0,0,1.
    m.Set<uint8_t>(in, {0, 0, 0, 1, 1, 1});
    ASSERT_TRUE(m.Invoke().ok());
    EXPECT_EQ(m.Get<uint8_t>(out), all ? (std::vector<uint8_t>{0, 0, 1})
                                       : (std::vector<uint8_t>{0, 1, 1}));
    EXPECT_EQ(m.Shape(out), (std::vector<int32_t>{3, 1}));
  }
}

TEST(ReduceErrors, AxisOutOfRangeAtPrepare) {
  SingleOpModel m;
  int in = m.Input(DataType::kFloat32, {2, 3});
  int ax = m.Const<int32_t>(DataType::kInt32, {1}, {2});
  int out = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::MEAN, {in, ax}, {out}, Reducer(false));
  Status s = m.Build();
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
  EXPECT_NE(s.message().find("MEAN"), std::string::npos) << s.message();
}

TEST(ReduceErrors, AxisOutOfRangeAtEval) {
  SingleOpModel m;
  int in = m.Input(DataType::kFloat32, {2, 3});
  int ax = m.Input(DataType::kInt32, {1});
  int out = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::SUM, {in, ax}, {out}, Reducer(false));
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(in, {1, 2, 3, 4, 5, 6});
  m.Set<int32_t>(ax, {-3});
  Status s = m.Invoke();
  EXPECT_EQ(s.code(), StatusCode::kRuntimeError);
  m.Set<int32_t>(ax, {-2});  // valid again: sums columns 5, 7, 9
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<float>(out), (std::vector<float>{5, 7, 9}));
}

TEST(ReduceErrors, RejectsQuantizedProdAndBadTypes) {
  // Quantized REDUCE_PROD is not implemented (quantized MEAN/SUM are:
  // tests/ops/quantized_misc_test.cc).
  QuantSpec q{{0.5f}, {3}, 0};
  SingleOpModel m;
  int in = m.Input(DataType::kInt8, {2, 3}, &q);
  int ax = m.Const<int32_t>(DataType::kInt32, {1}, {0});
  int out = m.Output(DataType::kInt8, {}, &q);
  m.Op(fb::BuiltinOperator::REDUCE_PROD, {in, ax}, {out}, Reducer(false));
  EXPECT_EQ(m.Build().code(), StatusCode::kUnsupported);

  SingleOpModel b;
  int bin = b.Input(DataType::kFloat32, {2});
  int bax = b.Const<float>(DataType::kFloat32, {1}, {0.0f});
  int bout = b.Output(DataType::kFloat32);
  b.Op(fb::BuiltinOperator::SUM, {bin, bax}, {bout}, Reducer(false));
  EXPECT_EQ(b.Build().code(), StatusCode::kInvalidModel);
}

}  // namespace
}  // namespace edgelite
