// The data-movement kernels (src/kernels/copy) against the reference kernels (src/ref/pad.h,
// src/ref/strided_slice.h) on randomized shapes: ranks 0-5, element sizes 1/2/4/8, pad values
// whose bytes differ (the non-memset fill), zero paddings, empty dimensions, negative and unit
// strides, whole dimensions (the merged fast runs). Outputs must be the same bytes.
#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "src/kernels/copy/copy.h"
#include "src/ref/pad.h"
#include "src/ref/strided_slice.h"
#include "src/ref/transpose.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

Shape MakeShape(const std::vector<int32_t>& d) {
  Shape s;
  s.rank = static_cast<int>(d.size());
  for (size_t i = 0; i < d.size(); ++i) s.dims[i] = d[i];
  return s;
}

TEST(CopyKernels, PadConstantMatchesReference) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  int cases = 0, uniform_fill = 0, byte_fill = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const int rank = static_cast<int>(rng() % 6);
    const size_t elem = size_t{1} << (rng() % 4);
    std::vector<int32_t> in_d(rank), out_d(rank), before(kMaxRank, 0);
    for (int d = 0; d < rank; ++d) {
      in_d[d] = static_cast<int32_t>(rng() % 6);  // includes empty dimensions
      const bool padded = rng() % 3 != 0;
      before[d] = padded ? static_cast<int32_t>(rng() % 3) : 0;
      const int32_t after = padded ? static_cast<int32_t>(rng() % 3) : 0;
      out_d[d] = in_d[d] + before[d] + after;
    }
    const Shape in_s = MakeShape(in_d), out_s = MakeShape(out_d);
    std::vector<uint8_t> in(static_cast<size_t>(in_s.NumElements()) * elem);
    for (auto& v : in) v = static_cast<uint8_t>(rng());
    std::vector<uint8_t> value(elem);
    const bool uniform = rng() % 2 == 0;
    for (auto& v : value) v = static_cast<uint8_t>(uniform ? 0x5A : rng());
    bool all_same = true;
    for (size_t i = 1; i < elem; ++i) all_same = all_same && value[i] == value[0];
    (all_same ? uniform_fill : byte_fill)++;
    const size_t out_bytes = static_cast<size_t>(out_s.NumElements()) * elem;
    std::vector<uint8_t> want(out_bytes + 16, 0xEE), got(out_bytes + 16, 0xEE);
    ref::PadCopy(in_s, in.data(), out_s, want.data(), before.data(), elem, value.data(), 0);
    kernels::copy::PadConstant(in_s, in.data(), out_s, got.data(), before.data(), elem,
                               value.data());
    ASSERT_EQ(got, want) << "trial " << trial << " rank " << rank << " elem " << elem;
    ++cases;
  }
  std::printf("PadConstant: %d cases (%d uniform-byte fills, %d mixed-byte fills)\n", cases,
              uniform_fill, byte_fill);
  EXPECT_GT(byte_fill, 0);
}

TEST(CopyKernels, StridedSliceMatchesReference) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  int merged = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const int rank = static_cast<int>(rng() % 6);
    const size_t elem = size_t{1} << (rng() % 4);
    std::vector<int32_t> dims(rank);
    int32_t start[kMaxRank] = {}, stride[kMaxRank] = {}, count[kMaxRank] = {};
    for (int d = 0; d < rank; ++d) {
      dims[d] = 1 + static_cast<int32_t>(rng() % 7);
      const int kind = static_cast<int>(rng() % 3);
      if (kind == 0) {  // whole dimension
        start[d] = 0;
        stride[d] = 1;
        count[d] = dims[d];
        if (d == rank - 1) ++merged;
        continue;
      }
      int32_t s = 1 + static_cast<int32_t>(rng() % 3);
      if (rng() % 3 == 0) s = -s;
      start[d] = static_cast<int32_t>(rng() % dims[d]);
      const int32_t max_count = s > 0 ? (dims[d] - 1 - start[d]) / s + 1 : start[d] / -s + 1;
      count[d] = static_cast<int32_t>(rng() % (max_count + 1));
      stride[d] = s;
    }
    const Shape in_s = MakeShape(dims);
    std::vector<uint8_t> in(static_cast<size_t>(in_s.NumElements()) * elem);
    for (auto& v : in) v = static_cast<uint8_t>(rng());
    int64_t total = 1;
    for (int d = 0; d < rank; ++d) total *= count[d];
    std::vector<uint8_t> want(static_cast<size_t>(total) * elem + 16, 0xEE), got = want;
    ref::StridedSlice(in.data(), in_s, start, stride, count, want.data(), elem);
    kernels::copy::StridedSlice(in.data(), in_s, start, stride, count, got.data(), elem);
    ASSERT_EQ(got, want) << "trial " << trial << " rank " << rank << " elem " << elem;
  }
  std::printf("StridedSlice: 400 cases, %d with a whole innermost dimension\n", merged);
  EXPECT_GT(merged, 0);
}

TEST(CopyKernels, TransposeMatchesReference) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  for (int trial = 0; trial < 300; ++trial) {
    const int rank = static_cast<int>(rng() % 6);
    const size_t elem = trial % 7 == 6 ? 3 : size_t{1} << (rng() % 4);  // 3: the memcpy path
    std::vector<int32_t> dims(rank);
    for (auto& d : dims) d = static_cast<int32_t>(rng() % 5);  // 0 and 1 sized dimensions too
    int32_t perm[kMaxRank];
    for (int i = 0; i < rank; ++i) perm[i] = i;
    std::shuffle(perm, perm + rank, rng);
    const Shape in_s = MakeShape(dims);
    std::vector<uint8_t> in(static_cast<size_t>(in_s.NumElements()) * elem);
    for (auto& v : in) v = static_cast<uint8_t>(rng());
    std::vector<uint8_t> want(in.size() + 16, 0xEE), got = want;
    ref::Transpose(in.data(), in_s, perm, want.data(), elem);
    kernels::copy::Transpose(in.data(), in_s, perm, got.data(), elem);
    ASSERT_EQ(got, want) << "trial " << trial << " rank " << rank << " elem " << elem;
  }
  // A large one with a long contiguous inner block and a strided one.
  const int32_t big_perms[2][4] = {{0, 2, 1, 3}, {0, 3, 1, 2}};
  for (const auto& perm : big_perms) {
    const Shape in_s = MakeShape({2, 37, 41, 19});
    std::vector<uint8_t> in(static_cast<size_t>(in_s.NumElements()));
    for (auto& v : in) v = static_cast<uint8_t>(rng());
    std::vector<uint8_t> want(in.size()), got(in.size());
    ref::Transpose(in.data(), in_s, perm, want.data(), 1);
    kernels::copy::Transpose(in.data(), in_s, perm, got.data(), 1);
    EXPECT_EQ(got, want);
  }
}

}  // namespace
}  // namespace edgelite
