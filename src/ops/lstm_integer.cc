#include "src/ops/lstm_integer.h"

#include <algorithm>
#include <cmath>

#include "src/quant/quantization.h"

namespace edgelite {
namespace ops {
namespace {

// TFLite's CheckedLog2: log2 in float, rounded, accepted within 1e-3.
bool CheckedLog2(float x, int* log2_result) {
  const float x_log2 = std::log(x) * (1.0f / std::log(2.0f));
  const float rounded = std::round(x_log2);
  *log2_result = static_cast<int>(rounded);
  return std::fabs(x_log2 - rounded) < 1e-3f;
}

// bias[r] (or 0) + zero_point * sum_c w[r, c], in persistent memory.
Status EffectiveBias(OpContext& ctx, const Tensor* w, const Tensor* bias, int32_t zero_point,
                     const int32_t** out) {
  *out = nullptr;
  if (w == nullptr) return Status::Ok();
  const int32_t rows = w->shape[0], cols = w->shape[1];
  auto* b = static_cast<int32_t*>(ctx.AllocatePersistent(sizeof(int32_t) * rows));
  if (b == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
  const int8_t* wd = w->data_as<int8_t>();
  const int32_t* bd = bias ? bias->data_as<int32_t>() : nullptr;
  for (int32_t r = 0; r < rows; ++r) {
    int32_t sum = 0;
    for (int32_t c = 0; c < cols; ++c) sum += wd[static_cast<int64_t>(r) * cols + c];
    b[r] = (bd ? bd[r] : 0) + sum * zero_point;
  }
  *out = b;
  return Status::Ok();
}

Status PerTensorScale(OpContext& ctx, const Tensor* t, const char* what, float* scale) {
  if (t->quant.count != 1)
    return ctx.Fail(StatusCode::kUnsupported,
                    "%s '%s' needs one (per-tensor) quantization scale in the integer LSTM, has %d",
                    what, t->name, t->quant.count);
  *scale = t->quant.scale[0];
  if (!(*scale > 0.0f) || !std::isfinite(*scale))
    return ctx.Invalid("%s '%s' has scale %g; expected a finite positive value", what, t->name,
                       *scale);
  return Status::Ok();
}

}  // namespace

Status PrepareIntegerLstm(OpContext& ctx, float cell_clip, float proj_clip, int32_t n_batch,
                          int32_t n_input, IntegerLstmData* data, int32_t* n_cell_out,
                          int32_t* n_output_out) {
  int32_t n_cell, n_output;
  EDGELITE_RETURN_IF_ERROR(CheckLstmInputs(ctx, n_batch, n_input, &n_cell, &n_output, LstmKind::kInteger));
  *n_cell_out = n_cell;
  *n_output_out = n_output;
  Node& node = ctx.node();
  if (node.num_intermediates != 5)
    return ctx.Fail(StatusCode::kUnsupported,
                    "integer LSTM with %d intermediate tensors: only the 8x8_16 form (5 "
                    "intermediates) is supported",
                    node.num_intermediates);
  Tensor* in[24] = {};
  for (int i = 0; i < ctx.num_inputs() && i < 24; ++i) in[i] = ctx.input(i);
  for (int i = kInputToInput; i < ctx.num_inputs() && i < 24; ++i)
    if (in[i] != nullptr && i != kOutputState && i != kCellState)
      EDGELITE_RETURN_IF_ERROR(CheckConstant(ctx, in[i], in[i]->name));
  const bool cifg = in[kInputToInput] == nullptr;
  const bool peephole = in[kCellToOutput] != nullptr;
  const bool projection = in[kProjectionWeights] != nullptr;
  const bool layer_norm = ctx.num_inputs() == 24 && in[kForgetLayerNorm] != nullptr;
  if (peephole && n_output != n_cell)
    return ctx.Fail(StatusCode::kUnsupported,
                    "peephole weights with projection (n_output %d != n_cell %d) are not "
                    "supported by the integer LSTM",
                    n_output, n_cell);

  float intermediate_scale[5];
  int32_t intermediate_zp[5];
  for (int k = 0; k < 5; ++k) {
    if (k < 4 && !layer_norm) {
      intermediate_scale[k] = std::pow(2.0f, -12.0f);  // Q3.12 gate pre-activations
      intermediate_zp[k] = 0;
      continue;
    }
    const Tensor* t = ctx.tensor(node.intermediates[k]);
    if (t == nullptr || t->quant.count < 1)
      return ctx.Invalid("intermediate tensor %d of the integer LSTM has no quantization", k);
    intermediate_scale[k] = t->quant.scale[0];
    intermediate_zp[k] = static_cast<int32_t>(t->quant.zero_point ? t->quant.zero_point[0] : 0);
    if (!(intermediate_scale[k] > 0.0f) || !std::isfinite(intermediate_scale[k]))
      return ctx.Invalid("intermediate tensor %d '%s' has scale %g", k, t->name,
                         intermediate_scale[k]);
  }

  float input_scale = 0.0f, state_scale = 0.0f, cell_state_scale = 0.0f;
  EDGELITE_RETURN_IF_ERROR(PerTensorScale(ctx, in[kLstmInput], "input", &input_scale));
  EDGELITE_RETURN_IF_ERROR(PerTensorScale(ctx, in[kOutputState], "output_state", &state_scale));
  EDGELITE_RETURN_IF_ERROR(PerTensorScale(ctx, in[kCellState], "cell_state", &cell_state_scale));
  Tensor* output = ctx.output(0);
  float output_scale = 0.0f;
  EDGELITE_RETURN_IF_ERROR(PerTensorScale(ctx, output, "output", &output_scale));
  int cell_scale = 0;
  if (!CheckedLog2(cell_state_scale, &cell_scale))
    return ctx.Fail(StatusCode::kUnsupported,
                    "cell_state scale %g is not a power of two (the integer LSTM needs one)",
                    cell_state_scale);
  if (15 + cell_scale < 0 || 15 + cell_scale > 6)
    return ctx.Fail(StatusCode::kUnsupported,
                    "cell_state scale 2^%d is outside TFLite's supported range 2^-15..2^-9",
                    cell_scale);

  auto scale_of = [&](int i, float* s) -> Status {
    *s = 1.0f;
    return in[i] ? PerTensorScale(ctx, in[i], in[i]->name, s) : Status::Ok();
  };
  float w_scale[24];
  for (int i = kInputToInput; i <= kOutputLayerNorm; ++i) {
    w_scale[i] = 1.0f;
    if (i == kOutputState || i == kCellState || (i >= kInputGateBias && i <= kOutputGateBias) ||
        i == kProjectionBias || i >= ctx.num_inputs())
      continue;
    EDGELITE_RETURN_IF_ERROR(scale_of(i, &w_scale[i]));
  }

  ref::IntegerLstmParams& p = data->params;
  p = ref::IntegerLstmParams();
  p.cifg = cifg;
  p.cell_scale_log2 = cell_scale;
  p.cell_clip = cell_clip > 0.0f
                    ? static_cast<int16_t>(std::min(
                          std::max(cell_clip / cell_state_scale, -32768.0f), 32767.0f))
                    : 0;
  p.proj_clip = proj_clip > 0.0f ? static_cast<int8_t>(std::min(
                                       std::max(proj_clip / output_scale, -128.0f), 127.0f))
                                 : 0;
  const int32_t input_zp = quant::ZeroPoint(*in[kLstmInput]);
  const int32_t state_zp = quant::ZeroPoint(*in[kOutputState]);
  p.output_state_zero_point = state_zp;
  p.hidden_zero_point = intermediate_zp[4];

  // Gate k: 0 input, 1 forget, 2 cell, 3 output.
  ref::IntegerLstmGate* gates[4] = {&p.input_gate, &p.forget_gate, &p.cell_gate, &p.output_gate};
  const int w_in[4] = {kInputToInput, kInputToForget, kInputToCell, kInputToOutput};
  const int w_rec[4] = {kRecurrentToInput, kRecurrentToForget, kRecurrentToCell,
                        kRecurrentToOutput};
  const int peep[4] = {kCellToInput, kCellToForget, -1, kCellToOutput};
  const int bias[4] = {kInputGateBias, kForgetGateBias, kCellGateBias, kOutputGateBias};
  const int ln[4] = {kInputLayerNorm, kForgetLayerNorm, kCellLayerNorm, kOutputLayerNorm};
  for (int k = 0; k < 4; ++k) {
    if (k == 0 && cifg) continue;
    ref::IntegerLstmGate& g = *gates[k];
    // Scales in float, as TFLite computes them.
    const float eff_in = w_scale[w_in[k]] * input_scale / intermediate_scale[k];
    const float eff_rec = w_scale[w_rec[k]] * state_scale / intermediate_scale[k];
    quant::QuantizeMultiplier(eff_in, &g.input_multiplier, &g.input_shift);
    quant::QuantizeMultiplier(eff_rec, &g.recurrent_multiplier, &g.recurrent_shift);
    g.input_weights = in[w_in[k]]->data_as<int8_t>();
    g.recurrent_weights = in[w_rec[k]]->data_as<int8_t>();
    const Tensor* gate_bias = in[bias[k]];
    if (!data->biases_ready) {
      // With layer norm the bias is added after the normalization instead.
      EDGELITE_RETURN_IF_ERROR(EffectiveBias(ctx, in[w_in[k]], layer_norm ? nullptr : gate_bias,
                                             -input_zp, &data->effective_bias[2 * k]));
      EDGELITE_RETURN_IF_ERROR(
          EffectiveBias(ctx, in[w_rec[k]], nullptr, -state_zp, &data->effective_bias[2 * k + 1]));
    }
    g.input_bias = data->effective_bias[2 * k];
    g.recurrent_bias = data->effective_bias[2 * k + 1];
    if (peephole && peep[k] >= 0) {
      const float eff_peep = static_cast<float>(std::pow(2.0, cell_scale) * w_scale[peep[k]] /
                                                intermediate_scale[k]);
      quant::QuantizeMultiplier(eff_peep, &g.peephole_multiplier, &g.peephole_shift);
      g.peephole = in[peep[k]]->data_as<int16_t>();
    }
    if (layer_norm) {
      const float ln_scale = w_scale[ln[k]];
      quant::QuantizeMultiplier(ln_scale, &g.layer_norm_multiplier, &g.layer_norm_shift);
      g.layer_norm = in[ln[k]]->data_as<int16_t>();
      g.layer_norm_bias = gate_bias->data_as<int32_t>();
      g.variance_guard = std::max<int32_t>(1, static_cast<int32_t>(10000 * ln_scale));
    }
  }
  const float eff_hidden =
      static_cast<float>(std::pow(2.0, -15) / intermediate_scale[4] * std::pow(2.0, -15));
  quant::QuantizeMultiplier(eff_hidden, &p.hidden_multiplier, &p.hidden_shift);
  if (projection) {
    const float eff_proj = w_scale[kProjectionWeights] * intermediate_scale[4] / state_scale;
    quant::QuantizeMultiplier(eff_proj, &p.projection_multiplier, &p.projection_shift);
    p.projection_weights = in[kProjectionWeights]->data_as<int8_t>();
    if (!data->biases_ready)
      EDGELITE_RETURN_IF_ERROR(EffectiveBias(ctx, in[kProjectionWeights], in[kProjectionBias],
                                             intermediate_zp[4], &data->effective_bias[8]));
    p.projection_bias = data->effective_bias[8];
  }
  data->biases_ready = true;
  const size_t nc = static_cast<size_t>(n_batch) * n_cell;
  EDGELITE_RETURN_IF_ERROR(ctx.RequestScratch(4 * nc * sizeof(int16_t), &data->scratch16));
  return ctx.RequestScratch(nc, &data->scratch8);
}

}  // namespace ops
}  // namespace edgelite
