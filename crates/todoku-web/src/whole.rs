//! The input as a whole: a bounce's recipients above the analysis of the
//! message that was rejected, or which attached message is analysed with a
//! choice among them. Every word comes from the core
//! (`todoku_core::wording::bounce`); every value enters as text.

use todoku_core::Report;
use todoku_core::whole::WholeKind;
use todoku_core::wording::bounce::{attached, heading};
use wasm_bindgen::JsValue;
use web_sys::Element;

use crate::dom::{append, el, el_class};
use crate::i18n::{lang, pick};

fn dash(value: Option<&str>) -> &str {
    value.unwrap_or("—")
}

/// One recipient of a bounce, as a table row.
fn recipient_row(r: &todoku_core::whole::dsn::Recipient) -> Result<Element, JsValue> {
    let tr = el_class("tr", "recipient", "")?;
    tr.set_attribute("data-address", &r.address)?;
    let code = r
        .status
        .clone()
        .or_else(|| r.reply.map(|n| n.to_string()))
        .unwrap_or_else(|| "—".to_string());
    let reason = pick(r.reason);
    for text in [
        r.address.as_str(),
        code.as_str(),
        reason,
        dash(r.remote_mta.as_deref()),
        dash(r.diagnostic.as_deref()),
    ] {
        append(&tr, &el("td", text)?)?;
    }
    Ok(tr)
}

/// `a — b`, without the formatting machinery.
fn pair(a: Option<&str>, b: Option<&str>) -> String {
    let mut text = String::from(dash(a));
    text.push_str(" — ");
    text.push_str(dash(b));
    text
}

/// The outer message's From and Subject (the bounce's, or the message that
/// carried the attachments).
fn outer(section: &Element, report: &Report) -> Result<(), JsValue> {
    if let Some(o) = &report.whole.outer {
        let text = pair(o.from.as_deref(), o.subject.as_deref());
        append(section, &el_class("p", "outer", &text)?)?;
    }
    Ok(())
}

/// The bounce's summary: who sent it, the recipients and why each failed.
fn bounce(report: &Report) -> Result<Element, JsValue> {
    let w = &report.whole;
    let section = el("section", "")?;
    section.set_id("whole-bounce");
    append(&section, &el("h2", pick(heading::BOUNCE))?)?;
    outer(&section, report)?;
    if let Some(mta) = &w.reporting_mta {
        let mut text = String::from(pick(heading::REPORTING_MTA));
        text.push_str(": ");
        text.push_str(mta);
        let p = el("p", &text)?;
        p.set_id("reporting-mta");
        append(&section, &p)?;
    }
    if !w.recipients.is_empty() {
        let table = el("table", "")?;
        table.set_id("recipients");
        let head = el("tr", "")?;
        for h in [
            heading::RECIPIENT,
            heading::STATUS,
            heading::REASON,
            heading::REMOTE_MTA,
            heading::DIAGNOSTIC,
        ] {
            append(&head, &el("th", pick(h))?)?;
        }
        append(&table, &head)?;
        for r in &w.recipients {
            append(&table, &recipient_row(r)?)?;
        }
        append(&section, &table)?;
    }
    match w.original {
        Some(o) => {
            let h = el("h2", pick(heading::REJECTED))?;
            h.set_id("rejected-message");
            append(&section, &h)?;
            let detail = match o.source {
                todoku_core::whole::OriginalSource::Rfc822Headers => Some(heading::HEADERS_ONLY),
                todoku_core::whole::OriginalSource::MessagePartial => Some(heading::PARTIAL),
                _ => None,
            };
            if let Some(detail) = detail {
                append(&section, &el_class("p", "detail", pick(detail))?)?;
            }
        }
        None => {
            let p = el_class("p", "detail", pick(heading::NO_ORIGINAL))?;
            p.set_id("no-original");
            append(&section, &p)?;
        }
    }
    Ok(section)
}

/// Which attached message is analysed, and a button for each of them.
fn attachments(report: &Report) -> Result<Element, JsValue> {
    let w = &report.whole;
    let chosen = w.chosen.unwrap_or(0);
    let section = el("section", "")?;
    section.set_id("whole-attached");
    let h = el("h2", &attached(chosen + 1, w.attachments.len(), lang()))?;
    h.set_id("attached-heading");
    append(&section, &h)?;
    outer(&section, report)?;
    if w.attachments.len() > 1 {
        let list = el("ol", "")?;
        list.set_id("attachments");
        for (i, a) in w.attachments.iter().enumerate() {
            let li = el("li", "")?;
            let button = el("button", &pair(a.from.as_deref(), a.subject.as_deref()))?;
            let mut id = String::from("attachment-");
            id.push_str(&i.to_string());
            button.set_id(&id);
            button.set_attribute("type", "button")?;
            if i == chosen {
                button.set_attribute("aria-current", "true")?;
            }
            append(&li, &button)?;
            append(&list, &li)?;
        }
        append(&section, &list)?;
    }
    Ok(section)
}

/// The whole-input part of the report, when the input was more than one
/// message.
pub fn render_whole(report: &Report) -> Result<Option<Element>, JsValue> {
    match report.whole.kind {
        WholeKind::Message => Ok(None),
        WholeKind::Bounce => bounce(report).map(Some),
        WholeKind::Attached => attachments(report).map(Some),
    }
}
