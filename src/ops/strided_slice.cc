// STRIDED_SLICE with TFLite's mask semantics: begin/end/strides (1-D,
// int32/int64, same length n) index the input; begin_mask/end_mask bits
// ignore begin/end; ellipsis_mask expands one entry to the unmentioned dims;
// new_axis_mask inserts a size-1 dim; shrink_axis_mask takes one element and
// drops the dim; offset=true makes end relative to begin. Negative strides
// walk backwards. Non-constant begin/end/strides make the output dynamic.
#include <algorithm>
#include <climits>

#include "src/ops/data_movement_util.h"
#include "src/ops/op_util.h"
#include "src/kernels/copy/copy.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kInput = 0, kBegin = 1, kEnd = 2, kStrides = 3;

// The slice in "effective" dims (input dims plus inserted new axes).
struct Plan {
  Shape eff_in;  // input shape with size-1 dims at the new axes
  int32_t start[kMaxRank], stride[kMaxRank], count[kMaxRank];
  Shape out;
};

inline bool Bit(int32_t mask, int i) { return (static_cast<uint32_t>(mask) >> i) & 1u; }

int64_t Clamp(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

Status MakePlan(OpContext& ctx, Plan* p) {
  const Tensor* input = ctx.input(kInput);
  const Tensor* begin = ctx.input(kBegin);
  const Tensor* end = ctx.input(kEnd);
  const Tensor* strides = ctx.input(kStrides);
  const auto* o = Options<fb::StridedSliceOptions>(ctx);
  const int32_t begin_mask = o ? o->begin_mask() : 0, end_mask = o ? o->end_mask() : 0;
  const int32_t ellipsis_mask = o ? o->ellipsis_mask() : 0;
  const int32_t new_axis_mask = o ? o->new_axis_mask() : 0;
  const int32_t shrink_mask = o ? o->shrink_axis_mask() : 0;
  const bool offset = o ? o->offset() : false;
  const int n = static_cast<int>(begin->shape.dims[0]);
  const int in_rank = input->shape.rank;

  int num_add_axis = 0;
  for (int i = 0; i < n; ++i)
    if (!Bit(ellipsis_mask, i) && Bit(new_axis_mask, i)) ++num_add_axis;
  const int eff = in_rank + num_add_axis;
  if (eff > kMaxRank)
    return ctx.Fail(StatusCode::kUnsupported, "slice rank %d exceeds %d", eff, kMaxRank);

  // Which effective dims the ellipsis covers and which are new axes.
  uint32_t eff_ellipsis = 0, eff_new_axis = 0;
  int ellipsis_start = eff, expanded = 0;
  for (int i = 0; i < eff;) {
    if (Bit(ellipsis_mask, i)) {
      ellipsis_start = i;
      const int stop = std::max(i + 1, std::min(i + 1 + num_add_axis + in_rank - n, eff));
      expanded = stop - i - 1;
      for (; i < stop; ++i) eff_ellipsis |= 1u << i;
      continue;
    }
    if (Bit(new_axis_mask, i - expanded)) eff_new_axis |= 1u << i;
    ++i;
  }

  int added_ellipsis = 0, added_axes = 0;
  p->eff_in.rank = eff;
  p->out.rank = 0;
  for (int i = 0; i < eff; ++i) {
    int64_t b = 0, e = 0, s = 1;
    bool bm = false, em = false, shrink = false;
    if (Bit(eff_new_axis, i) && !Bit(eff_ellipsis, i)) {
      p->eff_in.dims[i] = 1;
      ++added_axes;
      b = 0;
      e = 1;
    } else {
      if (i - added_axes >= in_rank)
        return ctx.Fail(StatusCode::kUnsupported,
                        "this combination of ellipsis/new-axis masks is not supported");
      p->eff_in.dims[i] = input->shape.dims[i - added_axes];
      if (Bit(eff_ellipsis, i)) {
        added_ellipsis = std::max(0, i - ellipsis_start);
        bm = em = true;
      } else if (i >= n + expanded) {
        bm = em = true;
      } else {
        const int k = i - added_ellipsis;
        b = ReadIndex(begin, k);
        e = ReadIndex(end, k);
        s = ReadIndex(strides, k);
        bm = Bit(begin_mask, k);
        em = Bit(end_mask, k);
        shrink = Bit(shrink_mask, k);
      }
    }
    if (s == 0) return ctx.Invalid("stride at axis %d is 0", i);
    if (s <= INT32_MIN || s > INT32_MAX) return ctx.Invalid("stride at axis %d is out of range", i);
    const int64_t dim = p->eff_in.dims[i];
    if (b < 0) b += dim;
    b = s > 0 ? Clamp(b, 0, dim) : Clamp(b, -1, dim - 1);
    if (bm) b = s > 0 ? 0 : dim - 1;
    int64_t count;
    if (shrink) {
      if (b < 0 || b >= dim)
        return ctx.Invalid("shrink index at axis %d is out of range for size %lld", i,
                           static_cast<long long>(dim));
      s = 1;
      count = 1;
    } else {
      if (offset) e += b;
      if (e < 0) e += dim;
      e = s > 0 ? Clamp(e, 0, dim) : Clamp(e, -1, dim - 1);
      if (em) e = s > 0 ? dim : -1;
      const int64_t len = e - b;
      if ((len < 0) != (s < 0) || len == 0)
        count = 0;
      else
        count = s > 0 ? (len - 1) / s + 1 : (len + 1) / s + 1;
      p->out.dims[p->out.rank++] = static_cast<int32_t>(count);
    }
    p->start[i] = static_cast<int32_t>(count > 0 ? b : 0);
    p->stride[i] = static_cast<int32_t>(s);
    p->count[i] = static_cast<int32_t>(count);
  }
  if (eff - added_axes != in_rank)
    return ctx.Fail(StatusCode::kUnsupported,
                    "this combination of ellipsis/new-axis masks is not supported");
  return Status::Ok();
}

Status Run(OpContext& ctx) {
  Plan p;
  EDGELITE_RETURN_IF_ERROR(MakePlan(ctx, &p));
  const Tensor* input = ctx.input(kInput);
  kernels::copy::StridedSlice(input->data_as<uint8_t>(), p.eff_in, p.start, p.stride, p.count,
                              ctx.output(0)->data_as<uint8_t>(), DataTypeSize(input->type));
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 4, 4, 1));
  Tensor *input, *begin, *end, *strides, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kInput, &input));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kBegin, &begin));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kEnd, &end));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kStrides, &strides));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  ResetFoldedOutput(ctx, output);
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, input, output));
  size_t elem = 0;
  EDGELITE_RETURN_IF_ERROR(ElementSize(ctx, input, &elem));
  const Tensor* idx[3] = {begin, end, strides};
  const char* names[3] = {"begin", "end", "strides"};
  for (int i = 0; i < 3; ++i) {
    EDGELITE_RETURN_IF_ERROR(CheckIndexType(ctx, idx[i], names[i]));
    EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, idx[i], 1, 1, names[i]));
    if (idx[i]->shape.dims[0] != begin->shape.dims[0])
      return ctx.Invalid("begin, end and strides must have the same length (%d, %d, %d)",
                         begin->shape.dims[0], end->shape.dims[0], strides->shape.dims[0]);
  }
  if (begin->shape.dims[0] > 32) return ctx.Invalid("begin has more than 32 entries");
  if (!ctx.HasData(begin) || !ctx.HasData(end) || !ctx.HasData(strides)) {
    ctx.SetOutputDynamic(output);
    return Status::Ok();
  }
  Plan p;
  EDGELITE_RETURN_IF_ERROR(MakePlan(ctx, &p));
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(output, p.out));
  return MaybeFold(ctx, output, Run);
}

Status Eval(OpContext& ctx) {
  if (IsFolded(ctx.output(0))) return Status::Ok();
  EDGELITE_RETURN_IF_ERROR(PrepareDynamicOutputs(ctx, Prepare));
  return Run(ctx);
}

}  // namespace

const OpRegistration* Register_STRIDED_SLICE() {
  static const OpRegistration reg = {"STRIDED_SLICE", InitFoldState, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
