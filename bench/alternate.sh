#!/usr/bin/env bash
# Wall and CPU time of the benchmarks of two builds, run alternately (A B A B ...) so
# that a shared machine's load falls on both alike; a second opinion beside
# bench/count.sh's instruction counts.
#   bench/alternate.sh A/HyperLabBench B/HyperLabBench [ROUNDS] [BENCHMARKS]
# ROUNDS defaults to 3, BENCHMARKS to "1 3 4 6 7". Each line: the benchmark, the build,
# the figure it prints (ns per read, or seconds of wall time), and the CPU time (user +
# system) of the whole process, set-up included, from /usr/bin/time.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 A/HyperLabBench B/HyperLabBench [ROUNDS] [BENCHMARKS]" >&2; exit 2; }
cd "$(dirname "$0")/.."
if ! command -v /usr/bin/time >/dev/null 2>&1; then  # Debian's package, installed when missing
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get install -y -qq time >/dev/null
fi
A=$1 B=$2 ROUNDS=${3:-3} BENCHES=${4:-1 3 4 6 7}
TMP=$(mktemp)
trap 'rm -f "$TMP"' EXIT
for round in $(seq 1 "$ROUNDS"); do
  for n in $BENCHES; do
    for bin in "$A" "$B"; do
      figures=$(/usr/bin/time -f "%U %S" -o "$TMP" "$bin" . "$n" \
        | awk '/ns per read/ { printf "%s ns ", $1 } /s wall/ { for (i = 1; i < NF; i++) if ($(i + 1) == "s" && $(i + 2) ~ /^wall/) printf "%s s ", $i }')
      cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$TMP")
      printf "round %d  benchmark %d  %-40s %-22s cpu %s s\n" "$round" "$n" "$bin" "$figures" "$cpu"
    done
  done
done
