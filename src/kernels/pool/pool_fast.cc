#include "src/kernels/pool/pool_fast.h"

#include <algorithm>
#include <limits>

namespace edgelite {
namespace kernels {
namespace pool {
namespace {

constexpr int64_t kBlock = 256;  // channels per accumulator block (on the stack)

// Calls body(out_pixel_offset, tap_pointers...) style loops: for each output pixel of the rows,
// fold the in-image taps with `step` into acc[c] for channel blocks and write finish(acc, count).
template <typename T, typename Acc, typename OutT, typename Step, typename Finish>
void Run(const ref::Window2D& p, int32_t k_h, int32_t k_w, const Shape& in_shape,
         const T* input, const Shape& out_shape, OutT* output, int64_t row_begin, int64_t row_end,
         Acc init, Step step, Finish finish) {
  const int64_t in_h = in_shape[1], in_w = in_shape[2], depth = in_shape[3];
  const int64_t out_h = out_shape[1], out_w = out_shape[2];
  Acc acc[kBlock];
  for (int64_t row = row_begin; row < row_end; ++row) {
    const int64_t b = row / out_h, oy = row % out_h;
    const int64_t y0 = oy * p.stride_h - p.pad_top;
    const int64_t ky_begin = std::max<int64_t>(0, -y0), ky_end = std::min<int64_t>(k_h, in_h - y0);
    for (int64_t ox = 0; ox < out_w; ++ox) {
      const int64_t x0 = ox * p.stride_w - p.pad_left;
      const int64_t kx_begin = std::max<int64_t>(0, -x0),
                    kx_end = std::min<int64_t>(k_w, in_w - x0);
      const int64_t count = std::max<int64_t>(0, ky_end - ky_begin) *
                            std::max<int64_t>(0, kx_end - kx_begin);
      OutT* out = output + ((b * out_h + oy) * out_w + ox) * depth;
      for (int64_t c0 = 0; c0 < depth; c0 += kBlock) {
        const int64_t n = std::min(kBlock, depth - c0);
        for (int64_t k = 0; k < n; ++k) acc[k] = init;
        for (int64_t ky = ky_begin; ky < ky_end; ++ky)
          for (int64_t kx = kx_begin; kx < kx_end; ++kx) {
            const T* in = input + ((b * in_h + y0 + ky) * in_w + x0 + kx) * depth + c0;
            for (int64_t k = 0; k < n; ++k) acc[k] = step(acc[k], in[k]);
          }
        for (int64_t k = 0; k < n; ++k) out[c0 + k] = finish(acc[k], count);
      }
    }
  }
}

}  // namespace

void PoolFloat(ref::PoolKind kind, const ref::Window2D& p, int32_t k_h, int32_t k_w,
               const Shape& in_shape, const float* input, const Shape& out_shape, float* output,
               int64_t row_begin, int64_t row_end) {
  const float lo = p.act_min, hi = p.act_max;
  if (kind == ref::PoolKind::kMax) {
    Run(p, k_h, k_w, in_shape, input, out_shape, output, row_begin, row_end,
        std::numeric_limits<float>::lowest(), [](float a, float v) { return std::max(a, v); },
        [lo, hi](float a, int64_t count) { return ref::Clamp(count > 0 ? a : 0.0f, lo, hi); });
  } else {
    Run(p, k_h, k_w, in_shape, input, out_shape, output, row_begin, row_end, 0.0f,
        [](float a, float v) { return a + v; },
        [lo, hi](float a, int64_t count) {
          return ref::Clamp(count > 0 ? a / static_cast<float>(count) : 0.0f, lo, hi);
        });
  }
}

template <typename T>
void PoolQuantized(ref::PoolKind kind, const ref::Window2D& p, int32_t k_h, int32_t k_w,
                   int32_t act_min, int32_t act_max, const Shape& in_shape, const T* input,
                   const Shape& out_shape, T* output, int64_t row_begin, int64_t row_end) {
  if (kind == ref::PoolKind::kMax) {
    // The maximum in T is the reference's int32 maximum of the same values.
    Run(p, k_h, k_w, in_shape, input, out_shape, output, row_begin, row_end,
        std::numeric_limits<T>::lowest(), [](T a, T v) { return v > a ? v : a; },
        [act_min, act_max](T a, int64_t count) {
          const int32_t r = count > 0 ? static_cast<int32_t>(a) : 0;
          return static_cast<T>(std::min(std::max(r, act_min), act_max));
        });
  } else {
    Run(p, k_h, k_w, in_shape, input, out_shape, output, row_begin, row_end, int32_t{0},
        [](int32_t a, T v) { return a + static_cast<int32_t>(v); },
        [act_min, act_max](int32_t acc, int64_t count64) {
          const int32_t count = static_cast<int32_t>(count64);
          int32_t r = 0;
          if (count > 0) r = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
          return static_cast<T>(std::min(std::max(r, act_min), act_max));
        });
  }
}

template void PoolQuantized<int8_t>(ref::PoolKind, const ref::Window2D&, int32_t, int32_t,
                                    int32_t, int32_t, const Shape&, const int8_t*, const Shape&,
                                    int8_t*, int64_t, int64_t);
template void PoolQuantized<uint8_t>(ref::PoolKind, const ref::Window2D&, int32_t, int32_t,
                                     int32_t, int32_t, const Shape&, const uint8_t*, const Shape&,
                                     uint8_t*, int64_t, int64_t);
template void PoolQuantized<int16_t>(ref::PoolKind, const ref::Window2D&, int32_t, int32_t,
                                     int32_t, int32_t, const Shape&, const int16_t*, const Shape&,
                                     int16_t*, int64_t, int64_t);

}  // namespace pool
}  // namespace kernels
}  // namespace edgelite
