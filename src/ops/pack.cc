// PACK: stacks values_count tensors of one shape along a new dim `axis`
// (in [-(rank+1), rank]). Type-agnostic.
#include "src/ops/data_movement_util.h"
#include "src/ops/op_util.h"
#include "src/ref/concatenation.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kMaxInputs = 256;

struct PackData {
  FoldState fold;  // first: MaybeFold reads it
  int32_t axis;
};

Status Init(OpContext& ctx) {
  auto* d = ctx.AllocatePersistent<PackData>();
  if (d == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
  ctx.set_user_data(d);
  return Status::Ok();
}

Status Run(OpContext& ctx) {
  const auto* d = static_cast<const PackData*>(ctx.user_data());
  const Tensor* in0 = ctx.input(0);
  const int n = ctx.num_inputs();
  const int64_t outer = in0->shape.FlatSize(0, d->axis);
  const size_t block =
      static_cast<size_t>(in0->shape.FlatSize(d->axis, in0->shape.rank)) * DataTypeSize(in0->type);
  // n <= kMaxInputs, checked in prepare.
  const uint8_t* ins[kMaxInputs];
  size_t blocks[kMaxInputs];
  for (int i = 0; i < n; ++i) {
    ins[i] = ctx.input(i)->data_as<uint8_t>();
    blocks[i] = block;
  }
  ref::Concatenate(ins, blocks, n, outer, ctx.output(0)->data_as<uint8_t>());
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  const auto* o = Options<fb::PackOptions>(ctx);
  const int n = ctx.num_inputs();
  if (n < 1 || n > kMaxInputs) return ctx.Fail(StatusCode::kUnsupported, "PACK of %d inputs", n);
  if (o && o->values_count() != n)
    return ctx.Invalid("values_count is %d but the op has %d inputs", o->values_count(), n);
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, n, n, 1));
  Tensor *in0, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &in0));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  ResetFoldedOutput(ctx, output);
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, in0, output));
  size_t elem = 0;
  EDGELITE_RETURN_IF_ERROR(ElementSize(ctx, in0, &elem));
  for (int i = 1; i < n; ++i) {
    Tensor* t;
    EDGELITE_RETURN_IF_ERROR(GetInput(ctx, i, &t));
    EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, in0, t));
    if (t->shape != in0->shape) {
      char a[96], b[96];
      return ctx.Invalid("input %d '%s' has shape %s; input 0 has %s", i, t->name,
                         t->shape.ToString(a, sizeof(a)), in0->shape.ToString(b, sizeof(b)));
    }
  }
  const int rank = in0->shape.rank;
  if (rank + 1 > kMaxRank)
    return ctx.Fail(StatusCode::kUnsupported, "output rank %d exceeds %d", rank + 1, kMaxRank);
  int32_t axis;
  if (!NormalizeAxis(o ? o->axis() : 0, rank + 1, &axis))
    return ctx.Invalid("axis %d is out of range for output rank %d", o ? o->axis() : 0, rank + 1);
  static_cast<PackData*>(ctx.user_data())->axis = axis;
  Shape s;
  s.rank = rank + 1;
  for (int d = 0, k = 0; d < s.rank; ++d) s.dims[d] = d == axis ? n : in0->shape.dims[k++];
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(output, s));
  return MaybeFold(ctx, output, Run);
}

Status Eval(OpContext& ctx) {
  if (IsFolded(ctx.output(0))) return Status::Ok();
  return Run(ctx);
}

}  // namespace

const OpRegistration* Register_PACK() {
  static const OpRegistration reg = {"PACK", Init, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
