//! DNS answer decoding: any bytes a resolver (or an attacker) sends back.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = todoku_doh::decode_response(data, "_dmarc.example.com", 16);
});
