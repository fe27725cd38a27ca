// CONV_3D: 3-D convolution, NDHWC input, [KD, KH, KW, I, O] filter, optional
// bias, SAME/VALID padding, strides, dilations, fused activation. float32 only.
#include "src/ops/op_util.h"
#include "src/ops/window_util.h"
#include "src/ref/conv_3d.h"

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
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, input, 5, 5, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, filter, 5, 5, "filter"));
  if (filter->shape[3] != input->shape[4])
    return ctx.Invalid("filter input depth %d does not match the input depth %d",
                       filter->shape[3], input->shape[4]);
  const int32_t out_c = filter->shape[4];
  if (bias) {
    EDGELITE_RETURN_IF_ERROR(CheckType(ctx, bias, DataType::kFloat32, "bias"));
    EDGELITE_RETURN_IF_ERROR(CheckBiasLength(ctx, bias, out_c));
  }
  const auto* opts = Options<fb::Conv3DOptions>(ctx);
  if (opts == nullptr) return ctx.Invalid("missing Conv3DOptions (strides are required)");
  auto* p = static_cast<ref::Window3D*>(ctx.user_data());
  if (p == nullptr) {
    p = ctx.AllocatePersistent<ref::Window3D>();
    if (p == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
    ctx.set_user_data(p);
  }
  const int32_t strides[3] = {opts->stride_d(), opts->stride_h(), opts->stride_w()};
  const int32_t dilations[3] = {opts->dilation_d_factor(), opts->dilation_h_factor(),
                                opts->dilation_w_factor()};
  const char* names[3] = {"depth", "height", "width"};
  Shape out{input->shape[0], 0, 0, 0, out_c};
  for (int i = 0; i < 3; ++i) {
    p->stride[i] = strides[i];
    p->dilation[i] = dilations[i];
    EDGELITE_RETURN_IF_ERROR(ComputeWindowAxis(ctx, names[i], opts->padding(),
                                               input->shape[1 + i], filter->shape[i], strides[i],
                                               dilations[i], &out.dims[1 + i], &p->pad[i]));
  }
  EDGELITE_RETURN_IF_ERROR(
      FloatActivationRange(ctx, opts->fused_activation_function(), &p->act_min, &p->act_max));
  return ctx.ResizeOutput(output, out);
}

Status Eval(OpContext& ctx) {
  const Tensor* input = ctx.input(kInput);
  const Tensor* filter = ctx.input(kFilter);
  const Tensor* bias = ctx.input(kBias);
  Tensor* output = ctx.output(0);
  ref::Conv3DFloat(*static_cast<const ref::Window3D*>(ctx.user_data()), input->shape,
                   input->data_as<float>(), filter->shape, filter->data_as<float>(),
                   bias ? bias->data_as<float>() : nullptr, output->shape,
                   output->data_as<float>());
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_CONV_3D() {
  static const OpRegistration reg = {"CONV_3D", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
