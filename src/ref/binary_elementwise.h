// Reference scalar functions of the binary elementwise ops (ADD, SUB, MUL,
// DIV, SQUARED_DIFFERENCE, MAXIMUM, MINIMUM, FLOOR_DIV, FLOOR_MOD, POW, ATAN2).
// Ops apply them through ref::BroadcastBinary (src/ref/broadcast.h).
//
// Integer semantics: results wrap modulo 2^bits on overflow (TFLite leaves
// overflow undefined; edgelite must not invoke UB on untrusted data). The
// divisor-taking functions expect a nonzero divisor: ops check that in eval
// and return an error first. INT_MIN / -1 wraps to INT_MIN.
#ifndef EDGELITE_REF_BINARY_ELEMENTWISE_H_
#define EDGELITE_REF_BINARY_ELEMENTWISE_H_

#include <cmath>
#include <cstdint>
#include <type_traits>

namespace edgelite {
namespace ref {

template <typename T>
T WrapAdd(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
  } else {
    return a + b;
  }
}

template <typename T>
T WrapSub(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(a) - static_cast<U>(b));
  } else {
    return a - b;
  }
}

template <typename T>
T WrapMul(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    // Multiply in an unsigned type at least as wide as unsigned int so that
    // integer promotion cannot turn the product back into signed overflow.
    using U = std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned,
                                 std::make_unsigned_t<T>>;
    return static_cast<T>(static_cast<U>(a) * static_cast<U>(b));
  } else {
    return a * b;
  }
}

// Truncating division for integers (b != 0), IEEE division for floats.
template <typename T>
T Div(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    if (b == -1) return WrapSub<T>(0, a);
    return static_cast<T>(a / b);
  } else {
    return a / b;
  }
}

template <typename T>
T SquaredDifference(T a, T b) {
  const T d = WrapSub(a, b);
  return WrapMul(d, d);
}

// NaN handling as TFLite: the comparison decides, so a NaN in `b` propagates.
template <typename T>
T Maximum(T a, T b) {
  return a > b ? a : b;
}
template <typename T>
T Minimum(T a, T b) {
  return a < b ? a : b;
}

// Division rounded towards negative infinity (b != 0 for integers).
template <typename T>
T FloorDiv(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    if (b == -1) return WrapSub<T>(0, a);
    T q = static_cast<T>(a / b);
    if (a % b != 0 && ((a < 0) != (b < 0))) q = static_cast<T>(q - 1);
    return q;
  } else {
    return std::floor(a / b);
  }
}

// Remainder with the sign of the divisor: a - FloorDiv(a, b) * b (b != 0 for
// integers). Floats: fmod, shifted by b when the signs differ.
template <typename T>
T FloorMod(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    if (b == -1) return 0;
    const T r = static_cast<T>(a % b);
    return (r != 0 && ((r < 0) != (b < 0))) ? static_cast<T>(r + b) : r;
  } else {
    const T r = std::fmod(a, b);
    return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
  }
}

// a^b. Integers: b >= 0 (checked by the op), square-and-multiply, wrapping.
template <typename T>
T Pow(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    T result = 1, base = a;
    for (T e = b; e > 0; e = static_cast<T>(e >> 1)) {
      if (e & 1) result = WrapMul(result, base);
      base = WrapMul(base, base);
    }
    return result;
  } else {
    return std::pow(a, b);
  }
}

// atan2(y, x): the angle of (x, y), in (-pi, pi].
template <typename T>
T Atan2(T y, T x) {
  return std::atan2(y, x);
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_BINARY_ELEMENTWISE_H_
