// CUMSUM.
#include <cmath>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

fb::BuiltinOptionsUnion Opts(bool exclusive, bool reverse) {
  fb::CumsumOptionsT o;
  o.exclusive = exclusive;
  o.reverse = reverse;
  return MakeOptions(o);
}

TEST(Cumsum, HandComputed1D) {
  // x = {1,2,3,4}: inclusive {1,3,6,10}; exclusive {0,1,3,6};
  // reverse {10,9,7,4}; exclusive+reverse {9,7,4,0}.
  struct Case {
    bool ex, rev;
    std::vector<float> want;
  } cases[] = {{false, false, {1, 3, 6, 10}},
               {true, false, {0, 1, 3, 6}},
               {false, true, {10, 9, 7, 4}},
               {true, true, {9, 7, 4, 0}}};
  for (const Case& c : cases) {
    SingleOpModel m;
    int x = m.Input(DataType::kFloat32, {4});
    int ax = m.Const<int32_t>(DataType::kInt32, {}, {0});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::CUMSUM, {x, ax}, {y}, Opts(c.ex, c.rev));
    ASSERT_TRUE(m.Build().ok());
    m.Set<float>(x, {1, 2, 3, 4});
    ASSERT_TRUE(m.Invoke().ok());
    EXPECT_EQ(m.Get<float>(y), c.want);
  }
}

TEST(Cumsum, Int32AlongFirstAxisNegativeAxis) {
  // [[1,2,3],[4,5,6]] along axis -2 (= 0): [[1,2,3],[5,7,9]].
  SingleOpModel m;
  int x = m.Input(DataType::kInt32, {2, 3});
  int ax = m.Input(DataType::kInt32, {});
  int y = m.Output(DataType::kInt32);
  m.Op(fb::BuiltinOperator::CUMSUM, {x, ax}, {y});
  ASSERT_TRUE(m.Build().ok());
  m.Set<int32_t>(x, {1, 2, 3, 4, 5, 6});
  m.Set<int32_t>(ax, {-2});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<int32_t>(y), (std::vector<int32_t>{1, 2, 3, 5, 7, 9}));
  m.Set<int32_t>(ax, {2});  // out of range at run time
  EXPECT_EQ(m.Invoke().code(), StatusCode::kRuntimeError);
}

TEST(Cumsum, RandomAgainstFloat64) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 20; ++trial) {
    const int rank = 1 + rng() % 3;
    std::vector<int32_t> shape(rank);
    for (auto& d : shape) d = 1 + rng() % 8;
    const int axis = rng() % rank;
    const bool ex = rng() % 2, rev = rng() % 2;
    int64_t count = 1, outer = 1, inner = 1;
    for (int d : shape) count *= d;
    for (int a = 0; a < axis; ++a) outer *= shape[a];
    for (int a = axis + 1; a < rank; ++a) inner *= shape[a];
    auto xv = testing::RandomFloats(rng, count, -3.0f, 3.0f);
    SingleOpModel m;
    int x = m.Input(DataType::kFloat32, shape);
    int ax = m.Const<int32_t>(DataType::kInt32, {}, {axis});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::CUMSUM, {x, ax}, {y}, Opts(ex, rev));
    ASSERT_TRUE(m.Build().ok());
    m.Set<float>(x, xv);
    ASSERT_TRUE(m.Invoke().ok());
    const auto got = m.Get<float>(y);
    const int64_t n = shape[axis];
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i = 0; i < inner; ++i)
        for (int64_t j = 0; j < n; ++j) {
          double want = 0;
          for (int64_t t = 0; t < n; ++t) {
            const bool in = rev ? (ex ? t > j : t >= j) : (ex ? t < j : t <= j);
            if (in) want += xv[(o * n + t) * inner + i];
          }
          // Double accumulation, one float rounding: 2^-24 relative + tiny.
          EXPECT_NEAR(got[(o * n + j) * inner + i], want, 6e-8 * std::fabs(want) + 1e-12);
        }
  }
}

TEST(Cumsum, RejectsBadAxis) {
  SingleOpModel m;
  int x = m.Input(DataType::kFloat32, {2, 3});
  int ax = m.Const<int32_t>(DataType::kInt32, {}, {-3});
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::CUMSUM, {x, ax}, {y});
  Status s = m.Build();
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
  EXPECT_NE(s.message().find("CUMSUM"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace edgelite
