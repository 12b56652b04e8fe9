#!/usr/bin/env bash
# usage: pair.sh NAME "ORDER" "CASES"   (ORDER e.g. "base new"); one lock hold, the caller holds the lock
set -u
NAME=$1; ORDER=$2; CASES=$3
cd /work/wt-wake
export BENCH_PG="Host=127.0.0.1;Port=47250;Username=mx;Database=clbench" BENCH_PORTS=47200-47249
R=/work/wt-wake/bench/results/2026-12-05/wake-s30
mkdir -p $R
i=0; for b in $ORDER; do i=$((i+1))
  D=/tmp/wake-runs/$NAME-$i-$b; rm -rf $D
  echo "== $NAME $b $(date -u +%T)" >&2
  NO_BUILD=1 BUILD=/tmp/wake-ab/$b RUN=1 OUT=$D CASES="$CASES" WARMUP=${WARMUP:-10} bash bench/cluster.sh 2>>$D.err
  cp $D/results.jsonl $R/$NAME-$i-$b.jsonl
done
echo "== done $(date -u +%T)" >&2
