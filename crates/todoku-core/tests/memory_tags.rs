//! Issue 19 item 3, tag lists: reading a DKIM-Signature or ARC-Seal kept
//! memory for every tag (a list of every part, a set and a list of every
//! name, a problem for every bad part), so a 1 MB tag list held several
//! megabytes and put every name in the report. Now a list is read to 64
//! tags and 32 problems: the peak heap of a read does not grow with the
//! list. Compared as sizes: the peak at 100k tags against 25k tags, ~1 for
//! a bounded reader, ~4 for one that keeps something per tag.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "common/counting.rs"]
mod counting;

use todoku_core::Span;
use todoku_core::header::dkim_sig::{self, DkimSignature};

const SPAN: Span = Span { start: 0, end: 0 };

/// A header value: `head`, then `count` extra parts made by `part`.
fn flooded(head: &str, count: usize, part: fn(usize) -> String) -> String {
    let mut out = String::from(head);
    for n in 0..count {
        out.push_str(&part(n));
    }
    out
}

/// The peak heap of reading the list at 100k parts ÷ at 25k parts.
fn growth(head: &str, part: fn(usize) -> String, read: fn(&str) -> DkimSignature) -> f64 {
    let _serial = counting::serial();
    let peaks: Vec<usize> = [25_000, 100_000]
        .iter()
        .map(|&count| {
            let value = flooded(head, count, part);
            let (sig, usage) = counting::measure(|| read(&value));
            assert!(sig.domain.is_some(), "{:?}", sig.problems);
            usage.peak
        })
        .collect();
    #[allow(clippy::cast_precision_loss)]
    let ratio = peaks[1] as f64 / peaks[0].max(1) as f64;
    println!("peaks {peaks:?}: ratio {ratio:.2}");
    ratio
}

fn distinct(n: usize) -> String {
    format!("; t{n}=1")
}

fn malformed(n: usize) -> String {
    format!("; {n}")
}

const DKIM: &str = "v=1; a=rsa-sha256; d=todoku.test; s=s; h=from; bh=AAAA; b=BBBB";
const SEAL: &str = "i=1; a=rsa-sha256; cv=none; d=todoku.test; s=s; b=BBBB";

fn dkim(value: &str) -> DkimSignature {
    dkim_sig::parse(value, SPAN)
}

fn seal(value: &str) -> DkimSignature {
    dkim_sig::parse_with(value, SPAN, dkim_sig::SEAL_REQUIRED)
}

#[test]
fn a_dkim_signature_tag_flood_is_read_in_bounded_memory() {
    let ratio = growth(DKIM, distinct, dkim);
    assert!(ratio < 2.0, "peak heap grew {ratio:.2}x for 4x the tags");
}

#[test]
fn an_arc_seal_tag_flood_is_read_in_bounded_memory() {
    let ratio = growth(SEAL, distinct, seal);
    assert!(ratio < 2.0, "peak heap grew {ratio:.2}x for 4x the tags");
}

#[test]
fn a_flood_of_malformed_tags_is_read_in_bounded_memory() {
    let ratio = growth(DKIM, malformed, dkim);
    assert!(ratio < 2.0, "peak heap grew {ratio:.2}x for 4x the parts");
}
