// Reference TOPK_V2: the k largest values of each row (last axis), largest
// first; equal values keep their original order (lower index first).
#ifndef EDGELITE_REF_TOPK_V2_H_
#define EDGELITE_REF_TOPK_V2_H_

#include <cstdint>

namespace edgelite {
namespace ref {

// input [rows, n]; values/indices [rows, k] with 0 <= k <= n.
// Walks each row once, keeping the best k seen so far sorted in `indices`
// (insertion: a new element goes after every kept element that is >= it,
// which is what makes ties stable).
template <typename T, typename Index>
void TopK(const T* input, int64_t rows, int64_t n, int64_t k, T* values, Index* indices) {
  for (int64_t r = 0; r < rows; ++r) {
    const T* row = input + r * n;
    Index* idx = indices + r * k;
    int64_t count = 0;
    for (int64_t i = 0; i < n && k > 0; ++i) {
      const T v = row[i];
      int64_t pos = count;
      while (pos > 0 && row[idx[pos - 1]] < v) --pos;
      if (pos >= k) continue;
      const int64_t last = count < k ? count : k - 1;
      for (int64_t j = last; j > pos; --j) idx[j] = idx[j - 1];
      idx[pos] = static_cast<Index>(i);
      if (count < k) ++count;
    }
    for (int64_t j = 0; j < k; ++j) values[r * k + j] = row[idx[j]];
  }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_TOPK_V2_H_
