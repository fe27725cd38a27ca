// AArch64 NEON variant of the 8-bit depthwise convolution: 8 channels per step (one 8-byte load
// widened to two int32x4), up to 32 channels per pass over the taps; MLA accumulates
// (x + input_offset) * (w - zw) with int32 wrap-around like the reference, then the NEON
// requantization (requantize_neon.h). Channels past the last multiple of 8 use scalar code in
// the same pass.
#include <arm_neon.h>

#include <algorithm>

#include "src/kernels/dwconv_int8/dwconv_int8.h"
#include "src/kernels/gemm_int8/requantize_neon.h"

namespace edgelite {
namespace kernels {
namespace dwconv_int8 {
namespace {

struct Taps {
  int32_t ky0, ky1, kx0, kx1;
};

inline int64_t TapOffset(const DwPlan& p, int32_t ky, int32_t kx) {
  return (static_cast<int64_t>(ky) * p.dilation_h * p.in_w + kx * p.dilation_w) * p.channels;
}

// V groups of 8 channels starting at c0.
template <int V>
inline void Block(const DwPlan& p, const uint8_t* input, int64_t origin, const Taps& t,
                  int32_t c0, uint8_t* out) {
  const int32_t pc = p.padded_channels;
  int32x4_t acc[2 * V];
  for (int v = 0; v < 2 * V; ++v) acc[v] = vld1q_s32(p.bias + c0 + 4 * v);
  const int32x4_t xo = vdupq_n_s32(p.input_offset);
  const bool u = p.unsigned_8bit;
  for (int32_t ky = t.ky0; ky < t.ky1; ++ky) {
    for (int32_t kx = t.kx0; kx < t.kx1; ++kx) {
      const uint8_t* in = input + (origin + TapOffset(p, ky, kx) + c0);
      const int32_t* w = p.weights + static_cast<size_t>(ky * p.k_w + kx) * pc + c0;
      for (int v = 0; v < V; ++v) {
        const uint8x8_t bytes = vld1_u8(in + 8 * v);
        // Both widenings are exact in int16; the input offset is added in int32.
        const int16x8_t x16 = u ? vreinterpretq_s16_u16(vmovl_u8(bytes))
                                : vmovl_s8(vreinterpret_s8_u8(bytes));
        const int32x4_t x0 = vaddq_s32(vmovl_s16(vget_low_s16(x16)), xo);
        const int32x4_t x1 = vaddq_s32(vmovl_high_s16(x16), xo);
        acc[2 * v] = vmlaq_s32(acc[2 * v], x0, vld1q_s32(w + 8 * v));
        acc[2 * v + 1] = vmlaq_s32(acc[2 * v + 1], x1, vld1q_s32(w + 8 * v + 4));
      }
    }
  }
  const int32x4_t lo = vdupq_n_s32(p.act_min - p.output_offset);
  const int32x4_t hi = vdupq_n_s32(p.act_max - p.output_offset);
  const int32x4_t off = vdupq_n_s32(p.output_offset);
  for (int v = 0; v < V; ++v) {
    int32x4_t r[2];
    for (int h = 0; h < 2; ++h) {
      const int32_t cc = c0 + 8 * v + 4 * h;
      r[h] = OutputStageNeon(acc[2 * v + h], vld1q_s32(p.multiplier + cc), vld1q_s32(p.shift + cc),
                             lo, hi, off);
    }
    Store8BytesNeon(r[0], r[1], out + c0 + 8 * v);
  }
}

// Channels [c0, channels): fewer than 8, scalar.
inline void Tail(const DwPlan& p, const uint8_t* input, int64_t origin, const Taps& t,
                 int32_t c0, uint8_t* out) {
  const int32_t pc = p.padded_channels;
  const int32_t lo = p.act_min - p.output_offset, hi = p.act_max - p.output_offset;
  for (int32_t ch = c0; ch < p.channels; ++ch) {
    uint32_t acc = static_cast<uint32_t>(p.bias[ch]);
    for (int32_t ky = t.ky0; ky < t.ky1; ++ky)
      for (int32_t kx = t.kx0; kx < t.kx1; ++kx) {
        const uint8_t raw = input[origin + TapOffset(p, ky, kx) + ch];
        const int32_t x = (p.unsigned_8bit ? static_cast<int32_t>(raw)
                                           : static_cast<int32_t>(static_cast<int8_t>(raw))) +
                          p.input_offset;
        acc += static_cast<uint32_t>(x) *
               static_cast<uint32_t>(p.weights[static_cast<size_t>(ky * p.k_w + kx) * pc + ch]);
      }
    const int32_t v = quant::MultiplyByQuantizedMultiplier(static_cast<int32_t>(acc),
                                                           p.multiplier[ch], p.shift[ch]);
    out[ch] = static_cast<uint8_t>(std::min(std::max(v, lo), hi) + p.output_offset);
  }
}

}  // namespace

void DwNeon(const DwPlan& p, const uint8_t* input, uint8_t* output, int64_t row_begin,
            int64_t row_end) {
  const int32_t c = p.channels;
  for (int64_t row = row_begin; row < row_end; ++row) {
    const int64_t b = row / p.out_h;
    const int32_t oy = static_cast<int32_t>(row % p.out_h);
    const int32_t iy0 = oy * p.stride_h - p.pad_top;
    Taps t;
    t.ky0 = iy0 >= 0 ? 0 : (-iy0 + p.dilation_h - 1) / p.dilation_h;
    t.ky1 = std::min(p.k_h, iy0 >= p.in_h ? 0 : (p.in_h - 1 - iy0) / p.dilation_h + 1);
    for (int32_t ox = 0; ox < p.out_w; ++ox) {
      const int32_t ix0 = ox * p.stride_w - p.pad_left;
      t.kx0 = ix0 >= 0 ? 0 : (-ix0 + p.dilation_w - 1) / p.dilation_w;
      t.kx1 = std::min(p.k_w, ix0 >= p.in_w ? 0 : (p.in_w - 1 - ix0) / p.dilation_w + 1);
      const int64_t origin = ((b * p.in_h + iy0) * p.in_w + ix0) * static_cast<int64_t>(c);
      uint8_t* out = output + ((b * p.out_h + oy) * p.out_w + ox) * static_cast<int64_t>(c);
      int32_t c0 = 0;
      for (; c0 + 32 <= c; c0 += 32) Block<4>(p, input, origin, t, c0, out);
      for (; c0 + 8 <= c; c0 += 8) Block<1>(p, input, origin, t, c0, out);
      if (c0 < c) Tail(p, input, origin, t, c0, out);
    }
  }
}

}  // namespace dwconv_int8
}  // namespace kernels
}  // namespace edgelite
