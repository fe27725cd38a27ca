// Float32 GEMM, AVX-512F: a 12x32 register-blocked microkernel (24 accumulators in zmm
// registers, two weight vectors and one broadcast input per k), masked stores at the right
// edge, fused bias + clamp in the epilogue.
#include <immintrin.h>

#include <algorithm>

#include "src/kernels/gemm/gemm_f32.h"

namespace edgelite {
namespace kernels {
namespace {

constexpr int32_t kMr = kGemmF32Avx512Mr, kNr = kGemmF32Avx512Nr;

template <int kRows>
inline void Tile(const GemmF32Args& g, int64_t m0, int32_t p) {
  __m512 acc0[kRows], acc1[kRows];
#pragma GCC unroll 16
  for (int r = 0; r < kRows; ++r) {
    acc0[r] = _mm512_setzero_ps();
    acc1[r] = _mm512_setzero_ps();
  }
  const float* w = g.packed_w + static_cast<size_t>(p) * kNr * g.k;
  const float* a = g.a + m0 * g.lda;
  const int64_t lda = g.lda;
  for (int32_t kk = 0; kk < g.k; ++kk) {
    const __m512 w0 = _mm512_loadu_ps(w);
    const __m512 w1 = _mm512_loadu_ps(w + 16);
    w += kNr;
#pragma GCC unroll 16
    for (int r = 0; r < kRows; ++r) {
      const __m512 av = _mm512_set1_ps(a[r * lda + kk]);
      acc0[r] = _mm512_fmadd_ps(av, w0, acc0[r]);
      acc1[r] = _mm512_fmadd_ps(av, w1, acc1[r]);
    }
  }
  const float* bias = g.packed_bias + p * kNr;
  const __m512 b0 = _mm512_loadu_ps(bias), b1 = _mm512_loadu_ps(bias + 16);
  const __m512 lo = _mm512_set1_ps(g.act_min), hi = _mm512_set1_ps(g.act_max);
  const int32_t cols = std::min(kNr, g.n - p * kNr);
  // max(lo, x) / min(hi, x) return x when x is NaN, as ref::Clamp does.
  if (cols == kNr) {
#pragma GCC unroll 16
    for (int r = 0; r < kRows; ++r) {
      float* c = g.c + (m0 + r) * g.ldc + p * kNr;
      _mm512_storeu_ps(c, _mm512_min_ps(hi, _mm512_max_ps(lo, _mm512_add_ps(acc0[r], b0))));
      _mm512_storeu_ps(c + 16,
                       _mm512_min_ps(hi, _mm512_max_ps(lo, _mm512_add_ps(acc1[r], b1))));
    }
  } else {
    const __mmask16 m0k = static_cast<__mmask16>(cols >= 16 ? 0xFFFF : (1u << cols) - 1);
    const __mmask16 m1k = static_cast<__mmask16>(cols <= 16 ? 0 : (1u << (cols - 16)) - 1);
#pragma GCC unroll 16
    for (int r = 0; r < kRows; ++r) {
      float* c = g.c + (m0 + r) * g.ldc + p * kNr;
      _mm512_mask_storeu_ps(c, m0k,
                            _mm512_min_ps(hi, _mm512_max_ps(lo, _mm512_add_ps(acc0[r], b0))));
      _mm512_mask_storeu_ps(c + 16, m1k,
                            _mm512_min_ps(hi, _mm512_max_ps(lo, _mm512_add_ps(acc1[r], b1))));
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

void GemmF32RunAvx512(const GemmF32Args& g, int64_t m_begin, int64_t m_end, int32_t panel_begin,
                      int32_t panel_end) {
  for (int32_t p = panel_begin; p < panel_end; ++p) {
    int64_t m = m_begin;
    for (; m + kMr <= m_end; m += kMr) Tile<kMr>(g, m, p);
    if (m < m_end) TailRows<kMr - 1>(g, m, m_end - m, p);
  }
}

}  // namespace kernels
}  // namespace edgelite
