// ARG_MAX and ARG_MIN: index of the largest / smallest element along one axis.
// Inputs: data, axis (int32/int64 with one element; negative counts from the
// end). The output drops that axis and has type int32 or int64 (options'
// output_type; the output tensor's type decides when the options are absent).
// Ties resolve to the lowest index; NaNs never win a comparison (as in TFLite).
#include <cstdint>

#include "src/ops/op_util.h"
#include "src/ref/reduce.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kInput = 0, kAxis = 1;

// Normalized axis from the axis tensor's value, checked against the input rank.
Status ResolveAxis(OpContext& ctx, const Tensor* input, const Tensor* axis, StatusCode code,
                   int32_t* out_axis) {
  const int64_t v = ReadIndex(axis, 0);
  const int rank = input->shape.rank;
  if (v < -rank || v >= rank)
    return ctx.Fail(code, "axis tensor '%s' holds %lld, out of range for input '%s' of rank %d",
                    axis->name, static_cast<long long>(v), input->name, rank);
  *out_axis = static_cast<int32_t>(v < 0 ? v + rank : v);
  return Status::Ok();
}

Shape OutputShape(const Shape& in, int32_t axis) {
  Shape out;
  for (int a = 0; a < in.rank; ++a)
    if (a != axis) out.dims[out.rank++] = in.dims[a];
  return out;
}

template <bool kIsMax>
Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  Tensor *input, *axis, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kInput, &input));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kAxis, &axis));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  const DataType t = input->type;
  if (t != DataType::kFloat32 && t != DataType::kInt32 && t != DataType::kInt64 &&
      t != DataType::kInt8 && t != DataType::kUInt8 && t != DataType::kBool)
    return ctx.Fail(StatusCode::kUnsupported, "input '%s' has unsupported type %s", input->name,
                    DataTypeName(t));
  if (input->quant.per_channel())
    return ctx.Fail(StatusCode::kUnsupported, "per-channel quantized input '%s' is not supported",
                    input->name);
  if (input->quant.is_quantized() && input->quant.scale[0] <= 0.0f)
    return ctx.Invalid("input '%s' has non-positive scale", input->name);
  if (output->type != DataType::kInt32 && output->type != DataType::kInt64)
    return ctx.Invalid("output '%s' must be int32 or int64, is %s", output->name,
                       DataTypeName(output->type));
  const fb::TensorType want = output->type == DataType::kInt32 ? fb::TensorType::INT32
                                                               : fb::TensorType::INT64;
  if (kIsMax) {
    const auto* o = Options<fb::ArgMaxOptions>(ctx);
    if (o && (o->output_type() == fb::TensorType::INT32 ||
              o->output_type() == fb::TensorType::INT64) && o->output_type() != want)
      return ctx.Invalid("output_type option %s disagrees with output '%s' of type %s",
                         fb::EnumNameTensorType(o->output_type()), output->name,
                         DataTypeName(output->type));
  } else {
    const auto* o = Options<fb::ArgMinOptions>(ctx);
    if (o && (o->output_type() == fb::TensorType::INT32 ||
              o->output_type() == fb::TensorType::INT64) && o->output_type() != want)
      return ctx.Invalid("output_type option %s disagrees with output '%s' of type %s",
                         fb::EnumNameTensorType(o->output_type()), output->name,
                         DataTypeName(output->type));
  }
  if (axis->type != DataType::kInt32 && axis->type != DataType::kInt64)
    return ctx.Invalid("axis tensor '%s' must be int32 or int64, is %s", axis->name,
                       DataTypeName(axis->type));
  if (axis->num_elements() != 1)
    return ctx.Invalid("axis tensor '%s' must hold exactly one value, holds %lld", axis->name,
                       static_cast<long long>(axis->num_elements()));
  if (input->shape.rank < 1) return ctx.Invalid("input '%s' must have rank >= 1", input->name);
  if (!ctx.HasData(axis)) {
    ctx.SetOutputDynamic(output);
    return Status::Ok();
  }
  int32_t a = 0;
  EDGELITE_RETURN_IF_ERROR(ResolveAxis(ctx, input, axis, StatusCode::kInvalidModel, &a));
  if (input->shape.dims[a] == 0)
    return ctx.Invalid("input '%s' has size 0 along axis %d; no element to pick", input->name, a);
  return ctx.ResizeOutput(output, OutputShape(input->shape, a));
}

template <bool kIsMax, typename T, typename Index>
void Run(const Tensor* input, int32_t axis, Tensor* output) {
  const Shape& s = input->shape;
  const int64_t outer = s.FlatSize(0, axis), inner = s.FlatSize(axis + 1, s.rank);
  ref::ArgReduce(input->data_as<T>(), outer, s.dims[axis], inner, output->data_as<Index>(),
                 [](T a, T b) { return kIsMax ? a > b : a < b; });
}

template <bool kIsMax, typename T>
void RunIndex(const Tensor* input, int32_t axis, Tensor* output) {
  if (output->type == DataType::kInt32)
    Run<kIsMax, T, int32_t>(input, axis, output);
  else
    Run<kIsMax, T, int64_t>(input, axis, output);
}

template <bool kIsMax>
Status Eval(OpContext& ctx) {
  const Tensor* input = ctx.input(kInput);
  const Tensor* axis_t = ctx.input(kAxis);
  Tensor* output = ctx.output(0);
  int32_t axis = 0;
  EDGELITE_RETURN_IF_ERROR(ResolveAxis(ctx, input, axis_t, StatusCode::kRuntimeError, &axis));
  if (output->allocation == Allocation::kDynamic) {
    if (input->shape.dims[axis] == 0)
      return ctx.Fail(StatusCode::kRuntimeError, "input '%s' has size 0 along axis %d",
                      input->name, axis);
    EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(output, OutputShape(input->shape, axis)));
  }
  switch (input->type) {
    case DataType::kFloat32: RunIndex<kIsMax, float>(input, axis, output); break;
    case DataType::kInt32: RunIndex<kIsMax, int32_t>(input, axis, output); break;
    case DataType::kInt64: RunIndex<kIsMax, int64_t>(input, axis, output); break;
    case DataType::kInt8: RunIndex<kIsMax, int8_t>(input, axis, output); break;
    case DataType::kUInt8: RunIndex<kIsMax, uint8_t>(input, axis, output); break;
    case DataType::kBool: RunIndex<kIsMax, bool>(input, axis, output); break;
    default:
      return ctx.Fail(StatusCode::kInternal, "unexpected type %s", DataTypeName(input->type));
  }
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_ARG_MAX() {
  static const OpRegistration reg = {"ARG_MAX", nullptr, Prepare<true>, Eval<true>};
  return &reg;
}
const OpRegistration* Register_ARG_MIN() {
  static const OpRegistration reg = {"ARG_MIN", nullptr, Prepare<false>, Eval<false>};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
