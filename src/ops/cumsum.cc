// CUMSUM: running sum along one axis (int32 scalar input, may be negative),
// options exclusive / reverse. float32 accumulates in double; int32/int64
// wrap around.
#include <cstdint>

#include "src/ops/op_util.h"
#include "src/ref/cumsum.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kInput = 0, kAxis = 1;

Status ResolveAxis(OpContext& ctx, const Tensor* input, const Tensor* axis, StatusCode code,
                   int32_t* out) {
  const int64_t v = ReadIndex(axis, 0);
  const int rank = input->shape.rank;
  if (v < -rank || v >= rank)
    return ctx.Fail(code, "axis tensor '%s' holds %lld, out of range for input '%s' of rank %d",
                    axis->name, static_cast<long long>(v), input->name, rank);
  *out = static_cast<int32_t>(v < 0 ? v + rank : v);
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  Tensor *input, *axis, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kInput, &input));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kAxis, &axis));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  const DataType t = input->type;
  if (t != DataType::kFloat32 && t != DataType::kInt32 && t != DataType::kInt64)
    return ctx.Fail(StatusCode::kUnsupported,
                    "input '%s' has type %s; expected float32, int32 or int64", input->name,
                    DataTypeName(t));
  if (input->quant.is_quantized())
    return ctx.Fail(StatusCode::kUnsupported, "quantized input '%s' is not supported",
                    input->name);
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, input, output));
  if (axis->type != DataType::kInt32 && axis->type != DataType::kInt64)
    return ctx.Invalid("axis tensor '%s' must be int32 or int64, is %s", axis->name,
                       DataTypeName(axis->type));
  if (axis->num_elements() != 1)
    return ctx.Invalid("axis tensor '%s' must hold exactly one value, holds %lld", axis->name,
                       static_cast<long long>(axis->num_elements()));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, input, 1, kMaxRank, "input"));
  if (ctx.HasData(axis)) {
    int32_t a;
    EDGELITE_RETURN_IF_ERROR(ResolveAxis(ctx, input, axis, StatusCode::kInvalidModel, &a));
  }
  return ctx.ResizeOutput(output, input->shape);
}

Status Eval(OpContext& ctx) {
  const Tensor* input = ctx.input(kInput);
  const Tensor* axis_t = ctx.input(kAxis);
  Tensor* output = ctx.output(0);
  int32_t axis = 0;
  EDGELITE_RETURN_IF_ERROR(ResolveAxis(ctx, input, axis_t, StatusCode::kRuntimeError, &axis));
  const auto* o = Options<fb::CumsumOptions>(ctx);
  const bool exclusive = o && o->exclusive(), reverse = o && o->reverse();
  const Shape& s = input->shape;
  const int64_t outer = s.FlatSize(0, axis), inner = s.FlatSize(axis + 1, s.rank);
  const int64_t size = s.dims[axis];
  switch (input->type) {
    case DataType::kFloat32:
      ref::CumSum<float, double>(input->data_as<float>(), outer, size, inner, exclusive, reverse,
                                 output->data_as<float>());
      break;
    case DataType::kInt32:
      ref::CumSum<int32_t, uint32_t>(input->data_as<int32_t>(), outer, size, inner, exclusive,
                                     reverse, output->data_as<int32_t>());
      break;
    case DataType::kInt64:
      ref::CumSum<int64_t, uint64_t>(input->data_as<int64_t>(), outer, size, inner, exclusive,
                                     reverse, output->data_as<int64_t>());
      break;
    default:
      return ctx.Fail(StatusCode::kInternal, "unexpected type %s", DataTypeName(input->type));
  }
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_CUMSUM() {
  static const OpRegistration reg = {"CUMSUM", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
