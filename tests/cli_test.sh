#!/usr/bin/env bash
# CLI test: `edgelite inspect` on every model of ../shared/models, failure
# paths of `edgelite run` (truncated file, random bytes, wrong input size,
# usage errors), the seeded input pattern against the goldens' inputs, and
# make-demo + run, and `edgelite bench` (its JSON keys, never its timings).
#
# usage: tests/cli_test.sh EDGELITE_BINARY SHARED_DIR   ($EDGELITE_SHARED overrides SHARED_DIR)
# The demo and failure-path parts need nothing and always run; the corpus parts
# need SHARED_DIR. Exit 0: all passed; 1: failures; 77 (ctest: skipped): the
# shared-free parts passed but SHARED_DIR is absent.
set -uo pipefail

EDGELITE=${1:?usage: cli_test.sh EDGELITE_BINARY SHARED_DIR}
SHARED=${EDGELITE_SHARED:-${2:-}}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0
checks=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { checks=$((checks + 1)); }

# Runs the CLI with a time limit; sets $rc, $out (stdout), $err (stderr).
run_cli() {
  timeout 300 "$EDGELITE" "$@" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  out=$(cat "$TMP/out")
  err=$(cat "$TMP/err")
}

# A clean failure: exit status 1 (not a signal, not a timeout) and exactly one
# "edgelite: error: ..." line on stderr that says something.
expect_clean_error() {
  local what=$1
  if [[ $rc -eq 0 ]]; then fail "$what: expected failure, got exit 0"; return; fi
  if [[ $rc -ne 1 ]]; then fail "$what: exit status $rc (crash or timeout?)"; echo "$err" | tail -5; return; fi
  if ! grep -qE '^edgelite: error: .{10,}' <<<"$err"; then fail "$what: no clear error line on stderr: $err"; return; fi
  pass
}

# ---------------------------------------------------------------- usage
run_cli --help
[[ $rc -eq 0 && $out == *inspect* && $out == *make-demo* ]] && pass || fail "--help (rc=$rc)"
for c in inspect run bench make-demo; do
  run_cli "$c" --help
  [[ $rc -eq 0 && $out == *Usage* ]] && pass || fail "$c --help (rc=$rc)"
done
run_cli frobnicate
[[ $rc -ne 0 && $rc -lt 128 ]] && pass || fail "unknown command must fail cleanly (rc=$rc)"
run_cli run
[[ $rc -ne 0 && $rc -lt 128 ]] && pass || fail "run without MODEL must fail cleanly (rc=$rc)"
run_cli inspect "$TMP/does_not_exist.tflite"
expect_clean_error "inspect of a missing file"
run_cli bench "$TMP/does_not_exist.tflite"
expect_clean_error "bench of a missing file"
run_cli bench "$TMP/does_not_exist.tflite" --runs 0
[[ $rc -ne 0 && $rc -lt 128 ]] && pass || fail "bench --runs 0 must fail cleanly (rc=$rc)"

# ---------------------------------------------------------------- demo model
run_cli make-demo "$TMP/demo.tflite"
if [[ $rc -ne 0 ]]; then
  fail "make-demo (rc=$rc): $err"
else
  expected=$(grep '^expected answer:' <<<"$out")
  # "expected answer: 7 seven 0.997..."
  read -r _ _ exp_class exp_label exp_prob <<<"$expected"
  run_cli run "$TMP/demo.tflite" --input "0=$TMP/demo_input.bmp" --labels "$TMP/demo_labels.txt" --top 3
  if [[ $rc -ne 0 ]]; then
    fail "run demo (rc=$rc): $err"
  else
    # First line after "top 3 ...": "      7  0.997...  seven"
    top1=$(grep -A1 '^top ' <<<"$out" | tail -1)
    read -r got_class got_prob got_label <<<"$top1"
    if [[ "$got_class" == "$exp_class" && "$got_label" == "$exp_label" ]] &&
       awk -v a="$got_prob" -v b="$exp_prob" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-4) }'; then
      pass
      echo "demo: expected $exp_class $exp_label $exp_prob, edgelite printed $got_class $got_label $got_prob"
    else
      fail "demo answer: expected '$exp_class $exp_label $exp_prob', got '$top1'"
      echo "$out"
    fi
  fi
  # inspect on the demo, text and JSON.
  run_cli inspect "$TMP/demo.tflite"
  [[ $rc -eq 0 && $out == *"unsupported ops: none"* ]] && pass || fail "inspect demo (rc=$rc): $out $err"
  run_cli inspect --json "$TMP/demo.tflite"
  [[ $rc -eq 0 && $out == *'"unsupported_ops": []'* ]] && pass || fail "inspect --json demo (rc=$rc)"
  # export-c: the array decodes back to the model's bytes; length and alignment are stated.
  run_cli export-c "$TMP/demo.tflite" -o "$TMP/demo_data.cc" --name g_demo
  if [[ $rc -eq 0 ]] &&
     grep -q '^alignas(16) const unsigned char g_demo\[\] = {' "$TMP/demo_data.cc" &&
     grep -q "^const size_t g_demo_len = $(stat -c %s "$TMP/demo.tflite");" "$TMP/demo_data.cc" &&
     grep -o '0x[0-9a-f][0-9a-f]' "$TMP/demo_data.cc" | sed 's/^0x//' | tr -d '\n' |
       python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read()))' |
       cmp -s - "$TMP/demo.tflite"; then
    pass
  else
    fail "export-c demo (rc=$rc): $err"
  fi
  run_cli export-c "$TMP/demo.tflite" -o "$TMP/x.cc" --name "1bad"
  expect_clean_error "export-c with a name that is not a C identifier"
  # inspect --micro: the resolver lines are printed; without a probe the arena is "unknown"
  # (exit 1). The measured arena is checked by the micro preset's tests (micro/CMakeLists.txt).
  EDGELITE_MICRO_PROBE=/nonexistent run_cli inspect --micro "$TMP/demo.tflite"
  expect_clean_error "inspect --micro with a missing probe"
  # Wrong raw input size, missing input file, bad --input syntax, bad index.
  head -c 10 /dev/zero >"$TMP/short.bin"
  run_cli run "$TMP/demo.tflite" --input "0=$TMP/short.bin"
  expect_clean_error "run with a raw input of the wrong size"
  run_cli run "$TMP/demo.tflite" --input "0=$TMP/nope.bin"
  expect_clean_error "run with a missing input file"
  run_cli run "$TMP/demo.tflite" --input "garbage"
  expect_clean_error "run with --input without '='"
  run_cli run "$TMP/demo.tflite" --input "5=$TMP/short.bin"
  expect_clean_error "run with an input index out of range"
  head -c 100 /dev/urandom >"$TMP/bad.png"
  run_cli run "$TMP/demo.tflite" --input "0=$TMP/bad.png"
  expect_clean_error "run with an undecodable image"
  # An image of another size and colour: decoded to gray, resized to 12x12.
  if [[ -n "$SHARED" && -f "$SHARED/images/grace_hopper.jpg" ]]; then
    run_cli run "$TMP/demo.tflite" --input "0=$SHARED/images/grace_hopper.jpg"
    [[ $rc -eq 0 && $out == *"resized to 12x12"* ]] && pass || fail "run demo on a resized JPEG (rc=$rc): $err"
  fi
  # --out writes the oracle layout.
  run_cli run "$TMP/demo.tflite" --out "$TMP/demo_out"
  if [[ $rc -eq 0 && -s "$TMP/demo_out/input_0.bin" && -s "$TMP/demo_out/output_0.bin" && -s "$TMP/demo_out/meta.json" ]]; then
    pass
  else
    fail "run --out did not write input_0.bin/output_0.bin/meta.json (rc=$rc) $err"
  fi
fi

# ---------------------------------------------------------------- resource caps
# --max-arena-bytes / --max-tensor-bytes: a cap of 1 byte refuses the demo
# model cleanly and names the limit; a generous cap changes nothing.
if [[ -f "$TMP/demo.tflite" ]]; then
  for c in run bench; do
    extra=()
    [[ $c == bench ]] && extra=(--runs 1 --warmup 0)
    run_cli "$c" "$TMP/demo.tflite" --max-arena-bytes 1 "${extra[@]}"
    expect_clean_error "$c --max-arena-bytes 1"
    grep -q 'max_arena_bytes' <<<"$err" && pass || fail "$c --max-arena-bytes 1: no limit named: $err"
    run_cli "$c" "$TMP/demo.tflite" --max-tensor-bytes 1 "${extra[@]}"
    expect_clean_error "$c --max-tensor-bytes 1"
    grep -qE "max_tensor_bytes" <<<"$err" && pass || fail "$c --max-tensor-bytes 1: no limit named: $err"
    run_cli "$c" "$TMP/demo.tflite" --max-arena-bytes 100000000 --max-tensor-bytes 100000000 "${extra[@]}"
    [[ $rc -eq 0 ]] && pass || fail "$c with generous caps (rc=$rc): $err"
  done
fi

# ---------------------------------------------------------------- broken files
# Truncated model and random bytes (with and without a .tflite identifier).
if [[ -n "$SHARED" && -f "$SHARED/models/tflm/hello_world/hello_world_float.tflite" ]]; then
  src="$SHARED/models/tflm/hello_world/hello_world_float.tflite"
else
  src="$TMP/demo.tflite"
fi
if [[ -f "$src" ]]; then
  size=$(stat -c %s "$src")
  for cut in 4 $((size / 3)) $((size / 2)) $((size - 16)); do
    head -c "$cut" "$src" >"$TMP/truncated.tflite"
    run_cli run "$TMP/truncated.tflite"
    expect_clean_error "run on $src truncated to $cut bytes"
    run_cli inspect "$TMP/truncated.tflite"
    expect_clean_error "inspect on $src truncated to $cut bytes"
  done
fi
for n in 0 3 64 4096 100000; do
  head -c "$n" /dev/urandom >"$TMP/random.tflite"
  run_cli run "$TMP/random.tflite"
  expect_clean_error "run on $n random bytes"
done
{ head -c 4 /dev/urandom; printf 'TFL3'; head -c 2000 /dev/urandom; } >"$TMP/random_ident.tflite"
run_cli run "$TMP/random_ident.tflite"
expect_clean_error "run on random bytes with a TFL3 identifier"

if [[ -z "$SHARED" || ! -d "$SHARED/models" ]]; then
  echo "cli_test: ../shared not found: skipped the corpus part ($checks checks passed, $failures failed)"
  [[ $failures -eq 0 ]] && exit 77 || exit 1
fi

# ---------------------------------------------------------------- inspect on the corpus
# Files of ../shared/models that edgelite's loader must reject, with a word
# its message must contain (the rest of the corpus must inspect with exit 0).
declare -A REJECT=(
  # Not .tflite FlatBuffers at all (TFLite's own tests expect them to fail).
  [models/litert/java_testdata/invalid_model.bin]="TFL3"
  [models/litert/tflite_testdata/test_model_broken.bin]="TFL3"
  # A node reads a tensor that no node produces and that has no data (TFLite's
  # tests expect AllocateTensors resp. Invoke to fail; edgelite refuses at load).
  [models/litert/tflite_testdata/add_shared_tensors.bin]="before any operator produces it"
  [models/litert/tflite_testdata/segment_sum_invalid_buffer.bin]="before any operator produces it"
  # Same defect (ADD reads 'quantized_tensor', which has an empty buffer and no
  # producer); TFLite loads it (a LiteRT parser test of blockwise quantization
  # parameters), edgelite's validator does not.
  [models/litert/litert_testdata/blockwise_quantized.tflite]="before any operator produces it"
)
mapfile -t models < <(awk -F'\t' 'NR > 1 && $2 == "model" { print $1 }' "$SHARED/MANIFEST.tsv")
ok=0 rejected=0
for m in "${models[@]}"; do
  run_cli inspect "$SHARED/$m"
  if [[ -n "${REJECT[$m]+x}" ]]; then
    expect_clean_error "inspect $m (a broken file)"
    if [[ $rc -eq 1 ]]; then
      rejected=$((rejected + 1))
      grep -qi -- "${REJECT[$m]}" <<<"$err" || fail "inspect $m: message lacks '${REJECT[$m]}': $err"
      echo "rejected as expected: $m: $err"
    fi
  elif [[ $rc -ne 0 ]]; then
    fail "inspect $m: exit $rc: $err"
  elif ! grep -q '^unsupported ops: ' <<<"$out" || ! grep -q '^arena: ' <<<"$out"; then
    fail "inspect $m: report lacks 'unsupported ops:' or 'arena:' lines"
  else
    ok=$((ok + 1))
    pass
  fi
done
echo "inspect: ${#models[@]} model files: $ok inspected, $rejected rejected as broken"

# ---------------------------------------------------------------- seeded pattern
# The goldens' inputs of these models are the oracle's seeded pattern (seed 1):
# `edgelite run --out` must write the same bytes. (It needs the model to run,
# so only models whose ops edgelite implements are listed.)
# float32, int32 and bool inputs, one and two inputs.
for m in tflm/hello_world/hello_world_float.tflite litert/java_testdata/float32.bin \
         litert/java_testdata/int32.bin mlperf_tiny/vww/vww_96_float.tflite \
         nnstreamer/sample_4x4x4x4x4_two_input_one_output.tflite \
         litert/litert_testdata/simple_logical_or_op.tflite; do
  g="$SHARED/goldens/$m"
  [[ -f "$g/input_0.bin" ]] || continue
  run_cli run "$SHARED/models/$m" --out "$TMP/pattern"
  if [[ $rc -ne 0 ]]; then
    echo "note: cannot run $m yet (skipping its pattern check): $err"
    continue
  fi
  for f in "$g"/input_*.bin; do
    if cmp -s "$f" "$TMP/pattern/$(basename "$f")"; then pass; else fail "seeded pattern differs from $f"; fi
  done
  rm -rf "$TMP/pattern"
done

# ---------------------------------------------------------------- bench
# The JSON report's keys (timings are never asserted, only present and >= 0).
m="$SHARED/models/tflm/hello_world/hello_world_float.tflite"
if [[ -f "$m" ]]; then
  run_cli bench "$m" --runs 5 --warmup 1 --json --profile
  if [[ $rc -ne 0 ]]; then
    fail "bench --json --profile on hello_world (rc=$rc): $err"
  elif /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
for k in ("model", "threads", "warmup", "runs", "load_ms", "create_ms", "allocate_ms",
          "first_invoke_ms", "latency_ms", "arena_bytes", "persistent_bytes", "peak_rss_bytes",
          "profile"):
    assert k in d, "missing key " + k
for k in ("median", "mean", "min", "max"):
    assert d["latency_ms"][k] >= 0, k
l = d["latency_ms"]
assert l["min"] <= l["median"] <= l["max"] and l["min"] <= l["mean"] <= l["max"], l
assert d["runs"] == 5 and d["warmup"] == 1 and d["arena_bytes"] > 0 and d["peak_rss_bytes"] > 0
p = d["profile"]
assert [o["op"] for o in p["op_types"]] == ["FULLY_CONNECTED"], p["op_types"]
assert p["op_types"][0]["nodes"] == 3
assert sorted(n["node"] for n in p["nodes"]) == [0, 1, 2], p["nodes"]
ms = [n["ms"] for n in p["nodes"]]
assert ms == sorted(ms, reverse=True), "nodes not slowest first"
for n in p["nodes"]:
    assert n["subgraph"] == 0 and n["op"] == "FULLY_CONNECTED" and n["calls_per_invoke"] == 1
' <<<"$out"; then
    pass
  else
    fail "bench --json --profile on hello_world: unexpected JSON: $out"
  fi
  grep -q 'run 5/5' <<<"$err" && pass || fail "bench printed no progress on stderr: $err"
  run_cli bench "$m" --runs 2 --warmup 0
  [[ $rc -eq 0 && $out == *latency* && $out == *"peak RSS"* ]] && pass || fail "bench text on hello_world (rc=$rc): $err"
fi

echo "cli_test: $checks checks passed, $failures failed"
[[ $failures -eq 0 ]]
