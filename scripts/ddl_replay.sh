#!/usr/bin/env bash
# Replays PostgreSQL 15's own regression suite (its SQL files, from Debian's
# source package) against a database with planner_meta and one without.
# For each file: statements whose outcome differs because of the extension
# (goal 0), tracking warnings (goal 0), and verify() differences after the
# file (goal 0).  REPLAY_FILES limits the files (default: the whole
# parallel_schedule, in order).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
export PATH="$HOME/.cargo/bin:$PATH"
. scripts/lib/cluster.sh

work=${REPLAY_WORK:-/tmp/planner_meta_replay}
port=${REPLAY_PORT:-55442}
mkdir -p "$work"

# The suite's SQL files come from Debian's source package of PostgreSQL 15.
src="$work/src"
if [ ! -d "$src/sql" ]; then
  if ! apt-cache showsrc postgresql-15 2>/dev/null | grep -q '^Version:'; then
    # Enable Debian's source archive next to the binary one.
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
      sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
        > /etc/apt/sources.list.d/planner-meta-src.sources
    else
      grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' \
        > /etc/apt/sources.list.d/planner-meta-src.list
    fi
    apt-get update -qq
  fi
  version=$(apt-cache showsrc postgresql-15 | awk '/^Version:/ {print $2}' | sort -V | head -1)
  (cd "$work" && apt-get source --download-only -qq "postgresql-15=$version" >/dev/null 2>&1)
  tarball=$(ls "$work"/postgresql-15_*.orig.tar.bz2 | head -1)
  upstream=${tarball##*_}
  top="postgresql-${upstream%.orig.tar.bz2}"   # the tarball's top folder
  tar xjf "$tarball" -C "$work" "$top/src/test/regress/sql" "$top/src/test/regress/data" \
      "$top/src/test/regress/parallel_schedule"
  mv "$work/$top/src/test/regress" "$src"
fi
chmod -R a+rX "$work"

install_extension
# Two clusters: roles and tablespaces are cluster-wide, so each run needs
# its own for the two to be comparable.
start_cluster "$work/plain" "$((port + 1))" "max_locks_per_transaction=256"
plain_host=$PGHOST plain_port=$PGPORT
start_cluster "$work/cluster" "$port" "max_locks_per_transaction=256"
trap 'stop_cluster "$work/cluster"; stop_cluster "$work/plain"' EXIT
createdb regression
PGHOST=$plain_host PGPORT=$plain_port createdb regression
psql -q -X -d regression -c "CREATE EXTENSION planner_meta"

files=${REPLAY_FILES:-$(grep '^test:' "$src/parallel_schedule" | sed 's/^test: *//' | tr ' ' '\n')}
export PG_ABS_SRCDIR="$src" PG_ABS_BUILDDIR="$work" PG_LIBDIR="$work/none" PG_DLSUFFIX=.so
out="$work/out"; mkdir -p "$out"
total_diff=0 total_warn=0 total_verify=0 n=0
printf '%-28s %8s %9s %8s\n' file differing warnings verify
for f in $files; do
  [ -f "$src/sql/$f.sql" ] || continue
  (cd "$src" && timeout 300 psql -X -a -d regression -v ON_ERROR_STOP=0 -f "sql/$f.sql" \
     >"$out/$f.with_ext" 2>&1 || true)
  (cd "$src" && PGHOST=$plain_host PGPORT=$plain_port timeout 300 psql -X -a -d regression \
     -v ON_ERROR_STOP=0 -f "sql/$f.sql" >"$out/$f.without_ext" 2>&1 || true)
  read -r diff warn < <(python3 tests/replay/compare.py "$out/$f.with_ext" "$out/$f.without_ext")
  psql -X -At -d regression -c "SELECT * FROM planner_meta.verify()" >"$out/$f.verify" 2>&1 || true
  v=$(psql -X -At -d regression -c "SELECT count(*) FROM planner_meta.verify()" 2>/dev/null || echo "?")
  printf '%-28s %8s %9s %8s\n' "$f" "$diff" "$warn" "$v"
  total_diff=$((total_diff + diff)); total_warn=$((total_warn + warn)); n=$((n + 1))
  [ "$v" = "?" ] || total_verify=$((total_verify + v))
done
echo "(differences per file: $out/<file>.verify)"
printf '\n%d files: %d statements with a different outcome, %d tracking warnings, %d verify() differences\n' \
  "$n" "$total_diff" "$total_warn" "$total_verify"
[ "$total_diff" = 0 ] && [ "$total_warn" = 0 ] && [ "$total_verify" = 0 ]
