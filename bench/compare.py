#!/usr/bin/env python3
"""Latency of edgelite next to TensorFlow Lite (and ONNX Runtime), same machine, same run.

For each model and thread count, runs `edgelite bench` and the TFLite WebAssembly oracle of
../shared/oracles (XNNPACK always on) on the same model, alternating between the two runtimes for
--rounds rounds so that load changes on the machine hit both alike, and prints the median
latency of each and the ratio (peer / edgelite: > 1 means edgelite is faster). Models given as
MODEL.tflite=MODEL.onnx also run the ONNX file in ONNX Runtime (npm onnxruntime-node) — use it
for files written by `edgelite convert`.

The default list is the models issue #3 names: MobileNet v2/v1 quantized, person_detect, the
MLPerf Tiny models, DeepLab v3, YOLOv8n int8 and the float MobileNets.

usage: /usr/bin/python3 bench/compare.py [--threads 1,2] [--runs 20] [--warmup 3] [--rounds 2]
           [--models a.tflite,b.tflite=b.onnx,...] [--json FILE] [--edgelite PATH]
Figures are for reports (never asserted anywhere). The WebAssembly TFLite is slower than a
native build: a ratio against it is an upper bound of how we compare with native TFLite
(../shared/PEERS.md has native figures measured elsewhere).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODELS = [
    "coral/mobilenet_v2_1.0_224_quant.tflite",
    "coral/tf2_mobilenet_v2_1.0_224_ptq.tflite",
    "coral/mobilenet_v1_1.0_224_quant_embedding_extractor.tflite",
    "coral/mobilenet_quant_v1_224_head_layers.tflite",
    "tflm/person_detection/person_detect.tflite",
    "mlperf_tiny/ic/pretrainedResnet_quant.tflite",
    "mlperf_tiny/ic/pretrainedResnet.tflite",
    "mlperf_tiny/kws/kws_ref_model.tflite",
    "mlperf_tiny/kws/kws_ref_model_float32.tflite",
    "mlperf_tiny/vww/vww_96_int8.tflite",
    "mlperf_tiny/vww/vww_96_float.tflite",
    "mlperf_tiny/sww/str_ww_ref_model.tflite",
    "tflite_support/deeplabv3.tflite",
    "third_party_models/yolov8n_integer_quant.tflite",
    "tflite_support/mobilenet_v1_0.25_224_1_default_1.tflite",
    "third_party_models/secda_mobilenetv2.tflite",
]


def run_json(cmd, timeout, cwd=None):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd)
    if p.returncode != 0:
        raise RuntimeError((p.stderr or p.stdout).strip().splitlines()[-1][:200] if (p.stderr or p.stdout).strip() else "failed")
    return json.loads(p.stdout)


def edgelite_ms(exe, model, threads, warmup, runs, timeout):
    j = run_json([exe, "bench", model, "--threads", str(threads), "--warmup", str(warmup),
                  "--runs", str(runs), "--json"], timeout)
    return j["latency_ms"]["median"]


def tflite_ms(oracles, model, threads, warmup, runs, timeout):
    variant = "simd" if threads == 1 else "simd_threaded"
    j = run_json(["node", str(oracles / "tfjs-tflite" / "run_tflite.js"), model, "--threads",
                  str(threads), "--variant", variant, "--warmup", str(warmup), "--runs", str(runs),
                  "--json"], timeout, cwd=str(oracles))
    return j["timing_ms"]["median"]


def ort_ms(oracles, onnx, threads, warmup, runs, timeout):
    j = run_json(["node", str(oracles / "onnxruntime-node" / "run_onnx.js"), onnx, "--threads",
                  str(threads), "--opt", "all", "--warmup", str(warmup), "--runs", str(runs),
                  "--json"], timeout, cwd=str(oracles))
    t = j.get("timing_ms", j)
    return t["median"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    ap.add_argument("--edgelite", default=str(ROOT / "build/release/tools/edgelite"))
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--oracles", default=os.path.expanduser("~/.cache/edgelite-oracles"))
    ap.add_argument("--models", default="", help="comma-separated; paths relative to "
                    "../shared/models or absolute; MODEL.tflite=MODEL.onnx adds ONNX Runtime")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=2, help="alternations edgelite/peer per cell")
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("--json", default="", help="also write the rows here")
    a = ap.parse_args()
    oracles = Path(a.oracles)
    have_tflite = (oracles / "tfjs-tflite" / "run_tflite.js").exists()
    have_ort = (oracles / "onnxruntime-node" / "run_onnx.js").exists()
    if not have_tflite:
        print(f"note: no TFLite oracle under {oracles} (bash ../shared/oracles/install.sh)",
              file=sys.stderr)
    specs = a.models.split(",") if a.models else DEFAULT_MODELS
    threads = [int(t) for t in a.threads.split(",")]
    rows = []
    print(f"{'model':58s} {'thr':>3s} {'edgelite ms':>12s} {'tflite ms':>10s} {'ratio':>6s}"
          f" {'ort ms':>8s} {'ratio':>6s}")
    for spec in specs:
        tfl, _, onnx = spec.partition("=")
        model = tfl if os.path.isabs(tfl) else str(Path(a.shared) / "models" / tfl)
        if not Path(model).exists():
            print(f"{tfl}: not found, skipped", file=sys.stderr)
            continue
        for t in threads:
            ours, peer, ort, err = [], [], [], ""
            for _ in range(a.rounds):
                try:
                    ours.append(edgelite_ms(a.edgelite, model, t, a.warmup, a.runs, a.timeout))
                except Exception as e:  # noqa: BLE001 - reported in the table
                    err = f"edgelite: {e}"
                    break
                if have_tflite:
                    try:
                        peer.append(tflite_ms(oracles, model, t, a.warmup, a.runs, a.timeout))
                    except Exception as e:  # noqa: BLE001
                        err = f"tflite: {e}"
                if onnx and have_ort:
                    try:
                        ort.append(ort_ms(oracles, onnx, t, a.warmup, a.runs, a.timeout))
                    except Exception as e:  # noqa: BLE001
                        err = f"ort: {e}"
            row = {"model": tfl, "threads": t,
                   "edgelite_ms": statistics.median(ours) if ours else None,
                   "tflite_ms": statistics.median(peer) if peer else None,
                   "ort_ms": statistics.median(ort) if ort else None, "error": err}
            rows.append(row)
            f = lambda v: f"{v:.3f}" if v is not None else "-"  # noqa: E731
            r = lambda p: f"{p / row['edgelite_ms']:.2f}" if p and row["edgelite_ms"] else "-"  # noqa: E731
            print(f"{tfl[-58:]:58s} {t:3d} {f(row['edgelite_ms']):>12s} {f(row['tflite_ms']):>10s}"
                  f" {r(row['tflite_ms']):>6s} {f(row['ort_ms']):>8s} {r(row['ort_ms']):>6s}"
                  + (f"  ({err})" if err else ""), flush=True)
    if a.json:
        Path(a.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
