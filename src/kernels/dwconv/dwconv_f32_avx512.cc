// Float32 depthwise convolution, AVX-512F: 16 channels per vector, four vectors (64 channels)
// in flight per output pixel so that the FMA chains over the taps overlap; masked tail.
#include <immintrin.h>

#include <type_traits>

#include "src/kernels/dwconv/dwconv_f32.h"

namespace edgelite {
namespace kernels {
namespace {

constexpr int kLanes = 16;

template <int kVecs>
inline void Block(const DwConvF32Args& g, int64_t base, int64_t c, int32_t ky0, int32_t ky1, int32_t kx0, int32_t kx1, __mmask16 tail,
                  float* out) {
  __m512 acc[kVecs];
#pragma GCC unroll 4
  for (int v = 0; v < kVecs; ++v) acc[v] = _mm512_setzero_ps();
  const int64_t c_n = g.channels;
  for (int32_t ky = ky0; ky < ky1; ++ky) {
    const int64_t in_row = base + int64_t{ky} * g.dilation_h * g.in_w * c_n + c;
    const float* w_row = g.filter + int64_t{ky} * g.k_w * c_n + c;
    for (int32_t kx = kx0; kx < kx1; ++kx) {
      const float* in = g.input + (in_row + int64_t{kx} * g.dilation_w * c_n);
      const float* w = w_row + int64_t{kx} * c_n;
#pragma GCC unroll 4
      for (int v = 0; v < kVecs; ++v) {
        const bool last = v == kVecs - 1;
        const __m512 x = last ? _mm512_maskz_loadu_ps(tail, in + v * kLanes)
                              : _mm512_loadu_ps(in + v * kLanes);
        const __m512 f = last ? _mm512_maskz_loadu_ps(tail, w + v * kLanes)
                              : _mm512_loadu_ps(w + v * kLanes);
        acc[v] = _mm512_fmadd_ps(x, f, acc[v]);
      }
    }
  }
  const __m512 lo = _mm512_set1_ps(g.act_min), hi = _mm512_set1_ps(g.act_max);
#pragma GCC unroll 4
  for (int v = 0; v < kVecs; ++v) {
    const __mmask16 m = v == kVecs - 1 ? tail : static_cast<__mmask16>(0xFFFF);
    __m512 r = acc[v];
    if (g.bias) r = _mm512_add_ps(r, _mm512_maskz_loadu_ps(m, g.bias + c + v * kLanes));
    // max(lo, x) / min(hi, x) return x when x is NaN, as ref::Clamp does.
    r = _mm512_min_ps(hi, _mm512_max_ps(lo, r));
    _mm512_mask_storeu_ps(out + c + v * kLanes, m, r);
  }
}

}  // namespace

void DwConvF32RunAvx512(const DwConvF32Args& g, int64_t row_begin, int64_t row_end) {
  const int64_t c_n = g.channels;
  for (int64_t row = row_begin; row < row_end; ++row) {
    const int64_t b = row / g.out_h, oy = row % g.out_h;
    const int64_t iy0 = oy * g.stride_h - g.pad_top;
    int32_t ky0, ky1;
    ValidTaps(iy0, g.dilation_h, g.k_h, g.in_h, &ky0, &ky1);
    // Channel blocks outside, output columns inside: the input rows of one channel block
    // (k_h rows x in_w pixels x 4 vectors) stay in L1 while the window slides along the row.
    const __mmask16 full = static_cast<__mmask16>(0xFFFF);
    auto pixel_loop = [&](int64_t c, auto vecs, __mmask16 mask) {
      constexpr int kV = decltype(vecs)::value;
      for (int64_t ox = 0; ox < g.out_w; ++ox) {
        const int64_t ix0 = ox * g.stride_w - g.pad_left;
        int32_t kx0, kx1;
        ValidTaps(ix0, g.dilation_w, g.k_w, g.in_w, &kx0, &kx1);
        float* out = g.output + ((b * g.out_h + oy) * g.out_w + ox) * c_n;
        // Offset of tap (0, 0), negative in the padding; only in-image taps are read.
        const int64_t base = ((b * g.in_h + iy0) * g.in_w + ix0) * c_n;
        Block<kV>(g, base, c, ky0, ky1, kx0, kx1, mask, out);
      }
    };
    int64_t c = 0;
    for (; c + 4 * kLanes <= c_n; c += 4 * kLanes)
      pixel_loop(c, std::integral_constant<int, 4>(), full);
    for (; c + kLanes <= c_n; c += kLanes) pixel_loop(c, std::integral_constant<int, 1>(), full);
    if (c < c_n) pixel_loop(c, std::integral_constant<int, 1>(), static_cast<__mmask16>((1u << (c_n - c)) - 1));
  }
}

}  // namespace kernels
}  // namespace edgelite
