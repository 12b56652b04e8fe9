#!/usr/bin/env bash
# CI's Native AOT smoke test: publishes the server and the client as native binaries (bench/native.sh, which installs
# clang and zlib1g-dev when missing), starts the native server on 127.0.0.1 with TLS and a fresh data folder, and logs
# the native client in (pipe mode) as a sample account; passes when the client was welcomed and the server answered a
# command after that. Prints "AOT smoke: passed" or "AOT smoke: FAILED (why)"; the exit code says the same.
#   bash scripts/aot-smoke.sh              # publish into $BUILD (default: a fresh temporary folder), then test
#   NO_PUBLISH=1 BUILD=/tmp/x bash scripts/aot-smoke.sh   # test binaries published earlier into $BUILD/native
set -uo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d /tmp/messenger-aot-smoke.XXXXXX)
BUILD=${BUILD:-$scratch/build}
server_pid=
cleanup() { [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT
fail() { echo "AOT smoke: FAILED ($1)"; for f in "$scratch"/*.txt; do echo "--- ${f##*/}"; tail -20 "$f"; done; exit 1; }

if [[ -z "${NO_PUBLISH:-}" ]]; then
  started=$SECONDS
  NO_STARTUP=1 BUILD="$BUILD" bash bench/native.sh >"$scratch/publish.txt" 2>&1 || fail "native publish"
  echo "AOT publish of server and client: $((SECONDS - started)) s"
fi
server="$BUILD/native/server/server"
client="$BUILD/native/client/client"
[[ -x "$server" && -x "$client" ]] || fail "no native binaries in $BUILD/native"

# A free loopback port (the server takes 1-65535, not 0).
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
grep '^alice ' credentials.sample.txt >"$scratch/creds.txt" || fail "no alice in credentials.sample.txt"
password=$(awk '$1 == "alice" { print $2 }' "$scratch/creds.txt")
"$server" "$port" 60 300 --listen 127.0.0.1 --credentials "$scratch/creds.txt" --data-dir "$scratch/data" \
  >"$scratch/server-out.txt" 2>"$scratch/server-err.txt" </dev/null &
server_pid=$!
for _ in $(seq 1 100); do
  grep -q '^Listening on' "$scratch/server-out.txt" && break
  kill -0 "$server_pid" 2>/dev/null || fail "the native server exited"
  sleep 0.1
done
grep -q '^Listening on' "$scratch/server-out.txt" || fail "the native server did not listen within 10 s"

# Pipe mode: name, password, then one command the server answers (whoelse), then end of input logs out.
printf 'alice\n%s\nwhoelse\n' "$password" | HOME="$scratch/home" timeout 20 "$client" 127.0.0.1 "$port" \
  --state-dir "$scratch/state" >"$scratch/client-out.txt" 2>"$scratch/client-err.txt"
grep -q '^Welcome to MessengerSuite, alice!' "$scratch/client-out.txt" || fail "the native client was not welcomed"
grep -q '^No other users are online.' "$scratch/client-out.txt" || fail "no answer to whoelse after login"
echo "AOT smoke: passed"
