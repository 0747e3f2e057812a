#!/usr/bin/env bash
# The self-contained release's figures: its start-up (process and grading worker) and
# the tarball's size. Run by `make bench-dist` after `make dist`.
set -euo pipefail
cd "$(dirname "$0")/.."
TAR=$(ls dist/hyperlab-*-linux-x86_64.tar.gz | head -1)
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
tar -xzf "$TAR" -C "$DIR" --strip-components=1
BIN="$DIR/bin/hyperlab"
size=$(stat -c %s "$TAR")
awk -v s="$size" 'BEGIN { printf "  tarball: %.1f MB (target < 30 MB: %.2fx of it)\n", s / 1e6, s / 30e6 }'
awk -v s="$(stat -c %s "$BIN")" 'BEGIN { printf "  binary (stripped): %.1f MB\n", s / 1e6 }'
# each figure: 100 runs, the mean in ms
ms() { local start end; start=$(date +%s.%N); for _ in $(seq 100); do "$@" >/dev/null; done; end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", (e - s) * 10 }'; }
v=$(ms "$BIN" --version)
echo "" > "$DIR/empty.lua"
REQ="{\"labFile\":\"$DIR/empty.lua\",\"labDirectory\":\"$DIR\",\"labName\":\"empty\",\"params\":{},\"memoryMiB\":2048,\"cpuSeconds\":60,\"charts\":false}"
w=$(ms "$BIN" __worker "$REQ")
awk -v v="$v" -v w="$w" 'BEGIN {
  printf "  start-up, hyperlab --version: %.1f ms (target < 30 ms: %.2fx of it)\n", v, v / 30
  printf "  start-up, a grading worker on an empty lab: %.1f ms (%.2fx of the 30 ms target)\n", w, w / 30 }'
