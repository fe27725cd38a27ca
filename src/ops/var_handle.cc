// VAR_HANDLE: outputs a resource handle (an int32 id) naming the resource
// variable (container, shared_name). The same pair gives the same id in
// every subgraph of the interpreter (src/runtime/resources.h). The handle
// tensor is stored persistently: its value never changes.
#include "src/ops/op_util.h"
#include "src/runtime/resources.h"
#include "src/runtime/subgraph.h"

namespace edgelite {
namespace ops {
namespace {

Status Init(OpContext& ctx) {
  const auto* o = Options<fb::VarHandleOptions>(ctx);
  const char* container = o && o->container() ? o->container()->c_str() : "";
  const char* shared_name = o && o->shared_name() ? o->shared_name()->c_str() : "";
  auto* id = ctx.AllocatePersistent<int32_t>();
  if (id == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
  *id = ctx.interpreter()->resources()->HandleId(container, shared_name);
  ctx.set_user_data(id);
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 0, 0, 1));
  Tensor* out;
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &out));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, out, DataType::kResource, "output"));
  if (out->allocation == Allocation::kConstant)
    return ctx.Invalid("output '%s' is a constant tensor", out->name);
  if (out->allocation != Allocation::kPersistent) {
    void* p = ctx.AllocatePersistent(sizeof(int32_t));
    if (p == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
    out->data = p;
    out->bytes = sizeof(int32_t);
    out->allocation = Allocation::kPersistent;
  }
  *out->data_as<int32_t>() = *static_cast<const int32_t*>(ctx.user_data());
  return ctx.ResizeOutput(out, Shape{});
}

Status Eval(OpContext& ctx) {
  *ctx.output(0)->data_as<int32_t>() = *static_cast<const int32_t*>(ctx.user_data());
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_VAR_HANDLE() {
  static const OpRegistration reg = {"VAR_HANDLE", Init, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
