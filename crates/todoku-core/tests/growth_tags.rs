//! Tag lists (RFC 6376 3.2) are read in linear work: a DKIM-Signature or an
//! ARC-Seal with 100k distinct tags (about 1 MB) once took 28 s because every
//! tag was compared with every earlier one (issue 19 item 1).
//!
//! Growth, not time: the same reader at n and 4n tags, the best of five runs
//! each (alternating); linear work gives a ratio near 4, the quadratic reader
//! about 16. The readers are called directly: the DKIM-Signature one the
//! report uses, and the ARC-Seal one the live ARC check verifies seals with
//! (both read through the one tag-list reader, header::tags).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::{Duration, Instant};

use todoku_core::Span;
use todoku_core::header::dkim_sig::{self, DkimSignature};

/// The largest list: 100k tags, under 1 MB.
const LARGE: usize = 100_000;
/// The best of this many runs is compared.
const RUNS: usize = 5;
/// Linear is ~4; quadratic ~16.
const LIMIT: f64 = 6.0;
/// After this long the measurements so far decide (see [`assert_linear`]).
const BUDGET: Duration = Duration::from_secs(60);

const SPAN: Span = Span { start: 0, end: 0 };

/// A header value: `head`, then `count` distinct extra tags `; t0=1; t1=1; …`.
fn flooded(head: &str, count: usize) -> String {
    let mut out = String::with_capacity(head.len() + count * 10);
    out.push_str(head);
    for n in 0..count {
        out.push_str(&format!("; t{n}=1"));
    }
    out
}

/// Each timed run reads a list this long at least, so that even the small
/// list takes tens of milliseconds and a scheduler hiccup does not decide.
const RUN_AT_LEAST: Duration = Duration::from_millis(50);

/// One timed run: `reads` reads of `value`.
fn run(value: &str, reads: usize, read: fn(&str) -> DkimSignature) -> Duration {
    let start = Instant::now();
    for _ in 0..reads {
        let sig = read(std::hint::black_box(value));
        // The head's tags were read.
        assert!(sig.domain.is_some(), "{:?}", sig.problems);
    }
    start.elapsed()
}

fn assert_linear(what: &str, head: &str, read: fn(&str) -> DkimSignature) {
    let (small, large) = (flooded(head, LARGE / 4), flooded(head, LARGE));
    assert!(large.len() <= 1024 * 1024, "{} bytes", large.len());
    // How many reads of the small list make a run (and a warm-up).
    let start = Instant::now();
    let mut reads = 0;
    while reads == 0 || start.elapsed() < RUN_AT_LEAST {
        run(&small, 1, read);
        reads += 1;
    }
    let said = |t_small: Duration, t_large: Duration| {
        let ratio = t_large.as_secs_f64() / t_small.as_secs_f64().max(1e-9);
        let text = format!(
            "{what}: {} tags took {t_small:?}, {} tags {t_large:?}: ratio {ratio:.1} (linear ~4, quadratic ~16)",
            LARGE / 4,
            LARGE
        );
        (ratio, text)
    };
    // A shared machine can spoil one measurement; a quadratic reader spoils
    // every one, so up to three are taken before failing. Sizes alternate,
    // so that both see the same load.
    let mut seen = Vec::new();
    let began = Instant::now();
    for _ in 0..3 {
        let (mut t_small, mut t_large) = (Duration::MAX, Duration::MAX);
        for _ in 0..RUNS {
            t_small = t_small.min(run(&small, reads, read));
            t_large = t_large.min(run(&large, reads, read));
            // A budget, not a threshold: a linear reader is done in seconds,
            // a quadratic one takes minutes a run at this size, so once past
            // a minute the ratio so far decides.
            let (ratio, text) = said(t_small, t_large);
            assert!(began.elapsed() < BUDGET || ratio < LIMIT, "{text}");
        }
        let (ratio, text) = said(t_small, t_large);
        if ratio < LIMIT {
            return;
        }
        seen.push(text);
    }
    panic!("{}", seen.join("\n"));
}

#[test]
fn dkim_signature_with_100k_distinct_tags_is_read_in_linear_time() {
    assert_linear(
        "DKIM-Signature",
        "v=1; a=rsa-sha256; c=relaxed/relaxed; d=todoku.test; s=s1;\r\n h=from:to:subject; bh=AAAA; b=AAAA",
        |value| dkim_sig::parse(value, SPAN),
    );
}

#[test]
fn arc_seal_with_100k_distinct_tags_is_read_in_linear_time() {
    assert_linear(
        "ARC-Seal",
        "i=1; a=rsa-sha256; cv=none; d=relay.todoku.test; s=arc; t=1795500000; b=AAAA",
        |value| dkim_sig::parse_with(value, SPAN, dkim_sig::SEAL_REQUIRED),
    );
}
