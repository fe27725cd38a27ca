// BuiltinOpResolver: registers every op listed in src/ops/builtin_ops.def.
#include "edgelite/op_resolver.h"
#include "schema/tflite_generated.h"

namespace edgelite {
namespace ops {
#define EDGELITE_OP(NAME) const OpRegistration* Register_##NAME();
#include "src/ops/builtin_ops.def"
#undef EDGELITE_OP
// Standard custom ops TFLite ships, registered by name.
const OpRegistration* Register_DETECTION_POSTPROCESS();
}  // namespace ops

BuiltinOpResolver::BuiltinOpResolver() {
#define EDGELITE_OP(NAME) \
  AddBuiltin(static_cast<int32_t>(fb::BuiltinOperator::NAME), ops::Register_##NAME());
#include "src/ops/builtin_ops.def"
#undef EDGELITE_OP
  AddCustom("TFLite_Detection_PostProcess", ops::Register_DETECTION_POSTPROCESS());
}

bool IsBuiltinSupported(int32_t code) {
#define EDGELITE_OP(NAME) \
  if (code == static_cast<int32_t>(fb::BuiltinOperator::NAME)) return true;
#include "src/ops/builtin_ops.def"
#undef EDGELITE_OP
  return false;
}

}  // namespace edgelite
