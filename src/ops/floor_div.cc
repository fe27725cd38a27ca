// FLOOR_DIV: a / b rounded towards negative infinity, NumPy broadcasting.
// float32 (floor of the IEEE quotient) and int8/int16/int32/int64 (a zero
// divisor is a kRuntimeError at eval, as in TFLite). Quantized: kUnsupported.
#include "src/ops/elementwise_util.h"
#include "src/ref/binary_elementwise.h"

namespace edgelite {
namespace ops {
namespace {

struct FloorDivFn {
  template <typename T>
  static T Apply(T a, T b) {
    return ref::FloorDiv<T>(a, b);
  }
};

}  // namespace

const OpRegistration* Register_FLOOR_DIV() {
  static const OpRegistration reg = {"FLOOR_DIV", nullptr, PrepareFloorBinary,
                                      EvalFloorBinary<FloorDivFn>};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
