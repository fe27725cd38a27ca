// Hybrid CONV_2D (float input, int8 weights) through the op, which takes the int8 GEMM path for
// constant ungrouped filters, against the reference kernel ref::HybridConv2D run here on the
// input quantized by the reference's own per-batch quantizers (src/quant/hybrid.h): the outputs
// must be bit-identical (integer sums are exact; the float rescale is the same expression).
// Randomized shapes: batches, sizes, depths across the GEMM's 16-column and 4-deep tiles,
// strides, dilations, SAME/VALID, fused activations, with and without bias, per-tensor
// (symmetric input) and per-channel (asymmetric input, per-batch offsets) filter scales, inputs
// that are all zero or all positive (offsets at the ends of the range), and 1 and 3 threads.
#include <cmath>
#include <cstdio>
#include <random>
#include <string>

#include "src/quant/hybrid.h"
#include "src/ref/conv_2d.h"
#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

int32_t OutSize(bool same, int32_t in, int32_t k, int32_t stride, int32_t dilation, int32_t* pad) {
  const int32_t eff = (k - 1) * dilation + 1;
  if (same) {
    const int32_t out = (in + stride - 1) / stride;
    const int32_t total = std::max((out - 1) * stride + eff - in, 0);
    *pad = total / 2;
    return out;
  }
  *pad = 0;
  return in >= eff ? (in - eff) / stride + 1 : 0;
}

TEST(ConvHybridGemm, BitIdenticalToReferenceOnRandomShapes) {
  const uint32_t seed = testing::TestSeed();
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int checked = 0;
  for (int trial = 0; trial < 120; ++trial) {
    const int batches = pick(1, 3), in_h = pick(1, 9), in_w = pick(1, 9), in_c = pick(1, 21);
    const int out_c = pick(1, 37), k_h = pick(1, 4), k_w = pick(1, 4);
    const int stride_h = pick(1, 3), stride_w = pick(1, 3);
    const int dil_h = pick(1, 2), dil_w = pick(1, 2);
    const bool same = pick(0, 1) == 1, with_bias = pick(0, 3) != 0;
    const bool per_channel_scales = pick(0, 1) == 1 && out_c > 1;
    const int act = pick(0, 2);  // NONE, RELU, RELU6
    const int input_kind = pick(0, 5);  // 0: all zero in batch 0, 1: all positive, else mixed
    const int threads = pick(0, 1) ? 3 : 1;
    int32_t pad_top = 0, pad_left = 0;
    const int32_t out_h = OutSize(same, in_h, k_h, stride_h, dil_h, &pad_top);
    const int32_t out_w = OutSize(same, in_w, k_w, stride_w, dil_w, &pad_left);
    if (out_h == 0 || out_w == 0) continue;
    char label[256];
    std::snprintf(label, sizeof(label),
                  "trial %d: b%d %dx%dx%d -> %d, k %dx%d s %d,%d d %d,%d %s bias %d per-ch %d "
                  "act %d input %d threads %d",
                  trial, batches, in_h, in_w, in_c, out_c, k_h, k_w, stride_h, stride_w, dil_h,
                  dil_w, same ? "SAME" : "VALID", with_bias, per_channel_scales, act, input_kind,
                  threads);
    SCOPED_TRACE(label);

    const int per_batch = in_h * in_w * in_c;
    std::vector<float> x = testing::RandomFloats(rng, static_cast<size_t>(batches) * per_batch,
                                                 -3.0f, 2.0f);
    if (input_kind == 0) std::fill(x.begin(), x.begin() + per_batch, 0.0f);
    if (input_kind == 1)
      for (float& v : x) v = std::fabs(v) + 0.25f;
    std::vector<int8_t> w(static_cast<size_t>(out_c) * k_h * k_w * in_c);
    for (auto& v : w) v = static_cast<int8_t>(pick(-127, 127));
    QuantSpec qw;
    if (per_channel_scales) {
      for (int o = 0; o < out_c; ++o) {
        qw.scale.push_back(0.001f * pick(1, 50));
        qw.zero_point.push_back(0);
      }
      qw.scale[0] = 0.0123f;  // make sure the scales differ
      qw.scale[1] = 0.0456f;
    } else {
      qw.scale = {0.0173f};
      qw.zero_point = {0};
    }
    const std::vector<float> bias = testing::RandomFloats(rng, out_c, -2.0f, 2.0f);

    SingleOpModel m;
    const int xi = m.Input(DataType::kFloat32, {batches, in_h, in_w, in_c});
    const int wi = m.Const<int8_t>(DataType::kInt8, {out_c, k_h, k_w, in_c}, w, &qw);
    const int bi = with_bias ? m.Const<float>(DataType::kFloat32, {out_c}, bias) : -1;
    const int yi = m.Output(DataType::kFloat32);
    fb::Conv2DOptionsT o;
    o.padding = same ? fb::Padding::SAME : fb::Padding::VALID;
    o.stride_h = stride_h;
    o.stride_w = stride_w;
    o.dilation_h_factor = dil_h;
    o.dilation_w_factor = dil_w;
    o.fused_activation_function = act == 0   ? fb::ActivationFunctionType::NONE
                                  : act == 1 ? fb::ActivationFunctionType::RELU
                                             : fb::ActivationFunctionType::RELU6;
    m.Op(fb::BuiltinOperator::CONV_2D, {xi, wi, bi}, {yi}, MakeOptions(o));
    const Status st = m.Build(threads);
    ASSERT_TRUE(st.ok()) << st.ToString();
    m.Set<float>(xi, x);
    ASSERT_TRUE(m.Invoke().ok());
    const std::vector<float> got = m.Get<float>(yi);

    // The reference: quantize each batch as the op's reference path does, then HybridConv2D.
    std::vector<int8_t> q(x.size());
    std::vector<float> scaling(batches);
    std::vector<int32_t> offsets(batches, 0);
    for (int b = 0; b < batches; ++b) {
      if (per_channel_scales) {
        quant::AsymmetricQuantizeFloats(x.data() + b * per_batch, per_batch,
                                        q.data() + b * per_batch, &scaling[b], &offsets[b]);
      } else {
        quant::SymmetricQuantizeFloats(x.data() + b * per_batch, per_batch,
                                       q.data() + b * per_batch, &scaling[b]);
      }
    }
    ref::Window2D p;
    p.stride_h = stride_h;
    p.stride_w = stride_w;
    p.dilation_h = dil_h;
    p.dilation_w = dil_w;
    p.pad_top = pad_top;
    p.pad_left = pad_left;
    p.act_min = act == 0 ? -INFINITY : 0.0f;
    p.act_max = act == 2 ? 6.0f : INFINITY;
    std::vector<float> want(static_cast<size_t>(batches) * out_h * out_w * out_c);
    ref::HybridConv2D(p, Shape{batches, in_h, in_w, in_c}, q.data(), offsets.data(),
                      scaling.data(), Shape{out_c, k_h, k_w, in_c}, w.data(), qw.scale.data(),
                      per_channel_scales, with_bias ? bias.data() : nullptr,
                      Shape{batches, out_h, out_w, out_c}, want.data());
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i) {
      // Bitwise: the same float from the same integer sum and the same expression.
      ASSERT_EQ(std::memcmp(&got[i], &want[i], sizeof(float)), 0)
          << "element " << i << ": " << got[i] << " vs " << want[i];
    }
    ++checked;
  }
  std::printf("hybrid conv: %d random shapes bit-identical to the reference\n", checked);
  EXPECT_GT(checked, 60);
}

}  // namespace
}  // namespace edgelite
