// AVX2 variant of float32 affine quantization, 16 elements per step; the tail goes through the
// scalar variant.
#include <immintrin.h>

#include "src/kernels/quantize/quantize_f32.h"

namespace edgelite {
namespace kernels {
namespace quantize {
namespace {

// 8 floats -> 8 int32 quantized values (zero point included, clamped).
inline __m256i Quantize8(__m256 x, __m256 scale, __m256 lo, __m256 hi, __m256i zp) {
  const __m256 q = _mm256_div_ps(x, scale);
  const __m256 t = _mm256_round_ps(q, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
  const __m256 sign_mask = _mm256_set1_ps(-0.0f);
  const __m256 frac = _mm256_andnot_ps(sign_mask, _mm256_sub_ps(q, t));  // |q - trunc(q)|, exact
  const __m256 one = _mm256_or_ps(_mm256_and_ps(q, sign_mask), _mm256_set1_ps(1.0f));  // sign(q)
  const __m256 up = _mm256_and_ps(_mm256_cmp_ps(frac, _mm256_set1_ps(0.5f), _CMP_GE_OQ), one);
  __m256 r = _mm256_add_ps(t, up);
  r = _mm256_and_ps(r, _mm256_cmp_ps(q, q, _CMP_ORD_Q));  // NaN -> 0 (the zero point)
  r = _mm256_min_ps(_mm256_max_ps(r, lo), hi);
  return _mm256_add_epi32(_mm256_cvtps_epi32(r), zp);
}

}  // namespace

void QuantizeAvx2(const QuantizeArgs& a, const float* in, int64_t n, void* out) {
  const __m256 scale = _mm256_set1_ps(a.scale);
  const __m256 lo = _mm256_set1_ps(static_cast<float>(a.lo - a.zero_point));
  const __m256 hi = _mm256_set1_ps(static_cast<float>(a.hi - a.zero_point));
  const __m256i zp = _mm256_set1_epi32(a.zero_point);
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m256i v0 = Quantize8(_mm256_loadu_ps(in + i), scale, lo, hi, zp);
    const __m256i v1 = Quantize8(_mm256_loadu_ps(in + i + 8), scale, lo, hi, zp);
    // In-range values: the packs are exact.
    const __m256i w = _mm256_permute4x64_epi64(_mm256_packs_epi32(v0, v1), 0xD8);
    if (a.out_bytes == 2) {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(static_cast<int16_t*>(out) + i), w);
    } else {
      const __m128i w_lo = _mm256_castsi256_si128(w), w_hi = _mm256_extracti128_si256(w, 1);
      const __m128i b = a.lo == 0 ? _mm_packus_epi16(w_lo, w_hi) : _mm_packs_epi16(w_lo, w_hi);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(static_cast<uint8_t*>(out) + i), b);
    }
  }
  if (i < n) {
    const int64_t off = i * a.out_bytes;
    QuantizeScalar(a, in + i, n - i, static_cast<uint8_t*>(out) + off);
  }
}

}  // namespace quantize
}  // namespace kernels
}  // namespace edgelite
