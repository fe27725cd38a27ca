// Reference hybrid (dynamic-range) kernels of the recurrent ops: float32
// activations and state, int8 weights with one scale per tensor. They
// reproduce TensorFlow Lite's hybrid path (lstm_eval.cc LstmStepHybrid,
// kernel_utils.cc RnnBatchStep, reference svdf.h EvalHybridSVDF) step by
// step:
//   - every float operand of a matrix product (input, output state, the
//     LSTM's hidden value before projection) is quantized to int8 per batch
//     row (quant::SymmetricQuantizeFloats, or AsymmetricQuantizeFloats when
//     the op's asymmetric_quantize_inputs option is set);
//   - a product whose whole float operand is exactly zero is skipped
//     (TFLite's IsZeroVector shortcut; the sum it would add is 0 anyway);
//   - the per-row factor is the row's scale times the weights' scale,
//     formed in float, and the int32 dot product (minus row_sum * zero
//     point when asymmetric) is added as `result += float(dot) * factor`;
//   - everything else (gates, activations, layer norm, peephole with the
//     int8 weights dequantized as float(w) * scale, cell update, clipping)
//     is the float kernel's arithmetic (src/ref/rnn.h).
#ifndef EDGELITE_REF_RNN_HYBRID_H_
#define EDGELITE_REF_RNN_HYBRID_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "src/quant/hybrid.h"
#include "src/ref/rnn.h"

namespace edgelite {
namespace ref {

// True if every value is exactly 0 (TFLite's IsZeroVector; -0.0 counts).
inline bool IsZeroVector(const float* v, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    if (v[i] != 0.0f) return false;
  return true;
}

// TFLite's BatchQuantizeFloats: each of n_batch rows of n values quantized on
// its own. zp receives the zero points (all 0 when symmetric).
inline void BatchQuantizeRows(const float* x, int n_batch, int n, bool asymmetric, int8_t* q,
                              float* scaling, int32_t* zp) {
  for (int b = 0; b < n_batch; ++b) {
    const int64_t off = int64_t{b} * n;
    if (asymmetric) {
      quant::AsymmetricQuantizeFloats(x + off, n, q + off, &scaling[b], &zp[b]);
    } else {
      quant::SymmetricQuantizeFloats(x + off, n, q + off, &scaling[b]);
      zp[b] = 0;
    }
  }
}

// result[b * rows + r] += float(sum_c m[r, c] * q[b, c] - rowsum(m[r]) * zp[b]) * factor[b]
// (TFLite's MatrixBatchVectorMultiplyAccumulate with scaling factors and
// input offsets; the int32 sums wrap as TFLite's would).
inline void HybridMatVecAccumulate(const int8_t* m, int rows, int cols, const int8_t* q,
                                   const float* factor, const int32_t* zp, int n_batch,
                                   float* result) {
  for (int b = 0; b < n_batch; ++b) {
    const int8_t* v = q + int64_t{b} * cols;
    for (int r = 0; r < rows; ++r) {
      const int8_t* row = m + int64_t{r} * cols;
      uint32_t dot = 0, row_sum = 0;
      for (int c = 0; c < cols; ++c) {
        dot += static_cast<uint32_t>(static_cast<int32_t>(row[c]) * v[c]);
        row_sum += static_cast<uint32_t>(static_cast<int32_t>(row[c]));
      }
      if (zp != nullptr) dot -= row_sum * static_cast<uint32_t>(zp[b]);
      result[int64_t{b} * rows + r] += static_cast<float>(static_cast<int32_t>(dot)) * factor[b];
    }
  }
}

// factor[b] = scaling[b] * weights_scale, then HybridMatVecAccumulate.
inline void ScaledHybridMatVecAccumulate(const int8_t* m, float weights_scale, int rows, int cols,
                                         const int8_t* q, const float* scaling, const int32_t* zp,
                                         int n_batch, float* factor, float* result) {
  for (int b = 0; b < n_batch; ++b) factor[b] = scaling[b] * weights_scale;
  HybridMatVecAccumulate(m, rows, cols, q, factor, zp, n_batch, result);
}

// Bytes of `count` elements of `size` bytes, rounded up to 16.
inline size_t HybridPart(int64_t count, size_t size) {
  return (static_cast<size_t>(count) * size + 15) & ~size_t{15};
}

// ---------------------------------------------------------------- LSTM

// Hybrid LSTM weights: int8 matrices (nullptr = absent) with their scales,
// float biases and layer-norm coefficients. Shapes as in LstmWeights.
struct LstmHybridWeights {
  const int8_t* input_to_input = nullptr;
  const int8_t* input_to_forget = nullptr;
  const int8_t* input_to_cell = nullptr;
  const int8_t* input_to_output = nullptr;
  const int8_t* recurrent_to_input = nullptr;
  const int8_t* recurrent_to_forget = nullptr;
  const int8_t* recurrent_to_cell = nullptr;
  const int8_t* recurrent_to_output = nullptr;
  const int8_t* cell_to_input = nullptr;
  const int8_t* cell_to_forget = nullptr;
  const int8_t* cell_to_output = nullptr;
  const int8_t* projection_weights = nullptr;
  float input_to_input_scale = 0, input_to_forget_scale = 0, input_to_cell_scale = 0,
        input_to_output_scale = 0;
  float recurrent_to_input_scale = 0, recurrent_to_forget_scale = 0,
        recurrent_to_cell_scale = 0, recurrent_to_output_scale = 0;
  float cell_to_input_scale = 0, cell_to_forget_scale = 0, cell_to_output_scale = 0;
  float projection_scale = 0;
  const float* input_gate_bias = nullptr;
  const float* forget_gate_bias = nullptr;
  const float* cell_gate_bias = nullptr;
  const float* output_gate_bias = nullptr;
  const float* projection_bias = nullptr;
  const float* input_layer_norm = nullptr;
  const float* forget_layer_norm = nullptr;
  const float* cell_layer_norm = nullptr;
  const float* output_layer_norm = nullptr;
};

// The temporaries TFLite's hybrid LSTM keeps (its temporary tensors), views
// into one scratch buffer.
struct LstmHybridScratch {
  float* gates;         // 4 * n_batch * n_cell
  int8_t* q_input;      // n_batch * n_input
  int8_t* q_state;      // n_batch * n_output
  int8_t* q_hidden;     // n_batch * n_cell
  float* input_sf;      // n_batch each
  float* state_sf;
  float* hidden_sf;
  float* factor;
  int32_t* input_zp;
  int32_t* state_zp;
  int32_t* hidden_zp;
  float* recovered_cell;  // n_cell (peephole weights as float)
};

inline size_t LstmHybridScratchBytes(int64_t n_batch, int64_t n_input, int64_t n_cell,
                                     int64_t n_output) {
  return HybridPart(4 * n_batch * n_cell, sizeof(float)) +
         HybridPart(n_batch * n_input, 1) + HybridPart(n_batch * n_output, 1) +
         HybridPart(n_batch * n_cell, 1) + 4 * HybridPart(n_batch, sizeof(float)) +
         3 * HybridPart(n_batch, sizeof(int32_t)) + HybridPart(n_cell, sizeof(float));
}

// `base` must be 16-byte aligned and hold LstmHybridScratchBytes(...) bytes.
inline LstmHybridScratch LstmHybridScratchView(void* base, int64_t n_batch, int64_t n_input,
                                               int64_t n_cell, int64_t n_output) {
  auto* p = static_cast<uint8_t*>(base);
  LstmHybridScratch s;
  auto take = [&p](int64_t count, size_t size) {
    uint8_t* r = p;
    p += HybridPart(count, size);
    return static_cast<void*>(r);
  };
  s.gates = static_cast<float*>(take(4 * n_batch * n_cell, sizeof(float)));
  s.q_input = static_cast<int8_t*>(take(n_batch * n_input, 1));
  s.q_state = static_cast<int8_t*>(take(n_batch * n_output, 1));
  s.q_hidden = static_cast<int8_t*>(take(n_batch * n_cell, 1));
  s.input_sf = static_cast<float*>(take(n_batch, sizeof(float)));
  s.state_sf = static_cast<float*>(take(n_batch, sizeof(float)));
  s.hidden_sf = static_cast<float*>(take(n_batch, sizeof(float)));
  s.factor = static_cast<float*>(take(n_batch, sizeof(float)));
  s.input_zp = static_cast<int32_t*>(take(n_batch, sizeof(int32_t)));
  s.state_zp = static_cast<int32_t*>(take(n_batch, sizeof(int32_t)));
  s.hidden_zp = static_cast<int32_t*>(take(n_batch, sizeof(int32_t)));
  s.recovered_cell = static_cast<float*>(take(n_cell, sizeof(float)));
  return s;
}

// One gate of the hybrid LSTM (TFLite's CalculateLstmGateHybrid): bias (or 0
// with layer norm), + W x, + R h (each skipped when its float operand is all
// zero), + peephole float(w) * scale * cell, layer norm, activation.
struct HybridOperand {
  const int8_t* q;
  const float* scaling;
  const int32_t* zp;  // nullptr when symmetric
  bool all_zero;
};

inline void LstmHybridGate(const HybridOperand& x, const int8_t* w_in, float w_in_scale,
                           const HybridOperand& h, const int8_t* w_rec, float w_rec_scale,
                           const float* cell, const int8_t* peephole, float peephole_scale,
                           const float* bias, const float* layer_norm, int n_batch, int n_input,
                           int n_cell, int n_output, RnnActivation act, float* factor,
                           float* recovered, float* gate) {
  for (int b = 0; b < n_batch; ++b)
    for (int c = 0; c < n_cell; ++c)
      gate[b * n_cell + c] = (layer_norm == nullptr && bias != nullptr) ? bias[c] : 0.0f;
  if (!x.all_zero)
    ScaledHybridMatVecAccumulate(w_in, w_in_scale, n_cell, n_input, x.q, x.scaling, x.zp, n_batch,
                                 factor, gate);
  if (!h.all_zero)
    ScaledHybridMatVecAccumulate(w_rec, w_rec_scale, n_cell, n_output, h.q, h.scaling, h.zp,
                                 n_batch, factor, gate);
  if (peephole != nullptr) {
    for (int c = 0; c < n_cell; ++c) recovered[c] = peephole_scale * static_cast<float>(peephole[c]);
    for (int b = 0; b < n_batch; ++b)
      for (int c = 0; c < n_cell; ++c) gate[b * n_cell + c] += recovered[c] * cell[b * n_cell + c];
  }
  if (layer_norm != nullptr) {
    MeanStddevNormalize(gate, n_cell, n_batch);
    for (int b = 0; b < n_batch; ++b)
      for (int c = 0; c < n_cell; ++c) {
        float& g = gate[b * n_cell + c];
        g = layer_norm[c] * g;
        if (bias != nullptr) g += bias[c];
      }
  }
  for (int i = 0; i < n_batch * n_cell; ++i) gate[i] = RnnActivate(gate[i], act);
}

// One hybrid LSTM time step for n_batch rows (arguments as ref::LstmStep).
inline void LstmStepHybrid(const float* x, const LstmHybridWeights& w, const LstmParams& p,
                           bool asymmetric, int n_batch, int n_input, int n_cell, int n_output,
                           float* output_state, float* cell_state, const LstmHybridScratch& s,
                           float* output, int output_stride) {
  const int nc = n_batch * n_cell;
  float* input_gate = s.gates;
  float* forget_gate = s.gates + nc;
  float* cell_gate = s.gates + 2 * nc;
  float* output_gate = s.gates + 3 * nc;
  const bool cifg = w.input_to_input == nullptr;

  HybridOperand xin{s.q_input, s.input_sf, asymmetric ? s.input_zp : nullptr,
                    IsZeroVector(x, int64_t{n_batch} * n_input)};
  HybridOperand hin{s.q_state, s.state_sf, asymmetric ? s.state_zp : nullptr,
                    IsZeroVector(output_state, int64_t{n_batch} * n_output)};
  if (!xin.all_zero)
    BatchQuantizeRows(x, n_batch, n_input, asymmetric, s.q_input, s.input_sf, s.input_zp);
  if (!hin.all_zero)
    BatchQuantizeRows(output_state, n_batch, n_output, asymmetric, s.q_state, s.state_sf,
                      s.state_zp);
  if (!cifg)
    LstmHybridGate(xin, w.input_to_input, w.input_to_input_scale, hin, w.recurrent_to_input,
                   w.recurrent_to_input_scale, cell_state, w.cell_to_input, w.cell_to_input_scale,
                   w.input_gate_bias, w.input_layer_norm, n_batch, n_input, n_cell, n_output,
                   RnnActivation::kSigmoid, s.factor, s.recovered_cell, input_gate);
  LstmHybridGate(xin, w.input_to_forget, w.input_to_forget_scale, hin, w.recurrent_to_forget,
                 w.recurrent_to_forget_scale, cell_state, w.cell_to_forget, w.cell_to_forget_scale,
                 w.forget_gate_bias, w.forget_layer_norm, n_batch, n_input, n_cell, n_output,
                 RnnActivation::kSigmoid, s.factor, s.recovered_cell, forget_gate);
  LstmHybridGate(xin, w.input_to_cell, w.input_to_cell_scale, hin, w.recurrent_to_cell,
                 w.recurrent_to_cell_scale, nullptr, nullptr, 0.0f, w.cell_gate_bias,
                 w.cell_layer_norm, n_batch, n_input, n_cell, n_output, p.activation, s.factor,
                 s.recovered_cell, cell_gate);
  // c = f * c + i * g (i = 1 - f under CIFG), as TFLite's UpdateLstmCellFloat:
  // the product f * c is stored first, then i * g is added.
  for (int i = 0; i < nc; ++i) {
    float c = forget_gate[i] * cell_state[i];
    const float in = cifg ? 1.0f - forget_gate[i] : input_gate[i];
    c += cell_gate[i] * in;
    if (p.cell_clip > 0.0f) c = std::min(p.cell_clip, std::max(-p.cell_clip, c));
    cell_state[i] = c;
  }
  LstmHybridGate(xin, w.input_to_output, w.input_to_output_scale, hin, w.recurrent_to_output,
                 w.recurrent_to_output_scale, cell_state, w.cell_to_output, w.cell_to_output_scale,
                 w.output_gate_bias, w.output_layer_norm, n_batch, n_input, n_cell, n_output,
                 RnnActivation::kSigmoid, s.factor, s.recovered_cell, output_gate);
  // hidden = o * act(c), in the cell gate's scratch (no longer needed).
  float* hidden = cell_gate;
  for (int i = 0; i < nc; ++i) hidden[i] = output_gate[i] * RnnActivate(cell_state[i], p.activation);
  if (w.projection_weights != nullptr) {
    for (int b = 0; b < n_batch; ++b)
      for (int o = 0; o < n_output; ++o)
        output_state[b * n_output + o] = w.projection_bias ? w.projection_bias[o] : 0.0f;
    if (!IsZeroVector(hidden, nc)) {
      BatchQuantizeRows(hidden, n_batch, n_cell, asymmetric, s.q_hidden, s.hidden_sf,
                        s.hidden_zp);
      ScaledHybridMatVecAccumulate(w.projection_weights, w.projection_scale, n_output, n_cell,
                                   s.q_hidden, s.hidden_sf, asymmetric ? s.hidden_zp : nullptr,
                                   n_batch, s.factor, output_state);
    }
    if (p.proj_clip > 0.0f)
      for (int i = 0; i < n_batch * n_output; ++i)
        output_state[i] = std::min(p.proj_clip, std::max(-p.proj_clip, output_state[i]));
  } else {
    std::memcpy(output_state, hidden, sizeof(float) * n_batch * n_output);
  }
  for (int b = 0; b < n_batch; ++b)
    std::memcpy(output + int64_t{b} * output_stride, output_state + int64_t{b} * n_output,
                sizeof(float) * n_output);
}

// ----------------------------------------------------------------- RNN

struct RnnHybridScratch {
  float* acc;       // n_batch * n_units
  int8_t* q_input;  // n_batch * n_input
  int8_t* q_state;  // n_batch * n_units
  float* scaling;   // n_batch
  int32_t* zp;      // n_batch
};

inline size_t RnnHybridScratchBytes(int64_t n_batch, int64_t n_input, int64_t n_units) {
  return HybridPart(n_batch * n_units, sizeof(float)) + HybridPart(n_batch * n_input, 1) +
         HybridPart(n_batch * n_units, 1) + HybridPart(n_batch, sizeof(float)) +
         HybridPart(n_batch, sizeof(int32_t));
}

inline RnnHybridScratch RnnHybridScratchView(void* base, int64_t n_batch, int64_t n_input,
                                             int64_t n_units) {
  auto* p = static_cast<uint8_t*>(base);
  RnnHybridScratch s;
  s.acc = reinterpret_cast<float*>(p);
  p += HybridPart(n_batch * n_units, sizeof(float));
  s.q_input = reinterpret_cast<int8_t*>(p);
  p += HybridPart(n_batch * n_input, 1);
  s.q_state = reinterpret_cast<int8_t*>(p);
  p += HybridPart(n_batch * n_units, 1);
  s.scaling = reinterpret_cast<float*>(p);
  p += HybridPart(n_batch, sizeof(float));
  s.zp = reinterpret_cast<int32_t*>(p);
  return s;
}

// One hybrid basic-RNN step (TFLite's RnnBatchStep, hybrid overload):
// acc = bias; acc += W x; acc += R h; h = act(acc); output row b = h[b].
// The scaling factors are quantized, multiplied by the weights scale in
// place, then used; the input's then the state's.
inline void RnnStepHybrid(const float* x, const int8_t* w, float w_scale, const int8_t* r,
                          float r_scale, const float* bias, RnnActivation act, bool asymmetric,
                          int n_batch, int n_input, int n_units, float* hidden,
                          const RnnHybridScratch& s, float* output, int output_stride) {
  for (int b = 0; b < n_batch; ++b)
    for (int u = 0; u < n_units; ++u) s.acc[b * n_units + u] = bias ? bias[u] : 0.0f;
  if (!IsZeroVector(x, int64_t{n_batch} * n_input)) {
    BatchQuantizeRows(x, n_batch, n_input, asymmetric, s.q_input, s.scaling, s.zp);
    ScaledHybridMatVecAccumulate(w, w_scale, n_units, n_input, s.q_input, s.scaling,
                                 asymmetric ? s.zp : nullptr, n_batch, s.scaling, s.acc);
  }
  if (!IsZeroVector(hidden, int64_t{n_batch} * n_units)) {
    BatchQuantizeRows(hidden, n_batch, n_units, asymmetric, s.q_state, s.scaling, s.zp);
    ScaledHybridMatVecAccumulate(r, r_scale, n_units, n_units, s.q_state, s.scaling,
                                 asymmetric ? s.zp : nullptr, n_batch, s.scaling, s.acc);
  }
  for (int i = 0; i < n_batch * n_units; ++i) hidden[i] = RnnActivate(s.acc[i], act);
  for (int b = 0; b < n_batch; ++b)
    std::memcpy(output + int64_t{b} * output_stride, hidden + int64_t{b} * n_units,
                sizeof(float) * n_units);
}

// ---------------------------------------------------------------- SVDF

struct SvdfHybridScratch {
  float* acc;       // n_batch * n_filters
  int8_t* q_input;  // n_batch * n_input
  float* scaling;   // n_batch
  int32_t* zp;      // n_batch
};

inline size_t SvdfHybridScratchBytes(int64_t n_batch, int64_t n_input, int64_t n_filters) {
  return HybridPart(n_batch * n_filters, sizeof(float)) + HybridPart(n_batch * n_input, 1) +
         HybridPart(n_batch, sizeof(float)) + HybridPart(n_batch, sizeof(int32_t));
}

inline SvdfHybridScratch SvdfHybridScratchView(void* base, int64_t n_batch, int64_t n_input,
                                               int64_t n_filters) {
  auto* p = static_cast<uint8_t*>(base);
  SvdfHybridScratch s;
  s.acc = reinterpret_cast<float*>(p);
  p += HybridPart(n_batch * n_filters, sizeof(float));
  s.q_input = reinterpret_cast<int8_t*>(p);
  p += HybridPart(n_batch * n_input, 1);
  s.scaling = reinterpret_cast<float*>(p);
  p += HybridPart(n_batch, sizeof(float));
  s.zp = reinterpret_cast<int32_t*>(p);
  return s;
}

// One hybrid SVDF step (TFLite's EvalHybridSVDF): the state is shifted left
// by one; the feature activations W_f x come from the int8 product (0 when
// the input is all zero) and fill the newest slot; then, as the float
// kernel, the time weights (here the int8 weights_time dequantized once as
// float(w) * scale), the rank reduction onto the bias, and the activation.
inline void SvdfStepHybrid(const float* x, const int8_t* weights_feature, float feature_scale,
                           const float* weights_time, const float* bias, RnnActivation act,
                           bool asymmetric, int rank, int n_batch, int n_input, int n_filters,
                           int memory, float* state, const SvdfHybridScratch& s, float* output) {
  const int64_t total = int64_t{n_batch} * n_filters * memory;
  if (total > 1) std::memmove(state, state + 1, sizeof(float) * (total - 1));
  const int64_t nf = int64_t{n_batch} * n_filters;
  for (int64_t i = 0; i < nf; ++i) s.acc[i] = 0.0f;
  if (!IsZeroVector(x, int64_t{n_batch} * n_input)) {
    BatchQuantizeRows(x, n_batch, n_input, asymmetric, s.q_input, s.scaling, s.zp);
    for (int b = 0; b < n_batch; ++b) s.scaling[b] *= feature_scale;
    HybridMatVecAccumulate(weights_feature, n_filters, n_input, s.q_input, s.scaling,
                           asymmetric ? s.zp : nullptr, n_batch, s.acc);
  }
  for (int64_t i = 0; i < nf; ++i) state[i * memory + memory - 1] = s.acc[i];
  for (int b = 0; b < n_batch; ++b)
    for (int f = 0; f < n_filters; ++f) {
      const float* sf = state + (int64_t{b} * n_filters + f) * memory;
      float t = 0.0f;
      for (int m = 0; m < memory; ++m) t += weights_time[f * memory + m] * sf[m];
      s.acc[int64_t{b} * n_filters + f] = t;
    }
  const int n_units = n_filters / rank;
  for (int b = 0; b < n_batch; ++b)
    for (int u = 0; u < n_units; ++u) {
      float acc = bias ? bias[u] : 0.0f;
      for (int k = 0; k < rank; ++k) acc += s.acc[int64_t{b} * n_filters + u * rank + k];
      output[int64_t{b} * n_units + u] = RnnActivate(acc, act);
    }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_RNN_HYBRID_H_
