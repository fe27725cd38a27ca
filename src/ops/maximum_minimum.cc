// MAXIMUM and MINIMUM: elementwise max/min with NumPy broadcasting.
// float32, int32, int64 and 8/16-bit integers. The ops only pick one of the
// two input values, so quantized inputs are handled on their raw values, as
// TFLite does (it assumes inputs and output share quantization parameters).
#include "src/ops/elementwise_util.h"
#include "src/ref/binary_elementwise.h"

namespace edgelite {
namespace ops {
namespace {

constexpr uint32_t kTypes = TypeBit(DataType::kFloat32) | TypeBit(DataType::kInt32) |
                            TypeBit(DataType::kInt64) | TypeBit(DataType::kInt8) |
                            TypeBit(DataType::kUInt8) | TypeBit(DataType::kInt16);

template <bool kMax>
Status Prepare(OpContext& ctx) {
  BinarySpec spec;
  spec.types = kTypes;
  spec.quant = QuantPolicy::kIgnore;
  spec.has_f32_op = true;
  spec.f32_op = kMax ? kernels::elementwise_f32::BinaryOp::kMaximum
                     : kernels::elementwise_f32::BinaryOp::kMinimum;
  return PrepareBinary(ctx, spec);
}

template <bool kMax>
Status Eval(OpContext& ctx) {
  switch (ctx.input(0)->type) {
#define EDGELITE_MAXMIN_CASE(DT, T)                                        \
  case DataType::DT:                                                       \
    EvalBinary<T>(ctx, kMax ? ref::Maximum<T> : ref::Minimum<T>);          \
    break;
    EDGELITE_MAXMIN_CASE(kFloat32, float)
    EDGELITE_MAXMIN_CASE(kInt32, int32_t)
    EDGELITE_MAXMIN_CASE(kInt64, int64_t)
    EDGELITE_MAXMIN_CASE(kInt8, int8_t)
    EDGELITE_MAXMIN_CASE(kUInt8, uint8_t)
    EDGELITE_MAXMIN_CASE(kInt16, int16_t)
#undef EDGELITE_MAXMIN_CASE
    default:
      return ctx.Fail(StatusCode::kInternal, "unexpected type");
  }
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_MAXIMUM() {
  static const OpRegistration reg = {"MAXIMUM", nullptr, Prepare<true>, Eval<true>};
  return &reg;
}

const OpRegistration* Register_MINIMUM() {
  static const OpRegistration reg = {"MINIMUM", nullptr, Prepare<false>, Eval<false>};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
