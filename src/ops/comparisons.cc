// Comparisons: LESS, LESS_EQUAL, GREATER, GREATER_EQUAL, EQUAL, NOT_EQUAL.
// Two inputs of one type, NumPy broadcasting, bool output. Types: float32,
// int32, int64, int16, int8, uint8; bool for EQUAL/NOT_EQUAL. 8/16-bit inputs
// compare raw values, which is exact when both share scale and zero point;
// inputs with different quantization parameters need rescaling (kUnsupported).
#include "src/ops/elementwise_util.h"

namespace edgelite {
namespace ops {
namespace {

constexpr uint32_t kOrderedTypes = TypeBit(DataType::kFloat32) | TypeBit(DataType::kInt32) |
                                   TypeBit(DataType::kInt64) | TypeBit(DataType::kInt16) |
                                   TypeBit(DataType::kInt8) | TypeBit(DataType::kUInt8);

enum class Cmp { kLess, kLessEqual, kGreater, kGreaterEqual, kEqual, kNotEqual };

template <Cmp kCmp>
Status Prepare(OpContext& ctx) {
  BinarySpec spec;
  spec.types = kOrderedTypes;
  if (kCmp == Cmp::kEqual || kCmp == Cmp::kNotEqual) spec.types |= TypeBit(DataType::kBool);
  spec.quant = QuantPolicy::kRequireSame;
  spec.bool_output = true;
  return PrepareBinary(ctx, spec);
}

template <Cmp kCmp, typename T>
bool Compare(T a, T b) {
  switch (kCmp) {
    case Cmp::kLess: return a < b;
    case Cmp::kLessEqual: return a <= b;
    case Cmp::kGreater: return a > b;
    case Cmp::kGreaterEqual: return a >= b;
    case Cmp::kEqual: return a == b;
    case Cmp::kNotEqual: return a != b;
  }
  return false;
}

template <Cmp kCmp>
Status Eval(OpContext& ctx) {
  switch (ctx.input(0)->type) {
#define EDGELITE_CMP_CASE(DT, T)                  \
  case DataType::DT:                              \
    EvalPredicate<T>(ctx, Compare<kCmp, T>);      \
    return Status::Ok();
    EDGELITE_CMP_CASE(kFloat32, float)
    EDGELITE_CMP_CASE(kInt32, int32_t)
    EDGELITE_CMP_CASE(kInt64, int64_t)
    EDGELITE_CMP_CASE(kInt16, int16_t)
    EDGELITE_CMP_CASE(kInt8, int8_t)
    EDGELITE_CMP_CASE(kUInt8, uint8_t)
#undef EDGELITE_CMP_CASE
    case DataType::kBool:
      // Bool tensors are read as bytes (any nonzero byte is true) so that a
      // caller's stray byte value cannot make a bool load undefined.
      EvalPredicate<uint8_t>(ctx, [](uint8_t a, uint8_t b) {
        return Compare<kCmp, bool>(a != 0, b != 0);
      });
      return Status::Ok();
    default:
      return ctx.Fail(StatusCode::kInternal, "unexpected type");
  }
}

}  // namespace

#define EDGELITE_CMP_REGISTER(NAME, CMP)                                           \
  const OpRegistration* Register_##NAME() {                                        \
    static const OpRegistration reg = {#NAME, nullptr, Prepare<CMP>, Eval<CMP>};   \
    return &reg;                                                                   \
  }
EDGELITE_CMP_REGISTER(LESS, Cmp::kLess)
EDGELITE_CMP_REGISTER(LESS_EQUAL, Cmp::kLessEqual)
EDGELITE_CMP_REGISTER(GREATER, Cmp::kGreater)
EDGELITE_CMP_REGISTER(GREATER_EQUAL, Cmp::kGreaterEqual)
EDGELITE_CMP_REGISTER(EQUAL, Cmp::kEqual)
EDGELITE_CMP_REGISTER(NOT_EQUAL, Cmp::kNotEqual)
#undef EDGELITE_CMP_REGISTER

}  // namespace ops
}  // namespace edgelite
