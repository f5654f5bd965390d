#!/usr/bin/env bash
# Contract test: schemathesis drives every operation of the OpenAPI document with generated and
# mutated requests against a release build on a fresh SQLite file, and fails on any 5xx, any
# response outside the schema, an undocumented status code, a wrong content type, or a
# schema-violating request that is accepted.
#
# Two checks are excluded, for reasons a schema cannot express:
# - positive_data_acceptance: the schema cannot state a USCC's check character, that a district
#   code must be one of the city's, that dates are real calendar days not in the future, or that a
#   rule file must load; such "schema-valid" requests are rightly refused with 422.
# - missing_required_header: PATCH without If-Match is answered 428 Precondition Required
#   (RFC 6585), which this check does not count as a refusal.
#
# Usage: scripts/contract-test.sh [max-examples]   (needs: pip install schemathesis)
set -euo pipefail
cd "$(dirname "$0")/.."
examples="${1:-50}"
port=18181
work=$(mktemp -d)
server=""
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
cargo build --release --quiet
# A write token (an editor's reach): admin-only operations answer 403, which the schema documents.
token=$(./target/release/tier-registry token create --scope write --name contract-test \
  --database-url "sqlite://$work/registry.db" 2>/dev/null)
# The request budget is off: thousands of generated requests would otherwise be answered 429.
APP_AUTH__API_RATE_LIMIT=0 ./target/release/tier-registry serve --bind "127.0.0.1:$port" \
  --database-url "sqlite://$work/registry.db" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
schemathesis run "http://127.0.0.1:$port/api/v1/openapi.json" --url "http://127.0.0.1:$port" \
  --header "Authorization: Bearer $token" \
  --checks all --exclude-checks positive_data_acceptance,missing_required_header \
  --max-examples "$examples"
