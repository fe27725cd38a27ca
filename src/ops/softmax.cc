// SOFTMAX over the last axis, with SoftmaxOptions.beta scaling the logits
// (schema default 0 when the options are absent). float32; quantized
// int8 -> int8/int16, uint8 -> uint8/int16 (TFLite's reference fixed-point
// kernel) and int16 -> int16 (TFLite's LUT kernel).
#include <algorithm>
#include <cmath>

#include "src/base/cpu_features.h"
#include "src/kernels/elementwise_f32/elementwise_f32.h"
#include "src/kernels/softmax_q8/softmax_q8.h"
#include "src/ops/op_util.h"
#include "src/ops/quantized_unary_util.h"
#include "src/quant/lut.h"
#include "src/quant/quantization.h"
#include "src/ref/softmax.h"

namespace edgelite {
namespace ops {
namespace {

struct SoftmaxData {
  float beta;
  ref::QuantizedSoftmaxParams q;
  // 8-bit inputs: per-difference exp tables (src/kernels/softmax_q8), allocated once.
  kernels::softmax_q8::SoftmaxQ8Table* table8;
  // float32: src/kernels/elementwise_f32 (null: the reference, the micro profile).
  kernels::elementwise_f32::SoftmaxFn f32_fast;
};

double ExpForLut(double x) { return std::exp(x); }
double OneOverOnePlusForLut(double x) { return 1.0 / (1.0 + x); }

// Output quantization TFLite requires: int8 -> int8 scale 1/256 (within
// 0.1%) and zero point -128; int16 -> int16 scale 1/32768 and zero point 0.
// Other combinations are written with scale 1/2^bits and zero point at the
// type's minimum, unchecked (as in TFLite).
Status CheckOutputQuant(OpContext& ctx, const Tensor* input, const Tensor* output) {
  if (output->quant.count != 1 || !(quant::Scale(*output) > 0.0f))
    return ctx.Invalid("output '%s' must have per-tensor quantization with a positive scale",
                       output->name);
  double expected_scale = 0;
  int32_t expected_zp = 0;
  if (input->type == DataType::kInt8 && output->type == DataType::kInt8) {
    expected_scale = 1.0 / 256;
    expected_zp = -128;
  } else if (input->type == DataType::kInt16) {
    expected_scale = 1.0 / 32768;
    expected_zp = 0;
  } else {
    return Status::Ok();
  }
  if (quant::ZeroPoint(*output) != expected_zp ||
      std::fabs(quant::Scale(*output) - expected_scale) > 0.001 * expected_scale)
    return ctx.Invalid("quantized softmax output '%s' must have scale %g and zero point %d "
                       "(has %g, %d)",
                       output->name, expected_scale, static_cast<int>(expected_zp),
                       static_cast<double>(quant::Scale(*output)),
                       static_cast<int>(quant::ZeroPoint(*output)));
  return Status::Ok();
}

Status PrepareQuantized(OpContext& ctx, Tensor* input, Tensor* output, SoftmaxData* d) {
  EDGELITE_RETURN_IF_ERROR(CheckQuantizedTensor(ctx, input, "input"));
  const bool in8 = input->type == DataType::kInt8 || input->type == DataType::kUInt8;
  const bool ok_out = output->type == input->type || (in8 && output->type == DataType::kInt16);
  if (!ok_out)
    return ctx.Fail(StatusCode::kUnsupported, "softmax from %s to %s is not supported",
                    DataTypeName(input->type), DataTypeName(output->type));
  EDGELITE_RETURN_IF_ERROR(CheckOutputQuant(ctx, input, output));
  ref::QuantizedSoftmaxParams& q = d->q;
  const double input_scale = quant::Scale(*input);
  if (in8) {
    // beta * s_in maps a quantized difference to real; scaled to Q5.26 and
    // capped so the multiplier stays representable.
    const double max_multiplier = static_cast<double>((int64_t{1} << 31) - 1);
    const double real =
        std::min(static_cast<double>(d->beta) * input_scale *
                     static_cast<double>(1 << (31 - ref::kSoftmaxScaledDiffIntegerBits)),
                 max_multiplier);
    if (!(real >= 1.0))
      return ctx.Fail(StatusCode::kUnsupported,
                      "beta * input scale (%g) is too small for the 8-bit softmax kernel",
                      static_cast<double>(d->beta) * input_scale);
    quant::QuantizeMultiplier(real, &q.input_multiplier, &q.input_left_shift);
    // Largest |difference| whose rescaled value still fits Q5.26 (floored).
    const double max_input_rescaled =
        1.0 * ((1 << ref::kSoftmaxScaledDiffIntegerBits) - 1) *
        static_cast<double>(int64_t{1} << (31 - ref::kSoftmaxScaledDiffIntegerBits)) /
        static_cast<double>(int64_t{1} << q.input_left_shift);
    q.diff_min = -static_cast<int32_t>(std::floor(max_input_rescaled));
    // The 2 KB table is a speed-for-RAM trade; the micro profile keeps the
    // reference kernel (same results) and its RAM.
    if (!kOptimizedKernels) return Status::Ok();
    EDGELITE_RETURN_IF_ERROR(EnsurePersistent(ctx, &d->table8));
    kernels::softmax_q8::PrepareSoftmaxQ8(q, d->table8);
    return Status::Ok();
  }
  // int16: two 513-entry tables, built like TFLite's (in double).
  auto* luts =
      static_cast<int16_t*>(ctx.AllocatePersistent(2 * quant::kLut16Size * sizeof(int16_t)));
  if (luts == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
  const double range = 65535.0;
  quant::PopulateLut16<double>(10.0 / range, 32767, 2.0 / range, 0, ExpForLut, luts);
  quant::PopulateLut16<double>(1.0 / range, -32768, 2.0 / range, 0, OneOverOnePlusForLut,
                               luts + quant::kLut16Size);
  q.exp_lut = luts;
  q.one_over_one_plus_x_lut = luts + quant::kLut16Size;
  // Differences are scaled so that [-65535, 0] covers [-10, 0]; TFLite forms
  // scale * beta in float.
  const float scale_beta = quant::Scale(*input) * d->beta;
  quant::QuantizeMultiplier(static_cast<double>(scale_beta) / (10.0 / 65535.0), &q.input_multiplier,
                            &q.input_left_shift);
  if (q.input_left_shift > 30)
    return ctx.Fail(StatusCode::kUnsupported, "beta * input scale is too large");
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  Tensor *input, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &input));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, input, 1, kMaxRank, "input"));
  SoftmaxData* d;
  EDGELITE_RETURN_IF_ERROR(GetOrAllocOpData(ctx, &d));
  const auto* opts = Options<fb::SoftmaxOptions>(ctx);
  d->beta = opts ? opts->beta() : 0.0f;
  if (IsQuantizedSmallInt(input)) {
    EDGELITE_RETURN_IF_ERROR(PrepareQuantized(ctx, input, output, d));
  } else {
    EDGELITE_RETURN_IF_ERROR(CheckType(ctx, input, DataType::kFloat32, "input"));
    EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, DataType::kFloat32, "output"));
    d->f32_fast = nullptr;  // the micro profile keeps the reference (no kernel linked)
    if constexpr (kOptimizedKernels) d->f32_fast = kernels::elementwise_f32::SelectSoftmax();
  }
  return ctx.ResizeOutput(output, input->shape);
}

// 8-bit input through the table kernel, rows split over the threads when there are many.
void Run8(OpContext& ctx, kernels::softmax_q8::Q8Types types, const Tensor* input,
          Tensor* output, const SoftmaxData* d, int64_t rows, int64_t depth) {
  namespace ks = kernels::softmax_q8;
  if (d->table8 == nullptr) {  // micro profile: the reference kernel (no table)
    switch (types) {
      case ks::Q8Types::kInt8ToInt8:
        ref::SoftmaxQuantized8<int8_t, int8_t>(d->q, input->data_as<int8_t>(),
                                               output->data_as<int8_t>(), rows, depth);
        return;
      case ks::Q8Types::kInt8ToInt16:
        ref::SoftmaxQuantized8<int8_t, int16_t>(d->q, input->data_as<int8_t>(),
                                                output->data_as<int16_t>(), rows, depth);
        return;
      case ks::Q8Types::kUInt8ToUInt8:
        ref::SoftmaxQuantized8<uint8_t, uint8_t>(d->q, input->data_as<uint8_t>(),
                                                 output->data_as<uint8_t>(), rows, depth);
        return;
      case ks::Q8Types::kUInt8ToInt16:
        ref::SoftmaxQuantized8<uint8_t, int16_t>(d->q, input->data_as<uint8_t>(),
                                                 output->data_as<int16_t>(), rows, depth);
        return;
    }
  }
  const int threads = ctx.num_threads();
  if (threads <= 1 || rows * depth < (int64_t{1} << 15) || rows < 2) {
    ks::RunSoftmaxQ8(*d->table8, types, input->data, output->data, depth, 0, rows);
    return;
  }
  const int32_t tasks = static_cast<int32_t>(std::min<int64_t>(rows, int64_t{threads} * 4));
  ctx.ParallelFor(tasks, [&](int32_t t, int32_t) {
    ks::RunSoftmaxQ8(*d->table8, types, input->data, output->data, depth, rows * t / tasks,
                     rows * (t + 1) / tasks);
  });
}

// float32 through the kernel, rows split over the threads when there are many.
void RunFloat(OpContext& ctx, const Tensor* input, Tensor* output, const SoftmaxData* d,
              int64_t rows, int64_t depth) {
  const float* x = input->data_as<float>();
  float* y = output->data_as<float>();
  const int threads = ctx.num_threads();
  if (threads <= 1 || rows * depth < (int64_t{1} << 14) || rows < 2) {
    d->f32_fast(x, y, rows, depth, d->beta);
    return;
  }
  const int32_t tasks = static_cast<int32_t>(std::min<int64_t>(rows, int64_t{threads} * 4));
  ctx.ParallelFor(tasks, [&](int32_t t, int32_t) {
    const int64_t r0 = rows * t / tasks, r1 = rows * (t + 1) / tasks;
    d->f32_fast(x + r0 * depth, y + r0 * depth, r1 - r0, depth, d->beta);
  });
}

Status Eval(OpContext& ctx) {
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  const auto* d = static_cast<const SoftmaxData*>(ctx.user_data());
  const int64_t depth = input->shape[input->shape.rank - 1];
  const int64_t rows = depth ? input->num_elements() / depth : 0;
  const bool out16 = output->type == DataType::kInt16;
  switch (input->type) {
    case DataType::kFloat32:
      if constexpr (kOptimizedKernels) {  // folded away in the micro profile
        if (d->f32_fast != nullptr) {
          RunFloat(ctx, input, output, d, rows, depth);
          return Status::Ok();
        }
      }
      ref::SoftmaxFloat(input->data_as<float>(), output->data_as<float>(), rows, depth, d->beta);
      return Status::Ok();
    case DataType::kInt8:
      Run8(ctx, out16 ? kernels::softmax_q8::Q8Types::kInt8ToInt16
                      : kernels::softmax_q8::Q8Types::kInt8ToInt8,
           input, output, d, rows, depth);
      return Status::Ok();
    case DataType::kUInt8:
      Run8(ctx, out16 ? kernels::softmax_q8::Q8Types::kUInt8ToInt16
                      : kernels::softmax_q8::Q8Types::kUInt8ToUInt8,
           input, output, d, rows, depth);
      return Status::Ok();
    case DataType::kInt16:
      ref::SoftmaxQuantized16(d->q, input->data_as<int16_t>(), output->data_as<int16_t>(), rows,
                              depth);
      return Status::Ok();
    default:
      return ctx.Fail(StatusCode::kInternal, "unexpected type");
  }
}

}  // namespace

const OpRegistration* Register_SOFTMAX() {
  static const OpRegistration reg = {"SOFTMAX", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
