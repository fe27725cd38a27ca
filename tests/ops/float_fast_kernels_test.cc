// The optimized float32 kernels (src/kernels/gemm, src/kernels/dwconv) through CONV_2D,
// FULLY_CONNECTED and DEPTHWISE_CONV_2D, against the reference kernels (src/ref), for every
// ISA variant this CPU can run (scalar, AVX2, AVX-512; capped with SetIsaCapForTesting) and
// with 1 and 3 threads, on randomized shapes: tile edges, odd sizes, strides, dilations, both
// paddings, 1x1, batch > 1, every fused activation, with and without bias.
//
// Float bound (stated, worst case): for an output that sums K products plus a bias, both the
// reference (sequential sum, then bias) and the kernel (FMA chain, then bias) are within
// gamma_{K+1} * S of the exact value, S = sum |a*b| + |bias| and gamma_n ~ n * 2^-24. So
//   |kernel - reference| <= 2 * (K + 1) * 2^-24 * S   (+ 1e-30 for S == 0)
// and the clamp of the fused activation is 1-Lipschitz, so the bound holds after it. S is
// computed by running the reference on |input|, |weights| and |bias| without activation.
#include <cmath>
#include <cstdio>
#include <set>
#include <string>

#include "src/base/cpu_features.h"
#include "src/kernels/gemm/gemm_f32.h"
#include "src/ref/conv_2d.h"
#include "src/ref/depthwise_conv_2d.h"
#include "src/ref/fully_connected.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::IsaCapGuard;
using testing::RandomFloats;
using testing::RunnableIsas;
using testing::SingleOpModel;

constexpr double kEps = 1.0 / (1 << 24);

std::set<std::string>& Covered() {
  static std::set<std::string> s;
  return s;
}

// Prints which ISA paths the tests so far covered (GUIDE 8.3).
void PrintCovered() {
  std::string s;
  for (const auto& p : Covered()) s += " " + p;
  std::printf("float kernel ISA paths covered so far:%s\n", s.c_str());
}

fb::ActivationFunctionType ActOf(int i) {
  switch (i % 4) {
    case 0: return fb::ActivationFunctionType::NONE;
    case 1: return fb::ActivationFunctionType::RELU;
    case 2: return fb::ActivationFunctionType::RELU6;
    default: return fb::ActivationFunctionType::RELU_N1_TO_1;
  }
}
void ActRange(fb::ActivationFunctionType a, float* lo, float* hi) {
  const float inf = std::numeric_limits<float>::infinity();
  switch (a) {
    case fb::ActivationFunctionType::RELU: *lo = 0; *hi = inf; break;
    case fb::ActivationFunctionType::RELU6: *lo = 0; *hi = 6; break;
    case fb::ActivationFunctionType::RELU_N1_TO_1: *lo = -1; *hi = 1; break;
    default: *lo = -inf; *hi = inf; break;
  }
}

// Hand-derived TFLite padding: output size and padding before, per axis.
void Axis(bool same, int in, int k, int stride, int dil, int* out, int* pad) {
  const int eff = (k - 1) * dil + 1;
  if (same) {
    *out = (in + stride - 1) / stride;
    const int total = std::max((*out - 1) * stride + eff - in, 0);
    *pad = total / 2;
  } else {
    *out = in >= eff ? (in - eff) / stride + 1 : 0;
    *pad = 0;
  }
}

std::vector<float> Abs(std::vector<float> v) {
  for (float& x : v) x = std::fabs(x);
  return v;
}

// Checks got against want within 2 (K+1) eps S; returns the number of violations.
int CheckBound(const std::vector<float>& got, const std::vector<float>& want,
               const std::vector<float>& abs_sum, int64_t k, const std::string& what) {
  EXPECT_EQ(got.size(), want.size()) << what;
  if (got.size() != want.size()) return 1;
  int bad = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    const double bound = 2.0 * static_cast<double>(k + 1) * kEps * abs_sum[i] + 1e-30;
    const double err = std::fabs(static_cast<double>(got[i]) - want[i]);
    if (!(err <= bound)) {
      if (++bad <= 3)
        ADD_FAILURE() << what << ": element " << i << " got " << got[i] << " want " << want[i]
                      << " (bound " << bound << ")";
    }
  }
  return bad;
}

struct ConvCase {
  int batch, in_h, in_w, in_c, out_c, k_h, k_w, s_h, s_w, d_h, d_w;
  bool same, bias;
  int act;
};

void RunConvCase(const ConvCase& c, Isa isa, int threads, std::mt19937& rng) {
  int out_h, out_w, pad_t, pad_l;
  Axis(c.same, c.in_h, c.k_h, c.s_h, c.d_h, &out_h, &pad_t);
  Axis(c.same, c.in_w, c.k_w, c.s_w, c.d_w, &out_w, &pad_l);
  const auto act = ActOf(c.act);
  const std::vector<int32_t> in_shape = {c.batch, c.in_h, c.in_w, c.in_c};
  const std::vector<int32_t> f_shape = {c.out_c, c.k_h, c.k_w, c.in_c};
  const auto input = RandomFloats(rng, size_t(c.batch) * c.in_h * c.in_w * c.in_c, -2, 2);
  const auto filter = RandomFloats(rng, size_t(c.out_c) * c.k_h * c.k_w * c.in_c);
  const auto bias = RandomFloats(rng, size_t(c.out_c), -1, 1);

  SingleOpModel m;
  const int x = m.Input(DataType::kFloat32, in_shape);
  const int w = m.Const<float>(DataType::kFloat32, f_shape, filter);
  std::vector<int32_t> ins = {x, w};
  if (c.bias) ins.push_back(m.Const<float>(DataType::kFloat32, {c.out_c}, bias));
  const int y = m.Output(DataType::kFloat32);
  fb::Conv2DOptionsT o;
  o.padding = c.same ? fb::Padding::SAME : fb::Padding::VALID;
  o.stride_h = c.s_h;
  o.stride_w = c.s_w;
  o.dilation_h_factor = c.d_h;
  o.dilation_w_factor = c.d_w;
  o.fused_activation_function = act;
  m.Op(fb::BuiltinOperator::CONV_2D, ins, {y}, MakeOptions(o));
  IsaCapGuard guard(isa);
  ASSERT_TRUE(m.Build(threads).ok());
  m.Set<float>(x, input);
  ASSERT_TRUE(m.Invoke().ok());
  const auto got = m.Get<float>(y);

  ref::Window2D p;
  p.stride_h = c.s_h; p.stride_w = c.s_w; p.dilation_h = c.d_h; p.dilation_w = c.d_w;
  p.pad_top = pad_t; p.pad_left = pad_l;
  ActRange(act, &p.act_min, &p.act_max);
  Shape is, fs, os;
  is = Shape{c.batch, c.in_h, c.in_w, c.in_c};
  fs = Shape{c.out_c, c.k_h, c.k_w, c.in_c};
  os = Shape{c.batch, out_h, out_w, c.out_c};
  ASSERT_EQ(m.Shape(y), (std::vector<int32_t>{c.batch, out_h, out_w, c.out_c}));
  std::vector<float> want(os.NumElements()), abs_sum(os.NumElements());
  ref::Conv2DFloat(p, is, input.data(), fs, filter.data(), c.bias ? bias.data() : nullptr, os,
                   want.data());
  ref::Window2D pa = p;
  pa.act_min = -std::numeric_limits<float>::infinity();
  pa.act_max = std::numeric_limits<float>::infinity();
  const auto ai = Abs(input), af = Abs(filter), ab = Abs(bias);
  ref::Conv2DFloat(pa, is, ai.data(), fs, af.data(), c.bias ? ab.data() : nullptr, os,
                   abs_sum.data());
  char what[256];
  std::snprintf(what, sizeof what,
                "conv %s threads=%d n=%d in=%dx%dx%d out_c=%d k=%dx%d s=%d,%d d=%d,%d %s bias=%d "
                "act=%d",
                IsaName(isa), threads, c.batch, c.in_h, c.in_w, c.in_c, c.out_c, c.k_h, c.k_w,
                c.s_h, c.s_w, c.d_h, c.d_w, c.same ? "SAME" : "VALID", c.bias, c.act);
  CheckBound(got, want, abs_sum, int64_t{c.k_h} * c.k_w * c.in_c, what);
  Covered().insert(std::string("CONV_2D/") + IsaName(isa));
}

std::vector<ConvCase> ConvCases(std::mt19937& rng) {
  std::vector<ConvCase> cases = {
      // 1x1 stride 1: the direct GEMM (no im2col), rows and columns off the tile edges.
      {1, 7, 9, 13, 37, 1, 1, 1, 1, 1, 1, true, true, 0},
      {2, 5, 5, 32, 64, 1, 1, 1, 1, 1, 1, false, true, 2},
      {1, 23, 29, 40, 33, 1, 1, 1, 1, 1, 1, true, false, 1},  // > 256 KiB of rows: row blocks
      {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, true, true, 3},
      // 1x1 stride 2 (im2col gathers), 3x3 SAME/VALID, stride 2, dilation, batch.
      {1, 9, 8, 6, 10, 1, 1, 2, 2, 1, 1, true, true, 0},
      {1, 12, 12, 3, 32, 3, 3, 2, 2, 1, 1, true, true, 2},  // MobileNet's first layer, small
      {2, 10, 11, 5, 17, 3, 3, 1, 1, 1, 1, false, true, 1},
      {1, 16, 15, 7, 9, 3, 3, 1, 1, 2, 2, true, true, 3},
      {1, 13, 14, 4, 31, 5, 3, 2, 1, 1, 3, true, false, 0},
      {1, 32, 32, 8, 40, 3, 3, 1, 1, 1, 1, true, true, 2},  // several im2col blocks, threads
      {3, 6, 6, 2, 1, 2, 2, 1, 2, 1, 1, false, true, 0},
  };
  std::uniform_int_distribution<int> d(1, 9);
  for (int i = 0; i < 12; ++i) {
    ConvCase c;
    c.batch = 1 + (i % 3 == 0);
    c.in_h = 1 + d(rng) + d(rng);
    c.in_w = 1 + d(rng) + d(rng);
    c.in_c = d(rng) + (i % 2) * 16;
    c.out_c = d(rng) * d(rng);
    c.k_h = 1 + d(rng) % 3;
    c.k_w = 1 + d(rng) % 3;
    c.s_h = 1 + d(rng) % 2;
    c.s_w = 1 + d(rng) % 2;
    c.d_h = 1 + (d(rng) > 7);
    c.d_w = 1 + (d(rng) > 7);
    c.same = d(rng) % 2;
    c.bias = d(rng) != 1;
    c.act = d(rng);
    cases.push_back(c);
  }
  return cases;
}

TEST(FloatFastKernels, Conv2DAgainstReference) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  const auto cases = ConvCases(rng);
  for (Isa isa : RunnableIsas())
    for (int threads : {1, 3})
      for (const ConvCase& c : cases) RunConvCase(c, isa, threads, rng);
  PrintCovered();
}

void RunFcCase(int batches, int depth, int units, bool bias, int act_i, bool keep_dims, Isa isa,
               int threads, std::mt19937& rng) {
  const auto act = ActOf(act_i);
  const auto input = RandomFloats(rng, size_t(batches) * depth, -2, 2);
  const auto weights = RandomFloats(rng, size_t(units) * depth);
  const auto b = RandomFloats(rng, size_t(units));
  SingleOpModel m;
  std::vector<int32_t> in_shape = keep_dims ? std::vector<int32_t>{1, batches, depth}
                                            : std::vector<int32_t>{batches, depth};
  const int x = m.Input(DataType::kFloat32, in_shape);
  const int w = m.Const<float>(DataType::kFloat32, {units, depth}, weights);
  std::vector<int32_t> ins = {x, w};
  if (bias) ins.push_back(m.Const<float>(DataType::kFloat32, {units}, b));
  const int y = m.Output(DataType::kFloat32);
  fb::FullyConnectedOptionsT o;
  o.fused_activation_function = act;
  o.keep_num_dims = keep_dims;
  m.Op(fb::BuiltinOperator::FULLY_CONNECTED, ins, {y}, MakeOptions(o));
  IsaCapGuard guard(isa);
  ASSERT_TRUE(m.Build(threads).ok());
  m.Set<float>(x, input);
  ASSERT_TRUE(m.Invoke().ok());
  const auto got = m.Get<float>(y);
  ASSERT_EQ(m.Shape(y), keep_dims ? (std::vector<int32_t>{1, batches, units})
                                  : (std::vector<int32_t>{batches, units}));
  float lo, hi;
  ActRange(act, &lo, &hi);
  std::vector<float> want(size_t(batches) * units), abs_sum(want.size());
  ref::FullyConnectedFloat(input.data(), weights.data(), bias ? b.data() : nullptr, want.data(),
                           batches, depth, units, lo, hi);
  const auto ai = Abs(input), aw = Abs(weights), ab = Abs(b);
  const float inf = std::numeric_limits<float>::infinity();
  ref::FullyConnectedFloat(ai.data(), aw.data(), bias ? ab.data() : nullptr, abs_sum.data(),
                           batches, depth, units, -inf, inf);
  char what[160];
  std::snprintf(what, sizeof what, "fc %s threads=%d batches=%d depth=%d units=%d bias=%d act=%d",
                IsaName(isa), threads, batches, depth, units, bias, act_i);
  CheckBound(got, want, abs_sum, depth, what);
  Covered().insert(std::string("FULLY_CONNECTED/") + IsaName(isa));
}

TEST(FloatFastKernels, FullyConnectedAgainstReference) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  struct FcCase { int batches, depth, units; bool bias; int act; bool keep; };
  std::vector<FcCase> cases = {
      {1, 1024, 1001, true, 0, false},  // MobileNet's classifier: panel split with threads
      {1, 1, 1, true, 1, false},  {3, 7, 5, false, 2, false}, {13, 33, 65, true, 3, true},
      {12, 64, 32, true, 0, false}, {25, 17, 31, true, 1, false},
      {300, 260, 48, true, 2, false},  // > 256 KiB of input rows: row blocks
  };
  std::uniform_int_distribution<int> d(1, 70);
  for (int i = 0; i < 8; ++i)
    cases.push_back({d(rng), d(rng), d(rng), i % 3 != 0, i, i % 2 == 1});
  for (Isa isa : RunnableIsas())
    for (int threads : {1, 3})
      for (const auto& c : cases)
        RunFcCase(c.batches, c.depth, c.units, c.bias, c.act, c.keep, isa, threads, rng);
  PrintCovered();
}

void RunDwCase(const ConvCase& c, Isa isa, int threads, std::mt19937& rng) {
  int out_h, out_w, pad_t, pad_l;
  Axis(c.same, c.in_h, c.k_h, c.s_h, c.d_h, &out_h, &pad_t);
  Axis(c.same, c.in_w, c.k_w, c.s_w, c.d_w, &out_w, &pad_l);
  const auto act = ActOf(c.act);
  const int mult = c.out_c / c.in_c;
  const auto input = RandomFloats(rng, size_t(c.batch) * c.in_h * c.in_w * c.in_c, -2, 2);
  const auto filter = RandomFloats(rng, size_t(c.k_h) * c.k_w * c.out_c);
  const auto bias = RandomFloats(rng, size_t(c.out_c));
  SingleOpModel m;
  const int x = m.Input(DataType::kFloat32, {c.batch, c.in_h, c.in_w, c.in_c});
  const int w = m.Const<float>(DataType::kFloat32, {1, c.k_h, c.k_w, c.out_c}, filter);
  std::vector<int32_t> ins = {x, w};
  if (c.bias) ins.push_back(m.Const<float>(DataType::kFloat32, {c.out_c}, bias));
  const int y = m.Output(DataType::kFloat32);
  fb::DepthwiseConv2DOptionsT o;
  o.padding = c.same ? fb::Padding::SAME : fb::Padding::VALID;
  o.stride_h = c.s_h;
  o.stride_w = c.s_w;
  o.dilation_h_factor = c.d_h;
  o.dilation_w_factor = c.d_w;
  o.depth_multiplier = mult;
  o.fused_activation_function = act;
  m.Op(fb::BuiltinOperator::DEPTHWISE_CONV_2D, ins, {y}, MakeOptions(o));
  IsaCapGuard guard(isa);
  ASSERT_TRUE(m.Build(threads).ok());
  m.Set<float>(x, input);
  ASSERT_TRUE(m.Invoke().ok());
  const auto got = m.Get<float>(y);
  ref::Window2D p;
  p.stride_h = c.s_h; p.stride_w = c.s_w; p.dilation_h = c.d_h; p.dilation_w = c.d_w;
  p.pad_top = pad_t; p.pad_left = pad_l;
  ActRange(act, &p.act_min, &p.act_max);
  const Shape is{c.batch, c.in_h, c.in_w, c.in_c}, fs{1, c.k_h, c.k_w, c.out_c},
      os{c.batch, out_h, out_w, c.out_c};
  ASSERT_EQ(m.Shape(y), (std::vector<int32_t>{c.batch, out_h, out_w, c.out_c}));
  std::vector<float> want(os.NumElements()), abs_sum(os.NumElements());
  ref::DepthwiseConv2DFloat(p, is, input.data(), fs, filter.data(),
                            c.bias ? bias.data() : nullptr, os, want.data());
  ref::Window2D pa = p;
  pa.act_min = -std::numeric_limits<float>::infinity();
  pa.act_max = std::numeric_limits<float>::infinity();
  const auto ai = Abs(input), af = Abs(filter), ab = Abs(bias);
  ref::DepthwiseConv2DFloat(pa, is, ai.data(), fs, af.data(), c.bias ? ab.data() : nullptr, os,
                            abs_sum.data());
  char what[256];
  std::snprintf(what, sizeof what,
                "depthwise %s threads=%d n=%d in=%dx%dx%d out_c=%d k=%dx%d s=%d,%d d=%d,%d %s "
                "bias=%d act=%d",
                IsaName(isa), threads, c.batch, c.in_h, c.in_w, c.in_c, c.out_c, c.k_h, c.k_w,
                c.s_h, c.s_w, c.d_h, c.d_w, c.same ? "SAME" : "VALID", c.bias, c.act);
  CheckBound(got, want, abs_sum, int64_t{c.k_h} * c.k_w, what);
  Covered().insert(std::string("DEPTHWISE_CONV_2D/") + IsaName(isa));
}

TEST(FloatFastKernels, DepthwiseAgainstReference) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  std::vector<ConvCase> cases = {
      // Channels: full 64-wide blocks, 16/8-wide blocks and masked tails.
      {1, 14, 14, 144, 144, 3, 3, 1, 1, 1, 1, true, true, 2},
      {2, 9, 10, 77, 77, 3, 3, 2, 2, 1, 1, true, true, 0},
      {1, 11, 7, 5, 5, 5, 5, 1, 2, 1, 1, false, false, 1},
      {1, 17, 19, 24, 24, 3, 3, 1, 1, 2, 3, true, true, 3},
      {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, true, true, 0},
      {1, 40, 40, 32, 32, 3, 3, 1, 1, 1, 1, true, true, 2},  // large enough for threads
      {1, 8, 8, 3, 6, 3, 3, 1, 1, 1, 1, true, true, 0},      // multiplier 2: reference path
  };
  std::uniform_int_distribution<int> d(1, 9);
  for (int i = 0; i < 10; ++i) {
    ConvCase c;
    c.batch = 1 + (i % 4 == 0);
    c.in_h = 1 + d(rng) + d(rng);
    c.in_w = 1 + d(rng) + d(rng);
    c.in_c = d(rng) * d(rng);
    c.out_c = c.in_c;
    c.k_h = 1 + d(rng) % 3;
    c.k_w = 1 + d(rng) % 3;
    c.s_h = 1 + d(rng) % 2;
    c.s_w = 1 + d(rng) % 2;
    c.d_h = 1 + (d(rng) > 7);
    c.d_w = 1 + (d(rng) > 7);
    c.same = d(rng) % 2;
    c.bias = d(rng) != 1;
    c.act = d(rng);
    cases.push_back(c);
  }
  for (Isa isa : RunnableIsas())
    for (int threads : {1, 3})
      for (const ConvCase& c : cases) RunDwCase(c, isa, threads, rng);
  PrintCovered();
}

// The GEMM entry points directly, on sub-rectangles (how the threads split the work): rows and
// panels outside the rectangle must stay untouched.
TEST(FloatFastKernels, GemmRectanglesAgainstReference) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> d(1, 80);
  for (Isa isa : RunnableIsas()) {
    IsaCapGuard guard(isa);
    const kernels::GemmF32Kernel& kern = kernels::SelectGemmF32Kernel();
    ASSERT_EQ(kern.isa, isa);
    for (int iter = 0; iter < 30; ++iter) {
      const int m = d(rng), n = d(rng), k = d(rng) - 1;  // k may be 0: bias only
      const auto a = RandomFloats(rng, size_t(m) * (k + 3), -2, 2);
      const auto w = RandomFloats(rng, size_t(n) * k);
      const auto bias = RandomFloats(rng, size_t(n));
      std::vector<float> pw(kernels::GemmF32PackedWeightFloats(n, k, kern.nr) + 1);
      std::vector<float> pb(kernels::GemmF32PackedBiasFloats(n, kern.nr));
      kernels::GemmF32Pack(w.data(), bias.data(), n, k, kern.nr, pw.data(), pb.data());
      const int ldc = n + 2;
      std::vector<float> c(size_t(m) * ldc, 1234.5f);
      kernels::GemmF32Args g;
      g.a = a.data();
      g.lda = k + 3;
      g.packed_w = pw.data();
      g.packed_bias = pb.data();
      g.k = k;
      g.n = n;
      g.c = c.data();
      g.ldc = ldc;
      g.act_min = -0.5f;
      g.act_max = 3.0f;
      const int panels = kernels::GemmF32NumPanels(n, kern.nr);
      const int m0 = m / 3, m1 = m - m / 4, p0 = panels / 2, p1 = panels;
      kern.run(g, m0, m1, p0, p1);
      for (int i = 0; i < m; ++i)
        for (int j = 0; j < ldc; ++j) {
          const bool inside = i >= m0 && i < m1 && j >= p0 * kern.nr && j < std::min(n, p1 * kern.nr);
          const float got = c[size_t(i) * ldc + j];
          if (!inside) {
            ASSERT_EQ(got, 1234.5f) << IsaName(isa) << " wrote outside at " << i << "," << j;
            continue;
          }
          double want = 0, s = std::fabs(bias[j]);
          float acc = 0;
          for (int kk = 0; kk < k; ++kk) {
            acc += a[size_t(i) * (k + 3) + kk] * w[size_t(j) * k + kk];
            s += std::fabs(a[size_t(i) * (k + 3) + kk] * w[size_t(j) * k + kk]);
          }
          want = ref::Clamp(acc + bias[j], -0.5f, 3.0f);
          ASSERT_LE(std::fabs(got - want), 2.0 * (k + 1) * kEps * s + 1e-30)
              << IsaName(isa) << " m=" << m << " n=" << n << " k=" << k << " at " << i << ","
              << j;
        }
    }
    Covered().insert(std::string("GEMM/") + IsaName(isa));
  }
  PrintCovered();
}

}  // namespace
}  // namespace edgelite
