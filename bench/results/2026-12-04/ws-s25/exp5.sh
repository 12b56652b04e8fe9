A=/tmp/ws-s25/A; B=/tmp/ws-s25/B
export DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1
ulimit -n 20000 2>/dev/null || true
w1() { echo "$1: $(timeout 300 dotnet $A/bench/Messenger.Bench.dll --workload W1 --plaintext --runs 1 --server $2/server/server.dll </dev/null 2>>/tmp/ws-s25/bench.log)"; }
w1 W1-A $A
w1 W1-B $B
R=/tmp/ws-s25/run.sh
$R tls-B $B $A --tls
$R wss-B $B $A --wss
