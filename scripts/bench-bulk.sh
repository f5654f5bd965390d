#!/usr/bin/env bash
# Bulk benchmarks: demo-data load, CSV import, reclassify-all, registration latency over HTTP,
# each beside a baseline measured in the same run. Usage:
#   scripts/bench-bulk.sh [N]            # N firms (default 100000); SQLite always,
#   PG_URL=postgres://postgres@127.0.0.1:5432 scripts/bench-bulk.sh   # also PostgreSQL
# Needs a release build (BIN, default $CARGO_TARGET_DIR or target, /release/tier-registry),
# sqlite3, psql (for PostgreSQL) and wrk (for HTTP; skipped when absent).
set -euo pipefail
N=${1:-100000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/tier-registry}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export RUST_LOG=warn APP_LOG__FILTER=warn
cd "$ROOT"

now() { date +%s.%N; }
rate() { python3 -c "import sys; n,a,b=float(sys.argv[1]),float(sys.argv[2]),float(sys.argv[3]); print(f'{n/(b-a):,.0f}/s ({b-a:.2f} s)')" "$@"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.2f}')" "$@"; }
say() { printf '%-58s %s\n' "$1" "$2"; }

# A new rule-set version whose seed-unicorn threshold differs, so publishing it reclassifies all.
sed -e 's/^version = 1/version = 2/' -e 's/"valuation >= 100,000,000 CNY"/"valuation >= 200,000,000 CNY"/' \
  config/rules/default.toml > "$WORK/rules-v2.toml"

firms_csv() { # the export's firm columns, as an import file
  python3 - "$1" "$2" <<'PY'
import csv, sys
src, dst = sys.argv[1], sys.argv[2]
cols = ["uscc", "name", "region_code", "industry_code", "founded_on", "listed_on", "status"]
with open(src, encoding="utf-8-sig", newline="") as f, open(dst, "w", encoding="utf-8", newline="") as g:
    r = csv.DictReader(f); w = csv.writer(g); w.writerow(cols)
    for row in r: w.writerow([row[c] for c in cols])
PY
}

run_backend() { # $1 = label, $2 = demo db url, $3 = import db url
  local label=$1 demo=$2 fresh=$3
  echo "== $label, $N firms ($(nproc) cores shared, $(date -u +%FT%TZ))"
  local t0 t1
  t0=$(now); "$BIN" demo-data --firms "$N" --seed 1 --database-url "$demo" > "$WORK/demo.out"; t1=$(now)
  say "demo-data (insert + classify, firms)" "$(rate "$N" "$t0" "$t1")"
  DEMO_S=$(python3 -c "print($t1-$t0)")
  t0=$(now); "$BIN" export --database-url "$demo" --out "$WORK/export.csv" 2>/dev/null; t1=$(now)
  say "export csv (firms)" "$(rate "$N" "$t0" "$t1")"
  firms_csv "$WORK/export.csv" "$WORK/firms.csv"
  t0=$(now); "$BIN" import "$WORK/firms.csv" --commit --database-url "$fresh" > "$WORK/import.out"; t1=$(now)
  say "import --commit (firm rows, into an empty database)" "$(rate "$N" "$t0" "$t1")"
  IMPORT_S=$(python3 -c "print($t1-$t0)")
  tail -1 "$WORK/import.out" | cut -c1-100
  t0=$(now); "$BIN" rules publish "$WORK/rules-v2.toml" --database-url "$demo" > "$WORK/publish.out"; t1=$(now)
  say "rules publish v2 (reclassify all, firms)" "$(rate "$N" "$t0" "$t1")"
  cat "$WORK/publish.out" | cut -c1-140
}

sqlite_baselines() {
  local t0 t1
  t0=$(now); sqlite3 "$WORK/base.db" -cmd ".mode csv" ".import $WORK/firms.csv firms_plain"; t1=$(now)
  say "baseline: sqlite3 .import of the same firm CSV" "$(rate "$N" "$t0" "$t1")"
  t0=$(now); sqlite3 "$WORK/demo.db" "SELECT count(*), sum(revenue) FROM firms JOIN annual_figures ON firm_id = firms.id;" > /dev/null; t1=$(now)
  say "baseline: one scan of firms ⋈ annual_figures" "$(rate "$N" "$t0" "$t1")"
}

http_latency() { # on the SQLite demo database
  command -v wrk > /dev/null || { echo "wrk not installed: HTTP latency skipped"; return; }
  # A write token for the registrations; the per-token request budget is lifted for the run.
  TOKEN=$("$BIN" token create --scope write --name bench --database-url "sqlite://$WORK/demo.db" 2>/dev/null)
  export TOKEN
  APP_AUTH__API_RATE_LIMIT=0 "$BIN" serve --bind 127.0.0.1:18088 --database-url "sqlite://$WORK/demo.db" > "$WORK/serve.log" 2>&1 &
  local pid=$!
  for _ in $(seq 50); do curl -sf http://127.0.0.1:18088/healthz > /dev/null && break; sleep 0.2; done
  echo "-- baseline GET /healthz (wrk -t2 -c4 -d10s)"
  wrk -t2 -c4 -d10s --latency http://127.0.0.1:18088/healthz | grep -E "50%|99%|Requests/sec"
  echo "-- POST /api/v1/firms, a new valid firm per request (wrk -t2 -c4 -d10s)"
  wrk -t2 -c4 -d10s --latency -s scripts/register.lua http://127.0.0.1:18088 -- 1 | grep -E "50%|99%|Requests/sec|Non-2xx"
  echo "-- POST /api/v1/firms, 4 clients that each wait 5 ms after an answer (below saturation)"
  wrk -t2 -c4 -d10s --latency -s scripts/register.lua http://127.0.0.1:18088 -- 3 5 | grep -E "50%|99%|Requests/sec|Non-2xx"
  echo "-- POST /api/v1/firms at a paced 1 request at a time (wrk -t1 -c1 -d10s)"
  wrk -t1 -c1 -d10s --latency -s scripts/register.lua http://127.0.0.1:18088 -- 2 | grep -E "50%|99%|Requests/sec|Non-2xx"
  echo "-- group commit: commits and the writes they carried"
  curl -s -H "Authorization: Bearer $TOKEN" http://127.0.0.1:18088/metrics | grep '^sqlite_' || true
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

run_backend "SQLite" "sqlite://$WORK/demo.db" "sqlite://$WORK/import.db"
sqlite_baselines
http_latency

if [ -n "${PG_URL:-}" ]; then
  for db in bench_demo bench_import bench_base; do
    psql -q "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
  done
  run_backend "PostgreSQL" "$PG_URL/bench_demo" "$PG_URL/bench_import"
  psql -q "$PG_URL/bench_base" -c "CREATE TABLE firms_plain (uscc text, name text, region_code text, industry_code text, founded_on text, listed_on text, status text)"
  t0=$(now); psql -q "$PG_URL/bench_base" -c "\\copy firms_plain FROM '$WORK/firms.csv' CSV HEADER"; t1=$(now)
  say "baseline: COPY of the same firm CSV" "$(rate "$N" "$t0" "$t1")"
  t0=$(now); psql -qAt "$PG_URL/bench_demo" -c "SELECT count(*), sum(revenue) FROM firms JOIN annual_figures ON firm_id = firms.id" > /dev/null; t1=$(now)
  say "baseline: one scan of firms ⋈ annual_figures" "$(rate "$N" "$t0" "$t1")"
  for db in bench_demo bench_import bench_base; do
    psql -q "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  done
fi
