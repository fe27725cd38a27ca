// Helpers shared by the data-movement and shape ops (RESHAPE, SLICE, GATHER,
// PACK, SHAPE, ...): reading small integer "shape" tensors, element sizes, and
// prepare-time folding of outputs whose inputs are all known before Invoke.
//
// Folding: TFLite computes ops such as SHAPE, STRIDED_SLICE or PACK in Prepare
// when all their inputs are constants (or were themselves computed in
// Prepare), and hands their outputs to later ops as read-only data. That keeps
// shape arithmetic (SHAPE -> STRIDED_SLICE -> PACK -> RESHAPE) static, so the
// RESHAPE sees a known shape and its output needs no dynamic allocation.
// Here a folded output is a tensor with Allocation::kPersistent (and not a
// variable): OpContext::HasData() is true for it in prepare. Ops that fold:
//   Prepare:  ResetFoldedOutput(ctx, out)            (first thing, every prepare)
//             ... validate, ctx.ResizeOutput(out, shape) ...
//             if (CanFold(ctx, out)) { FoldOutput(ctx, &state, out); run kernel; }
//   Eval:     if (IsFolded(out)) return Status::Ok();
#ifndef EDGELITE_OPS_DATA_MOVEMENT_UTIL_H_
#define EDGELITE_OPS_DATA_MOVEMENT_UTIL_H_

#include <cstddef>
#include <cstdint>

#include "edgelite/op.h"
#include "edgelite/status.h"
#include "edgelite/tensor.h"

namespace edgelite {
namespace ops {

// Outputs larger than this are never folded (they would duplicate memory in
// the persistent area); shape arithmetic is a few dozen bytes.
constexpr size_t kMaxFoldBytes = 16 * 1024;

// Storage of one folded output, reused across AllocateTensors calls.
struct FoldState {
  void* buffer = nullptr;
  size_t capacity = 0;
};

// True if `t` holds values computed in prepare (see above).
inline bool IsFolded(const Tensor* t) {
  return t->allocation == Allocation::kPersistent && !t->is_variable;
}
// At the start of prepare: an output folded by an earlier AllocateTensors is
// turned back into an ordinary (planned) tensor; the op decides anew.
void ResetFoldedOutput(OpContext& ctx, Tensor* out);
// True in the prepare phase when every present input is a constant or a folded
// tensor (never a variable) and `out` (already resized) is small.
bool CanFold(OpContext& ctx, const Tensor* out);
// Gives `out` persistent storage for its current shape; the caller then
// computes its values.
Status FoldOutput(OpContext& ctx, FoldState* state, Tensor* out);
// An init function for ops whose only state is one FoldState (as user_data).
Status InitFoldState(OpContext& ctx);
// If CanFold(ctx, out): folds `out` and runs `run` (the op's kernel) now. The
// node's user_data must point to (a struct starting with) a FoldState.
Status MaybeFold(OpContext& ctx, Tensor* out, Status (*run)(OpContext&));

// For ops whose prepare may call ctx.SetOutputDynamic: at eval, runs
// `prepare` again (HasData is true for everything then) unless the runtime
// already did so for a deferred node, so dynamic outputs get shape and storage.
Status PrepareDynamicOutputs(OpContext& ctx, Status (*prepare)(OpContext&));

// Bytes per element of a type these ops can move, or an kUnsupported error
// (strings, resources, sub-byte types).
Status ElementSize(OpContext& ctx, const Tensor* t, size_t* size);

// The tensor must be int32 or int64.
Status CheckIndexType(OpContext& ctx, const Tensor* t, const char* what);

// Reads a 1-D (or scalar, if allow_scalar) int32/int64 tensor of at most
// kMaxRank values as a shape vector. Values must fit int32; their sign is
// not checked (callers give -1 its meaning). Only call when ctx.HasData(t).
Status ReadShapeValues(OpContext& ctx, const Tensor* t, const char* what, Shape* values);

// Reads a scalar (or one-element) int32/int64 tensor.
Status ReadScalarIndex(OpContext& ctx, const Tensor* t, const char* what, int64_t* value);

}  // namespace ops
}  // namespace edgelite

#endif  // EDGELITE_OPS_DATA_MOVEMENT_UTIL_H_
