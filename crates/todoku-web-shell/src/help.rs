//! The page before any input (issue 18's getting-started help): how to get
//! the headers out of each mail client, the samples, the resolver choice
//! (checked against the page's security policy) and opening a private share
//! link. Every word comes from the core (`wording::page_help`).

use todoku_core::wording::Lang;
use todoku_core::wording::page_help::{self, CLIENTS, RESOLVERS, SAMPLES, Sample, Word};
use wasm_bindgen::prelude::*;
use web_sys::Element;

use crate::dom::{append, by_id, el, el_class};

/// The public resolvers used unless the user picks others: Cloudflare, then
/// Google when Cloudflare cannot be reached.
pub const DEFAULT_ENDPOINT: &str =
    "https://cloudflare-dns.com/dns-query https://dns.google/dns-query";

fn w(word: Word) -> &'static str {
    page_help::word(word, crate::i18n::lang())
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
    if value == DEFAULT_ENDPOINT {
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
    add("default", "Cloudflare → Google", Some(DEFAULT_ENDPOINT))?;
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
                Some(DEFAULT_ENDPOINT)
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

/// When the page was opened from a share link: the text it holds.
pub async fn shared_text() -> Result<Option<String>, JsValue> {
    let hash = crate::dom::window()?.location().hash()?;
    if !hash.starts_with("#h=") {
        return Ok(None);
    }
    let (api, decode) = crate::dom::share_api("decode")?;
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
