#!/usr/bin/env bash
# Runs every test layer and exits non-zero on any failure:
#   1. native: rustfmt, clippy -D warnings (native and wasm32), cargo test,
#      the core builds for wasm32, the dependency rules;
#   2. WebAssembly: wasm-bindgen-test in headless Chromium, incl. DoH via fetch;
#   3. end to end: Playwright + Debian Chromium against the Trunk release build.
# Layers 1-3 talk to a local DNS environment (Knot + dnsdist DoH on loopback,
# tests/dns/env.sh) that this script starts and stops. Nothing reaches the internet.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

scripts/setup.sh test || exit 1
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$root/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

logs="$root/.tmp/test-logs"
rm -rf "$logs" && mkdir -p "$logs"
failed_steps=()
checks_passed=0
n=0

# step NAME COMMAND... : runs a layer, keeps its output in .tmp/test-logs.
step() {
  local name=$1; shift
  n=$((n + 1))
  local log="$logs/$(printf '%02d' $n)-$name.log"
  printf '\n\033[1m==> %s\033[0m: %s\n' "$name" "$*"
  local started=$SECONDS
  "$@" > >(tee "$log") 2>&1
  local rc=$?
  wait
  if [ $rc -eq 0 ]; then
    printf '\033[32m<== %s ok (%ss)\033[0m\n' "$name" $((SECONDS - started))
  else
    printf '\033[31m<== %s FAILED (exit %s, %ss; log: %s)\033[0m\n' "$name" $rc $((SECONDS - started)) "$log"
    failed_steps+=("$name")
  fi
  return $rc
}

check() { # like step, for checks that are not test runners
  if step "$@"; then checks_passed=$((checks_passed + 1)); fi
}

dependency_rules() {
  local bad=0
  for crate in todoku-core todoku-doh; do
    if cargo tree -q -p "$crate" -e normal --target all | grep -E '\b(wasm-bindgen|web-sys|js-sys|serde-wasm-bindgen)\b'; then
      echo "dependency rule broken: $crate depends on a browser crate (above)"; bad=1
    fi
  done
  if cargo tree -q -p todoku-core -e normal --target all | grep -E '\btodoku-(doh|web|cli)\b'; then
    echo "dependency rule broken: todoku-core depends on another Todoku crate"; bad=1
  fi
  if cargo tree -q -p todoku-doh -e normal --target all | grep -E '\btodoku-(core|web|cli)\b'; then
    echo "dependency rule broken: todoku-doh depends on another Todoku crate"; bad=1
  fi
  [ $bad -eq 0 ] && echo "core and doh: no wasm-bindgen/web-sys/js-sys, no dependency on other Todoku crates"
  return $bad
}

# --- DNS environment -----------------------------------------------------------
trap 'tests/dns/env.sh stop' EXIT
if doh=$(tests/dns/env.sh start); then
  export TODOKU_TEST_DOH=$doh
  echo "local DNS environment: $TODOKU_TEST_DOH"
else
  echo "could not start the local DNS environment (tests/dns/env.sh)"; exit 1
fi

# --- 1. native --------------------------------------------------------------------
check fmt cargo fmt --all --check
check clippy cargo clippy --workspace --all-targets --locked -- -D warnings
check clippy-wasm cargo clippy -p todoku-web -p todoku-doh -p todoku-core --target wasm32-unknown-unknown --all-targets --locked -- -D warnings
check core-wasm32 cargo check -p todoku-core --target wasm32-unknown-unknown --locked
check dependency-rules dependency_rules
# --show-output: conformance pass rates and SKIPPED notices stay visible.
step cargo-test cargo test --workspace --locked -- --show-output

# Fuzzing, bounded: every cargo-fuzz target for FUZZ_SECONDS (default 15),
# seeded with the fixtures and the shared corpora. An input that runs over 10 s
# (a hang) is saved as a timeout- artifact and fails the run.
fuzz_all() {
  local seconds=${FUZZ_SECONDS:-15} seeds=() rc=0
  [ -d ../shared/corpora ] && seeds=(../shared/corpora/spamassassin/nice ../shared/corpora/spamscope-mail-parser/mails)
  for t in analyze received authres dkim_signature doh_decode; do
    mkdir -p "tests/fuzz/corpus/$t"
    local extra=()
    case $t in analyze|received) extra=(tests/fixtures "${seeds[@]}") ;; esac
    echo "fuzz $t for ${seconds}s"
    cargo +nightly fuzz run --fuzz-dir tests/fuzz "$t" "tests/fuzz/corpus/$t" "${extra[@]}" -- \
      -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 2>&1 \
      | grep -E '^(Done|==[0-9]+==ERROR|SUMMARY|stat::number_of_executed_units)|panicked|artifact_prefix' || true
    if ls "tests/fuzz/artifacts/$t"/crash-* "tests/fuzz/artifacts/$t"/oom-* "tests/fuzz/artifacts/$t"/timeout-* >/dev/null 2>&1; then
      echo "fuzz $t FOUND A PROBLEM: see tests/fuzz/artifacts/$t (tests/fuzz/README.md says what to do)"; rc=1
    fi
  done
  return $rc
}
check fuzz fuzz_all

# --- 2. WebAssembly in headless Chromium ----------------------------------------
step wasm-test cargo test --target wasm32-unknown-unknown -p todoku-doh -p todoku-web --locked

# --- 3. end to end -----------------------------------------------------------------
size_budget() {
  local budget total=0 f n
  budget=$(grep -v '^#' size-budget.txt | tr -d ' \n')
  for f in dist/*.wasm dist/*.js dist/*.css; do
    n=$(gzip -9 -c "$f" | wc -c)
    printf '  %-48s %8d bytes gzipped\n' "${f#dist/}" "$n"
    total=$((total + n))
  done
  printf '  %-48s %8d bytes gzipped (budget %d, size-budget.txt)\n' total "$total" "$budget"
  [ "$total" -le "$budget" ] || { echo "over the size budget"; return 1; }
}

if check trunk-build trunk build --release; then
  check size-budget size_budget
  step e2e npx playwright test --config tests/e2e/playwright.config.mjs
else
  failed_steps+=("e2e (not run: no build)")
fi

# --- summary --------------------------------------------------------------------------
tests_passed=0; tests_failed=0; tests_skipped=0
for log in "$logs"/*.log; do
  # cargo test and wasm-bindgen-test-runner: "test result: ok. 5 passed; 0 failed; 1 ignored; ..."
  read -r p f i < <(grep -hoE 'test result: [a-zA-Z]+\. [0-9]+ passed; [0-9]+ failed; [0-9]+ ignored' "$log" \
    | awk '{p+=$4; f+=$6; i+=$8} END {print p+0, f+0, i+0}')
  tests_passed=$((tests_passed + p)); tests_failed=$((tests_failed + f)); tests_skipped=$((tests_skipped + i))
  # Playwright's list reporter: "  6 passed (7.9s)", "  1 failed", "  1 skipped"
  if [[ $log == *-e2e.log ]]; then
    for kind in passed failed skipped flaky; do
      c=$(grep -oE "^ +[0-9]+ $kind" "$log" | awk '{s+=$1} END {print s+0}')
      case $kind in passed) tests_passed=$((tests_passed + c));; skipped) tests_skipped=$((tests_skipped + c));; *) tests_failed=$((tests_failed + c));; esac
    done
  fi
done
skipped_msgs=$(cat "$logs"/*.log | grep -c 'SKIPPED:' || true)

echo
echo "Conformance (external suites in ../shared/corpora):"
grep -h '^conformance:' "$logs"/*.log | sed 's/^conformance: /  /' || echo "  (none ran)"
echo "Real-world ground truth (tests/realworld: real messages against expert labels):"
grep -hE '^realworld [a-z_]+: [0-9]+/[0-9]+ agree$' "$logs"/*.log | sed 's/^realworld /  /' || echo "  (did not run)"
echo "Layers: ${n} steps, logs in .tmp/test-logs/"
echo "Checks (fmt, clippy, wasm32 build, dependency rules, bounded fuzzing, release build, size budget): $checks_passed passed"
[ "$skipped_msgs" -gt 0 ] && echo "Suites that skipped with a message (see logs): $skipped_msgs"
if [ ${#failed_steps[@]} -gt 0 ]; then
  echo "FAILED steps: ${failed_steps[*]}"
  [ "$tests_failed" -eq 0 ] && tests_failed=${#failed_steps[@]}
fi
echo "summary: $tests_passed passed, $tests_failed failed, $tests_skipped skipped"
[ ${#failed_steps[@]} -eq 0 ]
