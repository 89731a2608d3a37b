//! The offline report on whole header blocks: our own fixture and, when
//! `../shared/corpora` is present, a real Gmail message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test panics

mod common;

use todoku_core::analyze;

const POSTFIX_TO_GMAIL: &[u8] = include_bytes!("../../../tests/fixtures/postfix-to-gmail.txt");
const NOW: i64 = 1_795_500_000;

fn crlf(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() + input.len() / 40);
    for &b in input {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

fn check_postfix_to_gmail(input: &[u8]) {
    let report = analyze(input, NOW);
    assert_eq!(report.input.problem, None);
    assert_eq!(report.analysed_at, NOW);
    assert_eq!(report.summary.subject.as_deref(), Some("月例会議のご案内"));
    assert_eq!(report.summary.from_name.as_deref(), Some("山田 太郎"));
    assert_eq!(report.summary.from.as_deref(), Some("taro@todoku.test"));
    assert_eq!(report.summary.from_domain.as_deref(), Some("todoku.test"));
    assert_eq!(
        report.summary.message_id.as_deref(),
        Some("20261123180201.0001@todoku.test")
    );

    let hops = &report.hops;
    assert_eq!(hops.len(), 4);
    let h1 = &hops[0];
    assert_eq!(h1.index, 1);
    assert_eq!(h1.helo.as_deref(), Some("DESKTOP-7QK3"));
    assert_eq!(h1.from_ip.as_deref(), Some("198.51.100.77"));
    assert_eq!(h1.from_rdns, None, "Postfix's `unknown` means no PTR");
    assert_eq!(h1.by_host.as_deref(), Some("mail.todoku.test"));
    assert_eq!(h1.protocol.as_deref(), Some("ESMTPSA"));
    assert_eq!(h1.unix_time, Some(1_795_424_523)); // 2026-11-23T09:02:03Z
    assert_eq!(h1.delay_seconds, None);

    let h2 = &hops[1];
    assert_eq!(h2.from_host.as_deref(), Some("mail.todoku.test"));
    assert_eq!(h2.from_ip.as_deref(), Some("192.0.2.25"));
    assert_eq!(h2.by_host.as_deref(), Some("mx.google.com"));
    assert_eq!(h2.protocol.as_deref(), Some("ESMTPS"));
    let tls = h2.tls.as_ref().expect("TLS recorded");
    assert_eq!(tls.cipher.as_deref(), Some("TLS_AES_256_GCM_SHA384"));
    assert_eq!(h2.delay_seconds, Some(3));

    // Gmail's internal step, recorded as X-Received, then its final hop.
    let h3 = &hops[2];
    assert_eq!(h3.source, "X-Received");
    assert_eq!(
        h3.by_host.as_deref(),
        Some("2002:a17:90a:1234:b0:2b3:4c5d:6e7f")
    );
    assert_eq!(h3.delay_seconds, Some(1));
    let h4 = &hops[3];
    assert_eq!(h4.source, "Received");
    assert_eq!(
        h4.by_host.as_deref(),
        Some("2002:a05:6a10:8e0c:b0:5a1:2c3d:4e5f")
    );
    assert_eq!(h4.protocol.as_deref(), Some("SMTP"));
    assert_eq!(h4.delay_seconds, Some(0));
    assert_eq!(report.total_transit_seconds, Some(4));

    // Each hop's span covers exactly its own (X-)Received field.
    for hop in hops {
        let field = &input[hop.span.start..hop.span.end];
        assert!(
            field.starts_with(format!("{}:", hop.source).as_bytes()),
            "span of hop {}",
            hop.index
        );
    }
}

#[test]
fn postfix_to_gmail_lf() {
    check_postfix_to_gmail(POSTFIX_TO_GMAIL);
}

#[test]
fn postfix_to_gmail_crlf() {
    check_postfix_to_gmail(&crlf(POSTFIX_TO_GMAIL));
}

#[test]
fn leading_blank_lines_are_skipped_and_spans_stay_absolute() {
    let mut input = b"\n\n  \r\n".to_vec();
    input.extend_from_slice(POSTFIX_TO_GMAIL);
    check_postfix_to_gmail(&input);
}

#[test]
fn json_uses_the_documented_field_names() {
    let report = analyze(POSTFIX_TO_GMAIL, NOW);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["summary"]["subject"], "月例会議のご案内");
    let hop = &json["hops"][1];
    for key in [
        "from_host",
        "helo",
        "from_ip",
        "by_host",
        "protocol",
        "tls",
        "timestamp",
        "delay_seconds",
    ] {
        assert!(hop.get(key).is_some(), "hop has {key}: {hop}");
    }
    assert_eq!(hop["delay_seconds"], 3);
    assert_eq!(hop["timestamp"], "2026-11-23T01:02:06-08:00");
}

#[test]
fn empty_and_headerless_inputs_say_why() {
    let json = |input: &[u8]| serde_json::to_value(analyze(input, NOW)).unwrap();
    assert_eq!(json(b"")["input"]["problem"]["kind"], "empty");
    assert_eq!(json(b" \r\n\t\n")["input"]["problem"]["kind"], "empty");
    let prose = json(b"hello, this is not an email header at all");
    assert_eq!(prose["input"]["problem"]["kind"], "no_headers");
}

#[test]
fn garbage_never_panics() {
    let mut seed: u32 = 0x9e37_79b9;
    for len in [1usize, 7, 64, 513, 4096] {
        for _ in 0..50 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    // Bias towards header-ish bytes so the parser goes deep.
                    b"Received: from by with id for ;:()[]<>@\r\n\t 0123456789\xff\x00"
                        [(seed % 51) as usize]
                })
                .collect();
            let _ = analyze(&bytes, NOW);
        }
    }
}

/// A corpus file, or `None` (SKIPPED; a failure under CI) without it.
fn corpus(path: &str) -> Option<Vec<u8>> {
    common::bytes(path)
}

/// A real Gmail message (MimeKit test data): four Received headers, all
/// stamped 2015-06-10 19:05:37 -0700, the middle one with TLS 1.2 from an IPv6 address.
#[test]
fn real_gmail_message_hops() {
    let Some(input) = corpus("mimekit-testdata/dkim/gmail.msg") else {
        return;
    };
    let report = analyze(&input, NOW);
    assert!(report.input.has_body);
    assert_eq!(
        report.summary.from.as_deref(),
        Some("jeff.stedfast@gmail.com")
    );
    // Four Received and two X-Received headers, oldest first.
    let by: Vec<_> = report.hops.iter().map(|h| h.by_host.as_deref()).collect();
    assert_eq!(
        by,
        vec![
            Some("10.25.21.73"),
            Some("10.152.3.33"),
            Some("lams18"),
            Some("mx.google.com"),
            Some("10.112.150.130"),
            Some("10.152.28.6")
        ]
    );
    let sources: Vec<_> = report.hops.iter().map(|h| h.source).collect();
    assert_eq!(
        sources,
        vec![
            "Received",
            "X-Received",
            "Received",
            "Received",
            "X-Received",
            "Received"
        ]
    );
    let with: Vec<_> = report.hops.iter().map(|h| h.protocol.as_deref()).collect();
    assert_eq!(
        with,
        vec![
            Some("HTTP"),
            Some("SMTP"),
            Some("SMTP"),
            Some("ESMTPS"),
            Some("SMTP"),
            Some("SMTP")
        ]
    );
    let h3 = &report.hops[3];
    assert_eq!(h3.from_ip.as_deref(), Some("2a00:1450:4010:c03::241"));
    assert_eq!(h3.helo.as_deref(), Some("mail-la0-x241.google.com"));
    assert_eq!(
        h3.tls.as_ref().and_then(|t| t.version.as_deref()),
        Some("TLSv1.2")
    );
    for hop in &report.hops {
        assert_eq!(hop.unix_time, Some(1_433_988_337));
    }
    assert_eq!(report.total_transit_seconds, Some(0));
}

#[test]
fn recorded_auth_comes_from_the_topmost_header_and_prefers_mailfrom_spf() {
    let input = b"Authentication-Results: mx.google.com;\r\n       dkim=pass header.i=@todoku.test header.s=sel1 header.b=AbCdEf12;\r\n       spf=none smtp.helo=mail.todoku.test;\r\n       spf=softfail (google.com: domain of transitioning taro@todoku.test does not designate 203.0.113.9 as permitted sender) smtp.mailfrom=taro@todoku.test;\r\n       dmarc=fail (p=QUARANTINE sp=QUARANTINE dis=QUARANTINE) header.from=todoku.test\r\nAuthentication-Results: forged.example; spf=pass smtp.mailfrom=taro@todoku.test\r\nFrom: taro@todoku.test\r\n\r\n";
    let report = analyze(input, NOW);
    let rec = &report.auth.recorded;
    assert_eq!(rec.authserv_id.as_deref(), Some("mx.google.com"));
    assert_eq!(rec.headers.len(), 2);
    let spf = rec.spf.as_ref().unwrap();
    assert_eq!(spf.result, "softfail");
    assert_eq!(spf.property("smtp", "mailfrom"), Some("taro@todoku.test"));
    assert!(spf.comments[0].contains("203.0.113.9"));
    // The result's span points at its own text in the input.
    let text = std::str::from_utf8(&input[spf.span.start..spf.span.end]).unwrap();
    assert!(text.starts_with("spf=softfail (google.com"), "{text}");
    assert_eq!(rec.dkim.len(), 1);
    assert_eq!(rec.dkim[0].property("header", "s"), Some("sel1"));
    assert_eq!(rec.dmarc.as_ref().unwrap().result, "fail");
    assert!(rec.arc.is_none());
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["auth"]["recorded"]["spf"]["result"], "softfail");
}

#[test]
fn real_gmail_message_recorded_auth() {
    let Some(input) = corpus("mimekit-testdata/dkim/gmail.msg") else {
        return;
    };
    let rec = analyze(&input, NOW).auth.recorded;
    assert_eq!(rec.authserv_id.as_deref(), Some("mx.google.com"));
    // The header says `smtp.mail=` (an old Gmail spelling), not `smtp.mailfrom=`.
    let spf = rec.spf.unwrap();
    assert_eq!(spf.result, "pass");
    assert_eq!(
        spf.property("smtp", "mail"),
        Some("jeff.stedfast@gmail.com")
    );
    assert_eq!(rec.dkim[0].property("header", "i"), Some("@gmail.com"));
    assert_eq!(rec.dmarc.unwrap().comments, vec!["p=NONE dis=NONE"]);
}

fn ids(report: &todoku_core::Report) -> Vec<&'static str> {
    report.findings.iter().map(|f| f.id).collect()
}

#[test]
fn pc_name_on_authenticated_submission_is_not_a_helo_problem() {
    // DESKTOP-7QK3 logged in to its own provider (ESMTPSA): Gmail judged
    // mail.todoku.test's HELO, a proper name. Nothing to fix: clean.
    let report = analyze(POSTFIX_TO_GMAIL, NOW);
    assert!(
        !ids(&report).contains(&"helo.not_fqdn"),
        "{:?}",
        ids(&report)
    );
    assert_eq!(
        report.verdict.outlook.as_str(),
        "clean",
        "{:?}",
        ids(&report)
    );
    assert!(ids(&report).contains(&"dmarc.pass"));
    // Errors and warnings sort before passes.
    let severities: Vec<_> = report.findings.iter().map(|f| f.severity).collect();
    let mut sorted = severities.clone();
    sorted.sort();
    assert_eq!(severities, sorted);
}

#[test]
fn loopback_and_local_submission_hops_are_not_helo_problems() {
    let input = b"Received: from localhost (localhost [127.0.0.1]) by mx.todoku.test (Postfix) with ESMTP id A1; Mon, 23 Nov 2026 10:00:00 +0000\r\nReceived: from www-data@localhost by web.todoku.test with local; Mon, 23 Nov 2026 09:59:59 +0000\r\nFrom: a@todoku.test\r\nDate: Mon, 23 Nov 2026 09:59:58 +0000\r\nMessage-ID: <1@todoku.test>\r\n\r\n";
    let report = analyze(input, NOW);
    assert!(
        !ids(&report).contains(&"helo.not_fqdn"),
        "{:?}",
        ids(&report)
    );
}

#[test]
fn plaintext_inbound_hop_and_structure_problems() {
    let input = b"Received: from mail.todoku.test (mail.todoku.test [192.0.2.25]) by mx.example.net with ESMTP id B2; Mon, 23 Nov 2026 10:00:00 +0000\r\nFrom: a@todoku.test, b@todoku.test\r\nFrom: c@todoku.test\r\nSubject: hi\r\n\r\n";
    let report = analyze(input, NOW);
    let found = ids(&report);
    for id in [
        "tls.not_used",
        "rfc5322.duplicate_from",
        "rfc5322.missing_date",
        "rfc5322.missing_message_id",
        "rfc5322.multiple_from_addresses",
        "dkim.none",
    ] {
        assert!(found.contains(&id), "{id} missing from {found:?}");
    }
    let dup = report
        .findings
        .iter()
        .find(|f| f.id == "rfc5322.duplicate_from")
        .unwrap();
    assert_eq!(dup.evidence.len(), 2);
    for span in &dup.evidence {
        assert!(input[span.start..span.end].starts_with(b"From:"));
    }
}

#[test]
fn dkim_signature_warnings() {
    let input = b"DKIM-Signature: v=1; a=rsa-sha1; c=simple/simple; d=todoku.test; s=sel1; l=100; x=1000;\r\n h=to:subject:date; bh=YWJj; b=ZGVm\r\nFrom: a@todoku.test\r\nDate: Mon, 23 Nov 2026 09:59:58 +0000\r\nMessage-ID: <1@todoku.test>\r\n\r\n";
    let report = analyze(input, NOW);
    let sig = &report.dkim_signatures[0];
    assert_eq!(
        sig.key_name().as_deref(),
        Some("sel1._domainkey.todoku.test")
    );
    let found = ids(&report);
    for id in [
        "dkim.weak_hash",
        "dkim.body_length",
        "dkim.expired",
        "dkim.from_not_signed",
    ] {
        assert!(found.contains(&id), "{id} missing from {found:?}");
    }
    assert!(!found.contains(&"dkim.none"));
}

#[test]
fn receiver_recorded_softfail_and_dmarc_fail_are_findings_with_evidence() {
    let input = b"Authentication-Results: mx.google.com; spf=softfail (google.com: domain of transitioning taro@todoku.test does not designate 203.0.113.9 as permitted sender) smtp.mailfrom=taro@todoku.test; dkim=temperror (dns failure for signature) header.d=todoku.test; dmarc=fail (p=QUARANTINE) header.from=todoku.test\r\nFrom: taro@todoku.test\r\n\r\n";
    let report = analyze(input, NOW);
    let softfail = report
        .findings
        .iter()
        .find(|f| f.id == "spf.softfail")
        .unwrap();
    assert!(
        softfail.message.contains("203.0.113.9"),
        "{}",
        softfail.message
    );
    let ev = softfail.evidence[0];
    assert!(input[ev.start..ev.end].starts_with(b"spf=softfail"));
    let found = ids(&report);
    assert!(
        found.contains(&"dkim.temperror") && found.contains(&"dmarc.fail"),
        "{found:?}"
    );
    assert_eq!(report.findings[0].id, "dmarc.fail", "errors first");
}

#[test]
fn trust_boundary_is_the_hop_the_receivers_spf_named() {
    // Received-SPF names 192.0.2.25: the Postfix → Gmail hop.
    let report = analyze(POSTFIX_TO_GMAIL, NOW);
    let b = report.trust_boundary.as_ref().unwrap();
    assert_eq!(b.hop, 2);
    assert_eq!(b.ip.as_deref(), Some("192.0.2.25"));
    assert_eq!(b.by_host.as_deref(), Some("mx.google.com"));
    assert!(!report.hops[0].internal, "the sender's own hop is outside");
}

#[test]
fn trust_boundary_without_spf_skips_private_and_transfer_hops() {
    // An Exchange Online chain (newest first): HTTPS between roles, a hop from
    // a private address, then the edge receiving from the internet.
    let input = b"Received: from BN3NAM04HT205.eop-NAM04.prod.protection.outlook.com (2a01:111:e400:c418::34) by SN1PR16MB0494.namprd16.prod.outlook.com with HTTPS via SN1PR15CA0024.NAMPRD15.PROD.OUTLOOK.COM; Sat, 21 Apr 2018 03:01:33 +0000\r\nReceived: from BN3NAM04FT003.eop-NAM04.prod.protection.outlook.com (10.152.92.53) by BN3NAM04HT205.eop-NAM04.prod.protection.outlook.com (10.152.93.134) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384_P384) id 15.20.696.11; Sat, 21 Apr 2018 03:01:32 +0000\r\nReceived: from vmta6.response.nfcu.org (199.204.166.217) by BN3NAM04FT003.mail.protection.outlook.com (10.152.92.112) with Microsoft SMTP Server id 15.20.696.11 via Frontend Transport; Sat, 21 Apr 2018 03:01:32 +0000\r\n\r\n";
    let report = analyze(input, NOW);
    let b = report.trust_boundary.as_ref().unwrap();
    assert_eq!(b.ip.as_deref(), Some("199.204.166.217"));
    assert_eq!(b.hop, 1);
    assert!(report.hops[1].internal && report.hops[2].internal);
    // The edge hop carries no TLS: the plaintext finding points at it.
    let tls = report
        .findings
        .iter()
        .find(|f| f.id == "tls.not_used")
        .unwrap();
    assert_eq!(tls.evidence, vec![report.hops[0].span]);
}

#[test]
fn a_clock_behind_is_attributed_to_its_host() {
    // relay.b.test stamps 10:01:00; the hop after it says 10:00:00 (two minutes
    // "before"), the next 10:02:05: relay.c.test's clock is ~2 min behind.
    let input = b"Received: from c (c [192.0.2.3]) by relay.d.test with ESMTPS id 4; Mon, 23 Nov 2026 10:02:05 +0000\r\nReceived: from b (b [192.0.2.2]) by relay.c.test with ESMTPS id 3; Mon, 23 Nov 2026 09:59:00 +0000\r\nReceived: from a (a [192.0.2.1]) by relay.b.test with ESMTPS id 2; Mon, 23 Nov 2026 10:01:00 +0000\r\nDate: Mon, 23 Nov 2026 10:10:00 +0000\r\n\r\n";
    let report = analyze(input, NOW);
    let hosts: Vec<_> = report
        .clock_skews
        .iter()
        .map(|s| (s.host.as_str(), s.offset_seconds, s.attributed))
        .collect();
    assert_eq!(
        hosts,
        vec![("relay.c.test", -120, true), ("Date:", 540, true)],
        "{hosts:?}"
    );
    let skews = report
        .findings
        .iter()
        .filter(|f| f.id == "clock.skew")
        .count();
    assert_eq!(skews, 2);
}

#[test]
fn microsoft_junk_verdicts_are_decoded_and_explained() {
    let input = include_bytes!("../../../tests/fixtures/m365-junk.txt");
    let report = analyze(input, NOW);
    let found = ids(&report);
    for id in [
        "vendor.spam_verdict",
        "spf.softfail",
        "dkim.none",
        "dmarc.fail",
        "helo.not_fqdn",
    ] {
        assert!(found.contains(&id), "{id} missing from {found:?}");
    }
    assert_eq!(report.auth.recorded.authserv_id, None);
    assert_eq!(
        report
            .auth
            .recorded
            .compauth
            .as_ref()
            .unwrap()
            .reason
            .as_deref(),
        Some("601")
    );
    let vendors: Vec<_> = report
        .verdicts
        .iter()
        .map(|v| (v.header.as_str(), v.spam))
        .collect();
    assert_eq!(
        vendors,
        vec![
            ("X-MS-Exchange-Organization-SCL", Some(true)),
            ("X-Microsoft-Antispam-Mailbox-Delivery", Some(true)),
            ("X-Forefront-Antispam-Report", Some(true)),
            ("X-Microsoft-Antispam", Some(false)),
        ]
    );
    assert_eq!(
        report.trust_boundary.as_ref().unwrap().ip.as_deref(),
        Some("198.51.100.77")
    );
}

/// The facts of a hop without its position in the input.
fn hop_facts(report: &todoku_core::Report) -> Vec<String> {
    report
        .hops
        .iter()
        .map(|h| {
            format!(
                "{:?} {:?} {:?} {:?} {:?} {:?}",
                h.helo, h.from_ip, h.from_rdns, h.by_host, h.protocol, h.unix_ms
            )
        })
        .collect()
}

fn check_messy_variant(messy: &[u8], note_kind: &str) {
    let clean = analyze(POSTFIX_TO_GMAIL, NOW);
    let report = analyze(messy, NOW);
    assert_eq!(hop_facts(&report), hop_facts(&clean), "{note_kind}");
    assert_eq!(report.summary, clean.summary, "{note_kind}");
    let notes = serde_json::to_value(&report.input.notes)
        .unwrap()
        .to_string();
    assert!(notes.contains(note_kind), "{note_kind} not in {notes}");
    for hop in &report.hops {
        let field = format!("{}:", hop.source);
        assert!(
            messy[hop.span.start..hop.span.end].starts_with(field.as_bytes()),
            "{note_kind}: hop {} span",
            hop.index
        );
    }
    let spf = report.auth.recorded.spf.as_ref().unwrap();
    assert!(
        messy[spf.span.start..spf.span.end].starts_with(b"spf=pass"),
        "{note_kind}: spf span"
    );
}

#[test]
fn pasted_with_lost_indentation() {
    // Webmail copies drop the leading white space of folded lines.
    let text = String::from_utf8(POSTFIX_TO_GMAIL.to_vec()).unwrap();
    let flat: String = text
        .lines()
        .map(|l| format!("{}\n", l.trim_start()))
        .collect();
    check_messy_variant(flat.as_bytes(), "reindented");
}

#[test]
fn pasted_with_gmails_show_original_summary() {
    let mut page = b"Original message\nMessage ID\t<20261123180201.0001@todoku.test>\nCreated at:\tMon, Nov 23, 2026 at 6:02 PM (Delivered after 4 seconds)\nFrom:\t\xe5\xb1\xb1\xe7\x94\xb0 <taro@todoku.test>\nTo:\thanako@gmail.com\nSubject:\tx\nSPF:\tPASS with IP 192.0.2.25 Learn more\nDKIM:\t'PASS' with domain todoku.test Learn more\nDMARC:\t'PASS' Learn more\nDownload original\nCopy to clipboard\n".to_vec();
    page.extend_from_slice(POSTFIX_TO_GMAIL);
    check_messy_variant(&page, "skipped_gmail_summary");
}

#[test]
fn pasted_html_escaped() {
    let text = String::from_utf8(POSTFIX_TO_GMAIL.to_vec()).unwrap();
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    check_messy_variant(escaped.as_bytes(), "html_entities_decoded");
}

#[test]
fn mailsploit_from_is_flagged_as_forged() {
    // From MHA's Mailsploit cases: "potus@whitehouse.gov\n\0" hidden in encoded words.
    let input = b"From: \"=?utf-8?b?cG90dXNAd2hpdGVob3VzZS5nb3Y=?==?utf-8?Q?=0A=00?=\"\r\n <demo@mailsploit.com>\r\nSubject: x\r\n\r\n";
    let report = analyze(input, NOW);
    let f = report
        .findings
        .iter()
        .find(|f| f.id == "from.encoded_word_attack")
        .expect("flagged");
    assert!(f.message.contains("control characters"), "{}", f.message);
    assert!(input[f.evidence[0].start..].starts_with(b"From:"));
}

#[test]
fn display_name_showing_another_address() {
    let input = b"From: \"security@bank.example\" <alerts@phish.example>\r\nSubject: x\r\n\r\n";
    let report = analyze(input, NOW);
    let f = report
        .findings
        .iter()
        .find(|f| f.id == "from.display_name_address")
        .expect("flagged");
    assert_eq!(
        f.message,
        "The From name shows the address security@bank.example, but the message is from alerts@phish.example."
    );
    let plain = analyze(b"From: \"Taro\" <taro@todoku.test>\r\n\r\n", NOW);
    assert!(!plain.findings.iter().any(|f| f.id.starts_with("from.")));
}

#[test]
fn real_google_arc_chain_and_received_spf() {
    // mail-auth's resources/arc/001: a real list message with Google's i=1 set.
    let Some(text) = corpus("mail-auth/arc/001.txt") else {
        return;
    };
    let report = analyze(&text, NOW);
    let rec = &report.auth.recorded;
    assert_eq!(
        rec.arc_sets.len(),
        1,
        "{:?}",
        rec.arc_sets.iter().map(|s| s.instance).collect::<Vec<_>>()
    );
    let set = &rec.arc_sets[0];
    assert_eq!(set.instance, 1);
    assert_eq!(set.seal.as_ref().unwrap().cv.as_deref(), Some("none"));
    assert_eq!(
        set.seal.as_ref().unwrap().domain.as_deref(),
        Some("google.com")
    );
    assert!(set.results.as_ref().unwrap().authserv_id.as_deref() == Some("mx.google.com"));
    assert_eq!(rec.arc_problems, Vec::<String>::new());
}

#[test]
fn spaced_field_name_is_flagged_with_its_line() {
    let input = b"From: taro@todoku.test\r\nSubject: invoice\r\nFr om: ceo@bank.example\r\nDate: Mon, 23 Nov 2026 18:02:01 +0900\r\n\r\n";
    let report = analyze(input, NOW);
    let f = report
        .findings
        .iter()
        .find(|f| f.id == "rfc5322.malformed_field_name")
        .expect("flagged");
    assert_eq!(
        &input[f.evidence[0].start..f.evidence[0].end],
        b"Fr om: ceo@bank.example"
    );
    assert_eq!(report.summary.from.as_deref(), Some("taro@todoku.test"));
}

#[test]
fn bulk_mail_without_one_click_unsubscribe() {
    let input = b"From: news@shop.todoku.test\r\nReturn-Path: <bounce-123@esp.example>\r\nList-Unsubscribe: <mailto:unsub@shop.todoku.test>\r\nFeedback-ID: 123:campaign:esp\r\nSubject: Sale\r\n\r\n";
    let report = analyze(input, NOW);
    let f = report
        .findings
        .iter()
        .find(|f| f.id == "unsubscribe.one_click_missing")
        .expect("flagged");
    assert!(
        f.message.ends_with("List-Unsubscribe has no https link."),
        "{}",
        f.message
    );
    assert_eq!(
        report.summary.return_path.as_deref(),
        Some("bounce-123@esp.example")
    );
    let ok = b"From: news@shop.todoku.test\r\nList-Unsubscribe: <https://shop.todoku.test/u/1>, <mailto:u@shop.todoku.test>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\nList-Id: <news.shop.todoku.test>\r\n\r\n";
    let report = analyze(ok, NOW);
    assert!(
        ids(&report).contains(&"unsubscribe.one_click"),
        "{:?}",
        ids(&report)
    );
    assert_eq!(
        report.summary.list_id.as_deref(),
        Some("<news.shop.todoku.test>")
    );
    // Personal mail has no unsubscribe finding at all.
    assert!(
        !ids(&analyze(POSTFIX_TO_GMAIL, NOW))
            .iter()
            .any(|i| i.starts_with("unsubscribe"))
    );
}

#[test]
fn raw_legacy_japanese_headers_are_decoded_and_flagged() {
    // Subject in raw ISO-2022-JP (7-bit escapes), From name in raw Shift_JIS.
    let mut input = b"Subject: \x1b$B7nNc2q5D$N$40FFb\x1b(B\r\nFrom: ".to_vec();
    input.extend_from_slice(b"\x8eR\x93c <taro@todoku.test>\r\n\r\n");
    let report = analyze(&input, NOW);
    assert_eq!(report.summary.subject.as_deref(), Some("月例会議のご案内"));
    assert_eq!(report.summary.from_name.as_deref(), Some("山田"));
    assert_eq!(report.summary.from.as_deref(), Some("taro@todoku.test"));
    let flagged: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.id == "rfc5322.unencoded_8bit")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(
        flagged,
        vec![
            "The Subject header is raw ISO-2022-JP text, not MIME-encoded.",
            "The From header is raw Shift_JIS text, not MIME-encoded."
        ]
    );
}

#[test]
fn raw_latin_1_subject_is_not_read_as_shift_jis() {
    // "Cr\xe8me br\xfbl\xe9e" decodes without error as Shift_JIS (壇e...):
    // it is Latin-1, and the finding says it was read as such.
    let input =
        b"From: J\xf6rg M\xfcller <chef@example.com>\r\nSubject: Cr\xe8me br\xfbl\xe9e\r\n\r\n";
    let report = analyze(input, NOW);
    assert_eq!(report.summary.subject.as_deref(), Some("Crème brûlée"));
    assert_eq!(report.summary.from_name.as_deref(), Some("Jörg Müller"));
    assert_eq!(report.summary.from.as_deref(), Some("chef@example.com"));
    let flagged: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.id == "rfc5322.unencoded_8bit")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(
        flagged,
        vec![
            "The Subject header is raw 8-bit text (read as Latin-1, windows-1252), not MIME-encoded.",
            "The From header is raw 8-bit text (read as Latin-1, windows-1252), not MIME-encoded."
        ]
    );
}

#[test]
fn japanese_carrier_bounce_subject_decodes() {
    // Adjacent ISO-2022-JP words that each open and close their escapes,
    // folded, with an empty US-ASCII word and an over-padded last word.
    let input = b"From: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= =?ISO-2022-JP?B?GyRCQkBPOhsoQg===?=\r\n <taro@example.com>\r\nSubject: DELIVERY FAILURE:\r\n =?ISO-2022-JP?B?GyRCJWYhPCU2ITwbKEI=?=\r\n =?US-ASCII?Q??=\r\n =?ISO-2022-JP?B?GyRCJE8bKEI=?= =?ISO-2022-JP?B?GyRCJUslYyE8JXMbKEI==?=\r\n\r\n";
    let report = analyze(input, NOW);
    assert_eq!(
        report.summary.subject.as_deref(),
        Some("DELIVERY FAILURE: ユーザーはニャーン")
    );
    assert_eq!(report.summary.from_name.as_deref(), Some("山田太郎"));
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.id == "rfc5322.unencoded_8bit")
    );
}

#[test]
fn spamassassin_raw_cjk_list_mail() {
    // A real Japanese list message with raw ISO-2022-JP in its headers.
    let Some(input) = corpus("spamassassin/nice-cjk/iso-2022-jp.1") else {
        return;
    };
    let report = analyze(&input, NOW);
    assert!(report.hops.len() >= 3, "{} hops", report.hops.len());
    assert!(
        !report
            .summary
            .subject
            .unwrap_or_default()
            .contains('\u{1b}')
    );
}

#[test]
fn folded_dkim_header_list_is_not_a_spaced_field_name() {
    // Regression: the continuation " subject : date" of a DKIM h= tag was
    // reported as a header name with a space.
    let input = b"DKIM-Signature: v=1; a=rsa-sha256; d=todoku.test; s=sel1; h=from : to :\r\n subject : date; bh=YQ==; b=Yg==\r\nFrom: a@todoku.test\r\n\r\n";
    assert!(!ids(&analyze(input, NOW)).contains(&"rfc5322.malformed_field_name"));
}

#[test]
fn severity_and_outlook_words_are_the_json_words() {
    use todoku_core::report::finding::Severity;
    use todoku_core::report::verdict::Outlook;
    for s in [
        Severity::Error,
        Severity::Warning,
        Severity::Info,
        Severity::Pass,
    ] {
        assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
    }
    for o in [
        Outlook::Filtered,
        Outlook::AtRisk,
        Outlook::Clean,
        Outlook::Unknown,
    ] {
        assert_eq!(serde_json::to_value(o).unwrap(), o.as_str());
    }
}

/// A message whose receiver recorded `dmarc=fail` with `comment` after it.
fn dmarc_failed(comment: &str) -> Vec<u8> {
    format!(
        "Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=bounce.esp.test; dkim=pass header.d=esp.test; dmarc=fail {comment} header.from=shop.test\r\n\
Received: from out.esp.test (out.esp.test [192.0.2.25]) by mx.example.net with ESMTPS id a1; Mon, 23 Nov 2026 10:00:01 +0900\r\n\
From: <taro@shop.test>\r\nTo: a@example.net\r\nSubject: x\r\nDate: Mon, 23 Nov 2026 10:00:00 +0900\r\nMessage-ID: <1@shop.test>\r\n"
    )
    .into_bytes()
}

fn dmarc_fail_texts(input: &[u8]) -> (String, String) {
    let report = analyze(input, NOW);
    let f = report
        .findings
        .iter()
        .find(|f| f.id == "dmarc.fail")
        .unwrap_or_else(|| panic!("no dmarc.fail: {:?}", report.findings));
    (f.detail.clone(), f.detail_ja.to_string())
}

/// Issue 18 (usrp-012): under p=none the domain asks for no action, so
/// dmarc.fail must not say the message is quarantined or rejected; it says
/// why the failure still matters (Gmail/Yahoo bulk rules, spam folder).
#[test]
fn dmarc_fail_under_p_none_does_not_threaten_quarantine_or_reject() {
    // Gmail's comment, rspamd's and Microsoft's way of recording it.
    for comment in ["(p=NONE sp=NONE dis=NONE)", "(policy=none)", "action=none"] {
        let (en, ja) = dmarc_fail_texts(&dmarc_failed(comment));
        for text in [&en, &ja] {
            assert!(text.contains("p=none"), "{comment}: {text}");
            assert!(
                !text.contains("quarantine") && !text.contains("reject"),
                "{comment}: {text}"
            );
            assert!(text.contains("Gmail") && text.contains("Yahoo"), "{text}");
        }
        assert!(ja.contains("迷惑メール"), "{ja}");
        assert!(ja.contains("拒否されません"), "{ja}");
    }
}

/// The stricter policies are named as recorded; without a recorded policy
/// the text says it depends on the policy instead of asserting one.
#[test]
fn dmarc_fail_names_the_recorded_policy() {
    let (en, ja) = dmarc_fail_texts(&dmarc_failed("(p=REJECT sp=REJECT dis=REJECT)"));
    assert!(en.contains("p=reject: refused"), "{en}");
    assert!(ja.contains("p=reject なら受信拒否"), "{ja}");
    let (en, ja) = dmarc_fail_texts(&dmarc_failed("(p=QUARANTINE sp=NONE dis=QUARANTINE)"));
    assert!(en.contains("p=quarantine: spam folder"), "{en}");
    assert!(ja.contains("p=quarantine なら迷惑メール扱い"), "{ja}");
    let (en, ja) = dmarc_fail_texts(&dmarc_failed(""));
    for text in [&en, &ja] {
        for p in ["p=none", "p=quarantine", "p=reject"] {
            assert!(text.contains(p), "{text}");
        }
    }
}
