// Unary math ops that differ only in their scalar function (src/ref/unary.h):
// ABS, NEG, SIGN (float32 and integers), and float32-only CEIL, FLOOR, ROUND
// (half to even), SQRT, RSQRT, EXP, LOG, SIN, COS, TANH, LOGISTIC, SQUARE,
// ELU, HARD_SWISH. Quantized 8/16-bit inputs: kUnsupported for now.
#include <cmath>

#include "src/ops/elementwise_util.h"
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

}  // namespace

#define EDGELITE_FLOAT_UNARY(NAME, FN)                                                 \
  const OpRegistration* Register_##NAME() {                                            \
    static const OpRegistration reg = {#NAME, nullptr, PrepareFloat, EvalFloat<FN>};   \
    return &reg;                                                                       \
  }
EDGELITE_FLOAT_UNARY(CEIL, Ceil)
EDGELITE_FLOAT_UNARY(FLOOR, Floor)
EDGELITE_FLOAT_UNARY(ROUND, ref::RoundHalfEven)
EDGELITE_FLOAT_UNARY(SQRT, Sqrt)
EDGELITE_FLOAT_UNARY(RSQRT, ref::Rsqrt)
EDGELITE_FLOAT_UNARY(EXP, Exp)
EDGELITE_FLOAT_UNARY(LOG, Log)
EDGELITE_FLOAT_UNARY(SIN, Sin)
EDGELITE_FLOAT_UNARY(COS, Cos)
EDGELITE_FLOAT_UNARY(TANH, Tanh)
EDGELITE_FLOAT_UNARY(LOGISTIC, ref::Logistic)
EDGELITE_FLOAT_UNARY(SQUARE, ref::Square)
EDGELITE_FLOAT_UNARY(ELU, ref::Elu)
EDGELITE_FLOAT_UNARY(HARD_SWISH, ref::HardSwish)
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
