//! SPF record syntax and macro strings: parsing, and expanding each parsed
//! macro string. The first line gives the identities the macros expand
//! (`SENDER HELO`, the client address chosen by the line's length), the
//! rest is the record or macro string.
#![no_main]
use std::net::IpAddr;

use libfuzzer_sys::fuzz_target;
use todoku_core::auth::spf::macros::{MacroValues, parse_macro_string};
use todoku_core::auth::spf::record;

fuzz_target!(|data: &[u8]| {
    let (identities, rest) = todoku_fuzz::first_line(data);
    let mut words = identities.split(' ');
    let sender = words.next().unwrap_or_default();
    let helo = words.next().unwrap_or_default();
    let (local, sender_domain) = sender.rsplit_once('@').unwrap_or(("postmaster", sender));
    let ip: IpAddr = if identities.len() % 2 == 0 {
        "192.0.2.25".parse().unwrap()
    } else {
        "2001:db8::25".parse().unwrap()
    };
    let values = MacroValues {
        sender,
        local,
        sender_domain,
        domain: sender_domain,
        ip,
        helo,
        validated: Some(helo),
        now: 1_795_500_000,
    };
    let text = String::from_utf8_lossy(rest);
    let mut strings = Vec::new();
    if record::is_spf1(&text) {
        if let Ok(parsed) = record::parse(&text) {
            for d in &parsed.directives {
                let _ = d.mechanism.counts_lookup();
                match &d.mechanism {
                    record::Mechanism::Include(m) | record::Mechanism::Exists(m) => {
                        strings.push(m.clone())
                    }
                    record::Mechanism::A {
                        domain: Some(m), ..
                    }
                    | record::Mechanism::Mx {
                        domain: Some(m), ..
                    }
                    | record::Mechanism::Ptr(Some(m)) => strings.push(m.clone()),
                    _ => {}
                }
            }
            strings.extend(parsed.redirect.map(|(m, _)| m));
            strings.extend(parsed.exp);
        }
    }
    for explanation in [false, true] {
        strings.extend(parse_macro_string(&text, explanation).ok());
    }
    for m in &strings {
        let _ = m.ends_with_expand();
        let _ = m.uses('p');
        let _ = m.expand(&values);
    }
});
