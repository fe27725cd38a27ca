// FILL: a tensor of shape `dims` (1-D int32/int64) with every element equal
// to the scalar `value`; the output has value's type. A non-constant dims
// tensor makes the output dynamic.
#include <cstring>

#include "src/ops/data_movement_util.h"
#include "src/ops/op_util.h"

namespace edgelite {
namespace ops {
namespace {

Status Run(OpContext& ctx) {
  const Tensor* value = ctx.input(1);
  Tensor* output = ctx.output(0);
  const size_t elem = DataTypeSize(output->type);
  uint8_t* y = output->data_as<uint8_t>();
  for (int64_t i = 0, n = output->num_elements(); i < n; ++i)
    memcpy(y + i * elem, value->data, elem);
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  Tensor *dims, *value, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &dims));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 1, &value));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  ResetFoldedOutput(ctx, output);
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, value, output));
  size_t elem = 0;
  EDGELITE_RETURN_IF_ERROR(ElementSize(ctx, value, &elem));
  if (value->shape.NumElements() != 1)
    return ctx.Invalid("value '%s' must be a scalar", value->name);
  EDGELITE_RETURN_IF_ERROR(CheckIndexType(ctx, dims, "dims"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, dims, 1, 1, "dims"));
  if (!ctx.HasData(dims)) {
    ctx.SetOutputDynamic(output);
    return Status::Ok();
  }
  Shape s;
  EDGELITE_RETURN_IF_ERROR(ReadShapeValues(ctx, dims, "dims", &s));
  for (int d = 0; d < s.rank; ++d)
    if (s.dims[d] < 0) return ctx.Invalid("dims[%d] is negative (%d)", d, s.dims[d]);
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(output, s));
  return MaybeFold(ctx, output, Run);
}

Status Eval(OpContext& ctx) {
  if (IsFolded(ctx.output(0))) return Status::Ok();
  EDGELITE_RETURN_IF_ERROR(PrepareDynamicOutputs(ctx, Prepare));
  return Run(ctx);
}

}  // namespace

const OpRegistration* Register_FILL() {
  static const OpRegistration reg = {"FILL", InitFoldState, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
