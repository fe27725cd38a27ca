#include "src/ops/data_movement_util.h"

#include <cstdint>

#include "src/ops/op_util.h"

namespace edgelite {
namespace ops {

void ResetFoldedOutput(OpContext& ctx, Tensor* out) {
  if (ctx.phase() != Phase::kPrepare || !IsFolded(out)) return;
  out->allocation = Allocation::kNone;
  out->data = nullptr;
}

bool CanFold(OpContext& ctx, const Tensor* out) {
  if (ctx.phase() != Phase::kPrepare) return false;
  if (out->allocation != Allocation::kNone && !IsFolded(out)) return false;
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    const Tensor* t = ctx.input(i);
    if (t == nullptr) continue;
    if (t->is_variable) return false;
    if (t->allocation != Allocation::kConstant && t->allocation != Allocation::kPersistent)
      return false;
  }
  size_t bytes = 0;
  return DataTypeBytes(out->type, out->shape.NumElements(), &bytes) && bytes <= kMaxFoldBytes;
}

Status FoldOutput(OpContext& ctx, FoldState* state, Tensor* out) {
  size_t bytes = 0;
  if (!DataTypeBytes(out->type, out->shape.NumElements(), &bytes))
    return ctx.Fail(StatusCode::kInternal, "cannot fold output '%s' of type %s", out->name,
                    DataTypeName(out->type));
  if (state->buffer == nullptr || state->capacity < bytes) {
    state->buffer = ctx.AllocatePersistent(bytes);
    if (state->buffer == nullptr)
      return ctx.Fail(StatusCode::kResourceExhausted, "cannot allocate %zu bytes for '%s'", bytes,
                      out->name);
    state->capacity = bytes;
  }
  out->allocation = Allocation::kPersistent;
  out->data = state->buffer;
  out->bytes = bytes;
  return Status::Ok();
}

Status InitFoldState(OpContext& ctx) {
  auto* fold = ctx.AllocatePersistent<FoldState>();
  if (fold == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
  ctx.set_user_data(fold);
  return Status::Ok();
}

Status MaybeFold(OpContext& ctx, Tensor* out, Status (*run)(OpContext&)) {
  if (!CanFold(ctx, out)) return Status::Ok();
  EDGELITE_RETURN_IF_ERROR(FoldOutput(ctx, static_cast<FoldState*>(ctx.user_data()), out));
  return run(ctx);
}

Status PrepareDynamicOutputs(OpContext& ctx, Status (*prepare)(OpContext&)) {
  if (ctx.node().deferred) return Status::Ok();
  for (int i = 0; i < ctx.num_outputs(); ++i) {
    const Tensor* t = ctx.output(i);
    if (t && t->allocation == Allocation::kDynamic) return prepare(ctx);
  }
  return Status::Ok();
}

Status ElementSize(OpContext& ctx, const Tensor* t, size_t* size) {
  *size = DataTypeSize(t->type);
  if (*size == 0)
    return ctx.Fail(StatusCode::kUnsupported, "tensor '%s' has type %s, which this op cannot move",
                    t->name, DataTypeName(t->type));
  return Status::Ok();
}

Status CheckIndexType(OpContext& ctx, const Tensor* t, const char* what) {
  if (t->type != DataType::kInt32 && t->type != DataType::kInt64)
    return ctx.Fail(StatusCode::kUnsupported, "%s '%s' has type %s; expected int32 or int64", what,
                    t->name, DataTypeName(t->type));
  return Status::Ok();
}

Status ReadShapeValues(OpContext& ctx, const Tensor* t, const char* what, Shape* values) {
  EDGELITE_RETURN_IF_ERROR(CheckIndexType(ctx, t, what));
  if (t->shape.rank != 1)
    return ctx.Invalid("%s '%s' must be 1-D, has rank %d", what, t->name, t->shape.rank);
  const int64_t n = t->shape.NumElements();
  if (n > kMaxRank)
    return ctx.Fail(StatusCode::kUnsupported, "%s '%s' has %lld values; at most %d supported", what,
                    t->name, static_cast<long long>(n), kMaxRank);
  values->rank = static_cast<int32_t>(n);
  for (int64_t i = 0; i < n; ++i) {
    const int64_t v = ReadIndex(t, i);
    if (v < INT32_MIN || v > INT32_MAX)
      return ctx.Invalid("%s '%s' value %lld does not fit int32", what, t->name,
                         static_cast<long long>(v));
    values->dims[i] = static_cast<int32_t>(v);
  }
  return Status::Ok();
}

Status ReadScalarIndex(OpContext& ctx, const Tensor* t, const char* what, int64_t* value) {
  EDGELITE_RETURN_IF_ERROR(CheckIndexType(ctx, t, what));
  if (t->shape.NumElements() != 1)
    return ctx.Invalid("%s '%s' must hold exactly one value, has %lld", what, t->name,
                       static_cast<long long>(t->shape.NumElements()));
  *value = ReadIndex(t, 0);
  return Status::Ok();
}

}  // namespace ops
}  // namespace edgelite
