#include "src/ops/rnn_util.h"

#include <cmath>

namespace edgelite {
namespace ops {

Status RnnActivationFrom(OpContext& ctx, fb::ActivationFunctionType act, ref::RnnActivation* out) {
  switch (act) {
    case fb::ActivationFunctionType::NONE: *out = ref::RnnActivation::kNone; return Status::Ok();
    case fb::ActivationFunctionType::RELU: *out = ref::RnnActivation::kRelu; return Status::Ok();
    case fb::ActivationFunctionType::RELU_N1_TO_1:
      *out = ref::RnnActivation::kReluN1To1;
      return Status::Ok();
    case fb::ActivationFunctionType::RELU6: *out = ref::RnnActivation::kRelu6; return Status::Ok();
    case fb::ActivationFunctionType::TANH: *out = ref::RnnActivation::kTanh; return Status::Ok();
    default:
      return ctx.Fail(StatusCode::kUnsupported, "activation %s is not supported",
                      fb::EnumNameActivationFunctionType(act));
  }
}

namespace {
Status CheckFloat(OpContext& ctx, const Tensor* t, const char* what) {
  if (t->type == DataType::kFloat32) return Status::Ok();
  return ctx.Fail(StatusCode::kUnsupported, "%s '%s' has type %s; expected float32", what, t->name,
                  DataTypeName(t->type));
}
}  // namespace

Status GetFloatInput(OpContext& ctx, int i, const char* what, Tensor** t) {
  *t = ctx.input(i);
  if (*t == nullptr) return ctx.Invalid("input %d (%s) is missing", i, what);
  return CheckFloat(ctx, *t, what);
}

Status GetOptionalFloatInput(OpContext& ctx, int i, const char* what, Tensor** t) {
  *t = ctx.input(i);
  if (*t == nullptr) return Status::Ok();
  return CheckFloat(ctx, *t, what);
}

Status GetHybridWeights(OpContext& ctx, int i, const char* what, bool required, Tensor** t) {
  *t = ctx.input(i);
  if (*t == nullptr) return required ? ctx.Invalid("input %d (%s) is missing", i, what) : Status::Ok();
  if ((*t)->type != DataType::kInt8)
    return ctx.Fail(StatusCode::kUnsupported,
                    "%s '%s' is %s; a hybrid kernel (float32 activations) needs int8 weights", what,
                    (*t)->name, DataTypeName((*t)->type));
  if ((*t)->quant.count != 1)
    return ctx.Fail(StatusCode::kUnsupported,
                    "%s '%s' has %d scales; hybrid recurrent kernels need one per-tensor scale",
                    what, (*t)->name, (*t)->quant.count);
  const float s = (*t)->quant.scale[0];
  if (!(s > 0.0f) || !std::isfinite(s))
    return ctx.Invalid("%s '%s' has a non-positive or non-finite scale %g", what, (*t)->name,
                       static_cast<double>(s));
  if ((*t)->quant.zero_point && (*t)->quant.zero_point[0] != 0)
    return ctx.Fail(StatusCode::kUnsupported,
                    "%s '%s' has zero point %lld; hybrid weights must be symmetric (0)", what,
                    (*t)->name, static_cast<long long>((*t)->quant.zero_point[0]));
  return Status::Ok();
}

Status CheckDims(OpContext& ctx, const Tensor* t, const char* what,
                 std::initializer_list<int32_t> d) {
  bool ok = t->shape.rank == static_cast<int32_t>(d.size());
  int k = 0;
  for (int32_t v : d) {
    if (ok && t->shape.dims[k] != v) ok = false;
    ++k;
  }
  if (ok) return Status::Ok();
  Shape want;
  want.rank = static_cast<int32_t>(d.size());
  k = 0;
  for (int32_t v : d) want.dims[k++] = v;
  char a[96], b[96];
  return ctx.Invalid("%s '%s' has shape %s; expected %s", what, t->name,
                     t->shape.ToString(a, sizeof(a)), want.ToString(b, sizeof(b)));
}

Status GetStateInput(OpContext& ctx, int i, const char* what, int64_t elements, Tensor** t) {
  EDGELITE_RETURN_IF_ERROR(GetFloatInput(ctx, i, what, t));
  if (!(*t)->is_variable)
    return ctx.Invalid("%s '%s' (input %d) must be a variable tensor", what, (*t)->name, i);
  if ((*t)->shape.NumElements() != elements)
    return ctx.Invalid("%s '%s' has %lld elements; expected %lld", what, (*t)->name,
                       static_cast<long long>((*t)->shape.NumElements()),
                       static_cast<long long>(elements));
  return Status::Ok();
}

namespace {
// The type TFLite's integer (8x8_16) LSTM expects at each input position.
DataType IntegerLstmType(int i) {
  switch (i) {
    case kCellToInput: case kCellToForget: case kCellToOutput:
    case kInputLayerNorm: case kForgetLayerNorm: case kCellLayerNorm: case kOutputLayerNorm:
    case kCellState:
      return DataType::kInt16;
    case kInputGateBias: case kForgetGateBias: case kCellGateBias: case kOutputGateBias:
    case kProjectionBias:
      return DataType::kInt32;
    default:
      return DataType::kInt8;
  }
}

// Weight matrices and peephole vectors: int8 in a hybrid LSTM.
bool IsLstmWeight(int i) {
  return (i >= kInputToInput && i <= kCellToOutput) || i == kProjectionWeights;
}

Status GetLstmTensor(OpContext& ctx, int i, const char* what, LstmKind kind, bool required,
                     Tensor** t) {
  if (kind == LstmKind::kHybrid && IsLstmWeight(i))
    return GetHybridWeights(ctx, i, what, required, t);
  *t = ctx.input(i);
  if (*t == nullptr) return required ? ctx.Invalid("input %d (%s) is missing", i, what) : Status::Ok();
  if (kind != LstmKind::kInteger) return CheckFloat(ctx, *t, what);
  const DataType want = IntegerLstmType(i);
  if ((*t)->type != want)
    return ctx.Fail(StatusCode::kUnsupported,
                    "%s '%s' is %s; the integer LSTM expects %s (int8 activations and weights, "
                    "int16 cell state, peephole and layer norm, int32 biases)",
                    what, (*t)->name, DataTypeName((*t)->type), DataTypeName(want));
  return Status::Ok();
}
}  // namespace

Status CheckLstmInputs(OpContext& ctx, int32_t n_batch, int32_t n_input, int32_t* n_cell_out,
                       int32_t* n_output_out, LstmKind kind) {
  const bool integer = kind == LstmKind::kInteger;
  if (ctx.num_inputs() != 20 && ctx.num_inputs() != 24)
    return ctx.Invalid("expects 20 or 24 inputs, got %d", ctx.num_inputs());
  Tensor* t[24] = {};
  static const char* const kNames[24] = {
      "input", "input_to_input_weights", "input_to_forget_weights", "input_to_cell_weights",
      "input_to_output_weights", "recurrent_to_input_weights", "recurrent_to_forget_weights",
      "recurrent_to_cell_weights", "recurrent_to_output_weights", "cell_to_input_weights",
      "cell_to_forget_weights", "cell_to_output_weights", "input_gate_bias", "forget_gate_bias",
      "cell_gate_bias", "output_gate_bias", "projection_weights", "projection_bias",
      "output_state", "cell_state", "input_layer_norm_coefficients",
      "forget_layer_norm_coefficients", "cell_layer_norm_coefficients",
      "output_layer_norm_coefficients"};
  for (int i : {kInputToForget, kInputToCell, kInputToOutput, kRecurrentToForget,
                kRecurrentToCell, kRecurrentToOutput, kForgetGateBias, kCellGateBias,
                kOutputGateBias})
    EDGELITE_RETURN_IF_ERROR(GetLstmTensor(ctx, i, kNames[i], kind, true, &t[i]));
  for (int i : {kInputToInput, kRecurrentToInput, kCellToInput, kCellToForget, kCellToOutput,
                kInputGateBias, kProjectionWeights, kProjectionBias})
    EDGELITE_RETURN_IF_ERROR(GetLstmTensor(ctx, i, kNames[i], kind, false, &t[i]));
  if (ctx.num_inputs() == 24)
    for (int i = kInputLayerNorm; i <= kOutputLayerNorm; ++i)
      EDGELITE_RETURN_IF_ERROR(GetLstmTensor(ctx, i, kNames[i], kind, false, &t[i]));

  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, t[kInputToOutput], 2, 2, kNames[kInputToOutput]));
  EDGELITE_RETURN_IF_ERROR(
      CheckRank(ctx, t[kRecurrentToOutput], 2, 2, kNames[kRecurrentToOutput]));
  const int32_t n_cell = t[kInputToOutput]->shape[0];
  const int32_t n_output = t[kRecurrentToOutput]->shape[1];
  if (n_cell <= 0 || n_output <= 0)
    return ctx.Invalid("n_cell (%d) and n_output (%d) must be positive", n_cell, n_output);

  for (int i : {kInputToInput, kInputToForget, kInputToCell, kInputToOutput})
    if (t[i]) EDGELITE_RETURN_IF_ERROR(CheckDims(ctx, t[i], kNames[i], {n_cell, n_input}));
  for (int i : {kRecurrentToInput, kRecurrentToForget, kRecurrentToCell, kRecurrentToOutput})
    if (t[i]) EDGELITE_RETURN_IF_ERROR(CheckDims(ctx, t[i], kNames[i], {n_cell, n_output}));
  const bool cifg = t[kInputToInput] == nullptr;
  if (cifg != (t[kRecurrentToInput] == nullptr))
    return ctx.Invalid("input_to_input_weights and recurrent_to_input_weights must be both "
                       "present or both absent (CIFG)");
  for (int i : {kCellToInput, kCellToForget, kCellToOutput})
    if (t[i]) EDGELITE_RETURN_IF_ERROR(CheckDims(ctx, t[i], kNames[i], {n_cell}));
  const bool peephole_ok =
      ((t[kCellToInput] || cifg) && t[kCellToForget] && t[kCellToOutput]) ||
      (!t[kCellToInput] && !t[kCellToForget] && !t[kCellToOutput]);
  if (!peephole_ok) return ctx.Invalid("peephole weights must be all present or all absent");
  if (cifg && t[kCellToInput])
    return ctx.Invalid("cell_to_input_weights must be absent with CIFG (no input gate)");
  if (cifg) {
    if (t[kInputGateBias]) return ctx.Invalid("input_gate_bias must be absent with CIFG");
  } else {
    if (!t[kInputGateBias]) return ctx.Invalid("input_gate_bias is missing");
    EDGELITE_RETURN_IF_ERROR(CheckDims(ctx, t[kInputGateBias], kNames[kInputGateBias], {n_cell}));
  }
  for (int i : {kForgetGateBias, kCellGateBias, kOutputGateBias})
    EDGELITE_RETURN_IF_ERROR(CheckDims(ctx, t[i], kNames[i], {n_cell}));
  if (t[kProjectionWeights])
    EDGELITE_RETURN_IF_ERROR(
        CheckDims(ctx, t[kProjectionWeights], kNames[kProjectionWeights], {n_output, n_cell}));
  else if (n_output != n_cell)
    return ctx.Invalid("without projection weights n_output (%d) must equal n_cell (%d)",
                       n_output, n_cell);
  if (t[kProjectionBias]) {
    if (!t[kProjectionWeights])
      return ctx.Invalid("projection_bias is present without projection_weights");
    EDGELITE_RETURN_IF_ERROR(
        CheckDims(ctx, t[kProjectionBias], kNames[kProjectionBias], {n_output}));
  }
  if (ctx.num_inputs() == 24 && t[kForgetLayerNorm]) {
    for (int i : {kForgetLayerNorm, kCellLayerNorm, kOutputLayerNorm}) {
      if (!t[i]) return ctx.Invalid("%s is missing (layer norm LSTM)", kNames[i]);
      EDGELITE_RETURN_IF_ERROR(CheckDims(ctx, t[i], kNames[i], {n_cell}));
    }
    if (cifg) {
      if (t[kInputLayerNorm])
        return ctx.Invalid("input_layer_norm_coefficients must be absent with CIFG");
    } else {
      if (!t[kInputLayerNorm])
        return ctx.Invalid("input_layer_norm_coefficients is missing (layer norm LSTM)");
      EDGELITE_RETURN_IF_ERROR(
          CheckDims(ctx, t[kInputLayerNorm], kNames[kInputLayerNorm], {n_cell}));
    }
  } else if (ctx.num_inputs() == 24 &&
             (t[kInputLayerNorm] || t[kCellLayerNorm] || t[kOutputLayerNorm])) {
    return ctx.Invalid("layer norm coefficients must be all present or all absent");
  }
  Tensor* state;
  if (integer) {
    for (int i : {kOutputState, kCellState}) {
      EDGELITE_RETURN_IF_ERROR(GetLstmTensor(ctx, i, kNames[i], kind, true, &state));
      const int64_t want = int64_t{n_batch} * (i == kOutputState ? n_output : n_cell);
      if (!state->is_variable)
        return ctx.Invalid("%s '%s' (input %d) must be a variable tensor", kNames[i], state->name, i);
      if (state->shape.NumElements() != want)
        return ctx.Invalid("%s '%s' has %lld elements; expected %lld", kNames[i], state->name,
                           static_cast<long long>(state->shape.NumElements()),
                           static_cast<long long>(want));
    }
  } else {
    EDGELITE_RETURN_IF_ERROR(GetStateInput(ctx, kOutputState, kNames[kOutputState],
                                           int64_t{n_batch} * n_output, &state));
    EDGELITE_RETURN_IF_ERROR(GetStateInput(ctx, kCellState, kNames[kCellState],
                                           int64_t{n_batch} * n_cell, &state));
  }
  *n_cell_out = n_cell;
  *n_output_out = n_output;
  return Status::Ok();
}

LstmKind FloatLstmKind(OpContext& ctx) {
  const Tensor* w = ctx.num_inputs() > kInputToOutput ? ctx.input(kInputToOutput) : nullptr;
  return w != nullptr && w->type == DataType::kInt8 ? LstmKind::kHybrid : LstmKind::kFloat;
}

ref::LstmHybridWeights LstmHybridWeightViews(OpContext& ctx) {
  auto q = [&ctx](int i) -> const int8_t* {
    const Tensor* t = ctx.input(i);
    return t ? t->data_as<int8_t>() : nullptr;
  };
  auto s = [&ctx](int i) { return HybridScale(ctx.input(i)); };
  auto f = [&ctx](int i) -> const float* {
    const Tensor* t = ctx.input(i);
    return t ? t->data_as<float>() : nullptr;
  };
  ref::LstmHybridWeights w;
  w.input_to_input = q(kInputToInput);
  w.input_to_forget = q(kInputToForget);
  w.input_to_cell = q(kInputToCell);
  w.input_to_output = q(kInputToOutput);
  w.recurrent_to_input = q(kRecurrentToInput);
  w.recurrent_to_forget = q(kRecurrentToForget);
  w.recurrent_to_cell = q(kRecurrentToCell);
  w.recurrent_to_output = q(kRecurrentToOutput);
  w.cell_to_input = q(kCellToInput);
  w.cell_to_forget = q(kCellToForget);
  w.cell_to_output = q(kCellToOutput);
  w.projection_weights = q(kProjectionWeights);
  w.input_to_input_scale = s(kInputToInput);
  w.input_to_forget_scale = s(kInputToForget);
  w.input_to_cell_scale = s(kInputToCell);
  w.input_to_output_scale = s(kInputToOutput);
  w.recurrent_to_input_scale = s(kRecurrentToInput);
  w.recurrent_to_forget_scale = s(kRecurrentToForget);
  w.recurrent_to_cell_scale = s(kRecurrentToCell);
  w.recurrent_to_output_scale = s(kRecurrentToOutput);
  w.cell_to_input_scale = s(kCellToInput);
  w.cell_to_forget_scale = s(kCellToForget);
  w.cell_to_output_scale = s(kCellToOutput);
  w.projection_scale = s(kProjectionWeights);
  w.input_gate_bias = f(kInputGateBias);
  w.forget_gate_bias = f(kForgetGateBias);
  w.cell_gate_bias = f(kCellGateBias);
  w.output_gate_bias = f(kOutputGateBias);
  w.projection_bias = f(kProjectionBias);
  if (ctx.num_inputs() == 24 && ctx.input(kForgetLayerNorm) != nullptr) {
    w.input_layer_norm = f(kInputLayerNorm);
    w.forget_layer_norm = f(kForgetLayerNorm);
    w.cell_layer_norm = f(kCellLayerNorm);
    w.output_layer_norm = f(kOutputLayerNorm);
  }
  return w;
}

ref::LstmWeights LstmWeightViews(OpContext& ctx) {
  auto f = [&ctx](int i) -> const float* {
    const Tensor* t = ctx.input(i);
    return t ? t->data_as<float>() : nullptr;
  };
  ref::LstmWeights w;
  w.input_to_input = f(kInputToInput);
  w.input_to_forget = f(kInputToForget);
  w.input_to_cell = f(kInputToCell);
  w.input_to_output = f(kInputToOutput);
  w.recurrent_to_input = f(kRecurrentToInput);
  w.recurrent_to_forget = f(kRecurrentToForget);
  w.recurrent_to_cell = f(kRecurrentToCell);
  w.recurrent_to_output = f(kRecurrentToOutput);
  w.cell_to_input = f(kCellToInput);
  w.cell_to_forget = f(kCellToForget);
  w.cell_to_output = f(kCellToOutput);
  w.input_gate_bias = f(kInputGateBias);
  w.forget_gate_bias = f(kForgetGateBias);
  w.cell_gate_bias = f(kCellGateBias);
  w.output_gate_bias = f(kOutputGateBias);
  w.projection_weights = f(kProjectionWeights);
  w.projection_bias = f(kProjectionBias);
  if (ctx.num_inputs() == 24 && ctx.input(kForgetLayerNorm) != nullptr) {
    w.input_layer_norm = f(kInputLayerNorm);
    w.forget_layer_norm = f(kForgetLayerNorm);
    w.cell_layer_norm = f(kCellLayerNorm);
    w.output_layer_norm = f(kOutputLayerNorm);
  }
  return w;
}

}  // namespace ops
}  // namespace edgelite
