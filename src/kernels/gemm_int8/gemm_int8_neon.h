// Shared by the two AArch64 variants of the 8-bit GEMM (gemm_int8_neon.cc: SMULL/SADALP,
// gemm_int8_neondot.cc: SDOT); include only from those files. `static inline` for the reason
// given in requantize_neon.h.
//
// Both variants multiply signed bytes only, so an unsigned activation a becomes the int8 value
// a - 128 (xor 0x80) and the column sums of the packed weights put the difference back:
//   sum_k a*w = sum_k (a - 128)*w + 128 * col_sum     (all modulo 2^32, like the reference).
#ifndef EDGELITE_KERNELS_GEMM_INT8_GEMM_INT8_NEON_H_
#define EDGELITE_KERNELS_GEMM_INT8_GEMM_INT8_NEON_H_

#include <arm_neon.h>

#include <cstdint>
#include <cstring>

#include "src/kernels/gemm_int8/gemm_int8.h"
#include "src/kernels/gemm_int8/requantize_neon.h"

namespace edgelite {
namespace kernels {
namespace gemm_int8 {

// The 4 activation bytes of k-group g of a row, as signed bytes (a - 128), in every 32-bit lane.
static inline int8x16_t LoadGroupSignedNeon(const uint8_t* a) {
  int32_t v;
  std::memcpy(&v, a, sizeof(v));
  return veorq_s8(vreinterpretq_s8_s32(vdupq_n_s32(v)), vdupq_n_s8(static_cast<int8_t>(0x80)));
}

// Finishes one row of a tile: sum[c] holds columns col0 + 4c .. col0 + 4c + 3 of sum (a-128)*w.
// Adds 128 * col_sum, col_bias and the row correction, then requantizes and stores `cols`
// outputs (or stores raw int32 when there is no output stage).
static inline void FinishRowNeon(const GemmArgs& args, int64_t m, int32_t col0, int32_t cols,
                                 int32x4_t sum[4]) {
  const OutputStage* st = args.stage;
  const int32_t* col_bias = st ? st->col_bias : args.col_bias;
  const int32x4_t rc = vdupq_n_s32(args.row_corr ? args.row_corr[m] : 0);
  int32x4_t v[4];
  for (int c = 0; c < 4; ++c) {
    // 128 * col_sum with wrap-around (a shift, not a multiply that could be flagged).
    int32x4_t t = vaddq_s32(sum[c], vshlq_n_s32(vld1q_s32(args.w->col_sum + col0 + 4 * c), 7));
    if (col_bias) t = vaddq_s32(t, vld1q_s32(col_bias + col0 + 4 * c));
    v[c] = vaddq_s32(t, rc);
  }
  if (st) {
    const int32x4_t lo = vdupq_n_s32(st->act_min - st->out_offset);
    const int32x4_t hi = vdupq_n_s32(st->act_max - st->out_offset);
    const int32x4_t off = vdupq_n_s32(st->out_offset);
    for (int c = 0; c < 4; ++c) {
      const int32_t cc = col0 + 4 * c;
      const int32x4_t r = RequantizeVecSplitNeon(v[c], vld1q_s32(st->multiplier + cc),
                                                 vld1q_s32(st->left_shift + cc),
                                                 vnegq_s32(vld1q_s32(st->right_shift + cc)));
      v[c] = vaddq_s32(vminq_s32(vmaxq_s32(r, lo), hi), off);
    }
    Store16BytesNeon(v, args.out + m * args.out_stride + col0, cols);
  } else {
    int32_t tmp[kNr];
    for (int c = 0; c < 4; ++c) vst1q_s32(tmp + 4 * c, v[c]);
    std::memcpy(args.out32 + m * args.out_stride + col0, tmp,
                sizeof(int32_t) * static_cast<size_t>(cols));
  }
}

}  // namespace gemm_int8
}  // namespace kernels
}  // namespace edgelite

#endif  // EDGELITE_KERNELS_GEMM_INT8_GEMM_INT8_NEON_H_
