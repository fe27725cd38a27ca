// FULLY_CONNECTED: input [..., depth] x weights [units, depth]^T + bias.
// Types: float32; int8 in/out with int8 weights (per-channel along dimension
// 0, or per-tensor with any zero point) and int32 bias; legacy uint8 with
// uint8 weights and uint8 or int16 output; int16 in/out with int8 weights and
// int32/int64 bias; hybrid float32 activations with int8 weights (input
// quantized per batch, symmetric or asymmetric per asymmetric_quantize_inputs).
// Integer outputs are requantized as TFLite's reference kernel does: the
// accumulator times double(in_scale) * double(w_scale) / double(out_scale),
// rounded half away from zero (quant::ScaleAccumulatorRounded).
#include <algorithm>
#include <cmath>

#include "src/base/cpu_features.h"
#include "src/kernels/conv_int8/conv_int8.h"
#include "src/ops/conv_quant_util.h"
#include "src/ops/float_gemm_util.h"
#include "src/ops/int8_conv_util.h"
#include "src/ops/op_util.h"
#include "src/quant/hybrid.h"
#include "src/ref/quantize.h"
#include "src/quant/quantization.h"
#include "src/ref/fully_connected.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kInput = 0, kWeights = 1, kBias = 2;

enum class Kind : uint8_t { kFloat, kQuantized, kHybrid, kBlockwise4 };

struct FcData {
  float act_min, act_max;
  Kind kind = Kind::kFloat;
  ref::FcQuantParams q;
  int32_t scale_capacity = 0;
  bool hybrid_asymmetric = false;
  bool hybrid_per_channel = false;
  int scratch_id = -1;  // hybrid: quantized input, per-batch scales and offsets
  // Blockwise int4 weights: the float16 block scales widened once, [units, blocks].
  const float* block_scales = nullptr;
  int32_t block_size = 0;
  // Optimized int8/uint8 product (src/kernels/conv_int8 as a 1x1 convolution with raw int32
  // output; the double-precision rescale stays the reference's); null: reference kernel.
  kernels::conv_int8::ConvPlan* fast = nullptr;
  kernels::conv_int8::ConvPlan* fast_plan = nullptr;
  void* fast_mem = nullptr;
  size_t fast_mem_bytes = 0;
  int fast_scratch_id = -1;  // int32 accumulators [batches][units], then the GEMM's scratch
  bool use_gemm = false;  // float with constant weights (and bias): packed once
  PackedGemmF32 gemm;
};


Status PrepareQuantized(OpContext& ctx, FcData* d, const Tensor* input, const Tensor* weights,
                        const Tensor* bias, const Tensor* output, int activation, int32_t units) {
  const DataType in_t = input->type, w_t = weights->type, out_t = output->type;
  bool ok_types = false;
  if (in_t == DataType::kInt8) ok_types = w_t == DataType::kInt8 && out_t == DataType::kInt8;
  if (in_t == DataType::kUInt8)
    ok_types = w_t == DataType::kUInt8 && (out_t == DataType::kUInt8 || out_t == DataType::kInt16);
  if (in_t == DataType::kInt16) ok_types = w_t == DataType::kInt8 && out_t == DataType::kInt16;
  if (!ok_types)
    return ctx.Fail(StatusCode::kUnsupported,
                    "unsupported type combination: input %s, weights %s, output %s",
                    DataTypeName(in_t), DataTypeName(w_t), DataTypeName(out_t));
  EDGELITE_RETURN_IF_ERROR(CheckActivationQuant(ctx, input, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckActivationQuant(ctx, output, "output"));
  if (out_t == DataType::kInt16 && quant::ZeroPoint(*output) != 0)
    return ctx.Invalid("int16 output '%s' must have zero point 0", output->name);
  const bool per_channel = weights->quant.per_channel();
  if (per_channel && in_t == DataType::kUInt8)
    return ctx.Fail(StatusCode::kUnsupported,
                    "uint8 weights '%s' are quantized per channel; only int8 weights may be",
                    weights->name);
  EDGELITE_RETURN_IF_ERROR(CheckWeightsQuant(ctx, weights, "weights", 0, units, per_channel));
  if (bias) {
    const bool ok = in_t == DataType::kInt16
                        ? (bias->type == DataType::kInt32 || bias->type == DataType::kInt64)
                        : bias->type == DataType::kInt32;
    if (!ok)
      return ctx.Fail(StatusCode::kUnsupported, "bias '%s' has type %s; %s needs %s", bias->name,
                      DataTypeName(bias->type), DataTypeName(in_t),
                      in_t == DataType::kInt16 ? "int32 or int64" : "int32");
  }
  if (d->q.real_scale == nullptr || d->scale_capacity < units) {
    d->q.real_scale = static_cast<double*>(
        ctx.AllocatePersistent(sizeof(double) * static_cast<size_t>(units > 0 ? units : 1)));
    if (d->q.real_scale == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
    d->scale_capacity = units;
  }
  const double in_s = quant::Scale(*input), out_s = quant::Scale(*output);
  for (int32_t o = 0; o < units; ++o) {
    const double real = in_s * static_cast<double>(weights->quant.scale[per_channel ? o : 0]) / out_s;
    if (!std::isfinite(real)) return ctx.Invalid("output multiplier %g is not finite", real);
    d->q.real_scale[o] = real;
  }
  d->q.input_offset = -quant::ZeroPoint(*input);
  d->q.weights_offset = per_channel ? 0 : -quant::ZeroPoint(*weights);
  d->q.output_offset = quant::ZeroPoint(*output);
  Status st = quant::ActivationRangeQuantized(activation, out_t, quant::Scale(*output),
                                              d->q.output_offset, &d->q.act_min, &d->q.act_max);
  if (!st.ok()) return ctx.Fail(StatusCode::kUnsupported, "%s", st.message().c_str());
  if (d->q.act_min > d->q.act_max)
    return ctx.Invalid("fused activation range is empty for output '%s'", output->name);
  return Status::Ok();
}

size_t AccBytes(int64_t batches, int64_t units) {
  return (static_cast<size_t>(batches) * static_cast<size_t>(units) * sizeof(int32_t) + 63) &
         ~size_t{63};
}

// The optimized path covers int8/uint8 inputs with int32 (or no) bias and constant weights and
// bias (packed and folded here, once).
Status PrepareFastInt8(OpContext& ctx, FcData* d, const Tensor* input, const Tensor* weights,
                       const Tensor* bias, int64_t batches, int32_t depth, int32_t units) {
  namespace ck = kernels::conv_int8;
  d->fast = nullptr;
  if (!kOptimizedKernels) return Status::Ok();
  const DataType t = input->type;
  if (t != DataType::kInt8 && t != DataType::kUInt8) return Status::Ok();
  if (!weights->is_constant() || weights->data == nullptr) return Status::Ok();
  if (bias && (bias->type != DataType::kInt32 || !bias->is_constant() || bias->data == nullptr))
    return Status::Ok();
  if (batches <= 0 || batches > INT32_MAX || units == 0 || depth == 0) return Status::Ok();
  ck::ConvGeometry g;
  g.batches = static_cast<int32_t>(batches);
  g.in_c = depth;
  g.out_c = units;
  const size_t bytes = ck::ConvPlanPersistentBytes(g);
  EDGELITE_RETURN_IF_ERROR(GrowPersistent(ctx, bytes, &d->fast_mem, &d->fast_mem_bytes));
  EDGELITE_RETURN_IF_ERROR(EnsurePersistent(ctx, &d->fast_plan));
  ck::ConvQuant q;
  q.unsigned_8bit = t == DataType::kUInt8;
  q.input_zero_point = -d->q.input_offset;
  q.weights_zero_point = -d->q.weights_offset;
  q.bias = bias ? bias->data_as<int32_t>() : nullptr;
  q.raw_int32 = true;
  ck::PrepareConvPlan(g, weights->data_as<uint8_t>(), q, d->fast_mem, d->fast_plan);
  EDGELITE_RETURN_IF_ERROR(ctx.RequestScratch(
      AccBytes(batches, units) + Int8ConvScratchBytes(*d->fast_plan, ctx.num_threads()),
      &d->fast_scratch_id));
  d->fast = d->fast_plan;
  return Status::Ok();
}

template <typename OutT>
void EvalFastInt8(OpContext& ctx, const FcData& d, const Tensor* input, Tensor* output,
                  int64_t batches, int64_t units) {
  auto* base = static_cast<uint8_t*>(ctx.scratch(d.fast_scratch_id));
  auto* acc = reinterpret_cast<int32_t*>(base);
  RunInt8Conv(ctx, *d.fast, input->data_as<uint8_t>(), acc, base + AccBytes(batches, units));
  OutT* out = output->data_as<OutT>();
  for (int64_t b = 0; b < batches; ++b)
    for (int64_t n = 0; n < units; ++n) {
      const int64_t v =
          static_cast<int64_t>(quant::ScaleAccumulatorRounded(acc[b * units + n], d.q.real_scale[n])) +
          d.q.output_offset;
      out[b * units + n] =
          static_cast<OutT>(std::min<int64_t>(std::max<int64_t>(v, d.q.act_min), d.q.act_max));
    }
}

template <typename InT, typename WT, typename OutT>
void EvalQuantizedTyped(const FcData& d, const Tensor* input, const Tensor* weights,
                        const Tensor* bias, Tensor* output, int64_t batches, int64_t depth,
                        int64_t units) {
  if (bias && bias->type == DataType::kInt64) {
    ref::FullyConnectedQuantized<InT, WT, OutT, int64_t>(
        d.q, input->data_as<InT>(), weights->data_as<WT>(), bias->data_as<int64_t>(),
        output->data_as<OutT>(), batches, depth, units);
  } else {
    ref::FullyConnectedQuantized<InT, WT, OutT, int32_t>(
        d.q, input->data_as<InT>(), weights->data_as<WT>(),
        bias ? bias->data_as<int32_t>() : nullptr, output->data_as<OutT>(), batches, depth,
        units);
  }
}

Status EvalHybrid(OpContext& ctx, const FcData& d, int64_t batches, int64_t depth,
                  int64_t units) {
  const Tensor* input = ctx.input(kInput);
  const Tensor* weights = ctx.input(kWeights);
  const Tensor* bias = ctx.input(kBias);
  Tensor* output = ctx.output(0);
  if (batches == 0 || units == 0) return Status::Ok();
  const HybridScratch hs = HybridScratchView(ctx.scratch(d.scratch_id), batches * depth, batches);
  int8_t* quantized = hs.quantized;
  float* scaling = hs.scaling;
  int32_t* offsets = hs.offsets;
  const float* in = input->data_as<float>();
  for (int64_t b = 0; b < batches; ++b) {
    if (d.hybrid_asymmetric) {
      quant::AsymmetricQuantizeFloats(in + b * depth, depth, quantized + b * depth, &scaling[b],
                                      &offsets[b]);
    } else {
      quant::SymmetricQuantizeFloats(in + b * depth, depth, quantized + b * depth, &scaling[b]);
      offsets[b] = 0;
    }
    // Per-tensor weights: TFLite folds the weights scale into the batch scale.
    if (!d.hybrid_per_channel) scaling[b] *= weights->quant.scale[0];
  }
  ref::FullyConnectedHybrid(quantized, offsets, scaling, weights->data_as<int8_t>(),
                            d.hybrid_per_channel ? weights->quant.scale : nullptr,
                            bias ? bias->data_as<float>() : nullptr, output->data_as<float>(),
                            batches, depth, units, d.act_min, d.act_max);
  return Status::Ok();
}

// Blockwise int4 weights (TFLite's EvalBlockwise4Bit): symmetric int4 values
// packed two per byte (even column in the low nibble), one float16 scale per
// block of block_size columns.
Status PrepareBlockwise4(OpContext& ctx, FcData* d, const Tensor* weights, int32_t units,
                         int32_t depth) {
  const Quantization& q = weights->quant;
  if (q.block_zero_points_tensor != -1)
    return ctx.Fail(StatusCode::kUnsupported,
                    "weights '%s': blockwise quantization with zero points is not supported",
                    weights->name);
  if (q.block_size % 2 != 0 || depth % q.block_size != 0)
    return ctx.Invalid("weights '%s': depth %d is not a multiple of the (even) block size %d",
                       weights->name, depth, q.block_size);
  EDGELITE_RETURN_IF_ERROR(CheckConstant(ctx, weights, "weights"));
  const Tensor* scales = ctx.tensor(q.block_scales_tensor);
  const int64_t blocks = depth / q.block_size;
  if (scales == nullptr || scales->type != DataType::kFloat16 ||
      scales->shape.NumElements() != int64_t{units} * blocks)
    return ctx.Invalid("weights '%s': block scales tensor %d must be float16 with %lld values",
                       weights->name, q.block_scales_tensor,
                       static_cast<long long>(int64_t{units} * blocks));
  EDGELITE_RETURN_IF_ERROR(CheckConstant(ctx, scales, "block scales"));
  if (d->block_scales == nullptr) {
    auto* f = static_cast<float*>(ctx.AllocatePersistent(sizeof(float) * units * blocks));
    if (f == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
    const uint16_t* h = scales->data_as<uint16_t>();
    for (int64_t i = 0; i < int64_t{units} * blocks; ++i) f[i] = ref::HalfToFloat(h[i]);
    d->block_scales = f;
  }
  d->block_size = q.block_size;
  return Status::Ok();
}

Status EvalBlockwise4(OpContext& ctx, const FcData& d, int64_t batches, int64_t depth,
                      int64_t units) {
  const Tensor* bias = ctx.input(kBias);
  if (batches == 0 || units == 0) return Status::Ok();
  const HybridScratch hs = HybridScratchView(ctx.scratch(d.scratch_id), batches * depth, batches);
  int8_t* quantized = hs.quantized;
  float* scaling = hs.scaling;
  int32_t* offsets = hs.offsets;
  const float* in = ctx.input(kInput)->data_as<float>();
  // TFLite always quantizes the input asymmetrically on this path.
  for (int64_t b = 0; b < batches; ++b)
    quant::AsymmetricQuantizeFloats(in + b * depth, depth, quantized + b * depth, &scaling[b],
                                    &offsets[b]);
  ref::FullyConnectedBlockwiseInt4(quantized, offsets, scaling,
                                   ctx.input(kWeights)->data_as<uint8_t>(), d.block_scales,
                                   d.block_size, bias ? bias->data_as<float>() : nullptr,
                                   ctx.output(0)->data_as<float>(), batches, depth, units,
                                   d.act_min, d.act_max);
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 3, -1));
  if (ctx.num_outputs() < 1) return ctx.Invalid("expects 1 output, got 0");
  Tensor *input, *weights, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kInput, &input));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kWeights, &weights));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  Tensor* bias = ctx.input(kBias);
  const auto* opts = Options<fb::FullyConnectedOptions>(ctx);
  if (opts && opts->weights_format() != fb::FullyConnectedOptionsWeightsFormat::DEFAULT)
    return ctx.Fail(StatusCode::kUnsupported, "weights format %s is not supported",
                    fb::EnumNameFullyConnectedOptionsWeightsFormat(opts->weights_format()));
  if (!IsQuantizedActivationType(input->type))
    EDGELITE_RETURN_IF_ERROR(CheckType(ctx, input, DataType::kFloat32, "input"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, weights, 2, 2, "weights"));
  const int32_t units = weights->shape[0], depth = weights->shape[1];
  if (input->shape.rank < 1) return ctx.Invalid("input '%s' must have rank >= 1", input->name);
  const int64_t n = input->shape.NumElements();
  if (depth == 0 ? n != 0 : n % depth != 0)
    return ctx.Invalid("input '%s' has %lld elements, not a multiple of the weights depth %d",
                       input->name, static_cast<long long>(n), depth);
  if (bias) {
    if (bias->shape.NumElements() != units)
      return ctx.Invalid("bias '%s' has %lld elements; expected %d (units)", bias->name,
                         static_cast<long long>(bias->shape.NumElements()), units);
  }
  FcData* data = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &data));
  const auto act = opts ? opts->fused_activation_function() : fb::ActivationFunctionType::NONE;
  if (input->type == DataType::kFloat32) {
    EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, DataType::kFloat32, "output"));
    if (bias) EDGELITE_RETURN_IF_ERROR(CheckType(ctx, bias, DataType::kFloat32, "bias"));
    EDGELITE_RETURN_IF_ERROR(FloatActivationRange(ctx, act, &data->act_min, &data->act_max));
    if (weights->type == DataType::kFloat32) {
      data->kind = Kind::kFloat;
      data->use_gemm = kOptimizedKernels && IsConstantTensor(weights) && (bias == nullptr || IsConstantTensor(bias));
      if (data->use_gemm)
        EDGELITE_RETURN_IF_ERROR(PreparePackedGemmF32(ctx, &data->gemm,
                                                      weights->data_as<float>(),
                                                      bias ? bias->data_as<float>() : nullptr,
                                                      units, depth));
    } else if (weights->type == DataType::kInt8) {
      data->kind = Kind::kHybrid;
      EDGELITE_RETURN_IF_ERROR(CheckWeightsQuant(ctx, weights, "weights", 0, units, true));
      data->hybrid_per_channel = weights->quant.per_channel();
      data->hybrid_asymmetric = opts && opts->asymmetric_quantize_inputs();
      EDGELITE_RETURN_IF_ERROR(
          ctx.RequestScratch(HybridScratchBytes(n, depth ? n / depth : 0), &data->scratch_id));
    } else if (weights->type == DataType::kInt4 && weights->quant.block_size > 0) {
      data->kind = Kind::kBlockwise4;
      EDGELITE_RETURN_IF_ERROR(PrepareBlockwise4(ctx, data, weights, units, depth));
      EDGELITE_RETURN_IF_ERROR(
          ctx.RequestScratch(HybridScratchBytes(n, depth ? n / depth : 0), &data->scratch_id));
    } else {
      return ctx.Fail(StatusCode::kUnsupported,
                      "weights '%s' have type %s; float32 inputs need float32, int8 (hybrid) or "
                      "blockwise-quantized int4 weights", weights->name,
                      DataTypeName(weights->type));
    }
  } else {
    data->kind = Kind::kQuantized;
    EDGELITE_RETURN_IF_ERROR(
        PrepareQuantized(ctx, data, input, weights, bias, output, static_cast<int>(act), units));
    EDGELITE_RETURN_IF_ERROR(PrepareFastInt8(ctx, data, input, weights, bias,
                                             depth ? n / depth : 0, depth, units));
  }
  Shape out;
  if (opts && opts->keep_num_dims()) {
    // The output keeps the input's leading dimensions, so the input's last
    // dimension must be the depth (as TFLite requires); otherwise the output
    // holds fewer rows than the kernel writes.
    if (input->shape.dims[input->shape.rank - 1] != depth)
      return ctx.Invalid("keep_num_dims: input '%s' has last dimension %d, but the weights "
                         "depth is %d",
                         input->name, input->shape.dims[input->shape.rank - 1], depth);
    out = input->shape;
    out.dims[out.rank - 1] = units;
  } else {
    out = Shape{static_cast<int32_t>(depth ? n / depth : 0), units};
  }
  return ctx.ResizeOutput(output, out);
}

Status Eval(OpContext& ctx) {
  const Tensor* input = ctx.input(kInput);
  const Tensor* weights = ctx.input(kWeights);
  const Tensor* bias = ctx.input(kBias);
  Tensor* output = ctx.output(0);
  const auto* data = static_cast<const FcData*>(ctx.user_data());
  const int64_t units = weights->shape[0], depth = weights->shape[1];
  const int64_t batches = depth ? input->shape.NumElements() / depth : 0;
  if (data->kind == Kind::kHybrid) return EvalHybrid(ctx, *data, batches, depth, units);
  if (data->kind == Kind::kBlockwise4) return EvalBlockwise4(ctx, *data, batches, depth, units);
  if (data->kind == Kind::kQuantized && data->fast != nullptr) {
    switch (output->type) {
      case DataType::kInt8: EvalFastInt8<int8_t>(ctx, *data, input, output, batches, units); break;
      case DataType::kUInt8: EvalFastInt8<uint8_t>(ctx, *data, input, output, batches, units); break;
      default: EvalFastInt8<int16_t>(ctx, *data, input, output, batches, units); break;
    }
    return Status::Ok();
  }
  if (data->kind == Kind::kQuantized) {
    if (input->type == DataType::kInt8) {
      EvalQuantizedTyped<int8_t, int8_t, int8_t>(*data, input, weights, bias, output, batches,
                                                 depth, units);
    } else if (input->type == DataType::kInt16) {
      EvalQuantizedTyped<int16_t, int8_t, int16_t>(*data, input, weights, bias, output, batches,
                                                   depth, units);
    } else if (output->type == DataType::kUInt8) {
      EvalQuantizedTyped<uint8_t, uint8_t, uint8_t>(*data, input, weights, bias, output,
                                                    batches, depth, units);
    } else {
      EvalQuantizedTyped<uint8_t, uint8_t, int16_t>(*data, input, weights, bias, output,
                                                    batches, depth, units);
    }
    return Status::Ok();
  }
  if (data->use_gemm) {
    RunPackedGemmF32(ctx, data->gemm, input->data_as<float>(), depth, batches,
                     output->data_as<float>(), units, data->act_min, data->act_max);
    return Status::Ok();
  }
  ref::FullyConnectedFloat(input->data_as<float>(), weights->data_as<float>(),
                           bias ? bias->data_as<float>() : nullptr, output->data_as<float>(),
                           batches, depth, units, data->act_min, data->act_max);
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_FULLY_CONNECTED() {
  static const OpRegistration reg = {"FULLY_CONNECTED", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
