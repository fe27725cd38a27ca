// SignalWindow (TFLM custom op): multiplies each frame by a window,
// out = saturate_int16((in * w) >> shift).
// Inputs: int16 frames [..., W] (any rank >= 1; the flat size a multiple of W),
//         int16 window [W]. Output: int16, the input's shape.
// Options (FlexBuffer map): shift in [0, 31].
#include "src/ops/signal_util.h"
#include "src/ref/signal.h"

namespace edgelite {
namespace ops {
namespace {

struct OpData {
  int32_t shift = 0;
};

Status Init(OpContext& ctx) {
  OpData* d = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &d));
  SignalOptions opts;
  EDGELITE_RETURN_IF_ERROR(opts.Parse(ctx));
  return opts.Int(ctx, "shift", 0, 31, &d->shift);
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  Tensor *in, *window, *out;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &in));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 1, &window));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &out));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, in, DataType::kInt16, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, in, 1, kMaxRank, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckVector(ctx, window, DataType::kInt16, "window"));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, out, DataType::kInt16, "output"));
  const int64_t w = window->num_elements();
  if (w <= 0) return ctx.Invalid("window '%s' is empty", window->name);
  if (in->num_elements() % w != 0)
    return ctx.Invalid("input '%s' has %lld values, not a whole number of %lld-sample frames",
                       in->name, static_cast<long long>(in->num_elements()),
                       static_cast<long long>(w));
  return ctx.ResizeOutput(out, in->shape);
}

Status Eval(OpContext& ctx) {
  const auto* d = static_cast<const OpData*>(ctx.user_data());
  const Tensor* in = ctx.input(0);
  const Tensor* window = ctx.input(1);
  Tensor* out = ctx.output(0);
  const int32_t w = static_cast<int32_t>(window->num_elements());
  const int64_t n = in->num_elements();
  for (int64_t i = 0; i < n; i += w)
    ref::signal::Window(in->data_as<int16_t>() + i, window->data_as<int16_t>(), w, d->shift,
                        out->data_as<int16_t>() + i);
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_SIGNAL_WINDOW() {
  static const OpRegistration r = {"SignalWindow", Init, Prepare, Eval};
  return &r;
}

}  // namespace ops
}  // namespace edgelite
