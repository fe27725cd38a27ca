// FULLY_CONNECTED: input [..., depth] x weights [units, depth]^T + bias.
// float32 here; integer and hybrid variants come with quantized inference.
#include "src/ops/op_util.h"
#include "src/ref/fully_connected.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kInput = 0, kWeights = 1, kBias = 2;

struct FcData {
  float act_min, act_max;
};

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 3, -1));
  if (ctx.num_outputs() < 1) return ctx.Invalid("expects 1 output, got 0");
  Tensor *input, *weights, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kInput, &input));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kWeights, &weights));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  Tensor* bias = ctx.input(kBias);
  const auto* opts = Options<fb::FullyConnectedOptions>(ctx);
  if (opts && opts->weights_format() != fb::FullyConnectedOptionsWeightsFormat::DEFAULT)
    return ctx.Fail(StatusCode::kUnsupported, "weights format %s is not supported",
                    fb::EnumNameFullyConnectedOptionsWeightsFormat(opts->weights_format()));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, input, DataType::kFloat32, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, weights, DataType::kFloat32, "weights"));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, DataType::kFloat32, "output"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, weights, 2, 2, "weights"));
  const int32_t units = weights->shape[0], depth = weights->shape[1];
  if (input->shape.rank < 1) return ctx.Invalid("input '%s' must have rank >= 1", input->name);
  const int64_t n = input->shape.NumElements();
  if (depth == 0 ? n != 0 : n % depth != 0)
    return ctx.Invalid("input '%s' has %lld elements, not a multiple of the weights depth %d",
                       input->name, static_cast<long long>(n), depth);
  if (bias) {
    EDGELITE_RETURN_IF_ERROR(CheckType(ctx, bias, DataType::kFloat32, "bias"));
    if (bias->shape.NumElements() != units)
      return ctx.Invalid("bias '%s' has %lld elements; expected %d (units)", bias->name,
                         static_cast<long long>(bias->shape.NumElements()), units);
  }
  auto* data = static_cast<FcData*>(ctx.user_data());
  if (data == nullptr) {
    data = ctx.AllocatePersistent<FcData>();
    if (data == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
    ctx.set_user_data(data);
  }
  const auto act = opts ? opts->fused_activation_function() : fb::ActivationFunctionType::NONE;
  EDGELITE_RETURN_IF_ERROR(FloatActivationRange(ctx, act, &data->act_min, &data->act_max));
  Shape out;
  if (opts && opts->keep_num_dims()) {
    out = input->shape;
    out.dims[out.rank - 1] = units;
  } else {
    out = Shape{static_cast<int32_t>(depth ? n / depth : 0), units};
  }
  return ctx.ResizeOutput(output, out);
}

Status Eval(OpContext& ctx) {
  const Tensor* input = ctx.input(kInput);
  const Tensor* weights = ctx.input(kWeights);
  const Tensor* bias = ctx.input(kBias);
  Tensor* output = ctx.output(0);
  const auto* data = static_cast<const FcData*>(ctx.user_data());
  const int64_t units = weights->shape[0], depth = weights->shape[1];
  const int64_t batches = depth ? input->shape.NumElements() / depth : 0;
  ref::FullyConnectedFloat(input->data_as<float>(), weights->data_as<float>(),
                           bias ? bias->data_as<float>() : nullptr, output->data_as<float>(),
                           batches, depth, units, data->act_min, data->act_max);
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_FULLY_CONNECTED() {
  static const OpRegistration reg = {"FULLY_CONNECTED", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
