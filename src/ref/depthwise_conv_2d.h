// Reference depthwise 2-D convolution (float32), NHWC input, [1, KH, KW, O] filter.
//
// Each input channel c feeds `multiplier` output channels o = c*multiplier + m:
//   out[b, y, x, o] = act( sum_{ky, kx} in[b, y*sh - pad_top + ky*dh,
//                                          x*sw - pad_left + kx*dw, c] * filter[0, ky, kx, o]
//                          + bias[o] )
// Taps outside the image contribute nothing.
#ifndef EDGELITE_REF_DEPTHWISE_CONV_2D_H_
#define EDGELITE_REF_DEPTHWISE_CONV_2D_H_

#include <cstdint>

#include "edgelite/tensor.h"
#include "src/ref/conv_2d.h"

namespace edgelite {
namespace ref {

inline void DepthwiseConv2DFloat(const Window2D& p, const Shape& in_shape, const float* input,
                                 const Shape& f_shape, const float* filter, const float* bias,
                                 const Shape& out_shape, float* output) {
  const int64_t batches = in_shape[0], in_h = in_shape[1], in_w = in_shape[2],
                in_c = in_shape[3];
  const int64_t k_h = f_shape[1], k_w = f_shape[2], out_c = f_shape[3];
  const int64_t out_h = out_shape[1], out_w = out_shape[2];
  const int64_t mult = out_c / in_c;
  for (int64_t b = 0; b < batches; ++b)
    for (int64_t oy = 0; oy < out_h; ++oy)
      for (int64_t ox = 0; ox < out_w; ++ox)
        for (int64_t c = 0; c < in_c; ++c)
          for (int64_t m = 0; m < mult; ++m) {
            const int64_t o = c * mult + m;
            float acc = 0.0f;
            for (int64_t ky = 0; ky < k_h; ++ky) {
              const int64_t iy = oy * p.stride_h - p.pad_top + ky * p.dilation_h;
              if (iy < 0 || iy >= in_h) continue;
              for (int64_t kx = 0; kx < k_w; ++kx) {
                const int64_t ix = ox * p.stride_w - p.pad_left + kx * p.dilation_w;
                if (ix < 0 || ix >= in_w) continue;
                acc += input[((b * in_h + iy) * in_w + ix) * in_c + c] *
                       filter[(ky * k_w + kx) * out_c + o];
              }
            }
            if (bias) acc += bias[o];
            output[((b * out_h + oy) * out_w + ox) * out_c + o] =
                Clamp(acc, p.act_min, p.act_max);
          }
}

// Quantized depthwise convolution (int8, uint8, 16x8); see Conv2DQuantized
// for the types and QuantConvParams for the arithmetic.
template <typename InT, typename WT, typename OutT, typename AccT>
inline void DepthwiseConv2DQuantized(const Window2D& p, const QuantConvParams& q,
                                     const Shape& in_shape, const InT* input,
                                     const Shape& f_shape, const WT* filter, const AccT* bias,
                                     const Shape& out_shape, OutT* output) {
  const int64_t batches = in_shape[0], in_h = in_shape[1], in_w = in_shape[2],
                in_c = in_shape[3];
  const int64_t k_h = f_shape[1], k_w = f_shape[2], out_c = f_shape[3];
  const int64_t out_h = out_shape[1], out_w = out_shape[2];
  const int64_t mult = out_c / in_c;
  for (int64_t b = 0; b < batches; ++b)
    for (int64_t oy = 0; oy < out_h; ++oy)
      for (int64_t ox = 0; ox < out_w; ++ox)
        for (int64_t c = 0; c < in_c; ++c)
          for (int64_t m = 0; m < mult; ++m) {
            const int64_t o = c * mult + m;
            int64_t acc = 0;
            for (int64_t ky = 0; ky < k_h; ++ky) {
              const int64_t iy = oy * p.stride_h - p.pad_top + ky * p.dilation_h;
              if (iy < 0 || iy >= in_h) continue;
              for (int64_t kx = 0; kx < k_w; ++kx) {
                const int64_t ix = ox * p.stride_w - p.pad_left + kx * p.dilation_w;
                if (ix < 0 || ix >= in_w) continue;
                acc += (static_cast<int64_t>(filter[(ky * k_w + kx) * out_c + o]) +
                        q.weights_offset) *
                       (static_cast<int64_t>(input[((b * in_h + iy) * in_w + ix) * in_c + c]) +
                        q.input_offset);
              }
            }
            if (bias) acc = quant::AddBias64(acc, bias[o]);
            output[((b * out_h + oy) * out_w + ox) * out_c + o] =
                static_cast<OutT>(RequantizeOutput<AccT>(q, acc, o));
          }
}

// Hybrid depthwise convolution (TFLite's DepthwiseConvHybridPerChannel):
// input quantized per batch with zero point input_offset[b] and scale
// scaling[b]; filter_scale has one entry per output channel.
//   out = clamp(float(acc) * (filter_scale[o] * scaling[b]) + bias[o])
inline void HybridDepthwiseConv2D(const Window2D& p, const Shape& in_shape, const int8_t* input,
                                  const int32_t* input_offset, const float* scaling,
                                  const Shape& f_shape, const int8_t* filter,
                                  const float* filter_scale, const float* bias,
                                  const Shape& out_shape, float* output) {
  const int64_t batches = in_shape[0], in_h = in_shape[1], in_w = in_shape[2],
                in_c = in_shape[3];
  const int64_t k_h = f_shape[1], k_w = f_shape[2], out_c = f_shape[3];
  const int64_t out_h = out_shape[1], out_w = out_shape[2];
  const int64_t mult = out_c / in_c;
  for (int64_t b = 0; b < batches; ++b)
    for (int64_t oy = 0; oy < out_h; ++oy)
      for (int64_t ox = 0; ox < out_w; ++ox)
        for (int64_t c = 0; c < in_c; ++c)
          for (int64_t m = 0; m < mult; ++m) {
            const int64_t o = c * mult + m;
            int64_t acc = 0;
            for (int64_t ky = 0; ky < k_h; ++ky) {
              const int64_t iy = oy * p.stride_h - p.pad_top + ky * p.dilation_h;
              if (iy < 0 || iy >= in_h) continue;
              for (int64_t kx = 0; kx < k_w; ++kx) {
                const int64_t ix = ox * p.stride_w - p.pad_left + kx * p.dilation_w;
                if (ix < 0 || ix >= in_w) continue;
                acc += static_cast<int64_t>(filter[(ky * k_w + kx) * out_c + o]) *
                       (static_cast<int64_t>(input[((b * in_h + iy) * in_w + ix) * in_c + c]) -
                        input_offset[b]);
              }
            }
            float v = static_cast<float>(acc);
            v *= filter_scale[o] * scaling[b];
            if (bias) v += bias[o];
            output[((b * out_h + oy) * out_w + ox) * out_c + o] =
                Clamp(v, p.act_min, p.act_max);
          }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_DEPTHWISE_CONV_2D_H_
