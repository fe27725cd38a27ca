// Reference broadcasting copies (BROADCAST_TO, TILE), type-agnostic.
#ifndef EDGELITE_REF_BROADCAST_TO_H_
#define EDGELITE_REF_BROADCAST_TO_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "edgelite/tensor.h"

namespace edgelite {
namespace ref {

// Output element at index (i_0..i_{r-1}) of out_shape reads the input at
// (i_d mod in_dims[d]); in_dims has the output's rank (left-padded with 1).
// With in_dims[d] == 1 this is BROADCAST_TO; with out = in * multiples, TILE.
inline void BroadcastModulo(const uint8_t* input, const int32_t* in_dims, const Shape& out_shape,
                            uint8_t* output, size_t elem) {
  const int r = out_shape.rank;
  int64_t in_stride[kMaxRank];
  int64_t s = 1;
  for (int d = r - 1; d >= 0; --d) {
    in_stride[d] = s;
    s *= in_dims[d];
  }
  const int64_t total = out_shape.NumElements();
  int32_t idx[kMaxRank] = {};
  for (int64_t o = 0; o < total; ++o) {
    int64_t in_off = 0;
    for (int d = 0; d < r; ++d) in_off += (idx[d] % in_dims[d]) * in_stride[d];
    memcpy(output + o * elem, input + in_off * elem, elem);
    for (int d = r - 1; d >= 0; --d) {
      if (++idx[d] < out_shape.dims[d]) break;
      idx[d] = 0;
    }
  }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_BROADCAST_TO_H_
