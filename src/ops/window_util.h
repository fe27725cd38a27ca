// Checks and geometry shared by the windowed ops (CONV_2D, DEPTHWISE_CONV_2D,
// TRANSPOSE_CONV, CONV_3D and the 2-D pools), and the element-copy helpers of
// the type-agnostic data-movement ops (pads, space/depth/batch, resize nearest).
#ifndef EDGELITE_OPS_WINDOW_UTIL_H_
#define EDGELITE_OPS_WINDOW_UTIL_H_

#include <cstdint>
#include <cstring>
#include <limits>

#include "src/ops/op_util.h"
#include "src/ref/conv_2d.h"

namespace edgelite {
namespace ops {

// Largest stride/dilation accepted (TFLite caps strides at 16 bits as well);
// keeps every index computation of the kernels far from int overflow.
constexpr int32_t kMaxWindowStep = 0xFFFF;

// Validates one spatial axis of a window op and computes its output size and
// the padding before the first element. `axis` names the axis in errors.
inline Status ComputeWindowAxis(OpContext& ctx, const char* axis, fb::Padding padding, int32_t in,
                                int32_t filter, int32_t stride, int32_t dilation, int32_t* out,
                                int32_t* pad_before) {
  if (padding != fb::Padding::SAME && padding != fb::Padding::VALID)
    return ctx.Invalid("unknown padding type %d", static_cast<int>(padding));
  if (stride < 1 || stride > kMaxWindowStep)
    return ctx.Invalid("%s stride %d is out of range [1, %d]", axis, stride, kMaxWindowStep);
  if (dilation < 1 || dilation > kMaxWindowStep)
    return ctx.Invalid("%s dilation %d is out of range [1, %d]", axis, dilation, kMaxWindowStep);
  if (filter < 1) return ctx.Invalid("%s filter size %d must be positive", axis, filter);
  if (in < 0 || in > std::numeric_limits<int32_t>::max() / 2)
    return ctx.Invalid("%s size %d is out of range", axis, in);
  const int64_t effective = int64_t{filter - 1} * dilation + 1;
  if (effective > std::numeric_limits<int32_t>::max() / 2)
    return ctx.Invalid("%s dilated filter size %lld is too large", axis,
                       static_cast<long long>(effective));
  *out = ConvOutputSize(padding, in, filter, stride, dilation);
  *pad_before = ConvPaddingBefore(stride, dilation, in, filter, *out);
  return Status::Ok();
}

// The strides, dilations and padding of a 2-D convolution (CONV_2D,
// DEPTHWISE_CONV_2D) into `p`, and the output height and width, from the
// input's and the filter's spatial sizes (NHWC input, [., H, W, .] filter).
inline Status ConvWindow2D(OpContext& ctx, fb::Padding padding, int32_t stride_h,
                           int32_t stride_w, int32_t dilation_h, int32_t dilation_w,
                           const Tensor* input, const Tensor* filter, ref::Window2D* p,
                           int32_t* out_h, int32_t* out_w) {
  p->stride_h = stride_h;
  p->stride_w = stride_w;
  p->dilation_h = dilation_h;
  p->dilation_w = dilation_w;
  EDGELITE_RETURN_IF_ERROR(ComputeWindowAxis(ctx, "height", padding, input->shape[1],
                                             filter->shape[1], stride_h, dilation_h, out_h,
                                             &p->pad_top));
  return ComputeWindowAxis(ctx, "width", padding, input->shape[2], filter->shape[2], stride_w,
                           dilation_w, out_w, &p->pad_left);
}

// An optional bias must hold one value per output channel.
inline Status CheckBiasLength(OpContext& ctx, const Tensor* bias, int32_t out_channels) {
  if (bias && bias->shape.NumElements() != out_channels)
    return ctx.Invalid("bias '%s' has %lld elements; expected %d (output depth)", bias->name,
                       static_cast<long long>(bias->shape.NumElements()), out_channels);
  return Status::Ok();
}

// Element size of a type the data-movement ops can copy (any fixed-size type).
inline Status CopyableElementSize(OpContext& ctx, const Tensor* t, size_t* size) {
  *size = DataTypeSize(t->type);
  if (*size == 0)
    return ctx.Fail(StatusCode::kUnsupported, "tensor '%s' has type %s, which cannot be copied "
                    "element-wise", t->name, DataTypeName(t->type));
  return Status::Ok();
}

// Input and output of a data-movement op must agree in type and quantization
// (the op moves values, it cannot rescale them).
inline Status CheckSameQuantization(OpContext& ctx, const Tensor* in, const Tensor* out) {
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, in, out));
  const Quantization &a = in->quant, &b = out->quant;
  if (a.count == 1 && b.count == 1 &&
      (a.scale[0] != b.scale[0] || a.zero_point[0] != b.zero_point[0]))
    return ctx.Fail(StatusCode::kUnsupported,
                    "input '%s' and output '%s' have different quantization (scale %g vs %g); "
                    "requantizing is not supported",
                    in->name, out->name, a.scale[0], b.scale[0]);
  return Status::Ok();
}

// The "zero" of a tensor's type as raw bytes (the zero point for per-tensor
// quantized int8/uint8/int16, else all-zero bytes). buf must hold 16 bytes.
inline void ZeroValueBytes(const Tensor* t, uint8_t* buf) {
  memset(buf, 0, 16);
  if (!t->quant.is_quantized() || t->quant.zero_point == nullptr) return;
  const int64_t zp = t->quant.zero_point[0];
  if (t->type == DataType::kInt8) {
    const int8_t v = static_cast<int8_t>(zp);
    memcpy(buf, &v, 1);
  } else if (t->type == DataType::kUInt8) {
    const uint8_t v = static_cast<uint8_t>(zp);
    memcpy(buf, &v, 1);
  } else if (t->type == DataType::kInt16) {
    const int16_t v = static_cast<int16_t>(zp);
    memcpy(buf, &v, 2);
  }
}

// RESIZE_* ops: validates input [N, H, W, C] and size (int32 [2]); sizes the
// output from the size values now if they are readable, else marks it dynamic
// (the op calls this again in eval then).
inline Status ResizeImageOutput(OpContext& ctx, const Tensor* input, const Tensor* size,
                                Tensor* output) {
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, input, 4, 4, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, size, DataType::kInt32, "size"));
  if (size->shape.rank != 1 || size->shape[0] != 2)
    return ctx.Invalid("size '%s' must have shape [2]", size->name);
  if (!ctx.HasData(size)) {
    ctx.SetOutputDynamic(output);
    return Status::Ok();
  }
  const int32_t h = size->data_as<int32_t>()[0], w = size->data_as<int32_t>()[1];
  if (h <= 0 || w <= 0)
    return ctx.Invalid("size '%s' = [%d, %d] must be positive", size->name, h, w);
  return ctx.ResizeOutput(output, Shape{input->shape[0], h, w, input->shape[3]});
}

}  // namespace ops
}  // namespace edgelite

#endif  // EDGELITE_OPS_WINDOW_UTIL_H_
