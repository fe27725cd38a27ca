// 8-bit quantized ADD, SUB and MUL (int8 and uint8) over runs of elements, bit-exact with the
// reference (src/ref/quantized_binary.h, TFLite's reference arithmetic): every variant computes
// the same integers as ref::QuantizedAddSub / ref::QuantizedMul.
//
// A run is out[i] = op(a[i * a_step], b[i * b_step]) for i in [0, n), steps 0 (that input is
// broadcast along the run) or 1; the op (src/ops/quantized_binary_util.cc) cuts a broadcast into
// such runs.
//
// Vector form (ADD/SUB): both inputs are widened to int32, offset, shifted left and rescaled with
// the project's vector requantization; their sum is requantized, offset and clamped. The scaled
// inputs need no int32 saturation (the reference's SaturateToInt32 never acts) when the input
// shifts are <= 0: then |scaled| <= |shifted| < 2^29 and the sum stays inside int32. Supported()
// checks that, and the shift ranges of the vector shifts; other parameters keep the reference.
//
// Threading: a call writes only out[0, n); calls on disjoint outputs may run concurrently.
#ifndef EDGELITE_KERNELS_ELEMENTWISE_INT8_ELEMENTWISE_INT8_H_
#define EDGELITE_KERNELS_ELEMENTWISE_INT8_ELEMENTWISE_INT8_H_

#include <cstdint>

#include "src/ref/quantized_binary.h"

namespace edgelite {
namespace kernels {
namespace elementwise_int8 {

enum class BinaryKind : uint8_t { kAdd, kSub, kMul };

struct BinaryParams {
  ref::QuantizedBinaryParams q;  // the reference's parameters (ADD/SUB general path or MUL)
  BinaryKind kind = BinaryKind::kAdd;
  bool is_unsigned = false;  // uint8 (else int8)
};

using BinaryFn = void (*)(const BinaryParams& p, const uint8_t* a, int a_step, const uint8_t* b,
                          int b_step, uint8_t* out, int64_t n);

// True when the kernels cover these parameters (else the caller runs the reference).
bool Supported(const BinaryParams& p);

BinaryFn SelectBinary();
const char* SelectedBinaryName();

void BinaryScalar(const BinaryParams&, const uint8_t*, int, const uint8_t*, int, uint8_t*, int64_t);
#if defined(__x86_64__) || defined(_M_X64)
void BinaryAvx2(const BinaryParams&, const uint8_t*, int, const uint8_t*, int, uint8_t*, int64_t);
#endif

}  // namespace elementwise_int8
}  // namespace kernels
}  // namespace edgelite

#endif  // EDGELITE_KERNELS_ELEMENTWISE_INT8_ELEMENTWISE_INT8_H_
