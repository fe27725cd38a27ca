// A minimal GoogleTest-compatible shim for running tests/ops/*_test.cc as firmware in the
// micro profile (no GoogleTest, no iostream on the microcontroller). It covers the macros those
// tests use: TEST, EXPECT_/ASSERT_ TRUE FALSE EQ NE LT LE GT GE NEAR FLOAT_EQ, SCOPED_TRACE
// (ignored), GTEST_SKIP. Streamed messages (`<< ...`) are accepted and dropped; a failure logs
// file, line and the expression. micro/tests/op_test_main.cc runs the registered tests.
#ifndef EDGELITE_MICRO_TESTS_GTEST_SHIM_GTEST_GTEST_H_
#define EDGELITE_MICRO_TESTS_GTEST_SHIM_GTEST_GTEST_H_

#include <cmath>
#include <cstdint>
#include <cstring>

namespace testing {

struct TestInfo {
  const char* suite;
  const char* name;
  void (*fn)();
};
constexpr int kMaxTests = 512;
inline TestInfo g_tests[kMaxTests];
inline int g_num_tests = 0;
inline int g_failures = 0;  // in the current test
inline bool g_skipped = false;
// Set (to the interpreter's message) when a test's model needs what the micro core does not
// have (dynamic tensors, string tensors, input resizing): op_test_main.cc then reports the
// test as such instead of as a failure (tests/test_util.cc, EDGELITE_TEST_MICRO_CORE).
inline const char* g_micro_core_limit = nullptr;

void ReportFailure(const char* file, int line, const char* what);  // op_test_main.cc

struct Registrar {
  Registrar(const char* suite, const char* name, void (*fn)()) {
    if (g_num_tests < kMaxTests) g_tests[g_num_tests++] = TestInfo{suite, name, fn};
  }
};

// Swallows `<< anything`.
struct Message {
  template <typename T>
  Message& operator<<(const T&) {
    return *this;
  }
};

// `return AssertHelper(...) = Message() << ...;` returns from the test (void) on failure.
struct AssertHelper {
  AssertHelper(const char* file, int line, const char* what) {
    ReportFailure(file, line, what);
  }
  void operator=(const Message&) const {}
};

// `return SkipHelper() = Message() << ...;` (GTEST_SKIP) returns void.
struct SkipHelper {
  void operator=(const Message&) const {}
};

inline Message Fail(const char* file, int line, const char* what) {
  ReportFailure(file, line, what);
  return Message();
}

namespace internal {
template <typename A, typename B>
bool Eq(const A& a, const B& b) { return a == b; }
template <typename A, typename B>
bool Ne(const A& a, const B& b) { return a != b; }
template <typename A, typename B>
bool Lt(const A& a, const B& b) { return a < b; }
template <typename A, typename B>
bool Le(const A& a, const B& b) { return a <= b; }
template <typename A, typename B>
bool Gt(const A& a, const B& b) { return a > b; }
template <typename A, typename B>
bool Ge(const A& a, const B& b) { return a >= b; }
inline bool Near(double a, double b, double tol) { return std::fabs(a - b) <= tol; }
// Within 4 units in the last place, as GoogleTest's EXPECT_FLOAT_EQ.
inline bool FloatEq(float a, float b) {
  if (std::isnan(a) || std::isnan(b)) return false;
  int32_t ia, ib;
  std::memcpy(&ia, &a, 4);
  std::memcpy(&ib, &b, 4);
  const int64_t ba = ia < 0 ? int64_t{INT32_MIN} - ia : ia;  // sign-magnitude -> biased
  const int64_t bb = ib < 0 ? int64_t{INT32_MIN} - ib : ib;
  return (ba > bb ? ba - bb : bb - ba) <= 4;
}
}  // namespace internal

struct ScopedTrace {
  template <typename T>
  explicit ScopedTrace(const T&) {}
};

}  // namespace testing

#define TEST(suite, name)                                                               \
  static void suite##_##name##_Test();                                                  \
  static ::testing::Registrar suite##_##name##_registrar(#suite, #name,                 \
                                                         suite##_##name##_Test);        \
  static void suite##_##name##_Test()

#define GTEST_SHIM_EXPECT_(ok, text) \
  if (ok)                            \
    ;                                \
  else                               \
    ::testing::Fail(__FILE__, __LINE__, text)
#define GTEST_SHIM_ASSERT_(ok, text) \
  if (ok)                            \
    ;                                \
  else                               \
    return ::testing::AssertHelper(__FILE__, __LINE__, text) = ::testing::Message()

#define EXPECT_TRUE(c) GTEST_SHIM_EXPECT_(static_cast<bool>(c), #c)
#define EXPECT_FALSE(c) GTEST_SHIM_EXPECT_(!static_cast<bool>(c), "!(" #c ")")
#define EXPECT_EQ(a, b) GTEST_SHIM_EXPECT_(::testing::internal::Eq((a), (b)), #a " == " #b)
#define EXPECT_NE(a, b) GTEST_SHIM_EXPECT_(::testing::internal::Ne((a), (b)), #a " != " #b)
#define EXPECT_LT(a, b) GTEST_SHIM_EXPECT_(::testing::internal::Lt((a), (b)), #a " < " #b)
#define EXPECT_LE(a, b) GTEST_SHIM_EXPECT_(::testing::internal::Le((a), (b)), #a " <= " #b)
#define EXPECT_GT(a, b) GTEST_SHIM_EXPECT_(::testing::internal::Gt((a), (b)), #a " > " #b)
#define EXPECT_GE(a, b) GTEST_SHIM_EXPECT_(::testing::internal::Ge((a), (b)), #a " >= " #b)
#define EXPECT_NEAR(a, b, t) \
  GTEST_SHIM_EXPECT_(::testing::internal::Near((a), (b), (t)), #a " ~ " #b " within " #t)
#define EXPECT_FLOAT_EQ(a, b) \
  GTEST_SHIM_EXPECT_(::testing::internal::FloatEq((a), (b)), #a " ~= " #b " (4 ulp)")
#define ASSERT_TRUE(c) GTEST_SHIM_ASSERT_(static_cast<bool>(c), #c)
#define ASSERT_FALSE(c) GTEST_SHIM_ASSERT_(!static_cast<bool>(c), "!(" #c ")")
#define ASSERT_EQ(a, b) GTEST_SHIM_ASSERT_(::testing::internal::Eq((a), (b)), #a " == " #b)
#define ASSERT_NE(a, b) GTEST_SHIM_ASSERT_(::testing::internal::Ne((a), (b)), #a " != " #b)
#define ASSERT_LT(a, b) GTEST_SHIM_ASSERT_(::testing::internal::Lt((a), (b)), #a " < " #b)
#define ASSERT_LE(a, b) GTEST_SHIM_ASSERT_(::testing::internal::Le((a), (b)), #a " <= " #b)
#define ASSERT_GT(a, b) GTEST_SHIM_ASSERT_(::testing::internal::Gt((a), (b)), #a " > " #b)
#define ASSERT_GE(a, b) GTEST_SHIM_ASSERT_(::testing::internal::Ge((a), (b)), #a " >= " #b)
#define ASSERT_NEAR(a, b, t) \
  GTEST_SHIM_ASSERT_(::testing::internal::Near((a), (b), (t)), #a " ~ " #b " within " #t)
#define SCOPED_TRACE(x) ::testing::ScopedTrace GTEST_SHIM_CAT_(scoped_trace_, __LINE__)(x)
#define GTEST_SHIM_CAT_(a, b) GTEST_SHIM_CAT2_(a, b)
#define GTEST_SHIM_CAT2_(a, b) a##b
// `GTEST_SKIP() << ...;` returns (void) from the test, as in GoogleTest.
#define GTEST_SKIP() \
  return ::testing::SkipHelper() = ((void)(::testing::g_skipped = true), ::testing::Message())

#endif  // EDGELITE_MICRO_TESTS_GTEST_SHIM_GTEST_GTEST_H_
