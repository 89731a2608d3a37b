//! The whole live stage on an in-memory DNS: analyze_live() on the Postfix →
//! Gmail fixture, and the then-vs-now classification.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::cell::Cell;

use todoku_core::auth::dkim::key::{Hash, KeyType, Signatures, Verifying};
use todoku_core::auth::dkim::{DkimResult, KeyStatus, MAX_LIVE_SIGNATURES};
use todoku_core::auth::dmarc::{DmarcResult, Policy};
use todoku_core::auth::dns::{
    DnsAnswer, DnsFailure, DnsRecord, FixtureResolver, Rcode, RecordType, Resolver,
};
use todoku_core::auth::iprev::IprevResult;
use todoku_core::auth::live::compare;
use todoku_core::auth::spf::SpfResult;
use todoku_core::report::MAX_DKIM_SIGNATURES;
use todoku_core::report::checklist::CheckState;
use todoku_core::report::finding::{Finding, Severity};

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
    // One round: the questions that wait for an answer (SPF's `a` of the
    // HELO name, iprev's forward check of the PTR name) are both
    // mail.todoku.test A, which iprev's HELO check asks in the first round,
    // and DMARC's evaluation finds the walk it needs already answered.
    assert_eq!(live.rounds, 1);
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
        compare("dkim", Some("temperror"), Some("pass"))
            .class
            .as_str(),
        "transient_dns_failure"
    );
    assert_eq!(
        compare("dkim", Some("temperror"), Some("temperror"))
            .class
            .as_str(),
        "dns_still_broken"
    );
    assert_eq!(
        compare("spf", Some("pass"), Some("fail")).class.as_str(),
        "changed_since_delivery"
    );
    assert_eq!(
        compare("spf", Some("softfail"), Some("pass"))
            .class
            .as_str(),
        "fixed_or_path_dependent"
    );
    assert_eq!(
        compare("spf", Some("pass"), Some("unavailable"))
            .class
            .as_str(),
        "not_rechecked"
    );
    assert_eq!(
        compare("iprev", None, Some("pass")).class.as_str(),
        "not_recorded"
    );
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

/// A resolver that answers one question at a time within an overall time
/// limit, modelled as a number of questions (the CLI's DoH client spends
/// its 20 s on about 500 exchanges of 40 ms): past it, every question fails
/// with `DeadlineExceeded`, as the real one does.
struct Budgeted {
    zone: FixtureResolver,
    budget: usize,
    asked: Cell<usize>,
}

impl Resolver for Budgeted {
    async fn query(&self, name: &str, rtype: RecordType) -> Result<DnsAnswer, DnsFailure> {
        self.asked.set(self.asked.get() + 1);
        if self.asked.get() > self.budget {
            return Err(DnsFailure::DeadlineExceeded { limit_ms: 20_000 });
        }
        self.zone.query(name, rtype).await
    }

    fn provider(&self) -> String {
        "budgeted".to_string()
    }
}

/// The Postfix fixture with a DKIM-Signature above From for each of
/// `domains` (selector s0, s1…; none of them verifies).
fn with_signatures(domains: &[String]) -> String {
    let plain = std::fs::read_to_string(FIXTURE).unwrap();
    let signatures: String = domains
        .iter()
        .enumerate()
        .map(|(i, d)| {
            format!(
                "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={d}; s=s{i}; h=from; bh=AAAA; b=AAAA\n"
            )
        })
        .collect();
    plain.replacen("From: ", &format!("{signatures}From: "), 1)
}

/// Issue 19 item 5: 500 DKIM signatures of other domains made 500 key
/// questions before DMARC and iprev were asked, so a sender could spend the
/// live time limit and hide the checks that decide delivery. Now at most
/// MAX_LIVE_SIGNATURES are re-checked, the one aligned with From first
/// although it is the last field, and DMARC and iprev are asked first.
#[test]
fn five_hundred_dkim_signatures_cannot_spend_the_live_budget_of_dmarc_and_iprev() {
    let mut domains: Vec<String> = (0..500).map(|i| format!("other{i}.test")).collect();
    domains.push("todoku.test".to_string());
    let input = with_signatures(&domains);
    let resolver = Budgeted {
        zone: zone(),
        budget: 100,
        asked: Cell::new(0),
    };
    let report = pollster::block_on(todoku_core::analyze_live(
        input.as_bytes(),
        1_795_500_000,
        &resolver,
    ));
    let live = &report.auth.live;

    assert_eq!(live.dmarc.as_ref().unwrap().result, DmarcResult::Pass);
    assert_eq!(live.iprev.as_ref().unwrap().check.result, IprevResult::Pass);
    assert_eq!(live.spf.as_ref().unwrap().result, SpfResult::Pass);
    // Without the signatures the fixture asks six questions (SPF: two
    // records and mail.todoku.test's A; iprev: the PTR; DMARC: the walk of
    // todoku.test, two names); each re-checked signature adds its key.
    assert_eq!(resolver.asked.get(), 6 + MAX_LIVE_SIGNATURES);
    assert_eq!(live.evidence.len(), 6 + MAX_LIVE_SIGNATURES);

    let dkim = live.dkim.as_ref().unwrap();
    // The report lists the first MAX_DKIM_SIGNATURES (issue 19 item 3); the
    // aligned one further down is re-checked all the same, and listed after
    // them.
    assert_eq!(report.dkim_signatures.len(), MAX_DKIM_SIGNATURES);
    assert_eq!(report.dkim_signatures_omitted, 501 - MAX_DKIM_SIGNATURES);
    assert_eq!(dkim.signatures.len(), MAX_DKIM_SIGNATURES + 1);
    let aligned = dkim.signatures.last().unwrap();
    assert_eq!(aligned.domain.as_deref(), Some("todoku.test"));
    assert_eq!(aligned.key_status, KeyStatus::Missing, "its key was asked");
    assert!(
        live.evidence
            .iter()
            .any(|e| e.name == "s500._domainkey.todoku.test")
    );
    // The first seven others in header order are re-checked with it.
    let checked: Vec<&str> = dkim
        .signatures
        .iter()
        .filter(|s| s.key_status != KeyStatus::NotFetched)
        .filter_map(|s| s.domain.as_deref())
        .collect();
    let mut expected: Vec<String> = (0..MAX_LIVE_SIGNATURES - 1)
        .map(|i| format!("other{i}.test"))
        .collect();
    expected.push("todoku.test".to_string());
    assert_eq!(checked, expected);
    // The rest say why they were not re-checked, and claim no failure.
    let skipped: Vec<_> = dkim
        .signatures
        .iter()
        .filter(|s| s.key_status == KeyStatus::NotFetched)
        .collect();
    assert_eq!(skipped.len(), MAX_DKIM_SIGNATURES + 1 - MAX_LIVE_SIGNATURES);
    for s in &skipped {
        assert_eq!(s.result, DkimResult::Unavailable);
        assert_eq!(
            s.reason.as_deref().unwrap_or_default().split(" (").next(),
            Some(format!("not re-checked: limit of {MAX_LIVE_SIGNATURES} signatures").as_str())
        );
    }
    // No finding of the live DKIM rules (or any claim of failure) names them.
    let spans: Vec<_> = skipped.iter().map(|s| s.span).collect();
    let claims: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.evidence.iter().any(|e| spans.contains(e)))
        .map(|f| f.id)
        .filter(|id| {
            [
                "dkim.fail",
                "dkim.key_missing",
                "dkim.key_weak",
                "dkim.permerror",
                "dkim.temperror",
            ]
            .contains(id)
        })
        .collect();
    assert!(claims.is_empty(), "{claims:?}");
    // Then-vs-now: a row per re-checked signature and one for the rest.
    let rows: Vec<(&str, &str)> = live
        .comparison
        .iter()
        .filter(|c| c.mechanism.starts_with("dkim"))
        .map(|c| (c.mechanism.as_str(), c.class.as_str()))
        .collect();
    assert_eq!(rows.len(), MAX_LIVE_SIGNATURES + 1);
    assert_eq!(rows.last(), Some(&("dkim (493 more)", "not_rechecked")));
}

/// Issue 19 item 5, through DMARC: signatures of 500 subdomains of From's
/// domain each needed an Organizational Domain walk (asked ahead by
/// prefetch, and again for the alignment of each result). Only the
/// signatures re-checked live are walked now: per re-checked signature its
/// key and `_dmarc.sN.todoku.test` (the rest of the walk, todoku.test and
/// test, is From's own).
#[test]
fn five_hundred_subdomain_signatures_cannot_multiply_the_dmarc_walks() {
    let domains: Vec<String> = (0..500).map(|i| format!("s{i}.todoku.test")).collect();
    let input = with_signatures(&domains);
    let resolver = Budgeted {
        zone: zone(),
        budget: 100,
        asked: Cell::new(0),
    };
    let report = pollster::block_on(todoku_core::analyze_live(
        input.as_bytes(),
        1_795_500_000,
        &resolver,
    ));
    let live = &report.auth.live;
    assert_eq!(live.dmarc.as_ref().unwrap().result, DmarcResult::Pass);
    assert_eq!(live.iprev.as_ref().unwrap().check.result, IprevResult::Pass);
    assert_eq!(resolver.asked.get(), 6 + 2 * MAX_LIVE_SIGNATURES);
    let eval = live.dmarc.as_ref().unwrap().evaluation.as_ref().unwrap();
    let dkim_rows = eval
        .alignments
        .iter()
        .filter(|a| a.mechanism == "dkim")
        .count();
    assert_eq!(
        dkim_rows, MAX_LIVE_SIGNATURES,
        "only the re-checked signatures"
    );
}

/// A real 8192-bit RSA key record (generated once with `openssl genrsa
/// 8192`); tests/fixtures/dkim-rsa8192.eml was signed with its private key
/// by dkimpy, which verifies the signature against this record.
const KEY_8192: &str = concat!(
    "v=DKIM1; k=rsa; p=",
    "MIIEIjANBgkqhkiG9w0BAQEFAAOCBA8AMIIECgKCBAEA3lKbTHxtBUJJJGfAhOgAgzb1kFSEdcDM",
    "fDcmHNLMlfOw7u70Bi+4eAsIcFps1rQu03AXfxVNMoMMXKKmC5ZhhrypA33idBmYqV9UCu2BxE8T",
    "tEDgDTTGRRv4gyfp1pIIQwOwxSjLkq3AjElihF/BQHrBhGwM2TCzj4CS/DzDDZ5xyZkV75tu3/yH",
    "gcQ5F5dhmbm76wNNn014N5hG6Lf0KNP8zrxJgKuF0EoCS4p8Lh/u6idL++iSwJ+63zAULvrXTJfj",
    "FgZk169dLOVIzSDVewnU3bFC/Y/rZRvdmudpub/M1yYzcgZ+6x1eapKVwZjKW2sZI2n/BJEMMHCt",
    "jeV2ID2fZGBb3kzVQSWRHrti7lW3U6j42wtEbN/Y8BLkcfymLC/EbsAQzyVxZ2cxMIseZv1OB7MC",
    "qzB+Sput0yz3hiGRozLnFfSDhCKxOowP9mBRSSm1nvp2TJNygFuWUN9n8PE3zs0Q3evrWtRBj5l9",
    "XRVLEb95jWNZl4PBYklehTobrA4WtCc2ck5/V89ylq9UvtUFF3HujUaeaIqwrHQlBExCrgsoQbXU",
    "JLOOQbJs6aAuD2Hu/IRGi1oc3VqTGHYk62UrCiAGYypGkA0v++uRQScsXs7YX4UOOG/JTDV/2xG5",
    "4s3EUfqUafQbRifpDXJ+Rszd51z3HFnpTaTQg0FDk75YZue9gJBDTRbFD+IaaSsiVzEbszagKHzV",
    "G+xY2mIc5fzVVIstZLdqVJwdT6yEHBg8owfdDYz4OLvDUz7VO0lZeQ4FOrOX/rvso11/RVLN/KPn",
    "gH4AybA57ih0ie5RI92DILGtbGi/a0qrUUzScqAKjeIC6+VpxZ/A1D3Ep3ojNsMlm4YRH2B+I6wg",
    "RIfZtBeWdH8Y1FeZ9BZr32eiUbqaeTlp3xBqCq+gVij2sC4MFqwwEQ36Z1hKWzvtqH7jJ1Co6g2e",
    "8oc8pDKtG7lViJtc7HyZnwVGxH59OCfyqyTyc1Y4uoYPRZgcAxmW+zedierawF7IyHg5R9v1ksLv",
    "gXSuSRIdktypzo5DnAxlQUcQRVAKrGcNJytcS4QVohXY+a+OYPI0iEjxeeM1eyPJIEAVbRLAvPvA",
    "qvlMvKN0WUggOsbwX2PJ9BjQp8PCZhBfSXGme4nV2kmS6y98NUO4vRcR8BFhadMnIvAnX4Jnnqo8",
    "3ozAZa7nH0+SQfmQNvay0WNygAB1f2zRS9SfT/FL+PrHqkUzxUOilJKCsy07tlNDICGj+5oJl9R5",
    "+SvmVVn3OxGdKdhx4Dc687OE5AjDUx/9hU1r83f3UyXn152EODWdzxlIRE8I+dAHNeaIJWivjZjd",
    "AH3chMWW6V/uGeJ1H5Q2XYLUL24zUtQDs3rRxjoz5wIDAQAB",
);

const RSA8192: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/dkim-rsa8192.eml"
);

/// The signature's t= (2026-11-23 10:00:00 UTC), plus a minute.
const RSA8192_NOW: i64 = 1_795_428_060;

/// The key, a DMARC policy, and no SPF record: DKIM alone carries DMARC.
fn zone_8192() -> FixtureResolver {
    FixtureResolver::new()
        .txt("big8192._domainkey.todoku.test", KEY_8192)
        .txt("_dmarc.todoku.test", "v=DMARC1; p=reject")
}

/// The fixture without the receiver's Authentication-Results (the headers
/// as the sender's side sees them).
fn rsa8192_without_receiver() -> Vec<u8> {
    let text = std::fs::read_to_string(RSA8192).unwrap();
    let (_, from_received) = text.split_once("Received:").unwrap();
    format!("Received:{from_received}").into_bytes()
}

/// Regression (issue 19, item 13): an RSA key over 4096 bits, which RFC
/// 8301 allows, was reported as malformed (permerror "SPKI cryptographic
/// key data malformed", "changed since delivery", a failing DMARC): the
/// built-in verifier only stops at 4096 bits. It is `too_large` now, the
/// signature unchecked, and the finding says the receiver may well have
/// verified it.
#[test]
fn an_rsa_key_over_4096_bits_is_too_large_for_the_verifier_not_malformed() {
    for (input, receiver_verified) in [
        (std::fs::read(RSA8192).unwrap(), true),
        (rsa8192_without_receiver(), false),
    ] {
        let report =
            pollster::block_on(todoku_core::analyze_live(&input, RSA8192_NOW, &zone_8192()));
        let live = &report.auth.live;
        let sig = &live.dkim.as_ref().unwrap().signatures[0];
        assert_eq!(sig.key_status, KeyStatus::TooLarge, "{:?}", sig.reason);
        assert_eq!(sig.result, DkimResult::Unavailable);
        assert_eq!(sig.key.as_ref().unwrap().bits, 8192);
        assert_eq!(sig.header_signature, None, "not checked at all");
        let reason = sig.reason.as_deref().unwrap();
        assert!(
            reason.contains("8192 bits") && reason.contains("4096"),
            "{reason}"
        );
        assert!(!reason.contains("malformed"), "{reason}");

        let found: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.id == "dkim.key_too_large")
            .collect();
        assert_eq!(found.len(), 1, "{:?}", report.findings);
        assert_eq!(found[0].severity, Severity::Info);
        assert!(
            found[0].message.contains("of 8192 bits"),
            "{}",
            found[0].message
        );
        assert_eq!(
            found[0].message.contains("The receiver verified it"),
            receiver_verified,
            "{}",
            found[0].message
        );
        assert!(!found[0].dns.is_empty(), "the key record as evidence");
        for f in &report.findings {
            assert!(
                !matches!(f.id, "dkim.permerror" | "dkim.fail" | "dmarc.fail"),
                "{f:?}"
            );
            assert!(!f.message.contains("malformed"), "{f:?}");
        }
        assert!(
            !report
                .verdict
                .because
                .iter()
                .any(|id| id.starts_with("dkim.")),
            "{:?}",
            report.verdict
        );
        // DMARC rests on that signature alone: not known here, not failed.
        assert_eq!(
            live.dmarc.as_ref().unwrap().result,
            DmarcResult::Unavailable,
            "{:?}",
            live.dmarc
        );
        for row in live.comparison.iter().filter(|c| c.mechanism != "spf") {
            assert_ne!(row.class.as_str(), "changed_since_delivery", "{row:?}");
        }
        // The checklists take the receiver's DKIM word, never a broken one.
        for list in &report.checklists {
            for item in &list.items {
                assert!(
                    !item.evidence.contains("dkim=permerror")
                        && !item.evidence.contains("dkim=fail"),
                    "{item:?}"
                );
                if item.id == "dkim" {
                    assert_ne!(item.state, CheckState::Fail, "{item:?}");
                }
            }
        }
    }
}

/// A verifier that takes RSA keys up to 8192 bits (RustCrypto's, with the
/// limit raised), as the page's WebCrypto does.
struct UpTo8192;

impl Signatures for UpTo8192 {
    fn verify<'a>(
        &'a self,
        key_type: KeyType,
        hash: Hash,
        public: &'a [u8],
        message: &'a [u8],
        signature: &'a [u8],
    ) -> Verifying<'a> {
        assert_eq!((key_type, hash), (KeyType::Rsa, Hash::Sha256));
        Box::pin(std::future::ready(verify_up_to_8192(
            public, message, signature,
        )))
    }

    fn max_rsa_bits(&self) -> usize {
        8192
    }
}

fn verify_up_to_8192(public: &[u8], message: &[u8], signature: &[u8]) -> Result<bool, String> {
    use rsa::pkcs8::der::Decode as _;
    use sha2::Digest as _;
    let spki = rsa::pkcs8::SubjectPublicKeyInfoRef::from_der(public).map_err(|e| e.to_string())?;
    let key = rsa::pkcs1::RsaPublicKey::from_der(spki.subject_public_key.raw_bytes())
        .map_err(|e| e.to_string())?;
    let key = rsa::RsaPublicKey::new_with_max_size(
        rsa::BigUint::from_bytes_be(key.modulus.as_bytes()),
        rsa::BigUint::from_bytes_be(key.public_exponent.as_bytes()),
        8192,
    )
    .map_err(|e| e.to_string())?;
    let digest = sha2::Sha256::digest(message);
    Ok(key
        .verify(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), &digest, signature)
        .is_ok())
}

/// The fixture is a real signature: a verifier that handles 8192-bit keys
/// passes it (and DMARC with it), so `too_large` above is about Todoku's
/// verifier only.
#[test]
fn the_8192_bit_fixture_verifies_with_a_verifier_that_takes_the_key() {
    let input = std::fs::read(RSA8192).unwrap();
    let report = todoku_core::analyze(&input, RSA8192_NOW);
    let message = todoku_core::raw_message(&input);
    let live = pollster::block_on(todoku_core::auth::live::run_with(
        report.live_request(),
        &message,
        &zone_8192(),
        &UpTo8192,
    ));
    let sig = &live.dkim.as_ref().unwrap().signatures[0];
    assert_eq!(sig.result, DkimResult::Pass, "{:?}", sig.reason);
    assert_eq!(sig.key_status, KeyStatus::Found);
    assert_eq!(live.dmarc.as_ref().unwrap().result, DmarcResult::Pass);
}

/// Issue 18: the page shows "re-checking …" only when live checks will run;
/// for a bounce nothing is ever re-checked, and the line stayed for good.
#[test]
fn live_checks_apply_to_a_message_but_not_to_a_bounce_or_an_unreadable_input() {
    let message = std::fs::read(FIXTURE).unwrap();
    assert!(todoku_core::live_checks_apply(&todoku_core::analyze(
        &message, 0
    )));
    for bounce in [
        "/../../www/sample-bounce-no-such-user.eml",
        "/../../tests/scenarios/postfix-dsn-gmail-dmarc-rejection.txt",
    ] {
        let input = std::fs::read(format!("{}{bounce}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let report = todoku_core::analyze(&input, 0);
        assert!(!todoku_core::live_checks_apply(&report), "{bounce}");
        // The same answer check_live gives: nothing asked.
        let asked = pollster::block_on(todoku_core::check_live(
            &report,
            &input,
            &zone(),
            todoku_core::auth::dkim::key::builtin(),
        ));
        assert!(asked.provider.is_none(), "{bounce}");
    }
    // A pasted Gmail rejection (the text only, no message) is a bounce too.
    let rejection = b"550-5.7.26 Unauthenticated email from shop.test is not accepted due to\n550 5.7.26 domain's DMARC policy. a1si123 - gsmtp\n";
    assert!(!todoku_core::live_checks_apply(&todoku_core::analyze(
        rejection, 0
    )));
}

/// Every question fails: the resolver cannot be reached.
struct Unreachable;

impl Resolver for Unreachable {
    async fn query(&self, _name: &str, _rtype: RecordType) -> Result<DnsAnswer, DnsFailure> {
        Err(DnsFailure::Timeout)
    }

    fn provider(&self) -> String {
        "https://doh.todoku.test/dns-query".to_string()
    }
}

/// Issue 18: when DNS could not be asked, every live result is the word
/// `unavailable`; in Japanese the reader must see Japanese, in the live
/// rows, the ARC reason that quotes the word, then-vs-now and the Markdown.
#[test]
fn unavailable_live_results_are_japanese_in_japanese() {
    let input = b"Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=taro@shop.test; dkim=pass header.d=shop.test header.s=s1; dmarc=pass header.from=shop.test; arc=pass\r\n\
ARC-Seal: i=1; a=rsa-sha256; d=relay.test; s=arc; cv=none; t=1795400000; b=AAAA\r\n\
ARC-Message-Signature: i=1; a=rsa-sha256; d=relay.test; s=arc; c=relaxed/relaxed; h=from:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=AAAA\r\n\
ARC-Authentication-Results: i=1; relay.test; spf=pass smtp.mailfrom=taro@shop.test\r\n\
Received: from out.shop.test (out.shop.test [192.0.2.25]) by mx.example.net with ESMTPS id a1; Mon, 23 Nov 2026 10:00:01 +0900\r\n\
DKIM-Signature: v=1; a=rsa-sha256; d=shop.test; s=s1; c=relaxed/relaxed; h=from:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=AAAA\r\n\
From: Taro <taro@shop.test>\r\nTo: a@example.net\r\nSubject: x\r\nDate: Mon, 23 Nov 2026 10:00:00 +0900\r\nMessage-ID: <1@shop.test>\r\n\r\nbody\r\n";
    let report = pollster::block_on(todoku_core::analyze_live(
        input,
        1_795_500_000,
        &Unreachable,
    ));
    let live = &report.auth.live;
    let rows = todoku_core::report::text::live_rows(live, todoku_core::wording::Lang::Ja);
    // The message gives every kind of live check something to ask.
    for id in [
        "live-spf",
        "live-dkim-0",
        "live-dmarc-eval",
        "live-arc",
        "live-iprev",
    ] {
        let row = rows
            .iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("{id}: {rows:?}"));
        assert_eq!(row.result, "unavailable", "{row:?}");
        assert_eq!(row.shown, "確認できず", "{row:?}");
        assert!(!row.detail.contains("unavailable"), "{row:?}");
    }
    assert!(!live.comparison.is_empty());
    let md = todoku_core::report::export::markdown(&report, todoku_core::wording::Lang::Ja);
    assert!(md.contains("確認できず"), "{md}");
    assert!(!md.contains("unavailable"), "{md}");
    // English keeps the word.
    let en = todoku_core::report::text::live_rows(live, todoku_core::wording::Lang::En);
    assert!(en.iter().all(|r| r.shown == "unavailable"), "{en:?}");
}

/// Issue 18: when the receiver recorded dmarc=fail without the policy,
/// dmarc.fail's explanation follows the policy the domain publishes now.
#[test]
fn dmarc_fail_explanation_follows_the_published_policy_when_none_was_recorded() {
    let input = b"Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=bounce.esp.test; dmarc=fail header.from=shop.test\r\n\
Received: from out.esp.test (out.esp.test [192.0.2.25]) by mx.example.net with ESMTPS id a1; Mon, 23 Nov 2026 10:00:01 +0900\r\n\
From: <taro@shop.test>\r\nTo: a@example.net\r\nSubject: x\r\nDate: Mon, 23 Nov 2026 10:00:00 +0900\r\nMessage-ID: <1@shop.test>\r\n";
    let detail = |record: &str| {
        let zone = FixtureResolver::new().txt("_dmarc.shop.test", record);
        let report = pollster::block_on(todoku_core::analyze_live(input, 1_795_500_000, &zone));
        let f = report
            .findings
            .iter()
            .find(|f| f.id == "dmarc.fail")
            .unwrap_or_else(|| panic!("{:?}", report.findings))
            .clone();
        (f.detail, f.detail_ja)
    };
    let (en, ja) = detail("v=DMARC1; p=none; rua=mailto:d@shop.test");
    assert!(en.contains("p=none") && !en.contains("reject"), "{en}");
    assert!(ja.contains("p=none") && !ja.contains("reject"), "{ja}");
    // A stricter policy never gets the "no action requested" text.
    let (en, ja) = detail("v=DMARC1; p=reject");
    assert!(
        en.contains("p=reject: refused") && !en.contains("asking receivers to take no action"),
        "{en}"
    );
    assert!(
        ja.contains("p=reject") && !ja.contains("拒否されません"),
        "{ja}"
    );
}

/// Review of delivered mail (openbmc-041, openbmc-027, usrp-014): the live
/// SPF check took Return-Path's domain (a list's bounce address, rewritten
/// after the hop the receiver judged) with the address of the hop the
/// receiver judged, whose recorded smtp.mailfrom was the author's: "then"
/// and "now" were about two different envelopes. The live check asks for
/// the envelope the receiver recorded.
#[test]
fn live_spf_checks_the_envelope_the_receiver_recorded() {
    let input = std::fs::read_to_string(FIXTURE).unwrap();
    let rewritten = input.replace(
        "Return-Path: <taro@todoku.test>",
        "Return-Path: <list-bounces+taro=todoku.test@lists.example.test>",
    );
    assert_ne!(input, rewritten);
    let resolver = zone();
    let report = pollster::block_on(todoku_core::analyze_live(
        rewritten.as_bytes(),
        1_795_500_000,
        &resolver,
    ));
    let spf = report.auth.live.spf.as_ref().expect("live SPF");
    assert_eq!(spf.mail_from.as_deref(), Some("taro@todoku.test"));
    assert_eq!(spf.result, SpfResult::Pass, "{spf:?}");
    if let Some(bytes) = common::bytes("realworld/msgs/openbmc-041.eml") {
        let report = pollster::block_on(todoku_core::analyze_live(
            &bytes,
            1_767_225_600,
            &FixtureResolver::new(),
        ));
        let spf = report.auth.live.spf.as_ref().expect("live SPF");
        assert_eq!(spf.mail_from.as_deref(), Some("linux.starfivetech.com"));
    }
}
