#!/usr/bin/env bash
# Runs the benchmarks on a release build. Figures go to bench/README.md by hand, with
# the machine they were taken on.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product hyperlab >/dev/null
swift build -c release --product HyperLabBench >/dev/null
BIN=.build/release/hyperlab

echo "== hyperlab run, whole process (wall time) =="
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --warmup 2 --runs 10 -N \
    "$BIN --version" \
    "$BIN run labs/01-lazy-allocation --format json" \
    "$BIN run labs/02-cpu-overcommit --format json" 2>/dev/null | grep -E "Benchmark|Time|±" || true
else
  for lab in labs/*/; do
    /usr/bin/time -f "  %e s  %M KB  $lab" "$BIN" run "$lab" --format json >/dev/null
  done
fi
echo
.build/release/HyperLabBench .
