// BATCH_MATMUL (float32).
#include <cmath>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

fb::BuiltinOptionsUnion Adj(bool x, bool y) {
  fb::BatchMatMulOptionsT o;
  o.adj_x = x;
  o.adj_y = y;
  return MakeOptions(o);
}

TEST(BatchMatMulFloat, HandComputed) {
  // A = [[1,2],[3,4]], B = [[5,6],[7,8]]: AB = [[19,22],[43,50]];
  // A^T B = [[1,3],[2,4]] B = [[26,30],[38,44]];
  // A B^T = [[1*5+2*6, 1*7+2*8],[3*5+4*6, 3*7+4*8]] = [[17,23],[39,53]].
  struct Case {
    bool ax, ay;
    std::vector<float> want;
  } cases[] = {{false, false, {19, 22, 43, 50}},
               {true, false, {26, 30, 38, 44}},
               {false, true, {17, 23, 39, 53}}};
  for (const Case& c : cases) {
    SingleOpModel m;
    int a = m.Input(DataType::kFloat32, {2, 2});
    int b = m.Const<float>(DataType::kFloat32, {2, 2}, {5, 6, 7, 8});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::BATCH_MATMUL, {a, b}, {y}, Adj(c.ax, c.ay));
    ASSERT_TRUE(m.Build().ok());
    m.Set<float>(a, {1, 2, 3, 4});
    ASSERT_TRUE(m.Invoke().ok());
    EXPECT_EQ(m.Get<float>(y), c.want);
  }
}

TEST(BatchMatMulFloat, BroadcastBatch) {
  // lhs [2,1,1,2] (two row vectors), rhs [3,2,1] (three column vectors):
  // out [2,3,1,1], out[i][j] = lhs[i] . rhs[j].
  SingleOpModel m;
  int a = m.Input(DataType::kFloat32, {2, 1, 1, 2});
  int b = m.Input(DataType::kFloat32, {3, 2, 1});
  int y = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::BATCH_MATMUL, {a, b}, {y});
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(a, {1, 2, 10, 20});
  m.Set<float>(b, {1, 0, 0, 1, 1, 1});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Shape(y), (std::vector<int32_t>{2, 3, 1, 1}));
  EXPECT_EQ(m.Get<float>(y), (std::vector<float>{1, 2, 3, 10, 20, 30}));
}

TEST(BatchMatMulFloat, RandomAgainstFloat64) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 30; ++trial) {
    const int out_rank = 2 + rng() % 4;  // 2..5
    const int batch_rank = out_rank - 2;
    std::vector<int32_t> ob(batch_rank), lb, rb;
    for (auto& d : ob) d = 1 + rng() % 3;
    // Each side takes a suffix of the batch dims, with some dims set to 1.
    const int lrank = batch_rank - (batch_rank ? rng() % (batch_rank + 1) : 0);
    const int rrank = rng() % 2 ? batch_rank : batch_rank - (batch_rank ? rng() % (batch_rank + 1) : 0);
    for (int i = batch_rank - lrank; i < batch_rank; ++i) lb.push_back(rng() % 3 ? ob[i] : 1);
    for (int i = batch_rank - rrank; i < batch_rank; ++i) rb.push_back(rng() % 3 ? ob[i] : 1);
    // The true output batch shape is the broadcast of lb and rb.
    std::vector<int32_t> wb(std::max(lb.size(), rb.size()), 1);
    for (size_t i = 0; i < wb.size(); ++i) {
      const int li = int(i) - int(wb.size() - lb.size()), ri = int(i) - int(wb.size() - rb.size());
      wb[i] = std::max(li >= 0 ? lb[li] : 1, ri >= 0 ? rb[ri] : 1);
    }
    const int M = 1 + rng() % 7, K = 1 + rng() % 9, N = 1 + rng() % 7;
    const bool ax = rng() % 2, ay = rng() % 2, const_rhs = rng() % 2;
    std::vector<int32_t> ls = lb, rs = rb;
    ls.push_back(ax ? K : M);
    ls.push_back(ax ? M : K);
    rs.push_back(ay ? N : K);
    rs.push_back(ay ? K : N);
    int64_t lc = 1, rc = 1;
    for (int d : ls) lc *= d;
    for (int d : rs) rc *= d;
    auto lv = testing::RandomFloats(rng, lc), rv = testing::RandomFloats(rng, rc);
    SingleOpModel m;
    int a = m.Input(DataType::kFloat32, ls);
    int b = const_rhs ? m.Const<float>(DataType::kFloat32, rs, rv) : m.Input(DataType::kFloat32, rs);
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::BATCH_MATMUL, {a, b}, {y}, Adj(ax, ay));
    Status s = m.Build();
    ASSERT_TRUE(s.ok()) << s.ToString();
    m.Set<float>(a, lv);
    if (!const_rhs) m.Set<float>(b, rv);
    ASSERT_TRUE(m.Invoke().ok());
    std::vector<int32_t> want_shape = wb;
    want_shape.push_back(M);
    want_shape.push_back(N);
    SCOPED_TRACE("trial " + std::to_string(trial));
    ASSERT_EQ(m.Shape(y), want_shape);
    const auto got = m.Get<float>(y);
    int64_t batches = 1;
    for (int d : wb) batches *= d;
    for (int64_t bi = 0; bi < batches; ++bi) {
      // Batch coordinates -> offsets in lhs and rhs (size-1 dims repeat).
      int64_t rest = bi, loff = 0, roff = 0, lmul = 1, rmul = 1;
      for (int i = int(wb.size()) - 1; i >= 0; --i) {
        const int64_t c = rest % wb[i];
        rest /= wb[i];
        const int li = i - int(wb.size() - lb.size()), ri = i - int(wb.size() - rb.size());
        if (li >= 0) {
          loff += (lb[li] == 1 ? 0 : c) * lmul;
          lmul *= lb[li];
        }
        if (ri >= 0) {
          roff += (rb[ri] == 1 ? 0 : c) * rmul;
          rmul *= rb[ri];
        }
      }
      for (int i = 0; i < M; ++i)
        for (int j = 0; j < N; ++j) {
          double acc = 0, mag = 0;
          for (int p = 0; p < K; ++p) {
            const double x = lv[loff * M * K + (ax ? p * M + i : i * K + p)];
            const double w = rv[roff * K * N + (ay ? j * K + p : p * N + j)];
            acc += x * w;
            mag += std::fabs(x * w);
          }
          // Float accumulation in k order: |err| <= K * 2^-24 * sum|x w| (+ slack 2x).
          EXPECT_NEAR(got[bi * M * N + i * N + j], acc, 2.0 * K * 6e-8 * mag + 1e-30);
        }
    }
  }
}

TEST(BatchMatMulFloat, Errors) {
  {  // contraction mismatch
    SingleOpModel m;
    int a = m.Input(DataType::kFloat32, {2, 3});
    int b = m.Input(DataType::kFloat32, {2, 3});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::BATCH_MATMUL, {a, b}, {y});
    Status s = m.Build();
    EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
    EXPECT_NE(s.message().find("BATCH_MATMUL"), std::string::npos) << s.message();
  }
  {  // batch dims 2 vs 3 do not broadcast
    SingleOpModel m;
    int a = m.Input(DataType::kFloat32, {2, 2, 3});
    int b = m.Input(DataType::kFloat32, {3, 3, 2});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::BATCH_MATMUL, {a, b}, {y});
    EXPECT_EQ(m.Build().code(), StatusCode::kInvalidModel);
  }
  {  // rank 6
    SingleOpModel m;
    int a = m.Input(DataType::kFloat32, {1, 1, 1, 1, 2, 2});
    int b = m.Input(DataType::kFloat32, {2, 2});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::BATCH_MATMUL, {a, b}, {y});
    EXPECT_EQ(m.Build().code(), StatusCode::kInvalidModel);
  }
  {  // hybrid
    SingleOpModel m;
    int a = m.Input(DataType::kFloat32, {2, 2});
    int b = m.Const<int8_t>(DataType::kInt8, {2, 2}, {1, 2, 3, 4});
    int y = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::BATCH_MATMUL, {a, b}, {y});
    EXPECT_EQ(m.Build().code(), StatusCode::kUnsupported);
  }
}

}  // namespace
}  // namespace edgelite
