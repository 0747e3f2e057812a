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

echo "== grading: 500 copies of lab 01's solution with grade-many --jobs 2, and worker start-up =="
SUBS=$(mktemp -d)
for i in $(seq -w 1 500); do mkdir "$SUBS/s$i"; cp labs/01-lazy-allocation/solution/answer.lua "$SUBS/s$i/"; done
RESULTS=$(mktemp -d)
elapsed() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'; }
GRADE=("$BIN" grade-many labs/01-lazy-allocation --submissions "$SUBS" --jobs 2)
start=$(date +%s.%N)
"${GRADE[@]}" --csv "$SUBS/grades.csv" >/dev/null
t=$(elapsed "$start")
awk -v t="$t" 'BEGIN { printf "  500 submissions, gradebook only: %.1f s (target < 60 s: %.2fx of it)\n", t, t / 60 }'
# as a class is graded: every result saved (fsync, rename) as it finishes
start=$(date +%s.%N)
"${GRADE[@]}" --out "$RESULTS/out" --csv "$RESULTS/out.csv" >/dev/null
t=$(elapsed "$start")
awk -v t="$t" 'BEGIN { printf "  500 submissions, each result saved in --out: %.1f s (target < 60 s: %.2fx of it)\n", t, t / 60 }'
start=$(date +%s.%N)
"${GRADE[@]}" --out "$RESULTS/out" --csv "$RESULTS/resumed.csv" --resume >/dev/null
echo "  --resume of the finished folder (500 results read back, none graded): $(elapsed "$start") s"
# killed with kill -9 about halfway, then resumed
start=$(date +%s.%N)
"${GRADE[@]}" --out "$RESULTS/killed" >/dev/null & pid=$!
while kill -0 "$pid" 2>/dev/null && [ "$(find "$RESULTS/killed" -name 's*.json' 2>/dev/null | wc -l)" -lt 250 ]; do sleep 0.05; done
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
kept=$(find "$RESULTS/killed" -name 's*.json' | wc -l)
"${GRADE[@]}" --out "$RESULTS/killed" --csv "$RESULTS/killed.csv" --resume >/dev/null
echo "  killed with kill -9 after $kept results, then --resume: $(elapsed "$start") s in all"
cmp -s "$RESULTS/out.csv" "$RESULTS/killed.csv" && cmp -s "$RESULTS/out.csv" "$RESULTS/resumed.csv" \
  && echo "  the resumed gradebooks equal the uninterrupted one byte for byte" || echo "  FAIL: a resumed gradebook differs"
echo "" > "$SUBS/empty.lua"
REQ="{\"labFile\":\"$SUBS/empty.lua\",\"labDirectory\":\"$SUBS\",\"labName\":\"empty\",\"params\":{},\"memoryMiB\":2048,\"cpuSeconds\":60,\"charts\":false}"
start=$(date +%s.%N)
for i in $(seq 100); do $BIN __worker "$REQ" >/dev/null; done
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "  worker start-up (an empty lab, 100 runs): %.1f ms each (target < 30 ms: %.2fx of it)\n", (e - s) * 10, (e - s) * 10 / 30 }'
rm -rf "$SUBS" "$RESULTS"

echo
echo "== bounded string and table functions against the stock ones (ordinary inputs, CPU time per call) =="
mkdir -p bench/out
cc -O2 -ISources/CLuaShim/include $(pkg-config --cflags lua5.4) Sources/CLuaShim/*.c bench/peers/strings.c \
  $(pkg-config --libs lua5.4) -lm -o bench/out/strings
bench/out/strings

echo
echo "== fair scheduler against SimGrid 3.32's VM model (same scenario, same chunk lengths) =="
if ! pkg-config --exists simgrid 2>/dev/null; then
  echo "installing libsimgrid-dev for the peer driver"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get install -y -qq libsimgrid-dev >/dev/null
fi
mkdir -p bench/out
g++ -O2 -std=c++17 -o bench/out/simgrid_vms bench/peers/simgrid_vms.cpp $(pkg-config --cflags --libs simgrid) 2>/dev/null
if ! [ -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get install -y -qq time >/dev/null
fi
# peak RSS (KiB) of a command, and its output, by /usr/bin/time
peak() { /usr/bin/time -f %M -o bench/out/peak "$@"; }
printf "%6s  %14s  %14s  %9s  %10s  %10s  %8s  %9s  %9s\n" hosts "HyperLab chunks" "SimGrid chunks" "diff" "HyperLab s" "SimGrid s" "speed-up" "HL MiB" "SG MiB"
for n in 10 30 100; do
  read -r _ hc ht < <(peak .build/release/HyperLabBench simgrid "$n"); hm=$(cat bench/out/peak)
  read -r _ sc st < <(peak bench/out/simgrid_vms "$n" --log=root.thres:critical); sm=$(cat bench/out/peak)
  awk -v n="$n" -v hc="$hc" -v sc="$sc" -v ht="$ht" -v st="$st" -v hm="$hm" -v sm="$sm" 'BEGIN {
    printf "%6d  %14d  %14d  %8.3f%%  %10.3f  %10.3f  %7.0fx  %9.0f  %9.0f\n", n, hc, sc, (hc - sc) * 100 / sc, ht, st, st / ht, hm / 1024, sm / 1024 }'
done

echo
echo "== HyperLab alone at scale (benchmark 14: one process per size, one core; CPU time of the run, peak RSS) =="
echo "   fair: the scenario above, statistics level 1, one simulated hour; per VM-hour against 100 hosts"
base=
for n in 100 1000 10000; do
  line=$(.build/release/HyperLabBench scale fair "$n")
  per=$(sed -n 's/.*per-vm-hour=\([0-9.]*\).*/\1/p' <<<"$line")
  [ -z "$base" ] && base=$per
  echo "  $line  ($(awk -v a="$per" -v b="$base" 'BEGIN { printf "%.2f", a / b }')x the 100-host cost per VM-hour)"
done
echo "   the same on two threads (wall time), results identical to one thread (ParallelismTests):"
echo "  $(.build/release/HyperLabBench scale fair 10000 2)"
echo "   esx with 50 ms quanta, 1,000 hosts x 20 VMs, one hour (target < 60 s):"
echo "  $(.build/release/HyperLabBench scale esx 1000)"
echo "   memory under pressure, 5,000 hosts x 20 VMs of 8 GiB, one hour, two threads (target < 60 s):"
echo "  $(.build/release/HyperLabBench scale memory 5000 2)"
echo "   model state of an idle VM without series (target < 4 KB):"
echo "  $(.build/release/HyperLabBench scale idle 100000)"

echo
echo "== SimGrid 3.32's shares for tasks on a PM beside VMs (the oracle of FairSimGridTests, HostWorkTests) =="
g++ -O2 -std=c++17 -o bench/out/simgrid_host_tasks bench/peers/simgrid_host_tasks.cpp $(pkg-config --cflags --libs simgrid) 2>/dev/null
bench/out/simgrid_host_tasks --log=root.thres:critical | sort
