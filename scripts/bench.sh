#!/usr/bin/env bash
# Runs the benchmarks (not part of scripts/test.sh) and writes bench-results.md.
# Native offline analysis so far (criterion): a typical header block, the
# SpamAssassin corpus, four input sizes to show linear growth, and a plain byte
# scan as the floor. The browser timing harness, live-check critical path and
# Lighthouse runs are still to come (issue 7).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh serve
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
log=.tmp/bench.log
mkdir -p .tmp
cargo bench -p todoku-core --bench analyze 2>&1 | tee "$log"
{
  echo "# Benchmark results ($(date -u +%Y-%m-%d), $(nproc) cores, $(rustc --version))"
  echo
  echo "| benchmark | time (median) | throughput |"
  echo "|---|---|---|"
  awk '
    /change:/ { skip = 1; next }
    /time:/ && /\[/ {
      line = $0
      if (line ~ /^[^ ].*time:/) { split(line, a, "time:"); name = a[1]; gsub(/^ +| +$/, "", name); skip = 0 }
      if (skip || line !~ /(ns|µs|ms| s) /) next
      match(line, /\[[^]]*\]/); t = substr(line, RSTART + 1, RLENGTH - 2); split(t, p, " "); time = p[3] " " p[4]
    }
    /^[a-z]+\/[^ ]/ && !/time:/ { name = $0; skip = 0 }
    /thrpt:/ && /B\/s/ && !skip { match($0, /\[[^]]*\]/); t = substr($0, RSTART + 1, RLENGTH - 2); split(t, p, " "); printf "| %s | %s | %s %s |\n", name, time, p[3], p[4] }
  ' "$log"
} > bench-results.md
cat bench-results.md
