//! Findings that need the live re-checks: root causes the recorded results
//! alone cannot show (which record, which key, which name), each with the
//! DNS answers behind it.
//!
//! [`attach`] is how a live run joins a report: it stores the checks, adds
//! these findings, enriches recorded SPF findings with today's record, and
//! judges the verdict again.

use crate::auth::dkim::{DkimResult, KeyStatus};
use crate::auth::dmarc::Policy;
use crate::auth::iprev::IprevResult;
use crate::auth::live::{DmarcLookup, DnsEvidence, ThenNowClass};
use crate::auth::spf::{SpfCheck, SpfResult};
use crate::diagnose::verdict;
use crate::header::text::within;
use crate::recorded::authres::domain_of;
use crate::report::finding::{Finding, Severity, finding};
use crate::span::Span;
use crate::wording::catalogue::FindingId;
use crate::{LiveChecks, Report};

pub(crate) use crate::diagnose::providers::SPF_INCLUDES;

/// Findings this module gives from the recorded results when there are no
/// live checks (the offline report), and again with them.
const JUDGED_AGAIN: &[&str] = &[
    "from.freemail_spoof",
    "forwarding.spf_broken",
    "dmarc.policy_none",
    "dmarc.not_aligned",
];

/// Store `live` in `report`, add the findings it supports and judge again.
pub fn attach(report: &mut Report, live: LiveChecks) {
    // A bounce is judged by what it says about the original message; an
    // input that could not be read has nothing to judge.
    if report.input.bounce_message || report.input.problem.is_some() {
        return;
    }
    report.auth.live = live;
    // The offline analysis judged these from the recorded results alone; the
    // live run judges them again with more to go on.
    report.findings.retain(|f| !JUDGED_AGAIN.contains(&f.id));
    let mut added = live_findings(report);
    enrich_spf(report);
    explain_dmarc_fail(report);
    report.findings.append(&mut added);
    // Forwarding explains a failed SPF while DKIM carries DMARC: the SPF
    // failure is then expected, not a fault to fix.
    if has(report, "forwarding.spf_broken") {
        for f in &mut report.findings {
            if f.id == "spf.fail" || f.id == "spf.softfail" {
                f.severity = Severity::Info;
            }
        }
    }
    crate::order::by_key(&mut report.findings, |f| f.severity as u64);
    report.verdict = verdict::judge(&report.findings);
    if report.verdict.outlook == crate::report::verdict::Outlook::Clean
        && crate::diagnose::findings::unjudged_report(report)
    {
        report.verdict = verdict::unjudged();
    }
    report.checklists = crate::diagnose::checklist::evaluate(report);
    // The original of a bounce: judged fully, but the headline is that it
    // was rejected.
    if report.whole.is_bounce() {
        report.verdict = if report.bounce.is_empty() {
            verdict::returned(&report.whole.recipients)
        } else {
            verdict::rejection(&report.bounce)
        };
    }
    report.fixes = crate::diagnose::fixes::plan(report);
}

/// dmarc.fail's explanation follows the policy the receiver recorded; when
/// it recorded none, the policy the domain publishes now.
fn explain_dmarc_fail(report: &mut Report) {
    let recorded = report
        .auth
        .recorded
        .dmarc
        .as_ref()
        .and_then(crate::diagnose::findings::recorded_policy);
    let published = report
        .auth
        .live
        .dmarc
        .as_ref()
        .and_then(|d| d.evaluation.as_ref())
        .and_then(|e| e.applied_policy);
    let Some(policy) = recorded.or(published) else {
        return;
    };
    let (en, ja) = crate::wording::catalogue::dmarc_fail_detail(policy == Policy::None);
    for f in report.findings.iter_mut().filter(|f| f.id == "dmarc.fail") {
        f.detail = en.to_string();
        f.detail_ja = ja;
    }
}

/// The first header field called `name` (case-insensitive).
fn header_span(report: &Report, name: &str) -> Option<Span> {
    report
        .input
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.span)
}

fn has(report: &Report, id: &str) -> bool {
    report.findings.iter().any(|f| f.id == id)
}

fn boundary_span(report: &Report) -> Vec<Span> {
    report
        .trust_boundary
        .as_ref()
        .and_then(|b| report.hops.iter().find(|h| h.index == b.hop))
        .map(|h| vec![h.span])
        .unwrap_or_default()
}

fn with_dns(mut f: Finding, dns: Vec<DnsEvidence>) -> Finding {
    f.dns = dns;
    f
}

fn evidence_named(evidence: &[DnsEvidence], name: &str) -> Vec<DnsEvidence> {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    evidence
        .iter()
        .filter(|e| e.name == name)
        .cloned()
        .collect()
}

/// The findings the live checks support, in no particular order.
pub fn live_findings(report: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    iprev(report, &mut out);
    spf(report, &mut out);
    dkim(report, &mut out);
    dmarc(report, &mut out);
    dns_health(report, &mut out);
    forwarding(report, &mut out);
    freemail(report, &mut out);
    out
}

fn iprev(report: &Report, out: &mut Vec<Finding>) {
    let Some(live) = &report.auth.live.iprev else {
        return;
    };
    let c = &live.check;
    if let (Some(helo), Some(false)) = (&c.helo, c.helo_resolves) {
        out.push(with_dns(
            finding(
                FindingId::HeloNoDns,
                Severity::Warning,
                format!("The sending server's HELO name {helo} does not resolve in DNS."),
                format!("送信サーバーの HELO 名 {helo} が DNS で引けません。"),
                "Receivers check that the name a server gives in HELO/EHLO exists. Give the server a host name with an A (or AAAA) record pointing at its address, and announce that name (Postfix `smtp_helo_name`, Exim `helo_data`; in a mail client, the HELO setting).",
                boundary_span(report),
            ),
            evidence_named(&live.evidence, helo),
        ));
    }
    if c.result == IprevResult::Fail {
        let message_ja = if c.ptr_names.is_empty() {
            format!("{} に逆引き（PTR）の名前がありません。", c.ip)
        } else {
            format!(
                "{} の逆引き名 {} が、元の IP に正引きで戻りません。",
                c.ip,
                c.ptr_names.join(", ")
            )
        };
        let message = if c.ptr_names.is_empty() {
            format!("{} has no reverse DNS (PTR) name.", c.ip)
        } else {
            format!(
                "{}'s reverse DNS name {} does not point back to it.",
                c.ip,
                c.ptr_names.join(", ")
            )
        };
        out.push(with_dns(
            finding(
                FindingId::IprevMissing,
                Severity::Warning,
                message,
                message_ja,
                "Gmail and Yahoo require the sending IP to have a PTR record whose name resolves back to the same IP (forward-confirmed reverse DNS). Ask whoever owns the IP address (the hosting or ISP, not your DNS provider) to set the PTR to the server's host name, and give that name an A/AAAA record with this IP.",
                boundary_span(report),
            ),
            live.evidence.clone(),
        ));
    }
}

/// The SPF finding for a live result, when the receiver recorded none.
fn spf(report: &Report, out: &mut Vec<Finding>) {
    if report.auth.recorded.spf.is_some() {
        return;
    }
    let Some(live) = &report.auth.live.spf else {
        return;
    };
    let Some(check) = live.mail_from_check.as_ref().or(live.helo_check.as_ref()) else {
        return;
    };
    let (id, severity) = match check.result {
        SpfResult::Fail => (FindingId::SpfFail, Severity::Error),
        SpfResult::SoftFail => (FindingId::SpfSoftfail, Severity::Warning),
        SpfResult::None => (FindingId::SpfNone, Severity::Warning),
        SpfResult::PermError => (FindingId::SpfPermerror, Severity::Error),
        SpfResult::TempError => (FindingId::SpfTemperror, Severity::Warning),
        _ => return,
    };
    let (detail, detail_ja) = spf_cause(report, check);
    let mut f = with_dns(
        finding(
            id,
            severity,
            format!(
                "SPF today for {} from {}: {}.",
                check.domain,
                check.ip,
                check.result.as_str()
            ),
            format!(
                "現在の SPF（{}、送信元 {}）：{}。",
                check.domain,
                check.ip,
                check.result.as_str()
            ),
            &detail,
            boundary_span(report),
        ),
        live.evidence.clone(),
    );
    f.cause = Some(detail);
    f.cause_ja = Some(detail_ja);
    out.push(f);
}

/// What to change in SPF, from the live check: the record, the address and
/// the include that would cover it when the sending server is a known service.
fn spf_cause(report: &Report, check: &SpfCheck) -> (String, String) {
    match check.result {
        SpfResult::None => (
            format!(
                "{} publishes no SPF record. Publish one listing every server that sends its mail, e.g. `v=spf1 ip4:{} -all` or the include of your mail provider.",
                check.domain, check.ip
            ),
            format!(
                "{} は SPF レコードを公開していません。メールを送るすべてのサーバーを並べた SPF レコード（例：`v=spf1 ip4:{} -all`、またはメールサービスの include:）を公開してください。",
                check.domain, check.ip
            ),
        ),
        SpfResult::PermError => (
            format!(
                "The SPF record of {} cannot be evaluated: {}. Receivers treat that like no SPF at all, or reject.",
                check.domain,
                check.reason.as_deref().unwrap_or("it is broken")
            ),
            format!(
                "{} の SPF レコードを評価できません（{}）。受信サーバーは SPF なしと同じに扱うか、拒否します。",
                check.domain,
                check.reason.as_deref().unwrap_or("レコードが壊れています")
            ),
        ),
        SpfResult::TempError => (
            format!(
                "The DNS of {} failed while SPF was evaluated ({}): the domain's DNS hosting is not answering reliably.",
                check.domain,
                check.reason.as_deref().unwrap_or("DNS error")
            ),
            format!(
                "SPF の評価中に {} の DNS が失敗しました（{}）。ドメインの DNS サーバーが安定して応答していません。",
                check.domain,
                check.reason.as_deref().unwrap_or("DNS エラー")
            ),
        ),
        _ => {
            let rdns = report.sending_rdns();
            let service = rdns.as_deref().and_then(|name| {
                let name = name.trim_end_matches('.').to_ascii_lowercase();
                SPF_INCLUDES
                    .iter()
                    .find(|(suffix, _)| within(&name, suffix))
                    .map(|(_, include)| *include)
            });
            let record = check.record.as_deref().unwrap_or("(none)");
            let mechanism = if check.ip.is_ipv4() { "ip4" } else { "ip6" };
            let (fix, fix_ja) = match (service, rdns.as_deref()) {
                (Some(include), Some(name)) => (
                    format!(
                        "The sending server {name} belongs to a service that publishes its addresses: add `{include}` to the record."
                    ),
                    format!(
                        "送信サーバー {name} はアドレスを公開しているサービスのものです。レコードに `{include}` を追加してください。"
                    ),
                ),
                (None, Some(name)) => (
                    format!(
                        "Add `{mechanism}:{}` for the sending server {name}, or the include your provider documents for it.",
                        check.ip
                    ),
                    format!(
                        "送信サーバー {name} のために `{mechanism}:{}` を追加するか、プロバイダーが案内している include: を追加してください。",
                        check.ip
                    ),
                ),
                _ => (
                    format!(
                        "Add `{mechanism}:{}`, or the include your provider documents for the server that sent this.",
                        check.ip
                    ),
                    format!(
                        "`{mechanism}:{}` を追加するか、このメールを送ったサーバーについてプロバイダーが案内している include: を追加してください。",
                        check.ip
                    ),
                ),
            };
            (
                format!(
                    "{} is not in the SPF record of {}: `{record}`. {fix}",
                    check.ip, check.domain
                ),
                format!(
                    "{} は {} の SPF レコード `{record}` に含まれていません。{fix_ja}",
                    check.ip, check.domain
                ),
            )
        }
    }
}

/// Add today's record and the fix to the recorded SPF softfail/fail finding.
fn enrich_spf(report: &mut Report) {
    let Some(check) = report
        .auth
        .live
        .spf
        .as_ref()
        .and_then(|s| s.mail_from_check.clone())
    else {
        return;
    };
    if !matches!(check.result, SpfResult::SoftFail | SpfResult::Fail) {
        return;
    }
    let (cause, cause_ja) = spf_cause(report, &check);
    let evidence = report
        .auth
        .live
        .spf
        .as_ref()
        .map(|s| s.evidence.clone())
        .unwrap_or_default();
    for f in &mut report.findings {
        if (f.id == "spf.softfail" || f.id == "spf.fail") && f.dns.is_empty() {
            f.cause = Some(format!("Re-checked now: {cause}"));
            f.cause_ja = Some(format!("現在の DNS で再チェック：{cause_ja}"));
            f.dns.clone_from(&evidence);
        }
    }
}

fn dkim(report: &Report, out: &mut Vec<Finding>) {
    let Some(live) = &report.auth.live.dkim else {
        return;
    };
    for sig in &live.signatures {
        let d = sig.domain.as_deref().unwrap_or("?");
        let s = sig.selector.as_deref().unwrap_or("?");
        let name = format!("{s}._domainkey.{d}");
        let dns = evidence_named(&live.evidence, &name);
        let span = vec![sig.span];
        // The receiver verified this signature at delivery: its key was
        // published then, and is gone now (rotated, as keys should be).
        let verified_then = report.auth.recorded.dkim.iter().any(|r| {
            r.result == "pass"
                && r.property("header", "d")
                    .or_else(|| r.property("header", "i"))
                    .and_then(domain_of)
                    .is_some_and(|v| v == d.to_ascii_lowercase())
                && r.property("header", "s")
                    .is_none_or(|rs| rs.eq_ignore_ascii_case(s))
        });
        if verified_then && matches!(sig.key_status, KeyStatus::Missing | KeyStatus::Revoked) {
            out.push(with_dns(
                finding(
                    FindingId::DkimKeyMissing,
                    Severity::Info,
                    format!("The DKIM key at {name} is gone now, but the receiver verified the signature when the message arrived."),
                    format!("{name} の DKIM 公開鍵は現在ありませんが、受信時には受信サーバーが署名を検証できていました。"),
                    "The key was published at delivery and has been removed or revoked since: normal key rotation, nothing to fix for this message. If new mail is still signed with this selector, publish its key again.",
                    span,
                ),
                dns,
            ));
            continue;
        }
        match sig.key_status {
            KeyStatus::Missing => out.push(with_dns(
                finding(
                    FindingId::DkimKeyMissing,
                    Severity::Error,
                    format!("No DKIM key is published at {name}."),
                    format!("{name} に DKIM 公開鍵が公開されていません。"),
                    "The signature names a selector whose public key is not in DNS, so no receiver can verify it. Publish the TXT record your mail provider gives for this selector (often a CNAME to the provider), or sign with a selector that is published.",
                    span,
                ),
                dns,
            )),
            KeyStatus::Revoked => out.push(with_dns(
                finding(
                    FindingId::DkimKeyMissing,
                    Severity::Error,
                    format!("The DKIM key at {name} is revoked (empty p=)."),
                    format!("{name} の DKIM 公開鍵は失効しています（p= が空）。"),
                    "A revoked key means the signer still uses a selector that was retired. Switch the signing to the current selector, or publish its key again.",
                    span,
                ),
                dns,
            )),
            KeyStatus::TooLarge => {
                let bits = sig.key.as_ref().map_or(0, |k| k.bits);
                let (then, then_ja) = if verified_then {
                    (
                        " The receiver verified it when the message arrived.",
                        "受信時には受信サーバーが検証できていました。",
                    )
                } else {
                    ("", "")
                };
                out.push(with_dns(
                    finding(
                        FindingId::DkimKeyTooLarge,
                        Severity::Info,
                        format!("The DKIM key at {name} is an RSA key of {bits} bits, larger than Todoku can verify, so Todoku did not re-check this signature.{then}"),
                        format!("{name} の DKIM 公開鍵は {bits} ビットの RSA 鍵で、Todoku が検証できる大きさを超えるため、この署名は再チェックしていません。{then_ja}"),
                        "Nothing is wrong with the key: RFC 8301 requires verifiers to handle RSA keys of 1024 to 4096 bits and allows larger ones, and Todoku's verifier stops at 4096. The receiver's own result (its Authentication-Results) is what counts. Only if receivers record DKIM permerror for this signature, sign with a 2048-bit key under a new selector, which every verifier handles.",
                        span,
                    ),
                    dns,
                ));
            }
            KeyStatus::Found => {
                if let Some(key) = &sig.key
                    && key.key_type == crate::auth::dkim::key::KeyType::Rsa
                    && key.bits < 2048
                {
                    let severity = if key.bits < 1024 {
                        Severity::Error
                    } else {
                        Severity::Warning
                    };
                    out.push(with_dns(
                        finding(
                            FindingId::DkimKeyWeak,
                            severity,
                            format!("The DKIM key at {name} is only {} bits.", key.bits),
                            format!("{name} の DKIM 公開鍵は {} ビットしかありません。", key.bits),
                            "RFC 8301: keys under 1024 bits are not valid at all, and 2048 bits is the current recommendation. Generate a 2048-bit key under a new selector, publish it, then switch signing to it.",
                            vec![sig.span],
                        ),
                        dns,
                    ));
                }
            }
            _ => {}
        }
        if report.auth.recorded.dkim.is_empty() && sig.result == DkimResult::Fail {
            out.push(finding(
                FindingId::DkimFail,
                Severity::Error,
                format!("The DKIM signature of {d} does not verify today."),
                format!("{d} の DKIM 署名は、現在の DNS では検証できません。"),
                sig.reason
                    .as_deref()
                    .unwrap_or("The signature does not verify."),
                vec![sig.span],
            ));
        }
    }
}

/// `p=NONE` in the receiver's DMARC comment (Gmail writes `(p=NONE sp=…)`)
/// of a result that found a record: `dmarc=none (p=none dis=none)` is
/// OpenDMARC's default for a domain with no record, not a published policy.
fn recorded_policy_none(report: &Report) -> bool {
    report.auth.recorded.dmarc.as_ref().is_some_and(|d| {
        matches!(&*d.result, "pass" | "success" | "fail" | "failure")
            && d.comments.iter().any(|c| {
                c.split_whitespace()
                    .any(|w| w.eq_ignore_ascii_case("p=none"))
            })
    })
}

fn dmarc(report: &Report, out: &mut Vec<Finding>) {
    let evaluated = report
        .auth
        .live
        .dmarc
        .as_ref()
        .is_some_and(|d| d.evaluation.is_some());
    // A free-mail provider's policy is the provider's setting: advice to
    // raise it would be addressed to someone who cannot (gmail.com is
    // p=none). A Microsoft 365 tenant domain keeps the advice: the tenant
    // publishes its own DMARC record.
    let providers = report
        .summary
        .from_domain
        .as_deref()
        .is_some_and(crate::diagnose::providers::freemail);
    if !evaluated && !providers && recorded_policy_none(report) {
        let domain = report.summary.from_domain.as_deref();
        out.push(finding(
            FindingId::DmarcPolicyNone,
            Severity::Info,
            format!(
                "DMARC for {} was p=none (monitoring only) when the receiver checked.",
                domain.unwrap_or("the From domain")
            ),
            format!(
                "受信サーバーが確認した時点で、{} の DMARC は p=none（監視のみ）でした。",
                domain.unwrap_or("From ドメイン")
            ),
            "p=none meets Gmail's and Yahoo's bulk-sender minimum but does not stop anyone spoofing the domain. Once the aggregate reports show all your own mail passing, move to p=quarantine, then p=reject.",
            report
                .auth
                .recorded
                .dmarc
                .as_ref()
                .map(|d| vec![d.span])
                .unwrap_or_default(),
        ));
    }
    // Today's evaluation explains a non-aligned DMARC only when today's
    // checks pass for some other domain; otherwise (a key rotated, a
    // lookup failed, only headers pasted) the receiver's record does.
    let live_explains = report
        .auth
        .live
        .dmarc
        .as_ref()
        .and_then(|d| d.evaluation.as_ref())
        .is_some_and(|e| e.alignments.iter().any(|a| a.passed));
    if !live_explains {
        recorded_not_aligned(report, out);
    }
    let Some(live) = &report.auth.live.dmarc else {
        return;
    };
    let dns = vec![live.evidence.clone()];
    let from_span: Vec<Span> = header_span(report, "from").into_iter().collect();
    if matches!(live.lookup, DmarcLookup::None { .. }) && !has(report, "dmarc.missing") {
        out.push(with_dns(
            finding(
                FindingId::DmarcMissing,
                Severity::Warning,
                format!("{} publishes no DMARC record.", live.domain),
                format!("{} は DMARC レコードを公開していません。", live.domain),
                "Gmail and Yahoo require a DMARC record from bulk senders, and it protects the domain from spoofing. Start with `_dmarc` TXT `v=DMARC1; p=none; rua=mailto:…` to collect reports, then move to quarantine or reject.",
                from_span.clone(),
            ),
            dns.clone(),
        ));
    }
    let Some(eval) = &live.evaluation else {
        return;
    };
    if eval.applied_policy == Some(Policy::None)
        && !crate::diagnose::providers::freemail(&live.domain)
    {
        out.push(with_dns(
            finding(
                FindingId::DmarcPolicyNone,
                Severity::Info,
                format!(
                    "DMARC for {} is p=none: monitoring only.",
                    live.domain
                ),
                format!("{} の DMARC は p=none（監視のみ）です。", live.domain),
                "p=none meets Gmail's and Yahoo's bulk-sender minimum but does not stop anyone spoofing the domain. Once the aggregate reports show all your own mail passing, move to p=quarantine, then p=reject.",
                from_span.clone(),
            ),
            dns.clone(),
        ));
    }
    let passed: Vec<_> = eval.alignments.iter().filter(|a| a.passed).collect();
    // The receiver's verdict stands: it recorded DMARC pass, or a pass that
    // aligns with From (today's re-check of a signature can fail for
    // reasons of today: a rotated key, a re-folded paste).
    let from = report.summary.from_domain.as_deref().unwrap_or_default();
    let rec = &report.auth.recorded;
    let receiver_aligned = rec
        .dmarc
        .as_ref()
        .is_some_and(|d| matches!(&*d.result, "pass" | "success"))
        || rec.dkim.iter().any(|r| {
            r.result == "pass"
                && r.property("header", "d")
                    .or_else(|| r.property("header", "i"))
                    .is_some_and(|v| crate::header::text::likely_aligned(v, from))
        });
    if !receiver_aligned && !passed.is_empty() && !passed.iter().any(|a| a.aligned) {
        let which = passed
            .iter()
            .map(|a| {
                format!(
                    "{} passed for {}",
                    a.mechanism.to_ascii_uppercase(),
                    a.domain
                )
            })
            .collect::<Vec<_>>()
            .join(" and ");
        let which_ja = passed
            .iter()
            .map(|a| {
                format!(
                    "{} は {} で合格",
                    a.mechanism.to_ascii_uppercase(),
                    a.domain
                )
            })
            .collect::<Vec<_>>()
            .join("、");
        out.push(with_dns(
            finding(
                FindingId::DmarcNotAligned,
                // Under p=none the failure is reported, not acted on.
                if eval.applied_policy == Some(Policy::None) && !crate::diagnose::providers::freemail(&live.domain) {
                    Severity::Warning
                } else {
                    Severity::Error
                },
                format!(
                    "DMARC is not aligned: {which}, but From is {}.",
                    live.domain
                ),
                format!(
                    "DMARC のアライメントが一致しません。{which_ja}ですが、From は {} です。",
                    live.domain
                ),
                "DMARC needs SPF or DKIM to pass for the From domain itself (or, relaxed, the same organisational domain). Have the sending service sign with DKIM as your domain (custom DKIM / domain authentication), or use a Return-Path under your domain.",
                from_span,
            ),
            dns,
        ));
    }
}

/// Why DMARC failed at the receiver, without DNS: it recorded `dmarc=fail`
/// while SPF or DKIM passed, but for other domains than From's. Two
/// domains in different registered domains cannot be aligned; two names
/// under one suffix whose Organizational Domain only DNS can tell (both
/// below `co.jp`, say) are named as undecided.
fn recorded_not_aligned(report: &Report, out: &mut Vec<Finding>) {
    let rec = &report.auth.recorded;
    // A recorded DMARC failure, or no DMARC result at all (the receiver
    // did not evaluate it): then the finding says what DMARC would find.
    let dmarc = rec.dmarc.as_ref();
    let failed = dmarc.is_some_and(|d| matches!(&*d.result, "fail" | "failure"));
    if dmarc.is_some() && !failed {
        return;
    }
    let Some(from) = dmarc
        .and_then(|d| d.property("header", "from"))
        .and_then(domain_of)
        .or_else(|| report.summary.from_domain.as_deref().and_then(domain_of))
    else {
        return;
    };
    let mut passed: Vec<(&str, String)> = Vec::new();
    if let Some(spf) = rec.spf.as_ref().filter(|r| r.result == "pass")
        && let Some(d) = spf
            .property("smtp", "mailfrom")
            .or_else(|| spf.property("smtp", "mail"))
            .and_then(domain_of)
    {
        passed.push(("SPF", d));
    }
    for d in rec.dkim.iter().filter(|r| r.result == "pass") {
        if let Some(domain) = d
            .property("header", "d")
            .or_else(|| d.property("header", "i"))
            .and_then(domain_of)
            && !passed.iter().any(|(m, x)| *m == "DKIM" && *x == domain)
        {
            passed.push(("DKIM", domain));
        }
    }
    if passed.is_empty() {
        return;
    }
    // A pass within From's own tree would have aligned: the receiver saw
    // something else (a policy it could not read, or strict alignment).
    if passed.iter().any(|(_, d)| {
        crate::header::text::within(d, &from) || crate::header::text::within(&from, d)
    }) {
        return;
    }
    // Without a recorded failure, speak only when no pass can be aligned,
    // and not about a list's own address in From: a list that rewrites From
    // (DMARC mitigation) does so after its MX checked the author's.
    let list_from = report
        .summary
        .list_id
        .as_deref()
        .is_some_and(|l| l.to_ascii_lowercase().contains(&from));
    if !failed
        && (list_from
            || passed
                .iter()
                .any(|(_, d)| crate::header::text::likely_aligned(d, &from)))
    {
        return;
    }
    let undecided: Vec<&str> = passed
        .iter()
        .filter(|(_, d)| crate::header::text::share_registrable_suffix(d, &from))
        .map(|(_, d)| d.as_str())
        .collect();
    let which = passed
        .iter()
        .map(|(m, d)| format!("{m} passed for {d}"))
        .collect::<Vec<_>>()
        .join(" and ");
    let which_ja = passed
        .iter()
        .map(|(m, d)| format!("{m} は {d} で合格"))
        .collect::<Vec<_>>()
        .join("、");
    let mut message_ja = if failed {
        format!(
            "アライメントが一致しないため DMARC は不合格です。{which_ja}ですが、From は {from} です。"
        )
    } else {
        format!(
            "From のドメインを認証したものがありません。{which_ja}ですが、From は {from} です。{from} の DMARC を確認する受信サーバーでは、アライメント不一致になります。"
        )
    };
    if !undecided.is_empty() {
        message_ja.push_str(&format!(
            "{} が {from} と同じ組織とみなされるかは DNS 次第です（再チェックで分かります）。",
            undecided.join("、")
        ));
    }
    let mut message = if failed {
        format!("DMARC failed because it is not aligned: {which}, but From is {from}.")
    } else {
        format!(
            "Nothing authenticated From's domain: {which}, but From is {from}. A receiver that checks DMARC for {from} finds it not aligned."
        )
    };
    if !undecided.is_empty() {
        message.push_str(&format!(
            " Whether {} counts as the same organisation as {from} depends on the DNS (the live check can tell).",
            undecided.join(" and ")
        ));
    }
    out.push(finding(
        FindingId::DmarcNotAligned,
        // As for the recorded failure: under p=none it is reported, not
        // acted on.
        if !failed || dmarc.is_some_and(crate::diagnose::findings::policy_none) {
            Severity::Warning
        } else {
            Severity::Error
        },
        message,
        message_ja,
        "DMARC needs SPF or DKIM to pass for the From domain itself (or, relaxed, the same organisational domain). Have the sending service sign with DKIM as your domain (custom DKIM / domain authentication), or use a Return-Path (envelope sender) under your domain.",
        dmarc
            .map(|d| vec![d.span])
            .unwrap_or_else(|| header_span(report, "from").into_iter().collect()),
    ));
}

/// Then-vs-now: a DNS failure recorded at delivery that is still there, or
/// that has gone.
fn dns_health(report: &Report, out: &mut Vec<Finding>) {
    for c in &report.auth.live.comparison {
        match c.class {
            ThenNowClass::DnsStillBroken => out.push(finding(
                FindingId::DnsBroken,
                Severity::Error,
                format!(
                    "{}: DNS failed when the message arrived and still fails now.",
                    c.mechanism
                ),
                format!(
                    "{}：受信時に DNS が失敗し、現在も失敗しています。",
                    c.mechanism
                ),
                "The domain's DNS servers do not answer reliably (SERVFAIL or time-outs at the authority), so receivers cannot check SPF/DKIM/DMARC and may defer or junk mail. Check the delegation (NS records at the registry), DNSSEC, and the DNS host's status.",
                Vec::new(),
            )),
            ThenNowClass::TransientDnsFailure => out.push(finding(
                FindingId::DnsTransient,
                Severity::Info,
                format!(
                    "{}: DNS failed when the message arrived, but resolves now ({}).",
                    c.mechanism,
                    c.now.as_deref().unwrap_or("?")
                ),
                format!(
                    "{}：受信時には DNS が失敗しましたが、現在は引けます（{}）。",
                    c.mechanism,
                    c.now.as_deref().unwrap_or("?")
                ),
                "A temporary DNS failure at receipt: retrying usually succeeds. If it recurs, the DNS hosting is flaky; consider a provider with anycast and longer TTLs.",
                Vec::new(),
            )),
            _ => {}
        }
    }
}

/// SPF failed only because someone forwarded the message.
fn forwarding(report: &Report, out: &mut Vec<Finding>) {
    let spf_word = report
        .auth
        .recorded
        .spf
        .as_ref()
        .map(|r| r.result.to_string())
        .or_else(|| {
            report
                .auth
                .live
                .spf
                .as_ref()
                .map(|s| s.result.as_str().to_string())
        });
    if !matches!(spf_word.as_deref(), Some("fail" | "softfail")) {
        return;
    }
    let from = report.summary.from_domain.clone().unwrap_or_default();
    let dkim_aligned = report.auth.recorded.dkim.iter().any(|r| {
        r.result == "pass"
            && r.properties.iter().any(|p| {
                let d = p
                    .value
                    .rsplit_once('@')
                    .map_or(p.value.as_str(), |(_, d)| d)
                    .to_ascii_lowercase();
                p.ptype == "header" && (p.name == "d" || p.name == "i") && within(&from, &d)
            })
    }) || report.auth.live.dmarc.as_ref().is_some_and(|d| {
        d.evaluation.as_ref().is_some_and(|e| {
            e.alignments
                .iter()
                .any(|a| a.mechanism == "dkim" && a.passed && a.aligned)
        })
    });
    let arc = !report.auth.recorded.arc_sets.is_empty();
    let forwarded_by_header = [
        "resent-from",
        "x-forwarded-to",
        "x-forwarded-for",
        "delivered-to",
    ]
    .iter()
    .any(|n| header_span(report, n).is_some());
    let srs = report
        .summary
        .return_path
        .as_deref()
        .is_some_and(|r| r.to_ascii_uppercase().contains("SRS0="));
    let list = report.summary.list_id.is_some();
    if !(dkim_aligned && (arc || forwarded_by_header || srs || list)) {
        return;
    }
    out.push(finding(
        FindingId::ForwardingSpfBroken,
        Severity::Info,
        "SPF failed because the message was forwarded; DKIM still aligns with From, so DMARC holds.".to_string(),
        "転送されたため SPF は不合格ですが、DKIM が From と一致したまま合格しているので DMARC は合格を保っています。".to_string(),
        "A forwarder (mailing list, alias, auto-forward) re-sends the message from its own servers, which are not in the original domain's SPF record: SPF breaks by design. DKIM survives when the body and signed headers are left alone, and ARC records what the forwarder saw. The sender should keep DKIM aligned with From; the forwarder should use SRS for the envelope sender and add ARC.",
        boundary_span(report),
    ));
}

/// A free-mail From address on a message not sent through that provider.
fn freemail(report: &Report, out: &mut Vec<Finding>) {
    let Some(from) = report.summary.from_domain.as_deref() else {
        return;
    };
    let from = from.to_ascii_lowercase();
    if !crate::diagnose::providers::freemail(&from) {
        return;
    }
    let signed_by_provider = |d: &str| {
        let d = d.to_ascii_lowercase();
        within(&from, &d)
    };
    let recorded = report.auth.recorded.dkim.iter().any(|r| {
        r.result == "pass"
            && r.properties.iter().any(|p| {
                p.ptype == "header"
                    && (p.name == "d" || p.name == "i")
                    && signed_by_provider(
                        p.value
                            .rsplit_once('@')
                            .map_or(p.value.as_str(), |(_, d)| d),
                    )
            })
    });
    let live = report.auth.live.dkim.as_ref().is_some_and(|d| {
        d.signatures.iter().any(|s| {
            s.result == DkimResult::Pass && s.domain.as_deref().is_some_and(signed_by_provider)
        })
    });
    // The receiver's DMARC pass for the From domain itself: the provider's
    // own authentication held, whatever the DKIM lines name.
    let dmarc_pass = report.auth.recorded.dmarc.as_ref().is_some_and(|d| {
        matches!(&*d.result, "pass" | "success")
            && d.property("header", "from")
                .is_none_or(|h| domain_of(h).as_deref() == Some(from.as_str()))
    });
    // Sent by the provider's own servers: the receiver saw a client whose
    // reverse name is the provider's (ezweb.ne.jp's wmflb….ezweb.ne.jp), or
    // SPF passed for an envelope sender at the provider. A carrier that
    // does not sign is not spoofed by its own servers.
    let at_provider = |d: &str| within(&d.to_ascii_lowercase(), &from);
    let own_host = report.sending_rdns().is_some_and(|h| at_provider(&h));
    let spf_pass = report.auth.recorded.spf.as_ref().is_some_and(|s| {
        s.result == "pass"
            && s.property_domain("smtp", "mailfrom")
                .is_some_and(|d| at_provider(&d))
    }) || report.auth.live.spf.as_ref().is_some_and(|s| {
        s.mail_from_check
            .as_ref()
            .is_some_and(|c| c.result == SpfResult::Pass && at_provider(&c.domain))
    });
    if recorded || live || dmarc_pass || own_host || spf_pass {
        return;
    }
    // A bounce's returned copy that never left the sender's organisation
    // (no hop into another's server): the provider signs as mail leaves
    // it, so a copy stopped inside it may not carry the signature yet.
    if report.whole.is_bounce() && report.trust_boundary.is_none() {
        return;
    }
    // With no receiver's record and no live check of signatures, only a
    // delivered message from the years when every such provider signed its
    // mail (Yahoo's p=reject, April 2014) can be judged: a copy from before
    // delivery, or mail from before then, has nothing to judge by.
    const PROVIDERS_SIGN: i64 = 1_396_310_400;
    let delivered = report.hops.iter().rev().find_map(|h| h.unix_time);
    if report.auth.live.dkim.is_none()
        && report.auth.recorded.chosen.is_none()
        && !delivered.is_some_and(|t| t >= PROVIDERS_SIGN)
    {
        return;
    }
    // A signature by the provider that nobody has verified (offline, no
    // Authentication-Results): cannot tell.
    let unverified = report
        .dkim_signatures
        .iter()
        .any(|s| s.domain.as_deref().is_some_and(signed_by_provider))
        && report.auth.live.dkim.is_none();
    if unverified {
        return;
    }
    out.push(finding(
        FindingId::FromFreemailSpoof,
        Severity::Error,
        format!("From is an @{from} address, but {from} did not sign this message."),
        format!("From は @{from} のアドレスですが、このメールは {from} が署名していません。"),
        "Mail with a free-mail address in From that was sent through another server fails DMARC for that domain, and receivers such as Gmail and Yahoo file such mail as spam or refuse it. Send through the provider's own servers (its SMTP with your account), or use an address at a domain you control.",
        header_span(report, "from").into_iter().collect(),
    ));
}

#[cfg(test)]
mod tests {
    use crate::auth::dns::NullResolver;

    #[test]
    fn offline_a_recorded_p_none_still_gives_policy_none() {
        let input = b"Authentication-Results: mx.google.com;\r\n dmarc=fail (p=NONE sp=NONE dis=NONE) header.from=shop.test\r\nReceived: from a.shop.test (a.shop.test [192.0.2.1]) by mx.google.com with ESMTPS id 1; Mon, 23 Nov 2026 01:00:00 -0800\r\nFrom: a@shop.test\r\nDate: Mon, 23 Nov 2026 01:00:00 -0800\r\nMessage-ID: <1@shop.test>\r\nSubject: x\r\n";
        let report = pollster::block_on(crate::analyze_live(input, 1_795_800_000, &NullResolver));
        let f = report
            .findings
            .iter()
            .find(|f| f.id == "dmarc.policy_none")
            .expect("dmarc.policy_none");
        assert!(f.message.contains("shop.test"), "{}", f.message);
        assert!(!f.evidence.is_empty());
    }
}
