// BROADCAST_TO: repeats the input to the shape given by the second input
// (1-D int32/int64). Input dims, aligned right, must be 1 or equal to the
// target's. A non-constant shape makes the output dynamic. Type-agnostic.
#include "src/ops/data_movement_util.h"
#include "src/ops/op_util.h"
#include "src/ref/broadcast_to.h"

namespace edgelite {
namespace ops {
namespace {

Status Run(OpContext& ctx) {
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  const int pad = output->shape.rank - input->shape.rank;
  int32_t in_dims[kMaxRank];
  for (int d = 0; d < output->shape.rank; ++d)
    in_dims[d] = d < pad ? 1 : input->shape.dims[d - pad];
  ref::BroadcastModulo(input->data_as<uint8_t>(), in_dims, output->shape,
                       output->data_as<uint8_t>(), DataTypeSize(input->type));
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  Tensor *input, *shape_t, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &input));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 1, &shape_t));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  ResetFoldedOutput(ctx, output);
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, input, output));
  size_t elem = 0;
  EDGELITE_RETURN_IF_ERROR(ElementSize(ctx, input, &elem));
  EDGELITE_RETURN_IF_ERROR(CheckIndexType(ctx, shape_t, "shape"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, shape_t, 1, 1, "shape"));
  if (!ctx.HasData(shape_t)) {
    ctx.SetOutputDynamic(output);
    return Status::Ok();
  }
  Shape s;
  EDGELITE_RETURN_IF_ERROR(ReadShapeValues(ctx, shape_t, "shape", &s));
  if (s.rank < input->shape.rank)
    return ctx.Invalid("target rank %d is below the input rank %d", s.rank, input->shape.rank);
  const int pad = s.rank - input->shape.rank;
  for (int d = 0; d < s.rank; ++d) {
    if (s.dims[d] < 0) return ctx.Invalid("target dim %d is negative (%d)", d, s.dims[d]);
    if (d >= pad) {
      const int32_t in = input->shape.dims[d - pad];
      if (in != 1 && in != s.dims[d])
        return ctx.Invalid("cannot broadcast dim %d of size %d to %d", d - pad, in, s.dims[d]);
    }
  }
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(output, s));
  return MaybeFold(ctx, output, Run);
}

Status Eval(OpContext& ctx) {
  if (IsFolded(ctx.output(0))) return Status::Ok();
  EDGELITE_RETURN_IF_ERROR(PrepareDynamicOutputs(ctx, Prepare));
  return Run(ctx);
}

}  // namespace

const OpRegistration* Register_BROADCAST_TO() {
  static const OpRegistration reg = {"BROADCAST_TO", InitFoldState, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
