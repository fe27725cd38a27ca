// Reductions (MEAN, SUM, PROD, MAX, MIN, ANY, ALL and the quantized MEAN/SUM) over one contiguous
// block of axes, e.g. the spatial axes {1, 2} of an NHWC tensor: the input is viewed as
// [outer, R, inner] and every output folds its R elements in increasing index order, exactly the
// order of ref::Reduce (src/ref/reduce.h), so the results are identical for any step function
// (also float sums). The inner loop runs over contiguous elements for a block of outputs at once,
// which the compiler vectorizes; accumulators live on the stack (no heap).
//
// ReduceContiguous returns false (and writes nothing) when the reduced axes of size > 1 are not
// one contiguous block; the caller then runs ref::Reduce.
#ifndef EDGELITE_KERNELS_REDUCE_REDUCE_FAST_H_
#define EDGELITE_KERNELS_REDUCE_REDUCE_FAST_H_

#include <algorithm>
#include <cstdint>

#include "edgelite/tensor.h"

namespace edgelite {
namespace kernels {

template <typename In, typename Out, typename Acc, typename Step, typename Finish>
bool ReduceContiguous(const In* input, const Shape& in_shape, const bool* reduced, Out* output,
                      Acc init, Step step, Finish finish) {
  const int rank = in_shape.rank;
  int first = -1, last = -1;
  for (int a = 0; a < rank; ++a)
    if (reduced[a] && in_shape.dims[a] != 1) {
      if (first < 0) first = a;
      last = a;
    }
  if (first < 0) return false;  // nothing reduced: a copy through finish; keep the reference
  for (int a = first; a <= last; ++a)
    if (!reduced[a] && in_shape.dims[a] != 1) return false;
  int64_t outer = 1, r_count = 1, inner = 1;
  for (int a = 0; a < first; ++a) outer *= in_shape.dims[a];
  for (int a = first; a <= last; ++a) r_count *= in_shape.dims[a];
  for (int a = last + 1; a < rank; ++a) inner *= in_shape.dims[a];
  constexpr int64_t kBlock = 256;
  Acc acc[kBlock];
  for (int64_t o = 0; o < outer; ++o) {
    const In* base = input + o * r_count * inner;
    Out* out = output + o * inner;
    for (int64_t i0 = 0; i0 < inner; i0 += kBlock) {
      const int64_t n = std::min(kBlock, inner - i0);
      for (int64_t k = 0; k < n; ++k) acc[k] = init;
      for (int64_t r = 0; r < r_count; ++r) {
        const In* row = base + r * inner + i0;
        for (int64_t k = 0; k < n; ++k) acc[k] = step(acc[k], row[k]);
      }
      for (int64_t k = 0; k < n; ++k) out[i0 + k] = finish(acc[k], r_count);
    }
  }
  return true;
}

}  // namespace kernels
}  // namespace edgelite

#endif  // EDGELITE_KERNELS_REDUCE_REDUCE_FAST_H_
