// Portable float32 GEMM (the scalar variant), the packing routine and the start-up dispatch.
#include "src/kernels/gemm/gemm_f32.h"

#include <algorithm>
#include <cstring>

namespace edgelite {
namespace kernels {

void GemmF32Pack(const float* w, const float* bias, int32_t n, int32_t k, int32_t nr,
                 float* packed_w, float* packed_bias) {
  const int32_t panels = GemmF32NumPanels(n, nr);
  for (int32_t p = 0; p < panels; ++p) {
    float* dst = packed_w + static_cast<size_t>(p) * nr * k;
    for (int32_t j = 0; j < nr; ++j) {
      const int32_t col = p * nr + j;
      if (col < n) {
        const float* src = w + static_cast<size_t>(col) * k;
        for (int32_t kk = 0; kk < k; ++kk) dst[static_cast<size_t>(kk) * nr + j] = src[kk];
      } else {
        for (int32_t kk = 0; kk < k; ++kk) dst[static_cast<size_t>(kk) * nr + j] = 0.0f;
      }
      packed_bias[p * nr + j] = (col < n && bias != nullptr) ? bias[col] : 0.0f;
    }
  }
}

namespace {

constexpr int32_t kMr = kGemmF32ScalarMr, kNr = kGemmF32ScalarNr;

// Same operand order as ref::Clamp, so that NaN propagates the same way.
inline float ClampF(float v, float lo, float hi) { return std::min(std::max(v, lo), hi); }

template <int kRows>
void Tile(const GemmF32Args& g, int64_t m0, int32_t p) {
  float acc[kRows][kNr] = {};
  const float* w = g.packed_w + static_cast<size_t>(p) * kNr * g.k;
  const float* a[kRows];
  for (int r = 0; r < kRows; ++r) a[r] = g.a + (m0 + r) * g.lda;
  for (int32_t kk = 0; kk < g.k; ++kk) {
    const float* wk = w + static_cast<size_t>(kk) * kNr;
    for (int r = 0; r < kRows; ++r) {
      const float av = a[r][kk];
      for (int j = 0; j < kNr; ++j) acc[r][j] += av * wk[j];
    }
  }
  const int32_t cols = std::min(kNr, g.n - p * kNr);
  const float* bias = g.packed_bias + p * kNr;
  for (int r = 0; r < kRows; ++r) {
    float* c = g.c + (m0 + r) * g.ldc + p * kNr;
    for (int32_t j = 0; j < cols; ++j) c[j] = ClampF(acc[r][j] + bias[j], g.act_min, g.act_max);
  }
}

}  // namespace

void GemmF32RunScalar(const GemmF32Args& g, int64_t m_begin, int64_t m_end, int32_t panel_begin,
                      int32_t panel_end) {
  for (int32_t p = panel_begin; p < panel_end; ++p) {
    int64_t m = m_begin;
    for (; m + kMr <= m_end; m += kMr) Tile<kMr>(g, m, p);
    for (; m < m_end; ++m) Tile<1>(g, m, p);
  }
}

const GemmF32Kernel& SelectGemmF32Kernel() {
  static const GemmF32Kernel kScalar = {Isa::kScalar, kGemmF32ScalarMr, kGemmF32ScalarNr,
                                        GemmF32RunScalar};
#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64)
  static const GemmF32Kernel kAvx2 = {Isa::kAvx2, kGemmF32Avx2Mr, kGemmF32Avx2Nr,
                                      GemmF32RunAvx2};
  static const GemmF32Kernel kAvx512 = {Isa::kAvx512, kGemmF32Avx512Mr, kGemmF32Avx512Nr,
                                        GemmF32RunAvx512};
  const Isa isa = ActiveIsa();
  if (isa == Isa::kAvx512) return kAvx512;
  if (isa == Isa::kAvx2) return kAvx2;
#elif defined(__aarch64__)
  static const GemmF32Kernel kNeon = {Isa::kNeon, kGemmF32NeonMr, kGemmF32NeonNr, GemmF32RunNeon};
  if (ActiveIsa() == Isa::kNeon) return kNeon;
#endif
  return kScalar;
}

}  // namespace kernels
}  // namespace edgelite
