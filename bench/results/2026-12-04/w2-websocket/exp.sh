#!/usr/bin/env bash
# Same-lock experiment: W2 over TCP, over ws, and over ws with inline socket completions in the server (Kestrel's
# UnsafePreferInlineScheduling follows DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS).
B=/tmp/messenger-bench-build-web
export DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1
ulimit -n 65536 2>/dev/null || true
run() { timeout 300 dotnet $B/bench/Messenger.Bench.dll --workload W2 "$@" --runs 1 --server $B/server/server.dll </dev/null 2>>/tmp/wt-web-notes/exp.log; }
echo "plaintext: $(run --plaintext)"
echo "ws: $(run --ws)"
echo "ws-inline: $(BENCH_SERVER_DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 run --ws)"
