//! Renders a `Report` as DOM nodes.

use crate::i18n::{pick, t};
use todoku_core::LiveChecks;
use todoku_core::auth::live::LiveDmarc;
use todoku_core::input::InputNote;
use todoku_core::recorded::authres::MethodResult;
use todoku_core::recorded::bounce::BounceCode;
use todoku_core::recorded::receiver::Recorded;
use todoku_core::recorded::vendors::VendorVerdict;
use todoku_core::report::checklist::{CheckState, Checklist};
use todoku_core::report::finding::Finding;
use todoku_core::report::text;
use todoku_core::trace::boundary::TrustBoundary;
use todoku_core::trace::hops::{Hop, HopKind, HopTls};
use todoku_core::wording::{Lang, Ui};
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
    for (id, word) in [
        ("export-md", Ui::ExportMd),
        ("export-json", Ui::ExportJson),
        ("export-redacted", Ui::ExportRedacted),
    ] {
        let button = el("button", t(word))?;
        button.set_id(id);
        button.set_attribute("type", "button")?;
        append(&bar, &button)?;
    }
    let label = el("label", "")?;
    let check = el("input", "")?;
    check.set_id("redact-ips");
    check.set_attribute("type", "checkbox")?;
    append(&label, &check)?;
    append(&label, &el("span", t(Ui::RedactIps))?)?;
    append(&bar, &label)?;
    let status = el_class("span", "export-status", "")?;
    status.set_id("export-status");
    status.set_attribute("role", "status")?;
    append(&bar, &status)?;
    let text = el("textarea", "")?;
    text.set_id("export-text");
    text.set_attribute("readonly", "")?;
    text.set_attribute("rows", "8")?;
    text.set_attribute("aria-label", t(Ui::ExportText))?;
    text.set_attribute("hidden", "")?;
    append(&bar, &text)?;
    Ok(bar)
}

/// The sender requirement checklists, one table each.
fn checklists(lists: &[Checklist]) -> Result<Element, JsValue> {
    let section = el("section", "")?;
    section.set_id("checklists");
    append(&section, &el("h2", t(Ui::Checklists))?)?;
    for list in lists {
        let table = el_class("table", "checklist", "")?;
        table.set_attribute("data-list", list.id.as_str())?;
        append(&table, &el("caption", pick(list.title))?)?;
        for item in &list.items {
            let (mark, word) = match item.state {
                CheckState::Pass => ("✓", "pass"),
                CheckState::Fail => ("✗", "fail"),
                CheckState::Unknown => ("?", "unknown"),
            };
            let tr = el("tr", "")?;
            tr.set_attribute("data-item", item.id.as_str())?;
            tr.set_attribute("data-state", word)?;
            let state = el_class("td", &format!("state {word}"), mark)?;
            state.set_attribute(
                "aria-label",
                t(match item.state {
                    CheckState::Pass => Ui::StatePass,
                    CheckState::Fail => Ui::StateFail,
                    CheckState::Unknown => Ui::StateUnknown,
                }),
            )?;
            append(&tr, &state)?;
            append(&tr, &el("th", pick(item.requirement))?)?;
            let evidence = text::check_evidence(item, crate::i18n::lang());
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
    append(&section, &el("h2", t(Ui::Bounce))?)?;
    let list = el("ul", "")?;
    for c in codes {
        let li = el("li", "")?;
        li.set_attribute("data-code", &c.code())?;
        let head = format!(
            "{} — {}",
            c.label(),
            t(if c.temporary {
                Ui::Deferred
            } else {
                Ui::Refused
            })
        );
        let (meaning, fix) = text::bounce(c, crate::i18n::lang());
        append(&li, &el("strong", &head)?)?;
        append(&li, &el("p", meaning)?)?;
        append(
            &li,
            &el_class("p", "detail", &format!("{}{}", t(Ui::Fix), fix))?,
        )?;
        if let Some(id) = c.finding {
            let shown = findings.iter().any(|f| f.id == id);
            let line = text::bounce_finding(id, shown, crate::i18n::lang());
            let p = el_class("p", "finding-link", &line)?;
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
    let note = el_class("p", "note", t(Ui::LargeNote))?;
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
            t(Ui::LargeCounts),
            count("headers"),
            count("hops"),
            crate::dom::tenths(seconds)
        ),
    )?;
    counts.set_id("large-counts");
    append(&root, &counts)?;
    let section = el("section", "")?;
    append(&section, &el("h2", t(Ui::Findings))?)?;
    let ol = el("ol", "")?;
    ol.set_id("findings");
    let list = js_sys::Reflect::get(summary, &JsValue::from_str("findings"))?;
    for f in js_sys::Array::from(&list).iter() {
        let severity = js_str(&f, "severity").unwrap_or_default();
        let li = el_class("li", &severity, "")?;
        li.set_attribute("data-id", &js_str(&f, "id").unwrap_or_default())?;
        li.set_attribute("data-severity", &severity)?;
        let word = match severity.as_str() {
            "error" => Ui::SeverityError,
            "warning" => Ui::SeverityWarning,
            "info" => Ui::SeverityInfo,
            _ => Ui::SeverityPass,
        };
        append(&li, &el_class("span", "badge", t(word))?)?;
        let title = js_sys::Reflect::get(&f, &JsValue::from_str("title"))?;
        let title = js_str(&title, lang.tag()).unwrap_or_default();
        append(&li, &el_class("strong", "message", &title)?)?;
        let message = match lang {
            Lang::En => js_str(&f, "message"),
            Lang::Ja => js_str(&f, "message_ja"),
        };
        let message = el_class("p", "specific", &message.unwrap_or_default())?;
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
        let p = el("p", t(Ui::BounceNeedsHeaders))?;
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
    if let Some(outlook) = &report.input.outlook {
        append(&root, &outlook_note(outlook)?)?;
    }
    if !report.input.notes.is_empty() {
        let p = el_class("p", "input-notes", &notes_text(&report.input.notes))?;
        p.set_id("input-notes");
        append(&root, &p)?;
    }
    append(&root, &verdict(report)?)?;
    if let Some(fixes) = crate::guide::fixes(report)? {
        append(&root, &fixes)?;
    }
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
        (t(Ui::Subject), or_dash(s.subject.as_deref()).to_string()),
        (t(Ui::FromLabel), from),
        (t(Ui::Date), or_dash(s.date.as_deref()).to_string()),
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
/// An Outlook .msg: its Internet headers were analysed (issue 17).
fn outlook_note(outlook: &todoku_core::input::msg::OutlookMsg) -> Result<Element, JsValue> {
    let p = el_class("p", "input-notes", &outlook.sentence(crate::i18n::lang()))?;
    p.set_id("outlook-note");
    Ok(p)
}

fn raw_headers(input: &[u8], block: Span, findings: &[Finding]) -> Result<Element, JsValue> {
    let section = el("section", "")?;
    append(&section, &el("h2", t(Ui::RawHeaders))?)?;
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
        append(&section, &el("p", t(Ui::RawCut))?)?;
    }
    Ok(section)
}

/// The findings, most severe first.
fn findings(list: &[Finding]) -> Result<Element, JsValue> {
    let section = el("section", "")?;
    append(&section, &el("h2", t(Ui::Findings))?)?;
    if list.is_empty() {
        append(&section, &el("p", t(Ui::Nothing))?)?;
        return Ok(section);
    }
    let ol = el("ol", "")?;
    ol.set_id("findings");
    for (n, f) in list.iter().enumerate() {
        let severity = f.severity.as_str();
        let li = el_class("li", severity, "")?;
        li.set_attribute("data-id", f.id)?;
        li.set_attribute("data-severity", severity)?;
        if list
            .get(..n)
            .is_some_and(|before| before.iter().all(|g| g.id != f.id))
        {
            // The target of the "what to change" list's evidence links.
            li.set_id(&format!("finding-{}", f.id));
        }
        let lang = crate::i18n::lang();
        append(
            &li,
            &el_class("span", "badge", text::severity(f.severity, lang))?,
        )?;
        match lang {
            Lang::En => {
                append(&li, &el_class("strong", "message", &f.message)?)?;
                append(&li, &el_class("p", "detail", &f.detail)?)?;
            }
            Lang::Ja => {
                append(&li, &el_class("strong", "message", f.title.ja)?)?;
                // The specific line names this message's hosts and records.
                let specific = el_class("p", "specific", f.message(lang))?;
                append(&li, &specific)?;
                let detail = if f.detail_ja.is_empty() {
                    f.detail.as_str()
                } else {
                    f.detail_ja
                };
                append(&li, &el_class("p", "detail", detail)?)?;
            }
        }
        if let Some(cause) = f.cause(lang) {
            let p = el_class("p", "cause", cause)?;
            append(&li, &p)?;
        }
        append(&li, &el_class("code", "finding-id", f.id)?)?;
        if !f.dns.is_empty() {
            let dns = el_class("ul", "finding-dns", "")?;
            dns.set_attribute("aria-label", t(Ui::FindingDns))?;
            for e in &f.dns {
                append(&dns, &el("li", &e.summary_in(crate::i18n::lang()))?)?;
            }
            append(&li, &dns)?;
        }
        if !f.evidence.is_empty() {
            let a = el_class("a", "evidence-link", t(Ui::Show))?;
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
    append(&section, &el("h2", t(Ui::VendorVerdicts))?)?;
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
            &el_class(
                "span",
                "verdict-summary",
                &format!(" {}", text::vendor_summary(v, crate::i18n::lang())),
            )?,
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
                &el_class(
                    "td",
                    "meaning",
                    &text::vendor_meaning(item, crate::i18n::lang()).unwrap_or_default(),
                )?,
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
    let title = text::recorded_heading(rec, crate::i18n::lang());
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
        append(&section, &el("p", t(Ui::NoAuthResults))?)?;
        return Ok(section);
    }
    let table = el("table", "")?;
    table.set_id("recorded");
    let head = el("tr", "")?;
    for h in [Ui::ColMethod, Ui::ColResult, Ui::ColDetails, Ui::ColNote] {
        let th = el("th", t(h))?;
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
            let li = el("li", &text::arc_set(set, crate::i18n::lang()))?;
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
            &format!("{} ({})", t(Ui::ReceivedHops), hops.len() + omitted),
        )?,
    )?;
    if hops.is_empty() {
        append(&section, &el("p", t(Ui::NoReceived))?)?;
        return Ok(section);
    }
    if let Some(b) = boundary {
        let p = el_class(
            "p",
            "boundary-note",
            &text::trust_boundary(b, crate::i18n::lang()),
        )?;
        p.set_id("boundary");
        append(&section, &p)?;
    }
    let table = el("table", "")?;
    table.set_id("hops");
    let thead = el("thead", "")?;
    let tr = el("tr", "")?;
    for h in [
        Ui::ColHop,
        Ui::ColFrom,
        Ui::ColBy,
        Ui::ColWith,
        Ui::ColTls,
        Ui::ColTime,
        Ui::ColDelay,
    ] {
        let th = el("th", t(h))?;
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
            let td = el("td", &text::hops_omitted(gap, crate::i18n::lang()))?;
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
            .map(|d| text::elapsed(d, crate::i18n::lang(), true))
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
            &el("p", &text::total_transit(total, crate::i18n::lang()))?,
        )?;
    }
    Ok(section)
}

/// What the From domain publishes at `_dmarc.<domain>` now: the record
/// itself (or why there is none), with the question behind it.
fn dmarc_record(live: &LiveDmarc) -> Result<Element, JsValue> {
    let (status, text) = text::dmarc_record(live, crate::i18n::lang());
    let block = el_class("div", "dmarc-record", "")?;
    block.set_id("live-dmarc");
    block.set_attribute("data-status", status)?;
    append(&block, &el("h3", t(Ui::DmarcNow))?)?;
    let q = el_class("p", "query", "")?;
    append(&q, &el("code", &format!("{} TXT", live.evidence.name))?)?;
    append(
        &q,
        &el(
            "span",
            &match crate::i18n::lang() {
                Lang::En => format!(" via {}", live.evidence.provider),
                Lang::Ja => format!("（{} 経由）", live.evidence.provider),
            },
        )?,
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

/// A result word as a badge showing `shown`; `data-result` carries the word
/// for styling and tests.
fn badge(word: &str, shown: &str) -> Result<Element, JsValue> {
    let b = el_class("span", "badge", shown)?;
    b.set_attribute("data-result", word)?;
    Ok(b)
}

fn row(table: &Element, id: &str, cells: &[&str], word: &str, shown: &str) -> Result<(), JsValue> {
    let tr = el("tr", "")?;
    tr.set_id(id);
    tr.set_attribute("data-result", word)?;
    let th = el("th", cells.first().copied().unwrap_or_default())?;
    th.set_attribute("scope", "row")?;
    append(&tr, &th)?;
    let td = el("td", "")?;
    append(&td, &badge(word, shown)?)?;
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
    append(target, &el("h2", t(Ui::Live))?)?;
    append(
        target,
        &el_class("p", "query", &text::live_heading(live, crate::i18n::lang()))?,
    )?;
    if let Some(dmarc) = &live.dmarc {
        append(target, &dmarc_record(dmarc)?)?;
    }
    let table = el_class("table", "live-table", "")?;
    for r in text::live_rows(live, crate::i18n::lang()) {
        row(&table, &r.id, &[&r.label, &r.detail], r.result, r.shown)?;
    }
    append(target, &table)?;
    then_now(target, live)?;
    dns_evidence(target, live)
}

/// What the receiver recorded then beside what DNS says now.
fn then_now(target: &Element, live: &LiveChecks) -> Result<(), JsValue> {
    if !live.comparison.is_empty() {
        append(target, &el("h3", t(Ui::ThenNow))?)?;
        let lang = crate::i18n::lang();
        let shown = todoku_core::wording::results::shown;
        let list = el("ul", "")?;
        list.set_id("then-now");
        for c in &live.comparison {
            let li = el("li", "")?;
            li.set_attribute("data-class", c.class.as_str())?;
            append(&li, &el("strong", &c.mechanism)?)?;
            append(
                &li,
                &el(
                    "span",
                    &format!(
                        " {} → {}: {}",
                        c.then.as_deref().map_or("—", |w| shown(w, lang)),
                        c.now.as_deref().map_or("—", |w| shown(w, lang)),
                        text::then_now(c, lang)
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
        append(&details, &el("summary", t(Ui::DnsEvidence))?)?;
        let list = el("ol", "")?;
        for e in &live.evidence {
            append(&list, &el("li", &e.summary_in(crate::i18n::lang()))?)?;
        }
        append(&details, &list)?;
        append(target, &details)?;
    }
    Ok(())
}
