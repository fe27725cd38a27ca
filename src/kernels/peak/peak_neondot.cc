#include <arm_neon.h>

#include "src/kernels/peak/peak.h"

namespace edgelite {
namespace kernels {
namespace peak {

float LoopSdotNeon(int64_t iters) {
  int32x4_t a[12];
  for (int j = 0; j < 12; ++j) a[j] = vdupq_n_s32(j);
  const int8x16_t x = vdupq_n_s8(3), w = vdupq_n_s8(-2);
  for (int64_t i = 0; i < iters; ++i) {
#pragma GCC unroll 12
    for (int j = 0; j < 12; ++j) a[j] = vdotq_s32(a[j], x, w);
  }
  int32x4_t s = a[0];
  for (int j = 1; j < 12; ++j) s = vaddq_s32(s, a[j]);
  return static_cast<float>(vaddvq_s32(s));
}

}  // namespace peak
}  // namespace kernels
}  // namespace edgelite
