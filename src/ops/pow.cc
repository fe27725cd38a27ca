// POW: a^b elementwise with NumPy broadcasting.
// float32 (std::pow) and int32 (wrapping; a negative exponent is a
// kRuntimeError at eval, as in TFLite).
#include "src/ops/elementwise_util.h"
#include "src/ref/binary_elementwise.h"

namespace edgelite {
namespace ops {
namespace {

Status Prepare(OpContext& ctx) {
  BinarySpec spec;
  spec.types = TypeBit(DataType::kFloat32) | TypeBit(DataType::kInt32);
  return PrepareBinary(ctx, spec);
}

Status Eval(OpContext& ctx) {
  switch (ctx.input(0)->type) {
    case DataType::kFloat32:
      EvalBinary<float>(ctx, ref::Pow<float>);
      return Status::Ok();
    case DataType::kInt32: {
      const Tensor* e = ctx.input(1);
      const int32_t* ev = e->data_as<int32_t>();
      for (int64_t i = 0; i < e->num_elements(); ++i)
        if (ev[i] < 0)
          return ctx.Fail(StatusCode::kRuntimeError,
                          "integer power with negative exponent %d (tensor '%s' element %lld)",
                          ev[i], e->name, static_cast<long long>(i));
      EvalBinary<int32_t>(ctx, ref::Pow<int32_t>);
      return Status::Ok();
    }
    default:
      return ctx.Fail(StatusCode::kInternal, "unexpected type");
  }
}

}  // namespace

const OpRegistration* Register_POW() {
  static const OpRegistration reg = {"POW", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
