// Quantization checks and constants shared by the integer paths of the
// convolution family (CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV) and of
// FULLY_CONNECTED / QUANTIZE / DEQUANTIZE. Everything here runs in Prepare.
#ifndef EDGELITE_OPS_CONV_QUANT_UTIL_H_
#define EDGELITE_OPS_CONV_QUANT_UTIL_H_

#include <cstdint>

#include "src/ops/op_util.h"
#include "src/ref/conv_2d.h"

namespace edgelite {
namespace ops {

// True for the integer activation types the quantized kernels take.
inline bool IsQuantizedActivationType(DataType t) {
  return t == DataType::kInt8 || t == DataType::kUInt8 || t == DataType::kInt16;
}

// A per-tensor quantized activation: quantization present, first scale
// finite and > 0, zero point inside the type's range (and 0 for int16 when
// `symmetric_int16`). Per-channel parameters on activations are rejected.
Status CheckActivationQuant(OpContext& ctx, const Tensor* t, const char* what,
                            bool symmetric_int16 = true);

// Weights quantization: scales finite and > 0; either one scale or exactly
// `channels` scales along `channel_dim` (which must equal the tensor's
// quantized_dimension); with `require_zero_zp` every zero point must be 0.
Status CheckWeightsQuant(OpContext& ctx, const Tensor* w, const char* what, int channel_dim,
                         int32_t channels, bool require_zero_zp);

// Persistent per-channel multiplier/shift arrays for `channels` channels,
// allocated once (reused when Prepare runs again with the same count).
Status EnsureChannelArrays(OpContext& ctx, int32_t channels, ref::QuantConvParams* q,
                           int32_t* capacity);

// Validates the quantization of a quantized convolution-family op (input,
// filter, optional bias, output) and fills `q`: offsets, activation range and
// one (multiplier, shift) per output channel. Types: int8 in/out with int8
// weights (per-channel or per-tensor, zero point 0) and int32 bias; int16
// in/out (zero points 0) with int8 weights and int32/int64 bias; uint8 in/out
// with uint8 per-tensor weights (any zero point) and int32 bias. Multipliers
// follow TFLite's PopulateConvolutionQuantizationParams: per channel
// double(in_scale) * double(w_scale) / double(out_scale); the same value is
// used for every channel of a per-tensor filter.
Status PrepareConvQuant(OpContext& ctx, const Tensor* input, const Tensor* filter,
                        const Tensor* bias, const Tensor* output, int activation,
                        int channel_dim, int32_t channels, ref::QuantConvParams* q,
                        int32_t* capacity);

// Splits a real multiplier with the range checks the integer kernels need:
// finite, >= 0, shift <= max_shift (TFLite's requantizers assume shift <= 30
// for the 32-bit multiply and <= 7 for the 64-bit one); `what` names it.
constexpr int kMaxShift32 = 30, kMaxShift64 = 7;
Status QuantizeMultiplierChecked(OpContext& ctx, double real, const char* what,
                                 int32_t* multiplier, int32_t* shift, int max_shift);

}  // namespace ops
}  // namespace edgelite

#endif  // EDGELITE_OPS_CONV_QUANT_UTIL_H_
