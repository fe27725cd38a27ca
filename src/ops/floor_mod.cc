// FLOOR_MOD: remainder with the sign of the divisor, NumPy broadcasting.
// float32 (fmod, shifted by b when signs differ) and int8/int16/int32/int64 (a zero
// divisor is a kRuntimeError at eval, as in TFLite). Quantized: kUnsupported.
#include "src/ops/elementwise_util.h"
#include "src/ref/binary_elementwise.h"

namespace edgelite {
namespace ops {
namespace {

struct FloorModFn {
  template <typename T>
  static T Apply(T a, T b) {
    return ref::FloorMod<T>(a, b);
  }
};

}  // namespace

const OpRegistration* Register_FLOOR_MOD() {
  static const OpRegistration reg = {"FLOOR_MOD", nullptr, PrepareFloorBinary,
                                      EvalFloorBinary<FloorModFn>};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
