// Portable part of float32 affine quantization: the scalar variant (the reference's per-element
// function) and dispatch.
#include "src/kernels/quantize/quantize_f32.h"

#include "src/base/cpu_features.h"
#include "src/quant/quantization.h"

namespace edgelite {
namespace kernels {
namespace quantize {

void QuantizeScalar(const QuantizeArgs& a, const float* in, int64_t n, void* out) {
  const DataType t = a.out_bytes == 2 ? DataType::kInt16
                                      : (a.lo == 0 ? DataType::kUInt8 : DataType::kInt8);
  if (a.out_bytes == 2) {
    auto* o = static_cast<int16_t*>(out);
    for (int64_t i = 0; i < n; ++i)
      o[i] = static_cast<int16_t>(quant::QuantizeValue(in[i], a.scale, a.zero_point, t));
  } else {
    auto* o = static_cast<uint8_t*>(out);
    for (int64_t i = 0; i < n; ++i)
      o[i] = static_cast<uint8_t>(quant::QuantizeValue(in[i], a.scale, a.zero_point, t));
  }
}

QuantizeFn SelectQuantize() {
#if defined(__x86_64__) || defined(_M_X64)
  const Isa isa = ActiveIsa();
  if (isa == Isa::kAvx2 || isa == Isa::kAvx512) return QuantizeAvx2;
#endif
  return QuantizeScalar;
}

const char* SelectedQuantizeName() {
#if defined(__x86_64__) || defined(_M_X64)
  if (SelectQuantize() == QuantizeAvx2) return "avx2";
#endif
  return "scalar";
}

}  // namespace quantize
}  // namespace kernels
}  // namespace edgelite
