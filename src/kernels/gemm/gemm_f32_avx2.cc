// Float32 GEMM, AVX2 + FMA: a 6x16 register-blocked microkernel (12 accumulators in ymm
// registers, two weight vectors and one broadcast input per k), masked stores at the right
// edge, fused bias + clamp in the epilogue.
#include <immintrin.h>

#include <algorithm>

#include "src/kernels/gemm/gemm_f32.h"

namespace edgelite {
namespace kernels {
namespace {

constexpr int32_t kMr = kGemmF32Avx2Mr, kNr = kGemmF32Avx2Nr;

// Lane mask for the first `n` of 8 lanes (n in 0..8).
inline __m256i FirstLanes(int32_t n) {
  const __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), idx);
}

template <int kRows>
inline void Tile(const GemmF32Args& g, int64_t m0, int32_t p) {
  __m256 acc0[kRows], acc1[kRows];
#pragma GCC unroll 8
  for (int r = 0; r < kRows; ++r) {
    acc0[r] = _mm256_setzero_ps();
    acc1[r] = _mm256_setzero_ps();
  }
  const float* w = g.packed_w + static_cast<size_t>(p) * kNr * g.k;
  const float* a = g.a + m0 * g.lda;
  const int64_t lda = g.lda;
  for (int32_t kk = 0; kk < g.k; ++kk) {
    const __m256 w0 = _mm256_loadu_ps(w);
    const __m256 w1 = _mm256_loadu_ps(w + 8);
    w += kNr;
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r) {
      const __m256 av = _mm256_broadcast_ss(a + r * lda + kk);
      acc0[r] = _mm256_fmadd_ps(av, w0, acc0[r]);
      acc1[r] = _mm256_fmadd_ps(av, w1, acc1[r]);
    }
  }
  const float* bias = g.packed_bias + p * kNr;
  const __m256 b0 = _mm256_loadu_ps(bias), b1 = _mm256_loadu_ps(bias + 8);
  const __m256 lo = _mm256_set1_ps(g.act_min), hi = _mm256_set1_ps(g.act_max);
  const int32_t cols = std::min(kNr, g.n - p * kNr);
  // max(lo, x) / min(hi, x) return x when x is NaN, as ref::Clamp does.
  if (cols == kNr) {
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r) {
      float* c = g.c + (m0 + r) * g.ldc + p * kNr;
      _mm256_storeu_ps(c, _mm256_min_ps(hi, _mm256_max_ps(lo, _mm256_add_ps(acc0[r], b0))));
      _mm256_storeu_ps(c + 8, _mm256_min_ps(hi, _mm256_max_ps(lo, _mm256_add_ps(acc1[r], b1))));
    }
  } else {
    const __m256i m0k = FirstLanes(std::min(cols, 8));
    const __m256i m1k = FirstLanes(std::max(cols - 8, 0));
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r) {
      float* c = g.c + (m0 + r) * g.ldc + p * kNr;
      _mm256_maskstore_ps(c, m0k,
                          _mm256_min_ps(hi, _mm256_max_ps(lo, _mm256_add_ps(acc0[r], b0))));
      _mm256_maskstore_ps(c + 8, m1k,
                          _mm256_min_ps(hi, _mm256_max_ps(lo, _mm256_add_ps(acc1[r], b1))));
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

void GemmF32RunAvx2(const GemmF32Args& g, int64_t m_begin, int64_t m_end, int32_t panel_begin,
                    int32_t panel_end) {
  for (int32_t p = panel_begin; p < panel_end; ++p) {
    int64_t m = m_begin;
    for (; m + kMr <= m_end; m += kMr) Tile<kMr>(g, m, p);
    if (m < m_end) TailRows<kMr - 1>(g, m, m_end - m, p);
  }
}

}  // namespace kernels
}  // namespace edgelite
