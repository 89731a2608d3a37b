//! The pure DoH functions, run inside headless Chromium (wasm32) as well.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test panics
#![cfg(target_arch = "wasm32")]

use todoku_doh::{DecodeError, decode_response, encode_query, get_url};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn query_encodes_and_url_is_rfc8484_get() {
    let wire = encode_query("_dmarc.example.com", 16).unwrap();
    assert_eq!(wire.len() % 128, 0);
    assert_eq!(&wire[..2], &[0, 0]);
    let url = get_url("http://127.0.0.1:8053/dns-query", &wire);
    let b64 = url
        .strip_prefix("http://127.0.0.1:8053/dns-query?dns=")
        .unwrap();
    assert!(!b64.contains('=') && !b64.contains('+') && !b64.contains('/'));
}

#[wasm_bindgen_test]
fn decoding_rejects_a_query_and_garbage() {
    let wire = encode_query("x.example", 16).unwrap();
    assert_eq!(
        decode_response(&wire, "x.example", 16),
        Err(DecodeError::NotAResponse)
    );
    assert!(decode_response(b"\x00\x01", "x.example", 16).is_err());
}
