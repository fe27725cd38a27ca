// MicroOpResolver<N>: a fixed-capacity op table listing only the ops an application uses.
//
//   edgelite::micro::MicroOpResolver<3> resolver;
//   resolver.Add_FULLY_CONNECTED();
//   resolver.Add_SOFTMAX();
//
// Each Add_<OP>() references only that op's registration function, so the linker (with
// -ffunction-sections and --gc-sections; the core is a static library) leaves every other op
// out of the firmware. `edgelite inspect --micro MODEL` prints the lines a model needs. No heap:
// the table is an array member; lookups scan it (only when an interpreter is created).
#ifndef EDGELITE_MICRO_MICRO_OP_RESOLVER_H_
#define EDGELITE_MICRO_MICRO_OP_RESOLVER_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "edgelite/op_resolver.h"
#include "schema/tflite_generated.h"

namespace edgelite {
namespace ops {
#define EDGELITE_OP(NAME) const OpRegistration* Register_##NAME();
#include "src/ops/builtin_ops.def"
#undef EDGELITE_OP
#define EDGELITE_CUSTOM_OP(NAME, FN) const OpRegistration* Register_##FN();
#include "src/ops/custom_ops.def"
#undef EDGELITE_CUSTOM_OP
}  // namespace ops

namespace micro {

// Ops the micro core (MicroInterpreter) cannot run: they call other subgraphs or use resource
// variables, which only the desktop Interpreter has. MicroOpResolver's Add_ for them does not
// compile.
constexpr bool MicroCoreRuns(fb::BuiltinOperator op) {
  return op != fb::BuiltinOperator::IF && op != fb::BuiltinOperator::WHILE &&
         op != fb::BuiltinOperator::CALL_ONCE && op != fb::BuiltinOperator::STABLEHLO_COMPOSITE &&
         op != fb::BuiltinOperator::VAR_HANDLE && op != fb::BuiltinOperator::READ_VARIABLE &&
         op != fb::BuiltinOperator::ASSIGN_VARIABLE;
}

template <size_t kCapacity>
class MicroOpResolver : public OpResolver {
 public:
  MicroOpResolver() { SetLookups(&LookupBuiltin, &LookupCustom); }

  // False when the table is full or `code` is already listed.
  bool AddBuiltinOp(int32_t code, const OpRegistration* reg) {
    if (count_ >= kCapacity || reg == nullptr) return false;
    for (size_t i = 0; i < count_; ++i)
      if (entries_[i].custom == nullptr && entries_[i].code == code) return false;
    entries_[count_++] = Entry{code, nullptr, reg};
    return true;
  }
  bool AddCustomOp(const char* name, const OpRegistration* reg) {
    if (count_ >= kCapacity || reg == nullptr || name == nullptr) return false;
    entries_[count_++] = Entry{kBuiltinCustom, name, reg};
    return true;
  }

#define EDGELITE_OP(NAME)                                                                  \
  bool Add_##NAME() {                                                                      \
    static_assert(MicroCoreRuns(fb::BuiltinOperator::NAME) || kCapacity == 0,             \
                  #NAME " calls other subgraphs or uses resource variables: the micro core " \
                  "(MicroInterpreter) cannot run it");                                     \
    return AddBuiltinOp(static_cast<int32_t>(fb::BuiltinOperator::NAME), ops::Register_##NAME()); \
  }
#include "src/ops/builtin_ops.def"
#undef EDGELITE_OP
  // Custom ops: Add_TFLite_Detection_PostProcess(), Add_SignalWindow(), ...
#define EDGELITE_CUSTOM_OP(NAME, FN) \
  bool Add_##NAME() { return AddCustomOp(#NAME, ops::Register_##FN()); }
#include "src/ops/custom_ops.def"
#undef EDGELITE_CUSTOM_OP

  // For the desktop Interpreter built in the micro profile (the op-test firmware): models with
  // sparse constant tensors need this, the tensors are densified at load into the arena; without
  // it such a model fails with kUnsupported and the densifier (1.7 KB) is not linked. The micro
  // core (MicroInterpreter) does not densify: it refuses sparse tensors either way.
  void AddSparseTensors() { SetSparseDensifier(&DensifySparse); }

  size_t size() const { return count_; }

 private:
  // The lookups OpResolver calls (installed by the constructor; no vtable).
  static const OpRegistration* LookupBuiltin(const OpResolver* self, int32_t code,
                                             int32_t /*version*/) {
    const auto* r = static_cast<const MicroOpResolver*>(self);
    for (size_t i = 0; i < r->count_; ++i)
      if (r->entries_[i].custom == nullptr && r->entries_[i].code == code) return r->entries_[i].reg;
    return nullptr;
  }
  static const OpRegistration* LookupCustom(const OpResolver* self, const char* name,
                                            int32_t /*version*/) {
    const auto* r = static_cast<const MicroOpResolver*>(self);
    for (size_t i = 0; i < r->count_; ++i)
      if (r->entries_[i].custom != nullptr && SameName(r->entries_[i].custom, name))
        return r->entries_[i].reg;
    return nullptr;
  }
  // strcmp(a, b) == 0 in a few bytes of code (newlib's word-at-a-time strcmp is 0.7 KB, and
  // a lookup runs once per custom op at AllocateTensors).
  static bool SameName(const char* a, const char* b) {
    while (*a != '\0' && *a == *b) ++a, ++b;
    return *a == *b;
  }

  struct Entry {
    int32_t code;
    const char* custom;  // non-null for custom ops
    const OpRegistration* reg;
  };
  Entry entries_[kCapacity] = {};
  size_t count_ = 0;
};

}  // namespace micro
}  // namespace edgelite

#endif  // EDGELITE_MICRO_MICRO_OP_RESOLVER_H_
