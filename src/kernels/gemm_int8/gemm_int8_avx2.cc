// AVX2 variant of the 8-bit GEMM (also used at the AVX-512 level when the CPU lacks VNNI). Exact:
// activations are zero-extended and weights sign-extended to int16, and vpmaddwd adds two
// products of at most 255 * 128 in magnitude into an int32 lane, so nothing saturates (unlike
// vpmaddubsw, whose int16 sums can). It reads the same packed layout as the VNNI variant: a lane
// pair holds one column's 4 k values, the two partial sums are added once per tile at the end.
//
// When the weights also come widened to int16 in k pairs (PackedWeights::data16, packed in
// Prepare), the main path is a 6 x 16 tile like the float GEMM's: per pair of k, two weight loads,
// and per row one 32-bit broadcast of two int16 activations and two vpmaddwd + vpaddd into 12
// accumulators, which are already the 16 columns (no horizontal adds). The activation rows of a
// tile are widened to int16 once into a stack buffer and reused for every column block.
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

// The output stage's per-column values for one block of 16 columns, loaded (and the derived ones
// computed) once per tile instead of once per row: the compiler cannot keep them across rows
// itself, since the byte stores may alias the stage's arrays.
struct BlockStage {
  int32_t col0 = 0, cols = 0;
  bool requantize = false;  // else raw int32
  bool any_left = false;    // some column shifts left
  int halves = 2;           // vectors holding real columns (1 when cols <= 8)
  __m256i bias[2], mult[2], mult_odd[2], left[2], right[2], mask[2], half_mask[2];
  int32_t offset = 0, act_min = 0, act_max = 0;
  bool out_unsigned = false;
};

inline void LoadBlockStage(const GemmArgs& args, int32_t col0, int32_t cols, BlockStage* bs) {
  const OutputStage* st = args.stage;
  const int32_t* col_bias = st ? st->col_bias : args.col_bias;
  bs->col0 = col0;
  bs->cols = cols;
  bs->requantize = st != nullptr;
  bs->halves = cols > 8 ? 2 : 1;
  for (int h = 0; h < 2; ++h) {
    const int32_t c = col0 + 8 * h;  // the per-column arrays have padded_n entries
    bs->bias[h] = col_bias ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(col_bias + c))
                           : _mm256_setzero_si256();
    if (st == nullptr) continue;
    bs->mult[h] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st->multiplier + c));
    bs->mult_odd[h] = _mm256_srli_epi64(bs->mult[h], 32);
    bs->left[h] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st->left_shift + c));
    bs->right[h] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st->right_shift + c));
    bs->mask[h] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st->round_mask + c));
    bs->half_mask[h] = _mm256_srli_epi32(bs->mask[h], 1);
  }
  if (st != nullptr) {
    const __m256i l = _mm256_or_si256(bs->left[0], bs->left[1]);
    bs->any_left = !_mm256_testz_si256(l, l);
    bs->offset = st->out_offset;
    bs->act_min = st->act_min;
    bs->act_max = st->act_max;
    bs->out_unsigned = st->out_unsigned;
  }
}

// RequantizeVecSplitAvx2 with the block's precomputed odd-lane multiplier and half mask, and the
// left shift only when some column has one (the same integers: a shift by 0 is the identity).
template <bool kSaturate, bool kLeft>
inline __m256i RequantizeBlock(__m256i x, const BlockStage& bs, int h) {
#if defined(EDGELITE_SINGLE_ROUNDING)
  return RequantizeVecSplitAvx2<kSaturate>(x, bs.mult[h], bs.left[h], bs.right[h], bs.mask[h]);
#else
  if (kLeft) x = _mm256_sllv_epi32(x, bs.left[h]);
  const __m256i nudge = _mm256_set1_epi64x(int64_t{1} << 30);
  const __m256i even =
      _mm256_srli_epi64(_mm256_add_epi64(_mm256_mul_epi32(x, bs.mult[h]), nudge), 31);
  const __m256i odd = _mm256_slli_epi64(
      _mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(x, 32), bs.mult_odd[h]), nudge), 1);
  __m256i v = _mm256_blend_epi32(even, odd, 0xAA);
  if (kSaturate) {
    const __m256i min32 = _mm256_set1_epi32(INT32_MIN);
    const __m256i sat =
        _mm256_and_si256(_mm256_cmpeq_epi32(x, min32), _mm256_cmpeq_epi32(bs.mult[h], min32));
    v = _mm256_blendv_epi8(v, _mm256_set1_epi32(INT32_MAX), sat);
  }
  const __m256i rem = _mm256_and_si256(v, bs.mask[h]);
  const __m256i thr = _mm256_sub_epi32(bs.half_mask[h], _mm256_srai_epi32(v, 31));
  return _mm256_sub_epi32(_mm256_srav_epi32(v, bs.right[h]), _mm256_cmpgt_epi32(rem, thr));
#endif
}

// Adds the column constants and row term to one row's 16 column sums and stores them:
// requantized bytes, or raw int32 without an output stage.
template <bool kSaturate, bool kLeft>
inline void StoreRow(const GemmArgs& args, const BlockStage& bs, int64_t m, const __m256i v[2]) {
  const __m256i rc = _mm256_set1_epi32(args.row_corr ? args.row_corr[m] : 0);
  __m256i t[2];
  for (int h = 0; h < 2; ++h) t[h] = _mm256_add_epi32(_mm256_add_epi32(v[h], rc), bs.bias[h]);
  if (bs.requantize) {
    __m256i r[2] = {_mm256_setzero_si256(), _mm256_setzero_si256()};
    for (int h = 0; h < bs.halves; ++h) r[h] = RequantizeBlock<kSaturate, kLeft>(t[h], bs, h);
    Store16BytesAvx2(r[0], r[1], bs.offset, bs.act_min, bs.act_max, bs.out_unsigned,
                     args.out + m * args.out_stride + bs.col0, bs.cols);
  } else {
    alignas(32) int32_t tmp[16];
    _mm256_store_si256(reinterpret_cast<__m256i*>(tmp), t[0]);
    _mm256_store_si256(reinterpret_cast<__m256i*>(tmp + 8), t[1]);
    std::memcpy(args.out32 + m * args.out_stride + bs.col0, tmp,
                sizeof(int32_t) * static_cast<size_t>(bs.cols));
  }
}

// Stores rows m0.. of a tile (acc[i] = row m0 + i's two column vectors).
template <int MR, bool kSaturate>
inline void StoreTile(const GemmArgs& args, int64_t m0, int32_t col0, int32_t cols,
                      const __m256i (*acc)[2]) {
  BlockStage bs;
  LoadBlockStage(args, col0, cols, &bs);
  if (bs.any_left) {
    for (int i = 0; i < MR; ++i) StoreRow<kSaturate, true>(args, bs, m0 + i, acc[i]);
  } else {
    for (int i = 0; i < MR; ++i) StoreRow<kSaturate, false>(args, bs, m0 + i, acc[i]);
  }
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
  const int32_t x4 = static_cast<int32_t>(0x01010101u * args.a_xor);
  for (int32_t g = 0; g < groups; ++g) {
    const int8_t* wg = wp + g * (kNr * kKr);
    __m256i wv[4];
    for (int c = 0; c < 4; ++c)
      wv[c] = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(wg + 16 * c)));
    for (int i = 0; i < MR; ++i) {
      const __m256i av = _mm256_cvtepu8_epi16(_mm_set1_epi32(Load4(a[i] + g * kKr) ^ x4));
      for (int c = 0; c < 4; ++c)
        acc[i][c] = _mm256_add_epi32(acc[i][c], _mm256_madd_epi16(av, wv[c]));
    }
  }
  const int32_t col0 = b * kNr;
  __m256i v[MR][2];
  for (int i = 0; i < MR; ++i) Reduce(acc[i], &v[i][0], &v[i][1]);
  StoreTile<MR, kSaturate>(args, m0, col0, std::min(kNr, w.n - col0), v);
}

// ---- int16 weights (PackedWeights::data16) ----

constexpr int kWideMr = 6;
// Deepest K the wide path takes: its activation buffer is kWideMr * kWideMaxK int16 on the stack
// (48 KiB). Deeper products use the 8-bit path.
constexpr int32_t kWideMaxK = kWideMaxDepth;
// Bytes of int16 weights one pass over the row tiles keeps hot (about half of a 512 KiB L2).
constexpr size_t kWideGroupBytes = 256 * 1024;

// Zero-extends `rows` activation rows of kp bytes (kp % 4 == 0), each xor args.a_xor, to int16,
// row r at dst + r * kp.
template <int MR>
inline void WidenRows(const GemmArgs& args, int64_t m0, int32_t kp, int16_t* dst) {
  const __m128i x16 = _mm_set1_epi8(static_cast<char>(args.a_xor));
  const int32_t x4 = static_cast<int32_t>(0x01010101u * args.a_xor);
  for (int r = 0; r < MR; ++r) {
    const uint8_t* src = args.a + (m0 + r) * args.a_stride;
    int16_t* d = dst + static_cast<size_t>(r) * kp;
    int32_t k = 0;
    for (; k + 16 <= kp; k += 16)
      _mm256_storeu_si256(
          reinterpret_cast<__m256i*>(d + k),
          _mm256_cvtepu8_epi16(
              _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(src + k)), x16)));
    for (; k < kp; k += 4)
      _mm_storel_epi64(reinterpret_cast<__m128i*>(d + k),
                       _mm_cvtepu8_epi16(_mm_cvtsi32_si128(Load4(src + k) ^ x4)));
  }
}

inline int32_t Load2x16(const int16_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

#if defined(__GNUC__)
// The full 6 x 16 tile's k loop in assembly: GCC 12 keeps only part of the 12 accumulators of
// the intrinsics version in registers (it spills and copies the rest every iteration, which ran
// no faster than the 8-bit path). ymm0..11: accumulators (row i, columns 8h.. in ymm(2i + h)),
// ymm12/13: the pair's weights, ymm14: the broadcast activation pair, ymm15: the product.
inline void WideKernel6(const int16_t* a, int64_t row_bytes, const int16_t* w, int64_t pairs,
                        __m256i* acc) {
  const int16_t* a3 = reinterpret_cast<const int16_t*>(reinterpret_cast<const char*>(a) +
                                                       3 * row_bytes);
#define EL_ROW(src, lo, hi)                            \
  "vpbroadcastd " src ", %%ymm14\n\t"                  \
  "vpmaddwd %%ymm12, %%ymm14, %%ymm15\n\t"             \
  "vpaddd %%ymm15, %%ymm" #lo ", %%ymm" #lo "\n\t"     \
  "vpmaddwd %%ymm13, %%ymm14, %%ymm15\n\t"             \
  "vpaddd %%ymm15, %%ymm" #hi ", %%ymm" #hi "\n\t"
  __asm__ volatile(
      "vpxor %%xmm0, %%xmm0, %%xmm0\n\t"
      "vpxor %%xmm1, %%xmm1, %%xmm1\n\t"
      "vpxor %%xmm2, %%xmm2, %%xmm2\n\t"
      "vpxor %%xmm3, %%xmm3, %%xmm3\n\t"
      "vpxor %%xmm4, %%xmm4, %%xmm4\n\t"
      "vpxor %%xmm5, %%xmm5, %%xmm5\n\t"
      "vpxor %%xmm6, %%xmm6, %%xmm6\n\t"
      "vpxor %%xmm7, %%xmm7, %%xmm7\n\t"
      "vpxor %%xmm8, %%xmm8, %%xmm8\n\t"
      "vpxor %%xmm9, %%xmm9, %%xmm9\n\t"
      "vpxor %%xmm10, %%xmm10, %%xmm10\n\t"
      "vpxor %%xmm11, %%xmm11, %%xmm11\n\t"
      // The loop's placement moved its speed by 20% between builds: align it.
      ".p2align 6\n\t"
      "1:\n\t"
      "vmovdqu (%[w]), %%ymm12\n\t"
      "vmovdqu 32(%[w]), %%ymm13\n\t"
      EL_ROW("(%[a])", 0, 1)
      EL_ROW("(%[a],%[s],1)", 2, 3)
      EL_ROW("(%[a],%[s],2)", 4, 5)
      EL_ROW("(%[b])", 6, 7)
      EL_ROW("(%[b],%[s],1)", 8, 9)
      EL_ROW("(%[b],%[s],2)", 10, 11)
      "add $64, %[w]\n\t"
      "add $4, %[a]\n\t"
      "add $4, %[b]\n\t"
      "dec %[n]\n\t"
      "jnz 1b\n\t"
      "vmovdqu %%ymm0, (%[out])\n\t"
      "vmovdqu %%ymm1, 32(%[out])\n\t"
      "vmovdqu %%ymm2, 64(%[out])\n\t"
      "vmovdqu %%ymm3, 96(%[out])\n\t"
      "vmovdqu %%ymm4, 128(%[out])\n\t"
      "vmovdqu %%ymm5, 160(%[out])\n\t"
      "vmovdqu %%ymm6, 192(%[out])\n\t"
      "vmovdqu %%ymm7, 224(%[out])\n\t"
      "vmovdqu %%ymm8, 256(%[out])\n\t"
      "vmovdqu %%ymm9, 288(%[out])\n\t"
      "vmovdqu %%ymm10, 320(%[out])\n\t"
      "vmovdqu %%ymm11, 352(%[out])\n\t"
      : [w] "+r"(w), [a] "+r"(a), [b] "+r"(a3), [n] "+r"(pairs)
      : [s] "r"(row_bytes), [out] "r"(acc)
      : "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",
        "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
#undef EL_ROW
}
#endif

template <int MR, bool kSaturate>
void WideTile(const GemmArgs& args, const int16_t* abuf, int32_t kp, int64_t m0, int32_t b) {
  const PackedWeights& w = *args.w;
  const int32_t pairs = kp / 2;
  const int16_t* wp = w.data16 + static_cast<size_t>(b) * pairs * (kNr * 2);
  __m256i acc[MR][2];
  const int32_t col0 = b * kNr;
  const int32_t cols = std::min(kNr, w.n - col0);
  if (cols <= 8) {
    // Only columns 0..7 of the block are real: half the products (6 accumulators, no spills).
    for (int i = 0; i < MR; ++i) acc[i][0] = acc[i][1] = _mm256_setzero_si256();
    for (int32_t p = 0; p < pairs; ++p) {
      const __m256i w0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wp + p * (kNr * 2)));
      for (int i = 0; i < MR; ++i) {
        const __m256i av = _mm256_set1_epi32(Load2x16(abuf + static_cast<size_t>(i) * kp + 2 * p));
        acc[i][0] = _mm256_add_epi32(acc[i][0], _mm256_madd_epi16(av, w0));
      }
    }
  } else
#if defined(__GNUC__)
  if (MR == 6) {
    // pairs >= 2: kp is a positive multiple of kKr.
    WideKernel6(abuf, static_cast<int64_t>(kp) * 2, wp, pairs, &acc[0][0]);
  } else
#endif
  {
    for (int i = 0; i < MR; ++i) acc[i][0] = acc[i][1] = _mm256_setzero_si256();
    for (int32_t p = 0; p < pairs; ++p) {
      const __m256i w0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wp + p * (kNr * 2)));
      const __m256i w1 =
          _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wp + p * (kNr * 2) + 16));
      for (int i = 0; i < MR; ++i) {
        const __m256i av = _mm256_set1_epi32(Load2x16(abuf + static_cast<size_t>(i) * kp + 2 * p));
        acc[i][0] = _mm256_add_epi32(acc[i][0], _mm256_madd_epi16(av, w0));
        acc[i][1] = _mm256_add_epi32(acc[i][1], _mm256_madd_epi16(av, w1));
      }
    }
  }
  StoreTile<MR, kSaturate>(args, m0, col0, cols, acc);
}

template <int MR, bool kSaturate>
void WideRows(const GemmArgs& args, int16_t* abuf, int32_t kp, int64_t m0, int32_t b0,
              int32_t b1) {
  WidenRows<MR>(args, m0, kp, abuf);
  for (int32_t b = b0; b < b1; ++b) WideTile<MR, kSaturate>(args, abuf, kp, m0, b);
}

template <bool kSaturate>
void RunWide(const GemmArgs& args, int64_t m_begin, int64_t m_end, int32_t nb_begin,
             int32_t nb_end) {
  const int32_t kp = args.w->padded_k();
  alignas(32) int16_t abuf[kWideMr * kWideMaxK];
  const size_t block_bytes = static_cast<size_t>(kp) * kNr * sizeof(int16_t);
  const int32_t group = static_cast<int32_t>(std::max<size_t>(1, kWideGroupBytes / block_bytes));
  for (int32_t g0 = nb_begin; g0 < nb_end; g0 += group) {
    const int32_t g1 = std::min(nb_end, g0 + group);
    int64_t m = m_begin;
    for (; m + kWideMr <= m_end; m += kWideMr) WideRows<kWideMr, kSaturate>(args, abuf, kp, m, g0, g1);
    switch (m_end - m) {
      case 1: WideRows<1, kSaturate>(args, abuf, kp, m, g0, g1); break;
      case 2: WideRows<2, kSaturate>(args, abuf, kp, m, g0, g1); break;
      case 3: WideRows<3, kSaturate>(args, abuf, kp, m, g0, g1); break;
      case 4: WideRows<4, kSaturate>(args, abuf, kp, m, g0, g1); break;
      case 5: WideRows<5, kSaturate>(args, abuf, kp, m, g0, g1); break;
      default: break;
    }
  }
}

template <bool kSaturate>
void Run(const GemmArgs& args, int64_t m_begin, int64_t m_end, int32_t nb_begin,
         int32_t nb_end) {
  if (args.w->data16 != nullptr && args.w->padded_k() <= kWideMaxK) {
    RunWide<kSaturate>(args, m_begin, m_end, nb_begin, nb_end);
    return;
  }
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
