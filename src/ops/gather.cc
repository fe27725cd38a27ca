// GATHER: output = params[..., indices, ...] along `axis`, with `batch_dims`
// leading dims shared by params and indices. Output shape:
// params[:axis] + indices[batch_dims:] + params[axis+1:]. Indices are
// int32/int64; an out-of-range index fails Invoke with kRuntimeError.
#include <cstring>

#include "edgelite/strings.h"
#include "src/ops/data_movement_util.h"
#include "src/ops/op_util.h"
#include "src/ref/gather.h"

namespace edgelite {
namespace ops {
namespace {

struct GatherData {
  FoldState fold;  // first: MaybeFold reads it
  int32_t axis, batch_dims;
};

Status Init(OpContext& ctx) {
  auto* d = ctx.AllocatePersistent<GatherData>();
  if (d == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
  ctx.set_user_data(d);
  return Status::Ok();
}

// Strings: the same element order, written as a packed string buffer in two
// passes (sizes, then bytes) so that no temporary list is needed.
Status RunStrings(OpContext& ctx, int64_t batch, int64_t outer, int64_t axis_size,
                  int64_t inner, int64_t count) {
  const Tensor* params = ctx.input(0);
  const Tensor* indices = ctx.input(1);
  Tensor* output = ctx.output(0);
  if (NumStrings(*params) != params->shape.NumElements())
    return ctx.Fail(StatusCode::kRuntimeError, "string tensor '%s' has not been set or is malformed",
                    params->name);
  const int64_t n_out = batch * outer * count * inner;
  auto source = [&](int64_t k, int32_t* element) -> bool {
    const int64_t i = k % inner, c = (k / inner) % count, o = (k / inner / count) % outer,
                  b = k / inner / count / outer;
    const int64_t idx = ReadIndex(indices, b * count + c);
    if (idx < 0 || idx >= axis_size) return false;
    *element = static_cast<int32_t>(((b * outer + o) * axis_size + idx) * inner + i);
    return true;
  };
  uint64_t total = 4 + 4 * static_cast<uint64_t>(n_out + 1);
  for (int64_t k = 0; k < n_out; ++k) {
    int32_t e;
    if (!source(k, &e)) {
      const int64_t bad = (k / inner / count / outer) * count + (k / inner) % count;
      return ctx.Fail(StatusCode::kRuntimeError,
                      "index %lld (element %lld of '%s') is out of range [0, %lld)",
                      static_cast<long long>(ReadIndex(indices, bad)),
                      static_cast<long long>(bad), indices->name,
                      static_cast<long long>(axis_size));
    }
    total += GetString(*params, e).size;
  }
  if (total > INT32_MAX) return ctx.Fail(StatusCode::kRuntimeError, "output strings exceed 2 GiB");
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeStringOutput(output, static_cast<size_t>(total)));
  uint8_t* out = output->data_as<uint8_t>();
  const int32_t n32 = static_cast<int32_t>(n_out);
  std::memcpy(out, &n32, 4);
  int32_t off = 4 * (n32 + 2);
  for (int64_t k = 0; k < n_out; ++k) {
    int32_t e = 0;
    source(k, &e);
    const StringRef str = GetString(*params, e);
    std::memcpy(out + 4 + 4 * k, &off, 4);
    if (str.size) std::memcpy(out + off, str.data, str.size);
    off += static_cast<int32_t>(str.size);
  }
  std::memcpy(out + 4 + 4 * n_out, &off, 4);
  return Status::Ok();
}

Status Run(OpContext& ctx) {
  const auto* d = static_cast<const GatherData*>(ctx.user_data());
  const Tensor* params = ctx.input(0);
  const Tensor* indices = ctx.input(1);
  const Shape& ps = params->shape;
  const int64_t batch = ps.FlatSize(0, d->batch_dims);
  const int64_t outer = ps.FlatSize(d->batch_dims, d->axis);
  const int64_t axis_size = ps.dims[d->axis];
  const int64_t inner = ps.FlatSize(d->axis + 1, ps.rank);
  const int64_t count = indices->shape.FlatSize(d->batch_dims, indices->shape.rank);
  if (params->type == DataType::kString)
    return RunStrings(ctx, batch, outer, axis_size, inner, count);
  int64_t bad;
  if (indices->type == DataType::kInt64) {
    const int64_t* ix = indices->data_as<int64_t>();
    bad = ref::Gather(params->data_as<uint8_t>(), batch, outer, axis_size, inner,
                      [ix](int64_t i) { return ix[i]; }, count, ctx.output(0)->data_as<uint8_t>(),
                      DataTypeSize(params->type));
  } else {
    const int32_t* ix = indices->data_as<int32_t>();
    bad = ref::Gather(params->data_as<uint8_t>(), batch, outer, axis_size, inner,
                      [ix](int64_t i) { return int64_t{ix[i]}; }, count,
                      ctx.output(0)->data_as<uint8_t>(), DataTypeSize(params->type));
  }
  if (bad >= 0)
    return ctx.Fail(StatusCode::kRuntimeError,
                    "index %lld (element %lld of '%s') is out of range [0, %lld)",
                    static_cast<long long>(ReadIndex(indices, bad)), static_cast<long long>(bad),
                    indices->name, static_cast<long long>(axis_size));
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  Tensor *params, *indices, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &params));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 1, &indices));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  ResetFoldedOutput(ctx, output);
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, params, output));
  size_t elem = 0;
  if (params->type != DataType::kString)
    EDGELITE_RETURN_IF_ERROR(ElementSize(ctx, params, &elem));
  EDGELITE_RETURN_IF_ERROR(CheckIndexType(ctx, indices, "indices"));
  const auto* o = Options<fb::GatherOptions>(ctx);
  auto* d = static_cast<GatherData*>(ctx.user_data());
  const int32_t prank = params->shape.rank, irank = indices->shape.rank;
  int32_t axis, batch_dims = o ? o->batch_dims() : 0;
  if (prank < 1) return ctx.Invalid("params '%s' must have rank >= 1", params->name);
  if (!NormalizeAxis(o ? o->axis() : 0, prank, &axis))
    return ctx.Invalid("axis %d is out of range for params rank %d", o ? o->axis() : 0, prank);
  if (batch_dims < 0) batch_dims += irank;
  if (batch_dims < 0 || batch_dims > irank || batch_dims > axis)
    return ctx.Invalid("batch_dims %d is invalid (indices rank %d, axis %d)",
                       o ? o->batch_dims() : 0, irank, axis);
  for (int i = 0; i < batch_dims; ++i)
    if (params->shape.dims[i] != indices->shape.dims[i])
      return ctx.Invalid("params and indices differ in batch dim %d (%d vs %d)", i,
                         params->shape.dims[i], indices->shape.dims[i]);
  const int out_rank = prank - 1 + irank - batch_dims;
  if (out_rank > kMaxRank)
    return ctx.Fail(StatusCode::kUnsupported, "output rank %d exceeds %d", out_rank, kMaxRank);
  d->axis = axis;
  d->batch_dims = batch_dims;
  Shape s;
  for (int i = 0; i < axis; ++i) s.dims[s.rank++] = params->shape.dims[i];
  for (int i = batch_dims; i < irank; ++i) s.dims[s.rank++] = indices->shape.dims[i];
  for (int i = axis + 1; i < prank; ++i) s.dims[s.rank++] = params->shape.dims[i];
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(output, s));
  if (params->type == DataType::kString) return Status::Ok();  // sized and filled at eval
  return MaybeFold(ctx, output, Run);
}

Status Eval(OpContext& ctx) {
  if (IsFolded(ctx.output(0))) return Status::Ok();
  return Run(ctx);
}

}  // namespace

const OpRegistration* Register_GATHER() {
  static const OpRegistration reg = {"GATHER", Init, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
