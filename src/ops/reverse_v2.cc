// REVERSE_V2: reverses the input along each dim listed in `axis` (1-D
// int32/int64, values in [-rank, rank)). Type-agnostic.
#include "src/ops/data_movement_util.h"
#include "src/ops/op_util.h"
#include "src/ref/reverse.h"

namespace edgelite {
namespace ops {
namespace {

Status ReadAxes(OpContext& ctx, const Tensor* input, const Tensor* axis_t, bool* flip) {
  const int rank = input->shape.rank;
  for (int d = 0; d < kMaxRank; ++d) flip[d] = false;
  for (int64_t i = 0, n = axis_t->shape.NumElements(); i < n; ++i) {
    const int64_t a = ReadIndex(axis_t, i);
    if (a < -rank || a >= rank)
      return ctx.Fail(ctx.phase() == Phase::kEval ? StatusCode::kRuntimeError
                                                  : StatusCode::kInvalidModel,
                      "axis %lld is out of range for rank %d", static_cast<long long>(a), rank);
    flip[a < 0 ? a + rank : a] = true;
  }
  return Status::Ok();
}

Status Run(OpContext& ctx) {
  const Tensor* input = ctx.input(0);
  bool flip[kMaxRank];
  EDGELITE_RETURN_IF_ERROR(ReadAxes(ctx, input, ctx.input(1), flip));
  ref::Reverse(input->data_as<uint8_t>(), input->shape, flip, ctx.output(0)->data_as<uint8_t>(),
               DataTypeSize(input->type));
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
  size_t elem = 0;
  EDGELITE_RETURN_IF_ERROR(ElementSize(ctx, input, &elem));
  EDGELITE_RETURN_IF_ERROR(CheckIndexType(ctx, axis_t, "axis"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, axis_t, 0, 1, "axis"));
  if (ctx.HasData(axis_t)) {
    bool flip[kMaxRank];
    EDGELITE_RETURN_IF_ERROR(ReadAxes(ctx, input, axis_t, flip));
  }
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(output, input->shape));
  return MaybeFold(ctx, output, Run);
}

Status Eval(OpContext& ctx) {
  if (IsFolded(ctx.output(0))) return Status::Ok();
  return Run(ctx);
}

}  // namespace

const OpRegistration* Register_REVERSE_V2() {
  static const OpRegistration reg = {"REVERSE_V2", InitFoldState, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
