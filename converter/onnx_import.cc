// ONNX protobuf -> converter IR (converter/ir.h).
#include <cstring>
#include <sstream>

#include "converter/ir.h"
#include "onnx/defs/schema.h"

namespace edgelite {
namespace converter {

bool IsFloatType(int t) { return t == kOnnxFloat || t == kOnnxDouble || t == 10 /*fp16*/; }

int64_t Value::NumElements() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

int64_t Node::Int(const std::string& a, int64_t def) const {
  auto it = attrs.find(a);
  return it == attrs.end() ? def : it->second.i();
}
float Node::Float(const std::string& a, float def) const {
  auto it = attrs.find(a);
  return it == attrs.end() ? def : it->second.f();
}
std::string Node::Str(const std::string& a, const std::string& def) const {
  auto it = attrs.find(a);
  return it == attrs.end() ? def : it->second.s();
}
std::vector<int64_t> Node::Ints(const std::string& a, const std::vector<int64_t>& def) const {
  auto it = attrs.find(a);
  if (it == attrs.end()) return def;
  return std::vector<int64_t>(it->second.ints().begin(), it->second.ints().end());
}
std::vector<float> Node::Floats(const std::string& a) const {
  auto it = attrs.find(a);
  if (it == attrs.end()) return {};
  return std::vector<float>(it->second.floats().begin(), it->second.floats().end());
}
std::string Node::Describe() const { return op + " '" + name + "'"; }
const std::string& Node::In(size_t i) const {
  static const std::string kEmpty;
  return i < inputs.size() ? inputs[i] : kEmpty;
}

Value& Graph::At(const std::string& name) {
  auto it = values.find(name);
  if (it == values.end()) throw ConvertError("internal: unknown value '" + name + "'");
  return it->second;
}
const Value* Graph::Find(const std::string& name) const {
  auto it = values.find(name);
  return it == values.end() ? nullptr : &it->second;
}
bool Graph::IsConst(const std::string& name) const {
  const Value* v = Find(name);
  return v && v->is_const;
}
bool Graph::IsGraphOutput(const std::string& name) const {
  for (const auto& o : outputs)
    if (o == name) return true;
  return false;
}
int Graph::Consumers(const std::string& name) const {
  int n = 0;
  for (const Node& nd : nodes) {
    if (nd.removed) continue;
    for (const auto& in : nd.inputs)
      if (in == name) ++n;
  }
  return n;
}
Node* Graph::SoleConsumer(const std::string& name) {
  Node* found = nullptr;
  for (Node& nd : nodes) {
    if (nd.removed) continue;
    for (const auto& in : nd.inputs) {
      if (in != name) continue;
      if (found) return nullptr;
      found = &nd;
    }
  }
  return found;
}

std::string ShapeStr(const std::vector<int64_t>& s) {
  std::ostringstream o;
  o << "[";
  for (size_t i = 0; i < s.size(); ++i) o << (i ? "," : "") << s[i];
  o << "]";
  return o.str();
}

namespace {

template <typename T>
void ReadRaw(const std::string& raw, std::vector<T>* out) {
  if (raw.size() % sizeof(T) != 0) throw ConvertError("raw_data size is not a multiple of the type");
  out->resize(raw.size() / sizeof(T));
  std::memcpy(out->data(), raw.data(), raw.size());
}

}  // namespace

void DecodeTensorProto(const onnx::TensorProto& t, Value* v) {
  if (t.data_location() == onnx::TensorProto::EXTERNAL)
    throw ConvertError("tensor '" + t.name() + "' uses external data, which is not supported");
  v->dtype = t.data_type();
  v->shape.assign(t.dims().begin(), t.dims().end());
  v->shape_known = true;
  v->is_const = true;
  v->f.clear();
  v->i.clear();
  const int64_t n = v->NumElements();
  const std::string& raw = t.raw_data();
  switch (t.data_type()) {
    case kOnnxFloat:
      if (!raw.empty()) ReadRaw(raw, &v->f);
      else v->f.assign(t.float_data().begin(), t.float_data().end());
      break;
    case kOnnxDouble: {
      std::vector<double> d;
      if (!raw.empty()) ReadRaw(raw, &d);
      else d.assign(t.double_data().begin(), t.double_data().end());
      v->f.assign(d.begin(), d.end());
      v->dtype = kOnnxFloat;  // computed in float32 like the rest of the model
      break;
    }
    case kOnnxInt64:
      if (!raw.empty()) ReadRaw(raw, &v->i);
      else v->i.assign(t.int64_data().begin(), t.int64_data().end());
      break;
    case kOnnxInt32: {
      std::vector<int32_t> d;
      if (!raw.empty()) ReadRaw(raw, &d);
      else d.assign(t.int32_data().begin(), t.int32_data().end());
      v->i.assign(d.begin(), d.end());
      break;
    }
    case kOnnxInt8: {
      std::vector<int8_t> d;
      if (!raw.empty()) ReadRaw(raw, &d);
      else d.assign(t.int32_data().begin(), t.int32_data().end());
      v->i.assign(d.begin(), d.end());
      break;
    }
    case kOnnxUint8:
    case kOnnxBool: {
      std::vector<uint8_t> d;
      if (!raw.empty()) ReadRaw(raw, &d);
      else d.assign(t.int32_data().begin(), t.int32_data().end());
      v->i.assign(d.begin(), d.end());
      break;
    }
    default:
      throw ConvertError("tensor '" + t.name() + "' has ONNX data type " +
                         std::to_string(t.data_type()) + ", which is not supported");
  }
  const int64_t got = IsFloatType(v->dtype) ? static_cast<int64_t>(v->f.size())
                                            : static_cast<int64_t>(v->i.size());
  if (got != n)
    throw ConvertError("tensor '" + t.name() + "' holds " + std::to_string(got) +
                       " values for shape " + ShapeStr(v->shape));
}

Graph ImportOnnx(const std::string& bytes,
                 const std::map<std::string, std::vector<int64_t>>& input_shapes) {
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes)) throw ConvertError("not a valid ONNX model (protobuf parse failed)");
  Graph g;
  g.producer = model.producer_name() + " " + model.producer_version();
  for (const auto& os : model.opset_import())
    if (os.domain().empty() || os.domain() == "ai.onnx") g.opset = os.version();
  if (g.opset == 0) throw ConvertError("the model imports no default-domain (ai.onnx) opset");
  // 11 to 17 is the supported range; 6-10 and 18 are converted best effort
  // (nodes with pre-opset-7 legacy attributes are rejected below).
  if (g.opset < 1 || g.opset > 18)
    throw ConvertError("opset " + std::to_string(g.opset) +
                       " is outside the supported range (11 to 17; older and 18 best effort)");
  if (g.opset < 7) {
    // Before opset 7 several ops had other semantics. Accept such a model only
    // if every node's definition in effect at its opset is still the one in
    // effect at opset 11 (ONNX's schema registry, libonnx).
    for (const auto& np : model.graph().node()) {
      if (!np.domain().empty() && np.domain() != "ai.onnx") continue;
      const auto* then = onnx::OpSchemaRegistry::Schema(np.op_type(), static_cast<int>(g.opset));
      const auto* ref = onnx::OpSchemaRegistry::Schema(np.op_type(), 11);
      if (!then || !ref || then->since_version() != ref->since_version())
        throw ConvertError(np.op_type() + " '" + np.name() + "': its opset-" + std::to_string(g.opset) +
                           " definition predates the supported ones (opset 7+)");
    }
  }
  const onnx::GraphProto& gp = model.graph();
  for (const auto& init : gp.initializer()) {
    Value v;
    v.name = init.name();
    DecodeTensorProto(init, &v);
    g.values[v.name] = std::move(v);
  }
  std::map<std::string, bool> used_override;
  for (const auto& in : gp.input()) {
    if (g.values.count(in.name())) continue;  // an initializer listed as input (IR < 4)
    Value v;
    v.name = in.name();
    const auto& tt = in.type().tensor_type();
    v.dtype = tt.elem_type();
    auto ov = input_shapes.find(in.name());
    if (ov != input_shapes.end()) {
      v.shape = ov->second;
      used_override[in.name()] = true;
    } else {
      for (const auto& d : tt.shape().dim()) {
        if (d.has_dim_value() && d.dim_value() > 0) {
          v.shape.push_back(d.dim_value());
        } else {
          // A symbolic dimension (usually the batch): fix it to 1. The user
          // can choose another value with --input-shape.
          v.shape.push_back(1);
        }
      }
    }
    v.shape_known = true;
    g.inputs.push_back(v.name);
    g.values[v.name] = std::move(v);
  }
  for (const auto& kv : input_shapes)
    if (!used_override.count(kv.first))
      throw ConvertError("--input-shape names '" + kv.first + "', which is not a model input");
  for (const auto& out : gp.output()) g.outputs.push_back(out.name());
  int unnamed = 0;
  for (const auto& np : gp.node()) {
    Node n;
    n.name = np.name().empty() ? np.op_type() + "_" + std::to_string(unnamed++) : np.name();
    n.op = np.op_type();
    if (!np.domain().empty() && np.domain() != "ai.onnx") n.op = np.domain() + "." + n.op;
    n.inputs.assign(np.input().begin(), np.input().end());
    n.outputs.assign(np.output().begin(), np.output().end());
    for (const auto& a : np.attribute()) {
      // Opset-6 legacy forms whose semantics differ from today's (axis-based
      // broadcasting, non-spatial BatchNormalization): refuse rather than guess.
      if (a.name() == "broadcast" || a.name() == "consumed_inputs" ||
          (a.name() == "spatial" && a.i() == 0))
        throw ConvertError(n.op + " '" + np.name() + "': legacy attribute '" + a.name() +
                           "' (opset < 7) is not supported");
      n.attrs[a.name()] = a;
    }
    for (const auto& o : n.outputs) {
      if (o.empty()) continue;
      Value v;
      v.name = o;
      g.values[o] = std::move(v);
    }
    g.nodes.push_back(std::move(n));
  }
  return g;
}

}  // namespace converter
}  // namespace edgelite
