#include <immintrin.h>

#include "src/kernels/peak/peak.h"

// The loops are written in assembly: compilers keep 12 accumulators plus the operands in the 16
// ymm registers badly (GCC 12 spills inside the loop), and a loop-invariant product would be
// hoisted out of a C++ loop.

namespace edgelite {
namespace kernels {
namespace peak {

#define EDGELITE_PEAK_12(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)

float LoopFmaAvx2(int64_t iters) {
  if (iters <= 0) return 0.0f;
  const float one = 1.0f, m = 0.9999f, c = 1e-4f;
  float out[8];
#define EDGELITE_INIT(i) "vbroadcastss %[one], %%ymm" #i "\n\t"
#define EDGELITE_FMA(i) "vfmadd213ps %%ymm13, %%ymm12, %%ymm" #i "\n\t"
  __asm__ volatile(
      EDGELITE_PEAK_12(EDGELITE_INIT)
      "vbroadcastss %[m], %%ymm12\n\t"
      "vbroadcastss %[c], %%ymm13\n\t"
      "1:\n\t"
      EDGELITE_PEAK_12(EDGELITE_FMA)
      "dec %[n]\n\t"
      "jnz 1b\n\t"
      "vaddps %%ymm1, %%ymm0, %%ymm0\n\t"
      "vaddps %%ymm11, %%ymm0, %%ymm0\n\t"
      "vmovups %%ymm0, %[out]\n\t"
      "vzeroupper\n\t"
      : [n] "+r"(iters), [out] "=m"(out)
      : [one] "m"(one), [m] "m"(m), [c] "m"(c)
      : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
        "xmm11", "xmm12", "xmm13", "cc");
#undef EDGELITE_INIT
#undef EDGELITE_FMA
  return out[0];
}

float LoopMaddwdAvx2(int64_t iters) {
  if (iters <= 0) return 0.0f;
  const int32_t x = 0x00030003, w = 0xfffefffe;  // int16 pairs (3, 3) and (-2, -2)
  int32_t out[8];
  // acc_i += vpmaddwd(x, w): the two instructions the AVX2 int8 GEMM tile issues per
  // accumulator and k pair; the products go through two temporaries (renamed by the CPU).
#define EDGELITE_INIT(i) "vpxor %%xmm" #i ", %%xmm" #i ", %%xmm" #i "\n\t"
  __asm__ volatile(
      EDGELITE_PEAK_12(EDGELITE_INIT)
      "vpbroadcastd %[x], %%ymm14\n\t"
      "vpbroadcastd %[w], %%ymm12\n\t"
      "1:\n\t"
#define EDGELITE_STEP(i, t) "vpmaddwd %%ymm12, %%ymm14, %%ymm" #t "\n\t" \
                            "vpaddd %%ymm" #t ", %%ymm" #i ", %%ymm" #i "\n\t"
      EDGELITE_STEP(0, 13) EDGELITE_STEP(1, 15) EDGELITE_STEP(2, 13) EDGELITE_STEP(3, 15)
      EDGELITE_STEP(4, 13) EDGELITE_STEP(5, 15) EDGELITE_STEP(6, 13) EDGELITE_STEP(7, 15)
      EDGELITE_STEP(8, 13) EDGELITE_STEP(9, 15) EDGELITE_STEP(10, 13) EDGELITE_STEP(11, 15)
      "dec %[n]\n\t"
      "jnz 1b\n\t"
      "vpaddd %%ymm1, %%ymm0, %%ymm0\n\t"
      "vpaddd %%ymm11, %%ymm0, %%ymm0\n\t"
      "vmovdqu %%ymm0, %[out]\n\t"
      "vzeroupper\n\t"
      : [n] "+r"(iters), [out] "=m"(out)
      : [x] "m"(x), [w] "m"(w)
      : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
        "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "cc");
#undef EDGELITE_INIT
#undef EDGELITE_STEP
  return static_cast<float>(out[0]);
}

#undef EDGELITE_PEAK_12

}  // namespace peak
}  // namespace kernels
}  // namespace edgelite
