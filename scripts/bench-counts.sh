#!/usr/bin/env bash
# Count latency over HTTP on a demo population: current counts (maintained table), as-of counts
# (per-day table), grouped by district, and flows — each beside /healthz measured in the same
# run, and the ratio. Usage:
#   scripts/bench-counts.sh [N]                       # N demo firms on SQLite (default 100000)
#   PG_URL=postgres://postgres@127.0.0.1:5432 scripts/bench-counts.sh [N]   # also PostgreSQL
#   SKIP_SQLITE=1 PG_URL=… scripts/bench-counts.sh 1000000                   # PostgreSQL only
# Needs a release build and wrk.
set -euo pipefail
N=${1:-100000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/tier-registry}
WORK=$(mktemp -d)
PORT=18282
export RUST_LOG=warn APP_LOG__FILTER=warn
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
cd "$ROOT"

latency() { # $1 = path → "p50 p99 req/s"
  wrk -t1 -c4 -d5s --latency "http://127.0.0.1:$PORT$1" 2>/dev/null |
    awk '/ 50%/{p50=$2} / 99%/{p99=$2} /Requests\/sec/{rps=$2} END{print p50, p99, rps}'
}

run_backend() { # $1 = label, $2 = database url
  echo "== $1, $N firms ($(nproc) cores shared, $(date -u +%FT%TZ))"
  "$BIN" demo-data --firms "$N" --seed 7 --database-url "$2" >/dev/null
  "$BIN" serve --bind "127.0.0.1:$PORT" --database-url "$2" >"$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
  local today base
  today=$(date -u +%F)
  base=$(latency /healthz)
  printf '%-48s %s\n' "baseline GET /healthz (p50 p99 req/s)" "$base"
  for path in "/api/v1/tier-counts" "/api/v1/tier-counts?group_by=region" \
              "/api/v1/tier-counts?as_of=$today" "/api/v1/tier-counts?as_of=$today&group_by=industry" \
              "/api/v1/tier-flows?from=2025-01-01&to=$today"; do
    local got; got=$(latency "$path")
    printf '%-48s %s   (p50 ratio to baseline %s)\n' "GET $path" "$got" \
      "$(python3 -c "import sys,re
def ms(v):
    m=re.match(r'([0-9.]+)(us|ms|s)',v); n=float(m.group(1)); return n/1000 if m.group(2)=='us' else n*1000 if m.group(2)=='s' else n
print(f'{ms(sys.argv[1])/ms(sys.argv[2]):.1f}x')" "${got%% *}" "${base%% *}")"
  done
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
}

[ -n "${SKIP_SQLITE:-}" ] || run_backend "SQLite" "sqlite://$WORK/counts.db"
if [ -n "${PG_URL:-}" ]; then
  db="bench_counts_$$"
  psql "$PG_URL/postgres" -qc "CREATE DATABASE $db" >/dev/null
  run_backend "PostgreSQL" "$PG_URL/$db"
  psql "$PG_URL/postgres" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
fi
