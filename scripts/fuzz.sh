# The fuzz step of scripts/test.sh, sourced by it and by its test
# (scripts/fuzz.test.sh). fuzz_all builds every cargo-fuzz target with the
# pinned nightly and runs each for FUZZ_SECONDS; it fails when a target is not
# declared, does not build, does not run, or does not reach its minimum.
# Needs $logs (a directory for the logs).

fuzz_all() {
  local seconds=${FUZZ_SECONDS:-15} timeout=${FUZZ_TIMEOUT:-5} nightly seeds=() targets rc=0 t f
  if ! [[ $seconds =~ ^[1-9][0-9]*$ ]]; then
    echo "FUZZ_SECONDS must be a whole number of seconds, at least 1 (not '$seconds')"; return 1
  fi
  if ! [[ $timeout =~ ^[1-9][0-9]*$ ]]; then
    echo "FUZZ_TIMEOUT must be a whole number of seconds, at least 1 (not '$timeout')"; return 1
  fi
  local min_runs=${FUZZ_MIN_RUNS:-$((seconds * 2))}
  if ! [[ $min_runs =~ ^[1-9][0-9]*$ ]]; then
    echo "FUZZ_MIN_RUNS must be a whole number, at least 1 (not '$min_runs')"; return 1
  fi
  nightly=$(tr -d ' \n' < tests/fuzz/nightly)
  local fuzz=(cargo "+$nightly" fuzz)
  local corpora=${TODOKU_CORPORA:-../shared/corpora}
  [ -d "$corpora" ] && seeds=("$corpora/spamassassin/nice" "$corpora/spamscope-mail-parser/mails")
  if ! targets=$("${fuzz[@]}" list --fuzz-dir tests/fuzz) || [ -z "$targets" ]; then
    echo "fuzz: cargo fuzz list found no targets (is $nightly installed? scripts/setup.sh test)"; return 1
  fi
  for f in tests/fuzz/fuzz_targets/*.rs; do
    t=$(basename "$f" .rs)
    if ! grep -qx "$t" <<<"$targets"; then
      echo "fuzz: $f is not a target of tests/fuzz/Cargo.toml (add a [[bin]] for it)"; rc=1
    fi
  done
  mkdir -p "$logs/fuzz"
  echo "fuzz: building every target with $nightly"
  if ! "${fuzz[@]}" build --fuzz-dir tests/fuzz >"$logs/fuzz/build.log" 2>&1; then
    tail -n 30 "$logs/fuzz/build.log"
    echo "fuzz: the targets do not build with $nightly (output above)"; return 1
  fi
  for t in $targets; do
    # A fresh corpus each run (kept with the logs), seeded with the same inputs
    # every time: a persisted tests/fuzz/corpus grows by hundreds of inputs a
    # run, and reading it back soon eats the whole time budget.
    local corpus="$logs/fuzz/corpus-$t" made="$logs/fuzz/seeds-$t" extra=() out
    mkdir -p "$corpus"
    if ! tests/fuzz/big-seeds.sh "$t" "$made"; then
      echo "fuzz $t: FAILED (tests/fuzz/big-seeds.sh could not make its seeds)"; rc=1; continue
    fi
    extra=("$made")
    case $t in analyze|received|raw_message) extra+=(tests/fixtures "${seeds[@]}") ;; esac
    # The compound file reader starts from the real Outlook files.
    [ "$t" = cfb ] && [ -d "$corpora/msg" ] && extra+=("$corpora/msg")
    [ -d "tests/fuzz/regressions/$t" ] && extra+=("tests/fuzz/regressions/$t")
    out="$logs/fuzz/$t.log"
    "${fuzz[@]}" run --fuzz-dir tests/fuzz "$t" "$corpus" "${extra[@]}" -- \
      -max_total_time="$seconds" -max_len=262144 -timeout="$timeout" -rss_limit_mb=2048 -print_final_stats=1 >"$out" 2>&1
    local status=$?
    fuzz_verdict "$t" "$status" "$out" "$min_runs" "tests/fuzz/artifacts/$t" || rc=1
  done
  return $rc
}

# fuzz_verdict TARGET STATUS LOG MIN_RUNS ARTIFACT_DIR: judges one
# `cargo fuzz run` from its exit status and output. Prints one line and
# returns 1 when the target did not fuzz: a non-zero exit, no final
# "Done N runs" line, fewer than MIN_RUNS executions beyond the seed inputs,
# or a crash/leak/oom/timeout artifact left in ARTIFACT_DIR.
fuzz_verdict() {
  local t=$1 status=$2 out=$3 min_runs=$4 artifacts=$5 runs='' took='' seeded=0 rc=0 f
  grep -E '^(==[0-9]+==ERROR|SUMMARY)|panicked|artifact_prefix|^error' "$out"
  # libFuzzer's last words on a clean end: "Done 123456 runs in 15 second(s)".
  read -r runs took < <(sed -nE 's/^Done ([0-9]+) runs in ([0-9]+) second.*/\1 \2/p' "$out" | tail -n 1)
  # "#69 INITED ...": the runs spent reading the seed inputs; the rest fuzzed.
  read -r seeded < <(sed -nE 's/^#([0-9]+)[[:space:]]+INITED.*/\1/p' "$out" | tail -n 1)
  seeded=${seeded:-0}
  if [ "$status" -ne 0 ]; then
    echo "fuzz $t: FAILED (cargo fuzz exited $status; the end of $out:)"
    tail -n 15 "$out"; rc=1
  elif [ -z "$runs" ]; then
    echo "fuzz $t: FAILED (no final 'Done N runs' line: it did not fuzz; the end of $out:)"
    tail -n 15 "$out"; rc=1
  elif [ $((runs - seeded)) -lt "$min_runs" ]; then
    echo "fuzz $t: $runs executions in $took s ($((runs - seeded)) after the $seeded on seed inputs):" \
      "FAILED, fewer than the minimum $min_runs"; rc=1
  else
    echo "fuzz $t: $runs executions in $took s ($((runs - seeded)) after the $seeded on seed inputs)"
  fi
  # (Not `ls a b c`: that fails unless every kind of artifact is there.)
  local found=()
  for f in "$artifacts"/{crash,leak,oom,timeout}-*; do
    [ -e "$f" ] && found+=("$f")
  done
  if [ ${#found[@]} -gt 0 ]; then
    echo "fuzz $t FOUND A PROBLEM: ${found[*]} (tests/fuzz/README.md says what to do)"; rc=1
  fi
  return $rc
}
