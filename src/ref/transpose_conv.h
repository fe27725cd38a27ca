// Reference transposed 2-D convolution (float32): the gradient of CONV_2D
// with respect to its input. NHWC input, OHWI filter.
//
// Every input pixel (y, x) scatters into the output window whose top-left
// corner is (y*sh - pad_top, x*sw - pad_left):
//   out[b, y*sh - pad_top + ky, x*sw - pad_left + kx, o] += in[b, y, x, i] * filter[o, ky, kx, i]
// Contributions falling outside the output are dropped. Then the bias is
// added and the activation applied.
#ifndef EDGELITE_REF_TRANSPOSE_CONV_H_
#define EDGELITE_REF_TRANSPOSE_CONV_H_

#include <cstdint>

#include "edgelite/tensor.h"
#include "src/ref/conv_2d.h"

namespace edgelite {
namespace ref {

// input [N, H, W, I], filter [O, KH, KW, I], bias [O] or null, output [N, OH, OW, O].
inline void TransposeConvFloat(const Window2D& p, const Shape& in_shape, const float* input,
                               const Shape& f_shape, const float* filter, const float* bias,
                               const Shape& out_shape, float* output) {
  const int64_t batches = in_shape[0], in_h = in_shape[1], in_w = in_shape[2],
                in_c = in_shape[3];
  const int64_t out_c = f_shape[0], k_h = f_shape[1], k_w = f_shape[2];
  const int64_t out_h = out_shape[1], out_w = out_shape[2];
  const int64_t n = out_shape.NumElements();
  for (int64_t i = 0; i < n; ++i) output[i] = 0.0f;
  for (int64_t b = 0; b < batches; ++b)
    for (int64_t iy = 0; iy < in_h; ++iy)
      for (int64_t ix = 0; ix < in_w; ++ix)
        for (int64_t i = 0; i < in_c; ++i) {
          const float v = input[((b * in_h + iy) * in_w + ix) * in_c + i];
          for (int64_t ky = 0; ky < k_h; ++ky) {
            const int64_t oy = iy * p.stride_h - p.pad_top + ky;
            if (oy < 0 || oy >= out_h) continue;
            for (int64_t kx = 0; kx < k_w; ++kx) {
              const int64_t ox = ix * p.stride_w - p.pad_left + kx;
              if (ox < 0 || ox >= out_w) continue;
              float* out = output + ((b * out_h + oy) * out_w + ox) * out_c;
              for (int64_t o = 0; o < out_c; ++o)
                out[o] += v * filter[((o * k_h + ky) * k_w + kx) * in_c + i];
            }
          }
        }
  const int64_t pixels = batches * out_h * out_w;
  for (int64_t px = 0; px < pixels; ++px)
    for (int64_t o = 0; o < out_c; ++o) {
      float& v = output[px * out_c + o];
      if (bias) v += bias[o];
      v = Clamp(v, p.act_min, p.act_max);
    }
}

// Quantized transposed convolution (int8, 16x8; uint8 with weights_offset).
// Written in gather form: each output element sums the input taps that
// scatter into it (iy*sh - pad_top + ky == oy). Integer sums are exact, so
// the order differs from the scatter loop above without changing results,
// and no accumulator buffer is needed. See QuantConvParams for the rest.
template <typename InT, typename WT, typename OutT, typename AccT>
inline void TransposeConvQuantized(const Window2D& p, const QuantConvParams& q,
                                   const Shape& in_shape, const InT* input, const Shape& f_shape,
                                   const WT* filter, const AccT* bias, const Shape& out_shape,
                                   OutT* output) {
  const int64_t batches = in_shape[0], in_h = in_shape[1], in_w = in_shape[2],
                in_c = in_shape[3];
  const int64_t out_c = f_shape[0], k_h = f_shape[1], k_w = f_shape[2];
  const int64_t out_h = out_shape[1], out_w = out_shape[2];
  for (int64_t b = 0; b < batches; ++b)
    for (int64_t oy = 0; oy < out_h; ++oy)
      for (int64_t ox = 0; ox < out_w; ++ox)
        for (int64_t o = 0; o < out_c; ++o) {
          int64_t acc = 0;
          for (int64_t ky = 0; ky < k_h; ++ky) {
            const int64_t ty = oy + p.pad_top - ky;  // = iy * stride_h
            if (ty < 0 || ty % p.stride_h != 0) continue;
            const int64_t iy = ty / p.stride_h;
            if (iy >= in_h) continue;
            for (int64_t kx = 0; kx < k_w; ++kx) {
              const int64_t tx = ox + p.pad_left - kx;
              if (tx < 0 || tx % p.stride_w != 0) continue;
              const int64_t ix = tx / p.stride_w;
              if (ix >= in_w) continue;
              const InT* in = input + ((b * in_h + iy) * in_w + ix) * in_c;
              const WT* w = filter + ((o * k_h + ky) * k_w + kx) * in_c;
              for (int64_t i = 0; i < in_c; ++i)
                acc += (static_cast<int64_t>(in[i]) + q.input_offset) *
                       (static_cast<int64_t>(w[i]) + q.weights_offset);
            }
          }
          if (bias) acc = quant::AddBias64(acc, bias[o]);
          output[((b * out_h + oy) * out_w + ox) * out_c + o] =
              static_cast<OutT>(RequantizeOutput<AccT>(q, acc, o));
        }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_TRANSPOSE_CONV_H_
