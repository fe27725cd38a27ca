// RESIZE_BILINEAR: bilinear image resize of an NHWC tensor to size (int32
// [2] = new height, width), with align_corners / half_pixel_centers (not
// both). float32 only.
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
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, input, DataType::kFloat32, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, DataType::kFloat32, "output"));
  const auto* opts = Options<fb::ResizeBilinearOptions>(ctx);
  if (opts && opts->align_corners() && opts->half_pixel_centers())
    return ctx.Invalid("align_corners and half_pixel_centers cannot both be true");
  return ResizeImageOutput(ctx, input, size, output);
}

Status Eval(OpContext& ctx) {
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  if (output->allocation == Allocation::kDynamic)
    EDGELITE_RETURN_IF_ERROR(ResizeImageOutput(ctx, input, ctx.input(1), output));
  const auto* opts = Options<fb::ResizeBilinearOptions>(ctx);
  ref::ResizeBilinearFloat(input->shape, input->data_as<float>(), output->shape,
                           output->data_as<float>(), opts && opts->align_corners(),
                           opts && opts->half_pixel_centers());
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_RESIZE_BILINEAR() {
  static const OpRegistration reg = {"RESIZE_BILINEAR", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
