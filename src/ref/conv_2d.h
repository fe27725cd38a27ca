// Reference 2-D convolution (float32), NHWC input, OHWI filter.
//
//   out[b, y, x, o] = act( sum_{ky, kx, i} in[b, y*sh - pad_top + ky*dh,
//                                                 x*sw - pad_left + kx*dw,
//                                                 g*fi + i] * filter[o, ky, kx, i]
//                          + bias[o] )
// where fi = filter input depth and g = o / (out_depth / groups) is the
// output channel's group (groups = in_depth / fi; 1 for an ordinary conv).
// Taps outside the image contribute nothing (zero padding). The sum runs over
// ky, kx, i in that order, then the bias is added, as TFLite's reference does.
#ifndef EDGELITE_REF_CONV_2D_H_
#define EDGELITE_REF_CONV_2D_H_

#include <algorithm>
#include <cstdint>

#include "edgelite/tensor.h"
#include "src/quant/fixed_point.h"

namespace edgelite {
namespace ref {

// Geometry shared by the windowed 2-D ops (conv, depthwise, transpose conv, pools).
struct Window2D {
  int32_t stride_h = 1, stride_w = 1;
  int32_t dilation_h = 1, dilation_w = 1;
  int32_t pad_top = 0, pad_left = 0;  // padding before the first row/column
  float act_min, act_max;             // fused activation clamp
};

inline float Clamp(float v, float lo, float hi) { return std::min(std::max(v, lo), hi); }

// Integer parameters of the quantized convolution family (TFLite's spec):
//   acc = sum (w + weights_offset) * (in + input_offset) + bias     (int32 or int64)
//   out = clamp(Requantize(acc, multiplier[o], shift[o]) + output_offset,
//               act_min, act_max)
// input_offset = -input zero point, weights_offset = -weights zero point
// (nonzero only for legacy uint8), output_offset = output zero point.
struct QuantConvParams {
  int32_t input_offset = 0;
  int32_t weights_offset = 0;
  int32_t output_offset = 0;
  int32_t act_min = 0, act_max = 0;
  int32_t* multiplier = nullptr;  // one per output channel
  int32_t* shift = nullptr;       // one per output channel (positive = left)
};

// Requantizes an accumulator the way TFLite does for its type: an int32
// accumulator (int8/uint8 kernels, 16x8 with int32 bias) with the 32-bit
// double-rounding multiply, an int64 one (16x8 with int64 bias) with the
// 64-bit multiply. The kernels accumulate in int64 and narrow to int32 for
// the 32-bit path (identical to TFLite whenever its int32 sum does not
// overflow, and free of undefined behaviour when it does).
template <typename AccT>
inline int32_t RequantizeAcc(int64_t acc, int32_t multiplier, int32_t shift);
template <>
inline int32_t RequantizeAcc<int32_t>(int64_t acc, int32_t multiplier, int32_t shift) {
  return quant::MultiplyByQuantizedMultiplier(
      static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(acc))), multiplier, shift);
}
template <>
inline int32_t RequantizeAcc<int64_t>(int64_t acc, int32_t multiplier, int32_t shift) {
  return quant::MultiplyByQuantizedMultiplier64(acc, multiplier, shift);
}

// Final step shared by the quantized kernels: requantize, add the output
// offset, clamp.
template <typename AccT>
inline int32_t RequantizeOutput(const QuantConvParams& q, int64_t acc, int64_t o) {
  int32_t v = RequantizeAcc<AccT>(acc, q.multiplier[o], q.shift[o]);
  // Saturating add: the offset is a zero point, v may be extreme.
  const int64_t w = static_cast<int64_t>(v) + q.output_offset;
  return static_cast<int32_t>(std::min<int64_t>(std::max<int64_t>(w, q.act_min), q.act_max));
}

// input [N, H, W, C], filter [O, KH, KW, C/groups], bias [O] or null, output [N, OH, OW, O].
inline void Conv2DFloat(const Window2D& p, const Shape& in_shape, const float* input,
                        const Shape& f_shape, const float* filter, const float* bias,
                        const Shape& out_shape, float* output) {
  const int64_t batches = in_shape[0], in_h = in_shape[1], in_w = in_shape[2],
                in_c = in_shape[3];
  const int64_t out_c = f_shape[0], k_h = f_shape[1], k_w = f_shape[2], f_c = f_shape[3];
  const int64_t out_h = out_shape[1], out_w = out_shape[2];
  const int64_t groups = in_c / f_c;
  const int64_t per_group = out_c / groups;
  for (int64_t b = 0; b < batches; ++b)
    for (int64_t oy = 0; oy < out_h; ++oy)
      for (int64_t ox = 0; ox < out_w; ++ox)
        for (int64_t o = 0; o < out_c; ++o) {
          const int64_t g = o / per_group;
          float acc = 0.0f;
          for (int64_t ky = 0; ky < k_h; ++ky) {
            const int64_t iy = oy * p.stride_h - p.pad_top + ky * p.dilation_h;
            if (iy < 0 || iy >= in_h) continue;
            for (int64_t kx = 0; kx < k_w; ++kx) {
              const int64_t ix = ox * p.stride_w - p.pad_left + kx * p.dilation_w;
              if (ix < 0 || ix >= in_w) continue;
              const float* in = input + ((b * in_h + iy) * in_w + ix) * in_c + g * f_c;
              const float* w = filter + ((o * k_h + ky) * k_w + kx) * f_c;
              for (int64_t i = 0; i < f_c; ++i) acc += in[i] * w[i];
            }
          }
          if (bias) acc += bias[o];
          output[((b * out_h + oy) * out_w + ox) * out_c + o] = Clamp(acc, p.act_min, p.act_max);
        }
}

// Quantized 2-D convolution (int8, uint8, 16x8). InT/WT/OutT are the element
// types; AccT (int32_t or int64_t) selects the requantizer (it is the bias
// type in TFLite). bias may be null. Same loop order as the float kernel.
template <typename InT, typename WT, typename OutT, typename AccT>
inline void Conv2DQuantized(const Window2D& p, const QuantConvParams& q, const Shape& in_shape,
                            const InT* input, const Shape& f_shape, const WT* filter,
                            const AccT* bias, const Shape& out_shape, OutT* output) {
  const int64_t batches = in_shape[0], in_h = in_shape[1], in_w = in_shape[2],
                in_c = in_shape[3];
  const int64_t out_c = f_shape[0], k_h = f_shape[1], k_w = f_shape[2], f_c = f_shape[3];
  const int64_t out_h = out_shape[1], out_w = out_shape[2];
  const int64_t groups = in_c / f_c;
  const int64_t per_group = out_c / groups;
  for (int64_t b = 0; b < batches; ++b)
    for (int64_t oy = 0; oy < out_h; ++oy)
      for (int64_t ox = 0; ox < out_w; ++ox)
        for (int64_t o = 0; o < out_c; ++o) {
          const int64_t g = o / per_group;
          int64_t acc = 0;
          for (int64_t ky = 0; ky < k_h; ++ky) {
            const int64_t iy = oy * p.stride_h - p.pad_top + ky * p.dilation_h;
            if (iy < 0 || iy >= in_h) continue;
            for (int64_t kx = 0; kx < k_w; ++kx) {
              const int64_t ix = ox * p.stride_w - p.pad_left + kx * p.dilation_w;
              if (ix < 0 || ix >= in_w) continue;
              const InT* in = input + ((b * in_h + iy) * in_w + ix) * in_c + g * f_c;
              const WT* w = filter + ((o * k_h + ky) * k_w + kx) * f_c;
              for (int64_t i = 0; i < f_c; ++i)
                acc += (static_cast<int64_t>(w[i]) + q.weights_offset) *
                       (static_cast<int64_t>(in[i]) + q.input_offset);
            }
          }
          if (bias) acc = quant::AddBias64(acc, bias[o]);
          output[((b * out_h + oy) * out_w + ox) * out_c + o] =
              static_cast<OutT>(RequantizeOutput<AccT>(q, acc, o));
        }
}

// Hybrid 2-D convolution: float input already quantized to int8 per batch
// (`input_offset[b]` is its zero point: 0 for symmetric quantization) with
// `scaling[b]` its scale; int8 filter with scale `filter_scale[o]` (per
// channel) or filter_scale[0] for every channel when `per_channel` is false.
//   out = clamp(float(acc) * filter_scale * scaling[b] + bias[o])
// where acc = sum w * (in - input_offset[b]) (int32 in TFLite; kept in int64
// here, the same value whenever TFLite's does not overflow). Padding taps add 0.
// With per_channel false TFLite folds the filter scale into scaling[b]
// first (scaling[b] * filter_scale, rounded to float) and multiplies once.
inline void HybridConv2D(const Window2D& p, const Shape& in_shape, const int8_t* input,
                         const int32_t* input_offset, const float* scaling,
                         const Shape& f_shape, const int8_t* filter, const float* filter_scale,
                         bool per_channel, const float* bias, const Shape& out_shape,
                         float* output) {
  const int64_t batches = in_shape[0], in_h = in_shape[1], in_w = in_shape[2],
                in_c = in_shape[3];
  const int64_t out_c = f_shape[0], k_h = f_shape[1], k_w = f_shape[2], f_c = f_shape[3];
  const int64_t out_h = out_shape[1], out_w = out_shape[2];
  const int64_t groups = in_c / f_c;
  const int64_t per_group = out_c / groups;
  for (int64_t b = 0; b < batches; ++b)
    for (int64_t oy = 0; oy < out_h; ++oy)
      for (int64_t ox = 0; ox < out_w; ++ox)
        for (int64_t o = 0; o < out_c; ++o) {
          const int64_t g = o / per_group;
          int64_t acc = 0;
          for (int64_t ky = 0; ky < k_h; ++ky) {
            const int64_t iy = oy * p.stride_h - p.pad_top + ky * p.dilation_h;
            if (iy < 0 || iy >= in_h) continue;
            for (int64_t kx = 0; kx < k_w; ++kx) {
              const int64_t ix = ox * p.stride_w - p.pad_left + kx * p.dilation_w;
              if (ix < 0 || ix >= in_w) continue;
              const int8_t* in = input + ((b * in_h + iy) * in_w + ix) * in_c + g * f_c;
              const int8_t* w = filter + ((o * k_h + ky) * k_w + kx) * f_c;
              for (int64_t i = 0; i < f_c; ++i)
                acc += static_cast<int64_t>(w[i]) * (static_cast<int64_t>(in[i]) - input_offset[b]);
            }
          }
          float v;
          if (per_channel) {
            v = static_cast<float>(acc) * filter_scale[o] * scaling[b];
          } else {
            const float combined = scaling[b] * filter_scale[0];
            v = static_cast<float>(acc) * combined;
          }
          if (bias) v += bias[o];
          output[((b * out_h + oy) * out_w + ox) * out_c + o] = Clamp(v, p.act_min, p.act_max);
        }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_CONV_2D_H_
