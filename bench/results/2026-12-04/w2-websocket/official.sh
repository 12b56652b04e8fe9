#!/usr/bin/env bash
# W2 over TCP and over WebSocket, median of 3, then one pair at half the rate; all in one lock.
set -u
cd /work/wt-web
OUT=bench/results/2026-12-04/w2-websocket
B=/tmp/messenger-bench-build-web
RUNS=3 WORKLOADS=W2 MODES="plaintext ws tls wss" NO_BUILD=1 BUILD=$B OUT=$OUT bash bench/run.sh
export DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1
for mode in plaintext ws; do
  timeout 300 dotnet $B/bench/Messenger.Bench.dll --workload W2 --$mode --rate 10000 --runs 1 --server $B/server/server.dll </dev/null 2>>$OUT/bench.log | tee -a $OUT/rate-10k.jsonl
done
