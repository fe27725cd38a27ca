// PRELU: x for x >= 0, alpha * x below, alpha broadcast against the input
// (NumPy rules; the output takes the broadcast shape, as in TFLite).
// float32; quantized inputs: kUnsupported for now.
#include "src/ops/elementwise_util.h"
#include "src/ref/unary.h"

namespace edgelite {
namespace ops {
namespace {

Status Prepare(OpContext& ctx) {
  BinarySpec spec;
  spec.types = TypeBit(DataType::kFloat32);
  return PrepareBinary(ctx, spec);
}

Status Eval(OpContext& ctx) {
  EvalBinary<float>(ctx, ref::Prelu);
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_PRELU() {
  static const OpRegistration reg = {"PRELU", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
