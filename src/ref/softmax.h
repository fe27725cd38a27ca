// Reference softmax and log-softmax (float32) over the last axis.
//
// Both subtract the row maximum first so exp never overflows:
//   softmax(x)_c     = exp((x_c - max) * beta) / sum_k exp((x_k - max) * beta)
//   log_softmax(x)_c = x_c - max - log(sum_k exp(x_k - max))
#ifndef EDGELITE_REF_SOFTMAX_H_
#define EDGELITE_REF_SOFTMAX_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace edgelite {
namespace ref {

inline float RowMax(const float* x, int64_t depth) {
  float m = std::numeric_limits<float>::lowest();
  for (int64_t c = 0; c < depth; ++c) m = std::max(m, x[c]);
  return m;
}

// input/output [rows, depth].
inline void SoftmaxFloat(const float* input, float* output, int64_t rows, int64_t depth,
                         float beta) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* x = input + r * depth;
    float* y = output + r * depth;
    const float m = RowMax(x, depth);
    float sum = 0.0f;
    for (int64_t c = 0; c < depth; ++c) sum += std::exp((x[c] - m) * beta);
    for (int64_t c = 0; c < depth; ++c) y[c] = std::exp((x[c] - m) * beta) / sum;
  }
}

inline void LogSoftmaxFloat(const float* input, float* output, int64_t rows, int64_t depth) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* x = input + r * depth;
    float* y = output + r * depth;
    const float m = RowMax(x, depth);
    float sum = 0.0f;
    for (int64_t c = 0; c < depth; ++c) sum += std::exp(x[c] - m);
    const float log_sum = std::log(sum);
    for (int64_t c = 0; c < depth; ++c) y[c] = x[c] - m - log_sum;
  }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_SOFTMAX_H_
