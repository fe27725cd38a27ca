// RESIZE_BILINEAR float32, NHWC, with the source coordinates computed once per output column
// (in chunks) and once per output row instead of once per output element, and the channel loop
// innermost over contiguous channels (which the compiler vectorizes). Every output element is
// the reference's expression (src/ref/resize.h ResizeBilinearFloat) on the same operands in the
// same order: a*(1-dy)*(1-dx) + b*dy*(1-dx) + c*(1-dy)*dx + d*dy*dx, with (1-dy), dy, (1-dx), dx
// the reference's own values, so results are identical. Portable C++ only.
//
// Threading: a call computes output rows [row_begin, row_end) (row = batch * out_h + y) and
// writes nothing else.
#ifndef EDGELITE_KERNELS_RESIZE_RESIZE_FAST_H_
#define EDGELITE_KERNELS_RESIZE_RESIZE_FAST_H_

#include <cstdint>

#include "edgelite/tensor.h"

namespace edgelite {
namespace kernels {
namespace resize {

void ResizeBilinearFloat(const Shape& in_shape, const float* input, const Shape& out_shape,
                         float* output, bool align_corners, bool half_pixel, int64_t row_begin,
                         int64_t row_end);

}  // namespace resize
}  // namespace kernels
}  // namespace edgelite

#endif  // EDGELITE_KERNELS_RESIZE_RESIZE_FAST_H_
