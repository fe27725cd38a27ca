// ASSIGN_VARIABLE: stores a copy of input 1 (type, shape and values) in the
// resource variable named by input 0 (a handle from VAR_HANDLE), creating
// its value on first assignment. Storage is reserved in prepare when the
// value's size is known then, so a steady-state Invoke does not allocate.
#include "src/ops/op_util.h"
#include "src/runtime/resources.h"
#include "src/runtime/subgraph.h"

namespace edgelite {
namespace ops {
namespace {

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 0));
  Tensor *handle, *value;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &handle));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 1, &value));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, handle, DataType::kResource, "handle"));
  if (value->type == DataType::kResource || value->type == DataType::kVariant)
    return ctx.Fail(StatusCode::kUnsupported, "cannot assign a %s value to a resource variable",
                    DataTypeName(value->type));
  size_t bytes = 0;
  if (ctx.HasData(handle) && handle->data != nullptr && handle->bytes >= sizeof(int32_t) &&
      value->allocation != Allocation::kDynamic &&
      DataTypeBytes(value->type, value->shape.NumElements(), &bytes)) {
    const int32_t id = *handle->data_as<int32_t>();
    if (ctx.interpreter()->resources()->Find(id) != nullptr) {
      Status s = ctx.interpreter()->resources()->Reserve(id, bytes);
      if (!s.ok()) return s.WithContext(ctx.subgraph()->NodeLabel(ctx.node()));
    }
  }
  return Status::Ok();
}

Status Eval(OpContext& ctx) {
  const Tensor* handle = ctx.input(0);
  const Tensor* value = ctx.input(1);
  if (handle->data == nullptr || handle->bytes < sizeof(int32_t))
    return ctx.Fail(StatusCode::kRuntimeError, "handle '%s' holds no resource id", handle->name);
  const int32_t id = *handle->data_as<int32_t>();
  Status s = ctx.interpreter()->resources()->Assign(id, *value);
  if (!s.ok()) return s.WithContext(ctx.subgraph()->NodeLabel(ctx.node()));
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_ASSIGN_VARIABLE() {
  static const OpRegistration reg = {"ASSIGN_VARIABLE", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
