// A tiny test harness for firmware tests (no GoogleTest on the microcontroller): CHECK logs
// each failure with its line; main returns the failure count (0 = pass) as the exit status.
#ifndef EDGELITE_MICRO_TESTS_TEST_MAIN_H_
#define EDGELITE_MICRO_TESTS_TEST_MAIN_H_

#include "edgelite/micro/micro_log.h"

namespace microtest {
inline int g_failures = 0;
inline int g_checks = 0;
}  // namespace microtest

#define CHECK(cond)                                                                   \
  do {                                                                                \
    ++microtest::g_checks;                                                            \
    if (!(cond)) {                                                                    \
      ++microtest::g_failures;                                                        \
      edgelite::micro::Log("FAIL %s:%d: %s", __FILE__, __LINE__, #cond);              \
    }                                                                                 \
  } while (0)

#endif  // EDGELITE_MICRO_TESTS_TEST_MAIN_H_
