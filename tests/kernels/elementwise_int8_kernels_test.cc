// The 8-bit quantized ADD/SUB/MUL kernels (src/kernels/elementwise_int8) against the reference
// per-element functions (src/ref/quantized_binary.h), for every variant this CPU runs (scalar,
// AVX2), int8 and uint8, steps 0/1 on either input (broadcast runs), lengths around the vector
// width (tails), random scales, zero points and fused activation ranges; int exact. Then the ops
// (ADD, SUB, MUL) on broadcast shapes against ref::BroadcastBinary with the reference functions,
// parameters derived here from TFLite's formulas (add.cc / mul.cc: 2 * max input scale, left
// shift 20; MUL's float product of scales), with 1 and 3 threads.
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "src/base/cpu_features.h"
#include "src/kernels/elementwise_int8/elementwise_int8.h"
#include "src/quant/quantization.h"
#include "src/ref/broadcast.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

namespace ek = kernels::elementwise_int8;
using testing::SingleOpModel;
using testing::ToShape;

struct Scales {
  float s1, s2, so;
  int z1, z2, zo;
};

Scales RandomScales(std::mt19937& rng, bool u8) {
  Scales s;
  s.s1 = 0.005f + (rng() % 1000) / 20000.0f;
  s.s2 = (rng() % 4 == 0) ? s.s1 : 0.005f + (rng() % 1000) / 20000.0f;
  s.so = 0.005f + (rng() % 1000) / 10000.0f;
  const int lo = u8 ? 0 : -128;
  s.z1 = lo + static_cast<int>(rng() % 256);
  s.z2 = lo + static_cast<int>(rng() % 256);
  s.zo = lo + static_cast<int>(rng() % 256);
  return s;
}

// TFLite's derivation (prepare of add.cc / sub.cc / mul.cc, 8-bit).
ref::QuantizedBinaryParams Derive(ek::BinaryKind kind, const Scales& s, int act_min,
                                  int act_max) {
  ref::QuantizedBinaryParams p;
  p.input1_offset = -s.z1;
  p.input2_offset = -s.z2;
  p.output_offset = s.zo;
  p.act_min = act_min;
  p.act_max = act_max;
  if (kind == ek::BinaryKind::kMul) {
    const float real = s.s1 * s.s2 / s.so;
    quant::QuantizeMultiplier(static_cast<double>(real), &p.output_multiplier, &p.output_shift);
    return p;
  }
  p.left_shift = 20;
  const double twice_max = 2.0 * std::max(s.s1, s.s2);
  quant::QuantizeMultiplier(s.s1 / twice_max, &p.input1_multiplier, &p.input1_shift);
  quant::QuantizeMultiplier(s.s2 / twice_max, &p.input2_multiplier, &p.input2_shift);
  quant::QuantizeMultiplier(twice_max / ((1 << 20) * static_cast<double>(s.so)),
                            &p.output_multiplier, &p.output_shift);
  return p;
}

template <typename T>
T RefOne(ek::BinaryKind kind, T x, T y, const ref::QuantizedBinaryParams& p) {
  if (kind == ek::BinaryKind::kMul) return ref::QuantizedMul<T>(x, y, p);
  return ref::QuantizedAddSub<T>(x, y, p, kind == ek::BinaryKind::kSub);
}

TEST(ElementwiseInt8Kernels, RunsMatchReference) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  std::vector<std::pair<const char*, ek::BinaryFn>> variants = {{"scalar", ek::BinaryScalar}};
#if defined(__x86_64__) || defined(_M_X64)
  if (GetCpuFeatures().avx2) variants.push_back({"avx2", ek::BinaryAvx2});
#endif
  const int lengths[] = {0, 1, 7, 8, 15, 16, 17, 31, 33, 64, 100, 257};
  int checked = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const bool u8 = trial % 2;
    const auto kind = static_cast<ek::BinaryKind>(trial % 3);
    const Scales s = RandomScales(rng, u8);
    int act_min = u8 ? 0 : -128, act_max = u8 ? 255 : 127;
    if (rng() % 3 == 0) act_min = std::max(act_min, s.zo);  // RELU
    ek::BinaryParams p;
    p.kind = kind;
    p.is_unsigned = u8;
    p.q = Derive(kind, s, act_min, act_max);
    ASSERT_TRUE(ek::Supported(p)) << "TFLite-derived parameters must be covered";
    const int n = lengths[trial % 12];
    const int a_step = static_cast<int>(rng() % 4 != 0), b_step = static_cast<int>(rng() % 4 != 0);
    std::vector<uint8_t> a(n + 1), b(n + 1);
    for (auto& v : a) v = static_cast<uint8_t>(rng());
    for (auto& v : b) v = static_cast<uint8_t>(rng());
    std::vector<uint8_t> want(n);
    for (int i = 0; i < n; ++i) {
      if (u8) {
        want[i] = RefOne<uint8_t>(kind, a[i * a_step], b[i * b_step], p.q);
      } else {
        want[i] = static_cast<uint8_t>(RefOne<int8_t>(kind, static_cast<int8_t>(a[i * a_step]),
                                                      static_cast<int8_t>(b[i * b_step]), p.q));
      }
    }
    for (const auto& v : variants) {
      std::vector<uint8_t> got(n + 16, 0xEE);
      v.second(p, a.data(), a_step, b.data(), b_step, got.data(), n);
      for (int i = 0; i < n; ++i)
        ASSERT_EQ(got[i], want[i]) << v.first << " trial " << trial << " kind "
                                   << static_cast<int>(kind) << (u8 ? " uint8" : " int8")
                                   << " n " << n << " i " << i << " steps " << a_step << b_step;
      for (int i = n; i < n + 16; ++i) ASSERT_EQ(got[i], 0xEE) << v.first << ": wrote past n";
      ++checked;
    }
  }
  std::string names;
  for (const auto& v : variants) names += std::string(" ") + v.first;
  std::printf("elementwise_int8 variants covered:%s (%d runs checked)\n", names.c_str(), checked);
}

TEST(ElementwiseInt8Kernels, BroadcastOpsMatchReference) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  const std::vector<std::pair<std::vector<int32_t>, std::vector<int32_t>>> shapes = {
      {{2, 3, 4, 5}, {2, 3, 4, 5}},  {{2, 3, 4, 5}, {1, 3, 1, 5}}, {{5}, {2, 3, 4, 5}},
      {{2, 3, 4, 5}, {}},            {{1}, {3, 7}},                {{2, 1, 4, 1}, {1, 3, 1, 5}},
      {{1, 40, 40, 33}, {1, 1, 1, 33}}, {{1, 64, 64, 24}, {1, 64, 64, 24}},
      {{1, 80, 80, 1}, {1, 80, 80, 16}}, {{4, 1}, {1, 1}},
  };
  const fb::BuiltinOperator ops[] = {fb::BuiltinOperator::ADD, fb::BuiltinOperator::SUB,
                                     fb::BuiltinOperator::MUL};
  int checked = 0;
  for (const auto& sh : shapes) {
    for (int oi = 0; oi < 3; ++oi) {
      for (bool u8 : {false, true}) {
        for (int threads : {1, 3}) {
          const DataType t = u8 ? DataType::kUInt8 : DataType::kInt8;
          const auto kind = static_cast<ek::BinaryKind>(oi);
          const Scales s = RandomScales(rng, u8);
          const bool relu = rng() % 2;
          SingleOpModel m;
          QuantSpec q1{{s.s1}, {s.z1}}, q2{{s.s2}, {s.z2}}, qo{{s.so}, {s.zo}};
          const int x = m.Input(t, sh.first, &q1);
          const int y = m.Input(t, sh.second, &q2);
          const int z = m.Output(t, {}, &qo);
          const auto act = relu ? fb::ActivationFunctionType::RELU
                                : fb::ActivationFunctionType::NONE;
          if (oi == 0) {
            fb::AddOptionsT o;
            o.fused_activation_function = act;
            m.Op(ops[oi], {x, y}, {z}, MakeOptions(o));
          } else if (oi == 1) {
            fb::SubOptionsT o;
            o.fused_activation_function = act;
            m.Op(ops[oi], {x, y}, {z}, MakeOptions(o));
          } else {
            fb::MulOptionsT o;
            o.fused_activation_function = act;
            m.Op(ops[oi], {x, y}, {z}, MakeOptions(o));
          }
          const Status st = m.Build(threads);
          ASSERT_TRUE(st.ok()) << st.message();
          const Shape s1 = ToShape(sh.first), s2 = ToShape(sh.second);
          std::vector<uint8_t> va(s1.NumElements()), vb(s2.NumElements());
          for (auto& v : va) v = static_cast<uint8_t>(rng());
          for (auto& v : vb) v = static_cast<uint8_t>(rng());
          m.Set<uint8_t>(x, va);
          m.Set<uint8_t>(y, vb);
          ASSERT_TRUE(m.Invoke().ok());
          const std::vector<uint8_t> got = m.Get<uint8_t>(z);
          const std::vector<int32_t> out_dims = m.Shape(z);
          const Shape so = ToShape(out_dims);
          // RELU in quantized terms: max(zero point, type min).
          int act_min = u8 ? 0 : -128;
          const int act_max = u8 ? 255 : 127;
          if (relu) act_min = std::max(act_min, s.zo);
          const ref::QuantizedBinaryParams p = Derive(kind, s, act_min, act_max);
          std::vector<uint8_t> want(so.NumElements());
          if (u8) {
            ref::BroadcastBinary(s1, va.data(), s2, vb.data(), so, want.data(),
                                 [&](uint8_t a, uint8_t b) { return RefOne<uint8_t>(kind, a, b, p); });
          } else {
            std::vector<int8_t> w8(want.size());
            ref::BroadcastBinary(s1, reinterpret_cast<const int8_t*>(va.data()), s2,
                                 reinterpret_cast<const int8_t*>(vb.data()), so, w8.data(),
                                 [&](int8_t a, int8_t b) { return RefOne<int8_t>(kind, a, b, p); });
            for (size_t i = 0; i < w8.size(); ++i) want[i] = static_cast<uint8_t>(w8[i]);
          }
          ASSERT_EQ(got, want) << "op " << oi << (u8 ? " uint8" : " int8") << " threads "
                               << threads << " shapes " << sh.first.size() << "/"
                               << sh.second.size();
          ++checked;
        }
      }
    }
  }
  std::printf("quantized ADD/SUB/MUL broadcast cases checked: %d\n", checked);
}

}  // namespace
}  // namespace edgelite
