// LOG_SOFTMAX over the last axis. float32, and quantized int8/uint8 (TFLite's
// reference fixed-point kernels: output scale 16/256, zero point 127 for
// int8 and 255 for uint8).
#include <cmath>

#include "src/ops/op_util.h"
#include "src/ops/quantized_unary_util.h"
#include "src/quant/quantization.h"
#include "src/ref/softmax.h"

namespace edgelite {
namespace ops {
namespace {

Status PrepareQuantized(OpContext& ctx, const Tensor* input, const Tensor* output) {
  if (input->type != DataType::kInt8 && input->type != DataType::kUInt8)
    return ctx.Fail(StatusCode::kUnsupported, "quantized %s LOG_SOFTMAX is not supported",
                    DataTypeName(input->type));
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, input->type, "output"));
  EDGELITE_RETURN_IF_ERROR(CheckQuantizedTensor(ctx, input, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckQuantizedTensor(ctx, output, "output"));
  const int32_t expected_zp = input->type == DataType::kInt8 ? 127 : 255;
  if (static_cast<double>(quant::Scale(*output)) != 16.0 / 256 ||
      quant::ZeroPoint(*output) != expected_zp)
    return ctx.Invalid("LOG_SOFTMAX output '%s' must have scale 16/256 and zero point %d",
                       output->name, static_cast<int>(expected_zp));
  ref::QuantizedLogSoftmaxParams* p;
  EDGELITE_RETURN_IF_ERROR(GetOrAllocOpData(ctx, &p));
  // Differences scaled to Q5.26 (beta 1), capped to a representable multiplier.
  const double max_multiplier = static_cast<double>((int64_t{1} << 31) - 1);
  const double real =
      std::min(static_cast<double>(quant::Scale(*input)) *
                   static_cast<double>(1 << (31 - ref::kSoftmaxScaledDiffIntegerBits)),
               max_multiplier);
  if (!(real >= 1.0))
    return ctx.Fail(StatusCode::kUnsupported,
                    "input scale %g is too small for the 8-bit LOG_SOFTMAX kernel",
                    static_cast<double>(quant::Scale(*input)));
  quant::QuantizeMultiplier(real, &p->input_multiplier, &p->input_left_shift);
  // The inverse scaling, to map a Q5 log-sum back to a quantized difference.
  const double reverse =
      static_cast<double>(int64_t{1} << (31 - p->input_left_shift)) / p->input_multiplier;
  quant::QuantizeMultiplier(reverse, &p->reverse_multiplier, &p->reverse_shift);
  const double max_input_rescaled =
      1.0 * ((1 << ref::kSoftmaxScaledDiffIntegerBits) - 1) *
      static_cast<double>(int64_t{1} << (31 - ref::kSoftmaxScaledDiffIntegerBits)) /
      static_cast<double>(int64_t{1} << p->input_left_shift);
  p->diff_min = -static_cast<int32_t>(std::floor(max_input_rescaled));
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  Tensor *input, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &input));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, input, 1, kMaxRank, "input"));
  if (IsQuantizedSmallInt(input)) {
    EDGELITE_RETURN_IF_ERROR(PrepareQuantized(ctx, input, output));
  } else {
    EDGELITE_RETURN_IF_ERROR(CheckType(ctx, input, DataType::kFloat32, "input"));
    EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, DataType::kFloat32, "output"));
  }
  return ctx.ResizeOutput(output, input->shape);
}

Status Eval(OpContext& ctx) {
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  const int64_t depth = input->shape[input->shape.rank - 1];
  const int64_t rows = depth ? input->num_elements() / depth : 0;
  const auto* p = static_cast<const ref::QuantizedLogSoftmaxParams*>(ctx.user_data());
  switch (input->type) {
    case DataType::kInt8:
      ref::LogSoftmaxQuantized8(*p, input->data_as<int8_t>(), output->data_as<int8_t>(), rows,
                                depth);
      break;
    case DataType::kUInt8:
      ref::LogSoftmaxQuantized8(*p, input->data_as<uint8_t>(), output->data_as<uint8_t>(), rows,
                                depth);
      break;
    default:
      ref::LogSoftmaxFloat(input->data_as<float>(), output->data_as<float>(), rows, depth);
      break;
  }
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_LOG_SOFTMAX() {
  static const OpRegistration reg = {"LOG_SOFTMAX", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
