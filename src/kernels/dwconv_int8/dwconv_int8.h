// 8-bit depthwise convolution (DEPTHWISE_CONV_2D int8 per-channel and legacy uint8, depth
// multiplier 1), NHWC, vectorized along channels.
//
// Per output pixel and channel: acc = bias + sum over in-image taps (x - zx) * (w - zw), int32
// with wrap-around (the reference's int32 accumulator), then the project's requantization. The
// weights are stored once in Prepare as int32 (w - zw) per tap and channel (channels padded to a
// multiple of 16 with zeros), so every variant does one widening load, one add, one multiply and
// one add per tap and lane.
//
// Threading contract: DwFn computes output rows [row_begin, row_end) (row = batch * out_h + y)
// and writes nothing else; disjoint ranges may run concurrently.
#ifndef EDGELITE_KERNELS_DWCONV_INT8_DWCONV_INT8_H_
#define EDGELITE_KERNELS_DWCONV_INT8_DWCONV_INT8_H_

#include <cstddef>
#include <cstdint>

namespace edgelite {
namespace kernels {
namespace dwconv_int8 {

constexpr int32_t kChannelBlock = 16;

struct DwPlan {
  int32_t batches = 1, in_h = 1, in_w = 1, channels = 0, out_h = 1, out_w = 1;
  int32_t k_h = 1, k_w = 1, stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  int32_t pad_top = 0, pad_left = 0;
  bool unsigned_8bit = false;       // uint8 input/output (else int8)
  int32_t input_offset = 0;         // -input zero point
  int32_t padded_channels = 0;      // multiple of kChannelBlock
  const int32_t* weights = nullptr;     // [k_h * k_w][padded_channels]: w - weights zero point
  const int32_t* bias = nullptr;        // [padded_channels] (zeros when the op has none)
  const int32_t* multiplier = nullptr;  // [padded_channels]
  const int32_t* shift = nullptr;       // [padded_channels]
  int32_t output_offset = 0, act_min = 0, act_max = 0;
  // Also filled by DwPreparePlan, for variants that use them (AVX2):
  // the weights as int16 in pairs of consecutive taps (tap index ky * k_w + kx; 0 past the last):
  // [(k_h * k_w + 1) / 2][padded_channels][2];
  const int16_t* weights16 = nullptr;
  // bias + input_offset * (sum of the channel's weights over all taps), wrapping like the int32
  // accumulator: the bias of pixels whose taps are all inside the image, for sums of raw inputs;
  const int32_t* interior_bias = nullptr;
  // the shifts split as max(shift, 0), max(-shift, 0) and 2^right - 1 (requantize_avx2.h).
  const int32_t* left_shift = nullptr;
  const int32_t* right_shift = nullptr;
  const int32_t* round_mask = nullptr;
  int64_t rows() const { return static_cast<int64_t>(batches) * out_h; }
};

using DwFn = void (*)(const DwPlan& plan, const uint8_t* input, uint8_t* output,
                      int64_t row_begin, int64_t row_end);

// Persistent bytes DwPreparePlan needs.
size_t DwPersistentBytes(int32_t channels, int32_t k_h, int32_t k_w);

// Fills the plan's arrays in `persistent` (DwPersistentBytes bytes, 16-byte aligned) from the
// filter ([1, k_h, k_w, channels] bytes), bias (or null), per-channel multiplier/shift. The
// geometry and offsets fields of `plan` must be set before the call.
void DwPreparePlan(const uint8_t* filter, int32_t weights_zero_point, const int32_t* bias,
                   const int32_t* multiplier, const int32_t* shift, void* persistent,
                   DwPlan* plan);

DwFn SelectDw();
const char* SelectedDwName();

void DwScalar(const DwPlan&, const uint8_t*, uint8_t*, int64_t, int64_t);
#if defined(__x86_64__) || defined(_M_X64)
void DwAvx2(const DwPlan&, const uint8_t*, uint8_t*, int64_t, int64_t);
void DwAvx512(const DwPlan&, const uint8_t*, uint8_t*, int64_t, int64_t);
#endif
#if defined(__aarch64__)
void DwNeon(const DwPlan&, const uint8_t*, uint8_t*, int64_t, int64_t);
#endif

}  // namespace dwconv_int8
}  // namespace kernels
}  // namespace edgelite

#endif  // EDGELITE_KERNELS_DWCONV_INT8_DWCONV_INT8_H_
