// The peak-measurement loops of src/kernels/peak (used by `edgelite peak`): each runs the
// instruction sequence it claims, as many times as asked. Expected values are derived by hand
// from the instructions' definitions: a <- a * m + c from a = 1 with m = 0.9999, c = 1e-4 (the
// fixed point of the recurrence is 1, so a stays ~1); vpmaddwd of the pairs (3, 3) and (-2, -2)
// adds -12 per int32 lane and iteration; a 4-byte dot product of 3s and -2s adds -24.
#include "src/kernels/peak/peak.h"

#include <cmath>
#include <cstdio>
#include <string>

#include "src/base/cpu_features.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

namespace kp = kernels::peak;

// a <- a * m + c, n times, from a0 (the loops' single-rounding FMA).
float FmaRecurrence(int64_t n, float a0 = 1.0f) {
  float a = a0;
  for (int64_t i = 0; i < n; ++i) a = std::fma(a, 0.9999f, 1e-4f);
  return a;
}

// The intrinsics loops (AVX-512, NEON) start accumulator j at 1 + 0.001 j and return the sum of
// the 12 accumulators' lanes: lanes x sum_j FmaRecurrence(n, 1 + 0.001 j).
double SumOfAccumulators(int64_t n, int lanes) {
  double s = 0;
  for (int j = 0; j < 12; ++j) s += FmaRecurrence(n, 1.0f + 0.001f * static_cast<float>(j));
  return lanes * s;
}

TEST(PeakLoops, ScalarRunsTheRecurrence) {
  // 12 accumulators starting at 1 + 0.001 j, each a <- a * m + c; the sum is returned.
  const int64_t n = 100;
  double expect = 0;
  for (int j = 0; j < 12; ++j) {
    double a = 1.0 + 0.001 * j;
    for (int64_t i = 0; i < n; ++i) a = a * 0.9999 + 1e-4;
    expect += a;
  }
  EXPECT_NEAR(kp::LoopScalar(n), expect, 1e-4 * expect);
}

#if defined(__x86_64__) || defined(_M_X64)
TEST(PeakLoops, Avx2) {
  if (ActiveIsa() < Isa::kAvx2) GTEST_SKIP() << "no AVX2";
  for (int64_t n : {1, 7, 1000}) {
    // Returns lane 0 of acc0 + acc1 + acc11.
    const float a = FmaRecurrence(n);
    EXPECT_FLOAT_EQ(kp::LoopFmaAvx2(n), (a + a) + a) << n;
    EXPECT_EQ(kp::LoopMaddwdAvx2(n), static_cast<float>(3 * -12 * n)) << n;
  }
}

TEST(PeakLoops, Avx512) {
  if (ActiveIsa() < Isa::kAvx512) GTEST_SKIP() << "no AVX-512";
  for (int64_t n : {1, 1000}) {
    // Sum of the 12 accumulators, then of the 16 lanes.
    EXPECT_NEAR(kp::LoopFmaAvx512(n), SumOfAccumulators(n, 16), 1e-3) << n;
    if (GetCpuFeatures().avx512vnni) {  // lane of acc j: j - 24 n
      EXPECT_EQ(kp::LoopVnniAvx512(n), static_cast<float>(16 * (66 - 288 * n))) << n;
    }
  }
}
#endif

#if defined(__aarch64__)
TEST(PeakLoops, Neon) {
  if (ActiveIsa() < Isa::kNeon) GTEST_SKIP() << "no NEON";
  for (int64_t n : {1, 1000}) {
    EXPECT_NEAR(kp::LoopFmlaNeon(n), SumOfAccumulators(n, 4), 1e-3) << n;
    if (ActiveIsaHasDotProduct()) {
      EXPECT_EQ(kp::LoopSdotNeon(n), static_cast<float>(4 * (66 - 288 * n))) << n;
    }
  }
}
#endif

TEST(PeakLoops, EveryListedLoopRuns) {
  std::string names;
  for (const kp::PeakLoop& l : kp::AvailableLoops()) {
    EXPECT_GT(l.ops_per_iter, 0);
    EXPECT_TRUE(std::isfinite(l.run(10))) << l.name;
    names += std::string(names.empty() ? "" : ", ") + l.name;
  }
  std::printf("[ isa paths ] peak loops: %s\n", names.c_str());
}

}  // namespace
}  // namespace edgelite
