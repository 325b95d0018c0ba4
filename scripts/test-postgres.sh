#!/usr/bin/env bash
# A throwaway PostgreSQL for the test suite, on loopback only.
#   bash scripts/test-postgres.sh start   # installs PostgreSQL from Debian if absent, starts it, prints the URL last
#   bash scripts/test-postgres.sh stop    # stops it and removes its files
set -euo pipefail

port="${WRIT_TEST_PG_PORT:-55432}"
dir="/tmp/writ-test-pg-${port}"
url="postgres://postgres@127.0.0.1:${port}/writ_test"

bin_dir() {
  local initdb
  initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$initdb" ] && dirname "$initdb"
}

as_postgres() { runuser -u postgres -- "$@"; }

start() {
  if [ -z "$(bin_dir)" ]; then
    echo "Installing PostgreSQL from Debian's packages..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
  fi
  local bin
  bin=$(bin_dir)
  if [ -f "$dir/data/postmaster.pid" ] && as_postgres "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    echo "$url"
    return 0
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
    echo "Port ${port} is taken by something else; set WRIT_TEST_PG_PORT to a free port." >&2
    exit 1
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  chown postgres "$dir"
  as_postgres "$bin/initdb" -D "$dir/data" --auth=trust --username=postgres --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    as_postgres "$bin/initdb" -D "$dir/data" --auth=trust --username=postgres --encoding=UTF8 >"$dir/initdb.log" 2>&1
  as_postgres "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
    -o "-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >&2
  as_postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc 'CREATE DATABASE writ_test' >&2
  echo "$url"
}

stop() {
  local bin
  bin=$(bin_dir)
  if [ -n "$bin" ] && [ -d "$dir/data" ]; then
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
