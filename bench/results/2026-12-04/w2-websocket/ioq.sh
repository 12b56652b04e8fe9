#!/usr/bin/env bash
# A/B: Kestrel's transport on the thread pool (IOQueueCount = 0) against its default (two IOQueues), W2 over ws.
set -u
cd /work/wt-web
dotnet publish src/Messenger.Server -c Release -o /tmp/wt-web-notes/server-ioq0 --nologo -v quiet 2>&1 | tail -3
git checkout src/Messenger.Server/Web/WebServer.cs
B=/tmp/messenger-bench-build-web
export DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1
run() { timeout 300 dotnet $B/bench/Messenger.Bench.dll --workload W2 "$@" --runs 1 </dev/null 2>>/tmp/wt-web-notes/ioq.log; }
for r in 1 2 3; do
  echo "ws-default: $(run --ws --server $B/server/server.dll)"
  echo "ws-ioq0: $(run --ws --server /tmp/wt-web-notes/server-ioq0/server.dll)"
done
