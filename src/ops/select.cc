// SELECT and SELECT_V2: out = condition ? x : y, elementwise.
//   SELECT     x and y have one shape; the condition has that shape too, or is
//              a scalar, or is rank 1 with one value per slice of x's first
//              dimension (TFLite's "low-rank condition").
//   SELECT_V2  condition, x and y broadcast together (NumPy rules).
// Pure data movement: any fixed-size element type (quantized tensors too).
#include <cstring>

#include "src/ops/op_util.h"
#include "src/ref/broadcast.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kCond = 0, kX = 1, kY = 2;

struct SelectData {
  // The condition's shape as the broadcast loop sees it (SELECT's rank-1
  // condition becomes [n, 1, ..., 1] so it applies to the leading dimension).
  Shape cond_shape;
};

template <bool kV2>
Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 3, 3, 1));
  Tensor *cond, *x, *y, *out;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kCond, &cond));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kX, &x));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kY, &y));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &out));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, cond, DataType::kBool, "condition"));
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, x, y));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, out, x->type, "output"));
  const size_t size = DataTypeSize(x->type);
  if (size != 1 && size != 2 && size != 4 && size != 8)
    return ctx.Fail(StatusCode::kUnsupported, "input '%s' has unsupported type %s", x->name,
                    DataTypeName(x->type));
  SelectData* data = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &data));
  char s0[96], s1[96], s2[96];
  data->cond_shape = cond->shape;
  Shape shape;
  if (kV2) {
    Shape xy;
    if (!BroadcastShapes(x->shape, y->shape, &xy) || !BroadcastShapes(cond->shape, xy, &shape))
      return ctx.Invalid("shapes %s (condition), %s (x), %s (y) do not broadcast",
                         cond->shape.ToString(s0, sizeof(s0)), x->shape.ToString(s1, sizeof(s1)),
                         y->shape.ToString(s2, sizeof(s2)));
  } else {
    if (x->shape != y->shape)
      return ctx.Invalid("x %s and y %s must have the same shape",
                         x->shape.ToString(s1, sizeof(s1)), y->shape.ToString(s2, sizeof(s2)));
    shape = x->shape;
    if (cond->shape != x->shape) {
      const bool scalar = cond->shape.rank == 0;
      const bool per_row =
          cond->shape.rank == 1 && x->shape.rank >= 1 && cond->shape[0] == x->shape[0];
      if (!scalar && !per_row)
        return ctx.Invalid(
            "condition %s must have the shape of x %s, be a scalar, or be rank 1 of size %d",
            cond->shape.ToString(s0, sizeof(s0)), x->shape.ToString(s1, sizeof(s1)),
            x->shape.rank >= 1 ? x->shape[0] : 0);
      if (per_row) {
        data->cond_shape = x->shape;
        for (int d = 1; d < x->shape.rank; ++d) data->cond_shape[d] = 1;
      }
    }
  }
  return ctx.ResizeOutput(out, shape);
}

template <typename T>
void SelectTyped(const Shape& cond_shape, const Tensor* cond, const Tensor* x, const Tensor* y,
                 Tensor* out) {
  // The condition is read as bytes (nonzero = true): defined for any byte a
  // caller may have written into a bool input.
  ref::BroadcastTernary(cond_shape, cond->data_as<uint8_t>(), x->shape, x->data_as<T>(),
                        y->shape, y->data_as<T>(), out->shape, out->data_as<T>(),
                        [](uint8_t c, T a, T b) { return c != 0 ? a : b; });
}

Status Eval(OpContext& ctx) {
  const auto* data = static_cast<const SelectData*>(ctx.user_data());
  const Tensor* cond = ctx.input(kCond);
  const Tensor* x = ctx.input(kX);
  const Tensor* y = ctx.input(kY);
  Tensor* out = ctx.output(0);
  // Elements are moved as same-sized unsigned integers: no type semantics needed.
  switch (DataTypeSize(x->type)) {
    case 1: SelectTyped<uint8_t>(data->cond_shape, cond, x, y, out); break;
    case 2: SelectTyped<uint16_t>(data->cond_shape, cond, x, y, out); break;
    case 4: SelectTyped<uint32_t>(data->cond_shape, cond, x, y, out); break;
    case 8: SelectTyped<uint64_t>(data->cond_shape, cond, x, y, out); break;
    default: return ctx.Fail(StatusCode::kInternal, "unexpected element size");
  }
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_SELECT() {
  static const OpRegistration reg = {"SELECT", nullptr, Prepare<false>, Eval};
  return &reg;
}

const OpRegistration* Register_SELECT_V2() {
  static const OpRegistration reg = {"SELECT_V2", nullptr, Prepare<true>, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
