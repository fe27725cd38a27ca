// Float32 GEMM with a packed constant right-hand side, for CONV_2D and FULLY_CONNECTED.
//
//   C[m, n] = clamp( sum_{k} A[m, k] * W[n, k]  +  bias[n],  act_min, act_max )
//
// A is row-major with a row stride `lda` (an NHWC activation tensor viewed as [pixels, depth],
// or an im2col buffer); W is the model's weight matrix [N, K] row-major (an OHWI filter
// flattened to [O, KH*KW*I], or FULLY_CONNECTED's [units, depth]); C is row-major with row
// stride `ldc`. The sum over k runs in increasing k and the bias is added after it, as in the
// reference kernels; fused multiply-add makes the rounding differ (see docs/numerics.md and
// the bound stated in tests/kernels/gemm_f32_test.cc).
//
// Packing: W and the bias are repacked once (in an op's Prepare) into panels of `nr` columns:
// panel p holds, for k = 0..K-1, the nr values W[p*nr + j, k] contiguously (zero past N), then
// the bias panel follows in a separate array padded to a multiple of nr. The panel width is the
// microkernel's register-block width, so it depends on the ISA chosen at packing time; the plan
// records it, and Eval must use the same plan (never re-read ActiveIsa() in Eval).
//
// Threading: GemmF32Run computes a rectangle [m_begin, m_end) x [panel_begin, panel_end) and
// touches only those outputs, so disjoint rectangles may run concurrently. It allocates nothing.
#ifndef EDGELITE_KERNELS_GEMM_GEMM_F32_H_
#define EDGELITE_KERNELS_GEMM_GEMM_F32_H_

#include <cstddef>
#include <cstdint>

#include "src/base/cpu_features.h"

namespace edgelite {
namespace kernels {

// Arguments of one GEMM call; packed_w / packed_bias come from GemmF32Pack.
struct GemmF32Args {
  const float* a = nullptr;
  int64_t lda = 0;
  const float* packed_w = nullptr;
  const float* packed_bias = nullptr;
  int32_t k = 0;
  int32_t n = 0;
  float* c = nullptr;
  int64_t ldc = 0;
  float act_min = 0.0f, act_max = 0.0f;
};

// Computes rows [m_begin, m_end) and column panels [panel_begin, panel_end).
using GemmF32Fn = void (*)(const GemmF32Args& args, int64_t m_begin, int64_t m_end,
                           int32_t panel_begin, int32_t panel_end);

// One variant: its ISA, register-block shape and entry point.
struct GemmF32Kernel {
  Isa isa = Isa::kScalar;
  int32_t mr = 1;  // rows per microkernel tile
  int32_t nr = 1;  // columns per packed panel
  GemmF32Fn run = nullptr;
};

// The best variant for ActiveIsa() (called once per op in Prepare).
const GemmF32Kernel& SelectGemmF32Kernel();

inline int32_t GemmF32NumPanels(int32_t n, int32_t nr) { return (n + nr - 1) / nr; }
// Floats needed for the packed weights and the packed bias.
inline size_t GemmF32PackedWeightFloats(int32_t n, int32_t k, int32_t nr) {
  return static_cast<size_t>(GemmF32NumPanels(n, nr)) * static_cast<size_t>(nr) *
         static_cast<size_t>(k);
}
inline size_t GemmF32PackedBiasFloats(int32_t n, int32_t nr) {
  return static_cast<size_t>(GemmF32NumPanels(n, nr)) * static_cast<size_t>(nr);
}

// Packs w [n, k] (row stride k) and bias [n] (nullptr: zeros) for panel width nr.
void GemmF32Pack(const float* w, const float* bias, int32_t n, int32_t k, int32_t nr,
                 float* packed_w, float* packed_bias);

// Variants (each in its own file; the ISA ones exist only on their architecture's builds).
void GemmF32RunScalar(const GemmF32Args& args, int64_t m_begin, int64_t m_end,
                      int32_t panel_begin, int32_t panel_end);
void GemmF32RunAvx2(const GemmF32Args& args, int64_t m_begin, int64_t m_end,
                    int32_t panel_begin, int32_t panel_end);
void GemmF32RunAvx512(const GemmF32Args& args, int64_t m_begin, int64_t m_end,
                      int32_t panel_begin, int32_t panel_end);
void GemmF32RunNeon(const GemmF32Args& args, int64_t m_begin, int64_t m_end,
                    int32_t panel_begin, int32_t panel_end);

constexpr int32_t kGemmF32ScalarMr = 4, kGemmF32ScalarNr = 8;
constexpr int32_t kGemmF32Avx2Mr = 6, kGemmF32Avx2Nr = 16;
constexpr int32_t kGemmF32Avx512Mr = 12, kGemmF32Avx512Nr = 32;
constexpr int32_t kGemmF32NeonMr = 8, kGemmF32NeonNr = 8;

}  // namespace kernels
}  // namespace edgelite

#endif  // EDGELITE_KERNELS_GEMM_GEMM_F32_H_
