// Reference kernels of the recurrent ops, float32: LSTM cell step (used by
// LSTM and UNIDIRECTIONAL_SEQUENCE_LSTM), basic RNN step (RNN,
// UNIDIRECTIONAL_SEQUENCE_RNN) and SVDF. Plain loops; the spec.
//
// Numerics follow TensorFlow Lite's float kernels: each matrix-vector
// product is accumulated in float32 on its own and then added to the gate
// (bias first), layer normalization uses mean/variance over the cell
// dimension with epsilon 1e-8 inside the square root.
#ifndef EDGELITE_REF_RNN_H_
#define EDGELITE_REF_RNN_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace edgelite {
namespace ref {

// Activations the recurrent ops use (TFLite's fused activation subset, plus
// the sigmoid of the LSTM gates).
enum class RnnActivation : uint8_t { kNone, kRelu, kReluN1To1, kRelu6, kTanh, kSigmoid };

inline float RnnActivate(float x, RnnActivation a) {
  switch (a) {
    case RnnActivation::kNone: return x;
    case RnnActivation::kRelu: return std::max(0.0f, x);
    case RnnActivation::kReluN1To1: return std::min(1.0f, std::max(-1.0f, x));
    case RnnActivation::kRelu6: return std::min(6.0f, std::max(0.0f, x));
    case RnnActivation::kTanh: return std::tanh(x);
    case RnnActivation::kSigmoid: return 1.0f / (1.0f + std::exp(-x));
  }
  return x;
}

// result[b, r] += sum_c m[r, c] * v[b, c]  (m: rows x cols, v: batch x cols,
// result rows r of batch b at result + b * rows). The dot product is formed
// in its own float accumulator, then added.
inline void MatVecAccumulate(const float* m, int rows, int cols, const float* v, int batch,
                             float* result) {
  for (int b = 0; b < batch; ++b) {
    for (int r = 0; r < rows; ++r) {
      float dot = 0.0f;
      for (int c = 0; c < cols; ++c) dot += m[r * cols + c] * v[b * cols + c];
      result[b * rows + r] += dot;
    }
  }
}

// ---------------------------------------------------------------- LSTM

// Weights of one LSTM cell, float32 views; nullptr marks an absent optional
// tensor. Shapes: input_to_*: [n_cell, n_input]; recurrent_to_*:
// [n_cell, n_output]; cell_to_* (peephole), *_bias, *_layer_norm: [n_cell];
// projection_weights: [n_output, n_cell]; projection_bias: [n_output].
// CIFG (coupled input-forget gate) = input_to_input == nullptr.
struct LstmWeights {
  const float* input_to_input = nullptr;
  const float* input_to_forget = nullptr;
  const float* input_to_cell = nullptr;
  const float* input_to_output = nullptr;
  const float* recurrent_to_input = nullptr;
  const float* recurrent_to_forget = nullptr;
  const float* recurrent_to_cell = nullptr;
  const float* recurrent_to_output = nullptr;
  const float* cell_to_input = nullptr;
  const float* cell_to_forget = nullptr;
  const float* cell_to_output = nullptr;
  const float* input_gate_bias = nullptr;
  const float* forget_gate_bias = nullptr;
  const float* cell_gate_bias = nullptr;
  const float* output_gate_bias = nullptr;
  const float* projection_weights = nullptr;
  const float* projection_bias = nullptr;
  const float* input_layer_norm = nullptr;
  const float* forget_layer_norm = nullptr;
  const float* cell_layer_norm = nullptr;
  const float* output_layer_norm = nullptr;
};

struct LstmParams {
  RnnActivation activation = RnnActivation::kTanh;  // cell input and output
  float cell_clip = 0.0f;                             // 0: no clipping
  float proj_clip = 0.0f;                             // 0: no clipping
};

// Normalizes each row of x (rows x n) to zero mean, unit variance, in place.
inline void MeanStddevNormalize(float* x, int n, int rows) {
  for (int r = 0; r < rows; ++r, x += n) {
    float sum = 0.0f;
    for (int i = 0; i < n; ++i) sum += x[i];
    const float mean = sum / n;
    float sq = 0.0f;
    for (int i = 0; i < n; ++i) sq += (x[i] - mean) * (x[i] - mean);
    const float inv = 1.0f / std::sqrt(sq / n + 1e-8f);
    for (int i = 0; i < n; ++i) x[i] = (x[i] - mean) * inv;
  }
}

// gate[b, c] = act(LN(bias + W x + R h + peephole .* cell))  (LN, when
// layer_norm != nullptr, normalizes the sum without the bias, scales by
// layer_norm and adds the bias afterwards).
inline void LstmGate(const float* x, const float* h, const float* cell, const float* w_in,
                     const float* w_rec, const float* peephole, const float* bias,
                     const float* layer_norm, int n_batch, int n_input, int n_cell, int n_output,
                     RnnActivation act, float* gate) {
  for (int b = 0; b < n_batch; ++b)
    for (int c = 0; c < n_cell; ++c)
      gate[b * n_cell + c] = (layer_norm == nullptr && bias != nullptr) ? bias[c] : 0.0f;
  MatVecAccumulate(w_in, n_cell, n_input, x, n_batch, gate);
  MatVecAccumulate(w_rec, n_cell, n_output, h, n_batch, gate);
  if (peephole != nullptr)
    for (int b = 0; b < n_batch; ++b)
      for (int c = 0; c < n_cell; ++c) gate[b * n_cell + c] += peephole[c] * cell[b * n_cell + c];
  if (layer_norm != nullptr) {
    MeanStddevNormalize(gate, n_cell, n_batch);
    for (int b = 0; b < n_batch; ++b)
      for (int c = 0; c < n_cell; ++c) {
        float& g = gate[b * n_cell + c];
        g = g * layer_norm[c] + (bias ? bias[c] : 0.0f);
      }
  }
  for (int i = 0; i < n_batch * n_cell; ++i) gate[i] = RnnActivate(gate[i], act);
}

// One LSTM time step for n_batch independent rows.
//   x: [n_batch, n_input]; output_state h: [n_batch, n_output] and
//   cell_state: [n_batch, n_cell] are read and updated in place;
//   output row b (n_output values) is written at output + b * output_stride.
//   scratch: 4 * n_batch * n_cell floats.
inline void LstmStep(const float* x, const LstmWeights& w, const LstmParams& p, int n_batch,
                     int n_input, int n_cell, int n_output, float* output_state,
                     float* cell_state, float* scratch, float* output, int output_stride) {
  const int nc = n_batch * n_cell;
  float* input_gate = scratch;
  float* forget_gate = scratch + nc;
  float* cell_gate = scratch + 2 * nc;
  float* output_gate = scratch + 3 * nc;
  const bool cifg = w.input_to_input == nullptr;
  if (!cifg)
    LstmGate(x, output_state, cell_state, w.input_to_input, w.recurrent_to_input,
             w.cell_to_input, w.input_gate_bias, w.input_layer_norm, n_batch, n_input, n_cell,
             n_output, RnnActivation::kSigmoid, input_gate);
  LstmGate(x, output_state, cell_state, w.input_to_forget, w.recurrent_to_forget,
           w.cell_to_forget, w.forget_gate_bias, w.forget_layer_norm, n_batch, n_input, n_cell,
           n_output, RnnActivation::kSigmoid, forget_gate);
  LstmGate(x, output_state, cell_state, w.input_to_cell, w.recurrent_to_cell, nullptr,
           w.cell_gate_bias, w.cell_layer_norm, n_batch, n_input, n_cell, n_output, p.activation,
           cell_gate);
  // New cell state: c = f * c + i * g, with i = 1 - f under CIFG.
  for (int i = 0; i < nc; ++i) {
    const float in = cifg ? 1.0f - forget_gate[i] : input_gate[i];
    float c = forget_gate[i] * cell_state[i] + in * cell_gate[i];
    if (p.cell_clip > 0.0f) c = std::min(p.cell_clip, std::max(-p.cell_clip, c));
    cell_state[i] = c;
  }
  // The output gate's peephole sees the new cell state.
  LstmGate(x, output_state, cell_state, w.input_to_output, w.recurrent_to_output,
           w.cell_to_output, w.output_gate_bias, w.output_layer_norm, n_batch, n_input, n_cell,
           n_output, RnnActivation::kSigmoid, output_gate);
  // hidden = o * act(c), reusing the input gate's scratch.
  float* hidden = input_gate;
  for (int i = 0; i < nc; ++i) hidden[i] = output_gate[i] * RnnActivate(cell_state[i], p.activation);
  if (w.projection_weights != nullptr) {
    for (int b = 0; b < n_batch; ++b)
      for (int o = 0; o < n_output; ++o)
        output_state[b * n_output + o] = w.projection_bias ? w.projection_bias[o] : 0.0f;
    MatVecAccumulate(w.projection_weights, n_output, n_cell, hidden, n_batch, output_state);
    if (p.proj_clip > 0.0f)
      for (int i = 0; i < n_batch * n_output; ++i)
        output_state[i] = std::min(p.proj_clip, std::max(-p.proj_clip, output_state[i]));
  } else {
    // Without projection n_output == n_cell.
    std::memcpy(output_state, hidden, sizeof(float) * n_batch * n_output);
  }
  for (int b = 0; b < n_batch; ++b)
    std::memcpy(output + b * output_stride, output_state + b * n_output,
                sizeof(float) * n_output);
}

// ----------------------------------------------------------------- RNN

// One basic RNN step: h = act(W x + R h + bias), output row b = h[b].
//   x: [n_batch, n_input]; w: [n_units, n_input]; r: [n_units, n_units];
//   bias: [n_units]; hidden: [n_batch, n_units] updated in place; output row
//   b at output + b * output_stride. scratch: n_batch * n_units floats.
inline void RnnStep(const float* x, const float* w, const float* r, const float* bias,
                    RnnActivation act, int n_batch, int n_input, int n_units, float* hidden,
                    float* scratch, float* output, int output_stride) {
  for (int b = 0; b < n_batch; ++b)
    for (int u = 0; u < n_units; ++u) scratch[b * n_units + u] = bias ? bias[u] : 0.0f;
  MatVecAccumulate(w, n_units, n_input, x, n_batch, scratch);
  MatVecAccumulate(r, n_units, n_units, hidden, n_batch, scratch);
  for (int i = 0; i < n_batch * n_units; ++i) hidden[i] = RnnActivate(scratch[i], act);
  for (int b = 0; b < n_batch; ++b)
    std::memcpy(output + b * output_stride, hidden + b * n_units, sizeof(float) * n_units);
}

// ---------------------------------------------------------------- SVDF

// One SVDF step (singular value decomposition filter).
//   x: [n_batch, n_input]; weights_feature: [n_filters, n_input];
//   weights_time: [n_filters, memory]; bias: [n_units] or nullptr;
//   state: [n_batch, n_filters, memory], updated in place (shifted left by
//   one, the newest feature activation in the last slot);
//   output: [n_batch, n_units] with n_units = n_filters / rank.
//   scratch: n_batch * n_filters floats.
inline void SvdfStep(const float* x, const float* weights_feature, const float* weights_time,
                     const float* bias, RnnActivation act, int rank, int n_batch, int n_input,
                     int n_filters, int memory, float* state, float* scratch, float* output) {
  const int n_units = n_filters / rank;
  for (int b = 0; b < n_batch; ++b) {
    float* s = state + static_cast<int64_t>(b) * n_filters * memory;
    for (int f = 0; f < n_filters; ++f) {
      float* sf = s + f * memory;
      for (int m = 0; m + 1 < memory; ++m) sf[m] = sf[m + 1];
      float dot = 0.0f;
      for (int i = 0; i < n_input; ++i) dot += weights_feature[f * n_input + i] * x[b * n_input + i];
      sf[memory - 1] = dot;
      float t = 0.0f;
      for (int m = 0; m < memory; ++m) t += sf[m] * weights_time[f * memory + m];
      scratch[b * n_filters + f] = t;
    }
    for (int u = 0; u < n_units; ++u) {
      float acc = bias ? bias[u] : 0.0f;
      for (int k = 0; k < rank; ++k) acc += scratch[b * n_filters + u * rank + k];
      output[b * n_units + u] = RnnActivate(acc, act);
    }
  }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_RNN_H_
