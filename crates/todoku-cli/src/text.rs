//! The plain-text rendering of a Report for terminals.

use std::fmt::Write as _;

use todoku_core::Report;
use todoku_core::auth::live::DmarcLookup;
use todoku_core::wording::Lang;

fn or_dash(value: Option<&str>) -> &str {
    value.unwrap_or("-")
}

fn verdict(report: &Report, lang: Lang) -> &str {
    match lang {
        Lang::En => &report.verdict.sentence,
        Lang::Ja => &report.verdict.sentence_ja,
    }
}

fn bounce(report: &Report, out: &mut String) {
    if report.bounce.is_empty() {
        return;
    }
    let _ = writeln!(out, "Rejection decoded:");
    for c in &report.bounce {
        let _ = writeln!(
            out,
            "  {} ({}): {}\n    fix: {}{}",
            c.label(),
            if c.temporary { "deferred" } else { "refused" },
            c.meaning,
            c.fix,
            c.finding
                .map(|id| format!("\n    finding: {id}"))
                .unwrap_or_default()
        );
    }
    let _ = writeln!(out);
}

pub(crate) fn render(report: &Report, lang: Lang) -> String {
    let mut out = String::new();
    if let Some(problem) = &report.input.problem {
        if !report.bounce.is_empty() {
            let _ = writeln!(out, "{}\n", verdict(report, lang));
            bounce(report, &mut out);
            return out;
        }
        let _ = writeln!(out, "Nothing to analyse: {problem:?}");
        return out;
    }
    let _ = writeln!(out, "{}\n", verdict(report, lang));
    bounce(report, &mut out);
    if let Some(sentence) = todoku_core::input::InputNote::sentence(&report.input.notes, lang) {
        let _ = writeln!(out, "({sentence})");
    }
    let s = &report.summary;
    let _ = writeln!(out, "Subject: {}", or_dash(s.subject.as_deref()));
    let from = match (&s.from_name, &s.from) {
        (Some(name), Some(addr)) => format!("{name} <{addr}>"),
        (None, Some(addr)) => addr.clone(),
        _ => "-".to_string(),
    };
    let _ = writeln!(out, "From:    {from}");
    if !report.findings.is_empty() {
        let _ = writeln!(out, "\nFindings:");
        for f in &report.findings {
            let severity = serde_json::to_value(f.severity)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            match lang {
                Lang::En => {
                    let _ = writeln!(out, "  [{severity}] {}: {}", f.id, f.message);
                }
                Lang::Ja => {
                    let _ = writeln!(
                        out,
                        "  [{severity}] {}: {}\n      {}\n      {}",
                        f.id, f.title.ja, f.message, f.detail_ja
                    );
                }
            }
            if let Some(cause) = &f.cause {
                let _ = writeln!(out, "      {cause}");
            }
        }
    }
    for list in &report.checklists {
        let _ = writeln!(out, "\n{}:", list.title.get(lang));
        for item in &list.items {
            let mark = match item.state {
                todoku_core::report::checklist::CheckState::Pass => "ok  ",
                todoku_core::report::checklist::CheckState::Fail => "FAIL",
                todoku_core::report::checklist::CheckState::Unknown => "?   ",
            };
            let _ = writeln!(
                out,
                "  [{mark}] {} — {}",
                item.requirement.get(lang),
                item.evidence
            );
        }
    }
    let rec = &report.auth.recorded;
    if !rec.headers.is_empty() {
        let by = rec.authserv_id.as_deref().unwrap_or("no authserv-id");
        let _ = writeln!(out, "\nRecorded by the receiver ({by}):");
        for r in rec
            .spf
            .iter()
            .chain(&rec.dkim)
            .chain(&rec.dmarc)
            .chain(&rec.arc)
            .chain(&rec.compauth)
            .chain(&rec.iprev)
        {
            let _ = writeln!(out, "  {r}");
        }
    }
    if !report.verdicts.is_empty() {
        let _ = writeln!(out, "\nSpam filter verdicts:");
        for v in &report.verdicts {
            let _ = writeln!(out, "  {}: {}", v.vendor, v.summary);
        }
    }
    let _ = writeln!(out, "\nReceived hops (oldest first):");
    let _ = writeln!(
        out,
        "{:>3}  {:<40} {:<28} {:<8} {:<8} {:<25} {:>7}",
        "#", "from", "by", "with", "tls", "timestamp", "delay"
    );
    for (gap, hop) in todoku_core::trace::hops::with_gaps(&report.hops) {
        if gap > 0 {
            let _ = writeln!(out, "  …  {gap} hops in between not read (a mail loop)");
        }
        let from = hop.from_label().unwrap_or_else(|| "-".into());
        // The recorded version, else "TLS" for a TLS `with` type written
        // without details (ESMTPS, ESMTPSA, UTF8SMTPS…).
        let tls = hop
            .tls
            .as_ref()
            .and_then(|t| t.version.clone().or_else(|| t.cipher.clone()))
            .or_else(|| (hop.encrypted() == Some(true)).then(|| "TLS".into()))
            .unwrap_or_else(|| "-".into());
        let delay = hop
            .delay_seconds
            .map(|d| format!("{d:+}s"))
            .unwrap_or_else(|| "-".into());
        let _ = writeln!(
            out,
            "{:>3}  {:<40} {:<28} {:<8} {:<8} {:<25} {:>7}",
            hop.index,
            from,
            or_dash(hop.by_host.as_deref()),
            or_dash(hop.protocol.as_deref()),
            tls,
            or_dash(hop.timestamp.as_deref()),
            delay
        );
    }
    if let Some(total) = report.total_transit_seconds {
        let _ = writeln!(out, "Total transit: {total} s");
    }
    live(report, &mut out);
    out
}

/// The live checks: one line per mechanism, then then-vs-now.
fn live(report: &Report, out: &mut String) {
    let live = &report.auth.live;
    let _ = writeln!(
        out,
        "\nLive checks (via {}, {} round(s) of DNS):",
        live.provider.as_deref().unwrap_or("-"),
        live.rounds
    );
    if let Some(spf) = &live.spf {
        let reason = spf
            .mail_from_check
            .as_ref()
            .or(spf.helo_check.as_ref())
            .and_then(|c| c.reason.clone())
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  SPF    {} for {} from {}{reason}",
            spf.result.as_str(),
            spf.mail_from.as_deref().unwrap_or("(no envelope sender)"),
            spf.ip
        );
        if let Some(helo) = &spf.helo_check {
            let _ = writeln!(
                out,
                "  SPF    {} for HELO {}",
                helo.result.as_str(),
                helo.domain
            );
        }
    }
    for sig in live.dkim.iter().flat_map(|d| &d.signatures) {
        let _ = writeln!(
            out,
            "  DKIM   {} d={} s={}{}",
            sig.result.as_str(),
            sig.domain.as_deref().unwrap_or("-"),
            sig.selector.as_deref().unwrap_or("-"),
            sig.reason
                .as_ref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default()
        );
    }
    if let Some(dmarc) = &live.dmarc {
        let what = match &dmarc.lookup {
            DmarcLookup::Found { record, .. } => record.clone(),
            DmarcLookup::None { .. } => "no DMARC record".into(),
            DmarcLookup::Multiple { records } => {
                format!("{} DMARC records (none applies)", records.len())
            }
            DmarcLookup::Temperror { rcode } => format!("DNS error ({rcode:?})"),
            DmarcLookup::Unavailable { failure } => format!("not checked: {failure}"),
        };
        let _ = writeln!(
            out,
            "  DMARC  {} ({} via {}): {what}",
            dmarc.result.as_str(),
            dmarc.evidence.name,
            dmarc.evidence.provider
        );
        if let Some(policy) = dmarc.evaluation.as_ref().and_then(|e| e.applied_policy) {
            let _ = writeln!(out, "         policy that applies: {}", policy.as_str());
        }
    }
    if let Some(arc) = &live.arc {
        let _ = writeln!(
            out,
            "  ARC    {} {}",
            arc.check.result.as_str(),
            arc.check.summary()
        );
    }
    if let Some(iprev) = &live.iprev {
        let _ = writeln!(
            out,
            "  iprev  {} {}{}",
            iprev.check.result.as_str(),
            iprev.check.ip,
            iprev
                .check
                .confirmed_name
                .as_ref()
                .map(|n| format!(" = {n}"))
                .or(iprev.check.reason.as_ref().map(|r| format!(" ({r})")))
                .unwrap_or_default()
        );
    }
    if !live.comparison.is_empty() {
        let _ = writeln!(out, "\nThen (recorded) vs now (re-checked):");
        for c in &live.comparison {
            let _ = writeln!(
                out,
                "  {:<24} {:>10} -> {:<10} {}",
                c.mechanism,
                c.then.as_deref().unwrap_or("-"),
                c.now.as_deref().unwrap_or("-"),
                c.explanation
            );
        }
    }
    if !live.evidence.is_empty() && live.provider.as_deref() != Some("offline") {
        let _ = writeln!(
            out,
            "\nDNS evidence ({} question(s) via {}, {} round(s)):",
            live.evidence.len(),
            live.provider.as_deref().unwrap_or("-"),
            live.rounds
        );
        for e in &live.evidence {
            let _ = writeln!(out, "  {}", e.summary());
        }
    }
}
