// SPACE_TO_BATCH_ND: zero-pads the M spatial dimensions of [B, S_1..S_M, C]
// (paddings int32 [M, 2]) and moves block_shape (int32 [M]) blocks into the
// batch: output [B * prod(block), (S_i + pads_i) / block_i, C]. M = rank - 2.
// Pure data movement: any fixed-size element type; the padding holds the
// output's zero point for quantized tensors, else zero. block_shape and
// paddings may be computed at run time (the output is then dynamic).
#include "src/ops/op_util.h"
#include "src/ops/window_util.h"
#include "src/ref/space_batch.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kInput = 0, kBlock = 1, kPaddings = 2;

struct SpaceBatchData {
  int32_t block[kMaxRank];
  int32_t pad_before[kMaxRank];
  uint8_t pad_value[16];
};

// Reads block_shape and paddings, validates them and sizes the output.
Status ComputeShape(OpContext& ctx) {
  const Tensor* input = ctx.input(kInput);
  const Tensor* block = ctx.input(kBlock);
  const Tensor* paddings = ctx.input(kPaddings);
  auto* d = static_cast<SpaceBatchData*>(ctx.user_data());
  const int m = input->shape.rank - 2;
  Shape out = input->shape;
  int64_t batch = input->shape[0];
  for (int i = 0; i < m; ++i) {
    const int32_t b = block->data_as<int32_t>()[i];
    const int32_t before = paddings->data_as<int32_t>()[2 * i];
    const int32_t after = paddings->data_as<int32_t>()[2 * i + 1];
    if (b < 1) return ctx.Invalid("block_shape[%d] = %d must be positive", i, b);
    if (before < 0 || after < 0)
      return ctx.Invalid("paddings[%d] = [%d, %d] must be non-negative", i, before, after);
    const int64_t padded = int64_t{input->shape[1 + i]} + before + after;
    if (padded % b != 0)
      return ctx.Invalid("padded size %lld of spatial dimension %d is not a multiple of "
                         "block_shape[%d] = %d",
                         static_cast<long long>(padded), i, i, b);
    if (padded / b > INT32_MAX) return ctx.Invalid("output dimension %d overflows", i + 1);
    out.dims[1 + i] = static_cast<int32_t>(padded / b);
    batch *= b;
    if (batch > INT32_MAX) return ctx.Invalid("output batch overflows");
    d->block[i] = b;
    d->pad_before[i] = before;
  }
  out.dims[0] = static_cast<int32_t>(batch);
  return ctx.ResizeOutput(ctx.output(0), out);
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 3, 3, 1));
  Tensor *input, *block, *paddings, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kInput, &input));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kBlock, &block));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kPaddings, &paddings));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  size_t elem;
  EDGELITE_RETURN_IF_ERROR(CopyableElementSize(ctx, input, &elem));
  EDGELITE_RETURN_IF_ERROR(CheckSameQuantization(ctx, input, output));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, input, 3, kMaxRank, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, block, DataType::kInt32, "block_shape"));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, paddings, DataType::kInt32, "paddings"));
  const int m = input->shape.rank - 2;
  if (block->shape.rank != 1 || block->shape[0] != m)
    return ctx.Invalid("block_shape '%s' must have shape [%d]", block->name, m);
  if (paddings->shape.rank != 2 || paddings->shape[0] != m || paddings->shape[1] != 2)
    return ctx.Invalid("paddings '%s' must have shape [%d, 2]", paddings->name, m);
  SpaceBatchData* d = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &d));
  ZeroValueBytes(output, d->pad_value);
  if (!ctx.HasData(block) || !ctx.HasData(paddings)) {
    ctx.SetOutputDynamic(output);
    return Status::Ok();
  }
  return ComputeShape(ctx);
}

Status Eval(OpContext& ctx) {
  Tensor* input = ctx.input(kInput);
  Tensor* output = ctx.output(0);
  if (output->allocation == Allocation::kDynamic) EDGELITE_RETURN_IF_ERROR(ComputeShape(ctx));
  const auto* d = static_cast<const SpaceBatchData*>(ctx.user_data());
  ref::SpaceBatchCopy(input->shape, input->data_as<uint8_t>(), output->shape,
                      output->data_as<uint8_t>(), input->shape.rank - 2, d->block,
                      d->pad_before, DataTypeSize(input->type), d->pad_value,
                      /*to_batch=*/true);
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_SPACE_TO_BATCH_ND() {
  static const OpRegistration reg = {"SPACE_TO_BATCH_ND", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
