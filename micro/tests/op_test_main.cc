// Runs tests/ops/*_test.cc (the desktop's op tests, unchanged) as firmware, through the
// GoogleTest shim (gtest_shim/gtest/gtest.h). The desktop Interpreter and the test helpers
// allocate freely (models are built in memory by ModelBuilder), so the whole run gets one large
// static arena as its heap (arena_heap.h), activated before any static constructor runs. Exit
// status: 0 when every test passed.
#include <gtest/gtest.h>

#include <cstdint>

#include "edgelite/micro/arena_heap.h"
#include "edgelite/micro/micro_log.h"

namespace {
alignas(16) uint8_t g_test_heap[3 * 1024 * 1024];
edgelite::micro::ArenaHeap g_heap(g_test_heap, sizeof(g_test_heap));
// Before every other static object (tests may build std containers at namespace scope).
__attribute__((init_priority(101))) edgelite::micro::ArenaScope g_scope(&g_heap, nullptr);
const char* g_current = "";
}  // namespace

namespace testing {
void ReportFailure(const char* file, int line, const char* what) {
  ++g_failures;
  edgelite::micro::Log("FAIL %s (%s:%d): %s", g_current, file, line, what);
}
}  // namespace testing

int main() {
  int failed = 0, skipped = 0, limited = 0;
  for (int i = 0; i < testing::g_num_tests; ++i) {
    const testing::TestInfo& t = testing::g_tests[i];
    g_current = t.name;
    edgelite::micro::Log("[ RUN ] %s.%s", t.suite, t.name);
    testing::g_failures = 0;
    testing::g_skipped = false;
    testing::g_micro_core_limit = nullptr;
    t.fn();
    if (testing::g_failures && testing::g_micro_core_limit != nullptr) {
      // A model of this test needs what the micro core does not have; the test runs on the
      // desktop runtime (ctest --preset release) instead.
      ++limited;
      edgelite::micro::Log("[ NOT IN MICRO CORE ] %s.%s", t.suite, t.name);
    } else if (testing::g_failures) {
      ++failed;
    } else if (testing::g_skipped) {
      ++skipped;
    }
  }
  edgelite::micro::Log("%d tests: %d passed, %d failed, %d skipped, %d need what the micro core "
                       "does not have (heap high-water %u bytes)",
                       testing::g_num_tests, testing::g_num_tests - failed - skipped - limited,
                       failed, skipped, limited,
                       static_cast<unsigned>(g_heap.high_water_bytes()));
  return failed == 0 ? 0 : 1;
}
