// LEAKY_RELU: x for x >= 0, alpha * x below (LeakyReluOptions.alpha, default
// 0 as in the schema). float32; quantized inputs: kUnsupported for now.
#include "src/ops/elementwise_util.h"
#include "src/ref/unary.h"

namespace edgelite {
namespace ops {
namespace {

struct LeakyReluData {
  float alpha;
};

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(PrepareUnary(ctx, TypeBit(DataType::kFloat32)));
  auto* data = static_cast<LeakyReluData*>(ctx.user_data());
  if (data == nullptr) {
    data = ctx.AllocatePersistent<LeakyReluData>();
    if (data == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
    ctx.set_user_data(data);
  }
  const auto* opts = Options<fb::LeakyReluOptions>(ctx);
  data->alpha = opts ? opts->alpha() : 0.0f;  // schema default
  return Status::Ok();
}

Status Eval(OpContext& ctx) {
  const float alpha = static_cast<const LeakyReluData*>(ctx.user_data())->alpha;
  EvalUnary<float>(ctx, [alpha](float x) { return ref::LeakyRelu(x, alpha); });
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_LEAKY_RELU() {
  static const OpRegistration reg = {"LEAKY_RELU", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
