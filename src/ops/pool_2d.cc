// The 2-D pooling family: AVERAGE_POOL_2D, MAX_POOL_2D, L2_POOL_2D. They
// share geometry (Pool2DOptions: filter size, strides, SAME/VALID padding,
// fused activation) and differ only in how a window is reduced. float32;
// AVERAGE/MAX also quantized int8/uint8/int16 (TFLite's integer kernels:
// input and output share quantization, values are pooled raw).
#include <algorithm>

#include "src/kernels/pool/pool_fast.h"
#include "src/ops/op_util.h"
#include "src/ops/quantized_unary_util.h"
#include "src/ops/window_util.h"
#include "src/quant/quantization.h"
#include "src/ref/pooling.h"

namespace edgelite {
namespace ops {
namespace {

struct PoolData {
  ref::Window2D window;
  int32_t filter_h, filter_w;
  int32_t act_min, act_max;  // quantized fused-activation range
};

template <ref::PoolKind kKind>
Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  Tensor *input, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &input));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  const bool quantized = kKind != ref::PoolKind::kL2 && IsQuantizedSmallInt(input);
  if (quantized) {
    EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, input->type, "output"));
    EDGELITE_RETURN_IF_ERROR(CheckQuantizedTensor(ctx, input, "input"));
    EDGELITE_RETURN_IF_ERROR(CheckQuantizedTensor(ctx, output, "output"));
  } else {
    EDGELITE_RETURN_IF_ERROR(CheckType(ctx, input, DataType::kFloat32, "input"));
    EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, DataType::kFloat32, "output"));
  }
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, input, 4, 4, "input"));
  const auto* opts = Options<fb::Pool2DOptions>(ctx);
  if (opts == nullptr) return ctx.Invalid("missing Pool2DOptions (filter size is required)");
  PoolData* d = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &d));
  d->filter_h = opts->filter_height();
  d->filter_w = opts->filter_width();
  ref::Window2D& w = d->window;
  w.stride_h = opts->stride_h();
  w.stride_w = opts->stride_w();
  int32_t out_h = 0, out_w = 0;
  EDGELITE_RETURN_IF_ERROR(ComputeWindowAxis(ctx, "height", opts->padding(), input->shape[1],
                                             d->filter_h, w.stride_h, 1, &out_h, &w.pad_top));
  EDGELITE_RETURN_IF_ERROR(ComputeWindowAxis(ctx, "width", opts->padding(), input->shape[2],
                                             d->filter_w, w.stride_w, 1, &out_w, &w.pad_left));
  if (quantized) {
    // Pooled raw: TFLite assumes (and only debug-checks) that input and
    // output share quantization; the clamp uses the output's parameters.
    EDGELITE_RETURN_IF_ERROR(quant::ActivationRangeQuantized(
        static_cast<int>(opts->fused_activation_function()), output->type, quant::Scale(*output),
        quant::ZeroPoint(*output), &d->act_min, &d->act_max));
  } else {
    EDGELITE_RETURN_IF_ERROR(
        FloatActivationRange(ctx, opts->fused_activation_function(), &w.act_min, &w.act_max));
  }
  return ctx.ResizeOutput(output, Shape{input->shape[0], out_h, out_w, input->shape[3]});
}

// Runs fn(row_begin, row_end) over the output rows (batch * out_h), split over the threads for
// large outputs.
template <typename F>
void ForRows(OpContext& ctx, const Tensor* output, int32_t taps, const F& fn) {
  const int64_t rows = int64_t{output->shape[0]} * output->shape[1];
  const double work = static_cast<double>(output->num_elements()) * taps;
  const int threads = ctx.num_threads();
  if (threads <= 1 || rows < 2 || work < 1e6) {
    fn(0, rows);
    return;
  }
  const int32_t tasks = static_cast<int32_t>(std::min<int64_t>(rows, int64_t{threads} * 4));
  ctx.ParallelFor(tasks, [&](int32_t t, int32_t) {
    fn(rows * t / tasks, rows * (t + 1) / tasks);
  });
}

template <ref::PoolKind kKind>
Status Eval(OpContext& ctx) {
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  const auto* d = static_cast<const PoolData*>(ctx.user_data());
  const int32_t taps = d->filter_h * d->filter_w;
  if constexpr (kKind != ref::PoolKind::kL2) {
    // The channels-inner kernels (src/kernels/pool): same results as src/ref/pooling.h.
    auto quantized = [&](auto* in, auto* out) {
      ForRows(ctx, output, taps, [&](int64_t r0, int64_t r1) {
        kernels::pool::PoolQuantized(kKind, d->window, d->filter_h, d->filter_w, d->act_min,
                                     d->act_max, input->shape, in, output->shape, out, r0, r1);
      });
    };
    switch (input->type) {
      case DataType::kInt8:
        quantized(input->data_as<int8_t>(), output->data_as<int8_t>());
        return Status::Ok();
      case DataType::kUInt8:
        quantized(input->data_as<uint8_t>(), output->data_as<uint8_t>());
        return Status::Ok();
      case DataType::kInt16:
        quantized(input->data_as<int16_t>(), output->data_as<int16_t>());
        return Status::Ok();
      default:
        break;
    }
    ForRows(ctx, output, taps, [&](int64_t r0, int64_t r1) {
      kernels::pool::PoolFloat(kKind, d->window, d->filter_h, d->filter_w, input->shape,
                               input->data_as<float>(), output->shape, output->data_as<float>(),
                               r0, r1);
    });
    return Status::Ok();
  }
  ref::Pool2DFloat(kKind, d->window, d->filter_h, d->filter_w, input->shape,
                   input->data_as<float>(), output->shape, output->data_as<float>());
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_AVERAGE_POOL_2D() {
  static const OpRegistration reg = {"AVERAGE_POOL_2D", nullptr, Prepare<ref::PoolKind::kAverage>,
                                     Eval<ref::PoolKind::kAverage>};
  return &reg;
}

const OpRegistration* Register_MAX_POOL_2D() {
  static const OpRegistration reg = {"MAX_POOL_2D", nullptr, Prepare<ref::PoolKind::kMax>,
                                     Eval<ref::PoolKind::kMax>};
  return &reg;
}

const OpRegistration* Register_L2_POOL_2D() {
  static const OpRegistration reg = {"L2_POOL_2D", nullptr, Prepare<ref::PoolKind::kL2>,
                                     Eval<ref::PoolKind::kL2>};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
