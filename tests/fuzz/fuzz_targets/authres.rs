//! The Authentication-Results tokenizer and parser, and its canonical form.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parsed = todoku_core::recorded::authres::parse(&text);
    for r in &parsed.results {
        let _ = r.to_string();
        assert!(r.span.start <= r.span.end && r.span.end <= text.len());
    }
});
