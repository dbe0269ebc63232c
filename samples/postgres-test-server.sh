#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests and the benchmark: started once (parallel callers share it, one
# starts it while the others wait on a lock), listening only on a Unix socket in its own folder, never touching the
# machine's own clusters. Prints the libpq URI of a database `gapflow_test` owned by the role `gapflow`.
#
#   apt-get install -y postgresql libpq-dev        # once, as root (.ci/run does this)
#   samples/postgres-test-server.sh                # start it if needed and print its URI
#   samples/postgres-test-server.sh stop           # stop it and remove its folder
#
# The role `gapflow_secret` logs in only with its password ("richtig"), for the tests of a wrong one.
# `swift test` runs this itself when GAPFLOW_TEST_POSTGRES is not set. Run as root, the cluster runs as the user
# `postgres`; run as anyone else, as that user. GAPFLOW_PG_TEST_DIR chooses the folder (default
# /tmp/gapflow-pg-test-UID), GAPFLOW_PG_TEST_FSYNC=on makes it durable (the benchmark wants that; tests do not).
set -euo pipefail
base=${GAPFLOW_PG_TEST_DIR:-/tmp/gapflow-pg-test-$(id -u)}
data=$base/data
socket=$base/socket
port=54329
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "no PostgreSQL server programs (initdb, pg_ctl) found under /usr/lib/postgresql: apt-get install -y postgresql" >&2
  exit 1
fi
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

mkdir -p "$(dirname "$base")"
exec 9>"$base.lock"
flock 9

if [ "${1:-start}" = stop ]; then
  if [ -d "$data" ]; then as_owner "$bin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$base" "$base.lock"
  exit 0
fi

if ! as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  rm -rf "$base"
  mkdir -p "$data" "$socket"
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$base"; fi
  chmod 700 "$data"
  as_owner "$bin/initdb" -D "$data" -A trust -U postgres -E UTF8 --no-locale --no-sync >"$base/initdb.log" 2>&1 \
    || { cat "$base/initdb.log" >&2; exit 1; }
  fsync=${GAPFLOW_PG_TEST_FSYNC:-off}
  as_owner "$bin/pg_ctl" -D "$data" -l "$base/server.log" -w -t 60 start \
    -o "-p $port -k $socket -c listen_addresses='' -c max_connections=300 -c fsync=$fsync -c full_page_writes=$fsync -c synchronous_commit=$fsync -c shared_buffers=128MB" \
    >/dev/null 9>&- || { cat "$base/server.log" >&2; exit 1; }
  as_owner "$bin/psql" -h "$socket" -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE gapflow LOGIN" -c "CREATE DATABASE gapflow_test OWNER gapflow" >/dev/null
fi
# A role that must give its password (the others are trusted), for the tests of a wrong password: its password is
# "richtig" (see PostgresCommandTests).
if ! grep -q '^local all gapflow_secret ' "$data/pg_hba.conf"; then
  as_owner sed -i '1i local all gapflow_secret scram-sha-256' "$data/pg_hba.conf"
  as_owner "$bin/pg_ctl" -D "$data" reload >/dev/null
  as_owner "$bin/psql" -h "$socket" -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE gapflow_secret LOGIN PASSWORD 'richtig'" >/dev/null
fi
echo "postgresql:///gapflow_test?host=$socket&port=$port&user=gapflow"
