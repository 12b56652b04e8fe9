#!/usr/bin/env bash
# Cluster bench (issue 15; docs/BENCHMARKS.md "Cluster (issue 15)"): in one run, the single node (SQLite) and a
# cluster of 3 nodes (PostgreSQL + a redis-server of the run's own), plaintext, each workload on fresh processes:
#   W1 single | cluster (2/3 of messages cross nodes) | cluster local (recipients on the sender's node)
#   W2 single | cluster | cluster local at RATE (2,000), and single at RATE/3 ("pernode": one node's share, the same
#      load per process as each node has; see BENCHMARKS.md "Cluster" for why both ratios are reported); at 20,000
#      msgs/s (the usual W2, which 3 nodes on this 2-core machine do not sustain) only when asked: CASES="W2:single:20000 W2:cluster:20000"
#   F1 a node of 3 killed with kill -9 under F1_RATE msgs/s: failover time, lost, shown twice
# One run takes ~6 minutes (the default cases); take the lock per run:  for r in 1 2 3; do RUN=$r flock /work/build.lock bash bench/cluster.sh; done
# Needs PostgreSQL (scripts/cluster.sh engines) with a database for the bench (BENCH_PG, default database clbench:
# createdb -h 127.0.0.1 -p 55432 -U mx clbench) and redis-server. Results: $OUT/results.jsonl (appended per run).
# BENCH_CLUSTER_NODES=1 runs the cluster cases on one node (every message local to it: the engines' cost without the split).
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=${RUN:-1}
# WARMUP: seconds of W1/W2 before measuring, for every case alike (10: every case starts fresh processes, and 3 nodes
# on 2 cores were still compiling their cross-node path after 2 s; see BENCHMARKS.md "The warm-up, measured").
# W1's ratio is the same at 30 s, and native nodes cost what JIT nodes do (BENCHMARKS.md, 2026-12-05): 10 stays; WARMUP=30 for claims.
RATE=${RATE:-2000}
F1_RATE=${F1_RATE:-2000}
CASES=${CASES:-"W1:single W1:cluster W1:cluster:local W2:single W2:single:pernode W2:cluster W2:cluster:local F1:cluster"}
OUT=${OUT:-bench/results/$(date -u +%Y-%m-%d)/cluster}
BUILD=${BUILD:-/tmp/messenger-clbench-build}
# SERVER: the server to run (default the JIT build published here); a path without .dll is a Native AOT binary
# (bench/native.sh publishes one), so nodes and the single node can be compared with no JIT running in the window.
SERVER=${SERVER:-$BUILD/server/server.dll}
ulimit -n "$(( $(ulimit -Hn) < 65536 ? $(ulimit -Hn) : 65536 ))"

if [[ -z "${NO_BUILD:-}" ]]; then
  dotnet publish src/Messenger.Server -c Release -o "$BUILD/server" --nologo -v quiet
  dotnet publish bench/Messenger.Bench -c Release -o "$BUILD/bench" --nologo -v quiet
fi
mkdir -p "$OUT"
{ date -u; nproc; uname -r; dotnet --version; git rev-parse --short HEAD; redis-server --version; } > "$OUT/machine-run$RUN.txt" 2>&1
export DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1   # the generator's setting; the bench removes it for the nodes
for case in $CASES; do
  IFS=: read -r workload deployment extra <<<"$case"
  args=(--workload "$workload" --plaintext --deployment "$deployment" --server "$SERVER" --warmup "${WARMUP:-10}")
  case "$extra" in
    local) args+=(--targets local --rate "$RATE") ;;
    pernode) args+=(--rate "$(( RATE / ${BENCH_CLUSTER_NODES:-3} ))") ;;
    "") args+=(--rate "$([[ $workload == F1 ]] && echo "$F1_RATE" || echo "$RATE")") ;;
    *) args+=(--rate "$extra") ;;
  esac
  echo "== run $RUN $case" >&2
  timeout 300 dotnet "$BUILD/bench/Messenger.Bench.dll" "${args[@]}" </dev/null 2>>"$OUT/bench.log" \
    | sed "s/\"run\":1}/\"run\":$RUN,\"case\":\"$case\"}/" | tee -a "$OUT/results.jsonl" \
    || echo "{\"workload\":\"$workload\",\"mode\":\"plaintext\",\"variant\":\"$deployment $extra\",\"run\":$RUN,\"error\":\"exit $?\"}" >> "$OUT/results.jsonl"
done
dotnet "$BUILD/bench/Messenger.Bench.dll" --summarize "$OUT/results.jsonl" > "$OUT/summary.md"
