#!/usr/bin/env bash
# Runs every benchmark (not part of scripts/test.sh) and writes bench-results.md:
#  - native offline analysis (criterion): a typical header block, the
#    SpamAssassin corpus, four input sizes, and a plain byte scan as the floor;
#    the native peak heap of one analysis per input (examples/peak.rs);
#  - every message file of ../shared/corpora, each timed natively
#    (examples/corpus.rs) and in WebAssembly, against a byte scan;
#  - each hostile input family at 4 MiB: time per MB and peak heap ÷ input
#    (examples/hostile.rs);
#  - the same analysis in WebAssembly in headless Chromium (tests/bench):
#    median per message, MB/s, scale with peak WebAssembly memory (20 MB .eml,
#    100 000 hops, a 1 MB header line);
#  - the live-check critical path with 50 ms per DNS answer, against the
#    lower bound (dependency rounds x 50 ms);
#  - time to interactive of the release build under 4x CPU throttling, and a
#    Lighthouse run (performance, accessibility, best practices, SEO);
#  - the gzipped bundle size against size-budget.txt;
#  - the CLI's batch: a 10,000-message mbox on every core, messages/s and
#    peak RSS (scripts/bench-batch.sh; TODOKU_BENCH_BIG=1 adds a 2 GB mbox
#    generated on the fly and piped in);
#  - the page's batch table in Chromium (tests/bench/batch.bench.mjs): the
#    same 10,000-message mbox chosen on the page, messages/s (best and
#    median of 3), and the peak memory of every Chromium process against a
#    40,000-message mbox.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh test
root=$(pwd)
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$root/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
mkdir -p .tmp/bench
rm -f .tmp/bench/browser.json
log=.tmp/bench/criterion.log
cargo bench -p todoku-core --bench analyze 2>&1 | tee "$log"
cargo run --release -q -p todoku-core --example peak | tee .tmp/bench/peak.md
# Each hostile input family at 4 MiB: time per MB and peak heap ÷ input.
cargo run --release -q -p todoku-core --example hostile 4 | tee .tmp/bench/hostile.md
# Each hostile family at four doubling sizes: time per byte grows linearly
# (the test command checks only the allocations; timing belongs here).
TODOKU_GROWTH_TIME=1 cargo test --release -q -p todoku-core --test growth -- --nocapture | tee .tmp/bench/growth.txt
# Every corpus message, natively; tests/bench times the same files in wasm.
cargo run --release -q -p todoku-core --example corpus > .tmp/bench/corpus-native.json
scripts/bench-batch.sh | tee .tmp/bench/batch.md
trunk build --release
(cd tests/bench && npx playwright test --config playwright.config.mjs)

# Lighthouse 12 (pinned, installed here only: the test run does not need it),
# with Debian's Chromium against the release build on loopback; simulated
# mobile throttling (slow 4G, 4x CPU) as Lighthouse defines it.
lh=.tmp/tools/node_modules/.bin/lighthouse
if [ ! -x "$lh" ]; then
  npm install --no-audit --no-fund --prefix .tmp/tools lighthouse@12.8.2
fi
node tests/e2e/serve-dist.mjs 8096 /todoku/ >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 1
"$lh" http://127.0.0.1:8096/todoku/ --chrome-path=/usr/bin/chromium \
  --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
  --only-categories=performance,accessibility,best-practices,seo \
  --output=json --output-path=.tmp/bench/lighthouse.json --quiet
kill $server 2>/dev/null || true

node scripts/bench-report.mjs "$log" .tmp/bench/browser.json .tmp/bench/lighthouse.json .tmp/bench/peak.md .tmp/bench/hostile.md .tmp/bench/batch.md > bench-results.md
cat bench-results.md
