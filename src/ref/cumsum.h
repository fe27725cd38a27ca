// Reference CUMSUM along one axis, optionally exclusive and/or reversed.
#ifndef EDGELITE_REF_CUMSUM_H_
#define EDGELITE_REF_CUMSUM_H_

#include <cstdint>

namespace edgelite {
namespace ref {

// Input viewed as [outer, axis_size, inner]. Inclusive forward:
// out[j] = x[0] + ... + x[j]; exclusive leaves x[j] out; reverse sums from the
// end of the axis instead. Acc: double for floats (each output within about
// 1 ulp of exact plus axis_size * 2^-53 * sum|x|), unsigned for integers
// (defined wrap-around).
template <typename T, typename Acc>
void CumSum(const T* input, int64_t outer, int64_t axis_size, int64_t inner, bool exclusive,
            bool reverse, T* output) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const int64_t base = o * axis_size * inner + i;
      Acc acc = Acc(0);
      for (int64_t step = 0; step < axis_size; ++step) {
        const int64_t j = reverse ? axis_size - 1 - step : step;
        const int64_t at = base + j * inner;
        if (exclusive) {
          output[at] = static_cast<T>(acc);
          acc = Acc(acc + Acc(input[at]));
        } else {
          acc = Acc(acc + Acc(input[at]));
          output[at] = static_cast<T>(acc);
        }
      }
    }
  }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_CUMSUM_H_
