// RESIZE_BILINEAR: bilinear image resize of an NHWC tensor to size (int32
// [2] = new height, width), with align_corners / half_pixel_centers (not
// both). float32, and quantized uint8 (TFLite's float formula on raw
// values) and int8/int16 (TFLite's integer kernel); input and output share
// quantization.
#include <algorithm>

#include "src/base/cpu_features.h"
#include "src/kernels/resize/resize_fast.h"
#include "src/ops/op_util.h"
#include "src/ops/quantized_unary_util.h"
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
  if (IsQuantizedSmallInt(input)) {
    EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, input->type, "output"));
    EDGELITE_RETURN_IF_ERROR(CheckQuantizedTensor(ctx, input, "input"));
    EDGELITE_RETURN_IF_ERROR(CheckQuantizedTensor(ctx, output, "output"));
  } else {
    EDGELITE_RETURN_IF_ERROR(CheckType(ctx, input, DataType::kFloat32, "input"));
    EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, DataType::kFloat32, "output"));
  }
  const auto* opts = Options<fb::ResizeBilinearOptions>(ctx);
  if (opts && opts->align_corners() && opts->half_pixel_centers())
    return ctx.Invalid("align_corners and half_pixel_centers cannot both be true");
  return ResizeImageOutput(ctx, input, size, output);
}

// float32 through the portable fast kernel (identical results), output rows split over the
// threads when there are enough of them.
void EvalFloatFast(OpContext& ctx, const Tensor* input, Tensor* output, bool align, bool half) {
  const int64_t rows = int64_t{output->shape[0]} * output->shape[1];
  const int64_t elements = output->num_elements();
  const float* in = input->data_as<float>();
  float* out = output->data_as<float>();
  const int threads = ctx.num_threads();
  if (threads <= 1 || elements < (int64_t{1} << 16) || rows < 2) {
    kernels::resize::ResizeBilinearFloat(input->shape, in, output->shape, out, align, half, 0,
                                         rows);
    return;
  }
  const int32_t tasks = static_cast<int32_t>(std::min<int64_t>(rows, int64_t{threads} * 4));
  ctx.ParallelFor(tasks, [&](int32_t t, int32_t) {
    kernels::resize::ResizeBilinearFloat(input->shape, in, output->shape, out, align, half,
                                         rows * t / tasks, rows * (t + 1) / tasks);
  });
}

Status Eval(OpContext& ctx) {
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  if (output->allocation == Allocation::kDynamic)
    EDGELITE_RETURN_IF_ERROR(ResizeImageOutput(ctx, input, ctx.input(1), output));
  const auto* opts = Options<fb::ResizeBilinearOptions>(ctx);
  const bool align = opts && opts->align_corners();
  const bool half = opts && opts->half_pixel_centers();
  switch (input->type) {
    case DataType::kUInt8:
      ref::ResizeBilinearUInt8(input->shape, input->data_as<uint8_t>(), output->shape,
                               output->data_as<uint8_t>(), align, half);
      break;
    case DataType::kInt8:
      ref::ResizeBilinearInteger(input->shape, input->data_as<int8_t>(), output->shape,
                                 output->data_as<int8_t>(), align, half);
      break;
    case DataType::kInt16:
      ref::ResizeBilinearInteger(input->shape, input->data_as<int16_t>(), output->shape,
                                 output->data_as<int16_t>(), align, half);
      break;
    default:
      if (kOptimizedKernels) {
        EvalFloatFast(ctx, input, output, align, half);
      } else {
        ref::ResizeBilinearFloat(input->shape, input->data_as<float>(), output->shape,
                                 output->data_as<float>(), align, half);
      }
      break;
  }
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_RESIZE_BILINEAR() {
  static const OpRegistration reg = {"RESIZE_BILINEAR", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
