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

#include "edgelite/op.h"

namespace edgelite {

// BuiltinOperator code of CUSTOM in the .tflite schema.
constexpr int32_t kBuiltinCustom = 32;

// A table from op codes (and custom names) to implementations. Deliberately
// not polymorphic: the runtime builds without RTTI, and applications built with
// RTTI must still link against it (a virtual base would make their compilers
// reference a type_info the runtime never emits). A resolver is data.
class OpResolver {
 public:
  OpResolver() = default;
  ~OpResolver() {
    if (destroy_tables_ != nullptr) destroy_tables_(tables_);
  }
  OpResolver(const OpResolver&) = delete;
  OpResolver& operator=(const OpResolver&) = delete;

  // Registrations must outlive the resolver and every interpreter using it.
  void AddBuiltin(int32_t code, const OpRegistration* reg);
  void AddCustom(const char* name, const OpRegistration* reg);

  // nullptr if the op (at this version) is not available. Lookups happen only
  // when an interpreter is created.
  const OpRegistration* FindBuiltin(int32_t code, int32_t version) const;
  const OpRegistration* FindCustom(const char* name, int32_t version) const;

  // Expands a sparse constant tensor at load (see SparseDensifyFn). The desktop runtime always
  // densifies; the micro profile only when the resolver has this set, so that firmware
  // whose models have no sparse tensors does not link the code (1.7 KB): MicroOpResolver's
  // AddSparseTensors() and BuiltinOpResolver set it. Unset, a sparse tensor fails
  // Interpreter::Create with kUnsupported saying so.
  using SparseDensifyFn = Status (*)(const void* sparsity, const Shape& shape, size_t elem_size,
                                     const uint8_t* src, size_t src_bytes, uint8_t* dst,
                                     const char* what);
  void SetSparseDensifier(SparseDensifyFn fn) { sparse_densifier_ = fn; }
  SparseDensifyFn sparse_densifier() const { return sparse_densifier_; }

  // A resolver that keeps its own table (the micro profile's fixed-capacity
  // MicroOpResolver, micro/include/edgelite/micro/) installs these lookups in
  // place of the hash maps: plain function pointers, no vtable. The micro core
  // calls them directly (null: the resolver has none).
  using BuiltinLookup = const OpRegistration* (*)(const OpResolver* self, int32_t code,
                                                  int32_t version);
  using CustomLookup = const OpRegistration* (*)(const OpResolver* self, const char* name,
                                                 int32_t version);
  BuiltinLookup builtin_lookup() const { return builtin_lookup_; }
  CustomLookup custom_lookup() const { return custom_lookup_; }

 protected:
  void SetLookups(BuiltinLookup builtin, CustomLookup custom) {
    builtin_lookup_ = builtin;
    custom_lookup_ = custom;
  }

 private:
  BuiltinLookup builtin_lookup_ = nullptr;
  CustomLookup custom_lookup_ = nullptr;
  SparseDensifyFn sparse_densifier_ = nullptr;
  // The hash maps of AddBuiltin/AddCustom, created by the first of them, destroyed through
  // the function pointer they set: a resolver that never calls them (MicroOpResolver) links
  // no map, string or allocation code (the micro core's flash).
  struct Tables;
  Tables* tables_ = nullptr;
  void (*destroy_tables_)(Tables*) = nullptr;
  Tables& tables();
};

// An empty resolver the application fills with just the ops it needs.
using MutableOpResolver = OpResolver;

// Every builtin op edgelite implements, plus the standard custom ops that
// TFLite ships (TFLite_Detection_PostProcess).
class BuiltinOpResolver : public OpResolver {
 public:
  BuiltinOpResolver();
};

// TFLite's sparse tensor format densified (src/runtime/sparse.h): what
// OpResolver::SetSparseDensifier takes. `sparsity` is the tensor's
// `const edgelite::fb::SparsityParameters*`.
Status DensifySparse(const void* sparsity, const Shape& shape, size_t elem_size,
                     const uint8_t* src, size_t src_bytes, uint8_t* dst, const char* what);

// Name of a BuiltinOperator code ("CONV_2D"), or "UNKNOWN" if out of range.
const char* BuiltinOperatorName(int32_t code);
// What error messages call an op code: BuiltinOperatorName(code), but "builtin code N" in
// the micro profile, which links no table of op names.
std::string BuiltinOperatorLabel(int32_t code);
// True if BuiltinOpResolver implements `code`.
bool IsBuiltinSupported(int32_t code);

}  // namespace edgelite

#endif  // EDGELITE_OP_RESOLVER_H_
