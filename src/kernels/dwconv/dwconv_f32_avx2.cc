// Float32 depthwise convolution, AVX2 + FMA: 8 channels per vector, four vectors (32 channels)
// in flight per output pixel so that the FMA chains over the taps overlap; masked tail. 3x3
// filters on rows with all taps inside the image compute 4 output pixels at a time, sharing
// each weight load (Row3x3).
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

// 3x3 filters, rows whose three taps are inside the image: 4 output pixels at a time, and for
// each vector of 8 channels the 9 weights are loaded once for the 4 pixels (4 independent FMA
// chains, 1.25 loads per FMA instead of 2). The taps are summed in the same order (ky, kx) with
// the same FMAs as Block, then the bias: identical results. Channels [0, c_full).
inline void Row3x3(const DwConvF32Args& g, int64_t b, int64_t iy0, int64_t ox_begin,
                   int64_t ox_end, int64_t c_full, float* out_row) {
  const int64_t c_n = g.channels;
  const __m256 lo = _mm256_set1_ps(g.act_min), hi = _mm256_set1_ps(g.act_max);
  const int64_t row_step = int64_t{g.dilation_h} * g.in_w * c_n;
  const int64_t tap_step = int64_t{g.dilation_w} * c_n;
  const int64_t px_step = int64_t{g.stride_w} * c_n;
  auto finish = [&](__m256 acc, int64_t ox, int64_t c) {
    const __m256 r = g.bias ? _mm256_add_ps(acc, _mm256_loadu_ps(g.bias + c)) : acc;
    _mm256_storeu_ps(out_row + ox * c_n + c, _mm256_min_ps(hi, _mm256_max_ps(lo, r)));
  };
  int64_t ox = ox_begin;
  for (; ox + 4 <= ox_end; ox += 4) {
    const float* in0 = g.input + ((b * g.in_h + iy0) * g.in_w + ox * g.stride_w - g.pad_left) * c_n;
    for (int64_t c = 0; c < c_full; c += kLanes) {
      const float* in = in0 + c;
      const float* wp = g.filter + c;
      __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
#pragma GCC unroll 3
      for (int ky = 0; ky < 3; ++ky) {
#pragma GCC unroll 3
        for (int kx = 0; kx < 3; ++kx) {
          const float* p = in + ky * row_step + kx * tap_step;
          const __m256 wt = _mm256_loadu_ps(wp + (ky * 3 + kx) * c_n);
          a0 = _mm256_fmadd_ps(_mm256_loadu_ps(p), wt, a0);
          a1 = _mm256_fmadd_ps(_mm256_loadu_ps(p + px_step), wt, a1);
          a2 = _mm256_fmadd_ps(_mm256_loadu_ps(p + 2 * px_step), wt, a2);
          a3 = _mm256_fmadd_ps(_mm256_loadu_ps(p + 3 * px_step), wt, a3);
        }
      }
      finish(a0, ox, c);
      finish(a1, ox + 1, c);
      finish(a2, ox + 2, c);
      finish(a3, ox + 3, c);
    }
  }
  for (; ox < ox_end; ++ox) {
    const float* in0 = g.input + ((b * g.in_h + iy0) * g.in_w + ox * g.stride_w - g.pad_left) * c_n;
    for (int64_t c = 0; c < c_full; c += kLanes) {
      __m256 a0 = _mm256_setzero_ps();
      for (int ky = 0; ky < 3; ++ky)
        for (int kx = 0; kx < 3; ++kx)
          a0 = _mm256_fmadd_ps(_mm256_loadu_ps(in0 + c + ky * row_step + kx * tap_step),
                               _mm256_loadu_ps(g.filter + (ky * 3 + kx) * c_n + c), a0);
      finish(a0, ox, c);
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
    if (g.k_h == 3 && g.k_w == 3 && ky0 == 0 && ky1 == 3 && c_n >= kLanes) {
      // Output columns whose three horizontal taps are all inside the image.
      int64_t ox_lo = 0, ox_hi = g.out_w;
      while (ox_lo < ox_hi && ox_lo * g.stride_w - g.pad_left < 0) ++ox_lo;
      while (ox_hi > ox_lo &&
             (ox_hi - 1) * g.stride_w - g.pad_left + 2 * int64_t{g.dilation_w} >= g.in_w)
        --ox_hi;
      if (ox_hi - ox_lo >= 4) {
        float* out_row = g.output + (b * g.out_h + oy) * g.out_w * c_n;
        const int64_t c_full = c_n / kLanes * kLanes;
        Row3x3(g, b, iy0, ox_lo, ox_hi, c_full, out_row);
        // The border columns (all channels) and the channel tail (interior columns) by Block.
        const __m256i full = _mm256_set1_epi32(-1);
        auto generic = [&](int64_t ox, int64_t c_begin) {
          const int64_t ix0 = ox * g.stride_w - g.pad_left;
          int32_t kx0, kx1;
          ValidTaps(ix0, g.dilation_w, g.k_w, g.in_w, &kx0, &kx1);
          float* out = out_row + ox * c_n;
          const int64_t base = ((b * g.in_h + iy0) * g.in_w + ix0) * c_n;
          int64_t c = c_begin;
          for (; c + kLanes <= c_n; c += kLanes)
            Block<1, false>(g, base, c, ky0, ky1, kx0, kx1, full, out);
          if (c < c_n) Block<1, true>(g, base, c, ky0, ky1, kx0, kx1, FirstLanes(c_n - c), out);
        };
        for (int64_t ox = 0; ox < ox_lo; ++ox) generic(ox, 0);
        for (int64_t ox = ox_hi; ox < g.out_w; ++ox) generic(ox, 0);
        if (c_full < c_n)
          for (int64_t ox = ox_lo; ox < ox_hi; ++ox) generic(ox, c_full);
        continue;
      }
    }
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
