// Shared by the libFuzzer targets: run one model end to end with limits that
// keep a fuzzing process small and fast, and deterministic pseudo-random
// input values.
#ifndef EDGELITE_TESTS_FUZZ_FUZZ_UTIL_H_
#define EDGELITE_TESTS_FUZZ_FUZZ_UTIL_H_

#include <cstddef>
#include <cstdint>

#include "edgelite/tensor.h"

namespace edgelite {
namespace fuzz {

// Caps handed to InterpreterOptions by the fuzzers: a crafted model may ask
// for any size; the runtime must refuse cleanly (kResourceExhausted) rather
// than let the process run out of memory.
constexpr size_t kMaxArenaBytes = size_t{64} << 20;
constexpr size_t kMaxTensorBytes = size_t{16} << 20;
// Largest element count a model may declare (ModelLimits).
constexpr int64_t kMaxTensorElements = int64_t{1} << 24;

// Loads `size` bytes as a model (copied, so alignment is ours), creates an
// interpreter with the caps above, allocates, fills every input with values
// derived from `seed` (floats finite in [-4, 4], integers over their range)
// and invokes twice (the second run exercises re-use of prepared state).
// Every failure must come back as a Status; returns true if invoke ran.
bool RunModelBytes(const uint8_t* data, size_t size, uint64_t seed);

inline uint64_t SplitMix(uint64_t* s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Pseudo-random input values: floats in [-4, 4], other types random bytes (bools 0/1: any
// other byte is not a bool), strings left alone. Inline: the micro core's fuzzer uses it
// without linking the desktop runtime that RunModelBytes needs.
inline void FillTensor(Tensor* t, uint64_t* state) {
  if (t == nullptr || t->data == nullptr || t->bytes == 0) return;
  if (t->type == DataType::kFloat32) {
    float* p = static_cast<float*>(t->data);
    for (size_t i = 0; i < t->bytes / sizeof(float); ++i)
      p[i] = static_cast<float>(static_cast<int64_t>(SplitMix(state) % 8001) - 4000) / 1000.0f;
    return;
  }
  if (t->type == DataType::kString) return;  // strings are sized by their writer
  uint8_t* p = static_cast<uint8_t*>(t->data);
  for (size_t i = 0; i < t->bytes; ++i) p[i] = static_cast<uint8_t>(SplitMix(state));
  if (t->type == DataType::kBool)
    for (size_t i = 0; i < t->bytes; ++i) p[i] &= 1;  // a bool byte other than 0/1 is UB
}

}  // namespace fuzz
}  // namespace edgelite

#endif  // EDGELITE_TESTS_FUZZ_FUZZ_UTIL_H_
