#!/usr/bin/env bash
# Start PostgreSQL (15 on Debian 12) and Redis for the cluster tests (tests/service/test_service_cluster.py) on a
# Debian machine, as root. Idempotent: services already running are left as they are.
#
#   eval "$(scripts/ci_services.sh)"     # exports PROTOKOLL_TEST_POSTGRES_URL/_REDIS_URL
#
# Debian packages: postgresql-15 (or postgresql), redis-server. Progress goes to stderr,
# only the two export lines to stdout.
set -euo pipefail

# the newest installed PostgreSQL (15 on Debian 12), unless PG_VERSION says otherwise
PG_VERSION=${PG_VERSION:-$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)}
PG_CLUSTER=${PG_CLUSTER:-main}
PG_PORT=${PG_PORT:-5432}
PG_USER=${PG_USER:-protokoll}
PG_PASSWORD=${PG_PASSWORD:-protokoll}
PG_DB=${PG_DB:-protokoll_test}
REDIS_PORT=${REDIS_PORT:-6379}
REDIS_DB=${REDIS_DB:-15}

say() { echo "ci_services: $*" >&2; }

if [ "$(id -u)" != 0 ]; then
  say "needs root (pg_ctlcluster, su postgres)"
  exit 1
fi
for tool in pg_ctlcluster pg_lsclusters pg_createcluster redis-server redis-cli; do
  if ! command -v "$tool" >/dev/null; then
    say "$tool missing: apt-get install -y postgresql redis-server"
    exit 1
  fi
done

# ---- PostgreSQL --------------------------------------------------------------------------
if [ -z "$PG_VERSION" ]; then
  say "no PostgreSQL server installed: apt-get install -y postgresql"
  exit 1
fi
if ! pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c' \
  | grep -q .; then
  say "creating cluster $PG_VERSION/$PG_CLUSTER"
  pg_createcluster "$PG_VERSION" "$PG_CLUSTER" --port "$PG_PORT" >&2
fi
if ! pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c' \
  | grep -q online; then
  say "starting PostgreSQL $PG_VERSION/$PG_CLUSTER"
  pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start >&2
fi
for _ in $(seq 1 60); do
  if su postgres -c "psql -p $PG_PORT -Atqc 'select 1'" >/dev/null 2>&1; then
    break
  fi
  sleep 0.5
done
psql_admin() { su postgres -c "psql -p $PG_PORT -v ON_ERROR_STOP=1 -Atq $*"; }
if [ "$(psql_admin "-c \"select 1 from pg_roles where rolname = '$PG_USER'\"")" != 1 ]; then
  say "creating role $PG_USER"
  psql_admin "-c \"create role $PG_USER login password '$PG_PASSWORD'\"" >&2
else
  psql_admin "-c \"alter role $PG_USER login password '$PG_PASSWORD'\"" >&2
fi
if [ "$(psql_admin "-c \"select 1 from pg_database where datname = '$PG_DB'\"")" != 1 ]; then
  say "creating database $PG_DB"
  psql_admin "-c \"create database $PG_DB owner $PG_USER\"" >&2
fi

# ---- Redis -------------------------------------------------------------------------------
if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  say "starting redis-server on port $REDIS_PORT"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save '' \
    --appendonly no --logfile /tmp/protokoll-ci-redis.log >&2
  for _ in $(seq 1 60); do
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
    sleep 0.2
  done
fi
redis-cli -p "$REDIS_PORT" ping >/dev/null

echo "export PROTOKOLL_TEST_POSTGRES_URL=postgresql+psycopg://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"
echo "export PROTOKOLL_TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/$REDIS_DB"
