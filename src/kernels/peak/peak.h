// Single-core arithmetic peaks of this machine, measured: the rate of the instruction sequences
// our kernels' inner loops are built from, with enough independent accumulators to hide their
// latency and no memory traffic. They are the ceilings the GEMM/convolution figures of
// `edgelite bench --profile` are compared with (`edgelite peak` prints them). Not used by any op.
//
// Each Loop* runs `iters` iterations of its sequence on 12 independent accumulators and returns a
// value derived from them (so that nothing is optimised away). Ops per iteration count a
// multiply-add as 2 operations: fp32 FMA: 12 x lanes x 2; int16-pair (vpmaddwd + vpaddd, what
// the AVX2 int8 GEMM tile runs): 12 x 2 x lanes32 x 2; VNNI vpdpbusd / NEON SDOT: 12 x 4 x lanes32 x 2.
#ifndef EDGELITE_KERNELS_PEAK_PEAK_H_
#define EDGELITE_KERNELS_PEAK_PEAK_H_

#include <cstdint>

namespace edgelite {
namespace kernels {
namespace peak {

struct PeakLoop {
  const char* name;         // "fp32 FMA (AVX2, 256-bit)"
  const char* kind;         // "fp32" or "int8"
  double ops_per_iter;      // operations (a multiply-add = 2) per iteration
  float (*run)(int64_t iters);
};

// The loops this CPU can run (x86: AVX2 FMA, AVX2 int16 pairs, AVX-512 FMA and VNNI when
// present, AVX-VNNI; AArch64: NEON FMLA, SDOT when present; otherwise a scalar FMA loop).
struct PeakLoops {
  PeakLoop loop[8];
  int count = 0;
  void Add(const PeakLoop& l) {
    if (count < 8) loop[count++] = l;
  }
  const PeakLoop* begin() const { return loop; }
  const PeakLoop* end() const { return loop + count; }
};
PeakLoops AvailableLoops();

#if defined(__x86_64__) || defined(_M_X64)
float LoopFmaAvx2(int64_t iters);
float LoopMaddwdAvx2(int64_t iters);
float LoopFmaAvx512(int64_t iters);
float LoopVnniAvx512(int64_t iters);
#endif
#if defined(__aarch64__)
float LoopFmlaNeon(int64_t iters);
float LoopSdotNeon(int64_t iters);
#endif
float LoopScalar(int64_t iters);

}  // namespace peak
}  // namespace kernels
}  // namespace edgelite

#endif  // EDGELITE_KERNELS_PEAK_PEAK_H_
