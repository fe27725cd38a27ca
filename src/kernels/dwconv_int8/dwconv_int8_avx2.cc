// AVX2 variant of the 8-bit depthwise convolution: 8 channels per vector, up to 4 vectors per
// pass over the taps; channels past the last multiple of 8 are done by scalar code in the same
// pass (AVX2 has no byte-masked loads). Interior pixels of filters with up to 9 taps take the
// tap-pair path (vpmaddwd on two taps' interleaved int16 inputs, 16 channels per step).
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

// Pairs of taps through vpmaddwd (interior pixels, filters of up to kMaxPairTaps taps): the
// inputs of two taps are interleaved as int16 and multiplied with the two taps' weights in one
// instruction. Exact: |x - zx| and |w - zw| are at most 255, so a pair sums to at most
// 2 * 255 * 255 < 2^31, and the int32 accumulation wraps exactly like the reference's (the sum
// modulo 2^32 does not depend on the order).
constexpr int32_t kMaxPairTaps = 9;
constexpr int32_t kMaxPairBlocks = 64;  // 16-channel blocks: up to 1024 channels
constexpr int32_t kMaxPairs = (kMaxPairTaps + 1) / 2;

struct PairWeights {
  // [block][pair][2]: the interleaved int16 weights of taps 2j, 2j+1 for 16 channels, in the
  // lane order of _mm256_unpacklo/hi_epi16 (channels 0-3 and 8-11, then 4-7 and 12-15).
  __m256i w[kMaxPairBlocks * kMaxPairs * 2];
  int32_t pairs = 0, blocks = 0;
};

inline __m256i Weights16(const DwPlan& p, int32_t tap, int32_t c0) {
  if (tap >= p.k_h * p.k_w) return _mm256_setzero_si256();
  const int32_t* w = p.weights + static_cast<size_t>(tap) * p.padded_channels + c0;
  const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w));
  const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + 8));
  return _mm256_permute4x64_epi64(_mm256_packs_epi32(a, b), 0xD8);  // |w| <= 255: exact
}

bool PreparePairs(const DwPlan& p, PairWeights* pw) {
  const int32_t taps = p.k_h * p.k_w;
  if (taps > kMaxPairTaps || taps < 2) return false;
  pw->pairs = (taps + 1) / 2;
  pw->blocks = std::min(p.channels / 16, kMaxPairBlocks);
  if (pw->blocks == 0) return false;
  for (int32_t blk = 0; blk < pw->blocks; ++blk)
    for (int32_t j = 0; j < pw->pairs; ++j) {
      const __m256i wa = Weights16(p, 2 * j, 16 * blk), wb = Weights16(p, 2 * j + 1, 16 * blk);
      __m256i* dst = pw->w + (static_cast<size_t>(blk) * kMaxPairs + j) * 2;
      dst[0] = _mm256_unpacklo_epi16(wa, wb);
      dst[1] = _mm256_unpackhi_epi16(wa, wb);
    }
  return true;
}

// 16 channels at c0 = 16 * blk of one interior output pixel.
inline void PairBlock(const DwPlan& p, const PairWeights& pw, const uint8_t* input,
                      int64_t origin, int32_t blk, uint8_t* out) {
  const int32_t c0 = 16 * blk;
  const int32_t taps = p.k_h * p.k_w;
  const __m256i xo = _mm256_set1_epi16(static_cast<int16_t>(p.input_offset));
  const bool u = p.unsigned_8bit;
  __m256i acc_lo = _mm256_setzero_si256(), acc_hi = _mm256_setzero_si256();
  const __m256i* w = pw.w + static_cast<size_t>(blk) * kMaxPairs * 2;
  for (int32_t j = 0; j < pw.pairs; ++j) {
    const int32_t ta = 2 * j, tb = std::min(2 * j + 1, taps - 1);  // a lone last tap: weight 0
    const uint8_t* ia = input + origin + TapOffset(p, ta / p.k_w, ta % p.k_w) + c0;
    const uint8_t* ib = input + origin + TapOffset(p, tb / p.k_w, tb % p.k_w) + c0;
    const __m128i ba = _mm_loadu_si128(reinterpret_cast<const __m128i*>(ia));
    const __m128i bb = _mm_loadu_si128(reinterpret_cast<const __m128i*>(ib));
    const __m256i xa = _mm256_add_epi16(u ? _mm256_cvtepu8_epi16(ba) : _mm256_cvtepi8_epi16(ba), xo);
    const __m256i xb = _mm256_add_epi16(u ? _mm256_cvtepu8_epi16(bb) : _mm256_cvtepi8_epi16(bb), xo);
    acc_lo = _mm256_add_epi32(acc_lo, _mm256_madd_epi16(_mm256_unpacklo_epi16(xa, xb), w[2 * j]));
    acc_hi = _mm256_add_epi32(acc_hi, _mm256_madd_epi16(_mm256_unpackhi_epi16(xa, xb), w[2 * j + 1]));
  }
  __m256i acc[2] = {_mm256_permute2x128_si256(acc_lo, acc_hi, 0x20),
                    _mm256_permute2x128_si256(acc_lo, acc_hi, 0x31)};
  const __m256i lo = _mm256_set1_epi32(p.act_min - p.output_offset);
  const __m256i hi = _mm256_set1_epi32(p.act_max - p.output_offset);
  const __m256i off = _mm256_set1_epi32(p.output_offset);
  for (int v = 0; v < 2; ++v) {
    const int32_t c = c0 + 8 * v;
    acc[v] = _mm256_add_epi32(acc[v], _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p.bias + c)));
    const __m256i r = OutputStageAvx2(
        acc[v], _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p.multiplier + c)),
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p.shift + c)), lo, hi, off);
    Store8BytesAvx2(r, out + c, 8);
  }
}

}  // namespace

void DwAvx2(const DwPlan& p, const uint8_t* input, uint8_t* output, int64_t row_begin,
            int64_t row_end) {
  const int32_t c = p.channels;
  alignas(32) PairWeights pw;
  const bool pairs = PreparePairs(p, &pw);
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
      if (pairs && t.ky0 == 0 && t.ky1 == p.k_h && t.kx0 == 0 && t.kx1 == p.k_w) {
        for (int32_t blk = 0; blk < pw.blocks; ++blk) PairBlock(p, pw, input, origin, blk, out);
        c0 = 16 * pw.blocks;
      }
      for (; c0 + 32 <= c; c0 += 32) Block<4>(p, input, origin, t, c0, out);
      for (; c0 + 8 <= c; c0 += 8) Block<1>(p, input, origin, t, c0, out);
      if (c0 < c) Tail(p, input, origin, t, c0, out);
    }
  }
}

}  // namespace dwconv_int8
}  // namespace kernels
}  // namespace edgelite
