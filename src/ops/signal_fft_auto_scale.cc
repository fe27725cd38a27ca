// SignalFftAutoScale (TFLM custom op): shifts a frame left by the most bits
// that keep its peak below 2^15 (no shift if it is already there), so the
// fixed-point FFT keeps precision.
// Input: int16 [N]. Outputs: int16 [N] (scaled), int32 scalar (the shift;
// SignalFilterBankSquareRoot undoes it). No options.
#include "src/ops/signal_util.h"
#include "src/ref/signal.h"

namespace edgelite {
namespace ops {
namespace {

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 2));
  Tensor *in, *out, *shift;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &in));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &out));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 1, &shift));
  EDGELITE_RETURN_IF_ERROR(CheckVector(ctx, in, DataType::kInt16, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, out, DataType::kInt16, "output"));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, shift, DataType::kInt32, "scale bits output"));
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(out, in->shape));
  return ctx.ResizeOutput(shift, Shape{});
}

Status Eval(OpContext& ctx) {
  const Tensor* in = ctx.input(0);
  Tensor* out = ctx.output(0);
  *ctx.output(1)->data_as<int32_t>() = ref::signal::FftAutoScale(
      in->data_as<int16_t>(), static_cast<int32_t>(in->num_elements()), out->data_as<int16_t>());
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_SIGNAL_FFT_AUTO_SCALE() {
  static const OpRegistration r = {"SignalFftAutoScale", nullptr, Prepare, Eval};
  return &r;
}

}  // namespace ops
}  // namespace edgelite
