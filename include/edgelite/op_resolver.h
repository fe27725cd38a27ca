// Op resolvers map a model's operator codes to implementations.
//
// Registration is explicit: BuiltinOpResolver lists every builtin op edgelite
// implements (from one table, src/runtime/builtin_ops.cc); a MutableOpResolver
// lists only what the application adds, so a size-sensitive build links only
// those ops. Custom ops are added by name.
#ifndef EDGELITE_OP_RESOLVER_H_
#define EDGELITE_OP_RESOLVER_H_

#include <cstdint>
#include <string>
#include <unordered_map>

#include "edgelite/op.h"

namespace edgelite {

// BuiltinOperator code of CUSTOM in the .tflite schema.
constexpr int32_t kBuiltinCustom = 32;

// A table from op codes (and custom names) to implementations. Deliberately
// not polymorphic: the runtime builds without RTTI, and a resolver is data.
class OpResolver {
 public:
  virtual ~OpResolver() = default;
  // Registrations must outlive the resolver and every interpreter using it.
  void AddBuiltin(int32_t code, const OpRegistration* reg) { builtins_[code] = reg; }
  void AddCustom(const char* name, const OpRegistration* reg) { customs_[name] = reg; }

  // nullptr if the op (at this version) is not available. Virtual so that the micro
  // profile's fixed-capacity MicroOpResolver (micro/include/edgelite/micro/) can look ops up
  // in a static table instead of these hash maps; lookups happen only when an interpreter is
  // created.
  virtual const OpRegistration* FindBuiltin(int32_t code, int32_t version) const;
  virtual const OpRegistration* FindCustom(const char* name, int32_t version) const;

 private:
  std::unordered_map<int32_t, const OpRegistration*> builtins_;
  std::unordered_map<std::string, const OpRegistration*> customs_;
};

// An empty resolver the application fills with just the ops it needs.
using MutableOpResolver = OpResolver;

// Every builtin op edgelite implements, plus the standard custom ops that
// TFLite ships (TFLite_Detection_PostProcess).
class BuiltinOpResolver : public OpResolver {
 public:
  BuiltinOpResolver();
};

// Name of a BuiltinOperator code ("CONV_2D"), or "UNKNOWN" if out of range.
const char* BuiltinOperatorName(int32_t code);
// True if BuiltinOpResolver implements `code`.
bool IsBuiltinSupported(int32_t code);

}  // namespace edgelite

#endif  // EDGELITE_OP_RESOLVER_H_
