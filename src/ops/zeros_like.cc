// ZEROS_LIKE: a tensor of the input's shape and type, all zeros.
#include <cstring>

#include "src/ops/data_movement_util.h"
#include "src/ops/op_util.h"

namespace edgelite {
namespace ops {
namespace {

Status Run(OpContext& ctx) {
  Tensor* output = ctx.output(0);
  if (output->bytes > 0) memset(output->data, 0, output->bytes);  // 0.0f is all-zero bits too
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
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(output, input->shape));
  return MaybeFold(ctx, output, Run);
}

Status Eval(OpContext& ctx) {
  if (IsFolded(ctx.output(0))) return Status::Ok();
  return Run(ctx);
}

}  // namespace

const OpRegistration* Register_ZEROS_LIKE() {
  static const OpRegistration reg = {"ZEROS_LIKE", InitFoldState, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
