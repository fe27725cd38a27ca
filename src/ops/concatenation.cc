// CONCATENATION: joins tensors along `axis`; all other dims must match.
// Type-agnostic data movement, plus the fused activation for float32.
// Quantized inputs: uint8 inputs quantized differently from the output are
// requantized as TFLite's reference kernel does (in float: round(q * s_in /
// s_out - z_in * s_in / s_out) + z_out, saturated); int8 and int16 inputs
// must share the output's scale and zero point (TFLite rejects others too).
#include <algorithm>

#include "src/ops/data_movement_util.h"
#include "src/ops/op_util.h"
#include "src/ref/concatenation.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kMaxInputs = 256;

struct ConcatData {
  FoldState fold;  // first: MaybeFold reads it
  int32_t axis;
  bool clamp;
  bool requantize;  // uint8 inputs with their own scale/zero point
  float act_min, act_max;
};

Status Init(OpContext& ctx) {
  auto* d = ctx.AllocatePersistent<ConcatData>();
  if (d == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
  ctx.set_user_data(d);
  return Status::Ok();
}

bool SameQuant(const Tensor* a, const Tensor* b) {
  if (a->quant.count != b->quant.count) return false;
  for (int i = 0; i < a->quant.count; ++i) {
    if (a->quant.scale[i] != b->quant.scale[i]) return false;
    const int64_t za = a->quant.zero_point ? a->quant.zero_point[i] : 0;
    const int64_t zb = b->quant.zero_point ? b->quant.zero_point[i] : 0;
    if (za != zb) return false;
  }
  return true;
}

Status Run(OpContext& ctx) {
  const auto* d = static_cast<const ConcatData*>(ctx.user_data());
  Tensor* output = ctx.output(0);
  const int n = ctx.num_inputs();
  const size_t elem = DataTypeSize(output->type);
  const int64_t outer = output->shape.FlatSize(0, d->axis);
  const uint8_t* ins[kMaxInputs];
  size_t blocks[kMaxInputs];
  for (int i = 0; i < n; ++i) {
    const Tensor* t = ctx.input(i);
    ins[i] = t->data_as<uint8_t>();
    blocks[i] = static_cast<size_t>(t->shape.FlatSize(d->axis, t->shape.rank)) * elem;
  }
  if (d->requantize) {
    const Tensor* in_tensors[kMaxInputs];
    for (int i = 0; i < n; ++i) in_tensors[i] = ctx.input(i);
    ref::ConcatenateRequantizeUInt8(in_tensors, ins, blocks, n, outer, *output,
                                    output->data_as<uint8_t>());
  } else {
    ref::Concatenate(ins, blocks, n, outer, output->data_as<uint8_t>());
  }
  if (d->clamp) {
    float* y = output->data_as<float>();
    for (int64_t i = 0, total = output->num_elements(); i < total; ++i)
      y[i] = std::min(std::max(y[i], d->act_min), d->act_max);
  }
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  const int n = ctx.num_inputs();
  if (n < 1 || n > kMaxInputs)
    return ctx.Fail(StatusCode::kUnsupported, "CONCATENATION of %d inputs", n);
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, n, n, 1));
  Tensor *in0, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &in0));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  ResetFoldedOutput(ctx, output);
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, in0, output));
  size_t elem = 0;
  EDGELITE_RETURN_IF_ERROR(ElementSize(ctx, in0, &elem));
  auto* d = static_cast<ConcatData*>(ctx.user_data());
  const auto* o = Options<fb::ConcatenationOptions>(ctx);
  const int rank = in0->shape.rank;
  if (rank < 1) return ctx.Invalid("inputs must have rank >= 1");
  if (!NormalizeAxis(o ? o->axis() : 0, rank, &d->axis))
    return ctx.Invalid("axis %d is out of range for rank %d", o ? o->axis() : 0, rank);
  const auto act = o ? o->fused_activation_function() : fb::ActivationFunctionType::NONE;
  d->clamp = act != fb::ActivationFunctionType::NONE;
  if (d->clamp) {
    if (output->type != DataType::kFloat32)
      return ctx.Fail(StatusCode::kUnsupported, "fused activation %s on %s output",
                      fb::EnumNameActivationFunctionType(act), DataTypeName(output->type));
    EDGELITE_RETURN_IF_ERROR(FloatActivationRange(ctx, act, &d->act_min, &d->act_max));
  }
  const bool quantized = output->type == DataType::kUInt8 || output->type == DataType::kInt8 ||
                         output->type == DataType::kInt16;
  d->requantize = false;
  Shape s = in0->shape;
  int64_t total_axis = 0;
  for (int i = 0; i < n; ++i) {
    Tensor* t;
    EDGELITE_RETURN_IF_ERROR(GetInput(ctx, i, &t));
    EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, in0, t));
    if (t->shape.rank != rank)
      return ctx.Invalid("input %d '%s' has rank %d; input 0 has rank %d", i, t->name,
                         t->shape.rank, rank);
    for (int k = 0; k < rank; ++k)
      if (k != d->axis && t->shape.dims[k] != s.dims[k])
        return ctx.Invalid("input %d '%s' has size %d at dim %d; expected %d", i, t->name,
                           t->shape.dims[k], k, s.dims[k]);
    if (quantized && !SameQuant(t, output)) {
      const bool per_tensor = t->quant.count == 1 && output->quant.count == 1 &&
                              t->quant.scale[0] > 0.0f && output->quant.scale[0] > 0.0f;
      if (output->type != DataType::kUInt8 || !per_tensor)
        return ctx.Fail(StatusCode::kUnsupported,
                        "input %d '%s' is quantized differently from the output; only uint8 "
                        "inputs with per-tensor parameters are requantized (TFLite requires "
                        "int8/int16 inputs to share the output's scale and zero point)",
                        i, t->name);
      d->requantize = true;
    }
    total_axis += t->shape.dims[d->axis];
  }
  if (total_axis > INT32_MAX) return ctx.Invalid("concatenated dim overflows");
  s.dims[d->axis] = static_cast<int32_t>(total_axis);
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(output, s));
  return MaybeFold(ctx, output, Run);
}

Status Eval(OpContext& ctx) {
  if (IsFolded(ctx.output(0))) return Status::Ok();
  return Run(ctx);
}

}  // namespace

const OpRegistration* Register_CONCATENATION() {
  static const OpRegistration reg = {"CONCATENATION", Init, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
