// RANGE: [start, start + delta, ...) up to (excluding) limit; scalars of one
// type (int32, int64 or float32). Length ceil(|limit - start| / |delta|); the
// values accumulate value += delta as TFLite does (matters for float).
// Non-constant operands make the output dynamic.
#include <cmath>
#include <cstdlib>

#include "src/ops/data_movement_util.h"
#include "src/ops/op_util.h"

namespace edgelite {
namespace ops {
namespace {

template <typename T>
Status Size(OpContext& ctx, T start, T limit, T delta, int64_t* n) {
  if (delta == T(0)) return ctx.Invalid("delta is 0");
  if (!((start >= limit && delta < 0) || (start <= limit && delta > 0)))
    return ctx.Invalid("delta has the wrong sign to go from start to limit");
  double v;
  if (std::is_integral<T>::value) {
    const double span = std::fabs(static_cast<double>(limit) - static_cast<double>(start));
    v = std::ceil(span / std::fabs(static_cast<double>(delta)));
  } else {
    v = std::ceil(std::fabs(static_cast<double>((limit - start) / delta)));
  }
  if (!(v <= INT32_MAX)) return ctx.Invalid("range is too long");
  *n = static_cast<int64_t>(v);
  return Status::Ok();
}

template <typename T>
void Fill(const Tensor* start, const Tensor* delta, Tensor* out) {
  T value = *start->data_as<T>();
  const T d = *delta->data_as<T>();
  T* y = out->data_as<T>();
  for (int64_t i = 0, n = out->num_elements(); i < n; ++i) {
    y[i] = value;
    value += d;
  }
}

Status Run(OpContext& ctx) {
  Tensor* out = ctx.output(0);
  if (out->type == DataType::kInt32)
    Fill<int32_t>(ctx.input(0), ctx.input(2), out);
  else if (out->type == DataType::kInt64)
    Fill<int64_t>(ctx.input(0), ctx.input(2), out);
  else
    Fill<float>(ctx.input(0), ctx.input(2), out);
  return Status::Ok();
}

template <typename T>
Status SizeOf(OpContext& ctx, int64_t* n) {
  return Size<T>(ctx, *ctx.input(0)->data_as<T>(), *ctx.input(1)->data_as<T>(),
                 *ctx.input(2)->data_as<T>(), n);
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 3, 3, 1));
  Tensor *start, *limit, *delta, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &start));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 1, &limit));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 2, &delta));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  ResetFoldedOutput(ctx, output);
  if (start->type != DataType::kInt32 && start->type != DataType::kInt64 &&
      start->type != DataType::kFloat32)
    return ctx.Fail(StatusCode::kUnsupported, "RANGE of type %s", DataTypeName(start->type));
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, start, limit));
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, start, delta));
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, start, output));
  for (const Tensor* t : {start, limit, delta})
    if (t->shape.NumElements() != 1) return ctx.Invalid("'%s' must be a scalar", t->name);
  if (!ctx.HasData(start) || !ctx.HasData(limit) || !ctx.HasData(delta)) {
    ctx.SetOutputDynamic(output);
    return Status::Ok();
  }
  int64_t n = 0;
  if (start->type == DataType::kInt32)
    EDGELITE_RETURN_IF_ERROR(SizeOf<int32_t>(ctx, &n));
  else if (start->type == DataType::kInt64)
    EDGELITE_RETURN_IF_ERROR(SizeOf<int64_t>(ctx, &n));
  else
    EDGELITE_RETURN_IF_ERROR(SizeOf<float>(ctx, &n));
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(output, Shape{static_cast<int32_t>(n)}));
  return MaybeFold(ctx, output, Run);
}

Status Eval(OpContext& ctx) {
  if (IsFolded(ctx.output(0))) return Status::Ok();
  EDGELITE_RETURN_IF_ERROR(PrepareDynamicOutputs(ctx, Prepare));
  return Run(ctx);
}

}  // namespace

const OpRegistration* Register_RANGE() {
  static const OpRegistration reg = {"RANGE", InitFoldState, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
