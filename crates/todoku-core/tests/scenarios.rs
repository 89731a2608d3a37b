//! The diagnosis scenarios in tests/scenarios: each message is analysed with
//! its DNS (the `# zone:` lines) in memory, and the finding ids, verdict and
//! decoded fields it names must come out. See tests/scenarios/README.md.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::path::PathBuf;

use common::zone_line;
use todoku_core::auth::dns::{FixtureResolver, NullResolver};
use todoku_core::report::finding::Severity;

/// 2026-11-28, after every message in the set.
const NOW: i64 = 1_795_800_000;

struct Scenario {
    name: String,
    message: String,
    expect: Vec<String>,
    forbid: Vec<String>,
    outlook: Option<String>,
    verdict: Option<String>,
    no_errors: bool,
    subject: Option<String>,
    /// (finding id, text its message or detail must contain)
    details: Vec<(String, String)>,
    /// (checklist.item, state)
    checks: Vec<(String, String)>,
    /// The rejection codes decoded (`# bounce: 5.7.26`); empty for
    /// `# bounce: none`, which also says the message is no bounce.
    bounce: Option<Vec<String>>,
    /// Offline mode: every DNS question fails, as with the page's checkbox.
    offline: bool,
    resolver: FixtureResolver,
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios")
}

fn load(path: &std::path::Path) -> Scenario {
    let text = std::fs::read_to_string(path).unwrap();
    let mut s = Scenario {
        name: path.file_stem().unwrap().to_string_lossy().into_owned(),
        message: String::new(),
        expect: Vec::new(),
        forbid: Vec::new(),
        outlook: None,
        verdict: None,
        no_errors: false,
        subject: None,
        details: Vec::new(),
        checks: Vec::new(),
        bounce: None,
        offline: false,
        resolver: FixtureResolver::new(),
    };
    let mut body = Vec::new();
    for line in text.lines() {
        let Some(meta) = line.strip_prefix("# ") else {
            body.push(line);
            continue;
        };
        let words = |v: &str| v.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        if let Some(v) = meta.strip_prefix("expect:") {
            s.expect = words(v);
        } else if let Some(v) = meta.strip_prefix("forbid:") {
            s.forbid = words(v);
        } else if let Some(v) = meta.strip_prefix("outlook:") {
            s.outlook = Some(v.trim().to_string());
        } else if let Some(v) = meta.strip_prefix("verdict:") {
            s.verdict = Some(v.trim().to_string());
        } else if let Some(v) = meta.strip_prefix("subject:") {
            s.subject = Some(v.trim().to_string());
        } else if let Some(v) = meta.strip_prefix("zone:") {
            s.resolver = zone_line(s.resolver, v.trim());
        } else if let Some(v) = meta.strip_prefix("detail:") {
            let (id, text) = v.trim().split_once(' ').unwrap();
            s.details.push((id.to_string(), text.to_string()));
        } else if let Some(v) = meta.strip_prefix("check:") {
            let (item, state) = v.trim().split_once(' ').unwrap();
            s.checks.push((item.to_string(), state.trim().to_string()));
        } else if let Some(v) = meta.strip_prefix("bounce:") {
            let codes = words(v);
            s.bounce = Some(if codes == ["none"] { Vec::new() } else { codes });
        } else if meta.trim() == "no-errors" {
            s.no_errors = true;
        } else if meta.trim() == "offline" {
            s.offline = true;
        }
    }
    s.message = body.join("\r\n") + "\r\n";
    s
}

#[test]
fn every_scenario_yields_its_findings_and_verdict() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 9, "the scenario set is missing files");
    let mut failures = Vec::new();
    for path in &paths {
        let s = load(path);
        let report = if s.offline {
            pollster::block_on(todoku_core::analyze_live(
                s.message.as_bytes(),
                NOW,
                &NullResolver,
            ))
        } else {
            pollster::block_on(todoku_core::analyze_live(
                s.message.as_bytes(),
                NOW,
                &s.resolver,
            ))
        };
        let ids: Vec<&str> = report.findings.iter().map(|f| f.id).collect();
        let mut problems = Vec::new();
        for want in &s.expect {
            if !ids.contains(&want.as_str()) {
                problems.push(format!("missing {want}"));
            }
        }
        for unwanted in &s.forbid {
            if ids.contains(&unwanted.as_str()) {
                problems.push(format!("unexpected {unwanted}"));
            }
        }
        let outlook = serde_json::to_value(report.verdict.outlook).unwrap();
        if let Some(want) = &s.outlook
            && outlook.as_str() != Some(want.as_str())
        {
            problems.push(format!("outlook {outlook}, expected {want}"));
        }
        if let Some(want) = &s.verdict
            && !report.verdict.sentence.contains(want.as_str())
        {
            problems.push(format!("verdict does not say {want:?}"));
        }
        if s.no_errors {
            for f in report
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
            {
                problems.push(format!("error-level {}: {}", f.id, f.message));
            }
        }
        for (id, text) in &s.details {
            if !report.findings.iter().any(|f| {
                f.id == id
                    && (f.message.contains(text)
                        || f.detail.contains(text)
                        || f.cause.as_deref().is_some_and(|c| c.contains(text)))
            }) {
                problems.push(format!("no {id} saying {text:?}"));
            }
        }
        for (path, want) in &s.checks {
            let (list, item) = path.split_once('.').unwrap();
            let got = report
                .checklists
                .iter()
                .find(|c| c.id == list)
                .and_then(|c| c.items.iter().find(|i| i.id == item))
                .map(|i| serde_json::to_value(i.state).unwrap());
            if got.as_ref().and_then(|v| v.as_str()) != Some(want.as_str()) {
                problems.push(format!("check {path} is {got:?}, expected {want}"));
            }
        }
        if let Some(want) = &s.bounce {
            let got: Vec<String> = report.bounce.iter().map(|c| c.code()).collect();
            if &got != want {
                problems.push(format!("bounce codes {got:?}, expected {want:?}"));
            }
            if want.is_empty() && report.input.bounce_message {
                problems.push("read as a bounce".to_string());
            }
        }
        if let Some(want) = &s.subject
            && report.summary.subject.as_deref() != Some(want.as_str())
        {
            problems.push(format!("subject {:?}", report.summary.subject));
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n    findings: {ids:?}\n    verdict: {}",
                s.name,
                problems.join("; "),
                report.verdict.sentence
            ));
        }
    }
    println!(
        "scenarios: {}/{} as expected",
        paths.len() - failures.len(),
        paths.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The live checks ask what their answers can depend on, in as few rounds as
/// the dependencies allow. An ESP's newsletter: envelope bounce.esp.test,
/// HELO and PTR o1.esp.test, d=esp.test, From shop.test with its own DMARC
/// record. SPF (envelope and HELO), the DKIM key, iprev (PTR, then the A
/// that the HELO check asks too) and the DMARC walk of shop.test: seven
/// questions, one round. Not asked: whether shop.test exists (its record
/// has no np=) and the walks of esp.test, which cannot share shop.test's
/// Organizational Domain.
#[test]
fn the_esp_scenario_asks_seven_questions_in_one_round() {
    let s = load(&dir().join("bulk-esp-not-aligned.txt"));
    let report = pollster::block_on(todoku_core::analyze_live(
        s.message.as_bytes(),
        NOW,
        &s.resolver,
    ));
    let live = &report.auth.live;
    let mut asked: Vec<String> = live
        .evidence
        .iter()
        .map(|e| format!("{} {:?}", e.name, e.rtype))
        .collect();
    asked.sort();
    assert_eq!(
        asked,
        [
            "40.100.51.198.in-addr.arpa Ptr",
            "_dmarc.shop.test Txt",
            "_dmarc.test Txt",
            "bounce.esp.test Txt",
            "e1._domainkey.esp.test Txt",
            "o1.esp.test A",
            "o1.esp.test Txt",
        ]
    );
    assert_eq!(live.rounds, 1);
    let dmarc = live.dmarc.as_ref().unwrap().evaluation.as_ref().unwrap();
    assert!(dmarc.alignments.iter().all(|a| !a.aligned), "{dmarc:?}");
}

/// Regression (issue 18): checklist rows named a finding the report did not
/// hold ("see spf.fail" when the finding was spf.softfail, "see dkim.fail"
/// for a temperror). Every row's finding, in every scenario, analysed with
/// its DNS and offline, is one the report shows.
#[test]
fn checklist_rows_point_at_findings_in_the_report() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let mut dangling = Vec::new();
    for path in &paths {
        let s = load(path);
        for (mode, report) in [
            (
                "dns",
                pollster::block_on(todoku_core::analyze_live(
                    s.message.as_bytes(),
                    NOW,
                    &s.resolver,
                )),
            ),
            (
                "offline",
                pollster::block_on(todoku_core::analyze_live(
                    s.message.as_bytes(),
                    NOW,
                    &NullResolver,
                )),
            ),
        ] {
            for list in &report.checklists {
                for item in &list.items {
                    if let Some(id) = item.finding
                        && !report.findings.iter().any(|f| f.id == id)
                    {
                        dangling.push(format!(
                            "{} ({mode}): {}.{} -> {id}",
                            s.name,
                            list.id.as_str(),
                            item.id.as_str()
                        ));
                    }
                }
            }
        }
    }
    assert!(
        dangling.is_empty(),
        "rows naming absent findings:\n{}",
        dangling.join("\n")
    );

    // The shop's case by hand: SPF soft-failed and the DKIM key could not
    // be fetched at receipt; the rows name those two, not spf.fail/dkim.fail.
    let s = load(&dir().join("pc-helo-softfail-temperror.txt"));
    let report = pollster::block_on(todoku_core::analyze_live(
        s.message.as_bytes(),
        NOW,
        &s.resolver,
    ));
    let row = |list: &str, item: &str| {
        report
            .checklists
            .iter()
            .find(|l| l.id == list)
            .and_then(|l| l.items.iter().find(|i| i.id == item))
            .unwrap()
    };
    assert_eq!(
        row("gmail_all", "spf_or_dkim").finding,
        Some("spf.softfail")
    );
    assert_eq!(
        row("outlook_high_volume", "spf").finding,
        Some("spf.softfail")
    );
    assert_eq!(
        row("outlook_high_volume", "dkim").finding,
        Some("dkim.temperror")
    );
}

/// Regression (issue 18): a DKIM signature that expired after delivery is
/// nothing to fix (the English said so), but the Japanese explanation told
/// the sender to lengthen x=.
#[test]
fn dkim_expired_after_delivery_says_nothing_to_change_in_japanese() {
    let s = load(&dir().join("dkim-expiry-after-delivery.txt"));
    let report = pollster::block_on(todoku_core::analyze_live(
        s.message.as_bytes(),
        NOW,
        &s.resolver,
    ));
    let f = report
        .findings
        .iter()
        .find(|f| f.id == "dkim.expired")
        .expect("dkim.expired");
    assert_eq!(f.severity, Severity::Info);
    assert!(f.detail_ja.contains("変更は不要"), "{}", f.detail_ja);
    assert!(!f.detail_ja.contains("有効期限を長く"), "{}", f.detail_ja);
    assert!(
        f.message_ja.contains("配信された後に切れました"),
        "{}",
        f.message_ja
    );
}
