#!/usr/bin/env bash
# The benchmark of issue 15: every goal beside its baseline from the same run, and the ratio.
#
#   scripts/bench.sh [OUT.md]
#
# Builds a demo population, starts the bare actix-web endpoint (examples/bare.rs) and the
# registry, and measures each goal: counts, 304s, as-of counts and flows over HTTP against
# the bare endpoint (wrk -t1 -c32); the dashboard and /targets (p50 of a curl loop, signed
# in as a viewer); import --commit against `sqlite3 .import` into a table with a UNIQUE
# uscc; reclassification after a publication (`rules publish` of a changed rule set);
# registrations from 4 wrk clients flat out. Prints one markdown table (measure | figure |
# baseline | ratio | goal | met?) headed by the date, the commit and the machine, and appends
# it to OUT.md when given (paste it into docs/PERFORMANCE.md). Unmet goals never fail the
# script; a broken step does (a server that does not start, a wrong status, no requests).
#
# Environment:
#   N=100000        demo firms on SQLite (the goals are stated at 100,000 and 1,000,000)
#   DURATION=10s    each wrk run;  RUNS=3  wrk runs per URL, interleaved (medians)
#   LOOPS=20        requests per curl loop (dashboard, /targets), at most LOOP_SECONDS=60 each
#   PG_URL=postgres://postgres@127.0.0.1:5432   also PostgreSQL (a database is made and dropped)
#   PG_N=$N         demo firms on PostgreSQL (the goal is stated at 1,000,000)
#   PROFILE=release binaries from $CARGO_TARGET_DIR/PROFILE (or BIN=…, BARE=…): build them
#                   with `cargo build --release --bins --examples`
#   TINY=1          a few hundred firms, 1 s wrk runs, one run each: checks the script (CI)
#   PORT=18300      the bare endpoint; the registry listens on PORT+1
#   KEEP=1          keep the work directory (databases, logs)
# Needs wrk, sqlite3, curl, python3, /usr/bin/time (package time), and psql for PG_URL.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=${1:-}
if [ -n "${TINY:-}" ]; then
  N=${N:-300} DURATION=${DURATION:-1s} RUNS=${RUNS:-1} LOOPS=${LOOPS:-3}
fi
N=${N:-100000} DURATION=${DURATION:-10s} RUNS=${RUNS:-3} LOOPS=${LOOPS:-20}
PG_N=${PG_N:-$N} LOOP_SECONDS=${LOOP_SECONDS:-60}
PROFILE=${PROFILE:-release}
BIN=${BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/$PROFILE/tier-registry}
BARE=${BARE:-${CARGO_TARGET_DIR:-$ROOT/target}/$PROFILE/examples/bare}
PORT=${PORT:-18300}
BARE_URL="http://127.0.0.1:$PORT"
REG_URL="http://127.0.0.1:$((PORT + 1))"
TARGETS_YEAR=${TARGETS_YEAR:-2024} # the year config/targets.toml has targets for

# The server as the runs need it: no local profile file, quiet logs, counts open to anonymous
# callers (the load generator has no credentials) and no request budget (wrk would spend it).
export APP_PROFILE=bench RUST_LOG=warn APP_LOG__FILTER=warn
export APP_AUTH__PUBLIC_COUNTS=true APP_AUTH__API_RATE_LIMIT=0

fail() { echo "bench.sh: $*" >&2; exit 1; }
say() { echo "-- $*" >&2; }
for tool in wrk sqlite3 curl python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || fail "$tool is not installed"
done
[ -z "${PG_URL:-}" ] || command -v psql >/dev/null || fail "psql is not installed (PG_URL is set)"
[ -x "$BIN" ] || fail "no $BIN: cargo build --$PROFILE --bins --examples (or set BIN)"
[ -x "$BARE" ] || fail "no $BARE: cargo build --$PROFILE --examples (or set BARE)"

WORK=$(mktemp -d)
RAW=$WORK/raw.tsv  # key <tab> value, one line per measurement; runs repeat keys
PY=$WORK/bench.py
PIDS=()
PG_DB=""
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -n "$PG_DB" ]; then
    psql -q "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  if [ -n "${KEEP:-}" ]; then echo "work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
record() { printf '%s\t%s\n' "$1" "$2" >> "$RAW"; }
now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }

# ---------------------------------------------------------------------------------------
# Parsing wrk's output and writing the table.
cat > "$PY" <<'PY'
import re, statistics, sys
from collections import defaultdict

def ms(text):
    m = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text)
    if not m:
        raise SystemExit(f"unreadable latency {text!r}")
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[m.group(2)]
    return float(m.group(1)) * scale

def wrk(key):
    """wrk --latency output on stdin -> key.rps/p50/p99/requests/non2xx lines."""
    text = sys.stdin.read()
    got = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in ("50%", "99%"):
            got["p" + parts[0][:-1]] = ms(parts[1])
        elif line.strip().startswith("Requests/sec:"):
            got["rps"] = float(parts[1])
        elif re.match(r"\s*\d+ requests in", line):
            got["requests"] = int(parts[0])
        elif "Non-2xx or 3xx responses:" in line:
            got["non2xx"] = int(parts[-1])
        elif line.strip().startswith("Socket errors:"):
            got["errors"] = sum(int(n) for n in re.findall(r"\d+", line))
    if not got.get("requests") or "p99" not in got:
        raise SystemExit(f"wrk {key}: no requests completed\n{text}")
    got.setdefault("non2xx", 0)
    got.setdefault("errors", 0)
    for name in ("rps", "p50", "p99", "requests", "non2xx", "errors"):
        print(f"{key}.{name}\t{got[name]}")

def median(key):
    """A list of seconds (curl's time_total) on stdin -> key.p50 and key.first in ms."""
    values = [float(v) * 1000 for v in sys.stdin.read().split()]
    print(f"{key}.p50\t{statistics.median(values)}")
    print(f"{key}.first\t{values[0]}")

def num(v, digits=3):
    if v is None:
        return "—"
    return f"{v:,.0f}" if v >= 1000 else f"{v:.{digits}g}"

def report(raw, n, pg_n, heading):
    values = defaultdict(list)
    for line in open(raw, encoding="utf-8"):
        k, v = line.rstrip("\n").split("\t")
        values[k].append(float(v))
    def get(k):
        return statistics.median(values[k]) if values.get(k) else None
    rows = []
    def dagger(measured, goal_n):
        return "" if measured >= goal_n else " †"
    def row(measure, figure, baseline, ratio, goal, met):
        rows.append([measure, figure, baseline, ratio, goal, met])
    def yes(ok, mark=""):
        return ("yes" if ok else "**no**") + mark
    def rps(k): return get(k + ".rps")
    def refused(k):
        """wrk counts 4xx/5xx answers (503 when the pool is exhausted) in req/s: say so."""
        bad = sum(values.get(k + ".non2xx", []))
        total = sum(values.get(k + ".requests", []))
        return f" ({bad:,.0f} of {total:,.0f} answers 4xx/5xx)" if bad else ""
    def fig(k): return num(rps(k)) + refused(k)
    def share(a, b): return None if a is None or not b else a / b
    def pct(r): return "—" if r is None else f"{100 * r:.1f}%" if r >= 0.01 else f"{100 * r:.2g}%"

    def reads(db):
        bare = f"{db}.bare"
        return (bare, share(rps(f"{db}.counts"), rps(bare)), share(rps(f"{db}.asof"), rps(bare)),
                share(rps(f"{db}.flows"), rps(bare)))

    # SQLite reads against the bare endpoint.
    bare, s_c, s_a, s_f = reads("sqlite")
    if rps("sqlite.counts") is not None:
        bare_line = f"bare {num(rps(bare))} req/s"
        row("`GET /tier-counts` req/s", fig("sqlite.counts"), bare_line, pct(s_c),
            "≥ 50%", yes(s_c >= 0.5))
        p99, bp99 = get("sqlite.counts.p99"), get(bare + ".p99")
        r = share(p99, bp99)
        row("`GET /tier-counts` p99", f"{num(p99)} ms", f"bare {num(bp99)} ms", f"{r:.1f}×",
            "≤ 2×", yes(r <= 2))
        r = share(rps("sqlite.inm"), rps("sqlite.healthz"))
        row("`GET /tier-counts`, matching `If-None-Match` (304) req/s",
            fig("sqlite.inm"), f"`/healthz` {num(rps('sqlite.healthz'))} req/s", pct(r),
            "≥ 80%", yes(r >= 0.8))
        row("`GET /tier-counts?as_of=` (182 days back) req/s", fig("sqlite.asof"),
            bare_line, pct(s_a), "≥ 25%", yes(s_a >= 0.25))
        row("`GET /tier-flows` over one year req/s", fig("sqlite.flows"), bare_line,
            pct(s_f), "≥ 10%", yes(s_f >= 0.1))
        r = share(rps("sqlite.healthz"), rps(bare))
        row("`GET /healthz` req/s (all middleware; no goal)", fig("sqlite.healthz"),
            bare_line, pct(r), "—", "—")
    if get("pg.counts.rps") is not None:
        _, p_c, p_a, p_f = reads("pg")
        bare_line = f"PG run's bare {num(rps('pg.bare'))} req/s"
        for name, key, pg_r, sq_r in (("`GET /tier-counts`", "pg.counts", p_c, s_c),
                                      ("`GET /tier-counts?as_of=`", "pg.asof", p_a, s_a),
                                      ("`GET /tier-flows` over one year", "pg.flows", p_f, s_f)):
            r = share(pg_r, sq_r)
            row(f"PostgreSQL {pg_n:,} firms: {name}, share of bare",
                f"{pct(pg_r)}: {fig(key)} req/s ({bare_line})", f"SQLite {pct(sq_r)}",
                "—" if r is None else f"{r:.2f}", "≥ 0.5 of SQLite's",
                "—" if r is None else yes(r >= 0.5, dagger(pg_n, 1_000_000)))
    # Pages and targets: p50 of a curl loop, beside the bare endpoint in the same loop.
    if get("sqlite.dashboard.p50") is not None:
        # 50 ms at 100,000 firms, 200 ms at 1,000,000; in between, the 1M goal is judged.
        limit, at = (50, 100_000) if n <= 100_000 else (200, 1_000_000)
        mark = dagger(n, at)
        base = get("sqlite.curl_bare.p50")
        for name, k in (("dashboard page", "sqlite.dashboard"),
                        ("`GET /api/v1/targets?year=…`", "sqlite.targets")):
            v = get(k + ".p50")
            r = share(v, base)
            # The first request also shows what a cache (if any) hides from the p50.
            first = get(k + ".first")
            row(f"{name} p50", f"{num(v)} ms" + (f" (first {num(first)} ms)" if first else ""),
                f"bare {num(base)} ms (same curl loop)",
                f"{r:,.0f}×", f"< {limit} ms at {at:,}", yes(v < limit, mark))
    # Import against sqlite3 .import.
    if get("sqlite.import.seconds") is not None:
        rows_n = get("import.rows")
        ours = rows_n / get("sqlite.import.seconds")
        theirs = rows_n / get("sqlite3.import.seconds")
        r = ours / theirs
        mark = dagger(rows_n, 1_000_000)
        row(f"`import --commit`, {rows_n:,.0f} firm rows, rows/s",
            f"{num(ours)} ({get('sqlite.import.seconds'):.2f} s)",
            f"`sqlite3 .import` {num(theirs)} ({get('sqlite3.import.seconds'):.2f} s)",
            pct(r), "≥ 50%", yes(r >= 0.5, mark))
        rss, brss = get("sqlite.import.rss_kb") / 1024, get("sqlite3.import.rss_kb") / 1024
        row("`import --commit` peak RSS", f"{num(rss)} MB", f"`sqlite3 .import` {num(brss)} MB",
            f"{rss / brss:.1f}×", "< 500 MB", yes(rss < 500, mark))
    # Reclassification after a publication against one scan of the data it reads.
    for db, label, pop, limit in (("sqlite", "SQLite", n, 10), ("pg", "PostgreSQL", pg_n, 15)):
        s = get(f"{db}.reclassify.seconds")
        if s is None:
            continue
        scan = get(f"{db}.scan.seconds")
        scaled = limit * pop / 1_000_000
        goal = f"< {limit} s at 1M" + ("" if pop == 1_000_000 else f" (< {scaled:.2g} s scaled)")
        row(f"reclassify {pop:,} firms after a publication, {label}", f"{s:.2f} s",
            f"scan of firms ⋈ annual_figures {scan:.2f} s", f"{s / scan:.1f}×" if scan else "—",
            goal, yes(s < scaled, dagger(pop, 1_000_000)))
    # Registrations.
    if get("sqlite.post.p99") is not None:
        p99, hp99 = get("sqlite.post.p99"), get("sqlite.healthz4.p99")
        row("`POST /api/v1/firms`, 4 clients flat out, p99",
            f"{num(p99)} ms ({num(rps('sqlite.post'))} req/s, p50 {num(get('sqlite.post.p50'))} ms)",
            f"`/healthz` 4 clients {num(hp99)} ms", f"{p99 / hp99:.1f}×", "< 5 ms",
            yes(p99 < 5, dagger(n, 100_000)))
        if refused("sqlite.post"):
            row("`POST /api/v1/firms` answers 4xx/5xx", refused("sqlite.post").strip(" ()"),
                "—", "—", "none", "**no**")
    # What else the run saw, without goals.
    for k, label in (("sqlite.demo.seconds", f"demo-data {n:,} firms, SQLite"),
                     ("pg.demo.seconds", f"demo-data {pg_n:,} firms, PostgreSQL")):
        if get(k) is not None:
            row(label + " (no goal)", f"{get(k):.1f} s", "—", "—", "—", "—")
    for k, label in (("sqlite.server.rss_kb", "SQLite"), ("pg.server.rss_kb", "PostgreSQL")):
        if get(k) is not None:
            row(f"registry server peak RSS after the reads, {label} (no goal)",
                f"{num(get(k) / 1024)} MB", "—", "—", "—", "—")

    header = ["measure", "figure", "baseline", "ratio", "goal", "met?"]
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    def line(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    out = [heading, "", line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in rows]
    if any("†" in r[5] for r in rows):
        out += ["", "† measured on a smaller population than the goal's: indicative only."]
    print("\n".join(out))

if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "wrk":
        wrk(sys.argv[2])
    elif cmd == "median":
        median(sys.argv[2])
    elif cmd == "report":
        report(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.stdin.read().rstrip("\n"))
PY

# ---------------------------------------------------------------------------------------
# Servers and load.

start_server() { # name log url command…: sets SERVER_PID, waits until url answers
  local name=$1 log=$2 url=$3; shift 3
  ! curl -s -o /dev/null "$url" || fail "something already answers $url (set PORT)"
  "$@" > "$log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  for _ in $(seq 1 300); do
    curl -sf -o /dev/null "$url" && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log" >&2; fail "$name exited at start"; }
    sleep 0.2
  done
  cat "$log" >&2
  fail "$name did not answer $url within 60 s"
}

stop_server() { # pid [rss key]: records the peak RSS before stopping
  local pid=$1
  if [ -n "${2:-}" ]; then
    record "$2" "$(awk '/^VmHWM:/{print $2}' "/proc/$pid/status")"
  fi
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

expect_status() { # code url [curl args…]
  local want=$1 url=$2; shift 2
  local got
  got=$(curl -s -o "$WORK/body" -w '%{http_code}' "$@" "$url")
  [ "$got" = "$want" ] || fail "$url answered $got, expected $want: $(head -c 300 "$WORK/body")"
}

measure() { # key conns url [wrk args…]: one wrk run, its figures appended to RAW
  local key=$1 conns=$2 url=$3; shift 3
  say "wrk -t1 -c$conns -d$DURATION $url $*"
  # The URL before the options: arguments after `--` go to the Lua script.
  wrk -t1 -c"$conns" -d"$DURATION" --timeout 30s --latency "$url" "$@" > "$WORK/wrk.out" 2>&1 ||
    { cat "$WORK/wrk.out" >&2; fail "wrk failed on $url"; }
  python3 "$PY" wrk "$key" < "$WORK/wrk.out" >> "$RAW"
  if grep -q "Non-2xx or 3xx" "$WORK/wrk.out"; then
    say "$(grep "Non-2xx or 3xx" "$WORK/wrk.out")"
  fi
}

curl_p50() { # key url [curl args…]: LOOPS sequential requests (at most LOOP_SECONDS), p50
  local key=$1 url=$2; shift 2
  local started=$SECONDS i code t
  : > "$WORK/times"
  for ((i = 0; i < LOOPS; i++)); do
    read -r code t < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "$@" "$url")
    [ "$code" = 200 ] || fail "$url answered $code during the loop"
    echo "$t" >> "$WORK/times"
    ((i >= 2 && SECONDS - started >= LOOP_SECONDS)) && break
  done
  say "$url: $(wc -l < "$WORK/times") requests, $((SECONDS - started)) s"
  python3 "$PY" median "$key" < "$WORK/times" >> "$RAW"
}

timed() { # key command…: wall seconds and peak RSS (kB) of one command
  local key=$1; shift
  local t0 t1
  t0=$(now)
  /usr/bin/time -f '%M' -o "$WORK/rss" "$@" > "$WORK/timed.out" 2> "$WORK/timed.err" ||
    { cat "$WORK/timed.out" "$WORK/timed.err" >&2; fail "$* failed"; }
  t1=$(now)
  record "$key.seconds" "$(elapsed "$t0" "$t1")"
  record "$key.rss_kb" "$(tail -1 "$WORK/rss")"
}

login() { # base username one-time-password: a viewer's session in $WORK/cookies
  local base=$1 user=$2 otp=$3 jar=$WORK/cookies token code
  local password="Correct-Horse-Battery-Staple-$RANDOM"
  curl -sf -c "$jar" -b "$jar" -o "$WORK/page.html" "$base/login" || fail "GET /login failed"
  token=$(sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' "$WORK/page.html" | head -1)
  code=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' -H "Origin: $base" \
    --data-urlencode "csrf_token=$token" --data-urlencode "next=/dashboard" \
    --data-urlencode "username=$user" --data-urlencode "password=$otp" "$base/login")
  [ "$code" = 303 ] || fail "POST /login answered $code"
  # A one-time password must be changed before any page opens.
  curl -sf -c "$jar" -b "$jar" -o "$WORK/page.html" "$base/account/password" ||
    fail "GET /account/password failed"
  token=$(sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' "$WORK/page.html" | head -1)
  code=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' -H "Origin: $base" \
    --data-urlencode "csrf_token=$token" --data-urlencode "current_password=$otp" \
    --data-urlencode "new_password=$password" --data-urlencode "confirm_password=$password" \
    "$base/account/password")
  [ "$code" = 303 ] || fail "POST /account/password answered $code"
  # Not the dashboard itself: its first answer is measured cold in the loop.
  expect_status 200 "$base/rules" -b "$jar"
}

TODAY=$(date -u +%F)
AS_OF=$(date -u -d '182 days ago' +%F)
FLOW_FROM=$(date -u -d '1 year ago' +%F)
COUNTS=/api/v1/tier-counts
ASOF="/api/v1/tier-counts?as_of=$AS_OF"
FLOWS="/api/v1/tier-flows?from=$FLOW_FROM&to=$TODAY"

# A version 3 of the default rules with another seed-unicorn threshold: publishing it
# reclassifies every firm.
sed -e 's/^version = 2/version = 3/' \
  -e 's/"valuation >= 100,000,000 CNY"/"valuation >= 200,000,000 CNY"/' \
  config/rules/default.toml > "$WORK/rules-v2.toml"
cmp -s config/rules/default.toml "$WORK/rules-v2.toml" && fail "the rules-v2 edit matched nothing"

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')

# ---------------------------------------------------------------------------------------
# SQLite.
DB="sqlite://$WORK/demo.db"
say "demo-data, $N firms, SQLite"
timed sqlite.demo "$BIN" demo-data --firms "$N" --seed 7 --database-url "$DB"
WRITE_TOKEN=$("$BIN" token create --scope write --name bench --database-url "$DB" 2>/dev/null)
OTP=$("$BIN" user add loadtest --role viewer --database-url "$DB" 2>/dev/null)

start_server bare "$WORK/bare.log" "$BARE_URL/" "$BARE" "127.0.0.1:$PORT"
BARE_PID=$SERVER_PID
start_server registry "$WORK/serve.log" "$REG_URL/readyz" \
  "$BIN" serve --bind "127.0.0.1:$((PORT + 1))" --database-url "$DB"
REG_PID=$SERVER_PID

expect_status 200 "$REG_URL$COUNTS"
ETAG=$(curl -s -D - -o /dev/null "$REG_URL$COUNTS" | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')
[ -n "$ETAG" ] || fail "GET $COUNTS sent no ETag"
expect_status 304 "$REG_URL$COUNTS" -H "If-None-Match: $ETAG"
expect_status 200 "$REG_URL$ASOF"
expect_status 200 "$REG_URL$FLOWS"
for ((run = 1; run <= RUNS; run++)); do
  say "SQLite reads, run $run of $RUNS"
  measure sqlite.bare 32 "$BARE_URL$COUNTS"
  measure sqlite.healthz 32 "$REG_URL/healthz"
  measure sqlite.counts 32 "$REG_URL$COUNTS"
  measure sqlite.inm 32 "$REG_URL$COUNTS" -H "If-None-Match: $ETAG"
  measure sqlite.asof 32 "$REG_URL$ASOF"
  measure sqlite.flows 32 "$REG_URL$FLOWS"
done

say "dashboard and targets, $LOOPS requests each"
login "$REG_URL" loadtest "$OTP"
curl_p50 sqlite.curl_bare "$BARE_URL/dashboard"
curl_p50 sqlite.dashboard "$REG_URL/dashboard" -b "$WORK/cookies"
curl_p50 sqlite.targets "$REG_URL/api/v1/targets?year=$TARGETS_YEAR"
stop_server "$REG_PID" sqlite.server.rss_kb

say "import --commit of the population's firm rows into an empty registry"
"$BIN" export --database-url "$DB" --out "$WORK/export.csv" 2>/dev/null
python3 - "$WORK/export.csv" "$WORK/firms.csv" <<'PY'
import csv, sys
cols = ["uscc", "name", "region_code", "industry_code", "founded_on", "listed_on", "status"]
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f, \
     open(sys.argv[2], "w", encoding="utf-8", newline="") as g:
    w = csv.writer(g)
    w.writerow(cols)
    for row in csv.DictReader(f):
        w.writerow([row[c] for c in cols])
PY
record import.rows "$(($(wc -l < "$WORK/firms.csv") - 1))"
timed sqlite.import "$BIN" import "$WORK/firms.csv" --commit --database-url "sqlite://$WORK/import.db"
sqlite3 "$WORK/plain.db" "CREATE TABLE firms_plain (uscc TEXT NOT NULL UNIQUE, name TEXT,
  region_code TEXT, industry_code TEXT, founded_on TEXT, listed_on TEXT, status TEXT);"
timed sqlite3.import sqlite3 "$WORK/plain.db" "BEGIN" \
  ".import --csv --skip 1 $WORK/firms.csv firms_plain" "COMMIT"
[ "$(sqlite3 "$WORK/plain.db" 'SELECT count(*) FROM firms_plain')" = "$(($(wc -l < "$WORK/firms.csv") - 1))" ] ||
  fail "sqlite3 .import did not load every row"

say "reclassify after a publication, SQLite"
timed sqlite.reclassify "$BIN" rules publish "$WORK/rules-v2.toml" --database-url "$DB"
grep -q "firms reclassified" "$WORK/timed.out" || fail "rules publish: $(cat "$WORK/timed.out")"
SCAN="SELECT count(*), sum(revenue) FROM firms JOIN annual_figures ON firm_id = firms.id"
timed sqlite.scan sqlite3 "$WORK/demo.db" "$SCAN"

say "POST /api/v1/firms, 4 clients flat out"
start_server registry "$WORK/serve.log" "$REG_URL/readyz" \
  "$BIN" serve --bind "127.0.0.1:$((PORT + 1))" --database-url "$DB"
REG_PID=$SERVER_PID
export TOKEN=$WRITE_TOKEN
for ((run = 1; run <= RUNS; run++)); do
  measure sqlite.healthz4 4 "$REG_URL/healthz"
  measure sqlite.post 4 "$REG_URL" -s scripts/register.lua -- "$run"
done
python3 - "$RAW" <<'PY' || fail "POST /api/v1/firms: no registration answered 201"
import sys
rows = [l.split("\t") for l in open(sys.argv[1])]
req = sum(float(v) for k, v in rows if k == "sqlite.post.requests")
bad = sum(float(v) for k, v in rows if k == "sqlite.post.non2xx")
sys.exit(0 if req > bad else 1)
PY
stop_server "$REG_PID"

# ---------------------------------------------------------------------------------------
# PostgreSQL.
if [ -n "${PG_URL:-}" ]; then
  PG_DB="bench_$$"
  psql -q "$PG_URL/postgres" -c "CREATE DATABASE $PG_DB" >/dev/null
  DB="$PG_URL/$PG_DB"
  say "demo-data, $PG_N firms, PostgreSQL"
  timed pg.demo "$BIN" demo-data --firms "$PG_N" --seed 7 --database-url "$DB"
  start_server registry "$WORK/serve-pg.log" "$REG_URL/readyz" \
    "$BIN" serve --bind "127.0.0.1:$((PORT + 1))" --database-url "$DB"
  REG_PID=$SERVER_PID
  for path in "$COUNTS" "$ASOF" "$FLOWS"; do expect_status 200 "$REG_URL$path"; done
  for ((run = 1; run <= RUNS; run++)); do
    say "PostgreSQL reads, run $run of $RUNS"
    measure pg.bare 32 "$BARE_URL$COUNTS"
    measure pg.counts 32 "$REG_URL$COUNTS"
    measure pg.asof 32 "$REG_URL$ASOF"
    measure pg.flows 32 "$REG_URL$FLOWS"
  done
  stop_server "$REG_PID" pg.server.rss_kb
  say "reclassify after a publication, PostgreSQL"
  timed pg.reclassify "$BIN" rules publish "$WORK/rules-v2.toml" --database-url "$DB"
  grep -q "firms reclassified" "$WORK/timed.out" || fail "rules publish: $(cat "$WORK/timed.out")"
  timed pg.scan psql -qAt "$DB" -c "$SCAN"
fi
stop_server "$BARE_PID"

# ---------------------------------------------------------------------------------------
# The table.
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || COMMIT="$COMMIT + uncommitted changes"
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
INVOCATION="N=$N${PG_URL:+ PG_URL=$PG_URL PG_N=$PG_N} DURATION=$DURATION RUNS=$RUNS${TINY:+ TINY=1} scripts/bench.sh"
TABLE=$(python3 "$PY" report "$RAW" "$N" "$PG_N" <<EOF
### $STARTED — $COMMIT, $N firms${PG_URL:+ (SQLite), $PG_N (PostgreSQL)}

Machine: $(nproc) cores, ${CPU:-unknown CPU}; load average (1, 5, 15 min) $LOAD_START at the
start, $(cut -d' ' -f1-3 /proc/loadavg) at the end. $PROFILE build, \`wrk -t1 -c32 -d$DURATION\`,
$RUNS run(s) per URL interleaved with the bare endpoint's (medians); curl loops of $LOOPS
requests. Command: \`$INVOCATION\`.
EOF
)
echo
echo "$TABLE"
if [ -n "$OUT" ]; then
  printf '\n%s\n' "$TABLE" >> "$OUT"
  echo "appended to $OUT" >&2
fi
