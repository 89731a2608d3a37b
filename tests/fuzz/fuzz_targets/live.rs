//! The whole live stage (analyze_live: SPF, DKIM, DMARC, ARC, iprev, the
//! comparisons, the diagnosis) against a fuzzed zone (zone, a line `%%`,
//! the message), and the report's JSON.
#![no_main]
use libfuzzer_sys::fuzz_target;
use todoku_fuzz::{ZoneResolver, block_on, split};

fuzz_target!(|data: &[u8]| {
    let (zone, message) = split(data);
    let resolver = ZoneResolver::new(zone);
    let report = block_on(todoku_core::analyze_live(message, 1_795_500_000, &resolver));
    let _ = serde_json::to_vec(&report).expect("a report serialises");
});
