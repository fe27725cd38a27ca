// Data-movement kernels: constant PAD/PADV2, STRIDED_SLICE/SLICE and TRANSPOSE as runs of memcpy and fills instead
// of the reference's per-element index arithmetic (src/ref/pad.h, src/ref/strided_slice.h give
// the semantics; the outputs are the same bytes). Portable C++: memcpy is the vector code here.
//
// Dimensions that are copied whole (no padding; start 0, stride 1, full count) are merged with
// the dimensions inside them, so the innermost run is as long as possible; a strided innermost
// dimension is a loop of fixed-size element copies.
//
// Threading: each call writes only its output; calls on distinct outputs may run concurrently.
#ifndef EDGELITE_KERNELS_COPY_COPY_H_
#define EDGELITE_KERNELS_COPY_COPY_H_

#include <cstddef>
#include <cstdint>

#include "edgelite/tensor.h"

namespace edgelite {
namespace kernels {
namespace copy {

// Constant padding: out_shape[d] = in_shape[d] + pad_before[d] + pad_after[d] (all >= 0, as PAD's
// Prepare validates); elements are opaque `elem`-byte values; pad_value points to one element.
void PadConstant(const Shape& in_shape, const uint8_t* input, const Shape& out_shape,
                 uint8_t* output, const int32_t* pad_before, size_t elem,
                 const uint8_t* pad_value);

// Same contract as ref::StridedSlice: in_shape and count have the same rank, every visited index
// is in range (the caller validated start/stride/count); output holds prod(count) elements.
void StridedSlice(const uint8_t* input, const Shape& in_shape, const int32_t* start,
                  const int32_t* stride, const int32_t* count, uint8_t* output, size_t elem);

// Same contract as ref::Transpose: output dimension i is input dimension perm[i].
void Transpose(const uint8_t* input, const Shape& in_shape, const int32_t* perm, uint8_t* output,
               size_t elem);

}  // namespace copy
}  // namespace kernels
}  // namespace edgelite

#endif  // EDGELITE_KERNELS_COPY_COPY_H_
