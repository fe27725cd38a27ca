// Shared by the libFuzzer targets: run one model end to end with limits that
// keep a fuzzing process small and fast, and deterministic pseudo-random
// input values.
#ifndef EDGELITE_TESTS_FUZZ_FUZZ_UTIL_H_
#define EDGELITE_TESTS_FUZZ_FUZZ_UTIL_H_

#include <cstddef>
#include <cstdint>

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

}  // namespace fuzz
}  // namespace edgelite

#endif  // EDGELITE_TESTS_FUZZ_FUZZ_UTIL_H_
