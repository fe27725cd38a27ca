#!/usr/bin/env python3
"""The train -> convert -> optimize -> deploy workflow, deploy end: runs the
committed digits models with edgelite and prints accuracy and latency of the
float model and of its int8 quantization (no PyTorch needed; the digits come
from Debian's python3-sklearn).

  /usr/bin/python3 examples/workflow/run.py [--build build/release]

The models were made by make_models.py (PyTorch training, ONNX export,
`edgelite convert`, `edgelite quantize --mode int8`); it re-creates them.
Exit status 1 if a model cannot be run or an accuracy falls below --min-accuracy.
"""

import argparse
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import digits_data  # noqa: E402


def quantize_input(x, detail):
    """Float images -> the input tensor's dtype (int8/uint8 I/O models quantize here)."""
    dtype = detail["dtype"]
    if dtype == np.float32:
        return x.astype(np.float32)
    scale, zero_point = detail["quantization"]
    info = np.iinfo(dtype)
    return np.clip(np.round(x / scale) + zero_point, info.min, info.max).astype(dtype)


def dequantize_output(y, detail):
    if detail["dtype"] == np.float32:
        return y
    scale, zero_point = detail["quantization"]
    return (y.astype(np.float32) - zero_point) * scale


def evaluate(edgelite, path, x, y):
    """Runs the model on every image (one per invoke): the raw outputs, the
    probabilities (dequantized) and the I/O details."""
    interp = edgelite.Interpreter(model_path=path)
    interp.allocate_tensors()
    inp = interp.get_input_details()[0]
    out = interp.get_output_details()[0]
    inputs = quantize_input(x, inp)
    raw = np.zeros((len(x), 10), out["dtype"])
    for i in range(len(x)):
        interp.set_tensor(inp["index"], inputs[i:i + 1])
        interp.invoke()
        raw[i] = interp.get_tensor(out["index"]).reshape(-1)
    return inputs, raw, dequantize_output(raw, out), inp, out


def run_tflite_oracle(path, inputs, raw_like):
    """The same inputs through TensorFlow Lite (the WebAssembly oracle of
    ../shared/oracles, via bench/accuracy.py); None when it is not installed."""
    sys.path.insert(0, os.path.join(ROOT, "bench"))
    import accuracy  # bench/accuracy.py
    from pathlib import Path

    return accuracy.run_oracle(Path(path), inputs, raw_like, False, accuracy.DEFAULT_ORACLES)


def bench(cli, path, runs):
    out = subprocess.run([cli, "bench", path, "--runs", str(runs), "--warmup", "20", "--json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default=os.path.join(ROOT, "build", "release"),
                   help="edgelite build directory (its python/ and tools/edgelite are used)")
    p.add_argument("--models", default=os.path.join(HERE, "models"))
    p.add_argument("--runs", type=int, default=2000, help="timed invokes per model for the latency")
    p.add_argument("--min-accuracy", type=float, default=0.9,
                   help="fail if a model's test accuracy is below this")
    p.add_argument("--cli", help="the edgelite CLI (default: BUILD/tools/edgelite)")
    p.add_argument("--oracle", action="store_true",
                   help="also run both models on TensorFlow Lite (the WebAssembly oracle that "
                        "../shared/oracles/install.sh installs) and compare")
    p.add_argument("--json", help="write the figures to this file")
    args = p.parse_args()

    sys.path.insert(0, os.path.join(args.build, "python"))
    import edgelite  # the package built by CMake

    cli = args.cli or os.path.join(args.build, "tools", "edgelite")
    _, _, x_test, y_test = digits_data.load_split()
    with open(os.path.join(args.models, "training.json")) as f:
        training = json.load(f)
    print(f"digits test split: {len(y_test)} images of 8x8 (scikit-learn's digits, "
          f"split seed {digits_data.SPLIT_SEED})")
    print(f"PyTorch float model at training time: test accuracy {training['pytorch_test_accuracy']:.4f}")

    rows, summary = [], {"pytorch_test_accuracy": training["pytorch_test_accuracy"],
                         "test_images": int(len(y_test)), "models": {}}
    probs = {}
    for name in ("digits_float.tflite", "digits_int8.tflite"):
        path = os.path.join(args.models, name)
        print(f"running {name} over the test split ...", flush=True)
        inputs, raw, probs[name], inp, out = evaluate(edgelite, path, x_test, y_test)
        acc = float((probs[name].argmax(1) == y_test).mean())
        b = bench(cli, path, args.runs)
        io = f"{np.dtype(inp['dtype']).name} in / {np.dtype(out['dtype']).name} out"
        row = {"bytes": os.path.getsize(path), "accuracy": acc,
               "median_us": b["latency_ms"]["median"] * 1000.0, "arena_bytes": b["arena_bytes"],
               "io": io}
        if args.oracle:
            theirs = run_tflite_oracle(path, inputs, raw)
            if theirs is None:
                print("  TensorFlow Lite oracle not installed (../shared/oracles/install.sh)")
            else:
                diff = np.abs(raw.astype(np.float64) - theirs.astype(np.float64))
                row.update({
                    "tflite_accuracy": float((theirs.argmax(1) == y_test).mean()),
                    "tflite_top1_agreement": float((theirs.argmax(1) == raw.argmax(1)).mean()),
                    "tflite_max_output_diff": float(diff.max()),
                    "tflite_max_output_diff_unit": "LSB" if raw.dtype.kind in "iu" else "abs"})
        summary["models"][name] = row
        rows.append((name, row))

    print()
    print(f"{'model':<22} {'bytes':>8} {'accuracy':>9} {'median us':>10} {'arena B':>8}  I/O")
    for name, r in rows:
        print(f"{name:<22} {r['bytes']:>8} {r['accuracy']:>9.4f} {r['median_us']:>10.2f} "
              f"{r['arena_bytes']:>8}  {r['io']}")
        if "tflite_accuracy" in r:
            print(f"{'':<22} TensorFlow Lite on the same file and inputs: accuracy "
                  f"{r['tflite_accuracy']:.4f}, top-1 agreement {r['tflite_top1_agreement']:.4f}, "
                  f"max output difference {r['tflite_max_output_diff']:g} "
                  f"{r['tflite_max_output_diff_unit']}")
    f32, i8 = summary["models"]["digits_float.tflite"], summary["models"]["digits_int8.tflite"]
    pf, pi = probs["digits_float.tflite"], probs["digits_int8.tflite"]
    summary.update({
        "size_ratio": f32["bytes"] / i8["bytes"], "speedup": f32["median_us"] / i8["median_us"],
        "top1_agreement": float((pf.argmax(1) == pi.argmax(1)).mean()),
        "max_probability_difference": float(np.abs(pf - pi).max())})
    print()
    print(f"int8 vs float: {summary['size_ratio']:.2f}x smaller, {summary['speedup']:.2f}x the speed "
          f"(edgelite bench, 1 thread, median of {args.runs}), accuracy "
          f"{100 * (i8['accuracy'] - f32['accuracy']):+.2f} points, top-1 agreement "
          f"{summary['top1_agreement']:.4f}, max |probability difference| "
          f"{summary['max_probability_difference']:.4f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=2)
            f.write("\n")
    low = [n for n, r in rows if r["accuracy"] < args.min_accuracy]
    if low:
        print(f"FAILED: accuracy below {args.min_accuracy}: {', '.join(low)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
