// float32 elementwise kernels: the binary arithmetic ops with their fused activation clamp, the
// float activations, and SOFTMAX over rows.
//
// Binary runs: out[i] = clamp(f(a[i * a_step], b[i * b_step]), lo, hi) for i in [0, n), steps 0
// (that input is one value broadcast along the run, read once before the loop) or 1; the op
// (src/ops/elementwise_util.cc) cuts a broadcast into such runs. f is the reference's scalar
// function (src/ref/binary_elementwise.h) and the clamp is the reference's
// std::min(std::max(r, lo), hi): every variant is BIT-IDENTICAL to the reference, NaN, signed
// zeros, infinities and denormals included. The vector forms are the same single IEEE operations
// (vaddps, vsubps, vmulps, vdivps; the reference's comparisons a > b ? a : b map exactly onto
// vmaxps / vminps operand order); these files are compiled with -ffp-contract=off so no
// multiply-add is ever fused (SQUARED_DIFFERENCE is (a - b) * (a - b), two roundings).
//
// Unary: out[i] = g(in[i]).
//   kClamp (RELU, RELU6, RELU_N1_TO_1, RELU_0_TO_1), kLeakyRelu, kHardSwish: bit-identical to
//   ref::ClampRange / ref::LeakyRelu / ref::HardSwish (x * min(max(x + 3, 0), 6) / 6, the same
//   four IEEE operations in the same order).
//   kLogistic, kTanh (AVX2 and NEON variants): polynomial approximations, the reference's
//   cut-offs kept.
//     exp(x) = 2^n * p(r), n = round(x / ln 2), r = x - n ln 2 (two-constant Cody-Waite
//     reduction with FMA), p the degree-7 Taylor polynomial (truncation error < 6e-9 relative on
//     |r| <= ln2 / 2), 2^n applied in two exact power-of-two factors so that results down to the
//     smallest denormal and up to overflow (inf) come out right; -inf gives 0, NaN stays NaN.
//     LOGISTIC = 1 / (1 + exp(-x)) (x >= -9), exp(x) below -9, 1 above 16.619 (the reference's
//     branches, true division). TANH = x + x^3 P(x^2) (degree-4 P fitted here for minimax
//     relative error, 2e-9 in exact arithmetic) for |x| < 0.55, else sign(x) (1 - 2 / (e^2|x| + 1)).
//     Measured against the reference (std::exp, std::tanh) over every 127th float bit pattern
//     (33.8 M inputs: both signs, every binade from the denormals to FLT_MAX) plus the cut-off
//     points and their neighbours (tests/kernels/elementwise_f32_kernels_test.cc):
//       LOGISTIC max relative error 1.67e-7, TANH 2.38e-7 (a few ulp);
//     bounds asserted by the test: kLogisticRelBound, kTanhRelBound below. NaN in gives NaN out,
//     +-inf give the reference's limits exactly (0/1, -1/1).
//   The scalar variant of every unary op is the reference function itself.
//
// Softmax (rows x depth, beta): per row m = max (NaN entries ignored, as the reference's
// std::max(m, x) from lowest), y = exp((x - m) * beta) (the subtraction and product exactly as
// the reference), sum over the row, y / sum (true division). AVX2 (NEON): exp as above and the
// sum in 8 (4) lanes, then across lanes, instead of the reference's left-to-right float sum. Measured (rows
// 1 to 10^4 wide, beta 1e-3 to 30, logits to +-2e30 and -inf): within 4.3e-7 relative of softmax
// computed in float64 from the same inputs (the reference itself: 1.2e-6, its sequential float
// sum), and within 3.9e-6 of the reference (1.4e-6 for rows up to 1001 wide), the difference
// being mostly the reference's own summation error. Asserted: kSoftmaxExactRelBound against
// float64, kSoftmaxRelBound against the reference. A row of -inf gives NaN (0/0) and an inf
// logit gives NaN, like the reference.
//
// Aliasing: out may equal the (non-broadcast) input of a run (in-place); softmax may run in place.
// Threading: a call writes only its own output range; calls on disjoint outputs may run
// concurrently.
#ifndef EDGELITE_KERNELS_ELEMENTWISE_F32_ELEMENTWISE_F32_H_
#define EDGELITE_KERNELS_ELEMENTWISE_F32_ELEMENTWISE_F32_H_

#include <cstdint>

namespace edgelite {
namespace kernels {
namespace elementwise_f32 {

enum class BinaryOp : uint8_t {
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMaximum,
  kMinimum,
  kSquaredDifference,
};

struct BinaryArgs {
  BinaryOp op = BinaryOp::kAdd;
  float lo = 0.0f, hi = 0.0f;  // the fused activation clamp (-inf, inf for NONE)
};

using BinaryFn = void (*)(const BinaryArgs& p, const float* a, int a_step, const float* b,
                          int b_step, float* out, int64_t n);

enum class UnaryOp : uint8_t {
  kClamp,      // min(max(x, lo), hi)
  kLeakyRelu,  // x >= 0 ? x : x * alpha
  kHardSwish,
  kLogistic,
  kTanh,
};

struct UnaryArgs {
  UnaryOp op = UnaryOp::kClamp;
  float lo = 0.0f, hi = 0.0f;  // kClamp
  float alpha = 0.0f;          // kLeakyRelu
};

using UnaryFn = void (*)(const UnaryArgs& p, const float* in, float* out, int64_t n);

// input/output [rows, depth].
using SoftmaxFn = void (*)(const float* in, float* out, int64_t rows, int64_t depth, float beta);

// Accuracy of the approximated functions against the reference (relative, outputs >= FLT_MIN;
// below that within 2^-149 absolute). Asserted by the kernel tests over a dense sweep.
constexpr double kLogisticRelBound = 1e-6;
constexpr double kTanhRelBound = 1e-6;
constexpr double kSoftmaxExactRelBound = 1e-6;  // vs float64 softmax of the same inputs
constexpr double kSoftmaxRelBound = 1e-5;       // vs ref::SoftmaxFloat (its float sum included)

// Chosen once from ActiveIsa() (src/base/cpu_features.h).
BinaryFn SelectBinary();
UnaryFn SelectUnary();
SoftmaxFn SelectSoftmax();
const char* SelectedName();  // "scalar", "avx2" or "neon"

// The variants, callable directly (tests).
void BinaryScalar(const BinaryArgs&, const float*, int, const float*, int, float*, int64_t);
void UnaryScalar(const UnaryArgs&, const float*, float*, int64_t);
void SoftmaxScalar(const float*, float*, int64_t, int64_t, float);
#if defined(__x86_64__) || defined(_M_X64)
void BinaryAvx2(const BinaryArgs&, const float*, int, const float*, int, float*, int64_t);
void UnaryAvx2(const UnaryArgs&, const float*, float*, int64_t);
void SoftmaxAvx2(const float*, float*, int64_t, int64_t, float);
#elif defined(__aarch64__)
void BinaryNeon(const BinaryArgs&, const float*, int, const float*, int, float*, int64_t);
void UnaryNeon(const UnaryArgs&, const float*, float*, int64_t);
void SoftmaxNeon(const float*, float*, int64_t, int64_t, float);
#endif

}  // namespace elementwise_f32
}  // namespace kernels
}  // namespace edgelite

#endif  // EDGELITE_KERNELS_ELEMENTWISE_F32_ELEMENTWISE_F32_H_
