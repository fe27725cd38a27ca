#include "edgelite/op_resolver.h"

#include "schema/tflite_generated.h"

namespace edgelite {

const OpRegistration* OpResolver::FindBuiltin(int32_t code, int32_t version) const {
  if (builtin_lookup_ != nullptr) return builtin_lookup_(this, code, version);
  auto it = builtins_.find(code);
  return it == builtins_.end() ? nullptr : it->second;
}

const OpRegistration* OpResolver::FindCustom(const char* name, int32_t version) const {
  if (custom_lookup_ != nullptr) return custom_lookup_(this, name, version);
  auto it = customs_.find(name);
  return it == customs_.end() ? nullptr : it->second;
}

const char* BuiltinOperatorName(int32_t code) {
  if (code < static_cast<int32_t>(fb::BuiltinOperator::MIN) ||
      code > static_cast<int32_t>(fb::BuiltinOperator::MAX))
    return "UNKNOWN";
  const char* name = fb::EnumNameBuiltinOperator(static_cast<fb::BuiltinOperator>(code));
  return (name && *name) ? name : "UNKNOWN";
}

std::string BuiltinOperatorLabel(int32_t code) {
#if EDGELITE_MICRO
  // No table of op names in firmware (3.5 KB of flash for the ~210 names): registered ops
  // are named by their OpRegistration::name, the others by code.
  return "builtin code " + std::to_string(code);
#else
  return BuiltinOperatorName(code);
#endif
}

}  // namespace edgelite
