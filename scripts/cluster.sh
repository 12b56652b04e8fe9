#!/usr/bin/env bash
# A MessengerSuite cluster on loopback: PostgreSQL (the record) and Redis (the bus) from Debian's packages, then N
# server nodes sharing one key and one credentials file (docs/ARCHITECTURE.md "Cluster mode").
#
#   scripts/cluster.sh start [N]      engines, then N nodes (default 3) on ports MX_NODE_PORT, +1, ... (build first)
#   scripts/cluster.sh engines        only PostgreSQL and Redis (what the tests need)
#   scripts/cluster.sh stop           nodes, then the engines; the state folder is removed
#   scripts/cluster.sh status         what runs, with pids and ports
#   scripts/cluster.sh kill NODE      kill -9 one node (n1, n2, ...), to try a failover by hand
#
# Settings (environment): MX_CLUSTER_DIR (/tmp/messenger-cluster), MX_PG_PORT (55432), MX_REDIS_PORT (56379),
# MX_NODE_PORT (4401), MX_CREDENTIALS (credentials.sample.txt), MX_PLAINTEXT (1: nodes without TLS).
# PostgreSQL refuses to run as root, so it runs as the `postgres` user that Debian's package creates.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${MX_CLUSTER_DIR:-/tmp/messenger-cluster}
pg_port=${MX_PG_PORT:-55432}
redis_port=${MX_REDIS_PORT:-56379}
node_port=${MX_NODE_PORT:-4401}
credentials=${MX_CREDENTIALS:-credentials.sample.txt}
server_dll=src/Messenger.Server/bin/Release/net10.0/server.dll
pg_connection="Host=127.0.0.1;Port=$pg_port;Username=mx;Database=messenger"

pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$bin" ] && echo "$bin"
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_engines() {
  local missing=()
  [ -n "$(pg_bin)" ] || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} (Debian packages)"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

wait_for_port() {  # $1 = port, $2 = what; up to 30 s
  for _ in $(seq 1 150); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "$2 did not start listening on 127.0.0.1:$1" >&2
  return 1
}

start_postgres() {
  local bin
  bin=$(pg_bin)
  if [ -f "$dir/pg/data/postmaster.pid" ] && as_postgres "$bin/pg_ctl" -D "$dir/pg/data" status >/dev/null 2>&1; then
    return 0
  fi
  mkdir -p "$dir"
  chmod 755 "$dir"
  install -d -o postgres -g postgres "$dir/pg"
  if [ ! -f "$dir/pg/data/PG_VERSION" ]; then
    as_postgres "$bin/initdb" -D "$dir/pg/data" -U mx -A trust -E UTF8 --no-sync >/dev/null
  fi
  as_postgres "$bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $dir/pg -c max_connections=200 -c fsync=on" start >/dev/null
  "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U mx -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='messenger'" | grep -q 1 \
    || "$bin/createdb" -h 127.0.0.1 -p "$pg_port" -U mx messenger
}

start_redis() {
  if redis-cli -p "$redis_port" ping >/dev/null 2>&1; then return 0; fi
  mkdir -p "$dir"
  # No persistence: Redis holds nothing that cannot be rebuilt from PostgreSQL.
  redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir"
  wait_for_port "$redis_port" redis-server
}

start_engines() {
  install_engines
  start_postgres
  start_redis
  echo "PostgreSQL on 127.0.0.1:$pg_port ($pg_connection), Redis on 127.0.0.1:$redis_port"
}

start_node() {  # $1 = index
  local i=$1 port=$((node_port + $1 - 1))
  mkdir -p "$dir/n$i"
  if [ "$i" -gt 1 ] && [ -f "$dir/n1/server.p12" ]; then cp "$dir/n1/server.p12" "$dir/n$i/"; fi
  local plaintext=()
  [ "${MX_PLAINTEXT:-0}" = 1 ] && plaintext=(--plaintext)
  MESSENGER_Server__Cluster__NodeId="n$i" \
  MESSENGER_Server__Cluster__PostgreSql="$pg_connection;Maximum Pool Size=$pool" \
  MESSENGER_Server__Cluster__Redis="127.0.0.1:$redis_port" \
    nohup dotnet "$server_dll" "$port" 60 600 --cluster --listen 127.0.0.1 --data-dir "$dir/n$i" \
      --credentials "$credentials" "${plaintext[@]}" >"$dir/n$i.log" 2>&1 &
  echo $! >"$dir/n$i.pid"
  wait_for_port "$port" "node n$i"
  echo "node n$i on 127.0.0.1:$port (pid $(cat "$dir/n$i.pid"), log $dir/n$i.log)"
}

start_nodes() {  # $1 = how many
  [ -f "$server_dll" ] || { echo "Build first: dotnet build MessengerSuite.sln -c Release" >&2; exit 1; }
  # Npgsql pools up to 100 connections per node; N of those outgrow max_connections (200) in a burst of logins, which
  # then fail ("too many clients already"). 150 shared by the nodes leaves room for psql and the tests.
  pool=$(( 150 / $1 ))
  start_node 1   # creates the key the others copy, so every node presents the one key clients pin
  for i in $(seq 2 "$1"); do start_node "$i"; done
}

stop_all() {
  for pidfile in "$dir"/n*.pid; do
    [ -f "$pidfile" ] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  if [ -f "$dir/pg/data/postmaster.pid" ]; then
    as_postgres "$(pg_bin)/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null || true
  fi
  rm -rf "$dir"
}

status() {
  if redis-cli -p "$redis_port" ping >/dev/null 2>&1; then echo "redis      127.0.0.1:$redis_port up"; else echo "redis      down"; fi
  if [ -f "$dir/pg/data/postmaster.pid" ] && as_postgres "$(pg_bin)/pg_ctl" -D "$dir/pg/data" status >/dev/null 2>&1; then
    echo "postgresql 127.0.0.1:$pg_port up"
  else
    echo "postgresql down"
  fi
  for pidfile in "$dir"/n*.pid; do
    [ -f "$pidfile" ] || continue
    local name pid
    name=$(basename "$pidfile" .pid)
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then echo "node $name pid $pid up"; else echo "node $name pid $pid down"; fi
  done
}

case "${1:-}" in
  start) start_engines; start_nodes "${2:-3}" ;;
  engines) start_engines ;;
  stop) stop_all ;;
  status) status ;;
  kill) kill -9 "$(cat "$dir/${2:?node name, e.g. n2}.pid")" ;;
  *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
