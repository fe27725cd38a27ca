#!/usr/bin/env bash
# The README's test command and .ci/run must be the same command line: the
# last line of .ci/run must appear, indented as a code block, in README.md.
set -euo pipefail
SRC=${1:?usage: readme_ci_sync.sh SOURCE_DIR}
cmd=$(grep -v '^\s*#' "$SRC/.ci/run" | grep -v '^\s*$' | grep -v '^set ' | grep -v '^cd ' | tail -1)
if grep -qxF "    $cmd" "$SRC/README.md"; then
  echo "README test command == .ci/run: $cmd"
else
  echo "FAIL: .ci/run runs '$cmd', which is not a command line of README.md"
  exit 1
fi
