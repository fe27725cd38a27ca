// The micro core: reads the model in place, verifying every table, vector and string it touches
// and validating what it reads (the checks of src/model/validate.cc for what a firmware runs),
// builds the tensor and node tables at the end of the arena, runs the ops' init and prepare,
// plans the activations with the runtime's planner (src/memory) at the start of the arena and
// runs the ops. No heap, no std containers, no std::string: a firmware with no ops links about
// ten kilobytes of it (docs/micro.md). Verification is our own code instead of flatc's: the
// generated verifiers check every field of every table of the schema (metadata, signatures,
// sparsity, ...), this one checks exactly the fields the micro core and the ops read, with the
// same rules (offsets and vtables in bounds and aligned, vectors and strings inside the buffer,
// strings NUL-terminated); ops verify their own options tables on first read (ops::Options).
#include "edgelite/micro/micro_interpreter.h"

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <new>

#include "edgelite/micro/micro_log.h"
#include "schema/tflite_generated.h"
#include "src/memory/planner.h"

namespace edgelite {
namespace micro {
namespace internal {

// Arena alignment: Cortex-M has no cache lines or SIMD loads wider than 8 bytes; 16 keeps the
// arena small (TFLM aligns to 16 too).
constexpr size_t kArenaAlignment = 16;
// The largest tensor the micro core plans or accepts as a constant, in elements: 2^27 keeps
// every byte count (up to 16 bytes an element) below 2^31 on a 32-bit target.
constexpr int64_t kMaxElements = int64_t{1} << 27;

// A scratch buffer an op requested in prepare (kept at the end of the arena, newest first).
struct Scratch {
  size_t bytes;
  int32_t node;
  Scratch* next;
};

inline Graph* ToGraph(Subgraph* s) { return reinterpret_cast<Graph*>(s); }
inline const Graph* ToGraph(const Subgraph* s) { return reinterpret_cast<const Graph*>(s); }
inline Subgraph* ToSubgraph(Graph* g) { return reinterpret_cast<Subgraph*>(g); }

// Storage for zero-byte tensors, so `data` is never null.
uint8_t g_empty_storage[kArenaAlignment];

// `bytes` (rounded up to kArenaAlignment) from the end of the arena, zeroed; nullptr when they
// do not fit (g.failed_need then says how many tail bytes that would have needed).
void* TailAlloc(Graph& g, size_t bytes) {
  const size_t size = (bytes + kArenaAlignment - 1) & ~(kArenaAlignment - 1);
  if (bytes > size_t{1} << 30 || size > static_cast<size_t>(g.tail - g.begin)) {
    if (g.failed_need == 0) g.failed_need = static_cast<size_t>(g.end - g.tail) + size;
    return nullptr;
  }
  g.tail -= size;
  memset(g.tail, 0, size);
  return g.tail;
}

// Bytes for `count` elements of `type` (false for types without a fixed size or counts above
// kMaxElements).
bool TensorBytes(DataType type, int64_t count, size_t* bytes) {
  return count >= 0 && count <= kMaxElements && DataTypeBytes(type, count, bytes);
}

}  // namespace internal

namespace {

using internal::Graph;
using internal::kArenaAlignment;

// A printf for the core's own messages: %d %u %s %zu %% only, so that a firmware without ops
// does not link a full formatter (ops' messages go through vsnprintf, micro/src/format.cc).
// Returns the length written (at most cap - 1; cap >= 1).
size_t FormatV(char* out, size_t cap, const char* fmt, va_list ap) {
  size_t n = 0;
  auto put = [&](char c) {
    if (n + 1 < cap) out[n++] = c;
  };
  for (; *fmt != '\0'; ++fmt) {
    if (*fmt != '%') {
      put(*fmt);
      continue;
    }
    ++fmt;
    const bool is_size = *fmt == 'z';
    if (is_size) ++fmt;
    if (*fmt == 's') {
      for (const char* s = va_arg(ap, const char*); *s != '\0'; ++s) put(*s);
    } else if (*fmt == 'd' || *fmt == 'u') {
      unsigned long v;
      bool negative = false;
      if (is_size) {
        v = va_arg(ap, size_t);
      } else if (*fmt == 'd') {
        const int x = va_arg(ap, int);
        negative = x < 0;
        v = negative ? 0ul - static_cast<unsigned long>(x) : static_cast<unsigned long>(x);
      } else {
        v = va_arg(ap, unsigned);
      }
      char digits[24];
      int k = 0;
      do {
        digits[k++] = static_cast<char>('0' + v % 10);
        v /= 10;
      } while (v != 0);
      if (negative) put('-');
      while (k > 0) put(digits[--k]);
    } else if (*fmt == '\0') {
      break;
    } else {
      put(*fmt);  // %%
    }
  }
  out[n] = '\0';
  return n;
}

void Format(char* out, size_t cap, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  FormatV(out, cap, fmt, args);
  va_end(args);
}

// Reads a FlatBuffer in place and verifies what it reads. A malformed table, vector or string
// clears `ok` and reads as absent from then on, so a caller checks `ok` once per table.
struct Reader {
  const uint8_t* b;
  uint32_t n;  // the FlatBuffer's size (< 2^31)
  bool ok = true;

  uint32_t U32(uint32_t at) const {
    uint32_t v;
    memcpy(&v, b + at, sizeof(v));
    return v;
  }
  uint32_t U16(uint32_t at) const { return static_cast<uint32_t>(b[at] | (b[at + 1] << 8)); }
  uint32_t Bad() {
    ok = false;
    return 0;
  }
  // The table at `pos` with its vtable checked (0: malformed).
  uint32_t Table(uint32_t pos) {
    if (!ok || (pos & 3) != 0 || pos > n - 4) return Bad();
    const int64_t vt = static_cast<int64_t>(pos) - static_cast<int32_t>(U32(pos));
    if (vt < 0 || (vt & 1) != 0 || vt > static_cast<int64_t>(n) - 4) return Bad();
    const uint32_t vlen = U16(static_cast<uint32_t>(vt));
    if ((vlen & 1) != 0 || vlen < 4 || vlen > n - static_cast<uint32_t>(vt)) return Bad();
    return pos;
  }
  // Position of a scalar field of `size` (1, 2, 4, 8) bytes, in bounds and aligned; 0 if the
  // table has no such field (or is 0).
  uint32_t Field(uint32_t table, uint32_t vt_offset, uint32_t size) {
    if (table == 0) return 0;
    const uint32_t vt = table - static_cast<int32_t>(U32(table));
    if (vt_offset >= U16(vt)) return 0;
    const uint32_t off = U16(vt + vt_offset);
    if (off == 0) return 0;
    const uint32_t pos = table + off;
    if (pos > n - size || (pos & (size - 1)) != 0) return Bad();
    return pos;
  }
  uint32_t Scalar32(uint32_t table, uint32_t vt_offset, uint32_t def) {
    const uint32_t pos = Field(table, vt_offset, 4);
    return pos != 0 ? U32(pos) : def;
  }
  uint64_t Scalar64(uint32_t table, uint32_t vt_offset) {
    const uint32_t pos = Field(table, vt_offset, 8);
    if (pos == 0) return 0;
    uint64_t v;
    memcpy(&v, b + pos, sizeof(v));
    return v;
  }
  uint32_t Byte(uint32_t table, uint32_t vt_offset) {
    const uint32_t pos = Field(table, vt_offset, 1);
    return pos != 0 ? b[pos] : 0;
  }
  // What an offset field at `pos` refers to (0: malformed).
  uint32_t Follow(uint32_t pos) {
    const uint32_t off = U32(pos);
    if (off == 0 || off >= n - pos) return Bad();
    return pos + off;
  }
  // The target of an offset field; 0 if absent.
  uint32_t Ref(uint32_t table, uint32_t vt_offset) {
    const uint32_t pos = Field(table, vt_offset, 4);
    return pos != 0 ? Follow(pos) : 0;
  }
  uint32_t TableField(uint32_t table, uint32_t vt_offset) {
    const uint32_t at = Ref(table, vt_offset);
    return at != 0 ? Table(at) : 0;
  }
  struct Vec {
    uint32_t data = 0;  // position of element 0 (0: absent)
    uint32_t size = 0;
  };
  // A vector of elements of 1 << log2_elem bytes, inside the buffer.
  Vec Vector(uint32_t table, uint32_t vt_offset, unsigned log2_elem) {
    Vec v;
    const uint32_t at = Ref(table, vt_offset);
    if (at == 0) return v;
    if ((at & 3) != 0 || at > n - 4) {
      Bad();
      return v;
    }
    const uint32_t count = U32(at);
    if (count > ((n - at - 4) >> log2_elem)) {
      Bad();
      return v;
    }
    v.data = at + 4;
    v.size = count;
    return v;
  }
  // Element i (< v.size) of a vector of tables.
  uint32_t TableAt(Vec v, uint32_t i) {
    if (v.data == 0) return Bad();
    const uint32_t at = Follow(v.data + 4 * i);
    return at != 0 ? Table(at) : 0;
  }
  // A string: bytes followed by a NUL inside the buffer; nullptr if absent.
  const char* String(uint32_t table, uint32_t vt_offset) {
    const Vec v = Vector(table, vt_offset, 0);
    if (v.data == 0) return nullptr;
    if (v.size >= n - v.data || b[v.data + v.size] != 0) {
      Bad();
      return nullptr;
    }
    return reinterpret_cast<const char*>(b + v.data);
  }
  template <typename T>
  const T* Data(Vec v) const {
    return reinterpret_cast<const T*>(b + v.data);
  }
};

// A variable tensor and its initial value (null: zeros, or the zero point).
struct Variable {
  Tensor* tensor;
  const uint8_t* init;
  Variable* next;
};

const char* OpName(const Node& n) {
  return n.reg != nullptr && n.reg->name != nullptr ? n.reg->name : "?";
}

bool QuantScaleOk(const float* scale, uint32_t i) {
  uint32_t bits;
  memcpy(&bits, scale + i, sizeof(bits));
  // Finite and not negative (-0 is allowed, as scale 0 is: all-zero weight channels).
  return (bits & 0x7f800000u) != 0x7f800000u && (bits >> 31 == 0 || bits == 0x80000000u);
}

}  // namespace

MicroInterpreter::MicroInterpreter(const void* model_data, size_t model_size,
                                   const OpResolver& resolver, uint8_t* arena, size_t arena_size)
    : resolver_(resolver) {
  g_.model = static_cast<const uint8_t*>(model_data);
  g_.file_size = model_data != nullptr ? model_size : 0;
  // The FlatBuffer proper is below 2 GiB; external buffers may follow it in the file.
  g_.model_size = static_cast<uint32_t>(g_.file_size < 0x7fffffffu ? g_.file_size : 0x7fffffffu);
  if (arena != nullptr) {
    const uintptr_t a = reinterpret_cast<uintptr_t>(arena);
    const uintptr_t begin = (a + kArenaAlignment - 1) & ~uintptr_t{kArenaAlignment - 1};
    const uintptr_t end = (a + arena_size) & ~uintptr_t{kArenaAlignment - 1};
    if (arena_size >= kArenaAlignment && end > begin) {
      g_.begin = reinterpret_cast<uint8_t*>(begin);
      g_.end = reinterpret_cast<uint8_t*>(end);
    }
  }
  g_.tail = g_.end;
}

StatusCode MicroInterpreter::Fail(StatusCode code, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  FormatV(error_, sizeof(error_), fmt, args);
  va_end(args);
  return Report(code);
}

StatusCode MicroInterpreter::FailTensor(StatusCode code, int index, const char* name,
                                        const char* fmt, ...) {
  Format(error_, sizeof(error_), "tensor %d '%s': ", index, name);
  size_t n = 0;
  while (error_[n] != '\0') ++n;
  va_list args;
  va_start(args, fmt);
  FormatV(error_ + n, sizeof(error_) - n, fmt, args);
  va_end(args);
  return Report(code);
}

StatusCode MicroInterpreter::Report(StatusCode code) {
  if (LogHandler log = GetLogHandler()) {
    char line[sizeof(error_) + 16];
    Format(line, sizeof(line), "edgelite: %s", error_);
    log(line);
  }
  return code;
}

StatusCode MicroInterpreter::OutOfArena(size_t need, bool exact) {
  needed_ = need;
  need_exact_ = exact;
  return Fail(StatusCode::kResourceExhausted,
              "arena too small: %zu bytes usable, the model needs %s%zu",
              static_cast<size_t>(g_.end - g_.begin), exact ? "" : "at least ", need);
}

void* MicroInterpreter::TailAlloc(size_t bytes) { return internal::TailAlloc(g_, bytes); }

StatusCode MicroInterpreter::RunNode(Status (*fn)(OpContext&), Node& n, Phase phase) {
  OpContext ctx(internal::ToSubgraph(&g_), &n, phase);
  const Status s = fn(ctx);
  if (g_.failed_need != 0) return OutOfArena(g_.failed_need, false);
  // The op read an options table that failed verification: whatever it made of the
  // defaults it got instead, the model is bad.
  if ((n.options_state & kOptionsMalformed) != 0)
    return Fail(StatusCode::kInvalidModel,
                "operator %d (%s): malformed builtin options table",
                static_cast<int>(n.index), OpName(n));
  if (!s.ok()) return Fail(s.code(), "%s", s.message().c_str());
  return StatusCode::kOk;
}

StatusCode MicroInterpreter::AllocateTensors() {
  if (ready_) return StatusCode::kOk;
  if (failed_)
    return Fail(StatusCode::kFailedPrecondition,
                "AllocateTensors failed before: create a new MicroInterpreter");
  failed_ = true;
  if (g_.model == nullptr) return Fail(StatusCode::kInvalidArgument, "model data is null");
  if (g_.begin == nullptr) return Fail(StatusCode::kInvalidArgument, "no arena");
  if (reinterpret_cast<uintptr_t>(g_.model) % 8 != 0)
    return Fail(StatusCode::kInvalidArgument,
                "model data is not 8-byte aligned (export-c writes an aligned array)");
  StatusCode c = Build();
  if (c != StatusCode::kOk) return c;
  for (int32_t i = 0; i < g_.num_nodes; ++i) {
    Node& n = g_.nodes[i];
    if (n.reg->init == nullptr) continue;
    c = RunNode(n.reg->init, n, Phase::kInit);
    if (c != StatusCode::kOk) return c;
  }
  // Initial values of the variables and of the state ops keep (as the desktop's Prepare).
  c = ResetState();
  if (c != StatusCode::kOk) return c;
  for (int32_t i = 0; i < g_.num_nodes; ++i) {
    Node& n = g_.nodes[i];
    if (n.reg->prepare != nullptr) {
      c = RunNode(n.reg->prepare, n, Phase::kPrepare);
      if (c != StatusCode::kOk) return c;
    }
    for (int k = 0; k < n.num_outputs; ++k)
      if (n.outputs[k] >= 0 && g_.tensors[n.outputs[k]].allocation == Allocation::kDynamic)
        return Fail(StatusCode::kUnsupported,
                    "operator %d (%s): output %d has a shape known only at Invoke (dynamic "
                    "tensors are not in the micro core)",
                    static_cast<int>(i), OpName(n), k);
  }
  c = Plan();
  if (c != StatusCode::kOk) return c;
  failed_ = false;
  ready_ = true;
  return StatusCode::kOk;
}

StatusCode MicroInterpreter::Build() {
  Graph& g = g_;
  // The "TFL3" file identifier (bytes 4..7), as the desktop loader requires.
  if (g.file_size < 8 || g.model[4] != 'T' || g.model[5] != 'F' || g.model[6] != 'L' ||
      g.model[7] != '3')
    return Fail(StatusCode::kInvalidModel,
                "not a .tflite model (%zu bytes; no \"TFL3\" identifier at bytes 4..7)",
                g.file_size);
  Reader r{g.model, g.model_size};
  using M = fb::Model;
  const uint32_t model = r.Table(r.U32(0));
  const uint32_t version = r.Scalar32(model, M::VT_VERSION, 0);
  const Reader::Vec codes = r.Vector(model, M::VT_OPERATOR_CODES, 2);
  const Reader::Vec subgraphs = r.Vector(model, M::VT_SUBGRAPHS, 2);
  const Reader::Vec buffers = r.Vector(model, M::VT_BUFFERS, 2);
  using S = fb::SubGraph;
  const uint32_t sg = subgraphs.size > 0 ? r.TableAt(subgraphs, 0) : 0;
  const Reader::Vec tensors = r.Vector(sg, S::VT_TENSORS, 2);
  const Reader::Vec inputs = r.Vector(sg, S::VT_INPUTS, 2);
  const Reader::Vec outputs = r.Vector(sg, S::VT_OUTPUTS, 2);
  const Reader::Vec ops = r.Vector(sg, S::VT_OPERATORS, 2);
  if (!r.ok)
    return Fail(StatusCode::kInvalidModel,
                "malformed model or subgraph table (truncated or corrupted file?)");
  if (version > 3)
    return Fail(StatusCode::kInvalidModel, "schema version %u is newer than 3", version);
  if (subgraphs.size == 0) return Fail(StatusCode::kInvalidModel, "the model has no subgraph");

  const int32_t nt = static_cast<int32_t>(tensors.size);
  const int32_t nops = static_cast<int32_t>(ops.size);
  g.tensors = static_cast<Tensor*>(TailAlloc(sizeof(Tensor) * tensors.size));
  g.nodes = static_cast<Node*>(TailAlloc(sizeof(Node) * ops.size));
  if (g.tensors == nullptr || g.nodes == nullptr) return OutOfArena(g.failed_need, false);
  g.num_tensors = nt;
  g.num_nodes = nops;
  Variable* variables = nullptr;

  // ---- Tensors.
  using T = fb::Tensor;
  for (int32_t i = 0; i < nt; ++i) {
    Tensor& t = *new (&g.tensors[i]) Tensor();
    const uint32_t ft = r.TableAt(tensors, static_cast<uint32_t>(i));
    const int type = static_cast<int8_t>(r.Byte(ft, T::VT_TYPE));
    const Reader::Vec shape = r.Vector(ft, T::VT_SHAPE, 2);
    const uint32_t bi = r.Scalar32(ft, T::VT_BUFFER, 0);
    const char* name = r.String(ft, T::VT_NAME);
    const uint32_t q = r.TableField(ft, T::VT_QUANTIZATION);
    const bool sparse = r.Field(ft, T::VT_SPARSITY, 4) != 0;
    const Reader::Vec signature = r.Vector(ft, T::VT_SHAPE_SIGNATURE, 2);
    t.is_variable = r.Byte(ft, T::VT_IS_VARIABLE) != 0;
    using Q = fb::QuantizationParameters;
    const Reader::Vec scale = r.Vector(q, Q::VT_SCALE, 2);
    const Reader::Vec zero_point = r.Vector(q, Q::VT_ZERO_POINT, 3);
    const int32_t qdim = static_cast<int32_t>(r.Scalar32(q, Q::VT_QUANTIZED_DIMENSION, 0));
    const uint32_t details = r.Byte(q, Q::VT_DETAILS_TYPE);
    // The buffer: inline data, or external data after the FlatBuffer.
    const uint32_t bt = bi != 0 && bi < buffers.size ? r.TableAt(buffers, bi) : 0;
    const Reader::Vec inline_data = r.Vector(bt, fb::Buffer::VT_DATA, 0);
    const uint64_t ext_offset = r.Scalar64(bt, fb::Buffer::VT_OFFSET);
    const uint64_t ext_size = r.Scalar64(bt, fb::Buffer::VT_SIZE);
    if (!r.ok)
      return Fail(StatusCode::kInvalidModel, "tensor %d: malformed table",
                  static_cast<int>(i));
    t.name = name != nullptr ? name : "";
#define EDGELITE_TENSOR_FAIL(code, fmt, ...) \
  return FailTensor(code, static_cast<int>(i), t.name, fmt, ##__VA_ARGS__)
    if (!IsKnownDataType(type)) EDGELITE_TENSOR_FAIL(StatusCode::kInvalidModel, "unknown type %d", type);
    t.type = static_cast<DataType>(type);
    if (t.type == DataType::kString)
      EDGELITE_TENSOR_FAIL(StatusCode::kUnsupported, "string tensors are not in the micro core");
    if (sparse)
      EDGELITE_TENSOR_FAIL(StatusCode::kUnsupported,
                           "sparse tensors are not in the micro core (densify the model)");
    if (details != 0)
      EDGELITE_TENSOR_FAIL(StatusCode::kUnsupported,
                           "quantization details (type %u) are not in the micro core", details);
    if (shape.size > static_cast<uint32_t>(kMaxRank))
      EDGELITE_TENSOR_FAIL(StatusCode::kInvalidModel, "rank %u is above %d", shape.size, kMaxRank);
    t.shape.rank = static_cast<int32_t>(shape.size);
    bool unknown_dim = false, empty = false;
    uint64_t elements = 1;
    for (int d = 0; d < t.shape.rank; ++d) {
      const int32_t dim = r.Data<int32_t>(shape)[d];
      t.shape.dims[d] = dim;
      if (dim < -1) EDGELITE_TENSOR_FAIL(StatusCode::kInvalidModel, "negative dimension %d", dim);
      if (dim == -1) {
        unknown_dim = true;  // allowed while unused (the planner checks)
        continue;
      }
      empty |= dim == 0;
      elements *= static_cast<uint32_t>(dim);
      if (elements > static_cast<uint64_t>(internal::kMaxElements))
        EDGELITE_TENSOR_FAIL(StatusCode::kInvalidModel, "more than 2^27 elements");
    }
    if (signature.size > 0) {
      t.shape_signature = r.Data<int32_t>(signature);
      t.shape_signature_rank = static_cast<int32_t>(signature.size);
    }
    if (bi != 0 && bi >= buffers.size)
      EDGELITE_TENSOR_FAIL(StatusCode::kInvalidModel, "buffer %u of %u", bi, buffers.size);
    const uint8_t* data = g.model + inline_data.data;
    size_t size = inline_data.size;
    if (ext_offset > 1) {
      if (ext_offset > g.file_size || ext_size > g.file_size - ext_offset || size > 0)
        EDGELITE_TENSOR_FAIL(StatusCode::kInvalidModel,
                             "buffer %u's external data lies outside the file", bi);
      data = g.model + ext_offset;
      size = static_cast<size_t>(ext_size);
    }
    // Quantization (as src/model/validate.cc).
    const uint32_t ns = scale.size;
    if (ns != zero_point.size)
      EDGELITE_TENSOR_FAIL(StatusCode::kInvalidModel, "%u scales but %u zero points", ns,
                           zero_point.size);
    if (ns > 0) {
      if (ns > 1 && !(t.shape.rank == 1 && static_cast<int64_t>(ns) == t.shape.dims[0])) {
        if (qdim < 0 || qdim >= t.shape.rank || static_cast<int64_t>(ns) != t.shape.dims[qdim])
          EDGELITE_TENSOR_FAIL(StatusCode::kInvalidModel,
                               "%u scales do not fit quantized_dimension %d", ns, qdim);
      }
      const float* scales = r.Data<float>(scale);
      const uint8_t* zps = g.model + zero_point.data;
      int64_t lo = INT64_MIN, hi = INT64_MAX;
      if (t.type == DataType::kInt8) lo = -128, hi = 127;
      if (t.type == DataType::kUInt8) lo = 0, hi = 255;
      if (t.type == DataType::kInt16) lo = -32768, hi = 32767;
      if (t.type == DataType::kInt4) lo = -8, hi = 7;
      for (uint32_t k = 0; k < ns; ++k) {
        int64_t z;
        memcpy(&z, zps + 8 * k, sizeof(z));
        if (!QuantScaleOk(scales, k) || z < lo || z > hi)
          EDGELITE_TENSOR_FAIL(StatusCode::kInvalidModel,
                               "quantization %u: scale not finite and >= 0 or zero point out of "
                               "range",
                               k);
      }
      t.quant.scale = scales;
      t.quant.zero_point = reinterpret_cast<const int64_t*>(zps);
      if (reinterpret_cast<uintptr_t>(zps) % 8 != 0) {
        // Writers align int64 vectors; a file that does not gets an aligned copy.
        void* copy = TailAlloc(8 * ns);
        if (copy == nullptr) return OutOfArena(g.failed_need, false);
        memcpy(copy, zps, 8 * ns);
        t.quant.zero_point = static_cast<const int64_t*>(copy);
      }
      t.quant.count = static_cast<int32_t>(ns);
      t.quant.quantized_dimension = t.shape.rank == 1 ? 0 : qdim;
    }
    if (t.is_variable) {
      auto* v = static_cast<Variable*>(TailAlloc(sizeof(Variable)));
      if (v == nullptr) return OutOfArena(g.failed_need, false);
      *v = Variable{&t, size > 0 ? data : nullptr, variables};
      variables = v;
    }
    if (size > 0 || (empty && inline_data.data != 0)) {
      size_t need = 0;
      if (unknown_dim || !internal::TensorBytes(t.type, static_cast<int64_t>(elements), &need) ||
          need != size)
        EDGELITE_TENSOR_FAIL(StatusCode::kInvalidModel,
                             "buffer %u holds %zu bytes, not what its shape and type need", bi,
                             size);
      if (t.is_variable) continue;  // initial value, copied by ResetVariables
      const size_t elem = DataTypeSize(t.type);
      if (size == 0) {
        data = internal::g_empty_storage;
      } else if (elem > 1 && reinterpret_cast<uintptr_t>(data) % elem != 0) {
        // Some converters leave buffers unaligned for their type; kernels need alignment.
        void* copy = TailAlloc(size);
        if (copy == nullptr) return OutOfArena(g.failed_need, false);
        memcpy(copy, data, size);
        data = static_cast<const uint8_t*>(copy);
      }
      t.data = const_cast<uint8_t*>(data);  // constants are never written
      t.bytes = size;
      t.allocation = Allocation::kConstant;
    }
#undef EDGELITE_TENSOR_FAIL
  }

  // ---- Graph inputs and outputs.
  for (uint32_t k = 0; k < inputs.size + outputs.size; ++k) {
    const int32_t t = k < inputs.size ? r.Data<int32_t>(inputs)[k]
                                      : r.Data<int32_t>(outputs)[k - inputs.size];
    if (t < 0 || t >= nt)
      return Fail(StatusCode::kInvalidModel, "subgraph %s %u refers to tensor %d of %d",
                  k < inputs.size ? "input" : "output",
                  k < inputs.size ? k : k - inputs.size, static_cast<int>(t),
                  static_cast<int>(nt));
  }
  g.inputs = r.Data<int32_t>(inputs);
  g.num_inputs = static_cast<int32_t>(inputs.size);
  g.outputs = r.Data<int32_t>(outputs);
  g.num_outputs = static_cast<int32_t>(outputs.size);

  // ---- Variables: storage at the end of the arena, initial values.
  for (Variable* v = variables; v != nullptr; v = v->next) {
    Tensor& t = *v->tensor;
    size_t bytes = 0;
    if (!internal::TensorBytes(t.type, t.shape.NumElements(), &bytes))
      return Fail(StatusCode::kUnsupported, "variable tensor '%s' has an unknown size", t.name);
    t.data = TailAlloc(bytes);
    if (t.data == nullptr) return OutOfArena(g.failed_need, false);
    t.bytes = bytes;
    t.allocation = Allocation::kPersistent;
  }
  g.variables = variables;

  // ---- Operators. `defined` (one bit a tensor, transient, at the start of the arena):
  // tensors that hold a value by then (inputs, constants, variables, empty, produced).
  const size_t defined_bytes = (static_cast<size_t>(nt) + 7) / 8;
  if (defined_bytes > static_cast<size_t>(g.tail - g.begin))
    return OutOfArena(static_cast<size_t>(g.end - g.tail) + defined_bytes, false);
  uint8_t* defined = g.begin;
  memset(defined, 0, defined_bytes);
  auto define = [&](int32_t t) { defined[t >> 3] |= static_cast<uint8_t>(1u << (t & 7)); };
  for (int32_t t = 0; t < nt; ++t) {
    const Tensor& x = g.tensors[t];
    bool empty = false;
    for (int d = 0; d < x.shape.rank; ++d) empty |= x.shape.dims[d] == 0;
    if (x.allocation != Allocation::kNone || x.is_variable || empty) define(t);
  }
  for (int32_t k = 0; k < g.num_inputs; ++k) define(g.inputs[k]);

  using O = fb::Operator;
  using C = fb::OperatorCode;
  int32_t missing = 0;
  char first_missing[80] = {};
  if (resolver_.builtin_lookup() == nullptr || resolver_.custom_lookup() == nullptr)
    return Fail(StatusCode::kInvalidArgument, "the micro core needs a MicroOpResolver");
  for (int32_t i = 0; i < nops; ++i) {
    Node& n = *new (&g.nodes[i]) Node();
    n.index = i;
    const uint32_t ot = r.TableAt(ops, static_cast<uint32_t>(i));
    const uint32_t opcode = r.Scalar32(ot, O::VT_OPCODE_INDEX, 0);
    const Reader::Vec ins = r.Vector(ot, O::VT_INPUTS, 2);
    const Reader::Vec outs = r.Vector(ot, O::VT_OUTPUTS, 2);
    const Reader::Vec inter = r.Vector(ot, O::VT_INTERMEDIATES, 2);
    const Reader::Vec custom = r.Vector(ot, O::VT_CUSTOM_OPTIONS, 0);
    const uint64_t large_offset = r.Scalar64(ot, O::VT_LARGE_CUSTOM_OPTIONS_OFFSET);
    const uint64_t large_size = r.Scalar64(ot, O::VT_LARGE_CUSTOM_OPTIONS_SIZE);
    // Options tables: only the reference here; the op verifies the fields it reads.
    if (r.Byte(ot, O::VT_BUILTIN_OPTIONS_TYPE) != 0) r.TableField(ot, O::VT_BUILTIN_OPTIONS);
    if (r.Byte(ot, O::VT_BUILTIN_OPTIONS_2_TYPE) != 0) r.TableField(ot, O::VT_BUILTIN_OPTIONS_2);
    const uint32_t ct = opcode < codes.size ? r.TableAt(codes, opcode) : 0;
    const int32_t deprecated = static_cast<int8_t>(r.Byte(ct, C::VT_DEPRECATED_BUILTIN_CODE));
    const int32_t builtin = static_cast<int32_t>(r.Scalar32(ct, C::VT_BUILTIN_CODE, 0));
    n.version = static_cast<int32_t>(r.Scalar32(ct, C::VT_VERSION, 1));
    const char* custom_name = r.String(ct, C::VT_CUSTOM_CODE);
    if (!r.ok)
      return Fail(StatusCode::kInvalidModel,
                  "operator %d: malformed table", static_cast<int>(i));
    if (opcode >= codes.size)
      return Fail(StatusCode::kInvalidModel, "operator %d: opcode index %u of %u",
                  static_cast<int>(i), opcode, codes.size);
    n.builtin_code = deprecated > builtin ? deprecated : builtin;
    if (n.builtin_code < 0 || n.version < 1 ||
        (n.builtin_code == kBuiltinCustom && (custom_name == nullptr || *custom_name == '\0')))
      return Fail(StatusCode::kInvalidModel,
                  "operator code %u: negative builtin code, version below 1 or a CUSTOM code "
                  "without a name",
                  opcode);
    n.op = g.model + ot;
    n.inputs = r.Data<int32_t>(ins);
    n.num_inputs = static_cast<int32_t>(ins.size);
    n.outputs = r.Data<int32_t>(outs);
    n.num_outputs = static_cast<int32_t>(outs.size);
    n.intermediates = r.Data<int32_t>(inter);
    n.num_intermediates = static_cast<int32_t>(inter.size);
    if (large_offset > 1) {
      if (large_offset > g.file_size || large_size > g.file_size - large_offset)
        return Fail(StatusCode::kInvalidModel,
                    "operator %d: large custom options lie outside the file", static_cast<int>(i));
      n.custom_options = g.model + large_offset;
      n.custom_options_size = static_cast<size_t>(large_size);
    } else if (custom.data != 0) {
      n.custom_options = g.model + custom.data;
      n.custom_options_size = custom.size;
    }
    n.reg = n.builtin_code == kBuiltinCustom
                ? resolver_.custom_lookup()(&resolver_, custom_name, n.version)
                : resolver_.builtin_lookup()(&resolver_, n.builtin_code, n.version);
    if (n.reg == nullptr && missing++ == 0) {
      if (n.builtin_code == kBuiltinCustom)
        Format(first_missing, sizeof(first_missing), "operator %d (custom op '%s')",
               static_cast<int>(i), custom_name);
      else
        Format(first_missing, sizeof(first_missing), "operator %d (builtin code %d v%d)",
               static_cast<int>(i), static_cast<int>(n.builtin_code),
               static_cast<int>(n.version));
    }
    for (int32_t k = 0; k < n.num_inputs + n.num_outputs + n.num_intermediates; ++k) {
      const bool is_input = k < n.num_inputs, is_output = !is_input && k < n.num_inputs + n.num_outputs;
      const int32_t t = is_input ? n.inputs[k] : is_output ? n.outputs[k - n.num_inputs]
                                                           : n.intermediates[k - n.num_inputs - n.num_outputs];
      if (t == kOptionalTensor && (is_input || is_output)) continue;
      if (t < 0 || t >= nt)
        return Fail(StatusCode::kInvalidModel, "operator %d: tensor index %d of %d",
                    static_cast<int>(i), static_cast<int>(t), static_cast<int>(nt));
      const bool is_defined = (defined[t >> 3] >> (t & 7)) & 1;
      if (is_input && !is_defined)
        return Fail(StatusCode::kInvalidModel,
                    "operator %d: input tensor %d is used before any operator produces it",
                    static_cast<int>(i), static_cast<int>(t));
      if (is_output) {
        if (g.tensors[t].allocation == Allocation::kConstant)
          return Fail(StatusCode::kInvalidModel, "operator %d: output tensor %d is a constant",
                      static_cast<int>(i), static_cast<int>(t));
        define(t);
      }
    }
  }
  if (missing > 0)
    return Fail(StatusCode::kUnsupported,
                "%d op(s) not in the resolver, first %s (see `edgelite inspect --micro MODEL`)",
                static_cast<int>(missing), first_missing);
  return StatusCode::kOk;
}

StatusCode MicroInterpreter::Plan() {
  Graph& g = g_;
  const int32_t nt = g.num_tensors, nn = g.num_nodes;
  if (g.num_scratch > 0) {
    g.scratch_data = static_cast<void**>(TailAlloc(sizeof(void*) * g.num_scratch));
    if (g.scratch_data == nullptr) return OutOfArena(g.failed_need, false);
  }
  // Transient, at the start of the arena: lifetimes, requests, offsets, the planner's work.
  const size_t max_requests = static_cast<size_t>(nt) + static_cast<size_t>(g.num_scratch);
  const size_t lifetimes = sizeof(int32_t) * 2 * nt;
  const size_t requests_bytes = sizeof(memory::BufferRequest) * max_requests;
  const size_t owners_bytes = sizeof(int32_t) * max_requests;
  const size_t offsets_bytes = sizeof(size_t) * max_requests;
  auto round = [](size_t v) { return (v + kArenaAlignment - 1) & ~(kArenaAlignment - 1); };
  const size_t transient = round(lifetimes) + round(requests_bytes) + round(owners_bytes) +
                           round(offsets_bytes) + round(memory::PlanWorkBytes(max_requests));
  const size_t tail_used = static_cast<size_t>(g.end - g.tail);
  const size_t free = static_cast<size_t>(g.tail - g.begin);
  if (transient > free) return OutOfArena(tail_used + transient, false);
  uint8_t* p = g.begin;
  int32_t* first = reinterpret_cast<int32_t*>(p);
  int32_t* last = first + nt;
  p += round(lifetimes);
  auto* requests = reinterpret_cast<memory::BufferRequest*>(p);
  p += round(requests_bytes);
  int32_t* owner = reinterpret_cast<int32_t*>(p);  // tensor, or -1 - scratch id
  p += round(owners_bytes);
  size_t* offsets = reinterpret_cast<size_t*>(p);
  p += round(offsets_bytes);
  void* work = p;

  for (int32_t t = 0; t < nt; ++t) first[t] = nn, last[t] = -1;
  auto touch = [&](int32_t t, int32_t step) {
    if (t < 0) return;
    if (step < first[t]) first[t] = step;
    if (step > last[t]) last[t] = step;
  };
  // Graph inputs live through the whole Invoke (callers set them once and may Invoke again);
  // outputs until its end.
  for (int32_t k = 0; k < g.num_inputs; ++k) touch(g.inputs[k], 0), touch(g.inputs[k], nn);
  for (int32_t i = 0; i < nn; ++i) {
    const Node& n = g.nodes[i];
    for (int k = 0; k < n.num_inputs; ++k) touch(n.inputs[k], i);
    for (int k = 0; k < n.num_outputs; ++k) touch(n.outputs[k], i);
    for (int k = 0; k < n.num_intermediates; ++k) touch(n.intermediates[k], i);
  }
  for (int32_t k = 0; k < g.num_outputs; ++k) touch(g.outputs[k], nn);

  size_t m = 0;
  for (int32_t t = 0; t < nt; ++t) {
    Tensor& x = g.tensors[t];
    if (x.allocation != Allocation::kNone || last[t] < 0) continue;
    size_t bytes = 0;
    for (int d = 0; d < x.shape.rank; ++d)
      if (x.shape.dims[d] < 0)
        return Fail(StatusCode::kInvalidModel,
                    "tensor %d '%s' is used but has an unknown (-1) dimension",
                    static_cast<int>(t), x.name);
    if (!internal::TensorBytes(x.type, x.shape.NumElements(), &bytes))
      return Fail(StatusCode::kUnsupported, "tensor %d '%s': cannot plan storage for its type",
                  static_cast<int>(t), x.name);
    x.bytes = bytes;
    requests[m] = memory::BufferRequest{bytes, first[t], last[t]};
    owner[m++] = t;
  }
  int32_t id = g.num_scratch;
  for (const internal::Scratch* s = g.scratch; s != nullptr; s = s->next) {
    requests[m] = memory::BufferRequest{s->bytes, s->node, s->node};
    owner[m++] = -1 - --id;
  }
  const size_t peak = memory::PlanArenaInto(requests, m, kArenaAlignment, offsets, work);
  const size_t need = tail_used + (peak > transient ? peak : transient);
  if (peak > free) return OutOfArena(need, true);
  for (size_t k = 0; k < m; ++k) {
    uint8_t* data = requests[k].size != 0 ? g.begin + offsets[k] : internal::g_empty_storage;
    if (owner[k] >= 0) {
      g.tensors[owner[k]].data = data;
      g.tensors[owner[k]].allocation = Allocation::kArena;
    } else {
      g.scratch_data[-1 - owner[k]] = data;
    }
  }
  used_ = need;
  activations_ = peak;
  return StatusCode::kOk;
}

StatusCode MicroInterpreter::Invoke() {
  if (!ready_)
    return Fail(StatusCode::kFailedPrecondition, "Invoke before a successful AllocateTensors");
  for (int32_t i = 0; i < g_.num_nodes; ++i) {
    const StatusCode c = RunNode(g_.nodes[i].reg->eval, g_.nodes[i], Phase::kEval);
    if (c != StatusCode::kOk) return c;
  }
  return StatusCode::kOk;
}

StatusCode MicroInterpreter::ResetState() {
  for (const Variable* v = static_cast<const Variable*>(g_.variables); v != nullptr; v = v->next) {
    Tensor& t = *v->tensor;
    if (v->init != nullptr) {
      memcpy(t.data, v->init, t.bytes);
    } else {
      // Like TFLite: an 8-bit quantized state starts at its zero point (the image of 0.0).
      const bool q8 = (t.type == DataType::kInt8 || t.type == DataType::kUInt8) && t.quant.count > 0;
      memset(t.data, q8 ? static_cast<uint8_t>(t.quant.zero_point[0]) : 0, t.bytes);
    }
  }
  // Ops that keep their state in persistent memory of their own (TFLM's Signal ops).
  for (int32_t i = 0; i < g_.num_nodes; ++i) {
    Node& n = g_.nodes[i];
    if (n.reg->reset == nullptr) continue;
    const StatusCode c = RunNode(n.reg->reset, n, Phase::kPrepare);
    if (c != StatusCode::kOk) return c;
  }
  return StatusCode::kOk;
}

StatusCode MicroInterpreter::Reset() {
  if (!ready_)
    return Fail(StatusCode::kFailedPrecondition, "Reset before a successful AllocateTensors");
  return ResetState();
}

}  // namespace micro
}  // namespace edgelite

// ---------------------------------------------------------------- OpContext
//
// What an op sees of its node, tensors and memory when a MicroInterpreter runs it (the
// desktop's OpContext is in src/runtime/subgraph.cc). In this file, not one of its own, so
// that a firmware with a MicroInterpreter always links this OpContext: a separate object
// could lose to the desktop one in the static library. With both, the link fails on the
// duplicate symbols, never picks one silently.

namespace edgelite {

using micro::internal::Graph;
using micro::internal::ToGraph;

Tensor* OpContext::input(int i) {
  if (i < 0 || i >= node_->num_inputs) return nullptr;
  return tensor(node_->inputs[i]);
}
Tensor* OpContext::output(int i) {
  if (i < 0 || i >= node_->num_outputs) return nullptr;
  return tensor(node_->outputs[i]);
}
Tensor* OpContext::tensor(int32_t index) {
  Graph* g = ToGraph(subgraph_);
  return index >= 0 && index < g->num_tensors ? &g->tensors[index] : nullptr;
}
int32_t OpContext::input_index(int i) const {
  return (i >= 0 && i < node_->num_inputs) ? node_->inputs[i] : kOptionalTensor;
}
int32_t OpContext::output_index(int i) const {
  return (i >= 0 && i < node_->num_outputs) ? node_->outputs[i] : kOptionalTensor;
}

void* OpContext::AllocatePersistent(size_t bytes) {
  return micro::internal::TailAlloc(*ToGraph(subgraph_), bytes);
}

Status OpContext::ResizeOutput(Tensor* t, const Shape& shape) {
  if (shape.rank < 0 || shape.rank > kMaxRank)
    return Fail(StatusCode::kInvalidArgument, "rank %d is out of range", shape.rank);
  int64_t n = 1;
  for (int i = 0; i < shape.rank; ++i) {
    if (shape.dims[i] < 0)
      return Fail(StatusCode::kInvalidArgument, "tensor '%s': negative dimension %d", t->name,
                  shape.dims[i]);
    n *= shape.dims[i];
    if (n > micro::internal::kMaxElements)
      return Fail(StatusCode::kResourceExhausted, "tensor '%s': more than 2^27 elements",
                  t->name);
  }
  if (t->allocation == Allocation::kConstant || t->allocation == Allocation::kPersistent)
    return Fail(StatusCode::kInternal, "tensor '%s' is constant or variable: not resizable",
                t->name);
  size_t bytes = 0;
  if (!micro::internal::TensorBytes(t->type, n, &bytes))
    return Fail(StatusCode::kUnsupported, "tensor '%s': type %s has no fixed size", t->name,
                DataTypeName(t->type));
  if (phase_ == Phase::kEval && shape != t->shape && bytes > t->bytes)
    return Fail(StatusCode::kUnsupported,
                "tensor '%s' was planned for %zu bytes but needs %zu at eval (the micro core "
                "has no dynamic tensors)",
                t->name, t->bytes, bytes);
  t->shape = shape;
  t->bytes = bytes;
  return Status::Ok();
}

Status OpContext::ResizeStringOutput(Tensor*, size_t) {
  return Fail(StatusCode::kUnsupported, "string tensors are not in the micro core");
}

Status OpContext::RequestScratch(size_t bytes, int* scratch_id) {
  Graph* g = ToGraph(subgraph_);
  if (phase_ == Phase::kEval)
    return Fail(StatusCode::kUnsupported,
                "scratch requested at eval (the micro core plans scratch before Invoke)");
  auto* s = static_cast<micro::internal::Scratch*>(
      micro::internal::TailAlloc(*g, sizeof(micro::internal::Scratch)));
  if (s == nullptr) return Fail(StatusCode::kResourceExhausted, "arena too small");
  *s = micro::internal::Scratch{bytes, node_->index, g->scratch};
  g->scratch = s;
  *scratch_id = g->num_scratch++;
  return Status::Ok();
}

void* OpContext::scratch(int scratch_id) {
  Graph* g = ToGraph(subgraph_);
  if (g->scratch_data == nullptr || scratch_id < 0 || scratch_id >= g->num_scratch) return nullptr;
  return g->scratch_data[scratch_id];
}

int OpContext::num_threads() const { return 1; }

// Ops that call other subgraphs or use resource variables reach the desktop Interpreter through
// this; the micro core has none (MicroOpResolver does not offer those ops).
Interpreter* OpContext::interpreter() { return nullptr; }

void OpContext::ParallelFor(int32_t n_tasks, ParallelTaskFn fn, void* user) {
  for (int32_t t = 0; t < n_tasks; ++t) fn(user, t, 0);
}

const uint8_t* OpContext::model_flatbuffer(size_t* size) const {
  const Graph* g = ToGraph(subgraph_);
  *size = g->model_size;
  return g->model;
}

namespace {
Status NodeError(StatusCode code, const Node& node, const char* fmt, va_list args) {
  char message[160];
  vsnprintf(message, sizeof(message), fmt, args);
  return Status::Error(code, "operator %d (%s): %s", static_cast<int>(node.index),
                       node.reg != nullptr && node.reg->name != nullptr ? node.reg->name : "?",
                       message);
}
}  // namespace

Status OpContext::Fail(StatusCode code, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  Status s = NodeError(code, *node_, fmt, args);
  va_end(args);
  return s;
}

Status OpContext::Invalid(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  Status s = NodeError(StatusCode::kInvalidModel, *node_, fmt, args);
  va_end(args);
  return s;
}

}  // namespace edgelite
