#!/usr/bin/env bash
# Runs every test layer and exits non-zero on any failure:
#   1. native: rustfmt, clippy -D warnings (native and wasm32), cargo test,
#      the core builds for wasm32, the dependency rules;
#   2. WebAssembly: wasm-bindgen-test in headless Chromium, incl. DoH via fetch;
#   3. end to end: Playwright + Debian Chromium against the Trunk release build,
#      and the JS API in Node (tests/node) against the same build.
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
  for crate in todoku-core todoku-doh todoku-resolve; do
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
  if cargo tree -q -p todoku-resolve -e normal --target all | grep -E '\btodoku-(web|cli)\b'; then
    echo "dependency rule broken: todoku-resolve depends on a front end"; bad=1
  fi
  # The page's first module takes only the core's words: the engine, DoH and
  # the resolver adapter belong to the second module (issue 17's size budget).
  if cargo tree -q -p todoku-web-shell -e normal --target all | grep -E '\btodoku-(web|doh|resolve|cli) v'; then
    echo "dependency rule broken: todoku-web-shell links more than the core (above)"; bad=1
  fi
  [ $bad -eq 0 ] && echo "core, doh and resolve: no wasm-bindgen/web-sys/js-sys; core and doh depend on no other Todoku crate, resolve on no front end; the shell on the core only"
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
check clippy-wasm cargo clippy -p todoku-web -p todoku-web-shell -p todoku-doh -p todoku-core --target wasm32-unknown-unknown --all-targets --locked -- -D warnings
check core-wasm32 cargo check -p todoku-core --target wasm32-unknown-unknown --locked
check dependency-rules dependency_rules
# --show-output: conformance pass rates and SKIPPED notices stay visible.
step cargo-test cargo test --workspace --locked -- --show-output

# Fuzzing, bounded: every cargo-fuzz target (as `cargo fuzz list` names them;
# a file in tests/fuzz/fuzz_targets that is not a listed target fails the step)
# for FUZZ_SECONDS (default 15), on the dated nightly of tests/fuzz/nightly,
# seeded with tests/fuzz/big-seeds.sh (the committed seeds of tests/fuzz/seeds,
# the scenarios with their zones for the live targets, and inputs of about
# 250 KB built to make super-linear work slow), tests/fuzz/regressions and, for
# the targets that read a message, the fixtures and shared corpora. Inputs go
# up to 256 KB (-max_len=262144) and each must finish within FUZZ_TIMEOUT
# seconds (default 5): an input that takes longer leaves a timeout artifact,
# so quadratic behaviour on large inputs fails the step. The step fails when
# the targets do not build, a target does not run to its end, it runs fewer
# than FUZZ_MIN_RUNS executions beyond reading its seed inputs (default 2 per
# second fuzzed: the live targets and cli_text run 256 KB inputs through every
# check, and cli_text made 3 a second on a loaded 2-core machine; one that
# stalls or only reads its seeds does not get there), or it leaves a
# crash, leak, oom or timeout artifact.
# shellcheck source=scripts/fuzz.sh
source scripts/fuzz.sh
# The fuzz step's judgement, tested on crafted libFuzzer logs: a target that
# does not build, run or reach its minimum must fail the test command.
check fuzz-judgement scripts/fuzz.test.sh
check fuzz fuzz_all

# --- 2. WebAssembly in headless Chromium ----------------------------------------
step wasm-test cargo test --target wasm32-unknown-unknown -p todoku-doh -p todoku-web --locked

# --- 3. end to end -----------------------------------------------------------------
size_budget() {
  # Two budgets (size-budget.txt): the page's first load (the shell module,
  # its glue, the css and the page's scripts) and everything together (plus
  # the engine module, www/engine.js loads it on the first input or at idle;
  # worker.js, which only the analysis workers load; batch-client.js, which
  # www/engine.js imports when the first batch starts).
  local first_budget total_budget first=0 total=0 f n part
  first_budget=$(awk '$1 == "first" { print $2 }' size-budget.txt)
  total_budget=$(awk '$1 == "total" { print $2 }' size-budget.txt)
  [ -n "$first_budget" ] && [ -n "$total_budget" ] || { echo "size-budget.txt: no first/total line"; return 1; }
  ls dist/todoku-web-shell-*_bg.wasm dist/todoku-web-[0-9a-f]*_bg.wasm >/dev/null || return 1
  for f in dist/*.wasm dist/*.js dist/*.css; do
    n=$(gzip -9 -c "$f" | wc -c)
    case "${f#dist/}" in
      todoku-web-shell-*) part=first ;;
      todoku-web-[0-9a-f]*|worker.js|batch-client.js) part=later ;;
      *) part=first ;;
    esac
    printf '  %-48s %8d bytes gzipped (%s)\n' "${f#dist/}" "$n" "$part"
    if [ "$part" = first ]; then first=$((first + n)); fi
    total=$((total + n))
  done
  printf '  %-48s %8d bytes gzipped (budget %d, size-budget.txt)\n' "first load" "$first" "$first_budget"
  printf '  %-48s %8d bytes gzipped (budget %d, size-budget.txt)\n' total "$total" "$total_budget"
  [ "$first" -le "$first_budget" ] || { echo "the first load is over its size budget"; return 1; }
  [ "$total" -le "$total_budget" ] || { echo "over the total size budget"; return 1; }
}

if check trunk-build trunk build --release; then
  check size-budget size_budget
  step e2e npx playwright test --config tests/e2e/playwright.config.mjs
  # The JS API (docs/js-api.md) in Node: imports the engine module just built
  # (the test fails when dist/ has none), so a failure or a missing module
  # fails the step.
  step node-api node --test --test-reporter=tap tests/node/api.test.mjs tests/node/import.test.mjs
else
  failed_steps+=("e2e (not run: no build)" "node-api (not run: no build)")
fi

# --- summary --------------------------------------------------------------------------
tests_passed=0; tests_failed=0; tests_skipped=0
for log in "$logs"/*.log; do
  # cargo test and wasm-bindgen-test-runner: "test result: ok. 5 passed; 0 failed; 1 ignored; ..."
  read -r p f i < <(grep -hoE 'test result: [a-zA-Z]+\. [0-9]+ passed; [0-9]+ failed; [0-9]+ ignored' "$log" \
    | awk '{p+=$4; f+=$6; i+=$8} END {print p+0, f+0, i+0}')
  tests_passed=$((tests_passed + p)); tests_failed=$((tests_failed + f)); tests_skipped=$((tests_skipped + i))
  # Playwright's list reporter: "  6 passed (7.9s)", "  1 failed", "  1 skipped"
  # node --test's TAP summary: "# pass 6", "# fail 0", "# skipped 0"
  if [[ $log == *-node-api.log ]]; then
    read -r p f i < <(awk '/^# pass /{p+=$3} /^# fail /{f+=$3} /^# skipped /{i+=$3} END {print p+0, f+0, i+0}' "$log")
    tests_passed=$((tests_passed + p)); tests_failed=$((tests_failed + f)); tests_skipped=$((tests_skipped + i))
  fi
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
