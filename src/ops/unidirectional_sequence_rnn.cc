// UNIDIRECTIONAL_SEQUENCE_RNN: the basic RNN cell (rnn.cc) over a sequence,
// float32. Input [batch, time, input_size] or, with time_major,
// [time, batch, input_size]; output the same layout with `units` features.
// The hidden state (input 4, a variable tensor) persists across Invokes.
// int8 weights (with a float32 input) run TFLite's hybrid kernel
// (src/ref/rnn_hybrid.h) at every step.
#include "src/ops/rnn_util.h"

namespace edgelite {
namespace ops {
namespace {

struct SeqRnnData {
  ref::RnnActivation act;
  bool time_major;
  int32_t max_time, n_batch, n_input, n_units;
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
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, input, 3, 3, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, w, 2, 2, "weights"));
  const auto* o = Options<fb::SequenceRNNOptions>(ctx);
  const bool time_major = o && o->time_major();
  const int32_t max_time = time_major ? input->shape[0] : input->shape[1];
  const int32_t n_batch = time_major ? input->shape[1] : input->shape[0];
  const int32_t n_input = input->shape[2], n_units = w->shape[0];
  EDGELITE_RETURN_IF_ERROR(CheckDims(ctx, w, "weights", {n_units, n_input}));
  EDGELITE_RETURN_IF_ERROR(CheckDims(ctx, r, "recurrent_weights", {n_units, n_units}));
  EDGELITE_RETURN_IF_ERROR(CheckDims(ctx, bias, "bias", {n_units}));
  EDGELITE_RETURN_IF_ERROR(
      GetStateInput(ctx, 4, "hidden_state", int64_t{n_batch} * n_units, &hidden));
  SeqRnnData* data = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &data));
  EDGELITE_RETURN_IF_ERROR(RnnActivationFrom(
      ctx, o ? o->fused_activation_function() : fb::ActivationFunctionType::NONE, &data->act));
  data->time_major = time_major;
  data->max_time = max_time;
  data->n_batch = n_batch;
  data->n_input = n_input;
  data->n_units = n_units;
  data->hybrid = hybrid;
  data->asymmetric = hybrid && o && o->asymmetric_quantize_inputs();
  const size_t scratch_bytes = hybrid ? ref::RnnHybridScratchBytes(n_batch, n_input, n_units)
                                      : sizeof(float) * static_cast<size_t>(n_batch) * n_units;
  EDGELITE_RETURN_IF_ERROR(ctx.RequestScratch(scratch_bytes, &data->scratch));
  Shape out = input->shape;
  out.dims[2] = n_units;
  return ctx.ResizeOutput(output, out);
}

Status EvalHybrid(OpContext& ctx, const SeqRnnData* d) {
  const float* in = ctx.input(0)->data_as<float>();
  const int8_t* w = ctx.input(1)->data_as<int8_t>();
  const int8_t* r = ctx.input(2)->data_as<int8_t>();
  const float ws = HybridScale(ctx.input(1)), rs = HybridScale(ctx.input(2));
  const float* bias = ctx.input(3)->data_as<float>();
  float* h = ctx.input(4)->data_as<float>();
  float* out = ctx.output(0)->data_as<float>();
  if (d->time_major) {
    const ref::RnnHybridScratch s =
        ref::RnnHybridScratchView(ctx.scratch(d->scratch), d->n_batch, d->n_input, d->n_units);
    for (int t = 0; t < d->max_time; ++t)
      ref::RnnStepHybrid(in + int64_t{t} * d->n_batch * d->n_input, w, ws, r, rs, bias, d->act,
                         d->asymmetric, d->n_batch, d->n_input, d->n_units, h, s,
                         out + int64_t{t} * d->n_batch * d->n_units, d->n_units);
  } else {
    const ref::RnnHybridScratch s =
        ref::RnnHybridScratchView(ctx.scratch(d->scratch), 1, d->n_input, d->n_units);
    for (int b = 0; b < d->n_batch; ++b)
      for (int t = 0; t < d->max_time; ++t) {
        const int64_t row = int64_t{b} * d->max_time + t;
        ref::RnnStepHybrid(in + row * d->n_input, w, ws, r, rs, bias, d->act, d->asymmetric, 1,
                           d->n_input, d->n_units, h + int64_t{b} * d->n_units, s,
                           out + row * d->n_units, d->n_units);
      }
  }
  return Status::Ok();
}

Status Eval(OpContext& ctx) {
  const auto* d = static_cast<const SeqRnnData*>(ctx.user_data());
  if (d->hybrid) return EvalHybrid(ctx, d);
  const float* in = ctx.input(0)->data_as<float>();
  const float* w = ctx.input(1)->data_as<float>();
  const float* r = ctx.input(2)->data_as<float>();
  const float* bias = ctx.input(3)->data_as<float>();
  float* h = ctx.input(4)->data_as<float>();
  float* out = ctx.output(0)->data_as<float>();
  float* scratch = static_cast<float*>(ctx.scratch(d->scratch));
  if (d->time_major) {
    for (int t = 0; t < d->max_time; ++t)
      ref::RnnStep(in + int64_t{t} * d->n_batch * d->n_input, w, r, bias, d->act, d->n_batch,
                   d->n_input, d->n_units, h, scratch,
                   out + int64_t{t} * d->n_batch * d->n_units, d->n_units);
  } else {
    for (int b = 0; b < d->n_batch; ++b)
      for (int t = 0; t < d->max_time; ++t) {
        const int64_t row = int64_t{b} * d->max_time + t;
        ref::RnnStep(in + row * d->n_input, w, r, bias, d->act, 1, d->n_input, d->n_units,
                     h + int64_t{b} * d->n_units, scratch, out + row * d->n_units, d->n_units);
      }
  }
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_UNIDIRECTIONAL_SEQUENCE_RNN() {
  static const OpRegistration reg = {"UNIDIRECTIONAL_SEQUENCE_RNN", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
