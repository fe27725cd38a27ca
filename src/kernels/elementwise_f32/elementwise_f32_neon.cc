// NEON (AArch64) variant of the float32 elementwise kernels: 4 lanes, 4 vectors per step in the
// binary loops; the tail (< 4 elements) goes through a stack copy so it runs the same vector
// arithmetic. AArch64 Advanced SIMD arithmetic is IEEE (denormals kept unless FPCR.FZ is set,
// which Linux leaves clear), so add/sub/mul/div are the reference's operations. NEON's fmax/fmin
// return NaN when either operand is NaN, unlike the reference's comparisons, so every
// max/min of the reference is a compare and select here with the reference's exact condition.
// exp, LOGISTIC and TANH are the approximations of elementwise_f32.h, the same constants and
// steps as the AVX2 variant.
#include <arm_neon.h>

#include <cstdint>
#include <cstring>
#include <limits>

#include "src/kernels/elementwise_f32/elementwise_f32.h"

namespace edgelite {
namespace kernels {
namespace elementwise_f32 {
namespace {

// std::max(r, lo) = r < lo ? lo : r; std::min(v, hi) = hi < v ? hi : v.
inline float32x4_t Clamp(float32x4_t r, float32x4_t lo, float32x4_t hi) {
  const float32x4_t v = vbslq_f32(vcltq_f32(r, lo), lo, r);
  return vbslq_f32(vcltq_f32(hi, v), hi, v);
}

template <BinaryOp kOp>
inline float32x4_t Apply(float32x4_t x, float32x4_t y) {
  switch (kOp) {
    case BinaryOp::kAdd: return vaddq_f32(x, y);
    case BinaryOp::kSub: return vsubq_f32(x, y);
    case BinaryOp::kMul: return vmulq_f32(x, y);
    case BinaryOp::kDiv: return vdivq_f32(x, y);
    case BinaryOp::kMaximum: return vbslq_f32(vcgtq_f32(x, y), x, y);  // x > y ? x : y
    case BinaryOp::kMinimum: return vbslq_f32(vcltq_f32(x, y), x, y);  // x < y ? x : y
    case BinaryOp::kSquaredDifference: {
      const float32x4_t d = vsubq_f32(x, y);
      return vmulq_f32(d, d);
    }
  }
  return x;
}

template <BinaryOp kOp, bool kA, bool kB>
void RunBinary(const BinaryArgs& p, const float* a, const float* b, float* out, int64_t n) {
  const float32x4_t lo = vdupq_n_f32(p.lo), hi = vdupq_n_f32(p.hi);
  const float32x4_t av = kA ? vdupq_n_f32(0.0f) : vdupq_n_f32(a[0]);
  const float32x4_t bv = kB ? vdupq_n_f32(0.0f) : vdupq_n_f32(b[0]);
  auto x_at = [&](int64_t i) { return kA ? vld1q_f32(a + i) : av; };
  auto y_at = [&](int64_t i) { return kB ? vld1q_f32(b + i) : bv; };
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const float32x4_t r0 = Clamp(Apply<kOp>(x_at(i), y_at(i)), lo, hi);
    const float32x4_t r1 = Clamp(Apply<kOp>(x_at(i + 4), y_at(i + 4)), lo, hi);
    const float32x4_t r2 = Clamp(Apply<kOp>(x_at(i + 8), y_at(i + 8)), lo, hi);
    const float32x4_t r3 = Clamp(Apply<kOp>(x_at(i + 12), y_at(i + 12)), lo, hi);
    vst1q_f32(out + i, r0);
    vst1q_f32(out + i + 4, r1);
    vst1q_f32(out + i + 8, r2);
    vst1q_f32(out + i + 12, r3);
  }
  for (; i + 4 <= n; i += 4) vst1q_f32(out + i, Clamp(Apply<kOp>(x_at(i), y_at(i)), lo, hi));
  if (i < n) {
    const int64_t rem = n - i;
    float xa[4] = {0, 0, 0, 0}, ya[4] = {0, 0, 0, 0}, r[4];
    if (kA) std::memcpy(xa, a + i, static_cast<size_t>(rem) * sizeof(float));
    if (kB) std::memcpy(ya, b + i, static_cast<size_t>(rem) * sizeof(float));
    const float32x4_t x = kA ? vld1q_f32(xa) : av;
    const float32x4_t y = kB ? vld1q_f32(ya) : bv;
    vst1q_f32(r, Clamp(Apply<kOp>(x, y), lo, hi));
    std::memcpy(out + i, r, static_cast<size_t>(rem) * sizeof(float));
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

inline float32x4_t Exp(float32x4_t x) {
  // NEON's fmin/fmax propagate NaN, so NaN lanes stay NaN through the clamp.
  const float32x4_t t = vmaxq_f32(vdupq_n_f32(-104.0f), vminq_f32(vdupq_n_f32(89.0f), x));
  const float32x4_t nf = vrndnq_f32(vmulq_f32(t, vdupq_n_f32(1.44269504088896341f)));
  float32x4_t r = vfmsq_f32(t, nf, vdupq_n_f32(0.693359375f));  // t - nf * ln2_hi
  r = vfmsq_f32(r, nf, vdupq_n_f32(-2.12194440e-4f));
  float32x4_t poly = vdupq_n_f32(1.98412698e-4f);
  poly = vfmaq_f32(vdupq_n_f32(1.38888889e-3f), poly, r);
  poly = vfmaq_f32(vdupq_n_f32(8.33333333e-3f), poly, r);
  poly = vfmaq_f32(vdupq_n_f32(4.16666667e-2f), poly, r);
  poly = vfmaq_f32(vdupq_n_f32(1.66666667e-1f), poly, r);
  poly = vfmaq_f32(vdupq_n_f32(0.5f), poly, r);
  poly = vfmaq_f32(vdupq_n_f32(1.0f), poly, r);
  poly = vfmaq_f32(vdupq_n_f32(1.0f), poly, r);
  const int32x4_t n = vcvtq_s32_f32(nf);  // NaN -> 0: the NaN lanes stay NaN through poly
  const int32x4_t n1 = vshrq_n_s32(n, 1);
  const int32x4_t n2 = vsubq_s32(n, n1);
  const int32x4_t bias = vdupq_n_s32(127);
  const float32x4_t s1 = vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(n1, bias), 23));
  const float32x4_t s2 = vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(n2, bias), 23));
  return vmulq_f32(vmulq_f32(poly, s1), s2);
}

inline float32x4_t Logistic(float32x4_t x) {
  const uint32x4_t below = vcltq_f32(x, vdupq_n_f32(-9.0f));
  const uint32x4_t above = vcgtq_f32(x, vdupq_n_f32(16.619047164916992188f));
  const float32x4_t arg = vbslq_f32(below, x, vnegq_f32(x));
  const float32x4_t e = Exp(arg);
  const float32x4_t one = vdupq_n_f32(1.0f);
  float32x4_t r = vdivq_f32(one, vaddq_f32(one, e));
  r = vbslq_f32(below, e, r);
  return vbslq_f32(above, one, r);
}

inline float32x4_t Tanh(float32x4_t x) {
  const uint32x4_t sign = vandq_u32(vreinterpretq_u32_f32(x), vdupq_n_u32(0x80000000u));
  const float32x4_t ax = vabsq_f32(x);
  const float32x4_t one = vdupq_n_f32(1.0f);
  const float32x4_t e = Exp(vaddq_f32(ax, ax));
  const float32x4_t big_abs = vsubq_f32(one, vdivq_f32(vdupq_n_f32(2.0f), vaddq_f32(e, one)));
  const float32x4_t big =
      vreinterpretq_f32_u32(vorrq_u32(vreinterpretq_u32_f32(big_abs), sign));
  const float32x4_t u = vmulq_f32(x, x);
  float32x4_t poly = vdupq_n_f32(-0.00626445282f);
  poly = vfmaq_f32(vdupq_n_f32(0.0210640915f), poly, u);
  poly = vfmaq_f32(vdupq_n_f32(-0.0538502485f), poly, u);
  poly = vfmaq_f32(vdupq_n_f32(0.133325636f), poly, u);
  poly = vfmaq_f32(vdupq_n_f32(-0.333333164f), poly, u);
  const float32x4_t small = vfmaq_f32(x, vmulq_f32(x, u), poly);
  return vbslq_f32(vcltq_f32(ax, vdupq_n_f32(0.55f)), small, big);
}

// ref::HardSwish: x * min(max(x + 3, 0), 6) / 6 with the reference's comparisons.
inline float32x4_t HardSwish(float32x4_t x) {
  const float32x4_t t = vaddq_f32(x, vdupq_n_f32(3.0f));
  const float32x4_t zero = vdupq_n_f32(0.0f), six = vdupq_n_f32(6.0f);
  const float32x4_t c = Clamp(t, zero, six);
  return vdivq_f32(vmulq_f32(x, c), six);
}

inline float32x4_t LeakyRelu(float32x4_t x, float32x4_t alpha) {
  return vbslq_f32(vcgeq_f32(x, vdupq_n_f32(0.0f)), x, vmulq_f32(x, alpha));
}

template <typename F>
void RunUnary(const float* in, float* out, int64_t n, F f) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const float32x4_t r0 = f(vld1q_f32(in + i));
    const float32x4_t r1 = f(vld1q_f32(in + i + 4));
    vst1q_f32(out + i, r0);
    vst1q_f32(out + i + 4, r1);
  }
  for (; i + 4 <= n; i += 4) vst1q_f32(out + i, f(vld1q_f32(in + i)));
  if (i < n) {
    const int64_t rem = n - i;
    float x[4] = {0, 0, 0, 0}, r[4];
    std::memcpy(x, in + i, static_cast<size_t>(rem) * sizeof(float));
    vst1q_f32(r, f(vld1q_f32(x)));
    std::memcpy(out + i, r, static_cast<size_t>(rem) * sizeof(float));
  }
}

void SoftmaxRow(const float* x, float* y, int64_t depth, float beta) {
  // Row maximum from lowest, NaN entries ignored (x > m ? x : m), as ref::RowMax.
  const float lowest = std::numeric_limits<float>::lowest();
  float32x4_t m4 = vdupq_n_f32(lowest);
  int64_t i = 0;
  for (; i + 4 <= depth; i += 4) {
    const float32x4_t v = vld1q_f32(x + i);
    m4 = vbslq_f32(vcgtq_f32(v, m4), v, m4);
  }
  float m = vmaxvq_f32(m4);  // no NaN in m4
  for (; i < depth; ++i) m = x[i] > m ? x[i] : m;
  const float32x4_t mv = vdupq_n_f32(m), bv = vdupq_n_f32(beta);
  // Four sets of lanes (16 partial sums, as many as the AVX2 variant's two vectors of 8).
  float32x4_t s0 = vdupq_n_f32(0.0f), s1 = s0, s2 = s0, s3 = s0;
  i = 0;
  for (; i + 16 <= depth; i += 16) {
    const float32x4_t e0 = Exp(vmulq_f32(vsubq_f32(vld1q_f32(x + i), mv), bv));
    const float32x4_t e1 = Exp(vmulq_f32(vsubq_f32(vld1q_f32(x + i + 4), mv), bv));
    const float32x4_t e2 = Exp(vmulq_f32(vsubq_f32(vld1q_f32(x + i + 8), mv), bv));
    const float32x4_t e3 = Exp(vmulq_f32(vsubq_f32(vld1q_f32(x + i + 12), mv), bv));
    vst1q_f32(y + i, e0);
    vst1q_f32(y + i + 4, e1);
    vst1q_f32(y + i + 8, e2);
    vst1q_f32(y + i + 12, e3);
    s0 = vaddq_f32(s0, e0);
    s1 = vaddq_f32(s1, e1);
    s2 = vaddq_f32(s2, e2);
    s3 = vaddq_f32(s3, e3);
  }
  for (; i + 4 <= depth; i += 4) {
    const float32x4_t e = Exp(vmulq_f32(vsubq_f32(vld1q_f32(x + i), mv), bv));
    vst1q_f32(y + i, e);
    s0 = vaddq_f32(s0, e);
  }
  float sum = vaddvq_f32(vaddq_f32(vaddq_f32(s0, s1), vaddq_f32(s2, s3)));
  if (i < depth) {
    const int64_t rem = depth - i;
    float t[4] = {0, 0, 0, 0}, r[4];
    std::memcpy(t, x + i, static_cast<size_t>(rem) * sizeof(float));
    vst1q_f32(r, Exp(vmulq_f32(vsubq_f32(vld1q_f32(t), mv), bv)));
    for (int64_t k = 0; k < rem; ++k) {
      y[i + k] = r[k];
      sum += r[k];
    }
  }
  const float32x4_t s = vdupq_n_f32(sum);
  i = 0;
  for (; i + 4 <= depth; i += 4) vst1q_f32(y + i, vdivq_f32(vld1q_f32(y + i), s));
  for (; i < depth; ++i) y[i] = y[i] / sum;
}

}  // namespace

void BinaryNeon(const BinaryArgs& p, const float* a, int a_step, const float* b, int b_step,
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

void UnaryNeon(const UnaryArgs& p, const float* in, float* out, int64_t n) {
  switch (p.op) {
    case UnaryOp::kClamp: {
      const float32x4_t lo = vdupq_n_f32(p.lo), hi = vdupq_n_f32(p.hi);
      RunUnary(in, out, n, [lo, hi](float32x4_t x) { return Clamp(x, lo, hi); });
      return;
    }
    case UnaryOp::kLeakyRelu: {
      const float32x4_t alpha = vdupq_n_f32(p.alpha);
      RunUnary(in, out, n, [alpha](float32x4_t x) { return LeakyRelu(x, alpha); });
      return;
    }
    case UnaryOp::kHardSwish:
      RunUnary(in, out, n, [](float32x4_t x) { return HardSwish(x); });
      return;
    case UnaryOp::kLogistic:
      RunUnary(in, out, n, [](float32x4_t x) { return Logistic(x); });
      return;
    case UnaryOp::kTanh:
      RunUnary(in, out, n, [](float32x4_t x) { return Tanh(x); });
      return;
  }
}

void SoftmaxNeon(const float* in, float* out, int64_t rows, int64_t depth, float beta) {
  for (int64_t r = 0; r < rows; ++r) SoftmaxRow(in + r * depth, out + r * depth, depth, beta);
}

}  // namespace elementwise_f32
}  // namespace kernels
}  // namespace edgelite
