//! DKIM verification of every signature of a message against a fuzzed zone
//! (zone, a line `%%`, the message): tags, keys, canonicalisation, hashes
//! and signatures.
#![no_main]
use libfuzzer_sys::fuzz_target;
use todoku_core::Span;
use todoku_core::auth::dkim;
use todoku_core::auth::lookup::Lookups;
use todoku_fuzz::{ZoneResolver, block_on, split};

fuzz_target!(|data: &[u8]| {
    let (zone, message) = split(data);
    let resolver = ZoneResolver::new(zone);
    let dns = Lookups::new(&resolver);
    let raw = todoku_core::raw_message(message);
    let spans = vec![Span { start: 0, end: 0 }; raw.fields().count()];
    let checks = block_on(dkim::check_all(&raw, &spans, &dns, 1_795_500_000, None));
    let signatures = raw
        .fields()
        .filter(|f| f.name.eq_ignore_ascii_case("DKIM-Signature"))
        .count();
    // The listed ones (no From domain: none below them is chosen).
    assert_eq!(
        checks.len(),
        signatures.min(todoku_core::report::MAX_DKIM_SIGNATURES)
    );
});
