// BATCH_MATMUL: lhs [..., M, K] x rhs [..., K, N] -> [..., M, N], with
// adj_x / adj_y transposing the last two axes of lhs / rhs, batch axes
// broadcast NumPy-style; ranks 2 to 5 (TFLite's limit). float32 only for now;
// quantized and hybrid (int8 rhs) variants are rejected as unsupported.
#include <algorithm>
#include <cstdint>

#include "src/ops/op_util.h"
#include "src/ref/batch_matmul.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kLhs = 0, kRhs = 1;
constexpr int kMinRank = 2, kMaxBatchMatMulRank = 5;

struct Dims {
  Shape lhs_batch, rhs_batch, out_batch;
  int32_t m, k, n;
};

Shape BatchPart(const Shape& s) {
  Shape b;
  b.rank = s.rank - 2;
  for (int i = 0; i < b.rank; ++i) b.dims[i] = s.dims[i];
  return b;
}

void GetFlags(const OpContext& ctx, bool* adj_x, bool* adj_y) {
  const auto* o = Options<fb::BatchMatMulOptions>(ctx);
  *adj_x = o && o->adj_x();
  *adj_y = o && o->adj_y();
}

// Shapes were validated in prepare; this only derives the dims.
Dims ComputeDims(const Tensor* lhs, const Tensor* rhs, bool adj_x, bool adj_y) {
  Dims d;
  const Shape& l = lhs->shape;
  const Shape& r = rhs->shape;
  d.lhs_batch = BatchPart(l);
  d.rhs_batch = BatchPart(r);
  BroadcastShapes(d.lhs_batch, d.rhs_batch, &d.out_batch);
  d.m = adj_x ? l.dims[l.rank - 1] : l.dims[l.rank - 2];
  d.k = adj_x ? l.dims[l.rank - 2] : l.dims[l.rank - 1];
  d.n = adj_y ? r.dims[r.rank - 2] : r.dims[r.rank - 1];
  return d;
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  Tensor *lhs, *rhs, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kLhs, &lhs));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kRhs, &rhs));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  if (lhs->type == DataType::kFloat32 && rhs->type == DataType::kInt8)
    return ctx.Fail(StatusCode::kUnsupported,
                    "hybrid BATCH_MATMUL (float32 lhs, int8 rhs '%s') is not supported yet",
                    rhs->name);
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, lhs, DataType::kFloat32, "lhs"));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, rhs, DataType::kFloat32, "rhs"));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, DataType::kFloat32, "output"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, lhs, kMinRank, kMaxBatchMatMulRank, "lhs"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, rhs, kMinRank, kMaxBatchMatMulRank, "rhs"));
  bool adj_x, adj_y;
  GetFlags(ctx, &adj_x, &adj_y);
  Shape out_batch;
  if (!BroadcastShapes(BatchPart(lhs->shape), BatchPart(rhs->shape), &out_batch)) {
    char a[96], b[96];
    return ctx.Invalid("batch dimensions of lhs '%s' %s and rhs '%s' %s do not broadcast",
                       lhs->name, lhs->shape.ToString(a, sizeof(a)), rhs->name,
                       rhs->shape.ToString(b, sizeof(b)));
  }
  const Dims d = ComputeDims(lhs, rhs, adj_x, adj_y);
  const Shape& r = rhs->shape;
  const int32_t rhs_k = adj_y ? r.dims[r.rank - 1] : r.dims[r.rank - 2];
  if (rhs_k != d.k)
    return ctx.Invalid("contraction sizes differ: lhs '%s' has %d, rhs '%s' has %d (adj_x=%d, "
                       "adj_y=%d)",
                       lhs->name, d.k, rhs->name, rhs_k, adj_x, adj_y);
  Shape out = d.out_batch;
  out.dims[out.rank++] = d.m;
  out.dims[out.rank++] = d.n;
  return ctx.ResizeOutput(output, out);
}

Status Eval(OpContext& ctx) {
  const Tensor* lhs = ctx.input(kLhs);
  const Tensor* rhs = ctx.input(kRhs);
  Tensor* output = ctx.output(0);
  bool adj_x, adj_y;
  GetFlags(ctx, &adj_x, &adj_y);
  const Dims d = ComputeDims(lhs, rhs, adj_x, adj_y);
  ref::BatchMatMulFloat(lhs->data_as<float>(), d.lhs_batch, rhs->data_as<float>(), d.rhs_batch,
                        d.out_batch, d.m, d.k, d.n, adj_x, adj_y, output->data_as<float>());
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_BATCH_MATMUL() {
  static const OpRegistration reg = {"BATCH_MATMUL", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
