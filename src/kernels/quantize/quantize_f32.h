// float32 -> int8/uint8/int16 affine quantization (QUANTIZE with per-tensor parameters), the
// same values as the reference (quant::QuantizeValue: real / scale in float, rounded half away
// from zero, plus the zero point, clamped to the type; NaN gives the zero point).
//
// Vector form: the float quotient is the same IEEE division; rounding half away from zero is
// trunc(q) + (|q - trunc(q)| >= 0.5 ? sign(q) : 0), exact in float (q - trunc(q) is exact);
// the clamp to [lo - zp, hi - zp] happens in float before the integer conversion, so inf and
// huge quotients need no special case, and NaN lanes are zeroed first.
//
// Threading: a call writes only out[0, n).
#ifndef EDGELITE_KERNELS_QUANTIZE_QUANTIZE_F32_H_
#define EDGELITE_KERNELS_QUANTIZE_QUANTIZE_F32_H_

#include <cstdint>

namespace edgelite {
namespace kernels {
namespace quantize {

struct QuantizeArgs {
  float scale = 1.0f;
  int32_t zero_point = 0;
  int32_t lo = 0, hi = 0;  // the output type's range
  int out_bytes = 1;       // 1 (int8 or uint8, by lo) or 2 (int16)
};

using QuantizeFn = void (*)(const QuantizeArgs& a, const float* in, int64_t n, void* out);

QuantizeFn SelectQuantize();
const char* SelectedQuantizeName();

void QuantizeScalar(const QuantizeArgs&, const float*, int64_t, void*);
#if defined(__x86_64__) || defined(_M_X64)
void QuantizeAvx2(const QuantizeArgs&, const float*, int64_t, void*);
#endif

}  // namespace quantize
}  // namespace kernels
}  // namespace edgelite

#endif  // EDGELITE_KERNELS_QUANTIZE_QUANTIZE_F32_H_
