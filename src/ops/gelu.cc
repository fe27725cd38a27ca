// GELU: x * Phi(x), exact (erf) or with the tanh approximation
// (GeluOptions.approximate, default false). float32; quantized: kUnsupported.
#include "src/ops/elementwise_util.h"
#include "src/ref/unary.h"

namespace edgelite {
namespace ops {
namespace {

Status Prepare(OpContext& ctx) { return PrepareUnary(ctx, TypeBit(DataType::kFloat32)); }

Status Eval(OpContext& ctx) {
  const auto* opts = Options<fb::GeluOptions>(ctx);
  const bool approximate = opts && opts->approximate();
  EvalUnary<float>(ctx, [approximate](float x) { return ref::Gelu(x, approximate); });
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_GELU() {
  static const OpRegistration reg = {"GELU", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
