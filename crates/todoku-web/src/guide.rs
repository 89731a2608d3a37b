//! Issue 18's page parts: the "what to change" list under the verdict, long
//! sections collapsed with a one-line summary, hop times in the reader's
//! zone, the getting-started help (headers per client, samples), drop and
//! paste anywhere, and the resolver choice. Every word comes from the core
//! (`wording::fixes`, `wording::page_help`); header and DNS text enters the
//! page as text nodes only.

use todoku_core::Report;
use todoku_core::report::checklist::CheckState;
use todoku_core::trace::hops::Hop;
use todoku_core::wording::Lang;
use todoku_core::wording::page_help::{self, CLIENTS, RESOLVERS, SAMPLES, Sample, Word};
use wasm_bindgen::prelude::*;
use web_sys::Element;

use crate::dom::{append, by_id, el, el_class};

fn w(word: Word) -> &'static str {
    page_help::word(word, crate::i18n::lang())
}

/// The numbered "what to change" list, each fix linked to the finding it
/// answers; `None` when nothing needs changing.
pub fn fixes(report: &Report) -> Result<Option<Element>, JsValue> {
    if report.fixes.is_empty() {
        return Ok(None);
    }
    let lang = crate::i18n::lang();
    let section = el_class("section", "fixes", "")?;
    section.set_id("fixes");
    let heading = el("h2", todoku_core::wording::fixes::heading(lang))?;
    heading.set_id("fixes-heading");
    section.set_attribute("aria-labelledby", "fixes-heading")?;
    append(&section, &heading)?;
    let ol = el("ol", "")?;
    for f in &report.fixes {
        let li = el("li", "")?;
        li.set_attribute("data-kind", f.kind.as_str())?;
        let sentence = match lang {
            Lang::En => &f.sentence,
            Lang::Ja => &f.sentence_ja,
        };
        append(&li, &el_class("span", "fix-sentence", sentence)?)?;
        if let Some(value) = &f.value {
            append(&li, &el_class("code", "fix-value", value)?)?;
        }
        if let Some(first) = f.findings.first() {
            let a = el_class(
                "a",
                "fix-evidence",
                todoku_core::wording::fixes::evidence_link(lang),
            )?;
            a.set_attribute("href", &format!("#finding-{first}"))?;
            a.set_attribute("data-finding", first)?;
            append(&li, &a)?;
        }
        append(&ol, &li)?;
    }
    append(&section, &ol)?;
    Ok(Some(section))
}

/// After the report is drawn: collapse the long sections, show hop times
/// in the reader's zone and group the hops inside one organisation.
pub fn enhance(root: &Element, report: &Report) -> Result<(), JsValue> {
    local_times(root, &report.hops)?;
    if let Some(bar) = root.query_selector("#exports")? {
        let button = el("button", w(Word::ShareButton))?;
        button.set_id("export-share");
        button.set_attribute("type", "button")?;
        match bar.query_selector("label")? {
            Some(label) => {
                bar.insert_before(&button, Some(&label))?;
            }
            None => append(&bar, &button)?,
        }
    }
    if let Some(section) = root.query_selector("#checklists")? {
        let unmet = report
            .checklists
            .iter()
            .flat_map(|l| &l.items)
            .filter(|i| i.state == CheckState::Fail)
            .count();
        let line = format!("{unmet} {}", w(Word::ChecklistsSummary));
        collapse(&section, &line)?;
    }
    if let Some(table) = root.query_selector("#hops")?
        && let Some(section) = table.parent_element()
    {
        let total = report
            .total_transit_seconds
            .map_or_else(|| "—".to_string(), |s| format!("{s} s"));
        let line = format!(
            "{} {} {total}",
            report.hops.len() + report.hops_omitted,
            w(Word::HopsSummary)
        );
        collapse(&section, &line)?;
    }
    if let Some(pre) = root.query_selector("#raw-headers")?
        && let Some(section) = pre.parent_element()
    {
        let line = format!("{} {}", report.input.headers.len(), w(Word::RawSummary));
        collapse(&section, &line)?;
    }
    Ok(())
}

/// Move `section`'s content (after its heading) into a closed `<details>`
/// whose summary holds the heading and `line`.
fn collapse(section: &Element, line: &str) -> Result<(), JsValue> {
    let details = el_class("details", "collapsible", "")?;
    let summary = el("summary", "")?;
    if let Some(heading) = section.query_selector("h2")? {
        append(&summary, &heading)?;
    }
    append(&summary, &el_class("span", "summary-line", line)?)?;
    append(&details, &summary)?;
    while let Some(child) = section.first_child() {
        details.append_child(&child)?;
    }
    append(section, &details)?;
    Ok(())
}

/// A time as `YYYY-MM-DD HH:MM:SS` in the zone `offset_minutes` east of UTC.
pub fn format_local(unix_ms: i64, offset_minutes: i64) -> String {
    let local = unix_ms.div_euclid(1000) + offset_minutes * 60;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// `+09:00` for 540 minutes east of UTC.
pub fn offset_label(offset_minutes: i64) -> String {
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let m = offset_minutes.abs();
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

/// The browser's offset east of UTC at `unix_ms`, in minutes.
fn browser_offset(unix_ms: i64) -> i64 {
    #[allow(clippy::cast_precision_loss)]
    let date = js_sys::Date::new(&JsValue::from_f64(unix_ms as f64));
    #[allow(clippy::cast_possible_truncation)]
    let west = date.get_timezone_offset() as i64;
    -west
}

/// Each hop's time in the reader's zone, the server's own stamp on hover;
/// hops inside one organisation marked as one grey group.
fn local_times(root: &Element, hops: &[Hop]) -> Result<(), JsValue> {
    let Some(table) = root.query_selector("#hops")? else {
        return Ok(());
    };
    let rows = table.query_selector_all("tbody tr[data-zone]")?;
    let mut offset = None;
    let mut any_internal = false;
    for i in 0..rows.length() {
        let Some(row) = rows.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let index: Option<usize> = row
            .query_selector("td.n")?
            .and_then(|td| td.text_content())
            .and_then(|t| t.parse().ok());
        let Some(hop) = index.and_then(|n| hops.iter().find(|h| h.index == n)) else {
            continue;
        };
        if let (Some(ms), Some(td)) = (hop.unix_ms, row.query_selector("td.time")?) {
            let off = browser_offset(ms);
            offset.get_or_insert(off);
            td.set_text_content(Some(&format_local(ms, off)));
            if let Some(original) = &hop.timestamp {
                td.set_attribute("title", original)?;
                td.set_attribute("data-original", original)?;
            }
        }
        // Grey, with a bar that joins a run of them (style.css): no extra
        // rows, so the table keeps one row per hop.
        if hop.within_organisation() {
            row.set_attribute("data-org", "internal")?;
            row.set_attribute("title", w(Word::InternalGroup))?;
            any_internal = true;
        }
    }
    if let Some(off) = offset {
        let mut text = format!("{} (UTC{})", w(Word::LocalTimeNote), offset_label(off));
        if any_internal {
            text.push_str(" ▍");
            text.push_str(w(Word::InternalGroup));
        }
        let note = el_class("p", "note local-time-note", &text)?;
        note.set_id("local-time-note");
        if let Some(parent) = table.parent_node() {
            parent.insert_before(&note, table.next_sibling().as_ref())?;
        }
    }
    Ok(())
}

/// The sample messages beside the page (www/sample-*.eml, written for
/// Todoku: invented domains and documentation addresses), fetched from the
/// page's own origin when asked for, so they cost the page nothing.
pub fn sample_file(sample: Sample) -> &'static str {
    match sample {
        Sample::HostingSoftfail => "./sample-hosting-softfail.eml",
        Sample::GmailClean => "./sample-gmail-clean.eml",
        Sample::Bounce => "./sample-bounce-no-such-user.eml",
    }
}

/// Fill the landing page's help: how to get the headers per client, the
/// samples, drop/paste anywhere. Drawn again on a language switch.
pub fn landing() -> Result<(), JsValue> {
    let lang = crate::i18n::lang();
    let section: Element = by_id("help")?;
    crate::dom::clear(&section);
    let heading = el("h2", w(Word::HelpHeading))?;
    heading.set_id("help-heading");
    append(&section, &heading)?;
    let list = el_class("div", "clients", "")?;
    list.set_id("clients");
    for client in CLIENTS {
        let details = el("details", "")?;
        details.set_attribute("data-client", client.name(Lang::En))?;
        append(&details, &el("summary", client.name(lang))?)?;
        append(&details, &el("p", client.steps(lang))?)?;
        append(&list, &details)?;
    }
    append(&section, &list)?;
    let drop = el_class("p", "note", w(Word::DropAnywhere))?;
    drop.set_id("drop-note");
    append(&section, &drop)?;
    let samples_heading = el("h2", w(Word::SamplesHeading))?;
    append(&section, &samples_heading)?;
    let bar = el_class("div", "samples", "")?;
    bar.set_id("samples");
    for (n, sample) in SAMPLES.iter().enumerate() {
        let button = el_class("button", "sample", sample.label(lang))?;
        button.set_attribute("type", "button")?;
        button.set_attribute("data-sample", &n.to_string())?;
        append(&bar, &button)?;
    }
    append(&section, &bar)?;
    append(&section, &el_class("p", "note", w(Word::SamplesNote))?)?;
    resolver_words()?;
    Ok(())
}

/// The sample a `data-sample` attribute names.
pub fn sample_at(index: &str) -> Option<Sample> {
    index
        .parse::<usize>()
        .ok()
        .and_then(|n| SAMPLES.get(n).copied())
}

/// Origins the page's Content-Security-Policy lets it contact
/// (scripts/post-build.mjs): the listed services and loopback.
fn allowed(url: &str) -> bool {
    let Ok(parsed) = web_sys::Url::new(url) else {
        return false;
    };
    let origin = parsed.origin();
    let host = parsed.hostname();
    let loopback = host == "127.0.0.1" || host == "localhost";
    let scheme = parsed.protocol();
    (loopback && (scheme == "http:" || scheme == "https:"))
        || RESOLVERS.iter().any(|(_, u)| {
            web_sys::Url::new(u)
                .map(|r| r.origin() == origin)
                .unwrap_or(false)
        })
}

/// The resolver choice's preset for the text in `#doh-url`, or `custom`.
fn preset_for(value: &str) -> String {
    let value = value.trim();
    if value == crate::resolver::DEFAULT_ENDPOINT {
        return "default".to_string();
    }
    RESOLVERS
        .iter()
        .position(|(_, u)| *u == value)
        .map_or_else(|| "custom".to_string(), |n| n.to_string())
}

/// Add the resolver choice (a list of well-known services) above the URL
/// field; the field stays the one source of truth.
pub fn resolver_choice() -> Result<(), JsValue> {
    let input: web_sys::HtmlInputElement = by_id("doh-url")?;
    let document = crate::dom::document()?;
    let label = el("label", "")?;
    label.set_attribute("for", "doh-choice")?;
    label.set_id("doh-choice-label");
    let select: web_sys::HtmlSelectElement = document.create_element("select")?.dyn_into()?;
    select.set_id("doh-choice");
    let add = |value: &str, text: &str, origin: Option<&str>| -> Result<(), JsValue> {
        let option = el("option", text)?;
        option.set_attribute("value", value)?;
        if let Some(o) = origin {
            option.set_attribute("data-url", o)?;
        }
        select.append_child(&option)?;
        Ok(())
    };
    add(
        "default",
        "Cloudflare → Google",
        Some(crate::resolver::DEFAULT_ENDPOINT),
    )?;
    for (n, (name, url)) in RESOLVERS.iter().enumerate() {
        add(&n.to_string(), name, Some(url))?;
    }
    add("custom", "", None)?;
    select.set_value(&preset_for(&input.value()));
    let blocked = el_class("p", "doh-blocked", "")?;
    blocked.set_id("doh-blocked");
    blocked.set_attribute("role", "status")?;
    if let Some(parent) = input.parent_node() {
        let first_label = input.previous_element_sibling();
        let before = first_label.unwrap_or_else(|| input.clone().into());
        parent.insert_before(&label, Some(&before))?;
        parent.insert_before(&select, Some(&before))?;
        parent.insert_before(&blocked, input.next_sibling().as_ref())?;
    }
    crate::dom::on(&select, "change", || {
        let run = || -> Result<(), JsValue> {
            let select: web_sys::HtmlSelectElement = by_id("doh-choice")?;
            let input: web_sys::HtmlInputElement = by_id("doh-url")?;
            let value = select.value();
            let url = if value == "default" {
                Some(crate::resolver::DEFAULT_ENDPOINT)
            } else {
                value
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| RESOLVERS.get(n))
                    .map(|(_, u)| *u)
            };
            if let Some(url) = url {
                input.set_value(url);
                // The field's own change handler saves it.
                input.dispatch_event(&web_sys::Event::new("change")?)?;
            } else {
                input.focus()?;
            }
            check_resolver()
        };
        let _ = run();
    })?;
    let on_input = || {
        let _ = check_resolver();
    };
    crate::dom::on(&input, "input", on_input)?;
    crate::dom::on(&input, "change", on_input)?;
    resolver_words()?;
    check_resolver()
}

/// The resolver choice's words in the page's language.
fn resolver_words() -> Result<(), JsValue> {
    if let Ok(label) = by_id::<Element>("doh-choice-label") {
        label.set_text_content(Some(w(Word::ResolverChoice)));
    }
    if let Ok(select) = by_id::<Element>("doh-choice")
        && let Some(custom) = select.query_selector("option[value=custom]")?
    {
        custom.set_text_content(Some(w(Word::ResolverCustom)));
    }
    check_resolver()
}

/// Say so when a URL in the field is outside the page's security policy.
fn check_resolver() -> Result<(), JsValue> {
    let (Ok(input), Ok(note)) = (
        by_id::<web_sys::HtmlInputElement>("doh-url"),
        by_id::<Element>("doh-blocked"),
    ) else {
        return Ok(());
    };
    let value = input.value();
    let blocked: Vec<&str> = value
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|u| !u.is_empty() && !allowed(u))
        .collect();
    if let Ok(select) = by_id::<web_sys::HtmlSelectElement>("doh-choice") {
        select.set_value(&preset_for(&value));
    }
    if blocked.is_empty() {
        note.set_text_content(None);
        note.set_attribute("hidden", "")?;
    } else {
        note.set_text_content(Some(&format!(
            "{} ({})",
            w(Word::ResolverBlocked),
            blocked.join(", ")
        )));
        note.remove_attribute("hidden")?;
    }
    Ok(())
}

fn share_api(method: &str) -> Result<(JsValue, js_sys::Function), JsValue> {
    let window = crate::dom::window()?;
    let api = js_sys::Reflect::get(&window, &JsValue::from_str("todokuShare"))?;
    let f = js_sys::Reflect::get(&api, &JsValue::from_str(method))?
        .dyn_into::<js_sys::Function>()
        .map_err(|_| JsValue::from_str("share links are not available"))?;
    Ok((api, f))
}

/// The private share link: the header block, redacted as the redacted copy
/// is, shown first (the preview), then compressed into the link's
/// #fragment by www/share.js.
pub fn share(report: &Report, input: &[u8], ips: bool) -> Result<(), JsValue> {
    let block = report
        .input
        .header_block
        .and_then(|b| input.get(b.start..b.end))
        .unwrap_or(input);
    let text = todoku_core::report::export::redact(block, ips);
    let area: web_sys::HtmlTextAreaElement = by_id("export-text")?;
    area.set_value(&text);
    area.remove_attribute("hidden")?;
    let status: Element = by_id("export-status")?;
    status.set_text_content(Some(w(Word::SharePreview)));
    let (api, encode) = share_api("encode")?;
    let promise: js_sys::Promise = encode.call1(&api, &JsValue::from_str(&text))?.dyn_into()?;
    wasm_bindgen_futures::spawn_local(async move {
        let outcome = wasm_bindgen_futures::JsFuture::from(promise).await;
        let shown = match outcome {
            Ok(link) => show_link(&link.as_string().unwrap_or_default()),
            Err(err) => {
                let message = js_sys::Error::from(err)
                    .message()
                    .as_string()
                    .unwrap_or_default();
                let text = if message == "too-large" {
                    w(Word::ShareTooLarge).to_string()
                } else {
                    message
                };
                status.set_text_content(Some(&text));
                Ok(())
            }
        };
        if let Err(e) = shown {
            web_sys::console::error_1(&e);
        }
    });
    Ok(())
}

/// The link in a read-only field with a copy button, under the preview.
fn show_link(link: &str) -> Result<(), JsValue> {
    let bar: Element = by_id("exports")?;
    let field: web_sys::HtmlInputElement = match by_id("share-link") {
        Ok(f) => f,
        Err(_) => {
            let f: web_sys::HtmlInputElement = crate::dom::document()?
                .create_element("input")?
                .dyn_into()?;
            f.set_id("share-link");
            f.set_attribute("readonly", "")?;
            f.set_attribute("aria-label", w(Word::ShareButton))?;
            append(&bar, &f)?;
            let copy = el("button", w(Word::ShareCopy))?;
            copy.set_id("share-copy");
            copy.set_attribute("type", "button")?;
            crate::dom::on(&copy, "click", || {
                if let (Ok(field), Ok(window)) = (
                    by_id::<web_sys::HtmlInputElement>("share-link"),
                    crate::dom::window(),
                ) {
                    field.select();
                    let _ = window.navigator().clipboard().write_text(&field.value());
                }
            })?;
            append(&bar, &copy)?;
            f
        }
    };
    field.set_value(link);
    Ok(())
}

/// When the page was opened from a share link: the text it holds.
pub async fn shared_text() -> Result<Option<String>, JsValue> {
    let hash = crate::dom::window()?.location().hash()?;
    if !hash.starts_with("#h=") {
        return Ok(None);
    }
    let (api, decode) = share_api("decode")?;
    let promise: js_sys::Promise = decode.call1(&api, &JsValue::from_str(&hash))?.dyn_into()?;
    let text = wasm_bindgen_futures::JsFuture::from(promise).await?;
    Ok(text.as_string())
}

/// The note over a report opened from a share link.
pub fn shared_note() -> Result<(), JsValue> {
    // Beside the report, not in it: the report is drawn again when the
    // live checks come back.
    if by_id::<Element>("shared-note").is_ok() {
        return Ok(());
    }
    let out: Element = by_id("report")?;
    let note = el_class("p", "note", w(Word::ShareOpened))?;
    note.set_id("shared-note");
    if let Some(parent) = out.parent_node() {
        parent.insert_before(&note, Some(&out))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_time_is_the_instant_in_the_readers_zone() {
        // 2026-11-23T01:10:08-08:00 is 09:10:08Z, 18:10:08 in Tokyo.
        let ms = 1_795_425_008_000;
        assert_eq!(format_local(ms, 0), "2026-11-23 09:10:08");
        assert_eq!(format_local(ms, 540), "2026-11-23 18:10:08");
        assert_eq!(format_local(ms, -480), "2026-11-23 01:10:08");
        assert_eq!(offset_label(540), "+09:00");
        assert_eq!(offset_label(-570), "-09:30");
        assert_eq!(format_local(0, -60), "1969-12-31 23:00:00");
    }
}
