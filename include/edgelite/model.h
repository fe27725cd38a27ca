// A loaded, verified and validated .tflite model.
//
// A Model is immutable and may be shared by several Interpreters (also on
// different threads). Constant tensors of every interpreter built from it are
// views into its bytes: no weight is copied.
#ifndef EDGELITE_MODEL_H_
#define EDGELITE_MODEL_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "edgelite/status.h"

namespace edgelite {

namespace fb {
struct Model;
}  // namespace fb

struct ModelLimits {
  // Largest element count any single tensor may declare.
  int64_t max_tensor_elements = int64_t{1} << 34;
  // Verify the fields of each operator's builtin options table only when its
  // op first reads them (AllocateTensors then fails, naming the op, if the
  // table is malformed) instead of all of them at load. Load still verifies
  // every other table, and that each options reference is a well-formed table.
  // Options tables that no op reads are then never verified: only the runtime's
  // ops may read them (tools that read options need the full verification).
  // The micro profile always verifies lazily (it links no full verifier) and
  // ignores this flag.
  bool lazy_options_verification = false;
};

class Model {
 public:
  // Memory-maps `path` (read-only). The mapping lives as long as the Model.
  static Result<std::unique_ptr<Model>> FromFile(const char* path,
                                                 const ModelLimits& limits = {});
  // Uses the caller's bytes in place (zero-copy). The caller keeps `data`
  // alive and unchanged for the lifetime of the Model and of every
  // interpreter built from it. `data` should be 16-byte aligned; if it is not
  // (FlatBuffers needs 4 or 8 byte alignment of its scalars), an error says so.
  static Result<std::unique_ptr<Model>> FromBuffer(const void* data, size_t size,
                                                   const ModelLimits& limits = {});
  // Copies `data` into a buffer owned by the Model (for callers who cannot
  // keep their bytes alive, e.g. Python bytes objects they do not own).
  static Result<std::unique_ptr<Model>> FromBufferCopy(const void* data, size_t size,
                                                       const ModelLimits& limits = {});

  ~Model();
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  const fb::Model* fb() const { return fb_; }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  uint32_t version() const;
  // Description string written by the converter (may be empty).
  std::string description() const;

  // Bytes of buffer `index` (inline or external offset/size); size 0 and
  // nullptr for an empty buffer. The index must have passed validation.
  const uint8_t* BufferData(uint32_t index, size_t* size) const;
  // True if load verified every builtin options table (false after a lazy
  // verification: see ModelLimits::lazy_options_verification).
#if EDGELITE_MICRO
  bool options_verified() const { return false; }  // always lazy (no full verifier linked)
#else
  bool options_verified() const { return options_verified_; }
#endif
  // Bytes of the FlatBuffer itself (without external data after it): what a
  // flatbuffers::Verifier of its tables is given.
  size_t flatbuffer_size() const;

 private:
  Model() = default;
  static Result<std::unique_ptr<Model>> Finish(std::unique_ptr<Model> m,
                                               const ModelLimits& limits);

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  const fb::Model* fb_ = nullptr;
#if !EDGELITE_MICRO
  bool options_verified_ = false;  // (not in firmware: the Model's arena bytes stay as they were)
#endif
  void* mmap_base_ = nullptr;  // non-null when memory-mapped
  size_t mmap_size_ = 0;
  std::unique_ptr<uint8_t[]> owned_;
};

// Validates a model that passed the FlatBuffer verifier: indices, buffer
// sizes, shapes, quantization. Exposed for tests and tools; FromFile and
// FromBuffer call it.
Status ValidateModel(const fb::Model* model, const uint8_t* base, size_t size,
                     const ModelLimits& limits);

}  // namespace edgelite

#endif  // EDGELITE_MODEL_H_
