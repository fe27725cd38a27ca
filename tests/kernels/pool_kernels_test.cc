// The channels-inner pooling kernels (src/kernels/pool) against the reference (src/ref/pooling.h)
// for AVERAGE and MAX, float32 (compared bit for bit: same operations in the same order) and
// int8/uint8/int16 (exact), on randomized geometry: window sizes 1-4, strides 1-3, padding that
// leaves partial and (degenerate SAME) empty windows, channel counts past the 256-channel
// accumulator block, activation clamps, and the output rows computed in two calls split at a
// random row (as the thread split does).
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "src/kernels/pool/pool_fast.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

namespace kp = kernels::pool;

struct Geo {
  Shape in, out;
  ref::Window2D w;
  int32_t k_h, k_w;
};

Geo RandomGeo(std::mt19937& rng) {
  Geo g;
  const int32_t b = 1 + rng() % 2, h = 1 + rng() % 9, wd = 1 + rng() % 9;
  const int32_t c = rng() % 6 == 0 ? 257 + rng() % 40 : 1 + rng() % 20;
  g.k_h = 1 + rng() % 4;
  g.k_w = 1 + rng() % 4;
  g.w.stride_h = 1 + rng() % 3;
  g.w.stride_w = 1 + rng() % 3;
  g.w.pad_top = rng() % g.k_h == 0 ? 0 : static_cast<int32_t>(rng() % (g.k_h + 1));
  g.w.pad_left = static_cast<int32_t>(rng() % (g.k_w + 1));
  const int32_t oh = (h + 2 * g.w.pad_top - g.k_h) / g.w.stride_h + 1;
  const int32_t ow = (wd + 2 * g.w.pad_left - g.k_w) / g.w.stride_w + 1;
  g.in.rank = g.out.rank = 4;
  g.in.dims[0] = b; g.in.dims[1] = h; g.in.dims[2] = wd; g.in.dims[3] = c;
  g.out.dims[0] = b; g.out.dims[1] = std::max(oh, 1); g.out.dims[2] = std::max(ow, 1);
  g.out.dims[3] = c;
  return g;
}

template <typename T>
void CheckQuantized(std::mt19937& rng, ref::PoolKind kind, const Geo& g) {
  std::vector<T> in(g.in.NumElements());
  for (auto& v : in) v = static_cast<T>(rng());
  const int32_t lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
  const int32_t act_min = rng() % 2 ? lo : lo / 2, act_max = rng() % 2 ? hi : hi / 2;
  std::vector<T> want(g.out.NumElements()), got(want.size());
  ref::Pool2DQuantized(kind, g.w, g.k_h, g.k_w, act_min, act_max, g.in, in.data(), g.out,
                       want.data());
  const int64_t rows = int64_t{g.out[0]} * g.out[1];
  const int64_t split = static_cast<int64_t>(rng() % (rows + 1));
  kp::PoolQuantized(kind, g.w, g.k_h, g.k_w, act_min, act_max, g.in, in.data(), g.out, got.data(),
                    0, split);
  kp::PoolQuantized(kind, g.w, g.k_h, g.k_w, act_min, act_max, g.in, in.data(), g.out, got.data(),
                    split, rows);
  ASSERT_EQ(got, want) << "kind " << static_cast<int>(kind) << " bytes " << sizeof(T);
}

TEST(PoolKernels, MatchReference) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  int cases = 0;
  for (int trial = 0; trial < 200; ++trial) {
    const Geo g = RandomGeo(rng);
    for (ref::PoolKind kind : {ref::PoolKind::kAverage, ref::PoolKind::kMax}) {
      SCOPED_TRACE("trial " + std::to_string(trial));
      CheckQuantized<int8_t>(rng, kind, g);
      CheckQuantized<uint8_t>(rng, kind, g);
      CheckQuantized<int16_t>(rng, kind, g);
      std::vector<float> in(g.in.NumElements());
      for (auto& v : in) v = static_cast<float>(static_cast<int>(rng() % 20001) - 10000) / 313.0f;
      ref::Window2D w = g.w;
      w.act_min = rng() % 2 ? -std::numeric_limits<float>::infinity() : -5.0f;
      w.act_max = rng() % 2 ? std::numeric_limits<float>::infinity() : 6.0f;
      std::vector<float> want(g.out.NumElements()), got(want.size());
      ref::Pool2DFloat(kind, w, g.k_h, g.k_w, g.in, in.data(), g.out, want.data());
      const int64_t rows = int64_t{g.out[0]} * g.out[1];
      const int64_t split = static_cast<int64_t>(rng() % (rows + 1));
      kp::PoolFloat(kind, w, g.k_h, g.k_w, g.in, in.data(), g.out, got.data(), 0, split);
      kp::PoolFloat(kind, w, g.k_h, g.k_w, g.in, in.data(), g.out, got.data(), split, rows);
      ASSERT_TRUE(want.empty() ||
                  std::memcmp(got.data(), want.data(), want.size() * sizeof(float)) == 0)
          << "float kind " << static_cast<int>(kind);
      ++cases;
    }
  }
  std::printf("pool kernels: %d geometries x kinds, float + int8/uint8/int16 each\n", cases);
}

}  // namespace
}  // namespace edgelite
