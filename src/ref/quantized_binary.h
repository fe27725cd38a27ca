// Reference integer kernels of the quantized binary arithmetic ops (ADD,
// SUB, MUL on int8/uint8/int16), bit-exact with TFLite's reference kernels.
//
// ADD/SUB, general path (8-bit, and 16-bit with arbitrary scales): both
// inputs are re-centred (offset = -zero_point), scaled up by 2^left_shift
// (20 for 8-bit, 15 for 16-bit: the int32 sum cannot overflow), brought to
// a common scale (2 * max input scale) by per-input multipliers < 1, added
// or subtracted, and the sum requantized to the output scale.
// ADD/SUB, 16-bit power-of-two path (TFLite's pot_scale_int16): zero points
// are 0 and scales powers of two; one input is rounding-shifted right to the
// output's scale and the two are added/subtracted with saturation.
// MUL: (x - zx) * (y - zy) in int32, requantized by s_x * s_y / s_out.
// Every function clamps to the fused activation's quantized range.
#ifndef EDGELITE_REF_QUANTIZED_BINARY_H_
#define EDGELITE_REF_QUANTIZED_BINARY_H_

#include <algorithm>
#include <cstdint>

#include "src/quant/fixed_point.h"

namespace edgelite {
namespace ref {

struct QuantizedBinaryParams {
  // ADD/SUB general path and MUL.
  int32_t input1_offset = 0, input2_offset = 0, output_offset = 0;
  int32_t input1_multiplier = 0, input2_multiplier = 0, output_multiplier = 0;
  int input1_shift = 0, input2_shift = 0, output_shift = 0;
  int left_shift = 0;
  // Fused activation clamp, in output quantized units.
  int32_t act_min = 0, act_max = 0;
};

// Sums of requantized values, saturated to int32. For in-spec scales they
// never leave int32 and this equals TFLite's int32 arithmetic; out-of-spec
// scales from a file (multipliers saturated at 2^30, see QuantizeMultiplier)
// would overflow it, which is undefined behaviour in C++.
inline int32_t SaturateToInt32(int64_t v) {
  return static_cast<int32_t>(std::min<int64_t>(std::max<int64_t>(v, INT32_MIN), INT32_MAX));
}

// General ADD (subtract == false) or SUB (subtract == true) of one element pair.
template <typename T>
inline T QuantizedAddSub(T x, T y, const QuantizedBinaryParams& p, bool subtract) {
  const int32_t shifted1 = (p.input1_offset + static_cast<int32_t>(x)) * (1 << p.left_shift);
  const int32_t shifted2 = (p.input2_offset + static_cast<int32_t>(y)) * (1 << p.left_shift);
  const int32_t scaled1 =
      quant::MultiplyByQuantizedMultiplier(shifted1, p.input1_multiplier, p.input1_shift);
  const int32_t scaled2 =
      quant::MultiplyByQuantizedMultiplier(shifted2, p.input2_multiplier, p.input2_shift);
  const int32_t raw = SaturateToInt32(subtract ? int64_t{scaled1} - scaled2
                                               : int64_t{scaled1} + scaled2);
  const int32_t out = SaturateToInt32(
      int64_t{quant::MultiplyByQuantizedMultiplier(raw, p.output_multiplier, p.output_shift)} +
      p.output_offset);
  return static_cast<T>(std::min(p.act_max, std::max(p.act_min, out)));
}

// 16-bit power-of-two ADD/SUB: input1_shift/input2_shift (<= 0) are the
// log2 ratios of the input scales to the output scale.
inline int16_t QuantizedPotAddSub16(int16_t x, int16_t y, const QuantizedBinaryParams& p,
                                    bool subtract) {
  const int32_t a = quant::RoundingDivideByPOT(x, -p.input1_shift);
  const int32_t b = quant::RoundingDivideByPOT(y, -p.input2_shift);
  const int32_t raw = subtract ? a - b : a + b;
  // Saturating to int16 then clamping equals clamping the int32 result,
  // since the activation range lies within int16.
  return static_cast<int16_t>(std::min(p.act_max, std::max(p.act_min, raw)));
}

// MUL of one element pair.
template <typename T>
inline T QuantizedMul(T x, T y, const QuantizedBinaryParams& p) {
  const int32_t a = p.input1_offset + static_cast<int32_t>(x);
  const int32_t b = p.input2_offset + static_cast<int32_t>(y);
  // |a|, |b| <= 2^16 (offsets are 16-bit zero points): a * b fits int32.
  const int32_t out = SaturateToInt32(
      int64_t{p.output_offset} +
      quant::MultiplyByQuantizedMultiplier(a * b, p.output_multiplier, p.output_shift));
  return static_cast<T>(std::min(p.act_max, std::max(p.act_min, out)));
}

// SQUARED_DIFFERENCE (int8): like ADD/SUB's general path with left_shift 7
// (so the squared difference fits int32), the square requantized by
// (2 max(s1, s2))^2 / (2^14 s_out).
inline int8_t QuantizedSquaredDifference(int8_t x, int8_t y, const QuantizedBinaryParams& p) {
  const int32_t shifted1 = (p.input1_offset + static_cast<int32_t>(x)) * (1 << p.left_shift);
  const int32_t shifted2 = (p.input2_offset + static_cast<int32_t>(y)) * (1 << p.left_shift);
  const int32_t scaled1 =
      quant::MultiplyByQuantizedMultiplier(shifted1, p.input1_multiplier, p.input1_shift);
  const int32_t scaled2 =
      quant::MultiplyByQuantizedMultiplier(shifted2, p.input2_multiplier, p.input2_shift);
  const int64_t diff = int64_t{scaled1} - scaled2;
  const int32_t out = SaturateToInt32(
      int64_t{quant::MultiplyByQuantizedMultiplier(
          // 46340^2 < 2^31 <= 46341^2; larger differences saturate.
          (diff > 46340 || diff < -46340) ? INT32_MAX : static_cast<int32_t>(diff * diff),
                                                   p.output_multiplier, p.output_shift)} +
      p.output_offset);
  return static_cast<int8_t>(std::min(p.act_max, std::max(p.act_min, out)));
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_QUANTIZED_BINARY_H_
