// The post-training quantizer: rewrites a float .tflite model (FlatBuffers
// object API) into a float16, dynamic-range, full-int8 or 16x8 model, with
// calibration run in edgelite's own interpreter. Numerics follow TensorFlow
// Lite's quantization spec; see docs/quantizer.md for every rule used here.
#include "quantizer/quantizer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "edgelite/interpreter.h"
#include "edgelite/model.h"
#include "edgelite/op_resolver.h"
#include "quantizer/internal.h"
#include "schema/tflite_generated.h"

namespace edgelite {
namespace quantizer {

using fb::BuiltinOperator;
using fb::TensorType;

Mode ParseMode(const std::string& s) {
  if (s == "float16") return Mode::kFloat16;
  if (s == "dynamic") return Mode::kDynamic;
  if (s == "int8") return Mode::kInt8;
  if (s == "int16x8") return Mode::kInt16x8;
  throw QuantizeError("unknown quantization mode '" + s +
                      "' (expected float16, dynamic, int8 or int16x8)");
}

IoType ParseIoType(const std::string& s) {
  if (s == "float" || s == "float32") return IoType::kFloat;
  if (s == "int8") return IoType::kInt8;
  if (s == "uint8") return IoType::kUInt8;
  if (s == "int16") return IoType::kInt16;
  throw QuantizeError("unknown I/O type '" + s + "' (expected float, int8, uint8 or int16)");
}

const char* ModeName(Mode m) {
  switch (m) {
    case Mode::kFloat16: return "float16";
    case Mode::kDynamic: return "dynamic";
    case Mode::kInt8: return "int8";
    case Mode::kInt16x8: return "int16x8";
  }
  return "?";
}

namespace internal {

BuiltinOperator OpCode(const fb::ModelT& m, const fb::OperatorT& op) {
  const auto& oc = m.operator_codes.at(op.opcode_index);
  return std::max(oc->builtin_code, static_cast<BuiltinOperator>(oc->deprecated_builtin_code));
}

std::string OpName(BuiltinOperator c) { return fb::EnumNameBuiltinOperator(c); }

bool IsConst(const fb::ModelT& m, int32_t t) {
  const auto& tensor = m.subgraphs[0]->tensors.at(t);
  return tensor->buffer != 0 && tensor->buffer < m.buffers.size() &&
         !m.buffers[tensor->buffer]->data.empty();
}

int64_t NumElements(const std::vector<int32_t>& shape) {
  int64_t n = 1;
  for (int32_t d : shape) n *= d;
  return n;
}

std::vector<float> ConstFloats(const fb::ModelT& m, int32_t t) {
  const auto& tensor = *m.subgraphs[0]->tensors.at(t);
  const auto& data = m.buffers.at(tensor.buffer)->data;
  const int64_t n = NumElements(tensor.shape);
  if (static_cast<int64_t>(data.size()) != n * 4)
    throw QuantizeError("tensor '" + tensor.name + "': buffer holds " + std::to_string(data.size()) +
                        " bytes, float32 shape needs " + std::to_string(n * 4));
  std::vector<float> v(static_cast<size_t>(n));
  std::memcpy(v.data(), data.data(), data.size());
  return v;
}

int OpCodeIndex(fb::ModelT& m, BuiltinOperator code, int version) {
  for (size_t i = 0; i < m.operator_codes.size(); ++i) {
    const auto& oc = m.operator_codes[i];
    if (std::max(oc->builtin_code, static_cast<BuiltinOperator>(oc->deprecated_builtin_code)) ==
            code &&
        oc->version == version && oc->custom_code.empty())
      return static_cast<int>(i);
  }
  auto oc = std::make_unique<fb::OperatorCodeT>();
  oc->builtin_code = code;
  // Codes above 127 do not fit the deprecated int8 field: it holds
  // PLACEHOLDER_FOR_GREATER_OP_CODES (127) then.
  oc->deprecated_builtin_code = static_cast<int8_t>(std::min(static_cast<int>(code), 127));
  oc->version = version;
  m.operator_codes.push_back(std::move(oc));
  return static_cast<int>(m.operator_codes.size() - 1);
}

int AddBuffer(fb::ModelT& m, std::vector<uint8_t> bytes) {
  auto b = std::make_unique<fb::BufferT>();
  b->data = std::move(bytes);
  m.buffers.push_back(std::move(b));
  return static_cast<int>(m.buffers.size() - 1);
}

int AddTensor(fb::ModelT& m, TensorType type, const std::vector<int32_t>& shape,
              const std::string& name, int buffer) {
  auto t = std::make_unique<fb::TensorT>();
  t->type = type;
  t->shape = shape;
  t->name = name;
  t->buffer = static_cast<uint32_t>(buffer);
  auto& sg = *m.subgraphs[0];
  sg.tensors.push_back(std::move(t));
  return static_cast<int>(sg.tensors.size() - 1);
}

void SetQuant(fb::TensorT& t, const QParams& q) {
  t.quantization = std::make_unique<fb::QuantizationParametersT>();
  t.quantization->scale = q.scale;
  t.quantization->zero_point = q.zero_point;
  t.quantization->quantized_dimension = q.dim;
}

std::unique_ptr<fb::OperatorT> MakeOp(fb::ModelT& m, BuiltinOperator code, int version,
                                      std::vector<int32_t> inputs, std::vector<int32_t> outputs) {
  auto op = std::make_unique<fb::OperatorT>();
  op->opcode_index = static_cast<uint32_t>(OpCodeIndex(m, code, version));
  op->inputs = std::move(inputs);
  op->outputs = std::move(outputs);
  switch (code) {
    case BuiltinOperator::QUANTIZE:
      op->builtin_options.Set(fb::QuantizeOptionsT());
      break;
    case BuiltinOperator::DEQUANTIZE:
      op->builtin_options.Set(fb::DequantizeOptionsT());
      break;
    default:
      break;
  }
  return op;
}

// TFLite's asymmetric parameters: the range is widened to include 0, the
// zero point is taken from whichever end gives the smaller error, then
// rounded and clamped into [qmin, qmax].
QParams Asymmetric(double mn, double mx, int qmin, int qmax) {
  mn = std::min(mn, 0.0);
  mx = std::max(mx, 0.0);
  double scale = (mx - mn) / (qmax - qmin);
  if (!(scale > 0) || !std::isfinite(scale)) scale = 1.0;  // all-zero tensor
  const double zp_min = qmin - mn / scale;
  const double zp_max = qmax - mx / scale;
  const double err_min = std::fabs(static_cast<double>(qmin)) + std::fabs(mn / scale);
  const double err_max = std::fabs(static_cast<double>(qmax)) + std::fabs(mx / scale);
  const double zp_real = err_min < err_max ? zp_min : zp_max;
  int64_t zp;
  if (zp_real <= qmin)
    zp = qmin;
  else if (zp_real >= qmax)
    zp = qmax;
  else
    zp = static_cast<int64_t>(std::round(zp_real));
  QParams q;
  q.scale = {static_cast<float>(scale)};
  q.zero_point = {zp};
  return q;
}

QParams Symmetric(double mn, double mx, int qmax) {
  double scale = std::max(std::fabs(mn), std::fabs(mx)) / qmax;
  if (!(scale > 0) || !std::isfinite(scale)) scale = 1.0;
  QParams q;
  q.scale = {static_cast<float>(scale)};
  q.zero_point = {0};
  return q;
}

int32_t ClampRound(double v, int64_t lo, int64_t hi) {
  const double r = std::round(v);  // half away from zero
  if (r < static_cast<double>(lo)) return static_cast<int32_t>(lo);
  if (r > static_cast<double>(hi)) return static_cast<int32_t>(hi);
  return static_cast<int32_t>(r);
}

}  // namespace internal

using namespace internal;  // NOLINT

std::vector<uint8_t> ReadFileBytes(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw QuantizeError("cannot open '" + path + "': " + std::strerror(errno));
  std::vector<uint8_t> bytes;
  uint8_t buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.insert(bytes.end(), buf, buf + n);
  const bool err = std::ferror(f);
  std::fclose(f);
  if (err) throw QuantizeError("error reading '" + path + "'");
  return bytes;
}

namespace {

const char* TypeName(TensorType t) { return fb::EnumNameTensorType(t); }

size_t TypeBytes(TensorType t) {
  switch (t) {
    case TensorType::FLOAT32: case TensorType::INT32: case TensorType::UINT32: return 4;
    case TensorType::FLOAT16: case TensorType::INT16: case TensorType::UINT16: return 2;
    case TensorType::INT8: case TensorType::UINT8: case TensorType::BOOL: return 1;
    case TensorType::INT64: case TensorType::FLOAT64: case TensorType::UINT64: return 8;
    default: return 0;
  }
}

// ---- rules per op -------------------------------------------------------------

enum class OutRule {
  kCalibrated,  // output params from its calibrated range
  kSame,        // output takes the params of input `data_input` (TFLite requires equal params)
  kConcat,      // output from its calibrated range; inputs requantized to it
  kFixed,       // fixed output params (softmax, logistic, tanh)
};

struct OpRule {
  OutRule out = OutRule::kCalibrated;
  int data_input = 0;     // kSame
  int weight_input = -1;  // symmetric int8 weights
  int weight_dim = 0;     // their channel axis
  int bias_input = -1;    // int32 (int64 in 16x8) bias
  int version8 = 2;       // op version for int8 kernels
  int version16 = 0;      // op version for 16x8 kernels; 0: no 16x8 kernel
  float fixed_scale8 = 0, fixed_scale16 = 0;
  int fixed_zp8 = 0;
};

bool FindRule(BuiltinOperator c, OpRule* r) {
  *r = OpRule();
  using B = BuiltinOperator;
  switch (c) {
    case B::CONV_2D:
      r->weight_input = 1; r->weight_dim = 0; r->bias_input = 2; r->version8 = 3; r->version16 = 4;
      return true;
    case B::DEPTHWISE_CONV_2D:
      r->weight_input = 1; r->weight_dim = 3; r->bias_input = 2; r->version8 = 3; r->version16 = 5;
      return true;
    case B::FULLY_CONNECTED:
      r->weight_input = 1; r->weight_dim = 0; r->bias_input = 2; r->version8 = 4; r->version16 = 7;
      return true;
    case B::ADD: r->version16 = 3; return true;
    case B::SUB: r->version16 = 3; return true;
    case B::MUL: r->version16 = 4; return true;
    case B::MEAN: r->version16 = 3; return true;
    case B::RELU: case B::RELU6: case B::LEAKY_RELU: r->version16 = 3; return true;
    case B::HARD_SWISH: r->version8 = 1; return true;
    case B::AVERAGE_POOL_2D: case B::MAX_POOL_2D:
      r->out = OutRule::kSame; r->version16 = 3; return true;
    case B::RESHAPE: case B::SQUEEZE: case B::EXPAND_DIMS:
      r->out = OutRule::kSame; r->version8 = 1; r->version16 = 1; return true;
    case B::PAD: case B::PADV2: case B::TRANSPOSE: case B::STRIDED_SLICE: case B::SLICE:
    case B::RESIZE_NEAREST_NEIGHBOR: case B::RESIZE_BILINEAR: case B::SPACE_TO_DEPTH:
    case B::DEPTH_TO_SPACE: case B::GATHER: case B::REDUCE_MAX: case B::BATCH_TO_SPACE_ND:
    case B::SPACE_TO_BATCH_ND:
      // Pure data movement or selection: our kernels are element-size generic, TFLite's
      // kernels dispatch on the type (the op version only gates its resolver).
      r->out = OutRule::kSame; r->version16 = 2; return true;
    case B::SPLIT:
      r->out = OutRule::kSame; r->data_input = 1; r->version16 = 2; return true;
    case B::CONCATENATION:
      r->out = OutRule::kConcat; r->version16 = 3; return true;
    case B::SOFTMAX:
      r->out = OutRule::kFixed; r->fixed_scale8 = 1.0f / 256; r->fixed_zp8 = -128;
      r->fixed_scale16 = 1.0f / 32768; r->version16 = 3; return true;
    case B::LOGISTIC:
      r->out = OutRule::kFixed; r->fixed_scale8 = 1.0f / 256; r->fixed_zp8 = -128;
      r->fixed_scale16 = 1.0f / 32768; r->version16 = 3; return true;
    case B::TANH:
      r->out = OutRule::kFixed; r->fixed_scale8 = 1.0f / 128; r->fixed_zp8 = 0;
      r->fixed_scale16 = 1.0f / 32768; r->version16 = 3; return true;
    default:
      return false;
  }
}

// ---- model checks ---------------------------------------------------------------

std::unique_ptr<fb::ModelT> Unpack(const std::vector<uint8_t>& bytes) {
  // Full validation by the runtime's loader first: the bytes are untrusted.
  auto loaded = Model::FromBufferCopy(bytes.data(), bytes.size());
  if (!loaded.ok()) throw QuantizeError("not a valid .tflite model: " + loaded.status().ToString());
  std::unique_ptr<fb::ModelT> m(fb::GetModel(bytes.data())->UnPack());
  if (m->subgraphs.empty()) throw QuantizeError("model has no subgraph");
  for (const auto& b : m->buffers)
    if (b->offset > 1)
      throw QuantizeError("models with external (offset) buffers are not supported");
  return m;
}

// Rejects models that are already quantized: any tensor of subgraph 0 with
// quantization parameters, or a float16/int8 constant feeding a DEQUANTIZE.
void CheckFloatModel(const fb::ModelT& m) {
  const auto& sg = *m.subgraphs[0];
  for (const auto& t : sg.tensors) {
    if (t->quantization && !t->quantization->scale.empty())
      throw QuantizeError("model is already quantized: tensor '" + t->name + "' is " +
                          TypeName(t->type) + " with quantization parameters");
  }
  for (size_t i = 0; i < sg.operators.size(); ++i) {
    const auto c = OpCode(m, *sg.operators[i]);
    if (c == BuiltinOperator::DEQUANTIZE || c == BuiltinOperator::QUANTIZE)
      throw QuantizeError("model is already quantized: operator " + std::to_string(i) + " is " +
                          OpName(c));
  }
  bool any_float = false;
  for (int32_t in : sg.inputs) any_float |= sg.tensors.at(in)->type == TensorType::FLOAT32;
  for (const auto& t : sg.tensors) any_float |= t->type == TensorType::FLOAT32;
  if (!any_float) throw QuantizeError("model has no float32 tensors: nothing to quantize");
}

// ---- running models in edgelite --------------------------------------------------

// A model loaded into edgelite's interpreter with a per-node hook on subgraph 0.
class Runner {
 public:
  explicit Runner(const std::vector<uint8_t>& bytes) {
    auto m = Model::FromBufferCopy(bytes.data(), bytes.size());
    if (!m.ok()) throw QuantizeError("cannot load model: " + m.status().ToString());
    model_ = std::move(*m);
    InterpreterOptions o;
    o.on_node = &Runner::OnNode;
    o.on_node_user = this;
    auto in = Interpreter::Create(*model_, resolver_, o);
    if (!in.ok()) throw QuantizeError(in.status().ToString());
    interp_ = std::move(*in);
    auto s = interp_->AllocateTensors();
    if (!s.ok()) throw QuantizeError(s.ToString());
  }
  Interpreter& interp() { return *interp_; }
  std::function<void(int node)> hook;
  // Called after the inputs are filled, before Invoke (the arena may reuse an
  // input's memory once its last reader has run).
  std::function<void()> inputs_ready;

  void Run(const Sample& sample) {
    if (static_cast<int>(sample.inputs.size()) != interp_->num_inputs())
      throw QuantizeError("calibration sample has " + std::to_string(sample.inputs.size()) +
                          " inputs, the model " + std::to_string(interp_->num_inputs()));
    for (int i = 0; i < interp_->num_inputs(); ++i) {
      auto s = interp_->CopyToInput(i, sample.inputs[i].data(), sample.inputs[i].size());
      if (!s.ok()) throw QuantizeError("calibration input " + std::to_string(i) + ": " + s.ToString());
    }
    auto s = interp_->ResetVariables();
    (void)s;
    if (inputs_ready) inputs_ready();
    s = interp_->Invoke();
    if (!s.ok()) throw QuantizeError("running the model: " + s.ToString());
  }

 private:
  static void OnNode(void* user, int subgraph, int node, const char*, uint64_t) {
    auto* self = static_cast<Runner*>(user);
    if (subgraph == 0 && self->hook) self->hook(node);
  }
  std::unique_ptr<Model> model_;
  BuiltinOpResolver resolver_;
  std::unique_ptr<Interpreter> interp_;
};

struct Range {
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  bool seen() const { return min <= max; }
  void Add(const Tensor& t) {
    if (t.type != DataType::kFloat32 || !t.data) return;
    const float* p = static_cast<const float*>(t.data);
    const size_t n = t.bytes / 4;
    for (size_t i = 0; i < n; ++i) {
      if (!std::isfinite(p[i])) continue;
      min = std::min(min, static_cast<double>(p[i]));
      max = std::max(max, static_cast<double>(p[i]));
    }
  }
};

// Min/max of every float tensor of subgraph 0 over all samples (as TFLite's
// calibrator: the overall min and max, no averaging).
std::map<int32_t, Range> Calibrate(const std::vector<uint8_t>& bytes, const fb::ModelT& m,
                                   const QuantizeOptions& o) {
  if (o.calibration.empty())
    throw QuantizeError(std::string("mode ") + ModeName(o.mode) +
                        " needs calibration data (representative samples)");
  Runner r(bytes);
  std::map<int32_t, Range> ranges;
  const auto& sg = *m.subgraphs[0];
  r.hook = [&](int node) {
    if (node < 0 || static_cast<size_t>(node) >= sg.operators.size()) return;
    for (int32_t t : sg.operators[node]->outputs)
      if (t >= 0) ranges[t].Add(*r.interp().tensor(t));
  };
  r.inputs_ready = [&]() {
    for (int k = 0; k < r.interp().num_inputs(); ++k)
      ranges[r.interp().input_tensor_index(k)].Add(*r.interp().input(k));
  };
  const size_t n = o.calibration.size();
  size_t next_report = 0;
  for (size_t i = 0; i < n; ++i) {
    r.Run(o.calibration[i]);
    if (o.progress && (i + 1 >= next_report || i + 1 == n)) {
      o.progress("calibration: " + std::to_string(i + 1) + "/" + std::to_string(n) + " samples");
      next_report = i + 1 + std::max<size_t>(1, n / 10);
    }
  }
  return ranges;
}

// ---- compaction ------------------------------------------------------------------

// Drops tensors no operator, I/O list or signature uses and buffers no tensor
// uses, renumbering references.
void Compact(fb::ModelT& m) {
  for (size_t s = 0; s < m.subgraphs.size(); ++s) {
    auto& sg = *m.subgraphs[s];
    std::vector<char> used(sg.tensors.size(), 0);
    auto mark = [&](int32_t t) { if (t >= 0 && static_cast<size_t>(t) < used.size()) used[t] = 1; };
    for (const auto& op : sg.operators) {
      for (int32_t t : op->inputs) mark(t);
      for (int32_t t : op->outputs) mark(t);
      for (int32_t t : op->intermediates) mark(t);
    }
    for (int32_t t : sg.inputs) mark(t);
    for (int32_t t : sg.outputs) mark(t);
    for (const auto& sd : m.signature_defs) {
      if (sd->subgraph_index != s) continue;
      for (const auto& tm : sd->inputs) mark(static_cast<int32_t>(tm->tensor_index));
      for (const auto& tm : sd->outputs) mark(static_cast<int32_t>(tm->tensor_index));
    }
    std::vector<int32_t> remap(sg.tensors.size(), -1);
    std::vector<std::unique_ptr<fb::TensorT>> kept;
    for (size_t i = 0; i < sg.tensors.size(); ++i) {
      if (!used[i]) continue;
      remap[i] = static_cast<int32_t>(kept.size());
      kept.push_back(std::move(sg.tensors[i]));
    }
    sg.tensors = std::move(kept);
    auto fix = [&](std::vector<int32_t>& v) {
      for (int32_t& t : v)
        if (t >= 0) t = remap[t];
    };
    for (auto& op : sg.operators) {
      fix(op->inputs);
      fix(op->outputs);
      fix(op->intermediates);
    }
    fix(sg.inputs);
    fix(sg.outputs);
    for (auto& sd : m.signature_defs) {
      if (sd->subgraph_index != s) continue;
      for (auto& tm : sd->inputs) tm->tensor_index = static_cast<uint32_t>(remap[tm->tensor_index]);
      for (auto& tm : sd->outputs) tm->tensor_index = static_cast<uint32_t>(remap[tm->tensor_index]);
    }
  }
  std::vector<char> used(m.buffers.size(), 0);
  if (!used.empty()) used[0] = 1;
  for (const auto& sg : m.subgraphs)
    for (const auto& t : sg->tensors)
      if (t->buffer < used.size()) used[t->buffer] = 1;
  for (const auto& md : m.metadata)
    if (md->buffer < used.size()) used[md->buffer] = 1;
  for (int32_t b : m.metadata_buffer)
    if (b >= 0 && static_cast<size_t>(b) < used.size()) used[b] = 1;
  std::vector<uint32_t> remap(m.buffers.size(), 0);
  std::vector<std::unique_ptr<fb::BufferT>> kept;
  for (size_t i = 0; i < m.buffers.size(); ++i) {
    if (!used[i]) continue;
    remap[i] = static_cast<uint32_t>(kept.size());
    kept.push_back(std::move(m.buffers[i]));
  }
  m.buffers = std::move(kept);
  for (auto& sg : m.subgraphs)
    for (auto& t : sg->tensors) t->buffer = remap[t->buffer];
  for (auto& md : m.metadata) md->buffer = remap[md->buffer];
  for (int32_t& b : m.metadata_buffer) b = static_cast<int32_t>(remap[b]);
}

std::vector<uint8_t> Pack(const fb::ModelT& m) {
  flatbuffers::FlatBufferBuilder fbb;
  auto root = fb::Model::Pack(fbb, &m);
  fb::FinishModelBuffer(fbb, root);
  return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

template <typename T>
std::vector<uint8_t> ToBytes(const std::vector<T>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  if (!b.empty()) std::memcpy(b.data(), v.data(), b.size());
  return b;
}

// Symmetric int8 weights [-127, 127], per channel along `dim` (or per tensor).
QParams QuantizeWeights(const std::vector<float>& w, const std::vector<int32_t>& shape, int dim,
                        bool per_channel, std::vector<int8_t>* q) {
  QParams p;
  const int64_t channels = per_channel ? shape.at(dim) : 1;
  int64_t inner = 1;
  for (size_t d = dim + 1; d < shape.size(); ++d) inner *= shape[d];
  std::vector<double> maxabs(static_cast<size_t>(channels), 0.0);
  for (size_t i = 0; i < w.size(); ++i) {
    const size_t c = per_channel ? static_cast<size_t>((i / inner) % channels) : 0;
    maxabs[c] = std::max(maxabs[c], static_cast<double>(std::fabs(w[i])));
  }
  for (int64_t c = 0; c < channels; ++c) {
    const double s = maxabs[c] > 0 ? maxabs[c] / 127.0 : 1.0;
    p.scale.push_back(static_cast<float>(s));
    p.zero_point.push_back(0);
  }
  p.dim = per_channel ? dim : 0;
  q->resize(w.size());
  for (size_t i = 0; i < w.size(); ++i) {
    const size_t c = per_channel ? static_cast<size_t>((i / inner) % channels) : 0;
    (*q)[i] = static_cast<int8_t>(ClampRound(w[i] / static_cast<double>(p.scale[c]), -127, 127));
  }
  return p;
}

// ---- the integer rewrite (int8 and 16x8) ------------------------------------------

struct IntegerRewrite {
  fb::ModelT& m;
  const QuantizeOptions& o;
  const std::map<int32_t, Range>& ranges;
  bool int16;
  // Quantized twin of a float graph input/output, and back.
  std::map<int32_t, int32_t> twin;
  std::map<std::string, std::string> float_name_of;  // twin name -> float tensor name

  TensorType ActType() const { return int16 ? TensorType::INT16 : TensorType::INT8; }

  QParams FromRange(int32_t t) const {
    auto it = ranges.find(t);
    const auto& name = m.subgraphs[0]->tensors[t]->name;
    if (it == ranges.end() || !it->second.seen())
      throw QuantizeError("tensor '" + name +
                          "' got no finite value during calibration; cannot choose its range");
    return int16 ? Symmetric(it->second.min, it->second.max, 32767)
                 : Asymmetric(it->second.min, it->second.max, -128, 127);
  }

  QParams ParamsOf(int32_t t) const {
    const auto& q = m.subgraphs[0]->tensors.at(t)->quantization;
    QParams p;
    p.scale = q->scale;
    p.zero_point = q->zero_point;
    return p;
  }

  void MakeActivation(int32_t t, const QParams& q) {
    auto& tensor = *m.subgraphs[0]->tensors.at(t);
    tensor.type = ActType();
    SetQuant(tensor, q);
  }

  // A new constant tensor holding `src` quantized with activation-style params.
  int32_t QuantizeConstActivation(int32_t src, const QParams* given) {
    const auto& st = *m.subgraphs[0]->tensors.at(src);
    const auto v = ConstFloats(m, src);
    QParams q;
    if (given) {
      q = *given;
    } else {
      double mn = 0, mx = 0;
      for (float x : v) { mn = std::min(mn, static_cast<double>(x)); mx = std::max(mx, static_cast<double>(x)); }
      q = int16 ? Symmetric(mn, mx, 32767) : Asymmetric(mn, mx, -128, 127);
    }
    std::vector<uint8_t> bytes;
    if (int16) {
      std::vector<int16_t> d(v.size());
      for (size_t i = 0; i < v.size(); ++i)
        d[i] = static_cast<int16_t>(ClampRound(v[i] / q.scale[0] + q.zero_point[0], -32768, 32767));
      bytes = ToBytes(d);
    } else {
      std::vector<int8_t> d(v.size());
      for (size_t i = 0; i < v.size(); ++i)
        d[i] = static_cast<int8_t>(ClampRound(v[i] / q.scale[0] + q.zero_point[0], -128, 127));
      bytes = ToBytes(d);
    }
    const int b = AddBuffer(m, std::move(bytes));
    const int32_t t = AddTensor(m, ActType(), st.shape, st.name, b);
    SetQuant(*m.subgraphs[0]->tensors[t], q);
    return t;
  }

  void Run() {
    auto& sg = *m.subgraphs[0];
    std::vector<std::unique_ptr<fb::OperatorT>> ops;
    std::set<int32_t> graph_outputs(sg.outputs.begin(), sg.outputs.end());
    std::vector<std::string> unsupported;
    std::set<size_t> float_ops;  // kept float (allow_float_fallback)
    // Check every op first, so one error lists them all.
    for (size_t i = 0; i < sg.operators.size(); ++i) {
      const auto& op = *sg.operators[i];
      bool has_float = false;
      for (int32_t t : op.inputs)
        if (t >= 0 && sg.tensors.at(t)->type == TensorType::FLOAT32) has_float = true;
      for (int32_t t : op.outputs)
        if (t >= 0 && sg.tensors.at(t)->type == TensorType::FLOAT32) has_float = true;
      if (!has_float) continue;
      const auto c = OpCode(m, op);
      OpRule rule;
      if (!FindRule(c, &rule) || (int16 && rule.version16 == 0)) {
        if (o.allow_float_fallback)
          float_ops.insert(i);
        else
          unsupported.push_back("operator " + std::to_string(i) + " (" + OpName(c) + ")");
        continue;
      }
      if (rule.weight_input >= 0 &&
          (static_cast<int>(op.inputs.size()) <= rule.weight_input ||
           op.inputs[rule.weight_input] < 0 || !IsConst(m, op.inputs[rule.weight_input])))
        unsupported.push_back("operator " + std::to_string(i) + " (" + OpName(c) +
                              " with non-constant weights)");
      else if (rule.bias_input >= 0 && static_cast<int>(op.inputs.size()) > rule.bias_input &&
               op.inputs[rule.bias_input] >= 0 && !IsConst(m, op.inputs[rule.bias_input]))
        unsupported.push_back("operator " + std::to_string(i) + " (" + OpName(c) +
                              " with non-constant bias)");
    }
    if (!unsupported.empty()) {
      std::string msg = std::string("cannot quantize to ") + (int16 ? "int16x8" : "int8") +
                        ": no integer kernel for ";
      for (size_t i = 0; i < unsupported.size(); ++i) msg += (i ? ", " : "") + unsupported[i];
      if (float_ops.empty() && !o.allow_float_fallback)
        msg += " (allow_float_fallback / --allow-float keeps such ops in float)";
      throw QuantizeError(msg);
    }
    if (o.progress && !float_ops.empty()) {
      std::string list;
      for (size_t i : float_ops)
        list += (list.empty() ? "" : ", ") + std::to_string(i) + " (" + OpName(OpCode(m, *sg.operators[i])) + ")";
      o.progress("kept in float: operator " + list);
    }
    // Quantized twins of float tensors produced by float ops (made on first integer use),
    // and float twins of quantized tensors read by float ops.
    std::map<int32_t, int32_t> quantized_of, dequantized_of;

    // Graph inputs: a QUANTIZE op into a quantized twin.
    for (int32_t in : sg.inputs) {
      auto& t = *sg.tensors.at(in);
      if (t.type != TensorType::FLOAT32) continue;
      const int32_t q = AddTensor(m, ActType(), t.shape, t.name + (int16 ? "_int16" : "_int8"), 0);
      sg.tensors[q]->shape_signature = sg.tensors[in]->shape_signature;
      MakeActivation(q, FromRange(in));
      twin[in] = q;
      float_name_of[sg.tensors[q]->name] = sg.tensors[in]->name;
      ops.push_back(MakeOp(m, BuiltinOperator::QUANTIZE, int16 ? 3 : 2, {in}, {q}));
    }

    std::vector<std::pair<int32_t, int32_t>> output_dequant;  // (twin, float output)
    for (size_t i = 0; i < sg.operators.size(); ++i) {
      auto op = std::move(sg.operators[i]);
      if (float_ops.count(i)) {
        // A float op among integer ones: quantized inputs go through a DEQUANTIZE
        // (graph inputs are read in float directly); its outputs stay float.
        for (int32_t& t : op->inputs) {
          if (t < 0) continue;
          const auto ty = sg.tensors[t]->type;
          if ((ty != TensorType::INT8 && ty != TensorType::INT16) || IsConst(m, t) ||
              !sg.tensors[t]->quantization)
            continue;
          auto it = dequantized_of.find(t);
          if (it == dequantized_of.end()) {
            const int32_t f = AddTensor(m, TensorType::FLOAT32, sg.tensors[t]->shape,
                                        sg.tensors[t]->name + "_float", 0);
            ops.push_back(MakeOp(m, BuiltinOperator::DEQUANTIZE, int16 ? 3 : 2, {t}, {f}));
            it = dequantized_of.emplace(t, f).first;
          }
          t = it->second;
        }
        ops.push_back(std::move(op));
        continue;
      }
      for (int32_t& t : op->inputs) {
        auto it = twin.find(t);
        if (t >= 0 && it != twin.end()) t = it->second;
        if (t < 0 || sg.tensors[t]->type != TensorType::FLOAT32 || IsConst(m, t) ||
            float_ops.empty())
          continue;
        // Produced by a float op (or a float variable): quantize it once, here.
        auto q = quantized_of.find(t);
        if (q == quantized_of.end()) {
          const int32_t qt = AddTensor(m, ActType(), sg.tensors[t]->shape,
                                       sg.tensors[t]->name + (int16 ? "_int16" : "_int8"), 0);
          MakeActivation(qt, FromRange(t));
          float_name_of[sg.tensors[qt]->name] = sg.tensors[t]->name;
          ops.push_back(MakeOp(m, BuiltinOperator::QUANTIZE, int16 ? 3 : 2, {t}, {qt}));
          q = quantized_of.emplace(t, qt).first;
        }
        t = q->second;
      }
      bool has_float = false;
      for (int32_t t : op->inputs)
        if (t >= 0 && sg.tensors.at(t)->type == TensorType::FLOAT32) has_float = true;
      for (int32_t t : op->outputs)
        if (t >= 0 && sg.tensors.at(t)->type == TensorType::FLOAT32) has_float = true;
      if (!has_float) {
        ops.push_back(std::move(op));
        continue;
      }
      const auto c = OpCode(m, *op);
      OpRule rule;
      FindRule(c, &rule);
      const std::string where = "operator " + std::to_string(i) + " (" + OpName(c) + ")";

      // Outputs: twins for graph outputs, params by rule.
      QParams out_q;
      for (size_t k = 0; k < op->outputs.size(); ++k) {
        int32_t t = op->outputs[k];
        if (t < 0 || sg.tensors[t]->type != TensorType::FLOAT32) continue;
        QParams q;
        switch (rule.out) {
          case OutRule::kCalibrated:
          case OutRule::kConcat:
            q = FromRange(t);
            break;
          case OutRule::kSame: {
            const int32_t src = op->inputs.at(rule.data_input);
            if (IsConst(m, src))
              q = FromRange(t);
            else
              q = ParamsOf(src);
            break;
          }
          case OutRule::kFixed:
            q.scale = {int16 ? rule.fixed_scale16 : rule.fixed_scale8};
            q.zero_point = {int16 ? 0 : rule.fixed_zp8};
            break;
        }
        if (graph_outputs.count(t)) {
          const int32_t tw = AddTensor(m, ActType(), sg.tensors[t]->shape,
                                       sg.tensors[t]->name + (int16 ? "_int16" : "_int8"), 0);
          float_name_of[sg.tensors[tw]->name] = sg.tensors[t]->name;
          MakeActivation(tw, q);
          twin[t] = tw;
          output_dequant.emplace_back(tw, t);
          op->outputs[k] = tw;
        } else {
          MakeActivation(t, q);
        }
        if (k == 0) out_q = q;
      }

      // Inputs.
      const int32_t in0 = op->inputs.empty() ? -1 : op->inputs[0];
      for (size_t k = 0; k < op->inputs.size(); ++k) {
        const int32_t t = op->inputs[k];
        if (t < 0 || sg.tensors[t]->type != TensorType::FLOAT32) continue;
        const bool is_const = IsConst(m, t);
        if (static_cast<int>(k) == rule.weight_input) {
          const auto& wt = *sg.tensors[t];
          std::vector<int8_t> q;
          QParams p = QuantizeWeights(ConstFloats(m, t), wt.shape, rule.weight_dim,
                                      !o.per_tensor, &q);
          const int b = AddBuffer(m, ToBytes(q));
          const int32_t nt = AddTensor(m, TensorType::INT8, wt.shape, wt.name, b);
          SetQuant(*sg.tensors[nt], p);
          op->inputs[k] = nt;
        } else if (static_cast<int>(k) == rule.bias_input) {
          // scale = input scale x weight scale (per channel), zero point 0.
          const int32_t w = op->inputs.at(rule.weight_input);
          const auto& wq = *sg.tensors.at(w)->quantization;
          const float in_scale = sg.tensors.at(in0)->quantization->scale.at(0);
          const auto v = ConstFloats(m, t);
          QParams p;
          for (size_t c2 = 0; c2 < wq.scale.size(); ++c2) {
            p.scale.push_back(in_scale * wq.scale[c2]);
            p.zero_point.push_back(0);
          }
          if (p.scale.size() != 1 && p.scale.size() != v.size())
            throw QuantizeError(where + ": bias has " + std::to_string(v.size()) +
                                " values for " + std::to_string(p.scale.size()) +
                                " weight channels");
          std::vector<uint8_t> bytes;
          if (int16) {
            std::vector<int64_t> d(v.size());
            for (size_t j = 0; j < v.size(); ++j)
              d[j] = static_cast<int64_t>(std::llround(v[j] / static_cast<double>(p.scale[p.scale.size() == 1 ? 0 : j])));
            bytes = ToBytes(d);
          } else {
            std::vector<int32_t> d(v.size());
            for (size_t j = 0; j < v.size(); ++j)
              d[j] = ClampRound(v[j] / static_cast<double>(p.scale[p.scale.size() == 1 ? 0 : j]),
                                -2147483647LL, 2147483647LL);
            bytes = ToBytes(d);
          }
          const auto& bt = *sg.tensors[t];
          const int b = AddBuffer(m, std::move(bytes));
          const int32_t nt =
              AddTensor(m, int16 ? TensorType::INT64 : TensorType::INT32, bt.shape, bt.name, b);
          SetQuant(*sg.tensors[nt], p);
          op->inputs[k] = nt;
        } else if (is_const) {
          const bool shared = rule.out == OutRule::kSame || rule.out == OutRule::kConcat;
          op->inputs[k] = QuantizeConstActivation(t, shared ? &out_q : nullptr);
        } else {
          throw QuantizeError(where + ": input '" + sg.tensors[t]->name +
                              "' is still float (not produced by a quantized op)");
        }
      }
      // Concatenation: inputs whose params differ from the output's are
      // requantized to them first (TFLite's int8 CONCATENATION requires equal params).
      if (rule.out == OutRule::kConcat) {
        for (size_t k = 0; k < op->inputs.size(); ++k) {
          const int32_t t = op->inputs[k];
          const auto& tq = *sg.tensors[t]->quantization;
          if (tq.scale == out_q.scale && tq.zero_point == out_q.zero_point) continue;
          const int32_t r = AddTensor(m, ActType(), sg.tensors[t]->shape,
                                      sg.tensors[t]->name + "_requantized", 0);
          MakeActivation(r, out_q);
          ops.push_back(MakeOp(m, BuiltinOperator::QUANTIZE, int16 ? 3 : 2, {t}, {r}));
          op->inputs[k] = r;
        }
      }
      op->opcode_index = static_cast<uint32_t>(
          OpCodeIndex(m, c, int16 ? rule.version16 : std::max(rule.version8,
                      m.operator_codes[op->opcode_index]->version)));
      ops.push_back(std::move(op));
    }
    for (const auto& [tw, t] : output_dequant)
      ops.push_back(MakeOp(m, BuiltinOperator::DEQUANTIZE, int16 ? 3 : 2, {tw}, {t}));
    sg.operators = std::move(ops);
  }
};

// Integer I/O: drop the edge QUANTIZE/DEQUANTIZE (int8/int16) or turn the
// float input/output into uint8 with zero point + 128 (a QUANTIZE stays).
void ApplyIoTypes(fb::ModelT& m, const QuantizeOptions& o, bool int16) {
  auto& sg = *m.subgraphs[0];
  auto check = [&](IoType t, const char* what) {
    if (t == IoType::kFloat) return;
    if (int16 ? t != IoType::kInt16 : t == IoType::kInt16)
      throw QuantizeError(std::string("inference ") + what + " type " +
                          (t == IoType::kInt16 ? "int16" : t == IoType::kInt8 ? "int8" : "uint8") +
                          " does not match mode " + ModeName(o.mode));
  };
  check(o.input_type, "input");
  check(o.output_type, "output");
  if (o.mode != Mode::kInt8 && o.mode != Mode::kInt16x8) {
    if (o.input_type != IoType::kFloat || o.output_type != IoType::kFloat)
      throw QuantizeError(std::string("integer I/O needs mode int8 or int16x8, not ") +
                          ModeName(o.mode));
    return;
  }
  std::vector<char> drop(sg.operators.size(), 0);
  for (size_t i = 0; i < sg.operators.size(); ++i) {
    auto& op = *sg.operators[i];
    const auto c = OpCode(m, op);
    const bool is_in = c == BuiltinOperator::QUANTIZE &&
                       std::count(sg.inputs.begin(), sg.inputs.end(), op.inputs[0]);
    const bool is_out = c == BuiltinOperator::DEQUANTIZE &&
                        std::count(sg.outputs.begin(), sg.outputs.end(), op.outputs[0]);
    if (is_in && o.input_type != IoType::kFloat) {
      auto& ft = *sg.tensors[op.inputs[0]];
      auto& qt = *sg.tensors[op.outputs[0]];
      if (o.input_type == IoType::kUInt8) {
        ft.type = TensorType::UINT8;
        QParams p{qt.quantization->scale, {qt.quantization->zero_point[0] + 128}, 0};
        SetQuant(ft, p);
        op.opcode_index = static_cast<uint32_t>(OpCodeIndex(m, BuiltinOperator::QUANTIZE, 2));
      } else {
        // The graph input becomes the quantized tensor (keeping its name).
        ft.type = qt.type;
        QParams p{qt.quantization->scale, qt.quantization->zero_point, 0};
        SetQuant(ft, p);
        const int32_t from = op.outputs[0], to = op.inputs[0];
        for (auto& other : sg.operators)
          for (int32_t& t : other->inputs)
            if (t == from) t = to;
        drop[i] = 1;
      }
    }
    if (is_out && o.output_type != IoType::kFloat) {
      auto& qt = *sg.tensors[op.inputs[0]];
      auto& ft = *sg.tensors[op.outputs[0]];
      if (o.output_type == IoType::kUInt8) {
        ft.type = TensorType::UINT8;
        QParams p{qt.quantization->scale, {qt.quantization->zero_point[0] + 128}, 0};
        SetQuant(ft, p);
        op.opcode_index = static_cast<uint32_t>(OpCodeIndex(m, BuiltinOperator::QUANTIZE, 2));
      } else {
        ft.type = qt.type;
        QParams p{qt.quantization->scale, qt.quantization->zero_point, 0};
        SetQuant(ft, p);
        const int32_t from = op.inputs[0], to = op.outputs[0];
        for (auto& other : sg.operators)
          for (int32_t& t : other->outputs)
            if (t == from) t = to;
        drop[i] = 1;
      }
    }
  }
  std::vector<std::unique_ptr<fb::OperatorT>> kept;
  for (size_t i = 0; i < sg.operators.size(); ++i)
    if (!drop[i]) kept.push_back(std::move(sg.operators[i]));
  sg.operators = std::move(kept);
}

// ---- dynamic range and float16 -----------------------------------------------------

void DynamicRewrite(fb::ModelT& m, const QuantizeOptions& o, int* quantized) {
  auto& sg = *m.subgraphs[0];
  for (auto& op : sg.operators) {
    const auto c = OpCode(m, *op);
    int dim = 0;
    bool per_channel = !o.per_tensor;
    int version = 0;
    if (c == BuiltinOperator::CONV_2D) {
      dim = 0; version = per_channel ? 5 : 2;
    } else if (c == BuiltinOperator::DEPTHWISE_CONV_2D) {
      // TFLite's hybrid depthwise kernel needs per-channel scales.
      dim = 3; per_channel = true; version = 6;
    } else if (c == BuiltinOperator::FULLY_CONNECTED) {
      // TFLite's dynamic-range quantizer keeps one scale for dense layers.
      dim = 0; per_channel = false; version = 3;
    } else {
      continue;
    }
    if (op->inputs.size() < 2 || op->inputs[1] < 0) continue;
    const int32_t w = op->inputs[1];
    const auto& wt = *sg.tensors[w];
    if (wt.type != TensorType::FLOAT32 || !IsConst(m, w)) continue;
    if (NumElements(wt.shape) < o.dynamic_min_elements) continue;
    std::vector<int8_t> q;
    const QParams p = QuantizeWeights(ConstFloats(m, w), wt.shape, dim, per_channel, &q);
    const int b = AddBuffer(m, ToBytes(q));
    const int32_t nt = AddTensor(m, TensorType::INT8, wt.shape, wt.name, b);
    SetQuant(*sg.tensors[nt], p);
    op->inputs[1] = nt;
    op->opcode_index = static_cast<uint32_t>(
        OpCodeIndex(m, c, std::max(version, m.operator_codes[op->opcode_index]->version)));
    ++*quantized;
  }
}

uint16_t FloatToHalf(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint32_t sign = (x >> 16) & 0x8000u;
  const uint32_t exp = (x >> 23) & 0xffu;
  uint32_t mant = x & 0x7fffffu;
  if (exp == 0xff) return static_cast<uint16_t>(sign | 0x7c00u | (mant ? 0x200u : 0));  // inf/nan
  const int e = static_cast<int>(exp) - 127 + 15;
  if (e >= 31) return static_cast<uint16_t>(sign | 0x7c00u);  // overflow: inf
  if (e <= 0) {
    if (e < -10) return static_cast<uint16_t>(sign);  // underflow to zero
    mant |= 0x800000u;                                  // subnormal half
    const int shift = 14 - e;
    uint32_t h = mant >> shift;
    const uint32_t rem = mant & ((1u << shift) - 1), half = 1u << (shift - 1);
    if (rem > half || (rem == half && (h & 1))) ++h;
    return static_cast<uint16_t>(sign | h);
  }
  uint32_t h = (static_cast<uint32_t>(e) << 10) | (mant >> 13);
  const uint32_t rem = mant & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1))) ++h;  // round to nearest even (may carry into exp)
  return static_cast<uint16_t>(sign | h);
}

void Float16Rewrite(fb::ModelT& m, int* converted) {
  auto& sg = *m.subgraphs[0];
  std::vector<std::unique_ptr<fb::OperatorT>> deq;
  std::set<int32_t> done;
  for (auto& op : sg.operators) {
    for (int32_t t : op->inputs) {
      if (t < 0 || done.count(t)) continue;
      auto& tensor = *sg.tensors[t];
      if (tensor.type != TensorType::FLOAT32 || !IsConst(m, t)) continue;
      done.insert(t);
      const auto v = ConstFloats(m, t);
      std::vector<uint16_t> h(v.size());
      for (size_t i = 0; i < v.size(); ++i) h[i] = FloatToHalf(v[i]);
      const int b = AddBuffer(m, ToBytes(h));
      const int32_t ht = AddTensor(m, TensorType::FLOAT16, tensor.shape, tensor.name + "_fp16", b);
      // The float tensor becomes DEQUANTIZE's output (keeps its index and name).
      sg.tensors[t]->buffer = 0;
      deq.push_back(MakeOp(m, BuiltinOperator::DEQUANTIZE, 3, {ht}, {t}));
      ++*converted;
    }
  }
  for (auto& op : sg.operators) deq.push_back(std::move(op));
  sg.operators = std::move(deq);
}

// ---- report ------------------------------------------------------------------------

struct Acc {
  double sum_sq = 0, sum = 0, max_abs = 0;
  double fmin = std::numeric_limits<double>::infinity(), fmax = -std::numeric_limits<double>::infinity();
  int64_t n = 0;
};

double Dequant(const Tensor& t, size_t i) {
  const float s = t.quant.scale[0];
  const int64_t zp = t.quant.zero_point ? t.quant.zero_point[0] : 0;
  switch (t.type) {
    case DataType::kInt8: return s * (static_cast<const int8_t*>(t.data)[i] - zp);
    case DataType::kUInt8: return s * (static_cast<const uint8_t*>(t.data)[i] - zp);
    case DataType::kInt16: return s * (static_cast<const int16_t*>(t.data)[i] - zp);
    default: return 0;
  }
}

void BuildReport(const std::vector<uint8_t>& float_bytes, const std::vector<uint8_t>& quant_bytes,
                 const std::map<std::string, std::string>& float_name_of,
                 const QuantizeOptions& o, QuantizeReport* rep) {
  Runner fr(float_bytes), qr(quant_bytes);
  std::unique_ptr<fb::ModelT> fm(fb::GetModel(float_bytes.data())->UnPack());
  std::unique_ptr<fb::ModelT> qm(fb::GetModel(quant_bytes.data())->UnPack());
  const auto& fsg = *fm->subgraphs[0];
  const auto& qsg = *qm->subgraphs[0];
  std::map<std::string, std::vector<float>> values;  // float model's tensors, this sample
  fr.hook = [&](int node) {
    for (int32_t t : fsg.operators.at(node)->outputs) {
      if (t < 0) continue;
      const Tensor& x = *fr.interp().tensor(t);
      if (x.type != DataType::kFloat32 || !x.data) continue;
      const float* p = static_cast<const float*>(x.data);
      values[x.name].assign(p, p + x.bytes / 4);
    }
  };
  std::map<std::string, Acc> acc;
  std::map<std::string, std::pair<std::string, int>> producer;
  auto compare = [&](const Tensor& x, const std::string& op, int node) {
    if (!x.quant.is_quantized() || x.quant.per_channel() || !x.data) return;
    if (x.type != DataType::kInt8 && x.type != DataType::kInt16 && x.type != DataType::kUInt8) return;
    std::string name = x.name;
    auto fn = float_name_of.find(name);
    if (fn != float_name_of.end()) name = fn->second;
    auto it = values.find(name);
    if (it == values.end()) return;
    const size_t n = x.bytes / DataTypeSize(x.type);
    if (n != it->second.size()) return;
    Acc& a = acc[x.name];
    producer[x.name] = {op, node};
    for (size_t i = 0; i < n; ++i) {
      const double f = it->second[i];
      const double d = Dequant(x, i) - f;
      a.sum_sq += d * d;
      a.sum += d;
      a.max_abs = std::max(a.max_abs, std::fabs(d));
      a.fmin = std::min(a.fmin, f);
      a.fmax = std::max(a.fmax, f);
    }
    a.n += static_cast<int64_t>(n);
  };
  qr.hook = [&](int node) {
    const auto c = OpCode(*qm, *qsg.operators.at(node));
    for (int32_t t : qsg.operators.at(node)->outputs)
      if (t >= 0) compare(*qr.interp().tensor(t), c == BuiltinOperator::QUANTIZE && node < 1 ? "QUANTIZE (input)" : OpName(c), node);
  };
  const int n = std::min<int>(o.report_samples, static_cast<int>(o.calibration.size()));
  std::vector<std::string> order;
  fr.inputs_ready = [&]() {
    for (int k = 0; k < fr.interp().num_inputs(); ++k) {
      const Tensor& x = *fr.interp().input(k);
      if (x.type == DataType::kFloat32)
        values[x.name].assign(static_cast<const float*>(x.data),
                              static_cast<const float*>(x.data) + x.bytes / 4);
    }
  };
  for (int s = 0; s < n; ++s) {
    values.clear();
    fr.Run(o.calibration[s]);
    qr.Run(o.calibration[s]);
    // Outputs: largest difference and top-1 agreement of output 0.
    for (int k = 0; k < fr.interp().num_outputs() && k < qr.interp().num_outputs(); ++k) {
      const Tensor& a = *fr.interp().output(k);
      const Tensor& b = *qr.interp().output(k);
      if (a.type != DataType::kFloat32 || a.bytes == 0) continue;
      const size_t cnt = a.bytes / 4;
      std::vector<double> qv(cnt);
      for (size_t i = 0; i < cnt; ++i)
        qv[i] = b.type == DataType::kFloat32 ? static_cast<const float*>(b.data)[i]
                                             : Dequant(b, i);
      size_t fa = 0, qa = 0;
      for (size_t i = 0; i < cnt; ++i) {
        const double fv = static_cast<const float*>(a.data)[i];
        rep->output_max_abs = std::max(rep->output_max_abs, std::fabs(qv[i] - fv));
        if (fv > static_cast<const float*>(a.data)[fa]) fa = i;
        if (qv[i] > qv[qa]) qa = i;
      }
      if (k == 0 && fa == qa) ++rep->top1_agree;
    }
    if (s == 0)
      for (const auto& op : qsg.operators)
        for (int32_t t : op->outputs)
          if (t >= 0 && acc.count(qsg.tensors[t]->name)) order.push_back(qsg.tensors[t]->name);
  }
  rep->report_samples = n;
  for (const auto& name : order) {
    const Acc& a = acc[name];
    if (a.n == 0) continue;
    TensorError e;
    auto fn = float_name_of.find(name);
    e.name = fn != float_name_of.end() ? fn->second : name;
    e.op = producer[name].first;
    e.op_index = producer[name].second;
    const Tensor* qt = nullptr;
    for (size_t t = 0; t < qr.interp().num_tensors(); ++t)
      if (qr.interp().tensor(static_cast<int32_t>(t))->name == name) qt = qr.interp().tensor(static_cast<int32_t>(t));
    if (qt) {
      e.type = DataTypeName(qt->type);
      e.scale = qt->quant.scale[0];
      e.zero_point = qt->quant.zero_point ? qt->quant.zero_point[0] : 0;
    }
    e.float_min = a.fmin;
    e.float_max = a.fmax;
    e.values = a.n;
    e.rmse = std::sqrt(a.sum_sq / a.n);
    e.mean_error = a.sum / a.n;
    e.max_abs = a.max_abs;
    e.rmse_lsb = e.scale > 0 ? e.rmse / e.scale : 0;
    rep->tensors.push_back(e);
  }
}

}  // namespace

std::string QuantizeReport::ToText(int worst) const {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(1);
  s << "mode " << ModeName(mode) << ": " << bytes_before << " -> " << bytes_after << " bytes ("
    << (bytes_after ? static_cast<double>(bytes_before) / bytes_after : 0.0) << "x smaller)\n";
  if (calibration_samples) s << "calibration samples: " << calibration_samples << "\n";
  if (report_samples) {
    s.precision(6);
    s << "report over " << report_samples << " samples: output 0 top-1 agreement " << top1_agree
      << "/" << report_samples << ", largest output difference " << output_max_abs << "\n";
  }
  if (tensors.empty()) return s.str();
  s << "per-tensor error, quantized vs float (accumulated through the graph):\n";
  char line[512];
  std::snprintf(line, sizeof line, "%4s  %-28s %-18s %-6s %12s %5s %12s %12s %12s %9s\n", "op",
                "tensor", "producer", "type", "scale", "zp", "rmse", "max_abs", "mean_err",
                "rmse/lsb");
  s << line;
  for (const auto& e : tensors) {
    std::snprintf(line, sizeof line, "%4d  %-28.28s %-18.18s %-6s %12.6g %5lld %12.6g %12.6g %12.6g %9.3f\n",
                  e.op_index, e.name.c_str(), e.op.c_str(), e.type.c_str(), e.scale,
                  static_cast<long long>(e.zero_point), e.rmse, e.max_abs, e.mean_error, e.rmse_lsb);
    s << line;
  }
  // Worst layers by error relative to the tensor's float range.
  std::vector<const TensorError*> v;
  for (const auto& e : tensors) v.push_back(&e);
  auto rel = [](const TensorError* e) {
    const double r = e->float_max - e->float_min;
    return r > 0 ? e->rmse / r : 0.0;
  };
  std::stable_sort(v.begin(), v.end(), [&](auto a, auto b) { return rel(a) > rel(b); });
  s << "worst tensors (rmse / float range):\n";
  for (int i = 0; i < worst && i < static_cast<int>(v.size()); ++i) {
    std::snprintf(line, sizeof line, "  %-40s %-18s %.4f%%\n", v[i]->name.c_str(), v[i]->op.c_str(),
                  100.0 * rel(v[i]));
    s << line;
  }
  return s.str();
}

namespace {
std::string JsonString(const std::string& x) {
  std::string r = "\"";
  for (char ch : x) {
    if (ch == '"' || ch == '\\') { r += '\\'; r += ch; }
    else if (static_cast<unsigned char>(ch) < 0x20) { char b[8]; std::snprintf(b, sizeof b, "\\u%04x", ch); r += b; }
    else r += ch;
  }
  return r + "\"";
}
std::string Num(double v) {
  if (!std::isfinite(v)) return "null";
  char b[64];
  std::snprintf(b, sizeof b, "%.9g", v);
  return b;
}
}  // namespace

std::string QuantizeReport::ToJson() const {
  std::ostringstream s;
  s << "{\"mode\": " << JsonString(ModeName(mode)) << ", \"bytes_before\": " << bytes_before
    << ", \"bytes_after\": " << bytes_after << ", \"calibration_samples\": " << calibration_samples
    << ", \"report_samples\": " << report_samples << ", \"output_max_abs\": " << Num(output_max_abs)
    << ", \"top1_agree\": " << top1_agree << ", \"tensors\": [";
  for (size_t i = 0; i < tensors.size(); ++i) {
    const auto& e = tensors[i];
    s << (i ? ",\n  " : "\n  ") << "{\"name\": " << JsonString(e.name) << ", \"op\": " << JsonString(e.op)
      << ", \"op_index\": " << e.op_index << ", \"type\": " << JsonString(e.type)
      << ", \"scale\": " << Num(e.scale) << ", \"zero_point\": " << e.zero_point
      << ", \"float_min\": " << Num(e.float_min) << ", \"float_max\": " << Num(e.float_max)
      << ", \"rmse\": " << Num(e.rmse) << ", \"max_abs\": " << Num(e.max_abs)
      << ", \"mean_error\": " << Num(e.mean_error) << ", \"rmse_lsb\": " << Num(e.rmse_lsb)
      << ", \"values\": " << e.values << "}";
  }
  s << "]}\n";
  return s.str();
}

QuantizeResult QuantizeModel(const std::vector<uint8_t>& float_model, const QuantizeOptions& o) {
  auto m = Unpack(float_model);
  CheckFloatModel(*m);
  if (m->subgraphs.size() > 1 && (o.mode == Mode::kInt8 || o.mode == Mode::kInt16x8))
    throw QuantizeError("full-integer quantization of models with several subgraphs (control flow) "
                        "is not supported");
  QuantizeResult res;
  res.report.mode = o.mode;
  res.report.bytes_before = float_model.size();
  res.report.calibration_samples = static_cast<int>(o.calibration.size());
  std::map<std::string, std::string> float_name_of;
  switch (o.mode) {
    case Mode::kInt8:
    case Mode::kInt16x8: {
      const auto ranges = Calibrate(float_model, *m, o);
      IntegerRewrite rw{*m, o, ranges, o.mode == Mode::kInt16x8, {}, {}};
      rw.Run();
      float_name_of = rw.float_name_of;
      break;
    }
    case Mode::kDynamic: {
      int n = 0;
      DynamicRewrite(*m, o, &n);
      if (o.progress) o.progress("dynamic range: " + std::to_string(n) + " weight tensors to int8");
      break;
    }
    case Mode::kFloat16: {
      int n = 0;
      Float16Rewrite(*m, &n);
      if (o.progress) o.progress("float16: " + std::to_string(n) + " constant tensors to float16");
      break;
    }
  }
  Compact(*m);
  std::vector<uint8_t> float_io = Pack(*m);
  // The result must load in edgelite (full validation) before anything else.
  {
    auto check = Model::FromBufferCopy(float_io.data(), float_io.size());
    if (!check.ok())
      throw QuantizeError("internal error: the quantized model does not validate: " +
                          check.status().ToString());
  }
  if (o.report) {
    if (o.calibration.empty()) throw QuantizeError("the report needs calibration data");
    BuildReport(float_model, float_io, float_name_of, o, &res.report);
  }
  if (o.input_type != IoType::kFloat || o.output_type != IoType::kFloat) {
    ApplyIoTypes(*m, o, o.mode == Mode::kInt16x8);
    Compact(*m);
    res.tflite = Pack(*m);
  } else {
    res.tflite = std::move(float_io);
  }
  res.report.bytes_after = res.tflite.size();
  return res;
}

// ---- calibration files ---------------------------------------------------------------

std::vector<InputInfo> ModelInputs(const std::vector<uint8_t>& bytes) {
  auto loaded = Model::FromBufferCopy(bytes.data(), bytes.size());
  if (!loaded.ok()) throw QuantizeError("not a valid .tflite model: " + loaded.status().ToString());
  const fb::Model* m = fb::GetModel(bytes.data());
  const auto* sg = m->subgraphs()->Get(0);
  std::vector<InputInfo> v;
  if (!sg->inputs()) return v;
  for (int32_t in : *sg->inputs()) {
    const auto* t = sg->tensors()->Get(in);
    InputInfo info;
    info.name = t->name() ? t->name()->str() : "";
    info.dtype = fb::EnumNameTensorType(t->type());
    if (t->shape()) info.shape.assign(t->shape()->begin(), t->shape()->end());
    info.bytes = TypeBytes(t->type()) * static_cast<size_t>(NumElements(info.shape));
    v.push_back(info);
  }
  return v;
}

}  // namespace quantizer
}  // namespace edgelite
