#!/usr/bin/env bash
B=/tmp/messenger-bench-build-web
export DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1
run() { timeout 300 dotnet $B/bench/Messenger.Bench.dll --workload W2 "$@" --runs 1 --server $B/server/server.dll </dev/null 2>>/tmp/wt-web-notes/exp.log; }
for r in 1 2 3; do
echo "plaintext: $(run --plaintext)"
echo "ws: $(run --ws)"
echo "ws-inline: $(BENCH_SERVER_DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 run --ws)"
done
