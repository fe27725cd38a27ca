// RESIZE_NEAREST_NEIGHBOR: nearest-neighbour image resize of an NHWC tensor
// to size (int32 [2]), with align_corners / half_pixel_centers. Pure data
// movement: any fixed-size element type (quantized input and output must
// share their quantization).
#include "src/ops/op_util.h"
#include "src/ops/window_util.h"
#include "src/ref/resize.h"

namespace edgelite {
namespace ops {
namespace {

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  Tensor *input, *size, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &input));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 1, &size));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  size_t elem;
  EDGELITE_RETURN_IF_ERROR(CopyableElementSize(ctx, input, &elem));
  EDGELITE_RETURN_IF_ERROR(CheckSameQuantization(ctx, input, output));
  return ResizeImageOutput(ctx, input, size, output);
}

Status Eval(OpContext& ctx) {
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  if (output->allocation == Allocation::kDynamic)
    EDGELITE_RETURN_IF_ERROR(ResizeImageOutput(ctx, input, ctx.input(1), output));
  const auto* opts = Options<fb::ResizeNearestNeighborOptions>(ctx);
  ref::ResizeNearest(input->shape, input->data_as<uint8_t>(), output->shape,
                     output->data_as<uint8_t>(), DataTypeSize(input->type),
                     opts && opts->align_corners(), opts && opts->half_pixel_centers());
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_RESIZE_NEAREST_NEIGHBOR() {
  static const OpRegistration reg = {"RESIZE_NEAREST_NEIGHBOR", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
