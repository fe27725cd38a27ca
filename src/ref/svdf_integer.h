// Reference kernel of the fully integer SVDF step (int8 input and feature
// weights, int16 or int8 time weights and activation state, int32 bias,
// int8 output). Plain loops; the spec.
//
// Numerics follow TensorFlow Lite's integer SVDF:
//  1. each filter's memory row is shifted left by one slot (oldest value
//     dropped);
//  2. the newest slot receives the feature activation
//       clamp_T(state_zp + MBQM(sum_i wf[f,i] * (x[i] - input_zp), m1, s1))
//     with m1/s1 the fixed-point form of input_scale * wf_scale / state_scale;
//  3. each filter's time response is sum_m wt[f,m] * (state[f,m] - state_zp)
//     in int32;
//  4. output unit u = clamp_int8(output_zp + MBQM(bias[u] + sum over the
//     rank filters of unit u of their time responses, m2, s2)) with m2/s2 the
//     fixed-point form of state_scale * wt_scale / output_scale.
// The fused activation is NOT applied: TFLite's integer kernel only
// saturates to the int8 range (its RELU requirement is a declaration).
// int32 sums wrap on overflow as in the reference.
#ifndef EDGELITE_REF_SVDF_INTEGER_H_
#define EDGELITE_REF_SVDF_INTEGER_H_

#include <algorithm>
#include <cstdint>
#include <limits>

#include "src/quant/fixed_point.h"

namespace edgelite {
namespace ref {

struct SvdfIntegerParams {
  int rank, n_batch, n_input, n_filters, memory;
  int32_t input_zero_point, state_zero_point, output_zero_point;
  int32_t feature_multiplier;  // effective scale 1
  int feature_shift;
  int32_t output_multiplier;   // effective scale 2
  int output_shift;
};

// Wrapping conversion of a 64-bit sum to int32 (the reference accumulates
// in int32 and wraps).
inline int32_t WrapToInt32(int64_t v) {
  return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v)));
}

// One integer SVDF step. T = int16_t or int8_t (state and time weights).
//   x: [n_batch, n_input]; weights_feature: [n_filters, n_input];
//   weights_time: [n_filters, memory]; bias: [n_filters / rank] or nullptr;
//   state: [n_batch, n_filters, memory], updated in place;
//   output: [n_batch, n_filters / rank].
template <typename T>
void SvdfIntegerStep(const SvdfIntegerParams& p, const int8_t* x, const int8_t* weights_feature,
                     const T* weights_time, const int32_t* bias, T* state, int8_t* output) {
  const int n_units = p.n_filters / p.rank;
  const int32_t state_min = std::numeric_limits<T>::min();
  const int32_t state_max = std::numeric_limits<T>::max();
  for (int b = 0; b < p.n_batch; ++b) {
    const int8_t* xb = x + static_cast<int64_t>(b) * p.n_input;
    T* sb = state + static_cast<int64_t>(b) * p.n_filters * p.memory;
    for (int u = 0; u < n_units; ++u) {
      int64_t acc = bias ? bias[u] : 0;
      for (int k = 0; k < p.rank; ++k) {
        const int f = u * p.rank + k;
        T* sf = sb + static_cast<int64_t>(f) * p.memory;
        for (int m = 0; m + 1 < p.memory; ++m) sf[m] = sf[m + 1];
        int64_t dot = 0;
        for (int i = 0; i < p.n_input; ++i)
          dot += int32_t{weights_feature[static_cast<int64_t>(f) * p.n_input + i]} *
                 (int32_t{xb[i]} - p.input_zero_point);
        int32_t act = quant::MultiplyByQuantizedMultiplier(WrapToInt32(dot), p.feature_multiplier,
                                                          p.feature_shift);
        // Saturating add of the zero point before the clamp (act is an int32
        // that may be near its limits for out-of-range scales).
        act = static_cast<int32_t>(
            std::min<int64_t>(state_max, std::max<int64_t>(state_min, int64_t{act} + p.state_zero_point)));
        sf[p.memory - 1] = static_cast<T>(act);
        int64_t t = 0;
        const T* wt = weights_time + static_cast<int64_t>(f) * p.memory;
        for (int m = 0; m < p.memory; ++m)
          t += int32_t{wt[m]} * (int32_t{sf[m]} - p.state_zero_point);
        acc += WrapToInt32(t);
      }
      int32_t y = quant::MultiplyByQuantizedMultiplier(WrapToInt32(acc), p.output_multiplier,
                                                      p.output_shift);
      const int64_t q = int64_t{y} + p.output_zero_point;
      output[static_cast<int64_t>(b) * n_units + u] =
          static_cast<int8_t>(std::min<int64_t>(127, std::max<int64_t>(-128, q)));
    }
  }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_SVDF_INTEGER_H_
