// SLICE: output = input[begin[d] : begin[d] + size[d]] along every dim;
// size -1 means "to the end". begin/size are 1-D int32/int64 with one entry
// per input dim. Non-constant begin/size make the output dynamic.
#include "src/ops/data_movement_util.h"
#include "src/ops/op_util.h"
#include "src/kernels/copy/copy.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kInput = 0, kBegin = 1, kSize = 2;

Status MakePlan(OpContext& ctx, int32_t* start, int32_t* count) {
  const Tensor* input = ctx.input(kInput);
  const Tensor* begin = ctx.input(kBegin);
  const Tensor* size = ctx.input(kSize);
  for (int d = 0; d < input->shape.rank; ++d) {
    const int64_t dim = input->shape.dims[d];
    const int64_t b = ReadIndex(begin, d);
    int64_t s = ReadIndex(size, d);
    if (b < 0 || b > dim)
      return ctx.Invalid("begin %lld is out of range [0, %lld] at axis %d",
                         static_cast<long long>(b), static_cast<long long>(dim), d);
    if (s == -1) s = dim - b;
    if (s < 0 || b + s > dim)
      return ctx.Invalid("size %lld at axis %d reaches past the end (begin %lld, dim %lld)",
                         static_cast<long long>(s), d, static_cast<long long>(b),
                         static_cast<long long>(dim));
    start[d] = static_cast<int32_t>(b);
    count[d] = static_cast<int32_t>(s);
  }
  return Status::Ok();
}

Status Run(OpContext& ctx) {
  const Tensor* input = ctx.input(kInput);
  int32_t start[kMaxRank], count[kMaxRank], stride[kMaxRank];
  EDGELITE_RETURN_IF_ERROR(MakePlan(ctx, start, count));
  for (int d = 0; d < kMaxRank; ++d) stride[d] = 1;
  kernels::copy::StridedSlice(input->data_as<uint8_t>(), input->shape, start, stride, count,
                              ctx.output(0)->data_as<uint8_t>(), DataTypeSize(input->type));
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 3, 3, 1));
  Tensor *input, *begin, *size, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kInput, &input));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kBegin, &begin));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kSize, &size));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  ResetFoldedOutput(ctx, output);
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, input, output));
  size_t elem = 0;
  EDGELITE_RETURN_IF_ERROR(ElementSize(ctx, input, &elem));
  EDGELITE_RETURN_IF_ERROR(CheckIndexType(ctx, begin, "begin"));
  EDGELITE_RETURN_IF_ERROR(CheckIndexType(ctx, size, "size"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, begin, 1, 1, "begin"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, size, 1, 1, "size"));
  const int rank = input->shape.rank;
  if (begin->shape.dims[0] != rank || size->shape.dims[0] != rank)
    return ctx.Invalid("begin and size must have %d entries (the input rank), have %d and %d",
                       rank, begin->shape.dims[0], size->shape.dims[0]);
  if (!ctx.HasData(begin) || !ctx.HasData(size)) {
    ctx.SetOutputDynamic(output);
    return Status::Ok();
  }
  int32_t start[kMaxRank], count[kMaxRank];
  EDGELITE_RETURN_IF_ERROR(MakePlan(ctx, start, count));
  Shape s;
  s.rank = rank;
  for (int d = 0; d < rank; ++d) s.dims[d] = count[d];
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(output, s));
  return MaybeFold(ctx, output, Run);
}

Status Eval(OpContext& ctx) {
  if (IsFolded(ctx.output(0))) return Status::Ok();
  EDGELITE_RETURN_IF_ERROR(PrepareDynamicOutputs(ctx, Prepare));
  return Run(ctx);
}

}  // namespace

const OpRegistration* Register_SLICE() {
  static const OpRegistration reg = {"SLICE", InitFoldState, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
