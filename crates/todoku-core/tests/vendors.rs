//! Received formats of providers the external corpora do not cover. Each
//! header is written in the provider's format; the expected values are read
//! off the header text.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test panics

use todoku_core::trace::hops::{Hop, HopKind};

fn hop(value: &str) -> Hop {
    let input = format!("Received: {value}\r\n\r\n");
    todoku_core::analyze(input.as_bytes(), 0).hops.remove(0)
}

struct Want {
    helo: Option<&'static str>,
    ip: Option<&'static str>,
    rdns: Option<&'static str>,
    by: &'static str,
    with: Option<&'static str>,
    tls: Option<&'static str>,
    authenticated: bool,
}

fn check(name: &str, value: &str, want: Want) {
    let h = hop(value);
    assert_eq!(h.helo.as_deref(), want.helo, "{name}: helo");
    assert_eq!(h.from_ip.as_deref(), want.ip, "{name}: ip");
    assert_eq!(h.from_rdns.as_deref(), want.rdns, "{name}: rdns");
    assert_eq!(h.by_host.as_deref(), Some(want.by), "{name}: by");
    assert_eq!(h.protocol.as_deref(), want.with, "{name}: with");
    assert_eq!(
        h.tls
            .as_ref()
            .and_then(|t| t.version.clone().or(t.cipher.clone()))
            .as_deref(),
        want.tls,
        "{name}: tls"
    );
    assert_eq!(h.authenticated, want.authenticated, "{name}: authenticated");
    assert!(h.unix_time.is_some(), "{name}: date");
    assert_eq!(
        h.kind,
        if want.ip.is_some() {
            HopKind::Relay
        } else {
            HopKind::Local
        },
        "{name}: kind"
    );
}

#[test]
fn amazon_ses_outbound() {
    check(
        "SES",
        "from a8-50.smtp-out.amazonses.com (a8-50.smtp-out.amazonses.com. [54.240.8.50]) by mx.google.com with ESMTPS id d2si1234567qkf.12.2026.11.23.01.02.03 for <hanako@gmail.com> (version=TLS1_3 cipher=TLS_AES_128_GCM_SHA256 bits=128/128); Mon, 23 Nov 2026 01:02:03 -0800 (PST)",
        Want {
            helo: Some("a8-50.smtp-out.amazonses.com"),
            ip: Some("54.240.8.50"),
            rdns: Some("a8-50.smtp-out.amazonses.com."),
            by: "mx.google.com",
            with: Some("ESMTPS"),
            tls: Some("TLS1_3"),
            authenticated: false,
        },
    );
}

#[test]
fn proofpoint_internal_filter_step() {
    check(
        "Proofpoint",
        "from pps.filterd (m0087793.ppops.net [127.0.0.1]) by mx0a-00230701.pphosted.com (8.16.0.27/8.16.0.27) with SMTP id 2ANA1pRm028716; Mon, 23 Nov 2026 05:02:03 -0500",
        Want {
            helo: Some("pps.filterd"),
            ip: Some("127.0.0.1"),
            rdns: Some("m0087793.ppops.net"),
            by: "mx0a-00230701.pphosted.com",
            with: Some("SMTP"),
            tls: None,
            authenticated: false,
        },
    );
}

#[test]
fn mimecast_inbound_with_starttls() {
    check(
        "Mimecast",
        "from mail.todoku.test (mail.todoku.test [192.0.2.25]) by relay.mimecast.com with ESMTP with STARTTLS (version=TLSv1.2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id us-mta-12-AbCdEfGhIj; Mon, 23 Nov 2026 05:02:03 -0500",
        Want {
            helo: Some("mail.todoku.test"),
            ip: Some("192.0.2.25"),
            rdns: Some("mail.todoku.test"),
            by: "relay.mimecast.com",
            with: Some("ESMTP"),
            tls: Some("TLSv1.2"),
            authenticated: false,
        },
    );
}

#[test]
fn coremail_and_qq() {
    check(
        "Coremail",
        "from localhost.localdomain (unknown [113.110.1.2]) by smtp12 (Coremail) with SMTP id xxx_AbC-_.123; Mon, 23 Nov 2026 18:02:03 +0800 (CST)",
        Want {
            helo: Some("localhost.localdomain"),
            ip: Some("113.110.1.2"),
            rdns: None,
            by: "smtp12",
            with: Some("SMTP"),
            tls: None,
            authenticated: false,
        },
    );
    check(
        "QQ",
        "from qq.com (unknown [127.0.0.1]) by smtp.qq.com (ESMTP) with SMTP id 0; Mon, 23 Nov 2026 18:02:03 +0800 (CST)",
        Want {
            helo: Some("qq.com"),
            ip: Some("127.0.0.1"),
            rdns: None,
            by: "smtp.qq.com",
            with: Some("SMTP"),
            tls: None,
            authenticated: false,
        },
    );
}

#[test]
fn fastmail_internal() {
    check(
        "Fastmail",
        "from compute1.internal (compute1.nyi.internal [10.202.2.41]) by mailout.nyi.internal (Postfix) with ESMTP id 6F2B35C0066 for <hanako@gmail.com>; Mon, 23 Nov 2026 04:02:03 -0500 (EST)",
        Want {
            helo: Some("compute1.internal"),
            ip: Some("10.202.2.41"),
            rdns: Some("compute1.nyi.internal"),
            by: "mailout.nyi.internal",
            with: Some("ESMTP"),
            tls: None,
            authenticated: false,
        },
    );
}

#[test]
fn yahoo_webmail_submission() {
    check(
        "Yahoo",
        "from sonic.gate.mail.ne1.yahoo.com by sonic303.consmr.mail.bf2.yahoo.com with HTTP; Mon, 23 Nov 2026 09:02:03 +0000",
        Want {
            helo: None,
            ip: None,
            rdns: None,
            by: "sonic303.consmr.mail.bf2.yahoo.com",
            with: Some("HTTP"),
            tls: None,
            authenticated: false,
        },
    );
}

#[test]
fn japanese_hosting_xserver_sakura_coreserver() {
    check(
        "Xserver submission",
        "from DESKTOP-7QK3 (unknown [198.51.100.77]) (Authenticated sender: taro@todoku.test) by sv1234.xserver.jp (Postfix) with ESMTPA id 4Xk2Lm0QzTz9sWq for <hanako@gmail.com>; Mon, 23 Nov 2026 18:02:03 +0900 (JST)",
        Want {
            helo: Some("DESKTOP-7QK3"),
            ip: Some("198.51.100.77"),
            rdns: None,
            by: "sv1234.xserver.jp",
            with: Some("ESMTPA"),
            tls: None,
            authenticated: true,
        },
    );
    check(
        "Sakura (Sendmail)",
        "from [192.168.1.10] (p1234-ipngn100101tokyo.ocn.ne.jp [203.0.113.80]) (authenticated bits=0) by www1234.sakura.ne.jp (8.16.1/8.16.1) with ESMTPSA id 5ANE23AB012345 (version=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384 bits=256 verify=NO) for <hanako@gmail.com>; Mon, 23 Nov 2026 23:02:03 +0900 (JST)",
        Want {
            helo: Some("[192.168.1.10]"),
            ip: Some("203.0.113.80"),
            rdns: Some("p1234-ipngn100101tokyo.ocn.ne.jp"),
            by: "www1234.sakura.ne.jp",
            with: Some("ESMTPSA"),
            tls: Some("TLSv1.3"),
            authenticated: true,
        },
    );
    check(
        "Coreserver relay",
        "from s123.coreserver.jp (s123.coreserver.jp [202.172.28.2]) by mx.google.com with ESMTPS id x5si1.2026.11.23.01.02.06 for <hanako@gmail.com> (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256); Mon, 23 Nov 2026 01:02:06 -0800 (PST)",
        Want {
            helo: Some("s123.coreserver.jp"),
            ip: Some("202.172.28.2"),
            rdns: Some("s123.coreserver.jp"),
            by: "mx.google.com",
            with: Some("ESMTPS"),
            tls: Some("TLS1_3"),
            authenticated: false,
        },
    );
}

#[test]
fn malformed_from_and_message_id() {
    let r = todoku_core::analyze(b"From: undisclosed\r\nMessage-ID: 12345 no-at-sign\r\nDate: Mon, 23 Nov 2026 18:02:01 +0900\r\n\r\n", 0);
    let ids: Vec<_> = r.findings.iter().map(|f| f.id).collect();
    assert!(ids.contains(&"rfc5322.malformed_from"), "{ids:?}");
    assert!(ids.contains(&"rfc5322.malformed_message_id"), "{ids:?}");
    assert_eq!(
        r.input
            .headers
            .iter()
            .map(|h| h.name.as_str())
            .collect::<Vec<_>>(),
        vec!["From", "Message-ID", "Date"]
    );
}
