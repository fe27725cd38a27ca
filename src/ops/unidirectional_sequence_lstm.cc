// UNIDIRECTIONAL_SEQUENCE_LSTM: an LSTM cell (see lstm.cc) run over a
// sequence, float32. Input [batch, time, features] or, with time_major,
// [time, batch, features]; output has the same layout with n_output
// features. Batch-major sequences are run one batch row at a time over all
// time steps (as TFLite does); time-major ones a whole batch per step.
// State lives in the variable tensors 18/19 and persists across Invokes.
// A float32 input with int8 weights runs TFLite's hybrid kernel (see
// lstm.cc); an int8 input TFLite's fully integer (8x8_16) kernel.
#include "src/ops/lstm_integer.h"
#include "src/ops/rnn_util.h"

namespace edgelite {
namespace ops {
namespace {

struct SeqLstmData {
  ref::LstmParams params;
  bool time_major;
  int32_t max_time, n_batch, n_input, n_cell, n_output;
  int scratch = -1;
  bool integer = false;
  bool hybrid = false;
  bool asymmetric = false;
  IntegerLstmData idata;
};

Status Prepare(OpContext& ctx) {
  const auto* o = Options<fb::UnidirectionalSequenceLSTMOptions>(ctx);
  if (o && o->diagonal_recurrent_tensors())
    return ctx.Fail(StatusCode::kUnsupported, "diagonal recurrent weights are not supported");
  if (ctx.num_outputs() != 1) return ctx.Invalid("expects 1 output, got %d", ctx.num_outputs());
  Tensor *input, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kLstmInput, &input));
  const bool integer = input->type == DataType::kInt8;
  if (!integer) EDGELITE_RETURN_IF_ERROR(GetFloatInput(ctx, kLstmInput, "input", &input));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  EDGELITE_RETURN_IF_ERROR(
      CheckType(ctx, output, integer ? DataType::kInt8 : DataType::kFloat32, "output"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, input, 3, 3, "input"));
  SeqLstmData* data = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &data));
  data->integer = integer;
  data->time_major = o && o->time_major();
  data->max_time = data->time_major ? input->shape[0] : input->shape[1];
  data->n_batch = data->time_major ? input->shape[1] : input->shape[0];
  data->n_input = input->shape[2];
  const float cell_clip = o ? o->cell_clip() : 0.0f, proj_clip = o ? o->proj_clip() : 0.0f;
  if (!(cell_clip >= 0.0f) || !(proj_clip >= 0.0f))
    return ctx.Invalid("cell_clip (%g) and proj_clip (%g) must be >= 0", cell_clip, proj_clip);
  if (integer) {
    // Batch-major sequences run one batch row per step.
    EDGELITE_RETURN_IF_ERROR(PrepareIntegerLstm(ctx, cell_clip, proj_clip,
                                                data->time_major ? data->n_batch : 1,
                                                data->n_input, &data->idata, &data->n_cell,
                                                &data->n_output));
    Shape out = input->shape;
    out.dims[2] = data->n_output;
    return ctx.ResizeOutput(output, out);
  }
  const LstmKind kind = FloatLstmKind(ctx);
  data->hybrid = kind == LstmKind::kHybrid;
  data->asymmetric = data->hybrid && o && o->asymmetric_quantize_inputs();
  EDGELITE_RETURN_IF_ERROR(
      CheckLstmInputs(ctx, data->n_batch, data->n_input, &data->n_cell, &data->n_output, kind));
  data->params.cell_clip = cell_clip;
  data->params.proj_clip = proj_clip;
  EDGELITE_RETURN_IF_ERROR(RnnActivationFrom(
      ctx, o ? o->fused_activation_function() : fb::ActivationFunctionType::NONE,
      &data->params.activation));
  // Batch-major sequences run one batch row per step; the scratch is sized
  // for the whole batch either way.
  const size_t scratch_bytes =
      data->hybrid ? ref::LstmHybridScratchBytes(data->n_batch, data->n_input, data->n_cell,
                                                 data->n_output)
                   : sizeof(float) * 4 * static_cast<size_t>(data->n_batch) * data->n_cell;
  EDGELITE_RETURN_IF_ERROR(ctx.RequestScratch(scratch_bytes, &data->scratch));
  Shape out = input->shape;
  out.dims[2] = data->n_output;
  return ctx.ResizeOutput(output, out);
}

Status EvalInteger(OpContext& ctx, const SeqLstmData* d) {
  const ref::IntegerLstmParams& p = d->idata.params;
  const int8_t* in = ctx.input(kLstmInput)->data_as<int8_t>();
  int8_t* out = ctx.output(0)->data_as<int8_t>();
  int8_t* h = ctx.input(kOutputState)->data_as<int8_t>();
  int16_t* c = ctx.input(kCellState)->data_as<int16_t>();
  auto* s16 = static_cast<int16_t*>(ctx.scratch(d->idata.scratch16));
  auto* s8 = static_cast<int8_t*>(ctx.scratch(d->idata.scratch8));
  if (d->time_major) {
    const int64_t in_step = int64_t{d->n_batch} * d->n_input;
    const int64_t out_step = int64_t{d->n_batch} * d->n_output;
    for (int t = 0; t < d->max_time; ++t)
      ref::LstmStepInteger(in + t * in_step, p, d->n_batch, d->n_input, d->n_cell, d->n_output, h,
                           c, s16, s8, out + t * out_step);
  } else {
    for (int b = 0; b < d->n_batch; ++b)
      for (int t = 0; t < d->max_time; ++t) {
        const int64_t row = int64_t{b} * d->max_time + t;
        ref::LstmStepInteger(in + row * d->n_input, p, 1, d->n_input, d->n_cell, d->n_output,
                             h + int64_t{b} * d->n_output, c + int64_t{b} * d->n_cell, s16, s8,
                             out + row * d->n_output);
      }
  }
  return Status::Ok();
}

Status EvalHybrid(OpContext& ctx, const SeqLstmData* d) {
  const ref::LstmHybridWeights w = LstmHybridWeightViews(ctx);
  const float* in = ctx.input(kLstmInput)->data_as<float>();
  float* out = ctx.output(0)->data_as<float>();
  float* h = ctx.input(kOutputState)->data_as<float>();
  float* c = ctx.input(kCellState)->data_as<float>();
  if (d->time_major) {
    const ref::LstmHybridScratch s = ref::LstmHybridScratchView(
        ctx.scratch(d->scratch), d->n_batch, d->n_input, d->n_cell, d->n_output);
    const int64_t in_step = int64_t{d->n_batch} * d->n_input;
    const int64_t out_step = int64_t{d->n_batch} * d->n_output;
    for (int t = 0; t < d->max_time; ++t)
      ref::LstmStepHybrid(in + t * in_step, w, d->params, d->asymmetric, d->n_batch, d->n_input,
                          d->n_cell, d->n_output, h, c, s, out + t * out_step, d->n_output);
  } else {
    const ref::LstmHybridScratch s =
        ref::LstmHybridScratchView(ctx.scratch(d->scratch), 1, d->n_input, d->n_cell, d->n_output);
    for (int b = 0; b < d->n_batch; ++b)
      for (int t = 0; t < d->max_time; ++t) {
        const int64_t row = int64_t{b} * d->max_time + t;
        ref::LstmStepHybrid(in + row * d->n_input, w, d->params, d->asymmetric, 1, d->n_input,
                            d->n_cell, d->n_output, h + int64_t{b} * d->n_output,
                            c + int64_t{b} * d->n_cell, s, out + row * d->n_output, d->n_output);
      }
  }
  return Status::Ok();
}

Status Eval(OpContext& ctx) {
  const auto* d = static_cast<const SeqLstmData*>(ctx.user_data());
  if (d->integer) return EvalInteger(ctx, d);
  if (d->hybrid) return EvalHybrid(ctx, d);
  const ref::LstmWeights w = LstmWeightViews(ctx);
  const float* in = ctx.input(kLstmInput)->data_as<float>();
  float* out = ctx.output(0)->data_as<float>();
  float* h = ctx.input(kOutputState)->data_as<float>();
  float* c = ctx.input(kCellState)->data_as<float>();
  float* scratch = static_cast<float*>(ctx.scratch(d->scratch));
  const int64_t in_step = int64_t{d->n_batch} * d->n_input;
  const int64_t out_step = int64_t{d->n_batch} * d->n_output;
  if (d->time_major) {
    for (int t = 0; t < d->max_time; ++t)
      ref::LstmStep(in + t * in_step, w, d->params, d->n_batch, d->n_input, d->n_cell,
                    d->n_output, h, c, scratch, out + t * out_step, d->n_output);
  } else {
    for (int b = 0; b < d->n_batch; ++b)
      for (int t = 0; t < d->max_time; ++t) {
        const int64_t row = int64_t{b} * d->max_time + t;
        ref::LstmStep(in + row * d->n_input, w, d->params, 1, d->n_input, d->n_cell, d->n_output,
                      h + int64_t{b} * d->n_output, c + int64_t{b} * d->n_cell, scratch,
                      out + row * d->n_output, d->n_output);
      }
  }
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_UNIDIRECTIONAL_SEQUENCE_LSTM() {
  static const OpRegistration reg = {"UNIDIRECTIONAL_SEQUENCE_LSTM", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
