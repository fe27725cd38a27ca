// The float32 GEMM path shared by CONV_2D and FULLY_CONNECTED: weights packed once in Prepare
// (src/kernels/gemm/gemm_f32.h), and Eval split into tasks for OpContext::ParallelFor.
#ifndef EDGELITE_OPS_FLOAT_GEMM_UTIL_H_
#define EDGELITE_OPS_FLOAT_GEMM_UTIL_H_

#include <cstddef>
#include <cstdint>

#include "edgelite/op.h"
#include "edgelite/tensor.h"
#include "src/kernels/gemm/gemm_f32.h"

namespace edgelite {
namespace ops {

// Packed weights of one op, in its persistent user data. Prepare may run many times (every
// AllocateTensors); the weights are packed again only when their source, shape or the kernel
// changed, and memory is reused when it is large enough.
struct PackedGemmF32 {
  const kernels::GemmF32Kernel* kernel = nullptr;  // null: not prepared, use the reference
  float* packed_w = nullptr;
  float* packed_bias = nullptr;
  size_t w_capacity = 0, bias_capacity = 0;  // floats
  const float* source_w = nullptr;
  const float* source_bias = nullptr;
  int32_t n = 0, k = 0;
};

// True when an op may pack `t` once: a constant tensor (a view of the model's buffer, or
// values computed once in an earlier node's prepare, e.g. DEQUANTIZE of float16 weights).
inline bool IsConstantTensor(const Tensor* t) {
  return t != nullptr && t->allocation == Allocation::kConstant;
}

// Selects the kernel for ActiveIsa() and packs w [n, k] and bias [n] (may be null).
Status PreparePackedGemmF32(OpContext& ctx, PackedGemmF32* s, const float* w, const float* bias,
                            int32_t n, int32_t k);

// C[m, n] = clamp(A[m, :] . W[n, :] + bias[n]) for m in [0, rows), split into tasks over row
// blocks or column panels on the interpreter's threads.
void RunPackedGemmF32(OpContext& ctx, const PackedGemmF32& s, const float* a, int64_t lda,
                      int64_t rows, float* c, int64_t ldc, float act_min, float act_max);

// Rows per im2col block for depth k (a multiple of the kernel's mr; block * k floats of scratch
// per worker).
int64_t Im2colBlockRows(const PackedGemmF32& s, int32_t k);

// Operations below which splitting across threads costs more than it saves.
constexpr double kMinParallelFlops = 1.5e6;

}  // namespace ops
}  // namespace edgelite

#endif  // EDGELITE_OPS_FLOAT_GEMM_UTIL_H_
