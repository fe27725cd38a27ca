// Reference kernel of TFLite_Detection_PostProcess (SSD box decoding and
// non-max suppression), following TFLite's semantics:
//   * boxes are decoded from center-size encodings relative to anchors, in
//     double precision, rounded to float at the end (as TFLite does);
//   * per-class candidates are kept when score >= score_threshold, ordered by
//     decreasing score with ties broken by the lower box index (TFLite uses a
//     stable sort), and a candidate is suppressed when its IoU with an already
//     selected box is strictly greater than iou_threshold;
//   * fast NMS ranks each box by its best class (ties: lower class index) and
//     runs one suppression pass; regular NMS runs one pass per class and keeps
//     the best max_detections over all classes (a stable merge: on equal
//     scores, earlier classes come first).
// All working memory is provided by the caller (no heap).
#ifndef EDGELITE_REF_DETECTION_POSTPROCESS_H_
#define EDGELITE_REF_DETECTION_POSTPROCESS_H_

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace edgelite {
namespace ref {

struct DetectionParams {
  int32_t max_detections = 0;
  int32_t max_classes_per_detection = 0;
  int32_t detections_per_class = 100;
  bool use_regular_nms = false;
  float score_threshold = 0.0f;
  float iou_threshold = 0.0f;
  int32_t num_classes = 0;
  float y_scale = 0.0f, x_scale = 0.0f, h_scale = 0.0f, w_scale = 0.0f;
};

struct BoxCorner {
  float ymin, xmin, ymax, xmax;
};

// One entry of the regular-NMS result list.
struct Detection {
  int32_t anchor;
  int32_t cls;
  float score;
};

// Working memory (sizes in elements; see DetectionScratchSizes in the op).
struct DetectionScratch {
  BoxCorner* decoded = nullptr;    // num_boxes
  float* nms_scores = nullptr;     // num_boxes
  int32_t* keep = nullptr;         // num_boxes
  uint8_t* active = nullptr;       // num_boxes
  int32_t* selected = nullptr;     // selection capacity
  int32_t* top_classes = nullptr;  // fast: num_boxes * classes kept per box
  int32_t* class_order = nullptr;  // fast: num_classes
  Detection* results = nullptr;    // regular: result capacity
  Detection* merged = nullptr;     // regular: result capacity
};

// Dequantizes n values: (q - zero_point) * scale in float, as TFLite does.
template <typename T>
void DequantizeDetectionInput(const T* q, int64_t n, float scale, int32_t zero_point, float* out) {
  for (int64_t i = 0; i < n; ++i)
    out[i] = (static_cast<float>(q[i]) - static_cast<float>(zero_point)) * scale;
}

// Decodes num_boxes boxes. enc holds (y, x, h, w) at enc[i*enc_stride + 0..3],
// anchors hold (y, x, h, w) at anchors[i*4 + 0..3].
inline void DecodeCenterSizeBoxes(const DetectionParams& p, const float* enc, int64_t enc_stride,
                                  const float* anchors, int32_t num_boxes, BoxCorner* out) {
  for (int32_t i = 0; i < num_boxes; ++i) {
    const float* e = enc + i * enc_stride;
    const float* a = anchors + static_cast<int64_t>(i) * 4;
    const double ay = a[0], ax = a[1], ah = a[2], aw = a[3];
    const float yc = static_cast<float>(e[0] / static_cast<double>(p.y_scale) * ah + ay);
    const float xc = static_cast<float>(e[1] / static_cast<double>(p.x_scale) * aw + ax);
    const float half_h =
        static_cast<float>(0.5 * std::exp(e[2] / static_cast<double>(p.h_scale)) * ah);
    const float half_w =
        static_cast<float>(0.5 * std::exp(e[3] / static_cast<double>(p.w_scale)) * aw);
    out[i].ymin = yc - half_h;
    out[i].xmin = xc - half_w;
    out[i].ymax = yc + half_h;
    out[i].xmax = xc + half_w;
  }
}

// Index of the first box with ymin > ymax or xmin > xmax, or -1.
inline int32_t FindInvalidBox(const BoxCorner* boxes, int32_t num_boxes) {
  for (int32_t i = 0; i < num_boxes; ++i)
    if (boxes[i].ymin > boxes[i].ymax || boxes[i].xmin > boxes[i].xmax) return i;
  return -1;
}

// Intersection over union; 0 when either box has a non-positive area.
inline float BoxIoU(const BoxCorner& a, const BoxCorner& b) {
  const float area_a = (a.ymax - a.ymin) * (a.xmax - a.xmin);
  const float area_b = (b.ymax - b.ymin) * (b.xmax - b.xmin);
  if (area_a <= 0 || area_b <= 0) return 0.0f;
  const float iy = std::max(std::min(a.ymax, b.ymax) - std::max(a.ymin, b.ymin), 0.0f);
  const float ix = std::max(std::min(a.xmax, b.xmax) - std::max(a.xmin, b.xmin), 0.0f);
  const float inter = iy * ix;
  return inter / (area_a + area_b - inter);
}

// "a ranks before b": higher score first, then lower index. NaN ranks below
// every number so the order stays a strict total order whatever the data.
inline bool RanksBefore(float sa, int32_t ia, float sb, int32_t ib) {
  const bool na = std::isnan(sa), nb = std::isnan(sb);
  if (na != nb) return nb;
  if (!na && sa != sb) return sa > sb;
  return ia < ib;
}

// Greedy NMS over one score per box. Writes the selected box indices, best
// first, into `selected` (at most max_out) and returns how many.
inline int32_t NonMaxSuppressionSingleClass(const BoxCorner* boxes, const float* scores,
                                            int32_t num_boxes, float score_threshold,
                                            float iou_threshold, int32_t max_out,
                                            int32_t* keep, uint8_t* active, int32_t* selected) {
  int32_t num_kept = 0;
  for (int32_t i = 0; i < num_boxes; ++i)
    if (scores[i] >= score_threshold) keep[num_kept++] = i;
  std::sort(keep, keep + num_kept, [scores](int32_t a, int32_t b) {
    return RanksBefore(scores[a], a, scores[b], b);
  });
  for (int32_t i = 0; i < num_kept; ++i) active[i] = 1;
  int32_t num_active = num_kept, num_selected = 0;
  for (int32_t i = 0; i < num_kept; ++i) {
    if (num_active == 0 || num_selected >= max_out) break;
    if (!active[i]) continue;
    selected[num_selected++] = keep[i];
    active[i] = 0;
    --num_active;
    for (int32_t j = i + 1; j < num_kept; ++j) {
      if (active[j] && BoxIoU(boxes[keep[i]], boxes[keep[j]]) > iou_threshold) {
        active[j] = 0;
        --num_active;
      }
    }
  }
  return num_selected;
}

// Fast NMS. scores: [num_boxes, num_classes_with_background]; class c of box
// i is scores[i * stride + label_offset + c]. Outputs must be zero-filled by
// the caller: rows [max_detections * max_classes_per_detection].
// Returns the number of selected boxes.
inline int32_t DetectionFastNms(const DetectionParams& p, const float* scores, int32_t num_boxes,
                                int32_t stride, int32_t label_offset, DetectionScratch& s,
                                float* out_boxes, float* out_classes, float* out_scores) {
  const int32_t num_classes = p.num_classes;
  const int32_t k = std::min(p.max_classes_per_detection, num_classes);
  for (int32_t i = 0; i < num_boxes; ++i) {
    const float* row = scores + static_cast<int64_t>(i) * stride + label_offset;
    for (int32_t c = 0; c < num_classes; ++c) s.class_order[c] = c;
    std::partial_sort(s.class_order, s.class_order + k, s.class_order + num_classes,
                      [row](int32_t a, int32_t b) { return RanksBefore(row[a], a, row[b], b); });
    int32_t* top = s.top_classes + static_cast<int64_t>(i) * k;
    for (int32_t c = 0; c < k; ++c) top[c] = s.class_order[c];
    s.nms_scores[i] = row[top[0]];
  }
  const int32_t n = NonMaxSuppressionSingleClass(
      s.decoded, s.nms_scores, num_boxes, p.score_threshold, p.iou_threshold, p.max_detections,
      s.keep, s.active, s.selected);
  for (int32_t d = 0; d < n; ++d) {
    const int32_t box = s.selected[d];
    const float* row = scores + static_cast<int64_t>(box) * stride + label_offset;
    const int32_t* top = s.top_classes + static_cast<int64_t>(box) * k;
    for (int32_t c = 0; c < k; ++c) {
      const int64_t slot = static_cast<int64_t>(p.max_classes_per_detection) * d + c;
      const BoxCorner& b = s.decoded[box];
      out_boxes[slot * 4 + 0] = b.ymin;
      out_boxes[slot * 4 + 1] = b.xmin;
      out_boxes[slot * 4 + 2] = b.ymax;
      out_boxes[slot * 4 + 3] = b.xmax;
      out_classes[slot] = static_cast<float>(top[c]);
      out_scores[slot] = row[top[c]];
    }
  }
  return n;
}

// Regular NMS: one pass per class with at most per_class =
// min(detections_per_class, max_detections) boxes each, then the best
// max_detections overall. Outputs zero-filled by the caller. Returns the
// number of detections.
inline int32_t DetectionRegularNms(const DetectionParams& p, const float* scores,
                                   int32_t num_boxes, int32_t stride, int32_t label_offset,
                                   DetectionScratch& s, float* out_boxes, float* out_classes,
                                   float* out_scores) {
  const int32_t per_class = std::min(p.detections_per_class, p.max_detections);
  int32_t count = 0;
  for (int32_t c = 0; c < p.num_classes; ++c) {
    for (int32_t i = 0; i < num_boxes; ++i)
      s.nms_scores[i] = scores[static_cast<int64_t>(i) * stride + label_offset + c];
    const int32_t n = NonMaxSuppressionSingleClass(s.decoded, s.nms_scores, num_boxes,
                                                   p.score_threshold, p.iou_threshold, per_class,
                                                   s.keep, s.active, s.selected);
    if (n == 0) continue;
    // Stable merge of the kept list (first) with this class's list (second,
    // already in decreasing score order): the new entry goes first only if
    // its score is strictly greater.
    const int32_t total = std::min(count + n, p.max_detections);
    int32_t a = 0, b = 0;
    for (int32_t o = 0; o < total; ++o) {
      const bool take_new =
          a >= count || (b < n && s.nms_scores[s.selected[b]] > s.results[a].score);
      if (take_new) {
        s.merged[o] = Detection{s.selected[b], c, s.nms_scores[s.selected[b]]};
        ++b;
      } else {
        s.merged[o] = s.results[a++];
      }
    }
    for (int32_t o = 0; o < total; ++o) s.results[o] = s.merged[o];
    count = total;
  }
  for (int32_t d = 0; d < count; ++d) {
    const BoxCorner& b = s.decoded[s.results[d].anchor];
    out_boxes[d * 4 + 0] = b.ymin;
    out_boxes[d * 4 + 1] = b.xmin;
    out_boxes[d * 4 + 2] = b.ymax;
    out_boxes[d * 4 + 3] = b.xmax;
    out_classes[d] = static_cast<float>(s.results[d].cls);
    out_scores[d] = s.results[d].score;
  }
  return count;
}

}  // namespace ref
}  // namespace edgelite

#endif  // EDGELITE_REF_DETECTION_POSTPROCESS_H_
