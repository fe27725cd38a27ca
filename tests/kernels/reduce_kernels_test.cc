// The contiguous-axes reduction kernel (src/kernels/reduce/reduce_fast.h) against ref::Reduce on
// randomized shapes (ranks 1-5, sizes 0-7 and wide inner blocks past the 256-element accumulator
// block) and axis sets: float sums accumulated in double, float max, int8 sums; the fold order is
// the same, so results must be identical (float included). Axis sets that are not one contiguous
// block must be declined.
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "src/kernels/reduce/reduce_fast.h"
#include "src/ref/reduce.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

// Bitwise equality (NaN-safe, and no memcmp on the null data() of empty vectors).
bool SameBits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), sizeof(float) * a.size()) == 0);
}

TEST(ReduceKernels, ContiguousMatchesReference) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  int taken = 0, declined = 0;
  for (int trial = 0; trial < 500; ++trial) {
    Shape s;
    s.rank = 1 + static_cast<int>(rng() % 5);
    for (int a = 0; a < s.rank; ++a) s.dims[a] = static_cast<int32_t>(rng() % 8);
    if (trial % 10 == 0) s.dims[s.rank - 1] = 300 + static_cast<int32_t>(rng() % 300);
    bool reduced[kMaxRank] = {};
    for (int a = 0; a < s.rank; ++a) reduced[a] = rng() % 2;
    const int64_t n = s.NumElements();
    int64_t out_n = 1;
    for (int a = 0; a < s.rank; ++a)
      if (!reduced[a]) out_n *= s.dims[a];
    std::vector<float> xf(n);
    std::vector<int8_t> xi(n);
    for (auto& v : xf) v = static_cast<float>(static_cast<int>(rng() % 20001) - 10000) / 977.0f;
    for (auto& v : xi) v = static_cast<int8_t>(rng());
    auto sum = [](double a, float v) { return a + static_cast<double>(v); };
    auto mean = [](double a, int64_t c) { return static_cast<float>(c ? a / static_cast<double>(c) : a); };
    std::vector<float> want(out_n), got(out_n, -1.0f);
    ref::Reduce(xf.data(), s, reduced, want.data(), 0.0, sum, mean);
    const bool ok = kernels::ReduceContiguous(xf.data(), s, reduced, got.data(), 0.0, sum, mean);
    if (!ok) {
      ++declined;
      continue;
    }
    ++taken;
    ASSERT_TRUE(SameBits(got, want)) << "mean, trial " << trial;
    auto mx = [](float a, float v) { return v > a ? v : a; };
    auto id = [](float a, int64_t) { return a; };
    ref::Reduce(xf.data(), s, reduced, want.data(), -1e30f, mx, id);
    ASSERT_TRUE(kernels::ReduceContiguous(xf.data(), s, reduced, got.data(), -1e30f, mx, id));
    ASSERT_TRUE(SameBits(got, want)) << "max, trial " << trial;
    std::vector<int32_t> wi(out_n), gi(out_n, 7);
    auto isum = [](int32_t a, int8_t v) { return a + v; };
    auto iid = [](int32_t a, int64_t c) { return a - static_cast<int32_t>(c); };
    ref::Reduce(xi.data(), s, reduced, wi.data(), 0, isum, iid);
    ASSERT_TRUE(kernels::ReduceContiguous(xi.data(), s, reduced, gi.data(), 0, isum, iid));
    ASSERT_EQ(gi, wi) << "int sum, trial " << trial;
  }
  std::printf("reduce: %d contiguous cases compared, %d declined\n", taken, declined);
  EXPECT_GT(taken, 100);
  EXPECT_GT(declined, 10);
}

}  // namespace
}  // namespace edgelite
