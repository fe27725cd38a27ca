// SPLIT (inputs: axis, value) and SPLIT_V (inputs: value, size_splits, axis):
// cut a tensor along `axis` into num_splits pieces, equal for SPLIT, of the
// given sizes for SPLIT_V (one size may be -1: the remainder). A non-constant
// axis or size_splits makes the outputs dynamic. Type-agnostic.
#include "src/ops/data_movement_util.h"
#include "src/ops/op_util.h"
#include "src/ref/concatenation.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kMaxOutputs = 256;

struct SplitLayout {
  int32_t axis;
  int32_t sizes[kMaxOutputs];
};

struct Operands {
  Tensor* input;
  Tensor* axis;
  Tensor* sizes;  // SPLIT_V only
};

Status GetOperands(OpContext& ctx, bool split_v, Operands* ops) {
  ops->sizes = nullptr;
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, split_v ? 3 : 2, split_v ? 3 : 2, -1));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, split_v ? 0 : 1, &ops->input));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, split_v ? 2 : 0, &ops->axis));
  if (split_v) EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 1, &ops->sizes));
  return Status::Ok();
}

// Needs the values of axis (and sizes).
Status Layout(OpContext& ctx, const Operands& ops, SplitLayout* l) {
  const int n = ctx.num_outputs();
  const int rank = ops.input->shape.rank;
  int64_t axis;
  EDGELITE_RETURN_IF_ERROR(ReadScalarIndex(ctx, ops.axis, "axis", &axis));
  if (axis < -rank || axis >= rank)
    return ctx.Invalid("axis %lld is out of range for rank %d", static_cast<long long>(axis), rank);
  l->axis = static_cast<int32_t>(axis < 0 ? axis + rank : axis);
  const int32_t dim = ops.input->shape.dims[l->axis];
  if (ops.sizes == nullptr) {
    if (dim % n != 0)
      return ctx.Invalid("dim %d of size %d does not split into %d equal parts", l->axis, dim, n);
    for (int i = 0; i < n; ++i) l->sizes[i] = dim / n;
    return Status::Ok();
  }
  if (ops.sizes->shape.rank != 1 || ops.sizes->shape.dims[0] != n)
    return ctx.Invalid("size_splits '%s' must be 1-D with %d entries", ops.sizes->name, n);
  int64_t sum = 0;
  int stretch = -1;
  for (int i = 0; i < n; ++i) {
    const int64_t v = ReadIndex(ops.sizes, i);
    if (v == -1) {
      if (stretch >= 0) return ctx.Invalid("size_splits has more than one -1");
      stretch = i;
      continue;
    }
    if (v < 0 || v > dim) return ctx.Invalid("size_splits[%d] = %lld is invalid", i,
                                             static_cast<long long>(v));
    l->sizes[i] = static_cast<int32_t>(v);
    sum += v;
  }
  if (stretch >= 0) {
    if (sum > dim) return ctx.Invalid("size_splits add up to %lld > %d", (long long)sum, dim);
    l->sizes[stretch] = static_cast<int32_t>(dim - sum);
    sum = dim;
  }
  if (sum != dim)
    return ctx.Invalid("size_splits add up to %lld, not the dim size %d",
                       static_cast<long long>(sum), dim);
  return Status::Ok();
}

Status PrepareImpl(OpContext& ctx, bool split_v) {
  Operands ops;
  EDGELITE_RETURN_IF_ERROR(GetOperands(ctx, split_v, &ops));
  const int n = ctx.num_outputs();
  if (n < 1 || n > kMaxOutputs) return ctx.Fail(StatusCode::kUnsupported, "%d outputs", n);
  if (split_v) {
    if (const auto* o = Options<fb::SplitVOptions>(ctx); o && o->num_splits() != n)
      return ctx.Invalid("num_splits is %d but the op has %d outputs", o->num_splits(), n);
    EDGELITE_RETURN_IF_ERROR(CheckIndexType(ctx, ops.sizes, "size_splits"));
  } else {
    if (const auto* o = Options<fb::SplitOptions>(ctx); o && o->num_splits() != n)
      return ctx.Invalid("num_splits is %d but the op has %d outputs", o->num_splits(), n);
  }
  EDGELITE_RETURN_IF_ERROR(CheckIndexType(ctx, ops.axis, "axis"));
  size_t elem = 0;
  EDGELITE_RETURN_IF_ERROR(ElementSize(ctx, ops.input, &elem));
  if (ops.input->shape.rank < 1)
    return ctx.Invalid("input '%s' must have rank >= 1", ops.input->name);
  for (int i = 0; i < n; ++i) {
    Tensor* out;
    EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, i, &out));
    EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, ops.input, out));
  }
  if (!ctx.HasData(ops.axis) || (ops.sizes && !ctx.HasData(ops.sizes))) {
    for (int i = 0; i < n; ++i) ctx.SetOutputDynamic(ctx.output(i));
    return Status::Ok();
  }
  SplitLayout l;
  EDGELITE_RETURN_IF_ERROR(Layout(ctx, ops, &l));
  for (int i = 0; i < n; ++i) {
    Shape s = ops.input->shape;
    s.dims[l.axis] = l.sizes[i];
    EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(ctx.output(i), s));
  }
  return Status::Ok();
}

Status EvalImpl(OpContext& ctx, bool split_v, Status (*prepare)(OpContext&)) {
  EDGELITE_RETURN_IF_ERROR(PrepareDynamicOutputs(ctx, prepare));
  Operands ops;
  EDGELITE_RETURN_IF_ERROR(GetOperands(ctx, split_v, &ops));
  SplitLayout l;
  EDGELITE_RETURN_IF_ERROR(Layout(ctx, ops, &l));
  const int n = ctx.num_outputs();
  const Shape& in = ops.input->shape;
  const int64_t outer = in.FlatSize(0, l.axis);
  const size_t row = static_cast<size_t>(in.FlatSize(l.axis + 1, in.rank)) *
                     DataTypeSize(ops.input->type);
  uint8_t* outs[kMaxOutputs];
  size_t blocks[kMaxOutputs];
  for (int i = 0; i < n; ++i) {
    outs[i] = ctx.output(i)->data_as<uint8_t>();
    blocks[i] = row * l.sizes[i];
  }
  ref::Split(ops.input->data_as<uint8_t>(), blocks, n, outer, outs);
  return Status::Ok();
}

Status PrepareSplit(OpContext& ctx) { return PrepareImpl(ctx, false); }
Status PrepareSplitV(OpContext& ctx) { return PrepareImpl(ctx, true); }
Status EvalSplit(OpContext& ctx) { return EvalImpl(ctx, false, PrepareSplit); }
Status EvalSplitV(OpContext& ctx) { return EvalImpl(ctx, true, PrepareSplitV); }

}  // namespace

const OpRegistration* Register_SPLIT() {
  static const OpRegistration reg = {"SPLIT", nullptr, PrepareSplit, EvalSplit};
  return &reg;
}

const OpRegistration* Register_SPLIT_V() {
  static const OpRegistration reg = {"SPLIT_V", nullptr, PrepareSplitV, EvalSplitV};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
