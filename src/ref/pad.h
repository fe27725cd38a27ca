// Reference PAD / PADV2 (constant padding) and MIRROR_PAD (type-agnostic).
//
// For every output index o along axis d (input size n, padding before L):
//   constant: i = o - L; outside [0, n) the output holds `pad_value`.
//   mirror:   i = o - L, reflected back into [0, n):
//             REFLECT (offset 1) mirrors about the edge element, excluding it
//               (…, x2, x1 | x0, x1, x2, …);
//             SYMMETRIC (offset 0) mirrors including it (…, x1, x0 | x0, x1, …).
// Elements are opaque `elem_size`-byte values.
#ifndef EDGELITE_REF_PAD_H_
#define EDGELITE_REF_PAD_H_

#include <cstdint>
#include <cstring>

#include "edgelite/tensor.h"

namespace edgelite {
namespace ref {

inline int64_t MirrorIndex(int64_t i, int64_t n, int offset) {
  if (i < 0) return -i - 1 + offset;
  if (i >= n) return 2 * n - i - 1 - offset;
  return i;
}

// pad_before[rank]; pad_value is null for mirror padding. mirror_offset: 1 REFLECT, 0 SYMMETRIC.
inline void PadCopy(const Shape& in_shape, const uint8_t* input, const Shape& out_shape,
                    uint8_t* output, const int32_t* pad_before, size_t elem_size,
                    const uint8_t* pad_value, int mirror_offset) {
  const int rank = out_shape.rank;
  const int64_t total = out_shape.NumElements();
  int32_t o[kMaxRank] = {};
  for (int64_t flat = 0; flat < total; ++flat) {
    int64_t rest = flat;
    for (int d = rank - 1; d >= 0; --d) {
      o[d] = static_cast<int32_t>(rest % out_shape[d]);
      rest /= out_shape[d];
    }
    bool inside = true;
    int64_t src = 0;
    for (int d = 0; d < rank; ++d) {
      int64_t i = int64_t{o[d]} - pad_before[d];
      if (pad_value == nullptr) {
        i = MirrorIndex(i, in_shape[d], mirror_offset);
      } else if (i < 0 || i >= in_shape[d]) {
        inside = false;
        break;
      }
      src = src * in_shape[d] + i;
    }
    memcpy(output + flat * static_cast<int64_t>(elem_size),
           inside ? input + src * static_cast<int64_t>(elem_size) : pad_value, elem_size);
  }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_PAD_H_
