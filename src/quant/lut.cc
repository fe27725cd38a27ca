#include "src/quant/lut.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace edgelite {
namespace quant {

void PopulateLut8(DataType type, float input_scale, int32_t input_zero_point, float output_scale,
                  int32_t output_zero_point, float (*f)(float), uint8_t* lut) {
  const bool is_signed = type == DataType::kInt8;
  const int32_t lo = is_signed ? -128 : 0;
  const int32_t hi = is_signed ? 127 : 255;
  const float inverse_scale = 1.0f / output_scale;
  for (int32_t q = lo; q <= hi; ++q) {
    const float x = input_scale * static_cast<float>(q - input_zero_point);
    const float y = std::round(f(x) * inverse_scale);
    const int32_t out = static_cast<int32_t>(y + static_cast<float>(output_zero_point));
    const int32_t clamped = std::max(std::min(hi, out), lo);
    lut[static_cast<uint8_t>(q)] = static_cast<uint8_t>(clamped);
  }
}

}  // namespace quant
}  // namespace edgelite
