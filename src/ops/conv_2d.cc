// CONV_2D: 2-D convolution, NHWC input, OHWI filter, optional bias, SAME/VALID
// padding, strides, dilations, fused activation. A filter with fewer input
// channels than the input is a grouped convolution (groups = in / filter in).
// Types: float32; int8 (per-channel or per-tensor int8 weights, int32 bias);
// legacy uint8 (per-tensor uint8 weights with zero points, int32 bias); 16x8
// (int16 activations, int8 weights, int64 or int32 bias); hybrid float32
// activations with int8 weights (the input is quantized per batch on the fly:
// symmetrically when the filter has one scale, asymmetrically when its scales
// differ per channel or the conv is grouped, as TFLite's reference does).
#include <cstring>

#include "src/base/cpu_features.h"
#include "src/kernels/conv_int8/conv_int8.h"
#include "src/ops/conv_quant_util.h"
#include "src/ops/float_gemm_util.h"
#include "src/ops/int8_conv_util.h"
#include "src/ops/op_util.h"
#include "src/ops/window_util.h"
#include "src/quant/hybrid.h"
#include "src/ref/conv_2d.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kInput = 0, kFilter = 1, kBias = 2;

enum class Kind : uint8_t { kFloat, kQuantized, kHybrid };

struct ConvData {
  ref::Window2D p;
  Kind kind = Kind::kFloat;
  ref::QuantConvParams q;
  int32_t channel_capacity = 0;
  bool hybrid_per_channel = false;
  int scratch_id = -1;  // hybrid: quantized input, then per-batch scales and offsets
  // Optimized int8/uint8 path (src/kernels/conv_int8); null when the reference kernel runs.
  kernels::conv_int8::ConvPlan* fast = nullptr;
  kernels::conv_int8::ConvPlan* fast_plan = nullptr;  // storage reused across Prepare calls
  void* fast_mem = nullptr;
  size_t fast_mem_bytes = 0;
  int fast_scratch_id = -1;
  // Hybrid GEMM path: the int8 filter packed once into fast_plan (raw int32 accumulators, no
  // bias), the accumulators of every output pixel in hybrid_acc_scratch, then the reference's
  // float rescale. False: the reference loop nest.
  bool hybrid_gemm = false;
  int hybrid_acc_scratch = -1;
  // Float GEMM path (use_gemm): weights packed once; a 1x1 stride-1 conv multiplies the NHWC
  // input directly, any other conv gathers blocks of im2col rows into per-worker scratch.
  bool use_gemm = false;
  bool direct_1x1 = false;
  PackedGemmF32 gemm;
  int im2col_scratch = -1;
  int64_t im2col_block_rows = 0;
};

// Chooses the GEMM path for a float conv it covers (constant filter and bias, one group, a
// depth that fits the kernels' int32 k); anything else keeps the reference kernel.
Status PrepareFloatGemm(OpContext& ctx, ConvData* d, const Tensor* input, const Tensor* filter,
                        const Tensor* bias, int32_t groups) {
  d->use_gemm = false;
  if (!kOptimizedKernels) return Status::Ok();
  if (groups != 1 || !IsConstantTensor(filter) || (bias != nullptr && !IsConstantTensor(bias)))
    return Status::Ok();
  const int64_t k64 = int64_t{filter->shape[1]} * filter->shape[2] * filter->shape[3];
  if (k64 <= 0 || k64 > (int64_t{1} << 24)) return Status::Ok();
  const int32_t n = filter->shape[0], k = static_cast<int32_t>(k64);
  EDGELITE_RETURN_IF_ERROR(PreparePackedGemmF32(ctx, &d->gemm, filter->data_as<float>(),
                                                bias ? bias->data_as<float>() : nullptr, n, k));
  const ref::Window2D& p = d->p;
  d->direct_1x1 = filter->shape[1] == 1 && filter->shape[2] == 1 && p.stride_h == 1 &&
                  p.stride_w == 1 && p.pad_top == 0 && p.pad_left == 0;
  if (!d->direct_1x1) {
    d->im2col_block_rows = Im2colBlockRows(d->gemm, k);
    const size_t bytes = static_cast<size_t>(ctx.num_threads()) *
                         static_cast<size_t>(d->im2col_block_rows) * static_cast<size_t>(k) *
                         sizeof(float);
    EDGELITE_RETURN_IF_ERROR(ctx.RequestScratch(bytes, &d->im2col_scratch));
  }
  d->use_gemm = true;
  return Status::Ok();
}

// Gathers the receptive fields of output pixels [m0, m1) (flattened over batch, row, column)
// into rows of `dst` in the filter's (ky, kx, c) order; taps outside the image are zeros.
void Im2col(const ref::Window2D& p, const Shape& in_shape, const float* input, int32_t k_h,
            int32_t k_w, int32_t out_h, int32_t out_w, int64_t m0, int64_t m1, float* dst) {
  const int64_t in_h = in_shape[1], in_w = in_shape[2], in_c = in_shape[3];
  const size_t c_bytes = static_cast<size_t>(in_c) * sizeof(float);
  for (int64_t m = m0; m < m1; ++m) {
    const int64_t ox = m % out_w, oy = (m / out_w) % out_h, b = m / (int64_t{out_w} * out_h);
    for (int32_t ky = 0; ky < k_h; ++ky) {
      const int64_t iy = oy * p.stride_h - p.pad_top + int64_t{ky} * p.dilation_h;
      if (iy < 0 || iy >= in_h) {
        std::memset(dst, 0, c_bytes * k_w);
        dst += in_c * k_w;
        continue;
      }
      const float* row = input + (b * in_h + iy) * in_w * in_c;
      for (int32_t kx = 0; kx < k_w; ++kx, dst += in_c) {
        const int64_t ix = ox * p.stride_w - p.pad_left + int64_t{kx} * p.dilation_w;
        if (ix < 0 || ix >= in_w) {
          std::memset(dst, 0, c_bytes);
        } else {
          std::memcpy(dst, row + ix * in_c, c_bytes);
        }
      }
    }
  }
}

void EvalFloatGemm(OpContext& ctx, const ConvData& d, const Tensor* input, const Tensor* filter,
                   Tensor* output) {
  const int64_t rows = int64_t{output->shape[0]} * output->shape[1] * output->shape[2];
  const int32_t n = filter->shape[0];
  float* out = output->data_as<float>();
  if (rows == 0 || n == 0) return;
  if (d.direct_1x1) {
    RunPackedGemmF32(ctx, d.gemm, input->data_as<float>(), input->shape[3], rows, out, n,
                     d.p.act_min, d.p.act_max);
    return;
  }
  const int32_t k = d.gemm.k;
  const int64_t block = d.im2col_block_rows;
  const int64_t blocks = (rows + block - 1) / block;
  float* scratch = static_cast<float*>(ctx.scratch(d.im2col_scratch));
  const float* in = input->data_as<float>();
  const int32_t k_h = filter->shape[1], k_w = filter->shape[2];
  const int32_t out_h = output->shape[1], out_w = output->shape[2];
  kernels::GemmF32Args g;
  g.lda = k;
  g.packed_w = d.gemm.packed_w;
  g.packed_bias = d.gemm.packed_bias;
  g.k = k;
  g.n = n;
  g.c = out;
  g.ldc = n;
  g.act_min = d.p.act_min;
  g.act_max = d.p.act_max;
  const int32_t panels = kernels::GemmF32NumPanels(n, d.gemm.kernel->nr);
  auto task = [&](int32_t b, int32_t worker) {
    const int64_t m0 = b * block, m1 = std::min(rows, m0 + block);
    float* buf = scratch + static_cast<size_t>(worker) * static_cast<size_t>(block) * k;
    Im2col(d.p, input->shape, in, k_h, k_w, out_h, out_w, m0, m1, buf);
    kernels::GemmF32Args gb = g;
    gb.a = buf;
    gb.c = out + m0 * n;
    d.gemm.kernel->run(gb, 0, m1 - m0, 0, panels);
  };
  const double flops = 2.0 * static_cast<double>(rows) * n * k;
  if (ctx.num_threads() <= 1 || flops < kMinParallelFlops) {
    for (int64_t b = 0; b < blocks; ++b) task(static_cast<int32_t>(b), 0);
  } else {
    ctx.ParallelFor(static_cast<int32_t>(blocks), task);
  }
}

// The int8 conv kernel's geometry (NHWC input, OHWI filter) from the op's window.
kernels::conv_int8::ConvGeometry Int8ConvGeometry(const ConvData& d, const Tensor* input,
                                                  const Tensor* filter, int32_t out_h,
                                                  int32_t out_w) {
  kernels::conv_int8::ConvGeometry g;
  g.batches = input->shape[0];
  g.in_h = input->shape[1];
  g.in_w = input->shape[2];
  g.in_c = input->shape[3];
  g.out_h = out_h;
  g.out_w = out_w;
  g.out_c = filter->shape[0];
  g.k_h = filter->shape[1];
  g.k_w = filter->shape[2];
  g.stride_h = d.p.stride_h;
  g.stride_w = d.p.stride_w;
  g.dilation_h = d.p.dilation_h;
  g.dilation_w = d.p.dilation_w;
  g.pad_top = d.p.pad_top;
  g.pad_left = d.p.pad_left;
  return g;
}

// The hybrid conv as an int8 GEMM (src/kernels/conv_int8 with raw int32 output) when it covers
// the node: one group, a constant filter, and a depth small enough that every accumulator fits
// int32 (|w| <= 128, |in - offset| <= 255: depth * 128 * 255 < 2^31), so the integer sums equal
// the reference's int64 sums exactly. The plan is built for input zero point 0; EvalHybrid fills
// padding taps with the batch's offset and subtracts offset * sum(w) per channel, which gives
// the reference's sum over in-image taps of w * (in - offset).
Status PrepareHybridGemm(OpContext& ctx, ConvData* d, const Tensor* input, const Tensor* filter,
                         int32_t groups, int32_t out_h, int32_t out_w) {
  namespace ck = kernels::conv_int8;
  constexpr int64_t kMaxExactDepth = 65536;
  d->hybrid_gemm = false;
  if (groups != 1 || !filter->is_constant() || filter->data == nullptr) return Status::Ok();
  const ck::ConvGeometry g = Int8ConvGeometry(*d, input, filter, out_h, out_w);
  const int64_t depth = int64_t{g.k_h} * g.k_w * g.in_c;
  if (g.rows() == 0 || g.out_c == 0 || depth == 0 || depth > kMaxExactDepth) return Status::Ok();
  const size_t bytes = ck::ConvPlanPersistentBytes(g);
  EDGELITE_RETURN_IF_ERROR(GrowPersistent(ctx, bytes, &d->fast_mem, &d->fast_mem_bytes));
  EDGELITE_RETURN_IF_ERROR(EnsurePersistent(ctx, &d->fast_plan));
  ck::ConvQuant q;  // int8 activations, zero points 0, no bias
  q.raw_int32 = true;
  ck::PrepareConvPlan(g, filter->data_as<uint8_t>(), q, d->fast_mem, d->fast_plan);
  EDGELITE_RETURN_IF_ERROR(ctx.RequestScratch(
      Int8ConvScratchBytes(*d->fast_plan, ctx.num_threads()), &d->fast_scratch_id));
  EDGELITE_RETURN_IF_ERROR(ctx.RequestScratch(
      static_cast<size_t>(g.rows()) * static_cast<size_t>(g.out_c) * sizeof(int32_t),
      &d->hybrid_acc_scratch));
  d->hybrid_gemm = true;
  return Status::Ok();
}

Status PrepareHybrid(OpContext& ctx, ConvData* d, const Tensor* input, const Tensor* filter,
                     const Tensor* bias, const Tensor* output, int32_t groups, int32_t out_h,
                     int32_t out_w) {
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, DataType::kFloat32, "output"));
  const int32_t out_c = filter->shape[0];
  EDGELITE_RETURN_IF_ERROR(CheckWeightsQuant(ctx, filter, "filter", 0, out_c, true));
  if (bias) EDGELITE_RETURN_IF_ERROR(CheckType(ctx, bias, DataType::kFloat32, "bias"));
  bool differ = false;
  for (int32_t i = 1; i < filter->quant.count; ++i)
    if (filter->quant.scale[i] != filter->quant.scale[0]) differ = true;
  d->hybrid_per_channel = differ || groups != 1;
  EDGELITE_RETURN_IF_ERROR(ctx.RequestScratch(
      HybridScratchBytes(input->shape.NumElements(), input->shape[0]), &d->scratch_id));
  return PrepareHybridGemm(ctx, d, input, filter, groups, out_h, out_w);
}

// The GEMM form of ref::HybridConv2D (see PrepareHybridGemm): the same integer sums, then the
// same float expressions in the same order.
void EvalHybridGemm(OpContext& ctx, const ConvData& d, const Tensor* input,
                    const int8_t* quantized, const int32_t* offsets, const float* scaling,
                    const Tensor* filter, const Tensor* bias, Tensor* output) {
  namespace ck = kernels::conv_int8;
  const ck::ConvPlan& plan = *d.fast_plan;
  const int64_t batches = input->shape[0];
  const int64_t pixels = int64_t{plan.g.out_h} * plan.g.out_w;
  const int32_t out_c = plan.g.out_c;
  int32_t* acc = static_cast<int32_t*>(ctx.scratch(d.hybrid_acc_scratch));
  void* scratch = ctx.scratch(d.fast_scratch_id);
  const auto* in = reinterpret_cast<const uint8_t*>(quantized);
  bool same_offsets = true;
  for (int64_t b = 1; b < batches; ++b) same_offsets = same_offsets && offsets[b] == offsets[0];
  // Padding taps hold the batch's offset (in the GEMM's unsigned domain: + 128), so that they
  // add offset * w, removed below with the rest of offset * sum(w).
  ck::ConvPlan local = plan;
  if (same_offsets) {
    local.pad_byte = static_cast<uint8_t>(offsets[0] + 128);
    RunInt8Conv(ctx, local, in, acc, scratch);
  } else {
    for (int64_t b = 0; b < batches; ++b) {
      local.pad_byte = static_cast<uint8_t>(offsets[b] + 128);
      ck::RunConv(local, in, acc, scratch, b * pixels, (b + 1) * pixels);
    }
  }
  const int32_t* col_sum = plan.w.col_sum;  // sum over the depth of each channel's weights
  const float* filter_scale = filter->quant.scale;
  const float* bias_data = bias ? bias->data_as<float>() : nullptr;
  float* out = output->data_as<float>();
  for (int64_t b = 0; b < batches; ++b) {
    const int64_t offset = offsets[b];
    const float combined = scaling[b] * filter_scale[0];
    for (int64_t px = 0; px < pixels; ++px) {
      const int64_t row = b * pixels + px;
      const int32_t* a = acc + row * out_c;
      float* o_row = out + row * out_c;
      for (int32_t o = 0; o < out_c; ++o) {
        const int64_t sum = int64_t{a[o]} - offset * col_sum[o];
        float v;
        if (d.hybrid_per_channel) {
          v = static_cast<float>(sum) * filter_scale[o] * scaling[b];
        } else {
          v = static_cast<float>(sum) * combined;
        }
        if (bias_data) v += bias_data[o];
        o_row[o] = ref::Clamp(v, d.p.act_min, d.p.act_max);
      }
    }
  }
}

Status EvalHybrid(OpContext& ctx, const ConvData& d) {
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
  for (int64_t b = 0; b < batches; ++b) {
    if (d.hybrid_per_channel) {
      quant::AsymmetricQuantizeFloats(in + b * per_batch, per_batch, quantized + b * per_batch,
                                      &scaling[b], &offsets[b]);
    } else {
      quant::SymmetricQuantizeFloats(in + b * per_batch, per_batch, quantized + b * per_batch,
                                     &scaling[b]);
      offsets[b] = 0;
    }
  }
  // The GEMM path's padding bytes hold offset + 128; AsymmetricQuantizeFloats keeps zero
  // points in [-128, 127], checked here all the same.
  bool offsets_fit = true;
  for (int64_t b = 0; b < batches; ++b)
    offsets_fit = offsets_fit && offsets[b] >= -128 && offsets[b] <= 127;
  if (d.hybrid_gemm && offsets_fit) {
    EvalHybridGemm(ctx, d, input, quantized, offsets, scaling, filter, bias, output);
    return Status::Ok();
  }
  ref::HybridConv2D(d.p, input->shape, quantized, offsets, scaling, filter->shape,
                    filter->data_as<int8_t>(), filter->quant.scale, d.hybrid_per_channel,
                    bias ? bias->data_as<float>() : nullptr, output->shape,
                    output->data_as<float>());
  return Status::Ok();
}

// Chooses the optimized integer kernel when it covers the node: int8 or uint8 activations,
// int32 (or no) bias, ungrouped, constant weights and bias (they are packed and folded once here).
// Anything else keeps the reference kernel.
Status PrepareFastInt8(OpContext& ctx, ConvData* d, const Tensor* input, const Tensor* filter,
                       const Tensor* bias, int32_t groups, int32_t out_h, int32_t out_w) {
  namespace ck = kernels::conv_int8;
  d->fast = nullptr;
  if (!kOptimizedKernels) return Status::Ok();
  const DataType t = input->type;
  if (t != DataType::kInt8 && t != DataType::kUInt8) return Status::Ok();
  if (groups != 1 || !filter->is_constant() || filter->data == nullptr) return Status::Ok();
  if (bias && (bias->type != DataType::kInt32 || !bias->is_constant() || bias->data == nullptr))
    return Status::Ok();
  const ck::ConvGeometry g = Int8ConvGeometry(*d, input, filter, out_h, out_w);
  if (g.rows() == 0 || g.out_c == 0 || g.depth() == 0) return Status::Ok();
  const size_t bytes = ck::ConvPlanPersistentBytes(g);
  EDGELITE_RETURN_IF_ERROR(GrowPersistent(ctx, bytes, &d->fast_mem, &d->fast_mem_bytes));
  EDGELITE_RETURN_IF_ERROR(EnsurePersistent(ctx, &d->fast_plan));
  ck::ConvQuant q;
  q.unsigned_8bit = t == DataType::kUInt8;
  q.input_zero_point = -d->q.input_offset;
  q.weights_zero_point = -d->q.weights_offset;
  q.bias = bias ? bias->data_as<int32_t>() : nullptr;
  q.multiplier = d->q.multiplier;
  q.shift = d->q.shift;
  q.output_zero_point = d->q.output_offset;
  q.act_min = d->q.act_min;
  q.act_max = d->q.act_max;
  ck::PrepareConvPlan(g, filter->data_as<uint8_t>(), q, d->fast_mem, d->fast_plan);
  EDGELITE_RETURN_IF_ERROR(ctx.RequestScratch(
      Int8ConvScratchBytes(*d->fast_plan, ctx.num_threads()), &d->fast_scratch_id));
  d->fast = d->fast_plan;
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
  const int32_t in_c = input->shape[3], out_c = filter->shape[0], f_c = filter->shape[3];
  if (f_c <= 0 || in_c % f_c != 0)
    return ctx.Invalid("input depth %d is not a multiple of the filter depth %d", in_c, f_c);
  const int32_t groups = in_c / f_c;
  if (groups == 0 || out_c % groups != 0)
    return ctx.Invalid("output depth %d is not a multiple of the number of groups %d", out_c,
                       groups);
  EDGELITE_RETURN_IF_ERROR(CheckBiasLength(ctx, bias, out_c));
  const auto* opts = Options<fb::Conv2DOptions>(ctx);
  if (opts == nullptr) return ctx.Invalid("missing Conv2DOptions (strides are required)");
  ConvData* d = nullptr;
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
    EDGELITE_RETURN_IF_ERROR(PrepareFloatGemm(ctx, d, input, filter, bias, groups));
  } else if (input->type == DataType::kFloat32) {
    if (filter->type != DataType::kInt8)
      return ctx.Fail(StatusCode::kUnsupported,
                      "filter '%s' has type %s; float32 inputs need float32 or int8 (hybrid) "
                      "weights", filter->name, DataTypeName(filter->type));
    d->kind = Kind::kHybrid;
    EDGELITE_RETURN_IF_ERROR(
        FloatActivationRange(ctx, opts->fused_activation_function(), &p->act_min, &p->act_max));
    EDGELITE_RETURN_IF_ERROR(
        PrepareHybrid(ctx, d, input, filter, bias, output, groups, out_h, out_w));
  } else {
    d->kind = Kind::kQuantized;
    EDGELITE_RETURN_IF_ERROR(PrepareConvQuant(ctx, input, filter, bias, output,
                                              static_cast<int>(opts->fused_activation_function()),
                                              0, out_c, &d->q, &d->channel_capacity));
    EDGELITE_RETURN_IF_ERROR(PrepareFastInt8(ctx, d, input, filter, bias, groups, out_h, out_w));
  }
  return ctx.ResizeOutput(output, Shape{input->shape[0], out_h, out_w, out_c});
}

template <typename InT, typename WT>
void EvalQuantizedTyped(const ConvData& d, const Tensor* input, const Tensor* filter,
                        const Tensor* bias, Tensor* output) {
  if (bias && bias->type == DataType::kInt64) {
    ref::Conv2DQuantized<InT, WT, InT, int64_t>(d.p, d.q, input->shape, input->data_as<InT>(),
                                                filter->shape, filter->data_as<WT>(),
                                                bias->data_as<int64_t>(), output->shape,
                                                output->data_as<InT>());
  } else if (bias || input->type != DataType::kInt16) {
    ref::Conv2DQuantized<InT, WT, InT, int32_t>(
        d.p, d.q, input->shape, input->data_as<InT>(), filter->shape, filter->data_as<WT>(),
        bias ? bias->data_as<int32_t>() : nullptr, output->shape, output->data_as<InT>());
  } else {
    // 16x8 without bias: TFLite's default accumulator is int64.
    ref::Conv2DQuantized<InT, WT, InT, int64_t>(d.p, d.q, input->shape, input->data_as<InT>(),
                                                filter->shape, filter->data_as<WT>(), nullptr,
                                                output->shape, output->data_as<InT>());
  }
}

Status Eval(OpContext& ctx) {
  const Tensor* input = ctx.input(kInput);
  const Tensor* filter = ctx.input(kFilter);
  const Tensor* bias = ctx.input(kBias);
  Tensor* output = ctx.output(0);
  const auto& d = *static_cast<const ConvData*>(ctx.user_data());
  if (d.kind == Kind::kHybrid) return EvalHybrid(ctx, d);
  if (d.kind == Kind::kQuantized && d.fast != nullptr) {
    RunInt8Conv(ctx, *d.fast, input->data_as<uint8_t>(), output->data,
                ctx.scratch(d.fast_scratch_id));
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
  if (d.use_gemm) {
    EvalFloatGemm(ctx, d, input, filter, output);
    return Status::Ok();
  }
  ref::Conv2DFloat(d.p, input->shape,
                   input->data_as<float>(), filter->shape, filter->data_as<float>(),
                   bias ? bias->data_as<float>() : nullptr, output->shape,
                   output->data_as<float>());
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_CONV_2D() {
  static const OpRegistration reg = {"CONV_2D", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
