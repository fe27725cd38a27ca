// Reference fully connected (float32): out[b][n] = act(sum_k in[b][k] * w[n][k] + bias[n]).
#ifndef EDGELITE_REF_FULLY_CONNECTED_H_
#define EDGELITE_REF_FULLY_CONNECTED_H_

#include <algorithm>
#include <cstdint>

namespace edgelite {
namespace ref {

// input [batches, depth], weights [units, depth], bias [units] or null,
// output [batches, units]; results clamped to [act_min, act_max].
inline void FullyConnectedFloat(const float* input, const float* weights, const float* bias,
                                float* output, int64_t batches, int64_t depth, int64_t units,
                                float act_min, float act_max) {
  for (int64_t b = 0; b < batches; ++b) {
    const float* in = input + b * depth;
    for (int64_t n = 0; n < units; ++n) {
      const float* w = weights + n * depth;
      float acc = 0.0f;
      for (int64_t k = 0; k < depth; ++k) acc += in[k] * w[k];
      if (bias) acc += bias[n];
      output[b * units + n] = std::min(std::max(acc, act_min), act_max);
    }
  }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_FULLY_CONNECTED_H_
