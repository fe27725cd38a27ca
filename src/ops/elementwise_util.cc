#include "src/ops/elementwise_util.h"

#include "src/ops/broadcast_runs.h"

#include <algorithm>
#include <limits>

#include "src/base/cpu_features.h"

namespace edgelite {
namespace ops {
namespace {

bool IsSmallInteger(DataType t) {
  return t == DataType::kInt8 || t == DataType::kUInt8 || t == DataType::kInt16;
}

bool SameQuantization(const Quantization& a, const Quantization& b) {
  if (a.count != b.count) return false;
  for (int32_t i = 0; i < a.count; ++i) {
    if (a.scale[i] != b.scale[i]) return false;
    const int64_t za = a.zero_point ? a.zero_point[i] : 0;
    const int64_t zb = b.zero_point ? b.zero_point[i] : 0;
    if (za != zb) return false;
  }
  return true;
}

Status IntActivationRange(OpContext& ctx, fb::ActivationFunctionType act, int64_t* lo,
                          int64_t* hi) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::lowest();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  switch (act) {
    case fb::ActivationFunctionType::NONE: *lo = kMin; *hi = kMax; return Status::Ok();
    case fb::ActivationFunctionType::RELU: *lo = 0; *hi = kMax; return Status::Ok();
    case fb::ActivationFunctionType::RELU_N1_TO_1: *lo = -1; *hi = 1; return Status::Ok();
    case fb::ActivationFunctionType::RELU6: *lo = 0; *hi = 6; return Status::Ok();
    default:
      return ctx.Fail(StatusCode::kUnsupported, "fused activation %s is not supported",
                      fb::EnumNameActivationFunctionType(act));
  }
}

Status CheckInputType(OpContext& ctx, const Tensor* t, uint32_t types) {
  if (!HasType(types, t->type))
    return ctx.Fail(StatusCode::kUnsupported, "input '%s' has unsupported type %s", t->name,
                    DataTypeName(t->type));
  return Status::Ok();
}

}  // namespace

Status PrepareBinary(OpContext& ctx, const BinarySpec& spec,
                     fb::ActivationFunctionType activation) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  Tensor *a, *b, *out;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &a));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 1, &b));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &out));
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, a, b));
  if (IsSmallInteger(a->type) && HasType(spec.types, a->type)) {
    const bool quantized = a->quant.is_quantized() || b->quant.is_quantized();
    switch (spec.quant) {
      case QuantPolicy::kReject:
        if (quantized)
          return ctx.Fail(StatusCode::kUnsupported,
                          "quantized %s inputs are not supported yet (input '%s')",
                          DataTypeName(a->type), a->name);
        break;
      case QuantPolicy::kIgnore:
        break;
      case QuantPolicy::kRequireSame:
        if (!SameQuantization(a->quant, b->quant))
          return ctx.Fail(StatusCode::kUnsupported,
                          "inputs '%s' and '%s' have different quantization parameters; "
                          "rescaled comparison is not supported yet",
                          a->name, b->name);
        break;
    }
  } else if (IsSmallInteger(a->type)) {
    return ctx.Fail(StatusCode::kUnsupported,
                    "%s input '%s' is not supported (quantized arithmetic is not implemented "
                    "yet)",
                    DataTypeName(a->type), a->name);
  }
  EDGELITE_RETURN_IF_ERROR(CheckInputType(ctx, a, spec.types));
  EDGELITE_RETURN_IF_ERROR(
      CheckType(ctx, out, spec.bool_output ? DataType::kBool : a->type, "output"));
  Shape shape;
  if (!BroadcastShapes(a->shape, b->shape, &shape)) {
    char sa[96], sb[96];
    return ctx.Invalid("input shapes %s ('%s') and %s ('%s') do not broadcast",
                       a->shape.ToString(sa, sizeof(sa)), a->name,
                       b->shape.ToString(sb, sizeof(sb)), b->name);
  }
  BinaryUserData* range = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &range));
  EDGELITE_RETURN_IF_ERROR(FloatActivationRange(ctx, activation, &range->f_min, &range->f_max));
  EDGELITE_RETURN_IF_ERROR(IntActivationRange(ctx, activation, &range->i_min, &range->i_max));
  // A no-op in the micro profile, which never references the kernels (nothing of them is linked).
  ChooseBinaryF32Fast(range, a->type == DataType::kFloat32, spec.has_f32_op, spec.f32_op);
  return ctx.ResizeOutput(out, shape);
}

namespace {

// Runs shorter than this keep the reference: the per-run index arithmetic would cost more than
// the vector loop saves.
constexpr int64_t kMinFastRun = 4;

}  // namespace

bool RunBinaryF32Fast(OpContext& ctx, const BinaryOpData& range) {
  const Tensor* a = ctx.input(0);
  const Tensor* b = ctx.input(1);
  Tensor* out = ctx.output(0);
  const BroadcastRuns runs(a->shape, b->shape, out->shape);
  if (runs.total == 0) return true;
  if (runs.run < kMinFastRun && runs.run < runs.total) return false;
  const float* pa = a->data_as<float>();
  const float* pb = b->data_as<float>();
  float* po = out->data_as<float>();
  const kernels::elementwise_f32::BinaryFn fn = range.f32_fast;
  const kernels::elementwise_f32::BinaryArgs& args = range.f32_args;
  ParallelRanges(ctx, runs.total, [&](int64_t i0, int64_t i1) {
    runs.ForEach(i0, i1, [&](int64_t ao, int64_t bo, int64_t i, int64_t len) {
      fn(args, pa + ao, runs.a_step, pb + bo, runs.b_step, po + i, len);
    });
  });
  return true;
}

void ChooseFloatUnaryFast(const kernels::elementwise_f32::UnaryArgs& args, FloatUnaryFast* f) {
  f->args = args;
  f->fn = nullptr;
  if constexpr (kOptimizedKernels) f->fn = kernels::elementwise_f32::SelectUnary();
}

void RunFloatUnary(OpContext& ctx, const FloatUnaryFast& f) {
  const Tensor* in = ctx.input(0);
  Tensor* out = ctx.output(0);
  const float* x = in->data_as<float>();
  float* y = out->data_as<float>();
  ParallelRanges(ctx, in->num_elements(),
                 [&](int64_t i0, int64_t i1) { f.fn(f.args, x + i0, y + i0, i1 - i0); });
}

Status PrepareUnary(OpContext& ctx, uint32_t types) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  Tensor *in, *out;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &in));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &out));
  if (IsSmallInteger(in->type) && in->quant.is_quantized())
    return ctx.Fail(StatusCode::kUnsupported, "quantized %s input '%s' is not supported yet",
                    DataTypeName(in->type), in->name);
  EDGELITE_RETURN_IF_ERROR(CheckInputType(ctx, in, types));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, out, in->type, "output"));
  return ctx.ResizeOutput(out, in->shape);
}

Status PrepareFloorBinary(OpContext& ctx) {
  BinarySpec spec;
  spec.types = TypeBit(DataType::kFloat32) | TypeBit(DataType::kInt8) |
               TypeBit(DataType::kInt16) | TypeBit(DataType::kInt32) | TypeBit(DataType::kInt64);
  return PrepareBinary(ctx, spec);
}

}  // namespace ops
}  // namespace edgelite
