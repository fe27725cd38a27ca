// ONNX-level fusions (see FuseGraph in converter/ir.h). They run after
// constant folding, on NCHW semantics, and only rewrite constants: the folded
// weights are new values, so a weight shared by several nodes stays intact.
#include <cmath>

#include "converter/ir.h"

namespace edgelite {
namespace converter {

namespace {

std::string NewConst(Graph* g, const std::string& base, const std::vector<int64_t>& shape,
                     std::vector<float> data) {
  std::string name = base;
  for (int k = 1; g->values.count(name); ++k) name = base + "_" + std::to_string(k);
  Value v;
  v.name = name;
  v.dtype = kOnnxFloat;
  v.shape = shape;
  v.shape_known = true;
  v.is_const = true;
  v.f = std::move(data);
  g->values[name] = std::move(v);
  return name;
}

// If `c` is a float constant that varies only along `axis` of a rank-`rank`
// broadcast (e.g. [C,1,1] or [1,C,1,1] against NCHW, axis 1), returns its
// `channels` values (a scalar is expanded).
bool PerChannel(const Value& c, int rank, int axis, int64_t channels, std::vector<float>* out) {
  if (!c.is_const || c.dtype != kOnnxFloat) return false;
  if (c.NumElements() == 1) {
    out->assign(channels, c.f[0]);
    return c.rank() <= rank;
  }
  if (c.rank() > rank) return false;
  const int lead = rank - c.rank();
  for (int k = 0; k < c.rank(); ++k) {
    const int64_t want = (k + lead == axis) ? channels : 1;
    if (c.shape[k] != want) return false;
  }
  *out = c.f;
  return static_cast<int64_t>(out->size()) == channels;
}

bool Near(float a, float b) { return std::fabs(a - b) < 1e-6f; }

}  // namespace

int FuseGraph(Graph* g) {
  int fused = 0;
  for (Node& n : g->nodes) {
    if (n.removed) continue;
    const bool conv = n.op == "Conv";
    const bool gemm = n.op == "Gemm";
    const bool matmul = n.op == "MatMul" && g->IsConst(n.In(1)) && g->At(n.In(1)).rank() == 2;
    if (!conv && !gemm && !matmul) continue;
    if (!g->IsConst(n.In(1)) || g->At(n.In(1)).dtype != kOnnxFloat) continue;
    // Repeatedly absorb a BatchNormalization (Conv only) or a constant bias Add.
    for (;;) {
      const std::string y = n.outputs[0];
      if (g->IsGraphOutput(y)) break;
      Node* next = g->SoleConsumer(y);
      if (!next) break;
      const Value& yv = g->At(y);
      const int ch_axis = conv ? 1 : yv.rank() - 1;
      const int64_t channels = yv.shape[ch_axis];
      std::vector<float> bias;
      const Value* old_bias = (n.inputs.size() > 2 && !n.inputs[2].empty()) ? &g->At(n.inputs[2]) : nullptr;
      if (old_bias && gemm) {
        // Gemm's C may broadcast; only a per-column bias (scaled by beta) folds.
        std::vector<float> c;
        if (!PerChannel(*old_bias, 2, 1, channels, &c)) break;
        const float beta = n.Float("beta", 1.0f);
        for (auto& v : c) v *= beta;
        bias = c;
      } else if (old_bias) {
        bias = old_bias->f;
      } else {
        bias.assign(channels, 0.0f);
      }
      if (conv && next->op == "BatchNormalization" && next->In(0) == y &&
          next->outputs.size() >= 1 && (next->outputs.size() == 1 || next->outputs[1].empty())) {
        const Value* sc = g->Find(next->In(1));
        const Value* b = g->Find(next->In(2));
        const Value* mean = g->Find(next->In(3));
        const Value* var = g->Find(next->In(4));
        if (!sc || !b || !mean || !var || !sc->is_const || !b->is_const || !mean->is_const ||
            !var->is_const)
          break;
        const float eps = next->Float("epsilon", 1e-5f);
        const Value& w = g->At(n.In(1));
        const int64_t per_out = w.NumElements() / channels;
        std::vector<float> nw = w.f;
        for (int64_t o = 0; o < channels; ++o) {
          const float s = sc->f[o] / std::sqrt(var->f[o] + eps);
          for (int64_t k = 0; k < per_out; ++k) nw[o * per_out + k] *= s;
          bias[o] = (bias[o] - mean->f[o]) * s + b->f[o];
        }
        n.inputs[1] = NewConst(g, n.In(1) + "_bn", w.shape, std::move(nw));
      } else if (next->op == "Add") {
        const std::string other = next->In(0) == y ? next->In(1) : next->In(0);
        if (other == y || !g->IsConst(other)) break;
        std::vector<float> c;
        const int rank = yv.rank();
        if (!PerChannel(g->At(other), rank, ch_axis, channels, &c)) break;
        // The Add must not broadcast the output to a bigger shape.
        if (g->At(next->outputs[0]).shape != yv.shape) break;
        for (int64_t o = 0; o < channels; ++o) bias[o] += c[o];
      } else {
        break;
      }
      if (gemm) n.attrs.erase("beta");  // the new C is already scaled
      if (n.inputs.size() < 3) n.inputs.resize(3);
      n.inputs[2] = NewConst(g, n.name + "_bias", {channels}, std::move(bias));
      n.outputs[0] = next->outputs[0];
      next->removed = true;
      ++fused;
    }
  }
  // x * HardSigmoid(x) (alpha 1/6, beta 0.5) is HardSwish: how exporters
  // before opset 14 write it.
  for (Node& n : g->nodes) {
    if (n.removed || n.op != "Mul") continue;
    for (int side = 0; side < 2; ++side) {
      const std::string& h = n.In(side);
      const std::string& x = n.In(1 - side);
      Node* producer = nullptr;
      for (Node& p : g->nodes)
        if (!p.removed && !p.outputs.empty() && p.outputs[0] == h) producer = &p;
      if (!producer || producer->op != "HardSigmoid" || producer->In(0) != x) continue;
      if (!Near(producer->Float("alpha", 0.2f), 1.0f / 6) || !Near(producer->Float("beta", 0.5f), 0.5f))
        continue;
      if (g->Consumers(h) != 1 || g->IsGraphOutput(h)) continue;
      producer->removed = true;
      n.op = "HardSwish";
      n.inputs = {x};
      ++fused;
      break;
    }
  }
  return fused;
}

}  // namespace converter
}  // namespace edgelite
