// Hybrid (float32 activations, int8 weights) RNN, UNIDIRECTIONAL_SEQUENCE_RNN,
// SVDF, BATCH_MATMUL, LSTM and UNIDIRECTIONAL_SEQUENCE_LSTM.
//
// Three checks per op:
//  1. a plain reference in this file that follows TFLite's hybrid algorithm
//     step by step (per-row input quantization, int32 dot products, float
//     rescale), expected to agree to float rounding;
//  2. the float op run with the dequantized weights, within a bound derived
//     from the input-quantization error: each quantized row is off by at most
//     half a quantization step h, so a product sum_c w_c x_c moves by at most
//     h * sum_c |w_c| (activations used here are 1-Lipschitz or flatter);
//  3. TensorFlow Lite itself (WebAssembly oracle) on the same model file and
//     inputs, skipped with a message when the oracle is not installed.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "src/quant/hybrid.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

// Symmetric per-tensor int8 weights and their dequantized float values.
struct QWeights {
  std::vector<int8_t> q;
  std::vector<float> deq;
  float scale = 1.0f;
  QuantSpec spec;
};

QWeights QuantizeWeights(const std::vector<float>& w) {
  QWeights r;
  float m = 0.0f;
  for (float v : w) m = std::max(m, std::fabs(v));
  r.scale = m > 0.0f ? m / 127.0f : 1.0f;
  for (float v : w) {
    const int q = static_cast<int>(std::lround(v / r.scale));
    r.q.push_back(static_cast<int8_t>(std::min(127, std::max(-127, q))));
    r.deq.push_back(static_cast<float>(r.q.back()) * r.scale);
  }
  r.spec.scale = {r.scale};
  r.spec.zero_point = {0};
  return r;
}

int AddWeights(SingleOpModel& m, bool hybrid, const std::vector<int32_t>& shape,
               const QWeights& w) {
  return hybrid ? m.Const<int8_t>(DataType::kInt8, shape, w.q, &w.spec)
                : m.Const<float>(DataType::kFloat32, shape, w.deq);
}

// Half a quantization step of one row as TFLite quantizes it.
double HalfStep(const float* x, int n, bool asymmetric) {
  double lo = 0.0, hi = 0.0;
  for (int i = 0; i < n; ++i) {
    lo = std::min(lo, static_cast<double>(x[i]));
    hi = std::max(hi, static_cast<double>(x[i]));
  }
  return asymmetric ? (hi - lo) / 255.0 / 2.0 : std::max(-lo, hi) / 127.0 / 2.0;
}

// Row quantization as TFLite's BatchQuantizeFloats (the reference below).
void QuantizeRow(const float* x, int n, bool asymmetric, int8_t* q, float* scale, int32_t* zp) {
  *zp = 0;
  if (asymmetric)
    quant::AsymmetricQuantizeFloats(x, n, q, scale, zp);
  else
    quant::SymmetricQuantizeFloats(x, n, q, scale);
}

// TFLite's hybrid product of one row: float(sum w*q - zp * sum w) * (scale * w_scale).
float HybridDot(const int8_t* w, const int8_t* q, int n, float row_scale, int32_t zp,
                float w_scale) {
  int32_t dot = 0, sum = 0;
  for (int i = 0; i < n; ++i) {
    dot += int32_t{w[i]} * q[i];
    sum += w[i];
  }
  return static_cast<float>(dot - sum * zp) * (row_scale * w_scale);
}

bool AllZero(const float* x, int n) {
  for (int i = 0; i < n; ++i)
    if (x[i] != 0.0f) return false;
  return true;
}

std::vector<uint8_t> Bytes(const std::vector<std::vector<float>>& samples) {
  std::vector<uint8_t> b;
  for (const auto& s : samples) {
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    b.insert(b.end(), p, p + s.size() * sizeof(float));
  }
  return b;
}

// Runs the model's samples on the TFLite oracle and compares with ours.
// Returns false (after printing why) when the oracle is absent.
bool CompareWithOracle(SingleOpModel& m, const std::vector<std::vector<float>>& inputs,
                       const std::vector<std::vector<float>>& ours, const std::string& what,
                       double* worst_rel) {
  std::string why;
  std::vector<uint8_t> out;
  if (!testing::RunTfliteOracle(m.builder().Finish(), Bytes(inputs), &out, &why)) {
    std::printf("[oracle] %s: skipped: %s\n", what.c_str(), why.c_str());
    return false;
  }
  std::vector<float> flat;
  for (const auto& o : ours) flat.insert(flat.end(), o.begin(), o.end());
  EXPECT_EQ(out.size(), flat.size() * sizeof(float)) << what;
  if (out.size() != flat.size() * sizeof(float)) return true;
  std::vector<float> theirs(flat.size());
  memcpy(theirs.data(), out.data(), out.size());
  double max_abs = 0.0, max_diff = 0.0;
  size_t exact = 0;
  for (size_t i = 0; i < flat.size(); ++i) {
    max_abs = std::max(max_abs, std::fabs(double(theirs[i])));
    max_diff = std::max(max_diff, std::fabs(double(flat[i]) - theirs[i]));
    exact += flat[i] == theirs[i];
  }
  const double rel = max_diff / std::max(1.0, max_abs);
  *worst_rel = std::max(*worst_rel, rel);
  std::printf("[oracle] %s: %zu/%zu outputs bit-identical, max |diff| %.3g (rel %.3g)\n",
              what.c_str(), exact, flat.size(), max_diff, rel);
  EXPECT_LE(rel, 1e-5) << what;
  return true;
}

// ------------------------------------------------------------------ RNN

struct RnnCase {
  bool sequence = false, time_major = false, asymmetric = false;
  int batch = 1, time = 1, n_input = 1, units = 1;
  fb::ActivationFunctionType act = fb::ActivationFunctionType::TANH;
};

void BuildRnn(SingleOpModel& m, const RnnCase& c, bool hybrid, const QWeights& w,
              const QWeights& r, const std::vector<float>& bias, int* in, int* out) {
  if (!c.sequence)
    *in = m.Input(DataType::kFloat32, {c.batch, c.n_input});
  else if (c.time_major)
    *in = m.Input(DataType::kFloat32, {c.time, c.batch, c.n_input});
  else
    *in = m.Input(DataType::kFloat32, {c.batch, c.time, c.n_input});
  const int wi = AddWeights(m, hybrid, {c.units, c.n_input}, w);
  const int ri = AddWeights(m, hybrid, {c.units, c.units}, r);
  const int bi = m.Const<float>(DataType::kFloat32, {c.units}, bias);
  const int h = m.builder().AddTensor(DataType::kFloat32, {c.batch, c.units}, "h", 0, nullptr,
                                      true);
  *out = m.Output(DataType::kFloat32);
  if (c.sequence) {
    fb::SequenceRNNOptionsT o;
    o.time_major = c.time_major;
    o.fused_activation_function = c.act;
    o.asymmetric_quantize_inputs = c.asymmetric;
    m.Op(fb::BuiltinOperator::UNIDIRECTIONAL_SEQUENCE_RNN, {*in, wi, ri, bi, h}, {*out},
         MakeOptions(o));
  } else {
    fb::RNNOptionsT o;
    o.fused_activation_function = c.act;
    o.asymmetric_quantize_inputs = c.asymmetric;
    m.Op(fb::BuiltinOperator::RNN, {*in, wi, ri, bi, h}, {*out}, MakeOptions(o));
  }
}

float Act(fb::ActivationFunctionType a, float x) {
  switch (a) {
    case fb::ActivationFunctionType::RELU: return std::max(0.0f, x);
    case fb::ActivationFunctionType::RELU6: return std::min(6.0f, std::max(0.0f, x));
    case fb::ActivationFunctionType::TANH: return std::tanh(x);
    default: return x;
  }
}

RnnCase RandomRnnCase(std::mt19937& rng, int trial) {
  RnnCase c;
  c.sequence = trial % 2;
  c.time_major = rng() % 2;
  c.asymmetric = (trial / 2) % 2;
  c.batch = 1 + rng() % 3;
  c.time = c.sequence ? 1 + rng() % 4 : 1;
  c.n_input = 1 + rng() % 9;
  c.units = 1 + rng() % 7;
  const fb::ActivationFunctionType acts[] = {fb::ActivationFunctionType::TANH,
                                             fb::ActivationFunctionType::RELU,
                                             fb::ActivationFunctionType::NONE};
  c.act = acts[rng() % 3];
  return c;
}

std::string Describe(const RnnCase& c) {
  char b[200];
  snprintf(b, sizeof(b), "%s time_major=%d asym=%d batch=%d time=%d in=%d units=%d act=%s",
           c.sequence ? "UNIDIRECTIONAL_SEQUENCE_RNN" : "RNN", c.time_major, c.asymmetric,
           c.batch, c.time, c.n_input, c.units, fb::EnumNameActivationFunctionType(c.act));
  return b;
}

TEST(RnnHybrid, StepReferenceAndFloatBound) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 24; ++trial) {
    const RnnCase c = RandomRnnCase(rng, trial);
    SCOPED_TRACE(Describe(c));
    const QWeights w = QuantizeWeights(testing::RandomFloats(rng, c.units * c.n_input));
    const QWeights r = QuantizeWeights(testing::RandomFloats(rng, c.units * c.units, -0.5f, 0.5f));
    const auto bias = testing::RandomFloats(rng, c.units);
    SingleOpModel hm, fm;
    int hin, hout, fin, fout;
    BuildRnn(hm, c, true, w, r, bias, &hin, &hout);
    BuildRnn(fm, c, false, w, r, bias, &fin, &fout);
    ASSERT_TRUE(hm.Build().ok());
    ASSERT_TRUE(fm.Build().ok());
    // Reference state (TFLite's float arithmetic), float-model state, and
    // the bound on |hybrid - float| per batch row.
    std::vector<float> h(c.batch * c.units, 0.0f);
    std::vector<double> drift(c.batch, 0.0);
    for (int invoke = 0; invoke < 3; ++invoke) {
      auto x = testing::RandomFloats(rng, c.batch * c.time * c.n_input, -2.0f, 2.0f);
      if (invoke == 1 && trial % 3 == 0) std::fill(x.begin(), x.end(), 0.0f);  // zero-input path
      hm.Set<float>(hin, x);
      fm.Set<float>(fin, x);
      ASSERT_TRUE(hm.Invoke().ok());
      ASSERT_TRUE(fm.Invoke().ok());
      const auto got = hm.Get<float>(hout);
      const auto flt = fm.Get<float>(fout);
      const bool whole_batch = c.time_major || !c.sequence;
      for (int t = 0; t < c.time; ++t) {
        // Time-major runs the whole batch per step, batch-major one row at
        // a time: the zero-vector shortcut looks at what one call sees.
        const bool batch_x_zero = AllZero(&x[t * c.batch * c.n_input], c.batch * c.n_input);
        const bool batch_h_zero = AllZero(h.data(), c.batch * c.units);
        for (int b = 0; b < c.batch; ++b) {
          const int row = whole_batch ? t * c.batch + b : b * c.time + t;
          const float* xr = &x[row * c.n_input];
          const bool x_zero = whole_batch ? batch_x_zero : AllZero(xr, c.n_input);
          const bool h_zero = whole_batch ? batch_h_zero : AllZero(&h[b * c.units], c.units);
          std::vector<int8_t> qx(c.n_input), qh(c.units);
          float sx = 1, sh = 1;
          int32_t zx = 0, zh = 0;
          QuantizeRow(xr, c.n_input, c.asymmetric, qx.data(), &sx, &zx);
          QuantizeRow(&h[b * c.units], c.units, c.asymmetric, qh.data(), &sh, &zh);
          const double hx = HalfStep(xr, c.n_input, c.asymmetric);
          const double hh = HalfStep(&h[b * c.units], c.units, c.asymmetric);
          std::vector<float> nh(c.units);
          double next_drift = 0.0;
          for (int u = 0; u < c.units; ++u) {
            float acc = bias[u];
            if (!x_zero) acc += HybridDot(&w.q[u * c.n_input], qx.data(), c.n_input, sx, zx, w.scale);
            if (!h_zero) acc += HybridDot(&r.q[u * c.units], qh.data(), c.units, sh, zh, r.scale);
            nh[u] = Act(c.act, acc);
            double sw = 0, sr = 0, mag = std::fabs(bias[u]);
            for (int i = 0; i < c.n_input; ++i) {
              sw += std::fabs(w.deq[u * c.n_input + i]);
              mag += std::fabs(w.deq[u * c.n_input + i] * xr[i]);
            }
            for (int k = 0; k < c.units; ++k) {
              sr += std::fabs(r.deq[u * c.units + k]);
              mag += std::fabs(r.deq[u * c.units + k] * h[b * c.units + k]);
            }
            // Input and state quantization, plus the float state's own
            // drift from earlier steps carried through R, plus rounding.
            const double bound = hx * sw + sr * (hh + drift[b]) + 1e-5 * (1.0 + mag);
            next_drift = std::max(next_drift, bound);
            EXPECT_NEAR(got[row * c.units + u], nh[u], 1e-6 * (1.0 + std::fabs(nh[u])))
                << "step reference, invoke " << invoke << " t " << t << " b " << b;
            EXPECT_NEAR(got[row * c.units + u], flt[row * c.units + u], bound)
                << "float op with dequantized weights, invoke " << invoke;
          }
          drift[b] = next_drift;
          std::copy(nh.begin(), nh.end(), h.begin() + b * c.units);
        }
      }
    }
  }
}

// ----------------------------------------------------------------- SVDF

struct SvdfCase {
  bool asymmetric = false;
  int batch = 1, n_input = 1, filters = 1, rank = 1, memory = 1;
  bool bias = true;
  fb::ActivationFunctionType act = fb::ActivationFunctionType::NONE;
};

void BuildSvdf(SingleOpModel& m, const SvdfCase& c, bool hybrid, const QWeights& wf,
               const QWeights& wt, const std::vector<float>& bias, int* in, int* out) {
  *in = m.Input(DataType::kFloat32, {c.batch, c.n_input});
  const int f = AddWeights(m, hybrid, {c.filters, c.n_input}, wf);
  const int t = AddWeights(m, hybrid, {c.filters, c.memory}, wt);
  const int b = c.bias ? m.Const<float>(DataType::kFloat32, {c.filters / c.rank}, bias) : -1;
  const int s = m.builder().AddTensor(DataType::kFloat32, {c.batch, c.memory * c.filters}, "s", 0,
                                      nullptr, true);
  *out = m.Output(DataType::kFloat32);
  fb::SVDFOptionsT o;
  o.rank = c.rank;
  o.fused_activation_function = c.act;
  o.asymmetric_quantize_inputs = c.asymmetric;
  m.Op(fb::BuiltinOperator::SVDF, {*in, f, t, b, s}, {*out}, MakeOptions(o));
}

SvdfCase RandomSvdfCase(std::mt19937& rng, int trial) {
  SvdfCase c;
  c.asymmetric = trial % 2;
  c.batch = 1 + rng() % 3;
  c.n_input = 1 + rng() % 10;
  c.rank = 1 + rng() % 2;
  c.filters = c.rank * (1 + rng() % 4);
  c.memory = 1 + rng() % 5;
  c.bias = rng() % 4 != 0;
  c.act = rng() % 2 ? fb::ActivationFunctionType::RELU : fb::ActivationFunctionType::NONE;
  return c;
}

TEST(SvdfHybrid, StepReferenceAndFloatBound) {
  std::mt19937 rng(testing::TestSeed() + 1);
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed() + 1));
  for (int trial = 0; trial < 20; ++trial) {
    const SvdfCase c = RandomSvdfCase(rng, trial);
    SCOPED_TRACE("trial " + std::to_string(trial));
    const QWeights wf = QuantizeWeights(testing::RandomFloats(rng, c.filters * c.n_input));
    const QWeights wt = QuantizeWeights(testing::RandomFloats(rng, c.filters * c.memory));
    const auto bias = testing::RandomFloats(rng, c.filters / c.rank);
    SingleOpModel hm, fm;
    int hin, hout, fin, fout;
    BuildSvdf(hm, c, true, wf, wt, bias, &hin, &hout);
    BuildSvdf(fm, c, false, wf, wt, bias, &fin, &fout);
    ASSERT_TRUE(hm.Build().ok());
    ASSERT_TRUE(fm.Build().ok());
    const int units = c.filters / c.rank;
    // Reference state [batch][filter][memory] and the largest feature
    // activation error any slot can hold per batch row and filter.
    std::vector<float> state(c.batch * c.filters * c.memory, 0.0f);
    std::vector<double> act_err(c.batch * c.filters, 0.0);
    std::vector<float> wt_f(c.filters * c.memory);
    for (size_t i = 0; i < wt_f.size(); ++i) wt_f[i] = static_cast<float>(wt.q[i]) * wt.scale;
    for (int invoke = 0; invoke < 4; ++invoke) {
      auto x = testing::RandomFloats(rng, c.batch * c.n_input, -3.0f, 3.0f);
      if (invoke == 2 && trial % 4 == 1) std::fill(x.begin(), x.end(), 0.0f);
      hm.Set<float>(hin, x);
      fm.Set<float>(fin, x);
      ASSERT_TRUE(hm.Invoke().ok());
      ASSERT_TRUE(fm.Invoke().ok());
      const auto got = hm.Get<float>(hout);
      const auto flt = fm.Get<float>(fout);
      const bool x_zero = AllZero(x.data(), c.batch * c.n_input);
      for (int b = 0; b < c.batch; ++b) {
        std::vector<int8_t> q(c.n_input);
        float s = 1;
        int32_t zp = 0;
        QuantizeRow(&x[b * c.n_input], c.n_input, c.asymmetric, q.data(), &s, &zp);
        const double hs = HalfStep(&x[b * c.n_input], c.n_input, c.asymmetric);
        std::vector<float> filt(c.filters);
        for (int f = 0; f < c.filters; ++f) {
          float* sf = &state[(b * c.filters + f) * c.memory];
          for (int k = 0; k + 1 < c.memory; ++k) sf[k] = sf[k + 1];
          sf[c.memory - 1] =
              x_zero ? 0.0f : 0.0f + HybridDot(&wf.q[f * c.n_input], q.data(), c.n_input, s, zp, wf.scale);
          double swf = 0;
          for (int i = 0; i < c.n_input; ++i) swf += std::fabs(wf.deq[f * c.n_input + i]);
          act_err[b * c.filters + f] = std::max(act_err[b * c.filters + f], hs * swf);
          float t = 0.0f;
          for (int k = 0; k < c.memory; ++k) t += wt_f[f * c.memory + k] * sf[k];
          filt[f] = t;
        }
        for (int u = 0; u < units; ++u) {
          float acc = c.bias ? bias[u] : 0.0f;
          double bound = 1e-5 * (1.0 + std::fabs(acc));
          for (int k = 0; k < c.rank; ++k) {
            const int f = u * c.rank + k;
            acc += filt[f];
            double swt = 0;
            for (int j = 0; j < c.memory; ++j) swt += std::fabs(wt_f[f * c.memory + j]);
            bound += swt * act_err[b * c.filters + f] + 1e-5 * std::fabs(filt[f]) * 10;
          }
          const float want = Act(c.act, acc);
          EXPECT_NEAR(got[b * units + u], want, 1e-6 * (1.0 + std::fabs(want)))
              << "step reference, invoke " << invoke << " b " << b << " u " << u;
          EXPECT_NEAR(got[b * units + u], flt[b * units + u], bound)
              << "float op with dequantized weights, invoke " << invoke;
        }
      }
    }
  }
}

// --------------------------------------------------------- BATCH_MATMUL

struct BmmCase {
  std::vector<int32_t> lhs, rhs;  // shapes as stored (after adj)
  bool adj_x = false, adj_y = false, asymmetric = false;
  int m = 1, k = 1, n = 1;
};

void BuildBmm(SingleOpModel& m, const BmmCase& c, bool hybrid, const QWeights& w, int* in,
              int* out) {
  *in = m.Input(DataType::kFloat32, c.lhs);
  const int r = AddWeights(m, hybrid, c.rhs, w);
  *out = m.Output(DataType::kFloat32);
  fb::BatchMatMulOptionsT o;
  o.adj_x = c.adj_x;
  o.adj_y = c.adj_y;
  o.asymmetric_quantize_inputs = c.asymmetric;
  m.Op(fb::BuiltinOperator::BATCH_MATMUL, {*in, r}, {*out}, MakeOptions(o));
}

BmmCase RandomBmmCase(std::mt19937& rng, int trial) {
  BmmCase c;
  c.adj_x = rng() % 2;
  c.adj_y = rng() % 2;
  c.asymmetric = trial % 2;
  c.m = 1 + rng() % 5;
  c.k = 1 + rng() % 12;
  c.n = 1 + rng() % 5;
  // lhs batch dims: none, [B] or [A, B]; rhs: none or a broadcastable [B].
  const int lb = trial % 3;
  const int32_t B = 1 + rng() % 3;
  if (lb >= 1) c.lhs.push_back(B);
  const bool rb = lb >= 1 && rng() % 2;
  if (rb) c.rhs.push_back(rng() % 2 ? B : 1);
  if (lb == 2) c.lhs.insert(c.lhs.begin(), 1);  // rank 4 with one varying batch axis
  if (c.adj_x) c.lhs.insert(c.lhs.end(), {c.k, c.m});
  else c.lhs.insert(c.lhs.end(), {c.m, c.k});
  if (c.adj_y) c.rhs.insert(c.rhs.end(), {c.n, c.k});
  else c.rhs.insert(c.rhs.end(), {c.k, c.n});
  return c;
}

int64_t Count(const std::vector<int32_t>& s) {
  int64_t n = 1;
  for (int32_t d : s) n *= d;
  return n;
}

TEST(BatchMatMulHybrid, StepReferenceAndFloatBound) {
  std::mt19937 rng(testing::TestSeed() + 2);
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed() + 2));
  for (int trial = 0; trial < 30; ++trial) {
    const BmmCase c = RandomBmmCase(rng, trial);
    SCOPED_TRACE("trial " + std::to_string(trial));
    const QWeights w = QuantizeWeights(testing::RandomFloats(rng, Count(c.rhs)));
    SingleOpModel hm, fm;
    int hin, hout, fin, fout;
    BuildBmm(hm, c, true, w, &hin, &hout);
    BuildBmm(fm, c, false, w, &fin, &fout);
    ASSERT_TRUE(hm.Build().ok());
    ASSERT_TRUE(fm.Build().ok());
    const auto x = testing::RandomFloats(rng, Count(c.lhs), -4.0f, 4.0f);
    hm.Set<float>(hin, x);
    fm.Set<float>(fin, x);
    ASSERT_TRUE(hm.Invoke().ok());
    ASSERT_TRUE(fm.Invoke().ok());
    const auto got = hm.Get<float>(hout);
    const auto flt = fm.Get<float>(fout);
    ASSERT_EQ(got.size(), flt.size());
    const int64_t lmats = Count(c.lhs) / (c.m * c.k);
    const int64_t rmats = Count(c.rhs) / (c.k * c.n);
    const int64_t omats = std::max(lmats, rmats);
    ASSERT_EQ(static_cast<int64_t>(got.size()), omats * c.m * c.n);
    for (int64_t b = 0; b < omats; ++b) {
      const int64_t lb = lmats == 1 ? 0 : b, rb = rmats == 1 ? 0 : b;
      for (int i = 0; i < c.m; ++i) {
        std::vector<float> row(c.k);
        for (int p = 0; p < c.k; ++p)
          row[p] = c.adj_x ? x[(lb * c.k + p) * c.m + i] : x[(lb * c.m + i) * c.k + p];
        std::vector<int8_t> q(c.k);
        float s = 1;
        int32_t zp = 0;
        QuantizeRow(row.data(), c.k, c.asymmetric, q.data(), &s, &zp);
        const double hs = HalfStep(row.data(), c.k, c.asymmetric);
        for (int j = 0; j < c.n; ++j) {
          std::vector<int8_t> col(c.k);
          double sw = 0, mag = 0;
          for (int p = 0; p < c.k; ++p) {
            const int64_t idx = c.adj_y ? (rb * c.n + j) * c.k + p : (rb * c.k + p) * c.n + j;
            col[p] = w.q[idx];
            sw += std::fabs(w.deq[idx]);
            mag += std::fabs(w.deq[idx] * row[p]);
          }
          const float want = HybridDot(col.data(), q.data(), c.k, s, zp, w.scale);
          const int64_t o = (b * c.m + i) * c.n + j;
          EXPECT_NEAR(got[o], want, 1e-6 * (1.0 + std::fabs(want))) << "step reference " << o;
          EXPECT_NEAR(got[o], flt[o], hs * sw + 1e-5 * (1.0 + mag)) << "float op " << o;
        }
      }
    }
  }
}

TEST(BatchMatMulHybrid, RejectsPerChannelAndNonConstantWeights) {
  {
    SingleOpModel m;
    const int in = m.Input(DataType::kFloat32, {2, 3});
    QuantSpec q;
    q.scale = {0.1f, 0.2f};
    q.zero_point = {0, 0};
    q.quantized_dimension = 1;
    const int r = m.Const<int8_t>(DataType::kInt8, {3, 2}, std::vector<int8_t>(6, 1), &q);
    const int out = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::BATCH_MATMUL, {in, r}, {out},
         MakeOptions(fb::BatchMatMulOptionsT{}));
    const Status s = m.Build();
    EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.ToString();
    EXPECT_NE(s.message().find("per-tensor scale"), std::string::npos) << s.message();
  }
  {
    SingleOpModel m;
    const int in = m.Input(DataType::kFloat32, {2, 3});
    QuantSpec q;
    q.scale = {0.1f};
    q.zero_point = {0};
    const int r = m.Input(DataType::kInt8, {3, 2}, &q);
    const int out = m.Output(DataType::kFloat32);
    m.Op(fb::BuiltinOperator::BATCH_MATMUL, {in, r}, {out},
         MakeOptions(fb::BatchMatMulOptionsT{}));
    const Status s = m.Build();
    EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.ToString();
    EXPECT_NE(s.message().find("constant"), std::string::npos) << s.message();
  }
}

// ----------------------------------------------------------------- LSTM

struct LstmCase {
  bool sequence = false, time_major = false, asymmetric = false;
  bool cifg = false, peephole = false, projection = false, proj_bias = false,
       layer_norm = false;
  int batch = 1, time = 1, n_input = 1, n_cell = 1, n_output = 1;
  float cell_clip = 0.0f, proj_clip = 0.0f;
};

// Weights by input position (empty = absent), TFLite's order; int8 for the
// matrices and peepholes in the hybrid model.
struct LstmWeightsQ {
  std::vector<QWeights> w = std::vector<QWeights>(24);
  std::vector<std::vector<float>> f = std::vector<std::vector<float>>(24);
};

bool IsWeight(int i) { return (i >= 1 && i <= 11) || i == 16; }

LstmWeightsQ RandomLstmWeights(std::mt19937& rng, const LstmCase& c) {
  LstmWeightsQ r;
  auto fill = [&](int i, size_t n) {
    auto v = testing::RandomFloats(rng, n, -0.8f, 0.8f);
    if (IsWeight(i)) r.w[i] = QuantizeWeights(v);
    else r.f[i] = v;
  };
  const size_t ci = c.n_cell * c.n_input, co = c.n_cell * c.n_output;
  for (int i = 1; i <= 4; ++i)
    if (i != 1 || !c.cifg) fill(i, ci);
  for (int i = 5; i <= 8; ++i)
    if (i != 5 || !c.cifg) fill(i, co);
  if (c.peephole)
    for (int i = 9; i <= 11; ++i)
      if (i != 9 || !c.cifg) fill(i, c.n_cell);
  for (int i = 12; i <= 15; ++i)
    if (i != 12 || !c.cifg) fill(i, c.n_cell);
  if (c.projection) {
    fill(16, c.n_output * c.n_cell);
    if (c.proj_bias) fill(17, c.n_output);
  }
  if (c.layer_norm)
    for (int i = 20; i <= 23; ++i)
      if (i != 20 || !c.cifg) fill(i, c.n_cell);
  return r;
}

void BuildLstm(SingleOpModel& m, const LstmCase& c, bool hybrid, const LstmWeightsQ& w, int* in,
               int* out) {
  if (!c.sequence)
    *in = m.Input(DataType::kFloat32, {c.batch, c.n_input});
  else if (c.time_major)
    *in = m.Input(DataType::kFloat32, {c.time, c.batch, c.n_input});
  else
    *in = m.Input(DataType::kFloat32, {c.batch, c.time, c.n_input});
  const int n_inputs = c.layer_norm ? 24 : 20;
  std::vector<int32_t> ins(n_inputs, -1);
  ins[0] = *in;
  for (int i = 1; i < n_inputs; ++i) {
    if (i == 18 || i == 19) continue;
    std::vector<int32_t> shape;
    if (i <= 4) shape = {c.n_cell, c.n_input};
    else if (i <= 8) shape = {c.n_cell, c.n_output};
    else if (i == 16) shape = {c.n_output, c.n_cell};
    else if (i == 17) shape = {c.n_output};
    else shape = {c.n_cell};
    if (IsWeight(i)) {
      if (!w.w[i].q.empty()) ins[i] = AddWeights(m, hybrid, shape, w.w[i]);
    } else if (!w.f[i].empty()) {
      ins[i] = m.Const<float>(DataType::kFloat32, shape, w.f[i]);
    }
  }
  ins[18] = m.builder().AddTensor(DataType::kFloat32, {c.batch, c.n_output}, "h", 0, nullptr,
                                  true);
  ins[19] = m.builder().AddTensor(DataType::kFloat32, {c.batch, c.n_cell}, "c", 0, nullptr, true);
  *out = m.Output(DataType::kFloat32);
  if (c.sequence) {
    fb::UnidirectionalSequenceLSTMOptionsT o;
    o.fused_activation_function = fb::ActivationFunctionType::TANH;
    o.cell_clip = c.cell_clip;
    o.proj_clip = c.proj_clip;
    o.time_major = c.time_major;
    o.asymmetric_quantize_inputs = c.asymmetric;
    m.Op(fb::BuiltinOperator::UNIDIRECTIONAL_SEQUENCE_LSTM, ins, {*out}, MakeOptions(o));
  } else {
    fb::LSTMOptionsT o;
    o.fused_activation_function = fb::ActivationFunctionType::TANH;
    o.cell_clip = c.cell_clip;
    o.proj_clip = c.proj_clip;
    o.asymmetric_quantize_inputs = c.asymmetric;
    m.Op(fb::BuiltinOperator::LSTM, ins, {*out}, MakeOptions(o));
  }
}

LstmCase RandomLstmCase(std::mt19937& rng, int trial) {
  LstmCase c;
  c.sequence = trial % 2;
  c.time_major = rng() % 2;
  c.asymmetric = (trial / 2) % 2;
  c.cifg = rng() % 3 == 0;
  c.peephole = rng() % 2;
  c.layer_norm = rng() % 3 == 0;
  c.projection = rng() % 2;
  c.proj_bias = c.projection && rng() % 2;
  c.batch = 1 + rng() % 3;
  c.time = c.sequence ? 1 + rng() % 3 : 1;
  c.n_input = 1 + rng() % 6;
  c.n_cell = 1 + rng() % 6;
  c.n_output = c.projection ? 1 + rng() % 5 : c.n_cell;
  if (rng() % 4 == 0) c.cell_clip = 0.7f;
  if (c.projection && rng() % 4 == 0) c.proj_clip = 0.3f;
  return c;
}

std::string Describe(const LstmCase& c) {
  char b[256];
  snprintf(b, sizeof(b),
           "%s tm=%d asym=%d cifg=%d peep=%d ln=%d proj=%d pbias=%d batch=%d time=%d in=%d "
           "cell=%d out=%d clip=%g/%g",
           c.sequence ? "UNIDIRECTIONAL_SEQUENCE_LSTM" : "LSTM", c.time_major, c.asymmetric,
           c.cifg, c.peephole, c.layer_norm, c.projection, c.proj_bias, c.batch, c.time,
           c.n_input, c.n_cell, c.n_output, c.cell_clip, c.proj_clip);
  return b;
}

// One row of TFLite's hybrid LSTM step (LstmStepHybrid) written out plainly:
// x [n_input]; h [n_output] and c [n_cell] updated; out [n_output].
void LstmReferenceRow(const LstmCase& cs, const LstmWeightsQ& w, const float* x, float* h,
                      float* c) {
  const int ni = cs.n_input, nc = cs.n_cell, no = cs.n_output;
  std::vector<int8_t> qx(ni), qh(no), qm(nc);
  float sx = 1, sh = 1, sm = 1;
  int32_t zx = 0, zh = 0, zm = 0;
  QuantizeRow(x, ni, cs.asymmetric, qx.data(), &sx, &zx);
  QuantizeRow(h, no, cs.asymmetric, qh.data(), &sh, &zh);
  auto gate = [&](int wi, int wr, int peep, int bias, int ln, bool sigmoid,
                  const float* cell) {
    std::vector<float> g(nc);
    for (int u = 0; u < nc; ++u) {
      float acc = ln >= 0 && !w.f[ln].empty() ? 0.0f : w.f[bias][u];
      acc += HybridDot(&w.w[wi].q[u * ni], qx.data(), ni, sx, zx, w.w[wi].scale);
      acc += HybridDot(&w.w[wr].q[u * no], qh.data(), no, sh, zh, w.w[wr].scale);
      if (peep >= 0 && !w.w[peep].q.empty())
        acc += (w.w[peep].scale * static_cast<float>(w.w[peep].q[u])) * cell[u];
      g[u] = acc;
    }
    if (ln >= 0 && !w.f[ln].empty()) {
      float sum = 0;
      for (float v : g) sum += v;
      const float mean = sum / nc;
      float sq = 0;
      for (float v : g) sq += (v - mean) * (v - mean);
      const float inv = 1.0f / std::sqrt(sq / nc + 1e-8f);
      for (int u = 0; u < nc; ++u) g[u] = w.f[ln][u] * ((g[u] - mean) * inv) + w.f[bias][u];
    }
    for (float& v : g) v = sigmoid ? 1.0f / (1.0f + std::exp(-v)) : std::tanh(v);
    return g;
  };
  const bool ln = cs.layer_norm;
  std::vector<float> ig;
  if (!cs.cifg) ig = gate(1, 5, 9, 12, ln ? 20 : -1, true, c);
  const auto fg = gate(2, 6, 10, 13, ln ? 21 : -1, true, c);
  const auto gg = gate(3, 7, -1, 14, ln ? 22 : -1, false, c);
  for (int u = 0; u < nc; ++u) {
    float v = fg[u] * c[u];
    v += gg[u] * (cs.cifg ? 1.0f - fg[u] : ig[u]);
    if (cs.cell_clip > 0) v = std::min(cs.cell_clip, std::max(-cs.cell_clip, v));
    c[u] = v;
  }
  const auto og = gate(4, 8, 11, 15, ln ? 23 : -1, true, c);
  std::vector<float> hidden(nc);
  for (int u = 0; u < nc; ++u) hidden[u] = og[u] * std::tanh(c[u]);
  if (!cs.projection) {
    std::copy(hidden.begin(), hidden.end(), h);
    return;
  }
  QuantizeRow(hidden.data(), nc, cs.asymmetric, qm.data(), &sm, &zm);
  for (int o = 0; o < no; ++o) {
    float v = cs.proj_bias ? w.f[17][o] : 0.0f;
    v += HybridDot(&w.w[16].q[o * nc], qm.data(), nc, sm, zm, w.w[16].scale);
    if (cs.proj_clip > 0) v = std::min(cs.proj_clip, std::max(-cs.proj_clip, v));
    h[o] = v;
  }
}

TEST(LstmHybrid, StepReference) {
  std::mt19937 rng(testing::TestSeed() + 5);
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed() + 5));
  for (int trial = 0; trial < 30; ++trial) {
    const LstmCase c = RandomLstmCase(rng, trial);
    SCOPED_TRACE(Describe(c));
    const LstmWeightsQ w = RandomLstmWeights(rng, c);
    SingleOpModel m;
    int in, out;
    BuildLstm(m, c, true, w, &in, &out);
    ASSERT_TRUE(m.Build().ok());
    std::vector<float> h(c.batch * c.n_output, 0.0f), cell(c.batch * c.n_cell, 0.0f);
    for (int invoke = 0; invoke < 3; ++invoke) {
      const auto x = testing::RandomFloats(rng, c.batch * c.time * c.n_input, -1.5f, 1.5f);
      m.Set<float>(in, x);
      ASSERT_TRUE(m.Invoke().ok());
      const auto got = m.Get<float>(out);
      for (int t = 0; t < c.time; ++t)
        for (int b = 0; b < c.batch; ++b) {
          const int row = !c.sequence || c.time_major ? t * c.batch + b : b * c.time + t;
          LstmReferenceRow(c, w, &x[row * c.n_input], &h[b * c.n_output], &cell[b * c.n_cell]);
          for (int o = 0; o < c.n_output; ++o)
            EXPECT_NEAR(got[row * c.n_output + o], h[b * c.n_output + o], 1e-6)
                << "invoke " << invoke << " t " << t << " b " << b << " o " << o;
        }
    }
  }
}

// First step from zero state, no peephole/projection/layer norm/clip: the
// float op with dequantized weights within the bound carried through the
// cell: gate pre-activation errors e = h * sum|W| (state quantization is
// skipped on a zero state); sigmoid is 1/4-Lipschitz, tanh 1-Lipschitz; with
// c = i * g (c0 = 0): |dc| <= di + dg + di*dg; |dh| <= do + dc + do*dc.
TEST(LstmHybrid, FirstStepWithinQuantizationBoundOfFloat) {
  std::mt19937 rng(testing::TestSeed() + 3);
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed() + 3));
  for (int trial = 0; trial < 24; ++trial) {
    LstmCase c = RandomLstmCase(rng, trial);
    c.peephole = c.projection = c.proj_bias = c.layer_norm = false;
    c.n_output = c.n_cell;
    c.cell_clip = c.proj_clip = 0.0f;
    c.time = 1;
    SCOPED_TRACE(Describe(c));
    const LstmWeightsQ w = RandomLstmWeights(rng, c);
    SingleOpModel hm, fm;
    int hin, hout, fin, fout;
    BuildLstm(hm, c, true, w, &hin, &hout);
    BuildLstm(fm, c, false, w, &fin, &fout);
    ASSERT_TRUE(hm.Build().ok());
    ASSERT_TRUE(fm.Build().ok());
    const auto x = testing::RandomFloats(rng, c.batch * c.n_input, -2.0f, 2.0f);
    hm.Set<float>(hin, x);
    fm.Set<float>(fin, x);
    ASSERT_TRUE(hm.Invoke().ok());
    ASSERT_TRUE(fm.Invoke().ok());
    const auto got = hm.Get<float>(hout);
    const auto flt = fm.Get<float>(fout);
    for (int b = 0; b < c.batch; ++b) {
      const double hs = HalfStep(&x[b * c.n_input], c.n_input, c.asymmetric);
      for (int u = 0; u < c.n_cell; ++u) {
        auto e = [&](int gate) {
          double s = 0;
          for (int i = 0; i < c.n_input; ++i) s += std::fabs(w.w[gate].deq[u * c.n_input + i]);
          return hs * s;
        };
        const double df = e(2) / 4, dg = e(3), d_o = e(4) / 4;
        const double di = c.cifg ? df : e(1) / 4;
        const double dc = di + dg + di * dg;
        const double bound = d_o + dc + d_o * dc + 1e-5;
        EXPECT_NEAR(got[b * c.n_cell + u], flt[b * c.n_cell + u], bound) << "b " << b << " u " << u;
      }
    }
  }
}

// All LSTM options over several invokes against the float op: a loose
// sanity bound (the hybrid output stays close to the float one; hidden
// values are in [-1, 1]).
TEST(LstmHybrid, AllOptionsCloseToFloat) {
  std::mt19937 rng(testing::TestSeed() + 4);
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed() + 4));
  double worst = 0;
  for (int trial = 0; trial < 24; ++trial) {
    const LstmCase c = RandomLstmCase(rng, trial);
    SCOPED_TRACE(Describe(c));
    const LstmWeightsQ w = RandomLstmWeights(rng, c);
    SingleOpModel hm, fm;
    int hin, hout, fin, fout;
    BuildLstm(hm, c, true, w, &hin, &hout);
    BuildLstm(fm, c, false, w, &fin, &fout);
    ASSERT_TRUE(hm.Build().ok());
    ASSERT_TRUE(fm.Build().ok());
    for (int invoke = 0; invoke < 3; ++invoke) {
      auto x = testing::RandomFloats(rng, c.batch * c.time * c.n_input, -1.0f, 1.0f);
      hm.Set<float>(hin, x);
      fm.Set<float>(fin, x);
      ASSERT_TRUE(hm.Invoke().ok());
      ASSERT_TRUE(fm.Invoke().ok());
      const auto got = hm.Get<float>(hout);
      const auto flt = fm.Get<float>(fout);
      for (size_t i = 0; i < got.size(); ++i) {
        worst = std::max(worst, std::fabs(double(got[i]) - flt[i]));
        // 8-bit inputs on |x| <= 1 with |w| <= 0.8 and <= 6 terms: each
        // pre-activation moves by well under 0.05; layer norm can amplify it
        // (unit variance over as few as 1-6 cells), hence 0.25.
        EXPECT_NEAR(got[i], flt[i], 0.25) << "invoke " << invoke << " i " << i;
      }
    }
  }
  std::printf("LSTM hybrid vs float (dequantized weights): max |diff| %.3g\n", worst);
}

TEST(LstmHybrid, RejectsAsymmetricAndPerChannelWeights) {
  LstmCase c;
  c.n_input = 2, c.n_cell = 2, c.n_output = 2;
  std::mt19937 rng(1);
  for (int variant = 0; variant < 2; ++variant) {
    LstmWeightsQ w = RandomLstmWeights(rng, c);
    SingleOpModel m;
    int in, out;
    if (variant == 0) {
      w.w[3].spec.zero_point = {5};  // asymmetric weights: TFLite's hybrid ignores zero points
    } else {
      w.w[3].spec.scale = {0.1f, 0.2f};
      w.w[3].spec.zero_point = {0, 0};
    }
    BuildLstm(m, c, true, w, &in, &out);
    const Status s = m.Build();
    EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.ToString();
    EXPECT_NE(s.message().find("input_to_cell_weights"), std::string::npos) << s.message();
  }
}

// ------------------------------------------------------- TFLite oracle

class HybridOracle : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    if (!testing::TfliteOracleAvailable(&why)) GTEST_SKIP() << why;
  }
};

TEST_F(HybridOracle, RnnAndSequenceRnn) {
  std::mt19937 rng(testing::TestSeed() + 10);
  double worst = 0;
  for (int trial = 0; trial < 8; ++trial) {
    const RnnCase c = RandomRnnCase(rng, trial);
    const QWeights w = QuantizeWeights(testing::RandomFloats(rng, c.units * c.n_input));
    const QWeights r = QuantizeWeights(testing::RandomFloats(rng, c.units * c.units, -0.5f, 0.5f));
    const auto bias = testing::RandomFloats(rng, c.units);
    SingleOpModel m;
    int in, out;
    BuildRnn(m, c, true, w, r, bias, &in, &out);
    ASSERT_TRUE(m.Build().ok());
    std::vector<std::vector<float>> xs, ys;
    for (int invoke = 0; invoke < 3; ++invoke) {
      xs.push_back(testing::RandomFloats(rng, c.batch * c.time * c.n_input, -2.0f, 2.0f));
      m.Set<float>(in, xs.back());
      ASSERT_TRUE(m.Invoke().ok());
      ys.push_back(m.Get<float>(out));
    }
    CompareWithOracle(m, xs, ys, Describe(c), &worst);
  }
  std::printf("[oracle] RNN worst relative difference %.3g\n", worst);
}

TEST_F(HybridOracle, Svdf) {
  std::mt19937 rng(testing::TestSeed() + 11);
  double worst = 0;
  for (int trial = 0; trial < 6; ++trial) {
    const SvdfCase c = RandomSvdfCase(rng, trial);
    const QWeights wf = QuantizeWeights(testing::RandomFloats(rng, c.filters * c.n_input));
    const QWeights wt = QuantizeWeights(testing::RandomFloats(rng, c.filters * c.memory));
    const auto bias = testing::RandomFloats(rng, c.filters / c.rank);
    SingleOpModel m;
    int in, out;
    BuildSvdf(m, c, true, wf, wt, bias, &in, &out);
    ASSERT_TRUE(m.Build().ok());
    std::vector<std::vector<float>> xs, ys;
    for (int invoke = 0; invoke < 4; ++invoke) {
      xs.push_back(testing::RandomFloats(rng, c.batch * c.n_input, -3.0f, 3.0f));
      m.Set<float>(in, xs.back());
      ASSERT_TRUE(m.Invoke().ok());
      ys.push_back(m.Get<float>(out));
    }
    char what[128];
    snprintf(what, sizeof(what), "SVDF asym=%d batch=%d in=%d filters=%d rank=%d memory=%d",
             c.asymmetric, c.batch, c.n_input, c.filters, c.rank, c.memory);
    CompareWithOracle(m, xs, ys, what, &worst);
  }
  std::printf("[oracle] SVDF worst relative difference %.3g\n", worst);
}

TEST_F(HybridOracle, BatchMatMul) {
  std::mt19937 rng(testing::TestSeed() + 12);
  double worst = 0;
  for (int trial = 0; trial < 6; ++trial) {
    const BmmCase c = RandomBmmCase(rng, trial);
    const QWeights w = QuantizeWeights(testing::RandomFloats(rng, Count(c.rhs)));
    SingleOpModel m;
    int in, out;
    BuildBmm(m, c, true, w, &in, &out);
    ASSERT_TRUE(m.Build().ok());
    std::vector<std::vector<float>> xs, ys;
    xs.push_back(testing::RandomFloats(rng, Count(c.lhs), -4.0f, 4.0f));
    m.Set<float>(in, xs.back());
    ASSERT_TRUE(m.Invoke().ok());
    ys.push_back(m.Get<float>(out));
    char what[128];
    snprintf(what, sizeof(what), "BATCH_MATMUL adj=%d/%d asym=%d m=%d k=%d n=%d lhs_rank=%zu",
             c.adj_x, c.adj_y, c.asymmetric, c.m, c.k, c.n, c.lhs.size());
    CompareWithOracle(m, xs, ys, what, &worst);
  }
  std::printf("[oracle] BATCH_MATMUL worst relative difference %.3g\n", worst);
}

TEST_F(HybridOracle, LstmAndSequenceLstm) {
  std::mt19937 rng(testing::TestSeed() + 13);
  double worst = 0;
  for (int trial = 0; trial < 12; ++trial) {
    const LstmCase c = RandomLstmCase(rng, trial);
    const LstmWeightsQ w = RandomLstmWeights(rng, c);
    SingleOpModel m;
    int in, out;
    BuildLstm(m, c, true, w, &in, &out);
    ASSERT_TRUE(m.Build().ok());
    std::vector<std::vector<float>> xs, ys;
    for (int invoke = 0; invoke < 3; ++invoke) {
      xs.push_back(testing::RandomFloats(rng, c.batch * c.time * c.n_input, -1.5f, 1.5f));
      m.Set<float>(in, xs.back());
      ASSERT_TRUE(m.Invoke().ok());
      ys.push_back(m.Get<float>(out));
    }
    CompareWithOracle(m, xs, ys, Describe(c), &worst);
  }
  std::printf("[oracle] LSTM worst relative difference %.3g\n", worst);
}

}  // namespace
}  // namespace edgelite
