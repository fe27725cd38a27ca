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

 private:
  Model() = default;
  static Result<std::unique_ptr<Model>> Finish(std::unique_ptr<Model> m,
                                               const ModelLimits& limits);

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  const fb::Model* fb_ = nullptr;
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
