// AVX-512 VNNI variant of the 8-bit GEMM: vpdpbusd multiplies 4 unsigned activation bytes by 4
// signed weight bytes and adds the 4 products to an int32 lane (wrapping, never saturating), which
// is exactly the packed layout's group of kKr. Tiles of up to 8 rows x 32 columns: 16 accumulators,
// 2 weight vectors and 1 broadcast stay in the 32 zmm registers.
#if defined(EDGELITE_EMULATE_AVX512)
#include "tests/kernels/avx512_emulation.h"  // tests only: SIMDe on CPUs without AVX-512
#else
#include <immintrin.h>
#endif

#include <algorithm>
#include <cstring>

#include "src/kernels/gemm_int8/gemm_int8.h"
#include "src/kernels/gemm_int8/requantize_avx512.h"

namespace edgelite {
namespace kernels {
namespace gemm_int8 {
namespace {

constexpr int kMr = 8;

inline int32_t Load4(const uint8_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

template <int MR, int NB>
void Tile(const GemmArgs& args, int64_t m0, int32_t b0) {
  const PackedWeights& w = *args.w;
  const int32_t groups = w.k_groups;
  const size_t block_bytes = static_cast<size_t>(groups) * kNr * kKr;
  __m512i acc[MR][NB];
  const uint8_t* a[MR];
  const int8_t* wp[NB];
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i) {
    a[i] = args.a + (m0 + i) * args.a_stride;
#pragma GCC unroll 2
    for (int j = 0; j < NB; ++j) acc[i][j] = _mm512_setzero_si512();
  }
#pragma GCC unroll 2
  for (int j = 0; j < NB; ++j) wp[j] = w.data + (b0 + j) * block_bytes;
  const int32_t x4 = static_cast<int32_t>(0x01010101u * args.a_xor);
  for (int32_t g = 0; g < groups; ++g) {
    __m512i wv[NB];
#pragma GCC unroll 2
    for (int j = 0; j < NB; ++j) wv[j] = _mm512_loadu_si512(wp[j] + g * (kNr * kKr));
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i) {
      const __m512i av = _mm512_set1_epi32(Load4(a[i] + g * kKr) ^ x4);
#pragma GCC unroll 2
      for (int j = 0; j < NB; ++j) acc[i][j] = _mm512_dpbusd_epi32(acc[i][j], av, wv[j]);
    }
  }
  const OutputStage* st = args.stage;
  const int32_t* col_bias = st ? st->col_bias : args.col_bias;
#pragma GCC unroll 2
  for (int j = 0; j < NB; ++j) {
    const int32_t col0 = (b0 + j) * kNr;
    const int32_t cols = std::min(kNr, w.n - col0);
    const __mmask16 mask = static_cast<__mmask16>((1u << cols) - 1u);
    const __m512i cb = col_bias ? _mm512_loadu_si512(col_bias + col0) : _mm512_setzero_si512();
    if (st) {
      const __m512i mult = _mm512_loadu_si512(st->multiplier + col0);
      const __m512i shift = _mm512_loadu_si512(st->shift + col0);
      const __m512i lo = _mm512_set1_epi32(st->act_min - st->out_offset);
      const __m512i hi = _mm512_set1_epi32(st->act_max - st->out_offset);
      const __m512i off = _mm512_set1_epi32(st->out_offset);
#pragma GCC unroll 8
      for (int i = 0; i < MR; ++i) {
        __m512i v = _mm512_add_epi32(acc[i][j], cb);
        if (args.row_corr) v = _mm512_add_epi32(v, _mm512_set1_epi32(args.row_corr[m0 + i]));
        v = OutputStageAvx512(v, mult, shift, lo, hi, off);
        _mm512_mask_cvtepi32_storeu_epi8(args.out + (m0 + i) * args.out_stride + col0, mask, v);
      }
    } else {
#pragma GCC unroll 8
      for (int i = 0; i < MR; ++i) {
        __m512i v = _mm512_add_epi32(acc[i][j], cb);
        if (args.row_corr) v = _mm512_add_epi32(v, _mm512_set1_epi32(args.row_corr[m0 + i]));
        _mm512_mask_storeu_epi32(args.out32 + (m0 + i) * args.out_stride + col0, mask, v);
      }
    }
  }
}

template <int NB>
void Rows(const GemmArgs& args, int64_t m_begin, int64_t m_end, int32_t b) {
  int64_t m = m_begin;
  for (; m + kMr <= m_end; m += kMr) Tile<kMr, NB>(args, m, b);
  switch (m_end - m) {
    case 1: Tile<1, NB>(args, m, b); break;
    case 2: Tile<2, NB>(args, m, b); break;
    case 3: Tile<3, NB>(args, m, b); break;
    case 4: Tile<4, NB>(args, m, b); break;
    case 5: Tile<5, NB>(args, m, b); break;
    case 6: Tile<6, NB>(args, m, b); break;
    case 7: Tile<7, NB>(args, m, b); break;
    default: break;
  }
}

}  // namespace

void GemmAvx512Vnni(const GemmArgs& args, int64_t m_begin, int64_t m_end, int32_t nb_begin,
                    int32_t nb_end) {
  int32_t b = nb_begin;
  for (; b + 2 <= nb_end; b += 2) Rows<2>(args, m_begin, m_end, b);
  if (b < nb_end) Rows<1>(args, m_begin, m_end, b);
}

void RequantizeAvx512(const int32_t* x, const int32_t* m, const int32_t* s, int32_t n,
                      int32_t* out) {
  for (int32_t i = 0; i < n; i += 16) {
    const __mmask16 mask = static_cast<__mmask16>(n - i >= 16 ? 0xFFFFu : (1u << (n - i)) - 1u);
    const __m512i v = RequantizeVecAvx512(_mm512_maskz_loadu_epi32(mask, x + i),
                                          _mm512_maskz_loadu_epi32(mask, m + i),
                                          _mm512_maskz_loadu_epi32(mask, s + i));
    _mm512_mask_storeu_epi32(out + i, mask, v);
  }
}

}  // namespace gemm_int8
}  // namespace kernels
}  // namespace edgelite
