// Float32 depthwise 2-D convolution with depth multiplier 1, NHWC, channels vectorized.
//
//   out[b, y, x, c] = clamp( sum_{ky, kx} in[b, y*sh - pad_top + ky*dh, x*sw - pad_left + kx*dw, c]
//                                         * filter[ky, kx, c]  + bias[c],  act_min, act_max )
// Taps outside the image contribute nothing. The sum runs over ky, kx in order and the bias is
// added after it, as in ref::DepthwiseConv2DFloat (fused multiply-add changes the rounding).
// The filter is used in the model's [1, KH, KW, C] layout (already channel-contiguous, so there
// is nothing to pack).
//
// Threading: a call computes output rows [row_begin, row_end) of the flattened (batch, out_y)
// axis and writes only those; disjoint ranges may run concurrently. No allocation.
#ifndef EDGELITE_KERNELS_DWCONV_DWCONV_F32_H_
#define EDGELITE_KERNELS_DWCONV_DWCONV_F32_H_

#include <cstdint>

#include "src/base/cpu_features.h"

namespace edgelite {
namespace kernels {

struct DwConvF32Args {
  const float* input = nullptr;  // [batches, in_h, in_w, channels]
  int32_t in_h = 0, in_w = 0, channels = 0;
  const float* filter = nullptr;  // [k_h, k_w, channels]
  const float* bias = nullptr;    // [channels] or null
  int32_t k_h = 0, k_w = 0;
  int32_t stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  int32_t pad_top = 0, pad_left = 0;
  float* output = nullptr;  // [batches, out_h, out_w, channels]
  int32_t out_h = 0, out_w = 0;
  float act_min = 0.0f, act_max = 0.0f;
};

using DwConvF32Fn = void (*)(const DwConvF32Args& args, int64_t row_begin, int64_t row_end);

struct DwConvF32Kernel {
  Isa isa = Isa::kScalar;
  DwConvF32Fn run = nullptr;
};

// The best variant for ActiveIsa() (called once per op in Prepare).
const DwConvF32Kernel& SelectDwConvF32Kernel();

void DwConvF32RunScalar(const DwConvF32Args& args, int64_t row_begin, int64_t row_end);
void DwConvF32RunAvx2(const DwConvF32Args& args, int64_t row_begin, int64_t row_end);
void DwConvF32RunAvx512(const DwConvF32Args& args, int64_t row_begin, int64_t row_end);
void DwConvF32RunNeon(const DwConvF32Args& args, int64_t row_begin, int64_t row_end);

// The taps [*k0, *k1) of a window starting at `origin` (step `dilation`, `k` taps) that fall
// inside [0, size).
inline void ValidTaps(int64_t origin, int32_t dilation, int32_t k, int64_t size, int32_t* k0,
                      int32_t* k1) {
  int32_t lo = 0, hi = k;
  while (lo < hi && origin + int64_t{lo} * dilation < 0) ++lo;
  while (hi > lo && origin + int64_t{hi - 1} * dilation >= size) --hi;
  *k0 = lo;
  *k1 = hi;
}

}  // namespace kernels
}  // namespace edgelite

#endif  // EDGELITE_KERNELS_DWCONV_DWCONV_F32_H_
