// SignalPCAN (TFLM custom op): per-channel amplitude normalization,
// out = shrink((in * gain(noise)) >> snr_shift) (src/ref/signal.h).
// Inputs: uint32 [C] signal, uint32 [C] noise estimate (from
// SignalFilterBankSpectralSubtraction), int16 gain table (>= 125 entries: a
// 32-bit noise estimate can reach entry 124). Output: uint32 [C].
// Options (FlexBuffer map): snr_shift in [0, 63].
#include "src/ops/signal_util.h"
#include "src/ref/signal.h"

namespace edgelite {
namespace ops {
namespace {

struct OpData {
  int32_t snr_shift = 0;
};

Status Init(OpContext& ctx) {
  OpData* d = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &d));
  SignalOptions opts;
  EDGELITE_RETURN_IF_ERROR(opts.Parse(ctx));
  return opts.Int(ctx, "snr_shift", 0, 63, &d->snr_shift);
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 3, 3, 1));
  Tensor *in, *noise, *lut, *out;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &in));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 1, &noise));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 2, &lut));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &out));
  EDGELITE_RETURN_IF_ERROR(CheckVector(ctx, in, DataType::kUInt32, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckVector(ctx, noise, DataType::kUInt32, "noise estimate"));
  EDGELITE_RETURN_IF_ERROR(CheckVector(ctx, lut, DataType::kInt16, "gain table"));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, out, DataType::kUInt32, "output"));
  if (noise->shape[0] != in->shape[0])
    return ctx.Invalid("noise estimate '%s' has %d channels; input '%s' has %d", noise->name,
                       noise->shape[0], in->name, in->shape[0]);
  if (lut->shape[0] < ref::signal::kPcanGainLutMinSize)
    return ctx.Invalid("gain table '%s' has %d entries; needs %d", lut->name, lut->shape[0],
                       ref::signal::kPcanGainLutMinSize);
  return ctx.ResizeOutput(out, in->shape);
}

Status Eval(OpContext& ctx) {
  const auto* d = static_cast<const OpData*>(ctx.user_data());
  const Tensor* in = ctx.input(0);
  ref::signal::Pcan(in->data_as<uint32_t>(), ctx.input(1)->data_as<uint32_t>(),
                    ctx.input(2)->data_as<int16_t>(), d->snr_shift,
                    static_cast<int32_t>(in->num_elements()), ctx.output(0)->data_as<uint32_t>());
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_SIGNAL_PCAN() {
  static const OpRegistration r = {"SignalPCAN", Init, Prepare, Eval};
  return &r;
}

}  // namespace ops
}  // namespace edgelite
