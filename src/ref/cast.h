// Reference CAST: converting one element type to another.
//
// Rules (TFLite's): float -> integer truncates toward zero and saturates at the
// integer's range, NaN -> the integer's maximum; anything -> bool is "!= 0"
// (NaN -> true); bool -> number is 0 or 1; integer -> integer wraps modulo
// 2^bits; conversions to float16 go through float32 and round to nearest even.
#ifndef EDGELITE_REF_CAST_H_
#define EDGELITE_REF_CAST_H_

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

namespace edgelite {
namespace ref {

// IEEE binary16 storage and bool storage as distinct element types.
struct Half {
  uint16_t bits;
};
struct Bool8 {
  uint8_t value;  // any nonzero byte is true
};

inline float HalfToFloat(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exponent = (h >> 10) & 0x1fu;
  const uint32_t mantissa = h & 0x3ffu;
  if (exponent == 0) {  // zero or subnormal: mantissa * 2^-24
    const float v = std::ldexp(static_cast<float>(mantissa), -24);
    return sign ? -v : v;
  }
  uint32_t bits;
  if (exponent == 0x1f)  // inf / NaN (payload kept)
    bits = sign | 0x7f800000u | (mantissa << 13);
  else  // rebias the exponent from 15 to 127
    bits = sign | ((exponent + (127 - 15)) << 23) | (mantissa << 13);
  float f;
  memcpy(&f, &bits, sizeof(f));
  return f;
}

// Round to nearest, ties to even; overflow to infinity; NaN stays NaN.
inline uint16_t FloatToHalf(float f) {
  uint32_t x;
  memcpy(&x, &f, sizeof(x));
  const uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000u);
  const uint32_t abs = x & 0x7fffffffu;
  constexpr uint32_t kFloatInf = 0x7f800000u;
  // 65520 = 65504 (largest half) + half an ulp: from here on, rounding gives inf.
  constexpr uint32_t kHalfOverflow = 0x477ff000u;
  constexpr uint32_t kHalfMinNormal = 0x38800000u;  // 2^-14
  if (abs > kFloatInf) return static_cast<uint16_t>(sign | 0x7e00u);
  if (abs >= kHalfOverflow) return static_cast<uint16_t>(sign | 0x7c00u);
  if (abs < kHalfMinNormal) {
    // Subnormal half: count units of 2^-24. Scaling by 2^24 is exact, and
    // rint rounds ties to even (default rounding mode); 1024 units is the
    // smallest normal half, whose encoding is the same number.
    float a;
    memcpy(&a, &abs, sizeof(a));
    return static_cast<uint16_t>(sign | static_cast<uint16_t>(std::rint(a * 16777216.0f)));
  }
  // Normal: drop 13 mantissa bits with round-to-nearest-even (a carry into the
  // exponent is the correct result), then rebias the exponent from 127 to 15.
  const uint32_t rounded = abs + 0xfffu + ((abs >> 13) & 1u);
  return static_cast<uint16_t>(sign | ((rounded - ((127u - 15u) << 23)) >> 13));
}

// Float (or double) to integer: truncate, saturate, NaN -> max.
template <typename To, typename From>
To SaturatingFloatToInt(From v) {
  if (std::isnan(v)) return std::numeric_limits<To>::max();
  // Both bounds are powers of two (or 0), exact in float: lowest() and
  // 2^digits = max() + 1.
  const From lo = static_cast<From>(std::numeric_limits<To>::lowest());
  const From hi_excl = std::ldexp(From(1), std::numeric_limits<To>::digits);
  if (v <= lo) return std::numeric_limits<To>::lowest();
  if (v >= hi_excl) return std::numeric_limits<To>::max();
  return static_cast<To>(v);
}

// One element of From converted to To (either may be Half or Bool8).
template <typename To, typename From>
To CastValue(From v) {
  if constexpr (std::is_same_v<From, Half>) {
    return CastValue<To>(HalfToFloat(v.bits));
  } else if constexpr (std::is_same_v<From, Bool8>) {
    return CastValue<To>(static_cast<uint8_t>(v.value != 0));
  } else if constexpr (std::is_same_v<To, Half>) {
    return Half{FloatToHalf(static_cast<float>(v))};
  } else if constexpr (std::is_same_v<To, Bool8>) {
    return Bool8{static_cast<uint8_t>(v != From(0))};
  } else if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
    return SaturatingFloatToInt<To>(v);
  } else {
    return static_cast<To>(v);
  }
}

template <typename To, typename From>
void Cast(const From* in, To* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = CastValue<To>(in[i]);
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_CAST_H_
