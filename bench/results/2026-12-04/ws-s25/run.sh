#!/usr/bin/env bash
# run.sh LABEL DIR BENCHDIR args...: one W2 run, prints "LABEL: json"
L=$1; D=$2; BD=$3; shift 3
export DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1
ulimit -n 20000 2>/dev/null || true
echo "$L: $(timeout 300 dotnet $BD/bench/Messenger.Bench.dll --workload W2 "$@" --runs 1 --server $D/server/server.dll </dev/null 2>>/tmp/ws-s25/bench.log)"
