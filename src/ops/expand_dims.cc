// EXPAND_DIMS: inserts a dimension of size 1 at `axis` (second input, a
// scalar in [-rank-1, rank]). A non-constant axis makes the output dynamic.
#include <cstring>

#include "src/ops/data_movement_util.h"
#include "src/ops/op_util.h"

namespace edgelite {
namespace ops {
namespace {

Status Copy(OpContext& ctx) {
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  if (output->data != input->data && input->bytes > 0) memcpy(output->data, input->data, input->bytes);
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  Tensor *input, *axis_t, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &input));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 1, &axis_t));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  ResetFoldedOutput(ctx, output);
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, input, output));
  EDGELITE_RETURN_IF_ERROR(CheckIndexType(ctx, axis_t, "axis"));
  size_t elem = 0;
  EDGELITE_RETURN_IF_ERROR(ElementSize(ctx, input, &elem));
  const int rank = input->shape.rank;
  if (rank + 1 > kMaxRank)
    return ctx.Fail(StatusCode::kUnsupported, "output rank %d exceeds %d", rank + 1, kMaxRank);
  if (!ctx.HasData(axis_t)) {
    ctx.SetOutputDynamic(output);
    return Status::Ok();
  }
  int64_t axis = 0;
  EDGELITE_RETURN_IF_ERROR(ReadScalarIndex(ctx, axis_t, "axis", &axis));
  if (axis < -rank - 1 || axis > rank)
    return ctx.Invalid("axis %lld is out of range [%d, %d]", static_cast<long long>(axis),
                       -rank - 1, rank);
  if (axis < 0) axis += rank + 1;
  Shape s;
  s.rank = rank + 1;
  for (int d = 0, k = 0; d < s.rank; ++d) s.dims[d] = d == axis ? 1 : input->shape.dims[k++];
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(output, s));
  return MaybeFold(ctx, output, Copy);
}

Status Eval(OpContext& ctx) {
  if (IsFolded(ctx.output(0))) return Status::Ok();
  EDGELITE_RETURN_IF_ERROR(PrepareDynamicOutputs(ctx, Prepare));
  return Copy(ctx);
}

}  // namespace

const OpRegistration* Register_EXPAND_DIMS() {
  static const OpRegistration reg = {"EXPAND_DIMS", InitFoldState, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
