//! DKIM canonicalisation (RFC 6376 3.4): header fields and bodies, simple
//! and relaxed, `c=`, `b=` removal and the header hash input. The input is
//! split in two at the first empty line: header fields above, body below.
#![no_main]
use libfuzzer_sys::fuzz_target;
use todoku_core::auth::dkim::canon::{self, Canon};
use todoku_core::input::message::{crlf_lines, split};

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
        // The field as written hashes as it does with its line ends made
        // CRLF first (the view borrows the block, issue 19 item 3).
        let mut wire = Vec::new();
        crlf_lines(field.raw, &mut wire);
        for canon in [Canon::Simple, Canon::Relaxed] {
            let (mut written, mut crlf) = (Vec::new(), Vec::new());
            canon::header(field.raw, canon, &mut written);
            canon::header(&wire, canon, &mut crlf);
            assert_eq!(written, crlf);
            let (mut written, mut crlf) = (Vec::new(), Vec::new());
            canon::header(&canon::without_b(field.raw), canon, &mut written);
            canon::header(&canon::without_b(&wire), canon, &mut crlf);
            assert_eq!(written, crlf);
        }
        let _ = canon::parse_c(std::str::from_utf8(&field.value()).ok());
    }
    if let Some(last) = message.fields().last() {
        for canon in [Canon::Simple, Canon::Relaxed] {
            let _ = canon::header_input(&message, &names, &last, canon);
        }
    }
});
