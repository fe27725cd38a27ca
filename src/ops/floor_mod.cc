// FLOOR_MOD: remainder with the sign of the divisor, NumPy broadcasting.
// float32 (fmod, shifted by b when signs differ) and int8/int16/int32/int64 (a zero
// divisor is a kRuntimeError at eval, as in TFLite). Quantized: kUnsupported.
#include "src/ops/elementwise_util.h"
#include "src/ref/binary_elementwise.h"

namespace edgelite {
namespace ops {
namespace {

Status Prepare(OpContext& ctx) {
  BinarySpec spec;
  spec.types = TypeBit(DataType::kFloat32) | TypeBit(DataType::kInt8) |
               TypeBit(DataType::kInt16) | TypeBit(DataType::kInt32) | TypeBit(DataType::kInt64);
  return PrepareBinary(ctx, spec);
}

template <typename T>
Status EvalInt(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckNoZeroDivisor<T>(ctx, ctx.input(1)));
  EvalBinary<T>(ctx, ref::FloorMod<T>);
  return Status::Ok();
}

Status Eval(OpContext& ctx) {
  switch (ctx.input(0)->type) {
    case DataType::kFloat32:
      EvalBinary<float>(ctx, ref::FloorMod<float>);
      return Status::Ok();
    case DataType::kInt8: return EvalInt<int8_t>(ctx);
    case DataType::kInt16: return EvalInt<int16_t>(ctx);
    case DataType::kInt32: return EvalInt<int32_t>(ctx);
    case DataType::kInt64: return EvalInt<int64_t>(ctx);
    default:
      return ctx.Fail(StatusCode::kInternal, "unexpected type");
  }
}

}  // namespace

const OpRegistration* Register_FLOOR_MOD() {
  static const OpRegistration reg = {"FLOOR_MOD", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
