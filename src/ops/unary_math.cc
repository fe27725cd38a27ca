// Unary math ops that differ only in their scalar function (src/ref/unary.h):
// ABS, NEG, SIGN (float32 and integers), and float32-only CEIL, FLOOR, ROUND
// (half to even), SQRT, RSQRT, EXP, LOG, SIN, COS, TANH, LOGISTIC, SQUARE,
// ELU, HARD_SWISH.
// Quantized paths, as TFLite's reference kernels: LOGISTIC and TANH on
// int8/uint8 and ELU on int8 through a 256-entry table of the float function
// (built in prepare); RSQRT on int8 with TFLite's fixed-point inverse square
// root, on int16 through an interpolated 513-entry table; HARD_SWISH on
// int8/uint8 with TFLite's int16 fixed-point kernel.
#include <cmath>
#include <limits>

#include "src/ops/elementwise_util.h"
#include "src/ops/quantized_unary_util.h"
#include "src/quant/lut.h"
#include "src/quant/quantization.h"
#include "src/ref/quantized_activations.h"
#include "src/ref/unary.h"

namespace edgelite {
namespace ops {
namespace {

constexpr uint32_t kF32 = TypeBit(DataType::kFloat32);

// A float32-only op: f is the scalar function.
template <float (*F)(float)>
Status EvalFloat(OpContext& ctx) {
  EvalUnary<float>(ctx, F);
  return Status::Ok();
}

Status PrepareFloat(OpContext& ctx) { return PrepareUnary(ctx, kF32); }

float Ceil(float x) { return std::ceil(x); }
float Floor(float x) { return std::floor(x); }
float Sqrt(float x) { return std::sqrt(x); }
float Exp(float x) { return std::exp(x); }
float Log(float x) { return std::log(x); }
float Sin(float x) { return std::sin(x); }
float Cos(float x) { return std::cos(x); }
float Tanh(float x) { return std::tanh(x); }

// ABS, NEG and SIGN take integers too.
enum class IntOp { kAbs, kNeg, kSign };

template <IntOp kOp, typename T>
T ApplyIntOp(T x) {
  switch (kOp) {
    case IntOp::kAbs: return ref::Abs(x);
    case IntOp::kNeg: return ref::Neg(x);
    case IntOp::kSign: return ref::Sign(x);
  }
  return x;
}

template <IntOp kOp>
constexpr uint32_t IntOpTypes() {
  // As TFLite: ABS float32/int32; NEG float32/int32/int64; SIGN float32/float64/int32.
  // (ABS also int64 here: no reason to refuse it.)
  return kOp == IntOp::kSign
             ? kF32 | TypeBit(DataType::kFloat64) | TypeBit(DataType::kInt32)
             : kF32 | TypeBit(DataType::kInt32) | TypeBit(DataType::kInt64);
}

template <IntOp kOp>
Status PrepareIntOp(OpContext& ctx) {
  return PrepareUnary(ctx, IntOpTypes<kOp>());
}

template <IntOp kOp>
Status EvalIntOp(OpContext& ctx) {
  switch (ctx.input(0)->type) {
    case DataType::kFloat32: EvalUnary<float>(ctx, ApplyIntOp<kOp, float>); break;
    case DataType::kFloat64: EvalUnary<double>(ctx, ApplyIntOp<kOp, double>); break;
    case DataType::kInt32: EvalUnary<int32_t>(ctx, ApplyIntOp<kOp, int32_t>); break;
    case DataType::kInt64: EvalUnary<int64_t>(ctx, ApplyIntOp<kOp, int64_t>); break;
    default: return ctx.Fail(StatusCode::kInternal, "unexpected type");
  }
  return Status::Ok();
}

// ---- Quantized paths -------------------------------------------------------

constexpr uint32_t k8Bit = TypeBit(DataType::kInt8) | TypeBit(DataType::kUInt8);

enum class QuantFn { kLogistic, kTanh, kElu, kRsqrt, kHardSwish };

struct QuantUnaryData {
  uint8_t lut8[quant::kLut8Size];
  int16_t lut16[quant::kLut16Size];
  ref::QuantizedRsqrtParams rsqrt;
  ref::QuantizedHardSwishParams hard_swish;
};

float LogisticForLut(float x) { return 1.0f / (1.0f + std::exp(-x)); }
float TanhForLut(float x) { return std::tanh(x); }
float EluForLut(float x) { return x < 0.0f ? std::expm1(x) : x; }

template <QuantFn kFn>
constexpr uint32_t QuantTypes() {
  return kFn == QuantFn::kLogistic || kFn == QuantFn::kTanh || kFn == QuantFn::kHardSwish ? k8Bit
         : kFn == QuantFn::kElu ? TypeBit(DataType::kInt8)
                                : TypeBit(DataType::kInt8) | TypeBit(DataType::kInt16);
}

template <QuantFn kFn>
Status PrepareQuant(OpContext& ctx) {
  Tensor *in, *out;
  EDGELITE_RETURN_IF_ERROR(PrepareQuantizedUnary(ctx, QuantTypes<kFn>(), &in, &out));
  QuantUnaryData* d;
  EDGELITE_RETURN_IF_ERROR(GetOrAllocOpData(ctx, &d));
  const float s_in = quant::Scale(*in), s_out = quant::Scale(*out);
  const int32_t z_in = quant::ZeroPoint(*in), z_out = quant::ZeroPoint(*out);
  switch (kFn) {
    case QuantFn::kLogistic:
      // TFLite's kernel assumes outputs in [0, 1) with scale 1/256.
      if (static_cast<double>(s_out) != 1.0 / 256)
        return ctx.Invalid("LOGISTIC output '%s' must have scale 1/256 (has %g)", out->name,
                           static_cast<double>(s_out));
      quant::PopulateLut8(in->type, s_in, z_in, s_out, z_out, LogisticForLut, d->lut8);
      break;
    case QuantFn::kTanh:
      quant::PopulateLut8(in->type, s_in, z_in, s_out, z_out, TanhForLut, d->lut8);
      break;
    case QuantFn::kElu:
      quant::PopulateLut8(in->type, s_in, z_in, s_out, z_out, EluForLut, d->lut8);
      break;
    case QuantFn::kHardSwish: {
      // TFLite's parameters: the input on a 128x finer scale; the reluish
      // factor relu6(x + 3) / 6 on scale 3/32768; both multipliers in Q15.
      ref::QuantizedHardSwishParams& h = d->hard_swish;
      h.input_zero_point = z_in;
      h.output_zero_point = z_out;
      const float hires_input_scale = (1.0f / 128.0f) * s_in;
      const float reluish_scale = 3.0f / 32768.0f;
      int32_t m32;
      quant::QuantizeMultiplier(hires_input_scale / s_out, &m32, &h.output_exponent);
      h.output_multiplier = ref::DownScaleMultiplierToInt16(m32);
      if (h.output_exponent > 0)
        return ctx.Fail(StatusCode::kUnsupported,
                        "HARD_SWISH needs input scale / 128 <= output scale ('%s', '%s')", in->name,
                        out->name);
      quant::QuantizeMultiplier(hires_input_scale / reluish_scale, &m32, &h.reluish_exponent);
      h.reluish_multiplier = ref::DownScaleMultiplierToInt16(m32);
      if (h.reluish_exponent > 16 || h.reluish_exponent < -31 || h.output_exponent < -31)
        return ctx.Fail(StatusCode::kUnsupported, "HARD_SWISH scales out of range");
      break;
    }
    case QuantFn::kRsqrt:
      d->rsqrt.input_offset = z_in;
      d->rsqrt.output_offset = z_out;
      if (in->type == DataType::kInt16) {
        // x <= 0 maps to the largest output, as in TFLite.
        quant::PopulateLut16<float>(
            s_in, z_in, s_out, z_out,
            [s_out](float x) { return x <= 0.0f ? 32767.0f * s_out : 1.0f / std::sqrt(x); },
            d->lut16);
      } else {
        // 1 / (sqrt(s_in) * s_out), as TFLite (sqrt in float, product in float).
        const double real = 1.0 / static_cast<double>(std::sqrt(s_in) * s_out);
        quant::QuantizeMultiplier(real, &d->rsqrt.multiplier, &d->rsqrt.shift);
        if (d->rsqrt.shift > 30 || d->rsqrt.shift < -31 + 20)
          return ctx.Fail(StatusCode::kUnsupported, "RSQRT rescale factor %g is out of range",
                          real);
      }
      break;
  }
  return Status::Ok();
}

template <QuantFn kFn>
Status EvalQuant(OpContext& ctx) {
  const Tensor* in = ctx.input(0);
  Tensor* out = ctx.output(0);
  const auto* d = static_cast<const QuantUnaryData*>(ctx.user_data());
  const int64_t n = in->num_elements();
  if (kFn == QuantFn::kRsqrt) {
    // Inputs below the zero point are negative reals: an error, as in TFLite.
    for (int64_t i = 0; i < n; ++i) {
      const int32_t q =
          in->type == DataType::kInt16 ? in->data_as<int16_t>()[i] : in->data_as<int8_t>()[i];
      if (q < d->rsqrt.input_offset)
        return ctx.Fail(StatusCode::kRuntimeError,
                        "RSQRT is only defined for positive values (input '%s' element %lld)",
                        in->name, static_cast<long long>(i));
    }
    if (in->type == DataType::kInt16) {
      const int16_t* x = in->data_as<int16_t>();
      int16_t* y = out->data_as<int16_t>();
      for (int64_t i = 0; i < n; ++i) y[i] = quant::LookupLut16(x[i], d->lut16);
    } else {
      const int8_t* x = in->data_as<int8_t>();
      int8_t* y = out->data_as<int8_t>();
      for (int64_t i = 0; i < n; ++i) y[i] = ref::QuantizedRsqrtInt8(x[i], d->rsqrt);
    }
    return Status::Ok();
  }
  if (kFn == QuantFn::kHardSwish) {
    if (in->type == DataType::kInt8) {
      const int8_t* x = in->data_as<int8_t>();
      int8_t* y = out->data_as<int8_t>();
      for (int64_t i = 0; i < n; ++i) y[i] = ref::QuantizedHardSwish(x[i], d->hard_swish);
    } else {
      const uint8_t* x = in->data_as<uint8_t>();
      uint8_t* y = out->data_as<uint8_t>();
      for (int64_t i = 0; i < n; ++i) y[i] = ref::QuantizedHardSwish(x[i], d->hard_swish);
    }
    return Status::Ok();
  }
  const uint8_t* x = static_cast<const uint8_t*>(in->data);
  uint8_t* y = static_cast<uint8_t*>(out->data);
  for (int64_t i = 0; i < n; ++i) y[i] = quant::LookupLut8(x[i], d->lut8);
  return Status::Ok();
}

// The float32 activations with a kernel in src/kernels/elementwise_f32 (LOGISTIC and TANH
// approximate the reference within the bounds stated in elementwise_f32.h; HARD_SWISH is
// bit-identical).
template <QuantFn kFn>
constexpr bool HasFloatKernel() {
  return kFn == QuantFn::kLogistic || kFn == QuantFn::kTanh || kFn == QuantFn::kHardSwish;
}

template <QuantFn kFn>
constexpr kernels::elementwise_f32::UnaryOp FloatKernelOp() {
  return kFn == QuantFn::kLogistic ? kernels::elementwise_f32::UnaryOp::kLogistic
         : kFn == QuantFn::kTanh   ? kernels::elementwise_f32::UnaryOp::kTanh
                                   : kernels::elementwise_f32::UnaryOp::kHardSwish;
}

// float32 via f (or the kernel); quantized inputs via the kFn path.
template <QuantFn kFn>
Status PrepareFloatOrQuant(OpContext& ctx) {
  if (IsQuantizedSmallInt(ctx.input(0))) return PrepareQuant<kFn>(ctx);
  EDGELITE_RETURN_IF_ERROR(PrepareFloat(ctx));
  if constexpr (HasFloatKernel<kFn>() && kOptimizedKernels) {
    FloatUnaryFast* fast;
    EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &fast));
    kernels::elementwise_f32::UnaryArgs args;
    args.op = FloatKernelOp<kFn>();
    ChooseFloatUnaryFast(args, fast);
  }
  return Status::Ok();
}

template <QuantFn kFn, float (*F)(float)>
Status EvalFloatOrQuant(OpContext& ctx) {
  if (ctx.input(0)->type != DataType::kFloat32) return EvalQuant<kFn>(ctx);
  if constexpr (HasFloatKernel<kFn>()) {
    if (RunFloatUnaryFast(ctx, static_cast<const FloatUnaryFast*>(ctx.user_data())))
      return Status::Ok();
  }
  return EvalFloat<F>(ctx);
}

}  // namespace

#define EDGELITE_FLOAT_OR_QUANT_UNARY(NAME, FN, QFN)                             \
  const OpRegistration* Register_##NAME() {                                      \
    static const OpRegistration reg = {#NAME, nullptr, PrepareFloatOrQuant<QFN>, \
                                       EvalFloatOrQuant<QFN, FN>};               \
    return &reg;                                                                 \
  }
EDGELITE_FLOAT_OR_QUANT_UNARY(RSQRT, ref::Rsqrt, QuantFn::kRsqrt)
EDGELITE_FLOAT_OR_QUANT_UNARY(TANH, Tanh, QuantFn::kTanh)
EDGELITE_FLOAT_OR_QUANT_UNARY(LOGISTIC, ref::Logistic, QuantFn::kLogistic)
EDGELITE_FLOAT_OR_QUANT_UNARY(ELU, ref::Elu, QuantFn::kElu)
EDGELITE_FLOAT_OR_QUANT_UNARY(HARD_SWISH, ref::HardSwish, QuantFn::kHardSwish)
#undef EDGELITE_FLOAT_OR_QUANT_UNARY

#define EDGELITE_FLOAT_UNARY(NAME, FN)                                                 \
  const OpRegistration* Register_##NAME() {                                            \
    static const OpRegistration reg = {#NAME, nullptr, PrepareFloat, EvalFloat<FN>};   \
    return &reg;                                                                       \
  }
EDGELITE_FLOAT_UNARY(CEIL, Ceil)
EDGELITE_FLOAT_UNARY(FLOOR, Floor)
EDGELITE_FLOAT_UNARY(ROUND, ref::RoundHalfEven)
EDGELITE_FLOAT_UNARY(SQRT, Sqrt)
EDGELITE_FLOAT_UNARY(EXP, Exp)
EDGELITE_FLOAT_UNARY(LOG, Log)
EDGELITE_FLOAT_UNARY(SIN, Sin)
EDGELITE_FLOAT_UNARY(COS, Cos)
EDGELITE_FLOAT_UNARY(SQUARE, ref::Square)
#undef EDGELITE_FLOAT_UNARY

#define EDGELITE_INT_UNARY(NAME, OP)                                                      \
  const OpRegistration* Register_##NAME() {                                               \
    static const OpRegistration reg = {#NAME, nullptr, PrepareIntOp<OP>, EvalIntOp<OP>};  \
    return &reg;                                                                          \
  }
EDGELITE_INT_UNARY(ABS, IntOp::kAbs)
EDGELITE_INT_UNARY(NEG, IntOp::kNeg)
EDGELITE_INT_UNARY(SIGN, IntOp::kSign)
#undef EDGELITE_INT_UNARY

}  // namespace ops
}  // namespace edgelite
