#include "src/runtime/subgraph.h"

#include "src/runtime/sparse.h"
#include "src/runtime/thread_pool.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <new>

#include "schema/tflite_generated.h"

namespace edgelite {
namespace {

#if EDGELITE_MICRO
// Micro profile: Cortex-M has no cache lines or SIMD loads wider than 8 bytes; 16 keeps the
// arena small (TFLM aligns to 16 too). Persistent memory is requested one block at a time from
// the caller's arena (micro/include/edgelite/micro/arena_heap.h) instead of in 64 KiB chunks.
constexpr size_t kArenaAlignment = 16;
constexpr size_t kPersistentChunk = 0;
#else
// Arena tensors start on cache-line boundaries (also satisfies every SIMD load).
constexpr size_t kArenaAlignment = 64;
constexpr size_t kPersistentChunk = 64 * 1024;
#endif
// Address handed out for zero-byte tensors so `data` is never null.
alignas(64) uint8_t g_empty_storage[64];

}  // namespace

void* PersistentAllocator::Allocate(size_t bytes, size_t alignment) {
  if (bytes == 0) bytes = 1;
  size_t pad = cursor_ ? (alignment - reinterpret_cast<uintptr_t>(cursor_) % alignment) % alignment
                       : 0;
  if (cursor_ == nullptr || pad + bytes > remaining_) {
    const size_t chunk = std::max(kPersistentChunk, bytes + alignment);
    std::unique_ptr<uint8_t[]> mem(new (std::nothrow) uint8_t[chunk]);
    if (!mem) return nullptr;
    cursor_ = mem.get();
    remaining_ = chunk;
    chunks_.push_back(std::move(mem));
    pad = (alignment - reinterpret_cast<uintptr_t>(cursor_) % alignment) % alignment;
  }
  uint8_t* p = cursor_ + pad;
  cursor_ = p + bytes;
  remaining_ -= pad + bytes;
  used_ += bytes;
  memset(p, 0, bytes);
  return p;
}

// ---------------------------------------------------------------- OpContext

Tensor* OpContext::input(int i) {
  if (i < 0 || i >= node_->num_inputs) return nullptr;
  return subgraph_->tensor(node_->inputs[i]);
}
Tensor* OpContext::output(int i) {
  if (i < 0 || i >= node_->num_outputs) return nullptr;
  return subgraph_->tensor(node_->outputs[i]);
}
Tensor* OpContext::tensor(int32_t index) { return subgraph_->tensor(index); }
int32_t OpContext::input_index(int i) const {
  return (i >= 0 && i < node_->num_inputs) ? node_->inputs[i] : kOptionalTensor;
}
int32_t OpContext::output_index(int i) const {
  return (i >= 0 && i < node_->num_outputs) ? node_->outputs[i] : kOptionalTensor;
}
void* OpContext::AllocatePersistent(size_t bytes) { return subgraph_->AllocatePersistent(bytes); }
Status OpContext::ResizeOutput(Tensor* t, const Shape& shape) {
  Status s = subgraph_->ResizeTensor(t, shape, phase_);
  if (!s.ok()) return s.WithContext(subgraph_->NodeLabel(*node_));
  return s;
}
Status OpContext::ResizeStringOutput(Tensor* t, size_t bytes) {
  if (phase_ != Phase::kEval || t->type != DataType::kString)
    return Fail(StatusCode::kInternal, "ResizeStringOutput is for string outputs at eval");
  Status s = subgraph_->ResizeTensorBytes(t, bytes);
  if (!s.ok()) return s.WithContext(subgraph_->NodeLabel(*node_));
  return s;
}
Status OpContext::RequestScratch(size_t bytes, int* scratch_id) {
  return subgraph_->RequestScratch(node_, bytes, phase_ == Phase::kEval || node_->deferred,
                                   scratch_id);
}
void* OpContext::scratch(int scratch_id) { return subgraph_->scratch(scratch_id); }
int OpContext::num_threads() const { return subgraph_->interpreter()->options().num_threads; }
Interpreter* OpContext::interpreter() { return subgraph_->interpreter(); }
void OpContext::ParallelFor(int32_t n_tasks, ParallelTaskFn fn, void* user) {
  ThreadPool* pool = subgraph_->interpreter()->thread_pool();
  if (pool == nullptr || n_tasks <= 1) {
    for (int32_t t = 0; t < n_tasks; ++t) fn(user, t, 0);
    return;
  }
  pool->Run(n_tasks, fn, user);
}

const uint8_t* OpContext::model_flatbuffer(size_t* size) const {
  const Model* m = subgraph_->model();  // the interpreter's
  *size = m != nullptr ? m->flatbuffer_size() : 0;
  return m != nullptr ? m->data() : nullptr;
}

Status OpContext::Fail(StatusCode code, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  Status s = Status::ErrorV(code, fmt, args);
  va_end(args);
  return s.WithContext(subgraph_->NodeLabel(*node_));
}
Status OpContext::Invalid(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  Status s = Status::ErrorV(StatusCode::kInvalidModel, fmt, args);
  va_end(args);
  return s.WithContext(subgraph_->NodeLabel(*node_));
}

// ----------------------------------------------------------------- Subgraph

std::string Subgraph::NodeLabel(const Node& node) const {
  std::string s = "subgraph " + std::to_string(index_) + ", operator " + std::to_string(node.index);
  s += " (";
  s += node.reg && node.reg->name ? node.reg->name : BuiltinOperatorLabel(node.builtin_code);
  s += ")";
  return s;
}

void* Subgraph::AllocatePersistent(size_t bytes) {
  return persistent_->Allocate(bytes, 16);
}

Status Subgraph::RunNode(Status (*fn)(OpContext&), Node& n, Phase phase) {
  OpContext ctx(this, &n, phase);
  Status s = fn(ctx);
  // The op read an options table that failed verification and got nullptr
  // (TFLite's defaults) for it: whatever the op made of that, the model is bad.
  if (n.options_state & kOptionsMalformed)
    return Status::Error(StatusCode::kInvalidModel,
                         "%s: the operator's builtin options table (type %d) is malformed: the "
                         "FlatBuffers verifier rejected it",
                         NodeLabel(n).c_str(),
                         static_cast<int>(static_cast<const fb::Operator*>(n.op)->builtin_options_type()));
  return s;
}

Status Subgraph::Build(const Model& model, const fb::SubGraph* sg, const OpResolver& resolver) {
  if (sg->name()) name_ = sg->name()->str();
  const uint32_t nt = sg->tensors() ? sg->tensors()->size() : 0;
  tensors_.resize(nt);
  variable_init_.assign(nt, nullptr);
  dynamic_data_.resize(nt);
  dynamic_capacity_.assign(nt, 0);
  for (uint32_t i = 0; i < nt; ++i) {
    const fb::Tensor* ft = sg->tensors()->Get(i);
    Tensor& t = tensors_[i];
    t.type = static_cast<DataType>(static_cast<int>(ft->type()));
    if (ft->shape()) {
      t.shape.rank = static_cast<int32_t>(ft->shape()->size());
      for (int d = 0; d < t.shape.rank; ++d) t.shape.dims[d] = ft->shape()->Get(d);
    }
    if (ft->shape_signature() && ft->shape_signature()->size() > 0) {
      t.shape_signature = ft->shape_signature()->data();
      t.shape_signature_rank = static_cast<int32_t>(ft->shape_signature()->size());
    }
    t.name = ft->name() ? ft->name()->c_str() : "";
    t.is_variable = ft->is_variable();
    t.sparsity = ft->sparsity();
    if (const fb::QuantizationParameters* q = ft->quantization()) {
      if (q->scale() && q->zero_point() && q->scale()->size() > 0) {
        t.quant.scale = q->scale()->data();
        t.quant.zero_point = q->zero_point()->data();
        if (reinterpret_cast<uintptr_t>(t.quant.zero_point) % alignof(int64_t) != 0) {
          // FlatBuffers writers align int64 vectors; a file that does not
          // (hand-made or corrupted) gets an aligned copy for the kernels.
          const size_t n = q->zero_point()->size();
          auto* zp = static_cast<int64_t*>(persistent_->Allocate(n * sizeof(int64_t), 8));
          if (zp == nullptr)
            return Status::Error(StatusCode::kResourceExhausted,
                                 "cannot copy the zero points of tensor %u '%s'", i, t.name);
          memcpy(zp, q->zero_point()->Data(), n * sizeof(int64_t));
          t.quant.zero_point = zp;
        }
        t.quant.count = static_cast<int32_t>(q->scale()->size());
        t.quant.quantized_dimension = q->quantized_dimension();
        // Rank-1 per-channel tensors are quantized along their only axis
        // whatever the file says (see ValidateQuantization).
        if (t.shape.rank == 1) t.quant.quantized_dimension = 0;
      }
      if (const fb::BlockwiseQuantization* bw = q->details_as_BlockwiseQuantization()) {
        t.quant.block_size = bw->block_size();
        t.quant.block_scales_tensor = bw->scales();
        t.quant.block_zero_points_tensor = bw->zero_points();
      }
    }
    size_t size = 0;
    const uint8_t* data = model.BufferData(ft->buffer(), &size);
    if (t.sparsity != nullptr && size > 0) {
      // A sparse constant: expanded once into persistent memory (see sparse.h).
#if EDGELITE_MICRO
      const OpResolver::SparseDensifyFn densify = resolver.sparse_densifier();
      if (densify == nullptr)
        return Status::Error(StatusCode::kUnsupported,
                             "tensor %u '%s' is sparse: this firmware does not densify sparse "
                             "tensors (MicroOpResolver::AddSparseTensors() links that)",
                             i, t.name);
#else
      const OpResolver::SparseDensifyFn densify = &DensifySparse;
#endif
      const size_t elem = DataTypeSize(t.type);
      size_t dense_bytes = 0;
      if (t.is_variable || elem == 0 || !DataTypeBytes(t.type, t.shape.NumElements(), &dense_bytes))
        return Status::Error(StatusCode::kUnsupported,
                             "sparse tensor %u '%s' of type %s is not supported", i, t.name,
                             DataTypeName(t.type));
      auto* dense = static_cast<uint8_t*>(persistent_->Allocate(dense_bytes, 16));
      if (dense == nullptr)
        return Status::Error(StatusCode::kResourceExhausted,
                             "cannot densify sparse tensor %u '%s' (%zu bytes)", i, t.name,
                             dense_bytes);
      EDGELITE_RETURN_IF_ERROR(densify(t.sparsity, t.shape, elem, data, size, dense, t.name));
      t.data = dense;
      t.bytes = dense_bytes;
      t.allocation = Allocation::kConstant;
    } else if (t.is_variable) {
      variable_init_[i] = size > 0 ? data : nullptr;
    } else if (size > 0) {
      const size_t elem = DataTypeSize(t.type);
      if (elem > 1 && reinterpret_cast<uintptr_t>(data) % elem != 0) {
        // Some converters leave buffers unaligned for their element type
        // (seen: int64 biases at 4-byte offsets). Kernels need natural
        // alignment, so such constants are copied once.
        void* copy = persistent_->Allocate(size, 16);
        if (copy == nullptr)
          return Status::Error(StatusCode::kResourceExhausted,
                               "cannot copy misaligned constant tensor %u '%s' (%zu bytes)", i,
                               t.name, size);
        memcpy(copy, data, size);
        t.data = copy;
      } else {
        t.data = const_cast<uint8_t*>(data);  // constants are never written
      }
      t.bytes = size;
      t.allocation = Allocation::kConstant;
    } else if (t.shape.NumElements() == 0 && ft->buffer() != 0 &&
               model.fb()->buffers()->Get(ft->buffer())->data() != nullptr) {
      // A constant with no elements (an empty data vector).
      t.data = g_empty_storage;
      t.bytes = 0;
      t.allocation = Allocation::kConstant;
    }
  }
  if (sg->inputs()) inputs_.assign(sg->inputs()->begin(), sg->inputs()->end());
  if (sg->outputs()) outputs_.assign(sg->outputs()->begin(), sg->outputs()->end());

  const auto* codes = model.fb()->operator_codes();
  const uint32_t nops = sg->operators() ? sg->operators()->size() : 0;
  nodes_.resize(nops);
  std::string unsupported;
  for (uint32_t i = 0; i < nops; ++i) {
    const fb::Operator* op = sg->operators()->Get(i);
    Node& n = nodes_[i];
    n.index = static_cast<int32_t>(i);
    n.op = op;
    if (model.options_verified()) n.options_state = kOptionsVerified | kOptions2Verified;
    if (op->inputs()) {
      n.inputs = op->inputs()->data();
      n.num_inputs = static_cast<int32_t>(op->inputs()->size());
    }
    if (op->outputs()) {
      n.outputs = op->outputs()->data();
      n.num_outputs = static_cast<int32_t>(op->outputs()->size());
    }
    if (op->intermediates()) {
      n.intermediates = op->intermediates()->data();
      n.num_intermediates = static_cast<int32_t>(op->intermediates()->size());
    }
    if (op->large_custom_options_offset() > 1) {
      const uint64_t off = op->large_custom_options_offset(), sz = op->large_custom_options_size();
      if (off > model.size() || sz > model.size() - off)
        return Status::Error(StatusCode::kInvalidModel,
                             "subgraph %d, operator %u: large custom options lie outside the file",
                             index_, i);
      n.custom_options = model.data() + off;
      n.custom_options_size = static_cast<size_t>(sz);
    } else if (op->custom_options()) {
      n.custom_options = op->custom_options()->data();
      n.custom_options_size = op->custom_options()->size();
    }
    const fb::OperatorCode* oc = codes->Get(op->opcode_index());
    n.builtin_code = std::max<int32_t>(oc->deprecated_builtin_code(),
                                       static_cast<int32_t>(oc->builtin_code()));
    n.version = oc->version();
    if (n.builtin_code == kBuiltinCustom) {
      const char* cname = oc->custom_code()->c_str();
      n.reg = resolver.FindCustom(cname, n.version);
      if (n.reg == nullptr) {
        if (!unsupported.empty()) unsupported += ", ";
        unsupported += "operator " + std::to_string(i) + " (CUSTOM '" + cname + "')";
      }
    } else {
      n.reg = resolver.FindBuiltin(n.builtin_code, n.version);
      if (n.reg == nullptr) {
        if (!unsupported.empty()) unsupported += ", ";
        unsupported += "operator " + std::to_string(i) + " (" +
                       BuiltinOperatorLabel(n.builtin_code) + " v" + std::to_string(n.version) +
                       ")";
      }
    }
  }
  if (!unsupported.empty()) {
#if EDGELITE_MICRO
    // Op codes, not names, in firmware (BuiltinOperatorLabel): say where the names are.
    const char* what = " (`edgelite inspect --micro MODEL` names them and prints the resolver "
                       "lines): ";
#else
    const char* what = ": ";
#endif
    return Status(StatusCode::kUnsupported, "subgraph " + std::to_string(index_) +
                                                ": ops not supported" + what + unsupported);
  }
  for (Node& n : nodes_) {
    if (n.reg->init == nullptr) continue;
    EDGELITE_RETURN_IF_ERROR(RunNode(n.reg->init, n, Phase::kInit));
  }
  return Status::Ok();
}

Status Subgraph::CheckTensorBytes(size_t index, size_t bytes) const {
  const size_t cap = interp_ != nullptr ? interp_->options().max_tensor_bytes : 0;
  if (cap == 0 || bytes <= cap) return Status::Ok();
  const Tensor& t = tensors_[index];
  char sbuf[96];
  return Status::Error(StatusCode::kResourceExhausted,
                       "subgraph %d, tensor %zu '%s': shape %s of %s needs %zu bytes, more than "
                       "the per-tensor limit of %zu (max_tensor_bytes)",
                       index_, index, t.name, t.shape.ToString(sbuf, sizeof(sbuf)),
                       DataTypeName(t.type), bytes, cap);
}

Status Subgraph::ResizeTensor(Tensor* t, const Shape& shape, Phase phase) {
  if (shape.rank < 0 || shape.rank > kMaxRank)
    return Status::Error(StatusCode::kInvalidArgument, "rank %d is out of range [0, %d]",
                         shape.rank, kMaxRank);
  int64_t n = 1;
  for (int i = 0; i < shape.rank; ++i) {
    if (shape.dims[i] < 0)
      return Status::Error(StatusCode::kInvalidArgument,
                           "tensor '%s': negative dimension %d at axis %d", t->name,
                           shape.dims[i], i);
    if (shape.dims[i] != 0 && n > (int64_t{1} << 40) / shape.dims[i])
      return Status::Error(StatusCode::kResourceExhausted,
                           "tensor '%s': shape product overflows", t->name);
    n *= shape.dims[i];
  }
  if (t->allocation == Allocation::kConstant)
    return Status::Error(StatusCode::kInternal, "tensor '%s' is constant and cannot be resized",
                         t->name);
  const size_t index = static_cast<size_t>(t - tensors_.data());
  size_t bytes = 0;
  const bool fixed = DataTypeBytes(t->type, n, &bytes);
  if (fixed && t->allocation != Allocation::kPersistent &&
      interp_ != nullptr && interp_->options().max_tensor_bytes != 0 &&
      bytes > interp_->options().max_tensor_bytes) {
    char sbuf[96];
    return Status::Error(StatusCode::kResourceExhausted,
                         "subgraph %d, tensor %zu '%s': shape %s of %s needs %zu bytes, more "
                         "than the per-tensor limit of %zu (max_tensor_bytes)",
                         index_, index, t->name, shape.ToString(sbuf, sizeof(sbuf)),
                         DataTypeName(t->type), bytes, interp_->options().max_tensor_bytes);
  }
  if (t->allocation == Allocation::kDynamic) {
    t->shape = shape;
    if (!fixed) return Status::Ok();  // strings: sized by ResizeTensorBytes
    if (phase == Phase::kEval) return ResizeTensorBytes(t, bytes);
    return Status::Ok();
  }
  if (phase == Phase::kEval && t->allocation == Allocation::kArena) {
    if (shape != t->shape && bytes > t->bytes)
      return Status::Error(StatusCode::kInternal,
                           "tensor %zu '%s' was planned for %zu bytes but needs %zu at eval",
                           index, t->name, t->bytes, bytes);
  }
  t->shape = shape;
  if (fixed && t->allocation != Allocation::kPersistent) t->bytes = bytes;
  return Status::Ok();
}

Status Subgraph::ResizeTensorBytes(Tensor* t, size_t bytes) {
  const size_t index = static_cast<size_t>(t - tensors_.data());
  if (t->allocation != Allocation::kDynamic)
    return Status::Error(StatusCode::kInternal, "tensor %zu '%s' is not dynamic", index, t->name);
  EDGELITE_RETURN_IF_ERROR(CheckTensorBytes(index, bytes));
  if (bytes > dynamic_capacity_[index] || !dynamic_data_[index]) {
    std::unique_ptr<uint8_t[]> mem(new (std::nothrow) uint8_t[bytes ? bytes : 1]);
    if (!mem)
      return Status::Error(StatusCode::kResourceExhausted,
                           "cannot allocate %zu bytes for dynamic tensor %zu '%s'", bytes, index,
                           t->name);
    dynamic_data_[index] = std::move(mem);
    dynamic_capacity_[index] = bytes;
  }
  t->data = dynamic_data_[index].get();
  t->bytes = bytes;
  return Status::Ok();
}

Status Subgraph::RequestScratch(Node* node, size_t bytes, bool defer, int* id) {
  Scratch s;
  s.bytes = bytes;
  s.node = node->index;
  s.dynamic = defer;
  if (defer) {
    s.heap.reset(new (std::nothrow) uint8_t[bytes ? bytes : 1]);
    if (!s.heap)
      return Status::Error(StatusCode::kResourceExhausted,
                           "%s: cannot allocate %zu bytes of scratch", NodeLabel(*node).c_str(),
                           bytes);
    s.data = s.heap.get();
  }
  scratch_.push_back(std::move(s));
  *id = static_cast<int>(scratch_.size() - 1);
  return Status::Ok();
}

void* Subgraph::scratch(int id) {
  if (id < 0 || static_cast<size_t>(id) >= scratch_.size()) return nullptr;
  return scratch_[id].data;
}

Status Subgraph::AllocateVariables() {
  if (variables_allocated_) return Status::Ok();
  for (size_t i = 0; i < tensors_.size(); ++i) {
    Tensor& t = tensors_[i];
    if (!t.is_variable) continue;
    size_t bytes = 0;
    if (!DataTypeBytes(t.type, t.shape.NumElements(), &bytes))
      return Status::Error(StatusCode::kUnsupported,
                           "subgraph %d, tensor %zu '%s': variables of type %s are not supported",
                           index_, i, t.name, DataTypeName(t.type));
    EDGELITE_RETURN_IF_ERROR(CheckTensorBytes(i, bytes));
    void* p = persistent_->Allocate(bytes, kArenaAlignment);
    if (p == nullptr)
      return Status::Error(StatusCode::kResourceExhausted,
                           "cannot allocate %zu bytes for variable tensor '%s'", bytes, t.name);
    t.data = p;
    t.bytes = bytes;
    t.allocation = Allocation::kPersistent;
  }
  variables_allocated_ = true;
  return ResetVariables();
}

Status Subgraph::ResetVariables() {
  for (size_t i = 0; i < tensors_.size(); ++i) {
    Tensor& t = tensors_[i];
    if (!t.is_variable || t.data == nullptr) continue;
    if (variable_init_[i] != nullptr) {
      memcpy(t.data, variable_init_[i], t.bytes);
    } else if ((t.type == DataType::kInt8 || t.type == DataType::kUInt8) &&
               t.quant.count > 0) {
      // Like TFLite: an 8-bit quantized state starts at its zero point (the
      // quantized image of 0.0), not at the byte 0.
      memset(t.data, static_cast<uint8_t>(t.quant.zero_point[0]), t.bytes);
    } else {
      memset(t.data, 0, t.bytes);
    }
  }
  // Ops that keep their state in persistent memory of their own (TFLM's
  // Signal ops) reset it here, like TFLM's MicroInterpreter::Reset.
  for (Node& n : nodes_) {
    if (n.reg == nullptr || n.reg->reset == nullptr) continue;
    EDGELITE_RETURN_IF_ERROR(RunNode(n.reg->reset, n, Phase::kPrepare));
  }
  return Status::Ok();
}

Status Subgraph::Prepare() {
  allocated_ = false;
  EDGELITE_RETURN_IF_ERROR(AllocateVariables());
  for (Tensor& t : tensors_) {
    if (t.allocation == Allocation::kArena || t.allocation == Allocation::kDynamic) {
      t.allocation = Allocation::kNone;
      t.data = nullptr;
    }
    if (t.allocation == Allocation::kNone && t.type == DataType::kString)
      t.allocation = Allocation::kDynamic;
  }
  scratch_.clear();
  for (Node& n : nodes_) {
    n.deferred = false;
    for (int i = 0; i < n.num_inputs; ++i) {
      const int32_t ti = n.inputs[i];
      if (ti >= 0 && tensors_[ti].allocation == Allocation::kDynamic) n.deferred = true;
    }
    if (n.deferred) {
      for (int i = 0; i < n.num_outputs; ++i)
        if (n.outputs[i] >= 0 && tensors_[n.outputs[i]].allocation == Allocation::kNone)
          tensors_[n.outputs[i]].allocation = Allocation::kDynamic;
      continue;
    }
    if (n.reg->prepare == nullptr) continue;
    EDGELITE_RETURN_IF_ERROR(RunNode(n.reg->prepare, n, Phase::kPrepare));
  }
  return PlanMemory();
}

Status Subgraph::PlanMemory() {
  const int32_t nn = static_cast<int32_t>(nodes_.size());
  const size_t nt = tensors_.size();
  std::vector<int32_t> first(nt, INT_MAX), last(nt, -1);
  auto touch = [&](int32_t t, int32_t step) {
    if (t < 0) return;
    first[t] = std::min(first[t], step);
    last[t] = std::max(last[t], step);
  };
  // Graph inputs are never overwritten during Invoke (as in TFLite): callers
  // set them once and may Invoke again.
  for (int32_t t : inputs_) {
    touch(t, 0);
    if (t >= 0) last[t] = std::max(last[t], nn);
  }
  for (int32_t i = 0; i < nn; ++i) {
    const Node& n = nodes_[i];
    for (int k = 0; k < n.num_inputs; ++k) touch(n.inputs[k], i);
    for (int k = 0; k < n.num_outputs; ++k) touch(n.outputs[k], i);
    for (int k = 0; k < n.num_intermediates; ++k) touch(n.intermediates[k], i);
  }
  for (int32_t t : outputs_) {
    if (t >= 0) {
      first[t] = std::min(first[t], nn);
      last[t] = nn;
    }
  }
  requests_.clear();
  request_tensor_.clear();
  for (size_t t = 0; t < nt; ++t) {
    Tensor& tensor = tensors_[t];
    if (tensor.allocation != Allocation::kNone || last[t] < 0) continue;
    for (int d = 0; d < tensor.shape.rank; ++d)
      if (tensor.shape.dims[d] < 0)
        return Status::Error(StatusCode::kInvalidModel,
                             "subgraph %d, tensor %zu '%s' is used but has an unknown (-1) "
                             "dimension %d",
                             index_, t, tensor.name, d);
    size_t bytes = 0;
    if (!DataTypeBytes(tensor.type, tensor.shape.NumElements(), &bytes))
      return Status::Error(StatusCode::kUnsupported,
                           "subgraph %d, tensor %zu '%s': cannot plan storage for type %s",
                           index_, t, tensor.name, DataTypeName(tensor.type));
    EDGELITE_RETURN_IF_ERROR(CheckTensorBytes(t, bytes));
    tensor.bytes = bytes;
    tensor.allocation = Allocation::kArena;
    requests_.push_back({bytes, first[t], last[t]});
    request_tensor_.push_back(static_cast<int32_t>(t));
  }
  for (Scratch& s : scratch_) {
    if (s.dynamic) continue;
    s.request = static_cast<int>(requests_.size());
    requests_.push_back({s.bytes, s.node, s.node});
    request_tensor_.push_back(-1);
  }
  plan_ = memory::PlanArena(requests_, kArenaAlignment);
  return Status::Ok();
}

void Subgraph::BindArena(uint8_t* base) {
  for (size_t r = 0; r < requests_.size(); ++r) {
    uint8_t* p = requests_[r].size ? base + plan_.offsets[r] : g_empty_storage;
    if (request_tensor_[r] >= 0) tensors_[request_tensor_[r]].data = p;
  }
  for (Scratch& s : scratch_)
    if (!s.dynamic && s.request >= 0) s.data = s.bytes ? base + plan_.offsets[s.request]
                                                       : g_empty_storage;
  allocated_ = true;
}

Status Subgraph::Invoke() {
  if (!allocated_)
    return Status::Error(StatusCode::kFailedPrecondition,
                         "subgraph %d: AllocateTensors() must succeed before Invoke()", index_);
  // Drop scratch that deferred nodes requested during the previous Invoke.
  scratch_.erase(std::remove_if(scratch_.begin(), scratch_.end(),
                                [](const Scratch& s) { return s.dynamic; }),
                 scratch_.end());
  // Profiling hook (InterpreterOptions::on_node): the clock is read only when set.
  auto* const on_node = interp_ != nullptr ? interp_->options().on_node : nullptr;
  for (Node& n : nodes_) {
    std::chrono::steady_clock::time_point t0;
    if (on_node != nullptr) t0 = std::chrono::steady_clock::now();
    if (n.deferred && n.reg->prepare != nullptr) {
      EDGELITE_RETURN_IF_ERROR(RunNode(n.reg->prepare, n, Phase::kEval));
      // Outputs that prepare sized but that are dynamic still need storage.
      for (int k = 0; k < n.num_outputs; ++k) {
        Tensor* t = tensor(n.outputs[k]);
        if (t && t->allocation == Allocation::kDynamic && t->data == nullptr) {
          size_t bytes = 0;
          if (DataTypeBytes(t->type, t->shape.NumElements(), &bytes))
            EDGELITE_RETURN_IF_ERROR(ResizeTensorBytes(t, bytes));
        }
      }
    }
    EDGELITE_RETURN_IF_ERROR(RunNode(n.reg->eval, n, Phase::kEval));
    if (on_node != nullptr) {
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::steady_clock::now() - t0).count();
      on_node(interp_->options().on_node_user, index_, n.index,
              n.reg->name ? n.reg->name
#if EDGELITE_MICRO
                          : "",  // no op-name table in firmware (BuiltinOperatorLabel)
#else
                          : BuiltinOperatorName(n.builtin_code),
#endif
              static_cast<uint64_t>(ns));
    }
  }
  return Status::Ok();
}

// ------------------------------------------------------ called by an op

Status Subgraph::PrepareAsCallee(const Tensor* const* args, int num_args) {
  if (busy_)
    return Status::Error(StatusCode::kInvalidModel,
                         "subgraph %d is called recursively (directly or through other "
                         "subgraphs); recursion is not supported",
                         index_);
  if (num_args < 0 || static_cast<size_t>(num_args) != inputs_.size())
    return Status::Error(StatusCode::kInvalidModel,
                         "subgraph %d takes %zu inputs but is called with %d values", index_,
                         inputs_.size(), num_args);
  bool changed = false;
  for (int i = 0; i < num_args; ++i) {
    Tensor* in = tensor(inputs_[i]);
    const Tensor* a = args[i];
    if (in == nullptr || a == nullptr)
      return Status::Error(StatusCode::kInvalidModel, "subgraph %d: input %d is missing", index_,
                           i);
    if (in->type != a->type)
      return Status::Error(StatusCode::kInvalidModel,
                           "subgraph %d: input %d ('%s') has type %s but is passed a %s value",
                           index_, i, in->name, DataTypeName(in->type), DataTypeName(a->type));
    if (in->allocation == Allocation::kConstant || in->is_variable)
      return Status::Error(StatusCode::kInvalidModel,
                           "subgraph %d: input %d ('%s') is a constant or variable tensor and "
                           "cannot receive a value",
                           index_, i, in->name);
    if (in->shape != a->shape) {
      in->shape = a->shape;
      changed = true;
    }
  }
  if (allocated_ && !changed) return Status::Ok();
  busy_ = true;
  Status s = Prepare();
  if (s.ok()) {
    const size_t need = plan_.peak_bytes + kArenaAlignment;
    const size_t cap = interp_ != nullptr ? interp_->options().max_arena_bytes : 0;
    if ((!own_arena_ || need > own_arena_capacity_) && cap != 0) {
      // The interpreter's arena cap covers callee arenas too.
      const size_t others = interp_->arena_held_bytes() - own_arena_capacity_;
      if (others + need > cap)
        s = Status::Error(StatusCode::kResourceExhausted,
                          "subgraph %d (called by a control-flow op) needs an arena of %zu "
                          "bytes; with the %zu bytes other arenas hold that is %zu more than "
                          "the limit of %zu (max_arena_bytes)",
                          index_, need, others, others + need - cap, cap);
    }
    if (s.ok() && (!own_arena_ || need > own_arena_capacity_)) {
      own_arena_.reset();
      own_arena_capacity_ = 0;
      own_arena_.reset(new (std::nothrow) uint8_t[need]);
      if (!own_arena_)
        s = Status::Error(StatusCode::kResourceExhausted,
                          "cannot allocate an arena of %zu bytes for subgraph %d", need, index_);
      else
        own_arena_capacity_ = need;
    }
    if (s.ok()) {
      uint8_t* base = own_arena_.get();
      base += (kArenaAlignment - reinterpret_cast<uintptr_t>(base) % kArenaAlignment) %
              kArenaAlignment;
      BindArena(base);
    }
  }
  busy_ = false;
  return s;
}

Status Subgraph::InvokeAsCallee() {
  if (busy_)
    return Status::Error(StatusCode::kInvalidModel,
                         "subgraph %d is called recursively (directly or through other "
                         "subgraphs); recursion is not supported",
                         index_);
  busy_ = true;
  Status s = Invoke();
  busy_ = false;
  return s;
}

}  // namespace edgelite
