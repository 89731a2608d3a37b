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

/// Benchmark hook (tests/bench): analyse `input` offline and return the
/// number of findings, so the work cannot be optimised away.
#[wasm_bindgen]
pub fn bench_analyze(input: &[u8]) -> u32 {
    let report = todoku_core::analyze(input, 1_795_800_000);
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
