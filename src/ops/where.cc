// WHERE (one input): the coordinates of the true / non-zero elements of the
// condition, as an int64 tensor [count, rank] in row-major order. The output
// shape depends on the condition's values: fixed at prepare for a constant
// condition, otherwise the output is dynamic and sized at eval.
#include <cstdint>

#include "src/ops/op_util.h"
#include "src/ref/where.h"

namespace edgelite {
namespace ops {
namespace {

template <typename T>
int64_t Count(const Tensor* c) {
  return ref::CountNonZero(c->data_as<T>(), c->num_elements());
}

int64_t CountTrue(const Tensor* c) {
  switch (c->type) {
    case DataType::kBool: return Count<bool>(c);
    case DataType::kFloat32: return Count<float>(c);
    case DataType::kInt32: return Count<int32_t>(c);
    case DataType::kInt64: return Count<int64_t>(c);
    case DataType::kInt8: return Count<int8_t>(c);
    case DataType::kUInt8: return Count<uint8_t>(c);
    default: return 0;
  }
}

Status ResizeFromValues(OpContext& ctx, const Tensor* cond, Tensor* output) {
  Shape s;
  s.rank = 2;
  s.dims[0] = static_cast<int32_t>(CountTrue(cond));
  s.dims[1] = cond->shape.rank;
  return ctx.ResizeOutput(output, s);
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  Tensor *cond, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &cond));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  const DataType t = cond->type;
  if (t != DataType::kBool && t != DataType::kFloat32 && t != DataType::kInt32 &&
      t != DataType::kInt64 && t != DataType::kInt8 && t != DataType::kUInt8)
    return ctx.Fail(StatusCode::kUnsupported, "condition '%s' has unsupported type %s",
                    cond->name, DataTypeName(t));
  if (cond->quant.is_quantized())
    return ctx.Fail(StatusCode::kUnsupported, "quantized condition '%s' is not supported",
                    cond->name);
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, DataType::kInt64, "output"));
  if (!ctx.HasData(cond)) {
    ctx.SetOutputDynamic(output);
    return Status::Ok();
  }
  return ResizeFromValues(ctx, cond, output);
}

Status Eval(OpContext& ctx) {
  const Tensor* cond = ctx.input(0);
  Tensor* output = ctx.output(0);
  if (output->allocation == Allocation::kDynamic)
    EDGELITE_RETURN_IF_ERROR(ResizeFromValues(ctx, cond, output));
  int64_t* out = output->data_as<int64_t>();
  switch (cond->type) {
    case DataType::kBool: ref::WhereCoordinates(cond->data_as<bool>(), cond->shape, out); break;
    case DataType::kFloat32: ref::WhereCoordinates(cond->data_as<float>(), cond->shape, out); break;
    case DataType::kInt32: ref::WhereCoordinates(cond->data_as<int32_t>(), cond->shape, out); break;
    case DataType::kInt64: ref::WhereCoordinates(cond->data_as<int64_t>(), cond->shape, out); break;
    case DataType::kInt8: ref::WhereCoordinates(cond->data_as<int8_t>(), cond->shape, out); break;
    case DataType::kUInt8: ref::WhereCoordinates(cond->data_as<uint8_t>(), cond->shape, out); break;
    default:
      return ctx.Fail(StatusCode::kInternal, "unexpected type %s", DataTypeName(cond->type));
  }
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_WHERE() {
  static const OpRegistration reg = {"WHERE", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
