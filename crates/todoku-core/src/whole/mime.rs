//! A small MIME walker (RFC 2045/2046): the parts of a message and where
//! each one is in the input, nothing decoded. It finds what the whole-input
//! stage needs (`multipart/report`, `message/delivery-status`,
//! `text/rfc822-headers`, `message/rfc822` at any depth); the header
//! readers stay the judges of what the headers say.
//!
//! Own code rather than mail-parser: mail-parser 1.0.1 with its default
//! features off added 76.7 KB gzipped to the page (293,277 → 369,951 bytes
//! measured), because its structured header parsers and charset tables are
//! chosen at run time and all linked; the walk below is a boundary split and
//! two Content-Type parameters.
//!
//! The bytes must have their lone CRs turned into LFs first
//! ([`lf_lines`]): same length, so every offset is an offset into the input.

use std::borrow::Cow;

use crate::header::fields;
use crate::input::OffsetMap;
use crate::span::Span;

/// At most this many parts are listed (a larger tree is cut, not refused).
pub(crate) const MAX_PARTS: usize = 256;
/// Containers opened at most (a deeper part stays a leaf).
pub(crate) const MAX_DEPTH: usize = 12;

/// One MIME entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    /// `type/subtype`, ASCII lowercase; `text/plain` when not given.
    pub(crate) ctype: String,
    /// The `report-type` parameter of a `multipart/report`.
    pub(crate) report_type: Option<String>,
    /// The header block, from its first field to the start of the body.
    pub(crate) header: Span,
    /// The body as written (before the line break of the next delimiter).
    pub(crate) body: Span,
    /// base64 or quoted-printable: the body's bytes are not its text.
    pub(crate) encoded: bool,
    /// quoted-printable: [`qp_decode`] gives its text.
    pub(crate) qp: bool,
    /// The `charset` parameter of a `text/*` part, as written.
    pub(crate) charset: Option<String>,
    /// The `number` parameter of a `message/partial` part (which piece).
    pub(crate) number: Option<String>,
    /// Containers above it (the message itself is at 0).
    pub(crate) depth: usize,
}

impl Part {
    pub(crate) fn is(&self, ctype: &str) -> bool {
        self.ctype == ctype
    }
}

/// `input` with every CR that is not followed by LF made an LF (old Mac
/// files): same length, borrowed when there is none.
pub(crate) fn lf_lines(input: &[u8]) -> Cow<'_, [u8]> {
    let lone = |&i: &usize| input.get(i + 1) != Some(&b'\n');
    if !memchr::memchr_iter(b'\r', input).any(|i| lone(&i)) {
        return Cow::Borrowed(input);
    }
    let mut copy = input.to_vec();
    for i in memchr::memchr_iter(b'\r', input).filter(lone) {
        if let Some(b) = copy.get_mut(i) {
            *b = b'\n';
        }
    }
    Cow::Owned(copy)
}

/// A quoted-printable body decoded (RFC 2045 6.7: `=XX` octets, `=` at a
/// line end a soft break), with the map of the decoded offsets into the
/// input (`bytes` starts at `base`): two bytes or so per `=`, not an
/// offset per byte. A malformed `=` stays as written.
pub(crate) fn qp_decode(bytes: &[u8], base: usize) -> (Vec<u8>, OffsetMap) {
    let mut out = Vec::with_capacity(bytes.len());
    let escapes = memchr::memchr_iter(b'=', bytes).count();
    let mut map = OffsetMap::starting(base, 2 * escapes + 16);
    let mut delta: isize = 0;
    let hex = |b: u8| (b as char).to_digit(16);
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'=' {
            let rest = bytes.get(i + 1..).unwrap_or_default();
            // A soft line break: `=`, optional white space, the line end.
            let pad = rest
                .iter()
                .take_while(|c| **c == b' ' || **c == b'\t')
                .count();
            let soft = match rest.get(pad..) {
                Some([b'\r', b'\n', ..]) => Some(pad + 3),
                Some([b'\n', ..]) => Some(pad + 2),
                _ => None,
            };
            if let Some(skip) = soft {
                i += skip;
                delta += skip as isize;
                map.push(out.len(), delta);
                continue;
            }
            if let (Some(h), Some(l)) = (
                rest.first().and_then(|c| hex(*c)),
                rest.get(1).and_then(|c| hex(*c)),
            ) {
                out.push((h * 16 + l) as u8);
                i += 3;
                delta += 2;
                map.push(out.len(), delta);
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    (out, map)
}

/// What was wrong with a MIME tree, each read so that nothing readable is
/// lost.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Damage {
    /// A multipart body never met its close delimiter: its last part runs
    /// to the end.
    pub(crate) unclosed: bool,
    /// A multipart had no boundary parameter, or no line of its body used
    /// it: the body was read as one text part.
    pub(crate) no_boundary: bool,
    /// Containers nested deeper than [`MAX_DEPTH`]: the deepest one's body
    /// was read as one text part.
    pub(crate) too_deep: bool,
    /// More than [`MAX_PARTS`] parts: the rest were not listed.
    pub(crate) too_many: bool,
}

/// The parts of the message in `bytes` (see [`lf_lines`]), in document
/// order, the message itself first.
#[cfg(test)]
pub(crate) fn walk(bytes: &[u8]) -> Vec<Part> {
    walk_noting(bytes, 0, bytes.len(), 0).0
}

/// The parts of a message that starts at `start` in `bytes` and runs to
/// `end` (one carried inside a text part), `depth` containers deep, and
/// what was wrong with its tree.
pub(crate) fn walk_noting(
    bytes: &[u8],
    start: usize,
    end: usize,
    depth: usize,
) -> (Vec<Part>, Damage) {
    let mut out = Vec::new();
    let mut damage = Damage::default();
    entity(
        bytes,
        start,
        end,
        depth,
        "text/plain",
        &mut out,
        &mut damage,
    );
    (out, damage)
}

/// A body read as one text part (a multipart that cannot be split).
fn text_leaf(start: usize, end: usize, depth: usize, out: &mut Vec<Part>) {
    out.push(Part {
        ctype: "text/plain".to_string(),
        report_type: None,
        header: Span { start, end: start },
        body: Span { start, end },
        encoded: false,
        qp: false,
        charset: None,
        number: None,
        depth,
    });
}

/// The value of parameter `name` (lowercase) in a Content-Type value:
/// `; name=token` or `; name="quoted \" string"`.
pub(crate) fn param(value: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(value);
    let mut chars = text.chars().peekable();
    // Skip the type: parameters start after the first `;`.
    for c in chars.by_ref() {
        if c == ';' {
            break;
        }
    }
    loop {
        let mut key = String::new();
        for c in chars.by_ref() {
            if c == '=' {
                break;
            }
            key.push(c);
        }
        while chars.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            chars.next();
        }
        let mut val = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => val.extend(chars.next()),
                    c => val.push(c),
                }
            }
            for c in chars.by_ref() {
                if c == ';' {
                    break;
                }
            }
        } else {
            for c in chars.by_ref() {
                if c == ';' {
                    break;
                }
                val.push(c);
            }
        }
        let key = key.trim().trim_start_matches(';').trim();
        if key.eq_ignore_ascii_case(name) {
            let val = val.trim();
            return (!val.is_empty()).then(|| val.to_string());
        }
        chars.peek()?;
    }
}

/// `type/subtype` of a Content-Type value, lowercased.
fn media_type(value: &[u8]) -> String {
    let end = memchr::memchr(b';', value).unwrap_or(value.len());
    let text = String::from_utf8_lossy(value.get(..end).unwrap_or_default());
    let mut t: String = text.split_whitespace().collect();
    t.make_ascii_lowercase();
    t
}

/// The line ends at or after `at`: (start of the next line, end of this
/// line's text).
fn line_at(bytes: &[u8], at: usize, end: usize) -> (usize, usize) {
    let rest = bytes.get(at..end).unwrap_or_default();
    match memchr::memchr(b'\n', rest) {
        Some(i) => {
            let text_end = if i > 0 && rest.get(i - 1) == Some(&b'\r') {
                at + i - 1
            } else {
                at + i
            };
            (at + i + 1, text_end)
        }
        None => (end, end),
    }
}

/// The entity in `bytes[start..end]`.
fn entity(
    bytes: &[u8],
    start: usize,
    end: usize,
    depth: usize,
    default: &str,
    out: &mut Vec<Part>,
    damage: &mut Damage,
) {
    if out.len() >= MAX_PARTS {
        damage.too_many = true;
        return;
    }
    let slice = bytes.get(start..end).unwrap_or_default();
    let (mut ctype_value, mut cte): (Option<&[u8]>, Option<&[u8]>) = (None, None);
    let mut split = fields::split(slice);
    for f in split.by_ref() {
        if f.raw_name.eq_ignore_ascii_case("Content-Type") {
            ctype_value = Some(f.value);
        } else if f.raw_name.eq_ignore_ascii_case("Content-Transfer-Encoding") {
            cte = Some(f.value);
        }
    }
    let body_start = start + split.end();
    let ctype = ctype_value
        .map(media_type)
        .filter(|t| t.contains('/'))
        .unwrap_or_else(|| default.to_string());
    let cte = cte.map(|v| String::from_utf8_lossy(v).trim().to_ascii_lowercase());
    let qp = cte.as_deref() == Some("quoted-printable");
    let encoded = qp || cte.as_deref() == Some("base64");
    let report_type = ctype_value
        .filter(|_| ctype == "multipart/report")
        .and_then(|v| param(v, "report-type"))
        .map(|t| t.to_ascii_lowercase());
    let boundary = ctype_value
        .filter(|_| ctype.starts_with("multipart/"))
        .and_then(|v| param(v, "boundary"));
    out.push(Part {
        ctype: ctype.clone(),
        report_type,
        header: Span {
            start,
            end: body_start,
        },
        body: Span {
            start: body_start.min(end),
            end,
        },
        encoded,
        qp,
        charset: ctype_value
            .filter(|_| ctype.starts_with("text/"))
            .and_then(|v| param(v, "charset")),
        number: ctype_value
            .filter(|_| ctype == "message/partial")
            .and_then(|v| param(v, "number")),
        depth,
    });
    let body_start = body_start.min(end);
    let multipart = ctype.starts_with("multipart/");
    let message = (ctype == "message/rfc822" || ctype == "message/global") && !encoded;
    if depth >= MAX_DEPTH {
        // Not opened: its body is read as text (a bounce's words, a quoted
        // header block are still found in it).
        if (multipart || message) && out.len() < MAX_PARTS {
            damage.too_deep = true;
            text_leaf(body_start, end, depth + 1, out);
        }
        return;
    }
    if multipart {
        let (parts, closed) = match &boundary {
            Some(b) => children(bytes, body_start, end, b.as_bytes()),
            None => (Vec::new(), false),
        };
        if parts.is_empty() {
            damage.no_boundary = true;
            if out.len() < MAX_PARTS {
                text_leaf(body_start, end, depth + 1, out);
            }
            return;
        }
        damage.unclosed |= !closed;
        let child_default = if ctype == "multipart/digest" {
            "message/rfc822"
        } else {
            "text/plain"
        };
        for (s, e) in parts {
            entity(bytes, s, e, depth + 1, child_default, out, damage);
        }
    } else if message {
        entity(bytes, body_start, end, depth + 1, "text/plain", out, damage);
    }
}

/// The body parts between `--boundary` lines in `bytes[start..end]`: each
/// from after its delimiter line to before the line break of the next one.
/// Without a close delimiter the last part runs to `end` (and `false`
/// says so).
fn children(
    bytes: &[u8],
    start: usize,
    end: usize,
    boundary: &[u8],
) -> (Vec<(usize, usize)>, bool) {
    let region = bytes.get(start..end).unwrap_or_default();
    let mut close = Vec::with_capacity(boundary.len() + 4);
    close.extend_from_slice(b"--");
    close.extend_from_slice(boundary);
    close.extend_from_slice(b"--");
    // A body that never closes its declared boundary but has delimiter lines
    // whose boundary differs from it by a character or two (a bounce writer's
    // counter, sisimai-084's `.0000000/` then `.0000007/`) is split at those
    // too, as mail readers do, when no part declares that other boundary.
    let mut near = (!crate::input::contains(region, &close)).then_some(NearBoundary {
        bytes,
        boundary,
        accepted: None,
        tries: 0,
    });
    let mut parts = Vec::new();
    let mut open: Option<usize> = None;
    let mut at = start;
    while at < end {
        let (next, text_end) = line_at(bytes, at, end);
        let line = bytes.get(at..text_end).unwrap_or_default();
        let after = line.strip_prefix(b"--").and_then(|rest| {
            rest.strip_prefix(boundary)
                .or_else(|| near.as_mut().and_then(|n| n.strip(rest)))
        });
        if let Some(after) = after {
            let close = after.starts_with(b"--");
            let tail = if close {
                after.get(2..).unwrap_or_default()
            } else {
                after
            };
            if tail.iter().all(|b| matches!(b, b' ' | b'\t')) {
                if let Some(s) = open.take() {
                    // The line break before the delimiter belongs to it.
                    let mut e = at;
                    if e > s && bytes.get(e - 1) == Some(&b'\n') {
                        e -= 1;
                        if e > s && bytes.get(e - 1) == Some(&b'\r') {
                            e -= 1;
                        }
                    }
                    parts.push((s, e.max(s)));
                }
                if close {
                    return (parts, true);
                }
                open = Some(next);
            }
        }
        at = next;
    }
    if let Some(s) = open {
        parts.push((s, end.max(s)));
    }
    (parts, false)
}

/// A delimiter whose boundary is a near miss of the declared one.
struct NearBoundary<'a> {
    bytes: &'a [u8],
    boundary: &'a [u8],
    /// The near miss taken (one per body).
    accepted: Option<Vec<u8>>,
    /// Candidates looked for among the declarations (each a scan of the
    /// input): a few at most, so a hostile body stays linear.
    tries: u8,
}

impl NearBoundary<'_> {
    /// `rest` (a line after its `--`) without its boundary, when that
    /// boundary has the declared one's length, differs from it in one or two
    /// bytes, and is declared by no part (`boundary=` it, quoted or not).
    fn strip<'r>(&mut self, rest: &'r [u8]) -> Option<&'r [u8]> {
        let n = self.boundary.len();
        let candidate = rest.get(..n)?;
        if let Some(taken) = &self.accepted {
            return (taken.as_slice() == candidate)
                .then(|| rest.get(n..))
                .flatten();
        }
        let differ = candidate
            .iter()
            .zip(self.boundary)
            .filter(|(a, b)| a != b)
            .count();
        if n < 8 || differ == 0 || differ > 2 || self.tries >= 4 {
            return None;
        }
        self.tries += 1;
        let declared = |quote: &[u8]| {
            let mut needle = b"boundary=".to_vec();
            needle.extend_from_slice(quote);
            needle.extend_from_slice(candidate);
            needle.extend_from_slice(quote);
            crate::input::contains(self.bytes, &needle)
        };
        if declared(b"\"") || declared(b"") {
            return None;
        }
        self.accepted = Some(candidate.to_vec());
        rest.get(n..)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_near_miss_boundary_splits_an_unclosed_body_but_not_a_declared_one() {
        // sisimai-084's shape: declared `b.0000000/x`, the last part opened
        // and closed with `b.0000007/x`.
        let msg = b"Content-Type: multipart/report; boundary=\"b.0000000/x\"\n\n--b.0000000/x\n\nsorry\n--b.0000000/x\nContent-Type: message/delivery-status\n\nStatus: 5.1.1\n\n--b.0000007/x\nContent-Type: text/rfc822-headers\n\nSubject: hi\n\n--b.0000007/x--\n";
        let types: Vec<String> = walk(msg).into_iter().map(|p| p.ctype).collect();
        assert_eq!(
            types,
            [
                "multipart/report",
                "text/plain",
                "message/delivery-status",
                "text/rfc822-headers"
            ]
        );
        // A nested multipart whose boundary is declared is not taken for
        // the outer one's, however alike the two strings are.
        let nested = b"Content-Type: multipart/mixed; boundary=\"Part_0_aaaa\"\n\n--Part_0_aaaa\nContent-Type: multipart/alternative; boundary=\"Part_1_aaaa\"\n\n--Part_1_aaaa\n\nplain\n--Part_1_aaaa--\n";
        let parts = walk(nested);
        assert_eq!(parts.len(), 3, "{parts:?}");
        assert_eq!(parts[1].ctype, "multipart/alternative");
        assert_eq!(parts[2].depth, 2);
    }

    fn text(bytes: &[u8], s: Span) -> &str {
        std::str::from_utf8(&bytes[s.start..s.end]).unwrap()
    }

    #[test]
    fn params_are_read_quoted_or_not() {
        let v = b" multipart/report; report-type=delivery-status;\r\n\tboundary=\"a\\\"b; c\"";
        assert_eq!(param(v, "report-type").as_deref(), Some("delivery-status"));
        assert_eq!(param(v, "boundary").as_deref(), Some("a\"b; c"));
        assert_eq!(param(b" text/plain", "boundary"), None);
    }

    #[test]
    fn a_report_splits_into_its_parts_at_any_line_ending() {
        for eol in ["\n", "\r\n", "\r"] {
            let msg = "From: a@b\nContent-Type: multipart/report; report-type=delivery-status; boundary=XX\n\npreamble\n--XX\nContent-Type: text/plain\n\nsorry\n--XX\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx\n\nFinal-Recipient: rfc822; u@x\nStatus: 5.1.1\n--XX\nContent-Type: message/rfc822\n\nSubject: hi\nFrom: me@y\n\nbody\n--XX--\n"
                .replace('\n', eol);
            let norm = lf_lines(msg.as_bytes());
            let parts = walk(&norm);
            let types: Vec<&str> = parts.iter().map(|p| p.ctype.as_str()).collect();
            assert_eq!(
                types,
                [
                    "multipart/report",
                    "text/plain",
                    "message/delivery-status",
                    "message/rfc822",
                    "text/plain"
                ],
                "{eol:?}"
            );
            assert_eq!(parts[0].report_type.as_deref(), Some("delivery-status"));
            assert_eq!(text(msg.as_bytes(), parts[1].body), "sorry");
            let nested = &parts[4];
            assert_eq!(nested.depth, 2);
            assert!(text(msg.as_bytes(), nested.header).starts_with("Subject: hi"));
            assert_eq!(text(msg.as_bytes(), nested.body), "body");
        }
    }

    #[test]
    fn unterminated_and_encoded_parts_stay_leaves() {
        let msg = b"Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\nU3ViamVjdDogaGkK\n";
        let parts = walk(msg);
        assert_eq!(parts.len(), 2);
        assert!(parts[1].encoded);
        assert_eq!(text(msg, parts[1].body), "U3ViamVjdDogaGkK\n");
    }

    #[test]
    fn quoted_printable_soft_breaks_and_octets_are_decoded_with_offsets() {
        let body = b"ERROR_CODE :5.1.=\r\n1 <a@b.example> charset=3D\"UTF-8\" =E3=81=AB =\nx";
        let (text, map) = qp_decode(body, 100);
        assert_eq!(
            text,
            "ERROR_CODE :5.1.1 <a@b.example> charset=\"UTF-8\" に x".as_bytes()
        );
        // `1` after the soft break is at its place in the body.
        assert_eq!(map.offset(16), 100 + 19);
        assert_eq!(body[19], b'1');
        // `"` after `=3D`, `x` after the last soft break, and the end.
        let quote = text.iter().position(|b| *b == b'"').unwrap();
        assert_eq!(body[map.offset(quote) - 100], b'"');
        assert_eq!(body[map.offset(text.len() - 1) - 100], b'x');
        assert_eq!(map.offset(text.len()), 100 + body.len());
        // A lone `=` not followed by hex stays.
        assert_eq!(qp_decode(b"a=zz", 0).0, b"a=zz");
    }

    #[test]
    fn deep_nesting_is_cut_not_followed() {
        let mut msg = String::new();
        for i in 0..100 {
            msg.push_str(&format!(
                "Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n"
            ));
        }
        let (parts, damage) = walk_noting(msg.as_bytes(), 0, msg.len(), 0);
        // The containers opened, then the deepest one's body as text.
        assert_eq!(parts.len(), MAX_DEPTH + 2);
        let last = parts.last().unwrap();
        assert_eq!(
            (last.ctype.as_str(), last.depth),
            ("text/plain", MAX_DEPTH + 1)
        );
        assert!(msg[last.body.start..].starts_with("--b12\n"));
        assert!(damage.too_deep && !damage.no_boundary);
    }

    #[test]
    fn a_multipart_without_a_usable_boundary_is_one_text_part() {
        for ctype in ["multipart/mixed", "multipart/mixed; boundary=zz"] {
            let msg = format!("Content-Type: {ctype}\n\n<a@b.example>: 550 5.1.1 unknown\n");
            let (parts, damage) = walk_noting(msg.as_bytes(), 0, msg.len(), 0);
            assert_eq!(parts.len(), 2, "{ctype}");
            assert_eq!(parts[1].ctype, "text/plain");
            assert!(msg[parts[1].body.start..].starts_with("<a@b.example>"));
            assert!(damage.no_boundary && !damage.unclosed, "{ctype}");
        }
        // An unclosed body is split and said so.
        let msg = "Content-Type: multipart/mixed; boundary=zz\n\n--zz\n\none\n--zz\n\ntwo\n";
        let (parts, damage) = walk_noting(msg.as_bytes(), 0, msg.len(), 0);
        assert_eq!(parts.len(), 3);
        assert!(damage.unclosed && !damage.no_boundary);
    }
}
