//! Findings: what Todoku concludes, each with a stable id, a severity, a
//! one-line message, the explanation and fix, and the evidence spans.
//!
//! Ids are part of the JSON contract (docs/findings.md lists them). Text is
//! English for now; the Japanese catalogue comes with the report page work.

use std::net::IpAddr;

use crate::Summary;
use crate::header::dkim_sig::DkimSignature;
use crate::recorded::authres::MethodResult;
use crate::recorded::receiver::Recorded;
use crate::recorded::vendors::VendorVerdict;
use crate::report::finding::{Finding, Severity, finding};
use crate::span::Span;
use crate::trace::boundary::{ClockSkew, TrustBoundary};
use crate::trace::hops::Hop;
use crate::wording::catalogue::{
    DkimCause, FindingId, SpfCause, dkim_fail_detail, spf_permerror_detail,
};

/// Everything the rules look at.
pub(crate) struct Facts<'a> {
    pub(crate) hops: &'a [Hop],
    /// Received and X-Received fields in the message, read or not.
    pub(crate) traces: usize,
    pub(crate) boundary: Option<&'a TrustBoundary>,
    pub(crate) skews: &'a [ClockSkew],
    pub(crate) recorded: &'a Recorded,
    pub(crate) dkim: &'a [DkimSignature],
    /// The header fields the rules read, counted, with their spans.
    pub(crate) headers: &'a HeaderIndex<'a>,
    /// The most addresses in any From header.
    pub(crate) from_addresses: usize,
    pub(crate) verdicts: &'a [VendorVerdict],
    pub(crate) summary: &'a Summary,
    /// The From header contains RFC 2047 encoded words.
    pub(crate) from_encoded: bool,
    /// A From header exists (whether or not its address could be read).
    pub(crate) from_present: bool,
    /// The Message-ID value as written.
    pub(crate) message_id_raw: Option<String>,
    /// Lines like `Fr om: …` (name as written, span).
    pub(crate) spaced_names: &'a [(String, Span)],
    /// Headers written in a legacy charset without encoding: (name, charset, span).
    pub(crate) legacy_headers: &'a [(String, &'static str, Span)],
    pub(crate) now: i64,
    /// When the receiver took the message (Unix seconds): its stamp on the
    /// hop into it, else the newest dated hop.
    pub(crate) delivered_at: Option<i64>,
    /// The user's input (every span points into it).
    pub(crate) input: &'a [u8],
    /// The message is the copy a bounce returns: no receiver took it, so
    /// no filter's verdict in it is a receiver's.
    pub(crate) returned: bool,
}

impl Facts<'_> {
    /// The hop into the receiver: the trust boundary.
    fn boundary_hop(&self) -> Option<&Hop> {
        let b = self.boundary?;
        self.hops.iter().find(|h| h.index == b.hop)
    }

    /// The value of the header field at `span` (after its colon), unfolded
    /// to one line; `None` when the span is not a field in the input.
    fn header_value(&self, span: Span) -> Option<String> {
        let field = self.input.get(span.start..span.end)?;
        let colon = memchr::memchr(b':', field)?;
        let value = crate::header::text::lossy_cow(field.get(colon + 1..)?);
        Some(crate::header::text::single_spaced(&value))
    }
}

/// Run every rule; errors first, then warnings, info, passes.
pub(crate) fn evaluate(f: &Facts<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    structure(f, &mut out);
    helo(f, &mut out);
    tls(f, &mut out);
    clock(f, &mut out);
    chain(f, &mut out);
    recorded(f, &mut out);
    dkim_signatures(f, &mut out);
    vendor(f, &mut out);
    from_display(f, &mut out);
    arc(f, &mut out);
    unsubscribe(f, &mut out);
    crate::order::by_key(&mut out, |x| x.severity as u64);
    out
}

/// A finding points at no more than this many fields of one name: a
/// message with a million From fields is reported as such, not listed.
pub(crate) const MAX_SPANS: usize = 50;

/// Names of the header fields the rules read (lower-case), and the
/// prefixes of whole families of them.
const READ: &[&str] = &[
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "list-unsubscribe",
    "list-post",
    "precedence",
    "x-authuser",
];
const READ_PREFIXES: &[&str] = &["x-mailgun-", "x-groupsio-"];

/// Which of the names the rules read `name` is (an index into [`READ`],
/// [`BULK_MARKERS`], [`DISCUSSION_MARKERS`] and [`READ_PREFIXES`] one
/// after another); `None` for a field no rule reads.
fn read_slot(name: &str) -> Option<usize> {
    READ.iter()
        .chain(BULK_MARKERS)
        .chain(DISCUSSION_MARKERS)
        .position(|n| n.eq_ignore_ascii_case(name))
        .or_else(|| {
            READ_PREFIXES
                .iter()
                .position(|p| crate::header::text::starts_ci(name, p))
                .map(|i| i + READ.len() + BULK_MARKERS.len() + DISCUSSION_MARKERS.len())
        })
}

/// The header fields the rules read, noted in one pass over the block:
/// how many fields of each name, and the first [`MAX_SPANS`] of each with
/// its span (a block of a million fields costs no more memory than one of
/// a hundred).
#[derive(Debug)]
pub(crate) struct HeaderIndex<'a> {
    /// Every header field, read or not.
    fields: usize,
    /// (name as written, span) of the fields kept, in order.
    kept: Vec<(&'a str, Span)>,
    /// Fields per [`read_slot`].
    counts: Vec<usize>,
}

impl Default for HeaderIndex<'_> {
    fn default() -> Self {
        HeaderIndex {
            fields: 0,
            kept: Vec::new(),
            counts: vec![
                0;
                READ.len()
                    + BULK_MARKERS.len()
                    + DISCUSSION_MARKERS.len()
                    + READ_PREFIXES.len()
            ],
        }
    }
}

impl<'a> HeaderIndex<'a> {
    /// Note one header field: its name as written (trimmed) and its span.
    pub(crate) fn note(&mut self, name: &'a str, span: Span) {
        self.fields += 1;
        let Some(count) = read_slot(name).and_then(|slot| self.counts.get_mut(slot)) else {
            return;
        };
        *count += 1;
        if *count <= MAX_SPANS {
            self.kept.push((name, span));
        }
    }

    /// No header field at all.
    fn is_empty(&self) -> bool {
        self.fields == 0
    }

    /// How many fields are called `name` (one of the names the rules read).
    fn count(&self, name: &str) -> usize {
        read_slot(name)
            .and_then(|slot| self.counts.get(slot))
            .copied()
            .unwrap_or_default()
    }

    /// The fields kept, in order: (name as written, span).
    fn iter(&self) -> impl Iterator<Item = &(&'a str, Span)> {
        self.kept.iter()
    }
}

/// The spans of the first [`MAX_SPANS`] fields called `name`.
fn spans_of(f: &Facts<'_>, name: &str) -> Vec<Span> {
    f.headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, s)| *s)
        .collect()
}

/// The header fields' presence and form (RFC 5322).
fn structure(f: &Facts<'_>, out: &mut Vec<Finding>) {
    field_counts(f, out);
    malformed_fields(f, out);
}

/// The fields RFC 5322 wants exactly once (From, Date) or at most once
/// (Message-ID, Subject): missing, empty or repeated.
fn field_counts(f: &Facts<'_>, out: &mut Vec<Finding>) {
    // Only a full header block can be missing fields; a pasted Received
    // excerpt is not judged on what it leaves out.
    let full = ["from", "to", "subject", "date"]
        .iter()
        .any(|n| f.headers.count(n) > 0);
    let checks: [(&str, FindingId, FindingId, Severity, &str); 4] = [
        (
            "from",
            FindingId::Rfc5322MissingFrom,
            FindingId::Rfc5322DuplicateFrom,
            Severity::Error,
            "RFC 5322 requires exactly one From field; Gmail and others reject messages with none or several.",
        ),
        (
            "date",
            FindingId::Rfc5322MissingDate,
            FindingId::Rfc5322DuplicateDate,
            Severity::Warning,
            "RFC 5322 requires exactly one Date field; mail without it looks machine-made and is scored down. Let the sending software add it.",
        ),
        (
            "message-id",
            FindingId::Rfc5322MissingMessageId,
            FindingId::Rfc5322DuplicateMessageId,
            Severity::Warning,
            "Gmail's sender guidelines require a Message-ID; add one at the first server if the client does not.",
        ),
        (
            "subject",
            FindingId::Rfc5322MissingSubject,
            FindingId::Rfc5322DuplicateSubject,
            Severity::Info,
            "At most one Subject field is allowed; several make receivers pick one arbitrarily.",
        ),
    ];
    for (name, missing, duplicate, severity, detail) in checks {
        let spans = spans_of(f, name);
        let count = f.headers.count(name);
        // A Date with no digit at all (empty, or a stray `<HR>` line)
        // holds no date: as good as none.
        let empty_date = name == "date"
            && count == 1
            && spans
                .first()
                .and_then(|s| f.header_value(*s))
                .is_some_and(|v| !v.bytes().any(|b| b.is_ascii_digit()));
        if empty_date {
            out.push(finding(
                missing,
                severity,
                "The Date header holds no date.".to_string(),
                "Date ヘッダーに日付がありません。".to_string(),
                detail,
                spans.clone(),
            ));
        } else if count == 0 && full {
            out.push(finding(
                missing,
                severity,
                format!("No {name} header."),
                format!("{} ヘッダーがありません。", field_name(name)),
                detail,
                vec![],
            ));
        } else if count > 1 {
            let sev = if name == "subject" {
                Severity::Warning
            } else {
                Severity::Error.max(severity)
            };
            out.push(finding(
                duplicate,
                sev,
                format!("{count} {name} headers."),
                format!("{} ヘッダーが {count} 個あります。", field_name(name)),
                detail,
                spans,
            ));
        }
    }
}

/// Fields written wrong: a spaced name, raw 8-bit text, a From without an
/// address or with several, a malformed Message-ID.
fn malformed_fields(f: &Facts<'_>, out: &mut Vec<Finding>) {
    for (name, span) in f.spaced_names {
        out.push(finding(
            FindingId::Rfc5322MalformedFieldName,
            Severity::Error,
            format!("A header line starts {name:?}: a field name with a space, made to look like a real header."),
            format!("{name:?} で始まるヘッダー行があります。本物のヘッダーに見せかけた、空白入りのフィールド名です。"),
            "Field names cannot contain spaces. Some mail clients still show such a line as the sender or subject, which is a known spoofing trick; the real header may say something else.",
            vec![*span],
        ));
    }
    for (name, charset, span) in f.legacy_headers {
        out.push(finding(
            FindingId::Rfc5322Unencoded8bit,
            Severity::Warning,
            // Latin-1 is the reading left when no CJK one fits: a guess, said as one.
            if *charset == "windows-1252" {
                format!("The {name} header is raw 8-bit text (read as Latin-1, windows-1252), not MIME-encoded.")
            } else {
                format!("The {name} header is raw {charset} text, not MIME-encoded.")
            },
            if *charset == "windows-1252" {
                format!("{name} ヘッダーが MIME エンコードされていない 8 ビットの生テキストです（Latin-1、windows-1252 として読みました）。")
            } else {
                format!("{name} ヘッダーが MIME エンコードされていない {charset} の生テキストです。")
            },
            "Headers must be ASCII, with other text in RFC 2047 encoded words (=?UTF-8?B?…?=) or as UTF-8 under RFC 6532. Raw legacy bytes show as mojibake (文字化け) in many mail clients and count against the message in spam filters. Set the mail client to encode headers (UTF-8 recommended).",
            vec![*span],
        ));
    }
    if f.from_present && f.summary.from.is_none() && f.headers.count("from") == 1 {
        out.push(finding(
            FindingId::Rfc5322MalformedFrom,
            Severity::Error,
            "The From header has no readable address.".to_string(),
            "From ヘッダーに読み取れるアドレスがありません。".to_string(),
            "From must hold an address (name@domain). Without one, DMARC cannot be evaluated and Gmail rejects the message. Fix the sending software's From setting.",
            spans_of(f, "from"),
        ));
    }
    if let Some(id) = &f.message_id_raw {
        let inner = id.trim().trim_start_matches('<').trim_end_matches('>');
        let well_formed = id.trim().starts_with('<')
            && id.trim().ends_with('>')
            && inner.split_once('@').is_some_and(|(l, r)| {
                !l.is_empty() && !r.is_empty() && !inner.contains(char::is_whitespace)
            });
        if !well_formed {
            out.push(finding(
                FindingId::Rfc5322MalformedMessageId,
                Severity::Warning,
                format!("The Message-ID {id:?} is not of the form <unique@domain>."),
                format!("Message-ID {id:?} が <一意の値@ドメイン> の形式ではありません。"),
                "A malformed Message-ID is a common spam signal and breaks threading. Let the sending server generate it: <something-unique@your-domain>.",
                spans_of(f, "message-id"),
            ));
        }
    }
    if f.from_addresses > 1 {
        out.push(finding(
            FindingId::Rfc5322MultipleFromAddresses,
            Severity::Warning,
            format!("The From header lists {} addresses.", f.from_addresses),
            format!("From ヘッダーにアドレスが {} 個あります。", f.from_addresses),
            "A From with several addresses needs a Sender header, and DMARC cannot be evaluated on it: most receivers treat it as a failure. Send from one address.",
            spans_of(f, "from"),
        ));
    }
}

fn hop_ip(hop: &Hop) -> Option<IpAddr> {
    hop.from_ip.as_deref().and_then(|s| s.parse().ok())
}

/// Why a HELO name is not a real host name, if it is not. An address
/// literal (`[192.0.2.1]`, `[IPv6:2001:db8::1]`) is what RFC 5321 4.1.3 asks
/// of a client without a name: allowed, not a computer name.
fn bad_helo(helo: &str) -> Option<(&'static str, &'static str)> {
    let h = helo.trim_end_matches('.');
    if h.starts_with('[') && h.ends_with(']') {
        return None;
    }
    if h.eq_ignore_ascii_case("localhost") || h.to_ascii_lowercase().starts_with("localhost.") {
        return Some(("\"localhost\"", "ホスト名ではなく localhost です"));
    }
    if h.parse::<IpAddr>().is_ok() {
        return Some((
            "a bare IP address, not a host name or an address literal in brackets",
            "ホスト名でも角かっこ付きのアドレス表記でもない、IP アドレスそのままです",
        ));
    }
    (!h.contains('.')).then_some((
        "a bare computer name, not a fully qualified domain name",
        "ドメイン名（FQDN）ではなくパソコン名です",
    ))
}

/// The HELO the receiver judged: the one on the hop into the receiving
/// organisation (the trust boundary). Hops further back were judged by
/// other servers, if at all; an authenticated submission (ESMTPA/ESMTPSA,
/// `Authenticated sender`) is a mail client logging in to its own provider,
/// which takes any name; hops inside one organisation never leave it.
fn helo(f: &Facts<'_>, out: &mut Vec<Finding>) {
    let Some(hop) = f.boundary_hop() else {
        return;
    };
    if hop.authenticated || hop.internal {
        return;
    }
    let Some(helo) = hop.helo.as_deref() else {
        return;
    };
    // Only SMTP connections have a HELO: a hop without a client IP, or a
    // `from user@localhost` local submission, has none. Loopback hops are
    // a server talking to itself (content filters): harmless.
    if helo.contains('@') || !hop_ip(hop).is_some_and(|ip| !ip.is_loopback()) {
        return;
    }
    if let Some((why, why_ja)) = bad_helo(helo) {
        // A bare address is not a PC name: its own title and text, and when
        // it is not the client's own address, a forgery (mikel-022).
        let announced = helo.trim_end_matches('.').parse::<IpAddr>().ok();
        let client = hop_ip(hop);
        let variant = announced.map(|ip| {
            if client.is_some_and(|c| c != ip) {
                crate::wording::catalogue::HELO_FORGED_IP
            } else {
                crate::wording::catalogue::HELO_BARE_IP
            }
        });
        let (not_own, not_own_ja) = match (announced, client) {
            (Some(ip), Some(c)) if ip != c => (
                format!(" It is not the address it connected from ({c})."),
                format!("接続元の {c} とは別のアドレスです。"),
            ),
            _ => (String::new(), String::new()),
        };
        let mut found = finding(
            FindingId::HeloNotFqdn,
            Severity::Warning,
            format!(
                "Hop {}: the sender introduced itself as HELO {helo:?} to {}, {why}.{not_own}",
                hop.index,
                hop.by_host.as_deref().unwrap_or("the next server")
            ),
            format!(
                "経路 {}：送信側が {} に HELO/EHLO {helo:?} と名乗っています。{why_ja}。{not_own_ja}",
                hop.index,
                hop.by_host.as_deref().unwrap_or("次のサーバー")
            ),
            "Receivers and spam filters expect the HELO/EHLO name to be a real, resolvable host name. A mail client that announces its PC name (DESKTOP-…, a Windows computer name) should be set to send a proper name: Thunderbird `mail.smtpserver.default.hello_argument` (Settings → Config Editor); 秀丸メール「トラブル対策」→「送信時のHELO/EHLOコマンドで自コンピュータ名指定」off; Becky! the SMTP server's advanced settings; Outlook and Apple Mail have no HELO setting, so send through your provider's submission server (port 587, authenticated) rather than straight to the recipient; for a server, set its host name (Postfix `smtp_helo_name`, Exim `helo_data`).",
            vec![hop.span],
        );
        if let Some(v) = variant {
            found.title = v.title;
            found.detail = v.detail.to_string();
            found.detail_ja = v.detail_ja;
        }
        out.push(found);
    }
}

/// Whether the hop into the receiver crossed the internet without TLS. An
/// authenticated submission (ESMTPA, Sendmail's `(authenticated bits=N)`,
/// `Authenticated sender`) is a mail client logging in to its own provider,
/// not one organisation's server handing mail to another's: the alarm
/// (Gmail's red padlock) is about the latter. (Sendmail's `bits=N` there is
/// the SASL security layer; TLS it writes as `(version=… cipher=…)`.)
fn tls(f: &Facts<'_>, out: &mut Vec<Finding>) {
    let Some(hop) = f.boundary_hop() else {
        return;
    };
    if hop.authenticated {
        return;
    }
    let proto = hop
        .protocol
        .as_deref()
        .unwrap_or_default()
        .to_ascii_uppercase();
    // A boundary hop from a private or loopback client (the receiver's SPF
    // check named one) never crossed the internet.
    if hop.encrypted() == Some(false) && !hop.within_organisation() {
        out.push(finding(
            FindingId::TlsNotUsed,
            Severity::Warning,
            format!(
                "Hop {}: {} received the message over {proto} without TLS.",
                hop.index,
                hop.by_host.as_deref().unwrap_or("the receiver")
            ),
            format!(
                "経路 {}：{} は {proto} で TLS なし（暗号化なし）で受信しました。",
                hop.index,
                hop.by_host.as_deref().unwrap_or("受信サーバー")
            ),
            "The message crossed the internet unencrypted. Gmail marks such mail with a red padlock, and some receivers require TLS. Enable STARTTLS on the sending server (Postfix `smtp_tls_security_level = may`).",
            vec![hop.span],
        ));
    }
}

/// A duration in words: `5 min`, `14 h`, `3 days`.
fn duration(seconds: u64) -> String {
    match seconds {
        0..=5399 => format!("{} min", seconds.div_ceil(60)),
        5400..=172_799 => format!("{} h", (seconds + 1800) / 3600),
        _ => format!("{} days", seconds.saturating_add(43_200) / 86_400),
    }
}

fn duration_ja(seconds: u64) -> String {
    match seconds {
        0..=5399 => format!("{} 分", seconds.div_ceil(60)),
        5400..=172_799 => format!("{} 時間", (seconds + 1800) / 3600),
        _ => format!("{} 日", seconds.saturating_add(43_200) / 86_400),
    }
}

fn clock(f: &Facts<'_>, out: &mut Vec<Finding>) {
    for skew in f.skews {
        let minutes = duration(skew.offset_seconds.unsigned_abs());
        let way = if skew.offset_seconds > 0 {
            "ahead"
        } else {
            "behind"
        };
        let evidence = f
            .hops
            .iter()
            .filter(|h| h.index == skew.hop)
            .map(|h| h.span)
            .collect();
        let minutes_ja = duration_ja(skew.offset_seconds.unsigned_abs());
        let way_ja = if skew.offset_seconds > 0 {
            "進んで"
        } else {
            "遅れて"
        };
        let message_ja = if skew.hop == 0 {
            format!(
                "送信したパソコンの時計が約 {minutes_ja}進んでいます。Date が最初のサーバーの受信時刻より後です。"
            )
        } else if skew.attributed {
            format!(
                "{} の時計が他のサーバーより約 {minutes_ja}{way_ja}います（経路 {}）。",
                skew.host, skew.hop
            )
        } else {
            format!(
                "経路 {} の時刻が一つ前の経路より {minutes_ja}早くなっています。どちらかの時計がずれています。",
                skew.hop
            )
        };
        let message = if skew.hop == 0 {
            format!(
                "The sending computer's clock is about {minutes} ahead: its Date is later than the first server's stamp."
            )
        } else if skew.attributed {
            format!(
                "{}'s clock is about {minutes} {way} of the other servers (hop {}).",
                skew.host, skew.hop
            )
        } else {
            format!(
                "Hop {} is stamped {minutes} before the hop before it: one of the two clocks is off.",
                skew.hop
            )
        };
        out.push(finding(
            FindingId::ClockSkew,
            Severity::Info,
            message,
            message_ja,
            "Delays computed across this host are not real. A sender clock far off makes mail look back- or forward-dated, which spam filters score; set the computer or server to synchronise time (NTP).",
            evidence,
        ));
    }
}

/// RFC 5321 6.3: servers count Received fields to detect loops and
/// "SHOULD use a large rejection threshold, normally at least 100".
const LOOP_THRESHOLD: usize = 100;

fn chain(f: &Facts<'_>, out: &mut Vec<Finding>) {
    if f.traces <= LOOP_THRESHOLD {
        return;
    }
    let read = f.hops.len();
    let mut message = format!(
        "{} Received headers: more than the {LOOP_THRESHOLD} after which mail servers declare a mail loop.",
        f.traces
    );
    if read < f.traces {
        message.push_str(&format!(
            " Todoku read the oldest and the newest {} hops; the {} in between are counted, not read.",
            crate::trace::hops::MAX_HOPS / 2,
            f.traces - read
        ));
    }
    // The oldest and the newest hop.
    let mut message_ja = format!(
        "Received ヘッダーが {} 個あります。メールサーバーがメールループとみなす {LOOP_THRESHOLD} 個を超えています。",
        f.traces
    );
    if read < f.traces {
        message_ja.push_str(&format!(
            "古い方と新しい方の {} 経路ずつを読み、間の {} 経路は数えただけで読んでいません。",
            crate::trace::hops::MAX_HOPS / 2,
            f.traces - read
        ));
    }
    let mut evidence = Vec::with_capacity(2);
    if let (Some(first), Some(last)) = (f.hops.first(), f.hops.last()) {
        evidence.push(first.span);
        evidence.push(last.span);
    }
    out.push(finding(
        FindingId::ReceivedLoop,
        Severity::Error,
        message,
        message_ja,
        "Each server that handles a message adds a Received header; one that has passed through this many servers is going round in a loop, and servers reject it (554 5.4.6, too many hops, RFC 5321 6.3). Usually two forwarding rules, aliases or mailing lists send mail to each other: look for the hosts or the addresses (for …) that repeat in the hops and remove one of the forwards.",
        evidence,
    ));
}

/// What the receiver said about a result, as shown: its `reason=` when it
/// gave one ("key not found in DNS"), else its first comment; never a key
/// size of 0 bits (`(0-bit key; unprotected)`: no key was found).
fn said_why(r: &MethodResult) -> Option<&str> {
    r.reason
        .as_deref()
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .or_else(|| r.comments.first().map(|c| c.trim()))
        .filter(|w| !w.is_empty() && !w.starts_with("0-bit"))
}

fn note(r: &MethodResult) -> String {
    said_why(r).map_or_else(String::new, |c| format!(" ({c})"))
}

fn note_ja(r: &MethodResult) -> String {
    said_why(r).map_or_else(String::new, |c| format!("（{c}）"))
}

/// The receiver's words about a result, lower-cased: `reason=` and comments.
fn words(r: &MethodResult) -> String {
    let mut all = r.reason.clone().unwrap_or_default();
    for c in &r.comments {
        all.push(' ');
        all.push_str(c);
    }
    all.to_ascii_lowercase()
}

/// What a recorded DKIM failure's reason says went wrong.
pub(crate) fn dkim_cause(r: &MethodResult) -> DkimCause {
    let w = words(r);
    let no_key = [
        "key not found",
        "no key",
        "nxdomain",
        "key unavailable",
        "no public key",
    ]
    .iter()
    .any(|p| w.contains(p))
        || (w.contains("key") && w.contains("not found"));
    if no_key {
        DkimCause::KeyMissing
    } else if [
        "dns error",
        "dns failure",
        "dns timeout",
        "servfail",
        "timed out",
        "timeout",
    ]
    .iter()
    .any(|p| w.contains(p))
    {
        DkimCause::KeyLookupFailed
    } else {
        DkimCause::Other
    }
}

/// What a recorded SPF permerror's comment names as its cause
/// (`SPF Permanent Error: Void lookup limit of 2 exceeded`).
pub(crate) fn spf_cause(r: &MethodResult) -> SpfCause {
    let w = words(r);
    if w.contains("void") {
        SpfCause::VoidLookups
    } else if w.contains("multiple") || w.contains("more than one") || w.contains("two or more") {
        SpfCause::MultipleRecords
    } else if w.contains("too many") || w.contains("lookup limit") || w.contains("lookups") {
        SpfCause::TooManyLookups
    } else if [
        "syntax",
        "unknown mechanism",
        "unknown modifier",
        "invalid",
        "parse",
        "unrecognized",
    ]
    .iter()
    .any(|p| w.contains(p))
    {
        SpfCause::Syntax
    } else {
        SpfCause::Unknown
    }
}

/// A header's name as the Japanese messages write it.
fn field_name(lower: &str) -> &str {
    match lower {
        "from" => "From",
        "date" => "Date",
        "message-id" => "Message-ID",
        "subject" => "Subject",
        other => other,
    }
}

/// Whether the receiver's DMARC result says the domain's policy was
/// `none` (Gmail's `(p=NONE …)`, rspamd's `(policy=none)`), or that the
/// receiver took no action on a failure (Microsoft's `action=none`): a
/// failure is then reported, not acted on.
pub(crate) fn policy_none(dmarc: &MethodResult) -> bool {
    recorded_policy(dmarc) == Some(crate::auth::dmarc::Policy::None)
}

/// The DMARC policy the receiver recorded for the From domain: `p=` or
/// `policy=` in its comments, reason or properties (Gmail's `(p=NONE sp=…
/// dis=…)`, rspamd's `(policy=none)`), else Microsoft's `action=`, which
/// names what the policy asked for (`oreject`: reject, overridden).
pub(crate) fn recorded_policy(dmarc: &MethodResult) -> Option<crate::auth::dmarc::Policy> {
    use crate::auth::dmarc::Policy;
    let mut action = None;
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for text in dmarc.comments.iter().chain(dmarc.reason.as_ref()) {
        for word in text.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ';' | ',')) {
            pairs.extend(word.split_once('='));
        }
    }
    pairs.extend(dmarc.properties.iter().map(|p| (&*p.name, &*p.value)));
    for (key, value) in pairs {
        let key = key.to_ascii_lowercase();
        if key == "p" || key == "policy" {
            if let Some(p) = Policy::parse(value) {
                return Some(p);
            }
        } else if key == "action" && action.is_none() {
            action = Policy::parse(value.trim_start_matches(['o', 'O']));
        }
    }
    action
}

fn recorded(f: &Facts<'_>, out: &mut Vec<Finding>) {
    let by = Recorder(f.recorded.authserv_id.as_deref());
    recorded_spf(f, by, out);
    recorded_dkim(f, by, out);
    recorded_dmarc(f, by, out);
    auth_required(f, out);
}

/// The providers whose receiving servers ask every sender for an SPF or
/// DKIM pass (Gmail and Yahoo since February 2024; Gmail rejects with
/// 5.7.26/5.7.27 since November 2025), by the receiver's authserv-id:
/// (domain, name). Yahoo's receivers write their host (`mta1007.mail.sp2.
/// yahoo.com`, `atlas….yahoo.com`); AOL's are Yahoo's servers.
const STRICT_RECEIVERS: &[(&str, &str)] = &[
    ("google.com", "Gmail"),
    ("yahoo.com", "Yahoo"),
    ("aol.com", "Yahoo"),
];

/// Gmail or Yahoo received the message and recorded neither an SPF nor a
/// DKIM pass (for any domain), nor anything that stands in for them (DMARC
/// pass, an ARC pass from a forwarder it trusts): the requirement for all
/// senders fails where it is enforced. Not when a result could not be
/// checked at receipt (temperror: deferred, not judged), nothing was
/// recorded for SPF or DKIM, or the receiver took it before the rule
/// (February 2024: Gmail's 2010 `spf=neutral` without DKIM was no fault
/// then). A delivery without a date is judged by today's rule.
fn auth_required(f: &Facts<'_>, out: &mut Vec<Finding>) {
    /// 2024-02-01T00:00:00Z, when Gmail and Yahoo began enforcing it.
    const SINCE: i64 = 1_706_745_600;
    let rec = f.recorded;
    if f.returned || f.delivered_at.is_some_and(|t| t < SINCE) {
        return;
    }
    let Some(id) = rec.authserv_id.as_deref() else {
        return;
    };
    let Some((_, provider)) = STRICT_RECEIVERS
        .iter()
        .find(|(domain, _)| crate::header::text::within(&id.to_ascii_lowercase(), domain))
    else {
        return;
    };
    let spf = rec.spf.iter();
    let results: Vec<&MethodResult> = spf.chain(&rec.dkim).collect();
    let passed =
        |r: Option<&MethodResult>| r.is_some_and(|r| matches!(&*r.result, "pass" | "success"));
    if results.is_empty()
        || results
            .iter()
            .any(|r| matches!(&*r.result, "pass" | "temperror"))
        || passed(rec.dmarc.as_ref())
        || passed(rec.arc.as_ref())
    {
        return;
    }
    let mut words: Vec<String> = Vec::new();
    if let Some(spf) = &rec.spf {
        words.push(format!("SPF {}", spf.result));
    }
    let mut dkim: Vec<&str> = rec.dkim.iter().map(|r| &*r.result).collect();
    dkim.dedup();
    if !dkim.is_empty() {
        words.push(format!("DKIM {}", dkim.join("/")));
    }
    out.push(finding(
        FindingId::ReceiverAuthRequired,
        Severity::Error,
        format!(
            "{provider} ({id}) requires every sender to pass SPF or DKIM, and it recorded neither: {}.",
            words.join(", ")
        ),
        format!(
            "{provider}（{id}）はすべての送信者に SPF か DKIM の合格を求めていますが、どちらも合格していません（{}）。",
            words.join("、")
        ),
        "Gmail and Yahoo require every sender to pass SPF or DKIM. Mail that passes neither goes to the spam folder, and since November 2025 Gmail rejects some of it (550 5.7.26). List the sending server (or the provider's include:) in the domain's SPF record, or sign with the domain's DKIM in the sending service.",
        results.iter().map(|r| r.span).collect(),
    ));
}

/// What a result is about, in English and Japanese (`name` followed by a
/// space, the particle comes next): `name`, or `unnamed` (`unnamed_ja`)
/// when there is none.
fn subject<'a>(name: Option<&'a str>, unnamed: &'a str, unnamed_ja: &str) -> (&'a str, String) {
    (
        name.unwrap_or(unnamed),
        name.map_or_else(|| unnamed_ja.to_string(), |n| format!("{n} ")),
    )
}

/// Who recorded a result: the authserv-id, else "the receiver".
#[derive(Clone, Copy)]
struct Recorder<'a>(Option<&'a str>);

impl Recorder<'_> {
    fn en(self) -> &'static str {
        "The receiver"
    }

    /// The finding `rule` (id, severity, fix) on result `r` of `method`
    /// for `what` (`what_ja`), as this recorder said it.
    fn finding(
        self,
        method: &str,
        r: &MethodResult,
        what: &str,
        what_ja: &str,
        (id, severity, detail): (FindingId, Severity, &str),
    ) -> Finding {
        let (en, ja) = self.said(method, r, what, what_ja);
        finding(id, severity, en, ja, detail, vec![r.span])
    }

    /// `{by} recorded {method} {result} for {what}{note}.` in both languages.
    fn said(self, method: &str, r: &MethodResult, what: &str, what_ja: &str) -> (String, String) {
        let by = self.0.unwrap_or(self.en());
        (
            format!("{by} recorded {method} {} for {what}{}.", r.result, note(r)),
            format!(
                "{}：{what_ja}の {method} は {}{}。",
                self.ja(),
                r.result,
                note_ja(r)
            ),
        )
    }

    /// `{authserv-id} の記録`, else `受信サーバーの記録` (no space: both
    /// words are Japanese).
    fn ja(self) -> String {
        match self.0 {
            Some(id) => format!("{id} の記録"),
            None => "受信サーバーの記録".to_string(),
        }
    }

    /// A recorded DKIM result that names no signature (`dkim=none`, Yahoo's
    /// `dkim=neutral (no sig)`): the receiver found none to check.
    fn no_signature(self, r: &MethodResult) -> (String, String) {
        let by = self.0.unwrap_or(self.en());
        (
            format!("{by} recorded no DKIM signature (dkim={}).", r.result),
            format!("{}：DKIM 署名なし（dkim={}）。", self.ja(), r.result),
        )
    }
}

/// Whether the receiver recorded a DMARC pass.
fn recorded_dmarc_pass(rec: &Recorded) -> bool {
    rec.dmarc
        .as_ref()
        .is_some_and(|d| matches!(&*d.result, "pass" | "success"))
}

/// The receiver's SPF result, weighed by whether DMARC passed anyway.
fn recorded_spf(f: &Facts<'_>, by: Recorder<'_>, out: &mut Vec<Finding>) {
    let rec = f.recorded;
    // DMARC passed through the other mechanism: an SPF problem then costs
    // reputation, not delivery.
    let dmarc_passed = recorded_dmarc_pass(rec);
    let spf_worst = if dmarc_passed {
        Severity::Warning
    } else {
        Severity::Error
    };
    if let Some(spf) = &rec.spf {
        let identity = spf
            .property("smtp", "mailfrom")
            .or_else(|| spf.property("smtp", "mail"))
            .or_else(|| spf.property("smtp", "helo"));
        let rule: Option<(FindingId, Severity, &str)> = match &*spf.result {
            "pass" => Some((
                FindingId::SpfPass,
                Severity::Pass,
                "The sending server is listed in the domain's SPF record.",
            )),
            "softfail" => Some((
                FindingId::SpfSoftfail,
                Severity::Warning,
                "The sending server's IP is not in the domain's SPF record, which ends in ~all. Add the server (its ip4:/ip6: or the provider's include:) to the record, or send through a server that is listed.",
            )),
            "fail" => Some((
                FindingId::SpfFail,
                spf_worst,
                "The SPF record says this IP must not send for the domain (-all). If the mail is legitimate, add the server to the record; if it was forwarded, see forwarding.",
            )),
            "none" => Some((
                FindingId::SpfNone,
                Severity::Warning,
                "The domain publishes no SPF record. Gmail requires SPF or DKIM for all senders and both for bulk senders: publish `v=spf1 … -all` listing your servers.",
            )),
            "neutral" => Some((
                FindingId::SpfNeutral,
                Severity::Info,
                "The SPF record makes no statement about this IP (?all). It counts like no SPF for DMARC.",
            )),
            "permerror" => Some((
                FindingId::SpfPermerror,
                spf_worst,
                spf_permerror_detail(spf_cause(spf)).0,
            )),
            "temperror" => Some((
                FindingId::SpfTemperror,
                Severity::Warning,
                "The receiver could not look up the SPF record at the time (DNS failure). If it persists, the domain's DNS hosting is at fault.",
            )),
            _ => None,
        };
        if let Some(rule) = rule {
            let (what, what_ja) = subject(identity, "the sender", "送信者");
            let mut found = by.finding("SPF", spf, what, &what_ja, rule);
            // The receiver's comment names the cause: the fix follows it.
            if found.id == "spf.permerror" {
                found.detail_ja = spf_permerror_detail(spf_cause(spf)).1;
            }
            // Gmail's "best guess record": no SPF record was found, the
            // result was guessed (mikel-078's pass, mikel-040's neutral).
            if matches!(&*spf.result, "pass" | "neutral")
                && words(spf).contains("best guess record")
            {
                let (en, ja) = crate::wording::catalogue::SPF_BEST_GUESS;
                found.detail = en.to_string();
                found.detail_ja = ja;
            }
            out.push(found);
        }
    }
}

/// Whether no receiving server judged this copy: nothing recorded by a
/// receiver (no Authentication-Results verdict, no Received-SPF), and no
/// hop crossed from one organisation into another's server: the hop where the
/// route meets the outside (every hop internal: the oldest relay) is a mail
/// client's authenticated submission (ESMTPA/ESMTPSA: the sender's own
/// copy, taken before its provider signed and sent it on; a local test
/// server), or Microsoft 365 filed the message as sent within one
/// organisation (`DIR:INT` in the receiver's X-Forefront-Antispam-Report),
/// or it is Outlook's MAPI submission to its Exchange server, or a client
/// on the server itself (loopback) that logged in (`auth_user`: XMail
/// writes X-AuthUser, not ESMTPA). A block without any hop (a draft) is
/// not asked about here, and a bounce's returned original was judged: the
/// receiver refused it.
pub(crate) fn unjudged(
    hops: &[Hop],
    boundary: Option<&TrustBoundary>,
    rec: &Recorded,
    verdicts: &[VendorVerdict],
    returned: bool,
    auth_user: bool,
) -> bool {
    let recorded = rec.chosen.is_some()
        || rec.received_spf.is_some()
        || rec.spf.is_some()
        || !rec.dkim.is_empty()
        || rec.dmarc.is_some()
        || rec.arc.is_some()
        || rec.compauth.is_some();
    if recorded || returned || hops.is_empty() {
        return false;
    }
    let internal_m365 = verdicts
        .iter()
        .find(|v| v.header.eq_ignore_ascii_case("x-forefront-antispam-report"))
        .is_some_and(|v| {
            v.items
                .iter()
                .any(|i| i.key.eq_ignore_ascii_case("dir") && i.value.eq_ignore_ascii_case("int"))
        });
    // The hop where the message came in: the one into the receiver, else
    // (every hop internal) the oldest relay. A route whose way in is not
    // recorded (hops without client addresses, relays between private
    // addresses after an unrecorded entry) is not called unjudged.
    let entry = match boundary {
        Some(b) => hops.iter().find(|h| h.index == b.hop),
        None => hops
            .iter()
            .filter(|h| h.kind == crate::trace::hops::HopKind::Relay)
            .min_by_key(|h| h.index),
    };
    internal_m365
        || entry.is_some_and(|h| {
            let loopback = h
                .from_ip
                .as_deref()
                .and_then(|ip| ip.parse::<std::net::IpAddr>().ok())
                .is_some_and(|ip| ip.is_loopback());
            h.authenticated
                || h.protocol
                    .as_deref()
                    .is_some_and(|p| p.eq_ignore_ascii_case("mapi"))
                || (loopback && auth_user)
        })
}

/// [`unjudged`] for a whole report.
pub(crate) fn unjudged_report(report: &crate::Report) -> bool {
    unjudged(
        &report.hops,
        report.trust_boundary.as_ref(),
        &report.auth.recorded,
        &report.verdicts,
        report.whole.is_bounce(),
        report
            .input
            .headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case("x-authuser")),
    )
}

/// The receiver's DKIM results, each weighed by whether another signature
/// carried the message.
fn recorded_dkim(f: &Facts<'_>, by: Recorder<'_>, out: &mut Vec<Finding>) {
    let rec = f.recorded;
    // A failing signature next to one that passed and carries the message
    // (aligned with From, or DMARC passed) is information: a second
    // signature the receiver could not use (an Ed25519 one it cannot
    // verify records permerror), or one a relay broke.
    let from = f.summary.from_domain.as_deref().unwrap_or_default();
    let dmarc_pass = recorded_dmarc_pass(rec);
    let carried = rec.dkim.iter().any(|d| {
        d.result == "pass"
            && (dmarc_pass
                || d.property("header", "d")
                    .or_else(|| d.property("header", "i"))
                    .is_some_and(|v| crate::header::text::likely_aligned(v, from)))
    });
    let any_pass = rec.dkim.iter().any(|d| d.result == "pass");
    let dmarc_fail = rec
        .dmarc
        .as_ref()
        .is_some_and(|d| matches!(&*d.result, "fail" | "failure"));
    // How much a signature that did not verify matters: not at all when an
    // aligned pass (or DMARC) carries the message; little when it is a
    // third party's next to another that passed; most when it was the
    // signature DMARC needed.
    let failed = |d: &MethodResult, worst: Severity| {
        let aligned = d
            .property("header", "d")
            .or_else(|| d.property("header", "i"))
            .is_some_and(|v| crate::header::text::likely_aligned(v, from));
        if carried || (any_pass && !aligned) {
            Severity::Info
        } else if dmarc_fail && !any_pass {
            worst
        } else {
            Severity::Warning
        }
    };
    for d in &rec.dkim {
        // header.i is an address (`@shop.example`): its domain.
        let domain = d
            .property("header", "d")
            .or_else(|| d.property("header", "i"))
            .map(|v| v.rsplit_once('@').map_or(v, |(_, d)| d))
            .filter(|v| !v.is_empty());
        let rule: Option<(FindingId, Severity, &str)> = match &*d.result {
            "pass" => Some((
                FindingId::DkimPass,
                Severity::Pass,
                "A DKIM signature verified.",
            )),
            // Yahoo's old `dkim=neutral (no sig)`: a message that carries no
            // signature has none to fail.
            "neutral" | "none" if f.dkim.is_empty() => Some((
                FindingId::DkimNone,
                Severity::Warning,
                "The message carries no DKIM signature. Gmail requires DKIM (or SPF) for all senders and DKIM for bulk senders: sign outgoing mail with your domain.",
            )),
            "fail" | "neutral" | "policy" => Some((
                FindingId::DkimFail,
                failed(d, Severity::Error),
                "A DKIM signature did not verify: the message was changed after signing (a mailing list footer, a rewritten Subject) or the published key does not match the signing key.",
            )),
            "temperror" => Some((
                FindingId::DkimTemperror,
                failed(d, Severity::Warning),
                "The receiver could not fetch the DKIM key at the time (DNS failure at receipt). Check that the key record resolves now; if it still fails, the DNS hosting is broken.",
            )),
            "permerror" => Some((
                FindingId::DkimPermerror,
                failed(d, Severity::Error),
                "The DKIM signature or its key record is malformed, or the key is missing.",
            )),
            "none" => Some((
                FindingId::DkimNone,
                Severity::Warning,
                "The message carries no DKIM signature. Gmail requires DKIM (or SPF) for all senders and DKIM for bulk senders: sign outgoing mail with your domain.",
            )),
            _ => None,
        };
        if let Some((id, severity, detail)) = rule {
            let (en, ja) = match domain {
                Some(domain) => by.said("DKIM", d, domain, &format!("{domain} ")),
                None if matches!(&*d.result, "none" | "neutral") => by.no_signature(d),
                None => by.said("DKIM", d, "a signature", "署名"),
            };
            let because = matches!(&*d.result, "fail" | "permerror" | "policy")
                .then(|| dkim_fail_detail(dkim_cause(d)))
                .flatten();
            let mut found = finding(
                id,
                severity,
                en,
                ja,
                because.map_or(detail, |b| b.0),
                vec![d.span],
            );
            // The receiver's reason says what went wrong (no key, a DNS
            // failure): the explanation follows it.
            if let Some((_, ja)) = because {
                found.detail_ja = ja;
            }
            out.push(found);
        }
    }
    // Servers add DKIM signatures as mail leaves them: a block no server
    // has handled (a draft, a copy from the Sent folder) has none yet.
    // So does a copy no receiving server took (the sender's own, an
    // internal delivery): its missing signature says nothing yet.
    if rec.dkim.is_empty() && f.dkim.is_empty() && !f.headers.is_empty() && f.traces > 0 {
        let auth_user = f.headers.count("x-authuser") > 0;
        if unjudged(f.hops, f.boundary, rec, f.verdicts, f.returned, auth_user) {
            let mut copy = finding(FindingId::DkimNone, Severity::Info, "The message has no DKIM-Signature, but no receiving server took this copy (only the sender's submission or internal hops), and servers sign mail as it leaves the organisation: nothing here shows whether its mail is signed.".to_string(),
                "DKIM-Signature ヘッダーはありませんが、この写しは受信サーバーに届いていません（送信時の認証済み接続か組織内の配送だけです）。DKIM 署名はふつう組織の外へ送り出すときに付くため、ここからは署名の有無を判断できません。".to_string(),
                "Check a copy as a receiver got it (the headers of the message in the recipient's mailbox).", vec![]);
            copy.detail_ja = "署名されているかどうかは、受信者のメールボックスに届いたメールのヘッダーで確認してください。";
            out.push(copy);
        } else {
            out.push(finding(FindingId::DkimNone, Severity::Warning, "The message has no DKIM-Signature.".to_string(),
                "DKIM-Signature ヘッダーがありません。".to_string(),
                "Without DKIM, DMARC can only pass through SPF, which breaks when mail is forwarded. Sign outgoing mail with your domain (d= equal to the From domain).", vec![]));
        }
    }
}

/// The receiver's DMARC result, weighed by its policy.
fn recorded_dmarc(f: &Facts<'_>, by: Recorder<'_>, out: &mut Vec<Finding>) {
    let rec = f.recorded;
    let something_passed = rec.spf.as_ref().is_some_and(|r| r.result == "pass")
        || rec.dkim.iter().any(|d| d.result == "pass");
    if let Some(dmarc) = &rec.dmarc {
        let rule: Option<(FindingId, Severity, &str)> = match &*dmarc.result {
            "pass" | "success" => Some((
                FindingId::DmarcPass,
                Severity::Pass,
                "SPF or DKIM passed for a domain aligned with the From domain.",
            )),
            "fail" | "failure" => Some((
                FindingId::DmarcFail,
                // Under p=none a failure is reported, not acted on; it
                // still costs delivery when nothing authenticated at all.
                if policy_none(dmarc) && something_passed {
                    Severity::Warning
                } else {
                    Severity::Error
                },
                crate::wording::catalogue::dmarc_fail_detail(policy_none(dmarc)).0,
            )),
            "none" => Some((
                FindingId::DmarcMissing,
                Severity::Warning,
                "The From domain publishes no DMARC record. Gmail and Yahoo require one (p=none at least) for bulk senders: publish `v=DMARC1; p=none; rua=mailto:…` at _dmarc.<domain>.",
            )),
            "temperror" => Some((
                FindingId::DmarcTemperror,
                Severity::Warning,
                "The receiver could not look up DMARC at the time (DNS failure).",
            )),
            "permerror" => Some((
                FindingId::DmarcPermerror,
                Severity::Error,
                "The DMARC record is malformed.",
            )),
            _ => None,
        };
        if let Some(rule) = rule {
            let domain = dmarc.property("header", "from");
            let (what, what_ja) = subject(domain, "the From domain", "From ドメイン");
            let fail = rule.0 == FindingId::DmarcFail;
            let mut found = by.finding("DMARC", dmarc, what, &what_ja, rule);
            if fail {
                found.detail_ja =
                    crate::wording::catalogue::dmarc_fail_detail(policy_none(dmarc)).1;
            }
            out.push(found);
        }
    }
}

/// One finding per vendor that judged the message spam, bulk or phishing,
/// with every header that says so as evidence.
fn vendor(f: &Facts<'_>, out: &mut Vec<Finding>) {
    if f.returned {
        return;
    }
    let mut vendors: Vec<&str> = Vec::new();
    for v in f.verdicts.iter().filter(|v| v.spam == Some(true)) {
        if !vendors.contains(&v.vendor) {
            vendors.push(v.vendor);
        }
    }
    for vendor in vendors {
        let said: Vec<&VendorVerdict> = f
            .verdicts
            .iter()
            .filter(|v| v.vendor == vendor && v.spam == Some(true))
            .collect();
        out.push(finding(
            FindingId::VendorSpamVerdict,
            Severity::Error,
            said.iter().map(|v| v.summary.as_str()).collect::<Vec<_>>().join(" "),
            said.iter().map(|v| v.summary_ja.as_str()).collect::<Vec<_>>().join(""),
            "The receiving filter itself recorded a spam, bulk or phishing verdict. The other findings show what it reacted to; fix those first. Reputation (complaints, blocklists) cannot be seen in headers.",
            said.iter().map(|v| v.span).collect(),
        ));
    }
}

fn from_display(f: &Facts<'_>, out: &mut Vec<Finding>) {
    let (Some(name), Some(address)) = (&f.summary.from_name, &f.summary.from) else {
        return;
    };
    let evidence = spans_of(f, "from");
    let control = |s: &str| s.chars().any(|c| c.is_control() && c != '\t');
    if f.from_encoded && (control(name) || control(address) || name.contains('@')) {
        out.push(finding(
            FindingId::FromEncodedWordAttack,
            Severity::Error,
            format!("The From header hides {} inside an encoded word (a Mailsploit-style spoof).", if control(name) || control(address) { "control characters (NUL, CR, LF)" } else { "an address" }),
            format!("From ヘッダーがエンコードされた語の中に{}を隠しています（Mailsploit 型のなりすまし）。", if control(name) || control(address) { "制御文字（NUL、CR、LF）" } else { "アドレス" }),
            "Encoded words may only carry display text. Control characters or an address inside one make some mail clients show a sender that is not the real one. Treat the message as forged.",
            evidence.clone(),
        ));
        return;
    }
    // A display name that shows another address: `"ceo@bank.example" <x@evil.example>`.
    let shown = name
        .split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '(' | ')'))
        .find(|w| w.contains('@') && w.contains('.'));
    if let Some(shown) = shown.filter(|s| !s.eq_ignore_ascii_case(address)) {
        out.push(finding(
            FindingId::FromDisplayNameAddress,
            Severity::Warning,
            format!("The From name shows the address {shown}, but the message is from {address}."),
            format!("From の表示名にアドレス {shown} が書かれていますが、実際の送信者は {address} です。"),
            "Mail clients that show only the name display an address the message did not come from, a common phishing trick. Senders: put a plain name in the display name.",
            evidence,
        ));
    }
}

/// Whether the receiver's own results authenticated the message without
/// ARC: it recorded DMARC pass, or an SPF or DKIM pass for a domain aligned
/// with From. ARC only matters when those fail after forwarding (RFC 8617
/// 1: it carries a forwarder's results for a receiver whose own checks
/// fail), so an ARC problem is then information, not a risk.
fn authenticated_without_arc(f: &Facts<'_>) -> bool {
    let rec = f.recorded;
    let from = f.summary.from_domain.as_deref().unwrap_or_default();
    let aligned = |r: &MethodResult, names: &[(&str, &str)]| {
        r.result == "pass"
            && names
                .iter()
                .find_map(|(ptype, name)| r.property(ptype, name))
                .is_some_and(|v| crate::header::text::likely_aligned(v, from))
    };
    recorded_dmarc_pass(rec)
        || rec
            .spf
            .as_ref()
            .is_some_and(|r| aligned(r, &[("smtp", "mailfrom"), ("smtp", "mail")]))
        || rec
            .dkim
            .iter()
            .any(|r| aligned(r, &[("header", "d"), ("header", "i")]))
}

fn arc(f: &Facts<'_>, out: &mut Vec<Finding>) {
    let rec = f.recorded;
    let (severity, moot, moot_ja) = if authenticated_without_arc(f) {
        (
            Severity::Info,
            " It does not matter here: the receiver's own SPF/DKIM/DMARC results passed without ARC.",
            "受信サーバー自身の SPF・DKIM・DMARC の結果が ARC なしで合格しているため、このメールには影響しません。",
        )
    } else {
        (Severity::Warning, "", "")
    };
    if !rec.arc_problems.is_empty() {
        let evidence = rec
            .arc_sets
            .iter()
            .flat_map(|s| {
                [
                    s.results_span,
                    s.signature.as_ref().and_then(|t| t.span),
                    s.seal.as_ref().and_then(|t| t.span),
                ]
            })
            .flatten()
            .collect();
        out.push(finding(
            FindingId::ArcStructure,
            severity,
            format!("The ARC chain is malformed: {}.{moot}", rec.arc_problems.join("; ")),
            format!(
                "ARC チェーンの形式が不正です：{}。{moot_ja}",
                rec.arc_problems
                    .iter()
                    .map(|p| crate::wording::reasons::translate(p, crate::wording::Lang::Ja, &|v| v.to_string()))
                    .collect::<Vec<_>>()
                    .join("。")
            ),
            "A broken ARC chain cannot vouch for the authentication results of earlier hops, so receivers ignore it. The forwarder or list that added the faulty set should fix its ARC signing.",
            evidence,
        ));
    }
    if let Some(a) = rec.arc.as_ref().filter(|a| a.result == "fail") {
        out.push(finding(
            FindingId::ArcFail,
            severity,
            format!("The receiver recorded ARC fail{}.{moot}", note(a)),
            format!("受信サーバーが ARC fail と記録しました{}。{moot_ja}", note_ja(a)),
            "The ARC chain did not validate, so the receiver could not trust the forwarder's record of the original SPF/DKIM results.",
            vec![a.span],
        ));
    }
}

/// Headers that mark mail from a bulk or marketing sender (campaign ids of
/// email service providers). Feedback-ID is not one: Fastmail and Tencent
/// put it on every message.
const BULK_MARKERS: &[&str] = &[
    "x-campaign",
    "x-campaignid",
    "x-mailchimp-campaign",
    "x-mc-user",
    "x-sfmc-stack",
    "x-mailer-recptid",
    "x-sg-eid",
];

/// Headers of discussion-list software: a post to a list people write to
/// is not bulk mail (RFC 8058's one-click is asked of marketing and
/// subscribed bulk senders, and the list's own List-* links serve).
const DISCUSSION_MARKERS: &[&str] = &[
    "x-mailman-version",
    "x-mailman-rule-misses",
    "x-mailman-rule-hits",
    "x-google-group-id",
    "x-groupsio-url",
    "x-mailing-list",
    "mailing-list",
    "x-ml-name",
    "x-loop",
];

/// Whether the message is a post to a discussion list: a List-Post that
/// takes posts (not `NO`, the mark of an announcement list), or the
/// headers of Mailman, Google Groups, groups.io, mlmmj, public-inbox or
/// Japanese fml.
fn discussion_post(f: &Facts<'_>) -> bool {
    let list_post = f.headers.iter().any(|(n, s)| {
        n.eq_ignore_ascii_case("list-post")
            && !f
                .header_value(*s)
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("no") || v.trim().starts_with("NO "))
    });
    list_post
        || f.headers.iter().any(|(n, _)| {
            DISCUSSION_MARKERS.iter().any(|m| n.eq_ignore_ascii_case(m))
                || crate::header::text::starts_ci(n, "x-groupsio-")
        })
}

fn unsubscribe(f: &Facts<'_>, out: &mut Vec<Finding>) {
    if discussion_post(f) {
        return;
    }
    let bulk_headers: Vec<Span> = f
        .headers
        .iter()
        .filter(|(n, _)| {
            BULK_MARKERS.iter().any(|m| n.eq_ignore_ascii_case(m))
                || crate::header::text::starts_ci(n, "x-mailgun-")
                || n.eq_ignore_ascii_case("list-unsubscribe")
        })
        .map(|(_, s)| *s)
        .collect();
    let precedence_bulk = f.headers.iter().any(|(n, s)| {
        n.eq_ignore_ascii_case("precedence")
            && f.header_value(*s)
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("bulk"))
    });
    // Microsoft's bulk complaint level: 4 and up is bulk mail by its own
    // scale (0 not bulk; 1-3 bulk senders with few complaints).
    let microsoft_bulk = f.verdicts.iter().any(|v| {
        v.items
            .iter()
            .any(|i| i.key == "BCL" && i.value.parse::<i32>().is_ok_and(|b| b >= 4))
    });
    if bulk_headers.is_empty() && !precedence_bulk && !microsoft_bulk {
        return;
    }
    let s = f.summary;
    let https = s
        .list_unsubscribe
        .as_deref()
        .is_some_and(|v| v.to_ascii_lowercase().contains("<https://"));
    let post = s
        .list_unsubscribe_post
        .as_deref()
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("List-Unsubscribe=One-Click"));
    if https && post {
        out.push(finding(
            FindingId::UnsubscribeOneClick,
            Severity::Pass,
            "One-click unsubscribe (RFC 8058) is offered.".to_string(),
            "ワンクリック配信停止（RFC 8058）に対応しています。".to_string(),
            "List-Unsubscribe has an https link and List-Unsubscribe-Post: List-Unsubscribe=One-Click, as Gmail and Yahoo require of bulk senders.",
            spans_of(f, "list-unsubscribe"),
        ));
        return;
    }
    let (missing, missing_ja) = match (s.list_unsubscribe.is_some(), https, post) {
        (false, _, _) => (
            "no List-Unsubscribe header",
            "List-Unsubscribe ヘッダーがありません",
        ),
        (true, false, _) => (
            "List-Unsubscribe has no https link",
            "List-Unsubscribe に https のリンクがありません",
        ),
        _ => (
            "no List-Unsubscribe-Post: List-Unsubscribe=One-Click",
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click がありません",
        ),
    };
    out.push(finding(
        FindingId::UnsubscribeOneClickMissing,
        Severity::Warning,
        format!("This looks like bulk mail, but one-click unsubscribe is missing: {missing}."),
        format!("一斉配信メールのようですが、ワンクリック配信停止がありません：{missing_ja}。"),
        "Since February 2024 Gmail and Yahoo require bulk senders to offer one-click unsubscribe (RFC 8058): List-Unsubscribe: <https://…> plus List-Unsubscribe-Post: List-Unsubscribe=One-Click, both covered by the DKIM signature. Most ESPs have a setting for it.",
        if bulk_headers.is_empty() { spans_of(f, "precedence") } else { bulk_headers },
    ));
}

fn dkim_signatures(f: &Facts<'_>, out: &mut Vec<Finding>) {
    for sig in f.dkim {
        let d = sig.domain.as_deref().unwrap_or("?");
        if !sig.problems.is_empty() {
            // A signature without d= names no domain: no placeholder for it.
            let (for_d, d_no) = match sig.domain.as_deref() {
                Some(d) => (format!(" for {d}"), format!("{d} の ")),
                None => (String::new(), String::new()),
            };
            out.push(finding(FindingId::DkimSignatureMalformed, Severity::Error,
                format!("The DKIM-Signature{for_d} is malformed: {}.", sig.problems.join("; ")),
                format!("{d_no}DKIM-Signature の形式が不正です：{}。", sig.problems.join("; ")),
                "A signature with missing or unreadable tags cannot verify. Check the signing software's configuration.", vec![sig.span]));
        }
        if sig.algorithm.as_deref() == Some("rsa-sha1") {
            out.push(finding(FindingId::DkimWeakHash, Severity::Warning,
                format!("The DKIM signature for {d} uses rsa-sha1."),
                format!("{d} の DKIM 署名が rsa-sha1 を使っています。"),
                "RFC 8301 forbids rsa-sha1 for signing and verifiers may treat it as failed. Switch the signer to rsa-sha256 (or add an ed25519-sha256 signature).", vec![sig.span]));
        }
        if let Some(l) = sig.body_length {
            out.push(finding(FindingId::DkimBodyLength, Severity::Warning,
                format!("The DKIM signature for {d} covers only the first {l} bytes of the body (l=)."),
                format!("{d} の DKIM 署名は本文の先頭 {l} バイトしか対象にしていません（l=）。"),
                "With l=, anyone can append content to the body without breaking the signature; many receivers distrust such signatures. Remove l= from the signer's settings.", vec![sig.span]));
        }
        // Judged when the receiver took the message: a signature that ran
        // out later was valid when it mattered.
        let delivered = f.delivered_at.unwrap_or(f.now);
        if let Some(x) = sig.expires.filter(|x| *x < delivered) {
            out.push(finding(FindingId::DkimExpired, Severity::Warning,
                format!("The DKIM signature for {d} had expired (x={x}) before the message was delivered."),
                format!("{d} の DKIM 署名は、配信される前に有効期限（x={x}）が切れていました。"),
                "After x= a signature no longer verifies, so the receiver could not count it. Lengthen the signer's expiry (days, not minutes), and check the signing server's clock.", vec![sig.span]));
        } else if let Some(x) = sig.expires.filter(|x| *x < f.now) {
            let mut expired = finding(
                FindingId::DkimExpired,
                Severity::Info,
                format!(
                    "The DKIM signature for {d} expired (x={x}) after the message was delivered."
                ),
                format!("{d} の DKIM 署名の有効期限（x={x}）は、配信された後に切れました。"),
                "It was valid when the receiver checked it; a re-check today fails by design. Nothing to change.",
                vec![sig.span],
            );
            // The catalogue's fix is for a signature that expired in time to
            // matter; this one did not.
            expired.detail_ja = "受信サーバーが確認した時点では有効でした。今日の再チェックで不合格になるのは仕様どおりで、このメールについて変更は不要です。";
            out.push(expired);
        }
        if !sig.headers.is_empty() {
            match sig.signed_count("from") {
                0 => out.push(finding(FindingId::DkimFromNotSigned, Severity::Error,
                    format!("The DKIM signature for {d} does not sign the From header."),
                    format!("{d} の DKIM 署名が From ヘッダーを署名していません。"),
                    "RFC 6376 requires From in h=; verifiers reject signatures without it. Fix the signer's header list.", vec![sig.span])),
                // Advice to the signer: none when the signing is a
                // provider's (gmail.com, a tenant's onmicrosoft.com key).
                1 if crate::diagnose::providers::provider_signs(d) => {}
                1 => out.push(finding(FindingId::DkimNotOversigned, Severity::Info,
                    format!("The DKIM signature for {d} lists From only once in h=."),
                    format!("{d} の DKIM 署名は h= に From を 1 回しか書いていません。"),
                    "Listing From (and Subject, To) one more time than present (oversigning) stops anyone from adding a second From without breaking the signature.", vec![sig.span])),
                _ => {}
            }
        }
    }
}
