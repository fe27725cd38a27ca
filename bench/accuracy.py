#!/usr/bin/python3
"""Accuracy of edgelite over whole labeled test sets, side by side with
TensorFlow Lite (the WebAssembly oracle) on exactly the same inputs.

Sets and models (all from ../shared, see its DATA.md):
  MNIST test set (10,000 digits)      tflm/mnist_lstm/trained_lstm.tflite (float)
                                      tflm/mnist_lstm/trained_lstm_int8.tflite
  CIFAR-10 test set (10,000 images,   mlperf_tiny/ic/pretrainedResnet.tflite (float)
  decoded from a lossy JPEG copy)     mlperf_tiny/ic/pretrainedResnet_quant.tflite (int8)

Preprocessing follows each model's documented input: MNIST pixels / 255
(the int8 model quantizes them with its input scale and zero point; the LSTM
state is reset before every digit, as a fresh TFLite interpreter would start);
ResNet-8 float takes float pixels 0..255 (DATA.md), the int8 model takes them
through its input quantization (scale 1, zero point -128: q = pixel - 128).

Per model it reports edgelite's accuracy, the oracle's, their top-1 agreement,
the number of images, and the largest output difference (in LSB for integer
outputs, absolute for float ones). The oracle is TFLite compiled to
WebAssembly with XNNPACK (../shared/oracles/README.md); its int8 path
requantizes in float with a single rounding, where TFLite's reference kernels
(which edgelite reproduces bit for bit) round twice: 1 LSB apart on a small
fraction of each layer's outputs, amplified by residual adds and a final
softmax to tens of LSB on some images. The top-1 agreement is the figure to
watch, not exact equality.

Other model files (e.g. ones made by `edgelite quantize`) are evaluated with
--add NAME=PATH@mnist|cifar10 (repeatable): the preprocessing follows the
input's dtype (float: as the float models above; integer: quantized with the
input's scale and zero point).

usage: /usr/bin/python3 bench/accuracy.py [--limit N] [--models a,b] [--add NAME=PATH@SET]
                                          [--no-oracle] [--json FILE]
PYTHONPATH must reach the edgelite package (e.g. build/release/python).
"""

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DEFAULT_SHARED = Path(os.environ.get("EDGELITE_SHARED", HERE.parents[1] / "shared"))
DEFAULT_ORACLES = Path(os.environ.get("EDGELITE_ORACLES",
                                      Path.home() / ".cache" / "edgelite-oracles"))


# ---- data sets ----------------------------------------------------------------

def read_idx_gz(path):
    """An IDX file (gzip): magic (0, 0, dtype 0x08 = uint8, ndim), big-endian
    dims, then the data."""
    raw = gzip.open(path, "rb").read()
    if raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_mnist(shared):
    d = shared / "datasets" / "mnist"
    return (read_idx_gz(d / "t10k-images-idx3-ubyte.gz"),
            read_idx_gz(d / "t10k-labels-idx1-ubyte.gz"))


def load_cifar10(shared):
    d = shared / "datasets" / "cifar10_test"
    labels = np.fromfile(d / "cifar10_test_labels_uint8.bin", np.uint8)
    images = np.fromfile(d / "cifar10_test_from_jpeg_nhwc_uint8.bin", np.uint8)
    return images.reshape(len(labels), 32, 32, 3), labels


def subset(n_total, limit):
    """Indices of `limit` samples spread evenly over the set (the CIFAR-10
    file is sorted by class, so the first N would all be airplanes)."""
    if limit is None or limit >= n_total:
        return np.arange(n_total)
    return (np.arange(limit) * n_total) // limit


# ---- models -------------------------------------------------------------------

def quantize(x, scale, zero_point, dtype):
    info = np.iinfo(dtype)
    q = np.round(np.asarray(x, np.float64) / scale) + zero_point
    return np.clip(q, info.min, info.max).astype(dtype)


def mnist_float(images, _details):
    return images.astype(np.float32) / np.float32(255.0)


def mnist_int8(images, details):
    scale, zp = details["quantization"]
    return quantize(images.astype(np.float64) / 255.0, scale, zp, details["dtype"])


def cifar_float(images, _details):
    return images.astype(np.float32)  # 0..255, DATA.md


def cifar_int8(images, details):
    scale, zp = details["quantization"]
    return quantize(images.astype(np.float64), scale, zp, details["dtype"])


MODELS = {
    # name: (model path under models/, data set, preprocessing, stateful)
    "mnist_lstm_float": ("tflm/mnist_lstm/trained_lstm.tflite", "mnist", mnist_float, True),
    "mnist_lstm_int8": ("tflm/mnist_lstm/trained_lstm_int8.tflite", "mnist", mnist_int8, True),
    "resnet8_float": ("mlperf_tiny/ic/pretrainedResnet.tflite", "cifar10", cifar_float, False),
    "resnet8_int8": ("mlperf_tiny/ic/pretrainedResnet_quant.tflite", "cifar10", cifar_int8, False),
}


def progress(msg):
    print(msg, file=sys.stderr, flush=True)


def run_edgelite(model_file, inputs, stateful):
    from edgelite.interpreter import Interpreter
    it = Interpreter(model_path=str(model_file))
    it.allocate_tensors()
    inp = it.get_input_details()[0]
    out = it.get_output_details()[0]
    outputs = np.empty((len(inputs),) + tuple(out["shape"][1:]), out["dtype"])
    t0 = time.time()
    for i, x in enumerate(inputs):
        if stateful:
            it.reset_all_variables()
        it.set_tensor(inp["index"], x.reshape(inp["shape"]))
        it.invoke()
        outputs[i] = it.get_tensor(out["index"])[0]
        if (i + 1) % 1000 == 0 or i + 1 == len(inputs):
            progress(f"  edgelite: {i + 1}/{len(inputs)} ({time.time() - t0:.1f} s)")
    return outputs, out


def run_oracle(model_file, inputs, out_like, stateful, oracles):
    """The batched TFLite oracle (bench/tflite_oracle_batch.js) over all
    inputs; None if node or the oracle is not installed."""
    node = shutil.which("node")
    if node is None or not (oracles / "tfjs-tflite" / "tflite_node.js").exists():
        return None
    with tempfile.TemporaryDirectory(prefix="edgelite_acc_") as tmp:
        in_file, out_file = Path(tmp) / "in.bin", Path(tmp) / "out.bin"
        np.ascontiguousarray(inputs).tofile(in_file)
        cmd = [node, str(HERE / "tflite_oracle_batch.js"), str(model_file), str(in_file),
               str(out_file)] + (["--fresh"] if stateful else [])
        proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True,
                                env=dict(os.environ, EDGELITE_ORACLES=str(oracles)))
        for line in proc.stderr:  # progress through, TFLite's INFO lines away
            if not line.startswith("INFO:"):
                progress(line.rstrip())
        if proc.wait() != 0:
            raise RuntimeError(f"oracle failed: {' '.join(cmd)}")
        return np.fromfile(out_file, out_like.dtype).reshape(out_like.shape)


def by_dtype(dataset):
    """Preprocessing for a model given by file: chosen by the input's dtype."""
    f, q = (mnist_float, mnist_int8) if dataset == "mnist" else (cifar_float, cifar_int8)
    return lambda images, details: (f if np.dtype(details["dtype"]).kind == "f" else q)(images, details)


def add_model(spec):
    """NAME=PATH@mnist|cifar10 -> MODELS[NAME] (MNIST models are stateful: the
    LSTM state is reset per digit)."""
    name, _, rest = spec.partition("=")
    path, _, dataset = rest.rpartition("@")
    if not name or not path or dataset not in ("mnist", "cifar10"):
        raise ValueError(f"--add {spec!r}: expected NAME=PATH@mnist or NAME=PATH@cifar10")
    MODELS[name] = (str(Path(path).resolve()), dataset, by_dtype(dataset), dataset == "mnist")
    return name


def evaluate(name, shared, oracles, limit, use_oracle):
    rel, dataset, preprocess, stateful = MODELS[name]
    model_file = shared / "models" / rel  # an absolute rel (--add) replaces the prefix
    images, labels = load_mnist(shared) if dataset == "mnist" else load_cifar10(shared)
    idx = subset(len(labels), limit)
    images, labels = images[idx], labels[idx]

    from edgelite.interpreter import Interpreter
    probe = Interpreter(model_path=str(model_file))
    inputs = preprocess(images, probe.get_input_details()[0])
    del probe

    progress(f"{name}: {rel}, {len(labels)} {dataset} images")
    ours, out_details = run_edgelite(model_file, inputs, stateful)
    ours_top = ours.reshape(len(labels), -1).argmax(axis=1)
    row = {"model": name, "path": rel, "dataset": dataset, "images": int(len(labels)),
           "output_dtype": np.dtype(out_details["dtype"]).name,
           "edgelite_accuracy": float(np.mean(ours_top == labels))}
    theirs = run_oracle(model_file, inputs, ours, stateful, oracles) if use_oracle else None
    if theirs is not None:
        theirs_top = theirs.reshape(len(labels), -1).argmax(axis=1)
        diff = np.abs(ours.astype(np.float64) - theirs.astype(np.float64))
        row.update({
            "oracle_accuracy": float(np.mean(theirs_top == labels)),
            "top1_agreement": float(np.mean(ours_top == theirs_top)),
            "disagreements": int(np.sum(ours_top != theirs_top)),
            # Integer outputs: difference in LSB of the output tensor.
            "max_output_diff": float(diff.max()),
            "max_output_diff_unit": "LSB" if ours.dtype.kind in "iu" else "abs",
            "outputs_identical": float(np.mean(np.all(diff.reshape(len(labels), -1) == 0,
                                                      axis=1))),
        })
    return row


def format_table(rows):
    head = (f"{'model':18} {'images':>6} {'edgelite':>9} {'oracle':>9} {'agree':>8} "
            f"{'max diff':>12} {'identical':>9}")
    lines = [head, "-" * len(head)]
    for r in rows:
        if "oracle_accuracy" in r:
            diff = f"{r['max_output_diff']:.4g} {r['max_output_diff_unit']}"
            lines.append(f"{r['model']:18} {r['images']:6d} {r['edgelite_accuracy']:9.4f} "
                         f"{r['oracle_accuracy']:9.4f} {r['top1_agreement']:8.4f} {diff:>12} "
                         f"{r['outputs_identical']:9.4f}")
        else:
            lines.append(f"{r['model']:18} {r['images']:6d} {r['edgelite_accuracy']:9.4f} "
                         f"{'-':>9} {'-':>8} {'-':>12} {'-':>9}")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="edgelite vs TensorFlow Lite (WebAssembly oracle) accuracy on the MNIST "
                    "and CIFAR-10 test sets of ../shared (see the module docstring).")
    ap.add_argument("--limit", type=int, default=None,
                    help="evaluate N images per set, spread evenly over it (default: all 10000)")
    ap.add_argument("--models", default=None,
                    help=f"comma-separated subset of: {', '.join(MODELS)}")
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                    help="the shared corpus (default ../shared or $EDGELITE_SHARED)")
    ap.add_argument("--oracles", type=Path, default=DEFAULT_ORACLES,
                    help="the installed oracles (default ~/.cache/edgelite-oracles or "
                         "$EDGELITE_ORACLES)")
    ap.add_argument("--add", action="append", default=[], metavar="NAME=PATH@SET",
                    help="also evaluate the model file PATH on SET (mnist or cifar10); repeatable")
    ap.add_argument("--no-oracle", action="store_true", help="edgelite only")
    ap.add_argument("--json", type=Path, help="also write the rows as JSON to this file")
    args = ap.parse_args(argv)
    if args.models is None:
        args.models = "" if args.add else ",".join(MODELS)
    try:
        added = [add_model(a) for a in args.add]
    except ValueError as e:
        ap.error(str(e))
    names = [m for m in args.models.split(",") if m]
    names += [a for a in added if a not in names]
    unknown = [m for m in names if m not in MODELS]
    if unknown:
        ap.error(f"unknown model(s) {unknown}; choose from {list(MODELS)}")
    if args.limit is not None and args.limit <= 0:
        ap.error("--limit must be positive")

    rows = []
    for n in names:
        rows.append(evaluate(n, args.shared, args.oracles, args.limit, not args.no_oracle))
        progress(json.dumps(rows[-1]))  # each result as soon as it is known
    print(format_table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return rows


if __name__ == "__main__":
    main()
