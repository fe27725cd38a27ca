#include <arm_neon.h>

#include "src/kernels/peak/peak.h"

namespace edgelite {
namespace kernels {
namespace peak {

float LoopFmlaNeon(int64_t iters) {
  float32x4_t a[12];
  for (int j = 0; j < 12; ++j) a[j] = vdupq_n_f32(1.0f + 0.001f * static_cast<float>(j));
  const float32x4_t m = vdupq_n_f32(0.9999f), c = vdupq_n_f32(1e-4f);
  for (int64_t i = 0; i < iters; ++i) {
#pragma GCC unroll 12
    for (int j = 0; j < 12; ++j) a[j] = vfmaq_f32(c, a[j], m);
  }
  float32x4_t s = a[0];
  for (int j = 1; j < 12; ++j) s = vaddq_f32(s, a[j]);
  return vaddvq_f32(s);
}

}  // namespace peak
}  // namespace kernels
}  // namespace edgelite
