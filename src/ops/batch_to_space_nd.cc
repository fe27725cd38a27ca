// BATCH_TO_SPACE_ND: the inverse of SPACE_TO_BATCH_ND. Moves batch blocks
// (block_shape int32 [M]) back into the M spatial dimensions of
// [B, T_1..T_M, C] and crops them (crops int32 [M, 2]): output
// [B / prod(block), T_i * block_i - crops_i, C]. M = rank - 2. Pure data
// movement: any fixed-size element type. block_shape and crops may be
// computed at run time (the output is then dynamic).
#include "src/ops/op_util.h"
#include "src/ops/window_util.h"
#include "src/ref/space_batch.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kInput = 0, kBlock = 1, kCrops = 2;

struct BatchSpaceData {
  int32_t block[kMaxRank];
  int32_t crop_before[kMaxRank];
};

Status ComputeShape(OpContext& ctx) {
  const Tensor* input = ctx.input(kInput);
  const Tensor* block = ctx.input(kBlock);
  const Tensor* crops = ctx.input(kCrops);
  auto* d = static_cast<BatchSpaceData*>(ctx.user_data());
  const int m = input->shape.rank - 2;
  Shape out = input->shape;
  int64_t batch = input->shape[0];
  for (int i = 0; i < m; ++i) {
    const int32_t b = block->data_as<int32_t>()[i];
    const int32_t before = crops->data_as<int32_t>()[2 * i];
    const int32_t after = crops->data_as<int32_t>()[2 * i + 1];
    if (b < 1) return ctx.Invalid("block_shape[%d] = %d must be positive", i, b);
    if (before < 0 || after < 0)
      return ctx.Invalid("crops[%d] = [%d, %d] must be non-negative", i, before, after);
    if (batch % b != 0)
      return ctx.Invalid("input batch %d is not divisible by the block size product",
                         input->shape[0]);
    batch /= b;
    const int64_t full = int64_t{input->shape[1 + i]} * b;
    const int64_t size = full - before - after;
    if (size < 0)
      return ctx.Invalid("crops [%d, %d] exceed the size %lld of spatial dimension %d", before,
                         after, static_cast<long long>(full), i);
    if (size > INT32_MAX) return ctx.Invalid("output dimension %d overflows", i + 1);
    out.dims[1 + i] = static_cast<int32_t>(size);
    d->block[i] = b;
    d->crop_before[i] = before;
  }
  out.dims[0] = static_cast<int32_t>(batch);
  return ctx.ResizeOutput(ctx.output(0), out);
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 3, 3, 1));
  Tensor *input, *block, *crops, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kInput, &input));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kBlock, &block));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kCrops, &crops));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  size_t elem;
  EDGELITE_RETURN_IF_ERROR(CopyableElementSize(ctx, input, &elem));
  EDGELITE_RETURN_IF_ERROR(CheckSameQuantization(ctx, input, output));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, input, 3, kMaxRank, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, block, DataType::kInt32, "block_shape"));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, crops, DataType::kInt32, "crops"));
  const int m = input->shape.rank - 2;
  if (block->shape.rank != 1 || block->shape[0] != m)
    return ctx.Invalid("block_shape '%s' must have shape [%d]", block->name, m);
  if (crops->shape.rank != 2 || crops->shape[0] != m || crops->shape[1] != 2)
    return ctx.Invalid("crops '%s' must have shape [%d, 2]", crops->name, m);
  BatchSpaceData* d = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &d));
  if (!ctx.HasData(block) || !ctx.HasData(crops)) {
    ctx.SetOutputDynamic(output);
    return Status::Ok();
  }
  return ComputeShape(ctx);
}

Status Eval(OpContext& ctx) {
  Tensor* input = ctx.input(kInput);
  Tensor* output = ctx.output(0);
  if (output->allocation == Allocation::kDynamic) EDGELITE_RETURN_IF_ERROR(ComputeShape(ctx));
  const auto* d = static_cast<const BatchSpaceData*>(ctx.user_data());
  ref::SpaceBatchCopy(output->shape, output->data_as<uint8_t>(), input->shape,
                      input->data_as<uint8_t>(), input->shape.rank - 2, d->block,
                      d->crop_before, DataTypeSize(input->type), nullptr, /*to_batch=*/false);
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_BATCH_TO_SPACE_ND() {
  static const OpRegistration reg = {"BATCH_TO_SPACE_ND", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
