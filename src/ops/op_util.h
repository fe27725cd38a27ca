// Helpers shared by op implementations: typed options, checks with
// actionable messages, activation ranges, padding, broadcasting.
#ifndef EDGELITE_OPS_OP_UTIL_H_
#define EDGELITE_OPS_OP_UTIL_H_

#include <cstdint>

#include "edgelite/op.h"
#include "edgelite/status.h"
#include "edgelite/tensor.h"
#include "schema/tflite_generated.h"

namespace edgelite {
namespace ops {

inline const fb::Operator* FbOp(const OpContext& ctx) {
  return static_cast<const fb::Operator*>(ctx.op());
}

// Verifies an options table (T::Verify through `verify`) unless the node's
// options_state already has `verified_bit`. On failure it sets
// kOptionsMalformed in the node's options_state (the runtime then fails the
// init, prepare or eval that read it with an error naming the op) and returns
// false. Not inline: one copy of the verifier set-up for all option types.
bool VerifyOptionsTable(const OpContext& ctx, const void* table, uint8_t verified_bit,
                        bool (*verify)(const void* table, flatbuffers::Verifier& v));

template <typename T>
bool VerifyTable(const void* table, flatbuffers::Verifier& v) {
  return static_cast<const T*>(table)->Verify(v);
}

// Builtin options of type T, or nullptr if the operator has none (callers use
// TFLite's defaults then), has options of another type, or has a malformed
// options table (the node's init/prepare/eval then fails: see
// VerifyOptionsTable). The only way ops read builtin options: a model may have
// been verified lazily (ModelLimits::lazy_options_verification), and the
// table's fields are verified here on the first read.
template <typename T>
const T* Options(const OpContext& ctx) {
  const T* o = FbOp(ctx)->builtin_options_as<T>();
  if (o == nullptr || (ctx.options_state() & kOptionsVerified)) return o;
  return VerifyOptionsTable(ctx, o, kOptionsVerified, &VerifyTable<T>) ? o : nullptr;
}

// The same for builtin_options_2 (StableHLO ops).
template <typename T>
const T* Options2(const OpContext& ctx) {
  const T* o = FbOp(ctx)->builtin_options_2_as<T>();
  if (o == nullptr || (ctx.options_state() & kOptions2Verified)) return o;
  return VerifyOptionsTable(ctx, o, kOptions2Verified, &VerifyTable<T>) ? o : nullptr;
}

// A persistent T (zeroed, default-constructed) created the first time *p is
// null and kept afterwards (prepare runs again after every resize).
template <typename T>
Status EnsurePersistent(OpContext& ctx, T** p) {
  if (*p == nullptr) {
    *p = ctx.AllocatePersistent<T>();
    if (*p == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
  }
  return Status::Ok();
}

// The node's state of type T (persistent, zeroed, default-constructed), created
// on the first call and returned as is by later ones. Fails only when memory
// runs out.
template <typename T>
Status GetUserData(OpContext& ctx, T** out) {
  *out = static_cast<T*>(ctx.user_data());
  if (*out == nullptr) {
    EDGELITE_RETURN_IF_ERROR(EnsurePersistent(ctx, out));
    ctx.set_user_data(*out);
  }
  return Status::Ok();
}

// Persistent memory of at least `bytes` held in (*mem, *capacity): allocated
// again only when a later prepare needs more (persistent memory is never freed).
Status GrowPersistent(OpContext& ctx, size_t bytes, void** mem, size_t* capacity);

// Arena scratch of the hybrid kernels (float input, int8 or int4 weights): the
// input quantized to int8, then one scale and one zero-point offset per batch
// row, each part 4-byte aligned.
struct HybridScratch {
  int8_t* quantized;
  float* scaling;
  int32_t* offsets;
};
size_t HybridScratchBytes(int64_t elements, int64_t batches);
HybridScratch HybridScratchView(void* base, int64_t elements, int64_t batches);

// Number of inputs in [min_inputs, max_inputs] and exactly `outputs` outputs.
Status CheckArity(OpContext& ctx, int min_inputs, int max_inputs, int outputs);
// Input i exists (not an absent optional); returns it through *t.
Status GetInput(OpContext& ctx, int i, Tensor** t);
Status GetOutput(OpContext& ctx, int i, Tensor** t);
// t->type == type, else an error naming the tensor's role (`what`).
Status CheckType(OpContext& ctx, const Tensor* t, DataType type, const char* what);
Status CheckSameType(OpContext& ctx, const Tensor* a, const Tensor* b);
Status CheckRank(OpContext& ctx, const Tensor* t, int min_rank, int max_rank, const char* what);
// The tensor's values must be readable at prepare time (a constant).
Status CheckConstant(OpContext& ctx, const Tensor* t, const char* what);

// Clamp bounds for a fused activation on float outputs.
Status FloatActivationRange(OpContext& ctx, fb::ActivationFunctionType act, float* lo, float* hi);

// Output size along one spatial axis for TFLite's SAME/VALID padding.
int32_t ConvOutputSize(fb::Padding padding, int32_t in, int32_t filter, int32_t stride,
                       int32_t dilation);
// Padding before the first element (TFLite's convention: the extra pixel
// of odd total padding goes after).
int32_t ConvPaddingBefore(int32_t stride, int32_t dilation, int32_t in, int32_t filter,
                          int32_t out);

// NumPy-style broadcast of two shapes; false if incompatible.
bool BroadcastShapes(const Shape& a, const Shape& b, Shape* out);
// Normalizes an axis in [-rank, rank) to [0, rank); false if out of range.
bool NormalizeAxis(int32_t axis, int32_t rank, int32_t* out);

// Reads element i of an integer tensor (int32 or int64) as int64.
int64_t ReadIndex(const Tensor* t, int64_t i);

}  // namespace ops
}  // namespace edgelite

#endif  // EDGELITE_OPS_OP_UTIL_H_
