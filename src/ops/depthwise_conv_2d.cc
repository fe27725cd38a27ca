// DEPTHWISE_CONV_2D: per-channel 2-D convolution, NHWC input, [1, KH, KW, O]
// filter with O = input depth * depth multiplier, optional bias, SAME/VALID
// padding, strides, dilations, fused activation. As in TFLite, the multiplier
// is derived from the shapes (the option is redundant and may be stale).
// Types: float32; int8 (per-channel along dimension 3 or per-tensor int8
// weights, int32 bias); legacy uint8 (per-tensor, weights zero point); 16x8
// (int16 activations, int8 weights, int64 or int32 bias); hybrid float32
// activations with int8 weights (input quantized asymmetrically per batch,
// per-channel filter scales, as TFLite's DepthwiseConvHybridPerChannel).
#include <algorithm>

#include "src/base/cpu_features.h"
#include "src/kernels/dwconv_int8/dwconv_int8.h"
#include "src/ops/conv_quant_util.h"
#include "src/ops/int8_conv_util.h"
#include "src/ops/op_util.h"
#include "src/ops/window_util.h"
#include "src/kernels/dwconv/dwconv_f32.h"
#include "src/quant/hybrid.h"
#include "src/ref/depthwise_conv_2d.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kInput = 0, kFilter = 1, kBias = 2;

enum class Kind : uint8_t { kFloat, kQuantized, kHybrid };

struct DepthwiseData {
  ref::Window2D p;
  Kind kind = Kind::kFloat;
  ref::QuantConvParams q;
  int32_t channel_capacity = 0;
  float* filter_scales = nullptr;  // hybrid: one per output channel
  int32_t scale_capacity = 0;
  int scratch_id = -1;  // hybrid: quantized input, then per-batch scales and offsets
  // Optimized int8/uint8 path (src/kernels/dwconv_int8); null when the reference kernel runs.
  kernels::dwconv_int8::DwPlan* fast = nullptr;
  kernels::dwconv_int8::DwPlan* fast_plan = nullptr;  // storage reused across Prepare calls
  kernels::dwconv_int8::DwFn fast_fn = nullptr;
  void* fast_mem = nullptr;
  size_t fast_mem_bytes = 0;
  // Float, depth multiplier 1: the vectorized kernel chosen in Prepare (null: reference).
  const kernels::DwConvF32Kernel* float_kernel = nullptr;
};

// Float depthwise through the optimized kernel, output rows split over the threads.
void EvalFloatKernel(OpContext& ctx, const DepthwiseData& d, const Tensor* input,
                     const Tensor* filter, const Tensor* bias, Tensor* output) {
  kernels::DwConvF32Args g;
  g.input = input->data_as<float>();
  g.in_h = input->shape[1];
  g.in_w = input->shape[2];
  g.channels = input->shape[3];
  g.filter = filter->data_as<float>();
  g.bias = bias ? bias->data_as<float>() : nullptr;
  g.k_h = filter->shape[1];
  g.k_w = filter->shape[2];
  g.stride_h = d.p.stride_h;
  g.stride_w = d.p.stride_w;
  g.dilation_h = d.p.dilation_h;
  g.dilation_w = d.p.dilation_w;
  g.pad_top = d.p.pad_top;
  g.pad_left = d.p.pad_left;
  g.output = output->data_as<float>();
  g.out_h = output->shape[1];
  g.out_w = output->shape[2];
  g.act_min = d.p.act_min;
  g.act_max = d.p.act_max;
  const int64_t rows = int64_t{output->shape[0]} * g.out_h;
  if (rows == 0 || g.out_w == 0 || g.channels == 0) return;
  const kernels::DwConvF32Fn run = d.float_kernel->run;
  const int threads = ctx.num_threads();
  // Multiply-adds: output elements times taps. Below ~1 M of them, one thread.
  const double macs = static_cast<double>(rows) * g.out_w * g.channels * g.k_h * g.k_w;
  if (threads <= 1 || macs < 1e6 || rows < 2) {
    run(g, 0, rows);
    return;
  }
  const int32_t tasks = static_cast<int32_t>(std::min<int64_t>(rows, int64_t{threads} * 4));
  ctx.ParallelFor(tasks, [&](int32_t t, int32_t) {
    run(g, rows * t / tasks, rows * (t + 1) / tasks);
  });
}

// 8-bit depthwise through the optimized kernel, output rows split over the threads (each row is
// computed by one task with the same arithmetic: the result does not depend on the threads).
void EvalFastInt8(OpContext& ctx, const DepthwiseData& d, const uint8_t* input, uint8_t* output) {
  const kernels::dwconv_int8::DwPlan& p = *d.fast;
  const int64_t rows = p.rows();
  const int threads = ctx.num_threads();
  const double ops = 2.0 * static_cast<double>(rows) * p.out_w * p.channels * p.k_h * p.k_w;
  if (threads <= 1 || ops < kMinParallelIntOps || rows < 2) {
    d.fast_fn(p, input, output, 0, rows);
    return;
  }
  const int32_t tasks = static_cast<int32_t>(std::min<int64_t>(rows, int64_t{threads} * 4));
  ctx.ParallelFor(tasks, [&](int32_t t, int32_t) {
    d.fast_fn(p, input, output, rows * t / tasks, rows * (t + 1) / tasks);
  });
}

Status PrepareHybrid(OpContext& ctx, DepthwiseData* d, const Tensor* input, const Tensor* filter,
                     const Tensor* bias, const Tensor* output) {
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, DataType::kFloat32, "output"));
  const int32_t out_c = filter->shape[3];
  EDGELITE_RETURN_IF_ERROR(CheckWeightsQuant(ctx, filter, "filter", 3, out_c, true));
  if (bias) EDGELITE_RETURN_IF_ERROR(CheckType(ctx, bias, DataType::kFloat32, "bias"));
  // TFLite requires one scale per output channel here; a single scale is
  // broadcast (the same arithmetic).
  if (d->filter_scales == nullptr || d->scale_capacity < out_c) {
    d->filter_scales = static_cast<float*>(
        ctx.AllocatePersistent(sizeof(float) * static_cast<size_t>(out_c > 0 ? out_c : 1)));
    if (d->filter_scales == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
    d->scale_capacity = out_c;
  }
  for (int32_t o = 0; o < out_c; ++o)
    d->filter_scales[o] = filter->quant.scale[filter->quant.per_channel() ? o : 0];
  return ctx.RequestScratch(HybridScratchBytes(input->shape.NumElements(), input->shape[0]),
                           &d->scratch_id);
}

Status EvalHybrid(OpContext& ctx, const DepthwiseData& d) {
  const Tensor* input = ctx.input(kInput);
  const Tensor* filter = ctx.input(kFilter);
  const Tensor* bias = ctx.input(kBias);
  Tensor* output = ctx.output(0);
  if (output->shape.NumElements() == 0) return Status::Ok();
  const int64_t batches = input->shape[0];
  const int64_t per_batch = input->shape.NumElements() / batches;
  const HybridScratch hs =
      HybridScratchView(ctx.scratch(d.scratch_id), input->shape.NumElements(), batches);
  int8_t* quantized = hs.quantized;
  float* scaling = hs.scaling;
  int32_t* offsets = hs.offsets;
  const float* in = input->data_as<float>();
  for (int64_t b = 0; b < batches; ++b)
    quant::AsymmetricQuantizeFloats(in + b * per_batch, per_batch, quantized + b * per_batch,
                                    &scaling[b], &offsets[b]);
  ref::HybridDepthwiseConv2D(d.p, input->shape, quantized, offsets, scaling, filter->shape,
                             filter->data_as<int8_t>(), d.filter_scales,
                             bias ? bias->data_as<float>() : nullptr, output->shape,
                             output->data_as<float>());
  return Status::Ok();
}

template <typename InT, typename WT>
void EvalQuantizedTyped(const DepthwiseData& d, const Tensor* input, const Tensor* filter,
                        const Tensor* bias, Tensor* output) {
  if (bias && bias->type == DataType::kInt64) {
    ref::DepthwiseConv2DQuantized<InT, WT, InT, int64_t>(
        d.p, d.q, input->shape, input->data_as<InT>(), filter->shape, filter->data_as<WT>(),
        bias->data_as<int64_t>(), output->shape, output->data_as<InT>());
  } else if (bias || input->type != DataType::kInt16) {
    ref::DepthwiseConv2DQuantized<InT, WT, InT, int32_t>(
        d.p, d.q, input->shape, input->data_as<InT>(), filter->shape, filter->data_as<WT>(),
        bias ? bias->data_as<int32_t>() : nullptr, output->shape, output->data_as<InT>());
  } else {
    ref::DepthwiseConv2DQuantized<InT, WT, InT, int64_t>(
        d.p, d.q, input->shape, input->data_as<InT>(), filter->shape, filter->data_as<WT>(),
        nullptr, output->shape, output->data_as<InT>());
  }
}

// Chooses the optimized integer kernel when it covers the node: int8 or uint8 activations,
// depth multiplier 1, int32 (or no) bias, constant weights and bias. Anything else keeps the
// reference kernel.
Status PrepareFastInt8(OpContext& ctx, DepthwiseData* d, const Tensor* input,
                       const Tensor* filter, const Tensor* bias, int32_t out_h, int32_t out_w) {
  namespace dk = kernels::dwconv_int8;
  d->fast = nullptr;
  if (!kOptimizedKernels) return Status::Ok();
  const DataType t = input->type;
  if (t != DataType::kInt8 && t != DataType::kUInt8) return Status::Ok();
  if (filter->shape[3] != input->shape[3] || !filter->is_constant() || filter->data == nullptr)
    return Status::Ok();
  if (bias && (bias->type != DataType::kInt32 || !bias->is_constant() || bias->data == nullptr))
    return Status::Ok();
  const int32_t c = input->shape[3], k_h = filter->shape[1], k_w = filter->shape[2];
  const size_t bytes = dk::DwPersistentBytes(c, k_h, k_w);
  EDGELITE_RETURN_IF_ERROR(GrowPersistent(ctx, bytes, &d->fast_mem, &d->fast_mem_bytes));
  EDGELITE_RETURN_IF_ERROR(EnsurePersistent(ctx, &d->fast_plan));
  dk::DwPlan& p = *d->fast_plan;
  p.batches = input->shape[0];
  p.in_h = input->shape[1];
  p.in_w = input->shape[2];
  p.channels = c;
  p.out_h = out_h;
  p.out_w = out_w;
  p.k_h = k_h;
  p.k_w = k_w;
  p.stride_h = d->p.stride_h;
  p.stride_w = d->p.stride_w;
  p.dilation_h = d->p.dilation_h;
  p.dilation_w = d->p.dilation_w;
  p.pad_top = d->p.pad_top;
  p.pad_left = d->p.pad_left;
  p.unsigned_8bit = t == DataType::kUInt8;
  p.input_offset = d->q.input_offset;
  p.output_offset = d->q.output_offset;
  p.act_min = d->q.act_min;
  p.act_max = d->q.act_max;
  dk::DwPreparePlan(filter->data_as<uint8_t>(), -d->q.weights_offset,
                    bias ? bias->data_as<int32_t>() : nullptr, d->q.multiplier, d->q.shift,
                    d->fast_mem, &p);
  d->fast_fn = dk::SelectDw();
  d->fast = &p;
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 3, 1));
  Tensor *input, *filter, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kInput, &input));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kFilter, &filter));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  Tensor* bias = ctx.input(kBias);
  if (!IsQuantizedActivationType(input->type) && input->type != DataType::kFloat32)
    return ctx.Fail(StatusCode::kUnsupported, "input '%s' has type %s; expected float32, int8, "
                    "uint8 or int16", input->name, DataTypeName(input->type));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, input, 4, 4, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, filter, 4, 4, "filter"));
  if (filter->shape[0] != 1)
    return ctx.Invalid("filter '%s' must have shape [1, H, W, C]; dimension 0 is %d",
                       filter->name, filter->shape[0]);
  const int32_t in_c = input->shape[3], out_c = filter->shape[3];
  if (in_c <= 0 || out_c % in_c != 0)
    return ctx.Invalid("filter depth %d is not a multiple of the input depth %d", out_c, in_c);
  EDGELITE_RETURN_IF_ERROR(CheckBiasLength(ctx, bias, out_c));
  const auto* opts = Options<fb::DepthwiseConv2DOptions>(ctx);
  if (opts == nullptr) return ctx.Invalid("missing DepthwiseConv2DOptions (strides are required)");
  DepthwiseData* d = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &d));
  ref::Window2D* p = &d->p;
  int32_t out_h = 0, out_w = 0;
  EDGELITE_RETURN_IF_ERROR(ConvWindow2D(ctx, opts->padding(), opts->stride_h(), opts->stride_w(),
                                        opts->dilation_h_factor(), opts->dilation_w_factor(),
                                        input, filter, p, &out_h, &out_w));
  if (input->type == DataType::kFloat32 && filter->type == DataType::kFloat32) {
    d->kind = Kind::kFloat;
    EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, DataType::kFloat32, "output"));
    if (bias) EDGELITE_RETURN_IF_ERROR(CheckType(ctx, bias, DataType::kFloat32, "bias"));
    EDGELITE_RETURN_IF_ERROR(
        FloatActivationRange(ctx, opts->fused_activation_function(), &p->act_min, &p->act_max));
    // The optimized kernel covers depth multiplier 1 (MobileNet-style); others keep the
    // reference.
    d->float_kernel = out_c == in_c ? &kernels::SelectDwConvF32Kernel() : nullptr;
  } else if (input->type == DataType::kFloat32) {
    if (filter->type != DataType::kInt8)
      return ctx.Fail(StatusCode::kUnsupported,
                      "filter '%s' has type %s; float32 inputs need float32 or int8 (hybrid) "
                      "weights", filter->name, DataTypeName(filter->type));
    d->kind = Kind::kHybrid;
    EDGELITE_RETURN_IF_ERROR(
        FloatActivationRange(ctx, opts->fused_activation_function(), &p->act_min, &p->act_max));
    EDGELITE_RETURN_IF_ERROR(PrepareHybrid(ctx, d, input, filter, bias, output));
  } else {
    d->kind = Kind::kQuantized;
    EDGELITE_RETURN_IF_ERROR(PrepareConvQuant(ctx, input, filter, bias, output,
                                              static_cast<int>(opts->fused_activation_function()),
                                              3, out_c, &d->q, &d->channel_capacity));
    EDGELITE_RETURN_IF_ERROR(PrepareFastInt8(ctx, d, input, filter, bias, out_h, out_w));
  }
  return ctx.ResizeOutput(output, Shape{input->shape[0], out_h, out_w, out_c});
}

Status Eval(OpContext& ctx) {
  const Tensor* input = ctx.input(kInput);
  const Tensor* filter = ctx.input(kFilter);
  const Tensor* bias = ctx.input(kBias);
  Tensor* output = ctx.output(0);
  const auto& d = *static_cast<const DepthwiseData*>(ctx.user_data());
  if (d.kind == Kind::kHybrid) return EvalHybrid(ctx, d);
  if (d.kind == Kind::kQuantized && d.fast != nullptr) {
    EvalFastInt8(ctx, d, input->data_as<uint8_t>(), output->data_as<uint8_t>());
    return Status::Ok();
  }
  if (d.kind == Kind::kQuantized) {
    switch (input->type) {
      case DataType::kInt8: EvalQuantizedTyped<int8_t, int8_t>(d, input, filter, bias, output); break;
      case DataType::kUInt8: EvalQuantizedTyped<uint8_t, uint8_t>(d, input, filter, bias, output); break;
      default: EvalQuantizedTyped<int16_t, int8_t>(d, input, filter, bias, output); break;
    }
    return Status::Ok();
  }
  if (d.float_kernel != nullptr) {
    EvalFloatKernel(ctx, d, input, filter, bias, output);
    return Status::Ok();
  }
  ref::DepthwiseConv2DFloat(d.p, input->shape,
                            input->data_as<float>(), filter->shape, filter->data_as<float>(),
                            bias ? bias->data_as<float>() : nullptr, output->shape,
                            output->data_as<float>());
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_DEPTHWISE_CONV_2D() {
  static const OpRegistration reg = {"DEPTHWISE_CONV_2D", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
