// Helpers for ops that call other subgraphs: WHILE, IF, CALL_ONCE,
// STABLEHLO_COMPOSITE. The runtime side is Subgraph::PrepareAsCallee /
// InvokeAsCallee (src/runtime/subgraph.h): a called subgraph has its own
// arena, is prepared by the calling op with the shapes of the values it is
// passed, and refuses recursion.
//
// Values cross the call boundary by copy: caller tensors -> callee inputs
// before the call, callee outputs -> caller tensors after it.
#ifndef EDGELITE_OPS_SUBGRAPH_CALL_H_
#define EDGELITE_OPS_SUBGRAPH_CALL_H_

#include <cstdint>

#include "edgelite/op.h"
#include "edgelite/status.h"
#include "edgelite/tensor.h"
#include "src/runtime/subgraph.h"

namespace edgelite {
namespace ops {

// In init: marks subgraph `index` as called by an op (so the interpreter
// leaves it to its callers). Invalid indices are ignored here and reported
// by GetCallee in prepare.
void MarkCallee(OpContext& ctx, int32_t index);

// In prepare: the subgraph `index` that this op calls as its `role`
// ("body", "then", ...), checked: it exists, is not the primary subgraph and
// is not the op's own subgraph.
Status GetCallee(OpContext& ctx, int32_t index, const char* role, Subgraph** out);

// Prepares `callee` for the values `args` (see Subgraph::PrepareAsCallee);
// errors are prefixed with this op's label and the callee's role.
Status PrepareCallee(OpContext& ctx, Subgraph* callee, const char* role,
                     const Tensor* const* args, int num_args);

// Copies the value of `src` into `dst`, a tensor of subgraph `owner`. A
// dynamic `dst` takes src's shape and is (re)sized; any other `dst` must
// already have src's size. Types must match (checked by prepare).
Status CopyTensorValue(Subgraph* owner, Tensor* dst, const Tensor* src);

// Copies args into the callee's inputs, runs it. Call PrepareCallee first
// (it is cheap when shapes did not change).
Status RunCallee(OpContext& ctx, Subgraph* callee, const char* role, const Tensor* const* args,
                 int num_args);

// Copies the callee's outputs into this op's outputs [0, num_outputs).
Status CopyCalleeOutputs(OpContext& ctx, Subgraph* callee);

// After preparing the callees an op may run (one, or IF's two branches):
// checks that each has num_outputs outputs of the op's output types, then
// gives the op's outputs the callees' output shapes if those are static and
// agree, or marks them dynamic (sized at eval by CopyCalleeOutputs).
Status SetOutputsFromCallees(OpContext& ctx, Subgraph* const* callees, const char* const* roles,
                             int num_callees);

// Persistent array of this op's input tensors [first, num_inputs), all
// required (not absent optionals); allocated once per node.
Status CollectInputs(OpContext& ctx, int first, const Tensor*** out, int* count);

}  // namespace ops
}  // namespace edgelite

#endif  // EDGELITE_OPS_SUBGRAPH_CALL_H_
