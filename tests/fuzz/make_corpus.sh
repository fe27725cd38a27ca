#!/usr/bin/env bash
# Builds the fuzzers' seed corpora under OUT (a build directory, never the
# source tree) from ../shared/models, read at run time:
#   OUT/model  every .tflite of ../shared/models up to MAX_BYTES (default
#              256 KiB: larger models only slow each execution down)
#   OUT/op     a few fixed byte strings (the op fuzzer builds its own models)
# usage: make_corpus.sh SHARED_DIR OUT [MAX_BYTES]
set -euo pipefail
SHARED=${1:?usage: make_corpus.sh SHARED_DIR OUT [MAX_BYTES]}
OUT=${2:?usage: make_corpus.sh SHARED_DIR OUT [MAX_BYTES]}
MAX=${3:-262144}
mkdir -p "$OUT/model" "$OUT/op"
n=0
if [ -d "$SHARED/models" ]; then
  while IFS= read -r -d '' f; do
    # Name by content hash: same model twice -> one seed.
    cp "$f" "$OUT/model/$(sha1sum "$f" | cut -c1-16).tflite"
    n=$((n + 1))
  done < <(find "$SHARED/models" -name '*.tflite' -size -"$((MAX / 1024 + 1))"k -print0)
else
  echo "make_corpus.sh: $SHARED/models not found; model corpus left empty" >&2
fi
for i in 0 1 2 3 4 5 6 7 8 9 10 11 12 13; do
  # Deterministic filler bytes; the fuzzer mutates from there.
  yes "op$i-$((i * 37))" | tr -d '\n' | head -c $((32 + 8 * i)) >"$OUT/op/seed_$i" || true
done
echo "corpus: $n model seeds in $OUT/model, 14 op seeds in $OUT/op"
