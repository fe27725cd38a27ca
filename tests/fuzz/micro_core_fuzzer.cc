// libFuzzer target (c): arbitrary bytes as a .tflite model for the micro core
// (micro/src/micro_interpreter.cc, the firmware's MicroInterpreter, built for the host):
// AllocateTensors in an 8 MiB arena, then Invoke with pseudo-random inputs (FillTensor, as
// model_fuzzer's).
// Seed corpus: the model corpus (tests/fuzz/make_corpus.sh).
// Links the micro core's OpContext, not the desktop Interpreter (no fuzz_util).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "edgelite/micro/micro_all_ops.h"
#include "edgelite/micro/micro_interpreter.h"
#include "edgelite/micro/micro_log.h"
#include "tests/fuzz/fuzz_util.h"


extern "C" void edgelite_micro_write(const char* s) { fputs(s, stderr); }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  edgelite::micro::SetLogHandler(nullptr);  // errors are expected, quietly
  static std::vector<uint64_t> model;  // 8-byte aligned, as a firmware's const array
  static std::vector<uint8_t> arena(8u << 20);
  model.assign(size / 8 + 1, 0);
  if (size > 0) memcpy(model.data(), data, size);
  edgelite::micro::MicroInterpreter interp(model.data(), size, edgelite::micro::AllOps(), arena.data(),
                                           arena.size());
  if (interp.AllocateTensors() != edgelite::StatusCode::kOk) return 0;
  uint64_t seed = size;
  for (size_t i = 0; i < size && i < 64; ++i) seed = seed * 131 + data[i];
  for (size_t i = 0; i < interp.inputs_size(); ++i) edgelite::fuzz::FillTensor(interp.input(i), &seed);
  (void)interp.Invoke();
  return 0;
}
