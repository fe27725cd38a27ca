// TILE: output dim d = input dim d * multiples[d]; the input is repeated.
// multiples: 1-D int32/int64, one non-negative entry per input dim; a
// non-constant multiples tensor makes the output dynamic. Type-agnostic.
#include "src/ops/data_movement_util.h"
#include "src/ops/op_util.h"
#include "src/ref/broadcast_to.h"

namespace edgelite {
namespace ops {
namespace {

Status OutputShape(OpContext& ctx, const Tensor* input, const Tensor* mult, Shape* s) {
  Shape m;
  EDGELITE_RETURN_IF_ERROR(ReadShapeValues(ctx, mult, "multiples", &m));
  if (m.rank != input->shape.rank)
    return ctx.Invalid("multiples has %d entries; input has rank %d", m.rank, input->shape.rank);
  *s = input->shape;
  for (int d = 0; d < s->rank; ++d) {
    const int64_t v = int64_t{input->shape.dims[d]} * m.dims[d];
    if (m.dims[d] < 0 || v > INT32_MAX)
      return ctx.Invalid("multiples[%d] = %d is invalid", d, m.dims[d]);
    s->dims[d] = static_cast<int32_t>(v);
  }
  return Status::Ok();
}

Status Run(OpContext& ctx) {
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  ref::BroadcastModulo(input->data_as<uint8_t>(), input->shape.dims, output->shape,
                       output->data_as<uint8_t>(), DataTypeSize(input->type));
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  Tensor *input, *mult, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &input));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 1, &mult));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  ResetFoldedOutput(ctx, output);
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, input, output));
  size_t elem = 0;
  EDGELITE_RETURN_IF_ERROR(ElementSize(ctx, input, &elem));
  EDGELITE_RETURN_IF_ERROR(CheckIndexType(ctx, mult, "multiples"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, mult, 1, 1, "multiples"));
  if (!ctx.HasData(mult)) {
    ctx.SetOutputDynamic(output);
    return Status::Ok();
  }
  Shape s;
  EDGELITE_RETURN_IF_ERROR(OutputShape(ctx, input, mult, &s));
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(output, s));
  return MaybeFold(ctx, output, Run);
}

Status Eval(OpContext& ctx) {
  if (IsFolded(ctx.output(0))) return Status::Ok();
  EDGELITE_RETURN_IF_ERROR(PrepareDynamicOutputs(ctx, Prepare));
  return Run(ctx);
}

}  // namespace

const OpRegistration* Register_TILE() {
  static const OpRegistration reg = {"TILE", InitFoldState, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
