// RNN (basic, fully connected recurrent cell), float32, one step:
//   h = act(input W^T + h R^T + bias); output = h.
// Inputs: input [batch, input_size], weights [units, input_size],
// recurrent_weights [units, units], bias [units], hidden_state [batch, units]
// (a variable tensor, updated in place). int8 weights (with a float32
// input) run TFLite's hybrid kernel (src/ref/rnn_hybrid.h).
#include "src/ops/rnn_util.h"

namespace edgelite {
namespace ops {
namespace {

struct RnnData {
  ref::RnnActivation act;
  int32_t n_batch, n_input, n_units;
  int scratch = -1;
  bool hybrid = false;      // float input, int8 weights (TFLite's hybrid kernel)
  bool asymmetric = false;  // asymmetric_quantize_inputs
};

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 5, 5, 1));
  Tensor *input, *w, *r, *bias, *hidden, *output;
  EDGELITE_RETURN_IF_ERROR(GetFloatInput(ctx, 0, "input", &input));
  // int8 weights select the hybrid kernel (TFLite: input float32, weights
  // int8); both weight tensors must then be int8.
  const bool hybrid = ctx.input(1) != nullptr && ctx.input(1)->type == DataType::kInt8;
  if (hybrid) {
    EDGELITE_RETURN_IF_ERROR(GetHybridWeights(ctx, 1, "weights", true, &w));
    EDGELITE_RETURN_IF_ERROR(GetHybridWeights(ctx, 2, "recurrent_weights", true, &r));
  } else {
    EDGELITE_RETURN_IF_ERROR(GetFloatInput(ctx, 1, "weights", &w));
    EDGELITE_RETURN_IF_ERROR(GetFloatInput(ctx, 2, "recurrent_weights", &r));
  }
  EDGELITE_RETURN_IF_ERROR(GetFloatInput(ctx, 3, "bias", &bias));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, DataType::kFloat32, "output"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, input, 2, 2, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, w, 2, 2, "weights"));
  const int32_t n_batch = input->shape[0], n_input = input->shape[1], n_units = w->shape[0];
  EDGELITE_RETURN_IF_ERROR(CheckDims(ctx, w, "weights", {n_units, n_input}));
  EDGELITE_RETURN_IF_ERROR(CheckDims(ctx, r, "recurrent_weights", {n_units, n_units}));
  EDGELITE_RETURN_IF_ERROR(CheckDims(ctx, bias, "bias", {n_units}));
  EDGELITE_RETURN_IF_ERROR(
      GetStateInput(ctx, 4, "hidden_state", int64_t{n_batch} * n_units, &hidden));
  RnnData* data = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &data));
  const auto* o = Options<fb::RNNOptions>(ctx);
  EDGELITE_RETURN_IF_ERROR(RnnActivationFrom(
      ctx, o ? o->fused_activation_function() : fb::ActivationFunctionType::NONE, &data->act));
  data->n_batch = n_batch;
  data->n_input = n_input;
  data->n_units = n_units;
  data->hybrid = hybrid;
  data->asymmetric = hybrid && o && o->asymmetric_quantize_inputs();
  const size_t scratch_bytes = hybrid ? ref::RnnHybridScratchBytes(n_batch, n_input, n_units)
                                      : sizeof(float) * static_cast<size_t>(n_batch) * n_units;
  EDGELITE_RETURN_IF_ERROR(ctx.RequestScratch(scratch_bytes, &data->scratch));
  return ctx.ResizeOutput(output, Shape{n_batch, n_units});
}

Status Eval(OpContext& ctx) {
  const auto* d = static_cast<const RnnData*>(ctx.user_data());
  if (d->hybrid) {
    const ref::RnnHybridScratch s =
        ref::RnnHybridScratchView(ctx.scratch(d->scratch), d->n_batch, d->n_input, d->n_units);
    ref::RnnStepHybrid(ctx.input(0)->data_as<float>(), ctx.input(1)->data_as<int8_t>(),
                       HybridScale(ctx.input(1)), ctx.input(2)->data_as<int8_t>(),
                       HybridScale(ctx.input(2)), ctx.input(3)->data_as<float>(), d->act,
                       d->asymmetric, d->n_batch, d->n_input, d->n_units,
                       ctx.input(4)->data_as<float>(), s, ctx.output(0)->data_as<float>(),
                       d->n_units);
    return Status::Ok();
  }
  ref::RnnStep(ctx.input(0)->data_as<float>(), ctx.input(1)->data_as<float>(),
               ctx.input(2)->data_as<float>(), ctx.input(3)->data_as<float>(), d->act,
               d->n_batch, d->n_input, d->n_units, ctx.input(4)->data_as<float>(),
               static_cast<float*>(ctx.scratch(d->scratch)), ctx.output(0)->data_as<float>(),
               d->n_units);
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_RNN() {
  static const OpRegistration reg = {"RNN", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
