//! SPF `check_host()` against a fuzzed zone (todoku_fuzz::ZoneResolver):
//! the first line is `IP MAIL-FROM HELO`, the rest the zone. Both
//! identities are checked, as the live stage does, with the record
//! parsing, macros, includes, redirects, `exp=` and the lookup limits.
#![no_main]
use std::net::IpAddr;

use libfuzzer_sys::fuzz_target;
use todoku_core::auth::lookup::{Lookups, join2};
use todoku_core::auth::spf::{self, SpfRequest};
use todoku_fuzz::{ZoneResolver, block_on, first_line};

fuzz_target!(|data: &[u8]| {
    let (identities, zone) = first_line(data);
    let mut words = identities.split(' ');
    let ip: IpAddr = words
        .next()
        .and_then(|w| w.parse().ok())
        .unwrap_or_else(|| "192.0.2.25".parse().unwrap());
    let mail_from = words.next().unwrap_or_default();
    let helo = words.next().unwrap_or_default();
    let resolver = ZoneResolver::new(zone);
    let dns = Lookups::new(&resolver);
    let request = SpfRequest {
        ip,
        mail_from,
        helo,
        now: 1_795_500_000,
    };
    let (mail, helo) = block_on(join2(
        spf::check(&request, &dns),
        spf::check_helo(&request, &dns),
    ));
    assert!(mail.lookups <= spf::LOOKUP_LIMIT + 1, "{mail:?}");
    assert!(helo.lookups <= spf::LOOKUP_LIMIT + 1, "{helo:?}");
    let _ = dns.evidence();
});
