// Shared prepare/eval plumbing of the elementwise op families: binary
// arithmetic with broadcasting and fused activation, comparisons, logical
// ops, and type-preserving unary ops. Each op file keeps its own scalar
// function and type list; this header only holds what they have in common.
#ifndef EDGELITE_OPS_ELEMENTWISE_UTIL_H_
#define EDGELITE_OPS_ELEMENTWISE_UTIL_H_

#include <algorithm>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "src/base/cpu_features.h"
#include "src/kernels/elementwise_f32/elementwise_f32.h"
#include "src/ops/op_util.h"
#include "src/ref/broadcast.h"

namespace edgelite {
namespace ops {

// A set of DataTypes as a bit mask: TypeBit(kFloat32) | TypeBit(kInt32) ...
constexpr uint32_t TypeBit(DataType t) { return 1u << static_cast<unsigned>(t); }
inline bool HasType(uint32_t mask, DataType t) {
  return static_cast<unsigned>(t) < 32 && (mask & TypeBit(t)) != 0;
}

// What an op does with 8/16-bit integer inputs that carry quantization
// parameters.
enum class QuantPolicy : uint8_t {
  // Quantized arithmetic needs requantization (not implemented yet):
  // kUnsupported. 8/16-bit inputs without parameters are plain integers.
  kReject,
  // The op only selects among input values (MAXIMUM, MINIMUM): the raw values
  // are used as TFLite does, whatever the parameters.
  kIgnore,
  // Comparisons: raw values compare correctly when both inputs share scale and
  // zero point; differing parameters need rescaling: kUnsupported for now.
  kRequireSame,
};

struct BinarySpec {
  uint32_t types = 0;  // accepted input types (TypeBit mask)
  QuantPolicy quant = QuantPolicy::kReject;
  bool bool_output = false;  // comparisons: output is bool, else the input type
  // float32 inputs: run through src/kernels/elementwise_f32 with this op (when the build allows
  // optimized kernels and the broadcast cuts into long enough runs); else the reference only.
  bool has_f32_op = false;
  kernels::elementwise_f32::BinaryOp f32_op = kernels::elementwise_f32::BinaryOp::kAdd;
};

// Clamp bounds of the fused activation, for float and integer outputs.
struct ActivationRange {
  float f_min, f_max;
  int64_t i_min, i_max;
};

// PrepareBinary's op data in builds with optimized kernels: the range plus the float32 kernel
// chosen in Prepare (null: the reference loops of EvalBinary), with the op and clamp bounds.
// The micro profile keeps the plain ActivationRange (its arena sizes are part of its contract).
struct BinaryOpData : ActivationRange {
  kernels::elementwise_f32::BinaryFn f32_fast;
  kernels::elementwise_f32::BinaryArgs f32_args;
};
using BinaryUserData = std::conditional_t<kOptimizedKernels, BinaryOpData, ActivationRange>;

// Runs the float32 kernel of `d` over the broadcast of input 0 and input 1 to the output, cut
// into runs along the innermost dimensions where each input is contiguous or one repeated value;
// output ranges are split over the threads for large outputs. Returns false (nothing written)
// when the runs would be shorter than a few vectors: the reference then does the op.
bool RunBinaryF32Fast(OpContext& ctx, const BinaryOpData& d);

// RunBinaryF32Fast when d carries a chosen kernel; false for a plain ActivationRange (micro).
template <typename D>
bool TryBinaryF32Fast(OpContext& ctx, const D* d) {
  if constexpr (std::is_same_v<D, BinaryOpData>) {
    return d->f32_fast != nullptr && RunBinaryF32Fast(ctx, *d);
  } else {
    return false;
  }
}

// Sets d's float32 kernel from the spec (no-op for a plain ActivationRange).
template <typename D>
void ChooseBinaryF32Fast(D* d, bool float_input, bool has_op,
                         kernels::elementwise_f32::BinaryOp op) {
  if constexpr (std::is_same_v<D, BinaryOpData>) {
    d->f32_fast = nullptr;
    if (float_input && has_op) {
      d->f32_args.op = op;
      d->f32_args.lo = d->f_min;
      d->f32_args.hi = d->f_max;
      d->f32_fast = kernels::elementwise_f32::SelectBinary();
    }
  }
}

// A float32 activation through src/kernels/elementwise_f32, chosen once in Prepare.
struct FloatUnaryFast {
  kernels::elementwise_f32::UnaryFn fn;  // null: the reference
  kernels::elementwise_f32::UnaryArgs args;
};

// Sets f->fn to the selected kernel for `args` (null in builds without optimized kernels, the
// micro profile).
void ChooseFloatUnaryFast(const kernels::elementwise_f32::UnaryArgs& args, FloatUnaryFast* f);

// output = f->fn(input 0) over all elements (output may be the input), split over the threads
// for large tensors.
void RunFloatUnary(OpContext& ctx, const FloatUnaryFast& f);

// Runs f's kernel and returns true; false (nothing done: the caller runs the reference) when f
// is null (no state allocated) or has no kernel. Folds to `false` in the micro profile.
inline bool RunFloatUnaryFast(OpContext& ctx, const FloatUnaryFast* f) {
  if constexpr (kOptimizedKernels) {
    if (f != nullptr && f->fn != nullptr) {
      RunFloatUnary(ctx, *f);
      return true;
    }
  }
  return false;
}

// Validates a 2-input, 1-output broadcasting op (types, quantization,
// broadcastable shapes), computes the fused-activation range into
// persistent op data (ctx.user_data(), an ActivationRange) and sizes the output.
Status PrepareBinary(OpContext& ctx, const BinarySpec& spec,
                     fb::ActivationFunctionType activation = fb::ActivationFunctionType::NONE);

// Validates a 1-input, 1-output op whose output has the input's type and shape.
Status PrepareUnary(OpContext& ctx, uint32_t types);

// kRuntimeError if any element of `divisor` is zero (integer division).
template <typename T>
Status CheckNoZeroDivisor(OpContext& ctx, const Tensor* divisor) {
  const T* d = divisor->data_as<T>();
  const int64_t n = divisor->num_elements();
  for (int64_t i = 0; i < n; ++i)
    if (d[i] == 0)
      return ctx.Fail(StatusCode::kRuntimeError, "division by zero: divisor '%s' element %lld is 0",
                      divisor->name, static_cast<long long>(i));
  return Status::Ok();
}

// output = clamp(f(input0, input1)) with broadcasting; the clamp bounds come
// from PrepareBinary's ActivationRange.
template <typename T, typename F>
void EvalBinary(OpContext& ctx, F f) {
  const auto* range = static_cast<const BinaryUserData*>(ctx.user_data());
  if constexpr (std::is_same_v<T, float>) {
    if (TryBinaryF32Fast(ctx, range)) return;
  }
  const Tensor* a = ctx.input(0);
  const Tensor* b = ctx.input(1);
  Tensor* out = ctx.output(0);
  T lo, hi;
  if constexpr (std::is_floating_point_v<T>) {
    lo = static_cast<T>(range->f_min);
    hi = static_cast<T>(range->f_max);
  } else {
    lo = static_cast<T>(std::max<int64_t>(range->i_min, std::numeric_limits<T>::lowest()));
    hi = static_cast<T>(std::min<int64_t>(range->i_max, std::numeric_limits<T>::max()));
  }
  // No broadcasting (both inputs have the output's element count, so each maps one to one)
  // or a scalar operand: flat loops that vectorize, with the same function per element as
  // the general path.
  const int64_t n = out->shape.NumElements();
  const int64_t na = a->shape.NumElements(), nb = b->shape.NumElements();
  const T* x = a->data_as<T>();
  const T* y = b->data_as<T>();
  T* o = out->data_as<T>();
  if (na == n && nb == n) {
    for (int64_t i = 0; i < n; ++i) o[i] = std::min(std::max(f(x[i], y[i]), lo), hi);
    return;
  }
  if (na == n && nb == 1) {
    const T y0 = y[0];
    for (int64_t i = 0; i < n; ++i) o[i] = std::min(std::max(f(x[i], y0), lo), hi);
    return;
  }
  if (na == 1 && nb == n) {
    const T x0 = x[0];
    for (int64_t i = 0; i < n; ++i) o[i] = std::min(std::max(f(x0, y[i]), lo), hi);
    return;
  }
  ref::BroadcastBinary(a->shape, x, b->shape, y, out->shape, o, [&](T u, T v) -> T {
    const T r = f(u, v);
    return std::min(std::max(r, lo), hi);
  });
}

// bool output = f(input0, input1) with broadcasting (comparisons, logical ops).
template <typename T, typename F>
void EvalPredicate(OpContext& ctx, F f) {
  const Tensor* a = ctx.input(0);
  const Tensor* b = ctx.input(1);
  Tensor* out = ctx.output(0);
  ref::BroadcastBinary(a->shape, a->data_as<T>(), b->shape, b->data_as<T>(), out->shape,
                       out->data_as<bool>(), [&](T x, T y) -> bool { return f(x, y); });
}

// output = f(input0), same type and shape.
template <typename T, typename F>
void EvalUnary(OpContext& ctx, F f) {
  const Tensor* in = ctx.input(0);
  Tensor* out = ctx.output(0);
  ref::Unary(in->data_as<T>(), out->data_as<T>(), in->num_elements(), f);
}

template <typename T, typename Fn>
Status EvalFloorBinaryInt(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckNoZeroDivisor<T>(ctx, ctx.input(1)));
  EvalBinary<T>(ctx, Fn::template Apply<T>);
  return Status::Ok();
}

// FLOOR_DIV / FLOOR_MOD share everything but the scalar function: float32 and
// int8/int16/int32/int64, no fused activation; an integer zero divisor is a
// kRuntimeError at eval (as in TFLite). `Fn` has a static template `Apply<T>`.
Status PrepareFloorBinary(OpContext& ctx);

template <typename Fn>
Status EvalFloorBinary(OpContext& ctx) {
  switch (ctx.input(0)->type) {
    case DataType::kFloat32:
      EvalBinary<float>(ctx, Fn::template Apply<float>);
      return Status::Ok();
    case DataType::kInt8: return EvalFloorBinaryInt<int8_t, Fn>(ctx);
    case DataType::kInt16: return EvalFloorBinaryInt<int16_t, Fn>(ctx);
    case DataType::kInt32: return EvalFloorBinaryInt<int32_t, Fn>(ctx);
    case DataType::kInt64: return EvalFloorBinaryInt<int64_t, Fn>(ctx);
    default:
      return ctx.Fail(StatusCode::kInternal, "unexpected type");
  }
}

}  // namespace ops
}  // namespace edgelite

#endif  // EDGELITE_OPS_ELEMENTWISE_UTIL_H_
