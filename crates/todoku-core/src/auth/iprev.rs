//! iprev (RFC 8601 section 3): forward-confirmed reverse DNS of the client
//! address, and whether its HELO name resolves back to it.

use std::net::IpAddr;

use serde::Serialize;

use crate::auth::dns::{DnsAnswer, DnsFailure, DnsRecord, Rcode, RecordType, Resolver};
use crate::auth::lookup::Lookups;
use crate::auth::spf::reverse_name;

/// iprev's result words, plus `unavailable`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum IprevResult {
    /// A reverse name resolves back to the address.
    Pass,
    /// No reverse name, or none resolves back.
    Fail,
    /// DNS failed at the authority.
    TempError,
    /// Not an iprev result: the resolver could not be asked.
    Unavailable,
}

impl IprevResult {
    /// The word.
    pub fn as_str(self) -> &'static str {
        match self {
            IprevResult::Pass => "pass",
            IprevResult::Fail => "fail",
            IprevResult::TempError => "temperror",
            IprevResult::Unavailable => "unavailable",
        }
    }
}

/// The iprev check and the HELO check of the trusted hop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IprevCheck {
    /// The result word.
    pub result: IprevResult,
    /// The client address.
    pub ip: IpAddr,
    /// Its PTR names.
    pub ptr_names: Vec<String>,
    /// The first PTR name whose addresses include the client.
    pub confirmed_name: Option<String>,
    /// The HELO name checked, when it was a name.
    pub helo: Option<String>,
    /// Whether the HELO name has an address at all.
    pub helo_resolves: Option<bool>,
    /// Whether one of those addresses is the client.
    pub helo_matches: Option<bool>,
    /// Why, in words, when not `pass`.
    pub reason: Option<String>,
}

enum Asked {
    Records(Vec<DnsRecord>),
    Nothing,
    Temp(String),
    Unavailable(DnsFailure),
}

async fn ask<R: Resolver>(
    dns: &Lookups<'_, R>,
    name: &str,
    rtype: RecordType,
    round: u32,
) -> Asked {
    match dns.query(name, rtype, round, "iprev").await {
        Ok(DnsAnswer {
            rcode: Rcode::NoError,
            records,
            ..
        }) => Asked::Records(records),
        Ok(DnsAnswer {
            rcode: Rcode::NxDomain,
            ..
        }) => Asked::Nothing,
        Ok(answer) => Asked::Temp(format!(
            "DNS error {:?} looking up {} {name}",
            answer.rcode,
            rtype.as_str()
        )),
        Err(failure) => Asked::Unavailable(failure),
    }
}

fn addresses(records: &[DnsRecord]) -> Vec<IpAddr> {
    records
        .iter()
        .filter_map(|r| match r {
            DnsRecord::A { addr, .. } => Some(IpAddr::V4(*addr)),
            DnsRecord::Aaaa { addr, .. } => Some(IpAddr::V6(*addr)),
            _ => None,
        })
        .collect()
}

/// Check `ip`'s reverse DNS and `helo` (skipped for an address literal).
pub async fn check<R: Resolver>(
    ip: IpAddr,
    helo: Option<&str>,
    dns: &Lookups<'_, R>,
) -> IprevCheck {
    let rtype = match ip {
        IpAddr::V4(_) => RecordType::A,
        IpAddr::V6(_) => RecordType::Aaaa,
    };
    let mut check = IprevCheck {
        result: IprevResult::Fail,
        ip,
        ptr_names: Vec::new(),
        confirmed_name: None,
        helo: None,
        helo_resolves: None,
        helo_matches: None,
        reason: None,
    };
    let helo = helo
        .map(|h| h.trim_end_matches('.'))
        .filter(|h| !h.starts_with('[') && h.parse::<IpAddr>().is_err() && h.contains('.'));
    // The HELO name and the PTR are independent: ask both at once.
    let reverse = reverse_name(ip);
    let (helo_answer, ptr_answer) = crate::auth::lookup::join2(
        async {
            match helo {
                Some(name) => Some(ask(dns, name, rtype, 1).await),
                None => None,
            }
        },
        ask(dns, &reverse, RecordType::Ptr, 1),
    )
    .await;
    if let (Some(name), Some(answer)) = (helo, helo_answer) {
        check.helo = Some(name.to_string());
        match answer {
            Asked::Records(records) => {
                let found = addresses(&records);
                check.helo_resolves = Some(!found.is_empty());
                check.helo_matches = Some(found.contains(&ip));
            }
            Asked::Nothing => {
                check.helo_resolves = Some(false);
                check.helo_matches = Some(false);
            }
            Asked::Temp(_) | Asked::Unavailable(_) => {}
        }
    }
    let records = match ptr_answer {
        Asked::Records(records) => records,
        Asked::Nothing => Vec::new(),
        Asked::Temp(reason) => {
            check.result = IprevResult::TempError;
            check.reason = Some(reason);
            return check;
        }
        Asked::Unavailable(failure) => {
            check.result = IprevResult::Unavailable;
            check.reason = Some(failure.to_string());
            return check;
        }
    };
    check.ptr_names = crate::auth::dns::ptr_names(&records);
    if check.ptr_names.is_empty() {
        check.reason = Some(format!("{ip} has no reverse DNS (PTR) name"));
        return check;
    }
    let mut temp = None;
    // Every PTR name's addresses at once; the first that confirms, in order, wins.
    let names = check.ptr_names.clone();
    let answers =
        crate::auth::lookup::join_all(names.iter().map(|n| ask(dns, n, rtype, 2)).collect()).await;
    for (name, answer) in names.into_iter().zip(answers) {
        match answer {
            Asked::Records(records) if addresses(&records).contains(&ip) => {
                check.confirmed_name = Some(name);
                check.result = IprevResult::Pass;
                return check;
            }
            Asked::Temp(reason) => temp = Some(reason),
            Asked::Unavailable(failure) => {
                check.result = IprevResult::Unavailable;
                check.reason = Some(failure.to_string());
                return check;
            }
            _ => {}
        }
    }
    if let Some(reason) = temp {
        check.result = IprevResult::TempError;
        check.reason = Some(reason);
    } else {
        check.reason = Some(format!(
            "{ip}'s reverse name {} does not resolve back to {ip}",
            check.ptr_names.join(", ")
        ));
    }
    check
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::dns::FixtureResolver;

    fn ptr(name: &str) -> Result<DnsAnswer, DnsFailure> {
        Ok(DnsAnswer::records(vec![DnsRecord::Ptr {
            ttl: 60,
            name: name.to_string(),
        }]))
    }

    fn a(ip: &str) -> Result<DnsAnswer, DnsFailure> {
        Ok(DnsAnswer::records(vec![DnsRecord::A {
            ttl: 60,
            addr: ip.parse().unwrap(),
        }]))
    }

    fn run(r: &FixtureResolver, helo: &str) -> IprevCheck {
        let lookups = Lookups::new(r);
        pollster::block_on(check("192.0.2.1".parse().unwrap(), Some(helo), &lookups))
    }

    #[test]
    fn forward_confirmed_and_not() {
        let good = FixtureResolver::new()
            .answer(
                "1.2.0.192.in-addr.arpa",
                RecordType::Ptr,
                ptr("mx.example.test"),
            )
            .answer("mx.example.test", RecordType::A, a("192.0.2.1"));
        let c = run(&good, "mx.example.test");
        assert_eq!(c.result, IprevResult::Pass);
        assert_eq!(c.helo_matches, Some(true));
        let bad = FixtureResolver::new()
            .answer(
                "1.2.0.192.in-addr.arpa",
                RecordType::Ptr,
                ptr("mx.example.test"),
            )
            .answer("mx.example.test", RecordType::A, a("192.0.2.99"));
        let c = run(&bad, "DESKTOP-7QK3");
        assert_eq!(c.result, IprevResult::Fail);
        assert!(c.reason.unwrap().contains("does not resolve back"));
        assert_eq!(c.helo, None, "a bare PC name is not looked up");
        let none = FixtureResolver::new();
        let c = run(&none, "nowhere.example.test");
        assert_eq!(c.result, IprevResult::Fail);
        assert_eq!(c.helo_resolves, Some(false));
    }
}
