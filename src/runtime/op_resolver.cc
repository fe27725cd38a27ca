#include "edgelite/op_resolver.h"

#include <new>
#include <string>
#include <unordered_map>

#include "schema/tflite_generated.h"

namespace edgelite {

struct OpResolver::Tables {
  std::unordered_map<int32_t, const OpRegistration*> builtins;
  std::unordered_map<std::string, const OpRegistration*> customs;
};

OpResolver::Tables& OpResolver::tables() {
  if (tables_ == nullptr) {
    tables_ = new Tables();
    destroy_tables_ = [](Tables* t) { delete t; };
  }
  return *tables_;
}

void OpResolver::AddBuiltin(int32_t code, const OpRegistration* reg) {
  tables().builtins[code] = reg;
}

void OpResolver::AddCustom(const char* name, const OpRegistration* reg) {
  tables().customs[name] = reg;
}

const OpRegistration* OpResolver::FindBuiltin(int32_t code, int32_t version) const {
  if (builtin_lookup_ != nullptr) return builtin_lookup_(this, code, version);
  if (tables_ == nullptr) return nullptr;
  auto it = tables_->builtins.find(code);
  return it == tables_->builtins.end() ? nullptr : it->second;
}

const OpRegistration* OpResolver::FindCustom(const char* name, int32_t version) const {
  if (custom_lookup_ != nullptr) return custom_lookup_(this, name, version);
  if (tables_ == nullptr) return nullptr;
  auto it = tables_->customs.find(name);
  return it == tables_->customs.end() ? nullptr : it->second;
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
