#!/usr/bin/env bash
# Tests the fuzz step's judgement (scripts/fuzz.sh) without fuzzing: crafted
# libFuzzer logs for fuzz_verdict, and a stand-in `cargo` for fuzz_all, so
# that a target that does not build, run or reach its minimum is shown to
# fail the test command (issue 19, item 14).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/fuzz.sh
source scripts/fuzz.sh

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 cases=0

expect() { # expect ok|fail NAME COMMAND... ; with $said set, the output must contain it
  local want=$1 name=$2 got; shift 2
  cases=$((cases + 1))
  if "$@" >"$work/out" 2>&1; then got=ok; else got=fail; fi
  if [ "$got" = "$want" ] && grep -qF -- "${said:-}" "$work/out"; then
    echo "ok   $name"
  else
    echo "FAIL $name: expected $want${said:+ saying '$said'}, got $got; it printed:"; sed 's/^/     /' "$work/out"
    failures=$((failures + 1))
  fi
}

log() { printf '%s\n' "$@" > "$work/$1.log"; }
mkdir -p "$work/artifacts" "$work/artifacts-crash"
touch "$work/artifacts-crash/crash-da39a3ee"

log clean '#12 INITED cov: 100 ft: 200 corp: 12/3Mb exec/s: 0 rss: 60Mb' 'Done 412 runs in 15 second(s)'
log few '#400 INITED cov: 100 ft: 200 corp: 400/90Mb exec/s: 0 rss: 60Mb' 'Done 410 runs in 15 second(s)'
log nodone '#12 INITED cov: 100' 'error: could not compile `todoku-fuzz`'
log panicked "thread '<unnamed>' panicked at src/lib.rs:1:1" '==123== ERROR: libFuzzer: deadly signal'

expect ok   "a clean run with enough executions passes" \
  fuzz_verdict t 0 "$work/clean.log" 30 "$work/artifacts"
expect fail "runs spent on the seeds do not count towards the minimum" \
  fuzz_verdict t 0 "$work/few.log" 30 "$work/artifacts"
expect fail "no final 'Done N runs' line (it never fuzzed) fails" \
  fuzz_verdict t 0 "$work/nodone.log" 1 "$work/artifacts"
expect fail "a non-zero exit of cargo fuzz fails" \
  fuzz_verdict t 77 "$work/panicked.log" 1 "$work/artifacts"
expect fail "a crash artifact left behind fails" \
  fuzz_verdict t 0 "$work/clean.log" 30 "$work/artifacts-crash"

# fuzz_all with a stand-in cargo: `fuzz list` names the real targets (or
# leaves one out), `fuzz build` fails when asked to.
mkdir -p "$work/bin"
cat > "$work/bin/cargo" <<'FAKE'
#!/usr/bin/env bash
shift # +nightly
case "$1 $2" in
  "fuzz list")
    for f in tests/fuzz/fuzz_targets/*.rs; do
      t=$(basename "$f" .rs)
      [ -n "${FAKE_ONLY:-}" ] && [ "$t" != "$FAKE_ONLY" ] && continue
      echo "$t"
    done ;;
  "fuzz build") [ -z "${FAKE_BUILD_FAILS:-}" ] || { echo "error[E0425]: cannot find value"; exit 101; } ;;
  "fuzz run") [ -n "${FAKE_NO_DONE:-}" ] || echo "Done 0 runs in 0 second(s)"; exit "${FAKE_RUN_STATUS:-0}" ;;
  *) exit 2 ;;
esac
FAKE
chmod +x "$work/bin/cargo"
logs="$work/logs"
all="source scripts/fuzz.sh; logs=$logs PATH=$work/bin:\$PATH fuzz_all"
said="the targets do not build" expect fail "a target that does not build fails the step" \
  env FAKE_BUILD_FAILS=1 bash -c "$all"
said="is not a target of tests/fuzz/Cargo.toml" expect fail "a target file missing from the fuzz crate fails the step" \
  env FAKE_ONLY=raw_message bash -c "$all"
said="no final 'Done N runs' line" expect fail "a target whose run ends without fuzzing fails the step" \
  env FAKE_ONLY=raw_message FAKE_RUN_STATUS=0 FAKE_NO_DONE=1 bash -c "$all"
said="cargo fuzz exited 1" expect fail "a target whose run exits non-zero fails the step" \
  env FAKE_ONLY=raw_message FAKE_RUN_STATUS=1 bash -c "$all"
said="FUZZ_SECONDS must be" expect fail "a bad FUZZ_SECONDS is refused" \
  env FUZZ_SECONDS=0 bash -c "$all"

echo "fuzz judgement: $((cases - failures)) of $cases cases as expected"
[ "$failures" -eq 0 ] && [ "$cases" -eq 10 ]
