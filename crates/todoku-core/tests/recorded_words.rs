//! Regression tests for what the findings built from the receiver's
//! recorded results say (review of 2026: D1, D2, D5, D6, D10, D11, D14),
//! each from a small message written for it after a real one. Every test is
//! named after the bug it guards against.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test panics

use todoku_core::{Report, analyze};

/// 2026-11-30: a week after the messages below were delivered.
const NOW: i64 = 1_796_000_000;

fn ids(report: &Report) -> Vec<&'static str> {
    report.findings.iter().map(|f| f.id).collect()
}

fn run(text: &str) -> Report {
    analyze(text.replace('\n', "\r\n").as_bytes(), NOW)
}

fn finding<'a>(report: &'a Report, id: &str) -> &'a todoku_core::report::finding::Finding {
    report
        .findings
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("{id} in {:?}", ids(report)))
}

/// A message as a receiver took it, with `results` as its
/// Authentication-Results (after `receiver;`) and `from` as From's domain.
fn delivered(receiver: Option<&str>, results: &str, from: &str) -> String {
    let id = receiver.map_or(String::new(), |r| format!(" {r};"));
    format!(
        "Authentication-Results:{id}
\t{results}
Received: from out.mail.example (out.mail.example [192.0.2.25])
\tby mx.receiver.example (Postfix) with ESMTPS id 1A;
\tMon, 23 Nov 2026 10:00:05 +0000
From: Taro <taro@{from}>
To: shop@receiver.example
Subject: Order
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <1@{from}>
"
    )
}

// D1: OpenDMARC writes `dmarc=none (p=none dis=none)` for a domain with no
// record (openbmc-001): the p=none is its default, not a published policy.
#[test]
fn dmarc_none_with_default_p_none_comment_also_claimed_a_published_p_none() {
    let report = run(&delivered(
        Some("lists.example.org"),
        "dmarc=none (p=none dis=none) header.from=shop.example; spf=pass smtp.mailfrom=shop.example",
        "shop.example",
    ));
    let ids = ids(&report);
    assert!(ids.contains(&"dmarc.missing"), "{ids:?}");
    assert!(!ids.contains(&"dmarc.policy_none"), "{ids:?}");
}

#[test]
fn dmarc_pass_under_p_none_still_gives_policy_none() {
    let report = run(&delivered(
        Some("lists.example.org"),
        "dmarc=pass (p=none dis=none) header.from=shop.example; spf=pass smtp.mailfrom=shop.example",
        "shop.example",
    ));
    let f = finding(&report, "dmarc.policy_none");
    assert!(f.message_ja.contains("shop.example"), "{}", f.message_ja);
}

// D10: `dkim=none` names no signature; the text said "? の DKIM は none".
#[test]
fn dkim_none_without_header_d_shown_as_question_mark() {
    let report = run(&delivered(
        Some("mx.google.com"),
        "dkim=none; spf=pass smtp.mailfrom=shop.example",
        "shop.example",
    ));
    let f = finding(&report, "dkim.none");
    for text in [&f.message, &f.message_ja] {
        assert!(!text.contains('?'), "{text}");
    }
    assert!(f.message_ja.contains("DKIM 署名なし"), "{}", f.message_ja);
    assert!(f.message.contains("no DKIM signature"), "{}", f.message);
}

#[test]
fn dkim_header_i_only_shown_with_its_at_sign() {
    let report = run(&delivered(
        Some("mx.google.com"),
        "dkim=pass header.i=@shop.example; spf=pass smtp.mailfrom=shop.example",
        "shop.example",
    ));
    let f = finding(&report, "dkim.pass");
    assert!(
        f.message_ja.contains("：shop.example の DKIM"),
        "{}",
        f.message_ja
    );
}

// D14: "受信サーバー の記録" (an ASCII space between Japanese words) when
// the Authentication-Results has no authserv-id.
#[test]
fn recorder_without_authserv_id_written_with_a_stray_space() {
    let report = run(&delivered(
        None,
        "spf=pass smtp.mailfrom=shop.example",
        "shop.example",
    ));
    let f = finding(&report, "spf.pass");
    assert!(
        f.message_ja.starts_with("受信サーバーの記録："),
        "{}",
        f.message_ja
    );
    let named = run(&delivered(
        Some("mx.receiver.example"),
        "spf=pass smtp.mailfrom=shop.example",
        "shop.example",
    ));
    let f = finding(&named, "spf.pass");
    assert!(
        f.message_ja.starts_with("mx.receiver.example の記録："),
        "{}",
        f.message_ja
    );
}
