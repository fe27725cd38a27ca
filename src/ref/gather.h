// Reference GATHER and GATHER_ND, type-agnostic. Indices are validated here
// (they are data): the functions return the position of the first
// out-of-range index, or -1 when all were in range (output then complete).
#ifndef EDGELITE_REF_GATHER_H_
#define EDGELITE_REF_GATHER_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace edgelite {
namespace ref {

// params viewed as [batch, outer, axis_size, inner], indices as [batch, count];
// output [batch, outer, count, inner]. index(i) returns indices element i.
template <typename IndexFn>
int64_t Gather(const uint8_t* params, int64_t batch, int64_t outer, int64_t axis_size,
               int64_t inner, IndexFn index, int64_t count, uint8_t* output, size_t elem) {
  const size_t row = static_cast<size_t>(inner) * elem;
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t c = 0; c < count; ++c) {
        const int64_t k = index(b * count + c);
        if (k < 0 || k >= axis_size) return b * count + c;
        memcpy(output + (((b * outer + o) * count + c) * inner) * elem,
               params + (((b * outer + o) * axis_size + k) * inner) * elem, row);
      }
  return -1;
}

// params [d0..d_{depth-1}, slice...] with dims `pdims`; indices viewed as
// [count, depth]; output [count, slice]. Returns the first bad index tuple.
template <typename IndexFn>
int64_t GatherNd(const uint8_t* params, const int32_t* pdims, int depth, int64_t slice,
                 IndexFn index, int64_t count, uint8_t* output, size_t elem) {
  for (int64_t c = 0; c < count; ++c) {
    int64_t off = 0;
    for (int j = 0; j < depth; ++j) {
      const int64_t k = index(c * depth + j);
      if (k < 0 || k >= pdims[j]) return c;
      off = off * pdims[j] + k;
    }
    memcpy(output + c * slice * elem, params + off * slice * elem,
           static_cast<size_t>(slice) * elem);
  }
  return -1;
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_GATHER_H_
