// DEQUANTIZE of a constant (float16 weights, as TFLite's float16 quantization
// writes them) is computed once in Prepare and its output is a constant: the
// consumers (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED) pack it like float
// weights. Each model is compared with the same model holding the float16
// values as float32 constants (decoded here by hand from the bit patterns):
// outputs must be bit-identical, the arena the same (the dequantized weights
// are not in it), and the persistent memory must hold the dequantized weights
// on top of everything the float model keeps (its packed weights), which only
// holds when the consumers packed them.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>

#include "tests/test_util.h"

namespace edgelite {
namespace {

// Random float16 bit patterns with exponents 12..15 (|v| in [1/8, 2)), and
// their values decoded by hand: (-1)^s * (1 + m / 1024) * 2^(e - 15), exact in
// float32.
void RandomHalves(std::mt19937& rng, size_t n, std::vector<uint16_t>* bits,
                  std::vector<float>* values) {
  std::uniform_int_distribution<int> sign(0, 1), exp(12, 15), mant(0, 1023);
  bits->resize(n);
  values->resize(n);
  for (size_t i = 0; i < n; ++i) {
    const int s = sign(rng), e = exp(rng), m = mant(rng);
    (*bits)[i] = static_cast<uint16_t>((s << 15) | (e << 10) | m);
    (*values)[i] = (s ? -1.0f : 1.0f) * std::ldexp(1.0f + m / 1024.0f, e - 15);
  }
}

struct Weights {
  std::vector<uint16_t> bits;
  std::vector<float> values;
  std::vector<int32_t> shape;
};

Weights MakeWeights(std::mt19937& rng, const std::vector<int32_t>& shape) {
  Weights w;
  w.shape = shape;
  size_t n = 1;
  for (int32_t d : shape) n *= static_cast<size_t>(d);
  RandomHalves(rng, n, &w.bits, &w.values);
  return w;
}

// A float32 constant: either stored as float16 and dequantized by a DEQUANTIZE
// node, or stored as float32.
int AddWeights(ModelBuilder& b, const Weights& w, bool f16, const std::string& name) {
  if (!f16) return b.AddConstTensor<float>(DataType::kFloat32, w.shape, w.values, name);
  const int h = b.AddConstTensor<uint16_t>(DataType::kFloat16, w.shape, w.bits, name + "_f16");
  const int f = b.AddTensor(DataType::kFloat32, w.shape, name);
  b.AddOperator(fb::BuiltinOperator::DEQUANTIZE, {h}, {f});
  return f;
}

struct Built {
  std::vector<uint8_t> bytes;
  std::unique_ptr<Model> model;
  BuiltinOpResolver resolver;
  std::unique_ptr<Interpreter> interp;

  Status Make(ModelBuilder& b) {
    bytes = b.Finish();
    auto m = Model::FromBuffer(bytes.data(), bytes.size());
    if (!m.ok()) return m.status();
    model = std::move(m.value());
    auto i = Interpreter::Create(*model, resolver);
    if (!i.ok()) return i.status();
    interp = std::move(i.value());
    return interp->AllocateTensors();
  }
  void SetFloats(int input, const std::vector<float>& v) {
    Tensor* t = interp->input(input);
    ASSERT_EQ(t->bytes, v.size() * sizeof(float));
    memcpy(t->data, v.data(), t->bytes);
  }
  std::vector<float> OutFloats(int output) {
    const Tensor* t = interp->output(output);
    return std::vector<float>(t->data_as<float>(), t->data_as<float>() + t->num_elements());
  }
};

struct Net {
  Weights conv_w, conv_b, dw_w, dw_b, fc_w, fc_b;
  size_t WeightBytes() const {
    return sizeof(float) * (conv_w.values.size() + conv_b.values.size() + dw_w.values.size() +
                            dw_b.values.size() + fc_w.values.size() + fc_b.values.size());
  }
};

// Inputs x [1, 6, 7, 5] and z [2, 19]; outputs CONV_2D(x) (8 filters 3x3,
// SAME), DEPTHWISE_CONV_2D(x) (3x3, multiplier 1, VALID) and
// FULLY_CONNECTED(z) (11 units).
void BuildNet(ModelBuilder& b, const Net& n, bool f16) {
  const int x = b.AddTensor(DataType::kFloat32, {1, 6, 7, 5}, "x");
  const int z = b.AddTensor(DataType::kFloat32, {2, 19}, "z");
  const int cw = AddWeights(b, n.conv_w, f16, "conv_w");
  const int cb = AddWeights(b, n.conv_b, f16, "conv_b");
  const int dw = AddWeights(b, n.dw_w, f16, "dw_w");
  const int db = AddWeights(b, n.dw_b, f16, "dw_b");
  const int fw = AddWeights(b, n.fc_w, f16, "fc_w");
  const int fb_ = AddWeights(b, n.fc_b, f16, "fc_b");
  const int y1 = b.AddTensor(DataType::kFloat32, {}, "conv_out");
  const int y2 = b.AddTensor(DataType::kFloat32, {}, "dw_out");
  const int y3 = b.AddTensor(DataType::kFloat32, {}, "fc_out");
  fb::Conv2DOptionsT co;
  co.padding = fb::Padding::SAME;
  co.stride_h = co.stride_w = 1;
  b.AddOperator(fb::BuiltinOperator::CONV_2D, {x, cw, cb}, {y1}, MakeOptions(co));
  fb::DepthwiseConv2DOptionsT dwo;
  dwo.padding = fb::Padding::VALID;
  dwo.stride_h = dwo.stride_w = 1;
  dwo.depth_multiplier = 1;
  b.AddOperator(fb::BuiltinOperator::DEPTHWISE_CONV_2D, {x, dw, db}, {y2}, MakeOptions(dwo));
  b.AddOperator(fb::BuiltinOperator::FULLY_CONNECTED, {z, fw, fb_}, {y3},
                MakeOptions(fb::FullyConnectedOptionsT{}));
  b.SetInputs({x, z});
  b.SetOutputs({y1, y2, y3});
}

TEST(DequantizeFold, Float16WeightsActLikeFloatWeights) {
  const unsigned seed = 20261121;
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  Net n;
  n.conv_w = MakeWeights(rng, {8, 3, 3, 5});
  n.conv_b = MakeWeights(rng, {8});
  n.dw_w = MakeWeights(rng, {1, 3, 3, 5});
  n.dw_b = MakeWeights(rng, {5});
  n.fc_w = MakeWeights(rng, {11, 19});
  n.fc_b = MakeWeights(rng, {11});
  ModelBuilder bh, bf;
  BuildNet(bh, n, true);
  BuildNet(bf, n, false);
  Built h, f;
  Status s = h.Make(bh);
  ASSERT_TRUE(s.ok()) << s.ToString();
  s = f.Make(bf);
  ASSERT_TRUE(s.ok()) << s.ToString();

  // Not in the arena; held once in persistent memory, next to the packed
  // weights that the float model has too.
  EXPECT_EQ(h.interp->arena_bytes(), f.interp->arena_bytes());
  EXPECT_GE(h.interp->persistent_bytes(), f.interp->persistent_bytes() + n.WeightBytes());
  const size_t h_persistent = h.interp->persistent_bytes();
  const size_t f_persistent = f.interp->persistent_bytes();

  auto run_and_compare = [&](int batches_x, int batches_z, const char* what) {
    SCOPED_TRACE(what);
    const std::vector<float> xv = testing::RandomFloats(rng, batches_x * 6 * 7 * 5);
    const std::vector<float> zv = testing::RandomFloats(rng, batches_z * 19);
    for (Built* m : {&h, &f}) {
      m->SetFloats(0, xv);
      m->SetFloats(1, zv);
      const Status st = m->interp->Invoke();
      ASSERT_TRUE(st.ok()) << st.ToString();
    }
    for (int o = 0; o < 3; ++o) EXPECT_EQ(h.OutFloats(o), f.OutFloats(o)) << "output " << o;
    // FULLY_CONNECTED against float64 sums of the hand-decoded values.
    const std::vector<float> y = h.OutFloats(2);
    ASSERT_EQ(y.size(), static_cast<size_t>(batches_z * 11));
    for (int bz = 0; bz < batches_z; ++bz)
      for (int u = 0; u < 11; ++u) {
        double acc = n.fc_b.values[u], mag = std::fabs(acc);
        for (int k = 0; k < 19; ++k) {
          acc += double(zv[bz * 19 + k]) * n.fc_w.values[u * 19 + k];
          mag += std::fabs(double(zv[bz * 19 + k]) * n.fc_w.values[u * 19 + k]);
        }
        // Float32 summation of 20 terms: within 2 * 20 * 2^-24 * sum |terms|.
        EXPECT_NEAR(y[bz * 11 + u], acc, 40.0 * mag / (1 << 24) + 1e-30) << bz << "," << u;
      }
  };
  run_and_compare(1, 2, "first invoke");
  run_and_compare(1, 2, "second invoke");

  // Resize both inputs and allocate again: the folded weights are kept (no
  // second copy in persistent memory) and still used.
  for (Built* m : {&h, &f}) {
    ASSERT_TRUE(m->interp->ResizeInputTensor(0, Shape({3, 6, 7, 5})).ok());
    ASSERT_TRUE(m->interp->ResizeInputTensor(1, Shape({5, 19})).ok());
    s = m->interp->AllocateTensors();
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  EXPECT_EQ(h.interp->arena_bytes(), f.interp->arena_bytes());
  EXPECT_EQ(h.interp->persistent_bytes() - h_persistent,
            f.interp->persistent_bytes() - f_persistent);
  run_and_compare(3, 5, "after resize");
}

TEST(DequantizeFold, InSubgraphCalledByIf) {
  // IF(cond, z): then = FULLY_CONNECTED with float16 weights + DEQUANTIZE,
  // else = the same with the decoded float32 weights. Both branches must give
  // the same bits, before and after the input is resized.
  const unsigned seed = 7;
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  const Weights w = MakeWeights(rng, {6, 9});
  ModelBuilder b;
  const int c = b.AddTensor(DataType::kBool, {}, "cond");
  const int z = b.AddTensor(DataType::kFloat32, {2, 9}, "z");
  const int y = b.AddTensor(DataType::kFloat32, {}, "y");
  fb::IfOptionsT io;
  io.then_subgraph_index = 1;
  io.else_subgraph_index = 2;
  b.AddOperator(fb::BuiltinOperator::IF, {c, z}, {y}, MakeOptions(io));
  b.SetInputs({c, z});
  b.SetOutputs({y});
  for (bool f16 : {true, false}) {
    b.AddSubgraph(f16 ? "then" : "else");
    const int in = b.AddTensor(DataType::kFloat32, {2, 9}, "in");
    const int wt = AddWeights(b, w, f16, "w");
    const int out = b.AddTensor(DataType::kFloat32, {}, "out");
    b.AddOperator(fb::BuiltinOperator::FULLY_CONNECTED, {in, wt, -1}, {out},
                  MakeOptions(fb::FullyConnectedOptionsT{}));
    b.SetInputs({in});
    b.SetOutputs({out});
  }
  Built m;
  Status s = m.Make(b);
  ASSERT_TRUE(s.ok()) << s.ToString();
  for (int batches : {2, 4}) {
    if (batches != 2) {
      ASSERT_TRUE(m.interp->ResizeInputTensor(1, Shape({batches, 9})).ok());
      s = m.interp->AllocateTensors();
      ASSERT_TRUE(s.ok()) << s.ToString();
    }
    const std::vector<float> zv = testing::RandomFloats(rng, batches * 9);
    std::vector<float> out[2];
    for (int branch = 0; branch < 2; ++branch) {
      const bool cond = branch == 0;
      memcpy(m.interp->input(0)->data, &cond, 1);
      m.SetFloats(1, zv);
      s = m.interp->Invoke();
      ASSERT_TRUE(s.ok()) << s.ToString();
      out[branch] = m.OutFloats(0);
      // Invoking the same branch again gives the same values.
      ASSERT_TRUE(m.interp->Invoke().ok());
      EXPECT_EQ(m.OutFloats(0), out[branch]);
    }
    ASSERT_EQ(out[0].size(), static_cast<size_t>(batches * 6));
    EXPECT_EQ(out[0], out[1]) << "batches " << batches;
  }
}

}  // namespace
}  // namespace edgelite
