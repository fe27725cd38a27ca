// BATCH_MATMUL: lhs [..., M, K] x rhs [..., K, N] -> [..., M, N], with
// adj_x / adj_y transposing the last two axes of lhs / rhs, batch axes
// broadcast NumPy-style; ranks 2 to 5 (TFLite's limit). float32, and
// quantized int8 x int8 -> int8 (or raw int32), int16 x int16 -> int16 and
// int16 x int8 -> int16 (TFLite's reference integer kernels; per-tensor
// parameters). Hybrid (TFLite's EvalHybrid): float32 lhs and output, a
// constant int8 rhs with one scale and zero point 0; the lhs rows are
// quantized per row (asymmetric_quantize_inputs honoured).
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "src/ops/op_util.h"
#include "src/ops/quantized_unary_util.h"
#include "src/quant/quantization.h"
#include "src/quant/hybrid.h"
#include "src/ref/batch_matmul.h"
#include "src/ref/rnn_hybrid.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kLhs = 0, kRhs = 1;
constexpr int kMinRank = 2, kMaxBatchMatMulRank = 5;

struct Dims {
  Shape lhs_batch, rhs_batch, out_batch;
  int32_t m, k, n;
};

Shape BatchPart(const Shape& s) {
  Shape b;
  b.rank = s.rank - 2;
  for (int i = 0; i < b.rank; ++i) b.dims[i] = s.dims[i];
  return b;
}

void GetFlags(const OpContext& ctx, bool* adj_x, bool* adj_y) {
  const auto* o = Options<fb::BatchMatMulOptions>(ctx);
  *adj_x = o && o->adj_x();
  *adj_y = o && o->adj_y();
}

// Shapes were validated in prepare; this only derives the dims.
Dims ComputeDims(const Tensor* lhs, const Tensor* rhs, bool adj_x, bool adj_y) {
  Dims d;
  const Shape& l = lhs->shape;
  const Shape& r = rhs->shape;
  d.lhs_batch = BatchPart(l);
  d.rhs_batch = BatchPart(r);
  BroadcastShapes(d.lhs_batch, d.rhs_batch, &d.out_batch);
  d.m = adj_x ? l.dims[l.rank - 1] : l.dims[l.rank - 2];
  d.k = adj_x ? l.dims[l.rank - 2] : l.dims[l.rank - 1];
  d.n = adj_y ? r.dims[r.rank - 2] : r.dims[r.rank - 1];
  return d;
}

bool IsHybridMatMul(const Tensor* lhs, const Tensor* rhs) {
  return lhs->type == DataType::kFloat32 && rhs->type == DataType::kInt8;
}

// Hybrid state: the scratch (lhs transposed when adj_x, quantized rows, row
// factors and zero points) and the quantization mode.
struct HybridData {
  int scratch = -1;
  bool asymmetric = false;
};

struct HybridLayout {
  float* transposed;  // adj_x only
  int8_t* q;
  float* factor;
  int32_t* zp;
};

size_t HybridBytes(int64_t rows, int64_t k, bool adj_x) {
  return (adj_x ? ref::HybridPart(rows * k, sizeof(float)) : 0) + ref::HybridPart(rows * k, 1) +
         ref::HybridPart(rows, sizeof(float)) + ref::HybridPart(rows, sizeof(int32_t));
}

HybridLayout HybridView(void* base, int64_t rows, int64_t k, bool adj_x) {
  auto* p = static_cast<uint8_t*>(base);
  HybridLayout l;
  l.transposed = adj_x ? reinterpret_cast<float*>(p) : nullptr;
  if (adj_x) p += ref::HybridPart(rows * k, sizeof(float));
  l.q = reinterpret_cast<int8_t*>(p);
  p += ref::HybridPart(rows * k, 1);
  l.factor = reinterpret_cast<float*>(p);
  p += ref::HybridPart(rows, sizeof(float));
  l.zp = reinterpret_cast<int32_t*>(p);
  return l;
}

Status PrepareHybrid(OpContext& ctx, const Tensor* lhs, Tensor* rhs, const Tensor* output,
                     bool adj_x) {
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, DataType::kFloat32, "output"));
  EDGELITE_RETURN_IF_ERROR(CheckConstant(ctx, rhs, "rhs (int8 weights of a hybrid BATCH_MATMUL)"));
  if (rhs->quant.count != 1)
    return ctx.Fail(StatusCode::kUnsupported,
                    "rhs '%s' has %d scales; a hybrid BATCH_MATMUL needs one per-tensor scale",
                    rhs->name, rhs->quant.count);
  const float s = rhs->quant.scale[0];
  if (!(s > 0.0f) || !std::isfinite(s))
    return ctx.Invalid("rhs '%s' has a non-positive or non-finite scale %g", rhs->name,
                       static_cast<double>(s));
  if (rhs->quant.zero_point && rhs->quant.zero_point[0] != 0)
    return ctx.Fail(StatusCode::kUnsupported,
                    "rhs '%s' has zero point %lld; hybrid weights must be symmetric (0)",
                    rhs->name, static_cast<long long>(rhs->quant.zero_point[0]));
  HybridData* h = nullptr;
  EDGELITE_RETURN_IF_ERROR(GetUserData(ctx, &h));
  const auto* o = Options<fb::BatchMatMulOptions>(ctx);
  h->asymmetric = o && o->asymmetric_quantize_inputs();
  const Shape& l = lhs->shape;
  const int64_t k = adj_x ? l.dims[l.rank - 2] : l.dims[l.rank - 1];
  const int64_t rows = k > 0 ? l.NumElements() / k : 0;
  return ctx.RequestScratch(HybridBytes(rows, k, adj_x), &h->scratch);
}

void EvalHybrid(OpContext& ctx, const Tensor* lhs, const Tensor* rhs, Tensor* output,
                const Dims& d, bool adj_x, bool adj_y) {
  const auto* h = static_cast<const HybridData*>(ctx.user_data());
  const int64_t rows = d.lhs_batch.NumElements() * d.m;
  const HybridLayout l = HybridView(ctx.scratch(h->scratch), rows, d.k, adj_x);
  const float* x = lhs->data_as<float>();
  if (adj_x) {
    // TFLite transposes the lhs into a temporary first: rows are then M x K.
    const int64_t mats = d.lhs_batch.NumElements();
    for (int64_t b = 0; b < mats; ++b)
      for (int64_t i = 0; i < d.m; ++i)
        for (int64_t p = 0; p < d.k; ++p)
          l.transposed[(b * d.m + i) * d.k + p] = x[(b * d.k + p) * d.m + i];
    x = l.transposed;
  }
  ref::BatchQuantizeRows(x, static_cast<int>(rows), static_cast<int>(d.k), h->asymmetric, l.q,
                         l.factor, l.zp);
  const float rhs_scale = rhs->quant.scale[0];
  for (int64_t r = 0; r < rows; ++r) l.factor[r] *= rhs_scale;
  ref::BatchMatMulHybrid(l.q, l.factor, l.zp, d.lhs_batch, rhs->data_as<int8_t>(), d.rhs_batch,
                         d.out_batch, d.m, d.k, d.n, adj_y, output->data_as<float>());
}

bool IsQuantizedMatMul(const Tensor* lhs) {
  return lhs->type == DataType::kInt8 || lhs->type == DataType::kInt16;
}

Status PrepareQuantized(OpContext& ctx, const Tensor* lhs, const Tensor* rhs,
                        const Tensor* output) {
  const bool i8 = lhs->type == DataType::kInt8;
  const bool ok = i8 ? rhs->type == DataType::kInt8 &&
                           (output->type == DataType::kInt8 || output->type == DataType::kInt32)
                     : (rhs->type == DataType::kInt16 || rhs->type == DataType::kInt8) &&
                           output->type == DataType::kInt16;
  if (!ok)
    return ctx.Fail(StatusCode::kUnsupported,
                    "BATCH_MATMUL with lhs %s, rhs %s, output %s is not supported",
                    DataTypeName(lhs->type), DataTypeName(rhs->type), DataTypeName(output->type));
  auto* p = static_cast<ref::QuantizedBatchMatMulParams*>(ctx.user_data());
  if (p == nullptr) {
    p = ctx.AllocatePersistent<ref::QuantizedBatchMatMulParams>();
    if (p == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
    ctx.set_user_data(p);
  }
  *p = ref::QuantizedBatchMatMulParams();
  if (output->type == DataType::kInt32) {
    // TFLite's int8 x int8 -> int32 kernel sums raw products.
    p->requantize = false;
    return Status::Ok();
  }
  // int16 x int16 requires zero points 0 (checked by CheckQuantizedTensor);
  // an int8 rhs of an int16 lhs too, as in TFLite.
  EDGELITE_RETURN_IF_ERROR(CheckQuantizedTensor(ctx, lhs, "lhs"));
  EDGELITE_RETURN_IF_ERROR(CheckQuantizedTensor(ctx, output, "output"));
  // A per-channel rhs: TFLite's kernel reads the tensor's legacy per-tensor
  // parameters, which TFLite leaves at scale 0 / zero point 0 for
  // per-channel tensors, so every output is the output zero point. We
  // reproduce that (compatibility), after checking the parameters are sane.
  const bool rhs_per_channel = rhs->quant.count > 1;
  if (rhs_per_channel) {
    for (int32_t c = 0; c < rhs->quant.count; ++c)
      if (!(rhs->quant.scale[c] > 0.0f) ||
          (rhs->quant.zero_point && rhs->quant.zero_point[c] != 0))
        return ctx.Invalid("rhs '%s' channel %d has scale %g / zero point %lld", rhs->name,
                           static_cast<int>(c), static_cast<double>(rhs->quant.scale[c]),
                           static_cast<long long>(rhs->quant.zero_point ? rhs->quant.zero_point[c]
                                                                        : 0));
  } else {
    EDGELITE_RETURN_IF_ERROR(CheckQuantizedTensor(ctx, rhs, "rhs"));
  }
  if (!i8 && quant::ZeroPoint(*rhs) != 0)
    return ctx.Invalid("rhs '%s' of an int16 BATCH_MATMUL must have zero point 0", rhs->name);
  p->lhs_offset = -quant::ZeroPoint(*lhs);
  p->rhs_offset = rhs_per_channel ? 0 : -quant::ZeroPoint(*rhs);
  p->output_offset = quant::ZeroPoint(*output);
  // TFLite forms s_lhs * s_rhs in float, then divides in double.
  const float rhs_scale = rhs_per_channel ? 0.0f : quant::Scale(*rhs);
  const float product = quant::Scale(*lhs) * rhs_scale;
  quant::QuantizeMultiplier(static_cast<double>(product) / quant::Scale(*output),
                            &p->output_multiplier, &p->output_shift);
  if (p->output_shift > 30 || p->output_shift < -31)
    return ctx.Fail(StatusCode::kUnsupported, "output rescale factor out of range");
  quant::TypeRange(output->type, &p->act_min, &p->act_max);
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  Tensor *lhs, *rhs, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kLhs, &lhs));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kRhs, &rhs));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  bool adj_x, adj_y;
  GetFlags(ctx, &adj_x, &adj_y);
  const bool hybrid = IsHybridMatMul(lhs, rhs);
  if (hybrid) {
    // Scratch sizes depend on the shapes: checked first.
    EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, lhs, kMinRank, kMaxBatchMatMulRank, "lhs"));
    EDGELITE_RETURN_IF_ERROR(PrepareHybrid(ctx, lhs, rhs, output, adj_x));
  } else if (IsQuantizedMatMul(lhs)) {
    EDGELITE_RETURN_IF_ERROR(PrepareQuantized(ctx, lhs, rhs, output));
  } else {
    EDGELITE_RETURN_IF_ERROR(CheckType(ctx, lhs, DataType::kFloat32, "lhs"));
    EDGELITE_RETURN_IF_ERROR(CheckType(ctx, rhs, DataType::kFloat32, "rhs"));
    EDGELITE_RETURN_IF_ERROR(CheckType(ctx, output, DataType::kFloat32, "output"));
  }
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, lhs, kMinRank, kMaxBatchMatMulRank, "lhs"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, rhs, kMinRank, kMaxBatchMatMulRank, "rhs"));
  Shape out_batch;
  if (!BroadcastShapes(BatchPart(lhs->shape), BatchPart(rhs->shape), &out_batch)) {
    char a[96], b[96];
    return ctx.Invalid("batch dimensions of lhs '%s' %s and rhs '%s' %s do not broadcast",
                       lhs->name, lhs->shape.ToString(a, sizeof(a)), rhs->name,
                       rhs->shape.ToString(b, sizeof(b)));
  }
  const Dims d = ComputeDims(lhs, rhs, adj_x, adj_y);
  const Shape& r = rhs->shape;
  const int32_t rhs_k = adj_y ? r.dims[r.rank - 1] : r.dims[r.rank - 2];
  if (rhs_k != d.k)
    return ctx.Invalid("contraction sizes differ: lhs '%s' has %d, rhs '%s' has %d (adj_x=%d, "
                       "adj_y=%d)",
                       lhs->name, d.k, rhs->name, rhs_k, adj_x, adj_y);
  Shape out = d.out_batch;
  out.dims[out.rank++] = d.m;
  out.dims[out.rank++] = d.n;
  return ctx.ResizeOutput(output, out);
}

Status Eval(OpContext& ctx) {
  const Tensor* lhs = ctx.input(kLhs);
  const Tensor* rhs = ctx.input(kRhs);
  Tensor* output = ctx.output(0);
  bool adj_x, adj_y;
  GetFlags(ctx, &adj_x, &adj_y);
  const Dims d = ComputeDims(lhs, rhs, adj_x, adj_y);
  if (IsHybridMatMul(lhs, rhs)) {
    EvalHybrid(ctx, lhs, rhs, output, d, adj_x, adj_y);
    return Status::Ok();
  }
  if (IsQuantizedMatMul(lhs)) {
    const auto& p = *static_cast<const ref::QuantizedBatchMatMulParams*>(ctx.user_data());
    if (lhs->type == DataType::kInt8 && output->type == DataType::kInt32)
      ref::BatchMatMulQuantized<int8_t, int8_t, int32_t, int32_t>(
          p, lhs->data_as<int8_t>(), d.lhs_batch, rhs->data_as<int8_t>(), d.rhs_batch,
          d.out_batch, d.m, d.k, d.n, adj_x, adj_y, output->data_as<int32_t>());
    else if (lhs->type == DataType::kInt8)
      ref::BatchMatMulQuantized<int8_t, int8_t, int32_t, int8_t>(
          p, lhs->data_as<int8_t>(), d.lhs_batch, rhs->data_as<int8_t>(), d.rhs_batch,
          d.out_batch, d.m, d.k, d.n, adj_x, adj_y, output->data_as<int8_t>());
    else if (rhs->type == DataType::kInt8)
      ref::BatchMatMulQuantized<int16_t, int8_t, int64_t, int16_t>(
          p, lhs->data_as<int16_t>(), d.lhs_batch, rhs->data_as<int8_t>(), d.rhs_batch,
          d.out_batch, d.m, d.k, d.n, adj_x, adj_y, output->data_as<int16_t>());
    else
      ref::BatchMatMulQuantized<int16_t, int16_t, int64_t, int16_t>(
          p, lhs->data_as<int16_t>(), d.lhs_batch, rhs->data_as<int16_t>(), d.rhs_batch,
          d.out_batch, d.m, d.k, d.n, adj_x, adj_y, output->data_as<int16_t>());
    return Status::Ok();
  }
  ref::BatchMatMulFloat(lhs->data_as<float>(), d.lhs_batch, rhs->data_as<float>(), d.rhs_batch,
                        d.out_batch, d.m, d.k, d.n, adj_x, adj_y, output->data_as<float>());
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_BATCH_MATMUL() {
  static const OpRegistration reg = {"BATCH_MATMUL", nullptr, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
