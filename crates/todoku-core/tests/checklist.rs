//! The sender-requirement checklists judge from every fact the report holds:
//! a row is "cannot tell" only when nothing in the message decides it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use todoku_core::auth::dns::NullResolver;
use todoku_core::report::checklist::CheckState;
use todoku_core::{Report, analyze_live};

/// Delivered by Gmail, sent from Outlook through an ISP's shared SMTP:
/// SPF softfail, no DKIM-Signature at all, DMARC fail under p=NONE.
const UNSIGNED_SOFTFAIL: &str = "\
Delivered-To: buyer@gmail.com
Return-Path: <sales@maruyama-kogyo.example>
Received: from smtp.isp.example (smtp11.isp.example. [192.0.2.12])
        by mx.google.com with ESMTPS id 5b1f17b1804b1
        for <buyer@gmail.com>
        (version=TLS1_2 cipher=ECDHE-RSA-AES128-GCM-SHA256 bits=128/128);
        Wed, 02 Dec 2026 17:05:12 -0800 (PST)
Authentication-Results: mx.google.com;
       spf=softfail (google.com: domain of transitioning sales@maruyama-kogyo.example does not designate 192.0.2.12 as permitted sender) smtp.mailfrom=sales@maruyama-kogyo.example;
       dmarc=fail (p=NONE sp=NONE dis=NONE) header.from=maruyama-kogyo.example
Received: from MARUYAMA-PC ([198.51.100.45])
\tby smtp11.isp.example (Postfix) with ESMTPA id 7A1B2C3D4E
\tfor <buyer@gmail.com>; Thu,  3 Dec 2026 10:05:10 +0900 (JST)
Date: Thu, 3 Dec 2026 10:05:06 +0900
From: sales@maruyama-kogyo.example
To: buyer@gmail.com
Subject: Estimate
Message-ID: <000001db1234$abcdef00$01234567$@maruyama-kogyo.example>
";

/// 2026-12-03T01:05:12Z, when Gmail received it.
const DELIVERED: i64 = 1_796_259_912;

/// The report as the page's offline mode and `todoku analyze --offline`
/// give it: the live stage ran, and every question failed.
fn offline(message: &str) -> Report {
    pollster::block_on(analyze_live(message.as_bytes(), DELIVERED, &NullResolver))
}

fn row(report: &Report, id: &str) -> Vec<CheckState> {
    report
        .checklists
        .iter()
        .flat_map(|l| l.items.iter())
        .filter(|i| i.id == id)
        .map(|i| i.state)
        .collect()
}

#[test]
fn dmarc_record_row_reads_the_receivers_result_when_dns_is_unavailable() {
    // dmarc=fail with p=NONE: the receiver found a record, so the domain
    // publishes DMARC, even though the live lookup could not be made.
    let report = offline(UNSIGNED_SOFTFAIL);
    let states = row(&report, "dmarc_record");
    assert!(!states.is_empty(), "no dmarc_record row");
    assert!(states.iter().all(|s| *s == CheckState::Pass), "{states:?}");
}

#[test]
fn spf_or_dkim_row_fails_when_spf_failed_and_nothing_is_signed() {
    // No DKIM-Signature: DKIM cannot pass; SPF softfail: the requirement
    // "SPF or DKIM passes" is not met, and "cannot tell" would hide it.
    let report = offline(UNSIGNED_SOFTFAIL);
    for id in ["spf_or_dkim", "spf_and_dkim", "dkim"] {
        let states = row(&report, id);
        assert!(
            states.iter().all(|s| *s == CheckState::Fail),
            "{id}: {states:?}"
        );
    }
}

#[test]
fn dmarc_record_row_stays_unknown_on_a_temporary_error() {
    // temperror says nothing about whether a record exists.
    let message =
        UNSIGNED_SOFTFAIL.replace("dmarc=fail (p=NONE sp=NONE dis=NONE)", "dmarc=temperror");
    let report = offline(&message);
    let states = row(&report, "dmarc_record");
    assert!(!states.is_empty(), "no dmarc_record row");
    assert!(
        states.iter().all(|s| *s == CheckState::Unknown),
        "{states:?}"
    );
}

/// The RFC 5322 rows of every list: (state, evidence, evidence_ja).
fn format_rows(report: &Report) -> Vec<(CheckState, String, String)> {
    report
        .checklists
        .iter()
        .flat_map(|l| l.items.iter())
        .filter(|i| i.id == "rfc5322")
        .map(|i| (i.state, i.evidence.clone(), i.evidence_ja.clone()))
        .collect()
}

#[test]
fn the_rfc5322_row_said_ok_beside_a_missing_date_and_message_id() {
    // No Date and no Message-ID (RFC 5322 3.6 requires the first and
    // expects the second): warnings the report shows, so the row that says
    // "formatted per RFC 5322" cannot be met (mikel-014, -020 … said OK).
    let message = "\
Received: from out.shop.example (out.shop.example [192.0.2.25])
\tby mx.example.net (Postfix) with ESMTPS id 1A;
\tThu, 3 Dec 2026 01:05:12 +0000
From: info@shop.example
To: buyer@example.net
Subject: Estimate
Subject: Estimate
";
    let rows = format_rows(&offline(message));
    assert_eq!(rows.len(), 2, "Gmail (all senders) and Yahoo");
    for (state, en, ja) in rows {
        assert_eq!(state, CheckState::Fail);
        // The findings' titles, not their ids.
        for (title, title_ja) in [
            ("No Date header", "Date ヘッダーがありません"),
            ("No Message-ID", "Message-ID がありません"),
            ("Subject appears twice", "件名（Subject）が複数あります"),
        ] {
            assert!(en.contains(title), "{en}");
            assert!(ja.contains(title_ja), "{ja}");
        }
        assert!(!en.contains("rfc5322."), "{en}");
    }
}

#[test]
fn the_rfc5322_row_names_a_missing_from_in_words_not_its_id() {
    // mikel-016: a Subject and a body, nothing else. The row failed with
    // the raw id `rfc5322.missing_from` as its evidence in both languages.
    let Some(bytes) = common::bytes("realworld/msgs/mikel-016.eml") else {
        return;
    };
    let report = pollster::block_on(analyze_live(&bytes, DELIVERED, &NullResolver));
    let rows = format_rows(&report);
    assert!(!rows.is_empty());
    for (state, en, ja) in rows {
        assert_eq!(state, CheckState::Fail);
        assert!(en.contains("No From header"), "{en}");
        assert!(ja.contains("From ヘッダーがありません"), "{ja}");
        assert!(
            !en.contains("rfc5322.") && !ja.contains("rfc5322."),
            "{en} / {ja}"
        );
    }
}

#[test]
fn the_rfc5322_row_is_met_by_well_formed_headers() {
    // UNSIGNED_SOFTFAIL has From, Date, Message-ID and one of each.
    let rows = format_rows(&offline(UNSIGNED_SOFTFAIL));
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.0 == CheckState::Pass), "{rows:?}");
}
