"""edgelite.TFLiteConverter: post-training quantization with TensorFlow Lite's
converter API (optimizations, target_spec.supported_types, representative_dataset,
inference_input_type / inference_output_type).

Expected answers come from outside the quantizer: the demo model's known answer
(class 7 "seven", computed in double precision by `make-demo`, see README), the
CIFAR-10 labels, the float model's own accuracy and TensorFlow Lite's int8 twin
of ResNet-8 (mlperf_tiny/ic/pretrainedResnet_quant.tflite) on the same images,
and the TFLite WebAssembly oracle running our quantized file (skipped, with a
message, when the oracle is not installed).
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import SHARED, model_path, shared_path

import edgelite
from edgelite.interpreter import Interpreter

BENCH = Path(__file__).resolve().parents[2] / "bench" / "accuracy.py"
ORACLES = Path(os.environ.get("EDGELITE_ORACLES", Path.home() / ".cache" / "edgelite-oracles"))
# CIFAR-10 images for the accuracy comparison (spread evenly over the 10,000;
# bench/accuracy.py runs the full set by hand).
LIMIT = 2000


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    cli = os.environ.get("EDGELITE_CLI")
    if not cli:
        pytest.skip("EDGELITE_CLI not set (ctest sets it to the edgelite binary)")
    d = tmp_path_factory.mktemp("demo")
    subprocess.run([cli, "make-demo", str(d / "demo.tflite")], check=True, capture_output=True)
    return d


def demo_image(d):
    """The demo's sample image as the model's float input (pixels 0..255):
    a 12x12 grayscale BMP, read with PIL."""
    from PIL import Image
    img = np.asarray(Image.open(d / "demo_input.bmp").convert("L"), np.float32)
    return img.reshape(1, 12, 12, 1)


def tensor_types(model_bytes):
    it = Interpreter(model_content=model_bytes)
    return {t["name"]: np.dtype(t["dtype"]) for t in it.get_tensor_details()}


def run(model_bytes, x):
    it = Interpreter(model_content=model_bytes)
    it.allocate_tensors()
    inp, out = it.get_input_details()[0], it.get_output_details()[0]
    if np.dtype(inp["dtype"]).kind in "iu":
        scale, zp = inp["quantization"]
        info = np.iinfo(inp["dtype"])
        x = np.clip(np.round(x / scale) + zp, info.min, info.max).astype(inp["dtype"])
    it.set_tensor(inp["index"], x)
    it.invoke()
    y = it.get_tensor(out["index"])
    if np.dtype(out["dtype"]).kind in "iu":
        scale, zp = out["quantization"]
        y = (y.astype(np.float64) - zp) * scale
    return y


def test_exports_like_tf_lite():
    assert edgelite.Optimize.DEFAULT is not None
    assert edgelite.float16 is np.float16 and edgelite.int8 is np.int8
    assert issubclass(edgelite.QuantizerError, ValueError)


def test_no_optimizations_returns_the_float_model(demo):
    raw = (demo / "demo.tflite").read_bytes()
    c = edgelite.TFLiteConverter.from_tflite(str(demo / "demo.tflite"))
    assert c.convert() == raw


@pytest.mark.parametrize("io", [np.float32, np.int8, np.uint8, edgelite.int8])
def test_full_integer_answers_seven(demo, io):
    x = demo_image(demo)
    c = edgelite.TFLiteConverter.from_tflite(str(demo / "demo.tflite"))
    c.optimizations = [edgelite.Optimize.DEFAULT]

    def representative_dataset():
        yield [x]
        yield [np.zeros_like(x)]

    c.representative_dataset = representative_dataset
    c.inference_input_type = io
    c.inference_output_type = io
    q = c.convert()
    it = Interpreter(model_content=q)
    assert np.dtype(it.get_input_details()[0]["dtype"]) == np.dtype(io)
    assert np.dtype(it.get_output_details()[0]["dtype"]) == np.dtype(io)
    assert np.dtype(np.int8) in set(tensor_types(q).values())
    y = run(q, x).reshape(-1)
    # make-demo's answer: class 7 with probability 0.851663 (softmax output step 1/256).
    assert int(np.argmax(y)) == 7
    assert abs(y[7] - 0.851663) < 2 / 256
    assert c.report["mode"] == "int8" and c.report["calibration_samples"] == 2
    assert c.report["tensors"], "the report lists per-tensor errors"


def test_float16_selected_by_supported_types(demo):
    x = demo_image(demo)
    c = edgelite.TFLiteConverter.from_tflite(str(demo / "demo.tflite"))
    c.optimizations = [edgelite.Optimize.DEFAULT]
    c.target_spec.supported_types = [edgelite.float16]
    q = c.convert()
    assert np.dtype(np.float16) in set(tensor_types(q).values())
    y = run(q, x).reshape(-1)
    assert int(np.argmax(y)) == 7 and abs(y[7] - 0.851663) < 1e-3
    assert c.report["mode"] == "float16"


def test_int16x8_selected_by_supported_ops(demo):
    x = demo_image(demo)
    c = edgelite.TFLiteConverter.from_tflite(str(demo / "demo.tflite"))
    c.optimizations = [edgelite.Optimize.DEFAULT]
    c.target_spec.supported_ops = {
        edgelite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8}
    c.representative_dataset = lambda: iter([[x]])
    q = c.convert()
    assert np.dtype(np.int16) in set(tensor_types(q).values())
    y = run(q, x).reshape(-1)
    assert int(np.argmax(y)) == 7 and abs(y[7] - 0.851663) < 1e-3


def test_errors(demo):
    x = demo_image(demo)
    c = edgelite.TFLiteConverter.from_tflite(str(demo / "demo.tflite"))
    c.inference_input_type = np.int8
    with pytest.raises(edgelite.QuantizerError, match="optimizations"):
        c.convert()
    c.optimizations = [edgelite.Optimize.DEFAULT]
    c.representative_dataset = lambda: iter([[x[:, :6]]])
    with pytest.raises(edgelite.QuantizerError, match="shape"):
        c.convert()
    c.representative_dataset = lambda: iter([[x]])
    c.inference_input_type = np.float64
    with pytest.raises(edgelite.QuantizerError, match="not supported"):
        c.convert()
    c.inference_input_type = np.int8
    c.representative_dataset = None  # dynamic range: integer I/O makes no sense
    with pytest.raises(edgelite.QuantizerError, match="integer I/O needs mode int8"):
        c.convert()
    q = edgelite.TFLiteConverter.from_tflite(str(demo / "demo.tflite"))
    q.optimizations = [edgelite.Optimize.DEFAULT]
    q.representative_dataset = lambda: iter([[x]])
    again = edgelite.TFLiteConverter.from_tflite_model(q.convert())
    again.optimizations = [edgelite.Optimize.DEFAULT]
    again.representative_dataset = lambda: iter([[x]])
    with pytest.raises(edgelite.QuantizerError, match="already quantized"):
        again.convert()


# ---- ResNet-8 on CIFAR-10 ---------------------------------------------------------------

def cifar():
    d = shared_path("datasets", "cifar10_test")
    labels = np.fromfile(d / "cifar10_test_labels_uint8.bin", np.uint8)
    images = np.fromfile(d / "cifar10_test_from_jpeg_nhwc_uint8.bin", np.uint8)
    return images.reshape(len(labels), 32, 32, 3), labels


@pytest.fixture(scope="module")
def resnet8(tmp_path_factory):
    """Our int8 ResNet-8 (calibrated on 200 test images, every 50th) and its accuracy
    next to the float model's and TFLite's int8 twin's, over LIMIT images."""
    images, _ = cifar()
    float_path = model_path("mlperf_tiny/ic/pretrainedResnet.tflite")
    c = edgelite.TFLiteConverter.from_tflite(float_path)
    c.optimizations = [edgelite.Optimize.DEFAULT]
    c.representative_dataset = lambda: ([images[i:i + 1].astype(np.float32)]
                                        for i in range(0, 10000, 50))
    c.inference_input_type = np.int8
    c.inference_output_type = np.int8
    d = tmp_path_factory.mktemp("resnet8")
    q = d / "resnet8_edgelite_int8.tflite"
    q.write_bytes(c.convert())
    out = d / "rows.json"
    cmd = [sys.executable, str(BENCH), "--limit", str(LIMIT), "--json", str(out),
           "--shared", str(SHARED), "--oracles", str(ORACLES),
           "--models", "resnet8_float,resnet8_int8", "--add", f"edgelite_int8={q}@cifar10"]
    have_oracle = shutil.which("node") and (ORACLES / "tfjs-tflite" / "tflite_node.js").exists()
    if not have_oracle:
        cmd.append("--no-oracle")
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1500)
    print(proc.stdout)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = {r["model"]: r for r in json.loads(out.read_text())}
    return rows, q, c.report


def test_resnet8_int8_accuracy_within_one_point(resnet8):
    rows, _, report = resnet8
    ours = rows["edgelite_int8"]["edgelite_accuracy"]
    flt = rows["resnet8_float"]["edgelite_accuracy"]
    tfl = rows["resnet8_int8"]["edgelite_accuracy"]
    print(f"ResNet-8 over {LIMIT} CIFAR-10 images: float {flt:.4f}, edgelite int8 {ours:.4f}, "
          f"TFLite's int8 {tfl:.4f}")
    assert abs(ours - flt) <= 0.01
    assert abs(ours - tfl) <= 0.01
    # The report: sizes about 4x smaller.
    assert report["bytes_after"] * 3 < report["bytes_before"]


def test_resnet8_int8_runs_on_the_tflite_oracle(resnet8):
    rows, _, _ = resnet8
    r = rows["edgelite_int8"]
    if "oracle_accuracy" not in r:
        pytest.skip("TFLite oracle not installed (node + ~/.cache/edgelite-oracles): "
                    "../shared/oracles/README.md")
    print(f"oracle: accuracy {r['oracle_accuracy']:.4f}, top-1 agreement {r['top1_agreement']:.4f}, "
          f"max output difference {r['max_output_diff']} {r['max_output_diff_unit']}")
    # As TFLite's own int8 twin (tests/test_accuracy.py): XNNPACK requantizes in float.
    assert r["top1_agreement"] >= 0.93
    assert abs(r["oracle_accuracy"] - r["edgelite_accuracy"]) <= 0.03


def test_mnist_lstm_float_fallback_accuracy(tmp_path):
    """The MNIST LSTM: UNIDIRECTIONAL_SEQUENCE_LSTM has no integer rule, so with
    TFLite's default supported_ops it stays float and the rest (FULLY_CONNECTED,
    SOFTMAX...) becomes int8; with TFLITE_BUILTINS_INT8 it is an error."""
    import gzip
    d = shared_path("datasets", "mnist")
    raw = gzip.open(d / "t10k-images-idx3-ubyte.gz", "rb").read()
    images = np.frombuffer(raw, np.uint8, offset=16).reshape(-1, 28, 28)
    float_path = model_path("tflm/mnist_lstm/trained_lstm.tflite")
    c = edgelite.TFLiteConverter.from_tflite(float_path)
    c.optimizations = [edgelite.Optimize.DEFAULT]
    c.representative_dataset = lambda: ([images[i:i + 1].astype(np.float32) / 255]
                                        for i in range(0, 10000, 100))
    c.target_spec.supported_ops = {edgelite.OpsSet.TFLITE_BUILTINS_INT8}
    with pytest.raises(edgelite.QuantizerError, match="UNIDIRECTIONAL_SEQUENCE_LSTM"):
        c.convert()
    c.target_spec.supported_ops = {edgelite.OpsSet.TFLITE_BUILTINS}
    q = tmp_path / "lstm_mixed.tflite"
    q.write_bytes(c.convert())
    assert np.dtype(np.int8) in set(tensor_types(q.read_bytes()).values())
    out = tmp_path / "rows.json"
    cmd = [sys.executable, str(BENCH), "--limit", "1000", "--json", str(out), "--shared", str(SHARED),
           "--no-oracle", "--models", "mnist_lstm_float", "--add", f"lstm_mixed={q}@mnist"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = {r["model"]: r for r in json.loads(out.read_text())}
    flt, ours = rows["mnist_lstm_float"]["edgelite_accuracy"], rows["lstm_mixed"]["edgelite_accuracy"]
    print(f"MNIST LSTM over 1000 digits: float {flt:.4f}, int8 with float LSTM {ours:.4f}")
    assert abs(ours - flt) <= 0.01
