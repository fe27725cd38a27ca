// AVX2 variant of the 8-bit GEMM (also used at the AVX-512 level when the CPU lacks VNNI). Exact:
// activations are zero-extended and weights sign-extended to int16, and vpmaddwd adds two
// products of at most 255 * 128 in magnitude into an int32 lane, so nothing saturates (unlike
// vpmaddubsw, whose int16 sums can). It reads the same packed layout as the VNNI variant: a lane
// pair holds one column's 4 k values, the two partial sums are added once per tile at the end.
#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "src/kernels/gemm_int8/gemm_int8.h"
#include "src/kernels/gemm_int8/requantize_avx2.h"

namespace edgelite {
namespace kernels {
namespace gemm_int8 {
namespace {

constexpr int kMr = 2;

inline int32_t Load4(const uint8_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

// acc[c] holds columns 4c..4c+3 as (k0k1, k2k3) partial-sum pairs; returns columns 0..7 / 8..15.
inline void Reduce(const __m256i acc[4], __m256i* lo, __m256i* hi) {
  *lo = _mm256_permute4x64_epi64(_mm256_hadd_epi32(acc[0], acc[1]), _MM_SHUFFLE(3, 1, 2, 0));
  *hi = _mm256_permute4x64_epi64(_mm256_hadd_epi32(acc[2], acc[3]), _MM_SHUFFLE(3, 1, 2, 0));
}

template <int MR, bool kSaturate>
void Tile(const GemmArgs& args, int64_t m0, int32_t b) {
  const PackedWeights& w = *args.w;
  const int32_t groups = w.k_groups;
  const int8_t* wp = w.data + static_cast<size_t>(b) * groups * kNr * kKr;
  __m256i acc[MR][4];
  const uint8_t* a[MR];
  for (int i = 0; i < MR; ++i) {
    a[i] = args.a + (m0 + i) * args.a_stride;
    for (int c = 0; c < 4; ++c) acc[i][c] = _mm256_setzero_si256();
  }
  for (int32_t g = 0; g < groups; ++g) {
    const int8_t* wg = wp + g * (kNr * kKr);
    __m256i wv[4];
    for (int c = 0; c < 4; ++c)
      wv[c] = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(wg + 16 * c)));
    for (int i = 0; i < MR; ++i) {
      const __m256i av = _mm256_cvtepu8_epi16(_mm_set1_epi32(Load4(a[i] + g * kKr)));
      for (int c = 0; c < 4; ++c)
        acc[i][c] = _mm256_add_epi32(acc[i][c], _mm256_madd_epi16(av, wv[c]));
    }
  }
  const OutputStage* st = args.stage;
  const int32_t* col_bias = st ? st->col_bias : args.col_bias;
  const int32_t col0 = b * kNr;
  const int32_t cols = std::min(kNr, w.n - col0);
  __m256i cb[2] = {_mm256_setzero_si256(), _mm256_setzero_si256()};
  if (col_bias) {
    cb[0] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(col_bias + col0));
    cb[1] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(col_bias + col0 + 8));
  }
  for (int i = 0; i < MR; ++i) {
    __m256i v[2];
    Reduce(acc[i], &v[0], &v[1]);
    const __m256i rc = _mm256_set1_epi32(args.row_corr ? args.row_corr[m0 + i] : 0);
    for (int h = 0; h < 2; ++h) v[h] = _mm256_add_epi32(_mm256_add_epi32(v[h], cb[h]), rc);
    if (st) {
      const __m256i lo = _mm256_set1_epi32(st->act_min - st->out_offset);
      const __m256i hi = _mm256_set1_epi32(st->act_max - st->out_offset);
      const __m256i off = _mm256_set1_epi32(st->out_offset);
      uint8_t* dst = args.out + (m0 + i) * args.out_stride + col0;
      for (int h = 0; h < 2; ++h) {
        const int count = cols - 8 * h;
        if (count <= 0) break;
        const __m256i mult =
            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st->multiplier + col0 + 8 * h));
        const int32_t c = col0 + 8 * h;
        const __m256i left = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st->left_shift + c));
        const __m256i right =
            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st->right_shift + c));
        const __m256i mask = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st->round_mask + c));
        const __m256i r = RequantizeVecSplitAvx2<kSaturate>(v[h], mult, left, right, mask);
        Store8BytesAvx2(_mm256_add_epi32(_mm256_min_epi32(_mm256_max_epi32(r, lo), hi), off),
                        dst + 8 * h, count);
      }
    } else {
      alignas(32) int32_t tmp[16];
      _mm256_store_si256(reinterpret_cast<__m256i*>(tmp), v[0]);
      _mm256_store_si256(reinterpret_cast<__m256i*>(tmp + 8), v[1]);
      std::memcpy(args.out32 + (m0 + i) * args.out_stride + col0, tmp,
                  sizeof(int32_t) * static_cast<size_t>(cols));
    }
  }
}

template <bool kSaturate>
void Run(const GemmArgs& args, int64_t m_begin, int64_t m_end, int32_t nb_begin,
         int32_t nb_end) {
  for (int32_t b = nb_begin; b < nb_end; ++b) {
    int64_t m = m_begin;
    for (; m + kMr <= m_end; m += kMr) Tile<kMr, kSaturate>(args, m, b);
    if (m < m_end) Tile<1, kSaturate>(args, m, b);
  }
}

}  // namespace

void GemmAvx2(const GemmArgs& args, int64_t m_begin, int64_t m_end, int32_t nb_begin,
              int32_t nb_end) {
  // Without an output stage (raw int32) the flag is irrelevant.
  if (args.stage == nullptr || args.stage->multiplier_min_free) {
    Run<false>(args, m_begin, m_end, nb_begin, nb_end);
  } else {
    Run<true>(args, m_begin, m_end, nb_begin, nb_end);
  }
}

void RequantizeAvx2(const int32_t* x, const int32_t* m, const int32_t* s, int32_t n,
                    int32_t* out) {
  int32_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256i v = RequantizeVecAvx2(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + i)),
                                        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(m + i)),
                                        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i)));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), v);
  }
  if (i < n) {
    alignas(32) int32_t xs[8] = {}, ms[8] = {}, ss[8] = {}, os[8];
    for (int32_t j = i; j < n; ++j) {
      xs[j - i] = x[j];
      ms[j - i] = m[j];
      ss[j - i] = s[j];
    }
    const __m256i v = RequantizeVecAvx2(_mm256_load_si256(reinterpret_cast<const __m256i*>(xs)),
                                        _mm256_load_si256(reinterpret_cast<const __m256i*>(ms)),
                                        _mm256_load_si256(reinterpret_cast<const __m256i*>(ss)));
    _mm256_store_si256(reinterpret_cast<__m256i*>(os), v);
    for (int32_t j = i; j < n; ++j) out[j] = os[j - i];
  }
}

}  // namespace gemm_int8
}  // namespace kernels
}  // namespace edgelite
