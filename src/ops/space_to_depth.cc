// SPACE_TO_DEPTH: moves bs x bs spatial blocks of an NHWC tensor into the
// depth dimension ([N, H, W, C] -> [N, H/bs, W/bs, C*bs*bs]). Pure data
// movement: any fixed-size element type.
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
  const auto* opts = Options<fb::SpaceToDepthOptions>(ctx);
  const int32_t bs = opts ? opts->block_size() : 0;
  if (bs < 1) return ctx.Invalid("block_size %d must be positive", bs);
  const int32_t h = input->shape[1], w = input->shape[2], c = input->shape[3];
  if (h % bs != 0 || w % bs != 0)
    return ctx.Invalid("input height %d and width %d must be multiples of block_size %d", h, w,
                       bs);
  if (int64_t{c} * bs * bs > INT32_MAX) return ctx.Invalid("output depth overflows");
  return ctx.ResizeOutput(output, Shape{input->shape[0], h / bs, w / bs, c * bs * bs});
}

Status Eval(OpContext& ctx) {
  Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  ref::SpaceDepthCopy(input->shape, input->data_as<uint8_t>(), output->data_as<uint8_t>(),
                      Options<fb::SpaceToDepthOptions>(ctx)->block_size(),
                      DataTypeSize(input->type), /*to_depth=*/true);
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_SPACE_TO_DEPTH() {
  static const OpRegistration reg = {"SPACE_TO_DEPTH", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
