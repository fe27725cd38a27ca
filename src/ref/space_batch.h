// Reference SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND (type-agnostic).
//
// Shapes: the "space" side is [B, S_1..S_M, R...] and the "batch" side is
// [B * prod(block), T_1..T_M, R...] with S_i + pad_before_i + pad_after_i =
// T_i * block_i (for batch_to_space the crops play the role of the pads).
// Batch-side index ob = k * B + b where k enumerates the block offsets
// (o_1..o_M) with the last spatial axis fastest; then
//   batch[ob, t_1..t_M, r] = space[b, t_i*block_i + o_i - pad_before_i, r]
// and positions falling in the padding hold `pad_value` (space_to_batch) or
// are dropped (batch_to_space). R... is copied as one contiguous run.
#ifndef EDGELITE_REF_SPACE_BATCH_H_
#define EDGELITE_REF_SPACE_BATCH_H_

#include <cstdint>
#include <cstring>

#include "edgelite/tensor.h"

namespace edgelite {
namespace ref {

// block[M], pad_before[M]; `space` / `batch` are the two full shapes (rank M+1+k).
// to_batch = true: space_to_batch (fills padding with pad_value, elem_size bytes).
inline void SpaceBatchCopy(const Shape& space, uint8_t* space_data, const Shape& batch,
                           uint8_t* batch_data, int m, const int32_t* block,
                           const int32_t* pad_before, size_t elem_size, const uint8_t* pad_value,
                           bool to_batch) {
  int64_t run = static_cast<int64_t>(elem_size);  // bytes of the trailing R... block
  for (int i = m + 1; i < space.rank; ++i) run *= space[i];
  const int64_t in_batch = space[0], out_batch = batch[0];
  int64_t cells = 1;  // spatial positions per batch-side image
  for (int i = 1; i <= m; ++i) cells *= batch[i];
  int32_t t[kMaxRank] = {};
  for (int64_t ob = 0; ob < out_batch; ++ob) {
    const int64_t b = ob % in_batch;
    int64_t k = ob / in_batch;
    int32_t offset[kMaxRank] = {};
    for (int i = m - 1; i >= 0; --i) {
      offset[i] = static_cast<int32_t>(k % block[i]);
      k /= block[i];
    }
    for (int64_t cell = 0; cell < cells; ++cell) {
      int64_t rest = cell;
      for (int i = m - 1; i >= 0; --i) {
        t[i] = static_cast<int32_t>(rest % batch[i + 1]);
        rest /= batch[i + 1];
      }
      bool inside = true;
      int64_t s_index = b;
      for (int i = 0; i < m; ++i) {
        const int64_t s = int64_t{t[i]} * block[i] + offset[i] - pad_before[i];
        if (s < 0 || s >= space[i + 1]) inside = false;
        s_index = s_index * space[i + 1] + s;
      }
      uint8_t* bp = batch_data + (ob * cells + cell) * run;
      if (inside) {
        uint8_t* sp = space_data + s_index * run;
        if (to_batch)
          memcpy(bp, sp, static_cast<size_t>(run));
        else
          memcpy(sp, bp, static_cast<size_t>(run));
      } else if (to_batch) {
        for (int64_t j = 0; j < run; j += static_cast<int64_t>(elem_size))
          memcpy(bp + j, pad_value, elem_size);
      }
    }
  }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_SPACE_BATCH_H_
