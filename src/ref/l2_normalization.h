// Reference L2 normalization (float32) over the last axis:
//   y_c = x_c / max(sqrt(sum_k x_k^2), epsilon)
// epsilon (TFLite: 1e-6) keeps an all-zero row finite (it maps to zeros).
#ifndef EDGELITE_REF_L2_NORMALIZATION_H_
#define EDGELITE_REF_L2_NORMALIZATION_H_

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace edgelite {
namespace ref {

constexpr float kL2NormEpsilon = 1e-6f;

inline void L2NormalizationFloat(const float* input, float* output, int64_t rows, int64_t depth,
                                 float act_min, float act_max) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* x = input + r * depth;
    float* y = output + r * depth;
    float sq = 0.0f;
    for (int64_t c = 0; c < depth; ++c) sq += x[c] * x[c];
    const float norm = std::max(std::sqrt(sq), kL2NormEpsilon);
    for (int64_t c = 0; c < depth; ++c) y[c] = std::min(std::max(x[c] / norm, act_min), act_max);
  }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_L2_NORMALIZATION_H_
