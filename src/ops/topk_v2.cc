// TOPK_V2: the k largest entries along the last axis.
// Inputs: data [..., n], k (int32/int64 scalar, 0 <= k <= n; may be a
// non-constant tensor, then both outputs are dynamic). Outputs: values
// [..., k] (type of data) and indices [..., k] (int32 or int64), largest first,
// ties in index order (as TFLite).
#include <cstdint>

#include "src/ops/op_util.h"
#include "src/ref/topk_v2.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kInput = 0, kK = 1;
constexpr int kValues = 0, kIndices = 1;

Status ResolveK(OpContext& ctx, const Tensor* input, const Tensor* k_t, StatusCode code,
                int32_t* k) {
  const int64_t v = ReadIndex(k_t, 0);
  const int32_t n = input->shape.dims[input->shape.rank - 1];
  if (v < 0 || v > n)
    return ctx.Fail(code, "k = %lld (tensor '%s') is out of range [0, %d] for input '%s'",
                    static_cast<long long>(v), k_t->name, n, input->name);
  *k = static_cast<int32_t>(v);
  return Status::Ok();
}

Status ResizeOutputs(OpContext& ctx, const Tensor* input, int32_t k) {
  Shape s = input->shape;
  s.dims[s.rank - 1] = k;
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(ctx.output(kValues), s));
  return ctx.ResizeOutput(ctx.output(kIndices), s);
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 2));
  Tensor *input, *k_t, *values, *indices;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kInput, &input));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kK, &k_t));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, kValues, &values));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, kIndices, &indices));
  const DataType t = input->type;
  if (t != DataType::kFloat32 && t != DataType::kInt32 && t != DataType::kInt64 &&
      t != DataType::kInt8 && t != DataType::kUInt8 && t != DataType::kInt16)
    return ctx.Fail(StatusCode::kUnsupported, "input '%s' has unsupported type %s", input->name,
                    DataTypeName(t));
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, input, values));
  if (input->quant.per_channel())
    return ctx.Fail(StatusCode::kUnsupported, "per-channel quantized input '%s' is not supported",
                    input->name);
  if (input->quant.is_quantized() && input->quant.scale[0] <= 0.0f)
    return ctx.Invalid("input '%s' has non-positive scale", input->name);
  if (indices->type != DataType::kInt32 && indices->type != DataType::kInt64)
    return ctx.Invalid("indices output '%s' must be int32 or int64, is %s", indices->name,
                       DataTypeName(indices->type));
  if (k_t->type != DataType::kInt32 && k_t->type != DataType::kInt64)
    return ctx.Invalid("k tensor '%s' must be int32 or int64, is %s", k_t->name,
                       DataTypeName(k_t->type));
  if (k_t->num_elements() != 1)
    return ctx.Invalid("k tensor '%s' must hold exactly one value, holds %lld", k_t->name,
                       static_cast<long long>(k_t->num_elements()));
  if (input->shape.rank < 1) return ctx.Invalid("input '%s' must have rank >= 1", input->name);
  if (!ctx.HasData(k_t)) {
    ctx.SetOutputDynamic(values);
    ctx.SetOutputDynamic(indices);
    return Status::Ok();
  }
  int32_t k = 0;
  EDGELITE_RETURN_IF_ERROR(ResolveK(ctx, input, k_t, StatusCode::kInvalidModel, &k));
  return ResizeOutputs(ctx, input, k);
}

template <typename T>
void Run(const Tensor* input, int32_t k, Tensor* values, Tensor* indices) {
  const int64_t n = input->shape.dims[input->shape.rank - 1];
  const int64_t rows = input->shape.FlatSize(0, input->shape.rank - 1);
  if (indices->type == DataType::kInt32)
    ref::TopK(input->data_as<T>(), rows, n, k, values->data_as<T>(), indices->data_as<int32_t>());
  else
    ref::TopK(input->data_as<T>(), rows, n, k, values->data_as<T>(), indices->data_as<int64_t>());
}

Status Eval(OpContext& ctx) {
  const Tensor* input = ctx.input(kInput);
  const Tensor* k_t = ctx.input(kK);
  Tensor* values = ctx.output(kValues);
  Tensor* indices = ctx.output(kIndices);
  int32_t k = 0;
  EDGELITE_RETURN_IF_ERROR(ResolveK(ctx, input, k_t, StatusCode::kRuntimeError, &k));
  if (values->allocation == Allocation::kDynamic || indices->allocation == Allocation::kDynamic)
    EDGELITE_RETURN_IF_ERROR(ResizeOutputs(ctx, input, k));
  switch (input->type) {
    case DataType::kFloat32: Run<float>(input, k, values, indices); break;
    case DataType::kInt32: Run<int32_t>(input, k, values, indices); break;
    case DataType::kInt64: Run<int64_t>(input, k, values, indices); break;
    case DataType::kInt8: Run<int8_t>(input, k, values, indices); break;
    case DataType::kUInt8: Run<uint8_t>(input, k, values, indices); break;
    case DataType::kInt16: Run<int16_t>(input, k, values, indices); break;
    default:
      return ctx.Fail(StatusCode::kInternal, "unexpected type %s", DataTypeName(input->type));
  }
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_TOPK_V2() {
  static const OpRegistration reg = {"TOPK_V2", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
