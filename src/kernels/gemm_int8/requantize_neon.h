// Vector form of the project's requantization (src/quant/fixed_point.h) for AArch64 NEON; include
// only from *_neon.cc / *_neondot.cc files. Bit-identical to quant::MultiplyByQuantizedMultiplier
// for every int32 input, multiplier and shift in [-31, 30] (tests/kernels/int8_kernels_test.cc,
// VectorRequantizeMatchesScalar, runs it on the edge values under qemu-aarch64).
//
// Why these instructions are exact (TFLite's double rounding):
//  - x * 2^left wraps in int32 in the reference; SSHL by a positive count wraps the same way.
//  - SaturatingRoundingDoublingHighMul(a, b) = (a*b + nudge) / 2^31 truncated, nudge = 2^30 for
//    a*b >= 0 and 1 - 2^30 otherwise. For a*b = q*2^31 + r (0 <= r < 2^31) both signs reduce to
//    q + [r >= 2^30], i.e. floor((a*b + 2^30) / 2^31) -- exactly SQRDMULH's (2ab + 2^31) >> 32 --
//    and the one overflow (INT32_MIN * INT32_MIN) saturates to INT32_MAX in both.
//  - RoundingDivideByPOT rounds half away from zero; SRSHL by -right rounds half up (computed
//    without overflow). Subtracting 1 from negative values first (saturating, and only when
//    right > 0) turns "half up" into "half away from zero" for them: for h = q*2^r + m < 0 both
//    give q + [m > 2^(r-1)].
//
// The functions are `static inline` on purpose: this header is compiled into files with
// different -march flags (plain NEON and +dotprod), and internal linkage keeps the linker from
// merging a +dotprod-compiled copy into the code that runs on CPUs without it.
#ifndef EDGELITE_KERNELS_GEMM_INT8_REQUANTIZE_NEON_H_
#define EDGELITE_KERNELS_GEMM_INT8_REQUANTIZE_NEON_H_

#include <arm_neon.h>

#include <cstdint>
#include <cstring>

#include "src/quant/fixed_point.h"

namespace edgelite {
namespace kernels {

// left = max(shift, 0), neg_right = min(shift, 0) = -max(-shift, 0).
static inline int32x4_t RequantizeVecSplitNeon(int32x4_t x, int32x4_t mult, int32x4_t left,
                                               int32x4_t neg_right) {
#if defined(EDGELITE_SINGLE_ROUNDING)
  // The single-rounding build is not vectorized: the scalar function lane by lane is exact.
  int32_t xs[4], ms[4], ls[4], rs[4];
  vst1q_s32(xs, x);
  vst1q_s32(ms, mult);
  vst1q_s32(ls, left);
  vst1q_s32(rs, neg_right);
  for (int i = 0; i < 4; ++i) xs[i] = quant::MultiplyByQuantizedMultiplier(xs[i], ms[i], ls[i] + rs[i]);
  return vld1q_s32(xs);
#else
  const int32x4_t h = vqrdmulhq_s32(vshlq_s32(x, left), mult);
  // -1 where h < 0 and right > 0 (neg_right has its sign bit set exactly when right > 0).
  const int32x4_t fixup = vshrq_n_s32(vandq_s32(h, neg_right), 31);
  return vrshlq_s32(vqaddq_s32(h, fixup), neg_right);
#endif
}

static inline int32x4_t RequantizeVecNeon(int32x4_t x, int32x4_t mult, int32x4_t shift) {
  const int32x4_t zero = vdupq_n_s32(0);
  return RequantizeVecSplitNeon(x, mult, vmaxq_s32(shift, zero), vminq_s32(shift, zero));
}

// Requantize, clamp to [lo, hi] (already offset-free), add the output offset.
static inline int32x4_t OutputStageNeon(int32x4_t acc, int32x4_t mult, int32x4_t shift,
                                        int32x4_t lo, int32x4_t hi, int32x4_t offset) {
  const int32x4_t v = RequantizeVecNeon(acc, mult, shift);
  return vaddq_s32(vminq_s32(vmaxq_s32(v, lo), hi), offset);
}

// Four int32 vectors whose values are in the output type's range -> 16 bytes (the low byte of
// each lane: exact for int8 and uint8); stores the first `count` (<= 16).
static inline void Store16BytesNeon(const int32x4_t v[4], uint8_t* dst, int count) {
  const int16x8_t lo = vcombine_s16(vmovn_s32(v[0]), vmovn_s32(v[1]));
  const int16x8_t hi = vcombine_s16(vmovn_s32(v[2]), vmovn_s32(v[3]));
  const uint8x16_t b = vreinterpretq_u8_s8(vcombine_s8(vmovn_s16(lo), vmovn_s16(hi)));
  if (count >= 16) {
    vst1q_u8(dst, b);
  } else {
    uint8_t tmp[16];
    vst1q_u8(tmp, b);
    std::memcpy(dst, tmp, static_cast<size_t>(count));
  }
}

// Two int32 vectors in range -> 8 bytes.
static inline void Store8BytesNeon(int32x4_t a, int32x4_t b, uint8_t* dst) {
  const int16x8_t h = vcombine_s16(vmovn_s32(a), vmovn_s32(b));
  vst1_u8(dst, vreinterpret_u8_s8(vmovn_s16(h)));
}

}  // namespace kernels
}  // namespace edgelite

#endif  // EDGELITE_KERNELS_GEMM_INT8_REQUANTIZE_NEON_H_
