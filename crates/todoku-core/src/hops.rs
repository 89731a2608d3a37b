//! The Received chain: one [`Hop`] per `Received:` header, oldest first.
//!
//! Each header is read by [`crate::received`]; this module owns the hop
//! model, the ordering, the per-hop delays and the byte spans that tie a hop
//! to the exact header it came from.

use std::net::IpAddr;
use std::ops::Range;

use serde::Serialize;

use crate::received::Parsed;
use crate::report::Span;

/// Whether a hop is a network relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum HopKind {
    /// A connection from a client IP address.
    Relay,
    /// No client IP: local pickup, a filter re-injecting, a queue step, or a
    /// header too damaged to read. Kept, shown, but not a network relay.
    Local,
}

/// One relay step, as recorded by the receiving host in a `Received:` header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Hop {
    /// 1-based position, oldest hop first.
    pub index: usize,
    /// Relay (has a client IP) or local.
    pub kind: HopKind,
    /// A transfer inside the receiving organisation (above the trust boundary).
    pub internal: bool,
    /// The header the hop came from: `Received`, or Gmail's `X-Received`.
    pub source: &'static str,
    /// The name or address literal after `from`, as the sending host gave it.
    pub from_host: Option<String>,
    /// The HELO/EHLO argument: an explicit `helo=` if present, else the `from` name.
    pub helo: Option<String>,
    /// The reverse-DNS name the receiver recorded for the connecting IP.
    pub from_rdns: Option<String>,
    /// The connecting IP address (v4 or v6) as recorded by the receiver.
    pub from_ip: Option<String>,
    /// The ident / user the receiver recorded for the client (`user@ip`, `IDENT:`).
    pub ident: Option<String>,
    /// The receiving host (`by`).
    pub by_host: Option<String>,
    /// The receiving host's own address, when recorded (Exchange does).
    pub by_ip: Option<String>,
    /// Transfer protocol (`with`), e.g. `ESMTPS`.
    pub protocol: Option<String>,
    /// TLS version and cipher when the receiver recorded them.
    pub tls: Option<Tls>,
    /// The receiver's queue or message id (`id`).
    pub id: Option<String>,
    /// The recipient the receiver recorded (`for`).
    #[serde(rename = "for")]
    pub for_: Option<String>,
    /// The envelope sender, when the receiver recorded it.
    pub envelope_from: Option<String>,
    /// `via` clause.
    pub via: Option<String>,
    /// The client authenticated (ESMTPA/ESMTPSA, `Authenticated sender`, …).
    pub authenticated: bool,
    /// The timestamp after `;`, RFC 3339 with the original zone offset.
    pub timestamp: Option<String>,
    /// The same timestamp as Unix seconds, when it is a valid date.
    pub unix_time: Option<i64>,
    /// Milliseconds since the epoch (sub-second precision when the MTA wrote it).
    pub unix_ms: Option<i64>,
    /// The date had no zone; UTC was assumed.
    pub zone_assumed: bool,
    /// Seconds since the previous hop with a valid date (signed: negative
    /// means the clocks disagree). `None` for the first dated hop.
    pub delay_seconds: Option<i64>,
    /// The same delay in milliseconds.
    pub delay_ms: Option<i64>,
    /// Where the whole `Received:` field sits in the input.
    pub span: Span,
    /// The field's value as written (lossy UTF-8), unfolded lines kept.
    pub raw: String,
}

/// TLS details recorded for a hop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Tls {
    /// e.g. `TLSv1.3`.
    pub version: Option<String>,
    /// e.g. `TLS_AES_256_GCM_SHA384`.
    pub cipher: Option<String>,
}

impl Hop {
    /// Whether the hop was encrypted: `Some(true)` with TLS details or a
    /// TLS protocol word (ESMTPS, ESMTPSA, UTF8SMTPS…), `Some(false)` for a
    /// plain SMTP/ESMTP/LMTP word without TLS details, `None` when the
    /// Received line does not say (HTTP, local, unknown words).
    pub fn encrypted(&self) -> Option<bool> {
        if self.tls.is_some() {
            return Some(true);
        }
        let proto = self.protocol.as_deref()?.to_ascii_uppercase();
        match proto.as_str() {
            "SMTP" | "ESMTP" | "ESMTPA" | "LMTP" | "LMTPA" | "UTF8SMTP" | "UTF8SMTPA" => {
                Some(false)
            }
            p if p.ends_with("SMTPS") || p.ends_with("SMTPSA") || p.ends_with("LMTPS") => {
                Some(true)
            }
            _ => None,
        }
    }
}

/// Build a hop from a parsed Received header. `index` and delays are filled
/// in by [`order_and_time`].
pub(crate) fn hop_from(p: Parsed, span: Span, raw: String, source: &'static str) -> Hop {
    let tls = match (&p.tls_version, &p.tls_cipher) {
        (None, None) => None,
        _ => Some(Tls {
            version: p.tls_version,
            cipher: p.tls_cipher,
        }),
    };
    Hop {
        index: 0,
        kind: if p.ip.is_some() && !p.local {
            HopKind::Relay
        } else {
            HopKind::Local
        },
        internal: false,
        source,
        from_host: p.from_host,
        helo: p.helo,
        from_rdns: p.rdns,
        from_ip: p.ip.map(ip_text),
        ident: p.ident,
        by_host: p.by_host,
        by_ip: p.by_ip.map(ip_text),
        protocol: p.protocol,
        tls,
        id: p.id,
        for_: p.for_,
        envelope_from: p.envelope_from,
        via: p.via,
        authenticated: p.authenticated,
        timestamp: p.date.as_ref().map(|d| d.rfc3339()),
        unix_time: p.date.as_ref().map(|d| d.unix),
        unix_ms: p.date.as_ref().map(|d| d.unix_ms()),
        zone_assumed: p.date.as_ref().is_some_and(|d| d.zone_assumed),
        delay_seconds: None,
        delay_ms: None,
        span,
        raw,
    }
}

/// Hops read in full. A longer chain is a mail loop (RFC 5321 6.3: MTAs
/// reject a message after about 100 Received fields); its newest and oldest
/// `MAX_HOPS / 2` hops are read and the ones between are only counted, so
/// time and memory stay bounded whatever the input holds.
pub const MAX_HOPS: usize = 200;

/// The positions (in header order, newest first) of a chain of `total`
/// hops that are counted but not read; empty up to [`MAX_HOPS`].
pub(crate) fn omitted(total: usize) -> Range<usize> {
    if total <= MAX_HOPS {
        0..0
    } else {
        MAX_HOPS / 2..total - MAX_HOPS / 2
    }
}

/// Each hop (oldest first) with how many hops were omitted just before it:
/// 0, except after the gap in a chain longer than [`MAX_HOPS`]. What the
/// page, the CLI and the Markdown export show as "… N hops in between".
pub fn with_gaps(hops: &[Hop]) -> impl Iterator<Item = (usize, &Hop)> {
    let mut previous = 0;
    hops.iter().map(move |hop| {
        let gap = hop.index.saturating_sub(previous + 1);
        previous = hop.index;
        (gap, hop)
    })
}

/// Takes hops in header order (newest first, as they appear in a message),
/// returns them oldest first with indexes and signed delays filled in.
/// `omitted` is [`omitted`] of the whole chain: indexes after the gap count
/// the hops in it, and no delay is computed across it.
pub(crate) fn order_and_time(mut newest_first: Vec<Hop>, omitted: Range<usize>) -> Vec<Hop> {
    newest_first.reverse();
    // Oldest first, the gap comes after this many hops.
    let gap_at = newest_first.len().saturating_sub(omitted.start);
    let mut previous: Option<(i64, i64)> = None;
    for (i, hop) in newest_first.iter_mut().enumerate() {
        if i == gap_at && !omitted.is_empty() {
            previous = None;
        }
        hop.index = i + 1 + if i >= gap_at { omitted.len() } else { 0 };
        if let (Some(t), Some(ms)) = (hop.unix_time, hop.unix_ms) {
            hop.delay_seconds = previous.map(|(p, _)| t - p);
            hop.delay_ms = previous.map(|(_, pms)| ms - pms);
            previous = Some((t, ms));
        }
    }
    newest_first
}

/// Whole seconds from the first to the last hop with a valid date, if there
/// are two (computed from milliseconds, so fractions add up correctly).
pub(crate) fn total_transit(hops: &[Hop]) -> Option<i64> {
    let mut dated = hops.iter().filter_map(|h| h.unix_ms);
    let first = dated.next()?;
    let last = dated.next_back()?;
    Some((last - first) / 1000)
}

/// An address as text: IPv4 written digit by digit (most hops; the
/// formatting machinery costs more than the rest of building the hop),
/// IPv6 as the standard library writes it (RFC 5952).
fn ip_text(ip: IpAddr) -> String {
    let IpAddr::V4(v4) = ip else {
        return ip.to_string();
    };
    let mut out = String::with_capacity(15);
    for (i, octet) in v4.octets().into_iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        if octet >= 100 {
            out.push(char::from(b'0' + octet / 100));
        }
        if octet >= 10 {
            out.push(char::from(b'0' + octet / 10 % 10));
        }
        out.push(char::from(b'0' + octet % 10));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_text_writes_what_display_writes() {
        for ip in [
            "0.0.0.0",
            "9.10.99.100",
            "192.0.2.255",
            "2001:db8::1",
            "::ffff:1.2.3.4",
        ] {
            let ip: IpAddr = ip.parse().unwrap();
            assert_eq!(ip_text(ip), ip.to_string());
        }
    }

    fn dated(t: Option<i64>) -> Hop {
        Hop {
            index: 0,
            kind: HopKind::Local,
            internal: false,
            source: "Received",
            from_host: None,
            helo: None,
            from_rdns: None,
            from_ip: None,
            ident: None,
            by_host: None,
            by_ip: None,
            protocol: None,
            tls: None,
            id: None,
            for_: None,
            envelope_from: None,
            via: None,
            authenticated: false,
            timestamp: None,
            unix_time: t,
            unix_ms: t.map(|t| t * 1000),
            zone_assumed: false,
            delay_seconds: None,
            delay_ms: None,
            span: Span { start: 0, end: 0 },
            raw: String::new(),
        }
    }

    #[test]
    fn delays_skip_undated_hops_and_stay_signed() {
        // Header order: newest first.
        let hops = order_and_time(
            vec![
                dated(Some(100)),
                dated(Some(130)),
                dated(None),
                dated(Some(90)),
            ],
            0..0,
        );
        let delays: Vec<_> = hops.iter().map(|h| h.delay_seconds).collect();
        // Oldest first: 90, undated, 130, 100.
        assert_eq!(delays, vec![None, None, Some(40), Some(-30)]);
        let idx: Vec<_> = hops.iter().map(|h| h.index).collect();
        assert_eq!(idx, vec![1, 2, 3, 4]);
        assert_eq!(total_transit(&hops), Some(10));
    }

    #[test]
    fn a_long_chain_keeps_both_ends_and_no_delay_crosses_the_gap() {
        assert_eq!(omitted(MAX_HOPS), 0..0);
        assert_eq!(omitted(MAX_HOPS + 1), 100..101);
        assert_eq!(omitted(1000), 100..900);
        // Six hops of a chain of ten, newest first, positions 2..6 not read.
        // Position k was stamped at (10 - k) * 10 s.
        let read: Vec<Hop> = [0i64, 1, 6, 7, 8, 9]
            .iter()
            .map(|k| dated(Some((10 - k) * 10)))
            .collect();
        let hops = order_and_time(read, 2..6);
        let idx: Vec<_> = hops.iter().map(|h| h.index).collect();
        assert_eq!(idx, vec![1, 2, 3, 4, 9, 10]);
        let gaps: Vec<_> = with_gaps(&hops).map(|(gap, _)| gap).collect();
        assert_eq!(gaps, vec![0, 0, 0, 0, 4, 0]);
        let delays: Vec<_> = hops.iter().map(|h| h.delay_seconds).collect();
        assert_eq!(
            delays,
            vec![None, Some(10), Some(10), Some(10), None, Some(10)]
        );
        // The whole transit still runs from the oldest to the newest stamp.
        assert_eq!(total_transit(&hops), Some(90));
    }

    #[test]
    fn total_transit_needs_two_dates() {
        assert_eq!(total_transit(&[dated(Some(5))]), None);
        assert_eq!(total_transit(&[]), None);
    }
}
