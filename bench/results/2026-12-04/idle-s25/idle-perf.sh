#!/usr/bin/env bash
# usage: idle-perf.sh SERVERPATH OUTDIR LABEL MODE SECONDS -- one W4 run with perf on the server during the login storm
set -uo pipefail
server=$1; out=$2; label=$3; mode=$4; secs=$5
mkdir -p "$out"
ulimit -n "$(ulimit -Hn)"
export DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1
export BENCH_SERVER_DOTNET_PerfMapEnabled=1 BENCH_SERVER_DOTNET_EnableWriteXorExecute=0
cd /work/wt-idle
( for i in $(seq 1 300); do pid=$(pgrep -f "^(dotnet )?$server [0-9]+ 60 3600" | head -1); [[ -n $pid ]] && break; sleep 0.05; done
  perf record -F 999 -g -p "$pid" -o "$out/$label-$mode.perf.data" -- sleep "$secs" >/dev/null 2>&1 ) &
NO_GCDUMP=1 TRIM=${TRIM:-} BENCH_W4_INSPECT="bash /tmp/idle-inspect.sh $out $label-$mode-perf" timeout 300 dotnet /tmp/idle-bench/Messenger.Bench.dll --workload W4 --$mode --runs 1 --server "$server" 2>>"$out/bench.log" | sed "s/^{/{\"label\":\"$label-perf\",/" | tee -a "$out/results.jsonl"
wait
