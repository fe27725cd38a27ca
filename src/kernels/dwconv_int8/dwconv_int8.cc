// Portable part of the 8-bit depthwise convolution: plan setup, the scalar variant, dispatch.
#include "src/kernels/dwconv_int8/dwconv_int8.h"

#include <algorithm>

#include "src/base/cpu_features.h"
#include "src/quant/fixed_point.h"

namespace edgelite {
namespace kernels {
namespace dwconv_int8 {

size_t DwPersistentBytes(int32_t channels, int32_t k_h, int32_t k_w) {
  const size_t pc = static_cast<size_t>((channels + kChannelBlock - 1) / kChannelBlock) *
                    kChannelBlock;
  const size_t taps = static_cast<size_t>(k_h) * k_w;
  // int32 weights, seven per-channel arrays, int16 tap pairs (two int16 per int32 slot).
  return (taps + 7 + (taps + 1) / 2) * pc * sizeof(int32_t);
}

void DwPreparePlan(const uint8_t* filter, int32_t weights_zero_point, const int32_t* bias,
                   const int32_t* multiplier, const int32_t* shift, void* persistent,
                   DwPlan* plan) {
  const int32_t c = plan->channels;
  const int32_t pc = (c + kChannelBlock - 1) / kChannelBlock * kChannelBlock;
  plan->padded_channels = pc;
  const int32_t taps = plan->k_h * plan->k_w;
  auto* w = static_cast<int32_t*>(persistent);
  int32_t* b = w + static_cast<size_t>(taps) * pc;
  int32_t* m = b + pc;
  int32_t* s = m + pc;
  for (int32_t t = 0; t < taps; ++t)
    for (int32_t ch = 0; ch < pc; ++ch) {
      int32_t v = 0;
      if (ch < c) {
        const uint8_t raw = filter[static_cast<size_t>(t) * c + ch];
        v = (plan->unsigned_8bit ? static_cast<int32_t>(raw)
                                 : static_cast<int32_t>(static_cast<int8_t>(raw))) -
            weights_zero_point;
      }
      w[static_cast<size_t>(t) * pc + ch] = v;
    }
  int32_t* ib = s + pc;
  int32_t* left = ib + pc;
  int32_t* right = left + pc;
  int32_t* mask = right + pc;
  auto* w16 = reinterpret_cast<int16_t*>(mask + pc);
  for (int32_t ch = 0; ch < pc; ++ch) {
    b[ch] = (ch < c && bias) ? bias[ch] : 0;
    m[ch] = ch < c ? multiplier[ch] : 0;
    s[ch] = ch < c ? shift[ch] : 0;
    uint32_t sum = 0;
    for (int32_t t = 0; t < taps; ++t) sum += static_cast<uint32_t>(w[static_cast<size_t>(t) * pc + ch]);
    ib[ch] = static_cast<int32_t>(static_cast<uint32_t>(b[ch]) +
                                  static_cast<uint32_t>(plan->input_offset) * sum);
    left[ch] = s[ch] > 0 ? s[ch] : 0;
    right[ch] = s[ch] > 0 ? 0 : -s[ch];
    mask[ch] = static_cast<int32_t>((int64_t{1} << right[ch]) - 1);
  }
  // |w - zero point| <= 255: every weight fits int16.
  const int32_t pairs = (taps + 1) / 2;
  for (int32_t q = 0; q < pairs; ++q)
    for (int32_t ch = 0; ch < pc; ++ch)
      for (int32_t j = 0; j < 2; ++j) {
        const int32_t t = 2 * q + j;
        w16[(static_cast<size_t>(q) * pc + ch) * 2 + j] =
            t < taps ? static_cast<int16_t>(w[static_cast<size_t>(t) * pc + ch]) : int16_t{0};
      }
  plan->weights = w;
  plan->bias = b;
  plan->multiplier = m;
  plan->shift = s;
  plan->interior_bias = ib;
  plan->left_shift = left;
  plan->right_shift = right;
  plan->round_mask = mask;
  plan->weights16 = w16;
}

void DwScalar(const DwPlan& p, const uint8_t* input, uint8_t* output, int64_t row_begin,
              int64_t row_end) {
  const int32_t c = p.channels, pc = p.padded_channels;
  const int32_t lo = p.act_min - p.output_offset, hi = p.act_max - p.output_offset;
  uint32_t acc[kChannelBlock];
  for (int64_t row = row_begin; row < row_end; ++row) {
    const int64_t b = row / p.out_h;
    const int32_t oy = static_cast<int32_t>(row % p.out_h);
    for (int32_t ox = 0; ox < p.out_w; ++ox) {
      uint8_t* out = output + ((b * p.out_h + oy) * p.out_w + ox) * c;
      for (int32_t c0 = 0; c0 < c; c0 += kChannelBlock) {
        const int32_t cn = std::min(kChannelBlock, c - c0);
        for (int32_t j = 0; j < kChannelBlock; ++j) acc[j] = static_cast<uint32_t>(p.bias[c0 + j]);
        for (int32_t ky = 0; ky < p.k_h; ++ky) {
          const int32_t iy = oy * p.stride_h - p.pad_top + ky * p.dilation_h;
          if (iy < 0 || iy >= p.in_h) continue;
          for (int32_t kx = 0; kx < p.k_w; ++kx) {
            const int32_t ix = ox * p.stride_w - p.pad_left + kx * p.dilation_w;
            if (ix < 0 || ix >= p.in_w) continue;
            const uint8_t* in = input + ((b * p.in_h + iy) * p.in_w + ix) * c + c0;
            const int32_t* w = p.weights + static_cast<size_t>(ky * p.k_w + kx) * pc + c0;
            for (int32_t j = 0; j < cn; ++j) {
              const int32_t xv = (p.unsigned_8bit ? static_cast<int32_t>(in[j])
                                                  : static_cast<int32_t>(static_cast<int8_t>(in[j]))) +
                                 p.input_offset;
              acc[j] += static_cast<uint32_t>(xv * w[j]);
            }
          }
        }
        for (int32_t j = 0; j < cn; ++j) {
          const int32_t v = quant::MultiplyByQuantizedMultiplier(
              static_cast<int32_t>(acc[j]), p.multiplier[c0 + j], p.shift[c0 + j]);
          out[c0 + j] = static_cast<uint8_t>(std::min(std::max(v, lo), hi) + p.output_offset);
        }
      }
    }
  }
}

DwFn SelectDw() {
#if defined(__x86_64__) || defined(_M_X64)
  const Isa isa = ActiveIsa();
  if (isa == Isa::kAvx512) return DwAvx512;
  if (isa == Isa::kAvx2) return DwAvx2;
#elif defined(__aarch64__)
  if (ActiveIsa() == Isa::kNeon) return DwNeon;
#endif
  return DwScalar;
}

const char* SelectedDwName() {
  const DwFn f = SelectDw();
  (void)f;  // only the x86 variants are named below
#if defined(__x86_64__) || defined(_M_X64)
  if (f == DwAvx512) return "avx512";
  if (f == DwAvx2) return "avx2";
#elif defined(__aarch64__)
  if (f == DwNeon) return "neon";
#endif
  return "scalar";
}

}  // namespace dwconv_int8
}  // namespace kernels
}  // namespace edgelite
