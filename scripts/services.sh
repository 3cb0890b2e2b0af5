#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis servers on loopback for the storage tests, the PostgreSQL test run and the
# multi-instance e2e suite. Used by scripts/test.sh (CI) and by the test fixtures when nothing is running yet.
#
#   scripts/services.sh install        install PostgreSQL and Redis from Debian's packages if missing
#   scripts/services.sh start [DIR]    start both on free loopback ports (idempotent) and print their settings
#                                      as shell exports (eval "$(scripts/services.sh start)"):
#                                        BETTER_AUTH_TEST_POSTGRES='<Npgsql connection string>'
#                                        BETTER_AUTH_TEST_POSTGRES_URL='postgres://…'
#                                        BETTER_AUTH_TEST_REDIS='127.0.0.1:<port>'
#   scripts/services.sh env [DIR]      print the settings of servers already started in DIR (nothing if none)
#   scripts/services.sh stop [DIR]     stop both and delete DIR
#   scripts/services.sh stop-one postgres|redis [DIR]    stop one of them, keeping its data and port (an outage)
#   scripts/services.sh start-one postgres|redis [DIR]   start it again on the same port (the end of the outage)
#
# DIR defaults to $BETTER_AUTH_SERVICES_DIR or /tmp/better-auth-services. Data lives only there (no fsync,
# no Redis persistence): these servers are for tests, never for data anyone keeps. BETTER_AUTH_SERVICES_DURABLE=1
# keeps PostgreSQL's durable defaults (fsync, synchronous commit), as the benchmark wants.
set -euo pipefail

cmd=${1:-}
service=""
if [ "$cmd" = "stop-one" ] || [ "$cmd" = "start-one" ]; then service=${2:-}; shift; fi
dir=${2:-${BETTER_AUTH_SERVICES_DIR:-/tmp/better-auth-services}}

pg_bin() {
  # Debian keeps the server binaries out of PATH, one folder per major version; take the newest.
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$found" ] && [ -x "$found/initdb" ]; then echo "$found"; return; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  return 1
}

install() {
  local missing=()
  pg_bin >/dev/null || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  # The e2e suites (races, crash safety, multi-instance) and the bench create databases and check rows with psql.
  command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    # A policy-rc.d keeps the packages from starting their own system-wide servers (ours run from DIR).
    local policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      policy=/usr/sbin/policy-rc.d
      printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy"
    fi
    apt-get install -y -qq "${missing[@]}" >&2 || { [ -n "$policy" ] && rm -f "$policy"; exit 1; }
    if [ -n "$policy" ]; then rm -f "$policy"; fi
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null ||
    node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# Runs a PostgreSQL tool as the postgres OS user when we are root (initdb and the server refuse to run as root).
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

print_env() {
  [ -f "$dir/env" ] && cat "$dir/env"
  return 0
}

running() {
  [ -f "$dir/env" ] || return 1
  local bin; bin=$(pg_bin) || return 1
  as_pg "$bin/pg_ctl" status -D "$dir/pg" >/dev/null 2>&1 || return 1
  [ -f "$dir/redis.pid" ] && kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null
}

start() {
  if running; then print_env; return; fi
  stop_quietly
  install
  local bin pg_port redis_port
  bin=$(pg_bin)
  mkdir -p "$dir/pg"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$dir"; fi
  chmod 700 "$dir/pg"
  pg_port=$(free_port)
  local durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  if [ "${BETTER_AUTH_SERVICES_DURABLE:-0}" = "1" ]; then durability=""; fi
  # C collation and UTF-8, as most hosted PostgreSQL servers; trust auth is safe only because it listens on loopback.
  as_pg "$bin/initdb" -D "$dir/pg" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  # The server options are kept, so start-one brings it back as it was.
  echo "-c listen_addresses=127.0.0.1 -p $pg_port -c unix_socket_directories='$dir' -c max_connections=400 $durability" > "$dir/pg.options"
  start_postgres

  redis_port=$(free_port)
  echo "$redis_port" > "$dir/redis.port"
  start_redis

  # Shell syntax, so `eval "$(scripts/services.sh start)"` exports them.
  {
    echo "export BETTER_AUTH_TEST_POSTGRES='Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres'"
    echo "export BETTER_AUTH_TEST_POSTGRES_URL='postgres://postgres@127.0.0.1:$pg_port/postgres'"
    echo "export BETTER_AUTH_TEST_REDIS='127.0.0.1:$redis_port'"
  } > "$dir/env.tmp"
  mv "$dir/env.tmp" "$dir/env"
  print_env
}

start_postgres() {
  local bin; bin=$(pg_bin)
  as_pg "$bin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w -t 60 start -o "$(cat "$dir/pg.options")" \
    >/dev/null || { cat "$dir/pg.log" >&2; exit 1; }
}

start_redis() {
  local redis_port; redis_port=$(cat "$dir/redis.port")
  redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir"
  for _ in $(seq 1 50); do
    redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG && break
    sleep 0.1
  done
  redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG || { cat "$dir/redis.log" >&2; exit 1; }
}

stop_redis() {
  [ -f "$dir/redis.pid" ] || return 0
  local pid; pid=$(cat "$dir/redis.pid")
  # Only the server this script started: its pid file, and the process must still be a redis-server.
  if kill -0 "$pid" 2>/dev/null && grep -q redis-server "/proc/$pid/cmdline" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$dir/redis.pid"
}

# One service down and up again, the other untouched (readiness tests).
one() {
  [ -f "$dir/env" ] || { echo "no services in $dir" >&2; exit 1; }
  case "$cmd:$service" in
    stop-one:postgres) as_pg "$(pg_bin)/pg_ctl" -D "$dir/pg" -m immediate -w stop >/dev/null ;;
    start-one:postgres) start_postgres ;;
    stop-one:redis) stop_redis ;;
    start-one:redis) start_redis ;;
    *) echo "usage: $0 stop-one|start-one postgres|redis [DIR]" >&2; exit 2 ;;
  esac
}

stop_quietly() {
  local bin
  if bin=$(pg_bin) && [ -f "$dir/pg/postmaster.pid" ]; then
    as_pg "$bin/pg_ctl" -D "$dir/pg" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  stop_redis
  rm -rf "$dir"
}

case "$cmd" in
  install) install ;;
  start) start ;;
  env) print_env ;;
  stop) stop_quietly ;;
  stop-one|start-one) one ;;
  *) echo "usage: $0 install|start|env|stop|stop-one|start-one [DIR]" >&2; exit 2 ;;
esac
