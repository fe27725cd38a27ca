// WHILE: loop variables = the node's inputs; while cond(vars) is true,
// vars = body(vars); the node's outputs are the final vars.
//
// The loop state lives in the node's output tensors: they take the inputs'
// values first, then each iteration copies them into cond's / body's inputs
// and body's outputs back. If the body keeps every shape, the outputs are
// planned statically; otherwise (or if the body has dynamic outputs) they are
// dynamic and the callees are re-prepared whenever the shapes change.
#include "src/ops/op_util.h"
#include "src/ops/subgraph_call.h"

namespace edgelite {
namespace ops {
namespace {

struct WhileData {
  const Tensor** inputs = nullptr;   // the node's inputs (n)
  const Tensor** outputs = nullptr;  // the node's outputs (n): the loop state
  int n = 0;
};

Status Init(OpContext& ctx) {
  if (const auto* o = Options<fb::WhileOptions>(ctx)) {
    MarkCallee(ctx, o->cond_subgraph_index());
    MarkCallee(ctx, o->body_subgraph_index());
  }
  return Status::Ok();
}

Status GetCallees(OpContext& ctx, Subgraph** cond, Subgraph** body) {
  const auto* o = Options<fb::WhileOptions>(ctx);
  if (o == nullptr) return ctx.Invalid("WhileOptions are missing");
  EDGELITE_RETURN_IF_ERROR(GetCallee(ctx, o->cond_subgraph_index(), "cond", cond));
  return GetCallee(ctx, o->body_subgraph_index(), "body", body);
}

Status Prepare(OpContext& ctx) {
  Subgraph *cond, *body;
  EDGELITE_RETURN_IF_ERROR(GetCallees(ctx, &cond, &body));
  const int n = ctx.num_inputs();
  if (ctx.num_outputs() != n)
    return ctx.Invalid("has %d inputs but %d outputs; they must match (loop variables)", n,
                       ctx.num_outputs());
  auto* data = static_cast<WhileData*>(ctx.user_data());
  if (data == nullptr) {
    data = ctx.AllocatePersistent<WhileData>();
    if (data == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
    int count = 0;
    EDGELITE_RETURN_IF_ERROR(CollectInputs(ctx, 0, &data->inputs, &count));
    data->outputs =
        static_cast<const Tensor**>(ctx.AllocatePersistent(sizeof(Tensor*) * (n ? n : 1)));
    if (data->outputs == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
    data->n = n;
    ctx.set_user_data(data);
  }
  for (int i = 0; i < n; ++i) {
    Tensor *in, *out;
    EDGELITE_RETURN_IF_ERROR(GetInput(ctx, i, &in));
    EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, i, &out));
    if (in->type != out->type)
      return ctx.Invalid("loop variable %d: input '%s' is %s but output '%s' is %s", i, in->name,
                         DataTypeName(in->type), out->name, DataTypeName(out->type));
    data->outputs[i] = out;
  }
  if (cond->outputs().size() != 1)
    return ctx.Invalid("cond subgraph %d must have exactly 1 output, has %zu", cond->index(),
                       cond->outputs().size());
  if (static_cast<int>(body->outputs().size()) != n)
    return ctx.Invalid("body subgraph %d has %zu outputs; expected %d (loop variables)",
                       body->index(), body->outputs().size(), n);

  EDGELITE_RETURN_IF_ERROR(PrepareCallee(ctx, cond, "cond", data->inputs, n));
  const Tensor* c = cond->tensor(cond->outputs()[0]);
  if (c == nullptr || c->type != DataType::kBool)
    return ctx.Invalid("cond subgraph %d must output a bool, not %s", cond->index(),
                       c ? DataTypeName(c->type) : "nothing");
  if (c->allocation != Allocation::kDynamic && c->shape.NumElements() != 1)
    return ctx.Invalid("cond subgraph %d must output a single bool, has %lld elements",
                       cond->index(), static_cast<long long>(c->shape.NumElements()));

  EDGELITE_RETURN_IF_ERROR(PrepareCallee(ctx, body, "body", data->inputs, n));
  bool dynamic = false;
  for (int i = 0; i < n; ++i) {
    const Tensor* bo = body->tensor(body->outputs()[i]);
    if (bo == nullptr) return ctx.Invalid("body subgraph %d: output %d is missing", body->index(), i);
    if (bo->type != data->inputs[i]->type)
      return ctx.Invalid("loop variable %d is %s but body subgraph %d outputs %s", i,
                         DataTypeName(data->inputs[i]->type), body->index(),
                         DataTypeName(bo->type));
    if (bo->type != DataType::kString &&
        (bo->allocation == Allocation::kDynamic || bo->shape != data->inputs[i]->shape))
      dynamic = true;
  }
  for (int i = 0; i < n; ++i) {
    Tensor* out = ctx.output(i);
    if (dynamic)
      ctx.SetOutputDynamic(out);
    else
      EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(out, data->inputs[i]->shape));
  }
  return Status::Ok();
}

Status Eval(OpContext& ctx) {
  Subgraph *cond, *body;
  EDGELITE_RETURN_IF_ERROR(GetCallees(ctx, &cond, &body));
  auto* data = static_cast<WhileData*>(ctx.user_data());
  const int n = data->n;
  for (int i = 0; i < n; ++i) {
    Status s = CopyTensorValue(ctx.subgraph(), ctx.output(i), data->inputs[i]);
    if (!s.ok()) return s.WithContext(ctx.subgraph()->NodeLabel(ctx.node()));
  }
  for (;;) {
    // Re-prepares only if the loop variables changed shape since the last call.
    EDGELITE_RETURN_IF_ERROR(PrepareCallee(ctx, cond, "cond", data->outputs, n));
    EDGELITE_RETURN_IF_ERROR(RunCallee(ctx, cond, "cond", data->outputs, n));
    const Tensor* c = cond->tensor(cond->outputs()[0]);
    if (c->type != DataType::kBool || c->shape.NumElements() < 1 || c->data == nullptr)
      return ctx.Fail(StatusCode::kRuntimeError, "cond subgraph %d did not produce a bool",
                      cond->index());
    if (*static_cast<const uint8_t*>(c->data) == 0) break;
    EDGELITE_RETURN_IF_ERROR(PrepareCallee(ctx, body, "body", data->outputs, n));
    EDGELITE_RETURN_IF_ERROR(RunCallee(ctx, body, "body", data->outputs, n));
    EDGELITE_RETURN_IF_ERROR(CopyCalleeOutputs(ctx, body));
  }
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_WHILE() {
  static const OpRegistration reg = {"WHILE", Init, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
