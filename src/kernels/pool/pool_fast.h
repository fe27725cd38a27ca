// AVERAGE_POOL_2D and MAX_POOL_2D (float32 and int8/uint8/int16), NHWC, with the channel loop
// innermost: for each output pixel the in-image taps are visited in the reference's order
// (ky, kx) and folded into a block of per-channel accumulators over contiguous channels, which
// the compiler vectorizes. Every output element sees the same operations in the same order as
// in src/ref/pooling.h, so the results are identical (float included). Portable C++ only.
//
// Threading: a call computes output rows [row_begin, row_end) (row = batch * out_h + y) and
// writes nothing else.
#ifndef EDGELITE_KERNELS_POOL_POOL_FAST_H_
#define EDGELITE_KERNELS_POOL_POOL_FAST_H_

#include <cstdint>

#include "edgelite/tensor.h"
#include "src/ref/pooling.h"

namespace edgelite {
namespace kernels {
namespace pool {

// kind: kAverage or kMax (L2 stays with the reference).
void PoolFloat(ref::PoolKind kind, const ref::Window2D& p, int32_t k_h, int32_t k_w,
               const Shape& in_shape, const float* input, const Shape& out_shape, float* output,
               int64_t row_begin, int64_t row_end);

template <typename T>
void PoolQuantized(ref::PoolKind kind, const ref::Window2D& p, int32_t k_h, int32_t k_w,
                   int32_t act_min, int32_t act_max, const Shape& in_shape, const T* input,
                   const Shape& out_shape, T* output, int64_t row_begin, int64_t row_end);

extern template void PoolQuantized<int8_t>(ref::PoolKind, const ref::Window2D&, int32_t, int32_t,
                                           int32_t, int32_t, const Shape&, const int8_t*,
                                           const Shape&, int8_t*, int64_t, int64_t);
extern template void PoolQuantized<uint8_t>(ref::PoolKind, const ref::Window2D&, int32_t, int32_t,
                                            int32_t, int32_t, const Shape&, const uint8_t*,
                                            const Shape&, uint8_t*, int64_t, int64_t);
extern template void PoolQuantized<int16_t>(ref::PoolKind, const ref::Window2D&, int32_t, int32_t,
                                            int32_t, int32_t, const Shape&, const int16_t*,
                                            const Shape&, int16_t*, int64_t, int64_t);

}  // namespace pool
}  // namespace kernels
}  // namespace edgelite

#endif  // EDGELITE_KERNELS_POOL_POOL_FAST_H_
