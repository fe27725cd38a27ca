// UNPACK: splits a tensor along `axis` into its `num` slices (the dim is
// removed). num 0 means "the size of that dim". Type-agnostic.
#include "src/ops/data_movement_util.h"
#include "src/ops/op_util.h"
#include "src/ref/concatenation.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kMaxOutputs = 256;

int32_t Axis(const OpContext& ctx, int rank) {
  const auto* o = Options<fb::UnpackOptions>(ctx);
  int32_t axis = 0;
  NormalizeAxis(o ? o->axis() : 0, rank, &axis);
  return axis;
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, -1));
  Tensor* input;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &input));
  size_t elem = 0;
  EDGELITE_RETURN_IF_ERROR(ElementSize(ctx, input, &elem));
  const auto* o = Options<fb::UnpackOptions>(ctx);
  const int rank = input->shape.rank;
  int32_t axis;
  if (rank < 1) return ctx.Invalid("input '%s' must have rank >= 1", input->name);
  if (!NormalizeAxis(o ? o->axis() : 0, rank, &axis))
    return ctx.Invalid("axis %d is out of range for rank %d", o ? o->axis() : 0, rank);
  const int32_t dim = input->shape.dims[axis];
  const int32_t num = (o && o->num() != 0) ? o->num() : dim;
  if (num != dim) return ctx.Invalid("num is %d but dim %d has size %d", num, axis, dim);
  if (ctx.num_outputs() != num)
    return ctx.Invalid("expects %d outputs (one per slice), got %d", num, ctx.num_outputs());
  if (num > kMaxOutputs) return ctx.Fail(StatusCode::kUnsupported, "UNPACK into %d outputs", num);
  Shape s;
  for (int d = 0; d < rank; ++d)
    if (d != axis) s.dims[s.rank++] = input->shape.dims[d];
  for (int i = 0; i < num; ++i) {
    Tensor* out;
    EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, i, &out));
    EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, input, out));
    EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(out, s));
  }
  return Status::Ok();
}

Status Eval(OpContext& ctx) {
  const Tensor* input = ctx.input(0);
  const int32_t axis = Axis(ctx, input->shape.rank);
  const int n = ctx.num_outputs();
  const int64_t outer = input->shape.FlatSize(0, axis);
  const size_t block = static_cast<size_t>(input->shape.FlatSize(axis + 1, input->shape.rank)) *
                       DataTypeSize(input->type);
  uint8_t* outs[kMaxOutputs];
  size_t blocks[kMaxOutputs];
  for (int i = 0; i < n; ++i) {
    outs[i] = ctx.output(i)->data_as<uint8_t>();
    blocks[i] = block;
  }
  ref::Split(input->data_as<uint8_t>(), blocks, n, outer, outs);
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_UNPACK() {
  static const OpRegistration reg = {"UNPACK", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
