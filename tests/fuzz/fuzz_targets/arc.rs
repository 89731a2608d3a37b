//! ARC chain validation (RFC 8617 5.2) against a fuzzed zone (zone, a line
//! `%%`, the message): structure, seals, message signatures.
#![no_main]
use libfuzzer_sys::fuzz_target;
use todoku_core::auth::arc::{self, ArcResult};
use todoku_core::auth::lookup::Lookups;
use todoku_fuzz::{ZoneResolver, block_on, split};

fuzz_target!(|data: &[u8]| {
    let (zone, message) = split(data);
    let resolver = ZoneResolver::new(zone);
    let dns = Lookups::new(&resolver);
    let raw = todoku_core::raw_message(message);
    let check = block_on(arc::check(&raw, &dns, 1_795_500_000));
    let _ = check.summary();
    if check.result == ArcResult::Pass {
        assert!(check.sets.len() as u32 == check.instances, "{check:?}");
    }
});
