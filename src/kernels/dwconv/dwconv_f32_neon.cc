// Float32 depthwise convolution, AArch64 NEON: 4 channels per vector, four vectors (16
// channels) in flight per output pixel so that the FMA chains over the taps overlap. Channels
// past the last multiple of 4 use scalar fused multiply-adds in the same order.
#include <arm_neon.h>

#include <algorithm>
#include <cmath>

#include "src/kernels/dwconv/dwconv_f32.h"

namespace edgelite {
namespace kernels {
namespace {

constexpr int kLanes = 4;

template <int kVecs>
inline void Block(const DwConvF32Args& g, int64_t base, int64_t c, int32_t ky0, int32_t ky1,
                  int32_t kx0, int32_t kx1, float* out) {
  float32x4_t acc[kVecs];
#pragma GCC unroll 4
  for (int v = 0; v < kVecs; ++v) acc[v] = vdupq_n_f32(0.0f);
  const int64_t c_n = g.channels;
  for (int32_t ky = ky0; ky < ky1; ++ky) {
    const int64_t in_row = base + int64_t{ky} * g.dilation_h * g.in_w * c_n + c;
    const float* w_row = g.filter + int64_t{ky} * g.k_w * c_n + c;
    for (int32_t kx = kx0; kx < kx1; ++kx) {
      const float* in = g.input + (in_row + int64_t{kx} * g.dilation_w * c_n);
      const float* w = w_row + int64_t{kx} * c_n;
#pragma GCC unroll 4
      for (int v = 0; v < kVecs; ++v)
        acc[v] = vfmaq_f32(acc[v], vld1q_f32(in + v * kLanes), vld1q_f32(w + v * kLanes));
    }
  }
  const float32x4_t lo = vdupq_n_f32(g.act_min), hi = vdupq_n_f32(g.act_max);
#pragma GCC unroll 4
  for (int v = 0; v < kVecs; ++v) {
    float32x4_t r = acc[v];
    if (g.bias) r = vaddq_f32(r, vld1q_f32(g.bias + c + v * kLanes));
    // FMAX/FMIN propagate NaN, as ref::Clamp does.
    vst1q_f32(out + c + v * kLanes, vminq_f32(vmaxq_f32(r, lo), hi));
  }
}

// Channels [c, channels), fewer than 4.
inline void Tail(const DwConvF32Args& g, int64_t base, int64_t c, int32_t ky0, int32_t ky1,
                 int32_t kx0, int32_t kx1, float* out) {
  const int64_t c_n = g.channels;
  for (int64_t ch = c; ch < c_n; ++ch) {
    float acc = 0.0f;
    for (int32_t ky = ky0; ky < ky1; ++ky)
      for (int32_t kx = kx0; kx < kx1; ++kx) {
        const int64_t off = base + (int64_t{ky} * g.dilation_h * g.in_w +
                                    int64_t{kx} * g.dilation_w) * c_n + ch;
        acc = std::fma(g.input[off], g.filter[(int64_t{ky} * g.k_w + kx) * c_n + ch], acc);
      }
    const float v = acc + (g.bias ? g.bias[ch] : 0.0f);
    out[ch] = std::min(std::max(v, g.act_min), g.act_max);
  }
}

}  // namespace

void DwConvF32RunNeon(const DwConvF32Args& g, int64_t row_begin, int64_t row_end) {
  const int64_t c_n = g.channels;
  for (int64_t row = row_begin; row < row_end; ++row) {
    const int64_t b = row / g.out_h, oy = row % g.out_h;
    const int64_t iy0 = oy * g.stride_h - g.pad_top;
    int32_t ky0, ky1;
    ValidTaps(iy0, g.dilation_h, g.k_h, g.in_h, &ky0, &ky1);
    for (int64_t ox = 0; ox < g.out_w; ++ox) {
      const int64_t ix0 = ox * g.stride_w - g.pad_left;
      int32_t kx0, kx1;
      ValidTaps(ix0, g.dilation_w, g.k_w, g.in_w, &kx0, &kx1);
      float* out = g.output + ((b * g.out_h + oy) * g.out_w + ox) * c_n;
      // Offset of tap (0, 0), negative in the padding; only in-image taps are read.
      const int64_t base = ((b * g.in_h + iy0) * g.in_w + ix0) * c_n;
      int64_t c = 0;
      for (; c + 4 * kLanes <= c_n; c += 4 * kLanes) Block<4>(g, base, c, ky0, ky1, kx0, kx1, out);
      for (; c + kLanes <= c_n; c += kLanes) Block<1>(g, base, c, ky0, ky1, kx0, kx1, out);
      if (c < c_n) Tail(g, base, c, ky0, ky1, kx0, kx1, out);
    }
  }
}

}  // namespace kernels
}  // namespace edgelite
