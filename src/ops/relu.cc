// The clamping activations, which differ only in their bounds:
// RELU [0, inf), RELU6 [0, 6], RELU_N1_TO_1 [-1, 1], RELU_0_TO_1 [0, 1].
// float32; quantized inputs: kUnsupported for now.
#include <limits>

#include "src/ops/elementwise_util.h"
#include "src/ref/unary.h"

namespace edgelite {
namespace ops {
namespace {

struct Bounds {
  float lo, hi;
};
constexpr Bounds kRelu = {0.0f, std::numeric_limits<float>::infinity()};
constexpr Bounds kRelu6 = {0.0f, 6.0f};
constexpr Bounds kReluN1To1 = {-1.0f, 1.0f};
constexpr Bounds kRelu0To1 = {0.0f, 1.0f};

template <const Bounds& kB>
Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(PrepareUnary(ctx, TypeBit(DataType::kFloat32)));
  if constexpr (kOptimizedKernels) {  // the micro profile: no state, the reference
    FloatUnaryFast* fast;
    EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &fast));
    kernels::elementwise_f32::UnaryArgs args;
    args.op = kernels::elementwise_f32::UnaryOp::kClamp;
    args.lo = kB.lo;
    args.hi = kB.hi;
    ChooseFloatUnaryFast(args, fast);
  }
  return Status::Ok();
}

template <const Bounds& kB>
Status Eval(OpContext& ctx) {
  if (RunFloatUnaryFast(ctx, static_cast<const FloatUnaryFast*>(ctx.user_data())))
    return Status::Ok();
  EvalUnary<float>(ctx, [](float x) { return ref::ClampRange(x, kB.lo, kB.hi); });
  return Status::Ok();
}

}  // namespace

#define EDGELITE_RELU(NAME, BOUNDS)                                               \
  const OpRegistration* Register_##NAME() {                                       \
    static const OpRegistration reg = {#NAME, nullptr, Prepare<BOUNDS>, Eval<BOUNDS>};    \
    return &reg;                                                                  \
  }
EDGELITE_RELU(RELU, kRelu)
EDGELITE_RELU(RELU6, kRelu6)
EDGELITE_RELU(RELU_N1_TO_1, kReluN1To1)
EDGELITE_RELU(RELU_0_TO_1, kRelu0To1)
#undef EDGELITE_RELU

}  // namespace ops
}  // namespace edgelite
