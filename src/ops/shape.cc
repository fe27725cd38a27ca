// SHAPE: the input's shape as a 1-D int32/int64 tensor (out_type). The
// values are known in prepare, so the output is folded there (see
// data_movement_util.h) and later ops see it as data; when the input's
// shape is only known at Invoke, it is computed then.
#include "src/ops/data_movement_util.h"
#include "src/ops/op_util.h"

namespace edgelite {
namespace ops {
namespace {

Status Run(OpContext& ctx) {
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  for (int d = 0; d < input->shape.rank; ++d) {
    if (output->type == DataType::kInt64)
      output->data_as<int64_t>()[d] = input->shape.dims[d];
    else
      output->data_as<int32_t>()[d] = input->shape.dims[d];
  }
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  Tensor *input, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &input));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  ResetFoldedOutput(ctx, output);
  const auto* o = Options<fb::ShapeOptions>(ctx);
  // An unset out_type reads as FLOAT32 (the schema default): then the
  // output tensor's type decides.
  if (o && (o->out_type() == fb::TensorType::INT32 || o->out_type() == fb::TensorType::INT64) &&
      static_cast<int>(o->out_type()) != static_cast<int>(output->type))
    return ctx.Invalid("out_type %s differs from the output type %s",
                       fb::EnumNameTensorType(o->out_type()), DataTypeName(output->type));
  EDGELITE_RETURN_IF_ERROR(CheckIndexType(ctx, output, "output"));
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(output, Shape{input->shape.rank}));
  if (ctx.phase() == Phase::kPrepare && output->allocation == Allocation::kNone) {
    EDGELITE_RETURN_IF_ERROR(FoldOutput(ctx, static_cast<FoldState*>(ctx.user_data()), output));
    return Run(ctx);
  }
  return Status::Ok();
}

Status Eval(OpContext& ctx) {
  if (IsFolded(ctx.output(0))) return Status::Ok();
  return Run(ctx);
}

}  // namespace

const OpRegistration* Register_SHAPE() {
  static const OpRegistration reg = {"SHAPE", InitFoldState, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
