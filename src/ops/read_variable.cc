// READ_VARIABLE: copies the current value of a resource variable (input 0,
// a handle from VAR_HANDLE) into the output. The value, and so the output's
// shape, can change at every Invoke: the output is dynamic.
#include <cstring>

#include "src/ops/op_util.h"
#include "src/runtime/resources.h"
#include "src/runtime/subgraph.h"

namespace edgelite {
namespace ops {
namespace {

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  Tensor *handle, *out;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &handle));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &out));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, handle, DataType::kResource, "handle"));
  if (out->allocation == Allocation::kConstant || out->allocation == Allocation::kPersistent)
    return ctx.Invalid("output '%s' is a constant or variable tensor", out->name);
  ctx.SetOutputDynamic(out);
  return Status::Ok();
}

Status Eval(OpContext& ctx) {
  const Tensor* handle = ctx.input(0);
  Tensor* out = ctx.output(0);
  if (handle->data == nullptr || handle->bytes < sizeof(int32_t))
    return ctx.Fail(StatusCode::kRuntimeError, "handle '%s' holds no resource id", handle->name);
  const int32_t id = *handle->data_as<int32_t>();
  ResourceStore::Variable* var = ctx.interpreter()->resources()->Find(id);
  if (var == nullptr)
    return ctx.Fail(StatusCode::kRuntimeError, "resource id %d does not name a variable", id);
  if (!var->assigned)
    return ctx.Fail(StatusCode::kFailedPrecondition,
                    "resource variable %d is read before any value was assigned to it", id);
  if (var->type != out->type)
    return ctx.Fail(StatusCode::kRuntimeError, "resource variable %d holds %s but output '%s' is %s",
                    id, DataTypeName(var->type), out->name, DataTypeName(out->type));
  out->shape = var->shape;
  EDGELITE_RETURN_IF_ERROR(ctx.subgraph()->ResizeTensorBytes(out, var->bytes));
  if (var->bytes > 0) memcpy(out->data, var->data.get(), var->bytes);
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_READ_VARIABLE() {
  static const OpRegistration reg = {"READ_VARIABLE", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
