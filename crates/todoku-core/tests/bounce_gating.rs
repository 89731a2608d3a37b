//! Bounce codes are decoded only where a rejection can be: in a bounce
//! message's body, or in a pasted SMTP reply or bounce text (no header
//! block). Version numbers (X-Mailman-Version, SpamAssassin, git), IP
//! addresses and success replies are not rejections, and the work stays
//! linear with a bounded result on hostile input.
//!
//! Read through the report's JSON, as the page and the CLI do.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::Value;
use todoku_core::analyze;

const NOW: i64 = 1_795_500_000;

fn bounce(input: &str) -> Vec<Value> {
    bounce_bytes(input.as_bytes())
}

fn bounce_bytes(input: &[u8]) -> Vec<Value> {
    let report = serde_json::to_value(analyze(input, NOW)).unwrap();
    report["bounce"].as_array().cloned().unwrap_or_default()
}

/// (reply, enhanced) of each decoded code.
fn codes(input: &str) -> Vec<(Value, Value)> {
    bounce(input)
        .iter()
        .map(|c| (c["reply"].clone(), c["enhanced"].clone()))
        .collect()
}

fn code(reply: Option<u64>, enhanced: Option<&str>) -> (Value, Value) {
    (
        reply.map_or(Value::Null, Value::from),
        enhanced.map_or(Value::Null, Value::from),
    )
}

/// A Mailman post: its version, SpamAssassin's and git's are not SMTP
/// status codes (154 of 393 ordinary messages were given a bounce).
#[test]
fn mailman_spamassassin_and_git_versions_are_not_bounce_codes() {
    let post = "Received: from list.example.com (list.example.com [192.0.2.10])\r\n\tby mx.example.com with ESMTP id 1A2B; Tue, 1 Dec 2026 10:00:00 +0000\r\nX-Spam-Checker-Version: SpamAssassin 3.4.6 (2021-04-09) on mx.example.com\r\nX-Mailman-Version: 2.1.39\r\nX-Mailer: git-send-email 2.43.0\r\nFrom: Dev <dev@example.com>\r\nTo: list@example.com\r\nSubject: [PATCH] fix the build\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\nMessage-ID: <20261201.1@example.com>\r\n\r\nBuilt with gcc 4.8.5 on kernel 5.15.0 (git 2.43.0).\r\n";
    assert_eq!(codes(post), vec![]);
}

/// An ordinary message whose body quotes a rejection (a list discussion):
/// not a bounce, so its body is not read for codes.
#[test]
fn a_rejection_quoted_in_an_ordinary_message_is_not_a_bounce() {
    let post = "From: Dev <dev@example.com>\r\nTo: list@example.com\r\nSubject: Re: Gmail rejects our mail\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\nMessage-ID: <20261201.2@example.com>\r\n\r\n> host gmail-smtp-in.l.google.com[192.0.2.27] said: 550-5.7.26 Unauthenticated\r\nFix your DMARC record.\r\n";
    assert_eq!(codes(post), vec![]);
}

/// `[10.4.2.17]` is an IPv4 address, not status 4.2.17, in a paste and in
/// a message body; garbage with an IP is refused (no header block, nothing
/// decoded), not read as a rejection.
#[test]
fn ipv4_addresses_are_not_bounce_codes() {
    assert_eq!(
        codes("connect to [10.4.2.17]: Connection timed out\n"),
        vec![]
    );
    let report = serde_json::to_value(analyze(b"zz [10.4.2.17] 5.4.2.17 qq\n", NOW)).unwrap();
    assert_eq!(report["input"]["problem"]["kind"], "no_headers");
    assert_eq!(report["bounce"], Value::Array(vec![]));
    let message = "From: a@example.com\r\nTo: b@example.com\r\nSubject: logs\r\n\r\nDec  1 10:00:01 mx postfix/smtp[123]: connect to [10.4.2.17]:25: Connection refused\r\n";
    assert_eq!(codes(message), vec![]);
}

/// A log line with an IP address has a colon but no field name (its
/// "name" is `Dec  1 10:00:01 mx postfix/smtp[123]`, white space inside):
/// it was reported as a header block with no problems, exit 0 in the CLI
/// (issue 19 item 9). It is no header block; a field name written with a
/// stray space (`Fr om:`) still is one, and so is a real field below the
/// log line.
#[test]
fn a_log_line_with_an_ip_address_is_not_a_header_block() {
    for garbage in [
        &b"Dec  1 10:00:01 mx postfix/smtp[123]: connect to [10.4.2.17]:25: Connection refused\n"[..],
        b"zz connect to [10.4.2.17]: Connection timed out qq\n",
    ] {
        let report = analyze(garbage, NOW);
        assert_eq!(
            report.input.problem,
            Some(todoku_core::InputProblem::NoHeaders),
            "{}",
            String::from_utf8_lossy(garbage)
        );
        assert!(report.bounce.is_empty());
    }
    for header in [
        &b"Fr om: a@example.com\nSub ject: hi\n"[..],
        b"zz connect to [10.4.2.17]: x\nSubject: hi\n",
    ] {
        let report = analyze(header, NOW);
        assert_eq!(
            report.input.problem,
            None,
            "{}",
            String::from_utf8_lossy(header)
        );
    }
}

const DSN_HEAD: &str = "From: MAILER-DAEMON@mx.example.com (Mail Delivery System)\r\nTo: sender@example.com\r\nSubject: Undelivered Mail Returned to Sender\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"b1\"\r\n\r\n";

/// A minimal RFC 3464 DSN gives its `Status:`; the returned headers'
/// Mailman version inside it is no code.
#[test]
fn a_minimal_rfc3464_dsn_gives_its_status() {
    let dsn = format!(
        "{DSN_HEAD}--b1\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n\r\n--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com\r\n\r\nFinal-Recipient: rfc822; nobody@example.net\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--b1\r\nContent-Type: text/rfc822-headers\r\n\r\nX-Mailman-Version: 2.1.39\r\nFrom: sender@example.com\r\nSubject: hello\r\n\r\n--b1--\r\n"
    );
    let found = bounce(&dsn);
    assert_eq!(
        found
            .iter()
            .map(|c| (c["reply"].clone(), c["enhanced"].clone()))
            .collect::<Vec<_>>(),
        vec![code(None, Some("5.1.1"))]
    );
    assert_eq!(found[0]["temporary"], false);
    // The span is the Status line of the input.
    let start = found[0]["span"]["start"].as_u64().unwrap() as usize;
    let end = found[0]["span"]["end"].as_u64().unwrap() as usize;
    assert_eq!(&dsn[start..end], "Status: 5.1.1");
}

/// The DSN fields pasted alone (a header-like block) are read as a DSN.
#[test]
fn pasted_dsn_fields_give_their_status() {
    let fields = "Reporting-MTA: dns; mx.example.com\nArrival-Date: Tue, 1 Dec 2026 10:00:00 +0000\n\nFinal-Recipient: rfc822; nobody@example.net\nAction: delayed\nStatus: 4.4.7\nDiagnostic-Code: smtp; 451 4.4.7 Try again later\n";
    assert_eq!(codes(fields), vec![code(Some(451), Some("4.4.7"))]);
}

/// Gmail's multi-line DMARC rejection, pasted: one code, 550 5.7.26.
#[test]
fn a_pasted_gmail_550_5_7_26_reply_gives_5_7_26() {
    let paste = "550-5.7.26 Unauthenticated email from example.com is not accepted due to\n550-5.7.26 domain's DMARC policy. Please contact the administrator of\n550 5.7.26 example.com domain. a1si123 - gsmtp\n";
    let found = bounce(paste);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["reply"], 550);
    assert_eq!(found[0]["enhanced"], "5.7.26");
    assert_eq!(found[0]["provider"], "gmail");
    assert_eq!(found[0]["finding"], "dmarc.fail");
}

/// A bounce quoting a reply without an enhanced code is still a rejection;
/// qmail's `(#5.5.0)` after the reply joins it.
#[test]
fn replies_without_an_enhanced_code_in_a_bounce_are_rejections() {
    let bounce_of = |line: &str| {
        format!(
            "From: MAILER-DAEMON@mx.example.com\r\nTo: sender@example.com\r\nSubject: failure notice\r\n\r\nHi. This is the qmail-send program at mx.example.com.\r\n\r\n<nobody@example.net>:\r\n{line}\r\n"
        )
    };
    assert_eq!(
        codes(&bounce_of(
            "192.0.2.25 does not like recipient.\r\nRemote host said: 550 Mailbox unavailable"
        )),
        vec![code(Some(550), None)]
    );
    assert_eq!(
        codes(&bounce_of(
            "Remote host said: 550 Unknown user nobody@example.net (#5.5.0)"
        )),
        vec![code(Some(550), Some("5.5.0"))]
    );
}

/// sendmail's transcript: `<<< 250 2.1.0 Sender ok` is a success, only the
/// refusal is decoded.
#[test]
fn success_replies_in_a_transcript_are_not_rejections() {
    let b = "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.com>\r\nTo: sender@example.com\r\nSubject: Returned mail: see transcript for details\r\n\r\n   ----- Transcript of session follows -----\r\n>>> MAIL From:<sender@example.com>\r\n<<< 250 2.1.0 <sender@example.com>... Sender ok\r\n>>> RCPT To:<nobody@example.net>\r\n<<< 550 5.1.1 <nobody@example.net>... User unknown\r\n";
    assert_eq!(codes(b), vec![code(Some(550), Some("5.1.1"))]);
}

/// The receiver is named by the rejection's own lines, not by the
/// returned message (sent through Gmail here, refused by another host).
#[test]
fn the_receiver_comes_from_the_rejection_not_the_returned_message() {
    let b = format!(
        "{DSN_HEAD}--b1\r\nContent-Type: text/plain\r\n\r\n<nobody@example.net>: host mx.example.net[192.0.2.30] said: 550 5.7.1\r\n    Message refused by policy (in reply to end of DATA command)\r\n\r\n--b1\r\nContent-Type: text/rfc822-headers\r\n\r\nReceived: by mail-wr1-f41.google.com with SMTP id x; Tue, 1 Dec 2026 10:00:00 +0000\r\nDKIM-Signature: v=1; a=rsa-sha256; d=gmail.com; s=20230601; b=abc\r\nFrom: sender@gmail.com\r\n\r\n--b1--\r\n"
    );
    let found = bounce(&b);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["enhanced"], "5.7.1");
    assert_eq!(found[0]["provider"], Value::Null);
}

/// 100 000 `550-5.7.1` lines and a 2 MB body of log lines with IPs and
/// versions: each distinct code once, so the result stays small (the old
/// decoder compared every code with every one kept before it).
#[test]
fn hostile_inputs_give_a_bounded_result() {
    let lines = "550-5.7.1 Message refused by policy\n".repeat(100_000);
    assert_eq!(codes(&lines), vec![code(Some(550), Some("5.7.1"))]);

    let mut body = String::from(
        "From: MAILER-DAEMON@mx.example.com\r\nTo: sender@example.com\r\nSubject: Undelivered Mail Returned to Sender\r\n\r\n",
    );
    let mut n = 0u32;
    while body.len() < 2 * 1024 * 1024 {
        n += 1;
        body.push_str(&format!(
            "Dec  1 10:00:01 mx postfix/smtp[{n}]: to=<u{n}@example.net>, relay=[10.4.2.17]:25, status=bounced (host said: 550 5.{}.{} refused) v2.1.{}\r\n",
            n % 8,
            n % 1000,
            n % 99
        ));
    }
    let found = bounce(&body);
    assert_eq!(found.len(), todoku_core::recorded::bounce::MAX_CODES);
    assert!(found.iter().all(|c| c["reply"] == 550));
}

/// `postmaster` is a person's mailbox too: a notice from it that reports no
/// failed delivery (a migration notice naming addresses) is an ordinary
/// message, judged as one, with no recipients read from its text; from the
/// same sender, a notice that says a message could not be delivered is a
/// bounce.
#[test]
fn a_postmaster_notice_is_not_a_bounce_without_a_bounces_words() {
    let notice = "From: postmaster@example.org\nTo: staff@example.org\nSubject: Mailbox migration on Saturday\nDate: Thu, 1 Jan 2026 00:00:00 +0000\nMessage-ID: <m1@example.org>\n\nDear colleagues,\n\nyour mailboxes move to the new server on Saturday. Questions to\nhelpdesk@example.org.\n";
    let report = analyze(notice.as_bytes(), NOW);
    assert!(!report.input.bounce_message);
    assert!(!report.whole.is_bounce());
    assert!(report.whole.recipients.is_empty());
    // Judged as a message: the sender checklists apply (a bounce has
    // none: they would judge the notice's sender).
    assert!(!report.checklists.is_empty());
    let bounced = notice
        .replace("Mailbox migration on Saturday", "Notice")
        .replace(
            "your mailboxes move to the new server on Saturday. Questions to\nhelpdesk@example.org.",
            "your message to helpdesk@example.org could not be delivered: mailbox full.",
        );
    let report = analyze(bounced.as_bytes(), NOW);
    assert!(report.whole.is_bounce());
    assert_eq!(report.whole.recipients[0].address, "helpdesk@example.org");
}
