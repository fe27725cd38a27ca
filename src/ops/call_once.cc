// CALL_ONCE: runs an initialization subgraph (no inputs, no outputs) the
// first time the op is evaluated in the interpreter's life, then does
// nothing. As in TFLite the "done" flag is per interpreter and per init
// subgraph (shared by every CALL_ONCE naming it) and survives
// ResetVariables; see src/runtime/resources.h.
#include "src/ops/op_util.h"
#include "src/ops/subgraph_call.h"
#include "src/runtime/resources.h"
#include "src/runtime/subgraph.h"

namespace edgelite {
namespace ops {
namespace {

Status Init(OpContext& ctx) {
  if (const auto* o = Options<fb::CallOnceOptions>(ctx)) MarkCallee(ctx, o->init_subgraph_index());
  return Status::Ok();
}

Status GetInitSubgraph(OpContext& ctx, Subgraph** sg) {
  const auto* o = Options<fb::CallOnceOptions>(ctx);
  if (o == nullptr) return ctx.Invalid("CallOnceOptions are missing");
  return GetCallee(ctx, o->init_subgraph_index(), "init", sg);
}

Status Prepare(OpContext& ctx) {
  Subgraph* init;
  EDGELITE_RETURN_IF_ERROR(GetInitSubgraph(ctx, &init));
  if (ctx.num_inputs() != 0 || ctx.num_outputs() != 0)
    return ctx.Invalid("expects no inputs and no outputs, has %d and %d", ctx.num_inputs(),
                       ctx.num_outputs());
  if (!init->inputs().empty() || !init->outputs().empty())
    return ctx.Invalid("init subgraph %d must have no inputs and no outputs (has %zu and %zu)",
                       init->index(), init->inputs().size(), init->outputs().size());
  if (ctx.interpreter()->resources()->initialized(init->index())) return Status::Ok();
  return PrepareCallee(ctx, init, "init", nullptr, 0);
}

Status Eval(OpContext& ctx) {
  Subgraph* init;
  EDGELITE_RETURN_IF_ERROR(GetInitSubgraph(ctx, &init));
  ResourceStore* store = ctx.interpreter()->resources();
  if (store->initialized(init->index())) return Status::Ok();
  EDGELITE_RETURN_IF_ERROR(PrepareCallee(ctx, init, "init", nullptr, 0));
  EDGELITE_RETURN_IF_ERROR(RunCallee(ctx, init, "init", nullptr, 0));
  store->MarkInitialized(init->index());
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_CALL_ONCE() {
  static const OpRegistration reg = {"CALL_ONCE", Init, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
