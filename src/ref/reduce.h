// Reference reductions over a set of axes (MEAN, SUM, REDUCE_PROD/MAX/MIN/ANY/ALL)
// and arg-reductions (ARG_MAX, ARG_MIN).
//
// A reduction is described by the input shape and one flag per axis saying
// whether that axis is reduced. The output holds the kept axes in their
// original order, row-major (with or without size-1 reduced axes: the flat
// layout is the same). For every output element the kernel walks all input
// elements that map to it, folding them into an accumulator with `step`, then
// turns the accumulator into the output value with `finish(acc, count)`.
#ifndef EDGELITE_REF_REDUCE_H_
#define EDGELITE_REF_REDUCE_H_

#include <cstdint>

#include "edgelite/tensor.h"

namespace edgelite {
namespace ref {

// Row-major strides of `shape` (in elements).
inline void RowMajorStrides(const Shape& shape, int64_t* strides) {
  int64_t s = 1;
  for (int i = shape.rank - 1; i >= 0; --i) {
    strides[i] = s;
    s *= shape.dims[i];
  }
}

// out[o] = finish(fold(step, init, {in[i] : i maps to o}), count of those i).
// `reduced[a]` is true for every reduced axis a of `in_shape`.
template <typename In, typename Out, typename Acc, typename Step, typename Finish>
void Reduce(const In* input, const Shape& in_shape, const bool* reduced, Out* output, Acc init,
            Step step, Finish finish) {
  int64_t strides[kMaxRank];
  RowMajorStrides(in_shape, strides);
  int kept_axes[kMaxRank], red_axes[kMaxRank];
  int num_kept = 0, num_red = 0;
  int64_t out_count = 1, red_count = 1;
  for (int a = 0; a < in_shape.rank; ++a) {
    if (reduced[a]) {
      red_axes[num_red++] = a;
      red_count *= in_shape.dims[a];
    } else {
      kept_axes[num_kept++] = a;
      out_count *= in_shape.dims[a];
    }
  }
  for (int64_t o = 0; o < out_count; ++o) {
    // Offset of the first input element of this output: o decomposed over the
    // kept axes (last kept axis fastest).
    int64_t base = 0, rest = o;
    for (int k = num_kept - 1; k >= 0; --k) {
      const int a = kept_axes[k];
      base += (rest % in_shape.dims[a]) * strides[a];
      rest /= in_shape.dims[a];
    }
    Acc acc = init;
    for (int64_t r = 0; r < red_count; ++r) {
      int64_t offset = base, rrest = r;
      for (int k = num_red - 1; k >= 0; --k) {
        const int a = red_axes[k];
        offset += (rrest % in_shape.dims[a]) * strides[a];
        rrest /= in_shape.dims[a];
      }
      acc = step(acc, input[offset]);
    }
    output[o] = finish(acc, red_count);
  }
}

// Index along `axis` of the largest (is_max) or smallest element of each
// line; the first such index on ties. `better(a, b)` is true if a strictly
// beats b. Input viewed as [outer, axis_size, inner]; output [outer, inner].
template <typename T, typename Index, typename Better>
void ArgReduce(const T* input, int64_t outer, int64_t axis_size, int64_t inner, Index* output,
               Better better) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const T* line = input + o * axis_size * inner + i;
      int64_t best = 0;
      for (int64_t j = 1; j < axis_size; ++j)
        if (better(line[j * inner], line[best * inner])) best = j;
      output[o * inner + i] = static_cast<Index>(best);
    }
  }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_REDUCE_H_
