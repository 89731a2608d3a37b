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
use todoku_core::wording::{Lang, Ui};

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

/// `label:` as a heading line, with the language's colon.
fn heading(label: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{label}:"),
        Lang::Ja => format!("{label}："),
    }
}

/// Columns a terminal gives `c`: 2 for East Asian wide and fullwidth
/// characters (CJK, kana, Hangul, fullwidth forms, most emoji), 0 for
/// combining marks and joiners, else 1.
fn char_width(c: char) -> usize {
    let u = u32::from(c);
    if matches!(u, 0x0300..=0x036F | 0x200B..=0x200D | 0xFE00..=0xFE0F) {
        return 0;
    }
    if matches!(
        u,
        0x1100..=0x115F
            | 0x2E80..=0x303E
            | 0x3041..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xA000..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x1F300..=0x1F64F
            | 0x1F900..=0x1F9FF
            | 0x20000..=0x3FFFD
    ) {
        2
    } else {
        1
    }
}

/// Columns `text` takes in a terminal.
pub(crate) fn width(text: &str) -> usize {
    text.chars().map(char_width).sum()
}

/// `text` in exactly `columns` columns: padded, or cut with `…` when it is
/// wider (then `true`: the caller shows the whole value elsewhere).
pub(crate) fn fit(text: &str, columns: usize) -> (String, bool) {
    let w = width(text);
    if w <= columns {
        return (format!("{text}{}", " ".repeat(columns - w)), false);
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let cw = char_width(c);
        if used + cw + 1 > columns {
            break;
        }
        out.push(c);
        used += cw;
    }
    out.push('…');
    used += 1;
    out.push_str(&" ".repeat(columns.saturating_sub(used)));
    (out, true)
}

/// `text` right-aligned in `columns` columns.
fn right(text: &str, columns: usize) -> String {
    format!("{}{text}", " ".repeat(columns.saturating_sub(width(text))))
}

fn bounce(report: &Report, lang: Lang, out: &mut String) {
    if report.bounce.is_empty() {
        return;
    }
    let _ = writeln!(out, "{}", heading(Ui::Bounce.get(lang), lang));
    for c in &report.bounce {
        let (meaning, fix) = todoku_core::report::text::bounce(c, lang);
        let kind = if c.temporary {
            Ui::Deferred
        } else {
            Ui::Refused
        };
        let (open, close, colon) = match lang {
            Lang::En => (" (", ")", ": "),
            Lang::Ja => ("（", "）", "："),
        };
        let _ = writeln!(
            out,
            "  {}{open}{}{close}{colon}{}\n    {}{}{}",
            visible(&c.label()),
            kind.get(lang),
            visible(meaning),
            match lang {
                Lang::En => "fix: ",
                Lang::Ja => "対処：",
            },
            visible(fix),
            c.finding
                .map(|id| format!("\n    {}{colon}{id}", Ui::FindingLabel.get(lang)))
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
                Some(o) => {
                    if o.source == todoku_core::whole::OriginalSource::MessagePartial {
                        let _ = writeln!(out, "({})", heading::PARTIAL.get(lang));
                    }
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

/// The zone `--tz` names: `local`, `utc`, a fixed offset (`+09:00`,
/// `-0800`) or an IANA name (`Asia/Tokyo`).
pub(crate) fn zone(name: &str) -> Result<jiff::tz::TimeZone, String> {
    use jiff::tz::{Offset, TimeZone};
    match name {
        "local" => return Ok(TimeZone::system()),
        "utc" | "UTC" | "Z" => return Ok(TimeZone::UTC),
        _ => {}
    }
    if let Some(sign) = name.chars().next().filter(|c| matches!(c, '+' | '-')) {
        let digits: String = name[1..].chars().filter(|c| *c != ':').collect();
        let ok = digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit());
        let (h, m) = digits.split_at(digits.len().min(2));
        if let (true, Ok(h), Ok(m)) = (ok, h.parse::<i32>(), m.parse::<i32>())
            && h <= 23
            && m <= 59
        {
            let seconds = (h * 3600 + m * 60) * if sign == '-' { -1 } else { 1 };
            if let Ok(offset) = Offset::from_seconds(seconds) {
                return Ok(TimeZone::fixed(offset));
            }
        }
        return Err(format!("--tz wants an offset such as +09:00, got {name:?}"));
    }
    TimeZone::get(name).map_err(|_| format!("--tz: unknown time zone {name:?}"))
}

/// A hop's time in `tz` (`2026-11-23 18:10:08 +09:00`), or the server's own
/// stamp when there is no zone or the stamp is not a valid date.
fn hop_time(hop: &todoku_core::trace::hops::Hop, tz: Option<&jiff::tz::TimeZone>) -> String {
    let converted = tz.zip(hop.unix_time).and_then(|(tz, t)| {
        let zoned = jiff::Timestamp::from_second(t).ok()?.to_zoned(tz.clone());
        Some(zoned.strftime("%Y-%m-%d %H:%M:%S %:z").to_string())
    });
    converted.unwrap_or_else(|| or_dash(hop.timestamp.as_deref()).into_owned())
}

/// The report as text, hop times as each server stamped them (the tests
/// and the cli_text fuzz target).
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn render(report: &Report, lang: Lang) -> String {
    render_in(report, lang, None)
}

/// The report as text, hop times in `tz` (the server's own stamp without).
pub(crate) fn render_in(report: &Report, lang: Lang, tz: Option<&jiff::tz::TimeZone>) -> String {
    let mut out = String::new();
    if let Some(problem) = &report.input.problem {
        if !report.bounce.is_empty() {
            let _ = writeln!(out, "{}\n", verdict(report, lang));
            bounce(report, lang, &mut out);
            return out;
        }
        let _ = writeln!(out, "{}", visible(&problem.sentence(lang)));
        return out;
    }
    let _ = writeln!(out, "{}\n", verdict(report, lang));
    if !report.fixes.is_empty() {
        let _ = writeln!(out, "{}:", todoku_core::wording::fixes::heading(lang));
        for (n, f) in report.fixes.iter().enumerate() {
            let sentence = match lang {
                Lang::En => &f.sentence,
                Lang::Ja => &f.sentence_ja,
            };
            // A bounce's own reply answers no finding of the original.
            let evidence = if f.findings.is_empty() {
                String::new()
            } else {
                format!(" [{}]", f.findings.join(", "))
            };
            let _ = writeln!(out, "  {}. {}{evidence}", n + 1, visible(sentence));
        }
        out.push('\n');
    }
    bounce(report, lang, &mut out);
    if let Some(outlook) = &report.input.outlook {
        let _ = writeln!(out, "({})", outlook.sentence(lang));
    }
    whole(report, lang, &mut out);
    if let Some(sentence) = todoku_core::input::InputNote::sentence(&report.input.notes, lang) {
        match lang {
            Lang::En => {
                let _ = writeln!(out, "({})", visible(&sentence));
            }
            Lang::Ja => {
                let _ = writeln!(out, "（{}）", visible(&sentence));
            }
        }
    }
    let s = &report.summary;
    let from = match (&s.from_name, &s.from) {
        (Some(name), Some(addr)) => format!("{} <{}>", visible(name), visible(addr)),
        (None, Some(addr)) => visible(addr).into_owned(),
        _ => "-".to_string(),
    };
    let labels = [Ui::Subject.get(lang), Ui::FromLabel.get(lang)];
    let label_width = labels.iter().map(|l| width(l)).max().unwrap_or(0) + 1;
    let colon = if lang == Lang::Ja { "：" } else { ":" };
    for (label, value) in labels
        .iter()
        .zip([or_dash(s.subject.as_deref()).into_owned(), from])
    {
        let (label, _) = fit(&format!("{label}{colon}"), label_width + width(colon));
        let _ = writeln!(out, "{label}{value}");
    }
    if !report.findings.is_empty() {
        let _ = writeln!(out, "\n{}", heading(Ui::Findings.get(lang), lang));
        for f in &report.findings {
            let severity = todoku_core::report::text::severity(f.severity, lang);
            match lang {
                Lang::En => {
                    let _ = writeln!(out, "  [{severity}] {}: {}", f.id, visible(&f.message));
                }
                Lang::Ja => {
                    let _ = writeln!(
                        out,
                        "  [{severity}] {}：{}\n      {}\n      {}",
                        f.id,
                        f.title.ja,
                        visible(f.message(lang)),
                        f.detail_ja
                    );
                }
            }
            if let Some(cause) = f.cause(lang) {
                let _ = writeln!(out, "      {}", visible(cause));
            }
        }
    }
    for list in &report.checklists {
        let _ = writeln!(out, "\n{}", heading(list.title.get(lang), lang));
        for item in &list.items {
            let mark = match item.state {
                todoku_core::report::checklist::CheckState::Pass => Ui::StatePass,
                todoku_core::report::checklist::CheckState::Fail => Ui::StateFail,
                todoku_core::report::checklist::CheckState::Unknown => Ui::StateUnknown,
            };
            let (mark, _) = fit(mark.get(lang), 4);
            let _ = writeln!(
                out,
                "  [{mark}] {} — {}",
                item.requirement.get(lang),
                visible(&todoku_core::report::text::check_evidence(item, lang))
            );
        }
    }
    let rec = &report.auth.recorded;
    if !rec.headers.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            heading(
                &visible(&todoku_core::report::text::recorded_heading(rec, lang)),
                lang
            )
        );
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
        let _ = writeln!(out, "\n{}", heading(Ui::VendorVerdicts.get(lang), lang));
        for v in &report.verdicts {
            let _ = writeln!(
                out,
                "  {}: {}",
                visible(v.vendor),
                visible(todoku_core::report::text::vendor_summary(v, lang))
            );
        }
    }
    hops(report, lang, tz, &mut out);
    live(report, lang, &mut out);
    out
}

/// The hop table: fixed columns, long values cut with `…` and written in
/// full on the line below (widths counted in terminal columns, CJK as 2).
fn hops(report: &Report, lang: Lang, tz: Option<&jiff::tz::TimeZone>, out: &mut String) {
    const W: [usize; 7] = [3, 40, 28, 8, 8, 26, 11];
    let _ = writeln!(out, "\n{}", heading(Ui::HopsOldestFirst.get(lang), lang));
    let head = [
        Ui::ColHop,
        Ui::ColFrom,
        Ui::ColBy,
        Ui::ColWith,
        Ui::ColTls,
        Ui::ColTime,
        Ui::ColDelay,
    ];
    let mut line = String::new();
    for (i, (h, w)) in head.iter().zip(W).enumerate() {
        let text = h.get(lang);
        let cell = if i == 0 || i == 6 {
            right(text, w)
        } else {
            fit(text, w).0
        };
        line.push_str(&cell);
        line.push_str(if i == 0 { "  " } else { " " });
    }
    let _ = writeln!(out, "{}", line.trim_end());
    for (gap, hop) in todoku_core::trace::hops::with_gaps(&report.hops) {
        if gap > 0 {
            let _ = writeln!(
                out,
                "  {}",
                todoku_core::report::text::hops_omitted(gap, lang)
            );
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
            .map(|d| todoku_core::report::text::elapsed(d, lang, true))
            .unwrap_or_else(|| "-".into());
        let cells = [
            (Ui::ColFrom, from),
            (Ui::ColBy, or_dash(hop.by_host.as_deref()).into_owned()),
            (Ui::ColWith, or_dash(hop.protocol.as_deref()).into_owned()),
            (Ui::ColTls, tls),
            (Ui::ColTime, hop_time(hop, tz)),
        ];
        let mut line = format!("{}  ", right(&hop.index.to_string(), W[0]));
        let mut cut = Vec::new();
        for ((label, value), w) in cells.iter().zip(&W[1..6]) {
            let (cell, truncated) = fit(value, *w);
            line.push_str(&cell);
            line.push(' ');
            if truncated {
                cut.push((label.get(lang), value));
            }
        }
        line.push_str(&right(&delay, W[6]));
        let _ = writeln!(out, "{line}");
        for (label, value) in cut {
            let _ = writeln!(
                out,
                "       {label}{}{value}",
                if lang == Lang::Ja { "：" } else { ": " }
            );
        }
    }
    if let Some(total) = report.total_transit_seconds {
        let _ = writeln!(
            out,
            "{}",
            todoku_core::report::text::total_transit(total, lang)
        );
    }
}

/// The live checks: one line per mechanism, then then-vs-now.
fn live(report: &Report, lang: Lang, out: &mut String) {
    let live = &report.auth.live;
    let _ = writeln!(out, "\n{}", heading(Ui::Live.get(lang), lang));
    let _ = writeln!(
        out,
        "  {}",
        visible(&todoku_core::report::text::live_heading(live, lang))
    );
    if let Some(dmarc) = &live.dmarc
        && let DmarcLookup::Found { record, .. } = &dmarc.lookup
    {
        let _ = writeln!(
            out,
            "  {}: {}",
            visible(&dmarc.evidence.name),
            visible(record)
        );
    }
    for row in todoku_core::report::text::live_rows(live, lang) {
        let (label, _) = fit(&visible(&row.label), 36);
        let (result, _) = fit(row.shown, 11);
        let _ = writeln!(out, "  {label} {result} {}", visible(&row.detail));
    }
    if let Some(policy) = live
        .dmarc
        .as_ref()
        .and_then(|d| d.evaluation.as_ref())
        .and_then(|e| e.applied_policy)
    {
        let _ = writeln!(
            out,
            "  {}{} {}",
            Ui::PolicyApplies.get(lang),
            if lang == Lang::Ja { "：" } else { ":" },
            policy.as_str()
        );
    }
    if !live.comparison.is_empty() {
        let _ = writeln!(out, "\n{}", heading(Ui::ThenNow.get(lang), lang));
        let shown = todoku_core::wording::results::shown;
        for c in &live.comparison {
            let (mechanism, _) = fit(&visible(&c.mechanism), 24);
            let _ = writeln!(
                out,
                "  {mechanism} {} -> {} {}",
                right(&or_dash(c.then.as_deref().map(|w| shown(w, lang))), 10),
                fit(&or_dash(c.now.as_deref().map(|w| shown(w, lang))), 11).0,
                visible(todoku_core::report::text::then_now(c, lang))
            );
        }
    }
    if !live.evidence.is_empty() && live.provider.as_deref() != Some("offline") {
        let _ = writeln!(out, "\n{}", heading(Ui::DnsEvidence.get(lang), lang));
        for e in &live.evidence {
            let _ = writeln!(out, "  {}", visible(&e.summary_in(lang)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 18: hop times in the reader's zone (the CLI's local zone or
    /// --tz), not each server's own offset (-08:00, +00:00, +09:00 mixed).
    #[test]
    fn hop_times_are_shown_in_the_chosen_zone() {
        // Not while a memory test counts every thread's allocations.
        let _serial = crate::counting::serial();
        let headers = "Received: from mx.example.net by mx.google.com with ESMTPS; Mon, 23 Nov 2026 01:10:08 -0800\r\n\
Received: from pc by smtp.example.net with ESMTPSA; Mon, 23 Nov 2026 18:10:07 +0900\r\n\
From: a@todoku.test\r\nDate: Mon, 23 Nov 2026 18:10:00 +0900\r\n\r\n";
        let report = todoku_core::analyze(headers.as_bytes(), 1_795_000_000);
        let tokyo = zone("+09:00").unwrap();
        let out = render_in(&report, Lang::En, Some(&tokyo));
        assert!(out.contains("2026-11-23 18:10:07 +09:00"), "{out}");
        assert!(out.contains("2026-11-23 18:10:08 +09:00"), "{out}");
        assert!(!out.contains("-08:00"), "{out}");
        let utc = render_in(&report, Lang::En, Some(&zone("utc").unwrap()));
        assert!(utc.contains("2026-11-23 09:10:08 +00:00"), "{utc}");
        // Without a zone, each server's own stamp.
        assert!(render(&report, Lang::En).contains("-08:00"));
    }

    #[test]
    fn tz_names_offsets_and_refusals() {
        let _serial = crate::counting::serial();
        assert!(zone("Asia/Tokyo").is_ok());
        assert!(zone("-0800").is_ok());
        assert!(zone("local").is_ok());
        for bad in ["+25:00", "+9", "nowhere", "+09:60"] {
            assert!(zone(bad).is_err(), "{bad}");
        }
    }
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

    /// Issue 18: the changes to make come first, under the verdict.
    #[test]
    fn what_to_change_is_printed_under_the_verdict() {
        let headers = "Received: from smtp99.hosting.test (smtp99.hosting.test [203.0.113.99]) by mx.google.com with ESMTPS id a1; Mon, 23 Nov 2026 01:10:08 -0800\r\nAuthentication-Results: mx.google.com; spf=softfail smtp.mailfrom=taro@shop.test\r\nFrom: <taro@shop.test>\r\nSubject: x\r\nDate: Mon, 23 Nov 2026 18:10:05 +0900\r\nMessage-ID: <1@shop.test>\r\n";
        let report = todoku_core::analyze(headers.as_bytes(), 1_795_800_000);
        let out = render(&report, Lang::Ja);
        let verdict_end = out.find('\n').unwrap_or_default();
        let fixes = out.find("何を直すか:\n  1. SPF レコード shop.test TXT の最後の all（~all や -all）の前に ip4:203.0.113.99 を追加してください。");
        assert!(fixes.is_some_and(|at| at == verdict_end + 2), "{out}");
        assert!(out.contains("[spf.softfail"), "{out}");
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

    /// Regression (issue 18): a long from label (rDNS and address) pushed
    /// every later column of the hop table to the right. Cells are cut to
    /// their column, counted in terminal columns (CJK as two), and the whole
    /// value follows on its own line.
    #[test]
    fn hop_table_rows_keep_their_width_with_long_and_wide_values() {
        let headers = "Received: from mx01.hhi.fraunhofer.de (mx01.HHI.FRAUNHOFER.DE [193.174.67.54]) by mm2.emwd.com with ESMTPS id Q1; Mon, 23 Nov 2026 10:00:01 +0000\r\n\
Received: from \u{6771}\u{4eac}\u{306e}\u{30d1}\u{30bd}\u{30b3}\u{30f3}\u{540d}\u{524d}\u{304c}\u{3068}\u{3066}\u{3082}\u{9577}\u{3044}\u{5834}\u{5408} (unknown [198.51.100.7]) by mx01.hhi.fraunhofer.de with ESMTP id Q0; Mon, 23 Nov 2026 10:00:00 +0000\r\n\
From: a@todoku.test\r\nSubject: s\r\nDate: Mon, 23 Nov 2026 09:59:59 +0000\r\nMessage-ID: <1@todoku.test>\r\n\r\n";
        let report = todoku_core::analyze(headers.as_bytes(), 1_795_000_000);
        for lang in [Lang::En, Lang::Ja] {
            let out = render(&report, lang);
            let lines: Vec<&str> = out.lines().collect();
            let head = lines
                .iter()
                .position(|l| l.trim_start().starts_with('#'))
                .expect("table heading");
            let rows: Vec<&str> = lines[head + 1..]
                .iter()
                .copied()
                .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
                .take(2)
                .collect();
            assert_eq!(rows.len(), 2, "{out}");
            // 3 + 2 + 40 + 28 + 8 + 8 + 26 + 11 columns and the 5 spaces
            // between (the delay's 11: `+4 日 16 時間`, a list's hold).
            for row in &rows {
                assert_eq!(
                    width(row),
                    3 + 2 + 40 + 1 + 28 + 1 + 8 + 1 + 8 + 1 + 26 + 1 + 11,
                    "{row:?}\n{out}"
                );
            }
            // Each hop's time starts in the same column.
            let at = |row: &str| width(&row[..row.find("2026-").unwrap()]);
            assert_eq!(at(rows[0]), at(rows[1]), "{out}");
            // The whole values are shown below their rows.
            assert!(
                out.contains("mx01.hhi.fraunhofer.de (mx01.HHI.FRAUNHOFER.DE [193.174.67.54])"),
                "{out}"
            );
            assert!(out.contains("\u{6771}\u{4eac}\u{306e}\u{30d1}\u{30bd}\u{30b3}\u{30f3}\u{540d}\u{524d}\u{304c}\u{3068}\u{3066}\u{3082}\u{9577}\u{3044}\u{5834}\u{5408} [198.51.100.7]"), "{out}");
        }
    }

    #[test]
    fn fit_counts_wide_characters_as_two_columns() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("\u{6771}\u{4eac}"), 4);
        assert_eq!(fit("ab", 4), ("ab  ".to_string(), false));
        assert_eq!(
            fit("\u{6771}\u{4eac}\u{90fd}", 4),
            ("\u{6771}\u{2026} ".to_string(), true)
        );
        assert_eq!(width(&fit("\u{6771}\u{4eac}\u{90fd}abc", 5).0), 5);
    }
}
