// libFuzzer target (a): arbitrary bytes as a .tflite file -> load (verify +
// validate) -> create -> allocate -> invoke with pseudo-random inputs.
// Seed corpus: the .tflite files of ../shared/models (tests/fuzz/make_corpus.sh).
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  uint64_t seed = size;
  for (size_t i = 0; i < size && i < 64; ++i) seed = seed * 131 + data[i];
  edgelite::fuzz::RunModelBytes(data, size, seed);
  return 0;
}
