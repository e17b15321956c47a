#!/usr/bin/env bash
# Measures the server figures quoted in the README: time from start to a healthy /health on
# an empty data directory, idle resident memory, and latency of the whole built-in framework
# as JSON for one client and for 32 concurrent connections. Needs wrk and curl; builds bmma
# in release mode. Loopback only; every load is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${BENCH_SECONDS:-10}"
port="${BENCH_PORT:-18080}"
cargo build --release -q -p bmma
bin="${CARGO_TARGET_DIR:-target}/release/bmma"
data="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$data"' EXIT

start=$(date +%s%N)
"$bin" --data-dir "$data/bmma" serve --addr "127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
until curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; do sleep 0.005; done
ready=$(date +%s%N)
printf 'start to healthy /health: %d ms\n' $(( (ready - start) / 1000000 ))
sleep 1
printf 'idle resident memory: %d MB\n' $(( $(ps -o rss= -p "$server") / 1024 ))

# The API needs a token: an account made for the measurement.
printf 'a passphrase for measuring\n' | "$bin" --data-dir "$data/bmma" user add bench@bmma.example --password-stdin >/dev/null
token=$("$bin" --data-dir "$data/bmma" token create bench@bmma.example --name bench)
auth="Authorization: Bearer $token"
url="http://127.0.0.1:$port/api/v1/frameworks/bmm/1.0"
printf 'framework JSON size: %d bytes\n' "$(curl -fsS -H "$auth" "$url" | wc -c)"
echo "--- 1 connection"
wrk -t1 -c1 -d"${duration}s" --latency -H "$auth" "$url" | grep -E '50%|90%|99%|Requests/sec'
echo "--- 32 connections"
wrk -t2 -c32 -d"${duration}s" --latency -H "$auth" "$url" | grep -E '50%|90%|99%|Requests/sec'
printf 'resident memory after load: %d MB\n' $(( $(ps -o rss= -p "$server") / 1024 ))
