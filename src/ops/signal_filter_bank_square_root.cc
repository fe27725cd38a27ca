// SignalFilterBankSquareRoot (TFLM custom op): out = rounded_sqrt(in) >> shift,
// the shift being SignalFftAutoScale's scale bits (undoing that scaling).
// Inputs: uint64 [C], int32 scalar shift (in [0, 31]; checked at each invoke,
// since it is computed). Output: uint32 [C]. No options.
#include "src/ops/signal_util.h"
#include "src/ref/signal.h"

namespace edgelite {
namespace ops {
namespace {

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  Tensor *in, *shift, *out;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &in));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 1, &shift));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &out));
  EDGELITE_RETURN_IF_ERROR(CheckVector(ctx, in, DataType::kUInt64, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, shift, DataType::kInt32, "scale bits"));
  if (shift->num_elements() != 1)
    return ctx.Invalid("scale bits '%s' must hold one value", shift->name);
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, out, DataType::kUInt32, "output"));
  return ctx.ResizeOutput(out, in->shape);
}

Status Eval(OpContext& ctx) {
  const Tensor* in = ctx.input(0);
  const int32_t shift = *ctx.input(1)->data_as<int32_t>();
  if (shift < 0 || shift > 31)
    return ctx.Fail(StatusCode::kRuntimeError, "scale bits %d out of [0, 31]", shift);
  ref::signal::FilterBankSquareRoot(in->data_as<uint64_t>(),
                                    static_cast<int32_t>(in->num_elements()), shift,
                                    ctx.output(0)->data_as<uint32_t>());
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_SIGNAL_FILTER_BANK_SQUARE_ROOT() {
  static const OpRegistration r = {"SignalFilterBankSquareRoot", nullptr, Prepare, Eval};
  return &r;
}

}  // namespace ops
}  // namespace edgelite
