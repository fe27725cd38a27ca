// Reference image resizing, NHWC, height and width only.
//
// Coordinate mapping (TFLite / TensorFlow conventions), per axis with input
// size `in` and output size `out`:
//   scale = (align_corners && out > 1) ? (in - 1) / (out - 1) : in / out
//   bilinear: src = half_pixel_centers ? (dst + 0.5) * scale - 0.5 : dst * scale
//             lo = max(floor(src), 0), hi = min(ceil(src), in - 1), frac = src - lo
//   nearest:  src = (dst + (half_pixel_centers ? 0.5 : 0)) * scale, then
//             round-half-away (align_corners) or floor, clamped to [0, in - 1].
// All coordinate arithmetic is float32, as in TFLite, so results match bit for bit.
#ifndef EDGELITE_REF_RESIZE_H_
#define EDGELITE_REF_RESIZE_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "edgelite/tensor.h"

namespace edgelite {
namespace ref {

inline float ResizeScale(int32_t in, int32_t out, bool align_corners) {
  if (align_corners && out > 1) return static_cast<float>(in - 1) / static_cast<float>(out - 1);
  return static_cast<float>(in) / static_cast<float>(out);
}

inline void BilinearSource(int32_t dst, float scale, bool half_pixel, int32_t in, float* src,
                           int32_t* lo, int32_t* hi) {
  *src = half_pixel ? (static_cast<float>(dst) + 0.5f) * scale - 0.5f
                    : static_cast<float>(dst) * scale;
  *lo = std::max(static_cast<int32_t>(std::floor(*src)), int32_t{0});
  *hi = std::min(static_cast<int32_t>(std::ceil(*src)), in - 1);
}

// input [N, H, W, C] -> output [N, OH, OW, C].
inline void ResizeBilinearFloat(const Shape& in_shape, const float* input, const Shape& out_shape,
                                float* output, bool align_corners, bool half_pixel) {
  const int32_t batches = in_shape[0], in_h = in_shape[1], in_w = in_shape[2], depth = in_shape[3];
  const int32_t out_h = out_shape[1], out_w = out_shape[2];
  const float sy = ResizeScale(in_h, out_h, align_corners);
  const float sx = ResizeScale(in_w, out_w, align_corners);
  auto at = [&](int64_t b, int64_t y, int64_t x, int64_t c) {
    return input[((b * in_h + y) * in_w + x) * depth + c];
  };
  for (int32_t b = 0; b < batches; ++b)
    for (int32_t y = 0; y < out_h; ++y) {
      float fy;
      int32_t y0, y1;
      BilinearSource(y, sy, half_pixel, in_h, &fy, &y0, &y1);
      const float dy = fy - static_cast<float>(y0);
      for (int32_t x = 0; x < out_w; ++x) {
        float fx;
        int32_t x0, x1;
        BilinearSource(x, sx, half_pixel, in_w, &fx, &x0, &x1);
        const float dx = fx - static_cast<float>(x0);
        float* out = output + ((int64_t{b} * out_h + y) * out_w + x) * depth;
        for (int32_t c = 0; c < depth; ++c)
          out[c] = at(b, y0, x0, c) * (1 - dy) * (1 - dx) + at(b, y1, x0, c) * dy * (1 - dx) +
                   at(b, y0, x1, c) * (1 - dy) * dx + at(b, y1, x1, c) * dy * dx;
      }
    }
}

// uint8 RESIZE_BILINEAR (TFLite's reference kernel): the float formula on
// the raw values, + 0.5, truncated.
inline void ResizeBilinearUInt8(const Shape& in_shape, const uint8_t* input, const Shape& out_shape,
                                uint8_t* output, bool align_corners, bool half_pixel) {
  const int32_t batches = in_shape[0], in_h = in_shape[1], in_w = in_shape[2], depth = in_shape[3];
  const int32_t out_h = out_shape[1], out_w = out_shape[2];
  const float sy = ResizeScale(in_h, out_h, align_corners);
  const float sx = ResizeScale(in_w, out_w, align_corners);
  auto at = [&](int64_t b, int64_t y, int64_t x, int64_t c) {
    return static_cast<float>(input[((b * in_h + y) * in_w + x) * depth + c]);
  };
  for (int32_t b = 0; b < batches; ++b)
    for (int32_t y = 0; y < out_h; ++y) {
      float fy;
      int32_t y0, y1;
      BilinearSource(y, sy, half_pixel, in_h, &fy, &y0, &y1);
      const float dy = fy - static_cast<float>(y0);
      for (int32_t x = 0; x < out_w; ++x) {
        float fx;
        int32_t x0, x1;
        BilinearSource(x, sx, half_pixel, in_w, &fx, &x0, &x1);
        const float dx = fx - static_cast<float>(x0);
        uint8_t* out = output + ((int64_t{b} * out_h + y) * out_w + x) * depth;
        for (int32_t c = 0; c < depth; ++c)
          out[c] = static_cast<uint8_t>(
              at(b, y0, x0, c) * (1 - dy) * (1 - dx) + at(b, y1, x0, c) * dy * (1 - dx) +
              at(b, y0, x1, c) * (1 - dy) * dx + at(b, y1, x1, c) * dy * dx + 0.5f);
      }
    }
}

// Integer source coordinate in 1/1024 units (TFLite's ResizeBilinearInteger).
inline void BilinearSourceQ10(int32_t dst, int32_t scale_q10, bool half_pixel, int32_t in,
                              int32_t* src, int32_t* lo, int32_t* hi) {
  *src = half_pixel ? dst * scale_q10 + scale_q10 / 2 - (1 << 9) : dst * scale_q10;
  *lo = std::max(*src / (1 << 10), int32_t{0});
  *hi = std::min((*src + (1 << 10) - 1) / (1 << 10), in - 1);
}

inline int32_t ResizeScaleQ10(int32_t in, int32_t out, bool align_corners) {
  if (align_corners && out > 1) return ((1 << 10) * (in - 1) + (out - 1) / 2) / (out - 1);
  return ((1 << 10) * in + out / 2) / out;
}

// int8/int16 RESIZE_BILINEAR without floating point: weights in 1/1024
// units, the weighted sum (2^20 scale) divided with rounding half away from
// zero.
template <typename T>
inline void ResizeBilinearInteger(const Shape& in_shape, const T* input, const Shape& out_shape,
                                  T* output, bool align_corners, bool half_pixel) {
  const int32_t batches = in_shape[0], in_h = in_shape[1], in_w = in_shape[2], depth = in_shape[3];
  const int32_t out_h = out_shape[1], out_w = out_shape[2];
  const int32_t sy = ResizeScaleQ10(in_h, out_h, align_corners);
  const int32_t sx = ResizeScaleQ10(in_w, out_w, align_corners);
  auto at = [&](int64_t b, int64_t y, int64_t x, int64_t c) {
    return static_cast<int64_t>(input[((b * in_h + y) * in_w + x) * depth + c]);
  };
  constexpr int32_t kOne = 1 << 10;
  for (int32_t b = 0; b < batches; ++b)
    for (int32_t y = 0; y < out_h; ++y) {
      int32_t fy, y0, y1;
      BilinearSourceQ10(y, sy, half_pixel, in_h, &fy, &y0, &y1);
      const int64_t wy1 = fy - kOne * y0, wy0 = kOne - wy1;
      for (int32_t x = 0; x < out_w; ++x) {
        int32_t fx, x0, x1;
        BilinearSourceQ10(x, sx, half_pixel, in_w, &fx, &x0, &x1);
        const int64_t wx1 = fx - kOne * x0, wx0 = kOne - wx1;
        T* out = output + ((int64_t{b} * out_h + y) * out_w + x) * depth;
        for (int32_t c = 0; c < depth; ++c) {
          const int64_t sum = at(b, y0, x0, c) * wy0 * wx0 + at(b, y1, x0, c) * wy1 * wx0 +
                              at(b, y0, x1, c) * wy0 * wx1 + at(b, y1, x1, c) * wy1 * wx1;
          const int64_t round = sum > 0 ? (1 << 19) : -(1 << 19);
          out[c] = static_cast<T>((sum + round) / (1 << 20));
        }
      }
    }
}

inline int32_t NearestSource(int32_t dst, int32_t in, int32_t out, bool align_corners,
                             bool half_pixel) {
  const float scale = ResizeScale(in, out, align_corners);
  const float src = (static_cast<float>(dst) + (half_pixel ? 0.5f : 0.0f)) * scale;
  int32_t i = align_corners ? static_cast<int32_t>(std::round(src))
                            : static_cast<int32_t>(std::floor(src));
  i = std::min(i, in - 1);
  return std::max(i, int32_t{0});
}

// Type-agnostic: copies elements of `elem_size` bytes.
inline void ResizeNearest(const Shape& in_shape, const uint8_t* input, const Shape& out_shape,
                          uint8_t* output, size_t elem_size, bool align_corners,
                          bool half_pixel) {
  const int32_t batches = in_shape[0], in_h = in_shape[1], in_w = in_shape[2];
  const int64_t depth_bytes = int64_t{in_shape[3]} * static_cast<int64_t>(elem_size);
  const int32_t out_h = out_shape[1], out_w = out_shape[2];
  for (int32_t b = 0; b < batches; ++b)
    for (int32_t y = 0; y < out_h; ++y) {
      const int32_t iy = NearestSource(y, in_h, out_h, align_corners, half_pixel);
      for (int32_t x = 0; x < out_w; ++x) {
        const int32_t ix = NearestSource(x, in_w, out_w, align_corners, half_pixel);
        memcpy(output + ((int64_t{b} * out_h + y) * out_w + x) * depth_bytes,
               input + ((int64_t{b} * in_h + iy) * in_w + ix) * depth_bytes,
               static_cast<size_t>(depth_bytes));
      }
    }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_RESIZE_H_
