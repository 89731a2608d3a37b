//! DMARC against OpenDMARC's test tables (../shared/corpora/opendmarc-vectors):
//! record parsing, identifier alignment and From-domain extraction.
//!
//! OpenDMARC decides relaxed alignment with a public suffix list; Todoku uses
//! the RFC 9989 DNS tree walk instead. So the alignment rows run against an
//! in-memory DNS where each registrable domain publishes a DMARC record,
//! which is what the tree walk needs to find the same Organizational Domain.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::Tally;
use todoku_core::auth::dmarc::{aligned, parse_record};
use todoku_core::auth::dns::FixtureResolver;
use todoku_core::auth::lookup::Lookups;

const DIVERGENCES: &[(&str, &str, &str)] = &[(
    "opendmarc-record",
    "5",
    "OpenDMARC accepts the abbreviation p=n; RFC 7489 and RFC 9989 allow only none, quarantine and reject, so Todoku reports the record as invalid",
)];

#[test]
fn opendmarc_records() {
    let Some(v) = common::json("opendmarc-vectors/opendmarc-vectors.json") else {
        return;
    };
    let mut tally = Tally::new("opendmarc-record", 19, DIVERGENCES);
    for row in v["dmarc_record_parse"].as_array().unwrap() {
        let id = row["n"].to_string();
        let record = row["record"].as_str().unwrap();
        let expected_ok = row["expected"] == "DMARC_PARSE_OKAY";
        let got = parse_record(record);
        tally.record(&id, got.is_ok() == expected_ok, || {
            format!("{record:?}: expected {}, got {got:?}", row["expected"])
        });
    }
    tally.finish();
}

#[test]
fn opendmarc_alignment() {
    let Some(v) = common::json("opendmarc-vectors/opendmarc-vectors.json") else {
        return;
    };
    // The registrable domains of the table's names publish a record.
    let resolver = ["bcx.com", "foo.com", "b.com", "mac.com", "b.de"]
        .iter()
        .fold(FixtureResolver::new(), |r, d| {
            r.txt(&format!("_dmarc.{d}"), "v=DMARC1; p=none")
        });
    let mut tally = Tally::new("opendmarc-alignment", 10, DIVERGENCES);
    for row in v["alignment"].as_array().unwrap() {
        let id = row["n"].to_string();
        let (a, b) = (
            row["domain_a"].as_str().unwrap(),
            row["domain_b"].as_str().unwrap(),
        );
        let strict = row["mode"] == "DMARC_RECORD_A_STRICT";
        let lookups = Lookups::new(&resolver);
        let got = pollster::block_on(aligned(a, b, strict, &lookups));
        let expected = row["expected"] == "aligned";
        tally.record(&id, got == expected, || {
            format!("{a} vs {b} strict={strict}: expected {expected}, got {got}")
        });
    }
    tally.finish();
}

#[test]
fn opendmarc_from_domain() {
    let Some(v) = common::json("opendmarc-vectors/opendmarc-vectors.json") else {
        return;
    };
    let mut tally = Tally::new("opendmarc-from-domain", 13, DIVERGENCES);
    for (i, row) in v["from_domain_extraction"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        let value = row["from_header_value"].as_str().unwrap();
        let value = value.strip_prefix("From: ").unwrap_or(value);
        let report = todoku_core::analyze(format!("From: {value}\r\n").as_bytes(), 0);
        let expected = row["expected_domain"].as_str().unwrap();
        let got = report.summary.from_domain.clone();
        tally.record(
            &format!("{} (row {i})", row["n"]),
            got.as_deref() == Some(expected),
            || format!("{value:?}: expected {expected}, got {got:?}"),
        );
    }
    tally.finish();
}
