// Reference scalar functions of the unary elementwise ops (math and
// activations), float32 unless templated. Ops apply them with ref::Unary.
#ifndef EDGELITE_REF_UNARY_H_
#define EDGELITE_REF_UNARY_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>

namespace edgelite {
namespace ref {

// |x|; for integers, |lowest| wraps to lowest (no UB).
template <typename T>
T Abs(T x) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return x < 0 ? static_cast<T>(U(0) - static_cast<U>(x)) : x;
  } else {
    return std::fabs(x);
  }
}

// -x; for integers, -lowest wraps to lowest.
template <typename T>
T Neg(T x) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(U(0) - static_cast<U>(x));
  } else {
    return -x;
  }
}

// -1, 0 or 1 (0 for NaN and for signed zeros).
template <typename T>
T Sign(T x) {
  return static_cast<T>((T(0) < x) - (x < T(0)));
}

// Round half to even ("banker's rounding"), as TFLite's ROUND.
inline float RoundHalfEven(float x) {
  const float down = std::floor(x);
  const float frac = x - down;
  if (frac < 0.5f) return down;
  if (frac > 0.5f) return down + 1.0f;
  return std::fmod(down, 2.0f) == 0.0f ? down : down + 1.0f;
}

inline float Rsqrt(float x) { return 1.0f / std::sqrt(x); }
inline float Square(float x) { return x * x; }

// 1 / (1 + e^-x), with TFLite's cut-offs: above kUpper the float32 result
// rounds to 1; below kLower it is taken as e^x, which differs from the exact
// value e^x / (1 + e^x) by less than e^(2x) < 1.6e-8 in absolute terms.
inline float Logistic(float x) {
  constexpr float kUpper = 16.619047164916992188f;
  constexpr float kLower = -9.0f;
  if (x > kUpper) return 1.0f;
  if (x < kLower) return std::exp(x);
  return 1.0f / (1.0f + std::exp(-x));
}

// x for x >= 0, e^x - 1 below.
inline float Elu(float x) { return x < 0.0f ? std::expm1(x) : x; }

// x * relu6(x + 3) / 6.
inline float HardSwish(float x) { return x * std::min(std::max(x + 3.0f, 0.0f), 6.0f) / 6.0f; }

inline float ClampRange(float x, float lo, float hi) { return std::min(std::max(x, lo), hi); }

inline float LeakyRelu(float x, float alpha) { return x >= 0.0f ? x : x * alpha; }

// Gaussian error linear unit: x * Phi(x), exactly via erf, or with the tanh
// approximation 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
inline float Gelu(float x, bool approximate) {
  if (approximate) {
    constexpr float kSqrt2OverPi = 0.7978845608028654f;
    constexpr float kCubic = 0.044715f;
    return 0.5f * x * (1.0f + std::tanh(kSqrt2OverPi * (x + kCubic * x * x * x)));
  }
  // 1 + erf(z) == erfc(-z); erfc keeps its precision for large negative x,
  // where 1 + erf(z) would cancel to 0.
  constexpr float kInvSqrt2 = 0.7071067811865476f;
  return 0.5f * x * std::erfc(-x * kInvSqrt2);
}

// x for x >= 0, alpha * x below (alpha broadcast by the op).
inline float Prelu(float x, float alpha) { return x >= 0.0f ? x : x * alpha; }

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_UNARY_H_
