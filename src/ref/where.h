// Reference WHERE with one input: the coordinates of the non-zero (true)
// elements, in row-major order, one row of `rank` int64 values each.
#ifndef EDGELITE_REF_WHERE_H_
#define EDGELITE_REF_WHERE_H_

#include <cstdint>

#include "edgelite/tensor.h"

namespace edgelite {
namespace ref {

template <typename T>
int64_t CountNonZero(const T* cond, int64_t count) {
  int64_t n = 0;
  for (int64_t i = 0; i < count; ++i)
    if (cond[i] != T(0)) ++n;
  return n;
}

// out has CountNonZero(cond) rows of shape.rank entries.
template <typename T>
void WhereCoordinates(const T* cond, const Shape& shape, int64_t* out) {
  const int64_t count = shape.NumElements();
  int64_t row = 0;
  for (int64_t i = 0; i < count; ++i) {
    if (cond[i] == T(0)) continue;
    int64_t rest = i;
    for (int a = shape.rank - 1; a >= 0; --a) {
      out[row * shape.rank + a] = rest % shape.dims[a];
      rest /= shape.dims[a];
    }
    ++row;
  }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_WHERE_H_
