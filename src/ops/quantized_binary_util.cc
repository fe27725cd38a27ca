#include "src/ops/quantized_binary_util.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "src/kernels/elementwise_int8/elementwise_int8.h"
#include "src/ops/broadcast_runs.h"
#include "src/quant/quantization.h"
#include "src/ref/broadcast.h"
#include "src/ref/quantized_binary.h"

namespace edgelite {
namespace ops {
namespace {

namespace ek = kernels::elementwise_int8;

struct OpData {
  ref::QuantizedBinaryParams params;
  bool pot_int16 = false;  // 16-bit power-of-two ADD/SUB path
  // 8-bit ADD/SUB/MUL through src/kernels/elementwise_int8 (null: the reference).
  ek::BinaryFn fast = nullptr;
  ek::BinaryParams fast_params;
};

// Runs the 8-bit kernel over the broadcast of input 0 and input 1 to the output: the output is
// cut into runs along the innermost dimensions where each input is either contiguous (step 1) or
// one repeated element (step 0); output ranges are split over the threads.
void RunFast(OpContext& ctx, const OpData& d) {
  const Tensor* a = ctx.input(0);
  const Tensor* b = ctx.input(1);
  Tensor* out = ctx.output(0);
  const BroadcastRuns runs(a->shape, b->shape, out->shape);
  if (runs.total == 0) return;
  const uint8_t* pa = a->data_as<uint8_t>();
  const uint8_t* pb = b->data_as<uint8_t>();
  uint8_t* po = out->data_as<uint8_t>();
  const ek::BinaryFn fn = d.fast;
  const ek::BinaryParams& kp = d.fast_params;
  ParallelRanges(ctx, runs.total, [&](int64_t i0, int64_t i1) {
    runs.ForEach(i0, i1, [&](int64_t ao, int64_t bo, int64_t i, int64_t len) {
      fn(kp, pa + ao, runs.a_step, pb + bo, runs.b_step, po + i, len);
    });
  });
}

bool IsSmallInt(DataType t) {
  return t == DataType::kInt8 || t == DataType::kUInt8 || t == DataType::kInt16;
}

// Per-tensor quantization with a positive finite scale and a zero point in
// the type's range (0 for int16).
Status CheckQuantParams(OpContext& ctx, const Tensor* t, const char* what) {
  if (t->quant.count != 1)
    return ctx.Invalid("%s '%s' must have per-tensor quantization (has %d scales)", what, t->name,
                       static_cast<int>(t->quant.count));
  const float scale = t->quant.scale[0];
  if (!(scale > 0.0f) || !std::isfinite(scale))
    return ctx.Invalid("%s '%s' has invalid scale %g", what, t->name, static_cast<double>(scale));
  int32_t lo, hi;
  quant::TypeRange(t->type, &lo, &hi);
  const int64_t zp = t->quant.zero_point ? t->quant.zero_point[0] : 0;
  if (zp < lo || zp > hi)
    return ctx.Invalid("%s '%s' zero point %lld is outside the %s range", what, t->name,
                       static_cast<long long>(zp), DataTypeName(t->type));
  return Status::Ok();
}

Status CheckZeroPointZero(OpContext& ctx, const Tensor* t, const char* what) {
  if (quant::ZeroPoint(*t) != 0)
    return ctx.Invalid("int16 %s '%s' must have zero point 0 (has %d)", what, t->name,
                       static_cast<int>(quant::ZeroPoint(*t)));
  return Status::Ok();
}

template <typename T, typename F>
void Run(OpContext& ctx, F f) {
  const Tensor* a = ctx.input(0);
  const Tensor* b = ctx.input(1);
  Tensor* out = ctx.output(0);
  ref::BroadcastBinary(a->shape, a->data_as<T>(), b->shape, b->data_as<T>(), out->shape,
                       out->data_as<T>(), f);
}

template <typename T>
void EvalTyped(OpContext& ctx, QuantizedBinaryKind kind, const OpData& d) {
  if (d.fast != nullptr) {
    RunFast(ctx, d);
    return;
  }
  const ref::QuantizedBinaryParams& p = d.params;
  switch (kind) {
    case QuantizedBinaryKind::kAdd:
    case QuantizedBinaryKind::kSub: {
      const bool sub = kind == QuantizedBinaryKind::kSub;
      if constexpr (std::is_same_v<T, int16_t>) {
        if (d.pot_int16) {
          Run<T>(ctx, [&](T x, T y) { return ref::QuantizedPotAddSub16(x, y, p, sub); });
          return;
        }
      }
      Run<T>(ctx, [&](T x, T y) { return ref::QuantizedAddSub<T>(x, y, p, sub); });
      return;
    }
    case QuantizedBinaryKind::kMul:
      Run<T>(ctx, [&](T x, T y) { return ref::QuantizedMul<T>(x, y, p); });
      return;
    case QuantizedBinaryKind::kSquaredDifference:
      if constexpr (std::is_same_v<T, int8_t>)
        Run<T>(ctx, [&](T x, T y) { return ref::QuantizedSquaredDifference(x, y, p); });
      return;
  }
}

// Picks the 8-bit kernel for ADD/SUB (general path) and MUL when it covers the parameters.
void ChooseFast(QuantizedBinaryKind kind, DataType t, OpData* d) {
  d->fast = nullptr;
  if (t != DataType::kInt8 && t != DataType::kUInt8) return;
  ek::BinaryParams& kp = d->fast_params;
  switch (kind) {
    case QuantizedBinaryKind::kAdd: kp.kind = ek::BinaryKind::kAdd; break;
    case QuantizedBinaryKind::kSub: kp.kind = ek::BinaryKind::kSub; break;
    case QuantizedBinaryKind::kMul: kp.kind = ek::BinaryKind::kMul; break;
    default: return;
  }
  kp.q = d->params;
  kp.is_unsigned = t == DataType::kUInt8;
  if (ek::Supported(kp)) d->fast = ek::SelectBinary();
}

}  // namespace

bool CheckedLog2(float x, int* log2) {
  const double l = std::log2(static_cast<double>(x));
  const double r = std::round(l);
  *log2 = static_cast<int>(r);
  return std::fabs(l - r) < 1e-3;
}

bool IsQuantizedBinary(OpContext& ctx) {
  const Tensor* a = ctx.input(0);
  const Tensor* b = ctx.num_inputs() > 1 ? ctx.input(1) : nullptr;
  if (a == nullptr || !IsSmallInt(a->type)) return false;
  return a->quant.is_quantized() || (b != nullptr && b->quant.is_quantized());
}

Status PrepareQuantizedBinary(OpContext& ctx, QuantizedBinaryKind kind,
                              fb::ActivationFunctionType activation, bool pot_scale_int16) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  Tensor *a, *b, *out;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &a));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 1, &b));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &out));
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, a, b));
  if (kind == QuantizedBinaryKind::kSquaredDifference && a->type != DataType::kInt8)
    return ctx.Fail(StatusCode::kUnsupported,
                    "quantized SQUARED_DIFFERENCE supports int8 only (input '%s' is %s)", a->name,
                    DataTypeName(a->type));
  // TFLite's ADD and SUB set the output's type to the inputs' type in
  // prepare, whatever the model declares (some converted models declare a
  // quantized intermediate as float32); do the same before sizing it.
  if ((kind == QuantizedBinaryKind::kAdd || kind == QuantizedBinaryKind::kSub) &&
      out->type != a->type && out->allocation != Allocation::kConstant)
    out->type = a->type;
  if (out->type != a->type)
    return ctx.Fail(StatusCode::kUnsupported,
                    "output '%s' has type %s but the inputs are %s (mixed-type quantized "
                    "arithmetic is not supported)",
                    out->name, DataTypeName(out->type), DataTypeName(a->type));
  EDGELITE_RETURN_IF_ERROR(CheckQuantParams(ctx, a, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckQuantParams(ctx, b, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckQuantParams(ctx, out, "output"));
  const bool int16 = a->type == DataType::kInt16;
  if (int16) {
    EDGELITE_RETURN_IF_ERROR(CheckZeroPointZero(ctx, a, "input"));
    EDGELITE_RETURN_IF_ERROR(CheckZeroPointZero(ctx, b, "input"));
    EDGELITE_RETURN_IF_ERROR(CheckZeroPointZero(ctx, out, "output"));
  }
  Shape shape;
  if (!BroadcastShapes(a->shape, b->shape, &shape)) {
    char sa[96], sb[96];
    return ctx.Invalid("input shapes %s ('%s') and %s ('%s') do not broadcast",
                       a->shape.ToString(sa, sizeof(sa)), a->name,
                       b->shape.ToString(sb, sizeof(sb)), b->name);
  }

  OpData* d = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &d));
  *d = OpData();
  ref::QuantizedBinaryParams& p = d->params;
  const float s1 = quant::Scale(*a), s2 = quant::Scale(*b), so = quant::Scale(*out);
  EDGELITE_RETURN_IF_ERROR(quant::ActivationRangeQuantized(
      static_cast<int>(activation), out->type, so, quant::ZeroPoint(*out), &p.act_min, &p.act_max));
  p.input1_offset = -quant::ZeroPoint(*a);
  p.input2_offset = -quant::ZeroPoint(*b);
  p.output_offset = quant::ZeroPoint(*out);

  if (kind == QuantizedBinaryKind::kMul) {
    // TFLite computes this product in float (then widens): bit-exactness
    // depends on the same float rounding.
    const float real = s1 * s2 / so;
    quant::QuantizeMultiplier(static_cast<double>(real), &p.output_multiplier, &p.output_shift);
    ChooseFast(kind, a->type, d);
    return ctx.ResizeOutput(out, shape);
  }

  if (kind == QuantizedBinaryKind::kSquaredDifference) {
    // TFLite's derivation (float max, double ratios, float 2^14 * s_out).
    p.left_shift = 7;
    p.act_min = -128;
    p.act_max = 127;
    const double twice_max = 2 * std::max(s1, s2);
    quant::QuantizeMultiplier(s1 / twice_max, &p.input1_multiplier, &p.input1_shift);
    quant::QuantizeMultiplier(s2 / twice_max, &p.input2_multiplier, &p.input2_shift);
    const float denom = static_cast<float>(1 << (2 * p.left_shift)) * so;
    const double real_out = twice_max * twice_max / static_cast<double>(denom);
    quant::QuantizeMultiplier(real_out, &p.output_multiplier, &p.output_shift);
    if (p.output_shift > 30 || p.output_shift < -31)
      return ctx.Fail(StatusCode::kUnsupported, "output rescale factor %g is out of range",
                      real_out);
    return ctx.ResizeOutput(out, shape);
  }

  // ADD/SUB: TFLite takes the power-of-two path for int16 when the option
  // asks for it and all three scales are powers of two.
  int l1 = 0, l2 = 0, lo = 0;
  if (int16 && pot_scale_int16 && CheckedLog2(s1, &l1) && CheckedLog2(s2, &l2) &&
      CheckedLog2(so, &lo)) {
    d->pot_int16 = true;
    p.input1_shift = l1 - lo;
    p.input2_shift = l2 - lo;
    if (!(p.input1_shift == 0 || p.input2_shift == 0) || p.input1_shift > 0 || p.input2_shift > 0)
      return ctx.Fail(StatusCode::kUnsupported,
                      "int16 power-of-two %s needs one input at the output scale and the other "
                      "at a smaller one (input scales 2^%d, 2^%d; output 2^%d)",
                      kind == QuantizedBinaryKind::kAdd ? "ADD" : "SUB", l1, l2, lo);
    if (p.input1_shift < -31 || p.input2_shift < -31)
      return ctx.Fail(StatusCode::kUnsupported, "input scale ratio below 2^-31");
    return ctx.ResizeOutput(out, shape);
  }
  p.left_shift = int16 ? 15 : 20;
  const double twice_max = 2.0 * std::max(s1, s2);
  quant::QuantizeMultiplier(s1 / twice_max, &p.input1_multiplier, &p.input1_shift);
  quant::QuantizeMultiplier(s2 / twice_max, &p.input2_multiplier, &p.input2_shift);
  const double real_out = twice_max / (static_cast<double>(1 << p.left_shift) * so);
  quant::QuantizeMultiplier(real_out, &p.output_multiplier, &p.output_shift);
  if (p.output_shift > 30 || p.output_shift < -31)
    return ctx.Fail(StatusCode::kUnsupported,
                    "output rescale factor %g is out of the supported range", real_out);
  ChooseFast(kind, a->type, d);
  return ctx.ResizeOutput(out, shape);
}

Status EvalQuantizedBinary(OpContext& ctx, QuantizedBinaryKind kind) {
  const auto* d = static_cast<const OpData*>(ctx.user_data());
  switch (ctx.input(0)->type) {
    case DataType::kInt8:
      EvalTyped<int8_t>(ctx, kind, *d);
      break;
    case DataType::kUInt8:
      EvalTyped<uint8_t>(ctx, kind, *d);
      break;
    case DataType::kInt16:
      EvalTyped<int16_t>(ctx, kind, *d);
      break;
    default:
      return ctx.Fail(StatusCode::kInternal, "unexpected type");
  }
  return Status::Ok();
}

}  // namespace ops
}  // namespace edgelite
