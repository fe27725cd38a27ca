// Shared by the recurrent ops (LSTM, UNIDIRECTIONAL_SEQUENCE_LSTM, RNN,
// UNIDIRECTIONAL_SEQUENCE_RNN, SVDF): activation mapping, checks of state
// tensors, and the validation of the 20/24 LSTM inputs.
#ifndef EDGELITE_OPS_RNN_UTIL_H_
#define EDGELITE_OPS_RNN_UTIL_H_

#include <cstdint>

#include "src/ops/op_util.h"
#include "src/ref/rnn.h"
#include "src/ref/rnn_hybrid.h"

namespace edgelite {
namespace ops {

// Maps a fused activation to the recurrent kernels' enum (SIGN_BIT and
// unknown values are unsupported).
Status RnnActivationFrom(OpContext& ctx, fb::ActivationFunctionType act, ref::RnnActivation* out);

// A float32 input that must be present; other types give kUnsupported.
Status GetFloatInput(OpContext& ctx, int i, const char* what, Tensor** t);
// Same for an optional input: *t = nullptr when absent.
Status GetOptionalFloatInput(OpContext& ctx, int i, const char* what, Tensor** t);
// t has exactly the given dims.
Status CheckDims(OpContext& ctx, const Tensor* t, const char* what, std::initializer_list<int32_t> d);
// A state input (hidden/cell/activation state): present, float32, a
// variable tensor (writable, persistent across Invokes), `elements` values.
Status GetStateInput(OpContext& ctx, int i, const char* what, int64_t elements, Tensor** t);

// An int8 weights tensor of a hybrid kernel (float activations): present
// when `required`, int8 (uint8 and others are unsupported), one positive
// finite scale, zero point 0 (TFLite's hybrid kernels ignore it). *t is
// nullptr for an absent optional tensor.
Status GetHybridWeights(OpContext& ctx, int i, const char* what, bool required, Tensor** t);
// The weights scale of a tensor accepted by GetHybridWeights (0 if absent).
inline float HybridScale(const Tensor* t) { return t ? t->quant.scale[0] : 0.0f; }

// LSTM input positions (TFLite's order).
enum LstmInput : int {
  kLstmInput = 0,
  kInputToInput = 1, kInputToForget = 2, kInputToCell = 3, kInputToOutput = 4,
  kRecurrentToInput = 5, kRecurrentToForget = 6, kRecurrentToCell = 7, kRecurrentToOutput = 8,
  kCellToInput = 9, kCellToForget = 10, kCellToOutput = 11,
  kInputGateBias = 12, kForgetGateBias = 13, kCellGateBias = 14, kOutputGateBias = 15,
  kProjectionWeights = 16, kProjectionBias = 17,
  kOutputState = 18, kCellState = 19,
  kInputLayerNorm = 20, kForgetLayerNorm = 21, kCellLayerNorm = 22, kOutputLayerNorm = 23,
};

// The LSTM variants: all float32; hybrid (float32 activations, state,
// biases and layer norm; int8 per-tensor weights incl. peephole and
// projection); integer (TFLite's 8x8_16 layout).
enum class LstmKind : uint8_t { kFloat, kHybrid, kInteger };

// Validates LSTM inputs 1..23 for n_batch rows of n_input features (TFLite's
// rules: CIFG = input gate weights absent; peephole all-or-none; projection
// bias needs projection weights; layer norm all-or-none) and their types for
// `kind`. Returns n_cell and n_output.
Status CheckLstmInputs(OpContext& ctx, int32_t n_batch, int32_t n_input, int32_t* n_cell,
                       int32_t* n_output, LstmKind kind = LstmKind::kFloat);
// The kind an LSTM with a float32 input runs: hybrid when input_to_output
// weights (always present) are int8.
LstmKind FloatLstmKind(OpContext& ctx);
// Views of the weights for the reference kernels (after CheckLstmInputs).
ref::LstmWeights LstmWeightViews(OpContext& ctx);
ref::LstmHybridWeights LstmHybridWeightViews(OpContext& ctx);

}  // namespace ops
}  // namespace edgelite

#endif  // EDGELITE_OPS_RNN_UTIL_H_
