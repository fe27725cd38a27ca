// TFLite_Detection_PostProcess: hand-derived decode + NMS cases (fast and
// regular, float and quantized), a randomized decode check against float64,
// and malformed options / shapes that must fail with a Status.
// flexbuffers.h is header-only except for its locale-independent string to
// number conversions (flatbuffers::ClassicLocale lives in libflatbuffers,
// which edgelite does not link): use the plain C conversions instead.
#ifndef FLATBUFFERS_LOCALE_INDEPENDENT
#define FLATBUFFERS_LOCALE_INDEPENDENT 0
#endif
#include <flatbuffers/flexbuffers.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "tests/test_util.h"

namespace edgelite {
namespace {

using testing::SingleOpModel;

struct Opts {
  int max_detections = 3;
  int max_classes_per_detection = 1;
  int detections_per_class = 2;
  bool use_regular_nms = false;
  float score_threshold = 0.5f;
  float iou_threshold = 0.5f;
  int num_classes = 2;
  float y_scale = 10, x_scale = 10, h_scale = 5, w_scale = 5;
};

std::vector<uint8_t> Flex(const Opts& o) {
  flexbuffers::Builder fbb;
  fbb.Map([&]() {
    fbb.Int("max_detections", o.max_detections);
    fbb.Int("max_classes_per_detection", o.max_classes_per_detection);
    fbb.Int("detections_per_class", o.detections_per_class);
    fbb.Bool("use_regular_nms", o.use_regular_nms);
    fbb.Float("nms_score_threshold", o.score_threshold);
    fbb.Float("nms_iou_threshold", o.iou_threshold);
    fbb.Int("num_classes", o.num_classes);
    fbb.Float("y_scale", o.y_scale);
    fbb.Float("x_scale", o.x_scale);
    fbb.Float("h_scale", o.h_scale);
    fbb.Float("w_scale", o.w_scale);
  });
  fbb.Finish();
  return fbb.GetBuffer();
}

// Three boxes, 2 classes + background, with y/x/h/w scales 10/10/5/5:
//   anchors (y, x, h, w): A0 = A1 = (0.5, 0.5, 1, 1), A2 = (2.5, 2.5, 1, 1)
//   box0 enc (0,0,0,0)        -> center (0.5,0.5), half 0.5      -> [0, 0, 1, 1]
//   box1 enc (1,0,0,0)        -> y center 1/10*1 + 0.5 = 0.6     -> [0.1, 0, 1.1, 1]
//   box2 enc (0,0,5 ln2,0)    -> half_h = 0.5*exp(ln2)*1 = 1     -> [1.5, 2, 3.5, 3]
//   IoU(box0, box1) = 0.9 / (1 + 1 - 0.9) = 0.818 > 0.5; box2 overlaps nothing.
// Scores (background, c0, c1): box0 (0, .9, .2), box1 (0, .8, .95), box2 (0, .3, .7).
const std::vector<float> kAnchors = {0.5f, 0.5f, 1, 1, 0.5f, 0.5f, 1, 1, 2.5f, 2.5f, 1, 1};
const std::vector<float> kScores = {0, 0.9f, 0.2f, 0, 0.8f, 0.95f, 0, 0.3f, 0.7f};
std::vector<float> Encodings() {
  return {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 5.0f * std::log(2.0f), 0};
}
const std::vector<float> kBox0 = {0, 0, 1, 1}, kBox1 = {0.1f, 0, 1.1f, 1},
                         kBox2 = {1.5f, 2, 3.5f, 3}, kZero = {0, 0, 0, 0};

struct DetResult {
  std::vector<float> boxes, classes, scores;
  float num = -1;
  std::vector<int32_t> boxes_shape;
};

Status RunFloat(const Opts& o, const std::vector<float>& enc, const std::vector<float>& scores,
                const std::vector<float>& anchors, int num_boxes, int ncwb, DetResult* r,
                const std::vector<uint8_t>* raw_options = nullptr) {
  SingleOpModel m;
  int e = m.Input(DataType::kFloat32, {1, num_boxes, 4});
  int c = m.Input(DataType::kFloat32, {1, num_boxes, ncwb});
  int a = m.Const<float>(DataType::kFloat32, {num_boxes, 4}, anchors);
  int ob = m.Output(DataType::kFloat32), oc = m.Output(DataType::kFloat32),
      os = m.Output(DataType::kFloat32), on = m.Output(DataType::kFloat32);
  m.builder().AddCustomOperator("TFLite_Detection_PostProcess", {e, c, a}, {ob, oc, os, on},
                                raw_options ? *raw_options : Flex(o));
  Status s = m.Build();
  if (!s.ok()) return s;
  m.Set<float>(e, enc);
  m.Set<float>(c, scores);
  s = m.Invoke();
  if (!s.ok()) return s;
  r->boxes = m.Get<float>(ob);
  r->classes = m.Get<float>(oc);
  r->scores = m.Get<float>(os);
  r->num = m.Get<float>(on)[0];
  r->boxes_shape = m.Shape(ob);
  return Status::Ok();
}

void ExpectBoxes(const std::vector<float>& got, const std::vector<std::vector<float>>& want) {
  ASSERT_EQ(got.size(), want.size() * 4);
  for (size_t i = 0; i < want.size(); ++i)
    for (int k = 0; k < 4; ++k)
      EXPECT_NEAR(got[i * 4 + k], want[i][k], 1e-6) << "row " << i << " coord " << k;
}

TEST(DetectionPostProcess, FastNmsHandDerived) {
  // Best class per box: box0 c0 .9, box1 c1 .95, box2 c1 .7. Order box1, box0,
  // box2; box1 suppresses box0 (IoU .818), box2 survives.
  DetResult r;
  ASSERT_TRUE(RunFloat(Opts{}, Encodings(), kScores, kAnchors, 3, 3, &r).ok());
  EXPECT_EQ(r.boxes_shape, (std::vector<int32_t>{1, 3, 4}));
  EXPECT_EQ(r.num, 2.0f);
  ExpectBoxes(r.boxes, {kBox1, kBox2, kZero});
  EXPECT_EQ(r.classes, (std::vector<float>{1, 1, 0}));
  EXPECT_EQ(r.scores, (std::vector<float>{0.95f, 0.7f, 0}));
}

TEST(DetectionPostProcess, FastNmsTwoClassesPerDetection) {
  // Same selection; each box is replicated for its two best classes:
  // box1 -> (c1 .95, c0 .8), box2 -> (c1 .7, c0 .3); rows 4,5 stay zero.
  Opts o;
  o.max_classes_per_detection = 2;
  DetResult r;
  ASSERT_TRUE(RunFloat(o, Encodings(), kScores, kAnchors, 3, 3, &r).ok());
  EXPECT_EQ(r.boxes_shape, (std::vector<int32_t>{1, 6, 4}));
  EXPECT_EQ(r.num, 2.0f);
  ExpectBoxes(r.boxes, {kBox1, kBox1, kBox2, kBox2, kZero, kZero});
  EXPECT_EQ(r.classes, (std::vector<float>{1, 0, 1, 0, 0, 0}));
  EXPECT_EQ(r.scores, (std::vector<float>{0.95f, 0.8f, 0.7f, 0.3f, 0, 0}));
}

TEST(DetectionPostProcess, RegularNmsHandDerived) {
  // Class 0: box0 .9, box1 .8 (>= .5) -> box0 kept, box1 suppressed.
  // Class 1: box1 .95, box2 .7 -> both kept (disjoint).
  // Merged by score: (box1,c1,.95), (box0,c0,.9), (box2,c1,.7).
  Opts o;
  o.use_regular_nms = true;
  DetResult r;
  ASSERT_TRUE(RunFloat(o, Encodings(), kScores, kAnchors, 3, 3, &r).ok());
  EXPECT_EQ(r.num, 3.0f);
  ExpectBoxes(r.boxes, {kBox1, kBox0, kBox2});
  EXPECT_EQ(r.classes, (std::vector<float>{1, 0, 1}));
  EXPECT_EQ(r.scores, (std::vector<float>{0.95f, 0.9f, 0.7f}));
  // detections_per_class = 1: class 1 keeps only box1; max_detections = 2
  // then drops the rest: (box1,c1,.95), (box0,c0,.9).
  o.detections_per_class = 1;
  o.max_detections = 2;
  ASSERT_TRUE(RunFloat(o, Encodings(), kScores, kAnchors, 3, 3, &r).ok());
  EXPECT_EQ(r.num, 2.0f);
  ExpectBoxes(r.boxes, {kBox1, kBox0});
  EXPECT_EQ(r.classes, (std::vector<float>{1, 0}));
}

TEST(DetectionPostProcess, TiesKeepLowerIndex) {
  // Three disjoint unit boxes (all encodings 0) with equal scores, no
  // background column (num_classes = 2 = width): fast NMS lists them by box
  // index; each box's best class is the lower class on a tie (c0).
  // Regular NMS: on equal scores across classes, class 0's entries come first.
  const std::vector<float> anchors = {0.5f, 0.5f, 1, 1, 2.5f, 2.5f, 1, 1, 4.5f, 4.5f, 1, 1};
  const std::vector<float> enc(12, 0.0f);
  const std::vector<float> scores = {0.6f, 0.6f, 0.6f, 0.6f, 0.6f, 0.6f};
  DetResult r;
  ASSERT_TRUE(RunFloat(Opts{}, enc, scores, anchors, 3, 2, &r).ok());
  EXPECT_EQ(r.num, 3.0f);
  ExpectBoxes(r.boxes, {{0, 0, 1, 1}, {2, 2, 3, 3}, {4, 4, 5, 5}});
  EXPECT_EQ(r.classes, (std::vector<float>{0, 0, 0}));
  Opts o;
  o.use_regular_nms = true;
  o.max_detections = 4;
  o.detections_per_class = 3;
  ASSERT_TRUE(RunFloat(o, enc, scores, anchors, 3, 2, &r).ok());
  EXPECT_EQ(r.num, 4.0f);
  EXPECT_EQ(r.classes, (std::vector<float>{0, 0, 0, 1}));
  ExpectBoxes(r.boxes, {{0, 0, 1, 1}, {2, 2, 3, 3}, {4, 4, 5, 5}, {0, 0, 1, 1}});
}

TEST(DetectionPostProcess, QuantizedInputs) {
  // uint8 inputs. Encodings scale .5 zp 128: box1 y = (130-128)*.5 = 1, others 0.
  // Scores scale .05 zp 10: q = 10 + s/.05. Anchors scale .5 zp 0.
  // Decoded: box0 [0,0,1,1], box1 [0.1,0,1.1,1], box2 [2,2,3,3]; same
  // selection as FastNmsHandDerived.
  SingleOpModel m;
  QuantSpec qe{{0.5f}, {128}}, qc{{0.05f}, {10}}, qa{{0.5f}, {0}};
  int e = m.Input(DataType::kUInt8, {1, 3, 4}, &qe);
  int c = m.Input(DataType::kUInt8, {1, 3, 3}, &qc);
  int a = m.Const<uint8_t>(DataType::kUInt8, {3, 4}, {1, 1, 2, 2, 1, 1, 2, 2, 5, 5, 2, 2}, &qa);
  int ob = m.Output(DataType::kFloat32), oc = m.Output(DataType::kFloat32),
      os = m.Output(DataType::kFloat32), on = m.Output(DataType::kFloat32);
  m.builder().AddCustomOperator("TFLite_Detection_PostProcess", {e, c, a}, {ob, oc, os, on},
                                Flex(Opts{}));
  ASSERT_TRUE(m.Build().ok());
  m.Set<uint8_t>(e, {128, 128, 128, 128, 130, 128, 128, 128, 128, 128, 128, 128});
  m.Set<uint8_t>(c, {10, 28, 14, 10, 26, 29, 10, 16, 24});
  ASSERT_TRUE(m.Invoke().ok());
  EXPECT_EQ(m.Get<float>(on)[0], 2.0f);
  ExpectBoxes(m.Get<float>(ob), {kBox1, {2, 2, 3, 3}, kZero});
  EXPECT_EQ(m.Get<float>(oc), (std::vector<float>{1, 1, 0}));
  EXPECT_EQ(m.Get<float>(os), (std::vector<float>{19 * 0.05f, 14 * 0.05f, 0}));
}

TEST(DetectionPostProcess, RandomDecodeAgainstFloat64) {
  // With nms_iou_threshold = 1 nothing is suppressed (IoU <= 1), so fast NMS
  // with max_detections = num_boxes returns every box with score >= -1, best
  // first; each decoded box is checked against a float64 decode.
  // Bound: the op rounds center and half-size to float, then adds: a few
  // float ulps of the coordinate magnitude, 1e-5 * (1 + |value|).
  std::mt19937 rng(testing::TestSeed());
  SCOPED_TRACE("seed " + std::to_string(testing::TestSeed()));
  for (int trial = 0; trial < 10; ++trial) {
    const int n = 1 + rng() % 30, classes = 1 + rng() % 5;
    const bool background = rng() % 2;
    const int ncwb = classes + (background ? 1 : 0);
    auto enc = testing::RandomFloats(rng, n * 4, -2, 2);
    auto anchors = testing::RandomFloats(rng, n * 4, 0.1f, 1.0f);
    auto scores = testing::RandomFloats(rng, n * ncwb, 0, 1);
    Opts o;
    o.max_detections = n;
    o.num_classes = classes;
    o.score_threshold = -1;
    o.iou_threshold = 1;
    DetResult r;
    ASSERT_TRUE(RunFloat(o, enc, scores, anchors, n, ncwb, &r).ok());
    ASSERT_EQ(r.num, static_cast<float>(n));
    std::vector<bool> seen(n, false);
    double prev = 2.0;
    for (int d = 0; d < n; ++d) {
      // Identify the box by its best class score (distinct with probability 1).
      int box = -1;
      for (int i = 0; i < n; ++i) {
        const float* row = &scores[i * ncwb + ncwb - classes];
        float best = row[0];
        int best_c = 0;
        for (int cc = 1; cc < classes; ++cc)
          if (row[cc] > best) best = row[cc], best_c = cc;
        if (best == r.scores[d] && best_c == r.classes[d] && !seen[i]) box = i;
      }
      ASSERT_GE(box, 0) << "detection " << d;
      seen[box] = true;
      EXPECT_LE(r.scores[d], prev);
      prev = r.scores[d];
      const double ay = anchors[box * 4], ax = anchors[box * 4 + 1], ah = anchors[box * 4 + 2],
                   aw = anchors[box * 4 + 3];
      const double yc = enc[box * 4] / 10.0 * ah + ay, xc = enc[box * 4 + 1] / 10.0 * aw + ax;
      const double hh = 0.5 * std::exp(enc[box * 4 + 2] / 5.0) * ah,
                   hw = 0.5 * std::exp(enc[box * 4 + 3] / 5.0) * aw;
      const double want[4] = {yc - hh, xc - hw, yc + hh, xc + hw};
      for (int k = 0; k < 4; ++k)
        EXPECT_NEAR(r.boxes[d * 4 + k], want[k], 1e-5 * (1 + std::fabs(want[k])));
    }
  }
}

TEST(DetectionPostProcess, MalformedOptionsFail) {
  DetResult r;
  const auto run_raw = [&](const std::vector<uint8_t>& raw) {
    return RunFloat(Opts{}, Encodings(), kScores, kAnchors, 3, 3, &r, &raw);
  };
  // Not a FlexBuffer at all.
  Status s = run_raw({0xff, 0xff, 0xff, 0x7f, 0x24, 0x01});
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.message();
  EXPECT_NE(s.message().find("TFLite_Detection_PostProcess"), std::string::npos) << s.message();
  // Empty.
  EXPECT_EQ(run_raw({}).code(), StatusCode::kInvalidModel);
  // A valid map, truncated from the front (offsets now point outside).
  std::vector<uint8_t> good = Flex(Opts{});
  std::vector<uint8_t> cut(good.begin() + good.size() / 2, good.end());
  EXPECT_EQ(run_raw(cut).code(), StatusCode::kInvalidModel);
  // Single-byte corruptions (32 positions spread over the buffer) must fail
  // cleanly or run: never crash.
  const size_t step = std::max<size_t>(1, good.size() / 32);
  for (size_t i = 0; i < good.size(); i += step) {
    std::vector<uint8_t> bad = good;
    bad[i] ^= 0xa5;
    (void)run_raw(bad);
  }
  // A FlexBuffer that is not a map.
  flexbuffers::Builder v;
  v.Vector([&]() { v.Int(1); });
  v.Finish();
  EXPECT_EQ(run_raw(v.GetBuffer()).code(), StatusCode::kInvalidModel);
  // A string where a number is expected.
  flexbuffers::Builder st;
  st.Map([&]() {
    st.String("max_detections", "ten");
    st.Int("num_classes", 2);
  });
  st.Finish();
  EXPECT_EQ(run_raw(st.GetBuffer()).code(), StatusCode::kInvalidModel);
  // Valid encoding, invalid values.
  const std::vector<std::function<void(Opts&)>> bad_values = {
      [](Opts& o) { o.num_classes = 0; },
      [](Opts& o) { o.max_detections = -1; },
      [](Opts& o) { o.max_classes_per_detection = 0; },
      [](Opts& o) { o.iou_threshold = 0; },
      [](Opts& o) { o.iou_threshold = 1.5f; },
      [](Opts& o) { o.h_scale = 0; },
      [](Opts& o) { o.use_regular_nms = true, o.detections_per_class = 0; },
      [](Opts& o) { o.num_classes = 5; },  // predictions have 3 columns
      [](Opts& o) { o.max_detections = 1 << 20, o.max_classes_per_detection = 1 << 12; },
  };
  for (size_t i = 0; i < bad_values.size(); ++i) {
    Opts o;
    bad_values[i](o);
    const auto raw = Flex(o);
    EXPECT_EQ(run_raw(raw).code(), StatusCode::kInvalidModel) << "case " << i;
  }
}

TEST(DetectionPostProcess, RejectsBadShapes) {
  DetResult r;
  // Anchors for 2 boxes while there are 3.
  SingleOpModel m;
  int e = m.Input(DataType::kFloat32, {1, 3, 4});
  int c = m.Input(DataType::kFloat32, {1, 3, 3});
  int a = m.Const<float>(DataType::kFloat32, {2, 4}, {0, 0, 1, 1, 0, 0, 1, 1});
  int ob = m.Output(DataType::kFloat32), oc = m.Output(DataType::kFloat32),
      os = m.Output(DataType::kFloat32), on = m.Output(DataType::kFloat32);
  m.builder().AddCustomOperator("TFLite_Detection_PostProcess", {e, c, a}, {ob, oc, os, on},
                                Flex(Opts{}));
  Status s = m.Build();
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.message();
  // Inverted anchors (negative height) decode to ymin > ymax: a runtime error.
  std::vector<float> anchors = kAnchors;
  anchors[2] = -1;
  s = RunFloat(Opts{}, Encodings(), kScores, anchors, 3, 3, &r);
  EXPECT_EQ(s.code(), StatusCode::kRuntimeError) << s.message();
}

}  // namespace
}  // namespace edgelite
