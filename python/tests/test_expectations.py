"""Published expected results of the models in ../shared/models.

Each test checks one row of ../shared/MANIFEST.tsv (column `expected`) as
../shared/DATA.md describes it: the criterion is the one the model's authors
assert in their own tests (libcoral, tflite-support, TFLite Micro, ...), with
their preprocessing. These are independent of TensorFlow Lite's goldens: they
are what the model is meant to compute on real data. Every test prints the
measured figure (score, IoU, box error, ...) so that `pytest -s` shows how much
margin there is.
"""

import re
import wave

import numpy as np
import pytest
from conftest import model_path, shared_path, skip_if_unsupported

from edgelite.interpreter import Interpreter

PIL = pytest.importorskip("PIL.Image")


# ---- helpers ---------------------------------------------------------------

def make_interpreter(rel):
    """Loads and allocates a corpus model; skips if edgelite reports it
    unsupported (the reason is the runtime's message)."""
    try:
        it = Interpreter(model_path=model_path(rel))
        it.allocate_tensors()
    except (ValueError, RuntimeError) as e:
        skip_if_unsupported(e)
    return it


def run(it, *inputs):
    """Sets the inputs (in order), invokes, returns all outputs."""
    for d, x in zip(it.get_input_details(), inputs):
        it.set_tensor(d["index"], np.asarray(x, dtype=d["dtype"]).reshape(d["shape"]))
    try:
        it.invoke()
    except (ValueError, RuntimeError) as e:
        skip_if_unsupported(e)
    return [it.get_tensor(d["index"]) for d in it.get_output_details()]


def dequantize(it, k, q):
    """Output k of `it` as real numbers (identity for float outputs)."""
    d = it.get_output_details()[k]
    scale, zero_point = d["quantization"]
    if q.dtype.kind == "f" or scale == 0:
        return q.astype(np.float64)
    return (q.astype(np.float64) - zero_point) * scale


def quantize_input(it, k, x):
    """Real input -> the input tensor's integer type (TFLite's rounding)."""
    d = it.get_input_details()[k]
    scale, zero_point = d["quantization"]
    info = np.iinfo(d["dtype"])
    q = np.round(np.asarray(x, np.float64) / scale) + zero_point
    return np.clip(q, info.min, info.max).astype(d["dtype"])


def load_rgb(*parts):
    return np.asarray(PIL.open(shared_path(*parts)).convert("RGB"))


def tflite_resize_bilinear(img, out_h, out_w):
    """TFLite's RESIZE_BILINEAR (align_corners=False, half_pixel_centers=False)
    of a whole HxWxC uint8 image, rounded back to uint8: the resize the coral
    tests use (DATA.md: an antialiased resize misses two thresholds)."""
    in_h, in_w = img.shape[:2]
    src = img.astype(np.float64)
    ys = np.arange(out_h) * (in_h / out_h)
    xs = np.arange(out_w) * (in_w / out_w)
    y0 = np.floor(ys).astype(int)
    x0 = np.floor(xs).astype(int)
    y1 = np.minimum(y0 + 1, in_h - 1)
    x1 = np.minimum(x0 + 1, in_w - 1)
    dy = (ys - y0)[:, None, None]
    dx = (xs - x0)[None, :, None]
    top = src[y0][:, x0] * (1 - dx) + src[y0][:, x1] * dx
    bottom = src[y1][:, x0] * (1 - dx) + src[y1][:, x1] * dx
    out = top * (1 - dy) + bottom * dy
    return np.clip(np.floor(out + 0.5), 0, 255).astype(np.uint8)


def half_pixel_resize_bilinear(img, out_h, out_w):
    """Bilinear resize sampling at pixel centers (half_pixel_centers=True), as
    libyuv's bilinear scaler does in tflite-support's task library; rounded to
    uint8. The task-library expectations (burger, cats_and_dogs) hold with it
    and not all with TFLite's corner-aligned resize."""
    in_h, in_w = img.shape[:2]
    src = img.astype(np.float64)
    ys = np.clip((np.arange(out_h) + 0.5) * (in_h / out_h) - 0.5, 0, None)
    xs = np.clip((np.arange(out_w) + 0.5) * (in_w / out_w) - 0.5, 0, None)
    y0 = np.floor(ys).astype(int)
    x0 = np.floor(xs).astype(int)
    y1 = np.minimum(y0 + 1, in_h - 1)
    x1 = np.minimum(x0 + 1, in_w - 1)
    dy = (ys - y0)[:, None, None]
    dx = (xs - x0)[None, :, None]
    top = src[y0][:, x0] * (1 - dx) + src[y0][:, x1] * dx
    bottom = src[y1][:, x0] * (1 - dx) + src[y1][:, x1] * dx
    out = top * (1 - dy) + bottom * dy
    return np.clip(np.floor(out + 0.5), 0, 255).astype(np.uint8)


def image_input(it, img, resize=tflite_resize_bilinear):
    """Resizes an RGB image to the model's input size."""
    _, h, w, _ = it.get_input_details()[0]["shape"]
    if img.shape[:2] != (h, w):
        img = resize(img, h, w)
    return img[None]


def read_labels(*parts):
    return shared_path(*parts).read_text().splitlines()


# ---- hello_world ---------------------------------------------------------------

def test_hello_world_float():
    it = make_interpreter("tflm/hello_world/hello_world_float.tflite")
    errs = []
    for x in (0.0, 1.0, 3.0, 5.0):
        y = float(run(it, [[x]])[0].reshape(-1)[0])
        errs.append(abs(np.sin(x) - y))
    print(f"hello_world float: max |sin(x)-y| = {max(errs):.4f} (bound 0.05)")
    assert max(errs) <= 0.05


def test_hello_world_int8():
    it = make_interpreter("tflm/hello_world/hello_world_int8.tflite")
    scale, zp = it.get_input_details()[0]["quantization"]
    errs = []
    for q in (-96, -63, -34, 0):
        x = (q - zp) * scale
        y = float(dequantize(it, 0, run(it, [[q]])[0]).reshape(-1)[0])
        errs.append(abs(np.sin(x) - y))
    print(f"hello_world int8: max |sin(x)-y| = {max(errs):.4f} (bound 0.05)")
    assert max(errs) <= 0.05


# ---- coral classification (libcoral model_test_cases.bzl, CPU models) -------

CORAL_CLASSIFICATION = [
    # model, image, labels file, expected label, k, score threshold
    ("coral/mobilenet_v1_0.25_128_quant.tflite", "cat.bmp", "coral_imagenet_labels.txt", 283, 3, 0.25),
    ("coral/mobilenet_v1_0.5_160_quant.tflite", "cat.bmp", "coral_imagenet_labels.txt", 286, 3, 0.51),
    ("coral/mobilenet_v1_0.75_192_quant.tflite", "cat.bmp", "coral_imagenet_labels.txt", 283, 3, 0.35),
    ("coral/mobilenet_v2_1.0_224_quant.tflite", "cat.bmp", "coral_imagenet_labels.txt", 286, 3, 0.7),
    ("coral/tf2_mobilenet_v2_1.0_224_ptq.tflite", "cat.bmp", "coral_imagenet_labels.txt", 286, 3, 0.6),
    ("coral/mobilenet_v2_1.0_224_inat_bird_quant.tflite", "bird.bmp", "coral_inat_bird_labels.txt", 659, 1, 0.5),
]


@pytest.mark.parametrize("rel,image,labels,label,k,threshold", CORAL_CLASSIFICATION,
                         ids=[c[0].split("/")[-1] for c in CORAL_CLASSIFICATION])
def test_coral_classification(rel, image, labels, label, k, threshold):
    """Label in the top-k with score > threshold; the raw resized pixels go
    into the uint8 input (the models' quantization does the normalization)."""
    it = make_interpreter(rel)
    img = load_rgb("images", "coral", image)
    scores = dequantize(it, 0, run(it, image_input(it, img))[0]).reshape(-1)
    top = np.argsort(-scores, kind="stable")[:k]
    names = read_labels("labels", labels)
    print(f"{rel}: label {label} ({names[label] if label < len(names) else '?'}) "
          f"score {scores[label]:.4f} (threshold {threshold}), rank "
          f"{int(np.sum(scores > scores[label])) + 1}; top-{k} {top.tolist()}")
    assert label in top
    assert scores[label] > threshold


def test_coral_chained_mobilenet_v1_grace_hopper():
    """Embedding extractor + head layers = MobileNet v1 1.0 224 quant;
    grace_hopper -> 653 "military uniform" (DATA.md)."""
    ext = make_interpreter("coral/mobilenet_v1_1.0_224_quant_embedding_extractor.tflite")
    head = make_interpreter("coral/mobilenet_quant_v1_224_head_layers.tflite")
    # The head's input quantization must be the extractor's output's, so the
    # bytes chain without requantization.
    assert ext.get_output_details()[0]["quantization"] == \
        pytest.approx(head.get_input_details()[0]["quantization"])
    img = load_rgb("images", "coral", "grace_hopper.bmp")
    emb = run(ext, image_input(ext, img))[0]
    scores = dequantize(head, 0, run(head, emb)[0]).reshape(-1)
    top = int(np.argmax(scores))
    print(f"chained mobilenet v1 1.0 224 quant on grace_hopper: top-1 {top} score "
          f"{scores[top]:.4f}; 653 score {scores[653]:.4f}")
    assert top == 653


def test_coral_chained_mobilenet_v1_orange():
    """nnstreamer's MobileNet v1 quant test: orange_rgb_224x224.raw -> "orange"
    (951 of 1001 labels). The chained coral model is that network."""
    ext = make_interpreter("coral/mobilenet_v1_1.0_224_quant_embedding_extractor.tflite")
    head = make_interpreter("coral/mobilenet_quant_v1_224_head_layers.tflite")
    raw = np.fromfile(shared_path("models", "nnstreamer", "testdata", "orange_rgb_224x224.raw"),
                      dtype=np.uint8)
    emb = run(ext, raw)[0]
    scores = dequantize(head, 0, run(head, emb)[0]).reshape(-1)
    top = int(np.argmax(scores))
    print(f"chained mobilenet v1 on orange: top-1 {top} score {scores[top]:.4f}")
    assert top == 951


def test_tflite_support_burger():
    """image_classifier_test.cc SucceedsWithQuantizedModel: burger.jpg -> 934
    cheeseburger, score 0.96 +- 0.01. The task library resizes with libyuv
    (pixel-center bilinear); TFLite's corner-aligned resize gives 0.9727."""
    it = make_interpreter("tflite_support/mobilenet_v1_0.25_224_quant.tflite")
    img = load_rgb("models", "tflite_support", "testdata", "burger.jpg")
    x = image_input(it, img, half_pixel_resize_bilinear)
    scores = dequantize(it, 0, run(it, x)[0]).reshape(-1)
    top = int(np.argmax(scores))
    print(f"burger: top-1 {top} score {scores[top]:.4f} (expected 934, 0.96 +- 0.01)")
    assert top == 934
    assert abs(scores[934] - 0.96) <= 0.01


# ---- TFLite Micro examples -----------------------------------------------------

@pytest.mark.parametrize("image,expected", [("person", 1), ("no_person", 0)])
def test_person_detection(image, expected):
    """person_detection_test.cc: index 1 = person, 0 = no person; the raw
    pixel bytes are copied as-is into the int8 input, as the TFLM test does.
    (TFLite itself rejects this model: its bias quantized_dimension.)"""
    it = make_interpreter("tflm/person_detection/person_detect.tflite")
    raw = np.fromfile(shared_path("models", "tflm", "person_detection", "testdata",
                                  f"{image}_int8_96x96.raw"), dtype=np.int8)
    out = run(it, raw)[0].reshape(-1)
    print(f"person_detect on {image}: no_person {out[0]}, person {out[1]}")
    assert out[expected] > out[1 - expected]


MICRO_SPEECH_LABELS = ["silence", "unknown", "yes", "no"]


@pytest.mark.parametrize("word", ["yes", "no"])
def test_micro_speech_spectrogram(word):
    """The older micro_speech_test.cc: the precomputed int8 49x40 features of
    yes / no must give that word as top class."""
    it = make_interpreter("tflm/micro_speech/micro_speech_quantized.tflite")
    feats = np.fromfile(shared_path("models", "tflm", "micro_speech", "testdata",
                                    f"{word}_micro_features_int8_49x40.bin"), dtype=np.int8)
    out = run(it, feats)[0].reshape(-1)
    top = MICRO_SPEECH_LABELS[int(np.argmax(out))]
    print(f"micro_speech on {word} features: scores {out.tolist()} -> {top}")
    assert top == word


def read_wav_int16(*parts):
    with wave.open(str(shared_path(*parts)), "rb") as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")


@pytest.mark.parametrize("word", ["yes", "no"])
def test_micro_speech_audio_preprocessor_exact(word):
    """micro_speech_test.cc NoFeatureTest/YesFeatureTest: the audio front end
    graph (Signal* custom ops) on a 30 ms clip gives these exact features."""
    it = make_interpreter("tflm/micro_speech/audio_preprocessor_int8.tflite")
    audio = read_wav_int16("models", "tflm", "micro_speech", "testdata", f"{word}_30ms.wav")
    out = run(it, audio[:480])[0].reshape(-1)
    expected = np.fromfile(shared_path("models", "tflm", "micro_speech", "testdata",
                                       f"{word}_30ms_expected_features_int8x40.bin"), np.int8)
    print(f"audio preprocessor {word}: {int(np.sum(out != expected))} of 40 features differ")
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("clip,expected", [("yes", "yes"), ("no", "no"),
                                           ("silence", "silence"), ("noise", "silence")])
def test_micro_speech_end_to_end(clip, expected):
    """micro_speech_test.cc: front end over a 1000 ms clip (49 frames of 30 ms,
    stride 20 ms) -> keyword model -> yes/no/silence/silence."""
    pre = make_interpreter("tflm/micro_speech/audio_preprocessor_int8.tflite")
    kws = make_interpreter("tflm/micro_speech/micro_speech_quantized.tflite")
    audio = read_wav_int16("models", "tflm", "micro_speech", "testdata", f"{clip}_1000ms.wav")
    frames = [run(pre, audio[i * 320:i * 320 + 480])[0].reshape(-1) for i in range(49)]
    out = run(kws, np.concatenate(frames))[0].reshape(-1)
    top = MICRO_SPEECH_LABELS[int(np.argmax(out))]
    print(f"micro_speech {clip}_1000ms: scores {out.tolist()} -> {top}")
    assert top == expected


@pytest.mark.parametrize("gesture,index", [("ring", 1), ("slope", 2)])
def test_magic_wand(gesture, index):
    """magic_wand_test.cc: outputs [wing, ring, slope, negative]; the ring /
    slope recordings score highest on their gesture."""
    it = make_interpreter("tflm/magic_wand/magic_wand.tflite")
    x = np.fromfile(shared_path("models", "tflm", "magic_wand", "testdata",
                                f"{gesture}_f32_128x3.bin"), dtype="<f4")
    out = run(it, x)[0].reshape(-1)
    print(f"magic_wand {gesture}: {np.round(out, 4).tolist()}")
    assert int(np.argmax(out)) == index


MNIST_LSTM = ["tflm/mnist_lstm/trained_lstm.tflite", "tflm/mnist_lstm/trained_lstm_int8.tflite"]


@pytest.mark.parametrize("rel", MNIST_LSTM, ids=["float", "int8"])
def test_mnist_lstm_samples(rel):
    """evaluate_test.py: samples/sampleN.png -> N for both models; pixels
    /255 (the int8 model quantizes them with its input scale/zero point)."""
    it = make_interpreter(rel)
    is_int = it.get_input_details()[0]["dtype"] != np.float32
    got = []
    for n in range(10):
        # The LSTM state is a variable tensor that persists across invokes,
        # in TFLite as here (checked with the TFLite oracle: without a reset
        # sample9 after sample8 is read as 3): every digit starts from zero.
        it.reset_all_variables()
        img = np.asarray(PIL.open(shared_path("models", "tflm", "mnist_lstm", "samples",
                                              f"sample{n}.png")).convert("L"), np.float64) / 255.0
        x = quantize_input(it, 0, img) if is_int else img.astype(np.float32)
        got.append(int(np.argmax(run(it, x)[0].reshape(-1))))
    print(f"{rel}: predictions {got} for samples 0..9")
    assert got == list(range(10))


# ---- detection -----------------------------------------------------------------

SSD = "tflite_support/coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite"
BOX_TOLERANCE_PX = 8  # published: 3 px, see test_ssd_cats_and_dogs


def ssd_detect(img, resize=tflite_resize_bilinear):
    it = make_interpreter(SSD)
    boxes, classes, scores, count = run(it, image_input(it, img, resize))
    n = int(count.reshape(-1)[0])
    return boxes.reshape(-1, 4)[:n], classes.reshape(-1)[:n].astype(int), scores.reshape(-1)[:n]


def test_ssd_cats_and_dogs():
    """object_detector_test.cc (tflite-support): the 4 best detections on
    cats_and_dogs.jpg: classes and order exact, scores within 0.05 (the test's
    score_precision). Boxes: MANIFEST says 3 pixels, with the task library's
    own JPEG decoder and libyuv resize. Our decoder (Pillow) and resize are
    close but not identical, and this SSD moves a box edge by up to ~7 px for
    1-LSB changes (the TFLite WebAssembly oracle, on our exact input, puts the
    second cat's top edge at 161 where TFLite's reference kernels and edgelite
    put it at 154): the bound asserted here is BOX_TOLERANCE_PX."""
    img = load_rgb("models", "tflite_support", "testdata", "cats_and_dogs.jpg")
    h, w = img.shape[:2]
    boxes, classes, scores = ssd_detect(img, half_pixel_resize_bilinear)
    names = read_labels("labels", "coral_coco_labels.txt")
    expected = [  # class, (x, y, width, height), score
        ("cat", (54, 396, 393, 196), 0.64), ("cat", (602, 157, 394, 447), 0.61),
        ("cat", (260, 394, 180, 209), 0.56), ("dog", (389, 197, 278, 409), 0.5)]
    worst_px, worst_score = 0.0, 0.0
    for k, (name, box, score) in enumerate(expected):
        ymin, xmin, ymax, xmax = boxes[k]
        # The task library's pixel box: corners rounded to pixels.
        left, top = round(xmin * w), round(ymin * h)
        got = (left, top, round(xmax * w) - left, round(ymax * h) - top)
        err = max(abs(a - b) for a, b in zip(got, box))
        print(f"detection {k}: {names[classes[k]]} {got} score {scores[k]:.4f}; expected "
              f"{name} {box} {score}: max box error {err}px")
        assert names[classes[k]] == name
        assert err <= BOX_TOLERANCE_PX
        assert abs(scores[k] - score) <= 0.05
        worst_px, worst_score = max(worst_px, err), max(worst_score, abs(scores[k] - score))
    print(f"SSD cats_and_dogs: max box error {worst_px}px, max score error {worst_score:.4f}")


def box_iou(a, b):
    """IoU of two [ymin, xmin, ymax, xmax] boxes."""
    ih = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iw = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ih * iw
    area = lambda r: (r[2] - r[0]) * (r[3] - r[1])
    return inter / (area(a) + area(b) - inter)


def test_ssd_coral_cat():
    """libcoral TestCatMsCocoDetection: cat.bmp -> best detection label 16
    (cat), box ~ (ymin 0.1, xmin 0.1, ymax 1.0, xmax 0.7), IoU > 0.8 as
    libcoral asserts. libcoral's score bound (> 0.79) is for its own file
    ssd_mobilenet_v1_coco_quant_postprocess.tflite, not this one: on this
    model TFLite (WebAssembly oracle, same input) scores 0.7305, so only
    the label, box and a positive score are asserted."""
    boxes, classes, scores = ssd_detect(load_rgb("images", "coral", "cat.bmp"))
    iou = box_iou(boxes[0], (0.1, 0.1, 1.0, 0.7))
    print(f"SSD cat.bmp: label {classes[0]} score {scores[0]:.4f} box "
          f"{np.round(boxes[0], 3).tolist()} IoU {iou:.4f}")
    assert classes[0] == 16
    assert scores[0] > 0.5
    assert iou > 0.8


# ---- segmentation --------------------------------------------------------------

def test_coral_deeplab_bird():
    """libcoral segmentation test: bird_segmentation.bmp -> argmax mask; IoU
    with bird_segmentation_mask.bmp > 0.9, libcoral's definition: equal pixels
    / (2 N - equal pixels)."""
    it = make_interpreter("coral/deeplabv3_mnv2_dm05_pascal_quant.tflite")
    img = load_rgb("images", "coral", "bird_segmentation.bmp")
    mask = run(it, image_input(it, img))[0].reshape(img.shape[:2])
    truth = np.asarray(PIL.open(shared_path("images", "coral", "bird_segmentation_mask.bmp")))
    equal = int(np.sum(mask == truth))
    iou = equal / (2 * mask.size - equal)
    print(f"DeepLab 513 bird: IoU {iou:.4f} (threshold 0.9), classes {np.unique(mask).tolist()}")
    assert iou > 0.9


def test_tflite_support_deeplab_category_mask():
    """image_segmenter_test.cc: segmentation_input_rotation0.jpg -> category
    mask == segmentation_golden_rotation0.png / 10, at most 1% of pixels
    differing. Input normalized (x - 127.5) / 127.5 (the model's metadata)."""
    it = make_interpreter("tflite_support/deeplabv3.tflite")
    img = load_rgb("models", "tflite_support", "testdata", "segmentation_input_rotation0.jpg")
    x = (image_input(it, img).astype(np.float32) - 127.5) / 127.5
    logits = run(it, x)[0][0]
    mask = np.argmax(logits, axis=-1)
    golden = np.asarray(PIL.open(shared_path("models", "tflite_support", "testdata",
                                             "segmentation_golden_rotation0.png"))) // 10
    differ = float(np.mean(mask != golden))
    print(f"DeepLab 257 category mask: {differ * 100:.3f}% pixels differ (bound 1%)")
    assert differ <= 0.01


# ---- other checkable rows ------------------------------------------------------

def test_posenet_reference_poses():
    """libcoral posenet_test.cc: poses vs the reference CSV. The graph ends in
    coral's custom PosenetDecoderOp, which only coral's runtime defines."""
    make_interpreter("coral/posenet/posenet_mobilenet_v1_075_353_481_16_quant_decoder.tflite")
    # Reached only once the op exists: then this test must be written out.
    pytest.fail("PosenetDecoderOp is supported now: compare the poses with the reference CSV")


def test_coral_model_invoking_error():
    """libcoral: this model's Invoke() must fail. edgelite refuses it earlier
    (its custom op is unknown), which is also an error, never a crash."""
    with pytest.raises((ValueError, RuntimeError)) as e:
        it = Interpreter(model_path=model_path("coral/invalid_models/model_invoking_error.tflite"))
        it.allocate_tensors()
        it.invoke()
    print(f"model_invoking_error: {str(e.value).splitlines()[0][:120]}")


def test_nnstreamer_add():
    """nnstreamer tests: the model adds 2.0."""
    it = make_interpreter("nnstreamer/add.tflite")
    x = np.array([0.5, -3.25, 1e3], np.float32)
    got = np.array([run(it, [v])[0].reshape(-1)[0] for v in x])
    print(f"nnstreamer add: {got.tolist()}")
    np.testing.assert_array_equal(got, x + 2.0)


def test_litert_java_add():
    """LiteRT Java tests: add.bin computes in + in + in."""
    it = make_interpreter("litert/java_testdata/add.bin")
    x = np.linspace(-2, 2, 192, dtype=np.float32).reshape(1, 8, 8, 3)
    out = run(it, x)[0]
    print(f"java add.bin: max |out - 3x| = {float(np.max(np.abs(out - 3 * x)))}")
    np.testing.assert_allclose(out, x + x + x, rtol=0, atol=1e-6)


@pytest.mark.parametrize("text,negative,positive", [
    ("This is the best movie I\u2019ve seen in recent years. Strongly recommend it!",
     0.486573, 0.513427),
    ("What a waste of my time.", 0.813130, 0.186870),
])
def test_nl_classifier_regex_tokenizer(text, negative, positive):
    """tflite-support nl_classifier_test.py: [Negative, Positive] scores to 6
    decimals. Tokenizer as the model's metadata says: split on the regex
    [^\\w']+ (RE2, so ASCII \\w: the curly apostrophe splits), no lowercasing,
    <START> first, unknown words <UNKNOWN>, padded with <PAD> to 256."""
    vocab = {}
    for line in shared_path("models", "tflite_support", "testdata",
                            "vocab_for_regex_tokenizer.txt").read_text(encoding="utf-8").split("\n"):
        if not line:
            continue
        word, index = line.rsplit(" ", 1)  # split("\n"): words may hold U+2028
        vocab[word] = int(index)
    it = make_interpreter("tflite_support/test_model_nl_classifier_with_regex_tokenizer.tflite")
    tokens = [t for t in re.split(r"[^\w']+", text, flags=re.ASCII) if t]
    ids = [vocab["<START>"]] + [vocab.get(t, vocab["<UNKNOWN>"]) for t in tokens]
    length = int(it.get_input_details()[0]["shape"][1])
    ids = (ids + [vocab["<PAD>"]] * length)[:length]
    out = run(it, np.array([ids], np.int32))[0].reshape(-1)
    err = max(abs(out[0] - negative), abs(out[1] - positive))
    print(f"nl_classifier {text[:30]!r}: {out.tolist()}, max error {err:.2e}")
    assert err <= 1e-5
