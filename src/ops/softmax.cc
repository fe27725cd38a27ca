// SOFTMAX over the last axis, with SoftmaxOptions.beta scaling the logits
// (schema default 0 when the options are absent). float32 only.
#include "src/ops/op_util.h"
#include "src/ref/softmax.h"

namespace edgelite {
namespace ops {
namespace {

struct SoftmaxData {
  float beta;
};

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  Tensor *input, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &input));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, input, DataType::kFloat32, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, DataType::kFloat32, "output"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, input, 1, kMaxRank, "input"));
  auto* d = static_cast<SoftmaxData*>(ctx.user_data());
  if (d == nullptr) {
    d = ctx.AllocatePersistent<SoftmaxData>();
    if (d == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
    ctx.set_user_data(d);
  }
  const auto* opts = Options<fb::SoftmaxOptions>(ctx);
  d->beta = opts ? opts->beta() : 0.0f;
  return ctx.ResizeOutput(output, input->shape);
}

Status Eval(OpContext& ctx) {
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  const int64_t depth = input->shape[input->shape.rank - 1];
  const int64_t rows = depth ? input->num_elements() / depth : 0;
  ref::SoftmaxFloat(input->data_as<float>(), output->data_as<float>(), rows, depth,
                    static_cast<const SoftmaxData*>(ctx.user_data())->beta);
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_SOFTMAX() {
  static const OpRegistration reg = {"SOFTMAX", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
