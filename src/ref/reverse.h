// Reference REVERSE_V2, type-agnostic: reverses the dims flagged in `flip`.
#ifndef EDGELITE_REF_REVERSE_H_
#define EDGELITE_REF_REVERSE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "edgelite/tensor.h"

namespace edgelite {
namespace ref {

inline void Reverse(const uint8_t* input, const Shape& shape, const bool* flip, uint8_t* output,
                    size_t elem) {
  const int r = shape.rank;
  int64_t stride[kMaxRank];
  int64_t s = 1;
  for (int d = r - 1; d >= 0; --d) {
    stride[d] = s;
    s *= shape.dims[d];
  }
  const int64_t total = shape.NumElements();
  int32_t idx[kMaxRank] = {};
  for (int64_t o = 0; o < total; ++o) {
    int64_t in_off = 0;
    for (int d = 0; d < r; ++d)
      in_off += (flip[d] ? shape.dims[d] - 1 - idx[d] : idx[d]) * stride[d];
    memcpy(output + o * elem, input + in_off * elem, elem);
    for (int d = r - 1; d >= 0; --d) {
      if (++idx[d] < shape.dims[d]) break;
      idx[d] = 0;
    }
  }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_REVERSE_H_
