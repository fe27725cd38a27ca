// TFLite_Detection_PostProcess (custom op): decodes SSD box encodings against
// anchors and runs non-max suppression (fast or regular, see
// src/ref/detection_postprocess.h for the exact semantics).
//
// Inputs:  box encodings [1, num_boxes, >=4], class predictions
//          [1, num_boxes, num_classes (+1 background)], anchors [num_boxes, 4];
//          each float32, or uint8/int8 quantized per tensor (dequantized).
// Outputs: float32 boxes [1, D, 4], classes [1, D], scores [1, D],
//          num_detections [1], with D = max_detections * max_classes_per_detection.
//          Rows past the detections found are zero.
// Options: a FlexBuffer map in custom_options (verified before it is read):
//   max_detections, max_classes_per_detection, detections_per_class (100),
//   use_regular_nms (false), nms_score_threshold, nms_iou_threshold,
//   num_classes, y_scale, x_scale, h_scale, w_scale. Absent keys read as 0
//   (or the default in parentheses), as in TFLite.
// flexbuffers.h is header-only except for its locale-independent string to
// number conversions (flatbuffers::ClassicLocale lives in libflatbuffers,
// which edgelite does not link): use the plain C conversions instead.
#ifndef FLATBUFFERS_LOCALE_INDEPENDENT
#define FLATBUFFERS_LOCALE_INDEPENDENT 0
#endif
#include <flatbuffers/flexbuffers.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "src/ops/op_util.h"
#include "src/ref/detection_postprocess.h"

namespace edgelite {
namespace ops {
namespace {

constexpr int kBoxEncodings = 0, kClassPredictions = 1, kAnchors = 2;
constexpr int kOutBoxes = 0, kOutClasses = 1, kOutScores = 2, kOutNum = 3;

struct OpData {
  ref::DetectionParams params;
  int scratch_id = -1;
  // Byte offsets of each working array inside the scratch block; -1 if unused.
  int64_t off_decoded = -1, off_enc = -1, off_anchors = -1, off_scores = -1;
  int64_t off_nms_scores = -1, off_keep = -1, off_selected = -1, off_top = -1,
          off_order = -1, off_results = -1, off_merged = -1, off_active = -1;
};

// Reads an integer option; absent keys give `def`.
Status ReadInt(OpContext& ctx, const flexbuffers::Map& m, const char* key, int32_t def,
               int32_t* out) {
  const flexbuffers::Reference r = m[key];
  if (r.IsNull()) {
    *out = def;
    return Status::Ok();
  }
  if (!r.IsNumeric() && !r.IsBool())
    return ctx.Invalid("custom option '%s' is not a number", key);
  double v = r.AsDouble();
  if (r.IsIntOrUint() || r.IsBool()) v = static_cast<double>(r.AsInt64());
  if (!(v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max()))
    return ctx.Invalid("custom option '%s' (%g) is out of int32 range", key, v);
  *out = static_cast<int32_t>(v);
  return Status::Ok();
}

Status ReadFloat(OpContext& ctx, const flexbuffers::Map& m, const char* key, float* out) {
  const flexbuffers::Reference r = m[key];
  if (r.IsNull()) {
    *out = 0.0f;
    return Status::Ok();
  }
  if (!r.IsNumeric()) return ctx.Invalid("custom option '%s' is not a number", key);
  *out = static_cast<float>(r.AsDouble());
  return Status::Ok();
}

Status ParseOptions(OpContext& ctx, ref::DetectionParams* p) {
  size_t size = 0;
  const uint8_t* buf = ctx.custom_options(&size);
  if (buf == nullptr || size == 0) return ctx.Invalid("missing custom options (a FlexBuffer map)");
  if (!flexbuffers::VerifyBuffer(buf, size))
    return ctx.Invalid("custom options are not a valid FlexBuffer (%zu bytes)", size);
  const flexbuffers::Reference root = flexbuffers::GetRoot(buf, size);
  if (!root.IsMap()) return ctx.Invalid("custom options are not a FlexBuffer map");
  const flexbuffers::Map m = root.AsMap();
  EDGELITE_RETURN_IF_ERROR(ReadInt(ctx, m, "max_detections", 0, &p->max_detections));
  EDGELITE_RETURN_IF_ERROR(
      ReadInt(ctx, m, "max_classes_per_detection", 0, &p->max_classes_per_detection));
  EDGELITE_RETURN_IF_ERROR(
      ReadInt(ctx, m, "detections_per_class", 100, &p->detections_per_class));
  int32_t regular = 0;
  EDGELITE_RETURN_IF_ERROR(ReadInt(ctx, m, "use_regular_nms", 0, &regular));
  p->use_regular_nms = regular != 0;
  EDGELITE_RETURN_IF_ERROR(ReadFloat(ctx, m, "nms_score_threshold", &p->score_threshold));
  EDGELITE_RETURN_IF_ERROR(ReadFloat(ctx, m, "nms_iou_threshold", &p->iou_threshold));
  EDGELITE_RETURN_IF_ERROR(ReadInt(ctx, m, "num_classes", 0, &p->num_classes));
  EDGELITE_RETURN_IF_ERROR(ReadFloat(ctx, m, "y_scale", &p->y_scale));
  EDGELITE_RETURN_IF_ERROR(ReadFloat(ctx, m, "x_scale", &p->x_scale));
  EDGELITE_RETURN_IF_ERROR(ReadFloat(ctx, m, "h_scale", &p->h_scale));
  EDGELITE_RETURN_IF_ERROR(ReadFloat(ctx, m, "w_scale", &p->w_scale));

  if (p->max_detections < 0) return ctx.Invalid("max_detections (%d) is negative", p->max_detections);
  if (p->num_classes <= 0) return ctx.Invalid("num_classes (%d) must be positive", p->num_classes);
  // Output rows are max_detections * max_classes_per_detection; both NMS
  // variants write up to max_detections rows, so it must be at least 1.
  if (p->max_classes_per_detection <= 0)
    return ctx.Invalid("max_classes_per_detection (%d) must be positive",
                       p->max_classes_per_detection);
  if (p->use_regular_nms && (p->detections_per_class <= 0 || p->max_detections <= 0))
    return ctx.Invalid(
        "regular NMS needs positive detections_per_class (%d) and max_detections (%d)",
        p->detections_per_class, p->max_detections);
  if (!(p->iou_threshold > 0.0f && p->iou_threshold <= 1.0f))
    return ctx.Invalid("nms_iou_threshold (%g) must be in (0, 1]",
                       static_cast<double>(p->iou_threshold));
  if (std::isnan(p->score_threshold)) return ctx.Invalid("nms_score_threshold is NaN");
  const float scales[4] = {p->y_scale, p->x_scale, p->h_scale, p->w_scale};
  const char* names[4] = {"y_scale", "x_scale", "h_scale", "w_scale"};
  for (int i = 0; i < 4; ++i)
    if (!std::isfinite(scales[i]) || scales[i] == 0.0f)
      return ctx.Invalid("%s (%g) must be finite and non-zero", names[i],
                         static_cast<double>(scales[i]));
  return Status::Ok();
}

Status Init(OpContext& ctx) {
  auto* d = ctx.AllocatePersistent<OpData>();
  if (d == nullptr) return ctx.Fail(StatusCode::kResourceExhausted, "out of memory");
  ctx.set_user_data(d);
  return ParseOptions(ctx, &d->params);
}

bool IsQuantizedType(DataType t) { return t == DataType::kUInt8 || t == DataType::kInt8; }

Status CheckInputType(OpContext& ctx, const Tensor* t, const char* what) {
  if (t->type == DataType::kFloat32) return Status::Ok();
  if (!IsQuantizedType(t->type))
    return ctx.Fail(StatusCode::kUnsupported, "%s '%s' has type %s; expected float32, uint8 or int8",
                    what, t->name, DataTypeName(t->type));
  if (t->quant.count != 1)
    return ctx.Fail(StatusCode::kUnsupported, "%s '%s' must be quantized per tensor", what,
                    t->name);
  const float s = t->quant.scale[0];
  if (!(s > 0.0f) || !std::isfinite(s))
    return ctx.Invalid("%s '%s' has an invalid scale %g", what, t->name, static_cast<double>(s));
  const int64_t zp = t->quant.zero_point ? t->quant.zero_point[0] : 0;
  const int64_t lo = t->type == DataType::kUInt8 ? 0 : -128;
  if (zp < lo || zp > lo + 255)
    return ctx.Invalid("%s '%s' has zero point %lld out of range", what, t->name,
                       static_cast<long long>(zp));
  return Status::Ok();
}

// Reserves `count` elements of `elem` bytes at a 16-byte aligned offset.
int64_t Reserve(int64_t* total, int64_t count, int64_t elem) {
  const int64_t off = (*total + 15) & ~int64_t{15};
  *total = off + count * elem;
  return off;
}

Status Prepare(OpContext& ctx) {
  auto* d = static_cast<OpData*>(ctx.user_data());
  const ref::DetectionParams& p = d->params;
  EDGELITE_RETURN_IF_ERROR(CheckArity(ctx, 3, 3, 4));
  Tensor *enc, *cls, *anchors;
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kBoxEncodings, &enc));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kClassPredictions, &cls));
  EDGELITE_RETURN_IF_ERROR(GetInput(ctx, kAnchors, &anchors));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, enc, 3, 3, "box encodings"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, cls, 3, 3, "class predictions"));
  EDGELITE_RETURN_IF_ERROR(CheckRank(ctx, anchors, 2, 2, "anchors"));
  EDGELITE_RETURN_IF_ERROR(CheckInputType(ctx, enc, "box encodings"));
  EDGELITE_RETURN_IF_ERROR(CheckInputType(ctx, cls, "class predictions"));
  EDGELITE_RETURN_IF_ERROR(CheckInputType(ctx, anchors, "anchors"));
  const int32_t num_boxes = enc->shape[1], enc_width = enc->shape[2];
  if (enc->shape[0] != 1)
    return ctx.Fail(StatusCode::kUnsupported, "box encodings '%s': batch %d, only 1 is supported",
                    enc->name, enc->shape[0]);
  if (enc_width < 4)
    return ctx.Invalid("box encodings '%s' have %d values per box; need at least 4", enc->name,
                       enc_width);
  if (cls->shape[0] != 1 || cls->shape[1] != num_boxes)
    return ctx.Invalid("class predictions '%s' must be [1, %d, classes]", cls->name, num_boxes);
  const int32_t ncwb = cls->shape[2];
  if (ncwb != p.num_classes && ncwb != p.num_classes + 1)
    return ctx.Invalid("class predictions '%s' have %d classes; num_classes is %d (+1 background)",
                       cls->name, ncwb, p.num_classes);
  if (anchors->shape[0] != num_boxes || anchors->shape[1] != 4)
    return ctx.Invalid("anchors '%s' must be [%d, 4]", anchors->name, num_boxes);

  const int64_t rows =
      static_cast<int64_t>(p.max_detections) * static_cast<int64_t>(p.max_classes_per_detection);
  if (rows > std::numeric_limits<int32_t>::max())
    return ctx.Invalid("max_detections * max_classes_per_detection (%lld) overflows int32",
                       static_cast<long long>(rows));
  const int32_t num_rows = static_cast<int32_t>(rows);
  Tensor* outs[4];
  for (int i = 0; i < 4; ++i) {
    EDGELITE_RETURN_IF_ERROR(GetOutput(ctx, i, &outs[i]));
    EDGELITE_RETURN_IF_ERROR(CheckType(ctx, outs[i], DataType::kFloat32, "output"));
  }
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(outs[kOutBoxes], Shape{1, num_rows, 4}));
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(outs[kOutClasses], Shape{1, num_rows}));
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(outs[kOutScores], Shape{1, num_rows}));
  EDGELITE_RETURN_IF_ERROR(ctx.ResizeOutput(outs[kOutNum], Shape{1}));

  // Working memory.
  const int64_t nb = num_boxes;
  int64_t total = 0;
  d->off_decoded = Reserve(&total, nb, sizeof(ref::BoxCorner));
  d->off_enc = enc->type == DataType::kFloat32 ? -1 : Reserve(&total, nb * enc_width, 4);
  d->off_anchors = anchors->type == DataType::kFloat32 ? -1 : Reserve(&total, nb * 4, 4);
  d->off_scores = cls->type == DataType::kFloat32 ? -1 : Reserve(&total, nb * ncwb, 4);
  d->off_nms_scores = Reserve(&total, nb, 4);
  d->off_keep = Reserve(&total, nb, 4);
  d->off_active = Reserve(&total, nb, 1);
  if (p.use_regular_nms) {
    const int64_t per_class = std::min(p.detections_per_class, p.max_detections);
    const int64_t sel = std::min<int64_t>(per_class, nb);
    const int64_t results = std::min<int64_t>(p.max_detections, sel * p.num_classes);
    d->off_selected = Reserve(&total, sel, 4);
    d->off_results = Reserve(&total, results, sizeof(ref::Detection));
    d->off_merged = Reserve(&total, results, sizeof(ref::Detection));
    d->off_top = d->off_order = -1;
  } else {
    const int64_t k = std::min(p.max_classes_per_detection, p.num_classes);
    d->off_selected = Reserve(&total, std::min<int64_t>(p.max_detections, nb), 4);
    d->off_top = Reserve(&total, nb * k, 4);
    d->off_order = Reserve(&total, p.num_classes, 4);
    d->off_results = d->off_merged = -1;
  }
  if (total > std::numeric_limits<int32_t>::max())
    return ctx.Fail(StatusCode::kResourceExhausted, "needs %lld bytes of scratch",
                    static_cast<long long>(total));
  return ctx.RequestScratch(static_cast<size_t>(total > 0 ? total : 16), &d->scratch_id);
}

template <typename T>
T* At(uint8_t* base, int64_t off) {
  return off < 0 ? nullptr : reinterpret_cast<T*>(base + off);
}

// A float view of a (possibly quantized) input; dequantizes into `buf`.
const float* AsFloat(const Tensor* t, float* buf) {
  if (t->type == DataType::kFloat32) return t->data_as<float>();
  const int64_t n = t->num_elements();
  const float scale = t->quant.scale[0];
  const int32_t zp = t->quant.zero_point ? static_cast<int32_t>(t->quant.zero_point[0]) : 0;
  if (t->type == DataType::kUInt8)
    ref::DequantizeDetectionInput(t->data_as<uint8_t>(), n, scale, zp, buf);
  else
    ref::DequantizeDetectionInput(t->data_as<int8_t>(), n, scale, zp, buf);
  return buf;
}

Status Eval(OpContext& ctx) {
  const auto* d = static_cast<const OpData*>(ctx.user_data());
  const ref::DetectionParams& p = d->params;
  const Tensor* enc = ctx.input(kBoxEncodings);
  const Tensor* cls = ctx.input(kClassPredictions);
  const Tensor* anchors = ctx.input(kAnchors);
  const int32_t num_boxes = enc->shape[1], enc_width = enc->shape[2], ncwb = cls->shape[2];
  auto* base = static_cast<uint8_t*>(ctx.scratch(d->scratch_id));

  ref::DetectionScratch s;
  s.decoded = At<ref::BoxCorner>(base, d->off_decoded);
  s.nms_scores = At<float>(base, d->off_nms_scores);
  s.keep = At<int32_t>(base, d->off_keep);
  s.active = At<uint8_t>(base, d->off_active);
  s.selected = At<int32_t>(base, d->off_selected);
  s.top_classes = At<int32_t>(base, d->off_top);
  s.class_order = At<int32_t>(base, d->off_order);
  s.results = At<ref::Detection>(base, d->off_results);
  s.merged = At<ref::Detection>(base, d->off_merged);

  const float* enc_f = AsFloat(enc, At<float>(base, d->off_enc));
  const float* anchors_f = AsFloat(anchors, At<float>(base, d->off_anchors));
  const float* scores = AsFloat(cls, At<float>(base, d->off_scores));
  ref::DecodeCenterSizeBoxes(p, enc_f, enc_width, anchors_f, num_boxes, s.decoded);
  const int32_t bad = ref::FindInvalidBox(s.decoded, num_boxes);
  if (bad >= 0)
    return ctx.Fail(StatusCode::kRuntimeError,
                    "decoded box %d is inverted (ymin > ymax or xmin > xmax); check anchors '%s'",
                    bad, anchors->name);

  Tensor* out_boxes = ctx.output(kOutBoxes);
  Tensor* out_classes = ctx.output(kOutClasses);
  Tensor* out_scores = ctx.output(kOutScores);
  Tensor* out_num = ctx.output(kOutNum);
  for (Tensor* t : {out_boxes, out_classes, out_scores, out_num})
    if (t->bytes) memset(t->data, 0, t->bytes);
  const int32_t label_offset = ncwb - p.num_classes;
  const int32_t n =
      p.use_regular_nms
          ? ref::DetectionRegularNms(p, scores, num_boxes, ncwb, label_offset, s,
                                     out_boxes->data_as<float>(), out_classes->data_as<float>(),
                                     out_scores->data_as<float>())
          : ref::DetectionFastNms(p, scores, num_boxes, ncwb, label_offset, s,
                                  out_boxes->data_as<float>(), out_classes->data_as<float>(),
                                  out_scores->data_as<float>());
  out_num->data_as<float>()[0] = static_cast<float>(n);
  return Status::Ok();
}

}  // namespace

const OpRegistration* Register_DETECTION_POSTPROCESS() {
  static const OpRegistration r = {"TFLite_Detection_PostProcess", Init, Prepare, Eval};
  return &r;
}

}  // namespace ops
}  // namespace edgelite
