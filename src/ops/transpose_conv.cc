// TRANSPOSE_CONV: transposed 2-D convolution. Inputs: output_shape (int32
// [4], the NHWC shape to produce), weights [O, KH, KW, I], input [N, H, W, I],
// optional bias [O]. SAME/VALID padding, strides, fused activation (v4+).
// The padding is that of the forward CONV_2D that maps the output back to the
// input, and that convolution's output size must equal the input size.
// Types: float32; int8 (per-channel or per-tensor int8 weights, int32 bias);
// legacy uint8 (per-tensor); 16x8 (int16 activations, int8 weights, int64 or
// int32 bias).
#include "src/ops/conv_quant_util.h"
#include "src/ops/op_util.h"
#include "src/ops/window_util.h"
#include "src/ref/transpose_conv.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kOutputShape = 0, kWeights = 1, kInput = 2, kBias = 3;

struct TransposeConvData {
  ref::Window2D p;
  bool quantized = false;
  ref::QuantConvParams q;
  int32_t channel_capacity = 0;
};

template <typename InT, typename WT>
void EvalQuantizedTyped(const TransposeConvData& d, const Tensor* input, const Tensor* weights,
                        const Tensor* bias, Tensor* output) {
  if (bias && bias->type == DataType::kInt64) {
    ref::TransposeConvQuantized<InT, WT, InT, int64_t>(
        d.p, d.q, input->shape, input->data_as<InT>(), weights->shape, weights->data_as<WT>(),
        bias->data_as<int64_t>(), output->shape, output->data_as<InT>());
  } else if (bias || input->type != DataType::kInt16) {
    ref::TransposeConvQuantized<InT, WT, InT, int32_t>(
        d.p, d.q, input->shape, input->data_as<InT>(), weights->shape, weights->data_as<WT>(),
        bias ? bias->data_as<int32_t>() : nullptr, output->shape, output->data_as<InT>());
  } else {
    ref::TransposeConvQuantized<InT, WT, InT, int64_t>(
        d.p, d.q, input->shape, input->data_as<InT>(), weights->shape, weights->data_as<WT>(),
        nullptr, output->shape, output->data_as<InT>());
  }
}

// Reads the output shape values, checks them and sizes the output (prepare
// when output_shape is constant, else eval).
Status ResizeFromShapeTensor(OpContext& ctx) {
  const Tensor* shape_t = ctx.input(kOutputShape);
  const Tensor* weights = ctx.input(kWeights);
  const Tensor* input = ctx.input(kInput);
  Tensor* output = ctx.output(0);
  const auto* opts = Options<fb::TransposeConvOptions>(ctx);
  auto* p = &static_cast<TransposeConvData*>(ctx.user_data())->p;
  const int32_t* s = shape_t->data_as<int32_t>();
  Shape out{s[0], s[1], s[2], s[3]};
  if (out[0] != input->shape[0] || out[3] != weights->shape[0])
    return ctx.Invalid("output_shape [%d,%d,%d,%d] must have batch %d and depth %d", s[0], s[1],
                       s[2], s[3], input->shape[0], weights->shape[0]);
  if (out[1] <= 0 || out[2] <= 0)
    return ctx.Invalid("output_shape [%d,%d,%d,%d] must have positive height and width", s[0],
                       s[1], s[2], s[3]);
  int32_t in_h = 0, in_w = 0;
  EDGELITE_RETURN_IF_ERROR(ComputeWindowAxis(ctx, "height", opts->padding(), out[1],
                                             weights->shape[1], p->stride_h, 1, &in_h,
                                             &p->pad_top));
  EDGELITE_RETURN_IF_ERROR(ComputeWindowAxis(ctx, "width", opts->padding(), out[2],
                                             weights->shape[2], p->stride_w, 1, &in_w,
                                             &p->pad_left));
  if (in_h != input->shape[1] || in_w != input->shape[2])
    return ctx.Invalid(
        "output_shape [%d,%d,%d,%d] is inconsistent with input '%s': a convolution of it would "
        "give %dx%d, not %dx%d",
        s[0], s[1], s[2], s[3], input->name, in_h, in_w, input->shape[1], input->shape[2]);
  return ctx.ResizeOutput(output, out);
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 3, 4, 1));
  Tensor *shape_t, *weights, *input, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kOutputShape, &shape_t));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kWeights, &weights));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kInput, &input));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  Tensor* bias = ctx.input(kBias);
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, shape_t, DataType::kInt32, "output_shape"));
  if (!IsQuantizedActivationType(input->type)) {
    EDGELITE_RETURN_IF_ERROR(CheckType(ctx, input, DataType::kFloat32, "input"));
    EDGELITE_RETURN_IF_ERROR(CheckType(ctx, weights, DataType::kFloat32, "weights"));
    EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, DataType::kFloat32, "output"));
  }
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, shape_t, 1, 1, "output_shape"));
  if (shape_t->shape[0] != 4)
    return ctx.Invalid("output_shape '%s' must hold 4 values, holds %d", shape_t->name,
                       shape_t->shape[0]);
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, input, 4, 4, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, weights, 4, 4, "weights"));
  if (weights->shape[3] != input->shape[3])
    return ctx.Invalid("weights depth %d does not match the input depth %d", weights->shape[3],
                       input->shape[3]);
  if (bias) {
    if (input->type == DataType::kFloat32)
      EDGELITE_RETURN_IF_ERROR(CheckType(ctx, bias, DataType::kFloat32, "bias"));
    EDGELITE_RETURN_IF_ERROR(CheckBiasLength(ctx, bias, weights->shape[0]));
  }
  const auto* opts = Options<fb::TransposeConvOptions>(ctx);
  if (opts == nullptr) return ctx.Invalid("missing TransposeConvOptions (strides are required)");
  TransposeConvData* d = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &d));
  ref::Window2D* p = &d->p;
  p->stride_h = opts->stride_h();
  p->stride_w = opts->stride_w();
  d->quantized = input->type != DataType::kFloat32;
  if (d->quantized) {
    EDGELITE_RETURN_IF_ERROR(PrepareConvQuant(ctx, input, weights, bias, output,
                                              static_cast<int>(opts->fused_activation_function()),
                                              0, weights->shape[0], &d->q,
                                              &d->channel_capacity));
  } else {
    EDGELITE_RETURN_IF_ERROR(
        FloatActivationRange(ctx, opts->fused_activation_function(), &p->act_min, &p->act_max));
  }
  if (!ctx.HasData(shape_t)) {
    // Check the geometry that does not depend on the values now.
    int32_t unused_out, unused_pad;
    EDGELITE_RETURN_IF_ERROR(ComputeWindowAxis(ctx, "height", opts->padding(), 1,
                                               weights->shape[1], p->stride_h, 1, &unused_out,
                                               &unused_pad));
    EDGELITE_RETURN_IF_ERROR(ComputeWindowAxis(ctx, "width", opts->padding(), 1,
                                               weights->shape[2], p->stride_w, 1, &unused_out,
                                               &unused_pad));
    ctx.SetOutputDynamic(output);
    return Status::Ok();
  }
  return ResizeFromShapeTensor(ctx);
}

Status Eval(OpContext& ctx) {
  Tensor* output = ctx.output(0);
  if (output->allocation == Allocation::kDynamic)
    EDGELITE_RETURN_IF_ERROR(ResizeFromShapeTensor(ctx));
  const Tensor* weights = ctx.input(kWeights);
  const Tensor* input = ctx.input(kInput);
  const Tensor* bias = ctx.input(kBias);
  const auto& d = *static_cast<const TransposeConvData*>(ctx.user_data());
  if (d.quantized) {
    switch (input->type) {
      case DataType::kInt8: EvalQuantizedTyped<int8_t, int8_t>(d, input, weights, bias, output); break;
      case DataType::kUInt8: EvalQuantizedTyped<uint8_t, uint8_t>(d, input, weights, bias, output); break;
      default: EvalQuantizedTyped<int16_t, int8_t>(d, input, weights, bias, output); break;
    }
    return Status::Ok();
  }
  ref::TransposeConvFloat(d.p, input->shape,
                          input->data_as<float>(), weights->shape, weights->data_as<float>(),
                          bias ? bias->data_as<float>() : nullptr, output->shape,
                          output->data_as<float>());
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_TRANSPOSE_CONV() {
  static const OpRegistration reg = {"TRANSPOSE_CONV", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
