// TRANSPOSE: output dim i = input dim perm[i]; perm is the second input
// (int32/int64, a permutation of [0, rank)). A non-constant perm makes the
// output dynamic. Type-agnostic.
#include "src/ops/data_movement_util.h"
#include "src/ops/op_util.h"
#include "src/kernels/copy/copy.h"

namespace edgelite {
namespace ops {
namespace {

// Reads and validates perm against the input's rank.
Status ReadPerm(OpContext& ctx, const Tensor* input, const Tensor* perm_t, int32_t* perm) {
  Shape p;
  EDGELITE_RETURN_IF_ERROR(ReadShapeValues(ctx, perm_t, "perm", &p));
  const int rank = input->shape.rank;
  if (p.rank != rank)
    return ctx.Invalid("perm '%s' has %d entries; input '%s' has rank %d", perm_t->name, p.rank,
                       input->name, rank);
  bool seen[kMaxRank] = {};
  for (int i = 0; i < rank; ++i) {
    int32_t a;
    if (!NormalizeAxis(p.dims[i], rank, &a) || seen[a])
      return ctx.Invalid("perm '%s' is not a permutation of [0, %d)", perm_t->name, rank);
    seen[a] = true;
    perm[i] = a;
  }
  return Status::Ok();
}

Status Run(OpContext& ctx) {
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  int32_t perm[kMaxRank];
  EDGELITE_RETURN_IF_ERROR(ReadPerm(ctx, input, ctx.input(1), perm));
  kernels::copy::Transpose(input->data_as<uint8_t>(), input->shape, perm,
                           output->data_as<uint8_t>(), DataTypeSize(input->type));
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  Tensor *input, *perm_t, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &input));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 1, &perm_t));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  ResetFoldedOutput(ctx, output);
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, input, output));
  size_t elem = 0;
  EDGELITE_RETURN_IF_ERROR(ElementSize(ctx, input, &elem));
  EDGELITE_RETURN_IF_ERROR(CheckIndexType(ctx, perm_t, "perm"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, perm_t, 1, 1, "perm"));
  if (!ctx.HasData(perm_t)) {
    ctx.SetOutputDynamic(output);
    return Status::Ok();
  }
  int32_t perm[kMaxRank];
  EDGELITE_RETURN_IF_ERROR(ReadPerm(ctx, input, perm_t, perm));
  Shape s;
  s.rank = input->shape.rank;
  for (int i = 0; i < s.rank; ++i) s.dims[i] = input->shape.dims[perm[i]];
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(output, s));
  return MaybeFold(ctx, output, Run);
}

Status Eval(OpContext& ctx) {
  if (IsFolded(ctx.output(0))) return Status::Ok();
  EDGELITE_RETURN_IF_ERROR(PrepareDynamicOutputs(ctx, Prepare));
  return Run(ctx);
}

}  // namespace

const OpRegistration* Register_TRANSPOSE() {
  static const OpRegistration reg = {"TRANSPOSE", InitFoldState, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
