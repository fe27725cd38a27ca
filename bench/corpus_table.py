#!/usr/bin/env python3
"""Run every model of ../shared/models through edgelite and compare with TensorFlow Lite.

For each `model` row of ../shared/MANIFEST.tsv:
  - with a golden (../shared/goldens/<model>/: TFLite's reference kernels), edgelite runs on the
    golden's inputs and its outputs are compared with the golden outputs;
  - without one, the TFLite WebAssembly oracle (../shared/oracles, XNNPACK path) runs the model on
    its seeded inputs, edgelite runs on the same input bytes, and the outputs are compared;
  - if neither TFLite can run the model, edgelite runs on seeded inputs alone (status only).

Per model it reports: status (pass = bit-exact integers / float within 1e-4 relative, diff = ran
but differs, unsupported / rejected = edgelite's error at load or prepare, with its message,
bad input = loads and prepares but the seeded input values are invalid for the model, e.g.
negative output shapes or out-of-range indices), the reference used,
the largest difference (integers in LSB, floats relative to the output's largest magnitude) and
whether the top class agrees (argmax of outputs with more than one value).

usage: /usr/bin/python3 bench/corpus_table.py [--edgelite build/release/tools/edgelite]
           [--shared ../shared] [--oracles ~/.cache/edgelite-oracles] [--only SUBSTR]
           [--markdown docs/corpus.md] [--timeout 300]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DTYPES = {
    "float32": np.float32, "float64": np.float64, "float16": np.float16, "int8": np.int8,
    "uint8": np.uint8, "int16": np.int16, "uint16": np.uint16, "int32": np.int32,
    "uint32": np.uint32, "int64": np.int64, "uint64": np.uint64, "bool": np.bool_,
}
FLOAT_BOUND = 1e-4


def load_outputs(d: Path):
    meta = json.loads((d / "meta.json").read_text())
    outs = []
    for o in meta.get("outputs", []):
        f = d / f"output_{o['index']}.bin"
        dt = DTYPES.get(o.get("dtype"))
        if dt is None or not f.exists():
            outs.append(None)
            continue
        outs.append(np.fromfile(f, dtype=dt))
    return meta, outs


def compare(ref, ours):
    """(status, max_diff_text, top_agrees) for two output lists."""
    if len(ref) != len(ours):
        return "diff", f"{len(ours)} outputs vs {len(ref)}", None
    worst_int, worst_float, top = 0, 0.0, None
    any_int = any_float = False
    for r, o in zip(ref, ours):
        if r is None or o is None:
            continue
        if r.size != o.size:
            return "diff", f"output size {o.size} vs {r.size}", None
        if r.dtype.kind in "iub":
            any_int = True
            d = np.abs(r.astype(np.int64) - o.astype(np.int64))
            worst_int = max(worst_int, int(d.max()) if d.size else 0)
        else:
            any_float = True
            r64, o64 = r.astype(np.float64), o.astype(np.float64)
            both_nan = np.isnan(r64) & np.isnan(o64)
            d = np.where(both_nan, 0.0, np.abs(r64 - o64))
            scale = max(1.0, float(np.nanmax(np.abs(r64)))) if r64.size else 1.0
            worst_float = max(worst_float, float(np.nanmax(d)) / scale if d.size else 0.0)
        if top is None and r.size > 1 and r.dtype.kind in "fiu":
            top = bool(np.argmax(r) == np.argmax(o))
    ok = worst_int == 0 and worst_float <= FLOAT_BOUND
    parts = []
    if any_int:
        parts.append(f"{worst_int} LSB")
    if any_float:
        parts.append(f"{worst_float:.2e} rel")
    return ("pass" if ok else "diff"), ", ".join(parts) or "-", top


def run(cmd, timeout, cwd=None):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd)
        return p.returncode, p.stdout + p.stderr
    except subprocess.TimeoutExpired:
        return 124, f"timed out after {timeout} s"


def edgelite_error(text):
    for line in text.splitlines():
        if "error" in line.lower():
            return line.split("error:", 1)[-1].strip()
    return text.strip().splitlines()[-1] if text.strip() else "failed"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--edgelite", default=str(ROOT / "build/release/tools/edgelite"))
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--oracles", default=os.path.expanduser("~/.cache/edgelite-oracles"))
    ap.add_argument("--only", default="", help="only models whose path contains this")
    ap.add_argument("--markdown", default="", help="also write the table as Markdown here")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per run")
    a = ap.parse_args()
    shared = Path(a.shared)
    rows = []
    for line in (shared / "MANIFEST.tsv").read_text().splitlines()[1:]:
        f = line.split("\t")
        if len(f) > 1 and f[1] == "model" and a.only in f[0]:
            rows.append(f[0][len("models/"):])
    oracle = Path(a.oracles) / "tfjs-tflite" / "run_tflite.js"
    results = []
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        for i, rel in enumerate(rows):
            model = shared / "models" / rel
            golden = shared / "goldens" / rel
            work = Path(tmp) / f"m{i}"
            ref_dir, ref_name, note = None, "-", ""
            if (golden / "meta.json").exists():
                ref_dir, ref_name = golden, "golden"
            elif oracle.exists():
                code, text = run(["node", str(oracle), str(model), "--out", str(work / "oracle")],
                                 a.timeout, cwd=str(oracle.parent.parent))
                if code == 0 and (work / "oracle" / "meta.json").exists():
                    ref_dir, ref_name = work / "oracle", "tflite-wasm"
                else:
                    note = "TFLite oracle: " + (text.strip().splitlines() or ["failed"])[-1][:80]
            cmd = [a.edgelite, "run", str(model), "--out", str(work / "ours")]
            if ref_dir is not None:
                meta = json.loads((ref_dir / "meta.json").read_text())
                for inp in meta.get("inputs", []):
                    f = ref_dir / f"input_{inp['index']}.bin"
                    if f.exists():
                        cmd += ["--input", f"{inp['index']}={f}"]
            code, text = run(cmd, a.timeout)
            if code != 0:
                msg = edgelite_error(text)
                if "unsupported" in msg.lower() or "not supported" in msg.lower():
                    status = "unsupported"
                elif msg.startswith("Invoke:"):
                    # Loads and prepares; the seeded input values are invalid for it.
                    status = "bad input"
                else:
                    status = "rejected"
                if note:
                    msg += " [TFLite oracle fails too]"
                results.append((rel, status, ref_name, "-", None, msg[:200]))
            elif ref_dir is None:
                results.append((rel, "ran", ref_name, "-", None, note))
            else:
                _, ref = load_outputs(ref_dir)
                _, ours = load_outputs(work / "ours")
                status, diff, top = compare(ref, ours)
                if status == "diff" and ref_name == "tflite-wasm":
                    status = "diff (oracle)"
                results.append((rel, status, ref_name, diff, top, note))
            r = results[-1]
            print(f"[{i + 1}/{len(rows)} {time.time() - t0:6.0f}s] {r[1]:13s} {rel}  {r[3]}"
                  + (f"  {r[5]}" if r[5] else ""), flush=True)
    counts = {}
    for r in results:
        counts[r[1]] = counts.get(r[1], 0) + 1
    summary = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
    print(f"\n{len(results)} models: {summary}")
    if a.markdown:
        out = [
            "# Every model of ../shared/models on edgelite",
            "",
            "Generated by `bench/corpus_table.py` (see its docstring). Reference: `golden` = "
            "TFLite's reference kernels (bit-exact target for integers), `tflite-wasm` = the "
            "WebAssembly TFLite oracle (XNNPACK path; may differ by a few LSB on integer models), "
            "`-` = no TFLite could run it (edgelite status only). Float differences are relative "
            f"to each output's largest magnitude; pass = integers exact, floats <= {FLOAT_BOUND:g}.",
            "",
            f"**{len(results)} models: {summary}.**",
            "",
            "| model | status | reference | max diff | top-1 agrees | note |",
            "|---|---|---|---|---|---|",
        ]
        for rel, status, ref, diff, top, note in results:
            t = "-" if top is None else ("yes" if top else "no")
            out.append(f"| {rel} | {status} | {ref} | {diff} | {t} | {note.replace('|', '/')} |")
        Path(a.markdown).write_text("\n".join(out) + "\n")
        print(f"wrote {a.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
