//! The CLI's plain-text rendering (crates/todoku-cli/src/text.rs) of a live
//! report (zone, a line `%%`, the message), in both languages.
#![no_main]
use libfuzzer_sys::fuzz_target;
use todoku_core::wording::Lang;
use todoku_fuzz::{ZoneResolver, block_on, split};

#[allow(dead_code, unreachable_pub)]
#[path = "../../../crates/todoku-cli/src/text.rs"]
mod text;

fuzz_target!(|data: &[u8]| {
    let (zone, message) = split(data);
    let resolver = ZoneResolver::new(zone);
    let report = block_on(todoku_core::analyze_live(message, 1_795_500_000, &resolver));
    for lang in [Lang::En, Lang::Ja] {
        let _ = text::render(&report, lang);
    }
});
