// Validation shared by the quantized paths of one-input activation ops.
#ifndef EDGELITE_OPS_QUANTIZED_UNARY_UTIL_H_
#define EDGELITE_OPS_QUANTIZED_UNARY_UTIL_H_

#include "src/ops/op_util.h"

namespace edgelite {
namespace ops {

// True if `t` is int8/uint8/int16 with quantization parameters.
bool IsQuantizedSmallInt(const Tensor* t);

// Per-tensor quantization with a finite positive scale and a zero point in
// the type's range; for int16, zero point 0 (TFLite's symmetric int16).
Status CheckQuantizedTensor(OpContext& ctx, const Tensor* t, const char* what);

// A 1-input, 1-output op on a quantized input of one of `types` (TypeBit
// mask): validates both tensors (output of the same type, quantized) and
// sizes the output like the input. Returns them through *in and *out.
Status PrepareQuantizedUnary(OpContext& ctx, uint32_t types, Tensor** in, Tensor** out);

// Persistent op data of type T, allocated once (zeroed) and kept in user_data.
template <typename T>
Status GetOrAllocOpData(OpContext& ctx, T** data) {
  *data = static_cast<T*>(ctx.user_data());
  if (*data == nullptr) {
    *data = ctx.AllocatePersistent<T>();
    if (*data == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
    ctx.set_user_data(*data);
  }
  return Status::Ok();
}

}  // namespace ops
}  // namespace edgelite

#endif  // EDGELITE_OPS_QUANTIZED_UNARY_UTIL_H_
