// LSTM (the "full" kernel): one time step of a long short-term memory cell
// for a batch, float32, with optional CIFG, peephole, projection, layer
// normalization and cell/projection clipping. State (inputs 18 and 19) lives
// in variable tensors, updated in place. The "basic" kernel type (5 inputs,
// 4 outputs) is not supported. A float32 input with int8 weights runs
// TFLite's hybrid kernel (src/ref/rnn_hybrid.h; asymmetric_quantize_inputs
// honoured); an int8 input TFLite's fully integer (8x8_16) kernel (see
// lstm_integer.h).
#include "src/ops/lstm_integer.h"
#include "src/ops/rnn_util.h"

namespace edgelite {
namespace ops {
namespace {

struct LstmData {
  ref::LstmParams params;
  int32_t n_batch, n_input, n_cell, n_output;
  int scratch = -1;
  bool integer = false;
  bool hybrid = false;
  bool asymmetric = false;
  IntegerLstmData idata;
};

Status Prepare(OpContext& ctx) {
  const auto* o = Options<fb::LSTMOptions>(ctx);
  if (o && o->kernel_type() != fb::LSTMKernelType::FULL)
    return ctx.Fail(StatusCode::kUnsupported, "LSTM kernel type %s is not supported",
                    fb::EnumNameLSTMKernelType(o->kernel_type()));
  if (ctx.num_outputs() != 1) return ctx.Invalid("expects 1 output, got %d", ctx.num_outputs());
  Tensor *input, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kLstmInput, &input));
  const bool integer = input->type == DataType::kInt8;
  if (!integer) EDGELITE_RETURN_IF_ERROR(GetFloatInput(ctx, kLstmInput, "input", &input));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  EDGELITE_RETURN_IF_ERROR(
      CheckType(ctx, output, integer ? DataType::kInt8 : DataType::kFloat32, "output"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, input, 2, 2, "input"));
  LstmData* data = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &data));
  data->integer = integer;
  data->n_batch = input->shape[0];
  data->n_input = input->shape[1];
  const float cell_clip = o ? o->cell_clip() : 0.0f, proj_clip = o ? o->proj_clip() : 0.0f;
  if (!(cell_clip >= 0.0f) || !(proj_clip >= 0.0f))
    return ctx.Invalid("cell_clip (%g) and proj_clip (%g) must be >= 0", cell_clip, proj_clip);
  if (integer) {
    EDGELITE_RETURN_IF_ERROR(PrepareIntegerLstm(ctx, cell_clip, proj_clip, data->n_batch,
                                                data->n_input, &data->idata, &data->n_cell,
                                                &data->n_output));
    return ctx.ResizeOutput(output, Shape{data->n_batch, data->n_output});
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
  const size_t scratch_bytes =
      data->hybrid ? ref::LstmHybridScratchBytes(data->n_batch, data->n_input, data->n_cell,
                                                 data->n_output)
                   : sizeof(float) * 4 * static_cast<size_t>(data->n_batch) * data->n_cell;
  EDGELITE_RETURN_IF_ERROR(ctx.RequestScratch(scratch_bytes, &data->scratch));
  return ctx.ResizeOutput(output, Shape{data->n_batch, data->n_output});
}

Status Eval(OpContext& ctx) {
  const auto* d = static_cast<const LstmData*>(ctx.user_data());
  if (d->integer) {
    ref::LstmStepInteger(ctx.input(kLstmInput)->data_as<int8_t>(), d->idata.params, d->n_batch,
                         d->n_input, d->n_cell, d->n_output,
                         ctx.input(kOutputState)->data_as<int8_t>(),
                         ctx.input(kCellState)->data_as<int16_t>(),
                         static_cast<int16_t*>(ctx.scratch(d->idata.scratch16)),
                         static_cast<int8_t*>(ctx.scratch(d->idata.scratch8)),
                         ctx.output(0)->data_as<int8_t>());
    return Status::Ok();
  }
  float* out = ctx.output(0)->data_as<float>();
  if (d->hybrid) {
    const ref::LstmHybridScratch s = ref::LstmHybridScratchView(
        ctx.scratch(d->scratch), d->n_batch, d->n_input, d->n_cell, d->n_output);
    ref::LstmStepHybrid(ctx.input(kLstmInput)->data_as<float>(), LstmHybridWeightViews(ctx),
                        d->params, d->asymmetric, d->n_batch, d->n_input, d->n_cell, d->n_output,
                        ctx.input(kOutputState)->data_as<float>(),
                        ctx.input(kCellState)->data_as<float>(), s, out, d->n_output);
    return Status::Ok();
  }
  const ref::LstmWeights w = LstmWeightViews(ctx);
  ref::LstmStep(ctx.input(kLstmInput)->data_as<float>(), w, d->params, d->n_batch, d->n_input,
                d->n_cell, d->n_output, ctx.input(kOutputState)->data_as<float>(),
                ctx.input(kCellState)->data_as<float>(),
                static_cast<float*>(ctx.scratch(d->scratch)), out, d->n_output);
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_LSTM() {
  static const OpRegistration reg = {"LSTM", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
