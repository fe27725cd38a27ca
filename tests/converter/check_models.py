#!/usr/bin/python3
"""End-to-end check of `edgelite convert` on models made by make_models.py.

usage: /usr/bin/python3 check_models.py EDGELITE_CLI MODEL_DIR [--oracles DIR] [--rtol 1e-4]
       [--expect-fail gru] [--markdown]

For every model of MODEL_DIR/manifest.json: convert it (timed), run the .tflite
on edgelite (`edgelite run`), the .onnx on ONNX Runtime (npm onnxruntime-node)
and the .tflite on TensorFlow Lite (WebAssembly) with the same input, and
compare all of them with PyTorch's output. Prints one table row per model.
A model fails when any difference exceeds rtol * max(1, max |PyTorch output|),
or when the converted model has more layout TRANSPOSEs than one per 4D input
and output (none with --nhwc-io).
Models listed in --expect-fail must be rejected with an error naming the op.
Oracles that are not installed are reported as 'n/a' (not a failure); the
PyTorch comparison always runs. Exit status: 0 all passed, 1 otherwise.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def out0(d):
    p = os.path.join(d, 'output_0.bin')
    return np.fromfile(p, dtype='<f4') if os.path.exists(p) else None


def maxdiff(a, b):
    if a is None or b is None:
        return None
    if a.size != b.size:
        return float('inf')
    return float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64)))) if a.size else 0.0


def fmt(x):
    return 'n/a' if x is None else f'{x:.2e}'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('cli')
    ap.add_argument('models')
    ap.add_argument('--oracles', default=os.environ.get('ORACLES_HOME', os.path.expanduser('~/.cache/edgelite-oracles')))
    ap.add_argument('--rtol', type=float, default=1e-4)
    ap.add_argument('--expect-fail', default='rnn')
    ap.add_argument('--nhwc-io', action='store_true')
    a = ap.parse_args()
    man = json.load(open(os.path.join(a.models, 'manifest.json')))
    ort = os.path.join(a.oracles, 'onnxruntime-node', 'run_onnx.js')
    tfl = os.path.join(a.oracles, 'tfjs-tflite', 'run_tflite.js')
    have_ort = os.path.exists(ort) and os.path.isdir(os.path.join(a.oracles, 'onnxruntime-node', 'node_modules'))
    have_tfl = os.path.exists(tfl) and os.path.isdir(os.path.join(a.oracles, 'tfjs-tflite', 'node_modules'))
    expect_fail = set(x for x in a.expect_fail.split(',') if x)
    failures = 0
    print('| model | opset | convert ms wall / cpu | .tflite bytes | ops | layout transposes | max abs PyTorch out | edgelite vs ORT | edgelite vs PyTorch | '
          'TFLite vs edgelite | TFLite vs PyTorch | result |')
    print('|---|---|---|---|---|---|---|---|---|---|---|---|')
    for m in man['models']:
        name = m['name']
        onnx_path = os.path.join(a.models, m['onnx'])
        tfl_path = os.path.join(a.models, name + '.tflite')
        inp = os.path.join(a.models, name + '.input_0.bin')
        torch_y = np.fromfile(os.path.join(a.models, name + '.torch_out_0.bin'), dtype='<f4')
        cmd = [a.cli, 'convert', onnx_path, '-o', tfl_path]
        if a.nhwc_io:
            cmd.append('--nhwc-io')
        t0 = time.perf_counter()
        ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        r = run(cmd)
        conv_ms = (time.perf_counter() - t0) * 1e3
        ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_ms = ((ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)) * 1e3
        if name in expect_fail:
            ok = r.returncode != 0 and 'cannot be converted' in r.stderr
            failures += not ok
            why = r.stderr.strip().splitlines()[-1].strip() if r.stderr.strip() else ''
            print(f'| {name} | {m["opset"]} | - | - | - | - | - | - | - | - | - | '
                  f'{"rejected as expected: " + why if ok else "FAIL: expected a clear rejection"} |')
            continue
        if r.returncode != 0:
            failures += 1
            print(f'| {name} | {m["opset"]} | - | - | - | - | - | - | - | - | - | FAIL: {r.stderr.strip()} |')
            continue
        summary = r.stdout.strip()
        nops = summary.split(' ops')[0].split()[-1]
        ntr = summary.split(' layout transposes')[0].split('(')[-1]
        size = os.path.getsize(tfl_path)
        with tempfile.TemporaryDirectory() as tmp:
            de, do, dt = (os.path.join(tmp, s) for s in ('e', 'o', 't'))
            x = np.fromfile(inp, dtype='<f4').reshape(m['input_shape'])
            feed = inp
            if a.nhwc_io and x.ndim == 4:
                feed = os.path.join(tmp, 'in_nhwc.bin')
                x.transpose(0, 2, 3, 1).astype('<f4').tofile(feed)
            er = run([a.cli, 'run', tfl_path, '--input', '0=' + feed, '--out', de])
            ey = out0(de) if er.returncode == 0 else None
            oy = ty = None
            if have_ort:
                run(['node', ort, onnx_path, '--input', '0=' + inp, '--out', do])
                oy = out0(do)
            if have_tfl:
                run(['node', tfl, tfl_path, '--input', '0=' + feed, '--out', dt])
                ty = out0(dt)
        if a.nhwc_io and ey is not None and len(m['output_shape']) == 4:
            s = m['output_shape']
            ey = ey.reshape(s[0], s[2], s[3], s[1]).transpose(0, 3, 1, 2).ravel()
            if ty is not None:
                ty = ty.reshape(s[0], s[2], s[3], s[1]).transpose(0, 3, 1, 2).ravel()
        bound = a.rtol * max(1.0, float(np.max(np.abs(torch_y))))
        d_ort, d_torch, d_tfl, d_tfl_torch = maxdiff(ey, oy), maxdiff(ey, torch_y), maxdiff(ty, ey), maxdiff(ty, torch_y)
        bad = []
        # The layout claim: one TRANSPOSE per 4D input/output at the edges
        # (none with --nhwc-io), none inside.
        edges = 0 if a.nhwc_io else (len(m['input_shape']) == 4) + (len(m['output_shape']) == 4)
        if int(ntr) > edges:
            bad.append(f'{ntr} layout transposes, expected at most {edges}')
        if ey is None:
            bad.append('edgelite run failed: ' + er.stderr.strip()[-200:])
        for label, d in (('ORT', d_ort), ('PyTorch', d_torch), ('TFLite', d_tfl)):
            if d is not None and d > bound:
                bad.append(f'{label} diff > {bound:.1e}')
        if have_tfl and ty is None:
            bad.append('TFLite oracle failed to run the file')
        failures += bool(bad)
        print(f'| {name} | {m["opset"]} | {conv_ms:.0f} / {cpu_ms:.0f} | {size} | {nops} | {ntr} | {float(np.max(np.abs(torch_y))):.3g} | {fmt(d_ort)} | {fmt(d_torch)} | '
              f'{fmt(d_tfl)} | {fmt(d_tfl_torch)} | {"ok" if not bad else "FAIL: " + "; ".join(bad)} |', flush=True)
    if not have_ort or not have_tfl:
        print('note: oracles missing (run ../shared/oracles/install.sh):' + (' onnxruntime-node' if not have_ort else '') +
              (' tfjs-tflite' if not have_tfl else ''))
    print(f'{failures} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
