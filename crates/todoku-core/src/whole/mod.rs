//! What the user gave, as a whole: one message, a bounce (a delivery status
//! notification, RFC 3464 in an RFC 6522 `multipart/report`, or a
//! non-delivery text as qmail, Exim, Exchange, Gmail or a Japanese carrier
//! writes it, with the original quoted), or a message carrying others as
//! `message/rfc822` attachments (forwarded as an attachment).
//!
//! The stage finds the message the report should be about and where it is
//! in the input; the pipeline analyses that one with the header readers,
//! its spans still pointing into the input. It takes the bytes as the user
//! gave them, after any container was opened (an Outlook `.msg` file's
//! transport headers, one message of an mbox), so those readers plug in
//! before it.

pub mod dsn;
pub(crate) mod mime;

use serde::Serialize;

use crate::header::charset::Legacy;
use crate::header::fields;
use crate::header::summary::Summary;
use crate::input::InputNote;
use crate::span::Span;
use dsn::Recipient;
use mime::Part;

/// What kind of input it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum WholeKind {
    /// One message (or a header block): the report is about it.
    #[default]
    Message,
    /// A bounce: the report is about the message that was rejected when
    /// the bounce carries its headers (`original`), else about the bounce.
    Bounce,
    /// A message carrying messages as attachments: the report is about
    /// the attachment `chosen`.
    Attached,
}

/// Where the original message of a bounce came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OriginalSource {
    /// A `message/rfc822` part: headers and body.
    MessageRfc822,
    /// A `text/rfc822-headers` part: headers only.
    Rfc822Headers,
    /// Quoted in the bounce's text.
    Quoted,
    /// The first piece of a `message/partial` (RFC 2046 5.2.2): the
    /// original's headers and the start of its body, the rest not returned.
    MessagePartial,
}

/// The original message of a bounce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Original {
    /// Where it came from.
    pub source: OriginalSource,
    /// Where it is in the input.
    pub span: Span,
}

/// A message attached to the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Attachment {
    /// Where it is in the input (its header block and body).
    pub span: Span,
    /// Its Subject, decoded.
    pub subject: Option<String>,
    /// Its From address.
    pub from: Option<String>,
}

/// The input as a whole, and which message the report is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Whole {
    /// One message, a bounce or a message with attached messages.
    pub kind: WholeKind,
    /// The part of the input the rest of the report analyses, when it is
    /// not the input itself (the original of a bounce, an attachment).
    pub analysed: Option<Span>,
    /// The outer message's summary (the bounce's From and Subject, or the
    /// message that carried the attachment) when the report is about
    /// another message.
    pub outer: Option<Summary>,
    /// Where the outer message's header block is.
    pub outer_header_block: Option<Span>,
    /// The server that wrote the bounce (Reporting-MTA).
    pub reporting_mta: Option<String>,
    /// The recipients the bounce reports on.
    pub recipients: Vec<Recipient>,
    /// The original message of a bounce, when the bounce carries its headers.
    pub original: Option<Original>,
    /// The attached messages, in order.
    pub attachments: Vec<Attachment>,
    /// Which attachment is analysed (an index into `attachments`).
    pub chosen: Option<usize>,
}

impl Whole {
    /// A bounce.
    pub fn is_bounce(&self) -> bool {
        self.kind == WholeKind::Bounce
    }
}

/// What [`classify`] found, before anything is analysed.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub(crate) kind: WholeKind,
    pub(crate) original: Option<Original>,
    pub(crate) attachments: Vec<Span>,
    /// The delivery-status part's body.
    pub(crate) dsn: Option<Span>,
    /// The text a plain-text bounce's recipients are read from.
    pub(crate) text: Option<Span>,
    /// The rest of that text after a quoted original in it.
    pub(crate) after: Option<Span>,
    /// That text is quoted-printable.
    pub(crate) text_qp: bool,
    /// That text's charset, when it is a legacy one.
    pub(crate) text_charset: Option<Legacy>,
    /// How the original's bytes are read (a quoted original in
    /// quoted-printable text, or behind `> ` marks).
    pub(crate) original_decoding: Decoding,
    /// What was wrong with the MIME tree, as the report notes it.
    pub(crate) notes: Vec<InputNote>,
}

/// The notes a damaged MIME tree gives: all of them when the tree was read
/// (a bounce, attached messages); for one message only a cut tree (a bounce
/// or an attachment may be below the cut).
fn notes(damage: mime::Damage, kind: WholeKind) -> Vec<InputNote> {
    let read = kind != WholeKind::Message;
    let mut notes = Vec::new();
    if damage.unclosed && read {
        notes.push(InputNote::MimeUnclosed);
    }
    if damage.no_boundary && read {
        notes.push(InputNote::MimeNoBoundary);
    }
    if damage.too_deep {
        notes.push(InputNote::MimeTooDeep {
            limit: mime::MAX_DEPTH,
        });
    }
    if damage.too_many {
        notes.push(InputNote::MimeTooManyParts {
            limit: mime::MAX_PARTS,
        });
    }
    notes
}

/// How a quoted original's bytes in the input become its header block.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decoding {
    /// As they are (indentation is the header readers' to remove).
    #[default]
    Raw,
    /// Quoted-printable text.
    Qp,
    /// Each line behind quote marks (`> `) this many bytes wide.
    Unquote(usize),
}

/// The bytes of the original at `span` in `bytes` as `decoding` reads them,
/// and the map of their offsets into `bytes`; `None` when they are read as
/// they are.
pub(crate) fn decode_original(
    bytes: &[u8],
    span: Span,
    decoding: Decoding,
) -> Option<(Vec<u8>, crate::input::OffsetMap)> {
    let raw = bytes.get(span.start..span.end)?;
    match decoding {
        Decoding::Raw => None,
        Decoding::Qp => Some(mime::qp_decode(raw, span.start)),
        Decoding::Unquote(width) => Some(unquote(raw, span.start, width)),
    }
}

/// `raw` (at `base` in the input) with up to `width` quote marks and
/// spaces taken off each line, and the map of its offsets into the input.
fn unquote(raw: &[u8], base: usize, width: usize) -> (Vec<u8>, crate::input::OffsetMap) {
    let mut out = Vec::with_capacity(raw.len());
    let lines = memchr::memchr_iter(b'\n', raw).count() + 1;
    let mut map = crate::input::OffsetMap::starting(base, 2 * lines + 16);
    let mut delta: isize = 0;
    let mut start = 0;
    while start < raw.len() {
        let end = memchr::memchr(b'\n', raw.get(start..).unwrap_or_default())
            .map_or(raw.len(), |i| start + i + 1);
        let line = raw.get(start..end).unwrap_or_default();
        let cut = line
            .iter()
            .take(width)
            .take_while(|b| matches!(b, b' ' | b'\t' | b'>'))
            .count();
        if cut > 0 {
            delta += cut as isize;
            map.push(out.len(), delta);
        }
        out.extend_from_slice(line.get(cut..).unwrap_or_default());
        start = end;
    }
    (out, map)
}

/// The most bytes scanned for a quoted header block (a bounce's text is
/// short; a quoted block starts near its top).
const QUOTE_SCAN: usize = 256 * 1024;

/// Classify `input` (`bounce`: the header readers took its header block
/// for a bounce's).
pub(crate) fn classify(input: &[u8], bounce: bool) -> Plan {
    let norm = mime::lf_lines(input);
    let (mut parts, mut damage) = mime::walk_noting(&norm, 0, norm.len(), 0);
    let Some(root) = parts.first() else {
        return Plan::default();
    };
    let report =
        root.is("multipart/report") && root.report_type.as_deref() == Some("delivery-status");
    let multipart_root = root.ctype.starts_with("multipart/") && root.ctype != "multipart/digest";
    let leaf = |p: &&Part| !p.encoded;
    let is_dsn =
        |p: &Part| p.is("message/delivery-status") || p.is("message/global-delivery-status");
    // A bounce carried whole in a text part (forwarded below a notice, an
    // mbox `From ` line before its header): its parts are read as if it
    // were attached, when it holds a delivery-status part.
    if !parts.iter().any(|p| !p.encoded && is_dsn(p)) {
        let carried = parts
            .iter()
            .filter(|p| !p.encoded && p.ctype == "text/plain")
            .take(4)
            .find_map(|p| {
                let start = embedded(&norm, p.body)?;
                let (inner, hurt) = mime::walk_noting(&norm, start, p.body.end, p.depth + 1);
                inner
                    .iter()
                    .any(|q| !q.encoded && is_dsn(q))
                    .then_some((inner, hurt))
            });
        if let Some((inner, hurt)) = carried {
            parts.extend(inner);
            damage.unclosed |= hurt.unclosed;
            damage.no_boundary |= hurt.no_boundary;
            damage.too_deep |= hurt.too_deep;
            damage.too_many |= hurt.too_many;
        }
    }
    let dsn = parts
        .iter()
        .filter(leaf)
        .find(|p| is_dsn(p))
        .map(|p| p.body);
    if bounce || dsn.is_some() || report {
        // The message the delivery-status part reports on: a returned
        // message, not one that holds the report (a bounce forwarded as an
        // attachment).
        let around =
            |p: &&Part| dsn.is_some_and(|d| p.body.start <= d.start && d.end <= p.body.end);
        let original = parts
            .iter()
            .filter(leaf)
            .filter(|p| p.depth >= 1)
            .filter(|p| !around(p))
            .find_map(|p| match p.ctype.as_str() {
                "message/rfc822" | "message/global" => Some(Original {
                    source: OriginalSource::MessageRfc822,
                    span: p.body,
                }),
                "text/rfc822-headers" | "text/global-headers" => Some(Original {
                    source: OriginalSource::Rfc822Headers,
                    span: p.body,
                }),
                // Only the first piece starts with the original's header;
                // a bounce writer that names no piece returns the first.
                "message/partial" if p.number.as_deref().is_none_or(|n| n.trim() == "1") => {
                    Some(Original {
                        source: OriginalSource::MessagePartial,
                        span: p.body,
                    })
                }
                _ => None,
            })
            .filter(|o| has_fields(&norm, o.span));
        // Quoted-printable text is read decoded (Zoho splits a status code
        // with a soft line break); base64 text is not read.
        let readable = |p: &&Part| !p.encoded || p.qp;
        let text_parts: Vec<&Part> = parts
            .iter()
            .filter(readable)
            .filter(|p| p.ctype == "text/plain" && (p.depth >= 1 || parts.len() == 1))
            .collect();
        let mut original_decoding = Decoding::Raw;
        let original = original.or_else(|| {
            let (span, decoding) = text_parts.iter().find_map(|p| quoted_in(&norm, p))?;
            original_decoding = decoding;
            Some(Original {
                source: OriginalSource::Quoted,
                span,
            })
        });
        // The bounce's own words: its first text part, up to the quoted
        // original when that is inside it.
        let first = text_parts.first();
        let text = first.map(|p| match original {
            Some(o) if o.span.start >= p.body.start && o.span.start <= p.body.end => Span {
                start: p.body.start,
                end: o.span.start,
            },
            _ => p.body,
        });
        // What follows a quoted original inside the same text.
        let after = first.and_then(|p| match original {
            Some(o)
                if o.source == OriginalSource::Quoted
                    && o.span.start >= p.body.start
                    && o.span.end < p.body.end =>
            {
                Some(Span {
                    start: o.span.end,
                    end: p.body.end,
                })
            }
            _ => None,
        });
        return Plan {
            kind: WholeKind::Bounce,
            original,
            attachments: Vec::new(),
            dsn,
            text,
            after,
            text_qp: first.is_some_and(|p| p.qp),
            text_charset: first
                .and_then(|p| p.charset.as_deref())
                .and_then(|c| Legacy::from_label(c.as_bytes())),
            original_decoding,
            notes: notes(damage, WholeKind::Bounce),
        };
    }
    if multipart_root {
        let attachments: Vec<Span> = parts
            .iter()
            .filter(leaf)
            .filter(|p| p.depth == 1 && (p.is("message/rfc822") || p.is("message/global")))
            .map(|p| p.body)
            .filter(|&s| has_fields(&norm, s))
            .collect();
        if !attachments.is_empty() {
            return Plan {
                kind: WholeKind::Attached,
                attachments,
                notes: notes(damage, WholeKind::Attached),
                ..Plan::default()
            };
        }
    }
    Plan {
        notes: notes(damage, WholeKind::Message),
        ..Plan::default()
    }
}

/// Whether `span` of `bytes` starts with header fields (blank lines before
/// them allowed).
fn has_fields(bytes: &[u8], span: Span) -> bool {
    let slice = bytes.get(span.start..span.end).unwrap_or_default();
    let start = slice
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(slice.len());
    fields::split(slice.get(start..).unwrap_or_default())
        .next()
        .is_some()
}

/// A message carried whole in the text at `region`: the start of a header
/// block (at the start of a line) with a `multipart/*` Content-Type that
/// names a boundary. Each block is read once: a block without one is
/// skipped whole.
fn embedded(bytes: &[u8], region: Span) -> Option<usize> {
    let end = region.end.min(region.start.saturating_add(QUOTE_SCAN));
    let mut at = region.start;
    while at < end {
        let (next, line) = line_of(bytes, at, end);
        if line.first().is_some_and(|b| !b.is_ascii_whitespace()) && field_line(line).is_some() {
            let block = bytes.get(at..region.end).unwrap_or_default();
            let mut split = fields::split(block);
            let (mut count, mut multipart) = (0usize, false);
            for f in split.by_ref() {
                count += 1;
                if f.raw_name.eq_ignore_ascii_case("Content-Type") {
                    let value = String::from_utf8_lossy(f.value).to_ascii_lowercase();
                    multipart = value.trim_start().starts_with("multipart/")
                        && mime::param(f.value, "boundary").is_some();
                }
            }
            if count >= 3 && multipart {
                return Some(at);
            }
            at = (at + split.end()).max(next);
            continue;
        }
        at = next;
    }
    None
}

/// Names a quoted original's header block has (two of them at least).
const MESSAGE_FIELDS: &[&str] = &[
    "received",
    "from",
    "subject",
    "message-id",
    "return-path",
    "date",
    "to",
    "mime-version",
    "dkim-signature",
];

/// Names of a delivery-status group: such a block is the bounce's report,
/// not the original.
const DSN_FIELDS: &[&str] = &[
    "reporting-mta",
    "final-recipient",
    "original-recipient",
    "action",
    "status",
    "diagnostic-code",
    "remote-mta",
    "received-from-mta",
    "arrival-date",
    "last-attempt-date",
    "will-retry-until",
];

/// `Name:` at the start of `line`: the length of the name.
fn field_line(line: &[u8]) -> Option<usize> {
    let colon = memchr::memchr(b':', line)?;
    let name = line.get(..colon)?;
    (!name.is_empty()
        && name.len() <= 64
        && name
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'))
    .then_some(colon)
}

/// A header block quoted in text part `part` of `bytes`, and how to read
/// it: a quoted-printable text is decoded first (its first
/// [`QUOTE_SCAN`] bytes), the span put back on the input.
fn quoted_in(bytes: &[u8], part: &Part) -> Option<(Span, Decoding)> {
    if !part.qp {
        let span = quoted(bytes, part.body)?;
        let first = bytes.get(span.start..span.end).unwrap_or_default();
        let width = first
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'>'))
            .count();
        let marks = first.get(..width).is_some_and(|p| p.contains(&b'>'));
        return Some((
            span,
            if marks {
                Decoding::Unquote(width)
            } else {
                Decoding::Raw
            },
        ));
    }
    let end = part
        .body
        .end
        .min(part.body.start.saturating_add(QUOTE_SCAN));
    let raw = bytes.get(part.body.start..end)?;
    let (decoded, map) = mime::qp_decode(raw, part.body.start);
    let found = quoted(
        &decoded,
        Span {
            start: 0,
            end: decoded.len(),
        },
    )?;
    let back = |k: usize| map.offset(k.min(decoded.len()));
    Some((
        Span {
            start: back(found.start),
            end: back(found.end),
        },
        Decoding::Qp,
    ))
}

/// A header block quoted in the text at `region`: at least three fields in
/// a row, two of them ones a message has, none of a delivery-status group,
/// and not the header of a bounce (From MAILER-DAEMON, Return-Path `<>`: a
/// forwarded bounce quotes its own header first). Indented blocks and
/// blocks behind `> ` marks count (the first line's are the block's). A
/// block whose delivery-status fields run on into the original's (a
/// forward that lost the report's part boundaries) is read from after them.
/// Each line is read at most twice: linear.
pub(crate) fn quoted(bytes: &[u8], region: Span) -> Option<Span> {
    let end = region.end.min(region.start.saturating_add(QUOTE_SCAN));
    let mut at = region.start;
    while at < end {
        let (next, line) = line_of(bytes, at, end);
        let indent = line
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'>'))
            .count();
        if let Some(len) = line.get(indent..).and_then(field_line)
            && len > 0
        {
            let prefix = line.get(..indent).unwrap_or_default();
            match block_at(bytes, at, prefix, region.end) {
                Ok(block_end) => {
                    return Some(Span {
                        start: at,
                        end: block_end,
                    });
                }
                Err(resume) => {
                    at = resume.max(next);
                    continue;
                }
            }
        }
        at = next;
    }
    None
}

/// (start of the next line, the line without its line end).
fn line_of(bytes: &[u8], at: usize, end: usize) -> (usize, &[u8]) {
    let rest = bytes.get(at..end).unwrap_or_default();
    match memchr::memchr(b'\n', rest) {
        Some(i) => {
            let line = rest.get(..i).unwrap_or_default();
            (at + i + 1, line.strip_suffix(b"\r").unwrap_or(line))
        }
        None => (end, rest),
    }
}

/// The end of the header block starting at `start` behind `prefix` (the
/// first line's indentation or quote marks), when it passes [`quoted`]'s
/// tests; else where to look next: after its last delivery-status field,
/// or past the block (a bounce's own header, too few fields).
fn block_at(bytes: &[u8], start: usize, prefix: &[u8], end: usize) -> Result<usize, usize> {
    let indent = prefix.len();
    let mut at = start;
    let (mut count, mut message, mut bad) = (0usize, 0usize, false);
    let mut dsn_after: Option<usize> = None;
    let mut seen: Vec<&[u8]> = Vec::new();
    let mut block_end = start;
    while at < end {
        let (next, line) = line_of(bytes, at, end);
        let body = line.get(indent..).unwrap_or_default();
        let lead_ok = line.get(..indent).is_some_and(|l| {
            l.iter().zip(prefix).all(|(b, p)| {
                if *p == b'>' {
                    *b == b'>'
                } else {
                    *b == b' ' || *b == b'\t'
                }
            })
        });
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            break;
        }
        if lead_ok && matches!(body.first(), Some(b' ' | b'\t')) && count > 0 {
            // A folded line.
        } else if let Some(len) = body.get(..).filter(|_| lead_ok).and_then(field_line) {
            let name = body.get(..len).unwrap_or_default();
            let value = body.get(len + 1..).unwrap_or_default();
            let lower = name.to_ascii_lowercase();
            let lower = lower.as_slice();
            count += 1;
            if DSN_FIELDS.iter().any(|n| n.as_bytes() == lower) {
                // The original may start after the report's fields.
                dsn_after = Some(next);
            }
            if MESSAGE_FIELDS.iter().any(|n| n.as_bytes() == lower) && !seen.contains(&name) {
                message += 1;
                seen.push(name);
            }
            let v = String::from_utf8_lossy(value).to_ascii_lowercase();
            if (lower == b"return-path" && v.trim() == "<>")
                || (lower == b"from" && (v.contains("mailer-daemon") || v.contains("postmaster@")))
            {
                bad = true;
            }
        } else {
            break;
        }
        block_end = next;
        at = next;
    }
    match dsn_after {
        _ if bad => Err(block_end),
        Some(after) => Err(after),
        None if count >= 3 && message >= 2 => Ok(block_end),
        None => Err(block_end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quoted_original_is_found_after_the_bounce_text() {
        let text = b"Hi. This is the qmail-send program.\n<a@b.example>:\n550 no such user (#5.1.1)\n\n--- Below this line is a copy of the message.\n\nReturn-Path: <me@example.jp>\nReceived: (qmail 1 invoked by uid 1); 1 Jan 2020\nSubject: hello\n  folded\nFrom: me@example.jp\n\nbody\n";
        let span = quoted(
            text,
            Span {
                start: 0,
                end: text.len(),
            },
        )
        .unwrap();
        let block = std::str::from_utf8(&text[span.start..span.end]).unwrap();
        assert!(block.starts_with("Return-Path: <me@example.jp>"), "{block}");
        assert!(block.ends_with("From: me@example.jp\n"), "{block}");
    }

    #[test]
    fn a_quoted_bounce_header_or_status_group_is_not_the_original() {
        let text = b"Return-Path: <>\nFrom: MAILER-DAEMON@x.example\nSubject: Undelivered\nDate: now\n\nReporting-MTA: dns; x\nFinal-Recipient: rfc822; a@b\nStatus: 5.1.1\n\nFrom: me@example.jp\nTo: a@b\nSubject: hi\n";
        let span = quoted(
            text,
            Span {
                start: 0,
                end: text.len(),
            },
        )
        .unwrap();
        assert!(text[span.start..].starts_with(b"From: me@example.jp"));
    }

    #[test]
    fn forwarded_as_attachment_lists_each_message() {
        let msg = b"From: desk@example.org\nSubject: Fwd: two\nContent-Type: multipart/mixed; boundary=z\n\n--z\n\nsee attached\n--z\nContent-Type: message/rfc822\n\nFrom: a@one.example\nSubject: one\n\nx\n--z\nContent-Type: message/rfc822\n\nFrom: b@two.example\nSubject: two\n\ny\n--z--\n";
        let plan = classify(msg, false);
        assert_eq!(plan.kind, WholeKind::Attached);
        assert_eq!(plan.attachments.len(), 2);
        let first = plan.attachments[0];
        assert!(msg[first.start..first.end].starts_with(b"From: a@one.example"));
    }

    #[test]
    fn a_single_message_stays_one() {
        let msg = b"From: a@b.example\nSubject: hi\nContent-Type: multipart/alternative; boundary=q\n\n--q\n\nhi\n--q--\n";
        assert_eq!(classify(msg, false).kind, WholeKind::Message);
    }
}
