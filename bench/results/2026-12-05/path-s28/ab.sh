#!/usr/bin/env bash
# usage: ab.sh ROUNDS LABEL=DIR ... ; W1 compact, history off unless HIST=on; JSON lines appended to $LOG
R=$1; shift
export DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1
[ "${HIST:-off}" = off ] && export BENCH_SERVER_MESSENGER_Server__KeepDirectHistory=false
ulimit -n 20000
for r in $(seq 1 $R); do for V in "$@"; do
  L=${V%%=*}; D=${V#*=}
  dotnet $D/bench/Messenger.Bench.dll --workload W1 --plaintext --compact --runs 1 --warmup 8 --server $D/server/server.dll --client $D/client/client.dll </dev/null 2>/dev/null \
   | python3 -c "import json,sys; l=sys.stdin.read().strip().splitlines()[-1]; d=json.loads(l); d['ab_label']='$L'; d['history']='${HIST:-off}'; open('${LOG:-/tmp/s28p/ab.jsonl}','a').write(json.dumps(d)+'\n'); print('$L', d.get('delivered_per_s'), d.get('server_cpu_us_per_msg'), d.get('server_cpu_pct'), d.get('generator_cpu_pct'), 'lost', d.get('lost'), 'rep', d.get('repeated'), 'twice', d.get('shown_twice'))"
done; done
