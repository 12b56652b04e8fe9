#!/usr/bin/env bash
# W1 plaintext, interleaved: main (history), main (no history), branch (history); R rounds.
R=${1:-2}
B=/tmp/hist-bench
export DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1
ulimit -n "$(( $(ulimit -Hn) < 65536 ? $(ulimit -Hn) : 65536 ))"
run() { # label server extra-env...
  local label=$1 server=$2; shift 2
  env "$@" BENCH_SERVER_LOG=/tmp/hist-log-$label-$r.txt dotnet $B/bench/Messenger.Bench.dll --workload W1 --plaintext --runs 1 --server $server --client $B/client/client.dll </dev/null 2>/dev/null | tee -a /tmp/hist-ab.jsonl | python3 -c "import json,sys; d=json.loads(sys.stdin.read()); print('$label', d['workload'], d.get('delivered_per_s'), d.get('server_cpu_us_per_msg'), d.get('server_cpu_pct'), d.get('generator_cpu_pct'), 'lost', d.get('lost'))"
  echo "  dropped-warnings: $(grep -c 'left out of history' /tmp/hist-log-$label-$r.txt 2>/dev/null) last: $(grep -o '[0-9]* direct messages were left out' /tmp/hist-log-$label-$r.txt 2>/dev/null | tail -1)"
}
for r in $(seq 1 $R); do
  run main-hist /tmp/hist-main/server/server.dll
  run main-nohist /tmp/hist-main/server/server.dll BENCH_SERVER_MESSENGER_Server__KeepDirectHistory=false
  run branch-hist /tmp/hist-branch/server/server.dll
done
