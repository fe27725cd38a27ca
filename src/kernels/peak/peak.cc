#include "src/kernels/peak/peak.h"

#include "src/base/cpu_features.h"

namespace edgelite {
namespace kernels {
namespace peak {

float LoopScalar(int64_t iters) {
  float a[12];
  for (int j = 0; j < 12; ++j) a[j] = 1.0f + 0.001f * static_cast<float>(j);
  const float m = 0.9999f, c = 1e-4f;
  for (int64_t i = 0; i < iters; ++i)
    for (int j = 0; j < 12; ++j) a[j] = a[j] * m + c;
  float s = 0;
  for (int j = 0; j < 12; ++j) s += a[j];
  return s;
}

PeakLoops AvailableLoops() {
  PeakLoops loops;
  const CpuFeatures& f = GetCpuFeatures();
  const Isa isa = ActiveIsa();
  (void)f;
  (void)isa;
#if defined(__x86_64__) || defined(_M_X64)
  if (isa >= Isa::kAvx2) {
    loops.Add({"fp32 FMA, 256-bit (vfmadd213ps ymm)", "fp32", 12 * 8 * 2, LoopFmaAvx2});
    loops.Add({"int8 as int16 pairs, 256-bit (vpmaddwd + vpaddd ymm)", "int8",
                     12 * 16 * 2, LoopMaddwdAvx2});
  }
  if (isa >= Isa::kAvx512) {
    loops.Add({"fp32 FMA, 512-bit (vfmadd231ps zmm)", "fp32", 12 * 16 * 2, LoopFmaAvx512});
    if (f.avx512vnni)
      loops.Add({"int8 VNNI, 512-bit (vpdpbusd zmm)", "int8", 12 * 64 * 2, LoopVnniAvx512});
  }
#endif
#if defined(__aarch64__)
  if (isa >= Isa::kNeon) {
    loops.Add({"fp32 FMA, 128-bit (fmla v.4s)", "fp32", 12 * 4 * 2, LoopFmlaNeon});
    if (ActiveIsaHasDotProduct())
      loops.Add({"int8 dot product, 128-bit (sdot v.4s)", "int8", 12 * 16 * 2, LoopSdotNeon});
  }
#endif
  if (loops.count == 0) loops.Add({"fp32 multiply-add, scalar", "fp32", 12 * 2, LoopScalar});
  return loops;
}

}  // namespace peak
}  // namespace kernels
}  // namespace edgelite
