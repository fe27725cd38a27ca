// SEGMENT_SUM: data [d0, ...], segment_ids int32 [d0] -> [max_id + 1, ...].
// As in TFLite, ids must start at 0 and step by 0 or 1 (sorted, no gaps).
// The output size depends on the ids' values: fixed at prepare when the ids
// are constant, otherwise dynamic. float32 sums accumulate in double; int32
// wraps around.
#include <cstdint>

#include "src/ops/op_util.h"
#include "src/ref/segment_sum.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kData = 0, kIds = 1;

// Checks the ids against the data and sizes the output.
Status ValidateAndResize(OpContext& ctx, const Tensor* data, const Tensor* ids, StatusCode code,
                         Tensor* output) {
  const int32_t* id = ids->data_as<int32_t>();
  const int64_t n = ids->num_elements();
  for (int64_t i = 0; i < n; ++i) {
    const int64_t prev = i == 0 ? -1 : id[i - 1];
    const int64_t step = int64_t{id[i]} - prev;
    if ((i == 0 && id[i] != 0) || (i > 0 && step != 0 && step != 1))
      return ctx.Fail(code,
                      "segment_ids '%s' must start at 0 and increase by 0 or 1; element %lld "
                      "is %d after %lld",
                      ids->name, static_cast<long long>(i), id[i], static_cast<long long>(prev));
  }
  Shape s = data->shape;
  s.dims[0] = n == 0 ? 0 : id[n - 1] + 1;
  return ctx.ResizeOutput(output, s);
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  Tensor *data, *ids, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kData, &data));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kIds, &ids));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  if (data->type != DataType::kFloat32 && data->type != DataType::kInt32)
    return ctx.Fail(StatusCode::kUnsupported, "data '%s' has type %s; expected float32 or int32",
                    data->name, DataTypeName(data->type));
  if (data->quant.is_quantized())
    return ctx.Fail(StatusCode::kUnsupported, "quantized data '%s' is not supported", data->name);
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, data, output));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, ids, DataType::kInt32, "segment_ids"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, data, 1, kMaxRank, "data"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, ids, 1, 1, "segment_ids"));
  if (ids->shape.dims[0] != data->shape.dims[0])
    return ctx.Invalid("segment_ids '%s' has %d entries; data '%s' has %d rows", ids->name,
                       ids->shape.dims[0], data->name, data->shape.dims[0]);
  if (!ctx.HasData(ids)) {
    ctx.SetOutputDynamic(output);
    return Status::Ok();
  }
  return ValidateAndResize(ctx, data, ids, StatusCode::kInvalidModel, output);
}

Status Eval(OpContext& ctx) {
  const Tensor* data = ctx.input(kData);
  const Tensor* ids = ctx.input(kIds);
  Tensor* output = ctx.output(0);
  if (output->allocation == Allocation::kDynamic)
    EDGELITE_RETURN_IF_ERROR(
        ValidateAndResize(ctx, data, ids, StatusCode::kRuntimeError, output));
  const int64_t rows = data->shape.dims[0];
  const int64_t inner = data->shape.FlatSize(1, data->shape.rank);
  const int64_t segments = output->shape.dims[0];
  if (data->type == DataType::kFloat32)
    ref::SegmentSum<float, double>(data->data_as<float>(), ids->data_as<int32_t>(), rows, inner,
                                   segments, output->data_as<float>());
  else
    ref::SegmentSum<int32_t, uint32_t>(data->data_as<int32_t>(), ids->data_as<int32_t>(), rows,
                                       inner, segments, output->data_as<int32_t>());
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_SEGMENT_SUM() {
  static const OpRegistration reg = {"SEGMENT_SUM", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
