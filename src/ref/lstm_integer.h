// Reference kernel of TFLite's fully integer LSTM ("8x8_16"): int8 input,
// weights and output/hidden state, int16 gates (Q3.12 before the
// activations, Q0.15 after) and an int16 cell state whose scale is a power
// of two, int32 biases. Optional CIFG, peephole (int16 weights), layer
// normalization (int16 coefficients, the gate bias added after the
// normalization) and projection (int8 weights, int32 bias), cell and
// projection clipping.
//
// The arithmetic follows TFLite's portable tensor utilities step by step,
// including their narrowing and saturation points (see docs/numerics.md):
// every gate matmul is requantized on its own and accumulated into the
// int16 gate with saturation; the zero-point corrections are folded into
// "effective biases" at prepare time (IntegerLstmGate::*_bias).
#ifndef EDGELITE_REF_LSTM_INTEGER_H_
#define EDGELITE_REF_LSTM_INTEGER_H_

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "src/quant/fixed_point.h"
#include "src/quant/fixed_point_int16.h"
#include "src/ref/quantized_activations.h"

namespace edgelite {
namespace ref {

// One gate's constants. Pointers may be null where the feature is absent.
struct IntegerLstmGate {
  const int8_t* input_weights = nullptr;      // [n_cell, n_input]
  const int32_t* input_bias = nullptr;        // effective: bias - z_in * row sums
  int32_t input_multiplier = 0;
  int input_shift = 0;
  const int8_t* recurrent_weights = nullptr;  // [n_cell, n_output]
  const int32_t* recurrent_bias = nullptr;    // effective: -z_state * row sums
  int32_t recurrent_multiplier = 0;
  int recurrent_shift = 0;
  const int16_t* peephole = nullptr;          // [n_cell]
  int32_t peephole_multiplier = 0;
  int peephole_shift = 0;
  const int16_t* layer_norm = nullptr;        // [n_cell]
  const int32_t* layer_norm_bias = nullptr;   // the gate bias (only with layer norm)
  int32_t layer_norm_multiplier = 0;
  int layer_norm_shift = 0;
  int32_t variance_guard = 1;
};

struct IntegerLstmParams {
  IntegerLstmGate input_gate, forget_gate, cell_gate, output_gate;
  bool cifg = false;
  int cell_scale_log2 = 0;  // cell state scale = 2^cell_scale_log2
  int16_t cell_clip = 0;    // 0: none
  int8_t proj_clip = 0;     // 0: none
  int32_t hidden_multiplier = 0;
  int hidden_shift = 0;
  int32_t hidden_zero_point = 0;
  const int8_t* projection_weights = nullptr;  // [n_output, n_cell]
  const int32_t* projection_bias = nullptr;    // effective: bias + z_hidden * row sums
  int32_t projection_multiplier = 0;
  int projection_shift = 0;
  int32_t output_state_zero_point = 0;
};

namespace lstm_int {

inline int16_t ClampInt16(int32_t v) {
  return static_cast<int16_t>(std::min<int32_t>(32767, std::max<int32_t>(-32768, v)));
}
inline int8_t ClampInt8(int32_t v) {
  return static_cast<int8_t>(std::min<int32_t>(127, std::max<int32_t>(-128, v)));
}

// out[b, r] = sat_T(out[b, r] + requant(bias[r] + sum_c w[r, c] x[b, c]) + out_zp)
template <typename T>
inline void MatVecAccumulate(const int8_t* x, const int32_t* bias, const int8_t* w,
                             int32_t multiplier, int shift, int n_batch, int n_in, int n_out,
                             int32_t out_zp, T* out) {
  const int32_t lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
  for (int b = 0; b < n_batch; ++b)
    for (int r = 0; r < n_out; ++r) {
      int32_t acc = bias[r];
      const int8_t* wr = w + static_cast<int64_t>(r) * n_in;
      const int8_t* xb = x + static_cast<int64_t>(b) * n_in;
      for (int c = 0; c < n_in; ++c) acc += int32_t{xb[c]} * wr[c];
      acc = quant::MultiplyByQuantizedMultiplier(acc, multiplier, shift) + out_zp;
      acc += out[b * n_out + r];
      out[b * n_out + r] = static_cast<T>(std::min(hi, std::max(lo, acc)));
    }
}

// TFLite's integer layer normalization of one gate (rows of n values), with
// 10 extra fractional bits in the normalized value.
inline void LayerNorm(int16_t* gate, const int16_t* weights, const int32_t* bias,
                      int32_t multiplier, int shift, int32_t variance_guard, int n_batch, int n) {
  constexpr int64_t kTwoToPower20 = int64_t{1} << 20;
  for (int b = 0; b < n_batch; ++b) {
    int16_t* g = gate + static_cast<int64_t>(b) * n;
    int64_t sum = 0, sum_sq = 0;
    for (int j = 0; j < n; ++j) {
      sum += g[j];
      sum_sq += int32_t{g[j]} * g[j];
    }
    const int32_t mean = static_cast<int32_t>(sum * 1024 / n);
    const int32_t temp = static_cast<int32_t>(kTwoToPower20 / n);
    const int64_t variance = sum_sq * temp - int64_t{mean} * mean;
    int32_t variance2 = static_cast<int32_t>(variance / kTwoToPower20);
    if (variance2 < 1) variance2 = variance_guard;
    int32_t inv_multiplier;
    int inv_shift;
    InvSqrtQuantizedMultiplier(variance2, &inv_multiplier, &inv_shift);
    for (int j = 0; j < n; ++j) {
      const int32_t shifted = 1024 * int32_t{g[j]} - mean;
      const int32_t rescaled =
          quant::MultiplyByQuantizedMultiplier(shifted, inv_multiplier, inv_shift);
      // TFLite forms this product and sum in 32 bits (wrapping) before widening.
      const int32_t val3_32 = static_cast<int32_t>(
          static_cast<uint32_t>(static_cast<int64_t>(rescaled) * weights[j] + bias[j]));
      const int64_t val3 = val3_32;
      const int32_t val4 = static_cast<int32_t>((val3 > 0 ? val3 + 512 : val3 - 512) / 1024);
      const int32_t val5 = quant::MultiplyByQuantizedMultiplier(val4, multiplier, shift + 12);
      g[j] = ClampInt16(val5);
    }
  }
}

enum class GateActivation { kSigmoid, kTanh };

inline void Gate(const int8_t* x, const int8_t* h, const int16_t* cell, const IntegerLstmGate& p,
                 int n_batch, int n_input, int n_output, int n_cell, GateActivation act,
                 int16_t* gate) {
  const int nc = n_batch * n_cell;
  std::fill(gate, gate + nc, int16_t{0});
  MatVecAccumulate(x, p.input_bias, p.input_weights, p.input_multiplier, p.input_shift, n_batch,
                   n_input, n_cell, 0, gate);
  MatVecAccumulate(h, p.recurrent_bias, p.recurrent_weights, p.recurrent_multiplier,
                   p.recurrent_shift, n_batch, n_output, n_cell, 0, gate);
  if (p.peephole != nullptr) {
    // TFLite walks n_output peephole entries per row (n_output == n_cell is
    // enforced at prepare when peepholes are present).
    for (int b = 0; b < n_batch; ++b)
      for (int c = 0; c < n_output; ++c) {
        const int32_t prod = quant::MultiplyByQuantizedMultiplier(
            int32_t{p.peephole[c]} * cell[b * n_output + c], p.peephole_multiplier,
            p.peephole_shift);
        gate[b * n_output + c] = ClampInt16(prod + gate[b * n_output + c]);
      }
  }
  if (p.layer_norm != nullptr)
    LayerNorm(gate, p.layer_norm, p.layer_norm_bias, p.layer_norm_multiplier, p.layer_norm_shift,
              p.variance_guard, n_batch, n_cell);
  // Q3.12 in, Q0.15 out.
  for (int i = 0; i < nc; ++i)
    gate[i] = act == GateActivation::kSigmoid ? quant::fp16::Logistic(gate[i], 3)
                                              : quant::fp16::Tanh(gate[i], 3);
}

}  // namespace lstm_int

// One integer LSTM time step for n_batch rows.
//   x: [n_batch, n_input] int8; output_state [n_batch, n_output] int8 and
//   cell_state [n_batch, n_cell] int16 are read and updated in place; the new
//   output state is copied to output (n_batch * n_output, contiguous).
//   scratch16: 4 * n_batch * n_cell int16; scratch8: n_batch * n_cell int8.
inline void LstmStepInteger(const int8_t* x, const IntegerLstmParams& p, int n_batch, int n_input,
                            int n_cell, int n_output, int8_t* output_state, int16_t* cell_state,
                            int16_t* scratch16, int8_t* scratch8, int8_t* output) {
  using lstm_int::GateActivation;
  const int nc = n_batch * n_cell;
  int16_t* input_gate = scratch16;
  int16_t* forget_gate = scratch16 + nc;
  int16_t* cell_gate = scratch16 + 2 * nc;
  int16_t* output_gate = scratch16 + 3 * nc;
  if (!p.cifg)
    lstm_int::Gate(x, output_state, cell_state, p.input_gate, n_batch, n_input, n_output, n_cell,
                   GateActivation::kSigmoid, input_gate);
  lstm_int::Gate(x, output_state, cell_state, p.forget_gate, n_batch, n_input, n_output, n_cell,
                 GateActivation::kSigmoid, forget_gate);
  lstm_int::Gate(x, output_state, cell_state, p.cell_gate, n_batch, n_input, n_output, n_cell,
                 GateActivation::kTanh, cell_gate);

  // c = f*c (Q0.15 x cell, back to the cell scale) + i*g (Q0.15 x Q0.15 -> cell scale).
  for (int i = 0; i < nc; ++i)
    cell_state[i] = static_cast<int16_t>(
        quant::RoundingDivideByPOT(int32_t{forget_gate[i]} * cell_state[i], 15));
  const int ig_shift = 30 + p.cell_scale_log2;
  for (int i = 0; i < nc; ++i) {
    const int16_t in = p.cifg ? static_cast<int16_t>(32767 - forget_gate[i]) : input_gate[i];
    const int16_t update = static_cast<int16_t>(
        quant::RoundingDivideByPOT(int32_t{in} * cell_gate[i], ig_shift));
    cell_state[i] = lstm_int::ClampInt16(int32_t{cell_state[i]} + update);
    if (p.cell_clip > 0)
      cell_state[i] = std::max<int16_t>(static_cast<int16_t>(-p.cell_clip),
                                        std::min<int16_t>(p.cell_clip, cell_state[i]));
  }

  lstm_int::Gate(x, output_state, cell_state, p.output_gate, n_batch, n_input, n_output, n_cell,
                 GateActivation::kSigmoid, output_gate);

  // hidden = o * tanh(c): tanh of the cell state read with 15 + log2(scale)
  // integer bits, reusing the input gate's scratch.
  int16_t* tanh_cell = input_gate;
  const int tanh_bits = 15 + p.cell_scale_log2;
  for (int i = 0; i < nc; ++i) tanh_cell[i] = quant::fp16::Tanh(cell_state[i], tanh_bits);
  auto hidden = [&](int i, int32_t zero_point) {
    const int32_t v = quant::MultiplyByQuantizedMultiplier(
        int32_t{output_gate[i]} * tanh_cell[i], p.hidden_multiplier, p.hidden_shift);
    return lstm_int::ClampInt8(v + zero_point);
  };
  if (p.projection_weights != nullptr) {
    // TFLite subtracts the hidden zero point here and adds it back through
    // the projection's effective bias.
    for (int i = 0; i < nc; ++i) scratch8[i] = hidden(i, -p.hidden_zero_point);
    std::memset(output_state, 0, static_cast<size_t>(n_batch) * n_output);
    lstm_int::MatVecAccumulate(scratch8, p.projection_bias, p.projection_weights,
                               p.projection_multiplier, p.projection_shift, n_batch, n_cell,
                               n_output, p.output_state_zero_point, output_state);
    if (p.proj_clip > 0)
      for (int i = 0; i < n_batch * n_output; ++i)
        output_state[i] = std::max<int8_t>(static_cast<int8_t>(-p.proj_clip),
                                           std::min<int8_t>(p.proj_clip, output_state[i]));
  } else {
    for (int i = 0; i < nc; ++i) output_state[i] = hidden(i, p.hidden_zero_point);
  }
  std::memcpy(output, output_state, static_cast<size_t>(n_batch) * n_output);
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_LSTM_INTEGER_H_
