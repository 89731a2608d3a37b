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
use todoku_core::input::message::{RawMessage, split};

/// A message whose h= lists `x-a` `n` times over `n` X-A fields, and that
/// list; the signature is its last field.
fn many_signed(n: usize) -> (RawMessage<'static>, Vec<String>) {
    let mut head: String = (0..n).map(|i| format!("X-A: {i}\r\n")).collect();
    head.push_str("DKIM-Signature: v=1; b=x\r\n\r\n");
    (
        split(head.as_bytes()).into_owned(),
        vec!["x-a".to_string(); n],
    )
}

fn header_input(message: &RawMessage<'_>, signed: &[String]) -> Vec<u8> {
    let signature = message.fields().last().unwrap();
    canon::header_input(message, signed, &signature, Canon::Relaxed)
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
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let message = split(&bytes);
        let names: Vec<String> = message.fields().map(|f| f.name.to_lowercase()).collect();
        let last = message.fields().last().unwrap();
        let input = canon::header_input(&message, &names, &last, Canon::Relaxed);
        assert!(input.starts_with(b"x-a:1\r\n"), "the bottom field first");
        n += 1;
    }
    assert!(n > 0, "no regression inputs in {}", dir.display());
}

/// header_input chooses the fields h= names bottom-up, each once, and skips
/// a name listed more often than it is present (RFC 6376 5.4.2).
#[test]
fn header_input_takes_repeated_names_from_the_bottom_up() {
    let (message, mut signed) = many_signed(3);
    signed.push("X-A".to_string()); // one more than there are
    signed.insert(1, "missing".to_string());
    let input = header_input(&message, &signed);
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
    let run = |(message, signed): &(RawMessage<'static>, Vec<String>)| {
        let start = std::time::Instant::now();
        let input = header_input(message, signed);
        let took = start.elapsed();
        assert!(input.len() > signed.len() * 6);
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

/// What the dkim_key fuzz target checks of one input: the first byte says
/// whether the rest is a key record or the DER of an RSA key; a key that
/// parses reads back the same from the SubjectPublicKeyInfo the reader made.
fn dkim_key_reads_back(data: &[u8]) {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use todoku_core::auth::dkim::key::{self, KeyType};
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = if mode & 1 == 0 {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        format!("v=DKIM1; k=rsa; p={}", STANDARD.encode(rest))
    };
    let Ok(record) = key::parse(&text) else {
        return;
    };
    if record.key_type == KeyType::Rsa && !record.revoked {
        let again = key::parse(&format!("p={}", STANDARD.encode(&record.public)))
            .expect("a key the reader wrote reads back");
        assert_eq!(
            (again.public.len(), again.bits),
            (record.public.len(), record.bits)
        );
        assert!(again.public == record.public);
    }
}

#[test]
fn dkim_key_regressions_replay() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fuzz/regressions/dkim_key");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        dkim_key_reads_back(&std::fs::read(entry.unwrap().path()).unwrap());
        n += 1;
    }
    assert!(n > 0, "no regression inputs in {}", dir.display());
}

/// A bare RSAPublicKey in p= is wrapped in a SubjectPublicKeyInfo, whose
/// lengths were written with at most two bytes: a key of 64 KiB or more got
/// a truncated length, and the wrapped key no longer read as a key (found
/// by the dkim_key fuzz target, tests/fuzz/regressions/dkim_key).
#[test]
fn a_bare_rsa_key_over_64_kib_is_wrapped_with_its_whole_length() {
    // SEQUENCE { INTEGER n (70000 bytes, positive), INTEGER 65537 }
    let mut n = vec![0x02, 0x83, 0x01, 0x11, 0x70, 0x00, 0xc1];
    n.extend(std::iter::repeat_n(0x5a, 70_000 - 2));
    let mut body = n;
    body.extend_from_slice(&[0x02, 0x03, 0x01, 0x00, 0x01]);
    let len = body.len();
    let mut der = vec![0x30, 0x83, (len >> 16) as u8, (len >> 8) as u8, len as u8];
    der.extend_from_slice(&body);
    let mut input = vec![1];
    input.extend_from_slice(&der);
    dkim_key_reads_back(&input);
}
