// Reference SEGMENT_SUM: out[s] = sum of the data rows whose segment id is s.
#ifndef EDGELITE_REF_SEGMENT_SUM_H_
#define EDGELITE_REF_SEGMENT_SUM_H_

#include <cstdint>

namespace edgelite {
namespace ref {

// data [rows, inner], ids [rows] non-decreasing with 0 <= ids[r] < segments,
// out [segments, inner]. Each segment is one run of equal ids; segments that
// no row names are zero. Acc is the accumulator type (double for float data
// keeps each sum within about 1 ulp of exact plus rows * 2^-53 * sum|x|;
// unsigned for integers gives defined wrap-around).
template <typename T, typename Acc>
void SegmentSum(const T* data, const int32_t* ids, int64_t rows, int64_t inner, int64_t segments,
                T* out) {
  for (int64_t i = 0; i < segments * inner; ++i) out[i] = T(0);
  int64_t start = 0;
  while (start < rows) {
    int64_t end = start + 1;
    while (end < rows && ids[end] == ids[start]) ++end;
    for (int64_t j = 0; j < inner; ++j) {
      Acc acc = Acc(0);
      for (int64_t r = start; r < end; ++r) acc = Acc(acc + Acc(data[r * inner + j]));
      out[ids[start] * inner + j] = static_cast<T>(acc);
    }
    start = end;
  }
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_SEGMENT_SUM_H_
