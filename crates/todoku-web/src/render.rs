//! Renders a `Report` as DOM nodes.

use crate::i18n::{pick, t};
use todoku_core::LiveChecks;
use todoku_core::auth::live::{DmarcLookup, LiveDmarc};
use todoku_core::input::InputNote;
use todoku_core::recorded::authres::MethodResult;
use todoku_core::recorded::bounce::BounceCode;
use todoku_core::recorded::receiver::Recorded;
use todoku_core::recorded::vendors::VendorVerdict;
use todoku_core::report::checklist::{CheckState, Checklist};
use todoku_core::report::finding::Finding;
use todoku_core::trace::boundary::TrustBoundary;
use todoku_core::trace::hops::{Hop, HopKind, HopTls};
use todoku_core::wording::Lang;
use todoku_core::{Report, Span};
use wasm_bindgen::JsValue;
use web_sys::Element;

use crate::dom::{append, el, el_class};

fn verdict(report: &Report) -> Result<Element, JsValue> {
    let sentence = match crate::i18n::lang() {
        Lang::En => &report.verdict.sentence,
        Lang::Ja => &report.verdict.sentence_ja,
    };
    let verdict = el_class("p", "verdict", sentence)?;
    verdict.set_id("verdict");
    verdict.set_attribute("role", "status")?;
    verdict.set_attribute("data-outlook", report.verdict.outlook.as_str())?;
    Ok(verdict)
}

/// Export buttons (handled by the page's click listener on #report) and the
/// box their text appears in.
fn exports() -> Result<Element, JsValue> {
    let bar = el_class("div", "exports", "")?;
    bar.set_id("exports");
    for (id, key) in [
        ("export-md", "export-md"),
        ("export-json", "export-json"),
        ("export-redacted", "export-redacted"),
    ] {
        let button = el("button", t(key))?;
        button.set_id(id);
        button.set_attribute("type", "button")?;
        append(&bar, &button)?;
    }
    let label = el("label", "")?;
    let check = el("input", "")?;
    check.set_id("redact-ips");
    check.set_attribute("type", "checkbox")?;
    append(&label, &check)?;
    append(&label, &el("span", t("redact-ips"))?)?;
    append(&bar, &label)?;
    let status = el_class("span", "export-status", "")?;
    status.set_id("export-status");
    status.set_attribute("role", "status")?;
    append(&bar, &status)?;
    let text = el("textarea", "")?;
    text.set_id("export-text");
    text.set_attribute("readonly", "")?;
    text.set_attribute("rows", "8")?;
    text.set_attribute("aria-label", t("export-text"))?;
    text.set_attribute("hidden", "")?;
    append(&bar, &text)?;
    Ok(bar)
}

/// The sender requirement checklists, one table each.
fn checklists(lists: &[Checklist]) -> Result<Element, JsValue> {
    let section = el("section", "")?;
    section.set_id("checklists");
    append(&section, &el("h2", t("checklists"))?)?;
    for list in lists {
        let table = el_class("table", "checklist", "")?;
        table.set_attribute("data-list", list.id)?;
        append(&table, &el("caption", pick(list.title))?)?;
        for item in &list.items {
            let (mark, word) = match item.state {
                CheckState::Pass => ("✓", "pass"),
                CheckState::Fail => ("✗", "fail"),
                CheckState::Unknown => ("?", "unknown"),
            };
            let tr = el("tr", "")?;
            tr.set_attribute("data-item", item.id)?;
            tr.set_attribute("data-state", word)?;
            let state = el_class("td", &format!("state {word}"), mark)?;
            state.set_attribute("aria-label", word)?;
            append(&tr, &state)?;
            append(&tr, &el("th", pick(item.requirement))?)?;
            let mut evidence = item.evidence.clone();
            if let Some(id) = item.finding {
                evidence.push_str(&format!(" — see {id}"));
            }
            append(&tr, &el("td", &evidence)?)?;
            append(&table, &tr)?;
        }
        append(&section, &table)?;
    }
    Ok(section)
}

/// The SMTP rejections in the input, each with its meaning, fix and the
/// finding it points to.
fn bounce(codes: &[BounceCode], findings: &[Finding]) -> Result<Element, JsValue> {
    let section = el("section", "")?;
    section.set_id("bounce");
    append(&section, &el("h2", t("bounce"))?)?;
    let list = el("ul", "")?;
    for c in codes {
        let li = el("li", "")?;
        li.set_attribute("data-code", &c.code())?;
        let head = format!(
            "{} — {}",
            c.label(),
            if c.temporary { "deferred" } else { "refused" }
        );
        append(&li, &el("strong", &head)?)?;
        append(&li, &el("p", &c.meaning)?)?;
        append(
            &li,
            &el_class("p", "detail", &format!("{}{}", t("fix"), c.fix))?,
        )?;
        if let Some(id) = c.finding {
            let shown = findings.iter().any(|f| f.id == id);
            let text = if shown {
                format!("See the finding {id} below.")
            } else {
                format!("Related finding: {id} (not seen in these headers).")
            };
            let p = el_class("p", "finding-link", &text)?;
            p.set_attribute("data-finding", id)?;
            append(&li, &p)?;
        }
        append(&list, &li)?;
    }
    append(&section, &list)?;
    Ok(section)
}

fn js_str(v: &JsValue, key: &str) -> Option<String> {
    js_sys::Reflect::get(v, &JsValue::from_str(key))
        .ok()
        .and_then(|x| x.as_string())
}

/// The summary the analysis worker returns for a large input: verdict,
/// counts and findings (ids, severities, titles, messages), text only.
pub fn large_summary(summary: &JsValue, seconds: f64) -> Result<Element, JsValue> {
    let root = el_class("div", "report", "")?;
    let lang = crate::i18n::lang();
    let sentence = match lang {
        Lang::En => js_str(summary, "sentence"),
        Lang::Ja => js_str(summary, "sentence_ja"),
    }
    .unwrap_or_default();
    let verdict = el_class("p", "verdict", &sentence)?;
    verdict.set_id("verdict");
    verdict.set_attribute("role", "status")?;
    verdict.set_attribute(
        "data-outlook",
        &js_str(summary, "outlook").unwrap_or_default(),
    )?;
    append(&root, &verdict)?;
    let note = el_class("p", "note", t("large-note"))?;
    note.set_id("large-note");
    append(&root, &note)?;
    let count = |key: &str| {
        js_sys::Reflect::get(summary, &JsValue::from_str(key))
            .ok()
            .and_then(|x| x.as_f64())
            .unwrap_or(0.0)
            .max(0.0) as u64
    };
    let counts = el(
        "p",
        &format!(
            "{}{} · {} · {}",
            t("large-counts"),
            count("headers"),
            count("hops"),
            crate::dom::tenths(seconds)
        ),
    )?;
    counts.set_id("large-counts");
    append(&root, &counts)?;
    let section = el("section", "")?;
    append(&section, &el("h2", t("findings"))?)?;
    let ol = el("ol", "")?;
    ol.set_id("findings");
    let list = js_sys::Reflect::get(summary, &JsValue::from_str("findings"))?;
    for f in js_sys::Array::from(&list).iter() {
        let severity = js_str(&f, "severity").unwrap_or_default();
        let li = el_class("li", &severity, "")?;
        li.set_attribute("data-id", &js_str(&f, "id").unwrap_or_default())?;
        li.set_attribute("data-severity", &severity)?;
        append(&li, &el_class("span", "badge", &severity)?)?;
        let title = js_sys::Reflect::get(&f, &JsValue::from_str("title"))?;
        let title = js_str(&title, lang.tag()).unwrap_or_default();
        append(&li, &el_class("strong", "message", &title)?)?;
        let message = el_class("p", "specific", &js_str(&f, "message").unwrap_or_default())?;
        message.set_attribute("lang", "en")?;
        append(&li, &message)?;
        append(&ol, &li)?;
    }
    append(&section, &ol)?;
    append(&root, &section)?;
    Ok(root)
}

fn or_dash(value: Option<&str>) -> &str {
    value.unwrap_or("—")
}

/// The summary, findings, recorded results, verdicts, hop table and the raw
/// headers with evidence marked. `input` is what the user gave (the spans in
/// the report are offsets into it).
pub fn report(report: &Report, input: &[u8]) -> Result<Element, JsValue> {
    let root = el_class("div", "report", "")?;
    if report.input.problem == Some(todoku_core::InputProblem::NoHeaders)
        && !report.bounce.is_empty()
    {
        // A pasted rejection without headers: the decoded codes are the report.
        append(&root, &verdict(report)?)?;
        append(&root, &bounce(&report.bounce, &report.findings)?)?;
        let p = el(
            "p",
            "Paste the headers of the rejected message too (or the whole bounce) to see which record to fix.",
        )?;
        append(&root, &p)?;
        return Ok(root);
    }
    if let Some(problem) = &report.input.problem {
        let msg = problem.sentence(crate::i18n::lang());
        let p = el_class("p", "problem", &msg)?;
        p.set_attribute("role", "alert")?;
        append(&root, &p)?;
        return Ok(root);
    }
    if !report.input.notes.is_empty() {
        let p = el_class("p", "input-notes", &notes_text(&report.input.notes))?;
        p.set_id("input-notes");
        append(&root, &p)?;
    }
    append(&root, &verdict(report)?)?;
    append(&root, &exports()?)?;
    if !report.bounce.is_empty() {
        append(&root, &bounce(&report.bounce, &report.findings)?)?;
    }
    // A bounce's recipients, or which attached message this is about,
    // above the analysis of that message.
    if let Some(whole) = crate::whole::render_whole(report)? {
        append(&root, &whole)?;
    }
    append(&root, &summary(report)?)?;
    append(&root, &findings(&report.findings)?)?;
    if !report.checklists.is_empty() {
        append(&root, &checklists(&report.checklists)?)?;
    }
    append(&root, &recorded(&report.auth.recorded)?)?;
    if !report.verdicts.is_empty() {
        append(&root, &verdicts(&report.verdicts)?)?;
    }
    let hop_section = hops(
        &report.hops,
        report.hops_omitted,
        report.total_transit_seconds,
        report.trust_boundary.as_ref(),
    )?;
    if let Some(chart) = crate::timeline::timeline(&report.hops, &report.clock_skews)? {
        // After the heading, before the table.
        let heading = hop_section.first_element_child();
        hop_section.insert_before(&chart, heading.and_then(|h| h.next_sibling()).as_ref())?;
    }
    append(&root, &hop_section)?;
    if let Some(block) = report.input.header_block {
        append(&root, &raw_headers(input, block, &report.findings)?)?;
    }
    Ok(root)
}

fn summary(report: &Report) -> Result<Element, JsValue> {
    let s = &report.summary;
    let dl = el("dl", "")?;
    dl.set_id("summary");
    let from = match (&s.from_name, &s.from) {
        (Some(n), Some(a)) => format!("{n} <{a}>"),
        (None, Some(a)) => a.clone(),
        _ => "—".into(),
    };
    for (term, value) in [
        ("Subject", or_dash(s.subject.as_deref()).to_string()),
        ("From", from),
        ("Date", or_dash(s.date.as_deref()).to_string()),
        ("Return-Path", or_dash(s.return_path.as_deref()).to_string()),
        (
            "Reply-To",
            if s.reply_to.is_empty() {
                "—".to_string()
            } else {
                s.reply_to.join(", ")
            },
        ),
    ] {
        append(&dl, &el("dt", term)?)?;
        append(&dl, &el("dd", &value)?)?;
    }
    Ok(dl)
}

/// What was tidied to read a messy paste, as one sentence in the page's
/// language (the words come from the core).
fn notes_text(notes: &[InputNote]) -> String {
    InputNote::sentence(notes, crate::i18n::lang()).unwrap_or_default()
}

/// Largest header block shown with marks; beyond it the text is cut (the
/// analysis itself covers everything).
const RAW_VIEW_LIMIT: usize = 256 * 1024;

/// The header block as text, evidence wrapped in `<mark>`, each finding's
/// evidence reachable by `#ev-<finding>-<n>` anchors.
fn raw_headers(input: &[u8], block: Span, findings: &[Finding]) -> Result<Element, JsValue> {
    let section = el("section", "")?;
    append(&section, &el("h2", t("raw-headers"))?)?;
    let end = block.end.min(input.len()).min(block.start + RAW_VIEW_LIMIT);
    let start = block.start.min(end);
    // Anchors and mark boundaries inside the shown range.
    let mut anchors: Vec<(usize, String)> = Vec::new();
    let mut marks: Vec<(usize, usize)> = Vec::new();
    for (n, f) in findings.iter().enumerate() {
        for (k, sp) in f.evidence.iter().enumerate() {
            if sp.start >= start && sp.start < end {
                anchors.push((sp.start, format!("ev-{n}-{k}")));
                marks.push((sp.start, sp.end.min(end)));
            }
        }
    }
    let mut cuts: Vec<usize> = vec![start, end];
    cuts.extend(marks.iter().flat_map(|&(a, b)| [a, b]));
    cuts.sort_unstable();
    cuts.dedup();
    let pre = el("pre", "")?;
    pre.set_id("raw-headers");
    for pair in cuts.windows(2) {
        let (a, b) = match pair {
            [a, b] => (*a, *b),
            _ => continue,
        };
        for (_, id) in anchors.iter().filter(|(at, _)| *at == a) {
            let anchor = el("span", "")?;
            anchor.set_id(id);
            append(&pre, &anchor)?;
        }
        let text = String::from_utf8_lossy(input.get(a..b).unwrap_or_default());
        if marks.iter().any(|&(ms, me)| ms <= a && b <= me) {
            append(&pre, &el("mark", &text)?)?;
        } else {
            pre.append_child(&crate::dom::document()?.create_text_node(&text))?;
        }
    }
    append(&section, &pre)?;
    if block.end > end {
        append(
            &section,
            &el(
                "p",
                "(The header block is longer than shown here; all of it was analysed.)",
            )?,
        )?;
    }
    Ok(section)
}

/// The findings, most severe first.
fn findings(list: &[Finding]) -> Result<Element, JsValue> {
    let section = el("section", "")?;
    append(&section, &el("h2", t("findings"))?)?;
    if list.is_empty() {
        append(&section, &el("p", t("nothing"))?)?;
        return Ok(section);
    }
    let ol = el("ol", "")?;
    ol.set_id("findings");
    for (n, f) in list.iter().enumerate() {
        let severity = f.severity.as_str();
        let li = el_class("li", severity, "")?;
        li.set_attribute("data-id", f.id)?;
        li.set_attribute("data-severity", severity)?;
        append(&li, &el_class("span", "badge", severity)?)?;
        match crate::i18n::lang() {
            Lang::En => {
                append(&li, &el_class("strong", "message", &f.message)?)?;
                append(&li, &el_class("p", "detail", &f.detail)?)?;
            }
            Lang::Ja => {
                append(&li, &el_class("strong", "message", f.title.ja)?)?;
                // The specific line names this message's hosts and records.
                let specific = el_class("p", "specific", &f.message)?;
                specific.set_attribute("lang", "en")?;
                append(&li, &specific)?;
                let detail = if f.detail_ja.is_empty() {
                    f.detail.as_str()
                } else {
                    f.detail_ja
                };
                append(&li, &el_class("p", "detail", detail)?)?;
            }
        }
        if let Some(cause) = &f.cause {
            let p = el_class("p", "cause", cause)?;
            p.set_attribute("lang", "en")?;
            append(&li, &p)?;
        }
        append(&li, &el_class("code", "finding-id", f.id)?)?;
        if !f.dns.is_empty() {
            let dns = el_class("ul", "finding-dns", "")?;
            dns.set_attribute("aria-label", "DNS answers behind this finding")?;
            for e in &f.dns {
                append(&dns, &el("li", &e.summary())?)?;
            }
            append(&li, &dns)?;
        }
        if !f.evidence.is_empty() {
            let a = el_class("a", "evidence-link", t("show"))?;
            a.set_attribute("href", &format!("#ev-{n}-0"))?;
            append(&li, &a)?;
        }
        append(&ol, &li)?;
    }
    append(&section, &ol)?;
    Ok(section)
}

/// Vendor spam verdicts: a summary each, and the decoded fields.
fn verdicts(list: &[VendorVerdict]) -> Result<Element, JsValue> {
    let section = el("section", "")?;
    section.set_id("verdicts");
    append(&section, &el("h2", t("vendor-verdicts"))?)?;
    for v in list {
        let details = el("details", "")?;
        details.set_attribute("data-vendor", v.vendor)?;
        if let Some(spam) = v.spam {
            details.set_attribute("data-spam", if spam { "yes" } else { "no" })?;
        }
        let summary = el("summary", "")?;
        append(&summary, &el_class("strong", "vendor", v.vendor)?)?;
        append(
            &summary,
            &el_class("span", "verdict-summary", &format!(" {}", v.summary))?,
        )?;
        append(&details, &summary)?;
        let table = el("table", "")?;
        let tbody = el("tbody", "")?;
        append(&tbody, &{
            let tr = el("tr", "")?;
            append(&tr, &el("th", v.header.as_str())?)?;
            append(&tr, &el("th", "")?)?;
            append(&tr, &el("th", "")?)?;
            tr
        })?;
        for item in &v.items {
            let tr = el("tr", "")?;
            append(&tr, &el_class("td", "key", &item.key)?)?;
            append(&tr, &el_class("td", "value", &item.value)?)?;
            append(
                &tr,
                &el_class("td", "meaning", item.meaning.as_deref().unwrap_or(""))?,
            )?;
            append(&tbody, &tr)?;
        }
        append(&table, &tbody)?;
        append(&details, &table)?;
        append(&section, &details)?;
    }
    Ok(section)
}

/// The properties of a result as `ptype.name=value` lines.
fn details(r: &MethodResult) -> String {
    let mut parts: Vec<String> = r
        .properties
        .iter()
        .map(|p| {
            if p.ptype.is_empty() {
                format!("{}={}", p.name, p.value)
            } else {
                format!("{}.{}={}", p.ptype, p.name, p.value)
            }
        })
        .collect();
    if let Some(reason) = &r.reason {
        parts.insert(0, format!("reason={reason}"));
    }
    parts.join(" ")
}

/// What the receiver recorded: one row per mechanism.
fn recorded(rec: &Recorded) -> Result<Element, JsValue> {
    let section = el("section", "")?;
    let title = match &rec.authserv_id {
        Some(id) => format!("Recorded by the receiver ({id})"),
        None if rec.headers.is_empty() => "Recorded by the receiver".to_string(),
        None => "Recorded by the receiver (no authserv-id)".to_string(),
    };
    append(&section, &el("h2", &title)?)?;
    let rows: Vec<&MethodResult> = rec
        .spf
        .iter()
        .chain(rec.dkim.iter())
        .chain(rec.dmarc.iter())
        .chain(rec.arc.iter())
        .chain(rec.compauth.iter())
        .chain(rec.iprev.iter())
        .collect();
    if rows.is_empty() {
        append(
            &section,
            &el(
                "p",
                "No Authentication-Results header: the receiver recorded no SPF/DKIM/DMARC results here.",
            )?,
        )?;
        return Ok(section);
    }
    let table = el("table", "")?;
    table.set_id("recorded");
    let head = el("tr", "")?;
    for h in ["Method", "Result", "Details", "Receiver's note"] {
        let th = el("th", h)?;
        th.set_attribute("scope", "col")?;
        append(&head, &th)?;
    }
    let thead = el("thead", "")?;
    append(&thead, &head)?;
    append(&table, &thead)?;
    let tbody = el("tbody", "")?;
    for r in rows {
        let tr = el("tr", "")?;
        tr.set_attribute("data-method", &r.method)?;
        append(&tr, &el_class("td", "method", &r.method)?)?;
        let result = el_class("td", "result", &r.result)?;
        result.set_attribute("data-result", &r.result)?;
        append(&tr, &result)?;
        append(&tr, &el_class("td", "details", &details(r))?)?;
        append(&tr, &el_class("td", "note", &r.comments.join(" "))?)?;
        append(&tbody, &tr)?;
    }
    append(&table, &tbody)?;
    append(&section, &table)?;
    if !rec.arc_sets.is_empty() {
        let ul = el("ul", "")?;
        ul.set_id("arc-sets");
        for set in &rec.arc_sets {
            let seal = set.seal.as_ref();
            let by = seal.and_then(|t| t.domain.as_deref()).unwrap_or("?");
            let cv = seal.and_then(|t| t.cv.as_deref()).unwrap_or("?");
            let said = set
                .results
                .as_ref()
                .map(|r| {
                    r.results
                        .iter()
                        .map(|m| format!("{}={}", m.method, m.result))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            let li = el(
                "li",
                &format!(
                    "ARC i={} sealed by {by} (cv={cv}); it recorded: {said}",
                    set.instance
                ),
            )?;
            append(&ul, &li)?;
        }
        append(&section, &ul)?;
    }
    Ok(section)
}

fn hops(
    hops: &[Hop],
    omitted: usize,
    total: Option<i64>,
    boundary: Option<&TrustBoundary>,
) -> Result<Element, JsValue> {
    let section = el("section", "")?;
    append(
        &section,
        &el(
            "h2",
            &format!("{} ({})", t("received-hops"), hops.len() + omitted),
        )?,
    )?;
    if hops.is_empty() {
        append(&section, &el("p", "No Received headers.")?)?;
        return Ok(section);
    }
    if let Some(b) = boundary {
        let who = match (&b.ip, &b.helo) {
            (Some(ip), Some(helo)) => format!("{ip} (HELO {helo})"),
            (Some(ip), None) => ip.clone(),
            _ => "an unknown client".to_string(),
        };
        let p = el_class(
            "p",
            "boundary-note",
            &format!(
                "The receiver ({}) first met the outside world at hop {}: {who}. Its SPF and reverse-DNS checks were about this client; hops below it are the sender's own claims.",
                b.by_host.as_deref().unwrap_or("?"),
                b.hop
            ),
        )?;
        p.set_id("boundary");
        append(&section, &p)?;
    }
    let table = el("table", "")?;
    table.set_id("hops");
    let thead = el("thead", "")?;
    let tr = el("tr", "")?;
    for h in ["#", "From", "By", "With", "TLS", "Time", "Delay"] {
        let th = el("th", h)?;
        th.set_attribute("scope", "col")?;
        append(&tr, &th)?;
    }
    append(&thead, &tr)?;
    append(&table, &thead)?;
    let tbody = el("tbody", "")?;
    for (gap, hop) in todoku_core::trace::hops::with_gaps(hops) {
        if gap > 0 {
            // The middle of a mail loop, counted but not read (core's MAX_HOPS).
            let tr = el_class("tr", "omitted", "")?;
            let td = el("td", &format!("… {gap} {}", t("hops-omitted")))?;
            td.set_attribute("colspan", "7")?;
            append(&tr, &td)?;
            append(&tbody, &tr)?;
        }
        let tr = el("tr", "")?;
        let zone = if boundary.is_some_and(|b| b.hop == hop.index) {
            "boundary"
        } else if hop.internal {
            "internal"
        } else if hop.kind == HopKind::Local {
            "local"
        } else {
            "external"
        };
        tr.set_attribute("data-zone", zone)?;
        // The recorded details, else what the `with` type and the hop's
        // place say (ESMTPS without a cipher comment is TLS; a plain hop
        // inside one organisation is internal, not "not encrypted").
        let tls = match (&hop.tls, hop.tls_shown()) {
            (Some(t), _) => [t.version.as_deref(), t.cipher.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
            (None, HopTls::NotRecorded) => "—".into(),
            (None, _) => crate::timeline::tls_label(hop).1.to_string(),
        };
        let delay = hop
            .delay_seconds
            .map(|d| format!("{d:+} s"))
            .unwrap_or_else(|| "—".into());
        for (class, text) in [
            ("n", hop.index.to_string()),
            ("from", hop.from_label().unwrap_or_else(|| "—".into())),
            ("by", or_dash(hop.by_host.as_deref()).to_string()),
            ("with", or_dash(hop.protocol.as_deref()).to_string()),
            ("tls", tls),
            ("time", or_dash(hop.timestamp.as_deref()).to_string()),
            ("delay", delay),
        ] {
            append(&tr, &el_class("td", class, &text)?)?;
        }
        append(&tbody, &tr)?;
    }
    append(&table, &tbody)?;
    append(&section, &table)?;
    if let Some(total) = total {
        append(
            &section,
            &el("p", &format!("Total transit time: {total} s"))?,
        )?;
    }
    Ok(section)
}

/// What the From domain publishes at `_dmarc.<domain>` now: the record
/// itself (or why there is none), with the question behind it.
fn dmarc_record(live: &LiveDmarc) -> Result<Element, JsValue> {
    let (status, text) = match &live.lookup {
        DmarcLookup::Found { record, .. } => ("found", record.clone()),
        DmarcLookup::None { .. } => ("none", "No DMARC record.".to_string()),
        DmarcLookup::Multiple { records } => (
            "multiple",
            format!(
                "{} DMARC records: receivers apply none of them.",
                records.len()
            ),
        ),
        DmarcLookup::Temperror { rcode } => (
            "temperror",
            format!("The domain's DNS failed to answer ({rcode:?})."),
        ),
        DmarcLookup::Unavailable { failure } => ("unavailable", format!("Not checked: {failure}.")),
    };
    let block = el_class("div", "dmarc-record", "")?;
    block.set_id("live-dmarc");
    block.set_attribute("data-status", status)?;
    append(&block, &el("h3", t("dmarc-now"))?)?;
    let q = el_class("p", "query", "")?;
    append(&q, &el("code", &format!("{} TXT", live.evidence.name))?)?;
    append(
        &q,
        &el("span", &format!(" via {}", live.evidence.provider))?,
    )?;
    append(&block, &q)?;
    let value = el_class("p", "value", "")?;
    value.set_id("live-dmarc-value");
    if status == "found" {
        append(&value, &el("code", &text)?)?;
    } else {
        value.set_text_content(Some(&text));
    }
    append(&block, &value)?;
    Ok(block)
}

/// A result word as a badge; `data-result` carries the word for styling and tests.
fn badge(word: &str) -> Result<Element, JsValue> {
    let b = el_class("span", "badge", word)?;
    b.set_attribute("data-result", word)?;
    Ok(b)
}

fn row(table: &Element, id: &str, cells: &[&str], word: &str) -> Result<(), JsValue> {
    let tr = el("tr", "")?;
    tr.set_id(id);
    tr.set_attribute("data-result", word)?;
    let th = el("th", cells.first().copied().unwrap_or_default())?;
    th.set_attribute("scope", "row")?;
    append(&tr, &th)?;
    let td = el("td", "")?;
    append(&td, &badge(word)?)?;
    append(&tr, &td)?;
    for cell in cells.iter().skip(1) {
        append(&tr, &el("td", cell)?)?;
    }
    append(table, &tr)
}

/// All live checks: SPF, DKIM, DMARC evaluation, ARC, iprev, then-vs-now and the
/// DNS evidence, into `target`. Every string is DNS or header data: text only.
pub fn live(target: &Element, live: &LiveChecks) -> Result<(), JsValue> {
    crate::dom::clear(target);
    target.set_attribute("data-status", "done")?;
    append(target, &el("h2", t("live"))?)?;
    append(
        target,
        &el_class(
            "p",
            "query",
            &format!(
                "Via {} — {} DNS question(s) in {} round(s).",
                live.provider.as_deref().unwrap_or("—"),
                live.evidence.len(),
                live.rounds
            ),
        )?,
    )?;
    if let Some(dmarc) = &live.dmarc {
        append(target, &dmarc_record(dmarc)?)?;
    }
    let table = el_class("table", "live-table", "")?;
    spf_rows(&table, live)?;
    dkim_rows(&table, live)?;
    dmarc_row(&table, live)?;
    arc_row(&table, live)?;
    iprev_row(&table, live)?;
    append(target, &table)?;
    then_now(target, live)?;
    dns_evidence(target, live)
}

/// SPF for the envelope sender and for the HELO name.
fn spf_rows(table: &Element, live: &LiveChecks) -> Result<(), JsValue> {
    if let Some(spf) = &live.spf {
        if let Some(c) = &spf.mail_from_check {
            let detail = c
                .reason
                .clone()
                .or_else(|| {
                    c.trace
                        .iter()
                        .rev()
                        .find(|s| s.outcome.starts_with("matched"))
                        .map(|s| format!("{} matched {}", spf.ip, s.term))
                })
                .unwrap_or_default();
            row(
                table,
                "live-spf",
                &[&format!("SPF {}", c.domain), &detail],
                c.result.as_str(),
            )?;
        }
        if let Some(c) = &spf.helo_check {
            row(
                table,
                "live-spf-helo",
                &[
                    &format!("SPF HELO {}", c.domain),
                    c.reason.as_deref().unwrap_or_default(),
                ],
                c.result.as_str(),
            )?;
        }
    }
    Ok(())
}

/// One row per DKIM signature re-checked.
fn dkim_rows(table: &Element, live: &LiveChecks) -> Result<(), JsValue> {
    for (i, sig) in live
        .dkim
        .iter()
        .flat_map(|d| d.signatures.iter())
        .enumerate()
    {
        let mut detail = sig.reason.clone().unwrap_or_default();
        if sig.body == todoku_core::auth::dkim::BodyCheck::NoBody
            && sig.result == todoku_core::auth::dkim::DkimResult::Pass
        {
            detail = "headers verified; the body was not given, so bh= was not checked".to_string();
        }
        for w in &sig.warnings {
            detail.push_str(if detail.is_empty() { "" } else { " · " });
            detail.push_str(w);
        }
        row(
            table,
            &format!("live-dkim-{i}"),
            &[
                &format!(
                    "DKIM d={} s={}",
                    sig.domain.as_deref().unwrap_or("—"),
                    sig.selector.as_deref().unwrap_or("—")
                ),
                &detail,
            ],
            sig.result.as_str(),
        )?;
    }
    Ok(())
}

/// DMARC evaluated with the live SPF and DKIM results.
fn dmarc_row(table: &Element, live: &LiveChecks) -> Result<(), JsValue> {
    if let Some(d) = &live.dmarc {
        let detail = match &d.evaluation {
            Some(e) => match (&e.policy_domain, e.applied_policy) {
                (Some(at), Some(p)) => format!(
                    "policy p={} found at _dmarc.{at}; aligned pass: {}",
                    p.as_str(),
                    e.alignments
                        .iter()
                        .filter(|a| a.passed && a.aligned)
                        .map(|a| format!("{} {}", a.mechanism, a.domain))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                _ => e.reason.clone().unwrap_or_default(),
            },
            None => String::new(),
        };
        row(
            table,
            "live-dmarc-eval",
            &[&format!("DMARC {}", d.domain), &detail],
            d.result.as_str(),
        )?;
    }
    Ok(())
}

/// The ARC chain validated again.
fn arc_row(table: &Element, live: &LiveChecks) -> Result<(), JsValue> {
    if let Some(a) = &live.arc {
        row(
            table,
            "live-arc",
            &[
                &format!("ARC chain ({} set(s))", a.check.instances),
                &a.check.summary(),
            ],
            a.check.result.as_str(),
        )?;
    }
    Ok(())
}

/// Forward-confirmed reverse DNS of the sending address.
fn iprev_row(table: &Element, live: &LiveChecks) -> Result<(), JsValue> {
    if let Some(i) = &live.iprev {
        let mut detail = i
            .check
            .confirmed_name
            .clone()
            .or(i.check.reason.clone())
            .unwrap_or_default();
        if let (Some(helo), Some(false)) = (&i.check.helo, i.check.helo_resolves) {
            detail.push_str(&format!(" · HELO {helo} does not resolve"));
        }
        row(
            table,
            "live-iprev",
            &[&format!("iprev {}", i.check.ip), &detail],
            i.check.result.as_str(),
        )?;
    }
    Ok(())
}

/// What the receiver recorded then beside what DNS says now.
fn then_now(target: &Element, live: &LiveChecks) -> Result<(), JsValue> {
    if !live.comparison.is_empty() {
        append(target, &el("h3", t("then-now"))?)?;
        let list = el("ul", "")?;
        list.set_id("then-now");
        for c in &live.comparison {
            let li = el("li", "")?;
            li.set_attribute("data-class", &c.class)?;
            append(&li, &el("strong", &c.mechanism)?)?;
            append(
                &li,
                &el(
                    "span",
                    &format!(
                        " {} → {}: {}",
                        c.then.as_deref().unwrap_or("—"),
                        c.now.as_deref().unwrap_or("—"),
                        c.explanation
                    ),
                )?,
            )?;
            append(&list, &li)?;
        }
        append(target, &list)?;
    }
    Ok(())
}

/// Every DNS question and answer behind the live checks.
fn dns_evidence(target: &Element, live: &LiveChecks) -> Result<(), JsValue> {
    if !live.evidence.is_empty() {
        let details = el("details", "")?;
        details.set_id("dns-evidence");
        append(&details, &el("summary", t("dns-evidence"))?)?;
        let list = el("ol", "")?;
        for e in &live.evidence {
            append(&list, &el("li", &e.summary())?)?;
        }
        append(&details, &list)?;
        append(target, &details)?;
    }
    Ok(())
}
