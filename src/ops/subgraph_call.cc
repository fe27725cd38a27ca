#include "src/ops/subgraph_call.h"

#include <cstring>
#include <string>

#include "edgelite/interpreter.h"

namespace edgelite {
namespace ops {

void MarkCallee(OpContext& ctx, int32_t index) {
  Interpreter* interp = ctx.interpreter();
  if (index <= 0 || index >= interp->num_subgraphs()) return;
  if (index == ctx.subgraph()->index()) return;
  interp->subgraph(index)->MarkCallee();
}

Status GetCallee(OpContext& ctx, int32_t index, const char* role, Subgraph** out) {
  Interpreter* interp = ctx.interpreter();
  if (index < 0 || index >= interp->num_subgraphs())
    return ctx.Invalid("%s subgraph index %d is out of range (the model has %d subgraphs)", role,
                       index, interp->num_subgraphs());
  if (index == 0)
    return ctx.Invalid("%s subgraph index is 0, the primary subgraph, which cannot be called",
                       role);
  if (index == ctx.subgraph()->index())
    return ctx.Invalid("%s subgraph %d is the op's own subgraph (recursion is not supported)",
                       role, index);
  *out = interp->subgraph(index);
  return Status::Ok();
}

Status PrepareCallee(OpContext& ctx, Subgraph* callee, const char* role,
                     const Tensor* const* args, int num_args) {
  Status s = callee->PrepareAsCallee(args, num_args);
  if (s.ok()) return s;
  return s.WithContext(ctx.subgraph()->NodeLabel(ctx.node()) + ": " + role + " subgraph " +
                       std::to_string(callee->index()));
}

Status CopyTensorValue(Subgraph* owner, Tensor* dst, const Tensor* src) {
  if (dst == src) return Status::Ok();
  if (dst->allocation == Allocation::kDynamic) {
    dst->shape = src->shape;
    EDGELITE_RETURN_IF_ERROR(owner->ResizeTensorBytes(dst, src->bytes));
  } else if (dst->bytes != src->bytes || dst->data == nullptr) {
    return Status::Error(StatusCode::kInternal,
                         "copying tensor '%s' (%zu bytes) into '%s' (%zu bytes): sizes differ",
                         src->name, src->bytes, dst->name, dst->bytes);
  }
  if (src->bytes > 0) memmove(dst->data, src->data, src->bytes);
  return Status::Ok();
}

Status RunCallee(OpContext& ctx, Subgraph* callee, const char* role, const Tensor* const* args,
                 int num_args) {
  const auto& ins = callee->inputs();
  Status s;
  for (int i = 0; i < num_args && s.ok(); ++i)
    s = CopyTensorValue(callee, callee->tensor(ins[i]), args[i]);
  if (s.ok()) s = callee->InvokeAsCallee();
  if (s.ok()) return s;
  return s.WithContext(ctx.subgraph()->NodeLabel(ctx.node()) + ": " + role + " subgraph " +
                       std::to_string(callee->index()));
}

Status CopyCalleeOutputs(OpContext& ctx, Subgraph* callee) {
  const auto& outs = callee->outputs();
  for (int i = 0; i < ctx.num_outputs(); ++i) {
    Status s = CopyTensorValue(ctx.subgraph(), ctx.output(i), callee->tensor(outs[i]));
    if (!s.ok()) return s.WithContext(ctx.subgraph()->NodeLabel(ctx.node()));
  }
  return Status::Ok();
}

Status SetOutputsFromCallees(OpContext& ctx, Subgraph* const* callees, const char* const* roles,
                             int num_callees) {
  const int n = ctx.num_outputs();
  bool dynamic = false;
  for (int c = 0; c < num_callees; ++c) {
    Subgraph* sg = callees[c];
    if (static_cast<int>(sg->outputs().size()) != n)
      return ctx.Invalid("%s subgraph %d has %zu outputs but the op has %d", roles[c], sg->index(),
                         sg->outputs().size(), n);
    for (int i = 0; i < n; ++i) {
      Tensor* out = ctx.output(i);
      const Tensor* so = sg->tensor(sg->outputs()[i]);
      if (out == nullptr) return ctx.Invalid("output %d is missing", i);
      if (so == nullptr)
        return ctx.Invalid("%s subgraph %d: output %d is missing", roles[c], sg->index(), i);
      if (so->type != out->type)
        return ctx.Invalid("output %d ('%s') has type %s but %s subgraph %d produces %s", i,
                           out->name, DataTypeName(out->type), roles[c], sg->index(),
                           DataTypeName(so->type));
      if (so->allocation == Allocation::kDynamic && so->type != DataType::kString) dynamic = true;
      const Tensor* first = callees[0]->tensor(callees[0]->outputs()[i]);
      if (so->shape != first->shape) dynamic = true;
    }
  }
  for (int i = 0; i < n; ++i) {
    Tensor* out = ctx.output(i);
    if (dynamic) {
      ctx.SetOutputDynamic(out);
    } else {
      const Tensor* so = callees[0]->tensor(callees[0]->outputs()[i]);
      EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(out, so->shape));
    }
  }
  return Status::Ok();
}

Status CollectInputs(OpContext& ctx, int first, const Tensor*** out, int* count) {
  const int n = ctx.num_inputs() - first;
  if (n < 0) return ctx.Invalid("expects at least %d inputs, got %d", first, ctx.num_inputs());
  auto** arr = static_cast<const Tensor**>(ctx.AllocatePersistent(sizeof(Tensor*) * (n ? n : 1)));
  if (arr == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
  for (int i = 0; i < n; ++i) {
    arr[i] = ctx.input(first + i);
    if (arr[i] == nullptr) return ctx.Invalid("input %d is missing (absent optional)", first + i);
  }
  *out = arr;
  *count = n;
  return Status::Ok();
}

}  // namespace ops
}  // namespace edgelite
