//! Regression tests for false alarms on the message a bounce returns (the
//! realworld divergences of sisimai-010, -064, -082 and -092), and for the
//! Received readings behind them. Each message is written for the test;
//! every test is named after the bug it guards against.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test panics

use todoku_core::{Report, analyze};

/// 2026-11-30: a week after the messages below were sent.
const NOW: i64 = 1_796_000_000;

fn ids(report: &Report) -> Vec<&'static str> {
    report.findings.iter().map(|f| f.id).collect()
}

fn run(text: &str) -> Report {
    analyze(text.replace('\n', "\r\n").as_bytes(), NOW)
}

/// A DSN from `reporter` refusing kijitora@example.net with `status`,
/// returning `original` (a header block and a body) as message/rfc822.
fn bounce(reporter: &str, status: &str, original: &str) -> String {
    format!(
        "Received: from {reporter} ({reporter} [203.0.113.9])
\tby mx.shop.example (Postfix) with ESMTPS id 9Z; Mon, 23 Nov 2026 10:01:00 +0000
From: Mail Delivery System <MAILER-DAEMON@{reporter}>
To: taro@shop.example
Subject: Undelivered Mail Returned to Sender
Date: Mon, 23 Nov 2026 10:00:59 +0000
Message-ID: <bounce-1@{reporter}>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"

--b1
Content-Type: text/plain

Your message could not be delivered to kijitora@example.net.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; {reporter}

Final-Recipient: rfc822; kijitora@example.net
Action: failed
Status: {status}
Diagnostic-Code: smtp; 550 {status} mailbox unavailable

--b1
Content-Type: message/rfc822

{original}
--b1--
"
    )
}

/// The receiver of a returned original does not exist: the copy stopped on
/// the sender's side, and results in it were written there. Microsoft 365
/// stamps an `Authentication-Results` inside the sending tenant (no
/// authserv-id, `sender IP is ` empty: the message came from a mailbox, not
/// over SMTP); a sender's own outbound filter writes one with its name.
#[test]
fn results_the_senders_own_systems_recorded_in_a_returned_original_taken_as_a_receivers_verdict() {
    let tenant = "Received: from TY2PR01MB1234.jpnprd01.prod.outlook.com (10.152.250.56) by
\tTY1APC01FT009.mail.protection.outlook.com (10.152.250.158) with Microsoft
\tSMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256_P256)
\tid 15.20.1038.3 via Frontend Transport; Mon, 23 Nov 2026 10:00:50 +0000
Received: from TY2PR01MB1234.jpnprd01.prod.outlook.com
\t([fe80::cc9f:1992:a33d:f2cf]) by TY2PR01MB1234.jpnprd01.prod.outlook.com
\t([fe80::cc9f:1992:a33d:f2cf%5]) with mapi id 15.20.1017.018; Mon, 23 Nov 2026
\t10:00:50 +0000
From: Taro <taro@shop.example>
To: kijitora@example.net
Subject: Hello
Date: Mon, 23 Nov 2026 10:00:49 +0000
Message-ID: <1@shop.example>
received-spf: None (protection.outlook.com: shop.example does not designate
\tpermitted sender hosts)
authentication-results: spf=none (sender IP is )
\tsmtp.mailfrom=taro@shop.example;
MIME-Version: 1.0
Content-Type: text/plain

hello
";
    let own_filter = "Received: from pc.shop.example (pc.shop.example [192.0.2.10])
\tby out.shop.example (Postfix) with ESMTPSA id 1A; Mon, 23 Nov 2026 10:00:50 +0000
Authentication-Results: out.shop.example; spf=softfail smtp.mailfrom=shop.example;
\tdmarc=fail header.from=shop.example
From: Taro <taro@shop.example>
To: kijitora@example.net
Subject: Hello
Date: Mon, 23 Nov 2026 10:00:49 +0000
Message-ID: <2@shop.example>

hello
";
    for original in [tenant, own_filter] {
        let report = run(&bounce("mx.example.net", "5.1.1", original));
        assert!(report.whole.is_bounce() && report.whole.analysed.is_some());
        let recorded = &report.auth.recorded;
        assert_eq!(recorded.spf, None, "{original}");
        assert_eq!(recorded.dmarc, None, "{original}");
        assert_eq!(recorded.authserv_id, None, "{original}");
        // The headers stay listed, as written.
        assert_eq!(recorded.headers.len(), 1, "{original}");
        let alarms: Vec<&str> = ids(&report)
            .into_iter()
            .filter(|id| id.starts_with("spf.") || id.starts_with("dmarc."))
            .collect();
        assert!(alarms.is_empty(), "{alarms:?}\n{original}");
        // What the bounce says is still the verdict.
        assert_eq!(report.verdict.outlook.as_str(), "filtered");
    }
}

/// A message whose only hop, the one into the receiver, is `received`.
fn delivered(received: &str) -> String {
    format!(
        "Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=shop.example
Received: {received}
From: info@shop.example
To: kijitora@example.net
Subject: Hello
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <3@shop.example>
"
    )
}

/// `from` as Postfix's hop into mx.example.net.
fn postfix(from: &str) -> String {
    format!(
        "{from}\n\tby mx.example.net (Postfix) with ESMTPS id 1A; Mon, 23 Nov 2026 10:00:05 +0000"
    )
}

/// `unknown` where the HELO goes is an MTA that had no name for the client
/// (SurfControl's `from Unknown [ip]`, Postfix's `from unknown (unknown
/// [ip])`); qmail and Postfix write a HELO given after `unknown` in the
/// comment, which is still judged.
#[test]
fn unknown_as_the_from_name_judged_as_a_helo() {
    for from in [
        "from Unknown [192.0.2.54]",
        "from unknown (unknown [192.0.2.54])",
        "from unknown ([192.0.2.54])",
    ] {
        let report = run(&delivered(&postfix(from)));
        let hop = report.hops.last().unwrap();
        assert_eq!(hop.from_ip.as_deref(), Some("192.0.2.54"), "{from}");
        assert_eq!(hop.helo, None, "{from}");
        assert!(
            !ids(&report).contains(&"helo.not_fqdn"),
            "{from}: {:?}",
            ids(&report)
        );
    }
    for from in [
        "from unknown (HELO DESKTOP-7QK3) (192.0.2.54)",
        "from unknown (HELO DESKTOP-7QK3) ([192.0.2.54])",
    ] {
        let report = run(&delivered(&postfix(from)));
        assert_eq!(
            report.hops.last().unwrap().helo.as_deref(),
            Some("DESKTOP-7QK3"),
            "{from}"
        );
        assert!(
            ids(&report).contains(&"helo.not_fqdn"),
            "{from}: {:?}",
            ids(&report)
        );
    }
    // The same in the hop into the receiver that returned the message.
    let original =
        "Received: from Unknown [192.0.2.54] by mx.example.net - SurfControl E-mail Filter (6.0.1);
\tMon, 23 Nov 2026 10:00:05 +0000
Received: by out.shop.example (Postfix, from userid 525) id 1A; Mon, 23 Nov 2026 10:00:04 +0000
From: Taro <taro@shop.example>
To: kijitora@example.net
Subject: Hello
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <4@shop.example>

hello
";
    let report = run(&bounce("mx.example.net", "5.1.1", original));
    assert!(report.whole.is_bounce() && report.whole.analysed.is_some());
    assert!(
        !ids(&report).contains(&"helo.not_fqdn"),
        "{:?}",
        ids(&report)
    );
}

/// Exchange's SMTPSVC (old Hotmail, Exchange 2003-2010) writes TLS in words:
/// `over TLS secured channel with Microsoft SMTPSVC(…)`.
#[test]
fn tls_in_words_over_tls_secured_channel_read_as_no_tls() {
    let report = run(&delivered(
        "from mail.shop.example ([192.0.2.25]) by mx.example.net over TLS secured channel with Microsoft SMTPSVC(7.5.7601.22751);\n\t Mon, 23 Nov 2026 10:00:05 +0000",
    ));
    let hop = report.hops.last().unwrap();
    assert_eq!(hop.encrypted(), Some(true), "{hop:?}");
    assert!(
        !ids(&report).contains(&"tls.not_used"),
        "{:?}",
        ids(&report)
    );
}

/// A returned original's hops written by the sender's own servers (here
/// Hotmail's submission host handing the message to Hotmail's outbound,
/// which then wrote the bounce) are transfers inside one organisation: no
/// receiver judged their HELO or their TLS. A hop into another
/// organisation's server is still judged: its HELO is the sender's.
#[test]
fn hops_inside_the_senders_own_organisation_judged_in_a_returned_original() {
    let original = "Received: from BLU436-SMTP66 ([65.55.116.73]) by BLU004-OMC3S13.hotmail.example with Microsoft SMTPSVC(7.5.7601.22751);
\t Mon, 23 Nov 2026 10:00:05 +0000
Message-ID: <BLU436-SMTP66@phx.gbl>
From: Shironeko <shironeko@hotmail.example>
Subject: Hello
Date: Mon, 23 Nov 2026 10:00:00 +0000
To: kijitora@example.net

hello
";
    let report = run(&bounce("BLU004-OMC3S13.hotmail.example", "5.2.2", original));
    assert!(report.whole.is_bounce() && report.whole.analysed.is_some());
    let alarms: Vec<&str> = ids(&report)
        .into_iter()
        .filter(|id| id.starts_with("helo.") || id.starts_with("tls."))
        .collect();
    assert!(alarms.is_empty(), "{alarms:?}");
    assert!(report.hops.iter().all(|h| h.internal), "{:?}", report.hops);

    // The receiver's own hop, returned by it: the sender's HELO there is
    // the sender's to fix.
    let original = "Received: from DESKTOP-7QK3 ([192.0.2.54]) by mx.example.net with ESMTP id 5E;
\tMon, 23 Nov 2026 10:00:05 +0000
From: Taro <taro@shop.example>
To: kijitora@example.net
Subject: Hello
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <5@shop.example>

hello
";
    let report = run(&bounce("mx.example.net", "5.1.1", original));
    assert!(report.whole.is_bounce() && report.whole.analysed.is_some());
    assert!(
        ids(&report).contains(&"helo.not_fqdn"),
        "{:?}",
        ids(&report)
    );
    assert!(ids(&report).contains(&"tls.not_used"), "{:?}", ids(&report));
}

/// Sendmail's `(authenticated bits=N)` (N the SASL security layer's
/// strength), `Authenticated sender` and ESMTPA mark a mail client logging
/// in to its provider: a submission, not one organisation's server handing
/// mail to another's, so not the "crossed the internet unencrypted" alarm.
#[test]
fn authenticated_submission_judged_for_tls_as_a_server_to_server_hop() {
    for (extra, with) in [
        ("\n\t(authenticated bits=128)", "ESMTP"),
        ("\n\t(authenticated bits=0)", "ESMTP"),
        ("\n\t(Authenticated sender: taro@shop.example)", "ESMTP"),
    ] {
        let hop = format!(
            "from [198.51.100.22] (c0022.example.ne.jp [203.0.113.22]){extra}\n\tby smtp.hosting.example (8.15.2/8.15.2) with {with} id v9V7kDs0012688"
        );
        // As the only hop into the receiver (a message to a mailbox at the
        // same provider) …
        let report = run(&delivered(&format!(
            "{hop};\n\tMon, 23 Nov 2026 10:00:05 +0000"
        )));
        assert!(
            !ids(&report).contains(&"tls.not_used"),
            "{hop}: {:?}",
            ids(&report)
        );
        // … and as the only hop of a returned original (the sender's
        // hosting provider is not its From domain).
        let original = format!(
            "Received: {hop};\n\tMon, 23 Nov 2026 10:00:05 +0000
From: Taro <taro@shop.example>
To: kijitora@example.net
Subject: Hello
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <6@shop.example>

hello
"
        );
        let report = run(&bounce("smtp.hosting.example", "5.1.1", &original));
        assert!(report.whole.is_bounce() && report.whole.analysed.is_some());
        assert!(
            !ids(&report).contains(&"tls.not_used"),
            "{hop}: {:?}",
            ids(&report)
        );
    }
}

/// A free-mail user's message as the provider's own outbound returns it
/// (Hotmail's BLU hosts, the copy never handed to another organisation):
/// the provider signs as mail leaves it, so a copy stopped inside it
/// carrying no signature proves nothing about who sent it. Once the copy
/// reached another organisation's server without the provider's signature,
/// it was not sent through the provider.
#[test]
fn freemail_copy_returned_from_inside_the_provider_called_a_spoof() {
    let inside = "Received: from BLU436-SMTP66 ([65.55.116.73]) by BLU004-OMC3S13.hotmail.com with Microsoft SMTPSVC(7.5.7601.22751);
\t Mon, 23 Nov 2026 10:00:05 +0000
Message-ID: <BLU436-SMTP66@phx.gbl>
From: Shironeko <shironeko@hotmail.com>
Subject: Hello
Date: Mon, 23 Nov 2026 10:00:00 +0000
To: kijitora@example.net

hello
";
    let report = run(&bounce("BLU004-OMC3S13.hotmail.com", "5.2.2", inside));
    assert!(report.whole.is_bounce() && report.whole.analysed.is_some());
    assert!(
        !ids(&report).contains(&"from.freemail_spoof"),
        "{:?}",
        ids(&report)
    );

    let crossed = "Received: from mail.spammer.example (mail.spammer.example [192.0.2.66])
\tby mx.example.net (Postfix) with ESMTPS id 7G; Mon, 23 Nov 2026 10:00:05 +0000
From: Shironeko <shironeko@hotmail.com>
To: kijitora@example.net
Subject: Hello
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <7@spammer.example>

hello
";
    let report = run(&bounce("mx.example.net", "5.1.1", crossed));
    assert!(report.whole.is_bounce() && report.whole.analysed.is_some());
    assert!(
        ids(&report).contains(&"from.freemail_spoof"),
        "{:?}",
        ids(&report)
    );
}
