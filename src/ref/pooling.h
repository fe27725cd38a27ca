// Reference 2-D pooling (float32), NHWC, one window per output pixel and channel.
//
// The window of output (y, x) covers input rows y*sh - pad_top + [0, KH) and
// columns x*sw - pad_left + [0, KW); only the part inside the image counts:
//   average: sum / (number of in-image taps)
//   max:     largest in-image value
//   l2:      sqrt(sum of squares / number of in-image taps)
// A window with no in-image taps (possible only with degenerate SAME
// geometry) yields 0 before the activation clamp.
#ifndef EDGELITE_REF_POOLING_H_
#define EDGELITE_REF_POOLING_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "edgelite/tensor.h"
#include "src/ref/conv_2d.h"

namespace edgelite {
namespace ref {

enum class PoolKind { kAverage, kMax, kL2 };

inline void Pool2DFloat(PoolKind kind, const Window2D& p, int32_t k_h, int32_t k_w,
                        const Shape& in_shape, const float* input, const Shape& out_shape,
                        float* output) {
  const int64_t batches = in_shape[0], in_h = in_shape[1], in_w = in_shape[2],
                depth = in_shape[3];
  const int64_t out_h = out_shape[1], out_w = out_shape[2];
  for (int64_t b = 0; b < batches; ++b)
    for (int64_t oy = 0; oy < out_h; ++oy)
      for (int64_t ox = 0; ox < out_w; ++ox) {
        const int64_t y0 = oy * p.stride_h - p.pad_top, x0 = ox * p.stride_w - p.pad_left;
        const int64_t ky_begin = std::max<int64_t>(0, -y0), ky_end = std::min<int64_t>(k_h, in_h - y0);
        const int64_t kx_begin = std::max<int64_t>(0, -x0), kx_end = std::min<int64_t>(k_w, in_w - x0);
        for (int64_t c = 0; c < depth; ++c) {
          float acc = kind == PoolKind::kMax ? std::numeric_limits<float>::lowest() : 0.0f;
          int64_t count = 0;
          for (int64_t ky = ky_begin; ky < ky_end; ++ky)
            for (int64_t kx = kx_begin; kx < kx_end; ++kx) {
              const float v = input[((b * in_h + y0 + ky) * in_w + x0 + kx) * depth + c];
              if (kind == PoolKind::kMax)
                acc = std::max(acc, v);
              else if (kind == PoolKind::kAverage)
                acc += v;
              else
                acc += v * v;
              ++count;
            }
          float r = 0.0f;
          if (count > 0) {
            if (kind == PoolKind::kMax) r = acc;
            else if (kind == PoolKind::kAverage) r = acc / static_cast<float>(count);
            else r = std::sqrt(acc / static_cast<float>(count));
          }
          output[((b * out_h + oy) * out_w + ox) * depth + c] = Clamp(r, p.act_min, p.act_max);
        }
      }
}

// Quantized AVERAGE_POOL_2D / MAX_POOL_2D (int8/uint8/int16, TFLite's
// integer kernels): input and output share scale and zero point, so values
// are pooled raw. Average: int32 sum of the in-image taps divided by their
// count, rounded half away from zero. Both clamp to [act_min, act_max]
// (the fused activation's quantized range). A window without in-image taps
// yields 0 before the clamp (TFLite reports an error instead).
template <typename T>
inline void Pool2DQuantized(PoolKind kind, const Window2D& p, int32_t k_h, int32_t k_w,
                            int32_t act_min, int32_t act_max, const Shape& in_shape, const T* input,
                            const Shape& out_shape, T* output) {
  const int64_t batches = in_shape[0], in_h = in_shape[1], in_w = in_shape[2], depth = in_shape[3];
  const int64_t out_h = out_shape[1], out_w = out_shape[2];
  for (int64_t b = 0; b < batches; ++b)
    for (int64_t oy = 0; oy < out_h; ++oy)
      for (int64_t ox = 0; ox < out_w; ++ox) {
        const int64_t y0 = oy * p.stride_h - p.pad_top, x0 = ox * p.stride_w - p.pad_left;
        const int64_t ky_begin = std::max<int64_t>(0, -y0),
                      ky_end = std::min<int64_t>(k_h, in_h - y0);
        const int64_t kx_begin = std::max<int64_t>(0, -x0),
                      kx_end = std::min<int64_t>(k_w, in_w - x0);
        for (int64_t c = 0; c < depth; ++c) {
          int32_t acc = kind == PoolKind::kMax ? std::numeric_limits<int32_t>::min() : 0;
          int32_t count = 0;
          for (int64_t ky = ky_begin; ky < ky_end; ++ky)
            for (int64_t kx = kx_begin; kx < kx_end; ++kx) {
              const int32_t v = input[((b * in_h + y0 + ky) * in_w + x0 + kx) * depth + c];
              acc = kind == PoolKind::kMax ? std::max(acc, v) : acc + v;
              ++count;
            }
          int32_t r = 0;
          if (count > 0) {
            if (kind == PoolKind::kMax)
              r = acc;
            else
              r = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
          }
          r = std::min(std::max(r, act_min), act_max);
          output[((b * out_h + oy) * out_w + ox) * depth + c] = static_cast<T>(r);
        }
      }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_POOLING_H_
