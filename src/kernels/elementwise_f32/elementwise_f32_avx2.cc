// AVX2 variant of the float32 elementwise kernels: 8 lanes, 4 vectors per step in the binary and
// clamp loops, masked loads/stores for the tail (so the tail runs the same vector arithmetic).
// Binary ops and the clamp-like activations are the reference's IEEE operations lane by lane
// (bit-identical); exp, LOGISTIC and TANH are the approximations described in elementwise_f32.h.
#include <immintrin.h>

#include <cstdint>
#include <limits>

#include "src/kernels/elementwise_f32/elementwise_f32.h"

namespace edgelite {
namespace kernels {
namespace elementwise_f32 {
namespace {

// Lane mask of the first `rem` lanes (0 < rem < 8): load 8 entries from kMaskTable + 8 - rem.
alignas(32) constexpr int32_t kMaskTable[16] = {-1, -1, -1, -1, -1, -1, -1, -1,
                                                0,  0,  0,  0,  0,  0,  0,  0};
inline __m256i TailMask(int64_t rem) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kMaskTable + 8 - rem));
}

// std::min(std::max(r, lo), hi): std::max(r, lo) is (r < lo ? lo : r) == vmaxps(lo, r), which
// returns its second operand when either is NaN; std::min(v, hi) is (hi < v ? hi : v) ==
// vminps(hi, v). Same result for NaN and signed zeros.
inline __m256 Clamp(__m256 r, __m256 lo, __m256 hi) {
  return _mm256_min_ps(hi, _mm256_max_ps(lo, r));
}

template <BinaryOp kOp>
inline __m256 Apply(__m256 x, __m256 y) {
  switch (kOp) {
    case BinaryOp::kAdd: return _mm256_add_ps(x, y);
    case BinaryOp::kSub: return _mm256_sub_ps(x, y);
    case BinaryOp::kMul: return _mm256_mul_ps(x, y);
    case BinaryOp::kDiv: return _mm256_div_ps(x, y);
    // ref::Maximum is a > b ? a : b == vmaxps(a, b); ref::Minimum a < b ? a : b == vminps(a, b).
    case BinaryOp::kMaximum: return _mm256_max_ps(x, y);
    case BinaryOp::kMinimum: return _mm256_min_ps(x, y);
    case BinaryOp::kSquaredDifference: {
      const __m256 d = _mm256_sub_ps(x, y);
      return _mm256_mul_ps(d, d);
    }
  }
  return x;
}

template <BinaryOp kOp, bool kA, bool kB>
void RunBinary(const BinaryArgs& p, const float* a, const float* b, float* out, int64_t n) {
  const __m256 lo = _mm256_set1_ps(p.lo), hi = _mm256_set1_ps(p.hi);
  const __m256 av = kA ? _mm256_setzero_ps() : _mm256_set1_ps(a[0]);
  const __m256 bv = kB ? _mm256_setzero_ps() : _mm256_set1_ps(b[0]);
  auto x_at = [&](int64_t i) { return kA ? _mm256_loadu_ps(a + i) : av; };
  auto y_at = [&](int64_t i) { return kB ? _mm256_loadu_ps(b + i) : bv; };
  int64_t i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m256 r0 = Clamp(Apply<kOp>(x_at(i), y_at(i)), lo, hi);
    const __m256 r1 = Clamp(Apply<kOp>(x_at(i + 8), y_at(i + 8)), lo, hi);
    const __m256 r2 = Clamp(Apply<kOp>(x_at(i + 16), y_at(i + 16)), lo, hi);
    const __m256 r3 = Clamp(Apply<kOp>(x_at(i + 24), y_at(i + 24)), lo, hi);
    _mm256_storeu_ps(out + i, r0);
    _mm256_storeu_ps(out + i + 8, r1);
    _mm256_storeu_ps(out + i + 16, r2);
    _mm256_storeu_ps(out + i + 24, r3);
  }
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, Clamp(Apply<kOp>(x_at(i), y_at(i)), lo, hi));
  if (i < n) {
    const __m256i mask = TailMask(n - i);
    const __m256 x = kA ? _mm256_maskload_ps(a + i, mask) : av;
    const __m256 y = kB ? _mm256_maskload_ps(b + i, mask) : bv;
    _mm256_maskstore_ps(out + i, mask, Clamp(Apply<kOp>(x, y), lo, hi));
  }
}

template <BinaryOp kOp>
void DispatchSteps(const BinaryArgs& p, const float* a, int a_step, const float* b, int b_step,
                   float* out, int64_t n) {
  if (a_step && b_step) {
    RunBinary<kOp, true, true>(p, a, b, out, n);
  } else if (a_step) {
    RunBinary<kOp, true, false>(p, a, b, out, n);
  } else if (b_step) {
    RunBinary<kOp, false, true>(p, a, b, out, n);
  } else {
    RunBinary<kOp, false, false>(p, a, b, out, n);
  }
}

// ---- exp and the approximated activations ------------------------------------------------

inline __m256 Exp(__m256 x) {
  // Outside [-104, 89] exp is 0 or inf in float32; the clamp keeps 2^n representable in two
  // factors. vminps/vmaxps with the constant first return x for NaN lanes, which stay NaN.
  const __m256 t =
      _mm256_max_ps(_mm256_set1_ps(-104.0f), _mm256_min_ps(_mm256_set1_ps(89.0f), x));
  const __m256 nf = _mm256_round_ps(_mm256_mul_ps(t, _mm256_set1_ps(1.44269504088896341f)),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  // ln 2 = kLn2Hi + kLn2Lo; kLn2Hi has 9 significant bits, so n * kLn2Hi is exact.
  __m256 r = _mm256_fnmadd_ps(nf, _mm256_set1_ps(0.693359375f), t);
  r = _mm256_fnmadd_ps(nf, _mm256_set1_ps(-2.12194440e-4f), r);
  // Taylor polynomial of degree 7 on |r| <= 0.347: truncation < 6e-9 relative.
  __m256 poly = _mm256_set1_ps(1.98412698e-4f);  // 1/5040
  poly = _mm256_fmadd_ps(poly, r, _mm256_set1_ps(1.38888889e-3f));  // 1/720
  poly = _mm256_fmadd_ps(poly, r, _mm256_set1_ps(8.33333333e-3f));  // 1/120
  poly = _mm256_fmadd_ps(poly, r, _mm256_set1_ps(4.16666667e-2f));  // 1/24
  poly = _mm256_fmadd_ps(poly, r, _mm256_set1_ps(1.66666667e-1f));  // 1/6
  poly = _mm256_fmadd_ps(poly, r, _mm256_set1_ps(0.5f));
  poly = _mm256_fmadd_ps(poly, r, _mm256_set1_ps(1.0f));
  poly = _mm256_fmadd_ps(poly, r, _mm256_set1_ps(1.0f));
  // 2^n = 2^n1 * 2^n2 with n1 = floor(n / 2), both factors normal for n in [-150, 129]: p * 2^n1
  // is exact, the second product rounds once (also into the denormals).
  const __m256i n = _mm256_cvtps_epi32(nf);
  const __m256i n1 = _mm256_srai_epi32(n, 1);
  const __m256i n2 = _mm256_sub_epi32(n, n1);
  const __m256i bias = _mm256_set1_epi32(127);
  const __m256 s1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n1, bias), 23));
  const __m256 s2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n2, bias), 23));
  return _mm256_mul_ps(_mm256_mul_ps(poly, s1), s2);
}

inline __m256 SignMask() { return _mm256_set1_ps(-0.0f); }

// ref::Logistic's branches: 1 above kUpper, exp(x) below -9, 1 / (1 + exp(-x)) between.
inline __m256 Logistic(__m256 x) {
  const __m256 below = _mm256_cmp_ps(x, _mm256_set1_ps(-9.0f), _CMP_LT_OQ);
  const __m256 above = _mm256_cmp_ps(x, _mm256_set1_ps(16.619047164916992188f), _CMP_GT_OQ);
  const __m256 arg = _mm256_blendv_ps(_mm256_xor_ps(x, SignMask()), x, below);
  const __m256 e = Exp(arg);
  const __m256 one = _mm256_set1_ps(1.0f);
  __m256 r = _mm256_div_ps(one, _mm256_add_ps(one, e));
  r = _mm256_blendv_ps(r, e, below);
  return _mm256_blendv_ps(r, one, above);
}

// |x| < 0.55: x + x^3 P(x^2) (coefficients fitted for minimax relative error, 2e-9 in exact
// arithmetic); above: sign(x) (1 - 2 / (e^2|x| + 1)), where the subtraction loses < 1.2 bits.
inline __m256 Tanh(__m256 x) {
  const __m256 sign = _mm256_and_ps(x, SignMask());
  const __m256 ax = _mm256_andnot_ps(SignMask(), x);
  const __m256 one = _mm256_set1_ps(1.0f);
  const __m256 e = Exp(_mm256_add_ps(ax, ax));
  const __m256 big = _mm256_or_ps(
      _mm256_sub_ps(one, _mm256_div_ps(_mm256_set1_ps(2.0f), _mm256_add_ps(e, one))), sign);
  const __m256 u = _mm256_mul_ps(x, x);
  __m256 poly = _mm256_set1_ps(-0.00626445282f);
  poly = _mm256_fmadd_ps(poly, u, _mm256_set1_ps(0.0210640915f));
  poly = _mm256_fmadd_ps(poly, u, _mm256_set1_ps(-0.0538502485f));
  poly = _mm256_fmadd_ps(poly, u, _mm256_set1_ps(0.133325636f));
  poly = _mm256_fmadd_ps(poly, u, _mm256_set1_ps(-0.333333164f));
  const __m256 small = _mm256_fmadd_ps(_mm256_mul_ps(x, u), poly, x);
  return _mm256_blendv_ps(big, small, _mm256_cmp_ps(ax, _mm256_set1_ps(0.55f), _CMP_LT_OQ));
}

// ref::HardSwish: x * min(max(x + 3, 0), 6) / 6, the same operations in the same order.
inline __m256 HardSwish(__m256 x) {
  __m256 t = _mm256_add_ps(x, _mm256_set1_ps(3.0f));
  t = _mm256_max_ps(_mm256_setzero_ps(), t);  // std::max(t, 0)
  t = _mm256_min_ps(_mm256_set1_ps(6.0f), t);  // std::min(t, 6)
  return _mm256_div_ps(_mm256_mul_ps(x, t), _mm256_set1_ps(6.0f));
}

// ref::LeakyRelu: x >= 0 ? x : x * alpha (NaN: x * alpha, NaN).
inline __m256 LeakyRelu(__m256 x, __m256 alpha) {
  const __m256 ge = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GE_OQ);
  return _mm256_blendv_ps(_mm256_mul_ps(x, alpha), x, ge);
}

template <typename F>
void RunUnary(const float* in, float* out, int64_t n, F f) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m256 r0 = f(_mm256_loadu_ps(in + i));
    const __m256 r1 = f(_mm256_loadu_ps(in + i + 8));
    _mm256_storeu_ps(out + i, r0);
    _mm256_storeu_ps(out + i + 8, r1);
  }
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, f(_mm256_loadu_ps(in + i)));
  if (i < n) {
    const __m256i mask = TailMask(n - i);
    _mm256_maskstore_ps(out + i, mask, f(_mm256_maskload_ps(in + i, mask)));
  }
}

inline float HorizontalMax(__m256 v) {
  __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  m = _mm_max_ps(m, _mm_movehl_ps(m, m));
  m = _mm_max_ss(m, _mm_shuffle_ps(m, m, 1));
  return _mm_cvtss_f32(m);
}

inline float HorizontalSum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
  return _mm_cvtss_f32(s);
}

void SoftmaxRow(const float* x, float* y, int64_t depth, float beta) {
  // Row maximum, starting from lowest like ref::RowMax; vmaxps(v, m) keeps m for NaN v.
  const __m256 lowest = _mm256_set1_ps(std::numeric_limits<float>::lowest());
  __m256 m8 = lowest;
  int64_t i = 0;
  for (; i + 8 <= depth; i += 8) m8 = _mm256_max_ps(_mm256_loadu_ps(x + i), m8);
  const int64_t rem = depth - i;
  __m256i mask = _mm256_setzero_si256();
  if (rem > 0) {
    mask = TailMask(rem);
    const __m256 v = _mm256_blendv_ps(lowest, _mm256_maskload_ps(x + i, mask),
                                      _mm256_castsi256_ps(mask));
    m8 = _mm256_max_ps(v, m8);
  }
  const __m256 m = _mm256_set1_ps(HorizontalMax(m8));
  const __m256 b = _mm256_set1_ps(beta);
  // exp((x - m) * beta) into y (x is not read again: y may be x), summed in two sets of lanes.
  __m256 sum0 = _mm256_setzero_ps(), sum1 = _mm256_setzero_ps();
  i = 0;
  for (; i + 16 <= depth; i += 16) {
    const __m256 e0 = Exp(_mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(x + i), m), b));
    const __m256 e1 = Exp(_mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(x + i + 8), m), b));
    _mm256_storeu_ps(y + i, e0);
    _mm256_storeu_ps(y + i + 8, e1);
    sum0 = _mm256_add_ps(sum0, e0);
    sum1 = _mm256_add_ps(sum1, e1);
  }
  for (; i + 8 <= depth; i += 8) {
    const __m256 e = Exp(_mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(x + i), m), b));
    _mm256_storeu_ps(y + i, e);
    sum0 = _mm256_add_ps(sum0, e);
  }
  if (rem > 0) {
    const __m256 e = _mm256_and_ps(
        Exp(_mm256_mul_ps(_mm256_sub_ps(_mm256_maskload_ps(x + i, mask), m), b)),
        _mm256_castsi256_ps(mask));
    _mm256_maskstore_ps(y + i, mask, e);
    sum0 = _mm256_add_ps(sum0, e);
  }
  const __m256 sum = _mm256_set1_ps(HorizontalSum(_mm256_add_ps(sum0, sum1)));
  i = 0;
  for (; i + 8 <= depth; i += 8) _mm256_storeu_ps(y + i, _mm256_div_ps(_mm256_loadu_ps(y + i), sum));
  if (rem > 0)
    _mm256_maskstore_ps(y + i, mask, _mm256_div_ps(_mm256_maskload_ps(y + i, mask), sum));
}

}  // namespace

void BinaryAvx2(const BinaryArgs& p, const float* a, int a_step, const float* b, int b_step,
                float* out, int64_t n) {
  switch (p.op) {
    case BinaryOp::kAdd: DispatchSteps<BinaryOp::kAdd>(p, a, a_step, b, b_step, out, n); return;
    case BinaryOp::kSub: DispatchSteps<BinaryOp::kSub>(p, a, a_step, b, b_step, out, n); return;
    case BinaryOp::kMul: DispatchSteps<BinaryOp::kMul>(p, a, a_step, b, b_step, out, n); return;
    case BinaryOp::kDiv: DispatchSteps<BinaryOp::kDiv>(p, a, a_step, b, b_step, out, n); return;
    case BinaryOp::kMaximum:
      DispatchSteps<BinaryOp::kMaximum>(p, a, a_step, b, b_step, out, n);
      return;
    case BinaryOp::kMinimum:
      DispatchSteps<BinaryOp::kMinimum>(p, a, a_step, b, b_step, out, n);
      return;
    case BinaryOp::kSquaredDifference:
      DispatchSteps<BinaryOp::kSquaredDifference>(p, a, a_step, b, b_step, out, n);
      return;
  }
}

void UnaryAvx2(const UnaryArgs& p, const float* in, float* out, int64_t n) {
  switch (p.op) {
    case UnaryOp::kClamp: {
      const __m256 lo = _mm256_set1_ps(p.lo), hi = _mm256_set1_ps(p.hi);
      RunUnary(in, out, n, [lo, hi](__m256 x) { return Clamp(x, lo, hi); });
      return;
    }
    case UnaryOp::kLeakyRelu: {
      const __m256 alpha = _mm256_set1_ps(p.alpha);
      RunUnary(in, out, n, [alpha](__m256 x) { return LeakyRelu(x, alpha); });
      return;
    }
    case UnaryOp::kHardSwish:
      RunUnary(in, out, n, [](__m256 x) { return HardSwish(x); });
      return;
    case UnaryOp::kLogistic:
      RunUnary(in, out, n, [](__m256 x) { return Logistic(x); });
      return;
    case UnaryOp::kTanh:
      RunUnary(in, out, n, [](__m256 x) { return Tanh(x); });
      return;
  }
}

void SoftmaxAvx2(const float* in, float* out, int64_t rows, int64_t depth, float beta) {
  for (int64_t r = 0; r < rows; ++r) SoftmaxRow(in + r * depth, out + r * depth, depth, beta);
}

}  // namespace elementwise_f32
}  // namespace kernels
}  // namespace edgelite
