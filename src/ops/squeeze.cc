// SQUEEZE: removes dimensions of size 1 (all of them, or those listed in
// squeeze_dims, each of which must have size 1). Data is copied unchanged.
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
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  Tensor *input, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &input));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  ResetFoldedOutput(ctx, output);
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, input, output));
  size_t elem = 0;
  EDGELITE_RETURN_IF_ERROR(ElementSize(ctx, input, &elem));
  const int rank = input->shape.rank;
  bool drop[kMaxRank] = {};
  const auto* opts = Options<fb::SqueezeOptions>(ctx);
  const auto* dims = opts ? opts->squeeze_dims() : nullptr;
  if (dims == nullptr || dims->size() == 0) {
    for (int d = 0; d < rank; ++d) drop[d] = input->shape.dims[d] == 1;
  } else {
    for (uint32_t i = 0; i < dims->size(); ++i) {
      int32_t axis;
      if (!NormalizeAxis(dims->Get(i), rank, &axis))
        return ctx.Invalid("squeeze dim %d is out of range for rank %d", dims->Get(i), rank);
      if (input->shape.dims[axis] != 1)
        return ctx.Invalid("cannot squeeze dim %d of '%s': its size is %d, not 1", axis,
                           input->name, input->shape.dims[axis]);
      drop[axis] = true;
    }
  }
  Shape s;
  for (int d = 0; d < rank; ++d)
    if (!drop[d]) s.dims[s.rank++] = input->shape.dims[d];
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(output, s));
  return MaybeFold(ctx, output, Copy);
}

Status Eval(OpContext& ctx) {
  if (IsFolded(ctx.output(0))) return Status::Ok();
  return Copy(ctx);
}

}  // namespace

const OpRegistration* Register_SQUEEZE() {
  static const OpRegistration reg = {"SQUEEZE", InitFoldState, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
