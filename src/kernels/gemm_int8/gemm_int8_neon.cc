// AArch64 NEON variant of the 8-bit GEMM for CPUs without the dot-product extension (Cortex-A53,
// A72, ...), and the NEON requantization. Exact: activations become signed bytes (a - 128, see
// gemm_int8_neon.h), SMULL multiplies 8 byte pairs into int16 (|(a-128)*w| <= 128*128 fits) and
// SADALP adds adjacent int16 products into int32 lanes, so nothing saturates. With the packed
// layout (4 consecutive k per column) a lane pair holds one column's partial sums; ADDP folds
// them once per tile.
#include <arm_neon.h>

#include <algorithm>

#include "src/kernels/gemm_int8/gemm_int8.h"
#include "src/kernels/gemm_int8/gemm_int8_neon.h"
#include "src/kernels/gemm_int8/requantize_neon.h"

namespace edgelite {
namespace kernels {
namespace gemm_int8 {
namespace {

constexpr int kMr = 2;  // 2 rows x 16 columns: 16 accumulators + 4 weight registers

template <int MR>
void Tile(const GemmArgs& args, int64_t m0, int32_t b) {
  const PackedWeights& w = *args.w;
  const int32_t groups = w.k_groups;
  const int8_t* wp = w.data + static_cast<size_t>(b) * groups * kNr * kKr;
  // acc[i][2c] / acc[i][2c+1]: columns 4c, 4c+1 / 4c+2, 4c+3 as (k0+k1, k2+k3) lane pairs.
  int32x4_t acc[MR][8];
  const uint8_t* a[MR];
  for (int i = 0; i < MR; ++i) {
    a[i] = args.a + (m0 + i) * args.a_stride;
    for (int c = 0; c < 8; ++c) acc[i][c] = vdupq_n_s32(0);
  }
  for (int32_t g = 0; g < groups; ++g) {
    const int8_t* wg = wp + g * (kNr * kKr);
    int8x16_t wv[4];
    for (int c = 0; c < 4; ++c) wv[c] = vld1q_s8(wg + 16 * c);
    for (int i = 0; i < MR; ++i) {
      const int8x16_t av = LoadGroupSignedNeon(a[i] + g * kKr);
      for (int c = 0; c < 4; ++c) {
        acc[i][2 * c] = vpadalq_s16(acc[i][2 * c], vmull_s8(vget_low_s8(av), vget_low_s8(wv[c])));
        acc[i][2 * c + 1] = vpadalq_s16(acc[i][2 * c + 1], vmull_high_s8(av, wv[c]));
      }
    }
  }
  const int32_t col0 = b * kNr;
  const int32_t cols = std::min(kNr, w.n - col0);
  for (int i = 0; i < MR; ++i) {
    int32x4_t sum[4];
    for (int c = 0; c < 4; ++c) sum[c] = vpaddq_s32(acc[i][2 * c], acc[i][2 * c + 1]);
    FinishRowNeon(args, m0 + i, col0, cols, sum);
  }
}

}  // namespace

void GemmNeon(const GemmArgs& args, int64_t m_begin, int64_t m_end, int32_t nb_begin,
              int32_t nb_end) {
  for (int32_t b = nb_begin; b < nb_end; ++b) {
    int64_t m = m_begin;
    for (; m + kMr <= m_end; m += kMr) Tile<kMr>(args, m, b);
    if (m < m_end) Tile<1>(args, m, b);
  }
}

void RequantizeNeon(const int32_t* x, const int32_t* m, const int32_t* s, int32_t n,
                    int32_t* out) {
  int32_t i = 0;
  for (; i + 4 <= n; i += 4)
    vst1q_s32(out + i, RequantizeVecNeon(vld1q_s32(x + i), vld1q_s32(m + i), vld1q_s32(s + i)));
  if (i < n) {
    int32_t xs[4] = {}, ms[4] = {}, ss[4] = {}, os[4];
    for (int32_t j = i; j < n; ++j) {
      xs[j - i] = x[j];
      ms[j - i] = m[j];
      ss[j - i] = s[j];
    }
    vst1q_s32(os, RequantizeVecNeon(vld1q_s32(xs), vld1q_s32(ms), vld1q_s32(ss)));
    for (int32_t j = i; j < n; ++j) out[j] = os[j - i];
  }
}

}  // namespace gemm_int8
}  // namespace kernels
}  // namespace edgelite
