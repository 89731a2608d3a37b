//! iprev (RFC 8601 3) and the HELO check against a fuzzed zone: the first
//! line is `IP HELO`, the rest the zone.
#![no_main]
use std::net::IpAddr;

use libfuzzer_sys::fuzz_target;
use todoku_core::auth::iprev::{self, IprevResult};
use todoku_core::auth::lookup::Lookups;
use todoku_fuzz::{ZoneResolver, block_on, first_line};

fuzz_target!(|data: &[u8]| {
    let (identities, zone) = first_line(data);
    let mut words = identities.split(' ');
    let ip: IpAddr = words
        .next()
        .and_then(|w| w.parse().ok())
        .unwrap_or_else(|| "192.0.2.25".parse().unwrap());
    let helo = words.next();
    let resolver = ZoneResolver::new(zone);
    let dns = Lookups::new(&resolver);
    let check = block_on(iprev::check(ip, helo, &dns));
    if check.result == IprevResult::Pass {
        assert!(check.confirmed_name.is_some(), "{check:?}");
    }
    assert!(check.ptr_names.len() <= 10);
});
