// The fast float RESIZE_BILINEAR kernel (src/kernels/resize) against the reference
// (src/ref/resize.h), compared bit for bit (same operations in the same order): randomized
// input and output sizes (up- and down-scaling, sizes 1, outputs wider than the kernel's
// 256-column chunk), channel counts 1-37, batches 1-2, the three coordinate modes (default,
// align_corners, half_pixel_centers), and the output rows computed in two calls split at a
// random row (as the thread split does). Values include negatives, zeros and infinities.
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "src/kernels/resize/resize_fast.h"
#include "src/ref/resize.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

TEST(ResizeKernels, BilinearFloatMatchesReferenceBitForBit) {
  std::mt19937 rng(20261121);
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int cases = 0;
  for (int iter = 0; iter < 300; ++iter) {
    const int n = uni(1, 2), in_h = uni(1, 9), in_w = uni(1, 9), c = uni(1, 37);
    const int out_h = uni(1, 20), out_w = iter % 25 == 0 ? uni(257, 600) : uni(1, 20);
    const int mode = iter % 3;  // 0 default, 1 align_corners, 2 half_pixel_centers
    const bool align = mode == 1, half = mode == 2;
    const Shape in_shape{n, in_h, in_w, c}, out_shape{n, out_h, out_w, c};
    std::vector<float> in(static_cast<size_t>(in_shape.NumElements()));
    std::normal_distribution<float> val(0.0f, 10.0f);
    for (float& v : in) v = val(rng);
    if (iter % 10 == 0) {
      in[0] = 0.0f;
      in[in.size() / 2] = std::numeric_limits<float>::infinity();
    }
    const size_t out_n = static_cast<size_t>(out_shape.NumElements());
    std::vector<float> want(out_n), got(out_n, -1.0f);
    ref::ResizeBilinearFloat(in_shape, in.data(), out_shape, want.data(), align, half);
    const int64_t rows = int64_t{n} * out_h;
    const int64_t split = std::uniform_int_distribution<int64_t>(0, rows)(rng);
    kernels::resize::ResizeBilinearFloat(in_shape, in.data(), out_shape, got.data(), align, half,
                                         0, split);
    kernels::resize::ResizeBilinearFloat(in_shape, in.data(), out_shape, got.data(), align, half,
                                         split, rows);
    for (size_t i = 0; i < out_n; ++i) {
      // Bitwise (NaN from inf * 0 included).
      ASSERT_EQ(std::memcmp(&want[i], &got[i], sizeof(float)), 0)
          << "iter " << iter << " element " << i << ": " << want[i] << " vs " << got[i]
          << " (in " << in_h << "x" << in_w << "x" << c << " -> " << out_h << "x" << out_w
          << ", mode " << mode << ")";
    }
    ++cases;
  }
  EXPECT_EQ(cases, 300);
}

}  // namespace
}  // namespace edgelite
