// Reference strided copy (STRIDED_SLICE, SLICE), type-agnostic: along each
// dimension d, output index k reads input index start[d] + k * stride[d].
#ifndef EDGELITE_REF_STRIDED_SLICE_H_
#define EDGELITE_REF_STRIDED_SLICE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "edgelite/tensor.h"

namespace edgelite {
namespace ref {

// in_shape and count have the same rank; every visited index is in range
// (the caller validated start/stride/count).
inline void StridedSlice(const uint8_t* input, const Shape& in_shape, const int32_t* start,
                         const int32_t* stride, const int32_t* count, uint8_t* output,
                         size_t elem) {
  const int r = in_shape.rank;
  int64_t in_stride[kMaxRank];
  int64_t s = 1;
  int64_t total = 1;
  for (int d = r - 1; d >= 0; --d) {
    in_stride[d] = s;
    s *= in_shape.dims[d];
    total *= count[d];
  }
  int32_t idx[kMaxRank] = {};
  for (int64_t o = 0; o < total; ++o) {
    int64_t in_off = 0;
    for (int d = 0; d < r; ++d)
      in_off += (start[d] + static_cast<int64_t>(idx[d]) * stride[d]) * in_stride[d];
    memcpy(output + o * elem, input + in_off * elem, elem);
    for (int d = r - 1; d >= 0; --d) {
      if (++idx[d] < count[d]) break;
      idx[d] = 0;
    }
  }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_STRIDED_SLICE_H_
