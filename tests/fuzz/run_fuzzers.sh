#!/usr/bin/env bash
# Runs every libFuzzer target of a `fuzz` preset build for a bounded time, one
# after the other (one process: the machine is shared), on seed corpora built
# from ../shared/models under the build directory.
#
# usage: run_fuzzers.sh BUILD_DIR SHARED_DIR SECONDS_PER_TARGET [TARGET...]
#   e.g. tests/fuzz/run_fuzzers.sh build/fuzz ../shared 60
# FUZZ_SEED (default 1) is libFuzzer's -seed: fixed, so that CI replays the same mutation
# sequence on every run (a red CI names a bug, not a lucky draw; the sequence just stops at
# a time limit). FUZZ_SEED=0 draws a random seed: use it for longer exploratory runs.
# Exit status 1 if a target finds a crash, leak, sanitizer report or timeout
# (the reproducer is left in BUILD_DIR/fuzz-artifacts/). Prints executions
# and CPU seconds per target.
set -euo pipefail
BUILD=${1:?usage: run_fuzzers.sh BUILD_DIR SHARED_DIR SECONDS [TARGET...]}
SHARED=${2:?usage: run_fuzzers.sh BUILD_DIR SHARED_DIR SECONDS [TARGET...]}
SECONDS_PER=${3:?usage: run_fuzzers.sh BUILD_DIR SHARED_DIR SECONDS [TARGET...]}
SEED=${FUZZ_SEED:-1}
shift 3
TARGETS=("$@")
[[ ${#TARGETS[@]} -eq 0 ]] && TARGETS=(model_fuzzer op_fuzzer micro_core_fuzzer)
HERE=$(cd "$(dirname "$0")" && pwd)
CORPUS="$BUILD/corpus"
"$HERE/make_corpus.sh" "$SHARED" "$CORPUS"
mkdir -p "$BUILD/fuzz-artifacts"
status=0
for t in "${TARGETS[@]}"; do
  seeds="$CORPUS/${t%_fuzzer}"
  [[ $t == micro_core_fuzzer ]] && seeds="$CORPUS/model"  # the same .tflite seeds
  work="$CORPUS/${t%_fuzzer}_work"   # new inputs go here, seeds stay as built
  mkdir -p "$work"
  log="$BUILD/fuzz-artifacts/$t.log"
  # -timeout: a single input running longer is a hang (reported; 120 s because
  # real seed models, e.g. a 512x256x1280 int16 BATCH_MATMUL, take ~25 s CPU on
  # the reference kernels under ASan at -O1); -rss_limit_mb
  # and -malloc_limit_mb: the runtime must refuse huge allocations itself.
  set +e
  TIMEFORMAT='%U %S'  # bash's `time`: user and system CPU seconds
  { time "$BUILD/tests/fuzz/$t" "$work" "$seeds" -max_total_time="$SECONDS_PER" -seed="$SEED" -timeout=120 \
      -rss_limit_mb=2560 -malloc_limit_mb=1024 -max_len=1048576 -print_final_stats=1 \
      -artifact_prefix="$BUILD/fuzz-artifacts/$t-" >"$log" 2>&1; } 2>"$BUILD/fuzz-artifacts/$t.time"
  rc=$?
  set -e
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo "?")
  read -r u s <"$BUILD/fuzz-artifacts/$t.time" || true
  cpu=$(awk -v u="${u:-0}" -v s="${s:-0}" 'BEGIN { printf "%.1f", u + s }')
  echo "fuzz: $t: seed=$SEED rc=$rc executions=$execs cpu_seconds=$cpu corpus=$(ls "$work" | wc -l)+$(ls "$seeds" | wc -l)"
  if [[ $rc -ne 0 ]]; then
    status=1
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -20
  fi
done
exit $status
