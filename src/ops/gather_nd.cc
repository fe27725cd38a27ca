// GATHER_ND: indices [..., depth] pick slices params[i_0, ..., i_{depth-1}];
// output shape indices[:-1] + params[depth:]. Indices are int32/int64; an
// out-of-range index fails Invoke with kRuntimeError.
#include "src/ops/data_movement_util.h"
#include "src/ops/op_util.h"
#include "src/ref/gather.h"

namespace edgelite {
namespace ops {
namespace {

Status Run(OpContext& ctx) {
  const Tensor* params = ctx.input(0);
  const Tensor* indices = ctx.input(1);
  const int depth = indices->shape.dims[indices->shape.rank - 1];
  const int64_t count = indices->shape.FlatSize(0, indices->shape.rank - 1);
  const int64_t slice = params->shape.FlatSize(depth, params->shape.rank);
  int64_t bad;
  uint8_t* out = ctx.output(0)->data_as<uint8_t>();
  const size_t elem = DataTypeSize(params->type);
  if (indices->type == DataType::kInt64) {
    const int64_t* ix = indices->data_as<int64_t>();
    bad = ref::GatherNd(params->data_as<uint8_t>(), params->shape.dims, depth, slice,
                        [ix](int64_t i) { return ix[i]; }, count, out, elem);
  } else {
    const int32_t* ix = indices->data_as<int32_t>();
    bad = ref::GatherNd(params->data_as<uint8_t>(), params->shape.dims, depth, slice,
                        [ix](int64_t i) { return int64_t{ix[i]}; }, count, out, elem);
  }
  if (bad >= 0)
    return ctx.Fail(StatusCode::kRuntimeError, "index tuple %lld of '%s' is out of range",
                    static_cast<long long>(bad), indices->name);
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  Tensor *params, *indices, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &params));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 1, &indices));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  ResetFoldedOutput(ctx, output);
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, params, output));
  size_t elem = 0;
  EDGELITE_RETURN_IF_ERROR(ElementSize(ctx, params, &elem));
  EDGELITE_RETURN_IF_ERROR(CheckIndexType(ctx, indices, "indices"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, params, 1, kMaxRank, "params"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, indices, 1, kMaxRank, "indices"));
  const int depth = indices->shape.dims[indices->shape.rank - 1];
  if (depth < 1 || depth > params->shape.rank)
    return ctx.Invalid("index depth %d must be in [1, %d] (params rank)", depth,
                       params->shape.rank);
  const int out_rank = indices->shape.rank - 1 + params->shape.rank - depth;
  if (out_rank > kMaxRank)
    return ctx.Fail(StatusCode::kUnsupported, "output rank %d exceeds %d", out_rank, kMaxRank);
  Shape s;
  for (int i = 0; i + 1 < indices->shape.rank; ++i) s.dims[s.rank++] = indices->shape.dims[i];
  for (int i = depth; i < params->shape.rank; ++i) s.dims[s.rank++] = params->shape.dims[i];
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(output, s));
  return MaybeFold(ctx, output, Run);
}

Status Eval(OpContext& ctx) {
  if (IsFolded(ctx.output(0))) return Status::Ok();
  return Run(ctx);
}

}  // namespace

const OpRegistration* Register_GATHER_ND() {
  static const OpRegistration reg = {"GATHER_ND", InitFoldState, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
