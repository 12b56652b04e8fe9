#!/usr/bin/env bash
# usage: sys.sh NAME BUILD CASE ; counts the nodes' sendto/recvfrom and context switches for 4 s of the measured window
set -u
NAME=$1; B=$2; CASE=$3
D=/tmp/wake-runs/sys-$NAME-$B; rm -rf $D; mkdir -p $D
cd /work/wt-wake
export BENCH_PG="Host=127.0.0.1;Port=47250;Username=mx;Database=clbench" BENCH_PORTS=47200-47249
NO_BUILD=1 BUILD=/tmp/wake-ab/$B RUN=1 CASES="$CASE" OUT=$D bash bench/cluster.sh >/dev/null 2>$D/cluster.err &
bp=$!
for i in $(seq 1 300); do grep -q "server n3 pid" $D/bench.log 2>/dev/null && break; sleep 0.1; done
pids=$(grep -o "pid [0-9]*" $D/bench.log | awk '{print $2}' | paste -sd,)
echo $pids > $D/node.pids
sleep ${SYS_DELAY:-14}
perf stat -e syscalls:sys_enter_sendto,syscalls:sys_enter_recvfrom,syscalls:sys_enter_futex,syscalls:sys_enter_epoll_wait,context-switches -p $pids -o $D/stat.txt -- sleep 4
wait $bp
R=/work/wt-wake/bench/results/2026-12-05/wake-s30
{ cat $D/results.jsonl; grep -E "sendto|recvfrom|futex|epoll|context" $D/stat.txt; } > $R/sys-$NAME-$B.txt
cat $R/sys-$NAME-$B.txt | cut -c1-400
