// L2_NORMALIZATION over the last axis: x / max(||x||, 1e-6), with an
// optional fused activation (L2NormOptions). float32 only.
#include "src/ops/op_util.h"
#include "src/ref/l2_normalization.h"

namespace edgelite {
namespace ops {
namespace {

struct L2NormData {
  float act_min, act_max;
};

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  Tensor *input, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &input));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, input, DataType::kFloat32, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, DataType::kFloat32, "output"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, input, 1, kMaxRank, "input"));
  L2NormData* d = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &d));
  const auto* opts = Options<fb::L2NormOptions>(ctx);
  const auto act = opts ? opts->fused_activation_function() : fb::ActivationFunctionType::NONE;
  EDGELITE_RETURN_IF_ERROR(FloatActivationRange(ctx, act, &d->act_min, &d->act_max));
  return ctx.ResizeOutput(output, input->shape);
}

Status Eval(OpContext& ctx) {
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  const auto* d = static_cast<const L2NormData*>(ctx.user_data());
  const int64_t depth = input->shape[input->shape.rank - 1];
  const int64_t rows = depth ? input->num_elements() / depth : 0;
  ref::L2NormalizationFloat(input->data_as<float>(), output->data_as<float>(), rows, depth,
                            d->act_min, d->act_max);
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_L2_NORMALIZATION() {
  static const OpRegistration reg = {"L2_NORMALIZATION", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
