#!/usr/bin/env bash
# Brief profile of W2: perf stat (syscalls, context switches) of the server over 8 s of the measured window for
# plaintext and ws, and a perf record of the ws server.
B=/tmp/messenger-bench-build-web
O=/tmp/wt-web-notes/prof
mkdir -p $O
export DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1
export BENCH_SERVER_DOTNET_PerfMapEnabled=1 BENCH_SERVER_DOTNET_EnableWriteXorExecute=0
for mode in plaintext ws; do
  : > $O/$mode.err
  timeout 300 dotnet $B/bench/Messenger.Bench.dll --workload W2 --$mode --runs 1 --server $B/server/server.dll </dev/null 2>$O/$mode.err > $O/$mode.json &
  bench=$!
  for i in $(seq 1 300); do grep -q "server pid" $O/$mode.err && break; sleep 0.2; done
  pid=$(grep -o "server pid [0-9]*" $O/$mode.err | awk '{print $3}')
  # logins + settle, then into the measured window (starts 2 s after sending starts)
  for i in $(seq 1 300); do c1=$(awk '{print $14+$15}' /proc/$pid/stat); sleep 0.5; c2=$(awk '{print $14+$15}' /proc/$pid/stat); [ $((c2-c1)) -gt 30 ] && break; done
  sleep 3
  perf stat -e context-switches,raw_syscalls:sys_enter,cpu-migrations -p $pid -- sleep 6 2> $O/$mode.stat
  if [ $mode = ws ]; then perf record -g -F 499 -p $pid -o $O/ws.data -- sleep 4 2>/dev/null; fi
  wait $bench
done
