// Portable float32 depthwise convolution (the scalar variant) and the start-up dispatch. The
// output row doubles as the accumulator, so the channel loops vectorize with plain -O2.
#include "src/kernels/dwconv/dwconv_f32.h"

#include <algorithm>

namespace edgelite {
namespace kernels {

void DwConvF32RunScalar(const DwConvF32Args& g, int64_t row_begin, int64_t row_end) {
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
      for (int64_t c = 0; c < c_n; ++c) out[c] = 0.0f;
      for (int32_t ky = ky0; ky < ky1; ++ky) {
        const int64_t iy = iy0 + int64_t{ky} * g.dilation_h;
        for (int32_t kx = kx0; kx < kx1; ++kx) {
          const int64_t ix = ix0 + int64_t{kx} * g.dilation_w;
          const float* in = g.input + ((b * g.in_h + iy) * g.in_w + ix) * c_n;
          const float* w = g.filter + (int64_t{ky} * g.k_w + kx) * c_n;
          for (int64_t c = 0; c < c_n; ++c) out[c] += in[c] * w[c];
        }
      }
      for (int64_t c = 0; c < c_n; ++c) {
        const float v = out[c] + (g.bias ? g.bias[c] : 0.0f);
        out[c] = std::min(std::max(v, g.act_min), g.act_max);
      }
    }
  }
}

const DwConvF32Kernel& SelectDwConvF32Kernel() {
  static const DwConvF32Kernel kScalar = {Isa::kScalar, DwConvF32RunScalar};
#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64)
  static const DwConvF32Kernel kAvx2 = {Isa::kAvx2, DwConvF32RunAvx2};
  static const DwConvF32Kernel kAvx512 = {Isa::kAvx512, DwConvF32RunAvx512};
  const Isa isa = ActiveIsa();
  if (isa == Isa::kAvx512) return kAvx512;
  if (isa == Isa::kAvx2) return kAvx2;
#elif defined(__aarch64__)
  static const DwConvF32Kernel kNeon = {Isa::kNeon, DwConvF32RunNeon};
  if (ActiveIsa() == Isa::kNeon) return kNeon;
#endif
  return kScalar;
}

}  // namespace kernels
}  // namespace edgelite
