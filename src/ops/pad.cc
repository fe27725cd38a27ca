// PAD and PADV2: constant padding of any-rank tensors. paddings is int32 or
// int64 [rank, 2] (before, after per axis; non-negative). PAD pads with zero
// (the zero point for quantized outputs); PADV2 with its optional third input
// constant_values (one element of the input's type). Pure data movement: any
// fixed-size element type. paddings may be computed at run time (the output
// is then dynamic).
#include "src/ops/op_util.h"
#include "src/ops/window_util.h"
#include "src/kernels/copy/copy.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kInput = 0, kPaddings = 1, kConstant = 2;

struct PadData {
  int32_t pad_before[kMaxRank];
  uint8_t pad_value[16];
};

// Reads paddings (int32 or int64 [rank, 2]) into pad_before and the output shape.
Status PaddedShape(OpContext& ctx, const Tensor* input, const Tensor* paddings,
                   int mirror_offset, int32_t* pad_before, Shape* out) {
  *out = input->shape;
  for (int d = 0; d < input->shape.rank; ++d) {
    const int64_t before = ReadIndex(paddings, 2 * d), after = ReadIndex(paddings, 2 * d + 1);
    if (before < 0 || after < 0)
      return ctx.Invalid("paddings for axis %d = [%lld, %lld] must be non-negative", d,
                         static_cast<long long>(before), static_cast<long long>(after));
    if (mirror_offset >= 0) {
      const int64_t limit = int64_t{input->shape[d]} - mirror_offset;
      if (before > limit || after > limit)
        return ctx.Invalid("paddings for axis %d = [%lld, %lld] exceed %lld (%s mode, input "
                           "size %d)",
                           d, static_cast<long long>(before), static_cast<long long>(after),
                           static_cast<long long>(limit),
                           mirror_offset ? "REFLECT" : "SYMMETRIC", input->shape[d]);
    }
    // int64 paddings can be anything: bound each before adding (the sum of
    // two near-INT64_MAX values would overflow).
    if (before > INT32_MAX || after > INT32_MAX)
      return ctx.Invalid("paddings for axis %d = [%lld, %lld] exceed the int32 range", d,
                         static_cast<long long>(before), static_cast<long long>(after));
    const int64_t size = int64_t{input->shape[d]} + before + after;
    if (size > INT32_MAX) return ctx.Invalid("padded size of axis %d overflows", d);
    out->dims[d] = static_cast<int32_t>(size);
    pad_before[d] = static_cast<int32_t>(before);
  }
  return Status::Ok();
}

Status CheckPaddingsTensor(OpContext& ctx, const Tensor* input, const Tensor* paddings) {
  if (paddings->type != DataType::kInt32 && paddings->type != DataType::kInt64)
    return ctx.Invalid("paddings '%s' must be int32 or int64, is %s", paddings->name,
                       DataTypeName(paddings->type));
  if (paddings->shape.rank != 2 || paddings->shape[0] != input->shape.rank ||
      paddings->shape[1] != 2)
    return ctx.Invalid("paddings '%s' must have shape [%d, 2] (input rank, 2)", paddings->name,
                       input->shape.rank);
  return Status::Ok();
}

Status Resize(OpContext& ctx) {
  auto* d = static_cast<PadData*>(ctx.user_data());
  Shape out;
  EDGELITE_RETURN_IF_ERROR(
      PaddedShape(ctx, ctx.input(kInput), ctx.input(kPaddings), -1, d->pad_before, &out));
  return ctx.ResizeOutput(ctx.output(0), out);
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 3, 1));
  Tensor *input, *paddings, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kInput, &input));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kPaddings, &paddings));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  size_t elem;
  EDGELITE_RETURN_IF_ERROR(CopyableElementSize(ctx, input, &elem));
  EDGELITE_RETURN_IF_ERROR(CheckSameQuantization(ctx, input, output));
  EDGELITE_RETURN_IF_ERROR(CheckPaddingsTensor(ctx, input, paddings));
  const Tensor* constant = ctx.input(kConstant);
  if (constant) {
    if (constant->type != input->type)
      return ctx.Invalid("constant_values '%s' (%s) must have the input's type %s",
                         constant->name, DataTypeName(constant->type), DataTypeName(input->type));
    if (constant->shape.NumElements() != 1)
      return ctx.Invalid("constant_values '%s' must hold exactly one value", constant->name);
  }
  PadData* d = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &d));
  if (!ctx.HasData(paddings)) {
    ctx.SetOutputDynamic(output);
    return Status::Ok();
  }
  return Resize(ctx);
}

Status Eval(OpContext& ctx) {
  Tensor* input = ctx.input(kInput);
  Tensor* output = ctx.output(0);
  if (output->allocation == Allocation::kDynamic) EDGELITE_RETURN_IF_ERROR(Resize(ctx));
  auto* d = static_cast<PadData*>(ctx.user_data());
  const size_t elem = DataTypeSize(input->type);
  const Tensor* constant = ctx.input(kConstant);
  if (constant)
    memcpy(d->pad_value, constant->data, elem);
  else
    ZeroValueBytes(output, d->pad_value);
  kernels::copy::PadConstant(input->shape, input->data_as<uint8_t>(), output->shape,
                             output->data_as<uint8_t>(), d->pad_before, elem, d->pad_value);
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_PAD() {
  static const OpRegistration reg = {"PAD", nullptr, Prepare, Eval};
  return &reg;
}

const OpRegistration* Register_PADV2() {
  static const OpRegistration reg = {"PADV2", nullptr, Prepare, Eval};
  return &reg;
}

// Shared with mirror_pad.cc.
Status PadPaddedShape(OpContext& ctx, const Tensor* input, const Tensor* paddings,
                      int mirror_offset, int32_t* pad_before, Shape* out) {
  return PaddedShape(ctx, input, paddings, mirror_offset, pad_before, out);
}
Status PadCheckPaddingsTensor(OpContext& ctx, const Tensor* input, const Tensor* paddings) {
  return CheckPaddingsTensor(ctx, input, paddings);
}

}  // namespace ops
}  // namespace edgelite
