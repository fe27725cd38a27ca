// Test-side helpers for the elementwise op tests: random broadcastable shapes
// and an independent NumPy-style broadcast index computation (written from
// the definition, not shared with src/ref, so the tests check the runtime).
#ifndef EDGELITE_TESTS_OPS_ELEMENTWISE_TEST_UTIL_H_
#define EDGELITE_TESTS_OPS_ELEMENTWISE_TEST_UTIL_H_

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace edgelite {
namespace testing {

using Dims = std::vector<int32_t>;

inline int64_t NumElements(const Dims& d) {
  int64_t n = 1;
  for (int32_t x : d) n *= x;
  return n;
}

// NumPy broadcast of two shapes (the caller only passes compatible ones).
inline Dims BroadcastDims(const Dims& a, const Dims& b) {
  const size_t r = std::max(a.size(), b.size());
  Dims out(r);
  for (size_t i = 0; i < r; ++i) {
    const int32_t da = i + a.size() >= r ? a[i + a.size() - r] : 1;
    const int32_t db = i + b.size() >= r ? b[i + b.size() - r] : 1;
    out[i] = da == 1 ? db : da;
  }
  return out;
}

// Flat index into an input of shape `in` for output element `i` of shape `out`:
// decompose i into output coordinates, right-align `in`, use coordinate 0
// where `in` has extent 1.
inline int64_t SourceIndex(const Dims& out, const Dims& in, int64_t i) {
  std::vector<int64_t> coord(out.size());
  for (size_t d = out.size(); d-- > 0;) {
    coord[d] = i % out[d];
    i /= out[d];
  }
  int64_t idx = 0;
  const size_t off = out.size() - in.size();
  for (size_t d = 0; d < in.size(); ++d) idx = idx * in[d] + (in[d] == 1 ? 0 : coord[d + off]);
  return idx;
}

// A random output shape of rank 0..max_rank (dims 1..max_dim) and `count`
// input shapes that broadcast to it: each drops some leading dims and turns
// some dims into 1.
inline std::vector<Dims> RandomBroadcastShapes(std::mt19937& rng, int count, int max_rank = 6,
                                              int max_dim = 4) {
  const int rank = rng() % (max_rank + 1);
  Dims out(rank);
  for (int32_t& d : out) d = 1 + rng() % max_dim;
  std::vector<Dims> shapes;
  for (int k = 0; k < count; ++k) {
    const int r = rng() % (rank + 1);
    Dims s(out.end() - r, out.end());
    for (int32_t& d : s)
      if (rng() % 3 == 0) d = 1;
    shapes.push_back(s);
  }
  return shapes;
}

inline std::string DimsString(const Dims& d) {
  std::string s = "[";
  for (size_t i = 0; i < d.size(); ++i) s += (i ? "," : "") + std::to_string(d[i]);
  return s + "]";
}

}  // namespace testing
}  // namespace edgelite

#endif  // EDGELITE_TESTS_OPS_ELEMENTWISE_TEST_UTIL_H_
