// RESHAPE: same elements, new shape. The shape comes from (in TFLite's order)
// the 1-D second input, else the new_shape option (legacy [0] = scalar), else
// the output tensor's declared shape. One dimension may be -1 (inferred).
// A non-constant shape input makes the output dynamic (sized at eval).
#include <cstring>

#include "edgelite/strings.h"

#include "src/ops/data_movement_util.h"
#include "src/ops/op_util.h"

namespace edgelite {
namespace ops {
namespace {

struct ReshapeData {
  FoldState fold;
  Shape declared;  // the output's shape as the model declared it
};

Status Init(OpContext& ctx) {
  auto* data = ctx.AllocatePersistent<ReshapeData>();
  if (data == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
  const Tensor* out = ctx.output(0);
  if (out) data->declared = out->shape;
  ctx.set_user_data(data);
  return Status::Ok();
}

// Resolves -1 and checks the element count; `s` is the requested shape.
Status ResolveShape(OpContext& ctx, const Tensor* input, Shape* s) {
  int stretch = -1;
  int64_t known = 1;
  for (int i = 0; i < s->rank; ++i) {
    const int32_t d = s->dims[i];
    if (d == -1) {
      if (stretch >= 0) return ctx.Invalid("new shape has more than one -1 dimension");
      stretch = i;
      continue;
    }
    if (d < 0) return ctx.Invalid("new shape has negative dimension %d at axis %d", d, i);
    if (d != 0 && known > (int64_t{1} << 40) / d) return ctx.Invalid("new shape overflows");
    known *= d;
  }
  const int64_t n = input->shape.NumElements();
  if (stretch >= 0) {
    int64_t inferred = 0;
    if (known != 0) {
      inferred = n / known;
    } else if (n != 0) {
      return ctx.Invalid("cannot infer the -1 dimension: other dimensions multiply to 0");
    }
    if (inferred > INT32_MAX) return ctx.Invalid("inferred dimension overflows");
    s->dims[stretch] = static_cast<int32_t>(inferred);
    known *= inferred;
  }
  if (known != n) {
    char a[96], b[96];
    return ctx.Invalid("cannot reshape '%s' %s (%lld elements) to %s", input->name,
                       input->shape.ToString(a, sizeof(a)), static_cast<long long>(n),
                       s->ToString(b, sizeof(b)));
  }
  return Status::Ok();
}

Status Copy(OpContext& ctx) {
  const Tensor* input = ctx.input(0);
  Tensor* output = ctx.output(0);
  if (output->data != input->data && input->bytes > 0) memcpy(output->data, input->data, input->bytes);
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 2, 1));
  Tensor *input, *output;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, 0, &input));
  EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, 0, &output));
  ResetFoldedOutput(ctx, output);
  auto* data = static_cast<ReshapeData*>(ctx.user_data());
  EDGELITE_RETURN_IF_ERROR(CheckSameType(ctx, input, output));
  size_t elem = 0;
  const bool strings = input->type == DataType::kString;
  if (!strings) EDGELITE_RETURN_IF_ERROR(ElementSize(ctx, input, &elem));
  const Tensor* shape_t = ctx.input(1);
  Shape s;
  if (shape_t != nullptr && shape_t->shape.rank == 1) {
    EDGELITE_RETURN_IF_ERROR(CheckIndexType(ctx, shape_t, "shape"));
    if (!ctx.HasData(shape_t)) {
      ctx.SetOutputDynamic(output);
      return Status::Ok();
    }
    EDGELITE_RETURN_IF_ERROR(ReadShapeValues(ctx, shape_t, "shape", &s));
  } else if (const auto* opts = Options<fb::ReshapeOptions>(ctx);
             opts != nullptr && opts->new_shape() != nullptr) {
    const auto* ns = opts->new_shape();
    if (ns->size() > static_cast<uint32_t>(kMaxRank))
      return ctx.Fail(StatusCode::kUnsupported, "new_shape has rank %u; at most %d supported",
                      ns->size(), kMaxRank);
    s.rank = static_cast<int32_t>(ns->size());
    for (int i = 0; i < s.rank; ++i) s.dims[i] = ns->Get(i);
    if (s.rank == 1 && s.dims[0] == 0) s.rank = 0;  // legacy scalar marker
  } else {
    s = data->declared;
  }
  EDGELITE_RETURN_IF_ERROR(ResolveShape(ctx, input, &s));
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(output, s));
  if (strings) return Status::Ok();  // storage sized and copied at eval
  if (CanFold(ctx, output)) {
    EDGELITE_RETURN_IF_ERROR(FoldOutput(ctx, &data->fold, output));
    return Copy(ctx);
  }
  return Status::Ok();
}

Status Eval(OpContext& ctx) {
  Tensor* output = ctx.output(0);
  if (IsFolded(output)) return Status::Ok();
  EDGELITE_RETURN_IF_ERROR(PrepareDynamicOutputs(ctx, Prepare));
  const Tensor* input = ctx.input(0);
  if (input->type == DataType::kString) {
    if (NumStrings(*input) != input->shape.NumElements())
      return ctx.Fail(StatusCode::kRuntimeError,
                      "string tensor '%s' has not been set or is malformed", input->name);
    EDGELITE_RETURN_IF_ERROR(ctx.ResizeStringOutput(output, input->bytes));
  }
  return Copy(ctx);
}

}  // namespace

const OpRegistration* Register_RESHAPE() {
  static const OpRegistration reg = {"RESHAPE", Init, Prepare, Eval};
  return &reg;
}

}  // namespace ops
}  // namespace edgelite
