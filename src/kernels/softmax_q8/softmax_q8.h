// 8-bit-input SOFTMAX (int8/uint8 in; int8, uint8 or int16 out), bit-exact with the reference
// (src/ref/softmax.h SoftmaxQuantized8, TFLite's reference fixed-point kernel).
//
// Why a table: the reference's per-element work, the rescale of d = x - max(row) to Q5.26 and
// the fixed-point exp, depends only on d, and an 8-bit d has 256 values (d in [-255, 0]). Prepare
// computes both the exp (Q0.31) and its Q12 accumulator form for every d once with the
// reference's own functions; a row then costs a max, table look-ups, the reference's saturating
// Q12 sum and reciprocal, and one fixed-point multiply and rounding shift per element. Entries
// with d < diff_min are marked absent exactly as the reference skips them.
//
// Threading: RunSoftmaxQ8 computes rows [row_begin, row_end) and writes only them.
#ifndef EDGELITE_KERNELS_SOFTMAX_Q8_SOFTMAX_Q8_H_
#define EDGELITE_KERNELS_SOFTMAX_Q8_SOFTMAX_Q8_H_

#include <cstdint>

#include "src/ref/softmax.h"

namespace edgelite {
namespace kernels {
namespace softmax_q8 {

struct SoftmaxQ8Table {
  int32_t exp[256];      // index -d: the reference's scaled_exp(d), Q0.31
  int32_t exp_acc[256];  // the same rescaled to Q12 (the summed form)
  int32_t max_index;     // largest index -d with d >= diff_min (-1: none)
};

// Fills `t` from the reference's parameters (input multiplier, left shift, diff_min).
void PrepareSoftmaxQ8(const ref::QuantizedSoftmaxParams& p, SoftmaxQ8Table* t);

enum class Q8Types : uint8_t { kInt8ToInt8, kInt8ToInt16, kUInt8ToUInt8, kUInt8ToInt16 };

// Rows of `depth` elements; input/output are the tensors' bytes.
void RunSoftmaxQ8(const SoftmaxQ8Table& t, Q8Types types, const void* input, void* output,
                  int64_t depth, int64_t row_begin, int64_t row_end);

}  // namespace softmax_q8
}  // namespace kernels
}  // namespace edgelite

#endif  // EDGELITE_KERNELS_SOFTMAX_Q8_SOFTMAX_Q8_H_
