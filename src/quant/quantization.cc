#include "src/quant/quantization.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace edgelite {
namespace quant {

int32_t MultiplyByQuantizedMultiplier64(int64_t x, int32_t multiplier, int shift) {
  // TFLite's int64 overload (used by the 16x8 kernels with int64 accumulators)
  // first reduces the Q31 multiplier to Q15 with rounding (saturating at
  // 0x7FFF), then does one rounding (half up) 64-bit multiply and shift. It is
  // the same in TFLite's single- and double-rounding builds. The final
  // narrowing to int32 is a plain truncation there; we saturate instead, which
  // only differs for results that do not fit int32 (never for in-spec scales).
  const int64_t reduced =
      multiplier < 0x7FFF0000 ? ((int64_t{multiplier} + (1 << 15)) >> 16) : 0x7FFF;
  const int total_shift = 15 - shift;
  // shift is in [-31, 7] for in-spec scales, so total_shift is in [8, 46].
  const int64_t round = total_shift > 0 ? (int64_t{1} << (total_shift - 1)) : 0;
  // |x| < 2^47 for the 16x8 kernels (TFLite asserts it); clamping keeps a
  // hostile int64 bias from overflowing x * reduced (reduced <= 2^15).
  constexpr int64_t kLimit = int64_t{1} << 47;
  x = std::min<int64_t>(std::max<int64_t>(x, -kLimit), kLimit - 1);
  int64_t result = x * reduced + round;
  result = total_shift > 0 ? (result >> total_shift) : result;
  return static_cast<int32_t>(
      std::min<int64_t>(std::max<int64_t>(result, std::numeric_limits<int32_t>::min()),
                        std::numeric_limits<int32_t>::max()));
}

int32_t ScaleAccumulatorRounded(int64_t acc, double real_scale) {
  const double v = std::round(static_cast<double>(acc) * real_scale);
  // Saturate before converting (the cast of an out-of-range double is UB).
  if (!(v > static_cast<double>(std::numeric_limits<int32_t>::min())))
    return std::numeric_limits<int32_t>::min();
  if (!(v < static_cast<double>(std::numeric_limits<int32_t>::max())))
    return std::numeric_limits<int32_t>::max();
  return static_cast<int32_t>(v);
}

void QuantizeMultiplier(double real, int32_t* multiplier, int* shift) {
  // Scales come from the model file. NaN (e.g. 0/0 of two zero scales) has no
  // meaningful multiplier: use 0. +inf (x/0) and anything >= 2^31 saturate
  // below: the kernels shift by `shift` bits, and a shift above 30 would be
  // undefined behaviour in their int32 arithmetic.
  if (std::isnan(real)) real = 0.0;
  if (std::isinf(real)) real = real > 0 ? 1e300 : -1e300;  // saturated below
  if (real == 0.0) {
    *multiplier = 0;
    *shift = 0;
    return;
  }
  int exp = 0;
  const double mantissa = std::frexp(real, &exp);  // real = mantissa * 2^exp, mantissa in [0.5,1)
  int64_t q = static_cast<int64_t>(std::round(mantissa * static_cast<double>(int64_t{1} << 31)));
  if (q == (int64_t{1} << 31)) {
    q /= 2;
    ++exp;
  }
  if (exp < -31) {
    exp = 0;
    q = 0;
  }
  // Out-of-spec multipliers (>= 2^30, or infinite): saturate to the largest
  // representable one, as TFLite does under single rounding.
  constexpr int kMaxShift = 30;
  if (exp > kMaxShift) {
    exp = kMaxShift;
    q = real > 0 ? std::numeric_limits<int32_t>::max() : std::numeric_limits<int32_t>::min();
  }
  *multiplier = static_cast<int32_t>(q);
  *shift = exp;
}

void TypeRange(DataType type, int32_t* min, int32_t* max) {
  switch (type) {
    case DataType::kInt8: *min = -128; *max = 127; return;
    case DataType::kUInt8: *min = 0; *max = 255; return;
    case DataType::kInt16: *min = -32768; *max = 32767; return;
    default:
      *min = std::numeric_limits<int32_t>::min();
      *max = std::numeric_limits<int32_t>::max();
      return;
  }
}

int32_t QuantizeValue(float real, float scale, int32_t zero_point, DataType type) {
  int32_t lo, hi;
  TypeRange(type, &lo, &hi);
  const float scaled = real / scale;
  double r = std::round(static_cast<double>(scaled)) + zero_point;
  if (std::isnan(r)) r = zero_point;  // 0 / 0 from a zero scale: no defined image
  return static_cast<int32_t>(std::min<double>(std::max<double>(r, lo), hi));
}

Status ActivationRangeQuantized(int activation, DataType type, float scale, int32_t zero_point,
                                int32_t* act_min, int32_t* act_max) {
  int32_t lo, hi;
  TypeRange(type, &lo, &hi);
  // Quantized image of v, clamped to the type's range in double before the
  // cast: with a tiny (or zero) output scale from the file, v / scale is far
  // outside int32 (or inf, or NaN for 0 / 0), and casting it is undefined.
  auto q = [&](float v) {
    double r = static_cast<double>(zero_point) +
               std::round(static_cast<double>(v) / static_cast<double>(scale));
    if (std::isnan(r)) r = zero_point;
    return static_cast<int32_t>(std::min<double>(std::max<double>(r, lo), hi));
  };
  // Values of the schema's ActivationFunctionType.
  constexpr int kNone = 0, kRelu = 1, kReluN1To1 = 2, kRelu6 = 3;
  switch (activation) {
    case kNone: *act_min = lo; *act_max = hi; break;
    case kRelu: *act_min = std::max(lo, q(0.0f)); *act_max = hi; break;
    case kRelu6:
      *act_min = std::max(lo, q(0.0f));
      *act_max = std::min(hi, q(6.0f));
      break;
    case kReluN1To1:
      *act_min = std::max(lo, q(-1.0f));
      *act_max = std::min(hi, q(1.0f));
      break;
    default:
      return Status::Error(StatusCode::kUnsupported,
                           "fused activation %d is not supported on quantized outputs", activation);
  }
  return Status::Ok();
}

}  // namespace quant
}  // namespace edgelite
