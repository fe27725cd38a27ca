// Quantization helpers computed once in Prepare: real multipliers to
// fixed-point (multiplier, shift), activation ranges, per-channel setup.
#ifndef EDGELITE_QUANT_QUANTIZATION_H_
#define EDGELITE_QUANT_QUANTIZATION_H_

#include <cstdint>

#include "edgelite/status.h"
#include "edgelite/tensor.h"
#include "src/quant/fixed_point.h"

namespace edgelite {
namespace quant {

// Splits `real` (>= 0) into a Q31 multiplier and a shift with
// real ~= multiplier * 2^(shift - 31), as TFLite's QuantizeMultiplier:
// frexp, round the mantissa to 31 bits, renormalise 2^31 to 2^30, flush
// shifts below -31 to zero. real == 0 gives (0, 0).
void QuantizeMultiplier(double real, int32_t* multiplier, int* shift);

// The integer clamp range of a fused activation on a quantized output
// (TFLite's CalculateActivationRangeQuantized): NONE gives the type's full
// range; RELU/RELU6/RELU_N1_TO_1 the quantized images of 0/6/-1/1, clipped
// to the type's range. `activation` is the schema's ActivationFunctionType value.
Status ActivationRangeQuantized(int activation, DataType type, float scale, int32_t zero_point,
                                int32_t* act_min, int32_t* act_max);

// [min, max] representable by an integer DataType (int8/uint8/int16/int32).
void TypeRange(DataType type, int32_t* min, int32_t* max);

// Quantizes one real value to `type` with round-half-away-from-zero and
// saturation (TFLite's reference QUANTIZE rounding).
int32_t QuantizeValue(float real, float scale, int32_t zero_point, DataType type);

// acc * real_scale rounded half away from zero and saturated to int32: the
// requantization of TFLite's reference FULLY_CONNECTED kernels (since 2025
// they rescale in double precision instead of with a fixed-point multiplier;
// the goldens come from those kernels). real_scale = (double)input_scale *
// (double)filter_scale / (double)output_scale, computed once in Prepare.
int32_t ScaleAccumulatorRounded(int64_t acc, double real_scale);

// Per-tensor scale and zero point of a quantized tensor (first entry).
inline float Scale(const Tensor& t) { return t.quant.count ? t.quant.scale[0] : 0.0f; }
inline int32_t ZeroPoint(const Tensor& t) {
  return t.quant.count ? static_cast<int32_t>(t.quant.zero_point[0]) : 0;
}

}  // namespace quant
}  // namespace edgelite

#endif  // EDGELITE_QUANT_QUANTIZATION_H_
