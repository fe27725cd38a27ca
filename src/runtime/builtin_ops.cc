// BuiltinOpResolver: registers every op listed in src/ops/builtin_ops.def.
#include "edgelite/op_resolver.h"
#include "schema/tflite_generated.h"

namespace edgelite {
namespace ops {
#define EDGELITE_OP(NAME) const OpRegistration* Register_##NAME();
#include "src/ops/builtin_ops.def"
#undef EDGELITE_OP
// Custom ops, registered by name.
#define EDGELITE_CUSTOM_OP(NAME, FN) const OpRegistration* Register_##FN();
#include "src/ops/custom_ops.def"
#undef EDGELITE_CUSTOM_OP
}  // namespace ops

BuiltinOpResolver::BuiltinOpResolver() {
#define EDGELITE_OP(NAME) \
  AddBuiltin(static_cast<int32_t>(fb::BuiltinOperator::NAME), ops::Register_##NAME());
#include "src/ops/builtin_ops.def"
#undef EDGELITE_OP
#define EDGELITE_CUSTOM_OP(NAME, FN) AddCustom(#NAME, ops::Register_##FN());
#include "src/ops/custom_ops.def"
#undef EDGELITE_CUSTOM_OP
  SetSparseDensifier(&DensifySparse);
}

bool IsBuiltinSupported(int32_t code) {
#define EDGELITE_OP(NAME) \
  if (code == static_cast<int32_t>(fb::BuiltinOperator::NAME)) return true;
#include "src/ops/builtin_ops.def"
#undef EDGELITE_OP
  return false;
}

}  // namespace edgelite
