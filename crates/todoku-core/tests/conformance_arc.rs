//! ARC chain validation against ../shared/corpora: the ValiMail ARC test
//! suite's validation scenarios (draft-18, i.e. RFC 8617) and mail-auth's two
//! real chains, each message run with its body and headers only, the keys
//! served by an in-memory resolver.
//!
//! The suite file repeats four test names inside one scenario (YAML keeps the
//! last); the later copy is the case that counts toward the suite's 171, the
//! earlier one is run too, as "<name> (shadowed)". Three cases expect an empty
//! `cv`, a known suite bug; they count as `fail` (INDEX.md).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::BTreeSet;

use common::Tally;
use serde::Deserialize;
use serde_yaml::Value;
use todoku_core::auth::arc::{ArcResult, check};
use todoku_core::auth::dns::FixtureResolver;
use todoku_core::auth::lookup::Lookups;
use todoku_core::input::message::{RawMessage, split};

/// Cases we judge differently from the suite, with the reason.
const DIVERGENCES: &[(&str, &str, &str)] = &[];

/// Cases whose only fault is in the body (checked against the suite's
/// descriptions): without the body the chain verifies.
const BODY_ONLY_FAULTS: &[(&str, &str)] = &[
    (
        "cv_fail_i1_ams_invalid",
        "the body reads \"an invalid test message\" after sealing",
    ),
    (
        "ams_fields_bh_sim_inl_wsp",
        "c=*/simple and the body's inner white space was changed",
    ),
    ("ams_fields_bh_mod_body", "the body was modified"),
];

fn run(message: &RawMessage<'_>, keys: &[(String, String)]) -> (ArcResult, String) {
    let mut resolver = FixtureResolver::new();
    for (name, value) in keys {
        resolver = resolver.txt(name, value);
    }
    let lookups = Lookups::new(&resolver);
    let c = pollster::block_on(check(message, &lookups, 0));
    (c.result, c.reason.unwrap_or_default())
}

fn expected_word(cv: &str) -> ArcResult {
    match cv.trim() {
        "None" => ArcResult::None,
        "Pass" => ArcResult::Pass,
        // "Fail", and the three empty expectations (a suite bug): fail.
        _ => ArcResult::Fail,
    }
}

/// Rename the earlier copy of a test name repeated within one scenario, so
/// that strict YAML accepts the file and the later copy keeps the name.
fn unshadow(doc: &str) -> String {
    let is_test_key = |line: &str| {
        line.strip_prefix("  ")
            .and_then(|l| l.strip_suffix(':'))
            .filter(|l| !l.starts_with(' ') && !l.contains(' '))
            .map(str::to_string)
    };
    let lines: Vec<&str> = doc.lines().collect();
    let mut later: BTreeSet<String> = BTreeSet::new();
    let mut renamed = vec![false; lines.len()];
    for (index, line) in lines.iter().enumerate().rev() {
        if let Some(name) = is_test_key(line)
            && !later.insert(name)
        {
            renamed[index] = true;
        }
    }
    lines
        .iter()
        .zip(renamed)
        .map(|(line, rename)| {
            if rename {
                format!("{} (shadowed):", line.trim_end_matches(':'))
            } else {
                (*line).to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn valimail_validation_suite() {
    let Some(bytes) = common::bytes("valimail-arc-test-suite/arc-draft-validation-tests.yml")
    else {
        return;
    };
    let text = String::from_utf8(bytes).unwrap();
    let mut tally = Tally::new("valimail-arc-validation", 350, DIVERGENCES);
    let mut counted = 0;
    let mut shadowed = 0;
    for doc in text.split("\n---") {
        let doc = unshadow(doc);
        let scenario = Value::deserialize(serde_yaml::Deserializer::from_str(&doc)).unwrap();
        let keys: Vec<(String, String)> = scenario["txt-records"]
            .as_mapping()
            .into_iter()
            .flatten()
            .map(|(k, v)| {
                (
                    k.as_str().unwrap().to_string(),
                    v.as_str().unwrap().to_string(),
                )
            })
            .collect();
        for (name, test) in scenario["tests"].as_mapping().unwrap() {
            let name = name.as_str().unwrap();
            if name.ends_with("(shadowed)") {
                shadowed += 1;
            } else {
                counted += 1;
            }
            let expected = expected_word(test["cv"].as_str().unwrap_or_default());
            let full = split(test["message"].as_str().unwrap_or_default().as_bytes());
            let (got, why) = run(&full, &keys);
            tally.record(&format!("{name} (with body)"), got == expected, || {
                format!("expected {expected:?}, got {got:?} ({why})")
            });
            // Headers only: the same verdict, except where only the body
            // hash of the newest AMS is at fault (listed with the reason).
            let mut headers = full;
            headers.body = None;
            let expected = match BODY_ONLY_FAULTS.iter().find(|(n, _)| *n == name) {
                Some(_) => ArcResult::Pass,
                None => expected,
            };
            let (got, why) = run(&headers, &keys);
            tally.record(&format!("{name} (headers only)"), got == expected, || {
                format!("expected {expected:?}, got {got:?} ({why})")
            });
        }
    }
    assert_eq!(counted, 171, "the suite has 171 validation cases");
    assert_eq!(shadowed, 4, "four names are repeated in the suite file");
    tally.finish();
}

#[test]
fn mail_auth_chains() {
    let mut tally = Tally::new("mail-auth-arc", 4, DIVERGENCES);
    for n in 1..=2 {
        let path = format!("mail-auth/arc/00{n}.txt");
        let Some(bytes) = common::bytes(&path) else {
            return;
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (dns, message) = text.split_once("\n\n").unwrap();
        let keys: Vec<(String, String)> = dns
            .lines()
            .filter_map(|l| l.split_once(' '))
            .map(|(n, v)| (n.to_string(), v.trim().to_string()))
            .collect();
        let full = split(message.as_bytes());
        let (got, why) = run(&full, &keys);
        tally.record(
            &format!("{path} (with body)"),
            got == ArcResult::Pass,
            || format!("expected Pass, got {got:?} ({why})"),
        );
        let mut headers = full;
        headers.body = None;
        let (got, why) = run(&headers, &keys);
        tally.record(
            &format!("{path} (headers only)"),
            got == ArcResult::Pass,
            || format!("expected Pass, got {got:?} ({why})"),
        );
    }
    tally.finish();
}
