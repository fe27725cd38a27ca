// ATAN2: atan2(y, x) elementwise, y = input 0, x = input 1, NumPy broadcasting
// float32 and float64.
#include "src/ops/elementwise_util.h"
#include "src/ref/binary_elementwise.h"

namespace edgelite {
namespace ops {
namespace {

Status Prepare(OpContext& ctx) {
  BinarySpec spec;
  spec.types = TypeBit(DataType::kFloat32) | TypeBit(DataType::kFloat64);
  return PrepareBinary(ctx, spec);
}

Status Eval(OpContext& ctx) {
  switch (ctx.input(0)->type) {
    case DataType::kFloat32:
      EvalBinary<float>(ctx, ref::Atan2<float>);
      return Status::Ok();
    case DataType::kFloat64:
      EvalBinary<double>(ctx, ref::Atan2<double>);
      return Status::Ok();
    default:
      return ctx.Fail(StatusCode::kInternal, "unexpected type");
  }
}

}  // namespace

const OpRegistration* Register_ATAN2() {
  static const OpRegistration reg = {"ATAN2", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
