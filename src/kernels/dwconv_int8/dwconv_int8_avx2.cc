// AVX2 variant of the 8-bit depthwise convolution: 8 channels per vector, up to 4 vectors per
// pass over the taps; channels past the last multiple of 8 are done by scalar code in the same
// pass (AVX2 has no byte-masked loads).
//
// Pixels whose taps all lie inside the image (most of them) take a faster pass: two taps at a
// time, their input bytes interleaved and widened to int16 pairs for one vpmaddwd against the
// plan's int16 tap-pair weights (16 products per instruction instead of vpmulld's 8), on the raw
// inputs with the input offset folded into the plan's interior bias (the same wrapping int32 sum).
#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "src/kernels/dwconv_int8/dwconv_int8.h"
#include "src/kernels/gemm_int8/requantize_avx2.h"

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

template <int V>
inline void Block(const DwPlan& p, const uint8_t* input, int64_t origin, const Taps& t,
                  int32_t c0, uint8_t* out) {
  const int32_t pc = p.padded_channels;
  __m256i acc[V];
  for (int v = 0; v < V; ++v)
    acc[v] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p.bias + c0 + 8 * v));
  const __m256i xo = _mm256_set1_epi32(p.input_offset);
  const bool u = p.unsigned_8bit;
  for (int32_t ky = t.ky0; ky < t.ky1; ++ky) {
    for (int32_t kx = t.kx0; kx < t.kx1; ++kx) {
      const uint8_t* in = input + (origin + TapOffset(p, ky, kx) + c0);
      const int32_t* w = p.weights + static_cast<size_t>(ky * p.k_w + kx) * pc + c0;
      for (int v = 0; v < V; ++v) {
        const __m128i bytes = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(in + 8 * v));
        const __m256i x =
            _mm256_add_epi32(u ? _mm256_cvtepu8_epi32(bytes) : _mm256_cvtepi8_epi32(bytes), xo);
        acc[v] = _mm256_add_epi32(
            acc[v], _mm256_mullo_epi32(
                        x, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + 8 * v))));
      }
    }
  }
  const __m256i lo = _mm256_set1_epi32(p.act_min - p.output_offset);
  const __m256i hi = _mm256_set1_epi32(p.act_max - p.output_offset);
  const __m256i off = _mm256_set1_epi32(p.output_offset);
  for (int v = 0; v < V; ++v) {
    const __m256i r = OutputStageAvx2(
        acc[v], _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p.multiplier + c0 + 8 * v)),
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p.shift + c0 + 8 * v)), lo, hi, off);
    Store8BytesAvx2(r, out + c0 + 8 * v, 8);
  }
}

// Channels [c0, channels): fewer than 8, scalar.
inline void Tail(const DwPlan& p, const uint8_t* input, int64_t origin, const Taps& t,
                 int32_t c0, uint8_t* out) {
  const int32_t pc = p.padded_channels;
  for (int32_t ch = c0; ch < p.channels; ++ch) {
    uint32_t acc = static_cast<uint32_t>(p.bias[ch]);
    for (int32_t ky = t.ky0; ky < t.ky1; ++ky)
      for (int32_t kx = t.kx0; kx < t.kx1; ++kx) {
        const uint8_t raw = input[origin + TapOffset(p, ky, kx) + ch];
        const int32_t x = (p.unsigned_8bit ? static_cast<int32_t>(raw)
                                           : static_cast<int32_t>(static_cast<int8_t>(raw))) +
                          p.input_offset;
        acc += static_cast<uint32_t>(x * p.weights[static_cast<size_t>(ky * p.k_w + kx) * pc + ch]);
      }
    const int32_t v = quant::MultiplyByQuantizedMultiplier(static_cast<int32_t>(acc),
                                                           p.multiplier[ch], p.shift[ch]);
    const int32_t lo = p.act_min - p.output_offset, hi = p.act_max - p.output_offset;
    out[ch] = static_cast<uint8_t>(std::min(std::max(v, lo), hi) + p.output_offset);
  }
}

// Most taps the tap-pair pass handles (its offsets live on the stack).
constexpr int32_t kMaxPairTaps = 64;

// The pair pass's blocks are inlined into the per-span loop (GCC 12 otherwise calls the 32-channel
// block out of line per pixel and the pass ran 1.5x slower).
#if defined(__GNUC__)
#define EL_DW_INLINE inline __attribute__((always_inline))
#else
#define EL_DW_INLINE inline
#endif

// What the pair pass reads of the plan, copied into locals of the span loop: the compiler can
// then keep them (and the vectors made from them) in registers across pixels, which it cannot do
// for fields of the plan, since the byte stores to the output may alias it.
struct PairCtx {
  const int16_t* w16;
  const int32_t *bias, *mult, *left, *right, *mask;
  int32_t pc, channels, offset, act_min, act_max;
};

// kPairs > 0: the number of tap pairs, fixed (3x3: 5), so that the loop unrolls and the tap
// offsets stay in registers; 0: `pairs` at run time.
template <int V, bool kUnsigned, bool kSaturate, int kPairs>
EL_DW_INLINE void PairBlock(const PairCtx& x, const uint8_t* in, const int64_t* offs,
                            int32_t pairs, int32_t c0, uint8_t* out) {
  const int32_t np = kPairs > 0 ? kPairs : pairs;
  __m256i acc[V];
  for (int v = 0; v < V; ++v)
    acc[v] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x.bias + c0 + 8 * v));
#pragma GCC unroll 8
  for (int32_t q = 0; q < np; ++q) {
    const uint8_t* i0 = in + (offs[2 * q] + c0);
    const uint8_t* i1 = in + (offs[2 * q + 1] + c0);
    const int16_t* w = x.w16 + (static_cast<size_t>(q) * x.pc + c0) * 2;
    for (int v = 0; v < V; ++v) {
      const __m128i b = _mm_unpacklo_epi8(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(i0 + 8 * v)),
                                          _mm_loadl_epi64(reinterpret_cast<const __m128i*>(i1 + 8 * v)));
      const __m256i x16 = kUnsigned ? _mm256_cvtepu8_epi16(b) : _mm256_cvtepi8_epi16(b);
      acc[v] = _mm256_add_epi32(
          acc[v], _mm256_madd_epi16(x16, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + 16 * v))));
    }
  }
  __m256i r[V];
  for (int v = 0; v < V; ++v) {
    const int32_t c = c0 + 8 * v;
    r[v] = RequantizeVecSplitAvx2<kSaturate>(
        acc[v], _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x.mult + c)),
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x.left + c)),
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x.right + c)),
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x.mask + c)));
  }
  if (V % 2 == 0) {
    for (int v = 0; v < V; v += 2)
      Store16BytesAvx2(r[v], r[v + 1], x.offset, x.act_min, x.act_max, kUnsigned,
                       out + c0 + 8 * v, 16);
  } else {
    const __m256i lo = _mm256_set1_epi32(x.act_min - x.offset);
    const __m256i hi = _mm256_set1_epi32(x.act_max - x.offset);
    const __m256i off = _mm256_set1_epi32(x.offset);
    for (int v = 0; v < V; ++v)
      Store8BytesAvx2(_mm256_add_epi32(_mm256_min_epi32(_mm256_max_epi32(r[v], lo), hi), off),
                      out + c0 + 8 * v, 8);
  }
}

// `count` consecutive pixels of one output row, all with their taps inside the image; `origin`
// is the first pixel's window origin (bytes into `input`). Channels past the last multiple of 8
// go through Tail.
template <bool kUnsigned, bool kSaturate, int kPairs>
void PairSpan(const DwPlan& p, const uint8_t* input, int64_t origin, const int64_t* offs,
              int32_t pairs, uint8_t* out, int32_t count) {
  const PairCtx x{p.weights16, p.interior_bias, p.multiplier, p.left_shift, p.right_shift,
                  p.round_mask, p.padded_channels, p.channels, p.output_offset, p.act_min,
                  p.act_max};
  // A local copy of the tap offsets for the fixed-count case (not aliased by the stores).
  int64_t fixed[2 * (kPairs > 0 ? kPairs : 1)];
  const int64_t* o = offs;
  if (kPairs > 0) {
    for (int i = 0; i < 2 * kPairs; ++i) fixed[i] = offs[i];
    o = fixed;
  }
  const int32_t c = x.channels;
  const int64_t step = static_cast<int64_t>(p.stride_w) * c;
  const Taps all{0, p.k_h, 0, p.k_w};
  for (int32_t i = 0; i < count; ++i, origin += step, out += c) {
    const uint8_t* in = input + origin;
    int32_t c0 = 0;
    for (; c0 + 32 <= c; c0 += 32) PairBlock<4, kUnsigned, kSaturate, kPairs>(x, in, o, pairs, c0, out);
    for (; c0 + 16 <= c; c0 += 16) PairBlock<2, kUnsigned, kSaturate, kPairs>(x, in, o, pairs, c0, out);
    for (; c0 + 8 <= c; c0 += 8) PairBlock<1, kUnsigned, kSaturate, kPairs>(x, in, o, pairs, c0, out);
    if (c0 < c) Tail(p, input, origin, all, c0, out);
  }
}

using SpanFn = void (*)(const DwPlan&, const uint8_t*, int64_t, const int64_t*, int32_t, uint8_t*,
                        int32_t);

template <int kPairs>
SpanFn SelectSpan(bool u, bool min_free) {
  return u ? (min_free ? PairSpan<true, false, kPairs> : PairSpan<true, true, kPairs>)
           : (min_free ? PairSpan<false, false, kPairs> : PairSpan<false, true, kPairs>);
}

}  // namespace

void DwAvx2(const DwPlan& p, const uint8_t* input, uint8_t* output, int64_t row_begin,
            int64_t row_end) {
  const int32_t c = p.channels;
  // Tap offsets (in bytes from the window origin) for the tap-pair pass; an odd count repeats
  // the last tap, whose partner weight is 0.
  const int32_t taps = p.k_h * p.k_w;
  const bool pairs_ok = p.weights16 != nullptr && taps <= kMaxPairTaps && c >= 8;
  int64_t offs[kMaxPairTaps + 1];
  const int32_t pairs = (taps + 1) / 2;
  // No multiplier is INT32_MIN (QuantizeMultiplier never makes it): SRDHM cannot saturate and
  // the requantization can skip that check.
  bool min_free = true;
  for (int32_t ch = 0; ch < c; ++ch) min_free = min_free && p.multiplier[ch] != INT32_MIN;
  if (pairs_ok) {
    for (int32_t ky = 0; ky < p.k_h; ++ky)
      for (int32_t kx = 0; kx < p.k_w; ++kx) offs[ky * p.k_w + kx] = TapOffset(p, ky, kx);
    offs[taps] = offs[taps - 1];
  }
  // Output columns whose windows lie horizontally inside the image: [ox_lo, ox_hi).
  int32_t ox_lo = 0, ox_hi = 0;
  if (pairs_ok) {
    ox_lo = (p.pad_left + p.stride_w - 1) / p.stride_w;  // ix0 >= 0
    // ix0 + (k_w - 1) * dilation_w <= in_w - 1
    const int32_t last = p.in_w - 1 - (p.k_w - 1) * p.dilation_w + p.pad_left;
    ox_hi = last < 0 ? 0 : std::min(p.out_w, last / p.stride_w + 1);
    ox_hi = std::max(ox_hi, ox_lo);
  }
  // 3x3 (the usual depthwise filter): a fixed count of 5 tap pairs.
  const SpanFn span = taps == 9 ? SelectSpan<5>(p.unsigned_8bit, min_free)
                                : SelectSpan<0>(p.unsigned_8bit, min_free);
  for (int64_t row = row_begin; row < row_end; ++row) {
    const int64_t b = row / p.out_h;
    const int32_t oy = static_cast<int32_t>(row % p.out_h);
    const int32_t iy0 = oy * p.stride_h - p.pad_top;
    Taps t;
    t.ky0 = iy0 >= 0 ? 0 : (-iy0 + p.dilation_h - 1) / p.dilation_h;
    t.ky1 = std::min(p.k_h, iy0 >= p.in_h ? 0 : (p.in_h - 1 - iy0) / p.dilation_h + 1);
    const bool row_inside = pairs_ok && t.ky0 == 0 && t.ky1 == p.k_h;
    for (int32_t ox = 0; ox < p.out_w; ++ox) {
      const int32_t ix0 = ox * p.stride_w - p.pad_left;
      if (row_inside && ox == ox_lo && ox_hi > ox_lo) {
        // The whole inside span at once (no per-pixel tap ranges).
        span(p, input, ((b * p.in_h + iy0) * p.in_w + ix0) * static_cast<int64_t>(c), offs, pairs,
             output + ((b * p.out_h + oy) * p.out_w + ox) * static_cast<int64_t>(c),
             ox_hi - ox_lo);
        ox = ox_hi - 1;
        continue;
      }
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
