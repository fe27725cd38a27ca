// SignalEnergy (TFLM custom op): power spectrum re^2 + im^2 of complex int16
// bins [start_index, end_index); the other output bins are set to 0 (TFLM
// leaves them unwritten).
// Input: int16 [2 * B] (interleaved re, im). Output: uint32 [B].
// Options (FlexBuffer map): start_index, end_index with 0 <= start <= end <= B.
#include <cstring>

#include "src/ops/signal_util.h"
#include "src/ref/signal.h"

namespace edgelite {
namespace ops {
namespace {

struct OpData {
  int32_t start = 0, end = 0;
};

Status Init(OpContext& ctx) {
  OpData* d = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &d));
  SignalOptions opts;
  EDGELITE_RETURN_IF_ERROR(opts.Parse(ctx));
  EDGELITE_RETURN_IF_ERROR(opts.Int(ctx, "start_index", 0, INT32_MAX, &d->start));
  return opts.Int(ctx, "end_index", 0, INT32_MAX, &d->end);
}

Status Prepare(OpContext& ctx) {
  const auto* d = static_cast<const OpData*>(ctx.user_data());
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  Tensor *in, *out;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &in));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &out));
  EDGELITE_RETURN_IF_ERROR(CheckVector(ctx, in, DataType::kInt16, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, out, DataType::kUInt32, "output"));
  if (in->shape[0] % 2 != 0)
    return ctx.Invalid("input '%s' has %d values; complex bins need an even count", in->name,
                       in->shape[0]);
  const int32_t bins = in->shape[0] / 2;
  if (d->start > d->end || d->end > bins)
    return ctx.Invalid("start_index %d / end_index %d must satisfy 0 <= start <= end <= %d bins",
                       d->start, d->end, bins);
  return ctx.ResizeOutput(out, Shape{bins});
}

Status Eval(OpContext& ctx) {
  const auto* d = static_cast<const OpData*>(ctx.user_data());
  Tensor* out = ctx.output(0);
  if (out->bytes) memset(out->data, 0, out->bytes);
  ref::signal::Energy(ctx.input(0)->data_as<int16_t>(), d->start, d->end,
                      out->data_as<uint32_t>());
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_SIGNAL_ENERGY() {
  static const OpRegistration r = {"SignalEnergy", Init, Prepare, Eval};
  return &r;
}

}  // namespace ops
}  // namespace edgelite
