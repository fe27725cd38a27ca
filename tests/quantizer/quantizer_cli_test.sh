#!/usr/bin/env bash
# `edgelite quantize` end to end: every mode on the demo model (whose right
# answer, class 7 "seven", is known without edgelite: see README), calibration
# from a directory of images, a raw file and a directory of raw files, the
# report, integer I/O, and the failure paths (missing files, wrong calibration
# sizes, already quantized, unsupported op, missing calibration, bad option
# combinations). With ../shared: ResNet-8 (CIFAR-10) quantized to int8 from a raw
# calibration file and checked to load and run.
#
# usage: tests/quantizer/quantizer_cli_test.sh EDGELITE_BINARY SHARED_DIR
# Exit 0: all passed; 1: failures; 77 (skipped): the shared-free parts passed
# but SHARED_DIR is absent.
set -uo pipefail

EDGELITE=${1:?usage: quantizer_cli_test.sh EDGELITE_BINARY SHARED_DIR}
SHARED=${EDGELITE_SHARED:-${2:-}}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0
checks=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { checks=$((checks + 1)); }

run_cli() {
  timeout 300 "$EDGELITE" "$@" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  out=$(cat "$TMP/out")
  err=$(cat "$TMP/err")
}
# Exit 1 and one "edgelite: error: ..." line containing $2.
expect_error() {
  local what=$1 needle=$2
  if [[ $rc -ne 1 ]]; then fail "$what: exit status $rc, expected 1"; echo "$err" | tail -3; return; fi
  if ! grep -q "^edgelite: error: .*$needle" <<<"$err"; then
    fail "$what: error does not say '$needle': $err"; return
  fi
  pass
}

run_cli quantize --help
[[ $rc -eq 0 && $out == *--calibration* && $out == *--report* ]] && pass || fail "quantize --help"

# ---------------------------------------------------------------- demo model, every mode
run_cli make-demo "$TMP/demo.tflite"
[[ $rc -eq 0 ]] || { fail "make-demo: $err"; exit 1; }
mkdir -p "$TMP/images"
cp "$TMP/demo_input.bmp" "$TMP/images/a.bmp"
# The demo's CONV_2D is the only op whose weights TFLite's dynamic-range mode
# would touch, but it has 350 < 1024 values: dynamic keeps it float.
for mode in int8 int16x8 float16 dynamic; do
  args=(quantize "$TMP/demo.tflite" -o "$TMP/demo_$mode.tflite" --mode "$mode")
  [[ $mode == int8 || $mode == int16x8 ]] && args+=(--calibration "$TMP/images")
  run_cli "${args[@]}"
  if [[ $rc -ne 0 ]]; then fail "quantize --mode $mode: $err"; continue; fi
  [[ $out == *"demo_$mode.tflite: $mode"* ]] && pass || fail "quantize $mode summary: $out"
  run_cli run "$TMP/demo_$mode.tflite" --input 0="$TMP/demo_input.bmp" --labels "$TMP/demo_labels.txt" --top 1
  if [[ $rc -eq 0 ]] && grep -qE '^ +7 +0\.8[0-9]+ +seven' <<<"$out"; then pass
  else fail "quantized demo ($mode) must answer 7 seven with p ~0.85: $out $err"; fi
done
# Progress on stderr for calibration.
run_cli quantize "$TMP/demo.tflite" -o "$TMP/d.tflite" --mode int8 --calibration "$TMP/images"
[[ $err == *"calibration: 1/1 samples"* ]] && pass || fail "calibration progress line: $err"
# The quantized file is really integer: inspect shows int8 tensors and the QUANTIZE edge.
run_cli inspect "$TMP/demo_int8.tflite"
[[ $out == *QUANTIZE* && $out == *DEQUANTIZE* ]] && pass || fail "int8 demo must have QUANTIZE/DEQUANTIZE edges: $out"
# Integer I/O: the input becomes int8 (image pixels - 128 in `run`), still answers 7.
run_cli quantize "$TMP/demo.tflite" -o "$TMP/demo_io.tflite" --mode int8 --calibration "$TMP/images" --io int8
run_cli inspect "$TMP/demo_io.tflite"
[[ $out == *"'image' int8"* ]] && pass || fail "--io int8: input must be int8: $out"
run_cli run "$TMP/demo_io.tflite" --input 0="$TMP/demo_input.bmp" --labels "$TMP/demo_labels.txt" --top 1
grep -qE '^ +7 .* seven' <<<"$out" && pass || fail "int8-I/O demo must answer seven: $out $err"

# Raw calibration: the float image is 144 float32 pixels (576 bytes); a file of
# two samples back to back, and a directory of one-sample files.
run_cli run "$TMP/demo.tflite" --input 0="$TMP/demo_input.bmp" --out "$TMP/runout"
cat "$TMP/runout/input_0.bin" "$TMP/runout/input_0.bin" >"$TMP/calib.bin"
mkdir -p "$TMP/rawdir" && cp "$TMP/runout/input_0.bin" "$TMP/rawdir/s0.bin" && cp "$TMP/runout/input_0.bin" "$TMP/rawdir/s1.bin"
for src in "$TMP/calib.bin" "$TMP/rawdir" "0=$TMP/calib.bin"; do
  run_cli quantize "$TMP/demo.tflite" -o "$TMP/r.tflite" --mode int8 --calibration "$src" --report "$TMP/rep.txt"
  [[ $rc -eq 0 && $err == *"2 calibration samples"* ]] && pass || fail "raw calibration $src: $err"
done
# The report: sizes, per-tensor errors, the worst tensors; JSON too.
grep -q "^mode int8: [0-9]* -> [0-9]* bytes" "$TMP/rep.txt" && grep -q "worst tensors" "$TMP/rep.txt" \
  && grep -q "CONV_2D" "$TMP/rep.txt" && pass || fail "report text: $(cat "$TMP/rep.txt")"
run_cli quantize "$TMP/demo.tflite" -o "$TMP/r.tflite" --mode float16 --calibration "$TMP/calib.bin" --report "$TMP/rep.json"
if command -v /usr/bin/python3 >/dev/null; then
  /usr/bin/python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert r['mode']=='float16' and r['bytes_after']>0 and r['report_samples']==2" "$TMP/rep.json" \
    && pass || fail "report JSON: $(cat "$TMP/rep.json")"
fi

# ---------------------------------------------------------------- failure paths
head -c 1000 "$TMP/calib.bin" >"$TMP/bad.bin"
run_cli quantize "$TMP/demo.tflite" -o "$TMP/x.tflite" --mode int8 --calibration "$TMP/bad.bin"
expect_error "calibration file of the wrong size" "1000 bytes, not a multiple of input 'image' (FLOAT32\[1,12,12,1\]: 576 bytes"
head -c 100 "$TMP/calib.bin" >"$TMP/rawdir/s2.bin"
run_cli quantize "$TMP/demo.tflite" -o "$TMP/x.tflite" --mode int8 --calibration "$TMP/rawdir"
expect_error "calibration directory with a short file" "s2.bin' has 100 bytes"
run_cli quantize "$TMP/missing.tflite" -o "$TMP/x.tflite" --mode float16
expect_error "missing model" "cannot open '.*missing.tflite'"
run_cli quantize "$TMP/demo.tflite" -o "$TMP/x.tflite" --mode int8 --calibration "$TMP/missing.bin"
expect_error "missing calibration file" "cannot open '.*missing.bin'"
run_cli quantize "$TMP/demo.tflite" -o "$TMP/x.tflite" --mode int8
expect_error "int8 without calibration" "needs calibration data"
run_cli quantize "$TMP/demo_int8.tflite" -o "$TMP/x.tflite" --mode int8 --calibration "$TMP/images"
expect_error "already quantized" "already quantized"
run_cli quantize "$TMP/demo_float16.tflite" -o "$TMP/x.tflite" --mode dynamic
expect_error "already quantized (float16)" "already quantized"
run_cli quantize "$TMP/demo.tflite" -o "$TMP/x.tflite" --mode float16 --io int8
expect_error "integer I/O in float16 mode" "integer I/O needs mode int8"
run_cli quantize "$TMP/demo.tflite" -o "$TMP/x.tflite" --mode int8 --calibration "$TMP/images" --io int16
expect_error "int16 I/O in int8 mode" "does not match mode int8"
run_cli quantize "$TMP/demo.tflite" -o "$TMP/x.tflite" --mode int4
[[ $rc -ne 0 && $rc -lt 128 && $err == *int4* ]] && pass || fail "unknown mode must fail cleanly (rc=$rc)"
printf 'not a model' >"$TMP/junk.tflite"
run_cli quantize "$TMP/junk.tflite" -o "$TMP/x.tflite" --mode float16
expect_error "junk model" "not a valid .tflite model"
run_cli quantize "$TMP/demo.tflite" -o "$TMP/x.tflite" --mode int8 --calibration "3=$TMP/calib.bin"
expect_error "calibration for a missing input" "the model has 1 input"

# `convert --mode int8`: a small PyTorch CNN through ONNX, quantized on the way
# (needs the converter and /usr/bin/python3 with torch + onnx; skipped otherwise).
if "$EDGELITE" convert --help >/dev/null 2>&1 && /usr/bin/python3 -c "import torch, onnx" 2>/dev/null; then
  /usr/bin/python3 - "$TMP" <<'PY' 2>/dev/null
import sys, numpy as np, torch, torch.nn as nn
d = sys.argv[1]
torch.manual_seed(0)
m = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 3, padding=1),
                  nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10), nn.Softmax(1)).eval()
torch.onnx.export(m, torch.randn(1, 3, 16, 16), d + "/tiny.onnx", opset_version=13)
np.random.default_rng(0).random((4, 16, 16, 3), dtype=np.float32).tofile(d + "/tiny_calib.f32")
PY
  run_cli convert "$TMP/tiny.onnx" -o "$TMP/tiny_int8.tflite" --nhwc-io --mode int8 --calibration "$TMP/tiny_calib.f32" --io int8
  [[ $rc -eq 0 && $out == *"(int8; float: "* ]] && pass || fail "convert --mode int8: $out $err"
  run_cli inspect "$TMP/tiny_int8.tflite"
  [[ $out == *"int8 [1,16,16,3] scale="* && $out == *"unsupported ops: none"* ]] && pass || fail "converted int8 model: $out"
  run_cli convert "$TMP/tiny.onnx" -o "$TMP/x.tflite" --mode int8
  expect_error "convert --mode int8 without calibration" "needs calibration data"
else
  echo "quantizer_cli_test: convert --mode skipped (no converter or no torch/onnx in /usr/bin/python3)"
fi

if [[ -z $SHARED || ! -d $SHARED/models ]]; then
  echo "quantizer_cli_test: $checks checks, $failures failures; ../shared absent: corpus part skipped"
  [[ $failures -eq 0 ]] && exit 77 || exit 1
fi

# ---------------------------------------------------------------- corpus models
# Unsupported op: the MNIST LSTM (UNIDIRECTIONAL_SEQUENCE_LSTM has no int8 rule);
# its input is float32 [1,28,28] = 3136 bytes.
LSTM=$SHARED/models/tflm/mnist_lstm/trained_lstm.tflite
head -c 3136 /dev/zero >"$TMP/zeros28.bin"
run_cli quantize "$LSTM" -o "$TMP/x.tflite" --mode int8 --calibration "$TMP/zeros28.bin"
expect_error "unsupported op" "no integer kernel for operator 0 (UNIDIRECTIONAL_SEQUENCE_LSTM)"
# --allow-float keeps the LSTM float between a DEQUANTIZE/QUANTIZE pair; the rest is int8.
run_cli quantize "$LSTM" -o "$TMP/lstm_mixed.tflite" --mode int8 --calibration "$TMP/zeros28.bin" --allow-float
[[ $rc -eq 0 && $err == *"kept in float: operator 0 (UNIDIRECTIONAL_SEQUENCE_LSTM)"* ]] && pass || fail "--allow-float: $err"
run_cli inspect "$TMP/lstm_mixed.tflite"
[[ $out == *UNIDIRECTIONAL_SEQUENCE_LSTM* && $out == *"QUANTIZE"* && $out == *"unsupported ops: none"* ]] && pass || fail "mixed LSTM model: $out"
run_cli run "$TMP/lstm_mixed.tflite"
[[ $rc -eq 0 ]] && pass || fail "run mixed LSTM model: $err"
# ResNet-8: 3 CIFAR-10 images as float32 pixels 0..255 (the model's documented input).
R8=$SHARED/models/mlperf_tiny/ic/pretrainedResnet.tflite
CIFAR=$SHARED/datasets/cifar10_test/cifar10_test_from_jpeg_nhwc_uint8.bin
if [[ -f $R8 && -f $CIFAR ]] && command -v /usr/bin/python3 >/dev/null; then
  /usr/bin/python3 -c "
import numpy as np, sys
x = np.fromfile(sys.argv[1], np.uint8, count=3 * 3072).astype(np.float32)
x.tofile(sys.argv[2])" "$CIFAR" "$TMP/cifar3.f32"
  run_cli quantize "$R8" -o "$TMP/r8.tflite" --mode int8 --calibration "$TMP/cifar3.f32" --io int8
  [[ $rc -eq 0 && $err == *"calibration: 3/3 samples"* ]] && pass || fail "ResNet-8 int8: $err"
  run_cli inspect "$TMP/r8.tflite"
  [[ $out == *"'input_1' int8 [1,32,32,3]"* && $out == *"unsupported ops: none"* ]] && pass || fail "ResNet-8 int8 inspect: $out"
  size_f=$(stat -c %s "$R8"); size_q=$(stat -c %s "$TMP/r8.tflite")
  # int8 weights are a quarter of float32 ones; the graph itself costs a little.
  (( size_q * 3 < size_f )) && pass || fail "ResNet-8 int8 must be >3x smaller: $size_f -> $size_q"
  run_cli quantize "$R8" -o "$TMP/r8f16.tflite" --mode float16
  size_h=$(stat -c %s "$TMP/r8f16.tflite")
  (( size_h * 18 < size_f * 10 )) && pass || fail "ResNet-8 float16 must be ~2x smaller: $size_f -> $size_h"
  run_cli run "$TMP/r8.tflite"
  [[ $rc -eq 0 ]] && pass || fail "run ResNet-8 int8: $err"
fi

echo "quantizer_cli_test: $checks checks, $failures failures"
[[ $failures -eq 0 ]]
