// SVDF, float32 and integer (int8 input, int16/int8 state).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

struct SvdfModel {
  SingleOpModel m;
  int in = 0, out = 0, state = -1;
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

// ------------------------------------------------------------- integer

struct SvdfQuant {
  float in_scale = 0.5f, wf_scale = 0.25f, wt_scale = 0.5f, state_scale = 0.125f,
        out_scale = 0.25f;
  int64_t in_zp = 1, state_zp = 0, out_zp = -3;
};

// Integer SVDF; `state_type` (int16 or int8) is also the weights_time type.
template <typename T>
void BuildSvdfInt(SvdfModel& s, DataType state_type, int batch, int n_input, int filters,
                  int memory, int rank, const std::vector<int8_t>& wf, const std::vector<T>& wt,
                  const std::vector<int32_t>& bias, const SvdfQuant& q,
                  fb::ActivationFunctionType act = fb::ActivationFunctionType::RELU) {
  SingleOpModel& m = s.m;
  const QuantSpec qin{{q.in_scale}, {q.in_zp}}, qwf{{q.wf_scale}, {0}}, qwt{{q.wt_scale}, {0}},
      qst{{q.state_scale}, {q.state_zp}}, qout{{q.out_scale}, {q.out_zp}},
      qb{{q.state_scale * q.wt_scale}, {0}};
  s.in = m.Input(DataType::kInt8, {batch, n_input}, &qin);
  int f = m.Const<int8_t>(DataType::kInt8, {filters, n_input}, wf, &qwf);
  int t = m.Const<T>(state_type, {filters, memory}, wt, &qwt);
  int b = bias.empty() ? -1 : m.Const<int32_t>(DataType::kInt32, {filters / rank}, bias, &qb);
  int st = m.builder().AddTensor(state_type, {batch, memory * filters}, "state", 0, &qst, true);
  s.state = st;
  s.out = m.Output(DataType::kInt8, {}, &qout);
  fb::SVDFOptionsT o;
  o.rank = rank;
  o.fused_activation_function = act;
  m.Op(fb::BuiltinOperator::SVDF, {s.in, f, t, b, st}, {s.out}, MakeOptions(o));
}

TEST(SvdfInteger, HandComputedInt16State) {
  // Scales: input 0.5 (zp 1), wf 0.25, state 0.125 -> effective scale 1 is
  // exactly 1 (state = feature dot); wt 0.5, output 0.25 (zp -3) -> effective
  // scale 2 is 1/4 = multiplier 0.5 (2^30), shift -1, with TFLite's double
  // rounding: the doubling high multiply rounds x/2 half away from zero, then
  // the shift rounds /2 again. 2 inputs, 2 filters, rank 2 (1 unit),
  // memory 2, bias 5; wf = [[1,2],[3,-1]], wt = [[1,2],[-1,4]].
  //  x=[3,5]  -> [2,4]:  features f0=10, f1=2; states [0,10],[0,2];
  //     time 20 + 8; acc 33 -> 16.5 -> 17 -> 8.5 -> 9 (single rounding
  //     would give 8); 9 - 3 = 6.
  //  x=[-1,2] -> [-2,1]: f0=0, f1=-7; states [10,0],[2,-7];
  //     time 10 + (-30); acc -15 -> -7.5 -> -7 (the high multiply's
  //     negative nudge: (-15*2^30 + 1 - 2^30) / 2^31 truncates to -7)
  //     -> -3.5 -> -4 (away from zero); -4 - 3 = -7.
  //  x=[1,1]  -> [0,0]:  states [0,0],[-7,0]; time 0 + 7; acc 12 -> 3 - 3 = 0.
  //  x=[127,127] -> [126,126]: f0=378, f1=252; states [0,378],[0,252];
  //     time 756 + 1008; acc 1769 -> 885 -> 443; 443 - 3 = 440 -> saturates to 127.
  // The declared RELU is not applied (TFLite's integer kernel only
  // saturates), hence the negative output -7.
  SvdfModel s;
  BuildSvdfInt<int16_t>(s, DataType::kInt16, 1, 2, 2, 2, 2, {1, 2, 3, -1}, {1, 2, -1, 4}, {5},
                        SvdfQuant{});
  Status st = s.m.Build();
  ASSERT_TRUE(st.ok()) << st.ToString();
  const std::vector<std::vector<int8_t>> xs = {{3, 5}, {-1, 2}, {1, 1}, {127, 127}};
  const int8_t want[4] = {6, -7, 0, 127};
  for (int step = 0; step < 4; ++step) {
    s.m.Set<int8_t>(s.in, xs[step]);
    ASSERT_TRUE(s.m.Invoke().ok());
    EXPECT_EQ(s.m.Get<int8_t>(s.out), (std::vector<int8_t>{want[step]})) << "step " << step;
  }
  const auto state = s.m.Get<int16_t>(s.state);  // [f0 m0, f0 m1, f1 m0, f1 m1]
  EXPECT_EQ(state, (std::vector<int16_t>{0, 378, 0, 252}));
}

TEST(SvdfInteger, HandComputedInt8StateWithZeroPoint) {
  // int8 state with zero point 10 (TFLite Micro's variant): the zero point is
  // added to the feature activation before the int8 clamp and removed in the
  // time product. Same scales as above otherwise; 1 input, 1 filter, rank 1,
  // memory 1 (so the initial state does not matter), wf 100, wt [3], no bias.
  //  x=3 -> 2:  feature 200 + 10 = 210 -> clamps to 127;
  //     time 3 * (127 - 10) = 351 -> 87.75 -> 88 - 3 = 85.
  //  x=0 -> -1: feature -100 + 10 = -90; time 3 * (-100) = -300 -> -75 - 3 = -78.
  SvdfModel s;
  SvdfQuant q;
  q.state_zp = 10;
  BuildSvdfInt<int8_t>(s, DataType::kInt8, 1, 1, 1, 1, 1, {100}, {3}, {}, q);
  Status st = s.m.Build();
  ASSERT_TRUE(st.ok()) << st.ToString();
  const int8_t xs[2] = {3, 0}, want[2] = {85, -78};
  for (int step = 0; step < 2; ++step) {
    s.m.Set<int8_t>(s.in, {xs[step]});
    ASSERT_TRUE(s.m.Invoke().ok());
    EXPECT_EQ(s.m.Get<int8_t>(s.out), (std::vector<int8_t>{want[step]})) << "step " << step;
    EXPECT_EQ(s.m.Get<int8_t>(s.state), (std::vector<int8_t>{int8_t(step == 0 ? 127 : -90)}));
  }
}

template <typename T>
void RandomIntegerTrials(DataType state_type) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  const int32_t smin = std::numeric_limits<T>::min(), smax = std::numeric_limits<T>::max();
  std::uniform_real_distribution<float> uscale(0.5f, 2.0f);
  for (int trial = 0; trial < 20; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial));
    const int batch = 1 + rng() % 3, n_input = 1 + rng() % 8, rank = 1 + rng() % 2;
    const int units = 1 + rng() % 4, filters = units * rank, memory = 1 + rng() % 5;
    const bool has_bias = rng() % 2;
    SvdfQuant q;
    q.in_scale = 0.02f * uscale(rng);
    q.wf_scale = 0.01f * uscale(rng);
    q.wt_scale = (sizeof(T) == 2 ? 1e-4f : 0.01f) * uscale(rng);
    // State scale chosen so feature activations use a good part of the range.
    q.state_scale = (sizeof(T) == 2 ? 2e-4f : 0.05f) * uscale(rng);
    q.out_scale = (sizeof(T) == 2 ? 0.002f : 0.05f) * uscale(rng);
    q.in_zp = int(rng() % 21) - 10;
    q.out_zp = int(rng() % 21) - 10;
    q.state_zp = sizeof(T) == 2 ? 0 : int(rng() % 11) - 5;
    std::vector<int8_t> wf(filters * n_input);
    for (auto& v : wf) v = int8_t(int(rng() % 255) - 127);
    std::vector<T> wt(filters * memory);
    for (auto& v : wt) v = T(int(rng() % 255) - 127);
    std::vector<int32_t> bias;
    if (has_bias)
      for (int u = 0; u < units; ++u) bias.push_back(int32_t(rng() % 2001) - 1000);
    SvdfModel s;
    BuildSvdfInt<T>(s, state_type, batch, n_input, filters, memory, rank, wf, wt, bias, q);
    Status st = s.m.Build();
    ASSERT_TRUE(st.ok()) << st.ToString();
    // Expected: the quantized formula in float64; the state is tracked in
    // integers (TFLite stores it quantized), starting from the runtime's
    // initial state.
    const double s1 = double(q.in_scale) * q.wf_scale / q.state_scale;
    const double s2 = double(q.state_scale) * q.wt_scale / q.out_scale;
    const std::vector<T> init = s.m.Get<T>(s.state);
    std::vector<int32_t> state(init.begin(), init.end());
    ASSERT_EQ(state.size(), size_t(batch * filters * memory));
    for (int step = 0; step < 4; ++step) {
      std::vector<int8_t> x(batch * n_input);
      for (auto& v : x) v = int8_t(int(rng() % 256) - 128);
      s.m.Set<int8_t>(s.in, x);
      ASSERT_TRUE(s.m.Invoke().ok());
      const auto got = s.m.Get<int8_t>(s.out);
      const auto got_state = s.m.Get<T>(s.state);
      ASSERT_EQ(got.size(), size_t(batch * units));
      for (int b = 0; b < batch; ++b) {
        for (int f = 0; f < filters; ++f) {
          int32_t* sf = &state[(b * filters + f) * memory];
          const T* gf = &got_state[(b * filters + f) * memory];
          // Older slots shift left by one, exactly.
          for (int k = 0; k + 1 < memory; ++k) {
            sf[k] = sf[k + 1];
            EXPECT_EQ(int32_t(gf[k]), sf[k]) << "state slot " << k << " step " << step;
          }
          double dot = 0;
          for (int i = 0; i < n_input; ++i)
            dot += double(wf[f * n_input + i]) * (x[b * n_input + i] - q.in_zp);
          const double a =
              std::min<double>(smax, std::max<double>(smin, dot * s1 + q.state_zp));
          // Newest slot: TFLite's double rounding (round in the high multiply,
          // round again in the shift) stays within 1 LSB of the exact value.
          EXPECT_NEAR(double(gf[memory - 1]), a, 1.0) << "newest state, step " << step;
          // Continue from the kernel's state so that a 1-LSB rounding
          // difference is not amplified by the time weights below.
          sf[memory - 1] = gf[memory - 1];
        }
        for (int u = 0; u < units; ++u) {
          double acc = has_bias ? bias[u] : 0.0;
          for (int k = 0; k < rank; ++k) {
            const int f = u * rank + k;
            for (int t = 0; t < memory; ++t)
              acc += double(wt[f * memory + t]) *
                     (state[(b * filters + f) * memory + t] - q.state_zp);
          }
          const double y = std::min(127.0, std::max(-128.0, acc * s2 + q.out_zp));
          // The fixed-point rescale (31-bit multiplier, double rounding) is
          // within 1 LSB of the exact value.
          EXPECT_NEAR(got[b * units + u], y, 1.0) << "step " << step << " b " << b << " u " << u;
        }
      }
    }
  }
}

TEST(SvdfInteger, RandomInt16StateAgainstFloat64) { RandomIntegerTrials<int16_t>(DataType::kInt16); }
TEST(SvdfInteger, RandomInt8StateAgainstFloat64) { RandomIntegerTrials<int8_t>(DataType::kInt8); }

TEST(SvdfInteger, RejectsBadQuantization) {
  {  // int16 state with a non-zero zero point.
    SvdfModel s;
    SvdfQuant q;
    q.state_zp = 3;
    BuildSvdfInt<int16_t>(s, DataType::kInt16, 1, 2, 2, 2, 2, {1, 2, 3, -1}, {1, 2, -1, 4}, {5},
                          q);
    Status st = s.m.Build();
    EXPECT_EQ(st.code(), StatusCode::kUnsupported) << st.ToString();
  }
  {  // weights_time int8 with an int16 state.
    SingleOpModel m;
    const QuantSpec qa{{0.5f}, {0}};
    int in = m.Input(DataType::kInt8, {1, 2}, &qa);
    int f = m.Const<int8_t>(DataType::kInt8, {2, 2}, {1, 2, 3, 4}, &qa);
    int t = m.Const<int8_t>(DataType::kInt8, {2, 2}, {1, 2, 3, 4}, &qa);
    int st_t = m.builder().AddTensor(DataType::kInt16, {1, 4}, "state", 0, &qa, true);
    int out = m.Output(DataType::kInt8, {}, &qa);
    fb::SVDFOptionsT o;
    o.rank = 1;
    m.Op(fb::BuiltinOperator::SVDF, {in, f, t, -1, st_t}, {out}, MakeOptions(o));
    Status st = m.Build();
    EXPECT_EQ(st.code(), StatusCode::kUnsupported) << st.ToString();
  }
  {  // a zero output scale.
    SvdfModel s;
    SvdfQuant q;
    q.out_scale = 0.0f;
    BuildSvdfInt<int16_t>(s, DataType::kInt16, 1, 2, 2, 2, 2, {1, 2, 3, -1}, {1, 2, -1, 4}, {5},
                          q);
    Status st = s.m.Build();
    EXPECT_EQ(st.code(), StatusCode::kInvalidModel) << st.ToString();
  }
  {  // TANH cannot be honoured by the integer kernel.
    SvdfModel s;
    BuildSvdfInt<int16_t>(s, DataType::kInt16, 1, 2, 2, 2, 2, {1, 2, 3, -1}, {1, 2, -1, 4}, {5},
                          SvdfQuant{}, fb::ActivationFunctionType::TANH);
    Status st = s.m.Build();
    EXPECT_EQ(st.code(), StatusCode::kUnsupported) << st.ToString();
  }
  {  // the hybrid variant (float input, int8 weights) stays unsupported.
    SingleOpModel m;
    const QuantSpec qa{{0.5f}, {0}};
    int in = m.Input(DataType::kFloat32, {1, 2});
    int f = m.Const<int8_t>(DataType::kInt8, {2, 2}, {1, 2, 3, 4}, &qa);
    int t = m.Const<float>(DataType::kFloat32, {2, 2}, {1, 2, 3, 4});
    int st_t = m.builder().AddTensor(DataType::kFloat32, {1, 4}, "state", 0, nullptr, true);
    int out = m.Output(DataType::kFloat32);
    fb::SVDFOptionsT o;
    o.rank = 1;
    m.Op(fb::BuiltinOperator::SVDF, {in, f, t, -1, st_t}, {out}, MakeOptions(o));
    Status st = m.Build();
    EXPECT_EQ(st.code(), StatusCode::kUnsupported) << st.ToString();
  }
}

}  // namespace
}  // namespace edgelite
