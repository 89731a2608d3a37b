//! Todoku in the browser, the engine: with todoku-web-shell (the page's first
//! module), the only crates that touch wasm-bindgen and the DOM.
//!
//! The first module hands it the pasted text or dropped files
//! ([`page_text`], [`page_files`], through www/engine.js, which loads this
//! module on the first input or when the page is idle); it calls
//! `todoku_core::analyze`, renders the Report with created elements and
//! `textContent` only (header and DNS text is attacker-controlled), runs the
//! live checks through [`resolver::FetchResolver`], DNS-over-HTTPS over
//! `fetch`, and makes the batch table. The analysis workers (www/worker.js)
//! load this module too.

pub mod api;
mod app;
pub mod batch;
pub mod charsets;
pub mod dom;
pub mod guide;
pub mod i18n;
pub mod render;
pub mod resolver;
pub mod timeline;
pub mod webcrypto;
pub mod whole;

use wasm_bindgen::prelude::*;

// Talc instead of the default dlmalloc: 3.5 KB less gzipped, at the same
// analysis speed within this machine's noise (interleaved tests/bench runs).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Entry point: installs the panic hook, nothing else. Importing the module
/// (the JS API in Node, the analysis worker, another page) touches no
/// document; Todoku's page wires its report with [`page_wire`].
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

thread_local! {
    static WIRED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The page's wiring of the report's controls and the batch table, called
/// by www/engine.js once the module is loaded into Todoku's page (once; a
/// second call does nothing).
#[wasm_bindgen]
pub fn page_wire() -> Result<(), JsValue> {
    if WIRED.with(std::cell::Cell::get) {
        return Ok(());
    }
    app::wire()?;
    batch::wire()?;
    WIRED.with(|w| w.set(true));
    Ok(())
}

/// The first module's text input (the Analyze button, a paste, a drop, a
/// sample, a share link): analyse it; `offline` skips the live checks
/// whatever the setting (the samples: their domains are invented). Errors
/// are shown in the page.
#[wasm_bindgen]
pub fn page_text(text: &str, offline: bool) {
    if let Err(e) = app::analyze_bytes(text.as_bytes(), offline) {
        app::show_error(&e);
    }
}

/// The first module's files (the file picker, a drop): the batch table for
/// a mailbox or several files, else the first file analysed. Errors are
/// shown in the page.
#[wasm_bindgen]
pub async fn page_files(files: web_sys::FileList) {
    if let Err(e) = app::open_files(&files).await {
        app::show_error(&e);
    }
}

/// Benchmark hook (tests/bench): analyse `input` offline and return the
/// number of findings, so the work cannot be optimised away.
#[wasm_bindgen]
pub fn bench_analyze(input: &[u8]) -> u32 {
    let report = todoku_core::analyze_with(input, 1_795_800_000, &charsets::BrowserCharsets);
    u32::try_from(report.findings.len() + report.hops.len()).unwrap_or(u32::MAX)
}

/// Benchmark hook (tests/bench): the WebAssembly memory in bytes. It only
/// grows, so after a run it is the peak so far.
#[wasm_bindgen]
pub fn bench_memory_bytes() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        // Pages of 64 KiB; f64 holds any real memory size exactly.
        #[allow(clippy::cast_precision_loss)]
        let bytes = core::arch::wasm32::memory_size(0) as f64 * 65_536.0;
        bytes
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}

/// The analysis worker's entry (www/worker.js): analyse a large input
/// offline and return a summary object — the verdict in both languages,
/// every finding's id, severity, titles and message, and the counts. (The
/// full Report stays in the worker: a 100 000-hop table would not help.)
/// Built as plain JS objects, so no JSON machinery is compiled in.
#[wasm_bindgen]
pub fn worker_analyze(input: &[u8], now: f64) -> Result<JsValue, JsValue> {
    use js_sys::{Array, Object, Reflect};
    fn set(o: &Object, key: &str, value: impl Into<JsValue>) -> Result<(), JsValue> {
        Reflect::set(o, &JsValue::from_str(key), &value.into()).map(|_| ())
    }
    // Seconds since 1970 fit an f64 exactly; the cast saturates.
    #[allow(clippy::cast_possible_truncation)]
    let report = todoku_core::analyze_with(input, now as i64, &charsets::BrowserCharsets);
    let findings = Array::new();
    for f in &report.findings {
        let o = Object::new();
        set(&o, "id", f.id)?;
        set(&o, "severity", f.severity.as_str())?;
        let title = Object::new();
        set(&title, "en", f.title.en)?;
        set(&title, "ja", f.title.ja)?;
        set(&o, "title", title)?;
        set(&o, "message", f.message.as_str())?;
        set(&o, "message_ja", f.message_ja.as_str())?;
        findings.push(&o);
    }
    let out = Object::new();
    set(&out, "outlook", report.verdict.outlook.as_str())?;
    set(&out, "sentence", report.verdict.sentence.as_str())?;
    set(&out, "sentence_ja", report.verdict.sentence_ja.as_str())?;
    // Counts as f64: exact far beyond any input size.
    #[allow(clippy::cast_precision_loss)]
    {
        set(&out, "headers", report.input.header_count as f64)?;
        set(
            &out,
            "hops",
            (report.hops.len() + report.hops_omitted) as f64,
        )?;
    }
    set(&out, "findings", findings)?;
    Ok(out.into())
}
