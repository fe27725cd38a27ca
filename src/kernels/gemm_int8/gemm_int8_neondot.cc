// AArch64 variant of the 8-bit GEMM with the dot-product extension (SDOT, Armv8.2-A+dotprod:
// Cortex-A55/A76 and later). Compiled with -march=armv8.2-a+dotprod and selected only when the
// CPU reports it (HWCAP_ASIMDDP). One SDOT adds, per 32-bit lane, the 4 products of one column's
// packed k-group with the row's 4 activation bytes (as a - 128, see gemm_int8_neon.h): the packed
// layout is exactly SDOT's operand layout, so no reduction is needed at the end. Exact: 4
// products of at most 128*128 per step, int32 wrap-around like the reference.
#include <arm_neon.h>

#include <algorithm>

#include "src/kernels/gemm_int8/gemm_int8.h"
#include "src/kernels/gemm_int8/gemm_int8_neon.h"

namespace edgelite {
namespace kernels {
namespace gemm_int8 {
namespace {

constexpr int kMr = 4;  // 4 rows x 16 columns: 16 accumulators + 4 weight + 4 activation registers

template <int MR>
void Tile(const GemmArgs& args, int64_t m0, int32_t b) {
  const PackedWeights& w = *args.w;
  const int32_t groups = w.k_groups;
  const int8_t* wp = w.data + static_cast<size_t>(b) * groups * kNr * kKr;
  int32x4_t acc[MR][4];
  const uint8_t* a[MR];
  for (int i = 0; i < MR; ++i) {
    a[i] = args.a + (m0 + i) * args.a_stride;
    for (int c = 0; c < 4; ++c) acc[i][c] = vdupq_n_s32(0);
  }
  for (int32_t g = 0; g < groups; ++g) {
    const int8_t* wg = wp + g * (kNr * kKr);
    int8x16_t wv[4];
    for (int c = 0; c < 4; ++c) wv[c] = vld1q_s8(wg + 16 * c);
    for (int i = 0; i < MR; ++i) {
      const int8x16_t av = LoadGroupSignedNeon(a[i] + g * kKr);
      for (int c = 0; c < 4; ++c) acc[i][c] = vdotq_s32(acc[i][c], wv[c], av);
    }
  }
  const int32_t col0 = b * kNr;
  const int32_t cols = std::min(kNr, w.n - col0);
  for (int i = 0; i < MR; ++i) FinishRowNeon(args, m0 + i, col0, cols, acc[i]);
}

template <int MR>
inline void TailRows(const GemmArgs& args, int64_t m, int64_t rows, int32_t b) {
  if constexpr (MR > 0) {
    if (rows == MR) {
      Tile<MR>(args, m, b);
    } else {
      TailRows<MR - 1>(args, m, rows, b);
    }
  }
}

}  // namespace

void GemmNeonDot(const GemmArgs& args, int64_t m_begin, int64_t m_end, int32_t nb_begin,
                 int32_t nb_end) {
  for (int32_t b = nb_begin; b < nb_end; ++b) {
    int64_t m = m_begin;
    for (; m + kMr <= m_end; m += kMr) Tile<kMr>(args, m, b);
    if (m < m_end) TailRows<kMr - 1>(args, m, m_end - m, b);
  }
}

}  // namespace gemm_int8
}  // namespace kernels
}  // namespace edgelite
