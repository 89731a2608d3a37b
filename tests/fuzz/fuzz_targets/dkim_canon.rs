//! DKIM canonicalisation (RFC 6376 3.4): header fields and bodies, simple
//! and relaxed, `c=`, `b=` removal and the header hash input. The input is
//! split in two at the first empty line: header fields above, body below.
#![no_main]
use libfuzzer_sys::fuzz_target;
use todoku_core::auth::dkim::canon::{self, Canon};
use todoku_core::input::message::split;

fuzz_target!(|data: &[u8]| {
    let at = data.windows(2).position(|w| w == b"\n\n");
    let (head, body) = match at {
        Some(at) => (&data[..at + 1], &data[at + 2..]),
        None => (data, &[][..]),
    };
    for canon in [Canon::Simple, Canon::Relaxed] {
        let once = canon::body(body, canon);
        // Canonical bodies are fixed points.
        assert_eq!(canon::body(&once, canon), once);
    }
    let message = split(head);
    let names: Vec<String> = message
        .fields()
        .map(|f| f.name.to_ascii_lowercase())
        .collect();
    for field in message.fields().take(64) {
        let mut relaxed = Vec::new();
        canon::header(field.raw, Canon::Relaxed, &mut relaxed);
        let mut again = Vec::new();
        canon::header(&relaxed, Canon::Relaxed, &mut again);
        assert_eq!(again, relaxed);
        let _ = canon::without_b(field.raw);
        let _ = canon::parse_c(std::str::from_utf8(field.value()).ok());
    }
    if let Some(last) = message.fields().last() {
        for canon in [Canon::Simple, Canon::Relaxed] {
            let _ = canon::header_input(&message, &names, &last, canon);
        }
    }
});
