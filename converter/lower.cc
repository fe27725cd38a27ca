// Converter IR -> .tflite (through edgelite's ModelBuilder), with the layout
// strategy of docs/converter.md:
//
// Every ONNX value is stored in one TFLite tensor in one of two layouts:
// "as ONNX" (row-major in the ONNX dimension order) or channels-last (for
// rank >= 3: ONNX [N,C,D1..Dk] stored as [N,D1..Dk,C]). Convolutions and
// pools produce channels-last; layout-agnostic ops (elementwise, concat,
// reductions, pads, slices, softmax on the channel axis...) follow their
// inputs, with constant operands and axes permuted at conversion time; only
// layout-sensitive ops (Reshape/Flatten of a tensor whose memory order would
// differ, MatMul, Gather, LSTM...) get a TRANSPOSE back to the ONNX order,
// once per value (cached). A Flatten of [N,C,1,1] needs none.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "converter/converter.h"
#include "edgelite/model_builder.h"

namespace edgelite {
namespace converter {

namespace {

using fb::ActivationFunctionType;
using fb::BuiltinOperator;

std::vector<int> ChannelsLastPerm(int r) {  // stored dim j = onnx dim perm[j]
  std::vector<int> p = {0};
  for (int k = 2; k < r; ++k) p.push_back(k);
  p.push_back(1);
  return p;
}

int StoredAxis(int a, int r, bool cl) {
  if (!cl) return a;
  if (a == 0) return 0;
  if (a == 1) return r - 1;
  return a - 1;
}

std::vector<int64_t> Permute(const std::vector<int64_t>& s, const std::vector<int>& p) {
  std::vector<int64_t> o;
  for (int k : p) o.push_back(s[k]);
  return o;
}

std::vector<int32_t> I32(const std::vector<int64_t>& v) {
  std::vector<int32_t> o;
  for (int64_t x : v) {
    if (x > std::numeric_limits<int32_t>::max()) x = std::numeric_limits<int32_t>::max();
    if (x < std::numeric_limits<int32_t>::min()) x = std::numeric_limits<int32_t>::min();
    o.push_back(static_cast<int32_t>(x));
  }
  return o;
}

DataType TfType(int onnx, const std::string& what) {
  switch (onnx) {
    case kOnnxFloat:
    case kOnnxDouble:
      return DataType::kFloat32;
    case kOnnxInt64:
      return DataType::kInt64;
    case kOnnxInt32:
      return DataType::kInt32;
    case kOnnxInt8:
      return DataType::kInt8;
    case kOnnxUint8:
      return DataType::kUInt8;
    case kOnnxBool:
      return DataType::kBool;
    default:
      throw ConvertError(what + ": ONNX element type " + std::to_string(onnx) + " is not supported");
  }
}

// Permutes row-major data of `shape` by `perm` (out dim k = in dim perm[k]).
template <typename T>
std::vector<T> PermuteData(const std::vector<T>& d, const std::vector<int64_t>& shape,
                           const std::vector<int>& perm) {
  const size_t r = shape.size();
  std::vector<int64_t> st(r, 1);
  for (int k = static_cast<int>(r) - 2; k >= 0; --k) st[k] = st[k + 1] * shape[k + 1];
  std::vector<int64_t> os = Permute(shape, perm);
  std::vector<T> o(d.size());
  std::vector<int64_t> idx(r, 0);
  for (size_t e = 0; e < d.size(); ++e) {
    int64_t off = 0;
    for (size_t k = 0; k < r; ++k) off += idx[k] * st[perm[k]];
    o[e] = d[off];
    for (int k = static_cast<int>(r) - 1; k >= 0; --k) {
      if (++idx[k] < os[k]) break;
      idx[k] = 0;
    }
  }
  return o;
}

struct Stored {
  int tensor = -1;
  bool cl = false;      // channels-last
  int other = -1;       // the same value in the other layout, once made
};

class Lowerer {
 public:
  Lowerer(Graph& g, const ConvertOptions& o, ConvertStats* stats) : g_(g), opts_(o), stats_(stats) {}

  std::vector<uint8_t> Run(std::vector<std::string>* errors) {
    std::vector<std::pair<std::string, int32_t>> sig_in, sig_out;
    std::vector<int32_t> ins, outs;
    for (const auto& name : g_.inputs) {
      Value& v = g_.At(name);
      const bool cl = opts_.nhwc_io && v.rank() == 4;
      std::vector<int64_t> s = cl ? Permute(v.shape, ChannelsLastPerm(v.rank())) : v.shape;
      const int t = b_.AddTensor(TfType(v.dtype, "input '" + name + "'"), I32(s), name);
      stored_[name] = {t, cl, -1};
      ins.push_back(t);
      sig_in.push_back({name, t});
    }
    for (Node& n : g_.nodes) {
      if (n.removed) continue;
      try {
        Lower(n);
      } catch (const ConvertError& e) {
        // A node reading the output of a node that failed adds nothing.
        const std::string w = e.what();
        if (errors->empty() || w.rfind("internal: value", 0) != 0) errors->push_back(w);
      }
    }
    if (!errors->empty()) return {};
    for (const auto& name : g_.outputs) {
      const Value& v = g_.At(name);
      const bool cl = opts_.nhwc_io && v.rank() == 4;
      const int t = Get(name, cl);
      // The exposed tensor carries the ONNX name; an internal tensor of the
      // other layout is renamed so names stay unique.
      auto& tensors = b_.model().subgraphs[0]->tensors;
      const Stored& s = stored_.at(name);
      const int internal = s.tensor == t ? s.other : s.tensor;
      if (internal >= 0 && internal != t && tensors[internal]->name == name)
        tensors[internal]->name = name + (cl ? "_nchw" : "_nhwc");
      // An output that is an input as-is keeps the input's name.
      if (std::find(ins.begin(), ins.end(), t) == ins.end()) tensors[t]->name = name;
      outs.push_back(t);
      sig_out.push_back({name, t});
    }
    b_.SetInputs(ins);
    b_.SetOutputs(outs);
    b_.AddSignature("serving_default", 0, sig_in, sig_out);
    b_.SetDescription("edgelite converter (from ONNX opset " + std::to_string(g_.opset) + ", " +
                      g_.producer + ")");
    return b_.Finish();
  }

 private:
  // ---- tensors ---------------------------------------------------------------
  int ConstTensor(const Value& v, bool cl, const std::string& name) {
    std::vector<int64_t> shape = v.shape;
    std::vector<int> perm;
    if (cl && v.rank() >= 3) perm = ChannelsLastPerm(v.rank());
    if (!perm.empty()) shape = Permute(shape, perm);
    if (v.dtype == kOnnxFloat) {
      auto d = perm.empty() ? v.f : PermuteData(v.f, v.shape, perm);
      return b_.AddConstTensor<float>(DataType::kFloat32, I32(shape), d, name);
    }
    if (v.dtype == kOnnxBool) {
      std::vector<uint8_t> d(v.i.begin(), v.i.end());
      if (!perm.empty()) d = PermuteData(d, v.shape, perm);
      return b_.AddConstTensor<uint8_t>(DataType::kBool, I32(shape), d, name);
    }
    // Integer constants become int32 (TFLite's index type).
    auto d = I32(perm.empty() ? v.i : PermuteData(v.i, v.shape, perm));
    return b_.AddConstTensor<int32_t>(DataType::kInt32, I32(shape), d, name);
  }
  int ConstF(const std::vector<int64_t>& shape, const std::vector<float>& d, const std::string& name) {
    return b_.AddConstTensor<float>(DataType::kFloat32, I32(shape), d, name);
  }
  int ConstI(const std::vector<int64_t>& shape, const std::vector<int32_t>& d, const std::string& name) {
    return b_.AddConstTensor<int32_t>(DataType::kInt32, I32(shape), d, name);
  }
  int Scalar(float x, const std::string& name) { return ConstF({}, {x}, name); }

  bool IsCl(const std::string& name) {
    if (g_.IsConst(name)) return false;
    auto it = stored_.find(name);
    return it != stored_.end() && it->second.cl;
  }

  // The tensor holding `name` in layout `cl` (channels-last if true),
  // transposing once if needed.
  int Get(const std::string& name, bool cl) {
    const Value& v = g_.At(name);
    if (v.rank() < 3) cl = false;
    auto it = stored_.find(name);
    if (it == stored_.end()) {
      if (!v.is_const) throw ConvertError("internal: value '" + name + "' was not lowered");
      const int t = ConstTensor(v, cl, name);
      stored_[name] = {t, cl, -1};
      return t;
    }
    Stored& s = it->second;
    if (s.cl == cl) return s.tensor;
    if (s.other >= 0) return s.other;
    if (v.is_const) {
      s.other = ConstTensor(v, cl, name + (cl ? "_nhwc" : "_nchw"));
      return s.other;
    }
    const int r = v.rank();
    std::vector<int> perm = ChannelsLastPerm(r);  // to channels-last
    if (!cl) {                                    // back to ONNX order: the inverse
      std::vector<int> inv(r);
      for (int k = 0; k < r; ++k) inv[perm[k]] = k;
      perm = inv;
    }
    std::vector<int64_t> os = cl ? Permute(v.shape, ChannelsLastPerm(r)) : v.shape;
    const int t = b_.AddTensor(TfType(v.dtype, name), I32(os), name + (cl ? "_nhwc" : "_nchw"));
    const int pt = ConstI({r}, std::vector<int32_t>(perm.begin(), perm.end()), name + "_perm");
    Op(BuiltinOperator::TRANSPOSE, {s.tensor, pt}, {t});
    ++stats_->runtime_transposes;
    s.other = t;
    return t;
  }
  // A tensor whose memory is `name` in ONNX row-major order: the channels-last
  // copy qualifies when moving C does not change the order (C==1 or all
  // spatial dims 1).
  int GetRowMajor(const std::string& name) {
    const Value& v = g_.At(name);
    if (IsCl(name) && v.rank() >= 3) {
      int64_t spatial = 1;
      for (int k = 2; k < v.rank(); ++k) spatial *= v.shape[k];
      if (spatial == 1 || v.shape[1] == 1) return stored_.at(name).tensor;
    }
    return Get(name, false);
  }
  int NewOut(const std::string& name, bool cl) {
    const Value& v = g_.At(name);
    if (v.rank() < 3) cl = false;
    std::vector<int64_t> s = cl ? Permute(v.shape, ChannelsLastPerm(v.rank())) : v.shape;
    const int t = b_.AddTensor(TfType(v.dtype, name), I32(s), name);
    stored_[name] = {t, cl, -1};
    return t;
  }
  void Alias(const std::string& out, const std::string& in) {
    if (g_.IsConst(in)) {
      Get(in, false);
    }
    stored_[out] = stored_.at(in);
  }
  void Op(BuiltinOperator op, const std::vector<int32_t>& in, const std::vector<int32_t>& out,
          fb::BuiltinOptionsUnion opt = fb::BuiltinOptionsUnion()) {
    b_.AddOperator(op, in, out, std::move(opt));
    ++stats_->tflite_ops;
    ++stats_->op_counts[fb::EnumNameBuiltinOperator(op)];
  }

  // ---- activation fusion -----------------------------------------------------
  // If the sole consumer of `n`'s output is an activation TFLite can fuse,
  // removes it and renames the output. Returns the fused function.
  ActivationFunctionType FuseAct(Node& n, size_t out_index = 0) {
    const std::string y = n.outputs[out_index];
    if (g_.IsGraphOutput(y)) return ActivationFunctionType::NONE;
    Node* c = g_.SoleConsumer(y);
    if (!c) return ActivationFunctionType::NONE;
    ActivationFunctionType f = ActivationFunctionType::NONE;
    if (c->op == "Relu") {
      f = ActivationFunctionType::RELU;
    } else if (c->op == "Clip") {
      float lo, hi;
      if (!ClipBounds(*c, &lo, &hi)) return f;
      if (lo == 0 && hi == 6) f = ActivationFunctionType::RELU6;
      else if (lo == 0 && std::isinf(hi)) f = ActivationFunctionType::RELU;
      else if (lo == -1 && hi == 1) f = ActivationFunctionType::RELU_N1_TO_1;
      else return f;
    } else {
      return f;
    }
    c->removed = true;
    n.outputs[out_index] = c->outputs[0];
    return f;
  }
  bool ClipBounds(const Node& c, float* lo, float* hi) {
    *lo = -std::numeric_limits<float>::infinity();
    *hi = std::numeric_limits<float>::infinity();
    if (g_.opset < 11) {
      *lo = c.Float("min", *lo);
      *hi = c.Float("max", *hi);
      return true;
    }
    for (int k = 1; k <= 2; ++k) {
      const std::string& nm = c.In(k);
      if (nm.empty()) continue;
      if (!g_.IsConst(nm)) return false;
      const Value& v = g_.At(nm);
      const float x = v.dtype == kOnnxFloat ? v.f.at(0) : static_cast<float>(v.i.at(0));
      (k == 1 ? *lo : *hi) = x;
    }
    return true;
  }

  // ---- padding ------------------------------------------------------------------
  // ONNX pads [top, left, bottom, right] for a 2D window op, honouring auto_pad.
  // ceil mode is turned into extra end padding.
  std::vector<int64_t> Pads2D(const Node& n, const std::vector<int64_t>& in, const std::vector<int64_t>& out,
                              const std::vector<int64_t>& k, const std::vector<int64_t>& s,
                              const std::vector<int64_t>& d) {
    std::vector<int64_t> p(4, 0);
    const std::string ap = n.Str("auto_pad", "NOTSET");
    for (int a = 0; a < 2; ++a) {
      const int64_t eff = d[a] * (k[a] - 1) + 1;
      const int64_t need = std::max<int64_t>(0, (out[2 + a] - 1) * s[a] + eff - in[2 + a]);
      if (ap == "SAME_UPPER" || ap == "SAME_LOWER") {
        const int64_t small = need / 2;
        p[a] = ap == "SAME_UPPER" ? small : need - small;
        p[a + 2] = need - p[a];
      } else if (ap == "NOTSET") {
        auto pads = n.Ints("pads", {0, 0, 0, 0});
        p[a] = pads[a];
        p[a + 2] = std::max(pads[a + 2], need - pads[a]);  // ceil_mode's extra end padding
      }
    }
    return p;
  }
  // TFLite SAME padding for these sizes, or empty if the output size differs.
  static bool IsTfSame(const std::vector<int64_t>& p, const std::vector<int64_t>& in,
                       const std::vector<int64_t>& out, const std::vector<int64_t>& k,
                       const std::vector<int64_t>& s, const std::vector<int64_t>& d) {
    for (int a = 0; a < 2; ++a) {
      if (out[2 + a] != (in[2 + a] + s[a] - 1) / s[a]) return false;
      const int64_t eff = d[a] * (k[a] - 1) + 1;
      const int64_t total = std::max<int64_t>(0, (out[2 + a] - 1) * s[a] + eff - in[2 + a]);
      if (p[a] != total / 2 || p[a + 2] != total - total / 2) return false;
    }
    return true;
  }
  // Chooses SAME/VALID, inserting an explicit PAD/PADV2 (value `pad_value`)
  // when neither matches. Returns the (possibly padded) channels-last input.
  int PadFor(const Node& n, int x_t, const Value& x, const std::vector<int64_t>& out,
             const std::vector<int64_t>& k, const std::vector<int64_t>& s, const std::vector<int64_t>& d,
             fb::Padding* padding, bool pad_value_lowest, bool allow_explicit, const char* why) {
    auto p = Pads2D(n, x.shape, out, k, s, d);
    if (p == std::vector<int64_t>{0, 0, 0, 0}) {
      *padding = fb::Padding::VALID;
      return x_t;
    }
    if (IsTfSame(p, x.shape, out, k, s, d)) {
      *padding = fb::Padding::SAME;
      return x_t;
    }
    if (!allow_explicit) throw ConvertError(n.Describe() + ": " + why);
    *padding = fb::Padding::VALID;
    const std::vector<int32_t> pads = {0, 0, static_cast<int32_t>(p[0]), static_cast<int32_t>(p[2]),
                                       static_cast<int32_t>(p[1]), static_cast<int32_t>(p[3]), 0, 0};
    const int pt = ConstI({4, 2}, pads, n.name + "_pads");
    std::vector<int64_t> ps = {x.shape[0], x.shape[2] + p[0] + p[2], x.shape[3] + p[1] + p[3], x.shape[1]};
    const int y = b_.AddTensor(DataType::kFloat32, I32(ps), n.name + "_padded");
    if (pad_value_lowest) {
      const int vt = Scalar(std::numeric_limits<float>::lowest(), n.name + "_pad_value");
      Op(BuiltinOperator::PADV2, {x_t, pt, vt}, {y});
    } else {
      Op(BuiltinOperator::PAD, {x_t, pt}, {y});
    }
    return y;
  }

  // ---- ops ----------------------------------------------------------------------
  void Lower(Node& n) {
    const std::string& op = n.op;
    if (op == "Conv") return LowerConv(n);
    if (op == "MaxPool" || op == "AveragePool") return LowerPool(n);
    if (op == "GlobalAveragePool" || op == "GlobalMaxPool") {
      RequireFloat(n);
      if (g_.At(n.In(0)).rank() != 4) throw ConvertError(n.Describe() + ": only 4D input is supported");
      const int x = Get(n.In(0), true);
      const int ax = ConstI({2}, {1, 2}, n.name + "_axes");
      fb::ReducerOptionsT o;
      o.keep_dims = true;
      Op(op == "GlobalAveragePool" ? BuiltinOperator::MEAN : BuiltinOperator::REDUCE_MAX, {x, ax},
         {NewOut(n.outputs[0], true)}, MakeOptions(o));
      return;
    }
    if (op == "Gemm") return LowerGemm(n);
    if (op == "MatMul") return LowerMatMul(n);
    if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div" || op == "Pow" || op == "Max" ||
        op == "Min" || op == "Sum" || op == "Equal" || op == "Less" || op == "Greater" ||
        op == "LessOrEqual" || op == "GreaterOrEqual" || op == "And" || op == "Or" || op == "Where")
      return LowerBinary(n);
    if (op == "Dropout") {
      if (n.outputs.size() > 1 && !n.outputs[1].empty() &&
          (g_.Consumers(n.outputs[1]) > 0 || g_.IsGraphOutput(n.outputs[1])))
        throw ConvertError(n.Describe() + ": the mask output is not supported");
      if (!n.In(2).empty()) {
        const Value* tm = g_.Find(n.In(2));
        if (!tm || !tm->is_const || (tm->i.empty() ? true : tm->i[0] != 0))
          throw ConvertError(n.Describe() + ": training_mode dropout is random; only inference mode is converted");
      }
      return Alias(n.outputs[0], n.In(0));
    }
    if (op == "Identity") return Alias(n.outputs[0], n.In(0));
    if (op == "BatchNormalization") return LowerBatchNorm(n);
    if (op == "Reshape" || op == "Flatten" || op == "Squeeze" || op == "Unsqueeze") {
      if (LowerChannelShuffle(n) || LowerFlattenIntoFc(n)) return;
      const Value& y = g_.At(n.outputs[0]);
      const int x = GetRowMajor(n.In(0));
      const int st = ConstI({static_cast<int64_t>(y.rank())}, I32(y.shape), n.name + "_shape");
      fb::ReshapeOptionsT o;
      o.new_shape = I32(y.shape);
      Op(BuiltinOperator::RESHAPE, {x, st}, {NewOut(n.outputs[0], false)}, MakeOptions(o));
      return;
    }
    if (op == "Transpose") return LowerTranspose(n);
    if (op == "Concat") return LowerConcat(n);
    if (op == "Split") return LowerSplit(n);
    if (op == "Slice") return LowerSlice(n);
    if (op == "Gather") return LowerGather(n);
    if (op == "Pad") return LowerPad(n);
    if (op == "ReduceMean" || op == "ReduceSum" || op == "ReduceMax" || op == "ReduceMin" ||
        op == "ReduceProd")
      return LowerReduce(n);
    if (op == "ArgMax" || op == "ArgMin") return LowerArg(n);
    if (op == "Softmax" || op == "LogSoftmax") return LowerSoftmax(n);
    if (op == "Clip") return LowerClip(n);
    if (op == "HardSigmoid") return LowerHardSigmoid(n);
    if (op == "PRelu") return LowerPRelu(n);
    if (op == "Cast") {
      const bool cl = IsCl(n.In(0));
      Op(BuiltinOperator::CAST, {Get(n.In(0), cl)}, {NewOut(n.outputs[0], cl)});
      return;
    }
    if (op == "Tile") {
      RequireRank(n, 0, 1, 8);
      const int x = Get(n.In(0), false);
      const int m = ConstI({static_cast<int64_t>(g_.At(n.In(1)).NumElements())}, I32(g_.At(n.In(1)).i),
                           n.name + "_multiples");
      Op(BuiltinOperator::TILE, {x, m}, {NewOut(n.outputs[0], false)});
      return;
    }
    if (op == "Expand") {
      const Value& y = g_.At(n.outputs[0]);
      const int x = Get(n.In(0), false);
      const int s = ConstI({static_cast<int64_t>(y.rank())}, I32(y.shape), n.name + "_shape");
      Op(BuiltinOperator::BROADCAST_TO, {x, s}, {NewOut(n.outputs[0], false)});
      return;
    }
    if (op == "LSTM") return LowerLstm(n);
    if (op == "GRU") return LowerGru(n);
    return LowerUnary(n);
  }

  // Flatten/Reshape of a channels-last [N,C,H,W] to [N,C*H*W] whose only
  // readers are fully-connected layers: reshape the NHWC tensor as it is and
  // permute the layers' weight columns instead (no run-time transpose).
  bool LowerFlattenIntoFc(Node& n) {
    const Value& x = g_.At(n.In(0));
    const Value& y = g_.At(n.outputs[0]);
    if (!IsCl(n.In(0)) || x.rank() != 4 || y.rank() != 2 || y.shape[0] != x.shape[0]) return false;
    const int64_t C = x.shape[1], H = x.shape[2], W = x.shape[3];
    if (C == 1 || H * W == 1 || g_.IsGraphOutput(n.outputs[0])) return false;
    int readers = 0;
    for (const Node& c : g_.nodes) {
      if (c.removed) continue;
      for (size_t k = 0; k < c.inputs.size(); ++k) {
        if (c.inputs[k] != n.outputs[0]) continue;
        const bool fc = k == 0 && ((c.op == "Gemm" && !c.Int("transA", 0) && g_.IsConst(c.In(1))) ||
                                   (c.op == "MatMul" && g_.IsConst(c.In(1)) && g_.At(c.In(1)).rank() == 2));
        if (!fc) return false;
        ++readers;
      }
    }
    if (readers == 0) return false;
    std::vector<int64_t> perm(C * H * W);  // stored column j holds ONNX column perm[j]
    for (int64_t h = 0; h < H; ++h)
      for (int64_t w = 0; w < W; ++w)
        for (int64_t c = 0; c < C; ++c) perm[(h * W + w) * C + c] = (c * H + h) * W + w;
    const int st = ConstI({2}, I32(y.shape), n.name + "_shape");
    fb::ReshapeOptionsT o;
    o.new_shape = I32(y.shape);
    Op(BuiltinOperator::RESHAPE, {stored_.at(n.In(0)).tensor, st}, {NewOut(n.outputs[0], false)}, MakeOptions(o));
    column_perm_[n.outputs[0]] = perm;
    return true;
  }
  // Weights [N,K] of a fully-connected layer reading `input`, with columns
  // reordered if `input` is a channels-last flatten.
  std::vector<float> FcColumns(const std::string& input, std::vector<float> w, int64_t N, int64_t K) {
    auto it = column_perm_.find(input);
    if (it == column_perm_.end()) return w;
    std::vector<float> o(w.size());
    for (int64_t r = 0; r < N; ++r)
      for (int64_t j = 0; j < K; ++j) o[r * K + j] = w[r * K + it->second[j]];
    return o;
  }

  // ShuffleNet's channel shuffle, Reshape [N,C,H,W]->[N,g,C/g,H,W],
  // Transpose(0,2,1,3,4), Reshape back to [N,C,H,W], done channels-last:
  // [N,H,W,g,C/g] -> TRANSPOSE(0,1,2,4,3) -> [N,H,W,C]. One transpose of the
  // data instead of leaving and re-entering NHWC.
  bool LowerChannelShuffle(Node& n) {
    const Value& x = g_.At(n.In(0));
    const Value& y = g_.At(n.outputs[0]);
    if (n.op != "Reshape" || !IsCl(n.In(0)) || x.rank() != 4 || y.rank() != 5) return false;
    if (y.shape[0] != x.shape[0] || y.shape[1] * y.shape[2] != x.shape[1] || y.shape[3] != x.shape[2] ||
        y.shape[4] != x.shape[3] || g_.IsGraphOutput(n.outputs[0]))
      return false;
    Node* t = g_.SoleConsumer(n.outputs[0]);
    if (!t || t->op != "Transpose" || t->Ints("perm") != std::vector<int64_t>{0, 2, 1, 3, 4} ||
        g_.IsGraphOutput(t->outputs[0]))
      return false;
    Node* r2 = g_.SoleConsumer(t->outputs[0]);
    if (!r2 || (r2->op != "Reshape" && r2->op != "Flatten") || g_.At(r2->outputs[0]).shape != x.shape) return false;
    const int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3], G = y.shape[1];
    const std::vector<int64_t> s5 = {N, H, W, G, C / G}, t5 = {N, H, W, C / G, G};
    const int a = b_.AddTensor(DataType::kFloat32, I32(s5), n.outputs[0] + "_nhwc");
    fb::ReshapeOptionsT o1;
    o1.new_shape = I32(s5);
    Op(BuiltinOperator::RESHAPE, {stored_.at(n.In(0)).tensor, ConstI({5}, I32(s5), n.name + "_shape")}, {a},
       MakeOptions(o1));
    const int b = b_.AddTensor(DataType::kFloat32, I32(t5), t->outputs[0] + "_nhwc");
    Op(BuiltinOperator::TRANSPOSE, {a, ConstI({5}, {0, 1, 2, 4, 3}, t->name + "_perm")}, {b});
    fb::ReshapeOptionsT o2;
    const std::vector<int64_t> back = {N, H, W, C};
    o2.new_shape = I32(back);
    Op(BuiltinOperator::RESHAPE, {b, ConstI({4}, I32(back), r2->name + "_shape")}, {NewOut(r2->outputs[0], true)},
       MakeOptions(o2));
    t->removed = true;
    r2->removed = true;
    return true;
  }

  void RequireFloat(const Node& n) {
    const Value& x = g_.At(n.In(0));
    if (x.dtype != kOnnxFloat)
      throw ConvertError(n.Describe() + ": only float32 is supported (input is ONNX type " +
                         std::to_string(x.dtype) + ")");
  }
  void RequireRank(const Node& n, int input, int lo, int hi) {
    const int r = g_.At(n.In(input)).rank();
    if (r < lo || r > hi)
      throw ConvertError(n.Describe() + ": input rank " + std::to_string(r) + " is not supported");
  }
  const Value& ConstInput(const Node& n, int k, const char* what) {
    if (!g_.IsConst(n.In(k)))
      throw ConvertError(n.Describe() + ": " + what + " must be a constant (computed at run time here)");
    return g_.At(n.In(k));
  }

  void LowerUnary(Node& n) {
    static const std::map<std::string, BuiltinOperator> kMap = {
        {"Relu", BuiltinOperator::RELU},       {"Sigmoid", BuiltinOperator::LOGISTIC},
        {"Tanh", BuiltinOperator::TANH},       {"Exp", BuiltinOperator::EXP},
        {"Log", BuiltinOperator::LOG},         {"Sqrt", BuiltinOperator::SQRT},
        {"Abs", BuiltinOperator::ABS},         {"Neg", BuiltinOperator::NEG},
        {"Floor", BuiltinOperator::FLOOR},     {"Ceil", BuiltinOperator::CEIL},
        {"Sin", BuiltinOperator::SIN},         {"Cos", BuiltinOperator::COS},
        {"Round", BuiltinOperator::ROUND},     {"Sign", BuiltinOperator::SIGN},
        {"Not", BuiltinOperator::LOGICAL_NOT}, {"HardSwish", BuiltinOperator::HARD_SWISH},
        {"LeakyRelu", BuiltinOperator::LEAKY_RELU}, {"Elu", BuiltinOperator::ELU},
        {"Reciprocal", BuiltinOperator::DIV},  {"Gelu", BuiltinOperator::GELU}};
    auto it = kMap.find(n.op);
    if (it == kMap.end()) {
      if (n.op == "Erf")
        throw ConvertError(n.Describe() + ": Erf has no TFLite builtin (GELU patterns are not matched yet)");
      throw ConvertError(n.Describe() + ": op type " + n.op + " is not supported by the converter");
    }
    const bool cl = IsCl(n.In(0));
    const int x = Get(n.In(0), cl);
    if (n.op == "Elu" && std::fabs(n.Float("alpha", 1.0f) - 1.0f) > 1e-7f)
      throw ConvertError(n.Describe() + ": TFLite ELU has alpha 1 only");
    if (n.op == "Gelu" && n.Str("approximate", "none") != "none")
      throw ConvertError(n.Describe() + ": only exact Gelu is mapped");
    fb::BuiltinOptionsUnion opt;
    std::vector<int32_t> ins = {x};
    if (n.op == "LeakyRelu") {
      fb::LeakyReluOptionsT o;
      o.alpha = n.Float("alpha", 0.01f);
      opt = MakeOptions(o);
    } else if (n.op == "Reciprocal") {
      RequireFloat(n);
      ins = {Scalar(1.0f, n.name + "_one"), x};
    }
    Op(it->second, ins, {NewOut(n.outputs[0], cl)}, std::move(opt));
  }

  void LowerConv(Node& n) {
    RequireFloat(n);
    const Value& x = g_.At(n.In(0));
    if (x.rank() != 4) throw ConvertError(n.Describe() + ": only 2D convolutions (4D input) are supported");
    const Value& w = ConstInput(n, 1, "the weight");
    const int64_t group = n.Int("group", 1);
    const int64_t O = w.shape[0], Ig = w.shape[1], kh = w.shape[2], kw = w.shape[3], C = x.shape[1];
    const std::vector<int64_t> k = {kh, kw};
    const auto s = n.Ints("strides", {1, 1});
    const auto d = n.Ints("dilations", {1, 1});
    const Value& y = g_.At(n.outputs[0]);
    const auto act = FuseAct(n);
    fb::Padding padding;
    const int xin = PadFor(n, Get(n.In(0), true), x, y.shape, k, s, d, &padding, false, true, "");
    std::vector<float> bias(O, 0.0f);
    if (!n.In(2).empty()) bias = ConstInput(n, 2, "the bias").f;
    const int bt = ConstF({O}, bias, n.name + "_bias");
    const int yt = NewOut(n.outputs[0], true);
    const bool depthwise = group > 1 && group == C && Ig == 1;
    if (depthwise) {
      std::vector<float> f(O * kh * kw);
      for (int64_t o = 0; o < O; ++o)
        for (int64_t a = 0; a < kh * kw; ++a) f[a * O + o] = w.f[o * kh * kw + a];
      const int ft = ConstF({1, kh, kw, O}, f, n.name + "_filter");
      fb::DepthwiseConv2DOptionsT o;
      o.padding = padding;
      o.stride_h = static_cast<int>(s[0]);
      o.stride_w = static_cast<int>(s[1]);
      o.dilation_h_factor = static_cast<int>(d[0]);
      o.dilation_w_factor = static_cast<int>(d[1]);
      o.depth_multiplier = static_cast<int>(O / C);
      o.fused_activation_function = act;
      Op(BuiltinOperator::DEPTHWISE_CONV_2D, {xin, ft, bt}, {yt}, MakeOptions(o));
      return;
    }
    if (C != Ig * group) throw ConvertError(n.Describe() + ": weight shape does not match group");
    const int ft = ConstF({O, kh, kw, Ig}, PermuteData(w.f, w.shape, {0, 2, 3, 1}), n.name + "_filter");
    fb::Conv2DOptionsT o;
    o.padding = padding;
    o.stride_h = static_cast<int>(s[0]);
    o.stride_w = static_cast<int>(s[1]);
    o.dilation_h_factor = static_cast<int>(d[0]);
    o.dilation_w_factor = static_cast<int>(d[1]);
    o.fused_activation_function = act;
    Op(BuiltinOperator::CONV_2D, {xin, ft, bt}, {yt}, MakeOptions(o));
  }

  void LowerPool(Node& n) {
    RequireFloat(n);
    const Value& x = g_.At(n.In(0));
    if (x.rank() != 4) throw ConvertError(n.Describe() + ": only 2D pooling (4D input) is supported");
    if (n.outputs.size() > 1 && !n.outputs[1].empty())
      throw ConvertError(n.Describe() + ": the Indices output has no TFLite equivalent");
    const auto k = n.Ints("kernel_shape");
    const auto s = n.Ints("strides", {1, 1});
    const auto d = n.Ints("dilations", {1, 1});
    if (d != std::vector<int64_t>{1, 1}) throw ConvertError(n.Describe() + ": dilated pooling is not supported");
    const bool max = n.op == "MaxPool";
    const bool include_pad = n.Int("count_include_pad", 0) != 0;
    const Value& y = g_.At(n.outputs[0]);
    fb::Padding padding;
    // Max: pad with the lowest float. Average: explicit zero padding is right
    // only when ONNX counts the pads (count_include_pad=1) and there is no
    // ceil-mode overhang; TFLite's SAME average excludes pads, as ONNX's default.
    bool explicit_ok = max;
    if (!max && include_pad) {
      auto p = Pads2D(n, x.shape, y.shape, k, s, d);
      auto pads = n.Ints("pads", {0, 0, 0, 0});
      explicit_ok = p == pads;
    }
    const int xin = PadFor(n, Get(n.In(0), true), x, y.shape, k, s, d, &padding, max, explicit_ok,
                           "these pads with count_include_pad=0 (or ceil_mode overhang) cannot be "
                           "expressed by TFLite's SAME/VALID average pooling");
    if (!max && include_pad && padding == fb::Padding::SAME)
      throw ConvertError(n.Describe() + ": count_include_pad=1 with SAME-like pads is not expressible");
    fb::Pool2DOptionsT o;
    o.padding = padding;
    o.stride_h = static_cast<int>(s[0]);
    o.stride_w = static_cast<int>(s[1]);
    o.filter_height = static_cast<int>(k[0]);
    o.filter_width = static_cast<int>(k[1]);
    o.fused_activation_function = FuseAct(n);
    Op(max ? BuiltinOperator::MAX_POOL_2D : BuiltinOperator::AVERAGE_POOL_2D, {xin},
       {NewOut(n.outputs[0], true)}, MakeOptions(o));
  }

  void FullyConnected(Node& n, int a, const std::vector<float>& w, int64_t N, int64_t K,
                      const std::vector<float>* bias, bool keep_dims) {
    const int wt = ConstF({N, K}, w, n.name + "_weights");
    const int bt = bias ? ConstF({N}, *bias, n.name + "_bias") : -1;
    fb::FullyConnectedOptionsT o;
    o.fused_activation_function = FuseAct(n);
    o.keep_num_dims = keep_dims;
    Op(BuiltinOperator::FULLY_CONNECTED, {a, wt, bt}, {NewOut(n.outputs[0], false)}, MakeOptions(o));
  }

  void LowerGemm(Node& n) {
    RequireFloat(n);
    if (!g_.IsConst(n.In(1))) {
      throw ConvertError(n.Describe() + ": Gemm with a run-time B is not supported (use MatMul)");
    }
    int a = Get(n.In(0), false);
    const Value& av = g_.At(n.In(0));
    if (n.Int("transA", 0)) {
      const int pt = ConstI({2}, {1, 0}, n.name + "_permA");
      const int t = b_.AddTensor(DataType::kFloat32, I32({av.shape[1], av.shape[0]}), n.name + "_At");
      Op(BuiltinOperator::TRANSPOSE, {a, pt}, {t});
      a = t;
    }
    const Value& bv = g_.At(n.In(1));
    const float alpha = n.Float("alpha", 1.0f), beta = n.Float("beta", 1.0f);
    std::vector<float> w = n.Int("transB", 0) ? bv.f : PermuteData(bv.f, bv.shape, {1, 0});
    const int64_t N = n.Int("transB", 0) ? bv.shape[0] : bv.shape[1];
    const int64_t K = n.Int("transB", 0) ? bv.shape[1] : bv.shape[0];
    if (alpha != 1.0f)
      for (auto& v : w) v *= alpha;
    std::vector<float> bias;
    const Value* c = n.In(2).empty() ? nullptr : &g_.At(n.In(2));
    if (c) {
      if (!c->is_const) throw ConvertError(n.Describe() + ": a run-time C is not supported");
      if (c->NumElements() == N && (c->rank() == 1 || (c->rank() == 2 && c->shape[0] == 1))) {
        bias = c->f;
      } else if (c->NumElements() == 1) {
        bias.assign(N, c->f[0]);
      } else {
        throw ConvertError(n.Describe() + ": C of shape " + ShapeStr(c->shape) + " is not a per-column bias");
      }
      for (auto& v : bias) v *= beta;
    }
    FullyConnected(n, a, FcColumns(n.In(0), w, N, K), N, K, c ? &bias : nullptr, false);
  }

  void LowerMatMul(Node& n) {
    RequireFloat(n);
    const Value& av = g_.At(n.In(0));
    const Value& bv = g_.At(n.In(1));
    if (av.rank() < 2) throw ConvertError(n.Describe() + ": a 1D first input is not supported");
    const int a = Get(n.In(0), false);
    if (bv.is_const && bv.rank() == 2) {
      const int64_t K = bv.shape[0], N = bv.shape[1];
      auto w = PermuteData(bv.f, bv.shape, {1, 0});
      std::vector<float> bias;
      if (n.inputs.size() > 2 && !n.inputs[2].empty()) bias = g_.At(n.inputs[2]).f;
      FullyConnected(n, a, FcColumns(n.In(0), w, N, K), N, K, bias.empty() ? nullptr : &bias, av.rank() > 2);
      return;
    }
    if (bv.rank() < 2) throw ConvertError(n.Describe() + ": a 1D second input is not supported");
    const int b = Get(n.In(1), false);
    fb::BatchMatMulOptionsT o;
    Op(BuiltinOperator::BATCH_MATMUL, {a, b}, {NewOut(n.outputs[0], false)}, MakeOptions(o));
  }

  // Elementwise ops with ONNX broadcasting, in the layout of their inputs.
  void LowerBinary(Node& n) {
    const Value& y = g_.At(n.outputs[0]);
    const int r = y.rank();
    bool cl = false;
    for (const auto& in : n.inputs)
      if (IsCl(in)) cl = true;
    // A lower-rank run-time operand would need a reshape first: stay in ONNX order.
    for (const auto& in : n.inputs)
      if (!g_.IsConst(in) && g_.At(in).rank() != r) cl = false;
    if (r < 3) cl = false;
    std::vector<int> ins;
    for (const auto& in : n.inputs) {
      const Value& v = g_.At(in);
      if (v.is_const && cl && v.rank() != r) {
        Value e = v;  // right-aligned broadcast: pad with leading 1s, then permute
        e.shape.insert(e.shape.begin(), r - v.rank(), 1);
        ins.push_back(ConstTensor(e, true, in + "_nhwc"));
      } else {
        ins.push_back(Get(in, cl));
      }
    }
    const std::string& op = n.op;
    {
      // TFLite arithmetic on integers: int32/int64 (no plain uint8/int8 math:
      // those types mean quantized tensors there).
      const int t0 = g_.At(n.In(op == "Where" ? 1 : 0)).dtype;
      const bool arith = op == "Add" || op == "Sub" || op == "Mul" || op == "Div" || op == "Pow" ||
                         op == "Max" || op == "Min" || op == "Sum";
      if (arith && t0 != kOnnxFloat && t0 != kOnnxInt32 && t0 != kOnnxInt64)
        throw ConvertError(n.Describe() + ": " + op + " on ONNX type " + std::to_string(t0) +
                           " has no TFLite builtin (integer math is int32/int64 only)");
      if (op == "Pow" && t0 != kOnnxFloat && t0 != kOnnxInt32)
        throw ConvertError(n.Describe() + ": TFLite POW takes float32 or int32 bases only");
      if (op == "Pow" && g_.At(n.In(1)).dtype != t0) {
        // ONNX lets the exponent type differ: cast it to the base's type.
        const Value& e = g_.At(n.In(1));
        std::vector<int64_t> es = e.shape;
        if (cl && e.rank() == r) es = Permute(es, ChannelsLastPerm(r));
        if (g_.IsConst(n.In(1))) {
          Value c = e;
          if (t0 == kOnnxFloat && !IsFloatType(e.dtype)) { c.f.assign(e.i.begin(), e.i.end()); c.i.clear(); }
          if (t0 == kOnnxInt32 && IsFloatType(e.dtype)) { c.i.assign(e.f.begin(), e.f.end()); c.f.clear(); }
          c.dtype = t0;
          if (c.rank() != r && cl) c.shape.insert(c.shape.begin(), r - c.rank(), 1);
          ins[1] = ConstTensor(c, cl, n.name + "_exponent");
        } else {
          const int ct = b_.AddTensor(TfType(t0, n.name), I32(es), n.name + "_exponent");
          Op(BuiltinOperator::CAST, {ins[1]}, {ct});
          ins[1] = ct;
        }
      }
    }
    if (op == "Where") {
      Op(BuiltinOperator::SELECT_V2, {ins[0], ins[1], ins[2]}, {NewOut(n.outputs[0], cl)});
      return;
    }
    static const std::map<std::string, BuiltinOperator> kCmp = {
        {"Equal", BuiltinOperator::EQUAL},           {"Less", BuiltinOperator::LESS},
        {"Greater", BuiltinOperator::GREATER},       {"LessOrEqual", BuiltinOperator::LESS_EQUAL},
        {"GreaterOrEqual", BuiltinOperator::GREATER_EQUAL}, {"And", BuiltinOperator::LOGICAL_AND},
        {"Or", BuiltinOperator::LOGICAL_OR}};
    if (kCmp.count(op)) {
      Op(kCmp.at(op), {ins[0], ins[1]}, {NewOut(n.outputs[0], cl)});
      return;
    }
    if (op == "Pow" && g_.IsConst(n.In(1)) && g_.At(n.In(1)).NumElements() == 1 &&
        g_.At(n.In(1)).dtype == kOnnxFloat) {
      const float e = g_.At(n.In(1)).f[0];
      if (e == 2.0f) {
        Op(BuiltinOperator::MUL, {ins[0], ins[0]}, {NewOut(n.outputs[0], cl)}, MakeOptions(fb::MulOptionsT{}));
        return;
      }
      if (e == 0.5f) {
        Op(BuiltinOperator::SQRT, {ins[0]}, {NewOut(n.outputs[0], cl)});
        return;
      }
    }
    if (ins.size() == 1) return Alias(n.outputs[0], n.In(0));
    if (op == "Max" || op == "Min" || op == "Sum") {
      const BuiltinOperator bop = op == "Max" ? BuiltinOperator::MAXIMUM
                                 : op == "Min" ? BuiltinOperator::MINIMUM : BuiltinOperator::ADD;
      int acc = ins[0];
      for (size_t k = 1; k < ins.size(); ++k) {
        const bool last = k + 1 == ins.size();
        const int t = last ? NewOut(n.outputs[0], cl)
                           : b_.AddTensor(TfType(y.dtype, n.name), I32(cl ? Permute(y.shape, ChannelsLastPerm(r)) : y.shape),
                                          n.name + "_part" + std::to_string(k));
        if (bop == BuiltinOperator::ADD) Op(bop, {acc, ins[k]}, {t}, MakeOptions(fb::AddOptionsT{}));
        else Op(bop, {acc, ins[k]}, {t});
        acc = t;
      }
      return;
    }
    if (op == "Pow") {
      Op(BuiltinOperator::POW, {ins[0], ins[1]}, {NewOut(n.outputs[0], cl)});
      return;
    }
    const auto act = y.dtype == kOnnxFloat ? FuseAct(n) : ActivationFunctionType::NONE;
    const int yt = NewOut(n.outputs[0], cl);
    if (op == "Add") {
      fb::AddOptionsT o;
      o.fused_activation_function = act;
      Op(BuiltinOperator::ADD, {ins[0], ins[1]}, {yt}, MakeOptions(o));
    } else if (op == "Sub") {
      fb::SubOptionsT o;
      o.fused_activation_function = act;
      Op(BuiltinOperator::SUB, {ins[0], ins[1]}, {yt}, MakeOptions(o));
    } else if (op == "Mul") {
      fb::MulOptionsT o;
      o.fused_activation_function = act;
      Op(BuiltinOperator::MUL, {ins[0], ins[1]}, {yt}, MakeOptions(o));
    } else {
      fb::DivOptionsT o;
      o.fused_activation_function = act;
      Op(BuiltinOperator::DIV, {ins[0], ins[1]}, {yt}, MakeOptions(o));
    }
  }

  // y = x * s + t with per-channel s, t (inference-mode BatchNormalization).
  void LowerBatchNorm(Node& n) {
    RequireFloat(n);
    if (n.outputs.size() > 1 && !n.outputs[1].empty())
      throw ConvertError(n.Describe() + ": training-mode outputs are not supported");
    const Value& x = g_.At(n.In(0));
    if (x.rank() < 2) throw ConvertError(n.Describe() + ": input rank < 2");
    const Value& sc = ConstInput(n, 1, "scale");
    const Value& bb = ConstInput(n, 2, "B");
    const Value& mean = ConstInput(n, 3, "mean");
    const Value& var = ConstInput(n, 4, "var");
    const float eps = n.Float("epsilon", 1e-5f);
    const int64_t C = x.shape[1];
    std::vector<float> s(C), t(C);
    for (int64_t c = 0; c < C; ++c) {
      s[c] = sc.f[c] / std::sqrt(var.f[c] + eps);
      t[c] = bb.f[c] - mean.f[c] * s[c];
    }
    const bool cl = IsCl(n.In(0)) && x.rank() >= 3;
    std::vector<int64_t> cs(x.rank(), 1);
    cs[1] = C;
    Value sv, tv;
    sv.dtype = tv.dtype = kOnnxFloat;
    sv.shape = tv.shape = cs;
    sv.is_const = tv.is_const = true;
    sv.f = s;
    tv.f = t;
    const int xin = Get(n.In(0), cl);
    const int st = ConstTensor(sv, cl, n.name + "_scale");
    const int tt = ConstTensor(tv, cl, n.name + "_shift");
    const Value& y = g_.At(n.outputs[0]);
    const int mid = b_.AddTensor(DataType::kFloat32, I32(cl ? Permute(y.shape, ChannelsLastPerm(y.rank())) : y.shape),
                                 n.name + "_scaled");
    Op(BuiltinOperator::MUL, {xin, st}, {mid}, MakeOptions(fb::MulOptionsT{}));
    fb::AddOptionsT o;
    o.fused_activation_function = FuseAct(n);
    Op(BuiltinOperator::ADD, {mid, tt}, {NewOut(n.outputs[0], cl)}, MakeOptions(o));
  }

  void LowerTranspose(Node& n) {
    const Value& x = g_.At(n.In(0));
    const int r = x.rank();
    std::vector<int64_t> p = n.Ints("perm");
    if (p.empty())
      for (int k = r - 1; k >= 0; --k) p.push_back(k);
    const bool cl = IsCl(n.In(0)) && r >= 3;
    std::vector<int> pos(r);  // onnx dim -> stored position
    for (int k = 0; k < r; ++k) pos[k] = StoredAxis(k, r, cl);
    std::vector<int32_t> tp;
    bool identity = true;
    for (int k = 0; k < r; ++k) {
      tp.push_back(pos[p[k]]);
      identity = identity && tp.back() == k;
    }
    const int xt = Get(n.In(0), cl);
    if (identity) {  // the layout change already happened: nothing to do at run time
      stored_[n.outputs[0]] = {xt, false, -1};
      return;
    }
    const int pt = ConstI({r}, tp, n.name + "_perm");
    Op(BuiltinOperator::TRANSPOSE, {xt, pt}, {NewOut(n.outputs[0], false)});
  }

  void LowerConcat(Node& n) {
    const Value& y = g_.At(n.outputs[0]);
    const int r = y.rank();
    bool cl = false;
    for (const auto& in : n.inputs)
      if (IsCl(in)) cl = true;
    if (r < 3) cl = false;
    std::vector<int> ins;
    for (const auto& in : n.inputs) ins.push_back(Get(in, cl));
    int64_t axis = n.Int("axis", 0);
    if (axis < 0) axis += r;
    fb::ConcatenationOptionsT o;
    o.axis = StoredAxis(static_cast<int>(axis), r, cl);
    Op(BuiltinOperator::CONCATENATION, std::vector<int32_t>(ins.begin(), ins.end()), {NewOut(n.outputs[0], cl)},
       MakeOptions(o));
  }

  void LowerSplit(Node& n) {
    const Value& x = g_.At(n.In(0));
    const int r = x.rank();
    const bool cl = IsCl(n.In(0)) && r >= 3;
    int64_t axis = n.Int("axis", 0);
    if (axis < 0) axis += r;
    std::vector<int32_t> sizes;
    for (const auto& o : n.outputs) sizes.push_back(static_cast<int32_t>(g_.At(o).shape[axis]));
    const int st = ConstI({static_cast<int64_t>(sizes.size())}, sizes, n.name + "_sizes");
    const int at = ConstI({}, {StoredAxis(static_cast<int>(axis), r, cl)}, n.name + "_axis");
    std::vector<int32_t> outs;
    for (const auto& o : n.outputs) outs.push_back(NewOut(o, cl));
    fb::SplitVOptionsT o;
    o.num_splits = static_cast<int>(sizes.size());
    Op(BuiltinOperator::SPLIT_V, {Get(n.In(0), cl), st, at}, outs, MakeOptions(o));
  }

  void LowerSlice(Node& n) {
    const Value& x = g_.At(n.In(0));
    const Value& y = g_.At(n.outputs[0]);
    const int r = x.rank();
    const bool cl = IsCl(n.In(0)) && r >= 3;
    auto b = n.Ints("__begin");
    auto st = n.Ints("__step");
    if (y.NumElements() == 0) throw ConvertError(n.Describe() + ": empty slices are not supported");
    std::vector<int32_t> begin(r), end(r), stride(r);
    int end_mask = 0;
    for (int k = 0; k < r; ++k) {
      const int j = StoredAxis(k, r, cl);
      begin[j] = static_cast<int32_t>(b[k]);
      stride[j] = static_cast<int32_t>(st[k]);
      const int64_t e = b[k] + y.shape[k] * st[k];
      if (e < 0) end_mask |= 1 << j;  // runs to the start with a negative step
      end[j] = static_cast<int32_t>(std::max<int64_t>(e, 0));
    }
    const int bt = ConstI({r}, begin, n.name + "_begin");
    const int et = ConstI({r}, end, n.name + "_end");
    const int sst = ConstI({r}, stride, n.name + "_strides");
    fb::StridedSliceOptionsT o;
    o.end_mask = end_mask;
    Op(BuiltinOperator::STRIDED_SLICE, {Get(n.In(0), cl), bt, et, sst}, {NewOut(n.outputs[0], cl)},
       MakeOptions(o));
  }

  void LowerGather(Node& n) {
    const Value& x = g_.At(n.In(0));
    const Value& ind = g_.At(n.In(1));
    int64_t axis = n.Int("axis", 0);
    if (axis < 0) axis += x.rank();
    int it;
    if (ind.is_const) {
      Value fixed = ind;  // negative indices wrap in ONNX; TFLite GATHER wants them in range
      for (auto& v : fixed.i)
        if (v < 0) v += x.shape[axis];
      it = ConstTensor(fixed, false, n.name + "_indices");
    } else {
      // ONNX indices may be negative (from the end); TFLite's are not: wrap
      // them with FLOOR_MOD by the axis length.
      it = Get(n.In(1), false);
      const DataType it_type = TfType(ind.dtype, n.name);
      const int dim = it_type == DataType::kInt64
                          ? b_.AddConstTensor<int64_t>(DataType::kInt64, {}, {x.shape[axis]}, n.name + "_dim")
                          : ConstI({}, {static_cast<int32_t>(x.shape[axis])}, n.name + "_dim");
      const int wrapped = b_.AddTensor(it_type, I32(ind.shape), n.name + "_indices_wrapped");
      Op(BuiltinOperator::FLOOR_MOD, {it, dim}, {wrapped});
      it = wrapped;
    }
    fb::GatherOptionsT o;
    o.axis = static_cast<int>(axis);
    Op(BuiltinOperator::GATHER, {Get(n.In(0), false), it}, {NewOut(n.outputs[0], false)}, MakeOptions(o));
  }

  void LowerPad(Node& n) {
    const Value& x = g_.At(n.In(0));
    const int r = x.rank();
    const std::string mode = n.Str("mode", "constant");
    std::vector<int64_t> pads = g_.opset < 11 ? n.Ints("pads") : g_.At(n.In(1)).i;
    if (g_.opset >= 11 && !g_.IsConst(n.In(1))) throw ConvertError(n.Describe() + ": run-time pads");
    if (g_.opset >= 18 && !n.In(3).empty()) throw ConvertError(n.Describe() + ": the axes input is not supported");
    for (auto p : pads)
      if (p < 0) throw ConvertError(n.Describe() + ": negative pads (cropping) are not supported");
    const bool cl = IsCl(n.In(0)) && r >= 3;
    std::vector<int32_t> pt(2 * r);
    for (int k = 0; k < r; ++k) {
      const int j = StoredAxis(k, r, cl);
      pt[2 * j] = static_cast<int32_t>(pads[k]);
      pt[2 * j + 1] = static_cast<int32_t>(pads[k + r]);
    }
    const int pads_t = ConstI({r, 2}, pt, n.name + "_pads");
    const int xt = Get(n.In(0), cl);
    if (mode == "constant") {
      float value = g_.opset < 11 ? n.Float("value", 0.0f) : 0.0f;
      if (g_.opset >= 11 && !n.In(2).empty()) {
        const Value& cv = ConstInput(n, 2, "constant_value");
        value = cv.dtype == kOnnxFloat ? cv.f.at(0) : static_cast<float>(cv.i.at(0));
      }
      if (value == 0.0f) {
        Op(BuiltinOperator::PAD, {xt, pads_t}, {NewOut(n.outputs[0], cl)});
      } else {
        RequireFloat(n);
        Op(BuiltinOperator::PADV2, {xt, pads_t, Scalar(value, n.name + "_value")}, {NewOut(n.outputs[0], cl)});
      }
      return;
    }
    if (mode == "reflect") {
      fb::MirrorPadOptionsT o;
      o.mode = fb::MirrorPadMode::REFLECT;
      Op(BuiltinOperator::MIRROR_PAD, {xt, pads_t}, {NewOut(n.outputs[0], cl)}, MakeOptions(o));
      return;
    }
    throw ConvertError(n.Describe() + ": pad mode '" + mode + "' has no TFLite builtin");
  }

  void LowerReduce(Node& n) {
    const Value& x = g_.At(n.In(0));
    const int r = x.rank();
    auto axes = n.Ints("__axes");
    const bool keep = n.Int("keepdims", 1) != 0;
    if (axes.empty()) return Alias(n.outputs[0], n.In(0));  // noop_with_empty_axes
    // Reduced axes can stay channels-last when the rank is kept; without
    // keepdims too when the kept axes come out in ONNX order (e.g. a mean over
    // H and W of NHWC gives [N,C] directly).
    bool cl = keep && IsCl(n.In(0)) && r >= 3;
    bool out_cl = cl;
    if (!keep && IsCl(n.In(0)) && r >= 3) {
      std::vector<int> kept;
      for (int k : ChannelsLastPerm(r))
        if (std::find(axes.begin(), axes.end(), k) == axes.end()) kept.push_back(k);
      if (std::is_sorted(kept.begin(), kept.end())) {
        cl = true;
        out_cl = false;
      }
    }
    std::vector<int32_t> at;
    for (auto a : axes) at.push_back(StoredAxis(static_cast<int>(a), r, cl));
    std::sort(at.begin(), at.end());
    static const std::map<std::string, BuiltinOperator> kMap = {
        {"ReduceMean", BuiltinOperator::MEAN},      {"ReduceSum", BuiltinOperator::SUM},
        {"ReduceMax", BuiltinOperator::REDUCE_MAX}, {"ReduceMin", BuiltinOperator::REDUCE_MIN},
        {"ReduceProd", BuiltinOperator::REDUCE_PROD}};
    fb::ReducerOptionsT o;
    o.keep_dims = keep;
    const int axt = ConstI({static_cast<int64_t>(at.size())}, at, n.name + "_axes");
    Op(kMap.at(n.op), {Get(n.In(0), cl), axt}, {NewOut(n.outputs[0], out_cl)}, MakeOptions(o));
  }

  void LowerArg(Node& n) {
    const Value& x = g_.At(n.In(0));
    if (n.Int("select_last_index", 0)) throw ConvertError(n.Describe() + ": select_last_index=1 is not supported");
    int64_t axis = n.Int("axis", 0);
    if (axis < 0) axis += x.rank();
    const bool keep = n.Int("keepdims", 1) != 0;
    const Value& y = g_.At(n.outputs[0]);
    const int at = ConstI({}, {static_cast<int32_t>(axis)}, n.name + "_axis");
    int out;
    if (keep) {
      std::vector<int64_t> s = x.shape;
      s.erase(s.begin() + axis);
      out = b_.AddTensor(DataType::kInt64, I32(s), n.name + "_reduced");
    } else {
      out = NewOut(n.outputs[0], false);
    }
    const bool mx = n.op == "ArgMax";
    if (mx) {
      fb::ArgMaxOptionsT o;
      o.output_type = fb::TensorType::INT64;
      Op(BuiltinOperator::ARG_MAX, {Get(n.In(0), false), at}, {out}, MakeOptions(o));
    } else {
      fb::ArgMinOptionsT o;
      o.output_type = fb::TensorType::INT64;
      Op(BuiltinOperator::ARG_MIN, {Get(n.In(0), false), at}, {out}, MakeOptions(o));
    }
    if (keep) {
      const int st = ConstI({static_cast<int64_t>(y.rank())}, I32(y.shape), n.name + "_shape");
      fb::ReshapeOptionsT o;
      o.new_shape = I32(y.shape);
      Op(BuiltinOperator::RESHAPE, {out, st}, {NewOut(n.outputs[0], false)}, MakeOptions(o));
    }
  }

  void LowerSoftmax(Node& n) {
    RequireFloat(n);
    const Value& x = g_.At(n.In(0));
    const int r = x.rank();
    int64_t axis = n.Int("axis", g_.opset >= 13 ? -1 : 1);
    if (axis < 0) axis += r;
    bool cl = IsCl(n.In(0)) && r >= 3;
    if (g_.opset < 13 && axis != r - 1) {
      // Before opset 13 Softmax works on the input flattened to 2D at `axis`:
      // that is a last-axis softmax on [prod(before), prod(after)].
      throw ConvertError(n.Describe() + ": opset < 13 Softmax on a non-last axis is not supported");
    }
    if (StoredAxis(static_cast<int>(axis), r, cl) != r - 1) {
      cl = false;
      if (axis != r - 1) {
        // Channel-axis softmax on an ONNX-order tensor: go channels-last.
        if (axis == 1 && r >= 3) cl = true;
        else return SoftmaxViaTranspose(n, static_cast<int>(axis));
      }
    }
    const int xt = Get(n.In(0), cl);
    if (n.op == "Softmax") {
      fb::SoftmaxOptionsT o;
      o.beta = 1.0f;
      Op(BuiltinOperator::SOFTMAX, {xt}, {NewOut(n.outputs[0], cl)}, MakeOptions(o));
    } else {
      Op(BuiltinOperator::LOG_SOFTMAX, {xt}, {NewOut(n.outputs[0], cl)}, MakeOptions(fb::LogSoftmaxOptionsT{}));
    }
  }

  // Softmax over another axis: swap it with the last one, softmax, swap back.
  void SoftmaxViaTranspose(Node& n, int axis) {
    const Value& x = g_.At(n.In(0));
    const int r = x.rank();
    std::vector<int32_t> perm(r);
    for (int k = 0; k < r; ++k) perm[k] = k;
    std::swap(perm[axis], perm[r - 1]);
    std::vector<int64_t> ts = x.shape;
    std::swap(ts[axis], ts[r - 1]);
    const int pt = ConstI({r}, perm, n.name + "_perm");
    const int a = b_.AddTensor(DataType::kFloat32, I32(ts), n.name + "_axis_last");
    const int b = b_.AddTensor(DataType::kFloat32, I32(ts), n.name + "_softmax_last");
    Op(BuiltinOperator::TRANSPOSE, {Get(n.In(0), false), pt}, {a});
    if (n.op == "Softmax") {
      fb::SoftmaxOptionsT o;
      o.beta = 1.0f;
      Op(BuiltinOperator::SOFTMAX, {a}, {b}, MakeOptions(o));
    } else {
      Op(BuiltinOperator::LOG_SOFTMAX, {a}, {b}, MakeOptions(fb::LogSoftmaxOptionsT{}));
    }
    Op(BuiltinOperator::TRANSPOSE, {b, pt}, {NewOut(n.outputs[0], false)});
  }

  void LowerClip(Node& n) {
    float lo, hi;
    if (!ClipBounds(n, &lo, &hi)) throw ConvertError(n.Describe() + ": run-time min/max are not supported");
    RequireFloat(n);
    const bool cl = IsCl(n.In(0));
    const int xt = Get(n.In(0), cl);
    if (lo == 0 && hi == 6) return Op(BuiltinOperator::RELU6, {xt}, {NewOut(n.outputs[0], cl)});
    if (lo == 0 && std::isinf(hi)) return Op(BuiltinOperator::RELU, {xt}, {NewOut(n.outputs[0], cl)});
    if (lo == -1 && hi == 1) return Op(BuiltinOperator::RELU_N1_TO_1, {xt}, {NewOut(n.outputs[0], cl)});
    const Value& y = g_.At(n.outputs[0]);
    const auto ys = cl && y.rank() >= 3 ? Permute(y.shape, ChannelsLastPerm(y.rank())) : y.shape;
    int cur = xt;
    if (!std::isinf(lo)) {
      const int t = std::isinf(hi) ? NewOut(n.outputs[0], cl) : b_.AddTensor(DataType::kFloat32, I32(ys), n.name + "_lo");
      Op(BuiltinOperator::MAXIMUM, {cur, Scalar(lo, n.name + "_min")}, {t});
      cur = t;
    }
    if (!std::isinf(hi)) Op(BuiltinOperator::MINIMUM, {cur, Scalar(hi, n.name + "_max")}, {NewOut(n.outputs[0], cl)});
    if (std::isinf(lo) && std::isinf(hi)) Alias(n.outputs[0], n.In(0));
  }

  // max(0, min(1, a*x + b)) = relu6(6a*x + 6b) / 6: three ops TFLite has.
  void LowerHardSigmoid(Node& n) {
    RequireFloat(n);
    const float a = n.Float("alpha", 0.2f), bb = n.Float("beta", 0.5f);
    const bool cl = IsCl(n.In(0));
    const int xt = Get(n.In(0), cl);
    const Value& y = g_.At(n.outputs[0]);
    const auto ys = cl && y.rank() >= 3 ? Permute(y.shape, ChannelsLastPerm(y.rank())) : y.shape;
    const int t1 = b_.AddTensor(DataType::kFloat32, I32(ys), n.name + "_scaled");
    const int t2 = b_.AddTensor(DataType::kFloat32, I32(ys), n.name + "_clamped6");
    Op(BuiltinOperator::MUL, {xt, Scalar(6 * a, n.name + "_6a")}, {t1}, MakeOptions(fb::MulOptionsT{}));
    fb::AddOptionsT ao;
    ao.fused_activation_function = ActivationFunctionType::RELU6;
    Op(BuiltinOperator::ADD, {t1, Scalar(6 * bb, n.name + "_6b")}, {t2}, MakeOptions(ao));
    Op(BuiltinOperator::MUL, {t2, Scalar(1.0f / 6, n.name + "_sixth")}, {NewOut(n.outputs[0], cl)},
       MakeOptions(fb::MulOptionsT{}));
  }

  void LowerPRelu(Node& n) {
    RequireFloat(n);
    const Value& x = g_.At(n.In(0));
    const Value& sl = ConstInput(n, 1, "the slope");
    const int r = x.rank();
    const bool cl = IsCl(n.In(0)) && r >= 3;
    Value e = sl;
    e.shape.insert(e.shape.begin(), r - sl.rank(), 1);
    // TFLite PRELU broadcasts alpha against the input: drop the batch dim.
    int at = ConstTensor(e, cl, n.name + "_alpha");
    Op(BuiltinOperator::PRELU, {Get(n.In(0), cl), at}, {NewOut(n.outputs[0], cl)});
  }

  // LSTM (forward, reverse or bidirectional; no peepholes/clip) ->
  // UNIDIRECTIONAL_SEQUENCE_LSTM per direction; the reverse direction runs on
  // the time-reversed input (REVERSE_V2) and its output is reversed back.
  // Y is reshaped/packed to ONNX's [seq, dirs, batch, hidden]; Y_h is the
  // last step of each direction.
  void LowerLstm(Node& n) {
    RequireFloat(n);
    const std::string direction = n.Str("direction", "forward");
    if (direction != "forward" && direction != "reverse" && direction != "bidirectional")
      throw ConvertError(n.Describe() + ": unknown direction '" + direction + "'");
    if (n.Has("clip")) throw ConvertError(n.Describe() + ": clip is not supported");
    if (n.Int("input_forget", 0)) throw ConvertError(n.Describe() + ": input_forget=1 is not supported");
    if (n.Has("activations")) {
      const auto& acts = n.attrs.at("activations").strings();
      for (int k = 0; k + 2 < acts.size(); k += 3)
        if (acts[k] != "Sigmoid" || acts[k + 1] != "Tanh" || acts[k + 2] != "Tanh")
          throw ConvertError(n.Describe() + ": only the default activations (Sigmoid, Tanh, Tanh) are supported");
    }
    if (!n.In(4).empty()) throw ConvertError(n.Describe() + ": sequence_lens is not supported");
    if (!n.In(7).empty()) throw ConvertError(n.Describe() + ": peepholes are not supported");
    for (int k : {5, 6}) {
      if (n.In(k).empty()) continue;
      const Value& s = ConstInput(n, k, "initial state");
      for (float v : s.f)
        if (v != 0.0f)
          throw ConvertError(n.Describe() + ": a non-zero initial state is not supported (TFLite state starts at 0)");
    }
    auto used = [&](size_t k) {
      return k < n.outputs.size() && !n.outputs[k].empty() &&
             g_.Consumers(n.outputs[k]) + g_.IsGraphOutput(n.outputs[k]) > 0;
    };
    if (used(2))
      throw ConvertError(n.Describe() + ": the Y_c output is used; TFLite's LSTM keeps the cell state internal");
    const Value& x = g_.At(n.In(0));
    const Value& W = ConstInput(n, 1, "W");
    const Value& R = ConstInput(n, 2, "R");
    const int64_t H = n.Int("hidden_size", 0), I = x.shape[2];
    const bool batch_first = n.Int("layout", 0) != 0;
    const int64_t dirs = direction == "bidirectional" ? 2 : 1;
    if (dirs == 2 && batch_first)
      throw ConvertError(n.Describe() + ": bidirectional with layout=1 is not supported");
    const int64_t seq = batch_first ? x.shape[1] : x.shape[0];
    const int64_t batch = batch_first ? x.shape[0] : x.shape[1];
    const int time_axis = batch_first ? 1 : 0;
    std::vector<float> bias(dirs * 8 * H, 0.0f);
    if (!n.In(3).empty()) bias = ConstInput(n, 3, "B").f;
    const std::vector<int64_t> ys = batch_first ? std::vector<int64_t>{batch, seq, H} : std::vector<int64_t>{seq, batch, H};
    const int x_t = Get(n.In(0), false);
    auto reverse = [&](int in, const std::vector<int64_t>& shape, const std::string& nm) {
      const int out = b_.AddTensor(DataType::kFloat32, I32(shape), n.name + nm);
      Op(BuiltinOperator::REVERSE_V2, {in, ConstI({1}, {time_axis}, n.name + nm + "_axis")}, {out});
      return out;
    };
    std::vector<int32_t> y_dir, yh_dir;
    for (int64_t d = 0; d < dirs; ++d) {
      const bool rev = direction == "reverse" || d == 1;
      const std::string ds = "_d" + std::to_string(d);
      // ONNX gate order i, o, f, c; TFLite inputs in order i, f, c, o.
      const int onnx_gate[4] = {0, 2, 3, 1};
      std::vector<int32_t> in(24, -1);
      in[0] = rev ? reverse(x_t, x.shape, ds + "_x_reversed") : x_t;
      for (int g = 0; g < 4; ++g) {
        const int og = onnx_gate[g];
        const size_t wo = d * 4 * H * I + og * H * I, ro = d * 4 * H * H + og * H * H;
        std::vector<float> wi(W.f.begin() + wo, W.f.begin() + wo + H * I);
        std::vector<float> ri(R.f.begin() + ro, R.f.begin() + ro + H * H);
        std::vector<float> bi(H);
        for (int64_t h = 0; h < H; ++h)
          bi[h] = bias[d * 8 * H + og * H + h] + bias[d * 8 * H + 4 * H + og * H + h];
        in[1 + g] = ConstF({H, I}, wi, n.name + ds + "_w" + std::to_string(g));
        in[5 + g] = ConstF({H, H}, ri, n.name + ds + "_r" + std::to_string(g));
        in[12 + g] = ConstF({H}, bi, n.name + ds + "_b" + std::to_string(g));
      }
      in[18] = b_.AddTensor(DataType::kFloat32, I32({batch, H}), n.name + ds + "_h_state", 0, nullptr, true);
      in[19] = b_.AddTensor(DataType::kFloat32, I32({batch, H}), n.name + ds + "_c_state", 0, nullptr, true);
      fb::UnidirectionalSequenceLSTMOptionsT o;
      o.fused_activation_function = ActivationFunctionType::TANH;
      o.time_major = !batch_first;
      const int raw = b_.AddTensor(DataType::kFloat32, I32(ys), n.name + ds + "_y3d");
      Op(BuiltinOperator::UNIDIRECTIONAL_SEQUENCE_LSTM, in, {raw}, MakeOptions(o));
      if (used(1)) {  // the final state: the last step the direction ran
        const std::vector<int64_t> hs = batch_first ? std::vector<int64_t>{batch, 1, H} : std::vector<int64_t>{1, batch, H};
        std::vector<int32_t> begin = batch_first ? std::vector<int32_t>{0, static_cast<int32_t>(seq - 1), 0}
                                                 : std::vector<int32_t>{static_cast<int32_t>(seq - 1), 0, 0};
        const int yh = b_.AddTensor(DataType::kFloat32, I32(hs), n.name + ds + "_yh");
        Op(BuiltinOperator::STRIDED_SLICE,
           {raw, ConstI({3}, begin, n.name + ds + "_yh_begin"), ConstI({3}, I32(ys), n.name + ds + "_yh_end"),
            ConstI({3}, {1, 1, 1}, n.name + ds + "_yh_strides")},
           {yh}, MakeOptions(fb::StridedSliceOptionsT{}));
        yh_dir.push_back(yh);
      }
      y_dir.push_back(rev ? reverse(raw, ys, ds + "_y_unreversed") : raw);
    }
    if (used(1)) {
      if (dirs == 1) {
        Alias1(yh_dir[0], n.outputs[1]);
      } else {
        fb::ConcatenationOptionsT co;
        co.axis = 0;
        Op(BuiltinOperator::CONCATENATION, yh_dir, {NewOut(n.outputs[1], false)}, MakeOptions(co));
      }
    }
    if (!used(0)) return;
    const Value& y = g_.At(n.outputs[0]);
    int src = y_dir[0];
    if (dirs == 2) {
      fb::PackOptionsT po;
      po.values_count = 2;
      po.axis = 1;
      src = b_.AddTensor(DataType::kFloat32, I32({seq, 2, batch, H}), n.name + "_y_packed");
      Op(BuiltinOperator::PACK, y_dir, {src}, MakeOptions(po));
    }
    const int st = ConstI({4}, I32(y.shape), n.name + "_yshape");
    fb::ReshapeOptionsT ro;
    ro.new_shape = I32(y.shape);
    Op(BuiltinOperator::RESHAPE, {src, st}, {NewOut(n.outputs[0], false)}, MakeOptions(ro));
  }
  // Makes `tensor` the storage of ONNX value `name` (shapes must agree).
  void Alias1(int tensor, const std::string& name) {
    b_.model().subgraphs[0]->tensors[tensor]->name = name;
    stored_[name] = {tensor, false, -1};
  }

  // GRU (forward, time-major, default activations, zero initial state) has
  // no TFLite builtin: it is unrolled over the (static) sequence into
  // FULLY_CONNECTED, LOGISTIC, TANH and elementwise ops. The input projection
  // of all steps is one FULLY_CONNECTED; each step then costs ~15 ops.
  void LowerGru(Node& n) {
    RequireFloat(n);
    if (n.Str("direction", "forward") != "forward")
      throw ConvertError(n.Describe() + ": only direction=forward is supported");
    if (n.Int("layout", 0) != 0) throw ConvertError(n.Describe() + ": only layout=0 (time-major) is supported");
    if (n.Has("clip")) throw ConvertError(n.Describe() + ": clip is not supported");
    if (n.Has("activations")) {
      const auto& acts = n.attrs.at("activations").strings();
      if (acts.size() != 2 || acts[0] != "Sigmoid" || acts[1] != "Tanh")
        throw ConvertError(n.Describe() + ": only the default activations (Sigmoid, Tanh) are supported");
    }
    if (!n.In(4).empty()) throw ConvertError(n.Describe() + ": sequence_lens is not supported");
    const Value& x = g_.At(n.In(0));
    const Value& W = ConstInput(n, 1, "W");
    const Value& R = ConstInput(n, 2, "R");
    const int64_t H = n.Int("hidden_size", 0), I = x.shape[2], seq = x.shape[0], batch = x.shape[1];
    const bool lbr = n.Int("linear_before_reset", 0) != 0;
    std::vector<float> B(6 * H, 0.0f);
    if (!n.In(3).empty()) B = ConstInput(n, 3, "B").f;
    std::vector<float> h0(batch * H, 0.0f);
    if (!n.In(5).empty()) h0 = ConstInput(n, 5, "initial_h").f;
    const std::string p = n.name + "_";
    auto tmp = [&](const std::vector<int64_t>& shape, const std::string& nm) {
      return b_.AddTensor(DataType::kFloat32, I32(shape), p + nm);
    };
    auto fc = [&](int in, int w, int bias, int out) {
      Op(BuiltinOperator::FULLY_CONNECTED, {in, w, bias}, {out}, MakeOptions(fb::FullyConnectedOptionsT{}));
    };
    auto bin = [&](BuiltinOperator op, int a, int b, int out) {
      fb::BuiltinOptionsUnion u;
      if (op == BuiltinOperator::ADD) u = MakeOptions(fb::AddOptionsT{});
      if (op == BuiltinOperator::SUB) u = MakeOptions(fb::SubOptionsT{});
      if (op == BuiltinOperator::MUL) u = MakeOptions(fb::MulOptionsT{});
      Op(op, {a, b}, {out}, std::move(u));
    };
    // Input projection for every step: [seq*batch, I] x W^T (+ Wb; + Rb of z and r,
    // and of h unless linear_before_reset keeps Rbh inside the reset product).
    std::vector<float> xb(3 * H);
    for (int64_t k = 0; k < 3 * H; ++k) xb[k] = B[k] + ((k < 2 * H || !lbr) ? B[3 * H + k] : 0.0f);
    const int x2 = tmp({seq * batch, I}, "x2d");
    fb::ReshapeOptionsT ro;
    ro.new_shape = I32({seq * batch, I});
    Op(BuiltinOperator::RESHAPE, {Get(n.In(0), false), ConstI({2}, I32({seq * batch, I}), p + "x2d_shape")}, {x2},
       MakeOptions(ro));
    const int xp = tmp({seq * batch, 3 * H}, "xproj");
    fc(x2, ConstF({3 * H, I}, W.f, p + "W"), ConstF({3 * H}, xb, p + "Wb"), xp);
    // Recurrent weights: z and r parts [2H, H] together; h part alone.
    std::vector<float> rzr(R.f.begin(), R.f.begin() + 2 * H * H), rh(R.f.begin() + 2 * H * H, R.f.end());
    const int rzr_t = ConstF({2 * H, H}, rzr, p + "Rzr");
    const int rh_t = ConstF({H, H}, rh, p + "Rh");
    const int rbh_t = ConstF({H}, std::vector<float>(B.begin() + 5 * H, B.end()), p + "Rbh");
    const int split_sizes = ConstI({3}, {static_cast<int32_t>(H), static_cast<int32_t>(H), static_cast<int32_t>(H)}, p + "sizes");
    const int split_axis = ConstI({}, {1}, p + "axis1");
    int h = ConstF({batch, H}, h0, p + "h0");
    std::vector<int32_t> steps;
    for (int64_t t = 0; t < seq; ++t) {
      const std::string ts = "t" + std::to_string(t) + "_";
      const int xt = tmp({batch, 3 * H}, ts + "x");
      Op(BuiltinOperator::STRIDED_SLICE,
         {xp, ConstI({2}, {static_cast<int32_t>(t * batch), 0}, p + ts + "begin"),
          ConstI({2}, {static_cast<int32_t>((t + 1) * batch), static_cast<int32_t>(3 * H)}, p + ts + "end"),
          ConstI({2}, {1, 1}, p + ts + "strides")},
         {xt}, MakeOptions(fb::StridedSliceOptionsT{}));
      const int xz = tmp({batch, H}, ts + "xz"), xr = tmp({batch, H}, ts + "xr"), xh = tmp({batch, H}, ts + "xh");
      fb::SplitVOptionsT so;
      so.num_splits = 3;
      Op(BuiltinOperator::SPLIT_V, {xt, split_sizes, split_axis}, {xz, xr, xh}, MakeOptions(so));
      const int hzr = tmp({batch, 2 * H}, ts + "hzr");
      fc(h, rzr_t, -1, hzr);
      const int hz = tmp({batch, H}, ts + "hz"), hr = tmp({batch, H}, ts + "hr");
      fb::SplitVOptionsT so2;
      so2.num_splits = 2;
      Op(BuiltinOperator::SPLIT_V, {hzr, ConstI({2}, {static_cast<int32_t>(H), static_cast<int32_t>(H)}, p + ts + "sizes2"), split_axis},
         {hz, hr}, MakeOptions(so2));
      const int zs = tmp({batch, H}, ts + "zsum"), z = tmp({batch, H}, ts + "z");
      bin(BuiltinOperator::ADD, xz, hz, zs);
      Op(BuiltinOperator::LOGISTIC, {zs}, {z});
      const int rs = tmp({batch, H}, ts + "rsum"), r = tmp({batch, H}, ts + "r");
      bin(BuiltinOperator::ADD, xr, hr, rs);
      Op(BuiltinOperator::LOGISTIC, {rs}, {r});
      const int pre = tmp({batch, H}, ts + "npre");
      if (lbr) {  // tanh(xh + r * (h Rh^T + Rbh))
        const int hh = tmp({batch, H}, ts + "hh"), rhh = tmp({batch, H}, ts + "rhh");
        fc(h, rh_t, rbh_t, hh);
        bin(BuiltinOperator::MUL, r, hh, rhh);
        bin(BuiltinOperator::ADD, xh, rhh, pre);
      } else {  // tanh(xh + (r * h) Rh^T)   (Rbh is in xh)
        const int rh_ = tmp({batch, H}, ts + "rh"), hh = tmp({batch, H}, ts + "hh");
        bin(BuiltinOperator::MUL, r, h, rh_);
        fc(rh_, rh_t, -1, hh);
        bin(BuiltinOperator::ADD, xh, hh, pre);
      }
      const int nn = tmp({batch, H}, ts + "n");
      Op(BuiltinOperator::TANH, {pre}, {nn});
      // h' = n + z * (h - n)
      const int d = tmp({batch, H}, ts + "hmn"), zd = tmp({batch, H}, ts + "zd"), hn = tmp({batch, H}, ts + "h");
      bin(BuiltinOperator::SUB, h, nn, d);
      bin(BuiltinOperator::MUL, z, d, zd);
      bin(BuiltinOperator::ADD, nn, zd, hn);
      h = hn;
      steps.push_back(hn);
    }
    auto used = [&](size_t k) {
      return k < n.outputs.size() && !n.outputs[k].empty() &&
             g_.Consumers(n.outputs[k]) + g_.IsGraphOutput(n.outputs[k]) > 0;
    };
    if (used(0)) {  // Y [seq, 1, batch, H]: stack the steps
      fb::PackOptionsT po;
      po.values_count = static_cast<int>(seq);
      po.axis = 0;
      const int packed = tmp({seq, batch, H}, "y3d");
      Op(BuiltinOperator::PACK, steps, {packed}, MakeOptions(po));
      const Value& y = g_.At(n.outputs[0]);
      fb::ReshapeOptionsT o;
      o.new_shape = I32(y.shape);
      Op(BuiltinOperator::RESHAPE, {packed, ConstI({4}, I32(y.shape), p + "yshape")}, {NewOut(n.outputs[0], false)},
         MakeOptions(o));
    }
    if (used(1)) {
      const Value& yh = g_.At(n.outputs[1]);
      fb::ReshapeOptionsT o;
      o.new_shape = I32(yh.shape);
      Op(BuiltinOperator::RESHAPE, {h, ConstI({3}, I32(yh.shape), p + "yhshape")}, {NewOut(n.outputs[1], false)},
         MakeOptions(o));
    }
  }

  Graph& g_;
  const ConvertOptions& opts_;
  ConvertStats* stats_;
  ModelBuilder b_;
  std::map<std::string, Stored> stored_;
  std::map<std::string, std::vector<int64_t>> column_perm_;  // see LowerFlattenIntoFc
};

}  // namespace

// Op types the converter knows (lowered or folded); anything else is named
// in the unsupported-ops error before any other work.
const std::set<std::string>& MappedOnnxOps() {
  static const std::set<std::string> k = {
      "Conv", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Gemm", "MatMul",
      "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Equal", "Less", "Greater",
      "LessOrEqual", "GreaterOrEqual", "And", "Or", "Where", "Not", "Identity", "Dropout",
      "BatchNormalization", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose", "Concat",
      "Split", "Slice", "Gather", "Pad", "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin",
      "ReduceProd", "ArgMax", "ArgMin", "Softmax", "LogSoftmax", "Clip", "HardSigmoid", "HardSwish",
      "PRelu", "Cast", "Tile", "Expand", "LSTM", "GRU", "Relu", "Sigmoid", "Tanh", "Exp", "Log", "Sqrt",
      "Abs", "Neg", "Floor", "Ceil", "Sin", "Cos", "Round", "Sign", "LeakyRelu", "Elu",
      "Reciprocal", "Gelu", "Constant", "Shape", "Size", "ConstantOfShape", "Range"};
  return k;
}

namespace {

std::string WhyUnknown(const std::string& op) {
  if (op == "RNN") return "no TFLite builtin runs ONNX RNN cells (LSTM and GRU are mapped)";
  if (op == "Resize" || op == "Upsample") return "resizing is not mapped yet";
  if (op == "ConvTranspose") return "transposed convolution is not mapped yet";
  if (op.find('.') != std::string::npos) return "custom-domain op";
  return "no mapping to a TFLite builtin";
}

}  // namespace

ConvertResult ConvertOnnxBytes(const std::string& onnx_bytes, const ConvertOptions& options) {
  auto say = [&](const std::string& s) {
    if (options.progress) options.progress(s);
  };
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  ConvertResult res;
  Graph g = ImportOnnx(onnx_bytes, options.input_shapes);
  res.stats.onnx_nodes = static_cast<int>(g.nodes.size());
  {
    std::ostringstream s;
    s << "loaded ONNX graph: " << g.nodes.size() << " nodes, opset " << g.opset << ", inputs";
    for (const auto& in : g.inputs) s << " " << in << ShapeStr(g.At(in).shape);
    say(s.str());
  }
  std::vector<std::string> problems;
  // Unknown op types first; their outputs are left untyped so that inference
  // still visits (and reports) the rest of the graph in the same error.
  for (Node& n : g.nodes) {
    if (MappedOnnxOps().count(n.op)) continue;
    problems.push_back(n.Describe() + ": " + WhyUnknown(n.op));
    n.removed = true;
    for (const auto& o : n.outputs)
      if (!o.empty()) g.At(o).shape_known = false;
  }
  {
    std::vector<std::string> more;
    InferAndFold(&g, &more);
    problems.insert(problems.end(), more.begin(), more.end());
  }
  auto fail = [&](const std::vector<std::string>& p) {
    std::ostringstream s;
    s << p.size() << " node(s) cannot be converted:";
    for (const auto& x : p) s << "\n  " << x;
    throw ConvertError(s.str());
  };
  if (!problems.empty()) fail(problems);
  int folded = 0;
  for (const Node& n : g.nodes) folded += n.removed;
  res.stats.folded_nodes = folded;
  say("shape inference + constant folding: " + std::to_string(folded) + " nodes folded");
  res.stats.fused_nodes = FuseGraph(&g);
  say("fused " + std::to_string(res.stats.fused_nodes) + " nodes (BatchNormalization, bias Add, HardSwish)");
  Lowerer low(g, options, &res.stats);
  res.tflite = low.Run(&problems);
  if (!problems.empty()) fail(problems);
  {
    std::ostringstream s;
    s << "wrote " << res.stats.tflite_ops << " TFLite ops (" << res.stats.runtime_transposes
      << " layout TRANSPOSEs):";
    for (const auto& kv : res.stats.op_counts) s << " " << kv.first << "x" << kv.second;
    say(s.str());
  }
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  std::ostringstream s;
  s << "converted in " << static_cast<int>(ms) << " ms, " << res.tflite.size() << " bytes";
  say(s.str());
  return res;
}

ConvertResult ConvertOnnxFile(const std::string& path, const ConvertOptions& options) {
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  if (!f) throw ConvertError("cannot open '" + path + "'");
  const std::streamsize size = f.tellg();
  if (size < 0) throw ConvertError("cannot read '" + path + "'");
  std::string bytes(static_cast<size_t>(size), '\0');
  f.seekg(0);
  if (!f.read(&bytes[0], size)) throw ConvertError("cannot read '" + path + "'");
  return ConvertOnnxBytes(bytes, options);
}

void ParseInputShape(const std::string& spec, ConvertOptions* options) {
  const auto eq = spec.rfind('=');
  if (eq == std::string::npos || eq == 0)
    throw ConvertError("--input-shape wants NAME=d0,d1,...; got '" + spec + "'");
  std::vector<int64_t> dims;
  std::stringstream ss(spec.substr(eq + 1));
  std::string tok;
  while (std::getline(ss, tok, ',')) {
    try {
      size_t used = 0;
      const long long d = std::stoll(tok, &used);
      if (used != tok.size() || d <= 0) throw std::invalid_argument("dim");
      dims.push_back(d);
    } catch (const std::exception&) {
      throw ConvertError("--input-shape: bad dimension '" + tok + "' in '" + spec + "'");
    }
  }
  if (dims.empty()) throw ConvertError("--input-shape: no dimensions in '" + spec + "'");
  options->input_shapes[spec.substr(0, eq)] = dims;
}

}  // namespace converter
}  // namespace edgelite
