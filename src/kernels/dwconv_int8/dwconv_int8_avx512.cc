// AVX-512 variant of the 8-bit depthwise convolution: 16 channels per vector, up to 4 vectors per
// pass over the taps (independent accumulators hide the multiply latency); masked loads/stores
// for the channel tail, so no byte outside the tensors is touched.
#if defined(EDGELITE_EMULATE_AVX512)
#include "tests/kernels/avx512_emulation.h"  // tests only: SIMDe on CPUs without AVX-512
#else
#include <immintrin.h>
#endif

#include <algorithm>

#include "src/kernels/dwconv_int8/dwconv_int8.h"
#include "src/kernels/gemm_int8/requantize_avx512.h"

namespace edgelite {
namespace kernels {
namespace dwconv_int8 {
namespace {

struct Taps {
  int32_t ky0, ky1, kx0, kx1;  // in-image tap range [k0, k1)
};

inline __m512i Widen(__m128i bytes, bool is_unsigned) {
  return is_unsigned ? _mm512_cvtepu8_epi32(bytes) : _mm512_cvtepi8_epi32(bytes);
}

template <int V>
inline void Block(const DwPlan& p, const uint8_t* input, int64_t origin, const Taps& t, int32_t c0,
                  int32_t cn, uint8_t* out) {
  const int32_t pc = p.padded_channels, c = p.channels;
  __m512i acc[V];
  __mmask16 mask[V];
  for (int v = 0; v < V; ++v) {
    acc[v] = _mm512_loadu_si512(p.bias + c0 + 16 * v);
    const int32_t left = cn - 16 * v;
    mask[v] = static_cast<__mmask16>(left >= 16 ? 0xFFFFu : (left > 0 ? (1u << left) - 1u : 0u));
  }
  const __m512i xo = _mm512_set1_epi32(p.input_offset);
  const bool u = p.unsigned_8bit;
  for (int32_t ky = t.ky0; ky < t.ky1; ++ky) {
    for (int32_t kx = t.kx0; kx < t.kx1; ++kx) {
      const uint8_t* in =
          input + (origin +
                   (static_cast<int64_t>(ky) * p.dilation_h * p.in_w + kx * p.dilation_w) * c + c0);
      const int32_t* w = p.weights + static_cast<size_t>(ky * p.k_w + kx) * pc + c0;
      for (int v = 0; v < V; ++v) {
        const __m512i x =
            _mm512_add_epi32(Widen(_mm_maskz_loadu_epi8(mask[v], in + 16 * v), u), xo);
        acc[v] = _mm512_add_epi32(acc[v], _mm512_mullo_epi32(x, _mm512_loadu_si512(w + 16 * v)));
      }
    }
  }
  const __m512i lo = _mm512_set1_epi32(p.act_min - p.output_offset);
  const __m512i hi = _mm512_set1_epi32(p.act_max - p.output_offset);
  const __m512i off = _mm512_set1_epi32(p.output_offset);
  for (int v = 0; v < V; ++v) {
    const __m512i r =
        OutputStageAvx512(acc[v], _mm512_loadu_si512(p.multiplier + c0 + 16 * v),
                          _mm512_loadu_si512(p.shift + c0 + 16 * v), lo, hi, off);
    _mm512_mask_cvtepi32_storeu_epi8(out + c0 + 16 * v, mask[v], r);
  }
}

}  // namespace

void DwAvx512(const DwPlan& p, const uint8_t* input, uint8_t* output, int64_t row_begin,
              int64_t row_end) {
  const int32_t c = p.channels;
  for (int64_t row = row_begin; row < row_end; ++row) {
    const int64_t b = row / p.out_h;
    const int32_t oy = static_cast<int32_t>(row % p.out_h);
    const int32_t iy0 = oy * p.stride_h - p.pad_top;
    Taps t;
    // First/last tap inside the image: iy0 + ky * dilation in [0, in_h).
    t.ky0 = iy0 >= 0 ? 0 : (-iy0 + p.dilation_h - 1) / p.dilation_h;
    t.ky1 = std::min(p.k_h, iy0 >= p.in_h ? 0 : (p.in_h - 1 - iy0) / p.dilation_h + 1);
    for (int32_t ox = 0; ox < p.out_w; ++ox) {
      const int32_t ix0 = ox * p.stride_w - p.pad_left;
      t.kx0 = ix0 >= 0 ? 0 : (-ix0 + p.dilation_w - 1) / p.dilation_w;
      t.kx1 = std::min(p.k_w, ix0 >= p.in_w ? 0 : (p.in_w - 1 - ix0) / p.dilation_w + 1);
      // Offset of the (possibly outside) tap (0, 0); only in-image taps form pointers.
      const int64_t origin = ((b * p.in_h + iy0) * p.in_w + ix0) * static_cast<int64_t>(c);
      uint8_t* out = output + ((b * p.out_h + oy) * p.out_w + ox) * static_cast<int64_t>(c);
      int32_t c0 = 0;
      for (; c0 + 64 <= c; c0 += 64) Block<4>(p, input, origin, t, c0, 64, out);
      for (; c0 < c; c0 += 16) Block<1>(p, input, origin, t, c0, c - c0, out);
    }
  }
}

}  // namespace dwconv_int8
}  // namespace kernels
}  // namespace edgelite
