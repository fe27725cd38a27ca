// Loading: memory-mapping or borrowing the bytes, verifying, validating.
#include "edgelite/model.h"

#if !EDGELITE_MICRO
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include <cerrno>
#include <cstring>
#include <new>

#include "schema/tflite_generated.h"

namespace edgelite {
namespace {

// Upper bounds handed to the FlatBuffers verifier. Real models have at most a
// few hundred thousand tables; the depth of the .tflite schema is below 10.
constexpr flatbuffers::uoffset_t kMaxVerifierDepth = 64;
constexpr flatbuffers::uoffset_t kMaxVerifierTables = 1u << 26;
// Buffers smaller than this cannot hold a FlatBuffer root plus a table.
constexpr size_t kMinModelBytes = 8;
constexpr uintptr_t kRequiredAlignment = 8;

// ---- Lazy options verification (ModelLimits::lazy_options_verification) ----
//
// Verifies every table of the model as fb::Model::Verify does, except the
// fields of an operator's builtin_options / builtin_options_2 tables: for
// those only the reference is checked (offset in bounds, vtable in bounds and
// aligned, the table's inline size in bounds: VerifyTableStart). Their fields
// are verified by the op that reads them (ops::Options<T>, ops::Options2<T>),
// so only the options Verify code of the ops linked into a firmware is linked.

// A table reference whose fields are left to the reader; null is fine.
bool VerifyTableRef(flatbuffers::Verifier& v, const void* table) {
  if (table == nullptr) return true;
  const auto* t = static_cast<const flatbuffers::Table*>(table);
  return t->VerifyTableStart(v) && v.EndTable();
}

// Mirrors fb::Operator::Verify (schema/tflite.fbs) but for the two options
// unions (see above). An options type of NONE is not looked at, as in the full
// verifier.
bool VerifyOperatorLazily(flatbuffers::Verifier& v, const fb::Operator* op) {
  using O = fb::Operator;
  const auto* t = reinterpret_cast<const flatbuffers::Table*>(op);
  return t->VerifyTableStart(v) && t->VerifyField<uint32_t>(v, O::VT_OPCODE_INDEX, 4) &&
         t->VerifyOffset(v, O::VT_INPUTS) && v.VerifyVector(op->inputs()) &&
         t->VerifyOffset(v, O::VT_OUTPUTS) && v.VerifyVector(op->outputs()) &&
         t->VerifyField<uint8_t>(v, O::VT_BUILTIN_OPTIONS_TYPE, 1) &&
         t->VerifyOffset(v, O::VT_BUILTIN_OPTIONS) &&
         (op->builtin_options_type() == fb::BuiltinOptions::NONE ||
          VerifyTableRef(v, op->builtin_options())) &&
         t->VerifyOffset(v, O::VT_CUSTOM_OPTIONS) && v.VerifyVector(op->custom_options()) &&
         t->VerifyField<int8_t>(v, O::VT_CUSTOM_OPTIONS_FORMAT, 1) &&
         t->VerifyOffset(v, O::VT_MUTATING_VARIABLE_INPUTS) &&
         v.VerifyVector(op->mutating_variable_inputs()) &&
         t->VerifyOffset(v, O::VT_INTERMEDIATES) && v.VerifyVector(op->intermediates()) &&
         t->VerifyField<uint64_t>(v, O::VT_LARGE_CUSTOM_OPTIONS_OFFSET, 8) &&
         t->VerifyField<uint64_t>(v, O::VT_LARGE_CUSTOM_OPTIONS_SIZE, 8) &&
         t->VerifyField<uint8_t>(v, O::VT_BUILTIN_OPTIONS_2_TYPE, 1) &&
         t->VerifyOffset(v, O::VT_BUILTIN_OPTIONS_2) &&
         (op->builtin_options_2_type() == fb::BuiltinOptions2::NONE ||
          VerifyTableRef(v, op->builtin_options_2())) &&
         t->VerifyField<int32_t>(v, O::VT_DEBUG_METADATA_INDEX, 4) && v.EndTable();
}

// Mirrors fb::SubGraph::Verify with VerifyOperatorLazily.
bool VerifySubGraphLazily(flatbuffers::Verifier& v, const fb::SubGraph* sg) {
  using S = fb::SubGraph;
  const auto* t = reinterpret_cast<const flatbuffers::Table*>(sg);
  if (!(t->VerifyTableStart(v) && t->VerifyOffset(v, S::VT_TENSORS) &&
        v.VerifyVector(sg->tensors()) && v.VerifyVectorOfTables(sg->tensors()) &&
        t->VerifyOffset(v, S::VT_INPUTS) && v.VerifyVector(sg->inputs()) &&
        t->VerifyOffset(v, S::VT_OUTPUTS) && v.VerifyVector(sg->outputs()) &&
        t->VerifyOffset(v, S::VT_OPERATORS) && v.VerifyVector(sg->operators())))
    return false;
  if (const auto* ops = sg->operators())
    for (flatbuffers::uoffset_t i = 0; i < ops->size(); ++i)
      if (!VerifyOperatorLazily(v, ops->Get(i))) return false;
  return t->VerifyOffset(v, S::VT_NAME) && v.VerifyString(sg->name()) &&
         t->VerifyField<int32_t>(v, S::VT_DEBUG_METADATA_INDEX, 4) && v.EndTable();
}

// The root for Verifier::VerifyBuffer: mirrors fb::Model::Verify with
// VerifySubGraphLazily.
struct LazyModel : private flatbuffers::Table {
  bool Verify(flatbuffers::Verifier& v) const {
    using M = fb::Model;
    const auto* m = reinterpret_cast<const M*>(this);
    if (!(VerifyTableStart(v) && VerifyField<uint32_t>(v, M::VT_VERSION, 4) &&
          VerifyOffset(v, M::VT_OPERATOR_CODES) && v.VerifyVector(m->operator_codes()) &&
          v.VerifyVectorOfTables(m->operator_codes()) && VerifyOffset(v, M::VT_SUBGRAPHS) &&
          v.VerifyVector(m->subgraphs())))
      return false;
    if (const auto* sgs = m->subgraphs())
      for (flatbuffers::uoffset_t i = 0; i < sgs->size(); ++i)
        if (!VerifySubGraphLazily(v, sgs->Get(i))) return false;
    return VerifyOffset(v, M::VT_DESCRIPTION) && v.VerifyString(m->description()) &&
           VerifyOffset(v, M::VT_BUFFERS) && v.VerifyVector(m->buffers()) &&
           v.VerifyVectorOfTables(m->buffers()) && VerifyOffset(v, M::VT_METADATA_BUFFER) &&
           v.VerifyVector(m->metadata_buffer()) && VerifyOffset(v, M::VT_METADATA) &&
           v.VerifyVector(m->metadata()) && v.VerifyVectorOfTables(m->metadata()) &&
           VerifyOffset(v, M::VT_SIGNATURE_DEFS) && v.VerifyVector(m->signature_defs()) &&
           v.VerifyVectorOfTables(m->signature_defs()) &&
           VerifyOffset(v, M::VT_EXTERNAL_BUFFER_GROUPS) &&
           v.VerifyVector(m->external_buffer_groups()) &&
           v.VerifyVectorOfTables(m->external_buffer_groups()) &&
           VerifyOffset(v, M::VT_EXTERNAL_BUFFERS) && v.VerifyVector(m->external_buffers()) &&
           v.VerifyVectorOfTables(m->external_buffers()) && v.EndTable();
  }
};

}  // namespace

size_t Model::flatbuffer_size() const {
  return size_ < FLATBUFFERS_MAX_BUFFER_SIZE ? size_ : FLATBUFFERS_MAX_BUFFER_SIZE - 1;
}

Model::~Model() {
#if !EDGELITE_MICRO
  if (mmap_base_ != nullptr) munmap(mmap_base_, mmap_size_);
#endif
}

uint32_t Model::version() const { return fb_->version(); }

std::string Model::description() const {
  return fb_->description() ? fb_->description()->str() : std::string();
}

const uint8_t* Model::BufferData(uint32_t index, size_t* size) const {
  *size = 0;
  const auto* buffers = fb_->buffers();
  if (buffers == nullptr || index >= buffers->size()) return nullptr;
  const fb::Buffer* b = buffers->Get(index);
  if (b == nullptr) return nullptr;
  if (b->offset() > 1) {  // external data stored after the FlatBuffer
    *size = static_cast<size_t>(b->size());
    return data_ + b->offset();
  }
  if (b->data() == nullptr || b->data()->size() == 0) return nullptr;
  *size = b->data()->size();
  return b->data()->data();
}

Result<std::unique_ptr<Model>> Model::FromFile(const char* path, const ModelLimits& limits) {
  if (path == nullptr) return Status::Error(StatusCode::kInvalidArgument, "model path is null");
#if EDGELITE_MICRO
  // The micro profile has no file system: models are const arrays in flash (FromBuffer).
  (void)limits;
  return Status::Error(StatusCode::kUnsupported,
                       "cannot open model '%s': the micro profile has no file system "
                       "(use Model::FromBuffer on the model's const array)", path);
#else
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return Status::Error(StatusCode::kIoError, "cannot open model '%s': %s", path, strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int e = errno;
    close(fd);
    return Status::Error(StatusCode::kIoError, "cannot stat model '%s': %s", path, strerror(e));
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return Status::Error(StatusCode::kIoError, "model '%s' is not a regular file", path);
  }
  const size_t size = static_cast<size_t>(st.st_size);
  if (size < kMinModelBytes) {
    close(fd);
    return Status::Error(StatusCode::kInvalidModel,
                         "model '%s' is %zu bytes: too small to be a .tflite file", path, size);
  }
  void* base = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  int e = errno;
  close(fd);
  if (base == MAP_FAILED)
    return Status::Error(StatusCode::kIoError, "cannot map model '%s': %s", path, strerror(e));
  std::unique_ptr<Model> m(new (std::nothrow) Model());
  if (!m) {
    munmap(base, size);
    return Status::Error(StatusCode::kResourceExhausted, "out of memory");
  }
  m->mmap_base_ = base;
  m->mmap_size_ = size;
  m->data_ = static_cast<const uint8_t*>(base);
  m->size_ = size;
  auto r = Finish(std::move(m), limits);
  if (!r.ok()) return r.status().WithContext(std::string("model '") + path + "'");
  return r;
#endif
}

Result<std::unique_ptr<Model>> Model::FromBuffer(const void* data, size_t size,
                                                 const ModelLimits& limits) {
  if (data == nullptr) return Status::Error(StatusCode::kInvalidArgument, "model buffer is null");
  if (size < kMinModelBytes)
    return Status::Error(StatusCode::kInvalidModel,
                         "model buffer is %zu bytes: too small to be a .tflite file", size);
  if (reinterpret_cast<uintptr_t>(data) % kRequiredAlignment != 0)
    return Status::Error(StatusCode::kInvalidArgument,
                         "model buffer at %p is not %zu-byte aligned; use FromBufferCopy or an "
                         "aligned buffer",
                         data, static_cast<size_t>(kRequiredAlignment));
  std::unique_ptr<Model> m(new (std::nothrow) Model());
  if (!m) return Status::Error(StatusCode::kResourceExhausted, "out of memory");
  m->data_ = static_cast<const uint8_t*>(data);
  m->size_ = size;
  return Finish(std::move(m), limits);
}

Result<std::unique_ptr<Model>> Model::FromBufferCopy(const void* data, size_t size,
                                                     const ModelLimits& limits) {
  if (data == nullptr) return Status::Error(StatusCode::kInvalidArgument, "model buffer is null");
  if (size < kMinModelBytes)
    return Status::Error(StatusCode::kInvalidModel,
                         "model buffer is %zu bytes: too small to be a .tflite file", size);
  // new[] of uint8_t is aligned for any fundamental type (>= 8 on our targets).
  std::unique_ptr<uint8_t[]> copy(new (std::nothrow) uint8_t[size]);
  if (!copy)
    return Status::Error(StatusCode::kResourceExhausted, "cannot allocate %zu bytes for the model",
                         size);
  memcpy(copy.get(), data, size);
  std::unique_ptr<Model> m(new (std::nothrow) Model());
  if (!m) return Status::Error(StatusCode::kResourceExhausted, "out of memory");
  m->data_ = copy.get();
  m->size_ = size;
  m->owned_ = std::move(copy);
  return Finish(std::move(m), limits);
}

Result<std::unique_ptr<Model>> Model::Finish(std::unique_ptr<Model> m, const ModelLimits& limits) {
  // Files with external buffers carry data after the FlatBuffer; the
  // FlatBuffer itself must still be < 2 GiB, which the verifier checks.
  const size_t fb_size = m->flatbuffer_size();
  // The "TFL3" file identifier (bytes 4..7), which TFLite's verifying
  // loader requires too: without it the bytes are not a .tflite model, and
  // the verifier alone would accept any FlatBuffer whose root happens to
  // parse as a Model.
  if (m->size_ < 8)
    return Status::Error(StatusCode::kInvalidModel,
                         "not a .tflite model: %zu bytes is smaller than a FlatBuffer header",
                         m->size_);
  if (memcmp(m->data_ + 4, "TFL3", 4) != 0) {
    const uint8_t* id = m->data_ + 4;
    return Status::Error(StatusCode::kInvalidModel,
                         "not a .tflite model: the file identifier (bytes 4..7) is "
                         "%02x %02x %02x %02x, not \"TFL3\"",
                         id[0], id[1], id[2], id[3]);
  }
  flatbuffers::Verifier verifier(m->data_, fb_size, kMaxVerifierDepth, kMaxVerifierTables);
#if EDGELITE_MICRO
  // Always lazy: the full verifier would link the Verify code of every options
  // table of the schema (~14 KB), whatever ops the firmware has.
  const bool lazy = true;
#else
  const bool lazy = limits.lazy_options_verification;
#endif
  const bool verified = lazy ? verifier.VerifyBuffer<LazyModel>(nullptr)
                             : verifier.VerifyBuffer<fb::Model>(nullptr);
  if (!verified) {
    return Status::Error(StatusCode::kInvalidModel,
                         "not a valid .tflite FlatBuffer (%zu bytes, identifier TFL3): the "
                         "FlatBuffers verifier rejected it (truncated or corrupted file?)",
                         m->size_);
  }
  m->fb_ = fb::GetModel(m->data_);
#if !EDGELITE_MICRO
  m->options_verified_ = !lazy;
#endif
  EDGELITE_RETURN_IF_ERROR(ValidateModel(m->fb_, m->data_, m->size_, limits));
  return std::move(m);
}

}  // namespace edgelite
