//! The engine in the page: analyses what the first module hands over, draws
//! the report and its live checks, the exports and the large-input summary.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::Uint8Array;
use todoku_core::Report;
use todoku_core::wording::Ui;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement};

use crate::dom::{append, by_id, clear, el};
use crate::render;
use crate::resolver::{FetchResolver, PageResolver};

/// A report and the input it was made from.
type Shown = Rc<(Report, Vec<u8>)>;

thread_local! {
    /// Bumped on every analysis, so a slow live check of an earlier input
    /// never overwrites the result for the current one.
    static GENERATION: Cell<u32> = const { Cell::new(0) };
    /// The report on screen and its input, to draw again in another language
    /// and to export; shared, never copied.
    static SHOWN: RefCell<Option<Shown>> = const { RefCell::new(None) };
}

/// Draw the report (and its live checks, once they are in) into the page,
/// and keep it as the one on screen.
fn show(shown: Shown) -> Result<(), JsValue> {
    let (report, input) = &*shown;
    let out: Element = by_id("report")?;
    clear(&out);
    let drawn = render::report(report, input)?;
    crate::guide::enhance(&drawn, report)?;
    append(&out, &drawn)?;
    let live = &report.auth.live;
    if live.provider.is_some() {
        let checks: Element = by_id("live")?;
        render::live(&checks, live)?;
        out.set_attribute("data-live", "done")?;
    }
    SHOWN.with(|s| *s.borrow_mut() = Some(shown.clone()));
    Ok(())
}

pub(crate) use crate::dom::show_error;

fn listen(id: &str, event: &str, f: fn()) -> Result<(), JsValue> {
    crate::dom::on(&by_id(id)?, event, f)
}

/// Inputs above this are analysed in the worker (www/worker.js) and shown as
/// a summary; the page stays usable and the analysis can be cancelled.
const LARGE_INPUT: usize = 1 << 20;

fn worker_api(method: &str) -> Result<(JsValue, js_sys::Function), JsValue> {
    let window = crate::dom::window()?;
    let api = js_sys::Reflect::get(&window, &JsValue::from_str("todokuWorker"))?;
    let f = js_sys::Reflect::get(&api, &JsValue::from_str(method))?
        .dyn_into::<js_sys::Function>()
        .map_err(|_| JsValue::from_str("the analysis worker is not available"))?;
    Ok((api, f))
}

/// Analyse a large input in the worker and show its summary; a Cancel
/// button stops it.
fn analyze_large(bytes: &[u8], now: i64, generation: u32) -> Result<(), JsValue> {
    SHOWN.with(|s| *s.borrow_mut() = None);
    let live: Element = by_id("live")?;
    clear(&live);
    live.remove_attribute("data-status")?;
    let out: Element = by_id("report")?;
    clear(&out);
    out.remove_attribute("data-live")?;
    let status = el("p", "")?;
    status.set_id("large-status");
    status.set_attribute("role", "status")?;
    #[allow(clippy::cast_precision_loss)]
    let megabytes = bytes.len() as f64 / 1_048_576.0;
    status.set_text_content(Some(&format!(
        "{}{} MB …",
        crate::i18n::t(Ui::LargeRunning),
        crate::dom::tenths(megabytes)
    )));
    append(&out, &status)?;
    let cancel = el("button", crate::i18n::t(Ui::Cancel))?;
    cancel.set_id("cancel");
    cancel.set_attribute("type", "button")?;
    append(&out, &cancel)?;
    crate::dom::on(&cancel, "click", || {
        if let Ok((api, f)) = worker_api("cancel") {
            let _ = f.call0(&api);
        }
    })?;

    let (api, analyze) = worker_api("analyze")?;
    let input = Uint8Array::from(bytes);
    #[allow(clippy::cast_precision_loss)]
    let promise: js_sys::Promise = analyze
        .call2(&api, &input, &JsValue::from_f64(now as f64))?
        .dyn_into()?;
    let started = js_sys::Date::now();
    spawn_local(async move {
        let outcome = JsFuture::from(promise).await;
        if GENERATION.with(Cell::get) != generation {
            return;
        }
        let shown = match outcome {
            Ok(summary) => {
                let seconds = (js_sys::Date::now() - started) / 1000.0;
                clear(&out);
                render::large_summary(&summary, seconds).and_then(|view| append(&out, &view))
            }
            Err(err) => {
                let message = js_sys::Error::from(err)
                    .message()
                    .as_string()
                    .unwrap_or_default();
                let text = if message == "cancelled" {
                    crate::i18n::t(Ui::Cancelled).to_string()
                } else {
                    message
                };
                clear(&out);
                el("p", &text).and_then(|p| {
                    p.set_id("large-status");
                    p.set_attribute("role", "status")?;
                    append(&out, &p)
                })
            }
        };
        if let Err(e) = shown {
            show_error(&e);
        }
    });
    Ok(())
}

/// Put `text` in the export box and try the clipboard.
fn offer(text: &str) -> Result<(), JsValue> {
    let area: HtmlTextAreaElement = by_id("export-text")?;
    area.set_value(text);
    area.remove_attribute("hidden")?;
    let status: Element = by_id("export-status")?;
    status.set_text_content(Some(crate::i18n::t(Ui::NotCopied)));
    let clipboard = crate::dom::window()?.navigator().clipboard();
    let promise = clipboard.write_text(text);
    spawn_local(async move {
        // Refused (no permission, insecure context): the text stays in the box.
        if JsFuture::from(promise).await.is_ok() {
            status.set_text_content(Some(crate::i18n::t(Ui::Copied)));
        }
    });
    Ok(())
}

/// Save the report as JSON (the CLI's schema) through a download link.
fn download_json(report: &Report) -> Result<(), JsValue> {
    let json = serde_json::to_string_pretty(report)
        .map_err(|e| JsValue::from_str(&format!("cannot write JSON: {e}")))?;
    let parts = js_sys::Array::of1(&JsValue::from_str(&json));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = crate::dom::document()?.create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download("todoku-report.json");
    a.click();
    web_sys::Url::revoke_object_url(&url)?;
    let status: Element = by_id("export-status")?;
    status.set_text_content(Some(crate::i18n::t(Ui::Downloaded)));
    Ok(())
}

fn export(id: &str) -> Result<(), JsValue> {
    let Some(shown) = SHOWN.with(|s| s.borrow().clone()) else {
        return Ok(());
    };
    let (report, input) = &*shown;
    match id {
        "export-md" => offer(&todoku_core::report::export::markdown(
            report,
            crate::i18n::lang(),
        )),
        "export-json" => download_json(report),
        "export-redacted" => {
            let ips = by_id::<HtmlInputElement>("redact-ips")?.checked();
            offer(&todoku_core::report::export::redact(input, ips))
        }
        "export-share" => {
            let ips = by_id::<HtmlInputElement>("redact-ips")?.checked();
            crate::guide::share(report, input, ips)
        }
        _ => Ok(()),
    }
}

/// What the engine wires when it is loaded into the page (the first module,
/// todoku-web-shell, wires the input controls and hands their input to
/// [`crate::page_text`] and [`crate::page_files`]).
pub(crate) fn wire() -> Result<(), JsValue> {
    // One listener for the export buttons, which are redrawn with the report.
    let report_section: web_sys::EventTarget = by_id("report")?;
    let on_click = Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
        let id = event
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .map(|e| e.id())
            .unwrap_or_default();
        if id.starts_with("export-")
            && let Err(e) = export(&id)
        {
            show_error(&e);
        }
        // The choice among attached messages: analyse the one asked for.
        if let Some(index) = id
            .strip_prefix("attachment-")
            .and_then(|k| k.parse::<usize>().ok())
        {
            let input = SHOWN.with(|s| s.borrow().as_ref().map(|shown| shown.1.clone()));
            if let Some(input) = input
                && let Err(e) = analyze_bytes_at(&input, index, false)
            {
                show_error(&e);
            }
        }
    });
    report_section.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;
    on_click.forget();

    // The language the first module chose; on a switch, its listener (added
    // first) translates the page, this one draws the report again.
    crate::i18n::adopt();
    listen("lang", "change", || {
        crate::i18n::adopt();
        let shown = SHOWN.with(|s| s.borrow().clone());
        if let Some(shown) = shown
            && let Err(e) = show(shown)
        {
            show_error(&e);
        }
    })
}

/// Files chosen or dropped: the batch table for a mailbox or several files,
/// else the first file analysed.
pub(crate) async fn open_files(files: &web_sys::FileList) -> Result<(), JsValue> {
    if crate::batch::offer(files).await? {
        return Ok(());
    }
    let Some(file) = files.get(0) else {
        return Ok(());
    };
    let buffer = JsFuture::from(file.array_buffer()).await?;
    let bytes = Uint8Array::new(&buffer).to_vec();
    analyze_bytes(&bytes, false)
}

/// The page's resolver for one message's live checks: none when `offline`
/// or the Offline setting is on, else DoH to the endpoints set in the page
/// (with a fresh budget), counting answers in `progress` if given.
pub(crate) fn page_resolver(
    offline: bool,
    progress: Option<Element>,
) -> Result<PageResolver, JsValue> {
    if offline || by_id::<HtmlInputElement>("offline")?.checked() {
        return Ok(PageResolver::Offline);
    }
    let endpoint = by_id::<HtmlInputElement>("doh-url")?.value();
    let resolver = FetchResolver::new(endpoint.trim(), todoku_doh::Budget::default());
    Ok(PageResolver::Doh(match progress {
        Some(p) => resolver.with_progress(p),
        None => resolver,
    }))
}

/// Analyse `bytes`; `offline` skips the live checks whatever the setting
/// (the samples: their domains are invented).
pub(crate) fn analyze_bytes(bytes: &[u8], offline: bool) -> Result<(), JsValue> {
    analyze_bytes_at(bytes, 0, offline)
}

/// [`analyze_bytes`]; of an input carrying messages as attachments, the
/// attached message `attachment` (from 0).
fn analyze_bytes_at(bytes: &[u8], attachment: usize, offline: bool) -> Result<(), JsValue> {
    let generation = GENERATION.with(|g| {
        g.set(g.get().wrapping_add(1));
        g.get()
    });
    let now = crate::api::now_seconds();
    if bytes.len() > LARGE_INPUT {
        return analyze_large(bytes, now, generation);
    }
    // The same report the JS API's `analyze` makes (crate::api).
    let report = crate::api::offline_report(bytes, attachment, now);
    // The text the report's spans point into: the input itself, or an
    // Outlook .msg's transport headers (shown raw and read by the live checks).
    let input = todoku_core::open(bytes, &crate::charsets::BrowserCharsets)
        .text
        .into_owned();
    let shown = Rc::new((report, input));
    show(shown.clone())?;

    let checks: Element = by_id("live")?;
    clear(&checks);
    checks.remove_attribute("data-status")?;
    // No "re-checking …" line where nothing will be re-checked (a bounce):
    // it would stay for good, in the language it was drawn in.
    if !todoku_core::live_checks_apply(&shown.0) {
        return Ok(());
    }
    checks.set_attribute("data-status", "pending")?;
    append(&checks, &el("p", crate::i18n::t(Ui::LivePending))?)?;
    let progress = el("p", "")?;
    progress.set_id("live-progress");
    progress.set_attribute("role", "status")?;
    append(&checks, &progress)?;

    let resolver = page_resolver(offline, Some(progress))?;
    spawn_local(async move {
        let (report, input) = &*shown;
        let live = crate::api::live_checks(report, input, &resolver).await;
        if GENERATION.with(Cell::get) != generation {
            return;
        }
        // The live checks add findings and may change the verdict. The page
        // lets go of its reference first, so the report is taken back
        // without a copy: every other holder (an export, a language switch)
        // is synchronous and has let go before this task runs again. Taking
        // it back rather than cloning keeps the Report's Clone code out of
        // the WebAssembly (about 5 KB).
        SHOWN.with(|s| s.borrow_mut().take());
        let Ok((mut report, input)) = Rc::try_unwrap(shown) else {
            show_error(&JsValue::from_str(crate::i18n::t(Ui::StaleReport)));
            return;
        };
        todoku_core::attach_live(&mut report, live);
        // `show` draws the live sections with the report they change.
        let shown = show(Rc::new((report, input)));
        if let Err(e) = shown {
            show_error(&e);
        }
    });
    Ok(())
}
