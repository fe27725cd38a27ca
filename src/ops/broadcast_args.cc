// BROADCAST_ARGS: the broadcast shape of two shape vectors (1-D int32 or
// int64, same type), NumPy rules. Incompatible shapes fail with an error.
#include <algorithm>

#include "src/ops/data_movement_util.h"
#include "src/ops/op_util.h"

namespace edgelite {
namespace ops {
namespace {

Status Run(OpContext& ctx) {
  const Tensor* a = ctx.input(0);
  const Tensor* b = ctx.input(1);
  Tensor* out = ctx.output(0);
  const int64_t na = a->shape.dims[0], nb = b->shape.dims[0], n = out->shape.dims[0];
  for (int64_t i = 0; i < n; ++i) {
    const int64_t ia = i - (n - na), ib = i - (n - nb);
    const int64_t da = ia >= 0 ? ReadIndex(a, ia) : 1;
    const int64_t db = ib >= 0 ? ReadIndex(b, ib) : 1;
    int64_t r;
    if (da == db || db == 1)
      r = da;
    else if (da == 1)
      r = db;
    else
      return ctx.Fail(ctx.phase() == Phase::kEval ? StatusCode::kRuntimeError
                                                  : StatusCode::kInvalidModel,
                      "shapes are not broadcastable: %lld vs %lld at position %lld",
                      static_cast<long long>(da), static_cast<long long>(db),
                      static_cast<long long>(i));
    if (out->type == DataType::kInt64)
      out->data_as<int64_t>()[i] = r;
    else
      out->data_as<int32_t>()[i] = static_cast<int32_t>(r);
  }
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  Tensor *a, *b, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &a));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 1, &b));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  ResetFoldedOutput(ctx, output);
  EDGELITE_RETURN_IF_ERROR(CheckIndexType(ctx, a, "shape"));
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, a, b));
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, a, output));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, a, 1, 1, "shape"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, b, 1, 1, "shape"));
  const int32_t n = std::max(a->shape.dims[0], b->shape.dims[0]);
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(output, Shape{n}));
  return MaybeFold(ctx, output, Run);
}

Status Eval(OpContext& ctx) {
  if (IsFolded(ctx.output(0))) return Status::Ok();
  return Run(ctx);
}

}  // namespace

const OpRegistration* Register_BROADCAST_ARGS() {
  static const OpRegistration reg = {"BROADCAST_ARGS", InitFoldState, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
