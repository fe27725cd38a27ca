// LSTM and UNIDIRECTIONAL_SEQUENCE_LSTM, float32.
#include <cmath>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

// Which optional parts an LSTM uses, and its sizes.
struct LstmConfig {
  int n_batch = 1, n_input = 1, n_cell = 1, n_output = 1, max_time = 1;
  bool cifg = false, peephole = false, projection = false, proj_bias = false, layer_norm = false;
  float cell_clip = 0.0f, proj_clip = 0.0f;
  bool time_major = false;
};

// Weight values by input position (empty = absent), TFLite's input order.
using LstmWeightSet = std::vector<std::vector<float>>;

LstmWeightSet RandomWeights(std::mt19937& rng, const LstmConfig& c) {
  LstmWeightSet w(24);
  auto r = [&](size_t n) { return testing::RandomFloats(rng, n, -0.8f, 0.8f); };
  const size_t ci = c.n_cell * c.n_input, co = c.n_cell * c.n_output;
  if (!c.cifg) w[1] = r(ci);
  w[2] = r(ci), w[3] = r(ci), w[4] = r(ci);
  if (!c.cifg) w[5] = r(co);
  w[6] = r(co), w[7] = r(co), w[8] = r(co);
  if (c.peephole) {
    if (!c.cifg) w[9] = r(c.n_cell);
    w[10] = r(c.n_cell), w[11] = r(c.n_cell);
  }
  if (!c.cifg) w[12] = r(c.n_cell);
  w[13] = r(c.n_cell), w[14] = r(c.n_cell), w[15] = r(c.n_cell);
  if (c.projection) {
    w[16] = r(c.n_output * c.n_cell);
    if (c.proj_bias) w[17] = r(c.n_output);
  }
  if (c.layer_norm) {
    if (!c.cifg) w[20] = r(c.n_cell);
    w[21] = r(c.n_cell), w[22] = r(c.n_cell), w[23] = r(c.n_cell);
  }
  return w;
}

// Builds a one-op LSTM (sequence or not) model; returns input/output ids.
void BuildLstm(SingleOpModel& m, const LstmConfig& c, const LstmWeightSet& w, bool sequence,
               int* in, int* out) {
  if (sequence)
    *in = c.time_major ? m.Input(DataType::kFloat32, {c.max_time, c.n_batch, c.n_input})
                       : m.Input(DataType::kFloat32, {c.n_batch, c.max_time, c.n_input});
  else
    *in = m.Input(DataType::kFloat32, {c.n_batch, c.n_input});
  std::vector<int32_t> ins(24, -1);
  ins[0] = *in;
  for (int i = 1; i < 24; ++i) {
    if (i == 18 || i == 19 || w[i].empty()) continue;
    std::vector<int32_t> shape;
    if (i <= 4) shape = {c.n_cell, c.n_input};
    else if (i <= 8) shape = {c.n_cell, c.n_output};
    else if (i == 16) shape = {c.n_output, c.n_cell};
    else if (i == 17) shape = {c.n_output};
    else shape = {c.n_cell};
    ins[i] = m.Const<float>(DataType::kFloat32, shape, w[i]);
  }
  ins[18] = m.builder().AddTensor(DataType::kFloat32, {c.n_batch, c.n_output}, "h", 0, nullptr,
                                  true);
  ins[19] =
      m.builder().AddTensor(DataType::kFloat32, {c.n_batch, c.n_cell}, "c", 0, nullptr, true);
  *out = m.Output(DataType::kFloat32);
  if (sequence) {
    fb::UnidirectionalSequenceLSTMOptionsT o;
    o.fused_activation_function = fb::ActivationFunctionType::TANH;
    o.cell_clip = c.cell_clip;
    o.proj_clip = c.proj_clip;
    o.time_major = c.time_major;
    m.Op(fb::BuiltinOperator::UNIDIRECTIONAL_SEQUENCE_LSTM, ins, {*out}, MakeOptions(o));
  } else {
    fb::LSTMOptionsT o;
    o.fused_activation_function = fb::ActivationFunctionType::TANH;
    o.cell_clip = c.cell_clip;
    o.proj_clip = c.proj_clip;
    m.Op(fb::BuiltinOperator::LSTM, ins, {*out}, MakeOptions(o));
  }
}

// Straightforward float64 LSTM step for one batch row (the test's oracle).
void ReferenceStep(const LstmConfig& c, const LstmWeightSet& w, const float* x,
                   std::vector<double>& h, std::vector<double>& cell, double* out) {
  const int nc = c.n_cell, ni = c.n_input, no = c.n_output;
  auto sigmoid = [](double v) { return 1.0 / (1.0 + std::exp(-v)); };
  auto gate = [&](int wi, int ri, int pi, int bi, int li, const std::vector<double>& cs,
                  bool is_cell) {
    std::vector<double> g(nc);
    for (int k = 0; k < nc; ++k) {
      double s = 0;
      for (int j = 0; j < ni; ++j) s += double(w[wi][k * ni + j]) * x[j];
      for (int j = 0; j < no; ++j) s += double(w[ri][k * no + j]) * h[j];
      if (pi >= 0 && !w[pi].empty()) s += double(w[pi][k]) * cs[k];
      g[k] = s;
    }
    if (c.layer_norm) {
      double mean = 0, var = 0;
      for (double v : g) mean += v;
      mean /= nc;
      for (double v : g) var += (v - mean) * (v - mean);
      var /= nc;
      for (int k = 0; k < nc; ++k) g[k] = (g[k] - mean) / std::sqrt(var + 1e-8) * w[li][k];
    }
    for (int k = 0; k < nc; ++k) {
      g[k] += w[bi][k];
      g[k] = is_cell ? std::tanh(g[k]) : sigmoid(g[k]);
    }
    return g;
  };
  std::vector<double> ig;
  if (!c.cifg) ig = gate(1, 5, 9, 12, 20, cell, false);
  std::vector<double> fg = gate(2, 6, 10, 13, 21, cell, false);
  std::vector<double> gg = gate(3, 7, -1, 14, 22, cell, true);
  for (int k = 0; k < nc; ++k) {
    const double i = c.cifg ? 1.0 - fg[k] : ig[k];
    cell[k] = fg[k] * cell[k] + i * gg[k];
    if (c.cell_clip > 0) cell[k] = std::max<double>(-c.cell_clip, std::min<double>(c.cell_clip, cell[k]));
  }
  std::vector<double> og = gate(4, 8, 11, 15, 23, cell, false);
  std::vector<double> hidden(nc);
  for (int k = 0; k < nc; ++k) hidden[k] = og[k] * std::tanh(cell[k]);
  if (c.projection) {
    for (int o = 0; o < no; ++o) {
      double s = w[17].empty() ? 0.0 : w[17][o];
      for (int k = 0; k < nc; ++k) s += double(w[16][o * nc + k]) * hidden[k];
      if (c.proj_clip > 0) s = std::max<double>(-c.proj_clip, std::min<double>(c.proj_clip, s));
      h[o] = s;
    }
  } else {
    for (int k = 0; k < nc; ++k) h[k] = hidden[k];
  }
  for (int o = 0; o < no; ++o) out[o] = h[o];
}

TEST(LstmFloat, HandComputedTwoSteps) {
  // n_input = n_cell = n_output = 1, all weights 0, biases: input/forget/output 0
  // (gates = sigmoid(0) = 0.5), cell bias atanh(0.5) so the cell gate is
  // tanh(atanh(0.5)) = 0.5. Step 1: c = 0.5*0 + 0.5*0.5 = 0.25,
  // h = 0.5*tanh(0.25) = 0.12245933. Step 2 (state kept): c = 0.5*0.25 +
  // 0.5*0.5 = 0.375, h = 0.5*tanh(0.375) = 0.17917869.
  LstmConfig c;
  LstmWeightSet w(24);
  for (int i : {1, 2, 3, 4, 5, 6, 7, 8}) w[i] = {0.0f};
  w[12] = {0.0f}, w[13] = {0.0f}, w[14] = {0.54930614f}, w[15] = {0.0f};
  SingleOpModel m;
  int in, out;
  BuildLstm(m, c, w, false, &in, &out);
  ASSERT_TRUE(m.Build().ok());
  m.Set<float>(in, {0.7f});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_NEAR(m.Get<float>(out)[0], 0.12245933f, 1e-6);
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_NEAR(m.Get<float>(out)[0], 0.17917869f, 1e-6);
  // ResetVariables restores the zero state: step 1 again.
  ASSERT_TRUE(m.interpreter()->ResetVariables().ok());
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_NEAR(m.Get<float>(out)[0], 0.12245933f, 1e-6);
  EXPECT_EQ(m.Shape(out), (std::vector<int32_t>{1, 1}));
}

LstmConfig RandomConfig(std::mt19937& rng) {
  LstmConfig c;
  c.n_batch = 1 + rng() % 3;
  c.n_input = 1 + rng() % 6;
  c.n_cell = 2 + rng() % 7;
  c.cifg = rng() % 3 == 0;
  c.peephole = rng() % 2;
  c.projection = rng() % 2;
  c.proj_bias = c.projection && rng() % 2;
  c.layer_norm = rng() % 2;
  c.n_output = c.projection ? 1 + rng() % 5 : c.n_cell;
  c.cell_clip = rng() % 2 ? 0.0f : 0.6f;
  c.proj_clip = c.projection && rng() % 2 ? 0.3f : 0.0f;
  c.max_time = 1 + rng() % 4;
  c.time_major = rng() % 2;
  return c;
}

std::string Describe(const LstmConfig& c) {
  char buf[256];
  snprintf(buf, sizeof(buf),
           "batch %d input %d cell %d output %d time %d cifg %d peephole %d proj %d/%d ln %d "
           "clip %g/%g time_major %d",
           c.n_batch, c.n_input, c.n_cell, c.n_output, c.max_time, c.cifg, c.peephole,
           c.projection, c.proj_bias, c.layer_norm, c.cell_clip, c.proj_clip, c.time_major);
  return buf;
}

// Tolerance: values are O(1) and every sum has fewer than 20 terms, so
// float32 rounding stays near 1e-6; layer norm divides by a standard
// deviation that is rarely below ~0.05, so 1e-4 bounds it with a wide
// margin while any wrong gate, order or state handling is off by > 1e-2.
constexpr double kTol = 1e-4;

TEST(LstmFloat, RandomAgainstFloat64) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 40; ++trial) {
    const LstmConfig c = RandomConfig(rng);
    SCOPED_TRACE(Describe(c));
    const LstmWeightSet w = RandomWeights(rng, c);
    SingleOpModel m;
    int in, out;
    BuildLstm(m, c, w, false, &in, &out);
    Status s = m.Build();
    ASSERT_TRUE(s.ok()) << s.ToString();
    std::vector<std::vector<double>> h(c.n_batch, std::vector<double>(c.n_output, 0.0));
    std::vector<std::vector<double>> cs(c.n_batch, std::vector<double>(c.n_cell, 0.0));
    for (int step = 0; step < 3; ++step) {  // state carries across Invokes
      const auto x = testing::RandomFloats(rng, c.n_batch * c.n_input);
      m.Set<float>(in, x);
      ASSERT_TRUE(m.Invoke().ok());
      const auto got = m.Get<float>(out);
      ASSERT_EQ(got.size(), size_t(c.n_batch * c.n_output));
      for (int b = 0; b < c.n_batch; ++b) {
        std::vector<double> want(c.n_output);
        ReferenceStep(c, w, &x[b * c.n_input], h[b], cs[b], want.data());
        for (int o = 0; o < c.n_output; ++o)
          EXPECT_NEAR(got[b * c.n_output + o], want[o], kTol) << "step " << step;
      }
    }
  }
}

TEST(UnidirectionalSequenceLstmFloat, RandomAgainstFloat64) {
  std::mt19937 rng(testing::TestSeed() + 1);
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed() + 1));
  for (int trial = 0; trial < 40; ++trial) {
    const LstmConfig c = RandomConfig(rng);
    SCOPED_TRACE(Describe(c));
    const LstmWeightSet w = RandomWeights(rng, c);
    SingleOpModel m;
    int in, out;
    BuildLstm(m, c, w, true, &in, &out);
    Status s = m.Build();
    ASSERT_TRUE(s.ok()) << s.ToString();
    std::vector<std::vector<double>> h(c.n_batch, std::vector<double>(c.n_output, 0.0));
    std::vector<std::vector<double>> cs(c.n_batch, std::vector<double>(c.n_cell, 0.0));
    for (int invoke = 0; invoke < 2; ++invoke) {
      const auto x = testing::RandomFloats(rng, c.max_time * c.n_batch * c.n_input);
      m.Set<float>(in, x);
      ASSERT_TRUE(m.Invoke().ok());
      const auto got = m.Get<float>(out);
      if (c.time_major)
        EXPECT_EQ(m.Shape(out), (std::vector<int32_t>{c.max_time, c.n_batch, c.n_output}));
      else
        EXPECT_EQ(m.Shape(out), (std::vector<int32_t>{c.n_batch, c.max_time, c.n_output}));
      for (int t = 0; t < c.max_time; ++t)
        for (int b = 0; b < c.n_batch; ++b) {
          const int row = c.time_major ? t * c.n_batch + b : b * c.max_time + t;
          std::vector<double> want(c.n_output);
          ReferenceStep(c, w, &x[row * c.n_input], h[b], cs[b], want.data());
          for (int o = 0; o < c.n_output; ++o)
            EXPECT_NEAR(got[row * c.n_output + o], want[o], kTol) << "t " << t << " b " << b;
        }
    }
  }
}

TEST(LstmFloat, RejectsBadWeightShape) {
  LstmConfig c;
  c.n_input = 3, c.n_cell = 2, c.n_output = 2;
  std::mt19937 rng(1);
  SingleOpModel m;
  int in, out;
  BuildLstm(m, c, RandomWeights(rng, c), false, &in, &out);
  // input_to_cell_weights declared [n_cell, n_input + 1] = [2, 4].
  auto& ops = m.builder().model().subgraphs[0]->operators;
  const int bad = m.Const<float>(DataType::kFloat32, {2, 4}, std::vector<float>(8, 0.0f));
  ops[0]->inputs[3] = bad;
  Status s = m.Build();
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();
  EXPECT_NE(s.message().find("input_to_cell_weights"), std::string::npos) << s.message();
}

TEST(LstmFloat, RejectsHalfPeepholeAndNonVariableState) {
  LstmConfig c;
  c.n_input = 2, c.n_cell = 2, c.n_output = 2, c.peephole = true;
  std::mt19937 rng(2);
  LstmWeightSet w = RandomWeights(rng, c);
  w[11].clear();  // cell_to_output absent while cell_to_forget is present
  SingleOpModel m;
  int in, out;
  BuildLstm(m, c, w, false, &in, &out);
  Status s = m.Build();
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();

  // A state that is not a variable tensor.
  c.peephole = false;
  w = RandomWeights(rng, c);
  SingleOpModel m2;
  BuildLstm(m2, c, w, false, &in, &out);
  m2.builder().model().subgraphs[0]->tensors[m2.builder().model().subgraphs[0]
                                                 ->operators[0]->inputs[18]]->is_variable = false;
  s = m2.Build();
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();
}

TEST(LstmFloat, RejectsHybridWeightsAndBasicKernel) {
  LstmConfig c;
  c.n_input = 2, c.n_cell = 2, c.n_output = 2;
  std::mt19937 rng(3);
  LstmWeightSet w = RandomWeights(rng, c);
  SingleOpModel m;
  int in, out;
  BuildLstm(m, c, w, false, &in, &out);
  QuantSpec q{{0.1f}, {0}, 0};
  const int i8 = m.builder().AddConstTensor<int8_t>(DataType::kInt8, {2, 2}, {1, 2, 3, 4}, "w8",
                                                    &q);
  m.builder().model().subgraphs[0]->operators[0]->inputs[2] = i8;
  Status s = m.Build();
  EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.ToString();

  SingleOpModel m2;
  BuildLstm(m2, c, w, false, &in, &out);
  m2.builder().model().subgraphs[0]->operators[0]->builtin_options.AsLSTMOptions()->kernel_type =
      fb::LSTMKernelType::BASIC;
  s = m2.Build();
  EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.ToString();
}

}  // namespace
}  // namespace edgelite
