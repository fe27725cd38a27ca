// Reference NumPy-style broadcasting loops for elementwise ops.
//
// Shapes are right-aligned; a dimension of size 1 (or a missing leading
// dimension) is repeated along the output. The caller has checked that the
// shapes broadcast to `out` (ops::BroadcastShapes). Plain loops: this is the
// spec, not a fast path.
#ifndef EDGELITE_REF_BROADCAST_H_
#define EDGELITE_REF_BROADCAST_H_

#include <cstdint>

#include "edgelite/tensor.h"

namespace edgelite {
namespace ref {

// Element strides of `in` seen through the output shape `out`: 0 along the
// dimensions where `in` is broadcast.
inline void BroadcastStrides(const Shape& in, const Shape& out, int64_t* strides) {
  int64_t step = 1;
  for (int d = out.rank - 1; d >= 0; --d) {
    const int j = in.rank - out.rank + d;
    if (j < 0) {
      strides[d] = 0;
      continue;
    }
    strides[d] = in.dims[j] == 1 ? 0 : step;
    step *= in.dims[j];
  }
}

// Calls f(out_index, offsets) for every output element in row-major order,
// where offsets[n] is the element of input n that maps to it.
template <int N, typename F>
void ForEachBroadcast(const Shape& out, const Shape* const (&in)[N], F f) {
  const int64_t total = out.NumElements();
  if (total == 0) return;
  int64_t strides[N][kMaxRank];
  for (int n = 0; n < N; ++n) BroadcastStrides(*in[n], out, strides[n]);
  int32_t index[kMaxRank] = {};
  int64_t offset[N] = {};
  for (int64_t i = 0; i < total; ++i) {
    f(i, static_cast<const int64_t*>(offset));
    // Advance the multi-dimensional index like an odometer.
    for (int d = out.rank - 1; d >= 0; --d) {
      ++index[d];
      for (int n = 0; n < N; ++n) offset[n] += strides[n][d];
      if (index[d] < out.dims[d]) break;
      for (int n = 0; n < N; ++n) offset[n] -= strides[n][d] * out.dims[d];
      index[d] = 0;
    }
  }
}

// out[i] = f(a[..], b[..]) with broadcasting.
template <typename A, typename B, typename O, typename F>
void BroadcastBinary(const Shape& a_shape, const A* a, const Shape& b_shape, const B* b,
                     const Shape& out_shape, O* out, F f) {
  const Shape* const in[2] = {&a_shape, &b_shape};
  ForEachBroadcast<2>(out_shape, in, [&](int64_t i, const int64_t* off) {
    out[i] = f(a[off[0]], b[off[1]]);
  });
}

// out[i] = f(a[..], b[..], c[..]) with broadcasting.
template <typename A, typename B, typename C, typename O, typename F>
void BroadcastTernary(const Shape& a_shape, const A* a, const Shape& b_shape, const B* b,
                      const Shape& c_shape, const C* c, const Shape& out_shape, O* out, F f) {
  const Shape* const in[3] = {&a_shape, &b_shape, &c_shape};
  ForEachBroadcast<3>(out_shape, in, [&](int64_t i, const int64_t* off) {
    out[i] = f(a[off[0]], b[off[1]], c[off[2]]);
  });
}

// out[i] = f(in[i]) over n elements.
template <typename I, typename O, typename F>
void Unary(const I* in, O* out, int64_t n, F f) {
  for (int64_t i = 0; i < n; ++i) out[i] = f(in[i]);
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_BROADCAST_H_
