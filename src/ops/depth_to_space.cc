// DEPTH_TO_SPACE: moves depth into bs x bs spatial blocks of an NHWC tensor
// ([N, H, W, C] -> [N, H*bs, W*bs, C/(bs*bs)]). Pure data movement: any
// fixed-size element type.
#include "src/ops/op_util.h"
#include "src/ops/window_util.h"
#include "src/ref/space_depth.h"

namespace edgelite {
namespace ops {
namespace {

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  Tensor *input, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &input));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  size_t elem;
  EDGELITE_RETURN_IF_ERROR(CopyableElementSize(ctx, input, &elem));
  EDGELITE_RETURN_IF_ERROR(CheckSameQuantization(ctx, input, output));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, input, 4, 4, "input"));
  const auto* opts = Options<fb::DepthToSpaceOptions>(ctx);
  const int32_t bs = opts ? opts->block_size() : 0;
  if (bs < 1 || bs > kMaxWindowStep)
    return ctx.Invalid("block_size %d is out of range [1, %d]", bs, kMaxWindowStep);
  const int32_t h = input->shape[1], w = input->shape[2], c = input->shape[3];
  const int64_t bb = int64_t{bs} * bs;
  if (c % bb != 0)
    return ctx.Invalid("input depth %d must be a multiple of block_size^2 = %lld", c,
                       static_cast<long long>(bb));
  if (int64_t{h} * bs > INT32_MAX || int64_t{w} * bs > INT32_MAX)
    return ctx.Invalid("output height/width overflow");
  return ctx.ResizeOutput(output, Shape{input->shape[0], h * bs, w * bs, static_cast<int32_t>(c / bb)});
}

Status Eval(OpContext& ctx) {
  Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  ref::SpaceDepthCopy(output->shape, output->data_as<uint8_t>(), input->data_as<uint8_t>(),
                      Options<fb::DepthToSpaceOptions>(ctx)->block_size(),
                      DataTypeSize(input->type), /*to_depth=*/false);
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_DEPTH_TO_SPACE() {
  static const OpRegistration reg = {"DEPTH_TO_SPACE", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
