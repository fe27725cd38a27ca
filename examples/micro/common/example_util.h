// Helpers shared by the micro examples: check results, report, count failures. The firmware's
// exit status (semihosting) is main's return value: 0 when every check passed.
#ifndef EDGELITE_EXAMPLES_MICRO_COMMON_EXAMPLE_UTIL_H_
#define EDGELITE_EXAMPLES_MICRO_COMMON_EXAMPLE_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "edgelite/micro/micro_interpreter.h"
#include "edgelite/micro/micro_log.h"

namespace example {

inline int g_failures = 0;

inline void Check(bool ok, const char* what) {
  edgelite::micro::Log("%s: %s", ok ? "PASS" : "FAIL", what);
  if (!ok) ++g_failures;
}

// Copies `bytes` into input i; false (and a failure) if the size differs.
inline bool SetInput(edgelite::micro::MicroInterpreter& interp, size_t i, const void* data,
                     size_t bytes) {
  edgelite::Tensor* t = interp.input(i);
  if (t == nullptr || t->bytes != bytes) {
    edgelite::micro::Log("input %u: expected %u bytes, have %u", static_cast<unsigned>(i),
                         t ? static_cast<unsigned>(t->bytes) : 0u, static_cast<unsigned>(bytes));
    ++g_failures;
    return false;
  }
  std::memcpy(t->data, data, bytes);
  return true;
}

inline bool Allocate(edgelite::micro::MicroInterpreter& interp, const char* name) {
  const bool ok = interp.AllocateTensors() == edgelite::StatusCode::kOk;
  Check(ok, "AllocateTensors");
  if (ok)
    edgelite::micro::Log("%s: arena used %u bytes (activations %u)", name,
                         static_cast<unsigned>(interp.arena_used_bytes()),
                         static_cast<unsigned>(interp.activation_bytes()));
  return ok;
}

inline int Finish(const char* name) {
  edgelite::micro::Log("%s: %s (%d failures)", name, g_failures ? "FAILED" : "OK", g_failures);
  return g_failures == 0 ? 0 : 1;
}

}  // namespace example

#endif  // EDGELITE_EXAMPLES_MICRO_COMMON_EXAMPLE_UTIL_H_
