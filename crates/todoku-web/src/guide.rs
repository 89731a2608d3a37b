//! Issue 18's parts of the report: the "what to change" list under the
//! verdict, long sections collapsed with a one-line summary, hop times in
//! the reader's zone, the private share link. (The page before any input,
//! the help, samples and resolver choice, is the first module's:
//! todoku-web-shell/src/help.rs.) Every word comes from the core
//! (`wording::fixes`, `wording::page_help`); header and DNS text enters the
//! page as text nodes only.

use todoku_core::Report;
use todoku_core::report::checklist::CheckState;
use todoku_core::trace::hops::Hop;
use todoku_core::wording::Lang;
use todoku_core::wording::page_help::{self, Word};
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
    let (api, encode) = crate::dom::share_api("encode")?;
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
