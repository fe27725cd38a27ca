// The optimized 8-bit kernels (src/kernels/gemm_int8, conv_int8, dwconv_int8) against the
// reference kernels (src/ref), bit for bit, at every ISA level this machine has: scalar, AVX2,
// AVX-512 without VNNI (GEMM falls to the AVX2 variant) and AVX-512 VNNI on x86-64; scalar, NEON
// and NEON with the dot product on AArch64 (under qemu-aarch64 in the `aarch64` preset). Randomized shapes cover
// tile edges (rows not a multiple of 8, columns not a multiple of 16/32), odd channel counts,
// strides, dilation, padding, 1x1 direct/copy paths, batch > 1, random zero points, extreme
// multipliers and shifts, saturating and wrapping accumulators. Each test prints the variants it
// ran.
#include <algorithm>
#include <cstdio>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "src/base/cpu_features.h"
#include "src/kernels/conv_int8/conv_int8.h"
#include "src/kernels/dwconv_int8/dwconv_int8.h"
#include "src/kernels/gemm_int8/gemm_int8.h"
#include "src/quant/fixed_point.h"
#include "src/ref/conv_2d.h"
#include "src/ref/depthwise_conv_2d.h"
#include "tests/test_util.h"

#if defined(EDGELITE_HAVE_AVX512_EMULATION)
// tests/kernels/avx512_emulated_kernels.cc: the AVX-512 sources over SIMDe, for CPUs without it.
namespace edgelite {
namespace kernels {
namespace gemm_int8 {
void GemmAvx512VnniEmulated(const GemmArgs&, int64_t, int64_t, int32_t, int32_t);
void RequantizeAvx512Emulated(const int32_t*, const int32_t*, const int32_t*, int32_t, int32_t*);
}  // namespace gemm_int8
namespace dwconv_int8 {
void DwAvx512Emulated(const DwPlan&, const uint8_t*, uint8_t*, int64_t, int64_t);
}  // namespace dwconv_int8
}  // namespace kernels
}  // namespace edgelite
#endif

namespace edgelite {
namespace {

namespace ck = kernels::conv_int8;
namespace dk = kernels::dwconv_int8;
namespace gk = kernels::gemm_int8;

struct IsaConfig {
  Isa isa;
  bool dotprod;
  const char* label;
};

// Every configuration the CPU can run (a cap above the CPU runs the CPU's best, which is
// recorded by name, so nothing is claimed that did not run).
std::vector<IsaConfig> Configs() {
#if defined(__aarch64__)
  // On a CPU without the dot product (qemu -cpu cortex-a53) "neon-dotprod" runs the plain NEON
  // variant again; the printed variant names say what really ran.
  return {{Isa::kScalar, false, "scalar"},
          {Isa::kNeon, false, "neon"},
          {Isa::kNeon, true, "neon-dotprod"}};
#else
  return {{Isa::kScalar, false, "scalar"},
          {Isa::kAvx2, false, "avx2"},
          {Isa::kAvx512, false, "avx512-novnni"},
          {Isa::kAvx512, true, "avx512-vnni"}};
#endif
}

// Restores the default ISA after a test.
struct IsaRestore {
#if defined(__aarch64__)
  ~IsaRestore() { SetIsaCapForTesting(Isa::kNeon, true); }
#else
  ~IsaRestore() { SetIsaCapForTesting(Isa::kAvx512, true); }
#endif
};

void PrintCovered(const char* what, const std::set<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  std::printf("[ isa paths ] %s: %s\n", what, s.c_str());
}

// Multiplier/shift pairs: mostly realistic (shift -12..-1), plus the extremes.
void RandomRequant(std::mt19937& rng, int32_t* m, int32_t* s) {
  const int kind = rng() % 10;
  if (kind < 6) {
    *m = (1 << 30) + static_cast<int32_t>(rng() % (1u << 30));
    *s = -1 - static_cast<int32_t>(rng() % 12);
  } else if (kind < 8) {
    *m = std::numeric_limits<int32_t>::max() - static_cast<int32_t>(rng() % 4);
    *s = static_cast<int32_t>(rng() % 62) - 31;
  } else {
    *m = (1 << 30) + static_cast<int32_t>(rng() % (1u << 30));
    *s = static_cast<int32_t>(rng() % 62) - 31;
    // Rarely the one multiplier with which SRDHM can saturate (no real scale produces it, but
    // the kernels must still agree with the reference).
    if (rng() % 8 == 0) *m = std::numeric_limits<int32_t>::min();
  }
}

TEST(Int8Kernels, VectorRequantizeMatchesScalar) {
  IsaRestore restore;
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  const int32_t kMin = std::numeric_limits<int32_t>::min(), kMax = std::numeric_limits<int32_t>::max();
  const std::vector<int32_t> special_x = {kMin, kMin + 1, -1, 0, 1, kMax, kMax - 1, 1 << 30,
                                          -(1 << 30), 12345, -12345, 3, -3, 1 << 16, -(1 << 16)};
  const std::vector<int32_t> special_m = {kMin, kMax, 1 << 30, (1 << 30) + 1, kMax - 1, 0, 1,
                                          -1, 1518500250, -(1 << 30)};
  std::vector<int32_t> x, m, s;
  for (int shift = -31; shift <= 30; ++shift) {
    for (int32_t xv : special_x)
      for (int32_t mv : special_m) {
        x.push_back(xv);
        m.push_back(mv);
        s.push_back(shift);
      }
    for (int i = 0; i < 4000; ++i) {
      // Values around rounding ties: multiples of powers of two +- small offsets.
      int32_t xv = static_cast<int32_t>(rng());
      if (i % 3 == 0) xv = static_cast<int32_t>((rng() % 2001) - 1000) * (int32_t{1} << (rng() % 20));
      if (i % 7 == 0) xv = static_cast<int32_t>(rng() % 64) - 32;
      int32_t mv = (1 << 30) + static_cast<int32_t>(rng() % (1u << 30));
      if (i % 5 == 0) mv = static_cast<int32_t>(rng());
      x.push_back(xv);
      m.push_back(mv);
      s.push_back(shift);
    }
  }
  x.push_back(kMin);  // the saturating corner, alone in a vector tail
  m.push_back(kMin);
  s.push_back(0);
  const int32_t n = static_cast<int32_t>(x.size());
  std::vector<int32_t> expect(n), got(n);
  for (int32_t i = 0; i < n; ++i) expect[i] = quant::MultiplyByQuantizedMultiplier(x[i], m[i], s[i]);
  std::set<std::string> covered;
  for (const IsaConfig& c : Configs()) {
    SetIsaCapForTesting(c.isa, c.dotprod);
    covered.insert(IsaName(ActiveIsa()));
    std::fill(got.begin(), got.end(), 0x5a5a5a5a);
    gk::RequantizeForTesting(x.data(), m.data(), s.data(), n, got.data());
    int bad = 0;
    for (int32_t i = 0; i < n && bad < 5; ++i)
      if (got[i] != expect[i]) {
        ++bad;
        ADD_FAILURE() << c.label << ": x=" << x[i] << " m=" << m[i] << " s=" << s[i] << " got "
                      << got[i] << " want " << expect[i];
      }
  }
#if defined(EDGELITE_HAVE_AVX512_EMULATION)
  std::fill(got.begin(), got.end(), 0x5a5a5a5a);
  gk::RequantizeAvx512Emulated(x.data(), m.data(), s.data(), n, got.data());
  for (int32_t i = 0, bad = 0; i < n && bad < 5; ++i)
    if (got[i] != expect[i]) {
      ++bad;
      ADD_FAILURE() << "avx512 (SIMDe-emulated): x=" << x[i] << " m=" << m[i] << " s=" << s[i]
                    << " got " << got[i] << " want " << expect[i];
    }
  covered.insert("avx512 (SIMDe-emulated)");
#endif
  PrintCovered(("requantize (" + std::to_string(n) + " values)").c_str(), covered);
}

// The GEMM variants called directly on random m x n x k (odd sizes, tile edges, k past the AVX2
// int16 path's limit), with and without the int16 weight layout, split into row and column-block
// ranges as the thread pool does; requantized bytes and raw int32, uint8 weights (flip), extreme
// bytes, activations read through GemmArgs::a_xor, wrapping column constants, extreme
// multipliers. Expected values come from a plain loop.
TEST(Int8Kernels, GemmVariantsMatchPlainLoop) {
  IsaRestore restore;
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  static const int kM[] = {1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 37, 100};
  static const int kN[] = {1, 5, 8, 15, 16, 17, 31, 32, 33, 48, 70};
  static const int kK[] = {1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 33, 100, 257, 1000};
  struct Variant {
    const char* name;
    gk::GemmFn fn;
    bool wide;
    bool in_place = false;  // int16 weights only (PackWideWeightsInPlace), as conv plans hold them
  };
  std::vector<Variant> variants = {{"scalar", gk::GemmScalar, false}};
#if defined(__x86_64__) || defined(_M_X64)
  SetIsaCapForTesting(Isa::kAvx2, false);
  if (ActiveIsa() == Isa::kAvx2) {
    variants.push_back({"avx2 (8-bit weights)", gk::GemmAvx2, false});
    variants.push_back({"avx2 (int16 weights)", gk::GemmAvx2, true});
    variants.push_back({"avx2 (int16 weights only, packed in place)", gk::GemmAvx2, true, true});
  }
#endif
#if defined(EDGELITE_HAVE_AVX512_EMULATION)
  variants.push_back({"avx512vnni (SIMDe-emulated)", gk::GemmAvx512VnniEmulated, false});
#endif
  std::set<std::string> covered;
  for (int trial = 0; trial < 300; ++trial) {
    const int32_t m = kM[rng() % 12], n = kN[rng() % 11];
    // Now and then deeper than the int16 path takes (4096): the AVX2 variant falls back.
    const int32_t k = trial % 50 == 7 ? 4096 + 1 + static_cast<int32_t>(rng() % 9) : kK[rng() % 14];
    const bool flip = rng() % 2, extreme = trial % 5 == 1, raw = trial % 4 == 3;
    const bool with_row = rng() % 2, with_bias = trial % 7 != 3, wrap = trial % 6 == 2;
    const uint8_t a_xor = rng() % 2 ? 0x80 : 0;  // int8 activations read in place
    // A rows padded to a multiple of kKr (the contract: padded_k bytes readable), odd stride.
    const int32_t kp = (k + gk::kKr - 1) / gk::kKr * gk::kKr;
    const int64_t a_stride = kp + (rng() % 2) * 3;
    std::vector<uint8_t> a(static_cast<size_t>(m) * a_stride), w(static_cast<size_t>(n) * k);
    for (auto& v : a) v = extreme ? (rng() % 2 ? 255 : 0) : static_cast<uint8_t>(rng());
    for (auto& v : w) v = extreme ? (rng() % 2 ? 0x80 : 0x7f) : static_cast<uint8_t>(rng());
    if (extreme && flip) for (auto& v : w) v = rng() % 2 ? 0 : 255;
    const int32_t pn = (n + gk::kNr - 1) / gk::kNr * gk::kNr;
    std::vector<int8_t> data(gk::PackedDataBytes(n, k));
    std::vector<int32_t> col_sum(pn), row(m), bias(pn, 0), mult(pn, 0), shift(pn, 0), left(pn, 0),
        right(pn, 0), mask(pn, 0);
    gk::PackedWeights pw;
    gk::PackWeights(w.data(), n, k, k, flip, data.data(), col_sum.data(), &pw);
    std::vector<int16_t> data16(gk::WideDataBytes(n, k) / 2 + 16);
    for (auto& r : row) r = static_cast<int32_t>(rng() % 2000001) - 1000000;
    bool min_free = true;
    for (int32_t c = 0; c < n; ++c) {
      if (with_bias)
        bias[c] = wrap ? static_cast<int32_t>(rng()) : static_cast<int32_t>(rng() % 200001) - 100000;
      RandomRequant(rng, &mult[c], &shift[c]);
      left[c] = std::max(shift[c], 0);
      right[c] = std::max(-shift[c], 0);
      mask[c] = static_cast<int32_t>((int64_t{1} << right[c]) - 1);
      if (mult[c] == std::numeric_limits<int32_t>::min()) min_free = false;
    }
    const bool out_u8 = rng() % 2;
    gk::OutputStage st;
    st.col_bias = bias.data();
    st.multiplier = mult.data();
    st.shift = shift.data();
    st.left_shift = left.data();
    st.right_shift = right.data();
    st.round_mask = mask.data();
    st.multiplier_min_free = min_free;
    st.out_unsigned = out_u8;
    st.out_offset = out_u8 ? static_cast<int32_t>(rng() % 256) : static_cast<int32_t>(rng() % 256) - 128;
    st.act_min = out_u8 ? 0 : -128;
    st.act_max = out_u8 ? 255 : 127;
    if (trial % 3 == 0) st.act_min = std::min(st.act_max, st.out_offset + static_cast<int32_t>(rng() % 20));
    // Expected: wrapping int32 sums of the flipped weights, then the scalar output step.
    std::vector<int32_t> expect32(static_cast<size_t>(m) * n);
    std::vector<uint8_t> expect8(expect32.size());
    for (int32_t i = 0; i < m; ++i)
      for (int32_t j = 0; j < n; ++j) {
        uint32_t acc = 0;
        for (int32_t t = 0; t < k; ++t)
          acc += static_cast<uint32_t>((a[i * a_stride + t] ^ a_xor) *
                                       static_cast<int32_t>(static_cast<int8_t>(w[j * k + t] ^ (flip ? 0x80 : 0))));
        if (with_row) acc += static_cast<uint32_t>(row[i]);
        acc += static_cast<uint32_t>(bias[j]);
        expect32[i * n + j] = static_cast<int32_t>(acc);
        const int32_t q = quant::MultiplyByQuantizedMultiplier(static_cast<int32_t>(acc), mult[j], shift[j]);
        expect8[i * n + j] = static_cast<uint8_t>(
            std::min(std::max(q, st.act_min - st.out_offset), st.act_max - st.out_offset) + st.out_offset);
      }
    std::vector<int16_t> in_place(gk::WideDataBytes(n, k) / 2);
    for (const Variant& v : variants) {
      pw.data16 = nullptr;
      pw.data = data.data();
      if (v.in_place) {
        if (kp > gk::kWideMaxDepth) continue;  // such weights keep the 8-bit layout
        std::vector<int32_t> sums(pn);
        gk::PackWeights(w.data(), n, k, k, flip,
                        reinterpret_cast<int8_t*>(in_place.data()) + gk::WideDataBytes(n, k) / 2,
                        sums.data(), &pw);
        gk::PackWideWeightsInPlace(&pw, in_place.data());
        ASSERT_TRUE(pw.data == nullptr && sums == col_sum);
      } else if (v.wide) {
        gk::PackWideWeights(&pw, data16.data());
      }
      covered.insert(v.name);
      gk::GemmArgs args;
      args.a = a.data();
      args.a_stride = a_stride;
      args.a_xor = a_xor;
      args.row_corr = with_row ? row.data() : nullptr;
      args.w = &pw;
      std::vector<int32_t> got32(expect32.size(), 0x5a5a5a5a);
      std::vector<uint8_t> got8(expect8.size(), 0x5a);
      args.out_stride = n;
      if (raw) {
        args.col_bias = bias.data();
        args.out32 = got32.data();
      } else {
        args.stage = &st;
        args.out = got8.data();
      }
      // Two row ranges x two column-block ranges.
      const int64_t ms = m / 2;
      const int32_t bs = pw.n_blocks / 2;
      v.fn(args, 0, ms, 0, bs);
      v.fn(args, 0, ms, bs, pw.n_blocks);
      v.fn(args, ms, m, 0, bs);
      v.fn(args, ms, m, bs, pw.n_blocks);
      const bool ok = raw ? got32 == expect32 : got8 == expect8;
      ASSERT_TRUE(ok) << v.name << " trial " << trial << " m" << m << " n" << n << " k" << k
                      << (flip ? " flip" : "") << (raw ? " raw" : "") << (extreme ? " extreme" : "")
                      << (with_row ? " row" : "") << (wrap ? " wrap" : "")
                      << (a_xor ? " xor" : "");
    }
  }
  PrintCovered("gemm", covered);
}

struct ConvCase {
  ck::ConvGeometry g;
  bool u8;
};

ConvCase RandomConvCase(std::mt19937& rng, int trial) {
  static const int kChannels[] = {1, 3, 4, 7, 8, 16, 17, 24, 33, 64, 70};
  static const int kOut[] = {1, 5, 8, 15, 16, 17, 31, 32, 33, 48, 64, 65};
  ConvCase c;
  ck::ConvGeometry& g = c.g;
  c.u8 = rng() % 2;
  g.batches = 1 + rng() % 2;
  g.in_c = kChannels[rng() % 11];
  g.out_c = kOut[rng() % 12];
  for (;;) {
    g.in_h = 1 + rng() % 9;
    g.in_w = 1 + rng() % 11;
    if (trial % 4 == 0) {  // 1x1, stride 1, no padding: the direct / copy-rows paths
      g.k_h = g.k_w = 1;
      g.stride_h = g.stride_w = g.dilation_h = g.dilation_w = 1;
      g.pad_top = g.pad_left = 0;
      g.out_h = g.in_h;
      g.out_w = g.in_w;
      if (trial % 8 == 0) g.in_c = 4 * (1 + rng() % 20);  // K % 4 == 0: direct for uint8
      return c;
    }
    g.k_h = 1 + rng() % 3;
    g.k_w = 1 + rng() % 3;
    g.stride_h = 1 + rng() % 2;
    g.stride_w = 1 + rng() % 3;
    g.dilation_h = 1 + rng() % 2;
    g.dilation_w = 1 + rng() % 2;
    g.pad_top = rng() % g.k_h;
    g.pad_left = rng() % g.k_w;
    const int pad_bottom = rng() % g.k_h, pad_right = rng() % g.k_w;
    const int eh = g.in_h + g.pad_top + pad_bottom - g.dilation_h * (g.k_h - 1) - 1;
    const int ew = g.in_w + g.pad_left + pad_right - g.dilation_w * (g.k_w - 1) - 1;
    if (eh < 0 || ew < 0) continue;
    g.out_h = eh / g.stride_h + 1;
    g.out_w = ew / g.stride_w + 1;
    return c;
  }
}

template <typename T>
void ConvTrial(std::mt19937& rng, const ConvCase& cc, int trial, std::set<std::string>* covered,
               std::set<std::string>* modes) {
  const ck::ConvGeometry& g = cc.g;
  const bool u8 = cc.u8;
  const int lo_t = u8 ? 0 : -128, hi_t = u8 ? 255 : 127;
  std::vector<T> in(static_cast<size_t>(g.batches) * g.in_h * g.in_w * g.in_c);
  std::vector<T> w(static_cast<size_t>(g.out_c) * g.depth());
  // Saturating activations sometimes: everything at the type's extremes.
  const bool extreme = trial % 5 == 1;
  for (auto& v : in) v = static_cast<T>(extreme ? (rng() % 2 ? lo_t : hi_t) : lo_t + int(rng() % 256));
  for (auto& v : w) v = static_cast<T>(extreme ? (rng() % 2 ? lo_t : hi_t) : lo_t + int(rng() % 256));
  if (!u8) for (auto& v : w) if (v == -128 && !extreme) v = -127;
  std::vector<int32_t> bias(g.out_c), mult(g.out_c), shift(g.out_c);
  const bool wrap_bias = trial % 6 == 2;  // accumulators that wrap around int32
  for (auto& b : bias)
    b = wrap_bias ? static_cast<int32_t>(rng()) : static_cast<int32_t>(rng() % 200001) - 100000;
  for (int o = 0; o < g.out_c; ++o) RandomRequant(rng, &mult[o], &shift[o]);
  ref::QuantConvParams q;
  const int32_t zx = lo_t + static_cast<int32_t>(rng() % 256);
  const int32_t zw = u8 ? static_cast<int32_t>(rng() % 256) : 0;
  const int32_t zo = lo_t + static_cast<int32_t>(rng() % 256);
  q.input_offset = -zx;
  q.weights_offset = -zw;
  q.output_offset = zo;
  q.act_min = lo_t;
  q.act_max = hi_t;
  if (trial % 3 == 0) {  // a fused-activation-like sub-range
    q.act_min = std::min<int32_t>(hi_t, zo + static_cast<int32_t>(rng() % 20));
    q.act_max = std::min<int32_t>(hi_t, q.act_min + static_cast<int32_t>(rng() % 100));
  }
  q.multiplier = mult.data();
  q.shift = shift.data();
  const bool with_bias = trial % 7 != 3;
  ref::Window2D p;
  p.stride_h = g.stride_h;
  p.stride_w = g.stride_w;
  p.dilation_h = g.dilation_h;
  p.dilation_w = g.dilation_w;
  p.pad_top = g.pad_top;
  p.pad_left = g.pad_left;
  const Shape in_shape{g.batches, g.in_h, g.in_w, g.in_c};
  const Shape f_shape{g.out_c, g.k_h, g.k_w, g.in_c};
  const Shape out_shape{g.batches, g.out_h, g.out_w, g.out_c};
  std::vector<T> expect(static_cast<size_t>(g.rows()) * g.out_c);
  ref::Conv2DQuantized<T, T, T, int32_t>(p, q, in_shape, in.data(), f_shape, w.data(),
                                         with_bias ? bias.data() : nullptr, out_shape,
                                         expect.data());
  ck::ConvQuant cq;
  cq.unsigned_8bit = u8;
  cq.input_zero_point = zx;
  cq.weights_zero_point = zw;
  cq.bias = with_bias ? bias.data() : nullptr;
  cq.multiplier = mult.data();
  cq.shift = shift.data();
  cq.output_zero_point = zo;
  cq.act_min = q.act_min;
  cq.act_max = q.act_max;
  for (const IsaConfig& c : Configs()) {
    SetIsaCapForTesting(c.isa, c.dotprod);
    std::vector<uint8_t> mem(ck::ConvPlanPersistentBytes(g));
    ck::ConvPlan plan;
    ck::PrepareConvPlan(g, reinterpret_cast<const uint8_t*>(w.data()), cq, mem.data(), &plan);
    covered->insert(gk::SelectedGemmName());
    modes->insert(plan.mode == ck::AMode::kDirect     ? "direct"
                  : plan.mode == ck::AMode::kCopyRows ? "copy-rows"
                                                      : "im2col");
    std::vector<int32_t> scratch(ck::ConvScratchBytes(plan) / 4 + 1);
    std::vector<T> got(expect.size(), static_cast<T>(0x5a));
    // Two row ranges, as a thread pool would split them.
    const int64_t rows = g.rows(), split = rows / 2;
    ck::RunConv(plan, reinterpret_cast<const uint8_t*>(in.data()), got.data(), scratch.data(), 0,
                split);
    ck::RunConv(plan, reinterpret_cast<const uint8_t*>(in.data()), got.data(), scratch.data(),
                split, rows);
    ASSERT_TRUE(got == expect) << c.label << " (" << gk::SelectedGemmName() << ") trial " << trial
                               << (u8 ? " uint8" : " int8") << " b" << g.batches << " "
                               << g.in_h << "x" << g.in_w << "x" << g.in_c << " -> " << g.out_c
                               << " k" << g.k_h << "x" << g.k_w << " s" << g.stride_h << ","
                               << g.stride_w << " d" << g.dilation_h << "," << g.dilation_w
                               << " pad " << g.pad_top << "," << g.pad_left;
  }
#if defined(EDGELITE_HAVE_AVX512_EMULATION)
  {
    // Prepared for the scalar variant: the 8-bit weight layout the VNNI variant reads (on AVX2
    // the plan would hold int16 weights only).
    SetIsaCapForTesting(Isa::kScalar, false);
    std::vector<uint8_t> mem(ck::ConvPlanPersistentBytes(g));
    ck::ConvPlan plan;
    ck::PrepareConvPlan(g, reinterpret_cast<const uint8_t*>(w.data()), cq, mem.data(), &plan);
    SetIsaCapForTesting(Isa::kAvx512, true);
    plan.gemm = gk::GemmAvx512VnniEmulated;
    covered->insert("avx512vnni (SIMDe-emulated)");
    std::vector<int32_t> scratch(ck::ConvScratchBytes(plan) / 4 + 1);
    std::vector<T> got(expect.size(), static_cast<T>(0x5a));
    ck::RunConv(plan, reinterpret_cast<const uint8_t*>(in.data()), got.data(), scratch.data(), 0,
                g.rows());
    ASSERT_TRUE(got == expect) << "avx512vnni (SIMDe-emulated) trial " << trial;
  }
#endif
}

TEST(Int8Kernels, ConvGemmMatchesReference) {
  IsaRestore restore;
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  std::set<std::string> covered, modes;
  for (int trial = 0; trial < 160; ++trial) {
    const ConvCase cc = RandomConvCase(rng, trial);
    if (cc.u8) ConvTrial<uint8_t>(rng, cc, trial, &covered, &modes);
    else ConvTrial<int8_t>(rng, cc, trial, &covered, &modes);
    if (HasFatalFailure()) return;
  }
  PrintCovered("conv gemm", covered);
  PrintCovered("conv A modes", modes);
  EXPECT_EQ(modes.size(), 3u);
}

template <typename T>
void DwTrial(std::mt19937& rng, int trial, std::set<std::string>* covered) {
  static const int kChannels[] = {1, 3, 8, 15, 16, 17, 31, 32, 33, 64, 65, 96, 100};
  const bool u8 = std::is_same<T, uint8_t>::value;
  const int lo_t = u8 ? 0 : -128, hi_t = u8 ? 255 : 127;
  dk::DwPlan p;
  p.batches = 1 + rng() % 2;
  p.channels = kChannels[rng() % 13];
  p.k_h = 1 + rng() % 3;
  p.k_w = 1 + rng() % 5;
  int pad_bottom, pad_right;
  for (;;) {
    p.in_h = 1 + rng() % 9;
    p.in_w = 1 + rng() % 9;
    p.stride_h = 1 + rng() % 2;
    p.stride_w = 1 + rng() % 2;
    p.dilation_h = 1 + rng() % 2;
    p.dilation_w = 1 + rng() % 2;
    p.pad_top = rng() % p.k_h;
    p.pad_left = rng() % p.k_w;
    pad_bottom = rng() % p.k_h;
    pad_right = rng() % p.k_w;
    const int eh = p.in_h + p.pad_top + pad_bottom - p.dilation_h * (p.k_h - 1) - 1;
    const int ew = p.in_w + p.pad_left + pad_right - p.dilation_w * (p.k_w - 1) - 1;
    if (eh < 0 || ew < 0) continue;
    p.out_h = eh / p.stride_h + 1;
    p.out_w = ew / p.stride_w + 1;
    break;
  }
  const bool extreme = trial % 5 == 1;
  std::vector<T> in(static_cast<size_t>(p.batches) * p.in_h * p.in_w * p.channels);
  std::vector<T> w(static_cast<size_t>(p.k_h) * p.k_w * p.channels);
  for (auto& v : in) v = static_cast<T>(extreme ? (rng() % 2 ? lo_t : hi_t) : lo_t + int(rng() % 256));
  for (auto& v : w) v = static_cast<T>(extreme ? (rng() % 2 ? lo_t : hi_t) : lo_t + int(rng() % 256));
  std::vector<int32_t> bias(p.channels), mult(p.channels), shift(p.channels);
  const bool wrap_bias = trial % 6 == 2;
  for (auto& b : bias)
    b = wrap_bias ? static_cast<int32_t>(rng()) : static_cast<int32_t>(rng() % 200001) - 100000;
  for (int o = 0; o < p.channels; ++o) RandomRequant(rng, &mult[o], &shift[o]);
  const int32_t zx = lo_t + static_cast<int32_t>(rng() % 256);
  const int32_t zw = u8 ? static_cast<int32_t>(rng() % 256) : 0;
  const int32_t zo = lo_t + static_cast<int32_t>(rng() % 256);
  ref::QuantConvParams q;
  q.input_offset = -zx;
  q.weights_offset = -zw;
  q.output_offset = zo;
  q.act_min = lo_t;
  q.act_max = hi_t;
  if (trial % 3 == 0) {
    q.act_min = std::min<int32_t>(hi_t, zo + static_cast<int32_t>(rng() % 20));
    q.act_max = std::min<int32_t>(hi_t, q.act_min + static_cast<int32_t>(rng() % 100));
  }
  q.multiplier = mult.data();
  q.shift = shift.data();
  const bool with_bias = trial % 7 != 3;
  ref::Window2D win;
  win.stride_h = p.stride_h;
  win.stride_w = p.stride_w;
  win.dilation_h = p.dilation_h;
  win.dilation_w = p.dilation_w;
  win.pad_top = p.pad_top;
  win.pad_left = p.pad_left;
  const Shape in_shape{p.batches, p.in_h, p.in_w, p.channels};
  const Shape f_shape{1, p.k_h, p.k_w, p.channels};
  const Shape out_shape{p.batches, p.out_h, p.out_w, p.channels};
  std::vector<T> expect(static_cast<size_t>(p.batches) * p.out_h * p.out_w * p.channels);
  ref::DepthwiseConv2DQuantized<T, T, T, int32_t>(win, q, in_shape, in.data(), f_shape, w.data(),
                                                  with_bias ? bias.data() : nullptr, out_shape,
                                                  expect.data());
  p.unsigned_8bit = u8;
  p.input_offset = -zx;
  p.output_offset = zo;
  p.act_min = q.act_min;
  p.act_max = q.act_max;
  std::vector<int32_t> mem(dk::DwPersistentBytes(p.channels, p.k_h, p.k_w) / 4);
  dk::DwPreparePlan(reinterpret_cast<const uint8_t*>(w.data()), zw,
                    with_bias ? bias.data() : nullptr, mult.data(), shift.data(), mem.data(), &p);
  for (const IsaConfig& c : Configs()) {
    SetIsaCapForTesting(c.isa, c.dotprod);
    const dk::DwFn fn = dk::SelectDw();
    covered->insert(dk::SelectedDwName());
    std::vector<T> got(expect.size(), static_cast<T>(0x5a));
    const int64_t rows = p.rows(), split = rows / 2;
    fn(p, reinterpret_cast<const uint8_t*>(in.data()), reinterpret_cast<uint8_t*>(got.data()), 0,
       split);
    fn(p, reinterpret_cast<const uint8_t*>(in.data()), reinterpret_cast<uint8_t*>(got.data()),
       split, rows);
    ASSERT_TRUE(got == expect) << c.label << " (" << dk::SelectedDwName() << ") trial " << trial
                               << (u8 ? " uint8" : " int8") << " b" << p.batches << " " << p.in_h
                               << "x" << p.in_w << "x" << p.channels << " k" << p.k_h << "x"
                               << p.k_w << " s" << p.stride_h << "," << p.stride_w << " d"
                               << p.dilation_h << "," << p.dilation_w;
  }
#if defined(EDGELITE_HAVE_AVX512_EMULATION)
  std::vector<T> got(expect.size(), static_cast<T>(0x5a));
  dk::DwAvx512Emulated(p, reinterpret_cast<const uint8_t*>(in.data()),
                       reinterpret_cast<uint8_t*>(got.data()), 0, p.rows());
  covered->insert("avx512 (SIMDe-emulated)");
  ASSERT_TRUE(got == expect) << "avx512 (SIMDe-emulated) trial " << trial;
#endif
}

TEST(Int8Kernels, DepthwiseMatchesReference) {
  IsaRestore restore;
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  std::set<std::string> covered;
  for (int trial = 0; trial < 160; ++trial) {
    if (trial % 2) DwTrial<uint8_t>(rng, trial, &covered);
    else DwTrial<int8_t>(rng, trial, &covered);
    if (HasFatalFailure()) return;
  }
  PrintCovered("depthwise", covered);
}

}  // namespace
}  // namespace edgelite
