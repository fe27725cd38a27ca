// Reference CONCATENATION / SPLIT (also PACK / UNPACK, which are a concat or
// split along a new axis), type-agnostic. Tensors are viewed as
// [outer, axis_i * inner]: each input contributes one contiguous block per
// outer index.
#ifndef EDGELITE_REF_CONCATENATION_H_
#define EDGELITE_REF_CONCATENATION_H_

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "edgelite/tensor.h"

namespace edgelite {
namespace ref {

// block[i] = bytes of input i per outer index (axis_i * inner * elem).
inline void Concatenate(const uint8_t* const* inputs, const size_t* block, int n, int64_t outer,
                        uint8_t* output) {
  for (int64_t o = 0; o < outer; ++o)
    for (int i = 0; i < n; ++i) {
      memcpy(output, inputs[i] + o * block[i], block[i]);
      output += block[i];
    }
}

// Concatenate for uint8 tensors with per-tensor quantization, requantizing
// blocks of inputs whose scale or zero point differ from the output's
// (TFLite's ConcatenationWithScaling, computed in float).
inline void ConcatenateRequantizeUInt8(const Tensor* const* tensors,
                                       const uint8_t* const* inputs, const size_t* block, int n,
                                       int64_t outer, const Tensor& out_tensor, uint8_t* output) {
  const float out_scale = out_tensor.quant.scale[0];
  const int32_t out_zp =
      out_tensor.quant.zero_point ? static_cast<int32_t>(out_tensor.quant.zero_point[0]) : 0;
  const float inverse_output_scale = 1.f / out_scale;
  for (int64_t o = 0; o < outer; ++o)
    for (int i = 0; i < n; ++i) {
      const uint8_t* in = inputs[i] + o * block[i];
      const float in_scale = tensors[i]->quant.scale[0];
      const int32_t in_zp =
          tensors[i]->quant.zero_point ? static_cast<int32_t>(tensors[i]->quant.zero_point[0]) : 0;
      if (in_scale == out_scale && in_zp == out_zp) {
        memcpy(output, in, block[i]);
      } else {
        const float scale = in_scale * inverse_output_scale;
        const float bias = static_cast<float>(-in_zp) * scale;
        for (size_t j = 0; j < block[i]; ++j) {
          // Clamp in float before converting: a malformed scale (huge, inf,
          // NaN) must saturate, not overflow the int conversion.
          const float f = std::round(static_cast<float>(in[j]) * scale + bias) +
                          static_cast<float>(out_zp);
          output[j] = f >= 255.f ? 255 : (f > 0.f ? static_cast<uint8_t>(f) : 0);
        }
      }
      output += block[i];
    }
}

// Inverse of Concatenate.
inline void Split(const uint8_t* input, const size_t* block, int n, int64_t outer,
                  uint8_t* const* outputs) {
  for (int64_t o = 0; o < outer; ++o)
    for (int i = 0; i < n; ++i) {
      memcpy(outputs[i] + o * block[i], input, block[i]);
      input += block[i];
    }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_CONCATENATION_H_
