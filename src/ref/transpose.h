// Reference TRANSPOSE, type-agnostic: output dim i is input dim perm[i].
#ifndef EDGELITE_REF_TRANSPOSE_H_
#define EDGELITE_REF_TRANSPOSE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "edgelite/tensor.h"

namespace edgelite {
namespace ref {

// `in_shape` has rank r; perm is a permutation of [0, r); `elem` bytes per element.
inline void Transpose(const uint8_t* input, const Shape& in_shape, const int32_t* perm,
                      uint8_t* output, size_t elem) {
  const int r = in_shape.rank;
  int64_t in_stride[kMaxRank];
  int64_t s = 1;
  for (int d = r - 1; d >= 0; --d) {
    in_stride[d] = s;
    s *= in_shape.dims[d];
  }
  int32_t out_dims[kMaxRank];
  int64_t step[kMaxRank];  // input stride of each output dim
  for (int i = 0; i < r; ++i) {
    out_dims[i] = in_shape.dims[perm[i]];
    step[i] = in_stride[perm[i]];
  }
  const int64_t total = in_shape.NumElements();
  int32_t idx[kMaxRank] = {};
  for (int64_t o = 0; o < total; ++o) {
    int64_t in_off = 0;
    for (int i = 0; i < r; ++i) in_off += idx[i] * step[i];
    memcpy(output + o * elem, input + in_off * elem, elem);
    for (int i = r - 1; i >= 0; --i) {  // odometer increment of the output index
      if (++idx[i] < out_dims[i]) break;
      idx[i] = 0;
    }
  }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_TRANSPOSE_H_
