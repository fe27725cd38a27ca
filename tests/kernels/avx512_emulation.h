// Test-only: lets the AVX-512 kernel sources compile and run on a CPU without AVX-512, on top of
// SIMDe's portable implementations of the intrinsics (Debian libsimde-dev), so their logic is
// checked against the reference even where the hardware is missing (tests/kernels/
// avx512_emulated_kernels.cc). Intrinsics SIMDe 0.7.4 lacks are written here lane by lane from
// Intel's documented semantics. Never used by the runtime build.
#ifndef EDGELITE_TESTS_KERNELS_AVX512_EMULATION_H_
#define EDGELITE_TESTS_KERNELS_AVX512_EMULATION_H_

#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/x86/avx512.h>

#include <cstdint>
#include <cstring>

#ifndef __mmask16
typedef simde__mmask16 __mmask16;
#endif

namespace edgelite_avx512_emulation {

inline void ToLanes(__m512i v, int32_t* out) { std::memcpy(out, &v, 64); }
inline __m512i FromLanes(const int32_t* in) {
  __m512i v;
  std::memcpy(&v, in, 64);
  return v;
}

}  // namespace edgelite_avx512_emulation

inline __m512i Emu_mm512_srai_epi32(__m512i a, int imm) {
  int32_t l[16];
  edgelite_avx512_emulation::ToLanes(a, l);
  const int s = imm > 31 ? 31 : imm;
  for (int i = 0; i < 16; ++i) l[i] = l[i] >> s;
  return edgelite_avx512_emulation::FromLanes(l);
}
inline __m512i Emu_mm512_srav_epi32(__m512i a, __m512i count) {
  int32_t l[16], c[16];
  edgelite_avx512_emulation::ToLanes(a, l);
  edgelite_avx512_emulation::ToLanes(count, c);
  for (int i = 0; i < 16; ++i) {
    const uint32_t s = static_cast<uint32_t>(c[i]);
    l[i] = s > 31 ? (l[i] < 0 ? -1 : 0) : (l[i] >> s);
  }
  return edgelite_avx512_emulation::FromLanes(l);
}
inline __m512i Emu_mm512_maskz_loadu_epi32(__mmask16 k, const void* p) {
  int32_t l[16] = {};
  for (int i = 0; i < 16; ++i)
    if (k & (1u << i)) std::memcpy(&l[i], static_cast<const char*>(p) + 4 * i, 4);
  return edgelite_avx512_emulation::FromLanes(l);
}
inline void Emu_mm512_mask_storeu_epi32(void* p, __mmask16 k, __m512i a) {
  int32_t l[16];
  edgelite_avx512_emulation::ToLanes(a, l);
  for (int i = 0; i < 16; ++i)
    if (k & (1u << i)) std::memcpy(static_cast<char*>(p) + 4 * i, &l[i], 4);
}
inline void Emu_mm512_mask_cvtepi32_storeu_epi8(void* p, __mmask16 k, __m512i a) {
  int32_t l[16];
  edgelite_avx512_emulation::ToLanes(a, l);
  for (int i = 0; i < 16; ++i)
    if (k & (1u << i)) static_cast<uint8_t*>(p)[i] = static_cast<uint8_t>(l[i]);  // truncation
}
inline __m128i Emu_mm_maskz_loadu_epi8(__mmask16 k, const void* p) {
  uint8_t b[16] = {};
  for (int i = 0; i < 16; ++i)
    if (k & (1u << i)) b[i] = static_cast<const uint8_t*>(p)[i];
  __m128i v;
  std::memcpy(&v, b, 16);
  return v;
}
inline __m512i Emu_mm512_cvtepu8_epi32(__m128i a) {
  uint8_t b[16];
  std::memcpy(b, &a, 16);
  int32_t l[16];
  for (int i = 0; i < 16; ++i) l[i] = b[i];
  return edgelite_avx512_emulation::FromLanes(l);
}
inline __m512i Emu_mm512_cvtepi8_epi32(__m128i a) {
  int8_t b[16];
  std::memcpy(b, &a, 16);
  int32_t l[16];
  for (int i = 0; i < 16; ++i) l[i] = b[i];
  return edgelite_avx512_emulation::FromLanes(l);
}

#define _mm512_srai_epi32 Emu_mm512_srai_epi32
#define _mm512_srav_epi32 Emu_mm512_srav_epi32
#define _mm512_maskz_loadu_epi32 Emu_mm512_maskz_loadu_epi32
#define _mm512_mask_storeu_epi32 Emu_mm512_mask_storeu_epi32
#define _mm512_mask_cvtepi32_storeu_epi8 Emu_mm512_mask_cvtepi32_storeu_epi8
#define _mm_maskz_loadu_epi8 Emu_mm_maskz_loadu_epi8
#define _mm512_cvtepu8_epi32 Emu_mm512_cvtepu8_epi32
#define _mm512_cvtepi8_epi32 Emu_mm512_cvtepi8_epi32

#endif  // EDGELITE_TESTS_KERNELS_AVX512_EMULATION_H_
