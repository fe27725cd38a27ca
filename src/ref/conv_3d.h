// Reference 3-D convolution (float32), NDHWC input, [KD, KH, KW, I, O] filter
// (note: TFLite's CONV_3D keeps TensorFlow's filter layout, output channels last).
//
//   out[b, z, y, x, o] = act( sum_{kz, ky, kx, i} in[b, z*sd - pd + kz*dd, y*sh - ph + ky*dh,
//                                                     x*sw - pw + kx*dw, i]
//                                                 * filter[kz, ky, kx, i, o] + bias[o] )
#ifndef EDGELITE_REF_CONV_3D_H_
#define EDGELITE_REF_CONV_3D_H_

#include <cstdint>

#include "edgelite/tensor.h"
#include "src/ref/conv_2d.h"

namespace edgelite {
namespace ref {

struct Window3D {
  int32_t stride[3] = {1, 1, 1};    // depth, height, width
  int32_t dilation[3] = {1, 1, 1};  // depth, height, width
  int32_t pad[3] = {0, 0, 0};       // padding before, per spatial axis
  float act_min, act_max;
};

inline void Conv3DFloat(const Window3D& p, const Shape& in_shape, const float* input,
                        const Shape& f_shape, const float* filter, const float* bias,
                        const Shape& out_shape, float* output) {
  const int64_t batches = in_shape[0], in_d = in_shape[1], in_h = in_shape[2],
                in_w = in_shape[3], in_c = in_shape[4];
  const int64_t k_d = f_shape[0], k_h = f_shape[1], k_w = f_shape[2], out_c = f_shape[4];
  const int64_t out_d = out_shape[1], out_h = out_shape[2], out_w = out_shape[3];
  for (int64_t b = 0; b < batches; ++b)
    for (int64_t oz = 0; oz < out_d; ++oz)
      for (int64_t oy = 0; oy < out_h; ++oy)
        for (int64_t ox = 0; ox < out_w; ++ox)
          for (int64_t o = 0; o < out_c; ++o) {
            float acc = 0.0f;
            for (int64_t kz = 0; kz < k_d; ++kz) {
              const int64_t iz = oz * p.stride[0] - p.pad[0] + kz * p.dilation[0];
              if (iz < 0 || iz >= in_d) continue;
              for (int64_t ky = 0; ky < k_h; ++ky) {
                const int64_t iy = oy * p.stride[1] - p.pad[1] + ky * p.dilation[1];
                if (iy < 0 || iy >= in_h) continue;
                for (int64_t kx = 0; kx < k_w; ++kx) {
                  const int64_t ix = ox * p.stride[2] - p.pad[2] + kx * p.dilation[2];
                  if (ix < 0 || ix >= in_w) continue;
                  const float* in = input + (((b * in_d + iz) * in_h + iy) * in_w + ix) * in_c;
                  const float* w = filter + ((kz * k_h + ky) * k_w + kx) * in_c * out_c + o;
                  for (int64_t i = 0; i < in_c; ++i) acc += in[i] * w[i * out_c];
                }
              }
            }
            if (bias) acc += bias[o];
            output[(((b * out_d + oz) * out_h + oy) * out_w + ox) * out_c + o] =
                Clamp(acc, p.act_min, p.act_max);
          }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_CONV_3D_H_
