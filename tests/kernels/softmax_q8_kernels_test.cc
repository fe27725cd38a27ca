// The table-driven 8-bit SOFTMAX kernel (src/kernels/softmax_q8) against the reference
// (ref::SoftmaxQuantized8) for int8 -> int8/int16 and uint8 -> uint8/int16, random beta * input
// scales (parameters derived here as TFLite's softmax prepare does), row lengths 1..300 and
// inputs both spread and concentrated (so that diff_min cuts some entries); int exact.
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "src/kernels/softmax_q8/softmax_q8.h"
#include "src/quant/quantization.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

namespace ks = kernels::softmax_q8;

// TFLite's 8-bit softmax prepare: beta * s_in scaled to Q5.26, diff_min from the largest
// difference whose rescaled value fits.
ref::QuantizedSoftmaxParams Derive(double beta_scale) {
  ref::QuantizedSoftmaxParams q;
  const double real = std::min(beta_scale * static_cast<double>(1 << 26),
                               static_cast<double>((int64_t{1} << 31) - 1));
  quant::QuantizeMultiplier(real, &q.input_multiplier, &q.input_left_shift);
  const double max_rescaled = 31.0 * static_cast<double>(int64_t{1} << 26) /
                              static_cast<double>(int64_t{1} << q.input_left_shift);
  q.diff_min = -static_cast<int32_t>(std::floor(max_rescaled));
  return q;
}

template <typename In, typename Out>
void Check(std::mt19937& rng, ks::Q8Types types, int* cut_cases) {
  for (int trial = 0; trial < 60; ++trial) {
    // beta * s_in from 2^-26 (multiplier 1) to 2 (large: diff_min cuts most of the range).
    const double beta_scale = std::ldexp(1.0 + (rng() % 1000) / 1000.0, -static_cast<int>(rng() % 27));
    const ref::QuantizedSoftmaxParams q = Derive(beta_scale);
    if (q.diff_min > -255) ++*cut_cases;
    ks::SoftmaxQ8Table table;
    ks::PrepareSoftmaxQ8(q, &table);
    const int64_t depth = 1 + rng() % 300, rows = 1 + rng() % 5;
    std::vector<In> x(static_cast<size_t>(rows * depth));
    const bool narrow = rng() % 2;
    for (auto& v : x) {
      const int r = narrow ? static_cast<int>(rng() % 9) : static_cast<int>(rng() % 256);
      v = static_cast<In>(static_cast<int>(std::numeric_limits<In>::min()) + (narrow ? 100 + r : r));
    }
    std::vector<Out> want(x.size()), got(x.size());
    ref::SoftmaxQuantized8<In, Out>(q, x.data(), want.data(), rows, depth);
    ks::RunSoftmaxQ8(table, types, x.data(), got.data(), depth, 0, rows);
    ASSERT_EQ(got, want) << "types " << static_cast<int>(types) << " trial " << trial
                         << " beta*scale " << beta_scale << " depth " << depth;
  }
}

TEST(SoftmaxQ8Kernel, MatchesReference) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  int cut = 0;
  Check<int8_t, int8_t>(rng, ks::Q8Types::kInt8ToInt8, &cut);
  Check<int8_t, int16_t>(rng, ks::Q8Types::kInt8ToInt16, &cut);
  Check<uint8_t, uint8_t>(rng, ks::Q8Types::kUInt8ToUInt8, &cut);
  Check<uint8_t, int16_t>(rng, ks::Q8Types::kUInt8ToInt16, &cut);
  std::printf("softmax_q8: 240 cases, %d with diff_min inside the 8-bit range\n", cut);
  EXPECT_GT(cut, 0);
}

}  // namespace
}  // namespace edgelite
