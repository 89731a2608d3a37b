//! Shared pieces of the fuzz targets: a `block_on` for the core's futures
//! and a [`ZoneResolver`] whose DNS answers come from the fuzz input.
//!
//! Live targets read their input as a zone, a line `%%`, then the message
//! (no `%%` line: all message, empty zone); see [`split`]. A zone line is
//! `NAME TYPE VALUE`:
//!
//! - `TYPE` is `TXT`, `A`, `AAAA`, `MX` (`VALUE` = `preference host`),
//!   `PTR` or `CNAME`; lines for the same name and type add records;
//! - `VALUE` may instead be an outcome: `!servfail`, `!nxdomain`,
//!   `!refused`, `!nodata`, `!rcode=N`, or a failure `!timeout`,
//!   `!network`, `!http=N`, `!malformed`, `!offline`, `!deadline`,
//!   `!invalid`; `!ad` sets the DNSSEC flag;
//! - `NAME` `*` answers every name of that type, `*.suffix` every name
//!   under the suffix.
//!
//! Names without records answer NXDOMAIN (NODATA when the name has records
//! of another type), as the in-memory resolver of the core's tests does.

use std::collections::BTreeMap;
use std::future::Future;
use std::net::IpAddr;
use std::task::{Context, Poll, Waker};

use todoku_core::auth::dns::{DnsAnswer, DnsFailure, DnsRecord, Rcode, RecordType, Resolver};

/// Run a future of the core to its end. With a synchronous resolver every
/// question is answered when asked, so the core's futures finish in a few
/// polls; one that stays pending is a bug (a lost wake-up), reported as a
/// crash instead of a hang.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..10_000 {
        if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
    }
    panic!("a live check is still pending after 10000 polls with a synchronous resolver");
}

/// The zone and the message of a live target's input: everything before the
/// first line `%%` is the zone, everything after it the message.
pub fn split(data: &[u8]) -> (&[u8], &[u8]) {
    if let Some(rest) = data.strip_prefix(b"%%\n") {
        return (&[], rest);
    }
    match data.windows(4).position(|w| w == b"\n%%\n") {
        Some(at) => (&data[..at], &data[at + 4..]),
        None => (&[], data),
    }
}

fn rtype(word: &str) -> Option<RecordType> {
    Some(match word.to_ascii_uppercase().as_str() {
        "TXT" => RecordType::Txt,
        "A" => RecordType::A,
        "AAAA" => RecordType::Aaaa,
        "MX" => RecordType::Mx,
        "PTR" => RecordType::Ptr,
        "CNAME" => RecordType::Cname,
        _ => return None,
    })
}

fn name_key(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// DNS answers built from fuzz bytes; see the crate documentation.
#[derive(Debug, Default, Clone)]
pub struct ZoneResolver {
    answers: BTreeMap<(String, RecordType), Result<DnsAnswer, DnsFailure>>,
    /// `*.suffix` entries: (suffix, type).
    wild: BTreeMap<(String, RecordType), Result<DnsAnswer, DnsFailure>>,
}

impl ZoneResolver {
    /// Read a zone; lines that do not parse are skipped.
    pub fn new(zone: &[u8]) -> ZoneResolver {
        let mut out = ZoneResolver::default();
        let text = String::from_utf8_lossy(zone);
        for line in text.lines() {
            out.line(line);
        }
        out
    }

    fn line(&mut self, line: &str) {
        let mut words = line.trim_start().splitn(3, ' ');
        let (Some(name), Some(kind)) = (words.next(), words.next()) else {
            return;
        };
        let Some(rtype) = rtype(kind) else {
            return;
        };
        let value = words.next().unwrap_or_default();
        let (table, key) = match name.strip_prefix('*') {
            Some(suffix) => (&mut self.wild, name_key(suffix.trim_start_matches('.'))),
            None => (&mut self.answers, name_key(name)),
        };
        let slot = table
            .entry((key, rtype))
            .or_insert_with(|| Ok(DnsAnswer::records(Vec::new())));
        if let Some(outcome) = value.strip_prefix('!') {
            let (word, number) = match outcome.split_once('=') {
                Some((w, n)) => (w, n.trim().parse::<u16>().unwrap_or(0)),
                None => (outcome.trim(), 0),
            };
            let rcode = |slot: &mut Result<DnsAnswer, DnsFailure>, rcode| {
                if let Ok(answer) = slot {
                    answer.rcode = rcode;
                } else {
                    *slot = Ok(DnsAnswer::rcode(rcode));
                }
            };
            match word {
                "servfail" => rcode(slot, Rcode::ServFail),
                "nxdomain" => rcode(slot, Rcode::NxDomain),
                "refused" => rcode(slot, Rcode::Refused),
                "nodata" => rcode(slot, Rcode::NoError),
                "rcode" => rcode(slot, Rcode::from_code(number)),
                "ad" => {
                    if let Ok(answer) = slot {
                        answer.authenticated = true;
                    }
                }
                "timeout" => *slot = Err(DnsFailure::Timeout),
                "network" => {
                    *slot = Err(DnsFailure::Network {
                        detail: "fuzzed".into(),
                    })
                }
                "http" => *slot = Err(DnsFailure::Http { status: number }),
                "malformed" => {
                    *slot = Err(DnsFailure::Malformed {
                        detail: "fuzzed".into(),
                    })
                }
                "offline" => *slot = Err(DnsFailure::Offline),
                "deadline" => {
                    *slot = Err(DnsFailure::DeadlineExceeded {
                        limit_ms: u32::from(number),
                    })
                }
                "invalid" => {
                    *slot = Err(DnsFailure::InvalidName {
                        name: name.to_string(),
                    })
                }
                _ => {}
            }
            return;
        }
        let ttl = 300;
        let record = match rtype {
            RecordType::Txt => DnsRecord::Txt {
                ttl,
                text: value.to_string(),
            },
            RecordType::A | RecordType::Aaaa => match value.trim().parse::<IpAddr>() {
                Ok(IpAddr::V4(addr)) => DnsRecord::A { ttl, addr },
                Ok(IpAddr::V6(addr)) => DnsRecord::Aaaa { ttl, addr },
                Err(_) => return,
            },
            RecordType::Mx => {
                let (preference, exchange) = value.trim().split_once(' ').unwrap_or(("10", value));
                DnsRecord::Mx {
                    ttl,
                    preference: preference.parse().unwrap_or(10),
                    exchange: exchange.trim().to_string(),
                }
            }
            RecordType::Ptr => DnsRecord::Ptr {
                ttl,
                name: value.trim().to_string(),
            },
            RecordType::Cname => DnsRecord::Cname {
                ttl,
                name: value.trim().to_string(),
            },
        };
        if let Ok(answer) = slot {
            answer.records.push(record);
        }
    }

    fn lookup(&self, name: &str, rtype: RecordType) -> Result<DnsAnswer, DnsFailure> {
        let name = name_key(name);
        if let Some(result) = self.answers.get(&(name.clone(), rtype)) {
            return result.clone();
        }
        // The longest matching wildcard suffix ("" matches every name).
        let mut suffix = name.as_str();
        loop {
            if let Some(result) = self.wild.get(&(suffix.to_string(), rtype)) {
                return result.clone();
            }
            if suffix.is_empty() {
                break;
            }
            suffix = suffix.split_once('.').map_or("", |(_, rest)| rest);
        }
        let exists = self
            .answers
            .range((name.clone(), RecordType::A)..)
            .next()
            .is_some_and(|((n, _), _)| *n == name);
        Ok(DnsAnswer::rcode(if exists {
            Rcode::NoError
        } else {
            Rcode::NxDomain
        }))
    }
}

impl Resolver for ZoneResolver {
    async fn query(&self, name: &str, rtype: RecordType) -> Result<DnsAnswer, DnsFailure> {
        self.lookup(name, rtype)
    }

    fn provider(&self) -> String {
        "fuzz".to_string()
    }
}

/// Standard base64 with padding (for key records built from raw bytes).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The message's first line as `WORD WORD …` (for targets that take their
/// identities from it), and the rest.
pub fn first_line(data: &[u8]) -> (String, &[u8]) {
    let end = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
    (
        String::from_utf8_lossy(&data[..end]).into_owned(),
        data.get(end + 1..).unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_lines_and_wildcards() {
        let z = ZoneResolver::new(
            b"shop.test TXT v=spf1 -all\nshop.test MX 10 mx.shop.test\n*.arpa PTR x.test\nbad.test TXT !servfail\nx.test A !timeout\n",
        );
        let txt = block_on(z.query("Shop.Test.", RecordType::Txt)).unwrap();
        assert_eq!(txt.txt().collect::<Vec<_>>(), ["v=spf1 -all"]);
        assert_eq!(
            block_on(z.query("shop.test", RecordType::A)).unwrap().rcode,
            Rcode::NoError
        );
        assert_eq!(
            block_on(z.query("none.test", RecordType::A)).unwrap().rcode,
            Rcode::NxDomain
        );
        assert_eq!(
            block_on(z.query("1.2.0.192.in-addr.arpa", RecordType::Ptr))
                .unwrap()
                .records
                .len(),
            1
        );
        assert_eq!(
            block_on(z.query("bad.test", RecordType::Txt))
                .unwrap()
                .rcode,
            Rcode::ServFail
        );
        assert_eq!(
            block_on(z.query("x.test", RecordType::A)),
            Err(DnsFailure::Timeout)
        );
        assert_eq!(
            split(b"a TXT b\n%%\nFrom: x\n"),
            (&b"a TXT b"[..], &b"From: x\n"[..])
        );
        assert_eq!(base64(b"abcd"), "YWJjZA==");
    }

    /// The signed seed reaches what it was made for: DKIM and ARC pass
    /// against its zone (keys, SPF, DMARC, PTR), so the fuzzer starts from
    /// the verifying paths.
    #[test]
    fn the_signed_seed_passes_dkim_and_arc() {
        let data = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/seeds/zone-message/signed-dkim-arc"
        ))
        .unwrap();
        let (zone, message) = split(&data);
        let resolver = ZoneResolver::new(zone);
        let report = block_on(todoku_core::analyze_live(message, 1_795_500_000, &resolver));
        let live = &report.auth.live;
        assert_eq!(
            live.dkim.as_ref().unwrap().signatures[0].result.as_str(),
            "pass"
        );
        assert_eq!(live.arc.as_ref().unwrap().check.result.as_str(), "pass");
        assert_eq!(live.spf.as_ref().unwrap().result.as_str(), "pass");
        assert_eq!(live.iprev.as_ref().unwrap().check.result.as_str(), "pass");
        assert_eq!(live.dmarc.as_ref().unwrap().result.as_str(), "pass");
    }
}
