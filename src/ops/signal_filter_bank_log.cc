// SignalFilterBankLog (TFLM custom op): out = min(ln(in << input_correction_bits)
// * output_scale, 32767) in TFLM's fixed point (src/ref/signal.h), 0 for values
// that shift to 0 or 1.
// Input: uint32 [C]. Output: int16 [C].
// Options (FlexBuffer map): input_correction_bits in [0, 31], output_scale >= 0.
#include "src/ops/signal_util.h"
#include "src/ref/signal.h"

namespace edgelite {
namespace ops {
namespace {

struct OpData {
  int32_t correction_bits = 0, output_scale = 0;
};

Status Init(OpContext& ctx) {
  OpData* d = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &d));
  SignalOptions opts;
  EDGELITE_RETURN_IF_ERROR(opts.Parse(ctx));
  EDGELITE_RETURN_IF_ERROR(opts.Int(ctx, "input_correction_bits", 0, 31, &d->correction_bits));
  return opts.Int(ctx, "output_scale", 0, INT32_MAX, &d->output_scale);
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  Tensor *in, *out;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &in));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &out));
  EDGELITE_RETURN_IF_ERROR(CheckVector(ctx, in, DataType::kUInt32, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, out, DataType::kInt16, "output"));
  return ctx.ResizeOutput(out, in->shape);
}

Status Eval(OpContext& ctx) {
  const auto* d = static_cast<const OpData*>(ctx.user_data());
  const Tensor* in = ctx.input(0);
  ref::signal::FilterBankLog(in->data_as<uint32_t>(), static_cast<int32_t>(in->num_elements()),
                             static_cast<uint32_t>(d->output_scale),
                             static_cast<uint32_t>(d->correction_bits),
                             ctx.output(0)->data_as<int16_t>());
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_SIGNAL_FILTER_BANK_LOG() {
  static const OpRegistration r = {"SignalFilterBankLog", Init, Prepare, Eval};
  return &r;
}

}  // namespace ops
}  // namespace edgelite
