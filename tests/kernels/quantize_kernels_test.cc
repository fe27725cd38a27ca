// The float32 affine quantization kernels (src/kernels/quantize) against the reference's
// per-element function (quant::QuantizeValue) for every variant this CPU runs, int8/uint8/int16
// outputs, random scales and zero points, and the values where rounding and clamping matter:
// exact halves (k + 0.5) * scale of both signs, values next to them, +-0, NaN, +-inf, huge
// values, denormals; lengths around the vector width. int exact.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "src/base/cpu_features.h"
#include "src/kernels/quantize/quantize_f32.h"
#include "src/quant/quantization.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

namespace kq = kernels::quantize;

TEST(QuantizeKernels, MatchReference) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  std::vector<std::pair<const char*, kq::QuantizeFn>> variants = {{"scalar", kq::QuantizeScalar}};
#if defined(__x86_64__) || defined(_M_X64)
  if (GetCpuFeatures().avx2) variants.push_back({"avx2", kq::QuantizeAvx2});
#endif
  const DataType types[] = {DataType::kInt8, DataType::kUInt8, DataType::kInt16};
  const float inf = std::numeric_limits<float>::infinity();
  int halves = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const DataType t = types[trial % 3];
    kq::QuantizeArgs a;
    quant::TypeRange(t, &a.lo, &a.hi);
    a.out_bytes = t == DataType::kInt16 ? 2 : 1;
    a.scale = std::ldexp(1.0f + (rng() % 1000) / 1000.0f, -static_cast<int>(rng() % 12));
    a.zero_point = t == DataType::kInt16 ? 0 : a.lo + static_cast<int32_t>(rng() % 256);
    const int n = static_cast<int>(rng() % 70);
    std::vector<float> x(n);
    for (auto& v : x) {
      switch (rng() % 8) {
        case 0: {  // an exact half (when representable) and its neighbours
          const int k = static_cast<int>(rng() % 400) - 200;
          v = (static_cast<float>(k) + 0.5f) * a.scale;
          const int nb = static_cast<int>(rng() % 3);
          if (nb == 1) v = std::nextafter(v, inf);
          if (nb == 2) v = std::nextafter(v, -inf);
          ++halves;
          break;
        }
        case 1: {
          const float specials[] = {0.0f, -0.0f, inf, -inf, std::numeric_limits<float>::quiet_NaN(),
                                    1e30f, -1e30f, 1e-40f, -1e-40f, 3e9f};
          v = specials[rng() % 10];
          break;
        }
        default:
          v = (static_cast<float>(rng() % 200001) / 100000.0f - 1.0f) * a.scale * 300.0f;
      }
    }
    std::vector<int32_t> want(n);
    for (int i = 0; i < n; ++i) want[i] = quant::QuantizeValue(x[i], a.scale, a.zero_point, t);
    for (const auto& var : variants) {
      std::vector<uint8_t> out(static_cast<size_t>(n) * a.out_bytes + 32, 0xEE);
      var.second(a, x.data(), n, out.data());
      for (int i = 0; i < n; ++i) {
        int32_t got;
        if (a.out_bytes == 2) {
          int16_t v;
          std::memcpy(&v, out.data() + 2 * i, 2);
          got = v;
        } else {
          got = t == DataType::kUInt8 ? out[i] : static_cast<int8_t>(out[i]);
        }
        ASSERT_EQ(got, want[i]) << var.first << " trial " << trial << " " << DataTypeName(t)
                                << " x " << x[i] << " scale " << a.scale << " zp "
                                << a.zero_point;
      }
      for (size_t i = static_cast<size_t>(n) * a.out_bytes; i < out.size(); ++i)
        ASSERT_EQ(out[i], 0xEE) << var.first << ": wrote past n";
    }
  }
  std::string names;
  for (const auto& v : variants) names += std::string(" ") + v.first;
  std::printf("quantize variants covered:%s (%d half-way values)\n", names.c_str(), halves);
}

}  // namespace
}  // namespace edgelite
