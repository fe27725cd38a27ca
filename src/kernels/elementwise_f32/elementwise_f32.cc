// Portable part of the float32 elementwise kernels: the scalar variants (the reference's scalar
// functions without the broadcast index arithmetic, so the same values bit for bit) and dispatch.
#include "src/kernels/elementwise_f32/elementwise_f32.h"

#include <algorithm>
#include <cmath>

#include "src/base/cpu_features.h"
#include "src/ref/binary_elementwise.h"
#include "src/ref/softmax.h"
#include "src/ref/unary.h"

namespace edgelite {
namespace kernels {
namespace elementwise_f32 {
namespace {

template <typename F>
void RunBinary(const BinaryArgs& p, const float* a, int a_step, const float* b, int b_step,
               float* out, int64_t n, F f) {
  const float lo = p.lo, hi = p.hi;
  auto clamp = [lo, hi](float r) { return std::min(std::max(r, lo), hi); };
  // The broadcast value is read once: out may not alias it, but reading it before the loop keeps
  // the run's result independent of that anyway. Separate loops per step pattern so the compiler
  // sees contiguous accesses.
  if (a_step == 1 && b_step == 1) {
    for (int64_t i = 0; i < n; ++i) out[i] = clamp(f(a[i], b[i]));
  } else if (a_step == 1) {
    const float y = b[0];
    for (int64_t i = 0; i < n; ++i) out[i] = clamp(f(a[i], y));
  } else if (b_step == 1) {
    const float x = a[0];
    for (int64_t i = 0; i < n; ++i) out[i] = clamp(f(x, b[i]));
  } else if (n > 0) {
    const float r = clamp(f(a[0], b[0]));
    for (int64_t i = 0; i < n; ++i) out[i] = r;
  }
}

}  // namespace

void BinaryScalar(const BinaryArgs& p, const float* a, int a_step, const float* b, int b_step,
                  float* out, int64_t n) {
  switch (p.op) {
    case BinaryOp::kAdd: RunBinary(p, a, a_step, b, b_step, out, n, ref::WrapAdd<float>); return;
    case BinaryOp::kSub: RunBinary(p, a, a_step, b, b_step, out, n, ref::WrapSub<float>); return;
    case BinaryOp::kMul: RunBinary(p, a, a_step, b, b_step, out, n, ref::WrapMul<float>); return;
    case BinaryOp::kDiv: RunBinary(p, a, a_step, b, b_step, out, n, ref::Div<float>); return;
    case BinaryOp::kMaximum:
      RunBinary(p, a, a_step, b, b_step, out, n, ref::Maximum<float>);
      return;
    case BinaryOp::kMinimum:
      RunBinary(p, a, a_step, b, b_step, out, n, ref::Minimum<float>);
      return;
    case BinaryOp::kSquaredDifference:
      RunBinary(p, a, a_step, b, b_step, out, n, ref::SquaredDifference<float>);
      return;
  }
}

void UnaryScalar(const UnaryArgs& p, const float* in, float* out, int64_t n) {
  switch (p.op) {
    case UnaryOp::kClamp: {
      const float lo = p.lo, hi = p.hi;
      for (int64_t i = 0; i < n; ++i) out[i] = ref::ClampRange(in[i], lo, hi);
      return;
    }
    case UnaryOp::kLeakyRelu: {
      const float alpha = p.alpha;
      for (int64_t i = 0; i < n; ++i) out[i] = ref::LeakyRelu(in[i], alpha);
      return;
    }
    case UnaryOp::kHardSwish:
      for (int64_t i = 0; i < n; ++i) out[i] = ref::HardSwish(in[i]);
      return;
    case UnaryOp::kLogistic:
      for (int64_t i = 0; i < n; ++i) out[i] = ref::Logistic(in[i]);
      return;
    case UnaryOp::kTanh:
      for (int64_t i = 0; i < n; ++i) out[i] = std::tanh(in[i]);
      return;
  }
}

void SoftmaxScalar(const float* in, float* out, int64_t rows, int64_t depth, float beta) {
  ref::SoftmaxFloat(in, out, rows, depth, beta);
}

BinaryFn SelectBinary() {
#if defined(__x86_64__) || defined(_M_X64)
  const Isa isa = ActiveIsa();
  if (isa == Isa::kAvx2 || isa == Isa::kAvx512) return BinaryAvx2;
#elif defined(__aarch64__)
  if (ActiveIsa() == Isa::kNeon) return BinaryNeon;
#endif
  return BinaryScalar;
}

UnaryFn SelectUnary() {
#if defined(__x86_64__) || defined(_M_X64)
  const Isa isa = ActiveIsa();
  if (isa == Isa::kAvx2 || isa == Isa::kAvx512) return UnaryAvx2;
#elif defined(__aarch64__)
  if (ActiveIsa() == Isa::kNeon) return UnaryNeon;
#endif
  return UnaryScalar;
}

SoftmaxFn SelectSoftmax() {
#if defined(__x86_64__) || defined(_M_X64)
  const Isa isa = ActiveIsa();
  if (isa == Isa::kAvx2 || isa == Isa::kAvx512) return SoftmaxAvx2;
#elif defined(__aarch64__)
  if (ActiveIsa() == Isa::kNeon) return SoftmaxNeon;
#endif
  return SoftmaxScalar;
}

const char* SelectedName() {
#if defined(__x86_64__) || defined(_M_X64)
  if (SelectBinary() == BinaryAvx2) return "avx2";
#elif defined(__aarch64__)
  if (SelectBinary() == BinaryNeon) return "neon";
#endif
  return "scalar";
}

}  // namespace elementwise_f32
}  // namespace kernels
}  // namespace edgelite
