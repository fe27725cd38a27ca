// Vector form of the project's requantization (src/quant/fixed_point.h) for AVX-512; include
// only from *_avx512.cc files (compiled with AVX-512 flags). Bit-identical to the scalar
// quant::MultiplyByQuantizedMultiplier for every int32 input, multiplier and shift in [-31, 30]
// (tests/kernels/requantize_test.cc).
#ifndef EDGELITE_KERNELS_GEMM_INT8_REQUANTIZE_AVX512_H_
#define EDGELITE_KERNELS_GEMM_INT8_REQUANTIZE_AVX512_H_

#if defined(EDGELITE_EMULATE_AVX512)
#include "tests/kernels/avx512_emulation.h"  // tests only: SIMDe on CPUs without AVX-512
#else
#include <immintrin.h>
#endif

#include <cstdint>

#include "src/quant/fixed_point.h"

namespace edgelite {
namespace kernels {

inline __m512i RequantizeVecAvx512(__m512i x, __m512i mult, __m512i shift) {
#if defined(EDGELITE_SINGLE_ROUNDING)
  // The single-rounding build is not vectorized: the scalar function lane by lane is exact.
  alignas(64) int32_t xs[16], ms[16], ss[16];
  _mm512_store_si512(xs, x);
  _mm512_store_si512(ms, mult);
  _mm512_store_si512(ss, shift);
  for (int i = 0; i < 16; ++i) xs[i] = quant::MultiplyByQuantizedMultiplier(xs[i], ms[i], ss[i]);
  return _mm512_load_si512(xs);
#else
  const __m512i zero = _mm512_setzero_si512();
  const __m512i one = _mm512_set1_epi32(1);
  const __m512i left = _mm512_max_epi32(shift, zero);
  const __m512i right = _mm512_max_epi32(_mm512_sub_epi32(zero, shift), zero);
  x = _mm512_sllv_epi32(x, left);  // wraps, as the scalar uint32 shift
  // SaturatingRoundingDoublingHighMul: for a 64-bit product p, the reference's nudge-and-truncate
  // equals floor((p + 2^30) / 2^31) for both signs, so one add and one shift per lane. Even lanes
  // keep bits 31..62 in their low half (>> 31), odd lanes in their high half (<< 1).
  const __m512i nudge = _mm512_set1_epi64(int64_t{1} << 30);
  __m512i even = _mm512_add_epi64(_mm512_mul_epi32(x, mult), nudge);
  __m512i odd = _mm512_add_epi64(
      _mm512_mul_epi32(_mm512_srli_epi64(x, 32), _mm512_srli_epi64(mult, 32)), nudge);
  even = _mm512_srli_epi64(even, 31);
  odd = _mm512_slli_epi64(odd, 1);
  __m512i h = _mm512_mask_blend_epi32(0xAAAA, even, odd);
  const __m512i min32 = _mm512_set1_epi32(INT32_MIN);
  const __mmask16 sat =
      _mm512_cmpeq_epi32_mask(x, min32) & _mm512_cmpeq_epi32_mask(mult, min32);
  h = _mm512_mask_mov_epi32(h, sat, _mm512_set1_epi32(INT32_MAX));
  // RoundingDivideByPOT(h, right): ties away from zero.
  const __m512i mask = _mm512_sub_epi32(_mm512_sllv_epi32(one, right), one);
  const __m512i rem = _mm512_and_si512(h, mask);
  const __m512i thr = _mm512_sub_epi32(_mm512_srai_epi32(mask, 1), _mm512_srai_epi32(h, 31));
  const __m512i res = _mm512_srav_epi32(h, right);
  return _mm512_mask_add_epi32(res, _mm512_cmpgt_epi32_mask(rem, thr), res, one);
#endif
}

// Requantize, add the output offset, clamp to [act_min, act_max] (the clamp is applied before the
// offset with bounds moved by it: the same as the reference's saturating add).
inline __m512i OutputStageAvx512(__m512i acc, __m512i mult, __m512i shift, __m512i lo,
                                 __m512i hi, __m512i offset) {
  const __m512i v = RequantizeVecAvx512(acc, mult, shift);
  return _mm512_add_epi32(_mm512_min_epi32(_mm512_max_epi32(v, lo), hi), offset);
}

}  // namespace kernels
}  // namespace edgelite

#endif  // EDGELITE_KERNELS_GEMM_INT8_REQUANTIZE_AVX512_H_
