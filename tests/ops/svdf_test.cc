// SVDF, float32.
#include <cmath>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

struct SvdfModel {
  SingleOpModel m;
  int in = 0, out = 0;
};

void BuildSvdf(SvdfModel& s, int batch, int n_input, int filters, int memory, int rank,
               const std::vector<float>& wf, const std::vector<float>& wt,
               const std::vector<float>& bias, fb::ActivationFunctionType act) {
  SingleOpModel& m = s.m;
  s.in = m.Input(DataType::kFloat32, {batch, n_input});
  int f = m.Const<float>(DataType::kFloat32, {filters, n_input}, wf);
  int t = m.Const<float>(DataType::kFloat32, {filters, memory}, wt);
  int b = bias.empty() ? -1 : m.Const<float>(DataType::kFloat32, {filters / rank}, bias);
  int st = m.builder().AddTensor(DataType::kFloat32, {batch, memory * filters}, "state", 0,
                                 nullptr, true);
  s.out = m.Output(DataType::kFloat32);
  fb::SVDFOptionsT o;
  o.rank = rank;
  o.fused_activation_function = act;
  m.Op(fb::BuiltinOperator::SVDF, {s.in, f, t, b, st}, {s.out}, MakeOptions(o));
}

TEST(SvdfFloat, HandComputed) {
  // 1 input, 1 filter, memory 3, rank 1, no bias: feature weight 2, time
  // weights [1, 10, 100] (oldest .. newest). Inputs 1, 2, 3 give feature
  // activations 2, 4, 6; memory after each step: [0,0,2], [0,2,4], [2,4,6];
  // outputs 200, 420, 2+40+600 = 642.
  SvdfModel s;
  BuildSvdf(s, 1, 1, 1, 3, 1, {2}, {1, 10, 100}, {}, fb::ActivationFunctionType::NONE);
  ASSERT_TRUE(s.m.Build().ok());
  const float want[3] = {200, 420, 642};
  for (int step = 0; step < 3; ++step) {
    s.m.Set<float>(s.in, {float(step + 1)});
    ASSERT_TRUE(s.m.Invoke().ok());
    EXPECT_EQ(s.m.Get<float>(s.out), (std::vector<float>{want[step]}));
  }
}

TEST(SvdfFloat, RandomAgainstFloat64) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 30; ++trial) {
    const int batch = 1 + rng() % 3, n_input = 1 + rng() % 6, rank = 1 + rng() % 2;
    const int units = 1 + rng() % 4, filters = units * rank, memory = 1 + rng() % 5;
    const bool has_bias = rng() % 2;
    const auto act =
        rng() % 2 ? fb::ActivationFunctionType::RELU : fb::ActivationFunctionType::NONE;
    SCOPED_TRACE("trial " + std::to_string(trial));
    const auto wf = testing::RandomFloats(rng, filters * n_input);
    const auto wt = testing::RandomFloats(rng, filters * memory);
    const auto bias = has_bias ? testing::RandomFloats(rng, units) : std::vector<float>();
    SvdfModel s;
    BuildSvdf(s, batch, n_input, filters, memory, rank, wf, wt, bias, act);
    ASSERT_TRUE(s.m.Build().ok());
    // state[b][f][m], oldest first.
    std::vector<double> state(batch * filters * memory, 0.0);
    for (int step = 0; step < 4; ++step) {
      const auto x = testing::RandomFloats(rng, batch * n_input);
      s.m.Set<float>(s.in, x);
      ASSERT_TRUE(s.m.Invoke().ok());
      const auto got = s.m.Get<float>(s.out);
      ASSERT_EQ(got.size(), size_t(batch * units));
      for (int b = 0; b < batch; ++b) {
        for (int f = 0; f < filters; ++f) {
          double* sf = &state[(b * filters + f) * memory];
          for (int k = 0; k + 1 < memory; ++k) sf[k] = sf[k + 1];
          double a = 0;
          for (int i = 0; i < n_input; ++i) a += double(wf[f * n_input + i]) * x[b * n_input + i];
          sf[memory - 1] = a;
        }
        for (int u = 0; u < units; ++u) {
          double y = has_bias ? bias[u] : 0.0;
          for (int k = 0; k < rank; ++k) {
            const int f = u * rank + k;
            for (int t = 0; t < memory; ++t)
              y += state[(b * filters + f) * memory + t] * wt[f * memory + t];
          }
          if (act == fb::ActivationFunctionType::RELU) y = std::max(0.0, y);
          // Sums of < 60 terms of magnitude < 6: float32 error < 1e-5.
          EXPECT_NEAR(got[b * units + u], y, 1e-5) << "step " << step;
        }
      }
    }
  }
}

TEST(SvdfFloat, RejectsBadStateAndRank) {
  SvdfModel s;
  BuildSvdf(s, 1, 2, 4, 3, 3, std::vector<float>(8, 0.f), std::vector<float>(12, 0.f), {},
            fb::ActivationFunctionType::NONE);  // 4 filters, rank 3
  Status st = s.m.Build();
  EXPECT_EQ(st.code(), StatusCode::kInvalidModel) << st.ToString();

  SingleOpModel m;  // state [1, 9] where memory * filters = 12
  int in = m.Input(DataType::kFloat32, {1, 2});
  int f = m.Const<float>(DataType::kFloat32, {4, 2}, std::vector<float>(8, 0.f));
  int t = m.Const<float>(DataType::kFloat32, {4, 3}, std::vector<float>(12, 0.f));
  int state = m.builder().AddTensor(DataType::kFloat32, {1, 9}, "state", 0, nullptr, true);
  int out = m.Output(DataType::kFloat32);
  fb::SVDFOptionsT o;
  o.rank = 1;
  m.Op(fb::BuiltinOperator::SVDF, {in, f, t, -1, state}, {out}, MakeOptions(o));
  st = m.Build();
  EXPECT_EQ(st.code(), StatusCode::kInvalidModel) << st.ToString();
}

}  // namespace
}  // namespace edgelite
