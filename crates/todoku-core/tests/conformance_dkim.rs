//! DKIM verification against the signed messages in ../shared/corpora, each
//! run twice: with the body (b= and bh=) and headers only (b= alone), the
//! keys served by an in-memory resolver.
//!
//! Expected results come from the suites' own documentation (SOURCE.md,
//! README.md, dns-records.txt in each folder), which the collector confirmed
//! with dkimpy 1.1.8; RFC 6376 A.2 is the known negative case.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::Tally;
use todoku_core::auth::dkim::{DkimResult, check_all};
use todoku_core::auth::dns::FixtureResolver;
use todoku_core::auth::lookup::Lookups;
use todoku_core::input::message::{RawMessage, split};

const DIVERGENCES: &[(&str, &str, &str)] = &[];

/// 2024-01-01: after every signature's t= and 005's x= (so that one is
/// verified with an expiry warning, as its SOURCE.md suggests).
const NOW: i64 = 1_704_067_200;

fn read(path: &str) -> Option<Vec<u8>> {
    common::bytes(path)
}

fn text(path: &str) -> Option<String> {
    read(path).map(|b| String::from_utf8_lossy(&b).trim().to_string())
}

/// `name value` lines (comments and blank lines skipped).
fn records(lines: &str) -> Vec<(String, String)> {
    lines
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (name, value) = l.split_once(' ')?;
            // dkimpy's list ends some lines with "   (a note)".
            let value = value.split("   (").next().unwrap_or(value);
            Some((name.to_string(), value.trim().to_string()))
        })
        .collect()
}

/// A PEM public key as a DKIM key record.
fn pem_record(pem: &str) -> String {
    let b64: String = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .map(str::trim)
        .collect();
    format!("v=DKIM1; k=rsa; p={b64}")
}

fn run(message: &RawMessage<'_>, keys: &[(String, String)]) -> Vec<DkimResult> {
    let mut resolver = FixtureResolver::new();
    for (name, value) in keys {
        resolver = resolver.txt(name, value);
    }
    let lookups = Lookups::new(&resolver);
    pollster::block_on(check_all(message, &[], &lookups, NOW, None))
        .into_iter()
        .map(|c| c.result)
        .collect()
}

struct Case {
    id: String,
    message: Vec<u8>,
    keys: Vec<(String, String)>,
    expected: Vec<DkimResult>,
    /// The expectation without the body, when it differs (a body-only fault).
    headers_only: Option<Vec<DkimResult>>,
}

fn case(id: &str, message: Vec<u8>, keys: Vec<(String, String)>, expected: &[DkimResult]) -> Case {
    Case {
        id: id.to_string(),
        message,
        keys,
        expected: expected.to_vec(),
        headers_only: None,
    }
}

/// Judges every case twice (with its body, headers only): `judged` is the
/// pinned number of judgments, twice the number of cases.
fn judge(suite: &'static str, judged: usize, cases: Vec<Case>) {
    let mut tally = Tally::new(suite, judged, DIVERGENCES);
    for c in cases {
        let full = split(&c.message);
        assert!(
            full.body.is_some(),
            "{}: the corpus message should have a body",
            c.id
        );
        let got = run(&full, &c.keys);
        tally.record(&format!("{} (with body)", c.id), got == c.expected, || {
            format!("expected {:?}, got {got:?}", c.expected)
        });
        let mut headers = full;
        headers.body = None;
        let expected = c.headers_only.unwrap_or(c.expected);
        let got = run(&headers, &c.keys);
        tally.record(&format!("{} (headers only)", c.id), got == expected, || {
            format!("expected {expected:?}, got {got:?}")
        });
    }
    tally.finish();
}

use DkimResult::{Fail, Pass, PermError};

#[test]
fn rfc8463_example() {
    let Some(message) = read("rfc8463-example/signed-message.eml") else {
        return;
    };
    let Some(dns) = text("rfc8463-example/dns-records.txt") else {
        return;
    };
    judge(
        "rfc8463-example",
        2,
        vec![case("A.3", message, records(&dns), &[Pass, Pass])],
    );
}

#[test]
fn mail_auth_dkim() {
    let mut cases = Vec::new();
    for n in 1..=6 {
        let path = format!("mail-auth/dkim/00{n}.txt");
        let Some(bytes) = read(&path) else {
            return;
        };
        // DNS lines, a blank line, then the message.
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (dns, message) = text.split_once("\n\n").unwrap();
        let keys = records(dns);
        let signatures = split(message.as_bytes())
            .fields()
            .filter(|f| f.name.eq_ignore_ascii_case("DKIM-Signature"))
            .count();
        cases.push(case(
            &path,
            message.as_bytes().to_vec(),
            keys,
            &vec![Pass; signatures],
        ));
    }
    assert_eq!(
        cases.iter().map(|c| c.expected.len()).sum::<usize>(),
        8,
        "6 msgs / 8 sigs"
    );
    judge("mail-auth-dkim", 12, cases);
}

#[test]
fn dkimpy_testdata() {
    let dir = "dkimpy-testdata";
    let Some(test_key) = text(&format!("{dir}/test.txt")) else {
        return;
    };
    let exim_key = text(&format!("{dir}/eximtest.dns")).unwrap();
    let gmail = records(&text(&format!("{dir}/dns-records.txt")).unwrap())
        .into_iter()
        .filter(|(n, _)| n.contains("gmail.com"))
        .collect::<Vec<_>>();
    let brisbane = (
        "brisbane._domainkey.football.example.com".to_string(),
        "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=".to_string(),
    );
    let test_at = |key: String| {
        vec![
            brisbane.clone(),
            ("test._domainkey.football.example.com".to_string(), key),
        ]
    };
    let signed = read(&format!("{dir}/rfc6376.signed.msg")).unwrap();
    let mut cases = vec![
        case(
            "test2.message",
            read(&format!("{dir}/test2.message")).unwrap(),
            gmail,
            &[Pass],
        ),
        case(
            "ed25519test2.msg",
            read(&format!("{dir}/ed25519test2.msg")).unwrap(),
            vec![("sed._domainkey.test.ex".to_string(), exim_key)],
            &[Pass],
        ),
        case(
            "rfc6376.signed.msg",
            signed.clone(),
            test_at(test_key),
            &[Pass, Pass],
        ),
    ];
    // The bad key records, served for the RSA signature: unknown k=, a v= that
    // is not "DKIM1", a key whose last bytes were changed.
    for (file, expected) in [
        ("badk.txt", PermError),
        ("badversion.txt", PermError),
        ("test_bad.txt", PermError),
    ] {
        let key = text(&format!("{dir}/{file}")).unwrap();
        cases.push(case(
            &format!("rfc6376.signed.msg with {file}"),
            signed.clone(),
            test_at(key),
            &[Pass, expected],
        ));
    }
    judge("dkimpy-testdata", 12, cases);
}

#[test]
fn mimekit_testdata() {
    let dir = "mimekit-testdata/dkim";
    let Some(pem) = text(&format!("{dir}/gmail.pub")) else {
        return;
    };
    let gmail = vec![(
        "20120113._domainkey.gmail.com".to_string(),
        pem_record(&pem),
    )];
    let rfc8463 = records(&text("rfc8463-example/dns-records.txt").unwrap());
    let mut cases = Vec::new();
    for name in ["gmail.msg", "related.msg", "multipart-no-end-boundary.msg"] {
        cases.push(case(
            name,
            read(&format!("{dir}/{name}")).unwrap(),
            gmail.clone(),
            &[Pass],
        ));
    }
    cases.push(case(
        "rfc8463-example.msg",
        read(&format!("{dir}/rfc8463-example.msg")).unwrap(),
        rfc8463,
        &[Pass, Pass],
    ));
    judge("mimekit-testdata", 8, cases);
}

/// RFC 6376 A.2 as printed (Figure 2) with the key of Appendix C: the
/// printed example is known not to verify, so it must not pass.
#[test]
fn rfc6376_a2_must_fail() {
    let Some(rfc) = text("rfc-texts/rfc6376.txt") else {
        return;
    };
    let lines: Vec<&str> = rfc.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("   DKIM-Signature: v=1; a=rsa-sha256; s=brisbane"))
        .unwrap();
    let end = start
        + lines[start..]
            .iter()
            .position(|l| l.contains("Figure 2"))
            .unwrap();
    let message: String = lines[start..end]
        .iter()
        .map(|l| format!("{}\r\n", l.strip_prefix("   ").unwrap_or(l)))
        .collect::<String>()
        .trim_end()
        .to_string()
        + "\r\n";
    let key_start = lines
        .iter()
        .position(|l| l.contains("brisbane IN  TXT"))
        .unwrap();
    let key: String = lines[key_start..key_start + 5]
        .iter()
        .flat_map(|l| l.split('"').skip(1).step_by(2))
        .collect();
    assert!(
        key.starts_with("v=DKIM1; p=MIGf") && key.ends_with("IDAQAB"),
        "{key}"
    );
    let keys = vec![("brisbane._domainkey.example.com".to_string(), key)];
    judge(
        "rfc6376-A.2",
        2,
        vec![Case {
            headers_only: Some(vec![Fail]),
            ..case("A.2", message.into_bytes(), keys, &[Fail])
        }],
    );
}
