#!/usr/bin/env bash
# Measures the evidence register: filing an item with a text upload through the API, and
# full-text search over ITEMS (default 2000) items of the demo assessment, each about 300
# words of generated notes and a 2 KB text file, at 32 connections. Needs wrk, curl and
# python3; builds bmma in release mode. Loopback only, bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${BENCH_SECONDS:-10}"
port="${BENCH_PORT:-18083}"
items="${ITEMS:-2000}"
cargo build --release -q -p bmma
bin="$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/bmma"
data="$(mktemp -d)"
server=
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
cd "$data"

id=$("$bin" demo 2>/dev/null)
token=$("$bin" token create expert@valdoria.example --name bench)
"$bin" serve --addr "127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
until curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; do sleep 0.01; done
base="http://127.0.0.1:$port/api/v1/assessments/$id/evidence"

# Text from a fixed vocabulary, so that some words are common and others rare.
python3 - "$items" <<'PY'
import random, sys
random.seed(7)
common = "border post shift officer passport traveller lane desk roster document check entry exit".split()
rare = [f"term{n:05d}" for n in range(5000)]
for n in range(int(sys.argv[1])):
    words = [random.choice(common) if random.random() < 0.8 else random.choice(rare) for _ in range(300)]
    open(f"notes-{n}.txt", "w").write(" ".join(words[:150]))
    open(f"file-{n}.txt", "w").write(" ".join(words[150:]) * 2)
PY

echo "--- filing $items items (POST multipart with a text file), one after another"
start=$(date +%s.%N)
for n in $(seq 0 $(( items - 1 ))); do
  curl -fsS -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" \
    -F kind=document -F "title=Generated item $n" -F "notes=<notes-$n.txt" -F indicators=ADM.1.2 \
    -F "file=@file-$n.txt;filename=item-$n.txt" "$base"
done | sort -n | awk '{ t[NR] = $1 } END { printf "file p50 %.2f ms, p99 %.2f ms\n", t[int(NR * 0.5)] * 1000, t[int(NR * 0.99)] * 1000 }'
echo "(all in $(python3 -c "import time; print(round(time.time() - $start, 1))") s)"

for query in term01234 "passport term0" "roster lane desk"; do
  encoded=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$query")
  hits=$(curl -fsS -H "Authorization: Bearer $token" "$base?q=$encoded" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["items"]))')
  echo "--- GET …/evidence?q=$query ($hits items match), 32 connections"
  wrk -t2 -c32 -d"${duration}s" --latency -H "Authorization: Bearer $token" "$base?q=$encoded" | grep -E ' 50%| 99%|Requests/sec'
done
