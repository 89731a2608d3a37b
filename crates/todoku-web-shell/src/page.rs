//! Wires the page's controls. What the reader gives (text, files) goes to
//! the engine through www/engine.js (`todokuEngine.call`), which loads the
//! engine first if it is not in yet.

use js_sys::{Array, Function, Promise, Reflect};
use todoku_core::wording::Lang;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{
    Element, HtmlButtonElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement,
};

use crate::dom::{by_id, show_error};

const STORAGE_DOH: &str = "todoku.doh";

fn storage() -> Option<web_sys::Storage> {
    crate::dom::window().ok()?.local_storage().ok()?
}

/// Call the engine's `method` with `args` (loading the engine first); the
/// promise settles when the engine has taken the input.
fn engine(method: &str, args: &[JsValue]) -> Result<Promise, JsValue> {
    let window = crate::dom::window()?;
    let api = Reflect::get(&window, &JsValue::from_str("todokuEngine"))?;
    let call = Reflect::get(&api, &JsValue::from_str("call"))?
        .dyn_into::<Function>()
        .map_err(|_| JsValue::from_str("the engine is not available"))?;
    let list = Array::of1(&JsValue::from_str(method));
    for a in args {
        list.push(a);
    }
    call.apply(&api, &list)?.dyn_into()
}

/// Hand `args` to the engine's `method`; `then` runs once it has them.
fn to_engine(method: &str, args: &[JsValue], then: Option<fn() -> Result<(), JsValue>>) {
    let promise = match engine(method, args) {
        Ok(p) => p,
        Err(e) => return show_error(&e),
    };
    spawn_local(async move {
        let done = JsFuture::from(promise).await;
        if let Err(e) = done.and_then(|_| then.map_or(Ok(()), |f| f())) {
            show_error(&e);
        }
    });
}

/// Analyse the text (the engine's `page_text`); `offline` skips the live
/// checks whatever the setting (the samples: their domains are invented).
fn analyze(text: &str, offline: bool, then: Option<fn() -> Result<(), JsValue>>) {
    to_engine(
        "page_text",
        &[JsValue::from_str(text), JsValue::from_bool(offline)],
        then,
    );
}

/// Show the result of an input that came from outside the form.
fn scroll_to_report() -> Result<(), JsValue> {
    by_id::<Element>("report")?.scroll_into_view();
    Ok(())
}

/// Put `text` in the input box and analyse it.
fn analyze_text(text: &str, offline: bool) -> Result<(), JsValue> {
    let area: HtmlTextAreaElement = by_id("input")?;
    area.set_value(text);
    // Started from the help below or anywhere on the page: show the result.
    analyze(text, offline, Some(scroll_to_report));
    Ok(())
}

fn listen(id: &str, event: &str, f: fn()) -> Result<(), JsValue> {
    crate::dom::on(&by_id(id)?, event, f)
}

pub(crate) fn wire() -> Result<(), JsValue> {
    let lang = crate::i18n::initial();
    crate::i18n::set(lang)?;
    by_id::<HtmlSelectElement>("lang")?.set_value(lang.tag());
    crate::help::landing()?;
    wire_anywhere()?;
    // Opened from a private share link: analyse what its #fragment holds.
    spawn_local(async {
        let run = async {
            if let Some(text) = crate::help::shared_text().await? {
                analyze_text(&text, false)?;
                crate::help::shared_note()?;
            }
            Ok::<(), JsValue>(())
        };
        if let Err(e) = run.await {
            show_error(&e);
        }
    });
    // The engine, once in, draws the report again in the new language
    // (its own listener, added after this one).
    listen("lang", "change", || {
        let run = || -> Result<(), JsValue> {
            let chosen = by_id::<HtmlSelectElement>("lang")?.value();
            crate::i18n::set(Lang::from_tag(&chosen))?;
            crate::help::landing()
        };
        if let Err(e) = run() {
            show_error(&e);
        }
    })?;

    let doh: HtmlInputElement = by_id("doh-url")?;
    let saved = storage().and_then(|s| s.get_item(STORAGE_DOH).ok().flatten());
    doh.set_value(saved.as_deref().unwrap_or(crate::help::DEFAULT_ENDPOINT));
    listen("doh-url", "change", || {
        if let (Ok(input), Some(s)) = (by_id::<HtmlInputElement>("doh-url"), storage()) {
            let _ = s.set_item(STORAGE_DOH, input.value().trim());
        }
    })?;
    crate::help::resolver_choice()?;

    listen("analyze", "click", || {
        match by_id::<HtmlTextAreaElement>("input") {
            Ok(text) => analyze(&text.value(), false, None),
            Err(e) => show_error(&e),
        }
    })?;

    listen("file", "change", || {
        if let Ok(input) = by_id::<HtmlInputElement>("file")
            && let Some(files) = input.files()
        {
            to_engine("page_files", &[files.into()], None);
        }
    })?;

    // The button is disabled in the HTML until this module is ready.
    let button: HtmlButtonElement = by_id("analyze")?;
    button.set_disabled(false);
    Ok(())
}

/// Whether `target` is a place where typing or pasting has its own meaning.
fn editable(target: Option<&Element>) -> bool {
    target.is_some_and(|e| {
        matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            || e.closest("[contenteditable]").ok().flatten().is_some()
    })
}

/// Drop a file (or text) anywhere on the page, paste anywhere outside a
/// field, the samples, and links into collapsed sections that open them.
/// One listener for all five events: each closure type costs its own shims
/// in the WebAssembly and the JS glue (issue 7, bundle size).
fn wire_anywhere() -> Result<(), JsValue> {
    let document = crate::dom::document()?;
    let body = document
        .body()
        .ok_or_else(|| JsValue::from_str("no body"))?;
    let on_event = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        match event.type_().as_str() {
            "dragover" => {
                event.prevent_default();
                let _ = body.set_attribute("data-dragging", "");
            }
            // Leaving the window: no element under the pointer. (As a
            // closure typed `DragEvent` did, the event is taken as one
            // without a check: its getters read plain properties.)
            "dragleave" => {
                if event
                    .unchecked_ref::<web_sys::DragEvent>()
                    .related_target()
                    .is_none()
                {
                    let _ = body.remove_attribute("data-dragging");
                }
            }
            "drop" => {
                event.prevent_default();
                let _ = body.remove_attribute("data-dragging");
                on_drop(event.unchecked_ref());
            }
            "paste" => on_paste(event.unchecked_ref()),
            _ => on_click(&event),
        }
    });
    for name in ["dragover", "dragleave", "drop", "paste", "click"] {
        document.add_event_listener_with_callback(name, on_event.as_ref().unchecked_ref())?;
    }
    on_event.forget();
    Ok(())
}

/// A file or text dropped anywhere: analyse it (a mailbox or several
/// files: the batch table, which the engine decides).
fn on_drop(event: &web_sys::DragEvent) {
    let Some(data) = event.data_transfer() else {
        return;
    };
    if let Some(files) = data.files().filter(|l| l.length() > 0) {
        to_engine("page_files", &[files.into()], None);
    } else if let Ok(text) = data.get_data("text/plain")
        && !text.trim().is_empty()
        && let Err(e) = analyze_text(&text, false)
    {
        show_error(&e);
    }
}

/// Text pasted outside a field: analyse it.
fn on_paste(event: &web_sys::ClipboardEvent) {
    let focused = crate::dom::document().ok().and_then(|d| d.active_element());
    if editable(focused.as_ref()) {
        return;
    }
    let Some(text) = event
        .clipboard_data()
        .and_then(|d| d.get_data("text/plain").ok())
    else {
        return;
    };
    if text.trim().is_empty() {
        return;
    }
    event.prevent_default();
    if let Err(e) = analyze_text(&text, false) {
        show_error(&e);
    }
}

/// A sample button, or a link into collapsed sections.
fn on_click(event: &web_sys::Event) {
    let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return;
    };
    if let Some(index) = target.get_attribute("data-sample")
        && let Some(sample) = crate::help::sample_at(&index)
    {
        let file = crate::help::sample_file(sample);
        spawn_local(async move {
            let run = async {
                let window = crate::dom::window()?;
                let response: web_sys::Response = JsFuture::from(window.fetch_with_str(file))
                    .await?
                    .dyn_into()?;
                let text = JsFuture::from(response.text()?).await?;
                analyze_text(&text.as_string().unwrap_or_default(), true)
            };
            if let Err(e) = run.await {
                show_error(&e);
            }
        });
        return;
    }
    // A link to a place inside collapsed sections opens them first.
    let Some(link) = target.closest("a[href^='#']").ok().flatten() else {
        return;
    };
    let id = link
        .get_attribute("href")
        .unwrap_or_default()
        .trim_start_matches('#')
        .to_string();
    let mut at = crate::dom::document()
        .ok()
        .and_then(|d| d.get_element_by_id(&id));
    while let Some(e) = at {
        if e.tag_name() == "DETAILS" {
            let _ = e.set_attribute("open", "");
        }
        at = e.parent_element();
    }
}
