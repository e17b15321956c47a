#!/usr/bin/env bash
# Measures uploads: filing one 24 MB PDF through the API (median of RUNS), the server's
# memory while PARALLEL experts (default 16) file a 24 MB PDF each at the same moment, and
# how long the text of each of the demo's PDFs takes to read in its own process. Needs curl
# and python3; builds bmma in release mode. Loopback only, bounded in time. With
# BENCH_POSTGRES=1 the server uses a fresh PostgreSQL database, bmma_bench, on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${BENCH_PORT:-18084}"
parallel="${PARALLEL:-16}"
runs="${RUNS:-5}"
cargo build --release -q -p bmma
bin="$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/bmma"
data="$(mktemp -d)"
server=
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
cd "$data"
if [ "${BENCH_POSTGRES:-}" = 1 ]; then
  dropdb -h 127.0.0.1 -U postgres --if-exists bmma_bench
  createdb -h 127.0.0.1 -U postgres bmma_bench
  export BMMA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bmma_bench
fi

id=$("$bin" demo 2>/dev/null)
token=$("$bin" token create expert@valdoria.example --name bench)
BMMA_LOG=warn env ${BENCH_SERVER_ENV:-} "$bin" serve --addr "127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
until curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; do sleep 0.01; done
base="http://127.0.0.1:$port/api/v1/assessments/$id/evidence"

# A 24 MB PDF whose page draws text over and over: real work for the reader, which stops
# at its output limit. Each copy differs in its first line, so none is stored twice.
python3 - "$parallel" "$runs" <<'PY'
import sys
line = b"BT /F1 10 Tf 40 700 Td (Entry refused at the land border for want of a visa) Tj ET\n"
body = line * (24_000_000 // len(line))
def pdf(n):
    content = b"%% copy %d\n" % n + body
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
for n in range(int(sys.argv[1]) + int(sys.argv[2])):
    open(f"upload-{n}.pdf", "wb").write(pdf(n))
PY
size=$(stat -c %s upload-0.pdf)

file() {
  curl -fsS -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" \
    -F kind=document -F "title=Upload $1" -F indicators=ADM.1.2 \
    -F "file=@upload-$1.pdf;type=application/pdf" "$base"
}
rss() { awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$server/status"; }

echo "--- one upload of $((size / 1000000)) MB, $runs times one after another"
for n in $(seq 0 $(( runs - 1 ))); do file "$n"; done |
  sort -n | awk '{ t[NR] = $1 } END { printf "filing p50 %.0f ms\n", t[int((NR + 1) / 2)] * 1000 }'

echo "--- $parallel uploads of $((size / 1000000)) MB at once"
before=$(rss)
peak=$before
start=$(date +%s.%N)
pids=()
for n in $(seq "$runs" $(( runs + parallel - 1 ))); do file "$n" >/dev/null & pids+=($!); done
while kill -0 "${pids[@]}" 2>/dev/null; do
  now=$(rss); (( now > peak )) && peak=$now
  sleep 0.02
done
wait "${pids[@]}"
echo "all filed in $(python3 -c "import time; print(round(time.time() - $start, 1))") s"
echo "server memory (RSS): $before MB before, $peak MB at most while filing, peak of the process $(awk '/^VmHWM/ { print int($2 / 1024) }' "/proc/$server/status") MB"

echo "--- reading the text of the demo's PDFs, each in its own process (median of 5)"
curl -fsS -H "Authorization: Bearer $token" "$base" | python3 -c '
import json, sys
for item in json.load(sys.stdin)["items"]:
    f = item.get("file")
    if f and f["media_type"] == "application/pdf" and not item["title"].startswith("Upload "):
        print(item["id"], f["size_bytes"])
' | while read -r item bytes; do
  curl -fsS -o "demo-$item.pdf" -H "Authorization: Bearer $token" "$base/$item/file"
  for _ in 1 2 3 4 5; do
    start=$(date +%s%N)
    "$bin" extract-text --media-type application/pdf < "demo-$item.pdf" > /dev/null
    echo $(( ($(date +%s%N) - start) / 1000 ))
  done | sort -n | awk -v b="$bytes" '{ t[NR] = $1 } END { printf "%6d bytes: %.1f ms\n", b, t[3] / 1000 }'
done
