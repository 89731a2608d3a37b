//! Header blocks as people paste them from their mail client's pages:
//! Gmail's "Show original" page copied whole (Japanese and English UI),
//! Outlook's Internet headers with their folding lost (the very first
//! Received too), Yahoo! JAPAN and Outlook.com "view source" copies. Each
//! must read as the clean block does, say what was repaired, and keep its
//! spans pointing into the paste as given.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test panics

use todoku_core::{Report, analyze};

const NOW: i64 = 1_795_800_000;

/// A clean message from a Japanese shop, as Gmail's MX received it.
const GMAIL_RAW: &str = "Delivered-To: hanako@gmail.com
Received: by 2002:a05:7300:1a2b:b0:12c:3d4e:5f60 with SMTP id k12csp998877dyb;
        Mon, 23 Nov 2026 01:02:07 -0800 (PST)
Return-Path: <info@sakura-shop.test>
Received: from mail.sakura-shop.test (mail.sakura-shop.test. [192.0.2.44])
        by mx.google.com with ESMTPS id d9443c01a7336-2a1b2c3d4e5si998877plb.123.2026.11.23.01.02.06
        for <hanako@gmail.com>
        (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256);
        Mon, 23 Nov 2026 01:02:06 -0800 (PST)
Received-SPF: pass (google.com: domain of info@sakura-shop.test designates 192.0.2.44 as permitted sender) client-ip=192.0.2.44;
Authentication-Results: mx.google.com;
       dkim=pass header.i=@sakura-shop.test header.s=s2026 header.b=XyZ12345;
       spf=pass (google.com: domain of info@sakura-shop.test designates 192.0.2.44 as permitted sender) smtp.mailfrom=info@sakura-shop.test;
       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=sakura-shop.test
Received: from cart.sakura-shop.test (cart.sakura-shop.test [198.51.100.10])
        by mail.sakura-shop.test (Postfix) with ESMTPS id 4Xk9Qm2RzTz1sAb
        for <hanako@gmail.com>; Mon, 23 Nov 2026 18:02:02 +0900 (JST)
From: =?UTF-8?B?44GV44GP44KJ5ZWG5bqX?= <info@sakura-shop.test>
To: hanako@gmail.com
Subject: =?UTF-8?B?44CQ44GV44GP44KJ5ZWG5bqX44CR44GU5rOo5paH44GC44KK44GM44Go44GG44GU44GW44GE44G+44GZ?=
Date: Mon, 23 Nov 2026 18:02:01 +0900
Message-ID: <20261123180201.7788@sakura-shop.test>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

ご注文ありがとうございます。
";

const SUBJECT: &str = "【さくら商店】ご注文ありがとうございます";

/// The rows of the Japanese summary table (label, value).
const JA_ROWS: [(&str, &str); 8] = [
    ("メッセージ ID", "<20261123180201.7788@sakura-shop.test>"),
    ("作成日:", "2026年11月23日 18:02（5 秒後に配信）"),
    ("送信元:", "さくら商店 <info@sakura-shop.test>"),
    ("送信先:", "hanako@gmail.com"),
    ("件名:", "【さくら商店】ご注文ありがとうございます"),
    ("SPF:", "PASS（IP 192.0.2.44）詳細"),
    ("DKIM:", "'PASS'（ドメイン sakura-shop.test）詳細"),
    ("DMARC:", "'PASS' 詳細"),
];

const EN_ROWS: [(&str, &str); 8] = [
    ("Message ID", "<20261123180201.7788@sakura-shop.test>"),
    (
        "Created at:",
        "Mon, Nov 23, 2026 at 6:02 PM (Delivered after 5 seconds)",
    ),
    ("From:", "さくら商店 <info@sakura-shop.test>"),
    ("To:", "hanako@gmail.com"),
    ("Subject:", "【さくら商店】ご注文ありがとうございます"),
    ("SPF:", "PASS with IP 192.0.2.44 Learn more"),
    ("DKIM:", "'PASS' with domain sakura-shop.test Learn more"),
    ("DMARC:", "'PASS' Learn more"),
];

/// How a browser's copy of the summary table comes out.
#[derive(Clone, Copy)]
enum Rows {
    /// One line per row, a tab between label and value.
    Tab,
    /// Label and value on lines of their own.
    Split,
}

/// Gmail's "Show original" page copied with Ctrl+A / Ctrl+C: the title, the
/// summary table, the buttons (on lines of their own or side by side), then
/// the raw message.
fn gmail_page(
    title: &str,
    rows: &[(&str, &str)],
    buttons: [&str; 2],
    layout: Rows,
    side_by_side: bool,
) -> String {
    let mut page = format!("{title}\n");
    for (label, value) in rows {
        match layout {
            Rows::Tab => page.push_str(&format!("{label}\t{value}\n")),
            Rows::Split => page.push_str(&format!("{label}\n{value}\n")),
        }
    }
    page.push('\n');
    if side_by_side {
        page.push_str(&format!("{}\t{}\t\n", buttons[0], buttons[1]));
    } else {
        page.push_str(&format!("{}\n{}\n", buttons[0], buttons[1]));
    }
    page.push_str(GMAIL_RAW);
    page
}

/// What a hop says, without where it is.
fn hop_facts(report: &Report) -> Vec<String> {
    report
        .hops
        .iter()
        .map(|h| {
            format!(
                "{:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
                h.source, h.helo, h.from_ip, h.from_rdns, h.by_host, h.protocol, h.unix_ms, h.tls
            )
        })
        .collect()
}

/// What the receiver recorded, without where.
fn auth_facts(report: &Report) -> String {
    let r = &report.auth.recorded;
    let result = |m: &todoku_core::recorded::authres::MethodResult| {
        format!("{} {} {:?}", m.method, m.result, m.properties)
    };
    format!(
        "{:?} {:?} {:?} {:?} {:?}",
        r.authserv_id,
        r.spf.as_ref().map(result),
        r.dkim.iter().map(result).collect::<Vec<_>>(),
        r.dmarc.as_ref().map(result),
        r.received_spf.as_ref().map(|s| (&s.result, &s.client_ip)),
    )
}

fn note_kinds(report: &Report) -> Vec<String> {
    report
        .input
        .notes
        .iter()
        .map(|n| {
            serde_json::to_value(n).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// The paste reads as the clean block: same hops, same summary, same
/// recorded authentication, the same number of header fields (the summary's
/// rows are not read as fields, its verdicts are not counted twice), and
/// every hop's and header's span points at its own bytes in the paste.
fn reads_as(paste: &str, clean: &str, note: &str) -> Report {
    let want = analyze(clean.as_bytes(), NOW);
    let got = analyze(paste.as_bytes(), NOW);
    assert!(!want.hops.is_empty());
    assert_eq!(hop_facts(&got), hop_facts(&want), "{note}: hops");
    assert_eq!(got.summary, want.summary, "{note}: summary");
    assert_eq!(
        auth_facts(&got),
        auth_facts(&want),
        "{note}: recorded authentication"
    );
    if let Some(spf) = &got.auth.recorded.spf {
        assert!(
            paste.as_bytes()[spf.span.start..spf.span.end].starts_with(b"spf=pass"),
            "{note}: spf span"
        );
    }
    assert_eq!(
        got.input.header_count, want.input.header_count,
        "{note}: header fields"
    );
    assert!(
        note_kinds(&got).iter().any(|k| k == note),
        "{note} not in {:?}",
        got.input.notes
    );
    let bytes = paste.as_bytes();
    for hop in &got.hops {
        let text = &bytes[hop.span.start..hop.span.end];
        assert!(
            text.starts_with(format!("{}:", hop.source).as_bytes()),
            "{note}: hop {} span",
            hop.index
        );
    }
    for h in &got.input.headers {
        assert!(
            bytes[h.span.start..h.span.end].starts_with(h.name.as_bytes()),
            "{note}: {} span",
            h.name
        );
    }
    got
}

#[test]
fn japanese_gmail_show_original_page_copy_reads_the_raw_headers() {
    for layout in [Rows::Tab, Rows::Split] {
        for side_by_side in [false, true] {
            let page = gmail_page(
                "元のメッセージ",
                &JA_ROWS,
                ["元のメッセージをダウンロード", "クリップボードにコピー"],
                layout,
                side_by_side,
            );
            let report = reads_as(&page, GMAIL_RAW, "skipped_gmail_summary");
            assert_eq!(report.hops.len(), 3);
            assert_eq!(report.summary.subject.as_deref(), Some(SUBJECT));
            assert_eq!(note_kinds(&report), ["skipped_gmail_summary"]);
        }
    }
}

#[test]
fn english_gmail_show_original_page_copy_still_reads_the_raw_headers() {
    for layout in [Rows::Tab, Rows::Split] {
        for side_by_side in [false, true] {
            let page = gmail_page(
                "Original Message",
                &EN_ROWS,
                ["Download Original", "Copy to clipboard"],
                layout,
                side_by_side,
            );
            let report = reads_as(&page, GMAIL_RAW, "skipped_gmail_summary");
            assert_eq!(report.summary.subject.as_deref(), Some(SUBJECT));
            assert_eq!(note_kinds(&report), ["skipped_gmail_summary"]);
        }
    }
}

#[test]
fn gmail_summary_in_a_language_without_known_wording_is_found_by_its_verdict_rows() {
    // Title, labels and buttons in a language Todoku has no words for: the
    // SPF/DKIM/DMARC rows (upper-case results in every language) mark it.
    let rows = [
        ("Message-ID", "<20261123180201.7788@sakura-shop.test>"),
        ("De:", "さくら商店 <info@sakura-shop.test>"),
        ("Objet:", "x"),
        ("SPF:", "PASS avec l'adresse IP 192.0.2.44 En savoir plus"),
        (
            "DKIM:",
            "'PASS' avec le domaine sakura-shop.test En savoir plus",
        ),
        ("DMARC:", "'PASS' En savoir plus"),
    ];
    for layout in [Rows::Tab, Rows::Split] {
        let page = gmail_page(
            "Message d'origine",
            &rows,
            ["Télécharger", "Copier"],
            layout,
            false,
        );
        let report = reads_as(&page, GMAIL_RAW, "skipped_gmail_summary");
        assert_eq!(note_kinds(&report), ["skipped_gmail_summary"]);
    }
}

/// Outlook's Internet headers box for a message from the shop to a
/// Microsoft 365 mailbox (Exchange folds at 78 columns, mid-date and
/// before IPv6 addresses in parentheses).
const OUTLOOK_FOLDED: &str = "Received: from TYCPR01MB8123.jpnprd01.prod.outlook.com (2603:1096:400:1a3::9) by
 OS3PR01MB5678.jpnprd01.prod.outlook.com with HTTPS; Mon, 23 Nov 2026 09:02:09
 +0000
Received: from TYAPR01CA0123.jpnprd01.prod.outlook.com (2603:1096:404:1::23)
 by TYCPR01MB8123.jpnprd01.prod.outlook.com (2603:1096:400:1a3::9) with
 Microsoft SMTP Server (version=TLS1_2,
 cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.8000.12; Mon, 23 Nov
 2026 09:02:08 +0000
Received: from OS1PEPF00001234.jpnprd01.prod.outlook.com
 (2603:1096:404:1:cafe::45) by TYAPR01CA0123.outlook.office365.com
 (2603:1096:404:1::23) with Microsoft SMTP Server (version=TLS1_3,
 cipher=TLS_AES_256_GCM_SHA384) id 15.20.8000.12 via Frontend Transport; Mon,
 23 Nov 2026 09:02:08 +0000
Authentication-Results: spf=pass (sender IP is 192.0.2.44)
 smtp.mailfrom=sakura-shop.test; dkim=pass (signature was verified)
 header.d=sakura-shop.test;dmarc=pass action=none
 header.from=sakura-shop.test;compauth=pass reason=100
Received-SPF: Pass (protection.outlook.com: domain of sakura-shop.test
 designates 192.0.2.44 as permitted sender) receiver=protection.outlook.com;
 client-ip=192.0.2.44; helo=mail.sakura-shop.test; pr=C
Received: from mail.sakura-shop.test (192.0.2.44) by
 OS1PEPF00001234.mail.protection.outlook.com (10.167.240.10) with Microsoft SMTP
 Server (version=TLS1_3, cipher=TLS_AES_256_GCM_SHA384) id 15.20.8000.12 via
 Frontend Transport; Mon, 23 Nov 2026 09:02:07 +0000
Received: from cart.sakura-shop.test (cart.sakura-shop.test [198.51.100.10])
	by mail.sakura-shop.test (Postfix) with ESMTPS id 4Xk9Qm2RzTz1sAb
	for <kenji@contoso.test>; Mon, 23 Nov 2026 18:02:02 +0900 (JST)
From: =?UTF-8?B?44GV44GP44KJ5ZWG5bqX?= <info@sakura-shop.test>
To: kenji@contoso.test
Subject: =?UTF-8?B?44CQ44GV44GP44KJ5ZWG5bqX44CR44GU5rOo5paH44GC44KK44GM44Go44GG44GU44GW44GE44G+44GZ?=
Date: Mon, 23 Nov 2026 18:02:01 +0900
Message-ID: <20261123180201.7788@sakura-shop.test>
List-Unsubscribe: <mailto:unsubscribe@sakura-shop.test?subject=unsubscribe>,
 <https://sakura-shop.test/unsubscribe?u=12345>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
";

/// `text` with the indentation of lines `from..to` (0-based) removed.
fn unfold(text: &str, lines: std::ops::Range<usize>) -> String {
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            if lines.contains(&i) {
                format!("{}\n", l.trim_start())
            } else {
                format!("{l}\n")
            }
        })
        .collect()
}

#[test]
fn outlook_paste_whose_first_received_lost_its_folding_keeps_its_hops() {
    let paste = unfold(OUTLOOK_FOLDED, 0..3);
    assert!(paste.starts_with("Received: from TYCPR01MB8123"));
    assert!(paste.contains(
        "by\nOS3PR01MB5678.jpnprd01.prod.outlook.com with HTTPS; Mon, 23 Nov 2026 09:02:09\n+0000\n"
    ));
    let report = reads_as(&paste, OUTLOOK_FOLDED, "reindented");
    assert_eq!(report.hops.len(), 5);
    assert_eq!(note_kinds(&report), ["reindented"]);
    assert_eq!(
        report.hops[4].by_host.as_deref(),
        Some("OS3PR01MB5678.jpnprd01.prod.outlook.com")
    );
}

#[test]
fn outlook_paste_that_lost_all_its_folding_keeps_every_hop() {
    // Every continuation at column 0, among them `(2603:1096:404:1:cafe::45)
    // by …`, `2026 09:02:08 +0000` and `<https://…>`, which start like fields.
    let paste = format!(
        "Microsoft Mail Internet Headers Version 2.0\n{}",
        unfold(OUTLOOK_FOLDED, 0..usize::MAX)
    );
    let report = reads_as(&paste, OUTLOOK_FOLDED, "reindented");
    assert_eq!(report.hops.len(), 5);
    assert_eq!(note_kinds(&report), ["skipped_leading_text", "reindented"]);
    assert_eq!(
        report.summary.list_unsubscribe,
        analyze(OUTLOOK_FOLDED.as_bytes(), NOW)
            .summary
            .list_unsubscribe
    );
    // The hop whose IPv6 address lost its indentation: its span, mapped back
    // through the repair, covers exactly its lines in the paste.
    let hop = report
        .hops
        .iter()
        .find(|h| h.from_ip.as_deref() == Some("2603:1096:404:1:cafe::45"))
        .unwrap();
    let text = &paste[hop.span.start..hop.span.end];
    assert!(text.starts_with("Received: from OS1PEPF00001234.jpnprd01.prod.outlook.com\n(2603:1096:404:1:cafe::45) by"), "{text}");
    assert!(
        text.trim_end().ends_with("23 Nov 2026 09:02:08 +0000"),
        "{text}"
    );
}

#[test]
fn yahoo_japan_message_source_copy_with_its_title() {
    // メッセージのソースを表示: the page's title, blank lines, the source.
    let paste = format!("メッセージのソース\n\n\n{GMAIL_RAW}");
    let report = reads_as(&paste, GMAIL_RAW, "skipped_leading_text");
    assert_eq!(note_kinds(&report), ["skipped_leading_text"]);
}

#[test]
fn yahoo_japan_detail_headers_copied_from_the_page() {
    // ヘッダーを表示 shows the headers in the page: copied, the folded lines
    // keep no indentation (HTML collapses it).
    let paste = format!("詳細ヘッダー\n{}", unfold(GMAIL_RAW, 0..usize::MAX));
    let report = reads_as(&paste, GMAIL_RAW, "reindented");
    assert_eq!(note_kinds(&report), ["skipped_leading_text", "reindented"]);
}

#[test]
fn outlook_com_view_message_source_copy() {
    // View message source: the dialog's title, the source, its Close button.
    let paste = format!("Message source\n\n{GMAIL_RAW}\nClose\n");
    let report = reads_as(&paste, GMAIL_RAW, "skipped_leading_text");
    assert_eq!(note_kinds(&report), ["skipped_leading_text"]);
}

#[test]
fn html_escaped_copy_with_numbered_entities() {
    // A copy of a page's HTML: `&#60;` `&#x3E;` `&#38;` instead of < > &.
    let head = GMAIL_RAW.split("\n\n").next().unwrap();
    let paste = head
        .replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#x3E;")
        + "\n\n";
    let report = reads_as(&paste, GMAIL_RAW, "html_entities_decoded");
    assert_eq!(note_kinds(&report), ["html_entities_decoded"]);
    assert_eq!(
        report.summary.from.as_deref(),
        Some("info@sakura-shop.test")
    );
}

#[test]
fn ordinary_header_blocks_are_not_repaired() {
    for block in [GMAIL_RAW, OUTLOOK_FOLDED] {
        let report = analyze(block.as_bytes(), NOW);
        assert!(report.input.notes.is_empty(), "{:?}", report.input.notes);
    }
    // A block with a field name no header has, and an upper-case SPF field:
    // intact folding, so nothing is re-indented and nothing skipped.
    let odd = "Received: from a.example (a.example [192.0.2.1])\n by b.example with ESMTP id X; Mon, 23 Nov 2026 10:00:00 +0000\n(x)-Weird: 1\nSPF: PASS\nDMARC:\tPASS\nFrom: a@a.example\nSubject: hi\n\n";
    let report = analyze(odd.as_bytes(), NOW);
    assert!(report.input.notes.is_empty(), "{:?}", report.input.notes);
    assert_eq!(report.input.header_count, 6);
    assert_eq!(report.hops.len(), 1);
}

#[test]
fn paste_indented_as_a_whole_is_dedented() {
    // Copied from a quote, a code block or a page's indented box: every
    // line, the blank one too, starts with the same white space.
    for indent in ["    ", "\t", "  "] {
        let paste: String = GMAIL_RAW
            .lines()
            .map(|l| format!("{indent}{l}\r\n"))
            .collect();
        let paste = format!("Headers:\r\n\r\n{paste}");
        let report = reads_as(&paste, GMAIL_RAW, "dedented");
        assert_eq!(note_kinds(&report), ["skipped_leading_text", "dedented"]);
        assert!(report.input.has_body);
        let block = report.input.header_block.unwrap();
        assert!(
            paste[block.start..].starts_with("Delivered-To:"),
            "{indent:?}"
        );
    }
    // A paste that merely opens with a stray folded line is not one.
    let stray = format!("        for <hanako@gmail.com>; Mon, 23 Nov 2026\n{GMAIL_RAW}");
    let report = analyze(stray.as_bytes(), NOW);
    assert_eq!(note_kinds(&report), ["skipped_leading_text"]);
}
