//! Todoku's first WebAssembly module: the page as it is before any input.
//!
//! It chooses the page's language, draws the getting-started help, the
//! samples and the resolver choice, and takes input from the Analyze
//! button, the file picker, drop and paste anywhere, a sample or a private
//! share link. Every input goes to the engine (the second module,
//! `todoku-web`: analysis, report, live checks, batch table), which
//! www/engine.js loads on the first input or as soon as the page is idle.
//! The engine is most of the code (issue 17's size budget: the module the
//! page loads first stays small). Every word comes from the core's wording,
//! as in the engine; `dom` and `i18n` are the engine's own files.

#[path = "../../todoku-web/src/dom.rs"]
pub mod dom;
pub mod help;
#[path = "../../todoku-web/src/i18n.rs"]
pub mod i18n;
mod page;

use wasm_bindgen::prelude::*;

// Talc, as in the engine (todoku-web/src/lib.rs).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Entry point: installs the panic hook and wires the page's controls.
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    console_error_panic_hook::set_once();
    if web_sys::window().is_none() {
        return Ok(());
    }
    if dom::document()?.get_element_by_id("analyze").is_some() {
        page::wire()?;
    }
    Ok(())
}
