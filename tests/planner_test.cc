// The arena planner: lifetimes in, offsets + peak out.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "src/memory/planner.h"
#include "tests/test_util.h"

namespace edgelite {
namespace memory {
namespace {

TEST(Planner, DisjointLifetimesShareMemory) {
  // a: steps 0-1, b: steps 2-3 -> both at offset 0, peak = max size.
  std::vector<BufferRequest> r = {{100, 0, 1}, {64, 2, 3}};
  ArenaPlan p = PlanArena(r, 4);
  EXPECT_EQ(p.offsets[0], 0u);
  EXPECT_EQ(p.offsets[1], 0u);
  EXPECT_EQ(p.peak_bytes, 100u);
  EXPECT_TRUE(PlanIsValid(r, p));
}

TEST(Planner, OverlappingLifetimesStack) {
  // Three buffers alive at step 1: peak is the aligned sum.
  std::vector<BufferRequest> r = {{10, 0, 1}, {20, 1, 2}, {30, 1, 1}};
  ArenaPlan p = PlanArena(r, 16);
  // aligned sizes 16, 32, 32 -> 80
  EXPECT_EQ(p.peak_bytes, 80u);
  EXPECT_TRUE(PlanIsValid(r, p));
  for (size_t off : p.offsets) EXPECT_EQ(off % 16, 0u);
}

TEST(Planner, ReusesGapBetweenBuffers) {
  // Big buffers A (0-4) and B (0-4) are placed first; C (2-2) fits into the
  // hole left by D (0-1) which died before step 2.
  std::vector<BufferRequest> r = {{1000, 0, 4}, {500, 0, 1}, {400, 2, 2}};
  ArenaPlan p = PlanArena(r, 1);
  EXPECT_EQ(p.peak_bytes, 1500u);
  EXPECT_EQ(p.offsets[2], p.offsets[1]);
  EXPECT_TRUE(PlanIsValid(r, p));
}

TEST(Planner, ZeroSizedBuffersTakeNoSpace) {
  std::vector<BufferRequest> r = {{0, 0, 5}, {8, 0, 5}};
  ArenaPlan p = PlanArena(r, 8);
  EXPECT_EQ(p.peak_bytes, 8u);
}

TEST(Planner, RandomPlansNeverOverlapAndAreNoWorseThanSum) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  for (int trial = 0; trial < 200; ++trial) {
    const int n = 1 + rng() % 60, steps = 1 + rng() % 40;
    std::vector<BufferRequest> r(n);
    size_t sum = 0;
    for (auto& b : r) {
      b.size = rng() % 5000;
      b.first_step = rng() % steps;
      b.last_step = b.first_step + rng() % (steps - b.first_step);
      sum += (b.size + 63) & ~size_t{63};
    }
    ArenaPlan p = PlanArena(r, 64);
    ASSERT_TRUE(PlanIsValid(r, p)) << PlanToString(r, p);
    EXPECT_LE(p.peak_bytes, sum);
    // Lower bound: at every step the live buffers must fit.
    for (int s = 0; s < steps; ++s) {
      size_t live = 0;
      for (auto& b : r)
        if (b.first_step <= s && s <= b.last_step) live += b.size;
      EXPECT_GE(p.peak_bytes, live);
    }
  }
}

TEST(Planner, PlanIsValidDetectsOverlap) {
  std::vector<BufferRequest> r = {{10, 0, 1}, {10, 1, 2}};
  ArenaPlan bad;
  bad.offsets = {0, 5};
  bad.peak_bytes = 15;
  EXPECT_FALSE(PlanIsValid(r, bad));
}

}  // namespace
}  // namespace memory
}  // namespace edgelite
