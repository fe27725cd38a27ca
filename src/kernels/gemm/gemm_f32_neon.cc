// Float32 GEMM, AArch64 NEON: an 8x8 register-blocked microkernel. Per step of 4 k, each of the
// 8 rows loads its 4 activations into one vector and FMLA (by element) multiplies them lane by
// lane with the two weight vectors of that k: 16 accumulators + 8 activation + 2 weight
// registers of the 32, and 16 loads per 64 multiply-adds. The k remainder (< 4) broadcasts
// single activations. Bias + clamp are fused in the epilogue; the right edge stores through a
// small buffer. The sum over k runs in order with fused multiply-adds, like the x86 variants.
#include <arm_neon.h>

#include <algorithm>
#include <cstring>

#include "src/kernels/gemm/gemm_f32.h"

namespace edgelite {
namespace kernels {
namespace {

constexpr int32_t kMr = kGemmF32NeonMr, kNr = kGemmF32NeonNr;

template <int kRows>
inline void Tile(const GemmF32Args& g, int64_t m0, int32_t p) {
  float32x4_t acc0[kRows], acc1[kRows];
#pragma GCC unroll 8
  for (int r = 0; r < kRows; ++r) {
    acc0[r] = vdupq_n_f32(0.0f);
    acc1[r] = vdupq_n_f32(0.0f);
  }
  const float* w = g.packed_w + static_cast<size_t>(p) * kNr * g.k;
  const float* a = g.a + m0 * g.lda;
  const int64_t lda = g.lda;
  int32_t kk = 0;
  for (; kk + 4 <= g.k; kk += 4) {
    float32x4_t av[kRows];
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r) av[r] = vld1q_f32(a + r * lda + kk);
#define EDGELITE_GEMM_F32_NEON_STEP(t)                              \
  {                                                                 \
    const float32x4_t w0 = vld1q_f32(w + (t) * kNr);                \
    const float32x4_t w1 = vld1q_f32(w + (t) * kNr + 4);            \
    _Pragma("GCC unroll 8") for (int r = 0; r < kRows; ++r) {       \
      acc0[r] = vfmaq_laneq_f32(acc0[r], w0, av[r], t);             \
      acc1[r] = vfmaq_laneq_f32(acc1[r], w1, av[r], t);             \
    }                                                               \
  }
    EDGELITE_GEMM_F32_NEON_STEP(0)
    EDGELITE_GEMM_F32_NEON_STEP(1)
    EDGELITE_GEMM_F32_NEON_STEP(2)
    EDGELITE_GEMM_F32_NEON_STEP(3)
#undef EDGELITE_GEMM_F32_NEON_STEP
    w += 4 * kNr;
  }
  for (; kk < g.k; ++kk) {
    const float32x4_t w0 = vld1q_f32(w), w1 = vld1q_f32(w + 4);
    w += kNr;
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r) {
      const float32x4_t av = vld1q_dup_f32(a + r * lda + kk);
      acc0[r] = vfmaq_f32(acc0[r], av, w0);
      acc1[r] = vfmaq_f32(acc1[r], av, w1);
    }
  }
  const float* bias = g.packed_bias + p * kNr;
  const float32x4_t b0 = vld1q_f32(bias), b1 = vld1q_f32(bias + 4);
  const float32x4_t lo = vdupq_n_f32(g.act_min), hi = vdupq_n_f32(g.act_max);
  const int32_t cols = std::min(kNr, g.n - p * kNr);
#pragma GCC unroll 8
  for (int r = 0; r < kRows; ++r) {
    // FMAX/FMIN return NaN for a NaN operand, as ref::Clamp (std::min(std::max(v, lo), hi))
    // does with v first.
    const float32x4_t v0 = vminq_f32(vmaxq_f32(vaddq_f32(acc0[r], b0), lo), hi);
    const float32x4_t v1 = vminq_f32(vmaxq_f32(vaddq_f32(acc1[r], b1), lo), hi);
    float* c = g.c + (m0 + r) * g.ldc + p * kNr;
    if (cols == kNr) {
      vst1q_f32(c, v0);
      vst1q_f32(c + 4, v1);
    } else {
      float tmp[kNr];
      vst1q_f32(tmp, v0);
      vst1q_f32(tmp + 4, v1);
      std::memcpy(c, tmp, sizeof(float) * static_cast<size_t>(cols));
    }
  }
}

template <int kRows>
inline void TailRows(const GemmF32Args& g, int64_t m, int64_t rows, int32_t p) {
  if constexpr (kRows > 0) {
    if (rows == kRows) {
      Tile<kRows>(g, m, p);
    } else {
      TailRows<kRows - 1>(g, m, rows, p);
    }
  }
}

}  // namespace

void GemmF32RunNeon(const GemmF32Args& g, int64_t m_begin, int64_t m_end, int32_t panel_begin,
                    int32_t panel_end) {
  for (int32_t p = panel_begin; p < panel_end; ++p) {
    int64_t m = m_begin;
    for (; m + kMr <= m_end; m += kMr) Tile<kMr>(g, m, p);
    if (m < m_end) TailRows<kMr - 1>(g, m, m_end - m, p);
  }
}

}  // namespace kernels
}  // namespace edgelite
