//! The DKIM-Signature tag-list decoder.
#![no_main]
use libfuzzer_sys::fuzz_target;
use todoku_core::Span;

fuzz_target!(|data: &[u8]| {
    let sig =
        todoku_core::header::dkim_sig::parse(&String::from_utf8_lossy(data), Span { start: 0, end: 0 });
    let _ = sig.key_name();
});
