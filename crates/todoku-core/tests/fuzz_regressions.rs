//! Replays inputs from tests/fuzz/regressions/analyze (crashes found by
//! fuzzing, and hand-made nasty inputs) through the analysis.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test panics

#[test]
fn fuzz_regressions_replay() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fuzz/regressions/analyze");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let report = todoku_core::analyze(&bytes, 0);
        serde_json::to_vec(&report).unwrap();
        let received = [b"Received: ".as_slice(), &bytes, b"\r\n\r\n"].concat();
        let _ = todoku_core::analyze(&received, 0);
        let _ = todoku_core::recorded::authres::parse(&String::from_utf8_lossy(&bytes));
        n += 1;
    }
    assert!(n > 0, "no regression inputs in {}", dir.display());
}

use todoku_core::auth::dkim::canon::{self, Canon};
use todoku_core::input::message::{RawField, split};

fn field(name: &str, value: &str) -> RawField {
    RawField {
        name: name.to_string(),
        raw: format!("{name}: {value}\r\n").into_bytes(),
    }
}

/// The header hash input of a signature whose h= lists `x-a` `n` times over
/// `n` X-A fields.
fn many_signed(n: usize) -> (Vec<RawField>, Vec<String>, RawField) {
    let fields: Vec<RawField> = (0..n).map(|i| field("X-A", &i.to_string())).collect();
    let signed = vec!["x-a".to_string(); n];
    (fields, signed, field("DKIM-Signature", "v=1; b=x"))
}

/// The inputs the dkim_canon fuzz target found slow (an h= that lists a
/// name thousands of times over thousands of fields) read through
/// header_input as the target does.
#[test]
fn dkim_canon_regressions_replay() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fuzz/regressions/dkim_canon");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let message = split(&std::fs::read(entry.unwrap().path()).unwrap());
        let names: Vec<String> = message
            .fields
            .iter()
            .map(|f| f.name.to_lowercase())
            .collect();
        let last = message.fields.last().unwrap();
        let input = canon::header_input(&message.fields, &names, last, Canon::Relaxed);
        assert!(input.starts_with(b"x-a:1\r\n"), "the bottom field first");
        n += 1;
    }
    assert!(n > 0, "no regression inputs in {}", dir.display());
}

/// header_input chooses the fields h= names bottom-up, each once, and skips
/// a name listed more often than it is present (RFC 6376 5.4.2).
#[test]
fn header_input_takes_repeated_names_from_the_bottom_up() {
    let (fields, mut signed, signature) = many_signed(3);
    signed.push("X-A".to_string()); // one more than there are
    signed.insert(1, "missing".to_string());
    let input = canon::header_input(&fields, &signed, &signature, Canon::Relaxed);
    assert_eq!(
        String::from_utf8(input).unwrap(),
        "x-a:2\r\nx-a:1\r\nx-a:0\r\ndkim-signature:v=1; b="
    );
}

/// header_input scanned the fields from the bottom for each name h= lists:
/// a name listed n times over n fields took n²/2 steps, and a 256 KB input
/// ran past the fuzz step's 5 s limit (dkim_canon target,
/// tests/fuzz/regressions/dkim_canon). Eight times the names and fields must
/// take about eight times as long, not sixty-four: a ratio, each size timed
/// at its fastest of several interleaved runs, so a busy machine slows both.
#[test]
fn header_input_grows_linearly_with_the_names_h_lists() {
    let (small, large) = (many_signed(8_000), many_signed(64_000));
    let run = |(fields, signed, signature): &(Vec<RawField>, Vec<String>, RawField)| {
        let start = std::time::Instant::now();
        let input = canon::header_input(fields, signed, signature, Canon::Relaxed);
        let took = start.elapsed();
        assert!(input.len() > fields.len() * 6);
        took
    };
    let (mut fast_small, mut fast_large) = (std::time::Duration::MAX, std::time::Duration::MAX);
    for _ in 0..4 {
        fast_small = fast_small.min(run(&small));
        fast_large = fast_large.min(run(&large));
    }
    let ratio = fast_large.as_secs_f64() / fast_small.as_secs_f64().max(1e-9);
    assert!(
        ratio < 24.0,
        "8x the signed fields took {ratio:.1}x as long ({fast_small:?} -> {fast_large:?}): quadratic"
    );
}
