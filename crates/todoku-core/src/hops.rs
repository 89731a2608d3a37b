//! The Received chain: one [`Hop`] per `Received:` header, oldest first.
//!
//! Parsing of each header is delegated to `mail-parser`; this module owns the
//! ordering, the per-hop delays and the byte spans that tie a hop to the exact
//! header it came from.

use mail_parser::{Host, Received};
use serde::Serialize;

use crate::report::Span;

/// One relay step, as recorded by the receiving host in a `Received:` header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hop {
    /// 1-based position, oldest hop first.
    pub index: usize,
    /// The name or address literal after `from`, as the sending host gave it.
    pub from_host: Option<String>,
    /// The HELO/EHLO argument: an explicit `helo=` if present, else the `from` name.
    pub helo: Option<String>,
    /// The reverse-DNS name the receiver recorded for the connecting IP.
    pub from_rdns: Option<String>,
    /// The connecting IP address (v4 or v6) as recorded by the receiver.
    pub from_ip: Option<String>,
    /// The receiving host (`by`).
    pub by_host: Option<String>,
    /// Transfer protocol (`with`), e.g. `ESMTPS`.
    pub protocol: Option<String>,
    /// TLS version and cipher when the receiver recorded them.
    pub tls: Option<Tls>,
    /// The receiver's queue or message id (`id`).
    pub id: Option<String>,
    /// The recipient the receiver recorded (`for`).
    #[serde(rename = "for")]
    pub for_: Option<String>,
    /// The timestamp after `;`, RFC 3339 with the original zone offset.
    pub timestamp: Option<String>,
    /// The same timestamp as Unix seconds, when it is a valid date.
    pub unix_time: Option<i64>,
    /// Seconds since the previous hop with a valid date (signed: negative
    /// means the clocks disagree). `None` for the first dated hop.
    pub delay_seconds: Option<i64>,
    /// Where the whole `Received:` field sits in the input.
    pub span: Span,
    /// The field's value as written (lossy UTF-8), unfolded lines kept.
    pub raw: String,
}

/// TLS details recorded for a hop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tls {
    /// e.g. `TLSv1.3`.
    pub version: Option<String>,
    /// e.g. `TLS_AES_256_GCM_SHA384`.
    pub cipher: Option<String>,
}

fn host(h: Host<'_>) -> String {
    match h {
        Host::Name(name) => name.to_string(),
        Host::IpAddr(ip) => ip.to_string(),
    }
}

/// Build a hop from a parsed Received header. `index` and delays are filled
/// in by [`order_and_time`].
pub(crate) fn hop_from(received: &Received<'_>, span: Span, raw: String) -> Hop {
    let tls = match (received.tls_version(), received.tls_cipher()) {
        (None, None) => None,
        (version, cipher) => Some(Tls {
            version: version.map(|v| v.as_str().to_string()),
            cipher: cipher.map(str::to_string),
        }),
    };
    let date = received.date().filter(|d| d.is_valid());
    Hop {
        index: 0,
        from_host: received.from().map(host),
        helo: received.helo().or_else(|| received.from()).map(host),
        from_rdns: received.from_iprev().map(str::to_string),
        from_ip: received.from_ip().map(|ip| ip.to_string()),
        by_host: received.by().map(host),
        protocol: received.with().map(|p| p.as_str().to_string()),
        tls,
        id: received.id().map(str::to_string),
        for_: received.for_().map(str::to_string),
        timestamp: date.as_ref().map(|d| d.to_rfc3339()),
        unix_time: date.as_ref().map(|d| d.to_timestamp()),
        delay_seconds: None,
        span,
        raw,
    }
}

/// Takes hops in header order (newest first, as they appear in a message),
/// returns them oldest first with indexes and signed delays filled in.
pub(crate) fn order_and_time(mut newest_first: Vec<Hop>) -> Vec<Hop> {
    newest_first.reverse();
    let mut previous: Option<i64> = None;
    for (i, hop) in newest_first.iter_mut().enumerate() {
        hop.index = i + 1;
        if let Some(t) = hop.unix_time {
            hop.delay_seconds = previous.map(|p| t - p);
            previous = Some(t);
        }
    }
    newest_first
}

/// Seconds from the first to the last hop with a valid date, if there are two.
pub(crate) fn total_transit(hops: &[Hop]) -> Option<i64> {
    let mut dated = hops.iter().filter_map(|h| h.unix_time);
    let first = dated.next()?;
    let last = dated.next_back()?;
    Some(last - first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dated(t: Option<i64>) -> Hop {
        Hop {
            index: 0,
            from_host: None,
            helo: None,
            from_rdns: None,
            from_ip: None,
            by_host: None,
            protocol: None,
            tls: None,
            id: None,
            for_: None,
            timestamp: None,
            unix_time: t,
            delay_seconds: None,
            span: Span { start: 0, end: 0 },
            raw: String::new(),
        }
    }

    #[test]
    fn delays_skip_undated_hops_and_stay_signed() {
        // Header order: newest first.
        let hops = order_and_time(vec![
            dated(Some(100)),
            dated(Some(130)),
            dated(None),
            dated(Some(90)),
        ]);
        let delays: Vec<_> = hops.iter().map(|h| h.delay_seconds).collect();
        // Oldest first: 90, undated, 130, 100.
        assert_eq!(delays, vec![None, None, Some(40), Some(-30)]);
        let idx: Vec<_> = hops.iter().map(|h| h.index).collect();
        assert_eq!(idx, vec![1, 2, 3, 4]);
        assert_eq!(total_transit(&hops), Some(10));
    }

    #[test]
    fn total_transit_needs_two_dates() {
        assert_eq!(total_transit(&[dated(Some(5))]), None);
        assert_eq!(total_transit(&[]), None);
    }
}
