// IF: runs then_subgraph(args) or else_subgraph(args) depending on a bool
// condition (input 0); args are inputs 1..n-1. Both branches are prepared
// with the args' shapes; if their outputs have the same static shapes the
// node's outputs are planned statically, otherwise they are dynamic.
#include "src/ops/op_util.h"
#include "src/ops/subgraph_call.h"

namespace edgelite {
namespace ops {
namespace {

struct IfData {
  const Tensor** args = nullptr;
  int num_args = 0;
};

Status Init(OpContext& ctx) {
  if (const auto* o = Options<fb::IfOptions>(ctx)) {
    MarkCallee(ctx, o->then_subgraph_index());
    MarkCallee(ctx, o->else_subgraph_index());
  }
  return Status::Ok();
}

Status GetBranches(OpContext& ctx, Subgraph** then_sg, Subgraph** else_sg) {
  const auto* o = Options<fb::IfOptions>(ctx);
  if (o == nullptr) return ctx.Invalid("IfOptions are missing");
  EDGELITE_RETURN_IF_ERROR(GetCallee(ctx, o->then_subgraph_index(), "then", then_sg));
  return GetCallee(ctx, o->else_subgraph_index(), "else", else_sg);
}

Status Prepare(OpContext& ctx) {
  Subgraph* branches[2];
  EDGELITE_RETURN_IF_ERROR(GetBranches(ctx, &branches[0], &branches[1]));
  if (ctx.num_inputs() < 1) return ctx.Invalid("expects a condition input");
  Tensor* cond;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &cond));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, cond, DataType::kBool, "condition"));
  if (cond->shape.NumElements() != 1)
    return ctx.Invalid("condition '%s' must hold exactly 1 element, has %lld", cond->name,
                       static_cast<long long>(cond->shape.NumElements()));
  auto* data = static_cast<IfData*>(ctx.user_data());
  if (data == nullptr) {
    data = ctx.AllocatePersistent<IfData>();
    if (data == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
    EDGELITE_RETURN_IF_ERROR(CollectInputs(ctx, 1, &data->args, &data->num_args));
    ctx.set_user_data(data);
  }
  static const char* const kRoles[2] = {"then", "else"};
  for (int b = 0; b < 2; ++b)
    EDGELITE_RETURN_IF_ERROR(PrepareCallee(ctx, branches[b], kRoles[b], data->args,
                                           data->num_args));
  return SetOutputsFromCallees(ctx, branches, kRoles, 2);
}

Status Eval(OpContext& ctx) {
  Subgraph *then_sg, *else_sg;
  EDGELITE_RETURN_IF_ERROR(GetBranches(ctx, &then_sg, &else_sg));
  const auto* data = static_cast<const IfData*>(ctx.user_data());
  const bool c = *static_cast<const uint8_t*>(ctx.input(0)->data) != 0;
  Subgraph* branch = c ? then_sg : else_sg;
  const char* role = c ? "then" : "else";
  // A no-op unless another caller re-prepared the branch with other shapes.
  EDGELITE_RETURN_IF_ERROR(PrepareCallee(ctx, branch, role, data->args, data->num_args));
  EDGELITE_RETURN_IF_ERROR(RunCallee(ctx, branch, role, data->args, data->num_args));
  return CopyCalleeOutputs(ctx, branch);
}

}  // namespace

const OpRegistration* Register_IF() {
  static const OpRegistration reg = {"IF", Init, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
