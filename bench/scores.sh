#!/usr/bin/env bash
# Measures scoring at scale: the scores overview page and GET /api/v1/assessments/{id}/scores
# (150 indicators, 5 experts: 750 ratings and 150 agreed scores) at 32 connections, and saving
# a rating (sequential), first with one synthetic assessment in the database, then with
# SYNTHETIC (default 1000). Needs wrk, curl and python3; builds bmma in release mode. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${BENCH_SECONDS:-10}"
port="${BENCH_PORT:-18082}"
many="${SYNTHETIC:-1000}"
cargo build --release -q -p bmma
bin="$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/bmma"
data="$(mktemp -d)"
server=
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
cd "$data"

measure() {
  "$bin" serve --addr "127.0.0.1:$port" >/dev/null 2>&1 &
  server=$!
  until curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; do sleep 0.01; done
  local id=00000000-0000-4000-9000-000000000001
  local base="http://127.0.0.1:$port"
  jar="$data/cookies"; rm -f "$jar"
  csrf=$(curl -fsS -c "$jar" "$base/login" | grep -o 'name="csrf" value="[^"]*"' | cut -d'"' -f4)
  curl -fsS -o /dev/null -b "$jar" -c "$jar" --data-urlencode "csrf=$csrf" \
    --data-urlencode "email=synthetic-lead@bmma.example" --data-urlencode "password=valdoria-demo-2026" "$base/login"
  cookie="bmma_session=$(awk '$6 == "bmma_session" { print $7 }' "$jar")"
  echo "--- GET /api/v1/assessments/{id}/scores, 32 connections ($(curl -fsS -H "Authorization: Bearer $lead_token" "$base/api/v1/assessments/$id/scores" | wc -c) bytes)"
  wrk -t2 -c32 -d"${duration}s" --latency -H "Authorization: Bearer $lead_token" "$base/api/v1/assessments/$id/scores" | grep -E ' 50%| 99%|Requests/sec'
  echo "--- GET /assessments/{id}/scores (the overview page), 32 connections"
  wrk -t2 -c32 -d"${duration}s" --latency -H "Cookie: $cookie" "$base/assessments/$id/scores" | grep -E ' 50%| 99%|Requests/sec'
  echo "--- PUT a rating, 200 saves one after another"
  version=$(curl -fsS -H "Authorization: Bearer $expert_token" "$base/api/v1/assessments/$id/scores" \
    | python3 -c 'import json, sys; print(next(i for i in json.load(sys.stdin)["indicators"] if i["code"] == "S1.1.1")["mine"]["version"])')
  for n in $(seq 1 200); do
    curl -fsS -o /dev/null -w '%{time_total}\n' -X PUT -H "Authorization: Bearer $expert_token" -H 'Content-Type: application/json' \
      -d "{\"choice\": \"$(( n % 5 + 1 ))\", \"text\": \"Save $n\", \"version\": $version}" \
      "$base/api/v1/assessments/$id/indicators/S1.1.1/rating"
    version=$(( version + 1 ))
  done | sort -n | awk '{ t[NR] = $1 } END { printf "save p50 %.2f ms, p99 %.2f ms\n", t[int(NR * 0.5)] * 1000, t[int(NR * 0.99)] * 1000 }'
  kill $server; wait $server 2>/dev/null || true
}

"$bin" demo --synthetic 1 >/dev/null 2>&1
lead_token=$("$bin" token create synthetic-lead@bmma.example --name bench)
expert_token=$("$bin" token create synthetic-expert-1@bmma.example --name bench)
echo "=== 1 synthetic assessment"
measure
start=$(date +%s)
"$bin" demo --synthetic "$many" >/dev/null 2>&1
echo "=== $many synthetic assessments (made in $(( $(date +%s) - start )) s)"
measure
