// Reference SPACE_TO_DEPTH and DEPTH_TO_SPACE (type-agnostic, NHWC, block size bs).
//
//   space_to_depth: out[b, y, x, (dy*bs + dx)*C + c] = in[b, y*bs + dy, x*bs + dx, c]
//   depth_to_space: out[b, y*bs + dy, x*bs + dx, c] = in[b, y, x, (dy*bs + dx)*C' + c]
// (C = input depth of space_to_depth; C' = output depth of depth_to_space).
// Elements are copied as opaque `elem_size`-byte values.
#ifndef EDGELITE_REF_SPACE_DEPTH_H_
#define EDGELITE_REF_SPACE_DEPTH_H_

#include <cstdint>
#include <cstring>

#include "edgelite/tensor.h"

namespace edgelite {
namespace ref {

// `space` is the [N, H, W, C] side, `depth` the [N, H/bs, W/bs, C*bs*bs] side;
// to_depth selects the direction of the copy.
inline void SpaceDepthCopy(const Shape& space, uint8_t* space_data, uint8_t* depth_data,
                           int32_t bs, size_t elem_size, bool to_depth) {
  const int64_t batches = space[0], h = space[1], w = space[2];
  const int64_t c_bytes = int64_t{space[3]} * static_cast<int64_t>(elem_size);
  const int64_t dh = h / bs, dw = w / bs;
  for (int64_t b = 0; b < batches; ++b)
    for (int64_t y = 0; y < h; ++y)
      for (int64_t x = 0; x < w; ++x) {
        const int64_t block = (y % bs) * bs + (x % bs);
        uint8_t* s = space_data + ((b * h + y) * w + x) * c_bytes;
        uint8_t* d = depth_data + (((b * dh + y / bs) * dw + x / bs) * bs * bs + block) * c_bytes;
        if (to_depth)
          memcpy(d, s, static_cast<size_t>(c_bytes));
        else
          memcpy(s, d, static_cast<size_t>(c_bytes));
      }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_SPACE_DEPTH_H_
