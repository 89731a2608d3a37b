//! The Received chain: one [`Hop`] per `Received:` header, oldest first.
//!
//! Each header is read by [`crate::header::received`]; this module owns the hop
//! model, the ordering, the per-hop delays and the byte spans that tie a hop
//! to the exact header it came from.

use std::net::IpAddr;
use std::ops::Range;

use serde::Serialize;

use crate::header::received::Parsed;
use crate::span::Span;

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
    /// A transfer inside the receiving organisation (above the trust
    /// boundary); in a bounce's returned original, which no receiver took,
    /// also one written by the sender's own organisation.
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

/// What a hop's encryption is shown as (the page's timeline): the
/// [`Hop::encrypted`] reading, with a hop inside one organisation never
/// shown as the red "not encrypted" alarm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HopTls {
    /// TLS recorded (details, or a TLS `with` type).
    Encrypted,
    /// A plain hop between two organisations: crossed the internet unencrypted.
    Unencrypted,
    /// A hop inside one organisation without recorded TLS: neutral.
    Internal,
    /// The Received line does not say.
    NotRecorded,
}

impl Hop {
    /// The sending side as one label, the same in the page, the terminal and
    /// the Markdown export: the HELO name, then the reverse DNS and IP the
    /// receiver recorded (`mail.example.jp (host.example.net [192.0.2.1])`).
    /// `None` when the receiver recorded none of them.
    pub fn from_label(&self) -> Option<String> {
        let mut parts = Vec::new();
        // A HELO that is the address literal of the IP shown next to it
        // (`from [192.0.2.7]`) is said once.
        let literal_of_ip = |helo: &str| {
            self.from_ip.as_deref().is_some_and(|ip| {
                helo.strip_prefix('[')
                    .and_then(|h| h.strip_suffix(']'))
                    .is_some_and(|h| h.trim_start_matches("IPv6:").eq_ignore_ascii_case(ip))
            })
        };
        if let Some(helo) = self.helo.as_ref().filter(|h| !literal_of_ip(h)) {
            parts.push(helo.clone());
        }
        match (&self.from_rdns, &self.from_ip) {
            (Some(rdns), Some(ip)) => parts.push(format!("({rdns} [{ip}])")),
            (None, Some(ip)) => parts.push(format!("[{ip}]")),
            (Some(rdns), None) => parts.push(format!("({rdns})")),
            (None, None) => {}
        }
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    /// Whether the hop was encrypted, as its Received line says.
    ///
    /// - `Some(true)`: the receiver recorded TLS details (Postfix `(using
    ///   TLSv1.3 with cipher …)`, Google `(version=TLS1_3 cipher=…)`,
    ///   Microsoft `with Microsoft SMTP Server (version=TLS1_2, cipher=…)`,
    ///   Exim `(TLS1.3) tls TLS_AES_256_GCM_SHA384`, Sendmail
    ///   `(version=TLSv1.3 cipher=… bits=256 verify=NO)`), or a `with`
    ///   type of RFC 3848's registry that means TLS, with or without a
    ///   cipher comment: ESMTPS, ESMTPSA, LMTPS, LMTPSA, UTF8SMTPS,
    ///   UTF8SMTPSA, UTF8LMTPS, UTF8LMTPSA (and `SMTPS`, and vendor words ending
    ///   in one of them).
    /// - `Some(false)`: a plain type without TLS details: SMTP, ESMTP,
    ///   LMTP, UTF8SMTP, UTF8LMTP. The registry has an S type for every one
    ///   of them, so an MTA that writes the registry's words writes a plain
    ///   one only when there was no TLS.
    /// - `None`: the line does not say. The A types (ESMTPA, LMTPA,
    ///   UTF8SMTPA, UTF8LMTPA) record authentication; submission servers on
    ///   implicit TLS or behind a TLS proxy write them for encrypted
    ///   connections too. HTTP, local pickup, unknown words, no `with`.
    ///
    /// Whether an unencrypted hop matters is another question: one inside
    /// an organisation ([`Hop::within_organisation`]) never crossed the
    /// internet.
    pub fn encrypted(&self) -> Option<bool> {
        if self.tls.is_some() {
            return Some(true);
        }
        let proto = self.protocol.as_deref()?.to_ascii_uppercase();
        match proto.as_str() {
            "SMTP" | "ESMTP" | "LMTP" | "UTF8SMTP" | "UTF8LMTP" => Some(false),
            "SMTPS" | "ESMTPS" | "ESMTPSA" | "LMTPS" | "LMTPSA" | "UTF8SMTPS" | "UTF8SMTPSA"
            | "UTF8LMTPS" | "UTF8LMTPSA" => Some(true),
            // Vendor variants of the same (`ASMTPS`…).
            p if ["SMTPS", "SMTPSA", "LMTPS", "LMTPSA"]
                .iter()
                .any(|s| p.ends_with(s)) =>
            {
                Some(true)
            }
            _ => None,
        }
    }

    /// Whether the hop is a step inside one organisation rather than a
    /// crossing between two: the receiver's own transfers above the trust
    /// boundary ([`Hop::internal`]), Gmail's `X-Received` steps, hops with
    /// no client address (local pickup, a queue or filter step, Google's
    /// `Received: by 2002:…` relays, which write no `from`), hops received
    /// by a Google relay named by its `2002:` address, and hops from a
    /// loopback or private client address (a content filter re-injecting,
    /// a PC on the sender's LAN). Such a hop without TLS is not the
    /// "crossed the internet unencrypted" alarm.
    pub fn within_organisation(&self) -> bool {
        self.internal
            || self.source == "X-Received"
            || self.kind == HopKind::Local
            || self
                .by_host
                .as_deref()
                .and_then(|b| b.parse::<IpAddr>().ok())
                .is_some_and(|ip| matches!(ip, IpAddr::V6(v6) if v6.segments()[0] == 0x2002))
            || self
                .from_ip
                .as_deref()
                .and_then(|ip| ip.parse::<IpAddr>().ok())
                .is_some_and(|ip| crate::trace::boundary::is_private(&ip))
    }

    /// How the hop's encryption is shown: see [`HopTls`].
    pub fn tls_shown(&self) -> HopTls {
        match self.encrypted() {
            Some(true) => HopTls::Encrypted,
            _ if self.within_organisation() => HopTls::Internal,
            Some(false) => HopTls::Unencrypted,
            None => HopTls::NotRecorded,
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
            // Checked: a delay that does not fit is none (dates are years
            // 0-9999, so none overflows; issue 19 item 10).
            hop.delay_seconds = previous.and_then(|(p, _)| t.checked_sub(p));
            hop.delay_ms = previous.and_then(|(_, pms)| ms.checked_sub(pms));
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
    Some(last.checked_sub(first)? / 1000)
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

    /// A hop read from one Received (or X-Received) value.
    fn hop(source: &'static str, value: &str) -> Hop {
        let raw = value.to_string();
        hop_from(
            crate::header::received::parse(value),
            Span { start: 0, end: 0 },
            raw,
            source,
        )
    }

    #[test]
    fn the_from_label_names_helo_rdns_and_ip_as_recorded() {
        let full = hop(
            "Received",
            "from pc01 (host.example.net [192.0.2.1]) by mx.example.jp with ESMTP id 1; Mon, 2 Jan 2023 10:00:00 +0900",
        );
        assert_eq!(
            full.from_label().as_deref(),
            Some("pc01 (host.example.net [192.0.2.1])")
        );
        let ip_only = hop(
            "Received",
            "from [192.0.2.7] by mx.example.jp; Mon, 2 Jan 2023 10:00:00 +0900",
        );
        assert_eq!(
            ip_only.from_label().as_deref(),
            Some("[192.0.2.7]"),
            "{ip_only:?}"
        );
        let local = hop(
            "Received",
            "by mx.example.jp; Mon, 2 Jan 2023 10:00:00 +0900",
        );
        assert_eq!(local.from_label(), None);
    }

    #[test]
    fn rfc3848_tls_types_are_tls_without_a_cipher_comment() {
        for proto in [
            "ESMTPS",
            "ESMTPSA",
            "LMTPS",
            "LMTPSA",
            "UTF8SMTPS",
            "UTF8SMTPSA",
            "UTF8LMTPS",
            "UTF8LMTPSA",
            "esmtpsa",
        ] {
            let h = hop(
                "Received",
                &format!(
                    "from mail.shop.test (mail.shop.test [192.0.2.25]) by mx.example.net \
                     with {proto} id 1AbC2dE for <hanako@example.net>; \
                     Mon, 23 Nov 2026 22:00:02 +0900"
                ),
            );
            assert_eq!(h.tls, None, "{proto}: no TLS details written");
            assert_eq!(h.encrypted(), Some(true), "{proto}");
            assert_eq!(h.tls_shown(), HopTls::Encrypted, "{proto}");
        }
    }

    #[test]
    fn plain_types_are_unencrypted_and_authenticated_ones_do_not_say() {
        let line = |proto: &str| {
            format!(
                "from mail.shop.test (mail.shop.test [192.0.2.25]) by mx.example.net \
                 with {proto} id 1AbC2dE; Mon, 23 Nov 2026 22:00:02 +0900"
            )
        };
        for proto in ["SMTP", "ESMTP", "LMTP", "UTF8SMTP", "UTF8LMTP"] {
            let h = hop("Received", &line(proto));
            assert_eq!(h.encrypted(), Some(false), "{proto}");
            // Between two organisations on the internet: the alarm stands.
            assert_eq!(h.tls_shown(), HopTls::Unencrypted, "{proto}");
        }
        // The A types record authentication, not whether TLS was used.
        for proto in ["ESMTPA", "LMTPA", "UTF8SMTPA", "UTF8LMTPA"] {
            let h = hop("Received", &line(proto));
            assert_eq!(h.encrypted(), None, "{proto}");
            assert_eq!(h.tls_shown(), HopTls::NotRecorded, "{proto}");
        }
    }

    #[test]
    fn tls_comments_of_each_mta_mean_tls_on_a_plain_type() {
        for value in [
            // Postfix
            "from mail.shop.test (mail.shop.test [192.0.2.25]) (using TLSv1.3 with cipher \
             TLS_AES_256_GCM_SHA384 (256/256 bits)) (No client certificate requested) \
             by mx.example.net (Postfix) with ESMTP id 1AbC2dE; Mon, 23 Nov 2026 22:00:02 +0900",
            // Google
            "from mail.shop.test (mail.shop.test. [192.0.2.25]) by mx.google.com with SMTP id \
             x1si123 for <hanako@example.net> (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 \
             bits=256/256); Mon, 23 Nov 2026 05:00:02 -0800 (PST)",
            // Microsoft
            "from EX1.shop.test (192.0.2.25) by EX2.example.net (198.51.100.7) with Microsoft \
             SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id \
             15.20.8000.10; Mon, 23 Nov 2026 13:00:02 +0000",
            // Exim
            "from mail.shop.test ([192.0.2.25]) by mx.example.net with esmtp (TLS1.3) tls \
             TLS_AES_256_GCM_SHA384 (Exim 4.97) id 1tAbCd-000123-4x; Mon, 23 Nov 2026 13:00:02 +0000",
            // Sendmail
            "from mail.shop.test (mail.shop.test [192.0.2.25]) by mx.example.net \
             (8.17.1/8.17.1) with ESMTP id 5ANK02xY012345 (version=TLSv1.3 \
             cipher=TLS_AES_256_GCM_SHA384 bits=256 verify=NO); Mon, 23 Nov 2026 13:00:02 +0000",
        ] {
            let h = hop("Received", value);
            assert!(h.tls.is_some(), "{value}");
            assert_eq!(h.encrypted(), Some(true), "{value}");
        }
    }

    #[test]
    fn x_received_and_google_2002_relays_are_never_shown_unencrypted() {
        for (source, value) in [
            // Gmail's internal steps.
            (
                "X-Received",
                "by 2002:a05:6a20:9f99:b0:1f5:80a3:b003 with SMTP id \
                 adf61e73a8af0-2009f7ee203mr25401787637.37.1795435202000; \
                 Mon, 23 Nov 2026 05:00:02 -0800 (PST)",
            ),
            (
                "Received",
                "by 2002:a05:7300:bb22:b0:12c:3d4e:5f60 with SMTP id y8csp445566dyb; \
                 Mon, 23 Nov 2026 05:00:06 -0800 (PST)",
            ),
            // Named by its 2002: address, a client address written too.
            (
                "Received",
                "from mail-sor-f41.google.com ([203.0.113.41]) by \
                 2002:a17:902:c40d:b0:1f7:126:5bab with SMTP id x1; \
                 Mon, 23 Nov 2026 05:00:06 -0800 (PST)",
            ),
            // A content filter re-injecting over loopback.
            (
                "Received",
                "from localhost (localhost [127.0.0.1]) by mx.example.net (Postfix) \
                 with ESMTP id 1AbC2dE; Mon, 23 Nov 2026 22:00:03 +0900",
            ),
            // A PC on the sender's own network.
            (
                "Received",
                "from DESKTOP-7QK3 ([192.168.1.20]) by mail.shop.test with ESMTP id 9XyZ; \
                 Mon, 23 Nov 2026 22:00:01 +0900",
            ),
        ] {
            let h = hop(source, value);
            assert_eq!(h.encrypted(), Some(false), "{value}");
            assert!(h.within_organisation(), "{value}");
            assert_eq!(h.tls_shown(), HopTls::Internal, "{value}");
        }
        // Above the trust boundary: the receiver's own transfer.
        let mut h = hop(
            "Received",
            "from relay.example.net (relay.example.net [198.51.100.7]) by mbox.example.net \
             with ESMTP id 7QrS; Mon, 23 Nov 2026 22:00:04 +0900",
        );
        assert_eq!(h.tls_shown(), HopTls::Unencrypted);
        h.internal = true;
        assert_eq!(h.tls_shown(), HopTls::Internal);
    }

    #[test]
    fn total_transit_needs_two_dates() {
        assert_eq!(total_transit(&[dated(Some(5))]), None);
        assert_eq!(total_transit(&[]), None);
    }
}
