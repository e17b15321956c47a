#!/usr/bin/env bash
# Measures what authentication costs: an authenticated GET /api/v1/assessments/{id} (API
# token) for one client and for 32 connections, and the time of one sign-in (dominated by
# argon2). Needs wrk and curl; builds bmma in release mode. Loopback only, bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${BENCH_SECONDS:-10}"
port="${BENCH_PORT:-18081}"
cargo build --release -q -p bmma
bin="$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/bmma"
data="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$data"' EXIT
cd "$data"

id=$("$bin" demo 2>/dev/null)
token=$("$bin" token create admin@valdoria.example --name bench)
"$bin" serve --addr "127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
until curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; do sleep 0.01; done

url="http://127.0.0.1:$port/api/v1/assessments/$id"
echo "--- authenticated GET $url, 1 connection"
wrk -t1 -c1 -d"${duration}s" --latency -H "Authorization: Bearer $token" "$url" | grep -E '50%|99%|Requests/sec'
echo "--- the same, 32 connections"
wrk -t2 -c32 -d"${duration}s" --latency -H "Authorization: Bearer $token" "$url" | grep -E '50%|99%|Requests/sec'

echo "--- sign-in (GET the form, POST the password), 10 times"
for _ in $(seq 1 10); do
  jar="$data/cookies"
  rm -f "$jar"
  form=$(curl -fsS -c "$jar" "http://127.0.0.1:$port/login")
  csrf=$(printf '%s' "$form" | grep -o 'name="csrf" value="[^"]*"' | cut -d'"' -f4)
  curl -sS -o /dev/null -b "$jar" -w '%{time_total}\n' \
    --data-urlencode "csrf=$csrf" --data-urlencode "email=admin@valdoria.example" \
    --data-urlencode "password=valdoria-demo-2026" "http://127.0.0.1:$port/login"
done | sort -n | awk '{ t[NR] = $1 } END { printf "sign-in POST median: %.1f ms\n", t[int((NR + 1) / 2)] * 1000 }'
