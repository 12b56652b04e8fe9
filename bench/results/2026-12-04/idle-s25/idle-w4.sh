#!/usr/bin/env bash
# usage: idle-w4.sh SERVER(dll|native|ngircd) OUTDIR LABEL MODE(plaintext|tls)  -- one W4 run, with inspection
set -uo pipefail
server=$1; out=$2; label=$3; mode=$4
mkdir -p "$out"
ulimit -n "$(ulimit -Hn)"
export DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1
cd /work/wt-idle
if [[ $server == ngircd ]]; then
  timeout 300 dotnet /tmp/idle-bench/Messenger.Bench.dll --irc ngircd --workload W4 --runs 1 2>>"$out/bench.log" | sed "s/^/{\"label\":\"$label\",/;s/^{\"label\":\"$label\",{/{\"label\":\"$label\",/" | tee -a "$out/results.jsonl"
else
  BENCH_W4_INSPECT="bash /tmp/idle-inspect.sh $out $label-$mode" timeout 300 dotnet /tmp/idle-bench/Messenger.Bench.dll --workload W4 --$mode --runs 1 --server "$server" 2>>"$out/bench.log" | sed "s/^{/{\"label\":\"$label\",/" | tee -a "$out/results.jsonl"
fi
