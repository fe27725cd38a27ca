// Prepare-time setup of TFLite's fully integer LSTM (8x8_16) shared by LSTM
// and UNIDIRECTIONAL_SEQUENCE_LSTM: validates the int8/int16/int32 inputs,
// the five intermediate tensors' quantization, and derives every effective
// scale and zero-point-folded bias exactly as TFLite does (float products of
// the scales, then QuantizeMultiplier).
#ifndef EDGELITE_OPS_LSTM_INTEGER_H_
#define EDGELITE_OPS_LSTM_INTEGER_H_

#include <cstdint>

#include "src/ops/rnn_util.h"
#include "src/ref/lstm_integer.h"

namespace edgelite {
namespace ops {

struct IntegerLstmData {
  ref::IntegerLstmParams params;
  int scratch16 = -1;  // 4 * n_batch * n_cell int16 (gates)
  int scratch8 = -1;   // n_batch * n_cell int8 (hidden before projection)
  // Zero-point-folded biases (persistent; computed on the first prepare only,
  // since they depend on constants alone): 4 gates x {input, recurrent}, projection.
  const int32_t* effective_bias[9] = {};
  bool biases_ready = false;
};

// n_batch rows of n_input features per step. Fills *data (effective biases in
// persistent memory, computed once: prepare may run again after a resize),
// requests the scratch buffers, returns n_cell and n_output.
Status PrepareIntegerLstm(OpContext& ctx, float cell_clip, float proj_clip, int32_t n_batch,
                          int32_t n_input, IntegerLstmData* data, int32_t* n_cell,
                          int32_t* n_output);

}  // namespace ops
}  // namespace edgelite

#endif  // EDGELITE_OPS_LSTM_INTEGER_H_
