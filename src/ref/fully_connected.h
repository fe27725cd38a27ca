// Reference fully connected (float32): out[b][n] = act(sum_k in[b][k] * w[n][k] + bias[n]).
#ifndef EDGELITE_REF_FULLY_CONNECTED_H_
#define EDGELITE_REF_FULLY_CONNECTED_H_

#include <algorithm>
#include <cstdint>

#include "src/quant/quantization.h"

namespace edgelite {
namespace ref {

// input [batches, depth], weights [units, depth], bias [units] or null,
// output [batches, units]; results clamped to [act_min, act_max].
inline void FullyConnectedFloat(const float* input, const float* weights, const float* bias,
                                float* output, int64_t batches, int64_t depth, int64_t units,
                                float act_min, float act_max) {
  for (int64_t b = 0; b < batches; ++b) {
    const float* in = input + b * depth;
    for (int64_t n = 0; n < units; ++n) {
      const float* w = weights + n * depth;
      float acc = 0.0f;
      for (int64_t k = 0; k < depth; ++k) acc += in[k] * w[k];
      if (bias) acc += bias[n];
      output[b * units + n] = std::min(std::max(acc, act_min), act_max);
    }
  }
}

// Integer parameters of the quantized fully connected kernel:
//   acc = sum_k (w[n][k] + weights_offset) * (in[b][k] + input_offset) + bias[n]
//   out = clamp(round_half_away(acc * real_scale[n]) + output_offset, act_min, act_max)
// real_scale[n] = double(in_scale) * double(w_scale[n]) / double(out_scale)
// (TFLite's reference FC requantizes in double, not with a Q31 multiplier).
struct FcQuantParams {
  int32_t input_offset = 0;
  int32_t weights_offset = 0;  // -weights zero point (per-tensor weights only)
  int32_t output_offset = 0;
  int32_t act_min = 0, act_max = 0;
  double* real_scale = nullptr;  // one per unit (all equal for per-tensor weights)
};

// AccT (int32_t or int64_t, the bias type) is TFLite's accumulator type: the
// int64 sum here is narrowed to it (identical unless TFLite's sum overflows).
template <typename InT, typename WT, typename OutT, typename AccT>
inline void FullyConnectedQuantized(const FcQuantParams& q, const InT* input, const WT* weights,
                                    const AccT* bias, OutT* output, int64_t batches,
                                    int64_t depth, int64_t units) {
  for (int64_t b = 0; b < batches; ++b) {
    const InT* in = input + b * depth;
    for (int64_t n = 0; n < units; ++n) {
      const WT* w = weights + n * depth;
      int64_t acc = 0;
      for (int64_t k = 0; k < depth; ++k)
        acc += (static_cast<int64_t>(w[k]) + q.weights_offset) *
               (static_cast<int64_t>(in[k]) + q.input_offset);
      if (bias) acc = quant::AddBias64(acc, bias[n]);
      const AccT narrowed = static_cast<AccT>(static_cast<uint64_t>(acc));
      const int64_t v =
          static_cast<int64_t>(quant::ScaleAccumulatorRounded(narrowed, q.real_scale[n])) +
          q.output_offset;
      output[b * units + n] =
          static_cast<OutT>(std::min<int64_t>(std::max<int64_t>(v, q.act_min), q.act_max));
    }
  }
}

// Hybrid fully connected (TFLite's EvalHybridDense with the portable
// MatrixBatchVectorMultiplyAccumulate): input already quantized per batch
// (zero point input_offset[b], scale scaling[b], which for per-tensor weights
// already includes the weights scale); weights_scale is per unit or null.
//   out[b][n] = act(bias[n] + float(acc) * (scaling[b] * weights_scale[n]))
// with acc = sum_k w[n][k] * (q[b][k] - input_offset[b]).
inline void FullyConnectedHybrid(const int8_t* input, const int32_t* input_offset,
                                 const float* scaling, const int8_t* weights,
                                 const float* weights_scale, const float* bias, float* output,
                                 int64_t batches, int64_t depth, int64_t units, float act_min,
                                 float act_max) {
  for (int64_t b = 0; b < batches; ++b) {
    const int8_t* in = input + b * depth;
    for (int64_t n = 0; n < units; ++n) {
      const int8_t* w = weights + n * depth;
      int64_t acc = 0;
      for (int64_t k = 0; k < depth; ++k)
        acc += static_cast<int64_t>(w[k]) * (static_cast<int64_t>(in[k]) - input_offset[b]);
      float scale = scaling[b];
      if (weights_scale) scale *= weights_scale[n];
      float v = bias ? bias[n] : 0.0f;
      v += static_cast<float>(acc) * scale;
      output[b * units + n] = std::min(std::max(v, act_min), act_max);
    }
  }
}

// Float activations with blockwise-quantized int4 weights (TFLite's
// EvalBlockwise4Bit). input: asymmetrically quantized rows (q, offset[b],
// scaling[b]); weights: int4 packed two per byte, row n starting at byte
// n * depth / 2, even columns in the low nibble; block_scales: [units,
// depth / block_size]. Same float operation order as TFLite:
//   out = (sum_blocks float(sum_k q*w) * s  -  offset * sum_blocks s * sum_k w)
//         * scaling[b] + bias[n]
inline void FullyConnectedBlockwiseInt4(const int8_t* input, const int32_t* input_offset,
                                        const float* scaling, const uint8_t* weights,
                                        const float* block_scales, int32_t block_size,
                                        const float* bias, float* output, int64_t batches,
                                        int64_t depth, int64_t units, float act_min,
                                        float act_max) {
  const int64_t blocks = depth / block_size;
  for (int64_t b = 0; b < batches; ++b) {
    const int8_t* in = input + b * depth;
    for (int64_t n = 0; n < units; ++n) {
      const uint8_t* w = weights + n * (depth / 2);
      float v = 0.0f, scaled_weight_sum = 0.0f;
      for (int64_t bi = 0; bi < blocks; ++bi) {
        int32_t dot = 0, weight_sum = 0;
        for (int32_t ki = 0; ki < block_size; ++ki) {
          const int64_t k = bi * block_size + ki;
          const int nibble = (k % 2 == 0) ? (w[k / 2] & 0xF) : (w[k / 2] >> 4);
          const int32_t wv = (nibble ^ 0x8) - 8;  // sign-extend 4 bits
          weight_sum += wv;
          dot += static_cast<int32_t>(in[k]) * wv;
        }
        const float s = block_scales[n * blocks + bi];
        v += static_cast<float>(dot) * s;
        scaled_weight_sum += s * static_cast<float>(weight_sum);
      }
      v -= static_cast<float>(input_offset[b]) * scaled_weight_sum;
      v *= scaling[b];
      if (bias) v += bias[n];
      output[b * units + n] = std::min(std::max(v, act_min), act_max);
    }
  }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_FULLY_CONNECTED_H_
