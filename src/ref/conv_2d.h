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

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_CONV_2D_H_
