//! Sharing a report: the Markdown export of a live report (zone, a line
//! `%%`, the message) in both languages, the redacted input with and
//! without addresses masked, and the Markdown escaping.
#![no_main]
use libfuzzer_sys::fuzz_target;
use todoku_core::report::export;
use todoku_core::wording::Lang;
use todoku_fuzz::{ZoneResolver, block_on, split};

fuzz_target!(|data: &[u8]| {
    let (zone, message) = split(data);
    let resolver = ZoneResolver::new(zone);
    let report = block_on(todoku_core::analyze_live(message, 1_795_500_000, &resolver));
    for lang in [Lang::En, Lang::Ja] {
        let _ = export::markdown(&report, lang);
    }
    for ips in [false, true] {
        let _ = export::redact(message, ips);
    }
    let text = String::from_utf8_lossy(message);
    let escaped = export::md_escape(&text);
    assert!(!escaped.contains('\n'));
});
