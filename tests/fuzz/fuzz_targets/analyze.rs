//! The whole offline analysis (input preparation, header splitting, every
//! header parser, findings) and the JSON serialisation, on arbitrary bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let report = todoku_core::analyze(data, 1_795_500_000);
    let _ = serde_json::to_vec(&report);
});
