//! Regression tests for the false alarms and misses found on real mail
//! (issue 16's defect classes), each from a small message written for it.
//! Every test is named after the bug it guards against.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test panics

mod common;

use todoku_core::{Report, analyze};

/// 2026-11-30: a week after the messages below were delivered.
const NOW: i64 = 1_796_000_000;

fn ids(report: &Report) -> Vec<&'static str> {
    report.findings.iter().map(|f| f.id).collect()
}

fn severity_of(report: &Report, id: &str) -> Vec<&'static str> {
    report
        .findings
        .iter()
        .filter(|f| f.id == id)
        .map(|f| f.severity.as_str())
        .collect()
}

fn run(text: &str) -> Report {
    analyze(text.replace('\n', "\r\n").as_bytes(), NOW)
}

/// A list post as archived: the list's MX wrote one Authentication-Results
/// per method (lists.ozlabs.org does), the topmost only `arc=none`.
const ONE_HEADER_PER_METHOD: &str = "Received: from lists.example.org (lists.example.org [198.51.100.10])
\tby mx.archive.example (Postfix) with ESMTPS id 1A;
\tMon, 23 Nov 2026 10:00:05 +0000
Authentication-Results: lists.example.org; arc=none smtp.remote-ip=192.0.2.25
Authentication-Results: lists.example.org; dmarc=fail (p=reject dis=none) header.from=shop.example
Authentication-Results: lists.example.org;
\tdkim=pass header.d=esp.example header.s=s1
Authentication-Results: lists.example.org; spf=pass (sender SPF authorized) smtp.mailfrom=esp.example (client-ip=192.0.2.25; helo=out.esp.example)
Received: from out.esp.example (out.esp.example [192.0.2.25])
\tby lists.example.org (Postfix) with ESMTPS id 2B;
\tMon, 23 Nov 2026 10:00:03 +0000
From: Shop <info@shop.example>
To: club@lists.example.org
Subject: Sale
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <1@shop.example>
List-Id: <club.lists.example.org>
List-Post: <mailto:club@lists.example.org>
";

#[test]
fn receiver_writing_one_header_per_method_loses_every_result_but_the_first() {
    let report = run(ONE_HEADER_PER_METHOD);
    let rec = &report.auth.recorded;
    assert_eq!(rec.authserv_id.as_deref(), Some("lists.example.org"));
    assert_eq!(rec.spf.as_ref().map(|r| &*r.result), Some("pass"));
    assert_eq!(
        rec.dkim.iter().map(|r| &*r.result).collect::<Vec<_>>(),
        ["pass"]
    );
    assert_eq!(rec.dmarc.as_ref().map(|r| &*r.result), Some("fail"));
    assert_eq!(rec.arc.as_ref().map(|r| &*r.result), Some("none"));
    // The real DMARC fail under p=reject is not missed.
    assert_eq!(severity_of(&report, "dmarc.fail"), ["error"]);
    assert_eq!(report.verdict.outlook.as_str(), "filtered");
}

#[test]
fn dmarc_fail_with_passes_for_other_domains_is_explained_offline() {
    let report = run(ONE_HEADER_PER_METHOD);
    let f = report
        .findings
        .iter()
        .find(|f| f.id == "dmarc.not_aligned")
        .unwrap_or_else(|| panic!("{:?}", ids(&report)));
    assert_eq!(f.severity.as_str(), "error");
    for name in [
        "SPF passed for esp.example",
        "DKIM passed for esp.example",
        "From is shop.example",
    ] {
        assert!(f.message.contains(name), "{}", f.message);
    }
    assert!(f.detail.contains("Return-Path"), "{}", f.detail);
}

#[test]
fn dmarc_not_aligned_says_when_only_dns_can_tell() {
    let text = ONE_HEADER_PER_METHOD
        .replace("esp.example", "mail.shop.co.jp")
        .replace("shop.example", "news.co.jp");
    let report = run(&text);
    let f = report
        .findings
        .iter()
        .find(|f| f.id == "dmarc.not_aligned")
        .unwrap_or_else(|| panic!("{:?}", ids(&report)));
    assert!(f.message.contains("depends on the DNS"), "{}", f.message);
}

#[test]
fn list_recheck_after_adding_a_footer_overrode_the_result_at_arrival() {
    // The list's MX recorded DKIM pass at arrival; after the list added its
    // footer, the same organisation re-checked above its internal hop and
    // recorded fail. The arrival result is the verdict.
    let text = "Received: from lists.example.org (lists.example.org [198.51.100.10])
\tby mx.archive.example (Postfix) with ESMTPS id 1A; Mon, 23 Nov 2026 10:00:09 +0000
Authentication-Results: lists.example.org; dkim=fail (body hash did not verify) header.d=shop.example
Received: from list-internal (localhost [127.0.0.1])
\tby lists.example.org (Postfix) with ESMTP id 3C; Mon, 23 Nov 2026 10:00:07 +0000
Authentication-Results: lists.example.org; dkim=pass header.d=shop.example header.s=s1
Authentication-Results: lists.example.org; dmarc=pass header.from=shop.example
Received: from out.shop.example (out.shop.example [192.0.2.25])
\tby lists.example.org (Postfix) with ESMTPS id 2B; Mon, 23 Nov 2026 10:00:03 +0000
DKIM-Signature: v=1; a=rsa-sha256; d=shop.example; s=s1; h=from:from:subject:date; bh=x; b=y
From: info@shop.example
Subject: Hello
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <2@shop.example>
List-Post: <mailto:club@lists.example.org>
";
    let report = run(text);
    let dkim: Vec<_> = report
        .auth
        .recorded
        .dkim
        .iter()
        .map(|r| &*r.result)
        .collect();
    assert_eq!(dkim, ["pass"]);
    assert!(!ids(&report).contains(&"dkim.fail"), "{:?}", ids(&report));
    assert_eq!(
        report.verdict.outlook.as_str(),
        "clean",
        "{:?}",
        ids(&report)
    );
}

#[test]
fn microsoft_365_sender_tenant_results_without_authserv_id_taken_as_the_receivers() {
    // Only the sending tenant's internal header, below its outbound hop.
    let text = "Received: from mail-tyz.outbound.protection.outlook.com (mail-tyz.outbound.protection.outlook.com [52.101.0.1])
\tby mx.example.net (Postfix) with ESMTPS id 1A; Mon, 23 Nov 2026 10:00:05 +0000
Received: from TY0PR01MB0001.jpnprd01.prod.outlook.com (2603:1096:400::1) by
 TY0PR01MB0002.jpnprd01.prod.outlook.com (2603:1096:400::2) with Microsoft SMTP
 Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id
 15.20.1; Mon, 23 Nov 2026 10:00:04 +0000
authentication-results: dkim=none (message not signed)
 header.d=none;dmarc=none action=none header.from=shop.example;
From: info@shop.example
Subject: Hello
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <3@shop.example>
";
    let report = run(text);
    let rec = &report.auth.recorded;
    assert_eq!(rec.chosen, None, "{rec:?}");
    assert!(rec.dmarc.is_none() && rec.dkim.is_empty());
    assert!(
        !ids(&report).contains(&"dmarc.missing"),
        "{:?}",
        ids(&report)
    );
    // Microsoft 365 as the receiver writes no authserv-id either, but it
    // judges SPF: that one is a verdict.
    let inbound = "Authentication-Results: spf=pass (sender IP is 192.0.2.25)
 smtp.mailfrom=shop.example; dkim=none (message not signed)
 header.d=none;dmarc=bestguesspass action=none header.from=shop.example;compauth=pass reason=109
Received: from out.shop.example (192.0.2.25) by
 TYAPR01MB0003.mail.protection.outlook.com (10.0.0.1) with Microsoft SMTP Server
 (version=TLS1_3, cipher=TLS_AES_256_GCM_SHA384) id 15.20.1 via Frontend
 Transport; Mon, 23 Nov 2026 10:00:04 +0000
From: info@shop.example
Subject: Hello
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <3@shop.example>
";
    let report = run(inbound);
    assert_eq!(report.auth.recorded.chosen, Some(0));
    assert_eq!(
        report.auth.recorded.spf.as_ref().map(|r| &*r.result),
        Some("pass")
    );
}

#[test]
fn received_spf_ignored_when_no_authentication_results_gives_spf() {
    let text = "Received-SPF: softfail (mx.example.net: domain of transitioning info@shop.example does not designate 203.0.113.9 as permitted sender) client-ip=203.0.113.9; envelope-from=info@shop.example; helo=smtp.hosting.example;
Authentication-Results: mx.example.net; dkim=pass header.d=shop.example
Received: from smtp.hosting.example (smtp.hosting.example [203.0.113.9])
\tby mx.example.net (Postfix) with ESMTPS id 1A; Mon, 23 Nov 2026 10:00:05 +0000
From: info@shop.example
Subject: Hello
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <4@shop.example>
";
    let report = run(text);
    let spf = report
        .auth
        .recorded
        .spf
        .as_ref()
        .expect("spf from Received-SPF");
    assert_eq!(&*spf.result, "softfail");
    assert_eq!(spf.property("smtp", "mailfrom"), Some("info@shop.example"));
    assert!(ids(&report).contains(&"spf.softfail"), "{:?}", ids(&report));
}

/// A Gmail-style signature that expires a week after signing.
fn expiring_signature(x: i64) -> String {
    format!(
        "Authentication-Results: mx.example.net; dkim=pass header.d=shop.example; spf=pass smtp.mailfrom=shop.example; dmarc=pass header.from=shop.example
Received: from out.shop.example (out.shop.example [192.0.2.25])
\tby mx.example.net (Postfix) with ESMTPS id 1A; Mon, 23 Nov 2026 10:00:05 +0000
DKIM-Signature: v=1; a=rsa-sha256; d=shop.example; s=s1; t=1795420000; x={x}; h=from:from:subject:date; bh=x; b=y
From: info@shop.example
Subject: Hello
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <5@shop.example>
"
    )
}

#[test]
fn dkim_expiry_judged_at_analysis_time_instead_of_delivery() {
    // Delivered 2026-11-23 10:00:05 UTC = 1795428005; x= days later, but
    // before NOW: valid when it mattered, so at most information.
    let report = run(&expiring_signature(1_795_900_000));
    assert_eq!(severity_of(&report, "dkim.expired"), ["info"]);
    assert_eq!(
        report.verdict.outlook.as_str(),
        "clean",
        "{:?}",
        ids(&report)
    );
    // Expired before the receiver's stamp: a real problem.
    let report = run(&expiring_signature(1_795_427_000));
    assert_eq!(severity_of(&report, "dkim.expired"), ["warning"]);
}

fn helo_hop(helo: &str, with: &str, extra: &str) -> String {
    format!(
        "Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=shop.example; dkim=pass header.d=shop.example; dmarc=pass header.from=shop.example
Received: from relay.shop.example (relay.shop.example [192.0.2.25])
\tby mx.example.net (Postfix) with ESMTPS id 1A; Mon, 23 Nov 2026 10:00:05 +0000
Received: from {helo} (p1.example.ne.jp [198.51.100.77]){extra}
\tby relay.shop.example (Postfix) with {with} id 2B; Mon, 23 Nov 2026 10:00:03 +0000
From: info@shop.example
Subject: Hello
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <6@shop.example>
"
    )
}

#[test]
fn helo_judged_on_hops_the_receiver_never_saw() {
    // The PC name is on the hop into the sender's own relay, not into the
    // receiver: the receiver judged relay.shop.example.
    for (with, extra) in [
        ("ESMTPSA", ""),
        ("ESMTP", "\n\t(Authenticated sender: info@shop.example)"),
        ("ESMTP", ""),
    ] {
        let report = run(&helo_hop("DESKTOP-7QK3", with, extra));
        assert!(
            !ids(&report).contains(&"helo.not_fqdn"),
            "{with}: {:?}",
            ids(&report)
        );
        assert_eq!(report.verdict.outlook.as_str(), "clean");
    }
}

#[test]
fn address_literal_helo_called_a_computer_name() {
    let direct = |helo: &str| {
        format!(
            "Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=shop.example; dkim=pass header.d=shop.example; dmarc=pass header.from=shop.example
Received: from {helo} (p1.example.ne.jp [198.51.100.77])
\tby mx.example.net (Postfix) with ESMTPS id 1A; Mon, 23 Nov 2026 10:00:05 +0000
From: info@shop.example
Subject: Hello
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <7@shop.example>
"
        )
    };
    for literal in ["[198.51.100.77]", "[10.0.0.5]", "[IPv6:2001:db8::1]"] {
        let report = run(&direct(literal));
        assert!(
            !ids(&report).contains(&"helo.not_fqdn"),
            "{literal}: {:?}",
            ids(&report)
        );
    }
    // The hop into the receiver with a PC name is still found.
    let report = run(&direct("DESKTOP-7QK3"));
    assert_eq!(severity_of(&report, "helo.not_fqdn"), ["warning"]);
}

#[test]
fn failing_second_signature_next_to_an_aligned_pass_called_an_error() {
    // A receiver that cannot verify Ed25519 records permerror for that
    // signature while the RSA one, aligned with From, passed.
    let text = "Authentication-Results: mx.example.net;
 dkim=pass header.d=shop.example header.a=rsa-sha256;
 dkim=permerror (unsupported algorithm) header.d=shop.example header.a=ed25519-sha256;
 dkim=fail (body hash did not verify) header.d=esp.example;
 spf=pass smtp.mailfrom=shop.example; dmarc=pass header.from=shop.example
Received: from out.shop.example (out.shop.example [192.0.2.25])
\tby mx.example.net (Postfix) with ESMTPS id 1A; Mon, 23 Nov 2026 10:00:05 +0000
From: info@shop.example
Subject: Hello
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <8@shop.example>
";
    let report = run(text);
    assert_eq!(severity_of(&report, "dkim.permerror"), ["info"]);
    assert_eq!(severity_of(&report, "dkim.fail"), ["info"]);
    assert_eq!(
        report.verdict.outlook.as_str(),
        "clean",
        "{:?}",
        ids(&report)
    );
}

#[test]
fn freemail_spoof_despite_the_receivers_dmarc_pass_for_the_provider() {
    let text = "Authentication-Results: mx.example.net; dmarc=pass header.from=gmail.com; spf=pass smtp.mailfrom=gmail.com
Received: from mail-pl1-f170.google.com (mail-pl1-f170.google.com [209.85.214.170])
\tby mx.example.net (Postfix) with ESMTPS id 1A; Mon, 23 Nov 2026 10:00:05 +0000
From: taro@gmail.com
Subject: Hello
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <9@mail.gmail.com>
";
    let report = run(text);
    assert!(
        !ids(&report).contains(&"from.freemail_spoof"),
        "{:?}",
        ids(&report)
    );
    // Sent from elsewhere with nothing of Google's: a spoof, offline too.
    let spoof = text.replace("dmarc=pass", "dmarc=fail").replace(
        "spf=pass smtp.mailfrom=gmail.com",
        "spf=pass smtp.mailfrom=shop.example",
    );
    let report = run(&spoof);
    assert_eq!(severity_of(&report, "from.freemail_spoof"), ["error"]);
}

fn list_message(extra: &str) -> String {
    format!(
        "Authentication-Results: lists.example.org; spf=pass smtp.mailfrom=shop.example; dkim=pass header.d=shop.example; dmarc=pass header.from=shop.example
Received: from out.shop.example (out.shop.example [192.0.2.25])
\tby lists.example.org (Postfix) with ESMTPS id 1A; Mon, 23 Nov 2026 10:00:05 +0000
From: info@shop.example
Subject: [club] Hello
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <10@shop.example>
List-Id: <club.lists.example.org>
List-Unsubscribe: <mailto:club-leave@lists.example.org>
Precedence: list
{extra}"
    )
}

#[test]
fn one_click_unsubscribe_demanded_of_a_discussion_list_post() {
    for extra in [
        "List-Post: <mailto:club@lists.example.org>\n",
        "X-Mailman-Version: 2.1.39\n",
        "X-Google-Group-Id: 123456789\n",
        "X-Groupsio-URL: https://groups.io/g/club\n",
    ] {
        let report = run(&list_message(extra));
        assert!(
            !ids(&report).contains(&"unsubscribe.one_click_missing"),
            "{extra}: {:?}",
            ids(&report)
        );
    }
    // An announcement list (List-Post: NO) sending marketing is bulk.
    let report = run(&list_message("List-Post: NO\n"));
    assert_eq!(
        severity_of(&report, "unsubscribe.one_click_missing"),
        ["warning"]
    );
}

#[test]
fn verdict_sentence_has_a_capitalised_message_in_the_middle() {
    let report = run(&expiring_signature(1_795_427_000));
    assert!(
        report
            .verdict
            .sentence
            .ends_with("because the DKIM signature had expired."),
        "{}",
        report.verdict.sentence
    );
    assert!(!report.verdict.sentence.contains("because The"));
    assert!(
        report.verdict.sentence_ja.contains("（理由："),
        "{}",
        report.verdict.sentence_ja
    );
}

#[test]
fn dmarc_fail_under_p_none_with_an_unaligned_pass_called_likely_rejected() {
    // A list post whose author's domain publishes p=none: the receiver
    // reports the failure and delivers.
    let text = ONE_HEADER_PER_METHOD.replace("(p=reject dis=none)", "(p=none dis=none)");
    let report = run(&text);
    assert_eq!(severity_of(&report, "dmarc.fail"), ["warning"]);
    assert_eq!(report.verdict.outlook.as_str(), "at_risk");
}

#[test]
fn dkim_key_rotated_after_delivery_called_missing() {
    // The receiver verified the signature at delivery; the selector's key
    // has been removed since. Today's NXDOMAIN is rotation, not a fault.
    let text = "Authentication-Results: mx.example.net; dkim=pass header.d=shop.example header.s=old2025; spf=pass smtp.mailfrom=shop.example; dmarc=pass header.from=shop.example
Received: from out.shop.example (out.shop.example [192.0.2.25])
\tby mx.example.net (Postfix) with ESMTPS id 1A; Mon, 23 Nov 2026 10:00:05 +0000
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=shop.example; s=old2025; h=from:from:subject:date; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=Zm9vYmFy
From: info@shop.example
Subject: Hello
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <11@shop.example>
"
    .replace('\n', "\r\n");
    let resolver = todoku_core::auth::dns::FixtureResolver::new()
        .txt("shop.example", "v=spf1 ip4:192.0.2.25 -all")
        .txt("_dmarc.shop.example", "v=DMARC1; p=reject");
    let report = pollster::block_on(todoku_core::analyze_live(text.as_bytes(), NOW, &resolver));
    assert_eq!(
        severity_of(&report, "dkim.key_missing"),
        ["info"],
        "{:?}",
        ids(&report)
    );
    // (This fixture's DNS has no PTR for the sender: iprev has its say.)
    assert!(
        !report
            .verdict
            .because
            .iter()
            .any(|id| id.starts_with("dkim.")),
        "{:?}",
        report.verdict
    );
    // Not verified at delivery and missing today: a real fault.
    let unverified = text.replace("dkim=pass header.d=shop.example header.s=old2025; ", "");
    let report = pollster::block_on(todoku_core::analyze_live(
        unverified.as_bytes(),
        NOW,
        &resolver,
    ));
    assert_eq!(
        severity_of(&report, "dkim.key_missing"),
        ["error"],
        "{:?}",
        ids(&report)
    );
}

#[test]
fn forged_results_with_the_receivers_name_below_its_entry_hop_merged_as_its_verdict() {
    // The sender wrote "mx.example.net; dmarc=pass" into the message before
    // sending: it sits below the hop the message entered by, so it was in
    // the message on arrival, not written by the receiver.
    let text = "Authentication-Results: mx.example.net; spf=softfail smtp.mailfrom=bank.example
Received: from mail.attacker.example (mail.attacker.example [203.0.113.66])
\tby mx.example.net (Postfix) with ESMTPS id 1A; Mon, 23 Nov 2026 10:00:05 +0000
Authentication-Results: mx.example.net; dkim=pass header.d=bank.example; dmarc=pass header.from=bank.example
From: security@bank.example
Subject: Verify your account
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <12@attacker.example>
";
    let report = run(text);
    let rec = &report.auth.recorded;
    assert_eq!(rec.spf.as_ref().map(|r| &*r.result), Some("softfail"));
    assert!(rec.dmarc.is_none(), "{:?}", rec.dmarc);
    assert!(rec.dkim.is_empty(), "{:?}", rec.dkim);
    assert!(!ids(&report).contains(&"dmarc.pass"), "{:?}", ids(&report));
}

/// A list post as the list's MX recorded it (openbmc-029's shape): the
/// author's Microsoft 365 set i=1, the list's own i=2 sealed `cv=fail` after
/// its validation failed, and the list's MX recording `arc=fail` next to
/// its own SPF, DKIM and DMARC results (`results` replaces them).
fn arc_failed_list_post(results: &str, seals: &str) -> String {
    format!(
        "Received: from lists.example.org (lists.example.org [192.0.2.7])
\tby mx.archive.example (Postfix) with ESMTPS id 1A; Mon, 23 Nov 2026 10:00:09 +0000
Authentication-Results: lists.example.org; arc=fail smtp.remote-ip=192.0.2.25
{seals}{results}Received: from out.shop.example (out.shop.example [192.0.2.25])
\tby lists.example.org (Postfix) with ESMTPS id 2B; Mon, 23 Nov 2026 10:00:05 +0000
From: Taro <taro@shop.example>
To: dev@lists.example.org
Subject: Hello
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <5@shop.example>
"
    )
}

const SEALED_FAIL_BY_THE_LIST: &str = "ARC-Seal: i=2; a=rsa-sha256; d=lists.example.org; s=arc; t=1; cv=fail; b=x
ARC-Message-Signature: i=2; a=rsa-sha256; d=lists.example.org; s=arc; c=relaxed/relaxed; h=from:to:subject; bh=x; b=y
ARC-Authentication-Results: i=2; lists.example.org; arc=fail; dmarc=pass header.from=shop.example
ARC-Seal: i=1; a=rsa-sha256; d=shop.example; s=arc; cv=none; b=z
ARC-Message-Signature: i=1; a=rsa-sha256; d=shop.example; s=arc; c=relaxed/relaxed; h=from:to:subject; bh=x; b=y
ARC-Authentication-Results: i=1; mx.shop.example; spf=pass smtp.mailfrom=shop.example
";

const PASSED_AT_THE_LIST: &str = "Authentication-Results: lists.example.org; dmarc=pass (p=reject dis=none) header.from=shop.example
Authentication-Results: lists.example.org; dkim=pass header.d=shop.example header.s=s1
Authentication-Results: lists.example.org; spf=pass smtp.mailfrom=shop.example
";

#[test]
fn arc_fail_and_a_cv_fail_seal_put_a_dmarc_pass_at_risk() {
    let report = run(&arc_failed_list_post(
        PASSED_AT_THE_LIST,
        SEALED_FAIL_BY_THE_LIST,
    ));
    assert_eq!(
        report.auth.recorded.dmarc.as_ref().map(|r| &*r.result),
        Some("pass")
    );
    // The newest seal says cv=fail, as RFC 8617 5.1 asks of a sealer whose
    // validation failed: the chain failed, it is not malformed.
    assert!(
        report.auth.recorded.arc_problems.is_empty(),
        "{:?}",
        report.auth.recorded.arc_problems
    );
    assert!(
        !ids(&report).contains(&"arc.structure"),
        "{:?}",
        ids(&report)
    );
    // ARC only matters when DMARC fails after forwarding: DMARC passed.
    assert_eq!(severity_of(&report, "arc.fail"), ["info"]);
    assert_eq!(
        report.verdict.outlook.as_str(),
        "clean",
        "{:?}",
        report.verdict
    );
    // Only an aligned pass carries the message without ARC: DMARC not
    // recorded, SPF and DKIM passed for the list's own domain only.
    let unaligned =
        "Authentication-Results: lists.example.org; dkim=pass header.d=relay.example header.s=s1
Authentication-Results: lists.example.org; spf=pass smtp.mailfrom=relay.example
";
    let report = run(&arc_failed_list_post(unaligned, SEALED_FAIL_BY_THE_LIST));
    assert_eq!(severity_of(&report, "arc.fail"), ["warning"]);
    // An aligned DKIM pass alone carries it.
    let dkim_only =
        "Authentication-Results: lists.example.org; dkim=pass header.d=shop.example header.s=s1
Authentication-Results: lists.example.org; spf=softfail smtp.mailfrom=shop.example
";
    let report = run(&arc_failed_list_post(dkim_only, SEALED_FAIL_BY_THE_LIST));
    assert_eq!(severity_of(&report, "arc.fail"), ["info"]);
}

#[test]
fn really_broken_arc_chains_still_reported_as_malformed() {
    // A set continues a chain already sealed cv=fail (RFC 8617 5.2 step
    // 3.3), and a set without its ARC-Seal: malformed, with or without
    // DMARC (a warning when nothing else carried the message).
    let continued = format!(
        "ARC-Seal: i=3; a=rsa-sha256; d=relay.example; s=arc; cv=pass; b=x
ARC-Message-Signature: i=3; a=rsa-sha256; d=relay.example; s=arc; c=relaxed/relaxed; h=from; bh=x; b=y
ARC-Authentication-Results: i=3; relay.example; arc=fail
{SEALED_FAIL_BY_THE_LIST}"
    );
    let failing = "Authentication-Results: lists.example.org; dmarc=fail (p=reject dis=none) header.from=shop.example
Authentication-Results: lists.example.org; spf=softfail smtp.mailfrom=relay.example
";
    let report = run(&arc_failed_list_post(failing, &continued));
    let problems = &report.auth.recorded.arc_problems;
    assert_eq!(
        problems,
        &["i=2 sealed the chain as failed (cv=fail), but a later set continues it"],
        "{problems:?}"
    );
    assert_eq!(severity_of(&report, "arc.structure"), ["warning"]);
    assert_eq!(severity_of(&report, "arc.fail"), ["warning"]);
    let no_seal = SEALED_FAIL_BY_THE_LIST.replace(
        "ARC-Seal: i=1; a=rsa-sha256; d=shop.example; s=arc; cv=none; b=z\n",
        "",
    );
    let report = run(&arc_failed_list_post(PASSED_AT_THE_LIST, &no_seal));
    assert_eq!(report.auth.recorded.arc_problems, ["i=1 has no ARC-Seal"]);
    assert_eq!(severity_of(&report, "arc.structure"), ["info"]);
}

/// A Becky! user's mail through a shared host's submission server to Gmail
/// (the reviewer's 01-becky-xserver-softfail, with reserved names): the
/// receiver's results are `results`, its authserv-id `by`.
fn submitted_to(by: &str, results: &str) -> String {
    format!(
        "Received: from sv1.hosting.test (sv1.hosting.test. [192.0.2.10])
        by {by} with ESMTPS id d9; Mon, 23 Nov 2026 01:23:48 -0800 (PST)
Authentication-Results: {by};
       {results}
Received: from DESKTOP-7K3QH2M (p1-ipoe.isp.test [198.51.100.34])
\t(Authenticated sender: info@hanaya.test)
\tby sv1.hosting.test (Postfix) with ESMTPA id 4Zw; Mon, 23 Nov 2026 18:23:46 +0900 (JST)
Date: Mon, 23 Nov 2026 18:23:44 +0900
From: info@hanaya.test
To: customer@gmail.com
Subject: order
Message-Id: <20261123182344.4A1C@hanaya.test>
"
    )
}

#[test]
fn gmail_receiver_without_spf_or_dkim_pass_called_probably_delivered() {
    let none_passed = "dkim=none;
       spf=softfail (google.com: domain of transitioning info@hanaya.test does not designate 192.0.2.10 as permitted sender) smtp.mailfrom=info@hanaya.test";
    let report = run(&submitted_to("mx.google.com", none_passed));
    assert_eq!(severity_of(&report, "receiver.auth_required"), ["error"]);
    assert_eq!(
        report.verdict.outlook.as_str(),
        "filtered",
        "{:?}",
        report.verdict
    );
    assert_eq!(report.verdict.because[0], "receiver.auth_required");
    assert!(
        report.verdict.sentence_ja.contains("Gmail"),
        "{}",
        report.verdict.sentence_ja
    );
    // The headline now agrees with Gmail's checklist row.
    let gmail = &report.checklists[0];
    assert_eq!(
        format!("{:?}", gmail.items[0].state),
        "Fail",
        "{:?}",
        gmail.items[0]
    );
    // Yahoo writes its host as the authserv-id.
    let report = run(&submitted_to("mta1007.mail.sp2.yahoo.com", none_passed));
    assert_eq!(severity_of(&report, "receiver.auth_required"), ["error"]);
    // Delivered before Gmail and Yahoo required it (February 2024).
    let old = submitted_to("mx.google.com", none_passed).replace("2026", "2010");
    let report = run(&old);
    assert!(!ids(&report).contains(&"receiver.auth_required"));
    // Another receiver: its own rules, not Gmail's.
    let report = run(&submitted_to("mx.example.net", none_passed));
    assert!(!ids(&report).contains(&"receiver.auth_required"));
    assert_eq!(report.verdict.outlook.as_str(), "at_risk");
    // List mail and forwarded mail: a pass for any domain (the list's own
    // signature), ARC pass (a forwarder Gmail trusts) or DMARC pass meet
    // it; a temperror was not judged.
    for passing in [
        "dkim=pass header.i=@lists.example.org header.s=s1 header.b=x;
       spf=softfail smtp.mailfrom=info@hanaya.test",
        "arc=pass (i=1 spf=pass spfdomain=hanaya.test);
       dkim=none; spf=fail smtp.mailfrom=info@hanaya.test",
        "spf=temperror smtp.mailfrom=info@hanaya.test; dkim=none",
        "spf=neutral smtp.mailfrom=info@hanaya.test; dkim=none; dmarc=pass header.from=hanaya.test",
    ] {
        let report = run(&submitted_to("mx.google.com", passing));
        assert!(
            !ids(&report).contains(&"receiver.auth_required"),
            "{passing}: {:?}",
            ids(&report)
        );
    }
}

/// Copies no receiving server took (the three Outlook .msg files of the
/// review, with reserved names): the sender's own copy at submission, a
/// local test server, and internal Exchange delivery within one tenant.
const UNJUDGED_COPIES: &[&str] = &[
    "Return-Path: <taro@shop.test>
Received: from DESKTOPGBT9Q6P (p1.isp.test. [198.51.100.142])
        by smtp.gmail.com with ESMTPSA id q81sm1.2026.11.23.09.06.30
        for <taro@shop.test>
        (version=TLS1_2 cipher=ECDHE-RSA-AES128-GCM-SHA256 bits=128/128);
        Mon, 23 Nov 2026 09:06:30 -0700 (PDT)
From: <taro@shop.test>
To: <taro@shop.test>
Subject: asdf
Date: Mon, 23 Nov 2026 17:06:29 +0100
Message-ID: <000001d3c2c0$e7ca4aa0$b75edfe0$@shop.test>
",
    "Return-Path: user@hmail.test
Received: from H270 (kubernetes.docker.internal [127.0.0.1])
\tby H270 with ESMTPA
\t; Mon, 23 Nov 2026 13:38:16 +0900
From: <user@hmail.test>
To: <user@hmail.test>
Subject: Attach sample.eml
Date: Mon, 23 Nov 2026 13:38:16 +0900
Message-ID: <000001dc64d7$ceee9240$6ccbb6c0$@hmail.test>
",
    "Received: from SJ0PR00MB1618.namprd00.prod.outlook.com (2603:10b6:a03:51a::11)
 by SN6PR00MB0367.namprd00.prod.outlook.com with HTTPS; Mon, 23 Nov 2026
 17:03:13 +0000
Authentication-Results: dkim=none (message not signed)
 header.d=none;dmarc=none action=none
 header.from=tenant.test;
Received: from DM6PR00MB0860.namprd00.prod.outlook.com (2603:10b6:5:21c::23)
 by SJ0PR00MB1618.namprd00.prod.outlook.com (2603:10b6:a03:51a::11) with
 Microsoft SMTP Server (version=TLS1_2,
 cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.6908.0; Mon, 23 Nov
 2026 17:03:09 +0000
Received: from DM6PR00MB0860.namprd00.prod.outlook.com
 ([fe80::b2e6:1556:7d5b:1b4a]) by DM6PR00MB0860.namprd00.prod.outlook.com
 ([fe80::b2e6:1556:7d5b:1b4a%2]) with mapi id 15.20.6908.000; Mon, 23 Nov 2026
 17:03:08 +0000
From: test1 <test1@tenant.test>
To: test2 <test2@tenant.test>
Subject: Test read receipts
Date: Mon, 23 Nov 2026 17:03:07 +0000
Message-ID: <DM6PR00MB08605781165559EA09B15B23D4CAA@DM6PR00MB0860.namprd00.prod.outlook.com>
X-MS-Exchange-Organization-AuthAs: Internal
X-Forefront-Antispam-Report:
 CIP:255.255.255.255;CTRY:;LANG:en;SCL:1;SRV:;IPV:NLI;SFV:NSPM;H:DM6PR00MB0860.namprd00.prod.outlook.com;PTR:;CAT:NONE;SFS:;DIR:INT;
",
];

#[test]
fn dkim_absence_warned_on_a_copy_no_receiver_took() {
    for text in UNJUDGED_COPIES {
        let report = run(text);
        assert_eq!(severity_of(&report, "dkim.none"), ["info"], "{text}");
        let none = report
            .findings
            .iter()
            .find(|f| f.id == "dkim.none")
            .unwrap();
        assert!(
            none.message_ja.contains("受信サーバーに届いていません"),
            "{}",
            none.message_ja
        );
        assert!(!none.detail_ja.contains("有効に"), "{}", none.detail_ja);
        assert_eq!(report.verdict.outlook.as_str(), "clean", "{text}");
        assert!(
            report
                .verdict
                .sentence_ja
                .contains("受信サーバーの判定は含まれていません"),
            "{}",
            report.verdict.sentence_ja
        );
        assert!(report.fixes.is_empty(), "{:?}", report.fixes);
    }
    // The same copies once a receiver took them: the hop into its MX is
    // plain SMTP from outside (a bot's own, no submission), or Microsoft
    // 365 filed it as inbound.
    let delivered = UNJUDGED_COPIES[0].replace("with ESMTPSA", "with ESMTPS");
    let report = run(&delivered);
    assert_eq!(severity_of(&report, "dkim.none"), ["warning"]);
    assert_eq!(report.verdict.outlook.as_str(), "at_risk");
    let inbound = UNJUDGED_COPIES[2].replace("DIR:INT", "DIR:INB");
    let report = run(&inbound);
    assert_eq!(severity_of(&report, "dkim.none"), ["warning"]);
}

/// An @nifty.com From sent from a shop's web server: nifty.com is a
/// Japanese ISP's consumer mailbox domain, so this is the free-mail case,
/// and nobody but @nifty can add a server to nifty.com's SPF record or sign
/// as nifty.com (the user was told to add 198.51.100.9 to nifty.com TXT).
#[test]
fn a_carrier_or_isp_mailbox_sent_elsewhere_is_a_freemail_spoof() {
    for domain in [
        "nifty.com",
        "docomo.ne.jp",
        "ezweb.ne.jp",
        "i.softbank.jp",
        "o2.pl",
    ] {
        let text = format!(
            "Authentication-Results: mx.example.net; spf=softfail smtp.mailfrom={domain}; dkim=none; dmarc=fail (p=NONE) header.from={domain}
Received: from web.shop.test (web.shop.test [198.51.100.9])
\tby mx.example.net (Postfix) with ESMTPS id 1A; Mon, 23 Nov 2026 10:00:05 +0900
From: <hanako@{domain}>
To: a@example.net
Subject: Order
Date: Mon, 23 Nov 2026 10:00:00 +0900
Message-ID: <1@web.shop.test>
"
        );
        let report = run(&text);
        assert_eq!(
            severity_of(&report, "from.freemail_spoof"),
            ["error"],
            "{domain}: {:?}",
            ids(&report)
        );
        let kinds: Vec<_> = report.fixes.iter().map(|f| f.kind.as_str()).collect();
        assert_eq!(kinds, ["freemail_through_provider"], "{domain}");
        assert!(
            report.fixes.iter().all(|f| !f.name.contains(" TXT")),
            "{domain}: {:?}",
            report.fixes
        );
    }
}

/// The carrier's own servers sending its subscriber's mail, unsigned: the
/// receiver saw a client named in the carrier's domain, or SPF passed for
/// the carrier's envelope. Not a spoof, and the carrier's DKIM is not the
/// sender's to turn on.
#[test]
fn a_carrier_mailbox_sent_by_the_carriers_own_servers_is_not_a_spoof() {
    let own_host = "Received: from mogw1234.docomo.ne.jp (mogw1234.docomo.ne.jp [203.0.113.10])
\tby mx.example.net (Postfix) with ESMTPS id 1A; Mon, 23 Nov 2026 10:00:05 +0900
From: <hanako@docomo.ne.jp>
To: a@example.net
Subject: Hello
Date: Mon, 23 Nov 2026 10:00:00 +0900
Message-ID: <1@docomo.ne.jp>
";
    let recorded_spf = format!(
        "Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=docomo.ne.jp; dkim=none\n{}",
        own_host.replace(
            "mogw1234.docomo.ne.jp (mogw1234.docomo.ne.jp",
            "gw.example.org (gw.example.org"
        )
    );
    for text in [own_host, recorded_spf.as_str()] {
        let report = run(text);
        assert!(
            !ids(&report).contains(&"from.freemail_spoof"),
            "{:?}\n{text}",
            ids(&report)
        );
        assert!(
            report
                .fixes
                .iter()
                .all(|f| !f.name.contains("docomo.ne.jp")),
            "{:?}",
            report.fixes
        );
    }
    // The same message from another server with nothing of the carrier's.
    let elsewhere = own_host.replace(
        "mogw1234.docomo.ne.jp (mogw1234.docomo.ne.jp",
        "gw.example.org (gw.example.org",
    );
    let report = run(&elsewhere);
    assert_eq!(severity_of(&report, "from.freemail_spoof"), ["error"]);
}

/// Outlook copies that never left the organisation (the review's
/// sicos-HtmlSampleEmail.msg and hiraoka-voteItems.msg, reserved names):
/// Outlook's MAPI submission to its own Exchange server, and a client on
/// the mail server itself (127.0.0.1) that logged in (XMail records the
/// login as X-AuthUser). No receiver took either copy, so the missing DKIM
/// signature says nothing, and the organisation is not told to enable it.
const MAPI_AND_LOOPBACK_COPIES: &[&str] = &[
    "Received: from MBX04.council.test ([169.254.4.250]) by
 chu08.council.test ([10.188.80.174]) with mapi id 14.03.0361.001; Mon, 23
 Nov 2026 08:31:04 +0100
From: \"Wilson, Chris\" <Chris.Wilson@council.test>
To: \"Wilson, Chris\" <Chris.Wilson@council.test>
Subject: HtmlSampleEmail
Date: Mon, 23 Nov 2026 08:31:03 +0100
Message-ID: <6BA412B7BBD2FD42861293C22F31BF8F1AEC9B57@mbx04.council.test>
X-MS-Exchange-Organization-AuthAs: Internal
",
    "Return-Path: <xmailuser@xmailserver.test>
Delivered-To: xmailuser@xmailserver.test
X-AuthUser: xmailuser@xmailserver.test
Received: from H270 ([127.0.0.1]:51819)
\tby xmailserver.test with [XMail 1.27 ESMTP Server]
\tid <S11> for <xmailuser@xmailserver.test> from <xmailuser@xmailserver.test>;
\tMon, 23 Nov 2026 19:57:30 +0900
From: \"xmailuser\" <xmailuser@xmailserver.test>
To: <xmailuser@xmailserver.test>
Subject: 3 vote items
Date: Mon, 23 Nov 2026 19:57:30 +0900
Message-ID: <AAAAAAAAAAAYAAAAAAAAAMhvd5eG4u1F@xmailserver.test>
",
];

#[test]
fn a_mapi_or_loopback_login_copy_was_judged_as_internet_delivery() {
    for text in MAPI_AND_LOOPBACK_COPIES {
        let report = run(text);
        assert_eq!(severity_of(&report, "dkim.none"), ["info"], "{text}");
        assert!(report.fixes.is_empty(), "{:?}", report.fixes);
        assert_eq!(report.verdict.outlook.as_str(), "clean", "{text}");
        assert!(
            report
                .verdict
                .sentence
                .contains("no receiving server judged"),
            "{}",
            report.verdict.sentence
        );
    }
    // The same routes taken by a receiver: plain SMTP between servers, or
    // a local client that did not log in, are judged as delivered.
    let smtp = MAPI_AND_LOOPBACK_COPIES[0].replace("with mapi", "with ESMTP");
    let unauthenticated = MAPI_AND_LOOPBACK_COPIES[1].replace("X-AuthUser:", "X-Note:");
    for text in [smtp, unauthenticated] {
        let report = run(&text);
        assert_eq!(severity_of(&report, "dkim.none"), ["warning"], "{text}");
    }
}

#[test]
fn not_using_tls_was_shown_as_tls_on_the_hop() {
    // usrp-000: Active!gate wrote `(not using TLS) by ss11.activegate-ss.jp
    // (Active!gate) with ESMTP`; the hops table said TLS.
    let Some(bytes) = common::bytes("realworld/msgs/usrp-000.eml") else {
        return;
    };
    let report = analyze(&bytes, NOW);
    let hop = report
        .hops
        .iter()
        .find(|h| h.by_host.as_deref() == Some("ss11.activegate-ss.jp"))
        .expect("the Active!gate hop");
    assert_eq!(hop.tls, None);
    assert_eq!(hop.encrypted(), Some(false), "plain ESMTP, no TLS");
}

#[test]
fn an_imail_queue_id_before_the_date_was_read_as_the_year_2000() {
    // sisimai-046: `… (SMTPD32-5.05) id 000000000000 Thu, 29 Apr 2009
    // 23:45:10 -0600` (no `;`) gave a clock 3287 days ahead. The stamp is
    // 2009-04-30T05:45:10Z; the Date, 23:45:10 -0800, is 2 h later.
    let Some(bytes) = common::bytes("realworld/msgs/sisimai-046.eml") else {
        return;
    };
    let report = analyze(&bytes, NOW);
    let stamps: Vec<_> = report.hops.iter().map(|h| h.unix_time).collect();
    assert_eq!(stamps, [Some(1_241_070_310)]);
    let offsets: Vec<_> = report
        .clock_skews
        .iter()
        .map(|c| c.offset_seconds)
        .collect();
    assert_eq!(offsets, [7200], "only the Date's zone, two hours");
}

#[test]
fn a_loopback_hop_into_the_receiver_is_never_judged_for_tls() {
    // A content filter handing back to its own MTA over 127.0.0.1 or ::1,
    // named by the receiver's SPF comment as the client: one machine.
    for ip in ["127.0.0.1", "IPv6:::1"] {
        let bare = ip.trim_start_matches("IPv6:");
        let message = format!(
            "Authentication-Results: mx.example.net; spf=pass (sender IP is {bare}) smtp.mailfrom=shop.example
Received: from localhost (localhost [{ip}])
\tby mx.example.net (Postfix) with SMTP id 1A;
\tMon, 23 Nov 2026 10:00:03 +0000
From: info@shop.example
To: buyer@example.net
Subject: Hello
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <1@shop.example>
"
        );
        let report = run(&message);
        assert!(
            !ids(&report).contains(&"tls.not_used"),
            "{ip}: {:?}",
            ids(&report)
        );
    }
}
