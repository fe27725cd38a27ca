"""The tutorial flows of TensorFlow Lite's Python docs, unchanged but for the
import, on models of ../shared/models; results against TensorFlow Lite's
outputs in ../shared/goldens."""

import numpy as np
import pytest
from conftest import Golden, assert_matches_golden, model_path, shared_path, skip_if_unsupported

import edgelite
import edgelite as tflite
from edgelite.interpreter import Interpreter


def run_snippet(path, input_data):
    """The issue's snippet, verbatim but for the import (one input)."""
    interpreter = Interpreter(model_path=path)
    interpreter.allocate_tensors()
    input_details = interpreter.get_input_details()
    output_details = interpreter.get_output_details()
    interpreter.set_tensor(input_details[0]['index'], input_data)
    interpreter.invoke()
    output_data = interpreter.get_tensor(output_details[0]['index'])
    return output_data


# Single-input models: float ones and integer-quantized ones (the latter skip
# while their kernels are missing; integer outputs must then be bit-exact).
SNIPPET_MODELS = [
    "tflm/hello_world/hello_world_float.tflite",
    "tflm/hello_world/hello_world_int8.tflite",
    "tflm/magic_wand/magic_wand.tflite",
    "tflm/mnist_lstm/trained_lstm.tflite",
    "tflm/mnist_lstm/trained_lstm_int8.tflite",
    "tflm/micro_speech/micro_speech_quantized.tflite",
    "mlperf_tiny/kws/kws_ref_model_float32.tflite",
    "mlperf_tiny/kws/kws_ref_model.tflite",
    "mlperf_tiny/vww/vww_96_float.tflite",
    "mlperf_tiny/vww/vww_96_int8.tflite",
    "mlperf_tiny/ic/pretrainedResnet.tflite",
    "mlperf_tiny/ic/pretrainedResnet_quant.tflite",
    "tflite_support/mobilenet_v1_0.25_224_1_default_1.tflite",
    "tflite_support/mobilenet_v1_0.25_224_quant.tflite",
    "coral/mobilenet_v1_0.25_128_quant.tflite",
    "litert/java_testdata/quantized.bin",
    "litert/java_testdata/uint8.bin",
    "litert/java_testdata/int32.bin",
    "litert/java_testdata/int64.bin",
    "litert/quantization_testdata/single_conv_weights_min_minus_127_max_plus_127.bin",
    "litert/tflite_testdata/unidirectional_sequence_lstm.bin",
]


@pytest.mark.parametrize("rel", SNIPPET_MODELS)
def test_snippet_matches_tflite(rel):
    golden = Golden(rel)
    try:
        out = run_snippet(model_path(rel), golden.input(0))
    except (ValueError, RuntimeError) as e:
        skip_if_unsupported(e)
    assert_matches_golden(out, golden.output(0))


def test_module_alias_style():
    """`import edgelite as tflite; tflite.Interpreter(...)` works too."""
    rel = "tflm/hello_world/hello_world_float.tflite"
    golden = Golden(rel)
    interpreter = tflite.Interpreter(model_path=model_path(rel))
    interpreter.allocate_tensors()
    interpreter.set_tensor(interpreter.get_input_details()[0]["index"], golden.input(0))
    interpreter.invoke()
    out = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
    assert_matches_golden(out, golden.output(0))
    assert edgelite.Interpreter is Interpreter
    assert isinstance(edgelite.__version__, str) and edgelite.__version__.count(".") == 2


def load_labels(filename):
    with open(filename, "r") as f:
        return [line.strip() for line in f.readlines()]


def label_image(model_file, image_file, label_file, input_mean=127.5, input_std=127.5):
    """TensorFlow Lite's label_image.py tutorial, unchanged but for the import:
    Pillow load + resize, float models normalised, top-5 printed."""
    from PIL import Image

    interpreter = Interpreter(model_path=model_file, num_threads=None)
    interpreter.allocate_tensors()
    input_details = interpreter.get_input_details()
    output_details = interpreter.get_output_details()
    floating_model = input_details[0]['dtype'] == np.float32
    height = input_details[0]['shape'][1]
    width = input_details[0]['shape'][2]
    img = Image.open(image_file).convert('RGB').resize((width, height))
    input_data = np.expand_dims(img, axis=0)
    if floating_model:
        input_data = (np.float32(input_data) - input_mean) / input_std
    interpreter.set_tensor(input_details[0]['index'], input_data)
    interpreter.invoke()
    output_data = interpreter.get_tensor(output_details[0]['index'])
    results = np.squeeze(output_data)
    top_k = results.argsort()[-5:][::-1]
    labels = load_labels(label_file)
    lines = []
    for i in top_k:
        if floating_model:
            lines.append('{:08.6f}: {}'.format(float(results[i]), labels[i]))
        else:
            lines.append('{:08.6f}: {}'.format(float(results[i] / 255.0), labels[i]))
    print("\n".join(lines))
    return results, [labels[i] for i in top_k]


@pytest.mark.parametrize("rel,labels", [
    ("tflite_support/mobilenet_v1_0.25_224_1_default_1.tflite", "labels_imagenet_1001.txt"),
    ("tflite_support/mobilenet_v1_0.25_224_quant.tflite", "labels_imagenet_1001.txt"),
])
def test_label_image_tutorial(rel, labels):
    """Grace Hopper in uniform: the tutorial's classic answer. The image has no
    TFLite golden, so the expectation is the known content of the photo
    (a suit / military uniform / tie); the same model on TFLite's own input
    is checked bit-for-bit (or within the float bound) by
    test_snippet_matches_tflite."""
    image = shared_path("images", "grace_hopper.jpg")
    label_file = shared_path("labels", labels)
    try:
        results, top5 = label_image(model_path(rel), str(image), str(label_file))
    except (ValueError, RuntimeError) as e:
        skip_if_unsupported(e)
    assert top5[0] in ("suit", "military uniform"), top5
    assert {"suit", "military uniform"} <= set(top5), top5
    if results.dtype == np.float32:
        assert abs(float(results.sum()) - 1.0) < 1e-4  # a softmax


MULTI_INPUT_MODELS = [
    "nnstreamer/sample_4x4x4x4x4_two_input_one_output.tflite",
    "litert/java_testdata/add.bin",
    "litert/tflite_testdata/multi_add.bin",
    "litert/tflite_testdata/reverse_signature_model.bin",
    "litert/tflite_testdata/dynamic_shapes.bin",
]


@pytest.mark.parametrize("rel", MULTI_INPUT_MODELS)
def test_several_inputs_and_outputs(rel):
    """The tutorial flow generalised to every input and output, with inputs
    resized to the golden's shapes where the model's are dynamic."""
    golden = Golden(rel)
    interpreter = Interpreter(model_path=model_path(rel))
    input_details = interpreter.get_input_details()
    assert len(input_details) == len(golden.meta["inputs"])
    for k, detail in enumerate(input_details):
        if list(detail["shape"]) != golden.meta["inputs"][k]["shape"]:
            interpreter.resize_tensor_input(detail["index"], golden.meta["inputs"][k]["shape"])
    interpreter.allocate_tensors()
    for k, detail in enumerate(interpreter.get_input_details()):
        interpreter.set_tensor(detail["index"], golden.input(k))
    interpreter.invoke()
    output_details = interpreter.get_output_details()
    assert len(output_details) == len(golden.meta["outputs"])
    for k, detail in enumerate(output_details):
        assert_matches_golden(interpreter.get_tensor(detail["index"]), golden.output(k))
