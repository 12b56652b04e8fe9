#!/usr/bin/env bash
# Native AOT builds of the client and the server (issue 17, item 2), and their start-up time beside the JIT builds.
#   bash bench/native.sh                 # publish both ways into $BUILD, then bench/startup.py (11 runs)
#   NO_STARTUP=1 bash bench/native.sh    # publish only (CI's smoke test uses this)
# Native AOT needs clang and zlib's headers: installed from Debian if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-/tmp/messenger-native-build}
RUNS=${RUNS:-11}
locked() { if [[ -n "${LOCK:-}" ]]; then flock "$LOCK" "$@"; else "$@"; fi; }

if ! command -v clang >/dev/null || ! [ -e /usr/include/zlib.h ]; then
  echo "installing clang and zlib1g-dev for Native AOT" >&2
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q clang zlib1g-dev >/dev/null
fi
for app in Client Server; do
  name=${app,,}
  locked dotnet publish "src/Messenger.$app" -c Release -r linux-x64 -p:PublishAot=true -o "$BUILD/native/$name" --nologo -v quiet
  [[ -n "${NO_STARTUP:-}" ]] || locked dotnet publish "src/Messenger.$app" -c Release -o "$BUILD/jit/$name" --nologo -v quiet
done
ls -l "$BUILD/native/client/client" "$BUILD/native/server/server"
[[ -n "${NO_STARTUP:-}" ]] || locked python3 bench/startup.py --runs "$RUNS" \
  --jit-client "$BUILD/jit/client/client.dll" --aot-client "$BUILD/native/client/client" \
  --jit-server "$BUILD/jit/server/server.dll" --aot-server "$BUILD/native/server/server"
