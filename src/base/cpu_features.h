// CPU feature detection and the one start-up choice of kernel ISA.
//
// Contract: GetCpuFeatures() reads the CPU once (first call) and returns the same object for
// the life of the process; it is thread-safe (function-local static). Optimized kernel families
// pick their variant from ActiveIsa(), never from preprocessor checks at the call site, so that
// one binary runs on every CPU of its architecture and falls back to the reference kernels.
//
// EDGELITE_ISA (environment, read once): "scalar", "avx2", "avx512" or "neon" caps the ISA the
// dispatcher may use (it never raises it above what the CPU has). Tests use it to run every
// variant on one machine; SetIsaCapForTesting does the same from code.
#ifndef EDGELITE_BASE_CPU_FEATURES_H_
#define EDGELITE_BASE_CPU_FEATURES_H_

namespace edgelite {

struct CpuFeatures {
  // x86-64
  bool avx2 = false;
  bool fma = false;
  bool f16c = false;
  bool avx512f = false;
  bool avx512bw = false;
  bool avx512vl = false;
  bool avx512dq = false;
  bool avx512vnni = false;
  bool avxvnni = false;
  // AArch64
  bool neon = false;
  bool dotprod = false;
};

// Kernel ISA levels, ordered: a kernel written for level L may run when ActiveIsa() >= L on the
// same architecture.
enum class Isa : int {
  kScalar = 0,
  kAvx2 = 1,    // AVX2 + FMA (+ F16C)
  kAvx512 = 2,  // AVX-512 F/BW/VL/DQ (VNNI reported separately in CpuFeatures)
  kNeon = 11,   // AArch64 Advanced SIMD (dot product reported separately)
};

// Whether ops may pick the optimized kernel families of src/kernels/ (packed-weight GEMMs,
// int8 conv plans), which copy constant weights into persistent memory and plan extra scratch.
// False in the micro profile (EDGELITE_MICRO): there the reference kernels read the weights in
// place from flash and the arena holds only activations and small per-op data.
#if defined(EDGELITE_MICRO) && EDGELITE_MICRO
constexpr bool kOptimizedKernels = false;
#else
constexpr bool kOptimizedKernels = true;
#endif

const CpuFeatures& GetCpuFeatures();

// The best ISA this CPU supports, capped by EDGELITE_ISA / SetIsaCapForTesting.
Isa ActiveIsa();

// True when int8 dot-product instructions may be used at the active ISA: AVX-512 VNNI at kAvx512,
// AVX-VNNI at kAvx2, SDOT at kNeon. Honours the cap (EDGELITE_ISA=scalar disables them) and
// EDGELITE_NO_DOTPROD=1 (forces the non-dot-product paths, for tests).
bool ActiveIsaHasDotProduct();

// Test hook: caps the ISA (and optionally disables dot-product paths) for kernels selected after
// this call. Pass Isa::kAvx512 / kNeon with dotprod=true to undo. Not thread-safe with Prepare.
void SetIsaCapForTesting(Isa cap, bool allow_dotprod);

const char* IsaName(Isa isa);

}  // namespace edgelite

#endif  // EDGELITE_BASE_CPU_FEATURES_H_
