// STABLEHLO_COMPOSITE: a named composite op (e.g. "odml.group_norm") whose
// meaning is given by a decomposition subgraph; edgelite runs that subgraph
// on the op's inputs. Options live in builtin_options_2
// (StableHLOCompositeOptions); the composite's name and attributes are not
// needed to run the decomposition.
#include "src/ops/op_util.h"
#include "src/ops/subgraph_call.h"

namespace edgelite {
namespace ops {
namespace {

struct CompositeData {
  const Tensor** args = nullptr;
  int num_args = 0;
};

const fb::StableHLOCompositeOptions* CompositeOptions(const OpContext& ctx) {
  return Options2<fb::StableHLOCompositeOptions>(ctx);
}

Status Init(OpContext& ctx) {
  if (const auto* o = CompositeOptions(ctx)) MarkCallee(ctx, o->decomposition_subgraph_index());
  return Status::Ok();
}

Status GetDecomposition(OpContext& ctx, Subgraph** sg) {
  const auto* o = CompositeOptions(ctx);
  if (o == nullptr) return ctx.Invalid("StableHLOCompositeOptions (builtin_options_2) are missing");
  return GetCallee(ctx, o->decomposition_subgraph_index(), "decomposition", sg);
}

Status Prepare(OpContext& ctx) {
  Subgraph* sg;
  EDGELITE_RETURN_IF_ERROR(GetDecomposition(ctx, &sg));
  auto* data = static_cast<CompositeData*>(ctx.user_data());
  if (data == nullptr) {
    data = ctx.AllocatePersistent<CompositeData>();
    if (data == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
    EDGELITE_RETURN_IF_ERROR(CollectInputs(ctx, 0, &data->args, &data->num_args));
    ctx.set_user_data(data);
  }
  EDGELITE_RETURN_IF_ERROR(PrepareCallee(ctx, sg, "decomposition", data->args, data->num_args));
  static const char* const kRole[1] = {"decomposition"};
  return SetOutputsFromCallees(ctx, &sg, kRole, 1);
}

Status Eval(OpContext& ctx) {
  Subgraph* sg;
  EDGELITE_RETURN_IF_ERROR(GetDecomposition(ctx, &sg));
  const auto* data = static_cast<const CompositeData*>(ctx.user_data());
  EDGELITE_RETURN_IF_ERROR(PrepareCallee(ctx, sg, "decomposition", data->args, data->num_args));
  EDGELITE_RETURN_IF_ERROR(RunCallee(ctx, sg, "decomposition", data->args, data->num_args));
  return CopyCalleeOutputs(ctx, sg);
}

}  // namespace

const OpRegistration* Register_STABLEHLO_COMPOSITE() {
  static const OpRegistration reg = {"STABLEHLO_COMPOSITE", Init, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
