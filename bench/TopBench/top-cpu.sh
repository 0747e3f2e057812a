#!/bin/sh
# top's own CPU at 20 frames/s in an 80x24 and a 200x60 tmux pane (bench/README.md);
# BIN=.build/release/hyperlab for a release build. Needs tmux and bc.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PIDFILE=$(mktemp)
BIN=${BIN:-.build/debug/hyperlab}
B=topcpu-$$
for size in "80 24" "200 60"; do
  set -- $size; S=$B-$1
  tmux -L $S -f /dev/null new-session -d -s t -x $1 -y $2 "cd $ROOT && sh -c 'echo \$\$ > $PIDFILE; exec $BIN top bench/TopBench/hundred-vms.lua'; sleep 5" </dev/null >/dev/null 2>&1
  n=0; until tmux -L $S capture-pane -p -t t 2>/dev/null | grep -q "PCPU USED"; do sleep 1; n=$((n+1)); [ $n -gt 300 ] && { echo "top did not start"; exit 1; }; done
  tmux -L $S send-keys -t t Home + + + Space
  sleep 0.5
  pid=$(cat $PIDFILE)
  a=$(awk '{print $14+$15}' /proc/$pid/stat); t0=$(date +%s.%N)
  sleep 5
  b=$(awk '{print $14+$15}' /proc/$pid/stat); t1=$(date +%s.%N)
  tmux -L $S capture-pane -p -t t | head -1
  echo "$1x$2: $(echo "($b - $a) / $(getconf CLK_TCK) / ($t1 - $t0) * 100" | bc -l | cut -c1-5) % of one core over 5 s at 20 frames/s"
  tmux -L $S send-keys -t t q
  sleep 1
  tmux -L $S kill-server 2>/dev/null
done
