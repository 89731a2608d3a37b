//! Received headers (and their dates) through the whole analysis.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut input = b"Received: ".to_vec();
    input.extend_from_slice(data);
    input.extend_from_slice(b"\r\nX-Received: ");
    input.extend_from_slice(data);
    input.extend_from_slice(b"\r\n\r\n");
    let _ = todoku_core::analyze(&input, 0);
});
