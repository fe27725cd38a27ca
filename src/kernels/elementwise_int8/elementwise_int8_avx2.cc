// AVX2 variant of the 8-bit quantized ADD/SUB/MUL: 16 elements per step (two vectors of 8 int32
// lanes), the reference's arithmetic with the project's vector requantization; the tail goes
// through the scalar variant.
#include <immintrin.h>

#include "src/kernels/elementwise_int8/elementwise_int8.h"
#include "src/kernels/gemm_int8/requantize_avx2.h"

namespace edgelite {
namespace kernels {
namespace elementwise_int8 {
namespace {

// 8 bytes (or one broadcast byte) widened to int32.
template <bool kUnsigned>
inline __m256i Load8(const uint8_t* p, int step) {
  __m128i v;
  if (step == 0) {
    v = _mm_set1_epi8(static_cast<char>(*p));
  } else {
    v = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
  }
  return kUnsigned ? _mm256_cvtepu8_epi32(v) : _mm256_cvtepi8_epi32(v);
}

struct Consts {
  __m256i off1, off2, m1, s1, m2, s2, mo, so, lo, hi, out_off;
  __m128i left;
};

template <BinaryKind kKind>
inline __m256i Compute(const Consts& c, __m256i x, __m256i y) {
  x = _mm256_add_epi32(x, c.off1);
  y = _mm256_add_epi32(y, c.off2);
  __m256i raw;
  if (kKind == BinaryKind::kMul) {
    raw = _mm256_mullo_epi32(x, y);  // |x|, |y| <= 255: exact
  } else {
    const __m256i a = RequantizeVecAvx2(_mm256_sll_epi32(x, c.left), c.m1, c.s1);
    const __m256i b = RequantizeVecAvx2(_mm256_sll_epi32(y, c.left), c.m2, c.s2);
    raw = kKind == BinaryKind::kAdd ? _mm256_add_epi32(a, b) : _mm256_sub_epi32(a, b);
  }
  const __m256i v = RequantizeVecAvx2(raw, c.mo, c.so);
  // clamp(v + offset, min, max) == clamp(v, min - offset, max - offset) + offset, without the
  // int32 overflow of v + offset.
  return _mm256_add_epi32(_mm256_min_epi32(_mm256_max_epi32(v, c.lo), c.hi), c.out_off);
}

template <bool kUnsigned, BinaryKind kKind>
void Run(const BinaryParams& p, const uint8_t* a, int a_step, const uint8_t* b, int b_step,
         uint8_t* out, int64_t n) {
  const ref::QuantizedBinaryParams& q = p.q;
  Consts c;
  c.off1 = _mm256_set1_epi32(q.input1_offset);
  c.off2 = _mm256_set1_epi32(q.input2_offset);
  c.m1 = _mm256_set1_epi32(q.input1_multiplier);
  c.s1 = _mm256_set1_epi32(q.input1_shift);
  c.m2 = _mm256_set1_epi32(q.input2_multiplier);
  c.s2 = _mm256_set1_epi32(q.input2_shift);
  c.mo = _mm256_set1_epi32(q.output_multiplier);
  c.so = _mm256_set1_epi32(q.output_shift);
  c.lo = _mm256_set1_epi32(q.act_min - q.output_offset);
  c.hi = _mm256_set1_epi32(q.act_max - q.output_offset);
  c.out_off = _mm256_set1_epi32(q.output_offset);
  c.left = _mm_cvtsi32_si128(q.left_shift);
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m256i r0 = Compute<kKind>(c, Load8<kUnsigned>(a + i * a_step, a_step),
                                      Load8<kUnsigned>(b + i * b_step, b_step));
    const __m256i r1 = Compute<kKind>(c, Load8<kUnsigned>(a + (i + 8) * a_step, a_step),
                                      Load8<kUnsigned>(b + (i + 8) * b_step, b_step));
    // Values are inside the output type's range: pack to 16-bit then 8-bit exactly.
    const __m256i w = _mm256_permute4x64_epi64(_mm256_packs_epi32(r0, r1), 0xD8);
    const __m128i w_lo = _mm256_castsi256_si128(w), w_hi = _mm256_extracti128_si256(w, 1);
    const __m128i bytes = kUnsigned ? _mm_packus_epi16(w_lo, w_hi) : _mm_packs_epi16(w_lo, w_hi);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), bytes);
  }
  if (i < n) BinaryScalar(p, a + i * a_step, a_step, b + i * b_step, b_step, out + i, n - i);
}

template <bool kUnsigned>
void Dispatch(const BinaryParams& p, const uint8_t* a, int a_step, const uint8_t* b, int b_step,
              uint8_t* out, int64_t n) {
  switch (p.kind) {
    case BinaryKind::kAdd: Run<kUnsigned, BinaryKind::kAdd>(p, a, a_step, b, b_step, out, n); break;
    case BinaryKind::kSub: Run<kUnsigned, BinaryKind::kSub>(p, a, a_step, b, b_step, out, n); break;
    case BinaryKind::kMul: Run<kUnsigned, BinaryKind::kMul>(p, a, a_step, b, b_step, out, n); break;
  }
}

}  // namespace

void BinaryAvx2(const BinaryParams& p, const uint8_t* a, int a_step, const uint8_t* b, int b_step,
                uint8_t* out, int64_t n) {
  if (p.is_unsigned) {
    Dispatch<true>(p, a, a_step, b, b_step, out, n);
  } else {
    Dispatch<false>(p, a, a_step, b, b_step, out, n);
  }
}

}  // namespace elementwise_int8
}  // namespace kernels
}  // namespace edgelite
