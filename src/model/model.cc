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

}  // namespace

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
  const size_t fb_size = m->size_ < FLATBUFFERS_MAX_BUFFER_SIZE ? m->size_
                                                                  : FLATBUFFERS_MAX_BUFFER_SIZE - 1;
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
  if (!verifier.VerifyBuffer<fb::Model>(nullptr)) {
    return Status::Error(StatusCode::kInvalidModel,
                         "not a valid .tflite FlatBuffer (%zu bytes, identifier TFL3): the "
                         "FlatBuffers verifier rejected it (truncated or corrupted file?)",
                         m->size_);
  }
  m->fb_ = fb::GetModel(m->data_);
  EDGELITE_RETURN_IF_ERROR(ValidateModel(m->fb_, m->data_, m->size_, limits));
  return std::move(m);
}

}  // namespace edgelite
