// DEPTHWISE_CONV_2D: per-channel 2-D convolution, NHWC input, [1, KH, KW, O]
// filter with O = input depth * depth multiplier, optional bias, SAME/VALID
// padding, strides, dilations, fused activation. As in TFLite, the multiplier
// is derived from the shapes (the option is redundant and may be stale).
// float32 only; quantized and hybrid variants come with integer inference.
#include "src/ops/op_util.h"
#include "src/ops/window_util.h"
#include "src/ref/depthwise_conv_2d.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kInput = 0, kFilter = 1, kBias = 2;

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 3, 1));
  Tensor *input, *filter, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kInput, &input));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kFilter, &filter));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  Tensor* bias = ctx.input(kBias);
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, input, DataType::kFloat32, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, filter, DataType::kFloat32, "filter"));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, DataType::kFloat32, "output"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, input, 4, 4, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, filter, 4, 4, "filter"));
  if (filter->shape[0] != 1)
    return ctx.Invalid("filter '%s' must have shape [1, H, W, C]; dimension 0 is %d",
                       filter->name, filter->shape[0]);
  const int32_t in_c = input->shape[3], out_c = filter->shape[3];
  if (in_c <= 0 || out_c % in_c != 0)
    return ctx.Invalid("filter depth %d is not a multiple of the input depth %d", out_c, in_c);
  if (bias) {
    EDGELITE_RETURN_IF_ERROR(CheckType(ctx, bias, DataType::kFloat32, "bias"));
    if (bias->shape.NumElements() != out_c)
      return ctx.Invalid("bias '%s' has %lld elements; expected %d (output depth)", bias->name,
                         static_cast<long long>(bias->shape.NumElements()), out_c);
  }
  const auto* opts = Options<fb::DepthwiseConv2DOptions>(ctx);
  if (opts == nullptr) return ctx.Invalid("missing DepthwiseConv2DOptions (strides are required)");
  auto* p = static_cast<ref::Window2D*>(ctx.user_data());
  if (p == nullptr) {
    p = ctx.AllocatePersistent<ref::Window2D>();
    if (p == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
    ctx.set_user_data(p);
  }
  p->stride_h = opts->stride_h();
  p->stride_w = opts->stride_w();
  p->dilation_h = opts->dilation_h_factor();
  p->dilation_w = opts->dilation_w_factor();
  int32_t out_h = 0, out_w = 0;
  EDGELITE_RETURN_IF_ERROR(ComputeWindowAxis(ctx, "height", opts->padding(), input->shape[1],
                                             filter->shape[1], p->stride_h, p->dilation_h, &out_h,
                                             &p->pad_top));
  EDGELITE_RETURN_IF_ERROR(ComputeWindowAxis(ctx, "width", opts->padding(), input->shape[2],
                                             filter->shape[2], p->stride_w, p->dilation_w, &out_w,
                                             &p->pad_left));
  EDGELITE_RETURN_IF_ERROR(
      FloatActivationRange(ctx, opts->fused_activation_function(), &p->act_min, &p->act_max));
  return ctx.ResizeOutput(output, Shape{input->shape[0], out_h, out_w, out_c});
}

Status Eval(OpContext& ctx) {
  const Tensor* input = ctx.input(kInput);
  const Tensor* filter = ctx.input(kFilter);
  const Tensor* bias = ctx.input(kBias);
  Tensor* output = ctx.output(0);
  ref::DepthwiseConv2DFloat(*static_cast<const ref::Window2D*>(ctx.user_data()), input->shape,
                            input->data_as<float>(), filter->shape, filter->data_as<float>(),
                            bias ? bias->data_as<float>() : nullptr, output->shape,
                            output->data_as<float>());
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_DEPTHWISE_CONV_2D() {
  static const OpRegistration reg = {"DEPTHWISE_CONV_2D", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
