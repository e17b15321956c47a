#!/usr/bin/env bash
# Measures the audit trail: how long `bmma audit verify` takes to recompute the keyed chain
# of the demo plus SYNTHETIC (default 1000) generated assessments, and `bmma audit
# checkpoint`. Builds bmma in release mode; median of 3 runs each.
set -euo pipefail
cd "$(dirname "$0")/.."

synthetic="${SYNTHETIC:-1000}"
cargo build --release -q -p bmma
bin="$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/bmma"
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
cd "$data"
"$bin" demo --synthetic "$synthetic" >/dev/null 2>&1
entries=$("$bin" audit checkpoint | cut -d: -f1)

median() { sort -n | awk '{ t[NR] = $1 } END { printf "%.0f ms", t[int((NR + 1) / 2)] / 1000000 }'; }
echo "--- $entries audit entries"
for _ in 1 2 3; do
  start=$(date +%s%N); "$bin" audit verify >/dev/null; echo $(( $(date +%s%N) - start ))
done | median | sed 's/^/audit verify: /'; echo
for _ in 1 2 3; do
  start=$(date +%s%N); "$bin" audit checkpoint >/dev/null; echo $(( $(date +%s%N) - start ))
done | median | sed 's/^/audit checkpoint: /'; echo
