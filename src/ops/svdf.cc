// SVDF (singular value decomposition filter), float32: a rank-limited
// time-convolution over a memory of past feature activations.
// Inputs: input [batch, input_size], weights_feature [filters, input_size],
// weights_time [filters, memory], bias [units] (optional), state
// [batch, memory * filters] (a variable tensor); output [batch, units] with
// units = filters / rank. Hybrid and integer variants are unsupported yet.
#include "src/ops/rnn_util.h"

namespace edgelite {
namespace ops {
namespace {

struct SvdfData {
  ref::RnnActivation act;
  int32_t rank, n_batch, n_input, n_filters, memory;
  int scratch = -1;
};

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 5, 5, 1));
  Tensor *input, *wf, *wt, *bias, *state, *output;
  EDGELITE_RETURN_IF_ERROR(GetFloatInput(ctx, 0, "input", &input));
  EDGELITE_RETURN_IF_ERROR(GetFloatInput(ctx, 1, "weights_feature", &wf));
  EDGELITE_RETURN_IF_ERROR(GetFloatInput(ctx, 2, "weights_time", &wt));
  EDGELITE_RETURN_IF_ERROR(GetOptionalFloatInput(ctx, 3, "bias", &bias));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, DataType::kFloat32, "output"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, input, 2, 2, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, wf, 2, 2, "weights_feature"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, wt, 2, 2, "weights_time"));
  const auto* o = Options<fb::SVDFOptions>(ctx);
  const int32_t rank = o ? o->rank() : 0;
  const int32_t n_batch = input->shape[0], n_input = input->shape[1];
  const int32_t n_filters = wf->shape[0], memory = wt->shape[1];
  if (rank <= 0) return ctx.Invalid("rank must be positive, got %d", rank);
  if (n_filters <= 0 || n_filters % rank != 0)
    return ctx.Invalid("the number of filters (%d) must be a positive multiple of rank %d",
                       n_filters, rank);
  if (memory <= 0) return ctx.Invalid("memory size (weights_time dim 1) must be positive");
  const int32_t n_units = n_filters / rank;
  EDGELITE_RETURN_IF_ERROR(CheckDims(ctx, wf, "weights_feature", {n_filters, n_input}));
  EDGELITE_RETURN_IF_ERROR(CheckDims(ctx, wt, "weights_time", {n_filters, memory}));
  if (bias) EDGELITE_RETURN_IF_ERROR(CheckDims(ctx, bias, "bias", {n_units}));
  EDGELITE_RETURN_IF_ERROR(
      GetStateInput(ctx, 4, "state", int64_t{n_batch} * memory * n_filters, &state));
  EDGELITE_RETURN_IF_ERROR(CheckDims(ctx, state, "state", {n_batch, memory * n_filters}));
  auto* data = static_cast<SvdfData*>(ctx.user_data());
  if (data == nullptr) {
    data = ctx.AllocatePersistent<SvdfData>();
    if (data == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
    ctx.set_user_data(data);
  }
  EDGELITE_RETURN_IF_ERROR(RnnActivationFrom(
      ctx, o ? o->fused_activation_function() : fb::ActivationFunctionType::NONE, &data->act));
  data->rank = rank;
  data->n_batch = n_batch;
  data->n_input = n_input;
  data->n_filters = n_filters;
  data->memory = memory;
  EDGELITE_RETURN_IF_ERROR(ctx.RequestScratch(
      sizeof(float) * static_cast<size_t>(n_batch) * n_filters, &data->scratch));
  return ctx.ResizeOutput(output, Shape{n_batch, n_units});
}

Status Eval(OpContext& ctx) {
  const auto* d = static_cast<const SvdfData*>(ctx.user_data());
  const Tensor* bias = ctx.input(3);
  ref::SvdfStep(ctx.input(0)->data_as<float>(), ctx.input(1)->data_as<float>(),
                ctx.input(2)->data_as<float>(), bias ? bias->data_as<float>() : nullptr, d->act,
                d->rank, d->n_batch, d->n_input, d->n_filters, d->memory,
                ctx.input(4)->data_as<float>(), static_cast<float*>(ctx.scratch(d->scratch)),
                ctx.output(0)->data_as<float>());
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_SVDF() {
  static const OpRegistration reg = {"SVDF", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
