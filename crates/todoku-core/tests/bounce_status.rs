//! A bounce's headline takes the enhanced status its decoded report gives
//! for the same refusal, when the raw text shows only the bare reply
//! (sisimai-074: Zoho's `ERROR_CODE :5.1.1` is split by a quoted-printable
//! soft line break, and the headline said "550 without an enhanced status").

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use todoku_core::analyze;

/// A text bounce (no delivery-status part) whose quoted-printable text
/// splits the status `5.1.1` over a soft line break, as Zoho's did.
const SPLIT_STATUS: &str = "\
Return-Path: <>
Received: from mx.example.net (mx.example.net [192.0.2.10])
\tby mail.example.jp (Postfix) with ESMTP id 4AbCdE
\tfor <sender@example.jp>; Tue,  1 Dec 2026 10:00:05 +0900 (JST)
From: mailer-daemon@mx.example.net
To: sender@example.jp
Subject: Undelivered Mail Returned to Sender
Date: Tue, 1 Dec 2026 10:00:04 +0900
Message-ID: <20261201010004.ABCDEF@mx.example.net>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=\"b1\"

--b1
Content-Type: text/plain; charset=\"UTF-8\"
Content-Transfer-Encoding: quoted-printable

This message was created automatically by mail delivery software.
A message that you sent could not be delivered to one or more of its recip=
ients. This is a permanent error.=20

tanaka@example.com Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.=
1 <tanaka@example.com>... User Unknown

--b1--
";

#[test]
fn a_bare_reply_takes_the_status_the_decoded_report_names() {
    let report = analyze(SPLIT_STATUS.as_bytes(), 1_796_000_000);
    assert!(!report.bounce.is_empty(), "no bounce code decoded");
    let code = &report.bounce[0];
    assert_eq!(code.reply, Some(550));
    assert_eq!(code.enhanced.as_deref(), Some("5.1.1"), "{code:?}");
    // 5.1.1 is "the mailbox does not exist", not the generic bare-550 text.
    assert!(
        !code.meaning.contains("without an enhanced status"),
        "{}",
        code.meaning
    );
    assert!(
        report.verdict.sentence.contains("5.1.1"),
        "{}",
        report.verdict.sentence
    );
}

#[test]
fn a_status_of_another_class_is_not_taken() {
    // A 4.x.x status in the report does not complete a 5xx reply.
    let message = SPLIT_STATUS.replace("ERROR_CODE :5.1.=\n1", "ERROR_CODE :4.2.=\n2");
    let report = analyze(message.as_bytes(), 1_796_000_000);
    let code = report
        .bounce
        .iter()
        .find(|c| c.reply == Some(550))
        .expect("the 550 stays");
    assert_ne!(code.enhanced.as_deref(), Some("4.2.2"), "{code:?}");
}
