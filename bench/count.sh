#!/usr/bin/env bash
# Instructions executed by each benchmark (valgrind --tool=callgrind), for comparing
# builds on a shared machine, where wall time varies by ±20 % and instruction counts by
# well under 1 %. Each benchmark runs once, scaled down (HyperLabBench count ...), with
# the builds alternating. Benchmark 1 is counted per read: (object loop − empty loop) / N,
# averaged over R runs. SCENARIOS="fair 100,esx 20" picks the others (none: "-").
#   bench/count.sh [HyperLabBench ...]    default: .build/release/HyperLabBench
# The first build is the reference of the ratios. Valgrind 3.19 cannot read the DWARF 5
# that Swift emits, so each binary is counted from a copy without debug sections.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v valgrind >/dev/null 2>&1; then  # Debian's package, installed when missing
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get install -y -qq valgrind >/dev/null
fi
[ $# -gt 0 ] || set -- .build/release/HyperLabBench
N=${N:-200000}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
bins=()
for i in $(seq 1 $#); do
  objcopy --strip-debug "${!i}" "$TMP/bench$i"
  bins+=("$TMP/bench$i")
done
irs() { # the instructions one run executes
  valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.out" "$@" 2>&1 >/dev/null \
    | awk '/Collected :/ { print $NF }'
}
row() { # label, then one count per build
  local label=$1; shift
  local ref=$1 line
  line=$(printf "%-36s" "$label")
  for v in "$@"; do line+=$(awk -v v="$v" -v r="$ref" 'BEGIN { printf(v < 1e6 ? "  %15.1f (%.3f×)" : "  %15.0f (%.3f×)", v, v / r) }'); done
  echo "$line"
}
label() { # the worktree and commit a binary was built from
  local root; root=$(cd "$(dirname "$1")/../.." && pwd)
  echo "$(basename "$root")@$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
}
printf "%-36s" "benchmark (instructions)"; for b in "$@"; do printf "  %24s" "$(label "$b")"; done; echo
# Lua seeds its string hashes from addresses and the clock, so a read's table lookups
# vary by about ±1 % from run to run: the mean of R runs, builds alternating, and each
# build's range below.
R=${R:-3}
declare -A sum lo hi
for r in $(seq 1 "$R"); do
  for i in "${!bins[@]}"; do
    e=$(irs "${bins[$i]}" count read empty "$N"); o=$(irs "${bins[$i]}" count read object "$N")
    v=$(awk -v e="$e" -v o="$o" -v n="$N" 'BEGIN { printf "%.1f", (o - e) / n }')
    sum[$i]=$(awk -v a="${sum[$i]:-0}" -v v="$v" 'BEGIN { print a + v }')
    lo[$i]=$(awk -v a="${lo[$i]:-1e18}" -v v="$v" 'BEGIN { print (v < a ? v : a) }')
    hi[$i]=$(awk -v a="${hi[$i]:-0}" -v v="$v" 'BEGIN { print (v > a ? v : a) }')
  done
done
per_read=(); range="   runs of $N reads:"
for i in "${!bins[@]}"; do
  per_read+=("$(awk -v s="${sum[$i]}" -v r="$R" 'BEGIN { printf "%.1f", s / r }')")
  range+=" ${lo[$i]}–${hi[$i]}"
done
row "1. read of vm.memory.consumed, each" "${per_read[@]}"
echo "$range"
IFS=, read -ra scenarios <<<"${SCENARIOS:-fair 100,esx 20,memory 20 8,memory 10 64,storage 1000}"
for scenario in "${scenarios[@]}"; do
  [ "$scenario" = - ] && continue
  counts=()
  for b in "${bins[@]}"; do counts+=("$(irs "$b" count $scenario)"); done
  row "$scenario" "${counts[@]}"
done
