#!/usr/bin/env bash
# Reproduces docs/BENCHMARKS.md: publishes Release builds of the server and the load generator, then runs every
# workload (W1 W2 W3b W4, and S1 for every holder count and size) in plaintext and TLS, RUNS times each (a fresh
# server process per workload and run, on 127.0.0.1), and prints a median [min, max] table.
# Results: bench/results/<UTC stamp>/results.jsonl.
#   bash bench/run.sh                          # everything, 3 runs (~35 min)
#   RUNS=1 WORKLOADS=W1 MODES=plaintext bash bench/run.sh
#   RUNS=1 WORKLOADS=S1 S1_HOLDERS=4 S1_SIZES=1G bash bench/run.sh
#   CLIENT=/tmp/messenger-native-build/native/client/client ... bash bench/run.sh   # S1 with native clients (bench/native.sh)
#   WORKLOADS=W2 MODES="plaintext ws tls wss" bash bench/run.sh   # W2 over TCP and over the web port's WebSocket
#   SERVERS="messenger ngircd" WORKLOADS="W1 W2" MODES="plaintext plaintext-compact tls-compact" bash bench/run.sh
#   SERVERS="messenger ngircd inspircd" WORKLOADS="W1 W2 W3 W3b" bash bench/run.sh   # one generator, three servers
#   SERVERS="messenger messenger-aot ngircd" WORKLOADS="W1 W3b" bash bench/run.sh    # ours on the JIT and Native AOT
# Modes: plaintext and tls are TCP; ws and wss are the same frames through /ws (the server started with --web);
# "-compact" after a mode (plaintext-compact, tls-compact) makes the users speak compact frames (PROTOCOL.md §4.2).
# SERVERS (default: messenger): messenger-aot is ours as the Native AOT binary (bench/native.sh publishes it; its
# rows are labelled aot-plaintext, aot-tls); ngircd and inspircd run the W workloads in IRC (Messenger.Bench --irc, plaintext, their
# configurations in bench/irc), interleaved with ours in every round; Debian's packages are installed when missing.
# Hold the build lock while measuring on a shared machine:  flock /tmp/msbuild.lock bash bench/run.sh
# or take it per build and per run, so others get in between:  LOCK=/tmp/msbuild.lock bash bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
WORKLOADS=${WORKLOADS:-"W1 W2 W3b W4 S1"}
S1_HOLDERS=${S1_HOLDERS:-"1 4 8"}
S1_SIZES=${S1_SIZES:-"1G 64M"}
MODES=${MODES:-"plaintext tls"}
SERVERS=${SERVERS:-messenger}
OUT=${OUT:-bench/results/$(date -u +%Y%m%dT%H%M%SZ)}
BUILD=${BUILD:-/tmp/messenger-bench-build}
locked() { if [[ -n "${LOCK:-}" ]]; then flock "$LOCK" "$@"; else "$@"; fi; }

# 10,000 connections on each side: raise the soft fd limit as far as the hard limit allows (65536 wanted).
ulimit -n "$(( $(ulimit -Hn) < 65536 ? $(ulimit -Hn) : 65536 ))"

missing=()
for daemon in $SERVERS; do
  [[ $daemon == messenger* || -x /usr/sbin/$daemon ]] || missing+=("$daemon")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "installing ${missing[*]} from Debian" >&2
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi

if [[ -z "${NO_BUILD:-}" ]]; then
  locked dotnet publish src/Messenger.Server -c Release -o "$BUILD/server" --nologo -v quiet
  locked dotnet publish src/Messenger.Client -c Release -o "$BUILD/client" --nologo -v quiet
  locked dotnet publish bench/Messenger.Bench -c Release -o "$BUILD/bench" --nologo -v quiet
  [[ " $SERVERS " != *" messenger-aot "* ]] || NO_STARTUP=1 BUILD="$BUILD" LOCK="${LOCK:-}" bash bench/native.sh >/dev/null
fi
mkdir -p "$OUT"
{ date -u; nproc; uname -r; dotnet --version; ulimit -n; git rev-parse --short HEAD || echo "(not a git checkout)"; git status --short src 2>/dev/null | head || true; } > "$OUT/machine.txt" 2>&1

# The generator's socket completions run on the epoll thread (fewer thread hops on 2 shared cores); the bench removes
# this setting from the server's environment, so the server runs with .NET's defaults.
export DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1
# Interleave: run r of every workload and mode before run r+1, so slow drifts in machine load hit all of them.
# S1 runs once per holder count and size (its variants); the W workloads have one variant each.
variants() { if [[ $1 == S1 ]]; then for h in $S1_HOLDERS; do for s in $S1_SIZES; do echo "--holders $h --s1-size $s"; done; done; else echo ""; fi; }
# Ours in each mode (JIT, then Native AOT), then each IRC daemon (plaintext, the W workloads only):
# "--plaintext --server .../server.dll", "--tls --server .../native/server/server", "--irc ngircd", ...
targets() {
  for server in $SERVERS; do
    if [[ $server == messenger ]]; then for mode in $MODES; do echo "--${mode/-compact/ --compact} --server $BUILD/server/server.dll"; done
    elif [[ $server == messenger-aot ]]; then for mode in $MODES; do echo "--${mode/-compact/ --compact} --server $BUILD/native/server/server"; done
    elif [[ $1 != S1 ]]; then echo "--irc $server"; fi
  done
}
for run in $(seq 1 "$RUNS"); do
  for workload in $WORKLOADS; do
    while read -r variant; do
      while read -r target; do
        echo "== run $run/$RUNS $workload $variant $target" >&2
        # shellcheck disable=SC2086 # $variant and $target are lists of options
        locked timeout 600 dotnet "$BUILD/bench/Messenger.Bench.dll" --workload "$workload" $target --runs 1 $variant \
          --client "${CLIENT:-$BUILD/client/client.dll}" </dev/null 2>>"$OUT/bench.log" \
          | sed "s/\"run\":1/\"run\":$run/" | tee -a "$OUT/results.jsonl" \
          || { rc=$?; mode=${target%% --server*}; echo "{\"workload\":\"$workload\",\"mode\":\"${mode##*[ -]}\",\"run\":$run,\"error\":\"exit $rc $variant $target\"}" >> "$OUT/results.jsonl"; }
      done < <(targets "$workload")
    done < <(variants "$workload")
  done
done
dotnet "$BUILD/bench/Messenger.Bench.dll" --summarize "$OUT/results.jsonl" | tee "$OUT/summary.md"
