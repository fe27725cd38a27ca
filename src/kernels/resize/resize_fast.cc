#include "src/kernels/resize/resize_fast.h"

#include <algorithm>

#include "src/ref/resize.h"

namespace edgelite {
namespace kernels {
namespace resize {

namespace {

struct Source {
  int32_t lo, hi;
  float w_lo, w_hi;  // the reference's (1 - d) and d
};

Source SourceOf(int32_t dst, float scale, bool half_pixel, int32_t in) {
  float f;
  Source s;
  ref::BilinearSource(dst, scale, half_pixel, in, &f, &s.lo, &s.hi);
  const float d = f - static_cast<float>(s.lo);
  s.w_lo = 1 - d;
  s.w_hi = d;
  return s;
}

constexpr int32_t kChunk = 256;  // output columns whose sources are computed together

}  // namespace

void ResizeBilinearFloat(const Shape& in_shape, const float* input, const Shape& out_shape,
                         float* output, bool align_corners, bool half_pixel, int64_t row_begin,
                         int64_t row_end) {
  const int32_t in_h = in_shape[1], in_w = in_shape[2], depth = in_shape[3];
  const int32_t out_h = out_shape[1], out_w = out_shape[2];
  if (out_h <= 0 || out_w <= 0 || depth <= 0) return;
  const float sy = ref::ResizeScale(in_h, out_h, align_corners);
  const float sx = ref::ResizeScale(in_w, out_w, align_corners);
  Source xs[kChunk];
  for (int32_t x_begin = 0; x_begin < out_w; x_begin += kChunk) {
    const int32_t x_end = std::min(out_w, x_begin + kChunk);
    for (int32_t x = x_begin; x < x_end; ++x) xs[x - x_begin] = SourceOf(x, sx, half_pixel, in_w);
    for (int64_t row = row_begin; row < row_end; ++row) {
      const int64_t b = row / out_h;
      const int32_t y = static_cast<int32_t>(row % out_h);
      const Source sy_src = SourceOf(y, sy, half_pixel, in_h);
      const float wy0 = sy_src.w_lo, wy1 = sy_src.w_hi;
      const float* top = input + (b * in_h + sy_src.lo) * int64_t{in_w} * depth;
      const float* bottom = input + (b * in_h + sy_src.hi) * int64_t{in_w} * depth;
      float* out_row = output + row * out_w * depth;
      for (int32_t x = x_begin; x < x_end; ++x) {
        const Source& s = xs[x - x_begin];
        const float wx0 = s.w_lo, wx1 = s.w_hi;
        const float* a = top + int64_t{s.lo} * depth;
        const float* bb = bottom + int64_t{s.lo} * depth;
        const float* c = top + int64_t{s.hi} * depth;
        const float* d = bottom + int64_t{s.hi} * depth;
        float* out = out_row + int64_t{x} * depth;
        for (int32_t ch = 0; ch < depth; ++ch)
          out[ch] = a[ch] * wy0 * wx0 + bb[ch] * wy1 * wx0 + c[ch] * wy0 * wx1 + d[ch] * wy1 * wx1;
      }
    }
  }
}

}  // namespace resize
}  // namespace kernels
}  // namespace edgelite
