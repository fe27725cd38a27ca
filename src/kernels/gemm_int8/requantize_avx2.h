// Vector form of the project's requantization (src/quant/fixed_point.h) for AVX2; include only
// from *_avx2.cc files. Same derivation as requantize_avx512.h, 8 lanes.
#ifndef EDGELITE_KERNELS_GEMM_INT8_REQUANTIZE_AVX2_H_
#define EDGELITE_KERNELS_GEMM_INT8_REQUANTIZE_AVX2_H_

#include <immintrin.h>

#include <cstdint>

#include "src/quant/fixed_point.h"

namespace edgelite {
namespace kernels {

inline __m256i RequantizeVecAvx2(__m256i x, __m256i mult, __m256i shift) {
#if defined(EDGELITE_SINGLE_ROUNDING)
  alignas(32) int32_t xs[8], ms[8], ss[8];
  _mm256_store_si256(reinterpret_cast<__m256i*>(xs), x);
  _mm256_store_si256(reinterpret_cast<__m256i*>(ms), mult);
  _mm256_store_si256(reinterpret_cast<__m256i*>(ss), shift);
  for (int i = 0; i < 8; ++i) xs[i] = quant::MultiplyByQuantizedMultiplier(xs[i], ms[i], ss[i]);
  return _mm256_load_si256(reinterpret_cast<const __m256i*>(xs));
#else
  const __m256i zero = _mm256_setzero_si256();
  const __m256i one = _mm256_set1_epi32(1);
  const __m256i left = _mm256_max_epi32(shift, zero);
  const __m256i right = _mm256_max_epi32(_mm256_sub_epi32(zero, shift), zero);
  x = _mm256_sllv_epi32(x, left);
  const __m256i nudge = _mm256_set1_epi64x(int64_t{1} << 30);
  __m256i even = _mm256_add_epi64(_mm256_mul_epi32(x, mult), nudge);
  __m256i odd = _mm256_add_epi64(
      _mm256_mul_epi32(_mm256_srli_epi64(x, 32), _mm256_srli_epi64(mult, 32)), nudge);
  even = _mm256_srli_epi64(even, 31);
  odd = _mm256_slli_epi64(odd, 1);
  __m256i h = _mm256_blend_epi32(even, odd, 0xAA);
  const __m256i min32 = _mm256_set1_epi32(INT32_MIN);
  const __m256i sat = _mm256_and_si256(_mm256_cmpeq_epi32(x, min32), _mm256_cmpeq_epi32(mult, min32));
  h = _mm256_blendv_epi8(h, _mm256_set1_epi32(INT32_MAX), sat);
  const __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(one, right), one);
  const __m256i rem = _mm256_and_si256(h, mask);
  const __m256i thr = _mm256_sub_epi32(_mm256_srai_epi32(mask, 1), _mm256_srai_epi32(h, 31));
  const __m256i res = _mm256_srav_epi32(h, right);
  return _mm256_sub_epi32(res, _mm256_cmpgt_epi32(rem, thr));
#endif
}

// RequantizeVecAvx2 with the shift split once per column in Prepare: left = max(shift, 0),
// right = max(-shift, 0), mask = 2^right - 1. kSaturate = false is for multipliers known not to
// be INT32_MIN (QuantizeMultiplier never returns it), where SRDHM's one saturating case cannot
// occur; the result is then the same without the check.
template <bool kSaturate>
inline __m256i RequantizeVecSplitAvx2(__m256i x, __m256i mult, __m256i left, __m256i right,
                                      __m256i mask) {
#if defined(EDGELITE_SINGLE_ROUNDING)
  (void)mask;
  return RequantizeVecAvx2(x, mult, _mm256_sub_epi32(left, right));
#else
  x = _mm256_sllv_epi32(x, left);
  const __m256i nudge = _mm256_set1_epi64x(int64_t{1} << 30);
  __m256i even = _mm256_add_epi64(_mm256_mul_epi32(x, mult), nudge);
  __m256i odd = _mm256_add_epi64(
      _mm256_mul_epi32(_mm256_srli_epi64(x, 32), _mm256_srli_epi64(mult, 32)), nudge);
  even = _mm256_srli_epi64(even, 31);
  odd = _mm256_slli_epi64(odd, 1);
  __m256i h = _mm256_blend_epi32(even, odd, 0xAA);
  if (kSaturate) {
    const __m256i min32 = _mm256_set1_epi32(INT32_MIN);
    const __m256i sat =
        _mm256_and_si256(_mm256_cmpeq_epi32(x, min32), _mm256_cmpeq_epi32(mult, min32));
    h = _mm256_blendv_epi8(h, _mm256_set1_epi32(INT32_MAX), sat);
  }
  const __m256i rem = _mm256_and_si256(h, mask);
  const __m256i thr = _mm256_sub_epi32(_mm256_srli_epi32(mask, 1), _mm256_srai_epi32(h, 31));
  const __m256i res = _mm256_srav_epi32(h, right);
  return _mm256_sub_epi32(res, _mm256_cmpgt_epi32(rem, thr));
#endif
}

inline __m256i OutputStageAvx2(__m256i acc, __m256i mult, __m256i shift, __m256i lo, __m256i hi,
                               __m256i offset) {
  const __m256i v = RequantizeVecAvx2(acc, mult, shift);
  return _mm256_add_epi32(_mm256_min_epi32(_mm256_max_epi32(v, lo), hi), offset);
}

// 16 requantized int32 values (columns 0..7 in r0, 8..15 in r1) -> 16 output bytes
// clamp(r + offset, act_min, act_max), with saturating packs, the offset added in int16
// (saturating) and the clamp on bytes. Every step is monotone and exact inside the output type's
// range, which contains [act_min, act_max], so this equals the scalar clamp-then-add on int32.
// `count` < 16 stores only the first count bytes.
inline void Store16BytesAvx2(__m256i r0, __m256i r1, int32_t offset, int32_t act_min,
                             int32_t act_max, bool out_unsigned, uint8_t* dst, int count) {
  const __m256i w16 = _mm256_adds_epi16(_mm256_packs_epi32(r0, r1),
                                        _mm256_set1_epi16(static_cast<int16_t>(offset)));
  // The packs work per 128-bit lane: dwords 0, 4, 1, 5 hold columns 0-3, 4-7, 8-11, 12-15.
  const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  const __m128i lo = _mm_set1_epi8(static_cast<char>(act_min));
  const __m128i hi = _mm_set1_epi8(static_cast<char>(act_max));
  __m128i out;
  if (out_unsigned) {
    const __m256i b8 = _mm256_permutevar8x32_epi32(_mm256_packus_epi16(w16, w16), order);
    out = _mm_min_epu8(_mm_max_epu8(_mm256_castsi256_si128(b8), lo), hi);
  } else {
    const __m256i b8 = _mm256_permutevar8x32_epi32(_mm256_packs_epi16(w16, w16), order);
    out = _mm_min_epi8(_mm_max_epi8(_mm256_castsi256_si128(b8), lo), hi);
  }
  if (count >= 16) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst), out);
  } else {
    alignas(16) uint8_t tmp[16];
    _mm_store_si128(reinterpret_cast<__m128i*>(tmp), out);
    for (int i = 0; i < count; ++i) dst[i] = tmp[i];
  }
}

// 8 int32 values already inside the output type's range -> 8 bytes.
inline void Store8BytesAvx2(__m256i v, uint8_t* dst, int count) {
  const __m128i lo = _mm256_castsi256_si128(v), hi = _mm256_extracti128_si256(v, 1);
  // Keep the low byte of each lane (values are in range, so this is exact for int8 and uint8).
  const __m128i pick = _mm_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
  const __m128i b = _mm_unpacklo_epi32(_mm_shuffle_epi8(lo, pick), _mm_shuffle_epi8(hi, pick));
  if (count >= 8) {
    _mm_storel_epi64(reinterpret_cast<__m128i*>(dst), b);
  } else {
    alignas(16) uint8_t tmp[16];
    _mm_store_si128(reinterpret_cast<__m128i*>(tmp), b);
    for (int i = 0; i < count; ++i) dst[i] = tmp[i];
  }
}

}  // namespace kernels
}  // namespace edgelite

#endif  // EDGELITE_KERNELS_GEMM_INT8_REQUANTIZE_AVX2_H_
