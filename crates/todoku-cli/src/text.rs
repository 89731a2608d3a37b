//! The plain-text rendering of a Report for terminals.

use std::fmt::Write as _;

use todoku_core::Report;
use todoku_core::live::DmarcLookup;

fn or_dash(value: Option<&str>) -> &str {
    value.unwrap_or("-")
}

pub(crate) fn render(report: &Report) -> String {
    let mut out = String::new();
    if let Some(problem) = &report.input.problem {
        let _ = writeln!(out, "Nothing to analyse: {problem:?}");
        return out;
    }
    let _ = writeln!(out, "{}\n", report.verdict.sentence);
    for note in &report.input.notes {
        let _ = writeln!(out, "(input: {note:?})");
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
            let _ = writeln!(out, "  [{severity}] {}: {}", f.id, f.message);
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
    for hop in &report.hops {
        let from = match (&hop.helo, &hop.from_ip) {
            (Some(h), Some(ip)) => format!("{h} [{ip}]"),
            (Some(h), None) => h.clone(),
            (None, Some(ip)) => format!("[{ip}]"),
            (None, None) => "-".into(),
        };
        let tls = hop
            .tls
            .as_ref()
            .and_then(|t| t.version.clone().or_else(|| t.cipher.clone()))
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
    if let Some(dmarc) = &report.auth.live.dmarc {
        let what = match &dmarc.result {
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
            "\nDMARC now ({} via {}): {what}",
            dmarc.evidence.name, dmarc.evidence.provider
        );
    }
    out
}
