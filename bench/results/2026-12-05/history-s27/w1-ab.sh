#!/usr/bin/env bash
# W1 plaintext, interleaved in each round (order rotated): base, new2 (C API + batch buffer), new3 (+ moves at 32 MB), base without history.
R=${1:-3}; TAG=${2:-final}
export DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1
ulimit -n 20000
OUT=/tmp/hs27/$TAG.jsonl
run() { # label dir extra-env...
  local label=$1 dir=$2; shift 2
  local log=/tmp/hs27/log-$TAG-$label-$r.txt
  env "$@" BENCH_SERVER_LOG=$log dotnet /tmp/hs27/base/bench/Messenger.Bench.dll --workload W1 --plaintext --runs 1 --server $dir/server/server.dll --client /tmp/hs27/base/client/client.dll </dev/null 2>/dev/null > /tmp/hs27/last.json
  local dropped=$(grep -o '[0-9]* direct messages were left out' $log 2>/dev/null | tail -1 | cut -d' ' -f1)
  python3 -c "import json; d=json.load(open('/tmp/hs27/last.json')); d['label']='$label'; d['round']=$r; d['history_dropped_at_least']=int('${dropped:-0}'); print(json.dumps(d))" | tee -a $OUT | python3 -c "import json,sys; d=json.loads(sys.stdin.read()); print(d['label'], d['round'], d.get('delivered_per_s'), d.get('server_cpu_us_per_msg'), d.get('server_cpu_pct'), d.get('generator_cpu_pct'), 'sent', d.get('sent'), 'lost', d.get('lost'), 'dropped>=', d['history_dropped_at_least'])"
}
for r in $(seq 1 $R); do
  set -- base new2 new3 nohist
  for i in $(seq 2 $r); do set -- "${@:2}" "$1"; done
  for v in "$@"; do
    case $v in
      base) run base /tmp/hs27/base ;;
      new2) run new2 /tmp/hs27/new2 ;;
      new3) run new3 /tmp/hs27/new3 ;;
      nohist) run base-nohist /tmp/hs27/base BENCH_SERVER_MESSENGER_Server__KeepDirectHistory=false ;;
    esac
  done
done
