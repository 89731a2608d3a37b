//! Batches (issue 17): an mbox split as it streams, each message analysed
//! into a row, and the summary grouped by sending domain and address.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::expect_used,
    clippy::indexing_slicing
)]

mod common;

use todoku_core::analyze;
use todoku_core::input::mbox::{MboxMessage, Splitter};
use todoku_core::report::batch::{BatchRow, BatchSummary, Summariser};

const NOW: i64 = 1_795_500_000;

/// A message from `domain` sent by `ip`, with the receiver's SPF result.
fn message(n: usize, domain: &str, ip: &str, spf: &str) -> String {
    let auth = if spf == "pass" {
        format!(
            "spf=pass smtp.mailfrom=news@{domain}; dkim=pass header.d={domain} header.s=s1; dmarc=pass header.from={domain}"
        )
    } else {
        format!(
            "spf={spf} (domain of {domain} does not designate {ip} as permitted sender) smtp.mailfrom=news@{domain}; dkim=none; dmarc=none header.from={domain}"
        )
    };
    format!(
        "Return-Path: <news@{domain}>\nAuthentication-Results: mx.receiver.example; {auth}\nReceived: from mail.{domain} (mail.{domain} [{ip}]) by mx.receiver.example (Postfix) with ESMTPS id {n}; Mon, 23 Nov 2026 10:00:05 +0000\nFrom: News <news@{domain}>\nTo: a@receiver.example\nSubject: Issue {n}\nDate: Mon, 23 Nov 2026 10:00:00 +0000\nMessage-ID: <{n}@{domain}>\n\nbody {n}\n"
    )
}

fn split(file: &[u8], chunk: usize) -> Vec<MboxMessage> {
    let mut s = Splitter::new(1 << 20);
    let mut out = Vec::new();
    for c in file.chunks(chunk) {
        s.push(c);
        while let Some(m) = s.next_message() {
            out.push(m);
        }
    }
    while let Some(m) = s.finish() {
        out.push(m);
    }
    out
}

fn from_line(n: usize) -> String {
    format!("From MAILER-DAEMON Mon Nov 23 10:0{}:00 2026\n", n % 10)
}

/// The issue's example, built: 4 of the 5 messages from example.co.jp had
/// SPF softfail, 3 of them from 203.0.113.45 and one from another address;
/// other.example's 2 messages passed; one message of the mailbox has no
/// header at all and is a row with its problem, not a stop.
#[test]
fn an_mbox_gives_one_row_per_message_and_a_summary_by_domain_and_address() {
    let mut mbox = String::new();
    let plan = [
        ("example.co.jp", "203.0.113.45", "softfail"),
        ("other.example", "198.51.100.7", "pass"),
        ("example.co.jp", "203.0.113.45", "softfail"),
        ("example.co.jp", "203.0.113.46", "softfail"),
        ("example.co.jp", "203.0.113.45", "softfail"),
        ("other.example", "198.51.100.7", "pass"),
        ("example.co.jp", "203.0.113.45", "pass"),
    ];
    for (n, (domain, ip, spf)) in plan.iter().enumerate() {
        mbox += &from_line(n);
        mbox += &message(n, domain, ip, spf);
        mbox += "\n";
    }
    mbox += &from_line(7);
    mbox += "just some text, no header here\n\n";
    let mut summariser = Summariser::default();
    let mut rows = Vec::new();
    for m in split(mbox.as_bytes(), 1000) {
        let bytes = m.bytes.as_deref().unwrap();
        let report = analyze(bytes, NOW);
        let row = BatchRow::from_report(m.index, &format!("test.mbox #{}", m.index + 1), &report);
        summariser.add(&row);
        rows.push(row);
    }
    assert_eq!(rows.len(), 8);
    assert_eq!(rows[0].from.as_deref(), Some("news@example.co.jp"));
    assert_eq!(rows[0].subject.as_deref(), Some("Issue 0"));
    assert_eq!(rows[0].date.as_deref(), Some("2026-11-23T10:00:00Z"));
    assert_eq!(rows[0].verdict, "at_risk");
    assert_eq!(rows[0].top_finding.as_ref().unwrap().id, "spf.softfail");
    assert_eq!(rows[0].sending_ip.as_deref(), Some("203.0.113.45"));
    assert!(rows[0].has_finding("spf.softfail"));
    assert_eq!(rows[1].verdict, "clean");
    assert_eq!(rows[1].top_finding, None);
    assert_eq!(rows[7].verdict, "unknown");
    assert!(
        rows[7]
            .problem
            .as_deref()
            .unwrap()
            .contains("No email header")
    );
    assert!(rows[7].problem_ja.is_some());

    let summary = summariser.summary();
    assert_eq!(
        (
            summary.messages,
            summary.at_risk,
            summary.clean,
            summary.unknown
        ),
        (8, 4, 3, 1)
    );
    let jp = &summary.groups[0];
    assert_eq!(jp.domain.as_deref(), Some("example.co.jp"));
    let top = jp.top_finding.as_ref().unwrap();
    assert_eq!((top.id.as_str(), top.messages), ("spf.softfail", 4));
    assert_eq!(top.ip.as_deref(), Some("203.0.113.45"));
    assert_eq!(top.other_ips, 1);
    assert_eq!(
        jp.sentence,
        format!(
            "4 of 5 messages from example.co.jp: {} (sent from 203.0.113.45 and 1 other address)",
            top.title
        )
    );
    assert!(
        jp.sentence_ja
            .starts_with("example.co.jp からの 5 通のうち 4 通: ")
    );
    assert_eq!(jp.ips[0].value, "203.0.113.45");
    assert_eq!(jp.ips[0].count, 4);
    let other = &summary.groups[1];
    assert_eq!(
        other.sentence,
        "2 messages from other.example: no problem found"
    );
    assert_eq!(
        summary.groups.len(),
        2,
        "the unreadable message is no group"
    );
    assert!(
        summary
            .sentence
            .starts_with("8 messages: 0 likely rejected or spam, 4 at risk")
    );

    // Serialisable both ways (the page's worker boundary).
    let json = serde_json::to_string(&(&rows, &summary)).unwrap();
    let (back_rows, back): (Vec<BatchRow>, BatchSummary) = serde_json::from_str(&json).unwrap();
    assert_eq!((back_rows, back), (rows, summary));
}

/// Real messages (../shared/corpora/realworld) written into an mboxrd the
/// way mail clients write one (From_ line, body `From ` lines quoted, an
/// empty line after each) come back one for one, their header blocks
/// unchanged and analysed alike.
#[test]
fn real_messages_in_a_constructed_mbox_come_back_one_for_one() {
    let Some(dir) = common::corpus_path(None, "realworld/msgs") else {
        return;
    };
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    names.sort();
    names.truncate(60);
    let originals: Vec<Vec<u8>> = names.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let mut mbox = Vec::new();
    for (n, original) in originals.iter().enumerate() {
        mbox.extend_from_slice(from_line(n).as_bytes());
        for line in original.split_inclusive(|&b| b == b'\n') {
            let quotes = line.iter().take_while(|&&b| b == b'>').count();
            if line[quotes..].starts_with(b"From ") {
                mbox.push(b'>');
            }
            mbox.extend_from_slice(line);
        }
        if !original.ends_with(b"\n") {
            mbox.push(b'\n');
        }
        mbox.push(b'\n');
    }
    for chunk in [4096, 65_536] {
        let messages = split(&mbox, chunk);
        assert_eq!(messages.len(), originals.len(), "chunk {chunk}");
        for (m, original) in messages.iter().zip(&originals) {
            let got = m.bytes.as_deref().unwrap();
            // The header block: up to the first empty line (LF or CRLF).
            let head = |b: &[u8]| {
                let lf = b.windows(2).position(|w| w == b"\n\n");
                let crlf = b.windows(3).position(|w| w == b"\n\r\n");
                let end = lf.into_iter().chain(crlf).min().unwrap_or(b.len());
                b[..end].to_vec()
            };
            assert_eq!(head(got), head(original), "message {}", m.index);
            assert_eq!(
                analyze(got, NOW).summary,
                analyze(original, NOW).summary,
                "message {}",
                m.index
            );
        }
    }
}

/// The summary's lists are ordered by count, most first, and equal counts
/// by name (messages without a From domain before any domain), whatever
/// order the rows came in: the table shows the same summary for the same
/// mailbox.
#[test]
fn summary_lists_most_first_then_by_name_whatever_the_row_order() {
    let mut s = Summariser::default();
    let rows: [(Option<&str>, &[&str]); 6] = [
        (Some("b.example"), &["spf.softfail"]),
        (Some("a.example"), &["dkim.fail"]),
        (Some("c.example"), &["spf.softfail"]),
        (None, &["dkim.fail"]),
        (Some("c.example"), &[]),
        (Some("b.example"), &[]),
    ];
    for (domain, findings) in rows {
        s.count("at_risk", false, domain, None, findings.iter().copied());
    }
    let summary = s.summary();
    let order: Vec<Option<&str>> = summary.groups.iter().map(|g| g.domain.as_deref()).collect();
    assert_eq!(
        order,
        [
            Some("b.example"),
            Some("c.example"),
            None,
            Some("a.example")
        ]
    );
    let findings: Vec<(&str, usize)> = summary
        .findings
        .iter()
        .map(|c| (c.value.as_str(), c.count))
        .collect();
    assert_eq!(findings, [("dkim.fail", 2), ("spf.softfail", 2)]);
}

/// A row with every field set by hand (no analysis), for the export tests.
fn hand_row(subject: &str, from: &str) -> BatchRow {
    BatchRow::failed(2, "inbox.mbox #3", "en".into(), "ja".into())
        .placed("inbox.mbox", Some(2), Some(1234))
        .with_subject_from(subject, from)
}

trait Fill {
    fn with_subject_from(self, subject: &str, from: &str) -> BatchRow;
}

impl Fill for BatchRow {
    fn with_subject_from(mut self, subject: &str, from: &str) -> BatchRow {
        self.subject = Some(subject.to_string());
        self.from = Some(from.to_string());
        self.problem = None;
        self.problem_ja = None;
        self
    }
}

/// Issue 17 (export): CSV per RFC 4180: a field with a comma, a quote or a
/// line break is quoted and its quotes doubled; the others are written
/// bare; an absent value is an empty field; records end in CRLF; the
/// header names the columns, after a UTF-8 byte order mark.
#[test]
fn csv_rows_quote_commas_quotes_and_line_breaks_per_rfc_4180() {
    let row = hand_row("Hello, \"world\"\nline two", "a@example.org");
    assert_eq!(
        row.to_csv_row(),
        "2,inbox.mbox #3,inbox.mbox,2,1234,,a@example.org,,\"Hello, \"\"world\"\"\nline two\",unknown,,,,,,,\r\n"
    );
    let header = todoku_core::report::batch::csv_header();
    assert!(header.starts_with("\u{feff}index,source,file,message,offset,date,from,"));
    assert!(header.ends_with(",sending_ip,problem,problem_ja\r\n"));
    // Header and rows have the same number of fields.
    assert_eq!(
        header.matches(',').count(),
        hand_row("plain", "b").to_csv_row().matches(',').count()
    );
}

/// Issue 17 (export): a Subject or From starting with =, +, - or @ (a
/// spreadsheet formula: `=HYPERLINK(...)`, `@SUM(...)`) is written with a
/// leading apostrophe, so Excel shows it as text; inside quotes when the
/// field needs them. Text with those characters later on is unchanged.
#[test]
fn csv_fields_that_would_be_formulas_are_prefixed_with_an_apostrophe() {
    for (subject, field) in [
        (
            "=HYPERLINK(\"http://x.test\")",
            "\"'=HYPERLINK(\"\"http://x.test\"\")\"",
        ),
        ("+1 offer", "'+1 offer"),
        ("-50% sale", "'-50% sale"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tcmd", "'\tcmd"),
        ("a=b-c+d@e", "a=b-c+d@e"),
    ] {
        let csv = hand_row(subject, "x@example.org").to_csv_row();
        assert!(
            csv.contains(&format!(",x@example.org,,{field},unknown,")),
            "{subject:?}: {csv}"
        );
    }
}

/// Issue 17 (export): Japanese text is written as UTF-8 unchanged (the
/// BOM at the top tells Excel so), in CSV and JSON lines alike.
#[test]
fn japanese_subjects_are_utf8_in_csv_and_json_lines() {
    let row = hand_row("【重要】お知らせ、テスト", "山田 <yamada@example.co.jp>");
    let csv = row.to_csv_row();
    // The ideographic comma is not a CSV separator: no quotes needed.
    assert!(
        csv.contains(",山田 <yamada@example.co.jp>,,【重要】お知らせ、テスト,unknown,"),
        "{csv}"
    );
    let line = row.to_json_line();
    assert!(line.ends_with('\n') && !line.trim_end().contains('\n'));
    let back: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(back["subject"], "【重要】お知らせ、テスト");
    assert_eq!(back["file"], "inbox.mbox");
    assert_eq!(back["message"], 2);
    assert_eq!(back["offset"], 1234);
}

/// Issue 17 (CLI JSON lines): a header's control characters and line
/// breaks never split a JSON line or reach a terminal raw: serde escapes
/// them.
#[test]
fn a_json_line_escapes_control_characters_and_line_breaks() {
    let row = hand_row("one\r\ntwo \u{1b}[31m", "x@example.org");
    let line = row.to_json_line();
    assert_eq!(line.matches('\n').count(), 1);
    assert!(!line.contains('\u{1b}') && !line.contains('\r'));
    assert!(
        line.contains(r#""subject":"one\r\ntwo \u001b[31m""#),
        "{line}"
    );
}

/// Review D8: in a batch, sisimai-080's row (Cox refused the *sender* at
/// MAIL FROM) led with the returned copy's missing one-click unsubscribe.
/// A bounce's row leads with the bounce and its reason; a message that is
/// not a bounce keeps its own top finding.
#[test]
fn a_bounce_row_leads_with_the_bounce() {
    let yahoo = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/yahoojp-disabled-bounce.eml"
    ))
    .unwrap();
    let row = BatchRow::from_report(0, "yahoo", &analyze(&yahoo, NOW));
    // The table filters by the bounce's reason: it is the row's first finding.
    assert_eq!(
        row.findings.first().map(String::as_str),
        Some("bounce.disabled")
    );
    let top = row.top_finding.unwrap();
    assert_eq!(top.id, "bounce.disabled");
    assert_eq!(top.severity, "error");
    assert!(top.title_ja.contains("停止"), "{}", top.title_ja);
    if let Some(mbox) = common::bytes("realworld/msgs/sisimai-080.eml") {
        let first = split(&mbox, 1 << 16).into_iter().next().unwrap();
        let report = analyze(first.bytes.as_deref().unwrap(), NOW);
        let row = BatchRow::from_report(0, "sisimai-080", &report);
        let top = row.top_finding.unwrap();
        assert_eq!(top.id, "bounce.sender_rejected", "{top:?}");
        assert!(top.title.contains("refused the sender"), "{}", top.title);
    }
    let plain = message(1, "news.example", "192.0.2.7", "softfail");
    let row = BatchRow::from_report(0, "plain", &analyze(plain.as_bytes(), NOW));
    assert_eq!(row.top_finding.unwrap().id, "spf.softfail");
}

/// Review (sisimai-014): a bounce that returned the message after
/// temporary refusals (DSN `Action: failed` over `Status: 4.0.0`) had the
/// row "Deferred by the receiver (the sending server retries)"; the
/// sending server gave up, the message came back. A delay warning
/// (`Action: delayed`) is still a deferral.
#[test]
fn a_returned_4xx_bounce_row_is_not_deferred() {
    let fixture = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/postfix-dsn-user-unknown.eml"
    ))
    .unwrap();
    let with = |action: &str| {
        let text = fixture
            .replace(
                "said: 550 5.1.1\n    <hanako@example.test>: Recipient address rejected: User unknown in\n    virtual mailbox table (in reply to RCPT TO command)",
                "said: 421 Service not available (in reply to RCPT TO command)",
            )
            .replace("Action: failed", &format!("Action: {action}"))
            .replace("Status: 5.1.1", "Status: 4.0.0")
            .replace(
                "Diagnostic-Code: smtp; 550 5.1.1 <hanako@example.test>: Recipient address\n    rejected: User unknown in virtual mailbox table",
                "Diagnostic-Code: smtp; 421 Service not available",
            );
        assert!(!text.contains("5.1.1"), "{text}");
        BatchRow::from_report(0, action, &analyze(text.as_bytes(), NOW))
            .top_finding
            .unwrap()
    };
    let failed = with("failed");
    assert_eq!(failed.id, "bounce.returned", "{failed:?}");
    assert_eq!(failed.severity, "error");
    assert!(!failed.title.contains("retries"), "{}", failed.title);
    let delayed = with("delayed");
    assert_eq!(delayed.id, "bounce.deferred", "{delayed:?}");
}

/// Review D8 (the summary's part): a batch of bounces from one domain got
/// the line "6 of 6 messages from example.jp: No DKIM signature", the
/// returned copies' most common finding, because each bounce had its own
/// reason. A bounce's row counts in its domain's line by the bounce alone;
/// the finding filter still counts every finding.
#[test]
fn a_domains_line_for_bounces_names_why_they_came_back() {
    let mut s = Summariser::default();
    let rows: [&[&str]; 3] = [
        &["bounce.user_unknown", "dkim.none", "tls.not_used"],
        &["bounce.user_unknown", "dkim.none"],
        &["bounce.mailbox_full", "dkim.none"],
    ];
    for findings in rows {
        s.count(
            "filtered",
            false,
            Some("shop.example"),
            Some("192.0.2.9"),
            findings.iter().copied(),
        );
    }
    // A message that did not bounce keeps its own findings in its line.
    s.count(
        "at_risk",
        false,
        Some("news.example"),
        None,
        ["dkim.none", "spf.softfail"],
    );
    let summary = s.summary();
    let shop = summary
        .groups
        .iter()
        .find(|g| g.domain.as_deref() == Some("shop.example"))
        .unwrap();
    let top = shop.top_finding.as_ref().unwrap();
    assert_eq!((top.id.as_str(), top.messages), ("bounce.user_unknown", 2));
    // Named by its title, as every other line is, not by its id.
    assert!(
        shop.sentence.contains("address does not exist"),
        "{}",
        shop.sentence
    );
    assert!(
        shop.sentence_ja.contains("存在しません"),
        "{}",
        shop.sentence_ja
    );
    assert!(!shop.sentence.contains("DKIM"), "{}", shop.sentence);
    let news = summary
        .groups
        .iter()
        .find(|g| g.domain.as_deref() == Some("news.example"))
        .unwrap();
    assert_eq!(news.top_finding.as_ref().unwrap().id, "dkim.none");
    let dkim = summary
        .findings
        .iter()
        .find(|c| c.value == "dkim.none")
        .unwrap();
    assert_eq!(dkim.count, 4);
}

/// Messages without a From domain (a bounce from `<>`, a damaged header)
/// were "1 of 2 messages from no From domain".
#[test]
fn a_group_without_a_from_domain_is_worded_as_such() {
    let mut s = Summariser::default();
    s.count("at_risk", false, None, None, ["dkim.none"]);
    s.count("clean", false, None, None, []);
    let summary = s.summary();
    let group = &summary.groups[0];
    assert_eq!(group.domain, None);
    assert_eq!(
        group.sentence,
        "1 of 2 messages without a From domain: No DKIM signature"
    );
    assert!(
        group
            .sentence_ja
            .starts_with("From ドメインのない 2 通のうち 1 通"),
        "{}",
        group.sentence_ja
    );
}
