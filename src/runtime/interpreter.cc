#include "edgelite/interpreter.h"

#include <cstring>
#include <new>

#include "schema/tflite_generated.h"
#include "src/runtime/thread_pool.h"
#include "src/runtime/resources.h"
#include "src/runtime/subgraph.h"

namespace edgelite {
namespace {
#if EDGELITE_MICRO
constexpr size_t kArenaAlignment = 16;  // as in subgraph.cc
#else
constexpr size_t kArenaAlignment = 64;
#endif
size_t AlignUp(size_t v) { return (v + kArenaAlignment - 1) & ~(kArenaAlignment - 1); }

// The largest element count a resize may ask for: the model loader's default
// limit (ModelLimits::max_tensor_elements), so that later size arithmetic
// (elements x 16 bytes) cannot overflow.
constexpr int64_t kMaxResizeElements = int64_t{1} << 34;

Status CheckShape(const Tensor& t, const Shape& shape, size_t max_tensor_bytes) {
  if (shape.rank < 0 || shape.rank > kMaxRank)
    return Status::Error(StatusCode::kInvalidArgument,
                         "tensor '%s': rank %d is out of range [0, %d]", t.name, shape.rank,
                         kMaxRank);
  int64_t n = 1;
  for (int i = 0; i < shape.rank; ++i) {
    if (shape.dims[i] < 0)
      return Status::Error(StatusCode::kInvalidArgument,
                           "tensor '%s': dimension %d is negative (%d)", t.name, i,
                           shape.dims[i]);
    if (shape.dims[i] != 0 && n > kMaxResizeElements / shape.dims[i])
      return Status::Error(StatusCode::kInvalidArgument,
                           "tensor '%s': the shape's element count exceeds %lld (the product "
                           "of its dimensions would overflow the size arithmetic)",
                           t.name, static_cast<long long>(kMaxResizeElements));
    n *= shape.dims[i];
  }
  size_t bytes = 0;
  if (max_tensor_bytes != 0 && DataTypeBytes(t.type, n, &bytes) && bytes > max_tensor_bytes) {
    char sbuf[96];
    return Status::Error(StatusCode::kResourceExhausted,
                         "tensor '%s': shape %s of %s needs %zu bytes, more than the per-tensor "
                         "limit of %zu (max_tensor_bytes)",
                         t.name, shape.ToString(sbuf, sizeof(sbuf)), DataTypeName(t.type), bytes,
                         max_tensor_bytes);
  }
  return Status::Ok();
}

Status CheckStrict(const Tensor& t, const Shape& shape) {
  if (t.shape_signature == nullptr) {
    if (shape != t.shape)
      return Status::Error(StatusCode::kInvalidArgument,
                           "tensor '%s' has a static shape (no shape signature); strict resize "
                           "cannot change it",
                           t.name);
    return Status::Ok();
  }
  if (shape.rank != t.shape_signature_rank)
    return Status::Error(StatusCode::kInvalidArgument,
                         "tensor '%s': strict resize to rank %d, but its signature has rank %d",
                         t.name, shape.rank, t.shape_signature_rank);
  for (int i = 0; i < shape.rank; ++i)
    if (t.shape_signature[i] != -1 && t.shape_signature[i] != shape.dims[i])
      return Status::Error(StatusCode::kInvalidArgument,
                           "tensor '%s': dimension %d is fixed at %d by the shape signature; "
                           "strict resize cannot set it to %d",
                           t.name, i, t.shape_signature[i], shape.dims[i]);
  return Status::Ok();
}
}  // namespace

Interpreter::Interpreter(const Model& model, const OpResolver& resolver,
                         const InterpreterOptions& o)
    : model_(model), resolver_(resolver), options_(o) {}

Interpreter::~Interpreter() = default;

Result<std::unique_ptr<Interpreter>> Interpreter::Create(const Model& model,
                                                         const OpResolver& resolver,
                                                         const InterpreterOptions& options) {
  if (options.num_threads < 1)
    return Status::Error(StatusCode::kInvalidArgument, "num_threads must be >= 1 (got %d)",
                         options.num_threads);
  std::unique_ptr<Interpreter> interp(new (std::nothrow) Interpreter(model, resolver, options));
  if (!interp) return Status::Error(StatusCode::kResourceExhausted, "out of memory");
  EDGELITE_RETURN_IF_ERROR(interp->Build());
  return std::move(interp);
}

Status Interpreter::Build() {
  // Workers start once, here, and live as long as the interpreter (none for 1 thread).
  thread_pool_ = ThreadPool::Create(options_.num_threads);
  persistent_.reset(new (std::nothrow) PersistentAllocator());
  if (!persistent_) return Status::Error(StatusCode::kResourceExhausted, "out of memory");
  const auto* sgs = model_.fb()->subgraphs();
  if (sgs == nullptr || sgs->size() == 0)
    return Status::Error(StatusCode::kInvalidModel, "the model has no subgraphs");
  resources_.reset(new (std::nothrow) ResourceStore());
  if (!resources_) return Status::Error(StatusCode::kResourceExhausted, "out of memory");
  resources_->SetNumSubgraphs(static_cast<int>(sgs->size()));
  for (uint32_t i = 0; i < sgs->size(); ++i) {
    std::unique_ptr<Subgraph> sg(
        new (std::nothrow) Subgraph(this, static_cast<int>(i), persistent_.get()));
    if (!sg) return Status::Error(StatusCode::kResourceExhausted, "out of memory");
    subgraphs_.push_back(std::move(sg));
  }
  // Build after all exist: control-flow ops look up other subgraphs in init.
  for (uint32_t i = 0; i < sgs->size(); ++i)
    EDGELITE_RETURN_IF_ERROR(subgraphs_[i]->Build(model_, sgs->Get(i), resolver_));
  if (const auto* sigs = model_.fb()->signature_defs()) {
    for (uint32_t i = 0; i < sigs->size(); ++i) {
      std::unique_ptr<SignatureRunner> r(new (std::nothrow) SignatureRunner(this, sigs->Get(i)));
      if (!r) return Status::Error(StatusCode::kResourceExhausted, "out of memory");
      signatures_.push_back(std::move(r));
    }
  }
  return Status::Ok();
}

Status Interpreter::AllocateTensors() {
  for (auto& sg : subgraphs_) sg->set_allocated(false);
  size_t total = 0;
  for (auto& sg : subgraphs_) {
    if (sg->is_callee()) continue;  // prepared by the op that calls it, in its own arena
    EDGELITE_RETURN_IF_ERROR(sg->Prepare());
    total += AlignUp(sg->arena_bytes());
  }
  if (options_.max_arena_bytes != 0) {
    // Callee subgraphs were prepared (and their arenas sized) by the ops
    // that call them during the loop above: the cap covers them too.
    size_t callees = 0;
    for (auto& sg : subgraphs_) callees += sg->own_arena_capacity();
    if (total + callees > options_.max_arena_bytes)
      return Status::Error(StatusCode::kResourceExhausted,
                           "the model needs arenas of %zu bytes (%zu shared + %zu for called "
                           "subgraphs), %zu more than the limit of %zu (max_arena_bytes)",
                           total + callees, total, callees,
                           total + callees - options_.max_arena_bytes, options_.max_arena_bytes);
  }
  if (total > arena_capacity_) {
    arena_storage_.reset();
    arena_capacity_ = 0;
    std::unique_ptr<uint8_t[]> mem(new (std::nothrow) uint8_t[total + kArenaAlignment]);
    if (!mem)
      return Status::Error(StatusCode::kResourceExhausted,
                           "cannot allocate an arena of %zu bytes", total);
    arena_storage_ = std::move(mem);
    arena_capacity_ = total;
  }
  arena_bytes_ = total;
  uint8_t* base = arena_storage_.get();
  if (base != nullptr) {
    base += (kArenaAlignment - reinterpret_cast<uintptr_t>(base) % kArenaAlignment) %
            kArenaAlignment;
  }
  size_t offset = 0;
  for (auto& sg : subgraphs_) {
    if (sg->is_callee()) continue;
    sg->BindArena(base ? base + offset : nullptr);
    offset += AlignUp(sg->arena_bytes());
  }
  return Status::Ok();
}

Status Interpreter::ResizeInputTensor(int i, const Shape& shape, bool strict) {
  if (i < 0 || i >= num_inputs())
    return Status::Error(StatusCode::kInvalidArgument, "input %d does not exist (the model has %d)",
                         i, num_inputs());
  Tensor* t = input(i);
  EDGELITE_RETURN_IF_ERROR(CheckShape(*t, shape, options_.max_tensor_bytes));
  if (strict) EDGELITE_RETURN_IF_ERROR(CheckStrict(*t, shape));
  if (t->shape == shape) return Status::Ok();
  t->shape = shape;
  for (auto& sg : subgraphs_) sg->Invalidate();
  return Status::Ok();
}

Status Interpreter::Invoke() { return subgraphs_[0]->Invoke(); }

Status Interpreter::SetStringTensor(int32_t tensor_index, const StringRef* strings,
                                    int32_t count) {
  Tensor* t = tensor(tensor_index);
  if (t == nullptr)
    return Status::Error(StatusCode::kInvalidArgument, "tensor %d does not exist", tensor_index);
  if (t->type != DataType::kString)
    return Status::Error(StatusCode::kInvalidArgument, "tensor %d '%s' has type %s, not string",
                         tensor_index, t->name, DataTypeName(t->type));
  if (t->allocation != Allocation::kDynamic)
    return Status::Error(StatusCode::kFailedPrecondition,
                         "tensor %d '%s' is not a writable string tensor (call AllocateTensors "
                         "first; constants cannot be set)",
                         tensor_index, t->name);
  if (count < 0 || (count > 0 && strings == nullptr) || count != t->shape.NumElements())
    return Status::Error(StatusCode::kInvalidArgument,
                         "tensor %d '%s' holds %lld strings; %d given", tensor_index, t->name,
                         static_cast<long long>(t->shape.NumElements()), count);
  const size_t bytes = PackedStringBytes(strings, count);
  if (bytes == 0)
    return Status::Error(StatusCode::kInvalidArgument, "strings for tensor %d exceed 2 GiB",
                         tensor_index);
  EDGELITE_RETURN_IF_ERROR(subgraphs_[0]->ResizeTensorBytes(t, bytes));
  PackStrings(strings, count, t->data);
  return Status::Ok();
}

Status Interpreter::ResetVariables() {
  for (auto& sg : subgraphs_) EDGELITE_RETURN_IF_ERROR(sg->ResetVariables());
  return Status::Ok();
}

int Interpreter::num_inputs() const { return static_cast<int>(subgraphs_[0]->inputs().size()); }
int Interpreter::num_outputs() const { return static_cast<int>(subgraphs_[0]->outputs().size()); }
Tensor* Interpreter::input(int i) {
  if (i < 0 || i >= num_inputs()) return nullptr;
  return subgraphs_[0]->tensor(subgraphs_[0]->inputs()[i]);
}
Tensor* Interpreter::output(int i) {
  if (i < 0 || i >= num_outputs()) return nullptr;
  return subgraphs_[0]->tensor(subgraphs_[0]->outputs()[i]);
}
int32_t Interpreter::input_tensor_index(int i) const {
  return (i >= 0 && i < num_inputs()) ? subgraphs_[0]->inputs()[i] : -1;
}
int32_t Interpreter::output_tensor_index(int i) const {
  return (i >= 0 && i < num_outputs()) ? subgraphs_[0]->outputs()[i] : -1;
}
int Interpreter::FindInput(const char* name) const {
  if (name == nullptr) return -1;
  for (int i = 0; i < num_inputs(); ++i)
    if (strcmp(subgraphs_[0]->tensors()[subgraphs_[0]->inputs()[i]].name, name) == 0) return i;
  return -1;
}
int Interpreter::FindOutput(const char* name) const {
  if (name == nullptr) return -1;
  for (int i = 0; i < num_outputs(); ++i)
    if (strcmp(subgraphs_[0]->tensors()[subgraphs_[0]->outputs()[i]].name, name) == 0) return i;
  return -1;
}
size_t Interpreter::num_tensors() const { return subgraphs_[0]->tensors().size(); }
Tensor* Interpreter::tensor(int32_t index) { return subgraphs_[0]->tensor(index); }
size_t Interpreter::arena_bytes() const {
  size_t total = arena_bytes_;
  for (const auto& sg : subgraphs_) total += sg->own_arena_bytes();
  return total;
}
bool Interpreter::tensors_allocated() const { return subgraphs_[0]->allocated(); }

namespace {
// Shared checks of the checked copies; `what` is "input" or "output".
Status CheckCopy(const char* what, int i, int count, const Tensor* t, bool allocated,
                 const DataType* type, const void* data, size_t bytes) {
  if (t == nullptr)
    return Status::Error(StatusCode::kInvalidArgument, "%s %d does not exist (the model has %d)",
                         what, i, count);
  if (!allocated)
    return Status::Error(StatusCode::kFailedPrecondition,
                         "%s %d '%s': AllocateTensors() must succeed first (also after a failed "
                         "AllocateTensors or a ResizeInputTensor)",
                         what, i, t->name);
  if (type != nullptr && *type != t->type)
    return Status::Error(StatusCode::kInvalidArgument, "%s %d '%s' has type %s, not %s", what, i,
                         t->name, DataTypeName(t->type),
                         IsKnownDataType(static_cast<int>(*type)) ? DataTypeName(*type)
                                                                  : "an unknown type");
  if (t->type == DataType::kString)
    return Status::Error(StatusCode::kUnsupported,
                         "%s %d '%s' is a string tensor; it cannot be copied as raw bytes", what,
                         i, t->name);
  if (t->data == nullptr)
    return Status::Error(StatusCode::kFailedPrecondition,
                         "%s %d '%s' has no storage yet (a dynamic output: call Invoke first)",
                         what, i, t->name);
  if (bytes != t->bytes) {
    char sbuf[96];
    return Status::Error(StatusCode::kInvalidArgument,
                         "%s %d '%s' holds %zu bytes (shape %s of %s), but the buffer has %zu",
                         what, i, t->name, t->bytes, t->shape.ToString(sbuf, sizeof(sbuf)),
                         DataTypeName(t->type), bytes);
  }
  if (data == nullptr && bytes != 0)
    return Status::Error(StatusCode::kInvalidArgument, "%s %d '%s': the buffer is null", what, i,
                         t->name);
  return Status::Ok();
}
}  // namespace

Status Interpreter::CopyToInput(int i, const void* data, size_t bytes) {
  Tensor* t = input(i);
  EDGELITE_RETURN_IF_ERROR(
      CheckCopy("input", i, num_inputs(), t, tensors_allocated(), nullptr, data, bytes));
  if (bytes != 0) memcpy(t->data, data, bytes);
  return Status::Ok();
}
Status Interpreter::CopyToInput(int i, DataType type, const void* data, size_t bytes) {
  Tensor* t = input(i);
  EDGELITE_RETURN_IF_ERROR(
      CheckCopy("input", i, num_inputs(), t, tensors_allocated(), &type, data, bytes));
  if (bytes != 0) memcpy(t->data, data, bytes);
  return Status::Ok();
}
Status Interpreter::CopyFromOutput(int i, void* data, size_t bytes) {
  Tensor* t = output(i);
  EDGELITE_RETURN_IF_ERROR(
      CheckCopy("output", i, num_outputs(), t, tensors_allocated(), nullptr, data, bytes));
  if (bytes != 0) memcpy(data, t->data, bytes);
  return Status::Ok();
}
Status Interpreter::CopyFromOutput(int i, DataType type, void* data, size_t bytes) {
  Tensor* t = output(i);
  EDGELITE_RETURN_IF_ERROR(
      CheckCopy("output", i, num_outputs(), t, tensors_allocated(), &type, data, bytes));
  if (bytes != 0) memcpy(data, t->data, bytes);
  return Status::Ok();
}

size_t Interpreter::arena_held_bytes() const {
  size_t total = arena_capacity_;
  for (const auto& sg : subgraphs_) total += sg->own_arena_capacity();
  return total;
}
ResourceStore* Interpreter::resources() { return resources_.get(); }
size_t Interpreter::persistent_bytes() const { return persistent_ ? persistent_->used_bytes() : 0; }
int Interpreter::num_subgraphs() const { return static_cast<int>(subgraphs_.size()); }
Subgraph* Interpreter::subgraph(int i) {
  return (i >= 0 && i < num_subgraphs()) ? subgraphs_[i].get() : nullptr;
}
int Interpreter::num_signatures() const { return static_cast<int>(signatures_.size()); }
const char* Interpreter::signature_key(int i) const {
  return (i >= 0 && i < num_signatures()) ? signatures_[i]->key() : nullptr;
}
SignatureRunner* Interpreter::GetSignatureRunner(const char* key) {
  if (key == nullptr) return signatures_.empty() ? nullptr : signatures_[0].get();
  for (auto& s : signatures_)
    if (strcmp(s->key(), key) == 0) return s.get();
  return nullptr;
}

// ----------------------------------------------------------- SignatureRunner

SignatureRunner::SignatureRunner(Interpreter* interp, const void* def) : interp_(interp) {
  const auto* sig = static_cast<const fb::SignatureDef*>(def);
  if (sig->signature_key()) key_ = sig->signature_key()->c_str();
  subgraph_index_ = static_cast<int>(sig->subgraph_index());
  if (sig->inputs())
    for (const fb::TensorMap* m : *sig->inputs()) {
      input_names_.push_back(m->name() ? m->name()->c_str() : "");
      input_tensors_.push_back(static_cast<int32_t>(m->tensor_index()));
    }
  if (sig->outputs())
    for (const fb::TensorMap* m : *sig->outputs()) {
      output_names_.push_back(m->name() ? m->name()->c_str() : "");
      output_tensors_.push_back(static_cast<int32_t>(m->tensor_index()));
    }
}

Tensor* SignatureRunner::input(const char* name) {
  if (name == nullptr) return nullptr;
  for (size_t i = 0; i < input_names_.size(); ++i)
    if (strcmp(input_names_[i], name) == 0)
      return interp_->subgraph(subgraph_index_)->tensor(input_tensors_[i]);
  return nullptr;
}
Tensor* SignatureRunner::output(const char* name) {
  if (name == nullptr) return nullptr;
  for (size_t i = 0; i < output_names_.size(); ++i)
    if (strcmp(output_names_[i], name) == 0)
      return interp_->subgraph(subgraph_index_)->tensor(output_tensors_[i]);
  return nullptr;
}
Status SignatureRunner::ResizeInputTensor(const char* name, const Shape& shape, bool strict) {
  Tensor* t = input(name);
  if (t == nullptr)
    return Status::Error(StatusCode::kNotFound, "signature '%s' has no input named '%s'", key_,
                         name ? name : "(null)");
  EDGELITE_RETURN_IF_ERROR(CheckShape(*t, shape, interp_->options().max_tensor_bytes));
  if (strict) EDGELITE_RETURN_IF_ERROR(CheckStrict(*t, shape));
  if (t->shape == shape) return Status::Ok();
  t->shape = shape;
  for (int i = 0; i < interp_->num_subgraphs(); ++i) interp_->subgraph(i)->Invalidate();
  return Status::Ok();
}
Status SignatureRunner::AllocateTensors() { return interp_->AllocateTensors(); }
Status SignatureRunner::Invoke() { return interp_->subgraph(subgraph_index_)->Invoke(); }

}  // namespace edgelite
