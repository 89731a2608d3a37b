//! Todoku in the browser: the only crate that touches wasm-bindgen and the DOM.
//!
//! It reads the pasted text or dropped file, calls `todoku_core::analyze`,
//! renders the Report with created elements and `textContent` only (header and
//! DNS text is attacker-controlled), and runs the live checks through
//! [`resolver::FetchResolver`], DNS-over-HTTPS over `fetch`.

mod app;
pub mod dom;
pub mod i18n;
pub mod render;
pub mod resolver;
pub mod timeline;

use wasm_bindgen::prelude::*;

/// Entry point: installs the panic hook and wires the page's controls.
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    console_error_panic_hook::set_once();
    // Under wasm-bindgen-test there is no app page: nothing to wire.
    if dom::document()?.get_element_by_id("analyze").is_some() {
        app::wire()?;
    }
    Ok(())
}
