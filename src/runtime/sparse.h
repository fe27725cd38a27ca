// Densification of constant tensors stored in TensorFlow Lite's sparse format
// (Tensor.sparsity: a traversal order over the dense dims plus optional block
// dims, one DENSE or SPARSE_CSR metadata entry per traversal level). The
// runtime expands such tensors once, at load, into persistent memory, so
// every kernel sees an ordinary dense tensor. For FULLY_CONNECTED this gives
// TFLite's results: its sparse kernels visit the non-zero weights in the
// dense order, and the skipped zeros add nothing to a sum.
#ifndef EDGELITE_RUNTIME_SPARSE_H_
#define EDGELITE_RUNTIME_SPARSE_H_

#include <cstddef>
#include <cstdint>

#include "edgelite/status.h"
#include "edgelite/tensor.h"
#include "schema/tflite_generated.h"

namespace edgelite {

// Validates `sp` against the dense `shape` (every index, segment and size is
// checked: the metadata comes from an untrusted file) and the stored values
// (`src`, `src_bytes`, elements of `elem_size` bytes in traversal order),
// then writes the dense tensor to `dst` (shape.NumElements() * elem_size
// bytes, zero-filled here first). `what` names the tensor in errors.
Status DensifySparseTensor(const fb::SparsityParameters* sp, const Shape& shape, size_t elem_size,
                           const uint8_t* src, size_t src_bytes, uint8_t* dst, const char* what);

}  // namespace edgelite

#endif  // EDGELITE_RUNTIME_SPARSE_H_
