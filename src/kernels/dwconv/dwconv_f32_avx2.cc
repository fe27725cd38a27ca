// Float32 depthwise convolution, AVX2 + FMA: 8 channels per vector, four vectors (32 channels)
// in flight per output pixel so that the FMA chains over the taps overlap; masked tail.
#include <immintrin.h>

#include <type_traits>

#include "src/kernels/dwconv/dwconv_f32.h"

namespace edgelite {
namespace kernels {
namespace {

constexpr int kLanes = 8;

// Lane mask for the first `n` of 8 lanes (n in 0..8).
inline __m256i FirstLanes(int64_t n) {
  const __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int32_t>(n)), idx);
}

// kMasked: the last vector is a partial one (loads and stores through `tail`). Full blocks use
// plain loads and stores: VMASKMOVPS is slow on some cores (microcoded stores on AMD Zen).
template <int kVecs, bool kMasked>
inline void Block(const DwConvF32Args& g, int64_t base, int64_t c, int32_t ky0, int32_t ky1,
                  int32_t kx0, int32_t kx1, __m256i tail, float* out) {
  __m256 acc[kVecs];
#pragma GCC unroll 4
  for (int v = 0; v < kVecs; ++v) acc[v] = _mm256_setzero_ps();
  const int64_t c_n = g.channels;
  for (int32_t ky = ky0; ky < ky1; ++ky) {
    const int64_t in_row = base + int64_t{ky} * g.dilation_h * g.in_w * c_n + c;
    const float* w_row = g.filter + int64_t{ky} * g.k_w * c_n + c;
    for (int32_t kx = kx0; kx < kx1; ++kx) {
      const float* in = g.input + (in_row + int64_t{kx} * g.dilation_w * c_n);
      const float* w = w_row + int64_t{kx} * c_n;
#pragma GCC unroll 4
      for (int v = 0; v < kVecs; ++v) {
        const bool last = kMasked && v == kVecs - 1;
        const __m256 x = last ? _mm256_maskload_ps(in + v * kLanes, tail)
                              : _mm256_loadu_ps(in + v * kLanes);
        const __m256 f = last ? _mm256_maskload_ps(w + v * kLanes, tail)
                              : _mm256_loadu_ps(w + v * kLanes);
        acc[v] = _mm256_fmadd_ps(x, f, acc[v]);
      }
    }
  }
  const __m256 lo = _mm256_set1_ps(g.act_min), hi = _mm256_set1_ps(g.act_max);
#pragma GCC unroll 4
  for (int v = 0; v < kVecs; ++v) {
    const bool last = kMasked && v == kVecs - 1;
    __m256 r = acc[v];
    if (g.bias) {
      r = _mm256_add_ps(r, last ? _mm256_maskload_ps(g.bias + c + v * kLanes, tail)
                                : _mm256_loadu_ps(g.bias + c + v * kLanes));
    }
    // max(lo, x) / min(hi, x) return x when x is NaN, as ref::Clamp does.
    r = _mm256_min_ps(hi, _mm256_max_ps(lo, r));
    if (last) {
      _mm256_maskstore_ps(out + c + v * kLanes, tail, r);
    } else {
      _mm256_storeu_ps(out + c + v * kLanes, r);
    }
  }
}

}  // namespace

void DwConvF32RunAvx2(const DwConvF32Args& g, int64_t row_begin, int64_t row_end) {
  const int64_t c_n = g.channels;
  for (int64_t row = row_begin; row < row_end; ++row) {
    const int64_t b = row / g.out_h, oy = row % g.out_h;
    const int64_t iy0 = oy * g.stride_h - g.pad_top;
    int32_t ky0, ky1;
    ValidTaps(iy0, g.dilation_h, g.k_h, g.in_h, &ky0, &ky1);
    // Channel blocks outside, output columns inside: the input rows of one channel block
    // (k_h rows x in_w pixels x 4 vectors) stay in L1 while the window slides along the row.
    const __m256i full = _mm256_set1_epi32(-1);
    auto pixel_loop = [&](int64_t c, auto vecs, auto masked, __m256i mask) {
      constexpr int kV = decltype(vecs)::value;
      constexpr bool kM = decltype(masked)::value;
      for (int64_t ox = 0; ox < g.out_w; ++ox) {
        const int64_t ix0 = ox * g.stride_w - g.pad_left;
        int32_t kx0, kx1;
        ValidTaps(ix0, g.dilation_w, g.k_w, g.in_w, &kx0, &kx1);
        float* out = g.output + ((b * g.out_h + oy) * g.out_w + ox) * c_n;
        // Offset of tap (0, 0), negative in the padding; only in-image taps are read.
        const int64_t base = ((b * g.in_h + iy0) * g.in_w + ix0) * c_n;
        Block<kV, kM>(g, base, c, ky0, ky1, kx0, kx1, mask, out);
      }
    };
    int64_t c = 0;
    for (; c + 4 * kLanes <= c_n; c += 4 * kLanes)
      pixel_loop(c, std::integral_constant<int, 4>(), std::false_type(), full);
    for (; c + kLanes <= c_n; c += kLanes)
      pixel_loop(c, std::integral_constant<int, 1>(), std::false_type(), full);
    if (c < c_n)
      pixel_loop(c, std::integral_constant<int, 1>(), std::true_type(), FirstLanes(c_n - c));
  }
}

}  // namespace kernels
}  // namespace edgelite
