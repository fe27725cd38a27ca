#!/bin/sh
# Size report of the micro profile: flash (text + data) and static RAM (data + bss, without
# the stack) of the core with no ops and of each example firmware, the part of flash that is
# the embedded model and test data, and the arena each example needs (its g_arena: exactly
# what it measured, see examples/micro/CMakeLists.txt).
#   micro/size_report.sh [BUILD_DIR ...]     (default: build/micro-m4 build/micro-m3)
# Also: cmake --build --preset micro-m4 --target size_report
set -eu
SIZE=${ARM_SIZE:-arm-none-eabi-size}
NM=${ARM_NM:-arm-none-eabi-nm}
STACK=32768  # micro/platform/mps2.ld STACK_SIZE, reserved in .stack (not in bss)
[ $# -gt 0 ] || set -- build/micro-m4 build/micro-m3
for dir in "$@"; do
  [ -d "$dir" ] || { echo "$dir: not built (cmake --preset $(basename "$dir") && cmake --build --preset $(basename "$dir"))"; continue; }
  echo "== $dir ($(sed -n 's/^EDGELITE_MICRO_CPU:[A-Z]*=//p' "$dir/CMakeCache.txt" 2>/dev/null))"
  printf '%-16s %10s %10s %12s %12s %10s %10s\n' firmware "flash" "of:data" "code+rodata" "static RAM" "arena" "RAM-arena"
  for elf in "$dir/micro/tests/core_no_ops.elf" "$dir"/examples/micro/*.elf; do
    [ -f "$elf" ] || continue
    name=$(basename "$elf" .elf)
    # text data bss (Berkeley format)
    set -- $($SIZE "$elf" | awk 'NR==2 {print $1, $2, $3}')
    text=$1 data=$2 bss=$3
    # Embedded model + test data: the const arrays written by cmake/embed_binary.cmake (g_*).
    embedded=$($NM -t d -S "$elf" | awk '$3 ~ /^[RrTt]$/ && $4 ~ /^g_/ && $4 !~ /_len$/ {s += $2} END {print s + 0}')
    arena=$($NM -t d -S "$elf" | awk '$4 ~ /g_arena/ {print $2 + 0}' | head -1)
    arena=${arena:-0}
    flash=$((text + data))
    ram=$((data + bss - STACK))
    printf '%-16s %10d %10d %12d %12d %10d %10d\n' "$name" "$flash" "$embedded" $((flash - embedded)) "$ram" "$arena" $((ram - arena))
  done
done
echo "flash = text + data; of:data = embedded model and test arrays; static RAM = data + bss"
echo "(the ${STACK}-byte stack is not included); RAM-arena = static RAM besides the arena."
