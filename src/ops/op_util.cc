#include "src/ops/op_util.h"

#include <algorithm>
#include <limits>

namespace edgelite {
namespace ops {

Status CheckArity(OpContext& ctx, int min_inputs, int max_inputs, int outputs) {
  if (ctx.num_inputs() < min_inputs || ctx.num_inputs() > max_inputs) {
    if (min_inputs == max_inputs)
      return ctx.Invalid("expects %d inputs, got %d", min_inputs, ctx.num_inputs());
    return ctx.Invalid("expects %d to %d inputs, got %d", min_inputs, max_inputs,
                       ctx.num_inputs());
  }
  if (outputs >= 0 && ctx.num_outputs() != outputs)
    return ctx.Invalid("expects %d outputs, got %d", outputs, ctx.num_outputs());
  return Status::Ok();
}

Status GetInput(OpContext& ctx, int i, Tensor** t) {
  *t = ctx.input(i);
  if (*t == nullptr) return ctx.Invalid("input %d is missing", i);
  return Status::Ok();
}

Status GetOutput(OpContext& ctx, int i, Tensor** t) {
  *t = ctx.output(i);
  if (*t == nullptr) return ctx.Invalid("output %d is missing", i);
  return Status::Ok();
}

Status CheckType(OpContext& ctx, const Tensor* t, DataType type, const char* what) {
  if (t->type != type)
    return ctx.Fail(StatusCode::kUnsupported, "%s '%s' has type %s; expected %s", what, t->name,
                    DataTypeName(t->type), DataTypeName(type));
  return Status::Ok();
}

Status CheckSameType(OpContext& ctx, const Tensor* a, const Tensor* b) {
  if (a->type != b->type)
    return ctx.Invalid("tensors '%s' (%s) and '%s' (%s) must have the same type", a->name,
                       DataTypeName(a->type), b->name, DataTypeName(b->type));
  return Status::Ok();
}

Status CheckRank(OpContext& ctx, const Tensor* t, int min_rank, int max_rank, const char* what) {
  if (t->shape.rank < min_rank || t->shape.rank > max_rank) {
    if (min_rank == max_rank)
      return ctx.Invalid("%s '%s' must have rank %d, has rank %d", what, t->name, min_rank,
                         t->shape.rank);
    return ctx.Invalid("%s '%s' must have rank %d to %d, has rank %d", what, t->name, min_rank,
                       max_rank, t->shape.rank);
  }
  return Status::Ok();
}

bool VerifyOptionsTable(const OpContext& ctx, const void* table, uint8_t verified_bit,
                        bool (*verify)(const void* table, flatbuffers::Verifier& v)) {
  uint8_t& state = ctx.options_state();
  if (state & kOptionsMalformed) return false;
  size_t size = 0;
  const uint8_t* base = ctx.model_flatbuffer(&size);
  // The same bounds as the load's verifier (src/model/model.cc); an options
  // table is a leaf or nearly so.
  flatbuffers::Verifier v(base, size, /*max_depth=*/64, /*max_tables=*/1u << 26);
  if (base != nullptr && verify(table, v)) {
    state |= verified_bit;
    return true;
  }
  state |= kOptionsMalformed;
  return false;
}

Status GrowPersistent(OpContext& ctx, size_t bytes, void** mem, size_t* capacity) {
  if (*mem != nullptr && *capacity >= bytes) return Status::Ok();
  *mem = ctx.AllocatePersistent(bytes);
  if (*mem == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
  *capacity = bytes;
  return Status::Ok();
}

namespace {
size_t HybridQuantizedBytes(int64_t elements) {
  return (static_cast<size_t>(elements) + 3) & ~size_t{3};
}
}  // namespace

size_t HybridScratchBytes(int64_t elements, int64_t batches) {
  return HybridQuantizedBytes(elements) +
         static_cast<size_t>(batches) * (sizeof(float) + sizeof(int32_t));
}

HybridScratch HybridScratchView(void* base, int64_t elements, int64_t batches) {
  auto* b = static_cast<uint8_t*>(base);
  HybridScratch v;
  v.quantized = reinterpret_cast<int8_t*>(b);
  v.scaling = reinterpret_cast<float*>(b + HybridQuantizedBytes(elements));
  v.offsets = reinterpret_cast<int32_t*>(v.scaling + batches);
  return v;
}

Status CheckConstant(OpContext& ctx, const Tensor* t, const char* what) {
  if (!ctx.HasData(t))
    return ctx.Fail(StatusCode::kUnsupported, "%s '%s' must be a constant tensor", what, t->name);
  return Status::Ok();
}

Status FloatActivationRange(OpContext& ctx, fb::ActivationFunctionType act, float* lo,
                            float* hi) {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  switch (act) {
    case fb::ActivationFunctionType::NONE: *lo = -kInf; *hi = kInf; return Status::Ok();
    case fb::ActivationFunctionType::RELU: *lo = 0.0f; *hi = kInf; return Status::Ok();
    case fb::ActivationFunctionType::RELU_N1_TO_1: *lo = -1.0f; *hi = 1.0f; return Status::Ok();
    case fb::ActivationFunctionType::RELU6: *lo = 0.0f; *hi = 6.0f; return Status::Ok();
    default:
      return ctx.Fail(StatusCode::kUnsupported, "fused activation %s is not supported",
                      fb::EnumNameActivationFunctionType(act));
  }
}

int32_t ConvOutputSize(fb::Padding padding, int32_t in, int32_t filter, int32_t stride,
                       int32_t dilation) {
  const int32_t effective = (filter - 1) * dilation + 1;
  if (padding == fb::Padding::SAME) return (in + stride - 1) / stride;
  return in >= effective ? (in - effective + stride) / stride : 0;
}

int32_t ConvPaddingBefore(int32_t stride, int32_t dilation, int32_t in, int32_t filter,
                          int32_t out) {
  const int32_t effective = (filter - 1) * dilation + 1;
  const int32_t total = std::max<int32_t>(0, (out - 1) * stride + effective - in);
  return total / 2;
}

bool BroadcastShapes(const Shape& a, const Shape& b, Shape* out) {
  const int rank = std::max(a.rank, b.rank);
  Shape r;
  r.rank = rank;
  for (int i = 0; i < rank; ++i) {
    const int ia = a.rank - rank + i, ib = b.rank - rank + i;
    const int32_t da = ia >= 0 ? a.dims[ia] : 1;
    const int32_t db = ib >= 0 ? b.dims[ib] : 1;
    if (da == db || db == 1)
      r.dims[i] = da;
    else if (da == 1)
      r.dims[i] = db;
    else
      return false;
  }
  *out = r;
  return true;
}

bool NormalizeAxis(int32_t axis, int32_t rank, int32_t* out) {
  if (axis < -rank || axis >= rank) return false;
  *out = axis < 0 ? axis + rank : axis;
  return true;
}

int64_t ReadIndex(const Tensor* t, int64_t i) {
  if (t->type == DataType::kInt64) return t->data_as<int64_t>()[i];
  return t->data_as<int32_t>()[i];
}

}  // namespace ops
}  // namespace edgelite
