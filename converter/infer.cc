// Shape inference and constant folding (see InferAndFold in converter/ir.h).
//
// One sweep in node order (ONNX graphs are topologically sorted): each node
// gets its outputs typed and shaped; if all its inputs are constants (or it is
// a shape-only op whose input shape is known) and the op is one we can
// evaluate, its outputs become constants and the node is removed. This is what
// turns PyTorch's Shape->Gather->Unsqueeze->Concat->Reshape chains into plain
// static reshapes.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <set>

#include "converter/ir.h"

namespace edgelite {
namespace converter {

namespace {

int64_t Prod(const std::vector<int64_t>& s, size_t from = 0, size_t to = SIZE_MAX) {
  int64_t n = 1;
  for (size_t k = from; k < s.size() && k < to; ++k) n *= s[k];
  return n;
}

std::vector<int64_t> Strides(const std::vector<int64_t>& s) {
  std::vector<int64_t> st(s.size(), 1);
  for (int k = static_cast<int>(s.size()) - 2; k >= 0; --k) st[k] = st[k + 1] * s[k + 1];
  return st;
}

int64_t NormAxis(int64_t a, int64_t rank, const Node& n) {
  if (a < 0) a += rank;
  if (a < 0 || a >= std::max<int64_t>(rank, 1))
    throw ConvertError(n.Describe() + ": axis out of range for rank " + std::to_string(rank));
  return a;
}

// Visits every multi-index of `shape` in row-major order.
void ForEachIndex(const std::vector<int64_t>& shape,
                  const std::function<void(const std::vector<int64_t>&)>& fn) {
  const int64_t n = Prod(shape);
  std::vector<int64_t> idx(shape.size(), 0);
  for (int64_t e = 0; e < n; ++e) {
    fn(idx);
    for (int k = static_cast<int>(shape.size()) - 1; k >= 0; --k) {
      if (++idx[k] < shape[k]) break;
      idx[k] = 0;
    }
  }
}

// Offset of `idx` (of the broadcast output) in a tensor of shape `s`, right-aligned.
int64_t BroadcastOffset(const std::vector<int64_t>& idx, const std::vector<int64_t>& s,
                        const std::vector<int64_t>& st) {
  int64_t off = 0;
  const size_t lead = idx.size() - s.size();
  for (size_t k = 0; k < s.size(); ++k) off += (s[k] == 1 ? 0 : idx[lead + k]) * st[k];
  return off;
}

bool NeedsFloat(const Value& v) { return IsFloatType(v.dtype); }

double Get(const Value& v, int64_t k) { return NeedsFloat(v) ? v.f[k] : static_cast<double>(v.i[k]); }

void SetConst(Value* out, int dtype, const std::vector<int64_t>& shape) {
  out->dtype = dtype;
  out->shape = shape;
  out->shape_known = true;
  out->is_const = true;
  out->f.clear();
  out->i.clear();
  if (IsFloatType(dtype)) out->f.resize(Prod(shape));
  else out->i.resize(Prod(shape));
}

void Put(Value* v, int64_t k, double x) {
  if (IsFloatType(v->dtype)) v->f[k] = static_cast<float>(x);
  else v->i[k] = static_cast<int64_t>(x);
}

// Copies element `from` of `src` to element `to` of `dst` without a double
// round trip (int64 values such as INT64_MAX in Slice ends must survive).
void CopyElem(const Value& src, int64_t from, Value* dst, int64_t to) {
  if (IsFloatType(dst->dtype)) dst->f[to] = IsFloatType(src.dtype) ? src.f[from] : static_cast<float>(src.i[from]);
  else dst->i[to] = IsFloatType(src.dtype) ? static_cast<int64_t>(src.f[from]) : src.i[from];
}

std::vector<int64_t> ConstInts(const Graph& g, const std::string& name, const Node& n) {
  const Value* v = g.Find(name);
  if (!v || !v->is_const) throw ConvertError(n.Describe() + ": input '" + name + "' must be a constant");
  if (IsFloatType(v->dtype)) {
    std::vector<int64_t> r;
    for (float x : v->f) r.push_back(static_cast<int64_t>(x));
    return r;
  }
  return v->i;
}

bool AllConst(const Graph& g, const Node& n) {
  for (const auto& in : n.inputs)
    if (!in.empty() && !g.IsConst(in)) return false;
  return true;
}

// Axes of Squeeze/Unsqueeze/Reduce*: an attribute before the opset that made
// them an input (13 for Squeeze/Unsqueeze/ReduceSum, 18 for the other reductions).
std::vector<int64_t> AxesOf(const Graph& g, const Node& n, int input_index, bool* given) {
  *given = false;
  if (n.Has("axes")) {
    *given = true;
    return n.Ints("axes");
  }
  if (!n.In(input_index).empty()) {
    auto axes = ConstInts(g, n.In(input_index), n);
    *given = !axes.empty();  // an empty axes tensor means "not given"
    return axes;
  }
  return {};
}

std::vector<int64_t> PoolOut(const Node& n, const std::vector<int64_t>& in, const std::vector<int64_t>& kernel,
                             bool ceil_mode) {
  const size_t sp = in.size() - 2;
  std::vector<int64_t> strides = n.Ints("strides", std::vector<int64_t>(sp, 1));
  std::vector<int64_t> dil = n.Ints("dilations", std::vector<int64_t>(sp, 1));
  std::vector<int64_t> pads = n.Ints("pads", std::vector<int64_t>(2 * sp, 0));
  const std::string ap = n.Str("auto_pad", "NOTSET");
  std::vector<int64_t> out = {in[0], 0};
  for (size_t k = 0; k < sp; ++k) {
    const int64_t x = in[2 + k];
    const int64_t eff = dil[k] * (kernel[k] - 1) + 1;
    int64_t o;
    if (ap == "SAME_UPPER" || ap == "SAME_LOWER") o = (x + strides[k] - 1) / strides[k];
    else if (ap == "VALID") o = (x - eff) / strides[k] + 1;
    else {
      const int64_t num = x + pads[k] + pads[k + sp] - eff;
      o = (ceil_mode ? (num + strides[k] - 1) / strides[k] : num / strides[k]) + 1;
      // ceil mode never starts a window inside the end padding
      if (ceil_mode && (o - 1) * strides[k] >= x + pads[k]) --o;
    }
    if (o <= 0) throw ConvertError(n.Describe() + ": empty output for input " + ShapeStr(in));
    out.push_back(o);
  }
  return out;
}

double UnaryFn(const std::string& op, double x, const Node& n) {
  if (op == "Neg") return -x;
  if (op == "Abs") return std::fabs(x);
  if (op == "Sqrt") return std::sqrt(x);
  if (op == "Exp") return std::exp(x);
  if (op == "Log") return std::log(x);
  if (op == "Floor") return std::floor(x);
  if (op == "Ceil") return std::ceil(x);
  if (op == "Reciprocal") return 1.0 / x;
  if (op == "Relu") return x > 0 ? x : 0;
  if (op == "Sigmoid") return 1.0 / (1.0 + std::exp(-x));
  if (op == "Tanh") return std::tanh(x);
  if (op == "Not") return x == 0 ? 1 : 0;
  if (op == "Identity" || op == "Dropout") return x;
  throw ConvertError("internal: no folding for " + op);
}

double BinaryFn(const std::string& op, double a, double b, bool integer) {
  if (op == "Add") return a + b;
  if (op == "Sub") return a - b;
  if (op == "Mul") return a * b;
  if (op == "Div") {
    if (!integer) return a / b;
    if (b == 0) throw ConvertError("integer division by zero while folding constants");
    return std::trunc(a / b);
  }
  if (op == "Pow") return std::pow(a, b);
  if (op == "Max") return std::max(a, b);
  if (op == "Min") return std::min(a, b);
  if (op == "Equal") return a == b;
  if (op == "Less") return a < b;
  if (op == "Greater") return a > b;
  if (op == "And") return (a != 0) && (b != 0);
  if (op == "Or") return (a != 0) || (b != 0);
  if (op == "Mod") return std::fmod(a, b);
  throw ConvertError("internal: no folding for " + op);
}

const std::set<std::string> kUnary = {"Relu",   "Sigmoid",     "Tanh",     "Exp",       "Log",
                                      "Sqrt",   "Abs",         "Neg",      "Floor",     "Ceil",
                                      "Sin",    "Cos",         "Reciprocal", "HardSigmoid",
                                      "HardSwish", "LeakyRelu", "Elu",     "Softmax",   "LogSoftmax",
                                      "Identity", "Dropout",   "Clip",     "Erf",       "Not",
                                      "Round",  "Sign",        "Softplus", "Selu",      "Celu",
                                      "Mish",   "BatchNormalization", "PRelu", "InstanceNormalization",
                                      "LRN",    "Gelu"};
const std::set<std::string> kFoldUnary = {"Neg",  "Abs",   "Sqrt", "Exp",        "Log",
                                          "Floor", "Ceil", "Reciprocal", "Relu", "Sigmoid",
                                          "Tanh", "Not",   "Identity", "Dropout"};
const std::set<std::string> kBinary = {"Add", "Sub", "Mul", "Div", "Pow", "Max", "Min",
                                       "Equal", "Less", "Greater", "And", "Or", "Mod",
                                       "LessOrEqual", "GreaterOrEqual", "Sum", "Mean"};

void Infer(Graph& g, Node& n) {
  auto in = [&](size_t k) -> Value& { return g.At(n.In(k)); };
  auto out = [&](size_t k) -> Value& { return g.At(n.outputs[k]); };
  auto set_out = [&](size_t k, int dtype, const std::vector<int64_t>& shape) {
    Value& o = out(k);
    o.dtype = dtype;
    o.shape = shape;
    o.shape_known = true;
  };
  for (const auto& name : n.inputs) {
    if (name.empty()) continue;
    const Value* v = g.Find(name);
    if (!v) throw ConvertError(n.Describe() + ": input '" + name + "' is not produced by any node");
    if (!v->shape_known) throw ConvertError(n.Describe() + ": input '" + name + "' has no inferred shape");
  }
  const std::string& op = n.op;
  const bool all_const = AllConst(g, n);

  if (op == "Constant") {
    Value& o = out(0);
    if (n.Has("value")) {
      DecodeTensorProto(n.attrs.at("value").t(), &o);
    } else if (n.Has("value_float")) {
      SetConst(&o, kOnnxFloat, {});
      o.f[0] = n.Float("value_float", 0);
    } else if (n.Has("value_floats")) {
      auto f = n.Floats("value_floats");
      SetConst(&o, kOnnxFloat, {static_cast<int64_t>(f.size())});
      o.f = f;
    } else if (n.Has("value_int")) {
      SetConst(&o, kOnnxInt64, {});
      o.i[0] = n.Int("value_int", 0);
    } else if (n.Has("value_ints")) {
      auto v = n.Ints("value_ints");
      SetConst(&o, kOnnxInt64, {static_cast<int64_t>(v.size())});
      o.i = v;
    } else {
      throw ConvertError(n.Describe() + ": unsupported Constant attribute (sparse or string)");
    }
    n.removed = true;
    return;
  }
  if (op == "Shape") {
    const Value& x = in(0);
    int64_t r = x.rank();
    int64_t start = n.Int("start", 0), end = n.Int("end", r);
    if (start < 0) start += r;
    if (end < 0) end += r;
    start = std::clamp<int64_t>(start, 0, r);
    end = std::clamp<int64_t>(end, start, r);
    Value& o = out(0);
    SetConst(&o, kOnnxInt64, {end - start});
    for (int64_t k = start; k < end; ++k) o.i[k - start] = x.shape[k];
    n.removed = true;
    return;
  }
  if (op == "Size") {
    Value& o = out(0);
    SetConst(&o, kOnnxInt64, {});
    o.i[0] = in(0).NumElements();
    n.removed = true;
    return;
  }
  if (op == "ConstantOfShape") {
    auto shape = ConstInts(g, n.In(0), n);
    Value fill;
    if (n.Has("value")) DecodeTensorProto(n.attrs.at("value").t(), &fill);
    else { SetConst(&fill, kOnnxFloat, {1}); fill.f[0] = 0; }
    Value& o = out(0);
    SetConst(&o, fill.dtype, shape);
    for (int64_t k = 0; k < o.NumElements(); ++k) CopyElem(fill, 0, &o, k);
    n.removed = true;
    return;
  }
  if (op == "Range") {
    if (!all_const) throw ConvertError(n.Describe() + ": non-constant Range is not supported");
    const double s = Get(in(0), 0), l = Get(in(1), 0), d = Get(in(2), 0);
    const int64_t cnt = std::max<int64_t>(0, static_cast<int64_t>(std::ceil((l - s) / d)));
    Value& o = out(0);
    SetConst(&o, in(0).dtype, {cnt});
    for (int64_t k = 0; k < cnt; ++k) Put(&o, k, s + k * d);
    n.removed = true;
    return;
  }

  if (kUnary.count(op)) {
    const Value& x = in(0);
    int dt = x.dtype;
    if (op == "Not") dt = kOnnxBool;
    set_out(0, dt, x.shape);
    if (op == "Dropout" && n.outputs.size() > 1 && !n.outputs[1].empty())
      set_out(1, kOnnxBool, x.shape);
    if (all_const && kFoldUnary.count(op)) {
      Value& o = out(0);
      SetConst(&o, dt, x.shape);
      for (int64_t k = 0; k < x.NumElements(); ++k) {
        if (op == "Identity" || op == "Dropout") CopyElem(x, k, &o, k);
        else Put(&o, k, UnaryFn(op, Get(x, k), n));
      }
      n.removed = true;
    }
    return;
  }
  if (op == "Cast") {
    const Value& x = in(0);
    int to = static_cast<int>(n.Int("to", kOnnxFloat));
    if (to == kOnnxDouble) to = kOnnxFloat;
    set_out(0, to, x.shape);
    if (x.is_const) {
      Value& o = out(0);
      SetConst(&o, to, x.shape);
      for (int64_t k = 0; k < x.NumElements(); ++k) {
        if (to == kOnnxBool) Put(&o, k, Get(x, k) != 0);
        else CopyElem(x, k, &o, k);
      }
      n.removed = true;
    }
    return;
  }
  if (kBinary.count(op) || op == "Where") {
    std::vector<int64_t> shape = in(0).shape;
    for (size_t k = 1; k < n.inputs.size(); ++k) shape = BroadcastShapes(shape, in(k).shape);
    int dt = (op == "Where") ? in(1).dtype : in(0).dtype;
    if (op == "Equal" || op == "Less" || op == "Greater" || op == "And" || op == "Or" ||
        op == "LessOrEqual" || op == "GreaterOrEqual")
      dt = kOnnxBool;
    set_out(0, dt, shape);
    if (!all_const || op == "LessOrEqual" || op == "GreaterOrEqual" || op == "Sum" || op == "Mean")
      return;
    Value& o = out(0);
    SetConst(&o, dt, shape);
    std::vector<std::vector<int64_t>> st;
    for (size_t k = 0; k < n.inputs.size(); ++k) st.push_back(Strides(in(k).shape));
    int64_t e = 0;
    const bool integer = !IsFloatType(in(op == "Where" ? 1 : 0).dtype);
    ForEachIndex(shape, [&](const std::vector<int64_t>& idx) {
      if (op == "Where") {
        const bool c = Get(in(0), BroadcastOffset(idx, in(0).shape, st[0])) != 0;
        const int src = c ? 1 : 2;
        CopyElem(in(src), BroadcastOffset(idx, in(src).shape, st[src]), &o, e++);
        return;
      }
      if (integer && (op == "Add" || op == "Sub" || op == "Mul")) {
        // exact int64 arithmetic (shape computations)
        const int64_t a = in(0).i[BroadcastOffset(idx, in(0).shape, st[0])];
        const int64_t b = in(1).i[BroadcastOffset(idx, in(1).shape, st[1])];
        o.i[e++] = op == "Add" ? a + b : op == "Sub" ? a - b : a * b;
        return;
      }
      double acc = Get(in(0), BroadcastOffset(idx, in(0).shape, st[0]));
      for (size_t k = 1; k < n.inputs.size(); ++k)
        acc = BinaryFn(op, acc, Get(in(k), BroadcastOffset(idx, in(k).shape, st[k])), integer);
      Put(&o, e++, acc);
    });
    n.removed = true;
    return;
  }
  if (op == "Conv") {
    const Value& x = in(0);
    const Value& w = in(1);
    if (x.rank() != 4 && x.rank() != 3)
      throw ConvertError(n.Describe() + ": only 1D and 2D convolutions are supported (input " +
                         ShapeStr(x.shape) + ")");
    std::vector<int64_t> k(w.shape.begin() + 2, w.shape.end());
    auto s = PoolOut(n, x.shape, k, false);
    s[1] = w.shape[0];
    set_out(0, x.dtype, s);
    return;
  }
  if (op == "ConvTranspose") {
    throw ConvertError(n.Describe() + ": ConvTranspose is not supported yet");
  }
  if (op == "MaxPool" || op == "AveragePool" || op == "LpPool") {
    const Value& x = in(0);
    auto s = PoolOut(n, x.shape, n.Ints("kernel_shape"), n.Int("ceil_mode", 0) != 0);
    s[1] = x.shape[1];
    set_out(0, x.dtype, s);
    if (n.outputs.size() > 1 && !n.outputs[1].empty()) set_out(1, kOnnxInt64, s);
    return;
  }
  if (op == "GlobalAveragePool" || op == "GlobalMaxPool") {
    std::vector<int64_t> s = in(0).shape;
    for (size_t k = 2; k < s.size(); ++k) s[k] = 1;
    set_out(0, in(0).dtype, s);
    return;
  }
  if (op == "Gemm") {
    const auto& a = in(0).shape;
    const auto& b = in(1).shape;
    if (a.size() != 2 || b.size() != 2) throw ConvertError(n.Describe() + ": Gemm needs 2D inputs");
    const int64_t m = n.Int("transA", 0) ? a[1] : a[0];
    const int64_t nn = n.Int("transB", 0) ? b[0] : b[1];
    set_out(0, in(0).dtype, {m, nn});
    return;
  }
  if (op == "MatMul") {
    auto a = in(0).shape, b = in(1).shape;
    if (a.empty() || b.empty()) throw ConvertError(n.Describe() + ": MatMul of a scalar");
    const bool a1 = a.size() == 1, b1 = b.size() == 1;
    if (a1) a.insert(a.begin(), 1);
    if (b1) b.push_back(1);
    std::vector<int64_t> ba(a.begin(), a.end() - 2), bb(b.begin(), b.end() - 2);
    auto s = BroadcastShapes(ba, bb);
    if (!a1) s.push_back(a[a.size() - 2]);
    if (!b1) s.push_back(b.back());
    set_out(0, in(0).dtype, s);
    if (all_const) {
      // rare (constant subgraphs), but cheap to support for 2D
      if (a.size() == 2 && b.size() == 2 && !a1 && !b1) {
        Value& o = out(0);
        SetConst(&o, in(0).dtype, s);
        for (int64_t r = 0; r < a[0]; ++r)
          for (int64_t c = 0; c < b[1]; ++c) {
            double acc = 0;
            for (int64_t t = 0; t < a[1]; ++t) acc += Get(in(0), r * a[1] + t) * Get(in(1), t * b[1] + c);
            Put(&o, r * b[1] + c, acc);
          }
        n.removed = true;
      }
    }
    return;
  }
  if (op == "Reshape" || op == "Flatten" || op == "Squeeze" || op == "Unsqueeze") {
    const Value& x = in(0);
    std::vector<int64_t> s;
    if (op == "Reshape") {
      auto spec = ConstInts(g, n.In(1), n);
      const bool allowzero = n.Int("allowzero", 0) != 0;
      int64_t known = 1, infer = -1;
      for (size_t k = 0; k < spec.size(); ++k) {
        int64_t d = spec[k];
        if (d == 0 && !allowzero) d = k < x.shape.size() ? x.shape[k] : 0;
        if (d == -1) {
          infer = static_cast<int64_t>(k);
          s.push_back(1);
          continue;
        }
        s.push_back(d);
        known *= d;
      }
      if (infer >= 0) {
        if (known == 0 || x.NumElements() % known != 0)
          throw ConvertError(n.Describe() + ": cannot reshape " + ShapeStr(x.shape));
        s[infer] = x.NumElements() / known;
      }
    } else if (op == "Flatten") {
      int64_t axis = n.Int("axis", 1);
      if (axis < 0) axis += x.rank();  // [-r, r]
      if (axis < 0 || axis > x.rank()) throw ConvertError(n.Describe() + ": axis out of range");
      s = {Prod(x.shape, 0, axis), Prod(x.shape, axis)};
    } else if (op == "Squeeze") {
      bool given;
      auto axes = AxesOf(g, n, 1, &given);
      std::set<int64_t> drop;
      for (auto a : axes) drop.insert(NormAxis(a, x.rank(), n));
      for (int64_t k = 0; k < x.rank(); ++k) {
        const bool d = given ? drop.count(k) != 0 : x.shape[k] == 1;
        if (!d) s.push_back(x.shape[k]);
      }
    } else {
      bool given;
      auto axes = AxesOf(g, n, 1, &given);
      const int64_t r = x.rank() + static_cast<int64_t>(axes.size());
      std::set<int64_t> add;
      for (auto a : axes) add.insert(NormAxis(a, r, n));
      size_t src = 0;
      for (int64_t k = 0; k < r; ++k) s.push_back(add.count(k) ? 1 : x.shape[src++]);
    }
    if (Prod(s) != x.NumElements())
      throw ConvertError(n.Describe() + ": reshape of " + ShapeStr(x.shape) + " to " + ShapeStr(s) +
                         " changes the element count");
    set_out(0, x.dtype, s);
    if (x.is_const) {
      Value& o = out(0);
      SetConst(&o, x.dtype, s);
      o.f = x.f;
      o.i = x.i;
      n.removed = true;
    }
    return;
  }
  if (op == "Transpose") {
    const Value& x = in(0);
    std::vector<int64_t> perm = n.Ints("perm");
    if (perm.empty())
      for (int64_t k = x.rank() - 1; k >= 0; --k) perm.push_back(k);
    std::vector<int64_t> s;
    for (auto p : perm) s.push_back(x.shape.at(NormAxis(p, x.rank(), n)));
    set_out(0, x.dtype, s);
    if (x.is_const) {
      Value& o = out(0);
      SetConst(&o, x.dtype, s);
      auto st = Strides(x.shape);
      int64_t e = 0;
      ForEachIndex(s, [&](const std::vector<int64_t>& idx) {
        int64_t off = 0;
        for (size_t k = 0; k < perm.size(); ++k) off += idx[k] * st[perm[k]];
        CopyElem(x, off, &o, e++);
      });
      n.removed = true;
    }
    return;
  }
  if (op == "Concat") {
    const Value& x0 = in(0);
    const int64_t axis = NormAxis(n.Int("axis", 0), x0.rank(), n);
    std::vector<int64_t> s = x0.shape;
    s[axis] = 0;
    for (size_t k = 0; k < n.inputs.size(); ++k) s[axis] += in(k).shape.at(axis);
    set_out(0, x0.dtype, s);
    if (all_const) {
      Value& o = out(0);
      SetConst(&o, x0.dtype, s);
      const int64_t outer = Prod(s, 0, axis), inner = Prod(s, axis + 1);
      int64_t e = 0;
      for (int64_t a = 0; a < outer; ++a)
        for (size_t k = 0; k < n.inputs.size(); ++k) {
          const int64_t chunk = in(k).shape[axis] * inner;
          for (int64_t t = 0; t < chunk; ++t) CopyElem(in(k), a * chunk + t, &o, e++);
        }
      n.removed = true;
    }
    return;
  }
  if (op == "Split") {
    const Value& x = in(0);
    const int64_t axis = NormAxis(n.Int("axis", 0), x.rank(), n);
    std::vector<int64_t> sizes = n.Ints("split");
    if (sizes.empty() && !n.In(1).empty()) sizes = ConstInts(g, n.In(1), n);
    const int64_t parts = static_cast<int64_t>(n.outputs.size());
    if (sizes.empty()) {
      const int64_t each = (x.shape[axis] + parts - 1) / parts;
      for (int64_t k = 0; k < parts; ++k)
        sizes.push_back(std::min(each, x.shape[axis] - each * k));
    }
    for (int64_t k = 0; k < parts; ++k) {
      if (sizes.at(k) <= 0) throw ConvertError(n.Describe() + ": zero-size split outputs are not supported");
      auto s = x.shape;
      s[axis] = sizes.at(k);
      set_out(k, x.dtype, s);
    }
    return;
  }
  if (op == "Slice") {
    const Value& x = in(0);
    std::vector<int64_t> starts, ends, axes, steps;
    if (g.opset < 10) {
      starts = n.Ints("starts");
      ends = n.Ints("ends");
      axes = n.Ints("axes");
    } else {
      starts = ConstInts(g, n.In(1), n);
      ends = ConstInts(g, n.In(2), n);
      if (!n.In(3).empty()) axes = ConstInts(g, n.In(3), n);
      if (!n.In(4).empty()) steps = ConstInts(g, n.In(4), n);
    }
    if (axes.empty())
      for (size_t k = 0; k < starts.size(); ++k) axes.push_back(static_cast<int64_t>(k));
    if (steps.empty()) steps.assign(starts.size(), 1);
    // Normalized per-dimension begin/step/count, kept for lowering.
    std::vector<int64_t> b(x.rank(), 0), st(x.rank(), 1), cnt = x.shape;
    for (size_t k = 0; k < axes.size(); ++k) {
      const int64_t a = NormAxis(axes[k], x.rank(), n);
      const int64_t dim = x.shape[a];
      const int64_t step = steps[k];
      if (step == 0) throw ConvertError(n.Describe() + ": step 0");
      int64_t s0 = starts[k], e0 = ends[k];
      if (s0 < 0) s0 += dim;
      if (e0 < 0) e0 += dim;
      if (step > 0) {
        s0 = std::clamp<int64_t>(s0, 0, dim);
        e0 = std::clamp<int64_t>(e0, 0, dim);
        cnt[a] = std::max<int64_t>(0, (e0 - s0 + step - 1) / step);
      } else {
        s0 = std::clamp<int64_t>(s0, 0, dim - 1);
        e0 = std::clamp<int64_t>(e0, -1, dim - 1);
        cnt[a] = std::max<int64_t>(0, (s0 - e0 + (-step) - 1) / (-step));
      }
      b[a] = s0;
      st[a] = step;
    }
    set_out(0, x.dtype, cnt);
    // Stash the normalized form for lowering as attributes.
    onnx::AttributeProto ab, as;
    for (auto v : b) ab.add_ints(v);
    for (auto v : st) as.add_ints(v);
    n.attrs["__begin"] = ab;
    n.attrs["__step"] = as;
    if (x.is_const) {
      Value& o = out(0);
      SetConst(&o, x.dtype, cnt);
      auto xs = Strides(x.shape);
      int64_t e = 0;
      ForEachIndex(cnt, [&](const std::vector<int64_t>& idx) {
        int64_t off = 0;
        for (size_t k = 0; k < idx.size(); ++k) off += (b[k] + idx[k] * st[k]) * xs[k];
        CopyElem(x, off, &o, e++);
      });
      n.removed = true;
    }
    return;
  }
  if (op == "Gather") {
    const Value& x = in(0);
    const Value& ind = in(1);
    const int64_t axis = NormAxis(n.Int("axis", 0), x.rank(), n);
    std::vector<int64_t> s(x.shape.begin(), x.shape.begin() + axis);
    s.insert(s.end(), ind.shape.begin(), ind.shape.end());
    s.insert(s.end(), x.shape.begin() + axis + 1, x.shape.end());
    set_out(0, x.dtype, s);
    if (x.is_const && ind.is_const) {
      Value& o = out(0);
      SetConst(&o, x.dtype, s);
      const int64_t outer = Prod(x.shape, 0, axis), inner = Prod(x.shape, axis + 1);
      const int64_t dim = x.shape[axis];
      int64_t e = 0;
      for (int64_t a = 0; a < outer; ++a)
        for (int64_t j = 0; j < ind.NumElements(); ++j) {
          int64_t id = ind.i[j];
          if (id < 0) id += dim;
          if (id < 0 || id >= dim) throw ConvertError(n.Describe() + ": index out of range");
          for (int64_t t = 0; t < inner; ++t) CopyElem(x, (a * dim + id) * inner + t, &o, e++);
        }
      n.removed = true;
    }
    return;
  }
  if (op == "Expand") {
    const Value& x = in(0);
    auto shape = BroadcastShapes(x.shape, ConstInts(g, n.In(1), n));
    set_out(0, x.dtype, shape);
    if (x.is_const) {
      Value& o = out(0);
      SetConst(&o, x.dtype, shape);
      auto st = Strides(x.shape);
      int64_t e = 0;
      ForEachIndex(shape, [&](const std::vector<int64_t>& idx) { CopyElem(x, BroadcastOffset(idx, x.shape, st), &o, e++); });
      n.removed = true;
    }
    return;
  }
  if (op == "Tile") {
    const Value& x = in(0);
    auto reps = ConstInts(g, n.In(1), n);
    auto s = x.shape;
    for (size_t k = 0; k < s.size(); ++k) s[k] *= reps.at(k);
    set_out(0, x.dtype, s);
    return;
  }
  if (op == "Pad") {
    const Value& x = in(0);
    std::vector<int64_t> pads = g.opset < 11 ? n.Ints("pads") : ConstInts(g, n.In(1), n);
    if (pads.size() != 2 * x.shape.size()) throw ConvertError(n.Describe() + ": pads length mismatch");
    auto s = x.shape;
    for (size_t k = 0; k < s.size(); ++k) s[k] += pads[k] + pads[k + s.size()];
    set_out(0, x.dtype, s);
    return;
  }
  if (op.rfind("Reduce", 0) == 0 || op == "ArgMax" || op == "ArgMin") {
    const Value& x = in(0);
    const bool arg = op == "ArgMax" || op == "ArgMin";
    bool given = false;
    std::vector<int64_t> axes;
    if (arg) {
      axes = {n.Int("axis", 0)};
      given = true;
    } else {
      axes = AxesOf(g, n, 1, &given);
    }
    const bool keep = n.Int("keepdims", 1) != 0;
    std::set<int64_t> red;
    if (!given) {
      if (n.Int("noop_with_empty_axes", 0)) {
        set_out(0, x.dtype, x.shape);
        return;
      }
      for (int64_t k = 0; k < x.rank(); ++k) red.insert(k);
    }
    for (auto a : axes) red.insert(NormAxis(a, x.rank(), n));
    std::vector<int64_t> s;
    for (int64_t k = 0; k < x.rank(); ++k) {
      if (!red.count(k)) s.push_back(x.shape[k]);
      else if (keep) s.push_back(1);
    }
    onnx::AttributeProto ra;
    for (auto a : red) ra.add_ints(a);
    n.attrs["__axes"] = ra;
    set_out(0, arg ? kOnnxInt64 : x.dtype, s);
    return;
  }
  if (op == "LSTM" || op == "GRU" || op == "RNN") {
    const Value& x = in(0);
    if (x.rank() != 3) throw ConvertError(n.Describe() + ": input must be 3D");
    const int64_t hidden = n.Int("hidden_size", 0);
    const int64_t dirs = n.Str("direction", "forward") == "bidirectional" ? 2 : 1;
    const bool batch_first = n.Int("layout", 0) != 0;
    const int64_t seq = batch_first ? x.shape[1] : x.shape[0];
    const int64_t batch = batch_first ? x.shape[0] : x.shape[1];
    if (n.outputs.size() > 0 && !n.outputs[0].empty())
      set_out(0, x.dtype, batch_first ? std::vector<int64_t>{batch, seq, dirs, hidden}
                                      : std::vector<int64_t>{seq, dirs, batch, hidden});
    for (size_t k = 1; k < n.outputs.size(); ++k)
      if (!n.outputs[k].empty())
        set_out(k, x.dtype, batch_first ? std::vector<int64_t>{batch, dirs, hidden}
                                        : std::vector<int64_t>{dirs, batch, hidden});
    return;
  }
  if (op == "Resize" || op == "Upsample" || op == "DepthToSpace" || op == "SpaceToDepth") {
    throw ConvertError(n.Describe() + ": " + op + " is not supported yet");
  }
  throw ConvertError(n.Describe() + ": op type " + op + " has no shape inference (not supported)");
}

}  // namespace

std::vector<int64_t> BroadcastShapes(const std::vector<int64_t>& a, const std::vector<int64_t>& b) {
  const size_t r = std::max(a.size(), b.size());
  std::vector<int64_t> s(r);
  for (size_t k = 0; k < r; ++k) {
    const int64_t da = k < r - a.size() ? 1 : a[k - (r - a.size())];
    const int64_t db = k < r - b.size() ? 1 : b[k - (r - b.size())];
    if (da != db && da != 1 && db != 1)
      throw ConvertError("shapes " + ShapeStr(a) + " and " + ShapeStr(b) + " do not broadcast");
    s[k] = da == 1 ? db : da;
  }
  return s;
}

void InferAndFold(Graph* g, std::vector<std::string>* unsupported) {
  for (Node& n : g->nodes) {
    if (n.removed) continue;
    try {
      Infer(*g, n);
    } catch (const ConvertError& e) {
      unsupported->push_back(e.what());
      // Downstream nodes cannot be typed either; mark outputs unknown so they
      // report "input has no inferred shape" only once per chain.
      n.removed = true;
      for (const auto& o : n.outputs)
        if (!o.empty()) g->At(o).shape_known = false;
    }
  }
  // Errors caused only by an earlier failure add nothing: keep the first cause.
  std::vector<std::string> kept;
  for (const auto& u : *unsupported)
    if (u.find("has no inferred shape") == std::string::npos) kept.push_back(u);
  *unsupported = kept;
}

}  // namespace converter
}  // namespace edgelite
