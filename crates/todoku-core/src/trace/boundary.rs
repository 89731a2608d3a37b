//! Where the receiving organisation first met the outside world, and whose
//! clock is off.
//!
//! When the receiver names the IP its SPF check was about (Received-SPF
//! `client-ip=`, or the address in its Authentication-Results SPF comment),
//! the boundary is the newest hop from that IP. Otherwise hops are walked from
//! the newest down: a hop is the receiver's own (`internal`) when the client
//! was a private address or the hop is an internal transfer (HTTP(S) between
//! Exchange roles, LMTP to the mailbox store); the first other relay is the
//! boundary. Its client IP and HELO are what the receiver's SPF and iprev
//! decisions were about. Hops below it were written by servers the receiver
//! does not control: the sender's claims, possibly forged. (Same-provider
//! mail, Gmail to Gmail, is why names are not used: the sender's servers are
//! in the receiver's domain too.)

use std::net::IpAddr;

use serde::Serialize;

use crate::trace::hops::{Hop, HopKind};

/// The receiver's first contact with the outside world.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TrustBoundary {
    /// The hop's index (1-based, oldest first).
    pub hop: usize,
    /// The connecting client the receiver saw.
    pub ip: Option<String>,
    /// Its HELO/EHLO name.
    pub helo: Option<String>,
    /// Its reverse-DNS name as the receiver recorded it.
    pub rdns: Option<String>,
    /// The receiving host.
    pub by_host: Option<String>,
}

/// An address not reachable from the internet: RFC 1918, loopback,
/// link-local, shared (CGNAT), unique-local IPv6.
pub fn is_private(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

/// The first IP address written in `text` (an SPF comment such as
/// `designates 192.0.2.1 as permitted sender`, `sender IP is 192.0.2.1`).
pub(crate) fn first_ip(text: &str) -> Option<IpAddr> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | ',' | ';' | '='))
        .find_map(|w| w.trim_end_matches('.').parse().ok())
}

fn ip(hop: &Hop) -> Option<IpAddr> {
    hop.from_ip.as_deref().and_then(|s| s.parse().ok())
}

/// Marks internal hops and returns the boundary (None when every hop is
/// internal or local). `evaluated` is the IP the receiver's SPF check names;
/// `own` says a hop was written inside the organisation whose copy this is
/// (a bounce's returned original: the sender's own servers, which no
/// receiver judged), marked internal whatever its client.
pub(crate) fn mark(
    hops: &mut [Hop],
    evaluated: Option<IpAddr>,
    own: &dyn Fn(&Hop) -> bool,
) -> Option<TrustBoundary> {
    let anchor = evaluated.and_then(|e| {
        hops.iter()
            .rev()
            .find(|h| ip(h) == Some(e))
            .map(|h| h.index)
    });
    let mut boundary = None;
    for hop in hops.iter_mut().rev() {
        if hop.kind == HopKind::Local {
            continue;
        }
        let internal = own(hop)
            || match anchor {
                Some(index) => hop.index != index,
                None => {
                    let private = ip(hop).is_some_and(|ip| is_private(&ip));
                    let transfer = hop.protocol.as_deref().is_some_and(|p| {
                        p.starts_with("HTTP") || p.starts_with("LMTP") || p == "MAPI"
                    });
                    private || transfer
                }
            };
        if internal {
            hop.internal = true;
            continue;
        }
        boundary = Some(TrustBoundary {
            hop: hop.index,
            ip: hop.from_ip.clone(),
            helo: hop.helo.clone(),
            rdns: hop.from_rdns.clone(),
            by_host: hop.by_host.clone(),
        });
        break;
    }
    boundary
}

/// A host whose clock disagrees with its neighbours'.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClockSkew {
    /// The hop whose timestamp is out of line.
    pub hop: usize,
    /// The host that wrote it (or `Date:` for the sender's clock).
    pub host: String,
    /// Roughly how far off: positive = ahead, negative = behind, seconds.
    pub offset_seconds: i64,
    /// True when the neighbours agree on who is off; false when only the
    /// pair is known to disagree.
    pub attributed: bool,
}

/// Delays below this are network and queue jitter, not clocks.
const SKEW_THRESHOLD_S: i64 = 60;

/// Attribute negative delays to the host whose clock is off.
pub(crate) fn clock_skews(hops: &[Hop], date_ms: Option<i64>) -> Vec<ClockSkew> {
    let dated: Vec<&Hop> = hops.iter().filter(|h| h.unix_ms.is_some()).collect();
    let mut out = Vec::new();
    for (i, hop) in dated.iter().enumerate() {
        let Some(delay) = hop.delay_seconds.filter(|d| *d <= -SKEW_THRESHOLD_S) else {
            continue;
        };
        // How far the other hop must make up for it (checked: issue 19
        // item 10).
        let Some(make_up) = delay
            .checked_neg()
            .and_then(|d| d.checked_sub(SKEW_THRESHOLD_S))
        else {
            continue;
        };
        let next = dated.get(i + 1).and_then(|h| h.delay_seconds);
        let host = |h: &Hop| {
            h.by_host
                .clone()
                .unwrap_or_else(|| format!("hop {}", h.index))
        };
        // The next hop makes up the difference: this host's clock is behind.
        if next.is_some_and(|n| n >= make_up) {
            out.push(ClockSkew {
                hop: hop.index,
                host: host(hop),
                offset_seconds: delay,
                attributed: true,
            });
            continue;
        }
        // The previous hop was as far ahead as this one is behind: its clock is ahead.
        if let Some(prev) = i.checked_sub(1).and_then(|p| dated.get(p)) {
            if prev.delay_seconds.is_some_and(|p| p >= make_up) {
                out.push(ClockSkew {
                    hop: prev.index,
                    host: host(prev),
                    offset_seconds: delay.saturating_neg(),
                    attributed: true,
                });
                continue;
            }
            out.push(ClockSkew {
                hop: hop.index,
                host: host(hop),
                offset_seconds: delay,
                attributed: false,
            });
        }
    }
    // The sender's Date after the first hop's stamp: the sending computer's clock is ahead.
    if let (Some(date), Some(first)) = (date_ms, dated.first().and_then(|h| h.unix_ms)) {
        let ahead = date.checked_sub(first).map_or(0, |d| d / 1000);
        if ahead >= SKEW_THRESHOLD_S {
            out.push(ClockSkew {
                hop: 0,
                host: "Date:".to_string(),
                offset_seconds: ahead,
                attributed: true,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_ranges() {
        for p in [
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "127.0.0.1",
            "100.64.0.1",
            "fd00::1",
            "fe80::1",
            "::1",
        ] {
            assert!(is_private(&p.parse().unwrap()), "{p}");
        }
        for p in [
            "8.8.8.8",
            "192.0.2.25",
            "2001:db8::25",
            "2a00:1450::1",
            "100.128.0.1",
        ] {
            assert!(!is_private(&p.parse().unwrap()), "{p}");
        }
    }
}
