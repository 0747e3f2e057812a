#!/usr/bin/env bash
# Every lab's results, event log digest and HTML report (its charts hold the series), for
# checking that a change to the model's performance changes no lab output:
#   bench/labs-identical.sh record DIR [HYPERLAB]   writes DIR/NN.json and DIR/NN.html
#   bench/labs-identical.sh compare DIR [HYPERLAB]  runs again and diffs against DIR
# HYPERLAB defaults to .build/release/hyperlab. Exit status 1 when anything differs.
set -uo pipefail
cd "$(dirname "$0")/.."
mode=${1:?record or compare}; dir=${2:?a folder}; bin=${3:-.build/release/hyperlab}
case $mode in record) out=$dir ;; compare) out=$(mktemp -d) ;; *) echo "record or compare" >&2; exit 2 ;; esac
mkdir -p "$out"
status=0
for lab in labs/*/; do
  name=$(basename "$lab")
  [ -d "$lab/solution" ] || continue
  "$bin" run "$lab" --submission "$lab/solution" --format json --no-color \
    --report "html:$out/$name.html" >"$out/$name.json" 2>"$out/$name.err"
  echo "exit $?" >>"$out/$name.json"
  if [ "$mode" = compare ]; then
    for ext in json html; do
      if ! cmp -s "$dir/$name.$ext" "$out/$name.$ext"; then echo "DIFFERS: $name.$ext"; status=1; fi
    done
  fi
done
if [ "$mode" = compare ]; then
  [ $status = 0 ] && echo "all $(ls "$dir"/*.json | wc -l) labs identical (results, event log digest, HTML report)"
  rm -rf "$out"
fi
exit $status
