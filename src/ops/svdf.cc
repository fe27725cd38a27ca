// SVDF (singular value decomposition filter), float32: a rank-limited
// time-convolution over a memory of past feature activations.
// Inputs: input [batch, input_size], weights_feature [filters, input_size],
// weights_time [filters, memory], bias [units] (optional), state
// [batch, memory * filters] (a variable tensor); output [batch, units] with
// units = filters / rank.
// Integer variant (TFLite's): int8 input and weights_feature, int16 time
// weights with an int16 state (zero point 0) or, as TFLite Micro, int8 time
// weights with an int8 state; int32 bias; int8 output
// (ref::SvdfIntegerStep). Hybrid variant (TFLite's EvalHybridSVDF): float32
// input, state, bias and output with int8 weights_feature and weights_time
// (the latter dequantized once, at prepare, as TFLite does on its first
// eval); see src/ref/rnn_hybrid.h.
#include <cmath>

#include "src/ops/rnn_util.h"
#include "src/quant/quantization.h"
#include "src/ref/svdf_integer.h"

namespace edgelite {
namespace ops {
namespace {

struct SvdfData {
  ref::RnnActivation act;
  int32_t rank, n_batch, n_input, n_filters, memory;
  int scratch = -1;
  bool integer = false;
  DataType state_type = DataType::kInt16;
  ref::SvdfIntegerParams q{};
  bool hybrid = false;
  bool asymmetric = false;
  float* float_weights_time = nullptr;  // hybrid: dequantized weights_time
  size_t float_weights_time_bytes = 0;
};

SvdfData* GetData(OpContext& ctx) {
  auto* data = static_cast<SvdfData*>(ctx.user_data());
  if (data == nullptr) {
    data = ctx.AllocatePersistent<SvdfData>();
    if (data != nullptr) ctx.set_user_data(data);
  }
  return data;
}

// A per-tensor quantized tensor with a positive scale.
Status CheckPerTensor(OpContext& ctx, const Tensor* t, const char* what) {
  if (t->quant.count != 1)
    return ctx.Fail(StatusCode::kUnsupported,
                    "%s '%s' must be per-tensor quantized (has %d scales)", what, t->name,
                    t->quant.count);
  const float s = t->quant.scale[0];
  if (!(s > 0.0f) || !std::isfinite(s))
    return ctx.Invalid("%s '%s' has a non-positive or non-finite scale", what, t->name);
  return Status::Ok();
}

Status PrepareInteger(OpContext& ctx, Tensor* input, int32_t rank) {
  Tensor *wf, *wt, *state, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 1, &wf));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 2, &wt));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 4, &state));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  Tensor* bias = ctx.input(3);
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, wf, DataType::kInt8, "weights_feature"));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, DataType::kInt8, "output"));
  if (bias) EDGELITE_RETURN_IF_ERROR(CheckType(ctx, bias, DataType::kInt32, "bias"));
  if (state->type != DataType::kInt16 && state->type != DataType::kInt8)
    return ctx.Fail(StatusCode::kUnsupported, "state '%s' is %s; expected int16 or int8",
                    state->name, DataTypeName(state->type));
  if (wt->type != state->type)
    return ctx.Fail(StatusCode::kUnsupported,
                    "weights_time '%s' is %s but state '%s' is %s; they must match", wt->name,
                    DataTypeName(wt->type), state->name, DataTypeName(state->type));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, input, 2, 2, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, wf, 2, 2, "weights_feature"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, wt, 2, 2, "weights_time"));
  EDGELITE_RETURN_IF_ERROR(CheckPerTensor(ctx, input, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckPerTensor(ctx, wf, "weights_feature"));
  EDGELITE_RETURN_IF_ERROR(CheckPerTensor(ctx, wt, "weights_time"));
  EDGELITE_RETURN_IF_ERROR(CheckPerTensor(ctx, state, "state"));
  EDGELITE_RETURN_IF_ERROR(CheckPerTensor(ctx, output, "output"));
  if (quant::ZeroPoint(*wf) != 0 || quant::ZeroPoint(*wt) != 0)
    return ctx.Fail(StatusCode::kUnsupported,
                    "weights_feature '%s' and weights_time '%s' must have zero point 0", wf->name,
                    wt->name);
  const int32_t input_zp = quant::ZeroPoint(*input), output_zp = quant::ZeroPoint(*output);
  const int32_t state_zp = quant::ZeroPoint(*state);
  if (input_zp < -128 || input_zp > 127 || output_zp < -128 || output_zp > 127)
    return ctx.Invalid("input/output zero point out of the int8 range");
  if (state->type == DataType::kInt16 && state_zp != 0)
    return ctx.Fail(StatusCode::kUnsupported, "int16 state '%s' must have zero point 0, got %d",
                    state->name, state_zp);
  if (state->type == DataType::kInt8 && (state_zp < -128 || state_zp > 127))
    return ctx.Invalid("state '%s' zero point %d is out of the int8 range", state->name,
                       state_zp);
  const auto* o = Options<fb::SVDFOptions>(ctx);
  const auto act = o ? o->fused_activation_function() : fb::ActivationFunctionType::NONE;
  // TFLite's integer kernel declares RELU but only saturates to int8 (see
  // src/ref/svdf_integer.h); other activations cannot be honoured.
  if (act != fb::ActivationFunctionType::NONE && act != fb::ActivationFunctionType::RELU)
    return ctx.Fail(StatusCode::kUnsupported,
                    "activation %s is not supported by the integer SVDF (NONE or RELU only)",
                    fb::EnumNameActivationFunctionType(act));

  const int32_t n_batch = input->shape[0], n_input = input->shape[1];
  const int32_t n_filters = wf->shape[0], memory = wt->shape[1];
  if (n_filters <= 0 || n_filters % rank != 0)
    return ctx.Invalid("the number of filters (%d) must be a positive multiple of rank %d",
                       n_filters, rank);
  if (memory <= 0) return ctx.Invalid("memory size (weights_time dim 1) must be positive");
  const int32_t n_units = n_filters / rank;
  EDGELITE_RETURN_IF_ERROR(CheckDims(ctx, wf, "weights_feature", {n_filters, n_input}));
  EDGELITE_RETURN_IF_ERROR(CheckDims(ctx, wt, "weights_time", {n_filters, memory}));
  if (bias) EDGELITE_RETURN_IF_ERROR(CheckDims(ctx, bias, "bias", {n_units}));
  if (!state->is_variable)
    return ctx.Invalid("state '%s' (input 4) must be a variable tensor", state->name);
  EDGELITE_RETURN_IF_ERROR(CheckDims(ctx, state, "state", {n_batch, memory * n_filters}));

  SvdfData* data = GetData(ctx);
  if (data == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
  data->integer = true;
  data->state_type = state->type;
  ref::SvdfIntegerParams& q = data->q;
  q.rank = rank;
  q.n_batch = n_batch;
  q.n_input = n_input;
  q.n_filters = n_filters;
  q.memory = memory;
  q.input_zero_point = input_zp;
  q.state_zero_point = state_zp;
  q.output_zero_point = output_zp;
  // As TFLite: the effective scales are formed in double from the float scales.
  const double s1 = static_cast<double>(quant::Scale(*input)) *
                    static_cast<double>(quant::Scale(*wf)) /
                    static_cast<double>(quant::Scale(*state));
  const double s2 = static_cast<double>(quant::Scale(*state)) *
                    static_cast<double>(quant::Scale(*wt)) /
                    static_cast<double>(quant::Scale(*output));
  quant::QuantizeMultiplier(s1, &q.feature_multiplier, &q.feature_shift);
  quant::QuantizeMultiplier(s2, &q.output_multiplier, &q.output_shift);
  // Shifts beyond +31 would overflow the fixed-point rescale.
  if (q.feature_shift > 30 || q.output_shift > 30)
    return ctx.Fail(StatusCode::kUnsupported, "effective scale too large (%g, %g)", s1, s2);
  return ctx.ResizeOutput(output, Shape{n_batch, n_units});
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 5, 5, 1));
  Tensor *input, *wf, *wt, *bias, *state, *output;
  {
    Tensor* in0 = nullptr;
    EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &in0));
    if (in0->type == DataType::kInt8) {
      const auto* o = Options<fb::SVDFOptions>(ctx);
      const int32_t r = o ? o->rank() : 0;
      if (r <= 0) return ctx.Invalid("rank must be positive, got %d", r);
      return PrepareInteger(ctx, in0, r);
    }
  }
  EDGELITE_RETURN_IF_ERROR(GetFloatInput(ctx, 0, "input", &input));
  const bool hybrid = ctx.input(1) != nullptr && ctx.input(1)->type == DataType::kInt8;
  if (hybrid) {
    EDGELITE_RETURN_IF_ERROR(GetHybridWeights(ctx, 1, "weights_feature", true, &wf));
    EDGELITE_RETURN_IF_ERROR(GetHybridWeights(ctx, 2, "weights_time", true, &wt));
    EDGELITE_RETURN_IF_ERROR(CheckConstant(ctx, wt, "weights_time"));
  } else {
    EDGELITE_RETURN_IF_ERROR(GetFloatInput(ctx, 1, "weights_feature", &wf));
    EDGELITE_RETURN_IF_ERROR(GetFloatInput(ctx, 2, "weights_time", &wt));
  }
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
  SvdfData* data = GetData(ctx);
  if (data == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
  data->integer = false;
  EDGELITE_RETURN_IF_ERROR(RnnActivationFrom(
      ctx, o ? o->fused_activation_function() : fb::ActivationFunctionType::NONE, &data->act));
  data->rank = rank;
  data->n_batch = n_batch;
  data->n_input = n_input;
  data->n_filters = n_filters;
  data->memory = memory;
  data->hybrid = hybrid;
  data->asymmetric = hybrid && o && o->asymmetric_quantize_inputs();
  if (hybrid) {
    const int64_t n = int64_t{n_filters} * memory;
    void* mem = data->float_weights_time;
    EDGELITE_RETURN_IF_ERROR(
        GrowPersistent(ctx, sizeof(float) * static_cast<size_t>(n), &mem,
                       &data->float_weights_time_bytes));
    data->float_weights_time = static_cast<float*>(mem);
    const int8_t* q = wt->data_as<int8_t>();
    const float scale = HybridScale(wt);
    for (int64_t i = 0; i < n; ++i) data->float_weights_time[i] = static_cast<float>(q[i]) * scale;
  }
  const size_t scratch_bytes =
      hybrid ? ref::SvdfHybridScratchBytes(n_batch, n_input, n_filters)
             : sizeof(float) * static_cast<size_t>(n_batch) * n_filters;
  EDGELITE_RETURN_IF_ERROR(ctx.RequestScratch(scratch_bytes, &data->scratch));
  return ctx.ResizeOutput(output, Shape{n_batch, n_units});
}

Status Eval(OpContext& ctx) {
  const auto* d = static_cast<const SvdfData*>(ctx.user_data());
  const Tensor* bias = ctx.input(3);
  if (d->integer) {
    const int8_t* x = ctx.input(0)->data_as<int8_t>();
    const int8_t* wf = ctx.input(1)->data_as<int8_t>();
    const int32_t* b = bias ? bias->data_as<int32_t>() : nullptr;
    int8_t* out = ctx.output(0)->data_as<int8_t>();
    if (d->state_type == DataType::kInt16)
      ref::SvdfIntegerStep<int16_t>(d->q, x, wf, ctx.input(2)->data_as<int16_t>(), b,
                                    ctx.input(4)->data_as<int16_t>(), out);
    else
      ref::SvdfIntegerStep<int8_t>(d->q, x, wf, ctx.input(2)->data_as<int8_t>(), b,
                                   ctx.input(4)->data_as<int8_t>(), out);
    return Status::Ok();
  }
  if (d->hybrid) {
    const ref::SvdfHybridScratch s = ref::SvdfHybridScratchView(ctx.scratch(d->scratch),
                                                               d->n_batch, d->n_input,
                                                               d->n_filters);
    ref::SvdfStepHybrid(ctx.input(0)->data_as<float>(), ctx.input(1)->data_as<int8_t>(),
                        HybridScale(ctx.input(1)), d->float_weights_time,
                        bias ? bias->data_as<float>() : nullptr, d->act, d->asymmetric, d->rank,
                        d->n_batch, d->n_input, d->n_filters, d->memory,
                        ctx.input(4)->data_as<float>(), s, ctx.output(0)->data_as<float>());
    return Status::Ok();
  }
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
