// SignalFilterBankSpectralSubtraction (TFLM custom op): subtracts a running
// per-channel noise estimate (src/ref/signal.h). Stateful: the estimate is kept
// in persistent memory across invokes and reset to 0 at every prepare
// (AllocateTensors) and by Interpreter::ResetVariables, as TFLM resets it in
// prepare and in MicroInterpreter::Reset.
// Input: uint32 [C]. Outputs: uint32 [C] signal, uint32 [C] noise estimate
// (a copy of the state after this frame, for SignalPCAN).
// Options (FlexBuffer map): num_channels (= C), smoothing, one_minus_smoothing,
// alternate_smoothing, alternate_one_minus_smoothing, min_signal_remaining
// (all >= 0, scaled by 2^spectral_subtraction_bits), smoothing_bits in
// [0, 31], spectral_subtraction_bits in [0, 63], clamping (bool).
#include <cstring>

#include "src/ops/signal_util.h"
#include "src/ref/signal.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int32_t kMaxChannels = 1 << 16;

struct OpData {
  ref::signal::SpectralSubtractionParams params;
  uint32_t* noise = nullptr;  // num_channels, persistent
};

Status Init(OpContext& ctx) {
  OpData* d = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &d));
  SignalOptions opts;
  EDGELITE_RETURN_IF_ERROR(opts.Parse(ctx));
  ref::signal::SpectralSubtractionParams& p = d->params;
  // Unsigned fields, read in the option order of the model's map.
  auto read_u32 = [&](const char* key, int64_t hi, uint32_t* out) -> Status {
    int32_t v = 0;
    EDGELITE_RETURN_IF_ERROR(opts.Int(ctx, key, 0, hi, &v));
    *out = static_cast<uint32_t>(v);
    return Status::Ok();
  };
  EDGELITE_RETURN_IF_ERROR(read_u32("smoothing", INT32_MAX, &p.smoothing));
  EDGELITE_RETURN_IF_ERROR(read_u32("one_minus_smoothing", INT32_MAX, &p.one_minus_smoothing));
  EDGELITE_RETURN_IF_ERROR(read_u32("alternate_smoothing", INT32_MAX, &p.alternate_smoothing));
  EDGELITE_RETURN_IF_ERROR(
      read_u32("alternate_one_minus_smoothing", INT32_MAX, &p.alternate_one_minus_smoothing));
  EDGELITE_RETURN_IF_ERROR(read_u32("min_signal_remaining", INT32_MAX, &p.min_signal_remaining));
  EDGELITE_RETURN_IF_ERROR(opts.Int(ctx, "num_channels", 1, kMaxChannels, &p.num_channels));
  EDGELITE_RETURN_IF_ERROR(read_u32("smoothing_bits", 31, &p.smoothing_bits));
  EDGELITE_RETURN_IF_ERROR(read_u32("spectral_subtraction_bits", 63, &p.spectral_subtraction_bits));
  EDGELITE_RETURN_IF_ERROR(opts.Bool(ctx, "clamping", &p.clamping));
  d->noise = static_cast<uint32_t*>(
      ctx.AllocatePersistent(static_cast<size_t>(p.num_channels) * sizeof(uint32_t)));
  if (d->noise == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
  return Status::Ok();
}

Status Reset(OpContext& ctx) {
  auto* d = static_cast<OpData*>(ctx.user_data());
  if (d != nullptr && d->noise != nullptr)
    memset(d->noise, 0, static_cast<size_t>(d->params.num_channels) * sizeof(uint32_t));
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  const auto* d = static_cast<const OpData*>(ctx.user_data());
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 2));
  Tensor *in, *out, *noise;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &in));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &out));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 1, &noise));
  EDGELITE_RETURN_IF_ERROR(CheckVector(ctx, in, DataType::kUInt32, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, out, DataType::kUInt32, "output"));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, noise, DataType::kUInt32, "noise estimate output"));
  if (in->shape[0] != d->params.num_channels)
    return ctx.Invalid("input '%s' has %d channels; num_channels is %d", in->name, in->shape[0],
                       d->params.num_channels);
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(out, in->shape));
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(noise, in->shape));
  return Reset(ctx);
}

Status Eval(OpContext& ctx) {
  const auto* d = static_cast<const OpData*>(ctx.user_data());
  ref::signal::SpectralSubtraction(d->params, ctx.input(0)->data_as<uint32_t>(),
                                   ctx.output(0)->data_as<uint32_t>(), d->noise);
  memcpy(ctx.output(1)->data, d->noise,
         static_cast<size_t>(d->params.num_channels) * sizeof(uint32_t));
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_SIGNAL_FILTER_BANK_SPECTRAL_SUBTRACTION() {
  static const OpRegistration r = {"SignalFilterBankSpectralSubtraction", Init, Prepare, Eval,
                                   Reset};
  return &r;
}

}  // namespace ops
}  // namespace edgelite
