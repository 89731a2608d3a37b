//! The sender-requirement checklists judge from every fact the report holds:
//! a row is "cannot tell" only when nothing in the message decides it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

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
