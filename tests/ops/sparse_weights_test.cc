// Sparse constant tensors (Tensor.sparsity): densified at load, used here by
// FULLY_CONNECTED (float and int8 weights), the op TFLite runs sparse
// weights with. Expected values: a float64 product over the dense matrix the
// test encoded (independent of the decoder under test). The TFLite
// WebAssembly oracle cannot serve here: with XNNPACK always on it reads the
// sparse buffer as if dense (outputs around 1e32 on these models).
#include <cmath>
#include <cstdio>

#include "src/runtime/sparse.h"
#include "tests/test_util.h"
#if EDGELITE_MICRO
#include "edgelite/micro/micro_op_resolver.h"
#endif

namespace edgelite {
namespace {

using testing::SingleOpModel;

enum class IndexType { kInt32, kUint16, kUint8 };

fb::SparseIndexVectorUnion MakeIndexVector(const std::vector<int32_t>& v, IndexType t) {
  fb::SparseIndexVectorUnion u;
  if (t == IndexType::kInt32) {
    fb::Int32VectorT x;
    x.values = v;
    u.Set(std::move(x));
  } else if (t == IndexType::kUint16) {
    fb::Uint16VectorT x;
    for (int32_t i : v) x.values.push_back(static_cast<uint16_t>(i));
    u.Set(std::move(x));
  } else {
    fb::Uint8VectorT x;
    for (int32_t i : v) x.values.push_back(static_cast<uint8_t>(i));
    u.Set(std::move(x));
  }
  return u;
}

std::unique_ptr<fb::DimensionMetadataT> Dense(int32_t size) {
  auto m = std::make_unique<fb::DimensionMetadataT>();
  m->format = fb::DimensionType::DENSE;
  m->dense_size = size;
  return m;
}

std::unique_ptr<fb::DimensionMetadataT> Csr(const std::vector<int32_t>& seg,
                                            const std::vector<int32_t>& idx, IndexType t) {
  auto m = std::make_unique<fb::DimensionMetadataT>();
  m->format = fb::DimensionType::SPARSE_CSR;
  m->array_segments = MakeIndexVector(seg, t);
  m->array_indices = MakeIndexVector(idx, t);
  return m;
}

// Encodes a dense [rows, cols] matrix: rows dense, column blocks of `block`
// (1 = plain CSR) stored when any element of the block is non-zero. Returns
// the stored values and fills *sp.
template <typename T>
std::vector<T> Encode(const std::vector<T>& dense, int rows, int cols, int block, IndexType it,
                      fb::SparsityParametersT* sp) {
  std::vector<T> values;
  std::vector<int32_t> seg{0}, idx;
  for (int r = 0; r < rows; ++r) {
    for (int cb = 0; cb < cols / block; ++cb) {
      bool any = false;
      for (int j = 0; j < block; ++j) any |= dense[r * cols + cb * block + j] != T(0);
      if (!any) continue;
      idx.push_back(cb);
      for (int j = 0; j < block; ++j) values.push_back(dense[r * cols + cb * block + j]);
    }
    seg.push_back(static_cast<int32_t>(idx.size()));
  }
  sp->dim_metadata.push_back(Dense(rows));
  sp->dim_metadata.push_back(Csr(seg, idx, it));
  if (block == 1) {
    sp->traversal_order = {0, 1};
  } else {
    sp->traversal_order = {0, 1, 2};
    sp->block_map = {1};
    sp->dim_metadata.push_back(Dense(block));
  }
  return values;
}

// A random [rows, cols] matrix with about `density` of its (blocks of)
// entries non-zero (and element 0 always).
std::vector<float> SparseMatrix(std::mt19937& rng, int rows, int cols, int block,
                                double density) {
  std::vector<float> m(rows * cols, 0.0f);
  std::uniform_real_distribution<float> v(-1.0f, 1.0f);
  std::uniform_real_distribution<double> p(0.0, 1.0);
  for (int r = 0; r < rows; ++r)
    for (int cb = 0; cb < cols / block; ++cb)
      if (p(rng) < density)
        for (int j = 0; j < block; ++j) m[r * cols + cb * block + j] = v(rng);
  // At least one stored block: an empty buffer would make the tensor a
  // non-constant (no data) in the file.
  m[0] = 0.5f;
  return m;
}

struct FcModel {
  SingleOpModel m;
  int in = 0, out = 0;
};

// FULLY_CONNECTED with the sparse float weights `dense` (float32 input).
void BuildSparseFloatFc(FcModel& f, const std::vector<float>& dense, const std::vector<float>& bias,
                        int batch, int rows, int cols, int block, IndexType it) {
  auto sp = std::make_unique<fb::SparsityParametersT>();
  const std::vector<float> values = Encode(dense, rows, cols, block, it, sp.get());
  f.in = f.m.Input(DataType::kFloat32, {batch, cols});
  const int w = f.m.Const<float>(DataType::kFloat32, {rows, cols}, values);
  f.m.builder().model().subgraphs[0]->tensors[w]->sparsity = std::move(sp);
  const int b = f.m.Const<float>(DataType::kFloat32, {rows}, bias);
  f.out = f.m.Output(DataType::kFloat32);
  f.m.Op(fb::BuiltinOperator::FULLY_CONNECTED, {f.in, w, b}, {f.out},
         MakeOptions(fb::FullyConnectedOptionsT{}));
}

TEST(SparseWeights, FloatFullyConnectedCsrAndBlocks) {
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  const IndexType types[] = {IndexType::kInt32, IndexType::kUint16, IndexType::kUint8};
  for (int trial = 0; trial < 12; ++trial) {
    const int block = trial % 3 == 2 ? 4 : 1;
    const int batch = 1 + rng() % 3, rows = 1 + rng() % 9, cols = block * (1 + rng() % 12);
    const IndexType it = types[trial % 3];
    SCOPED_TRACE("trial " + std::to_string(trial) + " block " + std::to_string(block));
    const auto dense = SparseMatrix(rng, rows, cols, block, trial == 0 ? 0.0 : 0.4);
    const auto bias = testing::RandomFloats(rng, rows);
    FcModel f;
    BuildSparseFloatFc(f, dense, bias, batch, rows, cols, block, it);
    const Status st = f.m.Build();
    ASSERT_TRUE(st.ok()) << st.ToString();
    const auto x = testing::RandomFloats(rng, batch * cols, -2.0f, 2.0f);
    f.m.Set<float>(f.in, x);
    ASSERT_TRUE(f.m.Invoke().ok());
    const auto got = f.m.Get<float>(f.out);
    ASSERT_EQ(got.size(), size_t(batch * rows));
    for (int b = 0; b < batch; ++b)
      for (int r = 0; r < rows; ++r) {
        double want = bias[r], mag = std::fabs(bias[r]);
        for (int c = 0; c < cols; ++c) {
          want += double(dense[r * cols + c]) * x[b * cols + c];
          mag += std::fabs(double(dense[r * cols + c]) * x[b * cols + c]);
        }
        EXPECT_NEAR(got[b * rows + r], want, 1e-6 * (1.0 + mag)) << "b " << b << " r " << r;
      }
  }
}

#if EDGELITE_MICRO
// The micro profile densifies sparse tensors only when the resolver opts in
// (MicroOpResolver::AddSparseTensors); otherwise the model is refused, saying so.
TEST(SparseWeights, MicroResolverNeedsAddSparseTensors) {
  std::mt19937 rng(testing::TestSeed());
  const auto dense = SparseMatrix(rng, 3, 4, 1, 0.4);
  FcModel f;
  BuildSparseFloatFc(f, dense, testing::RandomFloats(rng, 3), 1, 3, 4, 1, IndexType::kInt32);
  ASSERT_TRUE(f.m.Build().ok());  // BuiltinOpResolver: densifies
  const std::vector<uint8_t> bytes = f.m.builder().Finish();
  auto model = Model::FromBuffer(bytes.data(), bytes.size());
  ASSERT_TRUE(model.ok());
  micro::MicroOpResolver<1> without;
  without.Add_FULLY_CONNECTED();
  auto refused = Interpreter::Create(**model, without);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(refused.status().message().find("AddSparseTensors"), std::string::npos);
  micro::MicroOpResolver<1> with;
  with.Add_FULLY_CONNECTED();
  with.AddSparseTensors();
  auto accepted = Interpreter::Create(**model, with);
  ASSERT_TRUE(accepted.ok()) << accepted.status().ToString();
  EXPECT_TRUE((*accepted)->AllocateTensors().ok());
}
#endif

TEST(SparseWeights, Int8FullyConnectedBlocksAreBitExactWithDense) {
  // The densified int8 weights must give exactly the dense model's integers
  // (a sparse kernel only skips zero products); the dense int8 model is
  // itself checked against TFLite's goldens elsewhere.
  std::mt19937 rng(testing::TestSeed() + 1);
  for (int trial = 0; trial < 6; ++trial) {
    const int block = trial % 2 ? 16 : 1;
    const int rows = 1 + rng() % 6, cols = block * (1 + rng() % 4);
    std::vector<int8_t> dense(rows * cols, 0);
    for (int r = 0; r < rows; ++r)
      for (int cb = 0; cb < cols / block; ++cb)
        if (rng() % 2)
          for (int j = 0; j < block; ++j)
            dense[r * cols + cb * block + j] = static_cast<int8_t>(int(rng() % 255) - 127);
    dense[0] = 1;  // at least one stored block (see SparseMatrix)
    QuantSpec wq{{0.02f}, {0}, 0}, iq{{0.05f}, {3}, 0}, oq{{0.1f}, {-2}, 0};
    QuantSpec bq{{0.05f * 0.02f}, {0}, 0};
    std::vector<int32_t> bias(rows);
    for (auto& v : bias) v = int(rng() % 2001) - 1000;
    std::vector<int8_t> x(2 * cols);
    for (auto& v : x) v = static_cast<int8_t>(int(rng() % 256) - 128);
    std::vector<std::vector<int8_t>> outs;
    for (bool sparse : {false, true}) {
      SingleOpModel m;
      const int in = m.Input(DataType::kInt8, {2, cols}, &iq);
      int w;
      if (sparse) {
        auto sp = std::make_unique<fb::SparsityParametersT>();
        const auto values = Encode(dense, rows, cols, block, IndexType::kUint8, sp.get());
        w = m.Const<int8_t>(DataType::kInt8, {rows, cols}, values, &wq);
        m.builder().model().subgraphs[0]->tensors[w]->sparsity = std::move(sp);
      } else {
        w = m.Const<int8_t>(DataType::kInt8, {rows, cols}, dense, &wq);
      }
      const int b = m.Const<int32_t>(DataType::kInt32, {rows}, bias, &bq);
      const int out = m.Output(DataType::kInt8, {}, &oq);
      m.Op(fb::BuiltinOperator::FULLY_CONNECTED, {in, w, b}, {out},
           MakeOptions(fb::FullyConnectedOptionsT{}));
      const Status st = m.Build();
      ASSERT_TRUE(st.ok()) << st.ToString();
      m.Set<int8_t>(in, x);
      ASSERT_TRUE(m.Invoke().ok());
      outs.push_back(m.Get<int8_t>(out));
    }
    EXPECT_EQ(outs[0], outs[1]) << "trial " << trial;
  }
}

// TFLite's own sparse test file (its sparsity documentation's example): a
// 4x4 int8 matrix in 2x2 blocks, block rows dense, block columns CSR
// (segments [0, 2, 3], indices [0, 1, 1]), each stored block row-major:
// blocks (0,0) = [1 0; 0 4], (0,1) = [2 3; 0 0], (1,1) = [5 0; 0 6].
TEST(SparseWeights, TfliteSparseTensorTestFile) {
  EDGELITE_REQUIRE_SHARED();
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(testing::ReadFile(
      testing::SharedDir() + "/models/litert/tflite_testdata/sparse_tensor.bin", &bytes));
  flatbuffers::Verifier verifier(bytes.data(), bytes.size());
  ASSERT_TRUE(fb::VerifyModelBuffer(verifier));
  const fb::Model* model = fb::GetModel(bytes.data());
  const fb::Tensor* t = model->subgraphs()->Get(0)->tensors()->Get(0);
  ASSERT_NE(t->sparsity(), nullptr);
  const fb::Buffer* b = model->buffers()->Get(t->buffer());
  ASSERT_NE(b->data(), nullptr);
  std::vector<uint8_t> dense(16, 0xAA);
  const Status s = DensifySparseTensor(t->sparsity(), Shape{4, 4}, 1, b->data()->data(),
                                       b->data()->size(), dense.data(), "sparse_tensor");
  ASSERT_TRUE(s.ok()) << s.ToString();
  const std::vector<uint8_t> want = {1, 0, 2, 3,  //
                                     0, 4, 0, 0,  //
                                     0, 0, 5, 0,  //
                                     0, 0, 0, 6};
  EXPECT_EQ(dense, want);
  // One byte fewer than the structure needs: rejected, nothing read past it.
  const Status short_buffer = DensifySparseTensor(t->sparsity(), Shape{4, 4}, 1,
                                                  b->data()->data(), b->data()->size() - 1,
                                                  dense.data(), "sparse_tensor");
  EXPECT_EQ(short_buffer.code(), StatusCode::kInvalidModel);
}

// Malformed sparsity metadata is rejected at load with the tensor's name.
TEST(SparseWeights, RejectsMalformedMetadata) {
  const std::vector<float> dense = {1, 0, 0, 2, 0, 3};  // [2, 3]
  for (int variant = 0; variant < 5; ++variant) {
    FcModel f;
    BuildSparseFloatFc(f, dense, {0, 0}, 1, 2, 3, 1, IndexType::kInt32);
    auto& t = f.m.builder().model().subgraphs[0]->tensors[1];
    fb::SparsityParametersT* sp = t->sparsity.get();
    auto& csr = sp->dim_metadata[1];
    switch (variant) {
      case 0:  // column index out of range
        csr->array_indices.AsInt32Vector()->values[0] = 3;
        break;
      case 1:  // one segment entry too few
        csr->array_segments.AsInt32Vector()->values.pop_back();
        break;
      case 2:  // segments decreasing
        csr->array_segments.AsInt32Vector()->values = {0, 2, 1};
        break;
      case 3:  // traversal order not a permutation
        sp->traversal_order = {0, 0};
        break;
      case 4:  // dense level size differs from the shape
        sp->dim_metadata[0]->dense_size = 3;
        break;
    }
    const Status s = f.m.Build();
    EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << variant << ": " << s.ToString();
    EXPECT_NE(s.message().find("sparse tensor"), std::string::npos) << s.message();
  }
}

}  // namespace
}  // namespace edgelite
