// The float32 elementwise kernels (src/kernels/elementwise_f32) against the reference, every
// variant this CPU runs called directly (scalar, AVX2; scalar, NEON on AArch64):
//   - binary ops with every fused clamp: bit-identical to the reference's scalar function and
//     clamp (NaN outputs only need to be NaN), steps 0/1 on either input (broadcast runs),
//     lengths around the vector widths (tails), in place (out == a, out == b), specials
//     (+-0, +-inf, NaN, denormals, huge values), no write past the run;
//   - RELU family / LEAKY_RELU / HARD_SWISH: bit-identical likewise;
//   - LOGISTIC / TANH: a dense sweep (every 127th float bit pattern, so every binade from the
//     denormals to FLT_MAX, both signs) plus the cut-off points, within the header's bounds;
//     scalar is the reference itself (exact);
//   - SOFTMAX: row widths 1..10^4, beta values, huge and -inf logits, NaN/inf rows, in place,
//     within kSoftmaxRelBound of ref::SoftmaxFloat and kSoftmaxExactRelBound of a float64
//     softmax of the same inputs;
// then the ops (ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE, the activations,
// SOFTMAX) at ISA caps scalar and AVX2, with 1 and 3 threads, on broadcast shapes, against the
// reference computed here.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "src/base/cpu_features.h"
#include "src/kernels/elementwise_f32/elementwise_f32.h"
#include "src/ref/binary_elementwise.h"
#include "src/ref/broadcast.h"
#include "src/ref/softmax.h"
#include "src/ref/unary.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

namespace ke = kernels::elementwise_f32;
using testing::IsaCapGuard;
using testing::RunnableIsas;
using testing::SingleOpModel;
using testing::ToShape;

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// Same bits, or both NaN (NaN payloads may differ with the operand order the compiler picks).
bool SameFloat(float a, float b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  uint32_t ua, ub;
  std::memcpy(&ua, &a, 4);
  std::memcpy(&ub, &b, 4);
  return ua == ub;
}

float RandomValue(std::mt19937& rng) {
  static const float kSpecials[] = {0.0f,   -0.0f,   kInf,   -kInf,   kNaN,   1e-40f,
                                    -1e-40f, 3e38f,  -3e38f, 1e-30f, 6.0f,   -1.0f,
                                    1.0f,   -3.0f,   3.0f,   1e20f,  -1e20f, 1.17549435e-38f};
  switch (rng() % 8) {
    case 0: return kSpecials[rng() % (sizeof(kSpecials) / sizeof(kSpecials[0]))];
    case 1: {  // any bit pattern
      const uint32_t u = static_cast<uint32_t>(rng());
      float f;
      std::memcpy(&f, &u, 4);
      return f;
    }
    default: return std::uniform_real_distribution<float>(-8.0f, 8.0f)(rng);
  }
}

std::vector<std::pair<const char*, ke::BinaryFn>> BinaryVariants() {
  std::vector<std::pair<const char*, ke::BinaryFn>> v = {{"scalar", ke::BinaryScalar}};
#if defined(__x86_64__) || defined(_M_X64)
  if (GetCpuFeatures().avx2 && GetCpuFeatures().fma) v.push_back({"avx2", ke::BinaryAvx2});
#elif defined(__aarch64__)
  if (GetCpuFeatures().neon) v.push_back({"neon", ke::BinaryNeon});
#endif
  return v;
}
std::vector<std::pair<const char*, ke::UnaryFn>> UnaryVariants() {
  std::vector<std::pair<const char*, ke::UnaryFn>> v = {{"scalar", ke::UnaryScalar}};
#if defined(__x86_64__) || defined(_M_X64)
  if (GetCpuFeatures().avx2 && GetCpuFeatures().fma) v.push_back({"avx2", ke::UnaryAvx2});
#elif defined(__aarch64__)
  if (GetCpuFeatures().neon) v.push_back({"neon", ke::UnaryNeon});
#endif
  return v;
}
std::vector<std::pair<const char*, ke::SoftmaxFn>> SoftmaxVariants() {
  std::vector<std::pair<const char*, ke::SoftmaxFn>> v = {{"scalar", ke::SoftmaxScalar}};
#if defined(__x86_64__) || defined(_M_X64)
  if (GetCpuFeatures().avx2 && GetCpuFeatures().fma) v.push_back({"avx2", ke::SoftmaxAvx2});
#elif defined(__aarch64__)
  if (GetCpuFeatures().neon) v.push_back({"neon", ke::SoftmaxNeon});
#endif
  return v;
}

float RefBinary(ke::BinaryOp op, float x, float y) {
  switch (op) {
    case ke::BinaryOp::kAdd: return ref::WrapAdd(x, y);
    case ke::BinaryOp::kSub: return ref::WrapSub(x, y);
    case ke::BinaryOp::kMul: return ref::WrapMul(x, y);
    case ke::BinaryOp::kDiv: return ref::Div(x, y);
    case ke::BinaryOp::kMaximum: return ref::Maximum(x, y);
    case ke::BinaryOp::kMinimum: return ref::Minimum(x, y);
    case ke::BinaryOp::kSquaredDifference: return ref::SquaredDifference(x, y);
  }
  return 0;
}

// The clamp bounds of NONE, RELU, RELU_N1_TO_1, RELU6 (op_util.cc's FloatActivationRange).
const float kClamps[4][2] = {{-kInf, kInf}, {0.0f, kInf}, {-1.0f, 1.0f}, {0.0f, 6.0f}};

TEST(ElementwiseF32Kernels, BinaryRunsBitIdentical) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  const auto variants = BinaryVariants();
  const int lengths[] = {0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 257};
  int checked = 0;
  for (int opi = 0; opi < 7; ++opi) {
    const auto op = static_cast<ke::BinaryOp>(opi);
    for (int c = 0; c < 4; ++c) {
      for (int n : lengths) {
        for (int steps = 0; steps < 4; ++steps) {
          const int a_step = steps & 1, b_step = steps >> 1;
          ke::BinaryArgs p;
          p.op = op;
          p.lo = kClamps[c][0];
          p.hi = kClamps[c][1];
          std::vector<float> a(n + 1), b(n + 1);
          for (auto& v : a) v = RandomValue(rng);
          for (auto& v : b) v = RandomValue(rng);
          std::vector<float> want(n);
          for (int i = 0; i < n; ++i)
            want[i] = std::min(std::max(RefBinary(op, a[i * a_step], b[i * b_step]), p.lo), p.hi);
          for (const auto& v : variants) {
            std::vector<float> got(n + 8, 1234.5f);
            v.second(p, a.data(), a_step, b.data(), b_step, got.data(), n);
            for (int i = 0; i < n; ++i)
              ASSERT_TRUE(SameFloat(got[i], want[i]))
                  << v.first << " op " << opi << " clamp " << c << " n " << n << " steps "
                  << a_step << b_step << " i " << i << ": " << a[i * a_step] << ", "
                  << b[i * b_step] << " -> " << got[i] << " want " << want[i];
            for (int i = n; i < n + 8; ++i) ASSERT_EQ(got[i], 1234.5f) << v.first << " wrote past n";
            // In place: the output is the contiguous input.
            if (a_step == 1) {
              std::vector<float> io(a.begin(), a.begin() + n);
              v.second(p, io.data(), 1, b.data(), b_step, io.data(), n);
              for (int i = 0; i < n; ++i)
                ASSERT_TRUE(SameFloat(io[i], want[i])) << v.first << " in place (a) i " << i;
            }
            if (b_step == 1) {
              std::vector<float> io(b.begin(), b.begin() + n);
              v.second(p, a.data(), a_step, io.data(), 1, io.data(), n);
              for (int i = 0; i < n; ++i)
                ASSERT_TRUE(SameFloat(io[i], want[i])) << v.first << " in place (b) i " << i;
            }
            ++checked;
          }
        }
      }
    }
  }
  std::string names;
  for (const auto& v : variants) names += std::string(" ") + v.first;
  std::printf("[ isa paths ] elementwise_f32 binary:%s (%d runs checked)\n", names.c_str(),
              checked);
}

float RefUnary(const ke::UnaryArgs& p, float x) {
  switch (p.op) {
    case ke::UnaryOp::kClamp: return ref::ClampRange(x, p.lo, p.hi);
    case ke::UnaryOp::kLeakyRelu: return ref::LeakyRelu(x, p.alpha);
    case ke::UnaryOp::kHardSwish: return ref::HardSwish(x);
    case ke::UnaryOp::kLogistic: return ref::Logistic(x);
    case ke::UnaryOp::kTanh: return std::tanh(x);
  }
  return 0;
}

TEST(ElementwiseF32Kernels, ExactActivationsBitIdentical) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  const auto variants = UnaryVariants();
  std::vector<ke::UnaryArgs> cases;
  const float bounds[][2] = {{0.0f, kInf}, {0.0f, 6.0f}, {-1.0f, 1.0f}, {0.0f, 1.0f}};
  for (const auto& b : bounds) {
    ke::UnaryArgs p;
    p.op = ke::UnaryOp::kClamp;
    p.lo = b[0];
    p.hi = b[1];
    cases.push_back(p);
  }
  for (float alpha : {0.0f, 0.2f, -0.5f, 1.5f, 0.01f}) {
    ke::UnaryArgs p;
    p.op = ke::UnaryOp::kLeakyRelu;
    p.alpha = alpha;
    cases.push_back(p);
  }
  ke::UnaryArgs hs;
  hs.op = ke::UnaryOp::kHardSwish;
  cases.push_back(hs);
  const int lengths[] = {0, 1, 5, 8, 13, 16, 17, 24, 31, 64, 99, 1000};
  int checked = 0;
  for (size_t ci = 0; ci < cases.size(); ++ci) {
    const ke::UnaryArgs& p = cases[ci];
    for (int n : lengths) {
      std::vector<float> x(n);
      for (auto& v : x) v = RandomValue(rng);
      std::vector<float> want(n);
      for (int i = 0; i < n; ++i) want[i] = RefUnary(p, x[i]);
      for (const auto& v : variants) {
        std::vector<float> got(n + 8, 1234.5f);
        v.second(p, x.data(), got.data(), n);
        for (int i = 0; i < n; ++i)
          ASSERT_TRUE(SameFloat(got[i], want[i])) << v.first << " case " << ci << " n " << n
                                                  << " x " << x[i] << " got " << got[i]
                                                  << " want " << want[i];
        for (int i = n; i < n + 8; ++i) ASSERT_EQ(got[i], 1234.5f) << v.first << " wrote past n";
        std::vector<float> io = x;
        v.second(p, io.data(), io.data(), n);
        for (int i = 0; i < n; ++i) ASSERT_TRUE(SameFloat(io[i], want[i])) << v.first << " in place";
        ++checked;
      }
    }
  }
  std::printf("[ isa paths ] elementwise_f32 exact activations: %zu variants, %d runs checked\n",
              variants.size(), checked);
}

// Relative error of `got` against the reference `want` (outputs below FLT_MIN: the absolute
// error in units of 2^-149, divided by 2^23 so that one denormal step counts like ~1 ulp).
double ErrorOf(float got, float want) {
  if (std::isnan(want)) return std::isnan(got) ? 0.0 : 1e30;
  if (std::isinf(want)) return got == want ? 0.0 : 1e30;
  const double d = std::fabs(static_cast<double>(got) - static_cast<double>(want));
  if (std::fabs(want) < std::numeric_limits<float>::min()) return d / std::ldexp(1.0, -149) * 0x1p-23;
  return d / std::fabs(static_cast<double>(want));
}

void SweepApproximation(ke::UnaryOp op, double bound, const char* name) {
  ke::UnaryArgs p;
  p.op = op;
  // Every 127th bit pattern (both signs, all binades), then the cut-off points and specials.
  std::vector<float> x;
  x.reserve(static_cast<size_t>((uint64_t{1} << 32) / 127 + 64));
  for (uint64_t u = 0; u < (uint64_t{1} << 32); u += 127) {
    float f;
    const uint32_t u32 = static_cast<uint32_t>(u);
    std::memcpy(&f, &u32, 4);
    x.push_back(f);
  }
  for (float c : {-9.0f, 16.619047164916992188f, 0.55f, -0.55f, 0.0f, -0.0f, kInf, -kInf, kNaN,
                  88.7f, -88.7f, -87.4f, -103.9f, -104.5f, 44.4f, -44.4f, 9.0f, -9.1f,
                  1e-40f, -1e-40f, 1.17549435e-38f}) {
    x.push_back(c);
    x.push_back(std::nextafter(c, kInf));
    x.push_back(std::nextafter(c, -kInf));
  }
  const int64_t n = static_cast<int64_t>(x.size());
  std::vector<float> want(n);
  for (int64_t i = 0; i < n; ++i) want[i] = RefUnary(p, x[i]);
  for (const auto& v : UnaryVariants()) {
    std::vector<float> got(n);
    v.second(p, x.data(), got.data(), n);
    double worst = 0;
    int64_t worst_i = 0;
    for (int64_t i = 0; i < n; ++i) {
      const double e = ErrorOf(got[i], want[i]);
      if (e > worst) {
        worst = e;
        worst_i = i;
      }
    }
    std::printf("[ isa paths ] %s %s: max relative error %.3g at x = %.9g (%lld inputs)\n", name,
                v.first, worst, static_cast<double>(x[worst_i]), static_cast<long long>(n));
    if (std::string(v.first) == "scalar") {
      EXPECT_EQ(worst, 0.0) << "the scalar variant is the reference";
    } else {
      EXPECT_LE(worst, bound) << v.first << " x " << x[worst_i] << " got " << got[worst_i]
                              << " want " << want[worst_i];
    }
    // In place and an odd length (the tail).
    std::vector<float> io(x.begin(), x.begin() + 1001);
    v.second(p, io.data(), io.data(), 1001);
    for (int i = 0; i < 1001; ++i) ASSERT_TRUE(SameFloat(io[i], got[i])) << v.first << " in place";
  }
}

TEST(ElementwiseF32Kernels, LogisticWithinBound) {
  SweepApproximation(ke::UnaryOp::kLogistic, ke::kLogisticRelBound, "LOGISTIC");
}

TEST(ElementwiseF32Kernels, TanhWithinBound) {
  SweepApproximation(ke::UnaryOp::kTanh, ke::kTanhRelBound, "TANH");
}

TEST(ElementwiseF32Kernels, SoftmaxWithinBound) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  const int depths[] = {1, 2, 3, 7, 8, 9, 10, 15, 16, 17, 49, 100, 1000, 1001, 10000};
  const float betas[] = {1.0f, 0.5f, 2.0f, 1e-3f, 30.0f};
  double worst_all = 0;
  for (const auto& v : SoftmaxVariants()) {
    double worst = 0, worst_narrow = 0;  // all rows; rows up to 1001 wide
    double worst_exact = 0;  // against softmax in float64 of the same float inputs (finite rows)
    for (int depth : depths) {
      for (int kind = 0; kind < 6; ++kind) {
        const int rows = depth >= 1000 ? 2 : 3;
        const float beta = betas[rng() % 5];
        std::vector<float> x(static_cast<size_t>(rows) * depth);
        for (auto& e : x) {
          switch (kind) {
            case 0: e = std::uniform_real_distribution<float>(-10.0f, 10.0f)(rng); break;
            case 1: e = std::uniform_real_distribution<float>(-100.0f, 100.0f)(rng); break;
            case 2: e = (rng() % 2 ? 1e30f : -1e30f) * (1.0f + (rng() % 100) / 100.0f); break;
            case 3: e = rng() % 4 == 0 ? -kInf : std::uniform_real_distribution<float>(-5, 5)(rng);
              break;
            case 4: e = 3.0f; break;  // a flat row
            default: e = std::uniform_real_distribution<float>(-1.0f, 1.0f)(rng); break;
          }
        }
        if (kind == 5 && depth > 1) {  // a NaN in row 0, +inf in row 1
          x[rng() % depth] = kNaN;
          x[depth + rng() % depth] = kInf;
        }
        std::vector<float> want(x.size());
        ref::SoftmaxFloat(x.data(), want.data(), rows, depth, beta);
        std::vector<float> got(x.size() + 8, 1234.5f);
        v.second(x.data(), got.data(), rows, depth, beta);
        if (kind != 5) {
          for (int r = 0; r < rows; ++r) {
            const float* xr = x.data() + static_cast<size_t>(r) * depth;
            const float m = ref::RowMax(xr, depth);
            double sum = 0;
            for (int c = 0; c < depth; ++c)
              sum += std::exp(static_cast<double>((xr[c] - m) * beta));
            for (int c = 0; c < depth; ++c) {
              const double t = std::exp(static_cast<double>((xr[c] - m) * beta)) / sum;
              const float g = got[static_cast<size_t>(r) * depth + c];
              if (t >= std::numeric_limits<float>::min())
                worst_exact = std::max(worst_exact, std::fabs(g - t) / t);
            }
          }
        }
        for (size_t i = 0; i < x.size(); ++i) {
          const double e = ErrorOf(got[i], want[i]);
          worst = std::max(worst, e);
          if (depth <= 1001) worst_narrow = std::max(worst_narrow, e);
          ASSERT_LE(e, std::string(v.first) == "scalar" ? 0.0 : ke::kSoftmaxRelBound)
              << v.first << " depth " << depth << " kind " << kind << " beta " << beta << " i "
              << i << " x " << x[i] << " got " << got[i] << " want " << want[i];
        }
        for (size_t i = x.size(); i < got.size(); ++i) ASSERT_EQ(got[i], 1234.5f);
        std::vector<float> io = x;
        v.second(io.data(), io.data(), rows, depth, beta);
        for (size_t i = 0; i < x.size(); ++i)
          ASSERT_TRUE(SameFloat(io[i], got[i])) << v.first << " in place, i " << i;
      }
    }
    std::printf("[ isa paths ] SOFTMAX %s: max relative error vs the reference %.3g (rows <= 1001 "
                "wide: %.3g); vs float64 softmax of the same inputs %.3g\n",
                v.first, worst, worst_narrow, worst_exact);
    worst_all = std::max(worst_all, worst);
    if (std::string(v.first) != "scalar") {
      EXPECT_LE(worst_exact, ke::kSoftmaxExactRelBound);
    }
  }
  EXPECT_LE(worst_all, ke::kSoftmaxRelBound);
}

// ---- the ops, through the interpreter --------------------------------------------------------

fb::ActivationFunctionType ActOf(int i) {
  switch (i % 4) {
    case 0: return fb::ActivationFunctionType::NONE;
    case 1: return fb::ActivationFunctionType::RELU;
    case 2: return fb::ActivationFunctionType::RELU_N1_TO_1;
    default: return fb::ActivationFunctionType::RELU6;
  }
}

TEST(ElementwiseF32Kernels, BinaryOpsMatchReference) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  const std::vector<std::pair<std::vector<int32_t>, std::vector<int32_t>>> shapes = {
      {{2, 3, 4, 5}, {2, 3, 4, 5}},      {{2, 3, 4, 5}, {1, 3, 1, 5}}, {{5}, {2, 3, 4, 5}},
      {{2, 3, 4, 5}, {}},                {{1}, {3, 7}},                {{2, 1, 4, 1}, {1, 3, 1, 5}},
      {{1, 40, 40, 33}, {1, 1, 1, 33}},  {{1, 64, 64, 24}, {1, 64, 64, 24}},
      {{1, 80, 80, 1}, {1, 80, 80, 16}}, {{1, 1, 1, 144}, {1, 56, 56, 144}}, {{4, 1}, {1, 1}},
  };
  struct OpCase {
    fb::BuiltinOperator op;
    ke::BinaryOp kop;
  };
  const OpCase ops[] = {{fb::BuiltinOperator::ADD, ke::BinaryOp::kAdd},
                        {fb::BuiltinOperator::SUB, ke::BinaryOp::kSub},
                        {fb::BuiltinOperator::MUL, ke::BinaryOp::kMul},
                        {fb::BuiltinOperator::DIV, ke::BinaryOp::kDiv},
                        {fb::BuiltinOperator::MAXIMUM, ke::BinaryOp::kMaximum},
                        {fb::BuiltinOperator::MINIMUM, ke::BinaryOp::kMinimum},
                        {fb::BuiltinOperator::SQUARED_DIFFERENCE,
                         ke::BinaryOp::kSquaredDifference}};
  int checked = 0;
  for (Isa isa : RunnableIsas()) {
    IsaCapGuard guard(isa);
    for (const auto& sh : shapes) {
      for (const OpCase& oc : ops) {
        for (int threads : {1, 3}) {
          const bool has_act = oc.op == fb::BuiltinOperator::ADD ||
                               oc.op == fb::BuiltinOperator::SUB ||
                               oc.op == fb::BuiltinOperator::MUL || oc.op == fb::BuiltinOperator::DIV;
          const int act_i = has_act ? static_cast<int>(rng() % 4) : 0;
          const auto act = ActOf(act_i);
          SingleOpModel m;
          const int x = m.Input(DataType::kFloat32, sh.first);
          const int y = m.Input(DataType::kFloat32, sh.second);
          const int z = m.Output(DataType::kFloat32);
          switch (oc.op) {
            case fb::BuiltinOperator::ADD: {
              fb::AddOptionsT o;
              o.fused_activation_function = act;
              m.Op(oc.op, {x, y}, {z}, MakeOptions(o));
              break;
            }
            case fb::BuiltinOperator::SUB: {
              fb::SubOptionsT o;
              o.fused_activation_function = act;
              m.Op(oc.op, {x, y}, {z}, MakeOptions(o));
              break;
            }
            case fb::BuiltinOperator::MUL: {
              fb::MulOptionsT o;
              o.fused_activation_function = act;
              m.Op(oc.op, {x, y}, {z}, MakeOptions(o));
              break;
            }
            case fb::BuiltinOperator::DIV: {
              fb::DivOptionsT o;
              o.fused_activation_function = act;
              m.Op(oc.op, {x, y}, {z}, MakeOptions(o));
              break;
            }
            default:
              m.Op(oc.op, {x, y}, {z});
              break;
          }
          const Status st = m.Build(threads);
          ASSERT_TRUE(st.ok()) << st.message();
          const Shape s1 = ToShape(sh.first), s2 = ToShape(sh.second);
          std::vector<float> va(s1.NumElements()), vb(s2.NumElements());
          for (auto& v : va) v = RandomValue(rng);
          for (auto& v : vb) v = RandomValue(rng);
          m.Set<float>(x, va);
          m.Set<float>(y, vb);
          ASSERT_TRUE(m.Invoke().ok());
          const std::vector<float> got = m.Get<float>(z);
          const Shape so = ToShape(m.Shape(z));
          const float lo = kClamps[act_i][0], hi = kClamps[act_i][1];
          std::vector<float> want(so.NumElements());
          ref::BroadcastBinary(s1, va.data(), s2, vb.data(), so, want.data(), [&](float a, float b) {
            return std::min(std::max(RefBinary(oc.kop, a, b), lo), hi);
          });
          ASSERT_EQ(got.size(), want.size());
          for (size_t i = 0; i < got.size(); ++i)
            ASSERT_TRUE(SameFloat(got[i], want[i]))
                << IsaName(isa) << " op " << static_cast<int>(oc.kop) << " threads " << threads
                << " shapes " << sh.first.size() << "/" << sh.second.size() << " i " << i
                << " got " << got[i] << " want " << want[i];
          ++checked;
        }
      }
    }
  }
  std::printf("float binary op cases checked (bit-identical): %d\n", checked);
}

TEST(ElementwiseF32Kernels, ActivationOpsMatchReference) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  struct OpCase {
    fb::BuiltinOperator op;
    ke::UnaryArgs args;
    double bound;  // 0: bit-identical
  };
  auto args = [](ke::UnaryOp op, float lo, float hi, float alpha) {
    ke::UnaryArgs a;
    a.op = op;
    a.lo = lo;
    a.hi = hi;
    a.alpha = alpha;
    return a;
  };
  const OpCase ops[] = {
      {fb::BuiltinOperator::RELU, args(ke::UnaryOp::kClamp, 0, kInf, 0), 0},
      {fb::BuiltinOperator::RELU6, args(ke::UnaryOp::kClamp, 0, 6, 0), 0},
      {fb::BuiltinOperator::RELU_N1_TO_1, args(ke::UnaryOp::kClamp, -1, 1, 0), 0},
      {fb::BuiltinOperator::RELU_0_TO_1, args(ke::UnaryOp::kClamp, 0, 1, 0), 0},
      {fb::BuiltinOperator::LEAKY_RELU, args(ke::UnaryOp::kLeakyRelu, 0, 0, 0.2f), 0},
      {fb::BuiltinOperator::HARD_SWISH, args(ke::UnaryOp::kHardSwish, 0, 0, 0), 0},
      {fb::BuiltinOperator::LOGISTIC, args(ke::UnaryOp::kLogistic, 0, 0, 0),
       ke::kLogisticRelBound},
      {fb::BuiltinOperator::TANH, args(ke::UnaryOp::kTanh, 0, 0, 0), ke::kTanhRelBound},
  };
  const std::vector<std::vector<int32_t>> shapes = {{1}, {7}, {2, 3, 5}, {1, 56, 56, 24},
                                                    {100003}};
  int checked = 0;
  for (Isa isa : RunnableIsas()) {
    IsaCapGuard guard(isa);
    for (const OpCase& oc : ops) {
      for (const auto& shape : shapes) {
        for (int threads : {1, 3}) {
          SingleOpModel m;
          const int x = m.Input(DataType::kFloat32, shape);
          const int y = m.Output(DataType::kFloat32);
          if (oc.op == fb::BuiltinOperator::LEAKY_RELU) {
            fb::LeakyReluOptionsT o;
            o.alpha = oc.args.alpha;
            m.Op(oc.op, {x}, {y}, MakeOptions(o));
          } else {
            m.Op(oc.op, {x}, {y});
          }
          const Status st = m.Build(threads);
          ASSERT_TRUE(st.ok()) << st.message();
          std::vector<float> v(ToShape(shape).NumElements());
          for (auto& e : v) e = RandomValue(rng);
          m.Set<float>(x, v);
          ASSERT_TRUE(m.Invoke().ok());
          const std::vector<float> got = m.Get<float>(y);
          ASSERT_EQ(got.size(), v.size());
          for (size_t i = 0; i < v.size(); ++i) {
            const float want = RefUnary(oc.args, v[i]);
            if (oc.bound == 0 || isa == Isa::kScalar) {
              ASSERT_TRUE(SameFloat(got[i], want))
                  << IsaName(isa) << " op " << static_cast<int>(oc.op) << " x " << v[i]
                  << " got " << got[i] << " want " << want;
            } else {
              ASSERT_LE(ErrorOf(got[i], want), oc.bound)
                  << IsaName(isa) << " op " << static_cast<int>(oc.op) << " x " << v[i]
                  << " got " << got[i] << " want " << want;
            }
          }
          ++checked;
        }
      }
    }
  }
  std::printf("float activation op cases checked: %d\n", checked);
}

TEST(ElementwiseF32Kernels, SoftmaxOpMatchesReference) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  const std::vector<std::vector<int32_t>> shapes = {{1, 1000}, {1, 49, 49}, {3, 10}, {1, 4, 7},
                                                    {64, 512}, {1, 12, 197, 197}};
  int checked = 0;
  for (Isa isa : RunnableIsas()) {
    IsaCapGuard guard(isa);
    for (const auto& shape : shapes) {
      for (int threads : {1, 3}) {
        SingleOpModel m;
        const int x = m.Input(DataType::kFloat32, shape);
        const int y = m.Output(DataType::kFloat32);
        fb::SoftmaxOptionsT o;
        o.beta = rng() % 2 ? 1.0f : 0.7f;
        m.Op(fb::BuiltinOperator::SOFTMAX, {x}, {y}, MakeOptions(o));
        const Status st = m.Build(threads);
        ASSERT_TRUE(st.ok()) << st.message();
        std::vector<float> v(ToShape(shape).NumElements());
        for (auto& e : v) e = std::uniform_real_distribution<float>(-20.0f, 20.0f)(rng);
        m.Set<float>(x, v);
        ASSERT_TRUE(m.Invoke().ok());
        const std::vector<float> got = m.Get<float>(y);
        const int64_t depth = shape.back();
        std::vector<float> want(v.size());
        ref::SoftmaxFloat(v.data(), want.data(), static_cast<int64_t>(v.size()) / depth, depth,
                          o.beta);
        for (size_t i = 0; i < v.size(); ++i)
          ASSERT_LE(ErrorOf(got[i], want[i]), isa == Isa::kScalar ? 0.0 : ke::kSoftmaxRelBound)
              << IsaName(isa) << " threads " << threads << " i " << i;
        ++checked;
      }
    }
  }
  std::printf("float SOFTMAX op cases checked: %d\n", checked);
}

}  // namespace
}  // namespace edgelite
