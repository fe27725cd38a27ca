// Lookup tables for quantized elementwise functions, built in prepare the
// way TFLite's reference kernels build them (tflite/kernels/internal/common.h
// LUTPopulate / LUTLookup), so that outputs are bit-identical.
//
// 8-bit: one entry per input value: dequantize (float), apply f (float),
// divide by the output scale, round half away from zero, add the output zero
// point, saturate. Indexed by the input's bit pattern as uint8.
// int16: 513 samples of f over the input range (512 segments, each entry
// biased so linear interpolation is centred), looked up with 7-bit linear
// interpolation.
#ifndef EDGELITE_QUANT_LUT_H_
#define EDGELITE_QUANT_LUT_H_

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "edgelite/tensor.h"

namespace edgelite {
namespace quant {

constexpr int kLut8Size = 256;
constexpr int kLut16Size = 513;

// `type` is kInt8 or kUInt8. lut[uint8(q)] is the output for input q.
void PopulateLut8(DataType type, float input_scale, int32_t input_zero_point, float output_scale,
                  int32_t output_zero_point, float (*f)(float), uint8_t* lut);

inline uint8_t LookupLut8(uint8_t bits, const uint8_t* lut) { return lut[bits]; }

// int16 table of f: R -> R, computed in R = float (TFLite's default) or
// double (the older overload TFLite still uses for some tables, e.g. int16
// SOFTMAX). f may be any callable.
template <typename R, typename F>
void PopulateLut16(R input_scale, int32_t input_zero_point, R output_scale,
                   int32_t output_zero_point, F f, int16_t* lut) {
  const R in_min = input_scale * static_cast<R>(-32768 - input_zero_point);
  const R in_max = input_scale * static_cast<R>(32767 - input_zero_point);
  const R out_min = output_scale * static_cast<R>(-32768 - output_zero_point);
  const R out_max = output_scale * static_cast<R>(32767 - output_zero_point);
  constexpr int kSteps = kLut16Size - 1;
  const R step = (in_max - in_min) / kSteps;
  const R half_step = step / 2;
  const R scaling_inv = static_cast<R>(65536) / (out_max - out_min);
  const R table_min = -32768, table_max = 32767;
  for (int i = 0; i < kSteps; ++i) {
    const R v = f(in_min + i * step);
    const R v_mid = f(in_min + i * step + half_step);
    const R v_next = f(in_min + (i + 1) * step);
    const R sample = std::round(v * scaling_inv);
    // Bias each sample by half the error interpolation makes at the
    // segment's midpoint.
    const R interp_mid = std::round((v_next * scaling_inv + std::round(v * scaling_inv)) / 2);
    const R exact_mid = std::round(v_mid * scaling_inv);
    const R bias = std::round((interp_mid - exact_mid) / 2);
    lut[i] = static_cast<int16_t>(std::min(std::max(sample - bias, table_min), table_max));
  }
  lut[kSteps] = static_cast<int16_t>(
      std::min(std::max(std::round(f(in_max) * scaling_inv), table_min), table_max));
}

// Interpolated lookup in a 513-entry table.
inline int16_t LookupLut16(int16_t value, const int16_t* lut) {
  const int index = 256 + (value >> 7);  // 0..511
  const int32_t offset = value & 0x7f;
  const int32_t base = lut[index];
  const int32_t slope = static_cast<int32_t>(lut[index + 1]) - base;
  const int32_t delta = (slope * offset + 64) >> 7;
  return static_cast<int16_t>(base + delta);
}

}  // namespace quant
}  // namespace edgelite

#endif  // EDGELITE_QUANT_LUT_H_
