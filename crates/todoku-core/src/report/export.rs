//! Sharing a report without sharing the person: a Markdown summary for a
//! support ticket, and a redacted copy of the input (mailbox local parts and
//! Message-ID left parts masked; IP addresses too, on request). Both are
//! made here, in the page or the CLI; nothing is uploaded.

use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::Report;
use crate::report::checklist::CheckState;
use crate::report::finding::Severity;
use crate::report::text;
use crate::wording::{Lang, Ui};

/// Escape text from headers or DNS so it cannot become Markdown syntax
/// (links, emphasis, tables, HTML).
pub fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '(' | ')' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// The "what to change" list, numbered, each with the findings it answers.
fn fixes(report: &Report, lang: Lang, out: &mut String) {
    if report.fixes.is_empty() {
        return;
    }
    let _ = writeln!(out, "## {}\n", crate::wording::fixes::heading(lang));
    for (n, f) in report.fixes.iter().enumerate() {
        let sentence = if lang == Lang::Ja {
            &f.sentence_ja
        } else {
            &f.sentence
        };
        let ids: Vec<String> = f.findings.iter().map(|id| format!("`{id}`")).collect();
        let evidence = if ids.is_empty() {
            String::new()
        } else {
            format!(" ({})", ids.join(", "))
        };
        let _ = writeln!(out, "{}. {}{evidence}", n + 1, md_escape(sentence));
    }
    out.push('\n');
}

/// The report as Markdown: verdict, findings with their fixes, checklists,
/// hops, then-vs-now and the DNS evidence, every word in `lang` (the
/// labels from [`Ui`], the sentences from [`crate::report::text`]).
pub fn markdown(report: &Report, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", Ui::MarkdownTitle.get(lang));
    let sentence = match lang {
        Lang::En => &report.verdict.sentence,
        Lang::Ja => &report.verdict.sentence_ja,
    };
    let _ = writeln!(out, "**{}**\n", md_escape(sentence));
    fixes(report, lang, &mut out);
    summary_lines(report, lang, &mut out);
    bounce_section(report, lang, &mut out);
    findings_section(report, lang, &mut out);
    checklist_sections(report, lang, &mut out);
    hops_table(report, lang, &mut out);
    live_sections(report, lang, &mut out);
    out
}

/// Subject, From and Date, one line each.
fn summary_lines(report: &Report, lang: Lang, out: &mut String) {
    let s = &report.summary;
    let colon = if lang == Lang::Ja { "：" } else { ": " };
    for (label, value) in [
        (Ui::Subject, s.subject.as_deref()),
        (Ui::FromLabel, s.from.as_deref()),
        (Ui::Date, s.date.as_deref()),
    ] {
        if let Some(v) = value {
            let _ = writeln!(out, "- {}{colon}{}", label.get(lang), md_escape(v));
        }
    }
}

/// The rejection codes a bounce carries, with their meaning and fix.
fn bounce_section(report: &Report, lang: Lang, out: &mut String) {
    if report.bounce.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## {}\n", Ui::Bounce.get(lang));
    for c in &report.bounce {
        let (meaning, fix) = text::bounce(c, lang);
        let _ = writeln!(
            out,
            "- {}: {} — {}",
            md_escape(&c.label()),
            md_escape(meaning),
            md_escape(fix)
        );
    }
}

/// Every finding that is not a pass: severity, title, id, message, detail
/// and cause.
fn findings_section(report: &Report, lang: Lang, out: &mut String) {
    let _ = writeln!(out, "\n## {}\n", Ui::Findings.get(lang));
    for f in report
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Pass)
    {
        let (title, detail) = if lang == Lang::Ja && !f.detail_ja.is_empty() {
            (f.title.ja, f.detail_ja)
        } else {
            (f.title.get(lang), f.detail.as_str())
        };
        let _ = writeln!(
            out,
            "- **[{}] {}** (`{}`)  \n  {}  \n  {}",
            text::severity(f.severity, lang),
            md_escape(title),
            f.id,
            md_escape(f.message(lang)),
            md_escape(detail)
        );
        if let Some(cause) = f.cause(lang) {
            let _ = writeln!(out, "  {}", md_escape(cause));
        }
    }
}

/// One section per checklist, a line per requirement with its mark.
fn checklist_sections(report: &Report, lang: Lang, out: &mut String) {
    for list in &report.checklists {
        let _ = writeln!(out, "\n## {}\n", md_escape(list.title.get(lang)));
        for item in &list.items {
            let mark = match item.state {
                CheckState::Pass => "✅",
                CheckState::Fail => "❌",
                CheckState::Unknown => "❔",
            };
            let _ = writeln!(
                out,
                "- {mark} {} — {}",
                md_escape(item.requirement.get(lang)),
                md_escape(&text::check_evidence(item, lang))
            );
        }
    }
}

/// The Received hops as a table, with a row for each run left out.
fn hops_table(report: &Report, lang: Lang, out: &mut String) {
    if report.hops.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## {}\n", Ui::ReceivedHops.get(lang));
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
        Ui::ColHop.get(lang),
        Ui::ColFrom.get(lang),
        Ui::ColBy.get(lang),
        Ui::ColWith.get(lang),
        Ui::ColDelay.get(lang)
    );
    for (gap, h) in crate::trace::hops::with_gaps(&report.hops) {
        if gap > 0 {
            let _ = writeln!(out, "| {} | | | | |", text::hops_omitted(gap, lang));
        }
        let from = h.from_label().unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            h.index,
            md_escape(&from),
            md_escape(h.by_host.as_deref().unwrap_or_default()),
            md_escape(h.protocol.as_deref().unwrap_or_default()),
            h.delay_seconds
                .map(|d| format!("{d} {}", Ui::Seconds.get(lang)))
                .unwrap_or_default()
        );
    }
}

/// Then-vs-now per mechanism and the DNS evidence of the live checks.
fn live_sections(report: &Report, lang: Lang, out: &mut String) {
    let live = &report.auth.live;
    if !live.comparison.is_empty() {
        let _ = writeln!(out, "\n## {}\n", Ui::ThenNow.get(lang));
        let shown = crate::wording::results::shown;
        for c in &live.comparison {
            let _ = writeln!(
                out,
                "- {}: {} → {} — {}",
                md_escape(&c.mechanism),
                md_escape(c.then.as_deref().map_or("-", |w| shown(w, lang))),
                md_escape(c.now.as_deref().map_or("-", |w| shown(w, lang))),
                md_escape(text::then_now(c, lang))
            );
        }
    }
    if !live.evidence.is_empty() {
        let _ = writeln!(out, "\n## {}\n", Ui::DnsEvidence.get(lang));
        for e in &live.evidence {
            let _ = writeln!(out, "- {}", md_escape(&e.summary_in(lang)));
        }
    }
}

fn is_local_char(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'.' | b'_'
                | b'%'
                | b'+'
                | b'-'
                | b'!'
                | b'#'
                | b'$'
                | b'&'
                | b'\''
                | b'*'
                | b'/'
                | b'?'
                | b'^'
                | b'{'
                | b'}'
                | b'~'
        )
}

fn is_domain_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

/// Mask mailbox local parts (`taro@shop.test` → `redacted@shop.test`), the
/// left part of Message-IDs included.
fn mask_local_parts(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (at, _) in text.match_indices('@') {
        let mut start = at;
        while start > copied && bytes.get(start - 1).copied().is_some_and(is_local_char) {
            start -= 1;
        }
        let domain_len = bytes
            .get(at + 1..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| is_domain_char(**b))
            .count();
        let domain = text.get(at + 1..at + 1 + domain_len).unwrap_or_default();
        if start == at || !domain.contains('.') {
            continue;
        }
        out.push_str(text.get(copied..start).unwrap_or_default());
        out.push_str("redacted");
        copied = at;
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

/// Mask IPv4 and IPv6 addresses.
fn mask_ips(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String| {
        let trimmed = token.trim_end_matches('.');
        let tail = token.get(trimmed.len()..).unwrap_or_default().to_string();
        if trimmed.parse::<Ipv4Addr>().is_ok() && trimmed.matches('.').count() == 3 {
            out.push_str("x.x.x.x");
            out.push_str(&tail);
        } else if trimmed.matches(':').count() >= 2 && trimmed.parse::<Ipv6Addr>().is_ok() {
            out.push_str("x:x::x");
            out.push_str(&tail);
        } else {
            out.push_str(token);
        }
        token.clear();
    };
    for c in text.chars() {
        if c.is_ascii_hexdigit() || c == '.' || c == ':' {
            token.push(c);
        } else {
            flush(&mut token, &mut out);
            out.push(c);
        }
    }
    flush(&mut token, &mut out);
    out
}

/// The input with local parts (and, when `ips`, IP addresses) masked, for
/// pasting into a support ticket. Domains, hosts and results stay readable.
pub fn redact(input: &[u8], ips: bool) -> String {
    let text = String::from_utf8_lossy(input);
    let masked = mask_local_parts(&text);
    if ips { mask_ips(&masked) } else { masked }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_parts_and_message_ids_are_masked_domains_kept() {
        let text = "From: Taro <taro.yamada+x@shop.test>\r\nMessage-ID: <20261123.0001@shop.test>\r\nAuthentication-Results: mx; dkim=pass header.i=@shop.test; spf=pass smtp.mailfrom=taro@shop.test\r\n";
        let r = redact(text.as_bytes(), false);
        assert!(r.contains("<redacted@shop.test>"), "{r}");
        assert!(r.contains("Message-ID: <redacted@shop.test>"), "{r}");
        assert!(r.contains("header.i=@shop.test"), "{r}");
        assert!(r.contains("smtp.mailfrom=redacted@shop.test"), "{r}");
        assert!(!r.contains("taro"), "{r}");
    }

    #[test]
    fn ips_are_masked_only_on_request_and_versions_survive() {
        let text = "Received: from a (a [192.0.2.25]) by b (Postfix 3.5.17) with ESMTPS id 4X; client-ip=2001:db8::1; TLS1.2";
        assert!(redact(text.as_bytes(), false).contains("192.0.2.25"));
        let r = redact(text.as_bytes(), true);
        assert!(r.contains("[x.x.x.x]"), "{r}");
        assert!(r.contains("client-ip=x:x::x;"), "{r}");
        assert!(r.contains("Postfix 3.5.17"), "{r}");
        assert!(r.contains("TLS1.2"), "{r}");
    }

    #[test]
    fn markdown_of_a_report_has_verdict_findings_and_checklists() {
        let input = b"Received: from DESKTOP-7QK3 (unknown [198.51.100.77]) by mail.shop.test (Postfix) with SMTP id 1; Mon, 23 Nov 2026 18:02:03 +0900\r\nFrom: *Boss* <boss@shop.test>\r\nSubject: [urgent](http://x)\r\nDate: Mon, 23 Nov 2026 18:02:01 +0900\r\nMessage-ID: <1@shop.test>\r\n";
        let report = crate::analyze(input, 1_795_800_000);
        let en = markdown(&report, Lang::En);
        assert!(en.starts_with("# Todoku report\n\n**"), "{en}");
        assert!(en.contains(&md_escape(&report.verdict.sentence)), "{en}");
        assert!(en.contains("(`helo.not_fqdn`)"), "{en}");
        assert!(en.contains("## Gmail: all senders"), "{en}");
        assert!(en.contains("Subject: \\[urgent\\]\\(http://x\\)"), "{en}");
        let ja = markdown(&report, Lang::Ja);
        assert!(
            ja.contains("HELO/EHLO でパソコン名を名乗っています"),
            "{ja}"
        );
        assert!(ja.contains("## Gmail：すべての送信者"), "{ja}");
        // Regression (issue 18): the Japanese export carried the English
        // finding lines, check evidence and headings.
        assert!(
            ja.contains(
                "経路 1：送信側が mail.shop.test に HELO/EHLO \"DESKTOP-7QK3\" と名乗っています。"
            ),
            "{ja}"
        );
        for english in [
            "the sender introduced itself",
            "recorded by the receiver",
            "cannot be seen in headers",
            "## Hops",
            "| from |",
        ] {
            assert!(!ja.contains(english), "{english} in\n{ja}");
        }
    }

    #[test]
    fn markdown_starts_with_what_to_change_when_something_needs_changing() {
        // Gmail recorded softfail for the envelope shop.test from 203.0.113.99.
        let input = b"Received: from smtp99.hosting.test (smtp99.hosting.test [203.0.113.99]) by mx.google.com with ESMTPS id a1; Mon, 23 Nov 2026 01:10:08 -0800\r\nAuthentication-Results: mx.google.com; spf=softfail smtp.mailfrom=taro@shop.test\r\nFrom: <taro@shop.test>\r\nSubject: x\r\nDate: Mon, 23 Nov 2026 18:10:05 +0900\r\nMessage-ID: <1@shop.test>\r\n";
        let report = crate::analyze(input, 1_795_800_000);
        let en = markdown(&report, Lang::En);
        let at =
            en.find("## What to change\n\n1. Add ip4:203.0.113.99 to the SPF record shop.test TXT");
        let findings = en.find("## Findings");
        assert!(at.is_some() && at < findings, "{en}");
        let ja = markdown(&report, Lang::Ja);
        assert!(
            ja.contains("## 何を直すか\n\n1. SPF レコード shop.test TXT"),
            "{ja}"
        );
    }

    #[test]
    fn markdown_escapes_header_text() {
        assert_eq!(
            md_escape("[click](http://evil) <b>*x*</b> | #"),
            "\\[click\\]\\(http://evil\\) \\<b\\>\\*x\\*\\</b\\> \\| \\#"
        );
    }
}
