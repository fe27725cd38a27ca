// LOGICAL_AND, LOGICAL_OR (bool x bool -> bool, NumPy broadcasting) and
// LOGICAL_NOT (bool -> bool). Bool tensors are read as bytes, any nonzero
// byte meaning true, so stray byte values in caller-filled inputs stay defined.
#include "src/ops/elementwise_util.h"

namespace edgelite {
namespace ops {
namespace {

Status PrepareBinaryLogical(OpContext& ctx) {
  BinarySpec spec;
  spec.types = TypeBit(DataType::kBool);
  spec.bool_output = true;
  return PrepareBinary(ctx, spec);
}

Status EvalAnd(OpContext& ctx) {
  EvalPredicate<uint8_t>(ctx, [](uint8_t a, uint8_t b) { return a != 0 && b != 0; });
  return Status::Ok();
}

Status EvalOr(OpContext& ctx) {
  EvalPredicate<uint8_t>(ctx, [](uint8_t a, uint8_t b) { return a != 0 || b != 0; });
  return Status::Ok();
}

Status PrepareNot(OpContext& ctx) { return PrepareUnary(ctx, TypeBit(DataType::kBool)); }

Status EvalNot(OpContext& ctx) {
  const Tensor* in = ctx.input(0);
  ref::Unary(in->data_as<uint8_t>(), ctx.output(0)->data_as<bool>(), in->num_elements(),
             [](uint8_t a) { return a == 0; });
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_LOGICAL_AND() {
  static const OpRegistration reg = {"LOGICAL_AND", nullptr, PrepareBinaryLogical, EvalAnd};
  return &reg;
}

const OpRegistration* Register_LOGICAL_OR() {
  static const OpRegistration reg = {"LOGICAL_OR", nullptr, PrepareBinaryLogical, EvalOr};
  return &reg;
}

const OpRegistration* Register_LOGICAL_NOT() {
  static const OpRegistration reg = {"LOGICAL_NOT", nullptr, PrepareNot, EvalNot};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
