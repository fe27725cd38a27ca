// Portable part of the 8-bit quantized ADD/SUB/MUL kernels: the scalar variant (the reference's
// per-element functions without the broadcast index arithmetic) and dispatch.
#include "src/kernels/elementwise_int8/elementwise_int8.h"

#include "src/base/cpu_features.h"

namespace edgelite {
namespace kernels {
namespace elementwise_int8 {
namespace {

template <typename T>
void Run(const BinaryParams& p, const uint8_t* a8, int a_step, const uint8_t* b8, int b_step,
         uint8_t* out8, int64_t n) {
  const T* a = reinterpret_cast<const T*>(a8);
  const T* b = reinterpret_cast<const T*>(b8);
  T* out = reinterpret_cast<T*>(out8);
  switch (p.kind) {
    case BinaryKind::kAdd:
    case BinaryKind::kSub: {
      const bool sub = p.kind == BinaryKind::kSub;
      for (int64_t i = 0; i < n; ++i)
        out[i] = ref::QuantizedAddSub<T>(a[i * a_step], b[i * b_step], p.q, sub);
      return;
    }
    case BinaryKind::kMul:
      for (int64_t i = 0; i < n; ++i) out[i] = ref::QuantizedMul<T>(a[i * a_step], b[i * b_step], p.q);
      return;
  }
}

}  // namespace

bool Supported(const BinaryParams& p) {
  const ref::QuantizedBinaryParams& q = p.q;
  if (q.output_shift > 30 || q.output_shift < -31) return false;
  if (p.kind == BinaryKind::kMul) return true;
  return q.left_shift == 20 && q.input1_shift <= 0 && q.input1_shift >= -31 &&
         q.input2_shift <= 0 && q.input2_shift >= -31;
}

void BinaryScalar(const BinaryParams& p, const uint8_t* a, int a_step, const uint8_t* b,
                  int b_step, uint8_t* out, int64_t n) {
  if (p.is_unsigned) {
    Run<uint8_t>(p, a, a_step, b, b_step, out, n);
  } else {
    Run<int8_t>(p, a, a_step, b, b_step, out, n);
  }
}

BinaryFn SelectBinary() {
#if defined(__x86_64__) || defined(_M_X64)
  const Isa isa = ActiveIsa();
  if (isa == Isa::kAvx2 || isa == Isa::kAvx512) return BinaryAvx2;
#endif
  return BinaryScalar;
}

const char* SelectedBinaryName() {
#if defined(__x86_64__) || defined(_M_X64)
  if (SelectBinary() == BinaryAvx2) return "avx2";
#endif
  return "scalar";
}

}  // namespace elementwise_int8
}  // namespace kernels
}  // namespace edgelite
