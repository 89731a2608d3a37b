//! The whole live stage on an in-memory DNS: analyze_live() on the Postfix →
//! Gmail fixture, and the then-vs-now classification.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use todoku_core::auth::dmarc::{DmarcResult, Policy};
use todoku_core::auth::dns::{DnsAnswer, DnsRecord, FixtureResolver, Rcode, RecordType};
use todoku_core::auth::iprev::IprevResult;
use todoku_core::auth::live::compare;
use todoku_core::auth::spf::SpfResult;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/postfix-to-gmail.txt"
);

fn zone() -> FixtureResolver {
    FixtureResolver::new()
        .txt("todoku.test", "v=spf1 ip4:192.0.2.25 -all")
        .txt("mail.todoku.test", "v=spf1 a -all")
        .answer(
            "mail.todoku.test",
            RecordType::A,
            Ok(DnsAnswer::records(vec![DnsRecord::A {
                ttl: 300,
                addr: "192.0.2.25".parse().unwrap(),
            }])),
        )
        .answer(
            "25.2.0.192.in-addr.arpa",
            RecordType::Ptr,
            Ok(DnsAnswer::records(vec![DnsRecord::Ptr {
                ttl: 300,
                name: "mail.todoku.test".into(),
            }])),
        )
        .txt("_dmarc.todoku.test", "v=DMARC1; p=quarantine")
}

#[test]
fn the_fixture_passes_spf_dmarc_and_iprev_now_and_says_so_against_then() {
    let input = std::fs::read(FIXTURE).unwrap();
    let resolver = zone();
    let report = pollster::block_on(todoku_core::analyze_live(&input, 1_795_500_000, &resolver));
    let live = &report.auth.live;
    let spf = live.spf.as_ref().unwrap();
    assert_eq!(
        spf.ip.to_string(),
        "192.0.2.25",
        "the trusted hop, not the PC"
    );
    assert_eq!(spf.result, SpfResult::Pass);
    assert_eq!(spf.helo_check.as_ref().unwrap().result, SpfResult::Pass);
    let dmarc = live.dmarc.as_ref().unwrap();
    assert_eq!(dmarc.result, DmarcResult::Pass);
    let eval = dmarc.evaluation.as_ref().unwrap();
    assert_eq!(eval.applied_policy, Some(Policy::Quarantine));
    assert!(
        eval.alignments
            .iter()
            .any(|a| a.mechanism == "spf" && a.aligned && a.passed)
    );
    let iprev = live.iprev.as_ref().unwrap();
    assert_eq!(iprev.check.result, IprevResult::Pass);
    assert_eq!(iprev.check.helo_matches, Some(true));
    // No DKIM-Signature in the fixture: no live DKIM, though one was recorded.
    assert!(live.dkim.is_none());
    let classes: Vec<(&str, &str)> = live
        .comparison
        .iter()
        .map(|c| (c.mechanism.as_str(), c.class.as_str()))
        .collect();
    assert_eq!(
        classes,
        [
            ("spf", "same"),
            ("dmarc", "same"),
            ("iprev", "not_recorded")
        ]
    );
    // Evidence: each question once, tagged with who asked.
    let mut names: Vec<(String, RecordType)> = live
        .evidence
        .iter()
        .map(|e| (e.name.clone(), e.rtype))
        .collect();
    let total = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), total, "a duplicate question went out");
    let a = live
        .evidence
        .iter()
        .find(|e| e.name == "mail.todoku.test" && e.rtype == RecordType::A)
        .unwrap();
    assert!(a.asked_by.contains(&"spf".to_string()) && a.asked_by.contains(&"iprev".to_string()));
    assert!(live.rounds >= 2, "DMARC's evaluation waits for SPF");
}

#[test]
fn a_broken_dns_host_is_temperror_now() {
    let input = std::fs::read(FIXTURE).unwrap();
    let resolver = zone().answer(
        "todoku.test",
        RecordType::Txt,
        Ok(DnsAnswer::rcode(Rcode::ServFail)),
    );
    let report = pollster::block_on(todoku_core::analyze_live(&input, 0, &resolver));
    let spf = report.auth.live.spf.as_ref().unwrap();
    assert_eq!(spf.result, SpfResult::TempError);
    let c = &report.auth.live.comparison[0];
    assert_eq!(
        (c.then.as_deref(), c.class.as_str()),
        (Some("pass"), "changed_since_delivery")
    );
}

#[test]
fn then_vs_now_classes() {
    assert_eq!(
        compare("dkim", Some("temperror"), Some("pass")).class,
        "transient_dns_failure"
    );
    assert_eq!(
        compare("dkim", Some("temperror"), Some("temperror")).class,
        "dns_still_broken"
    );
    assert_eq!(
        compare("spf", Some("pass"), Some("fail")).class,
        "changed_since_delivery"
    );
    assert_eq!(
        compare("spf", Some("softfail"), Some("pass")).class,
        "fixed_or_path_dependent"
    );
    assert_eq!(
        compare("spf", Some("pass"), Some("unavailable")).class,
        "not_rechecked"
    );
    assert_eq!(compare("iprev", None, Some("pass")).class, "not_recorded");
}

/// mail-auth's real Google i=1 chain over a list message: the ARC result,
/// its evidence and the then-vs-now row appear in the live stage.
#[test]
fn an_arc_chain_is_revalidated_in_the_live_stage() {
    let Some(bytes) = common::bytes("mail-auth/arc/001.txt") else {
        return;
    };
    let text = String::from_utf8(bytes).unwrap();
    let (dns, message) = text.split_once("\n\n").unwrap();
    let mut resolver = FixtureResolver::new();
    for (name, value) in dns.lines().filter_map(|l| l.split_once(' ')) {
        resolver = resolver.txt(name, value.trim());
    }
    let report = pollster::block_on(todoku_core::analyze_live(
        message.as_bytes(),
        1_795_500_000,
        &resolver,
    ));
    let arc = report.auth.live.arc.as_ref().unwrap();
    assert_eq!(arc.check.result.as_str(), "pass");
    assert_eq!(arc.check.instances, 1);
    assert_eq!(arc.check.oldest_pass, Some(0));
    assert_eq!(
        arc.check.summary(),
        "1 set(s) sealed by i=1 d=google.com; every hop's message signature still verifies"
    );
    assert!(!arc.evidence.is_empty());
    assert!(
        arc.evidence
            .iter()
            .all(|e| e.asked_by.contains(&"arc".to_string()))
    );
    assert_ne!(
        arc.check.sets[0].seal.span.end, 0,
        "spans come from the recorded sets"
    );
    let row = report
        .auth
        .live
        .comparison
        .iter()
        .find(|c| c.mechanism == "arc")
        .unwrap();
    assert_eq!(row.now.as_deref(), Some("pass"));

    // No ARC headers: no ARC entry at all.
    let plain = std::fs::read(FIXTURE).unwrap();
    let report = pollster::block_on(todoku_core::analyze_live(&plain, 1_795_500_000, &zone()));
    assert!(report.auth.live.arc.is_none());
}
