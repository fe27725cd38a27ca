// MIRROR_PAD: pads by mirroring the input at its edges, REFLECT (edge not
// repeated; padding <= size - 1) or SYMMETRIC (edge repeated; padding <=
// size). paddings is int32 or int64 [rank, 2]. Pure data movement: any
// fixed-size element type. paddings may be computed at run time.
#include "src/ops/op_util.h"
#include "src/ops/window_util.h"
#include "src/ref/pad.h"

namespace edgelite {
namespace ops {

// From pad.cc.
Status PadPaddedShape(OpContext& ctx, const Tensor* input, const Tensor* paddings,
                      int mirror_offset, int32_t* pad_before, Shape* out);
Status PadCheckPaddingsTensor(OpContext& ctx, const Tensor* input, const Tensor* paddings);

namespace {

struct MirrorPadData {
  int32_t pad_before[kMaxRank];
  int32_t offset;  // 1 REFLECT, 0 SYMMETRIC
};

Status Resize(OpContext& ctx) {
  auto* d = static_cast<MirrorPadData*>(ctx.user_data());
  Shape out;
  EDGELITE_RETURN_IF_ERROR(
      PadPaddedShape(ctx, ctx.input(0), ctx.input(1), d->offset, d->pad_before, &out));
  return ctx.ResizeOutput(ctx.output(0), out);
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  Tensor *input, *paddings, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &input));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 1, &paddings));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  size_t elem;
  EDGELITE_RETURN_IF_ERROR(CopyableElementSize(ctx, input, &elem));
  EDGELITE_RETURN_IF_ERROR(CheckSameQuantization(ctx, input, output));
  EDGELITE_RETURN_IF_ERROR(PadCheckPaddingsTensor(ctx, input, paddings));
  const auto* opts = Options<fb::MirrorPadOptions>(ctx);
  const fb::MirrorPadMode mode = opts ? opts->mode() : fb::MirrorPadMode::REFLECT;
  if (mode != fb::MirrorPadMode::REFLECT && mode != fb::MirrorPadMode::SYMMETRIC)
    return ctx.Invalid("unknown mirror pad mode %d", static_cast<int>(mode));
  MirrorPadData* d = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &d));
  d->offset = mode == fb::MirrorPadMode::REFLECT ? 1 : 0;
  if (!ctx.HasData(paddings)) {
    ctx.SetOutputDynamic(output);
    return Status::Ok();
  }
  return Resize(ctx);
}

Status Eval(OpContext& ctx) {
  Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  if (output->allocation == Allocation::kDynamic) EDGELITE_RETURN_IF_ERROR(Resize(ctx));
  const auto* d = static_cast<const MirrorPadData*>(ctx.user_data());
  ref::PadCopy(input->shape, input->data_as<uint8_t>(), output->shape,
               output->data_as<uint8_t>(), d->pad_before, DataTypeSize(input->type), nullptr,
               d->offset);
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_MIRROR_PAD() {
  static const OpRegistration reg = {"MIRROR_PAD", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
