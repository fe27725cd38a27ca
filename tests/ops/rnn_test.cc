// RNN and UNIDIRECTIONAL_SEQUENCE_RNN, float32.
#include <cmath>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

struct RnnModel {
  SingleOpModel m;
  int in = 0, out = 0;
};

// Builds RNN (sequence = false, input [batch, n_input]) or
// UNIDIRECTIONAL_SEQUENCE_RNN (input [batch, time, n_input] or time-major).
void BuildRnn(RnnModel& r, bool sequence, bool time_major, int batch, int time, int n_input,
              int units, const std::vector<float>& w, const std::vector<float>& rw,
              const std::vector<float>& bias, fb::ActivationFunctionType act) {
  SingleOpModel& m = r.m;
  if (!sequence)
    r.in = m.Input(DataType::kFloat32, {batch, n_input});
  else if (time_major)
    r.in = m.Input(DataType::kFloat32, {time, batch, n_input});
  else
    r.in = m.Input(DataType::kFloat32, {batch, time, n_input});
  int wi = m.Const<float>(DataType::kFloat32, {units, n_input}, w);
  int ri = m.Const<float>(DataType::kFloat32, {units, units}, rw);
  int bi = m.Const<float>(DataType::kFloat32, {units}, bias);
  int h = m.builder().AddTensor(DataType::kFloat32, {batch, units}, "h", 0, nullptr, true);
  r.out = m.Output(DataType::kFloat32);
  if (sequence) {
    fb::SequenceRNNOptionsT o;
    o.time_major = time_major;
    o.fused_activation_function = act;
    m.Op(fb::BuiltinOperator::UNIDIRECTIONAL_SEQUENCE_RNN, {r.in, wi, ri, bi, h}, {r.out},
         MakeOptions(o));
  } else {
    fb::RNNOptionsT o;
    o.fused_activation_function = act;
    m.Op(fb::BuiltinOperator::RNN, {r.in, wi, ri, bi, h}, {r.out}, MakeOptions(o));
  }
}

TEST(RnnFloat, HandComputed) {
  // units 2, input 1: W = [[1],[2]], R = [[0.5,0],[0,-1]], b = [0, 1], RELU.
  // step 1 (h = 0), x = 1: [1, 2+1] = [1, 3].
  // step 2, x = -1: [-1 + 0.5*1, -2 - 3 + 1] = [-0.5, -4] -> relu [0, 0].
  RnnModel r;
  BuildRnn(r, false, false, 1, 1, 1, 2, {1, 2}, {0.5f, 0, 0, -1}, {0, 1},
           fb::ActivationFunctionType::RELU);
  ASSERT_TRUE(r.m.Build().ok());
  r.m.Set<float>(r.in, {1.0f});
  ASSERT_TRUE(r.m.Invoke().ok());
  EXPECT_EQ(r.m.Get<float>(r.out), (std::vector<float>{1.0f, 3.0f}));
  r.m.Set<float>(r.in, {-1.0f});
  ASSERT_TRUE(r.m.Invoke().ok());
  EXPECT_EQ(r.m.Get<float>(r.out), (std::vector<float>{0.0f, 0.0f}));
}

TEST(UnidirectionalSequenceRnnFloat, HandComputedSequence) {
  // Same cell as above over a time-major sequence x = [1, -1] with 1 batch:
  // outputs [1, 3] then [0, 0].
  RnnModel r;
  BuildRnn(r, true, true, 1, 2, 1, 2, {1, 2}, {0.5f, 0, 0, -1}, {0, 1},
           fb::ActivationFunctionType::RELU);
  ASSERT_TRUE(r.m.Build().ok());
  r.m.Set<float>(r.in, {1.0f, -1.0f});
  ASSERT_TRUE(r.m.Invoke().ok());
  EXPECT_EQ(r.m.Get<float>(r.out), (std::vector<float>{1, 3, 0, 0}));
  EXPECT_EQ(r.m.Shape(r.out), (std::vector<int32_t>{2, 1, 2}));
}

TEST(RnnFloat, RandomAgainstFloat64) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 30; ++trial) {
    const bool sequence = trial % 2, time_major = rng() % 2;
    const int batch = 1 + rng() % 3, time = sequence ? 1 + rng() % 4 : 1;
    const int n_input = 1 + rng() % 6, units = 1 + rng() % 6;
    const auto act = rng() % 2 ? fb::ActivationFunctionType::TANH
                               : fb::ActivationFunctionType::RELU6;
    SCOPED_TRACE("trial " + std::to_string(trial));
    const auto w = testing::RandomFloats(rng, units * n_input);
    const auto rw = testing::RandomFloats(rng, units * units);
    const auto bias = testing::RandomFloats(rng, units);
    RnnModel r;
    BuildRnn(r, sequence, time_major, batch, time, n_input, units, w, rw, bias, act);
    ASSERT_TRUE(r.m.Build().ok());
    std::vector<std::vector<double>> h(batch, std::vector<double>(units, 0.0));
    for (int invoke = 0; invoke < 2; ++invoke) {
      const auto x = testing::RandomFloats(rng, batch * time * n_input, -2.0f, 2.0f);
      r.m.Set<float>(r.in, x);
      ASSERT_TRUE(r.m.Invoke().ok());
      const auto got = r.m.Get<float>(r.out);
      for (int t = 0; t < time; ++t)
        for (int b = 0; b < batch; ++b) {
          const int row = time_major ? t * batch + b : b * time + t;
          std::vector<double> nh(units);
          for (int u = 0; u < units; ++u) {
            double s = bias[u];
            for (int i = 0; i < n_input; ++i) s += double(w[u * n_input + i]) * x[row * n_input + i];
            for (int k = 0; k < units; ++k) s += double(rw[u * units + k]) * h[b][k];
            nh[u] = act == fb::ActivationFunctionType::TANH ? std::tanh(s)
                                                            : std::min(6.0, std::max(0.0, s));
          }
          h[b] = nh;
          // |terms| <= ~2 * 13: float32 sums stay within 1e-5.
          for (int u = 0; u < units; ++u) EXPECT_NEAR(got[row * units + u], nh[u], 1e-5);
        }
    }
  }
}

TEST(RnnFloat, RejectsBadRecurrentShape) {
  SingleOpModel m;
  int in = m.Input(DataType::kFloat32, {1, 2});
  int w = m.Const<float>(DataType::kFloat32, {3, 2}, std::vector<float>(6, 0.f));
  int rw = m.Const<float>(DataType::kFloat32, {3, 2}, std::vector<float>(6, 0.f));
  int b = m.Const<float>(DataType::kFloat32, {3}, std::vector<float>(3, 0.f));
  int h = m.builder().AddTensor(DataType::kFloat32, {1, 3}, "h", 0, nullptr, true);
  int out = m.Output(DataType::kFloat32);
  m.Op(fb::BuiltinOperator::RNN, {in, w, rw, b, h}, {out}, MakeOptions(fb::RNNOptionsT{}));
  Status s = m.Build();
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();
  EXPECT_NE(s.message().find("recurrent_weights"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace edgelite
