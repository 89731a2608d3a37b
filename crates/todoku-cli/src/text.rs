//! The plain-text rendering of a Report for terminals.
//!
//! Every value the report carries (header text, decoded words, DNS answers,
//! sentences quoting them) passes through [`visible`] before it reaches the
//! terminal, so a header cannot send escape sequences (OSC 52 writes the
//! clipboard) or reorder the line with bidi controls.

use std::borrow::Cow;
use std::fmt::Write as _;

use todoku_core::Report;
use todoku_core::auth::live::DmarcLookup;
use todoku_core::wording::Lang;

/// Whether `c` is shown as an escape rather than sent to the terminal:
/// control characters (C0, DEL, C1), the bidi controls, and the invisible
/// format characters (zero-width space, word joiner, BOM, line and
/// paragraph separators, interlinear annotation, tag characters). ZWNJ and
/// ZWJ (U+200C, U+200D) are kept: scripts and emoji need them.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'
                | '\u{200E}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{E0000}'..='\u{E007F}'
        )
}

/// `text` safe for a terminal: every character [`hidden`] would hide is
/// written as a Rust escape (`\n`, `\r`, `\t`, else `\u{1b}`, `\u{202e}`:
/// the code point in hex), the notation the core uses when it quotes input.
pub(crate) fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if hidden(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn or_dash(value: Option<&str>) -> Cow<'_, str> {
    visible(value.unwrap_or("-"))
}

fn verdict(report: &Report, lang: Lang) -> Cow<'_, str> {
    visible(match lang {
        Lang::En => &report.verdict.sentence,
        Lang::Ja => &report.verdict.sentence_ja,
    })
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
            visible(&c.label()),
            if c.temporary { "deferred" } else { "refused" },
            visible(&c.meaning),
            visible(&c.fix),
            c.finding
                .map(|id| format!("\n    finding: {id}"))
                .unwrap_or_default()
        );
    }
    let _ = writeln!(out);
}

/// What the input was as a whole: a bounce's recipients, or which attached
/// message is analysed, then the heading of the message the rest is about.
fn whole(report: &Report, lang: Lang, out: &mut String) {
    use todoku_core::whole::WholeKind;
    use todoku_core::wording::bounce::{attached, heading};
    let w = &report.whole;
    match w.kind {
        WholeKind::Message => {}
        WholeKind::Bounce => {
            let _ = writeln!(out, "{}", heading::BOUNCE.get(lang));
            if let Some(outer) = &w.outer {
                let _ = writeln!(
                    out,
                    "  {} / {}",
                    or_dash(outer.from.as_deref()),
                    or_dash(outer.subject.as_deref())
                );
            }
            if let Some(mta) = &w.reporting_mta {
                let _ = writeln!(
                    out,
                    "  {}: {}",
                    heading::REPORTING_MTA.get(lang),
                    visible(mta)
                );
            }
            for r in &w.recipients {
                let code = r
                    .status
                    .clone()
                    .or_else(|| r.reply.map(|n| n.to_string()))
                    .unwrap_or_else(|| "-".to_string());
                let _ = writeln!(
                    out,
                    "  {}: {}  {}: {}\n    {}: {}",
                    heading::RECIPIENT.get(lang),
                    visible(&r.address),
                    heading::STATUS.get(lang),
                    visible(&code),
                    heading::REASON.get(lang),
                    r.reason.get(lang)
                );
                if let Some(mta) = &r.remote_mta {
                    let _ = writeln!(
                        out,
                        "    {}: {}",
                        heading::REMOTE_MTA.get(lang),
                        visible(mta)
                    );
                }
                if let Some(d) = &r.diagnostic {
                    let _ = writeln!(out, "    {}: {}", heading::DIAGNOSTIC.get(lang), visible(d));
                }
            }
            let _ = writeln!(out);
            match w.original {
                Some(_) => {
                    let _ = writeln!(out, "== {} ==", heading::REJECTED.get(lang));
                }
                None => {
                    let _ = writeln!(out, "({})", heading::NO_ORIGINAL.get(lang));
                }
            }
        }
        WholeKind::Attached => {
            let index = w.chosen.unwrap_or(0) + 1;
            let _ = writeln!(out, "== {} ==", attached(index, w.attachments.len(), lang));
            for (i, a) in w.attachments.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "  {}. {} / {}",
                    i + 1,
                    or_dash(a.from.as_deref()),
                    or_dash(a.subject.as_deref())
                );
            }
        }
    }
}

pub(crate) fn render(report: &Report, lang: Lang) -> String {
    let mut out = String::new();
    if let Some(problem) = &report.input.problem {
        if !report.bounce.is_empty() {
            let _ = writeln!(out, "{}\n", verdict(report, lang));
            bounce(report, &mut out);
            return out;
        }
        let _ = writeln!(out, "{}", visible(&problem.sentence(lang)));
        return out;
    }
    let _ = writeln!(out, "{}\n", verdict(report, lang));
    bounce(report, &mut out);
    whole(report, lang, &mut out);
    if let Some(sentence) = todoku_core::input::InputNote::sentence(&report.input.notes, lang) {
        let _ = writeln!(out, "({})", visible(&sentence));
    }
    let s = &report.summary;
    let _ = writeln!(out, "Subject: {}", or_dash(s.subject.as_deref()));
    let from = match (&s.from_name, &s.from) {
        (Some(name), Some(addr)) => format!("{} <{}>", visible(name), visible(addr)),
        (None, Some(addr)) => visible(addr).into_owned(),
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
                    let _ = writeln!(out, "  [{severity}] {}: {}", f.id, visible(&f.message));
                }
                Lang::Ja => {
                    let _ = writeln!(
                        out,
                        "  [{severity}] {}: {}\n      {}\n      {}",
                        f.id,
                        f.title.ja,
                        visible(&f.message),
                        f.detail_ja
                    );
                }
            }
            if let Some(cause) = &f.cause {
                let _ = writeln!(out, "      {}", visible(cause));
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
                visible(&item.evidence)
            );
        }
    }
    let rec = &report.auth.recorded;
    if !rec.headers.is_empty() {
        let by = visible(rec.authserv_id.as_deref().unwrap_or("no authserv-id"));
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
            let _ = writeln!(out, "  {}", visible(&r.to_string()));
        }
    }
    if !report.verdicts.is_empty() {
        let _ = writeln!(out, "\nSpam filter verdicts:");
        for v in &report.verdicts {
            let _ = writeln!(out, "  {}: {}", visible(v.vendor), visible(&v.summary));
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
        let from = visible(&hop.from_label().unwrap_or_else(|| "-".into())).into_owned();
        // The recorded version, else "TLS" for a TLS `with` type written
        // without details (ESMTPS, ESMTPSA, UTF8SMTPS…).
        let tls = hop
            .tls
            .as_ref()
            .and_then(|t| t.version.clone().or_else(|| t.cipher.clone()))
            .or_else(|| (hop.encrypted() == Some(true)).then(|| "TLS".into()))
            .map_or_else(|| "-".into(), |t| visible(&t).into_owned());
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
        or_dash(live.provider.as_deref()),
        live.rounds
    );
    if let Some(spf) = &live.spf {
        let reason = spf
            .mail_from_check
            .as_ref()
            .or(spf.helo_check.as_ref())
            .and_then(|c| c.reason.as_deref())
            .map(|r| format!(" ({})", visible(r)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  SPF    {} for {} from {}{reason}",
            spf.result.as_str(),
            visible(spf.mail_from.as_deref().unwrap_or("(no envelope sender)")),
            spf.ip
        );
        if let Some(helo) = &spf.helo_check {
            let _ = writeln!(
                out,
                "  SPF    {} for HELO {}",
                helo.result.as_str(),
                visible(&helo.domain)
            );
        }
    }
    for sig in live.dkim.iter().flat_map(|d| &d.signatures) {
        let _ = writeln!(
            out,
            "  DKIM   {} d={} s={}{}",
            sig.result.as_str(),
            or_dash(sig.domain.as_deref()),
            or_dash(sig.selector.as_deref()),
            sig.reason
                .as_deref()
                .map(|r| format!(" ({})", visible(r)))
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
            visible(&dmarc.evidence.name),
            visible(&dmarc.evidence.provider),
            what = visible(&what)
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
            visible(&arc.check.summary())
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
                .as_deref()
                .map(|n| format!(" = {}", visible(n)))
                .or(iprev
                    .check
                    .reason
                    .as_deref()
                    .map(|r| format!(" ({})", visible(r))))
                .unwrap_or_default()
        );
    }
    if !live.comparison.is_empty() {
        let _ = writeln!(out, "\nThen (recorded) vs now (re-checked):");
        for c in &live.comparison {
            let _ = writeln!(
                out,
                "  {:<24} {:>10} -> {:<10} {}",
                visible(&c.mechanism),
                or_dash(c.then.as_deref()),
                or_dash(c.now.as_deref()),
                visible(&c.explanation)
            );
        }
    }
    if !live.evidence.is_empty() && live.provider.as_deref() != Some("offline") {
        let _ = writeln!(
            out,
            "\nDNS evidence ({} question(s) via {}, {} round(s)):",
            live.evidence.len(),
            or_dash(live.provider.as_deref()),
            live.rounds
        );
        for e in &live.evidence {
            let _ = writeln!(out, "  {}", visible(&e.summary()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use todoku_core::auth::dns::{DnsAnswer, DnsRecord, FixtureResolver, RecordType};

    /// Characters that must never reach the terminal raw: controls other
    /// than the layout's own line feeds, and the bidi controls (listed
    /// here, not taken from the code under test).
    fn raw_controls(out: &str) -> Vec<char> {
        out.chars()
            .filter(|&c| {
                (c.is_control() && c != '\n')
                    || matches!(
                        c,
                        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
                    )
            })
            .collect()
    }

    #[test]
    fn visible_escapes_controls_and_bidi_but_keeps_text_and_joiners() {
        assert!(matches!(visible("月例会議 a@b.test"), Cow::Borrowed(_)));
        assert_eq!(
            visible("a\u{1b}]52;c;eA==\u{7}b\nc\r\td\u{7f}\u{9b}"),
            "a\\u{1b}]52;c;eA==\\u{7}b\\nc\\r\\td\\u{7f}\\u{9b}"
        );
        assert_eq!(
            visible("\u{202e}\u{2066}\u{2067}\u{2068}\u{2069}\u{200e}\u{200f}\u{61c}"),
            "\\u{202e}\\u{2066}\\u{2067}\\u{2068}\\u{2069}\\u{200e}\\u{200f}\\u{61c}"
        );
        // Joiners that scripts and emoji need stay as they are.
        let joined = "\u{0915}\u{094d}\u{200d}\u{0937} \u{0646}\u{200c}\u{0645} 👩\u{200d}💻";
        assert_eq!(visible(joined), joined);
    }

    /// Regression (issue 19, item 11): DNS answers (a DMARC record, a PTR
    /// name) went to the terminal raw in the live section and the evidence.
    #[test]
    fn dns_answers_with_escape_sequences_are_shown_escaped() {
        let headers = "Received: from mail.todoku.test (mail.todoku.test [192.0.2.25]) by mx.example.net with ESMTPS id Q1; Mon, 23 Nov 2026 10:00:00 +0000\r\nFrom: a@todoku.test\r\nSubject: s\r\nDate: Mon, 23 Nov 2026 09:59:59 +0000\r\nMessage-ID: <1@todoku.test>\r\n\r\n";
        let resolver = FixtureResolver::new()
            .txt(
                "_dmarc.todoku.test",
                "v=DMARC1; p=none; rua=mailto:r@todoku.test\u{1b}]52;c;ZXZpbA==\u{7}\u{202e}",
            )
            .answer(
                "25.2.0.192.in-addr.arpa",
                RecordType::Ptr,
                Ok(DnsAnswer::records(vec![DnsRecord::Ptr {
                    name: "mail\u{1b}[2J\u{2067}.todoku.test".into(),
                    ttl: 300,
                }])),
            );
        let report = pollster::block_on(todoku_core::analyze_live(
            headers.as_bytes(),
            1_795_000_000,
            &resolver,
        ));
        let out = render(&report, Lang::En);
        assert_eq!(raw_controls(&out), Vec::<char>::new(), "{out}");
        assert!(
            out.contains("rua=mailto:r@todoku.test\\u{1b}]52;c;ZXZpbA==\\u{7}\\u{202e}"),
            "{out}"
        );
        assert!(out.contains("mail\\u{1b}[2J\\u{2067}.todoku.test"), "{out}");
    }
}
