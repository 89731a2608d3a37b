//! DMARC record syntax, and the tree walk's names for a domain (the first
//! line; the rest is the record).
#![no_main]
use libfuzzer_sys::fuzz_target;
use todoku_core::auth::dmarc;

fuzz_target!(|data: &[u8]| {
    let (domain, record) = todoku_fuzz::first_line(data);
    let record = String::from_utf8_lossy(record);
    if let Ok(parsed) = dmarc::parse_record(&record) {
        let _ = parsed.p.as_str();
    }
    let targets = dmarc::walk_targets(&domain);
    // RFC 9989 4.10: the domain, then at most four names.
    assert!(targets.len() <= 5, "{targets:?}");
    let _ = dmarc::normalise(&domain);
});
