// A MicroOpResolver holding every op the micro core runs, for tools and tests (the arena probe
// behind `edgelite inspect --micro`, the host tests and the fuzzer of the micro core). It links
// every op: applications list their own ops instead (`edgelite inspect --micro` prints them).
#ifndef EDGELITE_MICRO_MICRO_ALL_OPS_H_
#define EDGELITE_MICRO_MICRO_ALL_OPS_H_

#include <cstddef>
#include <new>

#include "edgelite/micro/micro_op_resolver.h"

namespace edgelite {
namespace micro {

namespace internal {
// Calls add(resolver) only when the micro core runs the op: otherwise the op's Add_ (which
// does not compile) is never instantiated and its registration never referenced.
template <bool kRuns>
struct AddIfRuns {
  template <typename Resolver, typename AddFn>
  static void Add(Resolver& r, AddFn add) {
    add(r);
  }
};
template <>
struct AddIfRuns<false> {
  template <typename Resolver, typename AddFn>
  static void Add(Resolver&, AddFn) {}
};
}  // namespace internal

// Capacity for every builtin and custom op edgelite implements.
constexpr size_t kAllOpsCapacity = 0
#define EDGELITE_OP(NAME) +1
#include "src/ops/builtin_ops.def"
#undef EDGELITE_OP
#define EDGELITE_CUSTOM_OP(NAME, FN) +1
#include "src/ops/custom_ops.def"
#undef EDGELITE_CUSTOM_OP
    ;
using AllOpsResolver = MicroOpResolver<kAllOpsCapacity>;

inline void AddAllOps(AllOpsResolver& resolver) {
#define EDGELITE_OP(NAME)                                                          \
  internal::AddIfRuns<MicroCoreRuns(fb::BuiltinOperator::NAME)>::Add(resolver,     \
                                                                     [](auto& r) { \
                                                                       r.Add_##NAME(); \
                                                                     });
#include "src/ops/builtin_ops.def"
#undef EDGELITE_OP
#define EDGELITE_CUSTOM_OP(NAME, FN) resolver.Add_##NAME();
#include "src/ops/custom_ops.def"
#undef EDGELITE_CUSTOM_OP
}

// One process-wide resolver with every op, built on first call and never destroyed (static
// storage and placement new: no atexit registration, which in firmware would reference malloc).
inline const AllOpsResolver& AllOps() {
  alignas(AllOpsResolver) static unsigned char storage[sizeof(AllOpsResolver)];
  static AllOpsResolver* resolver = nullptr;
  if (resolver == nullptr) {
    resolver = new (storage) AllOpsResolver();
    AddAllOps(*resolver);
  }
  return *resolver;
}

}  // namespace micro
}  // namespace edgelite

#endif  // EDGELITE_MICRO_MICRO_ALL_OPS_H_
