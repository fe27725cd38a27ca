// CAST: converts the input's element type to the output's (src/ref/cast.h has
// the rules). Types: float32, float64, float16, int8, uint8, int16, uint16,
// int32, uint32, int64, bool. Quantization parameters are ignored, as in
// TFLite (CAST converts stored values, it does not dequantize).
#include "src/ops/op_util.h"
#include "src/ref/cast.h"

namespace edgelite {
namespace ops {
namespace {

// X(DataType, storage type) for every supported element type.
#define EDGELITE_CAST_TYPES(X) \
  X(kFloat32, float)           \
  X(kFloat64, double)          \
  X(kFloat16, ref::Half)       \
  X(kInt8, int8_t)             \
  X(kUInt8, uint8_t)           \
  X(kInt16, int16_t)           \
  X(kUInt16, uint16_t)         \
  X(kInt32, int32_t)           \
  X(kUInt32, uint32_t)         \
  X(kInt64, int64_t)           \
  X(kBool, ref::Bool8)

bool IsCastType(DataType t) {
#define EDGELITE_CAST_IS(DT, T) \
  if (t == DataType::DT) return true;
  EDGELITE_CAST_TYPES(EDGELITE_CAST_IS)
#undef EDGELITE_CAST_IS
  return false;
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  Tensor *in, *out;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &in));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &out));
  if (!IsCastType(in->type))
    return ctx.Fail(StatusCode::kUnsupported, "cast from %s (input '%s') is not supported",
                    DataTypeName(in->type), in->name);
  if (!IsCastType(out->type))
    return ctx.Fail(StatusCode::kUnsupported, "cast to %s (output '%s') is not supported",
                    DataTypeName(out->type), out->name);
  return ctx.ResizeOutput(out, in->shape);
}

template <typename From>
Status CastFrom(OpContext& ctx, const From* in, Tensor* out, int64_t n) {
  switch (out->type) {
#define EDGELITE_CAST_TO(DT, T)                      \
  case DataType::DT:                                 \
    ref::Cast(in, out->data_as<T>(), n);             \
    return Status::Ok();
    EDGELITE_CAST_TYPES(EDGELITE_CAST_TO)
#undef EDGELITE_CAST_TO
    default:
      return ctx.Fail(StatusCode::kInternal, "unexpected output type");
  }
}

Status Eval(OpContext& ctx) {
  const Tensor* in = ctx.input(0);
  Tensor* out = ctx.output(0);
  const int64_t n = in->num_elements();
  switch (in->type) {
#define EDGELITE_CAST_FROM(DT, T) \
  case DataType::DT:              \
    return CastFrom(ctx, in->data_as<T>(), out, n);
    EDGELITE_CAST_TYPES(EDGELITE_CAST_FROM)
#undef EDGELITE_CAST_FROM
    default:
      return ctx.Fail(StatusCode::kInternal, "unexpected input type");
  }
}

#undef EDGELITE_CAST_TYPES

}  // namespace

const OpRegistration* Register_CAST() {
  static const OpRegistration reg = {"CAST", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
