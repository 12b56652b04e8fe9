#!/usr/bin/env bash
# Reproduces docs/BENCHMARKS.md: publishes Release builds of the server and the load generator, then runs every
# workload (W1 W2 W3b W4) in plaintext and TLS, RUNS times each (a fresh server process per workload and run, on
# 127.0.0.1), and prints a median [min, max] table. Results: bench/results/<UTC stamp>/results.jsonl.
#   bash bench/run.sh                          # everything, 3 runs (~25 min)
#   RUNS=1 WORKLOADS=W1 MODES=plaintext bash bench/run.sh
# Hold the build lock while measuring on a shared machine:  flock /tmp/msbuild.lock bash bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
WORKLOADS=${WORKLOADS:-"W1 W2 W3b W4"}
MODES=${MODES:-"plaintext tls"}
OUT=${OUT:-bench/results/$(date -u +%Y%m%dT%H%M%SZ)}
BUILD=${BUILD:-/tmp/messenger-bench-build}

# 10,000 connections on each side: raise the soft fd limit as far as the hard limit allows (65536 wanted).
ulimit -n "$(( $(ulimit -Hn) < 65536 ? $(ulimit -Hn) : 65536 ))"

if [[ -z "${NO_BUILD:-}" ]]; then
  dotnet publish src/Messenger.Server -c Release -o "$BUILD/server" --nologo -v quiet
  dotnet publish bench/Messenger.Bench -c Release -o "$BUILD/bench" --nologo -v quiet
fi
mkdir -p "$OUT"
{ date -u; nproc; uname -r; dotnet --version; ulimit -n; git rev-parse --short HEAD; git status --short src | head; } > "$OUT/machine.txt" 2>&1

# The generator's socket completions run on the epoll thread (fewer thread hops on 2 shared cores); the bench removes
# this setting from the server's environment, so the server runs with .NET's defaults.
export DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1
# Interleave: run r of every workload and mode before run r+1, so slow drifts in machine load hit all of them.
for run in $(seq 1 "$RUNS"); do
  for workload in $WORKLOADS; do
    for mode in $MODES; do
      echo "== run $run/$RUNS $workload $mode" >&2
      timeout 600 dotnet "$BUILD/bench/Messenger.Bench.dll" --workload "$workload" "--$mode" --runs 1 \
        --server "$BUILD/server/server.dll" 2>>"$OUT/bench.log" | sed "s/\"run\":1/\"run\":$run/" | tee -a "$OUT/results.jsonl" \
        || echo "{\"workload\":\"$workload\",\"mode\":\"$mode\",\"run\":$run,\"error\":\"exit $?\"}" >> "$OUT/results.jsonl"
    done
  done
done
dotnet "$BUILD/bench/Messenger.Bench.dll" --summarize "$OUT/results.jsonl" | tee "$OUT/summary.md"
