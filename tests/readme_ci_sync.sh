#!/usr/bin/env bash
# The README's test command and .ci/run must be the same command line: the
# last command of .ci/run must be a line of the README's second code block
# (the first is the main job; both are fenced ```sh blocks at the top).
set -euo pipefail
SRC=${1:?usage: readme_ci_sync.sh SOURCE_DIR}
cmd=$(grep -v '^\s*#' "$SRC/.ci/run" | grep -v '^\s*$' | grep -v '^set ' | grep -v '^cd ' | tail -1)
readme_test=$(awk '/^```/{n++; next} n==3' "$SRC/README.md")
if [ "$cmd" = "$readme_test" ]; then
  echo "README test command == .ci/run: $cmd"
else
  echo "FAIL: .ci/run runs '$cmd', but the README's test code block is '$readme_test'"
  exit 1
fi
