#include "src/ops/quantized_unary_util.h"

#include <cmath>

#include "src/ops/elementwise_util.h"
#include "src/quant/quantization.h"

namespace edgelite {
namespace ops {

bool IsQuantizedSmallInt(const Tensor* t) {
  return t != nullptr &&
         (t->type == DataType::kInt8 || t->type == DataType::kUInt8 ||
          t->type == DataType::kInt16) &&
         t->quant.is_quantized();
}

Status CheckQuantizedTensor(OpContext& ctx, const Tensor* t, const char* what) {
  if (t->quant.count != 1)
    return ctx.Invalid("%s '%s' must have per-tensor quantization (has %d scales)", what, t->name,
                       static_cast<int>(t->quant.count));
  const float scale = t->quant.scale[0];
  if (!(scale > 0.0f) || !std::isfinite(scale))
    return ctx.Invalid("%s '%s' has invalid scale %g", what, t->name, static_cast<double>(scale));
  int32_t lo, hi;
  quant::TypeRange(t->type, &lo, &hi);
  const int64_t zp = t->quant.zero_point ? t->quant.zero_point[0] : 0;
  if (zp < lo || zp > hi)
    return ctx.Invalid("%s '%s' zero point %lld is outside the %s range", what, t->name,
                       static_cast<long long>(zp), DataTypeName(t->type));
  if (t->type == DataType::kInt16 && zp != 0)
    return ctx.Invalid("int16 %s '%s' must have zero point 0 (has %lld)", what, t->name,
                       static_cast<long long>(zp));
  return Status::Ok();
}

Status PrepareQuantizedUnary(OpContext& ctx, uint32_t types, Tensor** in, Tensor** out) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, in));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, out));
  if (!HasType(types, (*in)->type))
    return ctx.Fail(StatusCode::kUnsupported, "quantized %s input '%s' is not supported",
                    DataTypeName((*in)->type), (*in)->name);
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, *out, (*in)->type, "output"));
  EDGELITE_RETURN_IF_ERROR(CheckQuantizedTensor(ctx, *in, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckQuantizedTensor(ctx, *out, "output"));
  return ctx.ResizeOutput(*out, (*in)->shape);
}

}  // namespace ops
}  // namespace edgelite
