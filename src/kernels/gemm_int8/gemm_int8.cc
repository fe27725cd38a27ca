// Portable part of the 8-bit GEMM: weight packing, the scalar variant, dispatch.
#include "src/kernels/gemm_int8/gemm_int8.h"

#include <algorithm>
#include <cstring>

#include "src/quant/fixed_point.h"

namespace edgelite {
namespace kernels {
namespace gemm_int8 {

size_t PackedDataBytes(int32_t n, int32_t k) {
  const size_t groups = static_cast<size_t>((k + kKr - 1) / kKr);
  const size_t blocks = static_cast<size_t>((n + kNr - 1) / kNr);
  return blocks * groups * kNr * kKr;
}

void PackWeights(const uint8_t* w, int32_t n, int32_t k, int64_t row_stride, bool flip,
                 int8_t* data, int32_t* col_sum, PackedWeights* out) {
  out->n = n;
  out->k = k;
  out->k_groups = (k + kKr - 1) / kKr;
  out->n_blocks = (n + kNr - 1) / kNr;
  const uint8_t mask = flip ? 0x80 : 0x00;
  for (int32_t b = 0; b < out->n_blocks; ++b) {
    for (int32_t j = 0; j < kNr; ++j) {
      const int32_t col = b * kNr + j;
      int32_t sum = 0;
      for (int32_t g = 0; g < out->k_groups; ++g) {
        int8_t* dst = data + ((static_cast<size_t>(b) * out->k_groups + g) * kNr + j) * kKr;
        for (int32_t t = 0; t < kKr; ++t) {
          const int32_t kk = g * kKr + t;
          int8_t v = 0;
          if (col < n && kk < k) v = static_cast<int8_t>(w[col * row_stride + kk] ^ mask);
          dst[t] = v;
          sum += v;
        }
      }
      col_sum[col] = sum;
    }
  }
  out->data = data;
  out->col_sum = col_sum;
}

size_t WideDataBytes(int32_t n, int32_t k) { return 2 * PackedDataBytes(n, k); }

void PackWideWeights(PackedWeights* w, int16_t* data16) {
  const int32_t pairs = w->k_pairs();
  for (int32_t b = 0; b < w->n_blocks; ++b) {
    for (int32_t p = 0; p < pairs; ++p) {
      int16_t* dst = data16 + (static_cast<size_t>(b) * pairs + p) * kNr * 2;
      for (int32_t j = 0; j < kNr; ++j) {
        for (int32_t t = 0; t < 2; ++t) {
          const int32_t kk = 2 * p + t;  // k index; its group and position in the 8-bit layout
          const int8_t* src =
              w->data + ((static_cast<size_t>(b) * w->k_groups + kk / kKr) * kNr + j) * kKr;
          dst[j * 2 + t] = src[kk % kKr];
        }
      }
    }
  }
  w->data16 = data16;
}

void PackWideWeightsInPlace(PackedWeights* w, int16_t* data16) {
  // Group by group (4 k of 16 columns: 64 bytes in, two k pairs = 128 bytes out). Group i's output
  // [128 i, 128 i + 128) ends before group i + 1's input (at 64 * groups + 64 (i + 1)), and only
  // the last group's output overlaps its own input, which is copied out first.
  constexpr int32_t kGroupBytes = kNr * kKr;
  const size_t groups = static_cast<size_t>(w->n_blocks) * w->k_groups;
  for (size_t i = 0; i < groups; ++i) {
    int8_t src[kGroupBytes];
    std::memcpy(src, w->data + i * kGroupBytes, sizeof(src));
    int16_t* dst = data16 + i * kGroupBytes;  // 2 * kGroupBytes bytes of int16 per group
    for (int32_t pp = 0; pp < 2; ++pp)
      for (int32_t j = 0; j < kNr; ++j)
        for (int32_t t = 0; t < 2; ++t) dst[(pp * kNr + j) * 2 + t] = src[j * kKr + pp * 2 + t];
  }
  w->data16 = data16;
  w->data = nullptr;
}

bool WantsWideWeights() {
#if defined(__x86_64__) || defined(_M_X64)
  return SelectGemm() == GemmAvx2;
#else
  return false;
#endif
}

int32_t OutputValue(const OutputStage& st, int32_t acc, int32_t col) {
  const int32_t v = quant::MultiplyByQuantizedMultiplier(acc, st.multiplier[col], st.shift[col]);
  // Clamp before adding the offset: the same as the reference's saturating int64 add.
  const int32_t lo = st.act_min - st.out_offset, hi = st.act_max - st.out_offset;
  return std::min(std::max(v, lo), hi) + st.out_offset;
}

void GemmScalar(const GemmArgs& args, int64_t m_begin, int64_t m_end, int32_t nb_begin,
                int32_t nb_end) {
  const PackedWeights& w = *args.w;
  const int32_t groups = w.k_groups;
  const int32_t* col_bias = args.stage ? args.stage->col_bias : args.col_bias;
  for (int32_t b = nb_begin; b < nb_end; ++b) {
    const int8_t* wb = w.data + static_cast<size_t>(b) * groups * kNr * kKr;
    const int32_t cols = std::min(kNr, w.n - b * kNr);
    for (int64_t m = m_begin; m < m_end; ++m) {
      const uint8_t* a = args.a + m * args.a_stride;
      // Unsigned arithmetic: the sum wraps modulo 2^32 like the vector variants.
      uint32_t acc[kNr] = {};
      for (int32_t g = 0; g < groups; ++g) {
        const int8_t* wg = wb + g * kNr * kKr;
        const uint8_t* ag = a + g * kKr;
        for (int32_t j = 0; j < kNr; ++j) {
          int32_t s = 0;
          for (int32_t t = 0; t < kKr; ++t) s += static_cast<int32_t>(ag[t] ^ args.a_xor) * wg[j * kKr + t];
          acc[j] += static_cast<uint32_t>(s);
        }
      }
      const uint32_t row = args.row_corr ? static_cast<uint32_t>(args.row_corr[m]) : 0u;
      for (int32_t j = 0; j < cols; ++j) {
        const int32_t col = b * kNr + j;
        uint32_t v = acc[j] + row;
        if (col_bias) v += static_cast<uint32_t>(col_bias[col]);
        if (args.stage) {
          const int32_t r = OutputValue(*args.stage, static_cast<int32_t>(v), col);
          args.out[m * args.out_stride + col] = static_cast<uint8_t>(r);
        } else {
          args.out32[m * args.out_stride + col] = static_cast<int32_t>(v);
        }
      }
    }
  }
}

GemmFn SelectGemm() {
#if defined(__x86_64__) || defined(_M_X64)
  const Isa isa = ActiveIsa();
  if (isa == Isa::kAvx512 && ActiveIsaHasDotProduct()) return GemmAvx512Vnni;
  // AVX-512 without VNNI gains little over AVX2 for 8-bit products (no byte multiply-add): it
  // uses the AVX2 variant.
  if (isa == Isa::kAvx2 || isa == Isa::kAvx512) return GemmAvx2;
#elif defined(__aarch64__)
  if (ActiveIsa() == Isa::kNeon) return ActiveIsaHasDotProduct() ? GemmNeonDot : GemmNeon;
#endif
  return GemmScalar;
}

const char* SelectedGemmName() {
  const GemmFn f = SelectGemm();
#if defined(__x86_64__) || defined(_M_X64)
  if (f == GemmAvx512Vnni) return "avx512vnni";
  if (f == GemmAvx2) return "avx2";
#elif defined(__aarch64__)
  if (f == GemmNeonDot) return "neondot";
  if (f == GemmNeon) return "neon";
#endif
  return f == GemmScalar ? "scalar" : "unknown";
}

void RequantizeForTesting(const int32_t* x, const int32_t* multiplier, const int32_t* shift,
                          int32_t n, int32_t* out) {
#if defined(__x86_64__) || defined(_M_X64)
  const Isa isa = ActiveIsa();
  if (isa == Isa::kAvx512) return RequantizeAvx512(x, multiplier, shift, n, out);
  if (isa == Isa::kAvx2) return RequantizeAvx2(x, multiplier, shift, n, out);
#elif defined(__aarch64__)
  if (ActiveIsa() == Isa::kNeon) return RequantizeNeon(x, multiplier, shift, n, out);
#endif
  for (int32_t i = 0; i < n; ++i)
    out[i] = quant::MultiplyByQuantizedMultiplier(x[i], multiplier[i], shift[i]);
}

}  // namespace gemm_int8
}  // namespace kernels
}  // namespace edgelite
