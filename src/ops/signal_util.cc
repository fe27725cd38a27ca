// flexbuffers.h is header-only except for its locale-independent string to
// number conversions, which edgelite does not link (see detection_postprocess.cc).
#ifndef FLATBUFFERS_LOCALE_INDEPENDENT
#define FLATBUFFERS_LOCALE_INDEPENDENT 0
#endif
#include "src/ops/signal_util.h"

#include <flatbuffers/flexbuffers.h>

namespace edgelite {
namespace ops {

Status SignalOptions::Parse(OpContext& ctx) {
  buf_ = ctx.custom_options(&size_);
  if (buf_ == nullptr || size_ == 0) return ctx.Invalid("missing custom options (a FlexBuffer map)");
  if (!flexbuffers::VerifyBuffer(buf_, size_))
    return ctx.Invalid("custom options are not a valid FlexBuffer (%zu bytes)", size_);
  if (!flexbuffers::GetRoot(buf_, size_).IsMap())
    return ctx.Invalid("custom options are not a FlexBuffer map");
  return Status::Ok();
}

Status SignalOptions::Int(OpContext& ctx, const char* key, int64_t lo, int64_t hi,
                          int32_t* out) const {
  const flexbuffers::Reference r = flexbuffers::GetRoot(buf_, size_).AsMap()[key];
  if (r.IsNull()) return ctx.Invalid("custom option '%s' is missing", key);
  if (!r.IsIntOrUint() && !r.IsBool())
    return ctx.Invalid("custom option '%s' is not an integer", key);
  int64_t v = 0;
  if (r.IsUInt()) {
    const uint64_t u = r.AsUInt64();
    v = u > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(u);
  } else {
    v = r.AsInt64();
  }
  if (v < lo || v > hi)
    return ctx.Invalid("custom option '%s' (%lld) must be in [%lld, %lld]", key,
                       static_cast<long long>(v), static_cast<long long>(lo),
                       static_cast<long long>(hi));
  *out = static_cast<int32_t>(v);
  return Status::Ok();
}

Status SignalOptions::Bool(OpContext& ctx, const char* key, bool* out) const {
  int32_t v = 0;
  EDGELITE_RETURN_IF_ERROR(Int(ctx, key, 0, 1, &v));
  *out = v != 0;
  return Status::Ok();
}

Status CheckVector(OpContext& ctx, const Tensor* t, DataType type, const char* what) {
  EDGELITE_RETURN_IF_ERROR(CheckType(ctx, t, type, what));
  return CheckRank(ctx, t, 1, 1, what);
}

}  // namespace ops
}  // namespace edgelite
