// The optimized 8-bit CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED paths split over threads
// (src/ops/int8_conv_util.h and the depthwise row split): with 1, 2 and 3 threads the outputs must
// equal, byte for byte, the reference kernel's (src/ref), which the same op runs when the weights
// are not constant (the optimized paths pack constant weights only). The shapes are large enough
// to pass the threading threshold and exercise both splits: many output rows (row ranges) and
// few rows with many output channels (column blocks), int8 per-channel and uint8 per-tensor with
// a nonzero weights zero point, 1x1, strided and padded filters, channel counts that are not a
// multiple of the vector width.
#include <cmath>
#include <cstdio>
#include <random>
#include <string>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

enum class Op { kConv, kDepthwise, kFc };

struct Case {
  Op op;
  int batch, h, w, c, oc, k, stride;
  bool same;
};

const char* OpName(Op op) {
  return op == Op::kConv ? "conv" : op == Op::kDepthwise ? "depthwise" : "fc";
}

// Runs one case; `const_weights` false gives the reference kernel.
std::vector<uint8_t> RunCase(const Case& cs, bool u8, bool const_weights, int threads,
                             const std::vector<uint8_t>& x, const std::vector<uint8_t>& wv,
                             const std::vector<int32_t>& bias, const QuantSpec& qi,
                             const QuantSpec& qw, const QuantSpec& qb, const QuantSpec& qo,
                             const std::vector<int32_t>& w_shape, int act) {
  const DataType t = u8 ? DataType::kUInt8 : DataType::kInt8;
  SingleOpModel m;
  std::vector<int32_t> x_shape =
      cs.op == Op::kFc ? std::vector<int32_t>{cs.batch, cs.c}
                       : std::vector<int32_t>{cs.batch, cs.h, cs.w, cs.c};
  const int xi = m.Input(t, x_shape, &qi);
  int wi;
  if (const_weights) {
    wi = u8 ? m.Const<uint8_t>(t, w_shape, wv, &qw)
            : m.Const<int8_t>(t, w_shape, std::vector<int8_t>(wv.begin(), wv.end()), &qw);
  } else {
    wi = m.Input(t, w_shape, &qw);
  }
  const int bi = m.Const<int32_t>(DataType::kInt32, {static_cast<int32_t>(bias.size())}, bias, &qb);
  const int yi = m.Output(t, {}, &qo);
  const auto fa = static_cast<fb::ActivationFunctionType>(act);
  if (cs.op == Op::kConv) {
    fb::Conv2DOptionsT o;
    o.padding = cs.same ? fb::Padding::SAME : fb::Padding::VALID;
    o.stride_h = o.stride_w = cs.stride;
    o.fused_activation_function = fa;
    m.Op(fb::BuiltinOperator::CONV_2D, {xi, wi, bi}, {yi}, MakeOptions(o));
  } else if (cs.op == Op::kDepthwise) {
    fb::DepthwiseConv2DOptionsT o;
    o.padding = cs.same ? fb::Padding::SAME : fb::Padding::VALID;
    o.stride_h = o.stride_w = cs.stride;
    o.depth_multiplier = 1;
    o.fused_activation_function = fa;
    m.Op(fb::BuiltinOperator::DEPTHWISE_CONV_2D, {xi, wi, bi}, {yi}, MakeOptions(o));
  } else {
    fb::FullyConnectedOptionsT o;
    o.fused_activation_function = fa;
    m.Op(fb::BuiltinOperator::FULLY_CONNECTED, {xi, wi, bi}, {yi}, MakeOptions(o));
  }
  const Status st = m.Build(threads);
  EXPECT_TRUE(st.ok()) << st.message();
  if (!st.ok()) return {};
  m.Set<uint8_t>(xi, x);
  if (!const_weights) m.Set<uint8_t>(wi, wv);
  const Status inv = m.Invoke();
  EXPECT_TRUE(inv.ok()) << inv.message();
  return m.Get<uint8_t>(yi);
}

TEST(Int8Threads, OptimizedPathsMatchReferenceWithOneTwoThreeThreads) {
  const uint32_t seed = testing::TestSeed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  const Case cases[] = {
      {Op::kConv, 1, 40, 40, 8, 24, 3, 1, true},     // many rows: row ranges
      {Op::kConv, 2, 17, 13, 32, 72, 1, 1, false},   // 1x1, batch 2 (direct / copied rows)
      {Op::kConv, 1, 7, 7, 160, 120, 1, 1, false},   // few rows: column blocks
      {Op::kConv, 1, 33, 31, 24, 20, 3, 2, true},    // strided, padded, out_c not 16k
      {Op::kConv, 1, 9, 9, 64, 50, 3, 1, true},      // few rows, im2col, column blocks
      {Op::kDepthwise, 1, 57, 55, 40, 40, 3, 1, true},
      {Op::kDepthwise, 2, 45, 45, 96, 96, 3, 2, true},
      {Op::kDepthwise, 1, 30, 30, 200, 200, 5, 1, false},
      {Op::kFc, 1, 1, 1, 1024, 1001, 1, 1, false},   // MobileNet's classifier
      {Op::kFc, 3, 1, 1, 600, 700, 1, 1, false},
  };
  int compared = 0;
  for (const Case& cs : cases) {
    for (bool u8 : {false, true}) {
      const int lo = u8 ? 0 : -128;
      const int taps = cs.op == Op::kFc ? 1 : cs.k * cs.k;
      const int depth = cs.op == Op::kDepthwise ? taps : taps * cs.c;
      std::vector<int32_t> w_shape;
      if (cs.op == Op::kConv) w_shape = {cs.oc, cs.k, cs.k, cs.c};
      else if (cs.op == Op::kDepthwise) w_shape = {1, cs.k, cs.k, cs.oc};
      else w_shape = {cs.oc, cs.c};
      size_t x_n = static_cast<size_t>(cs.batch) * cs.c;
      if (cs.op != Op::kFc) x_n *= static_cast<size_t>(cs.h) * cs.w;
      std::vector<uint8_t> x(x_n), wv(static_cast<size_t>(cs.oc) * (cs.op == Op::kDepthwise ? taps : depth));
      for (auto& v : x) v = static_cast<uint8_t>(rng());
      for (auto& v : wv) v = static_cast<uint8_t>(rng());
      const float si = 0.02f + (rng() % 100) / 2000.0f;
      // Zero points near the middle of the range: the products' mean stays small next to their spread.
      QuantSpec qi{{si}, {lo + 123 + static_cast<int>(rng() % 11)}};
      QuantSpec qw, qb;
      std::vector<int32_t> bias(cs.oc);
      float w_scale_typ;
      if (u8) {
        w_scale_typ = 0.01f + (rng() % 100) / 10000.0f;
        qw = QuantSpec{{w_scale_typ}, {123 + static_cast<int64_t>(rng() % 11)}};
        qb = QuantSpec{{si * w_scale_typ}, {0}};
      } else {
        w_scale_typ = 0.01f;
        const int dim = cs.op == Op::kDepthwise ? 3 : 0;
        qw.quantized_dimension = dim;
        qb.quantized_dimension = 0;
        for (int o = 0; o < cs.oc; ++o) {
          const float s = 0.005f + (rng() % 100) / 10000.0f;
          qw.scale.push_back(s);
          qw.zero_point.push_back(0);
          qb.scale.push_back(si * s);
          qb.zero_point.push_back(0);
        }
      }
      for (auto& b : bias) b = static_cast<int32_t>(rng() % 20001) - 10000;
      // Output scale: about the spread of the accumulators, so that few outputs saturate.
      const float so = si * w_scale_typ * 60.0f * std::sqrt(static_cast<float>(depth)) / 40.0f;
      QuantSpec qo{{so}, {lo + 128 + static_cast<int>(rng() % 21) - 10}};
      const int act = static_cast<int>(rng() % 2) == 0 ? 0 : 1;  // NONE or RELU
      char what[160];
      std::snprintf(what, sizeof what, "%s %s n=%d in=%dx%dx%d out_c=%d k=%d s=%d %s act=%d",
                    OpName(cs.op), u8 ? "uint8" : "int8", cs.batch, cs.h, cs.w, cs.c, cs.oc, cs.k,
                    cs.stride, cs.same ? "same" : "valid", act);
      SCOPED_TRACE(what);
      const std::vector<uint8_t> want =
          RunCase(cs, u8, false, 1, x, wv, bias, qi, qw, qb, qo, w_shape, act);
      ASSERT_FALSE(want.empty());
      int distinct = 0;
      {
        std::vector<bool> seen(256, false);
        for (uint8_t v : want) if (!seen[v]) { seen[v] = true; ++distinct; }
      }
      // A case whose outputs are (nearly) all equal would test little.
      EXPECT_GT(distinct, 8) << "degenerate output range";
      for (int threads : {1, 2, 3}) {
        const std::vector<uint8_t> got =
            RunCase(cs, u8, true, threads, x, wv, bias, qi, qw, qb, qo, w_shape, act);
        ASSERT_EQ(got.size(), want.size()) << "threads " << threads;
        size_t bad = 0, first = 0;
        for (size_t i = 0; i < got.size(); ++i)
          if (got[i] != want[i] && bad++ == 0) first = i;
        EXPECT_EQ(bad, 0u) << "threads " << threads << ": first mismatch at " << first << " got "
                           << int(got[first]) << " want " << int(want[first]);
        ++compared;
      }
    }
  }
  std::printf("int8 threaded paths: %d (case, type, threads) combinations compared\n", compared);
}

}  // namespace
}  // namespace edgelite
