//! The raw message as the signature checks see it: header fields as exact
//! bytes (line ends made CRLF, as on the wire) and the body, when there is one.
//!
//! DKIM and ARC hash bytes, not parsed values, so they work from this view
//! rather than from the decoded headers the rest of the report uses.

use std::borrow::Cow;

/// One header field, exactly as in the input apart from line ends: a view
/// into its [`RawMessage`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawField<'a> {
    /// The field name as written (no trailing white space).
    pub name: Cow<'a, str>,
    /// The whole field: name, colon, value, folding, final CRLF.
    pub raw: &'a [u8],
}

impl<'a> RawField<'a> {
    /// The bytes after the colon, folding included, without the final CRLF.
    pub fn value(&self) -> &'a [u8] {
        let raw = self.raw;
        let start = raw
            .iter()
            .position(|&b| b == b':')
            .map_or(raw.len(), |i| i + 1);
        let end = raw.len().saturating_sub(2).max(start);
        raw.get(start..end).unwrap_or_default()
    }
}

/// Header fields top first, and the body if the input had one.
///
/// The fields are kept as one copy of the header block (line ends made
/// CRLF) and read from it as they are asked for ([`RawMessage::fields`]):
/// a block of a million fields costs one copy of its bytes, not a million
/// allocations (issue 19 item 3).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawMessage {
    /// The header fields one after another, each line ending in CRLF.
    head: Vec<u8>,
    /// The body with CRLF line ends; `None` for a pasted header block.
    pub body: Option<Vec<u8>>,
}

impl RawMessage {
    /// Every header field, top first.
    pub fn fields(&self) -> Fields<'_> {
        Fields {
            head: &self.head,
            at: 0,
        }
    }
}

/// The fields of a [`RawMessage`], top first.
#[derive(Debug, Clone)]
pub struct Fields<'a> {
    head: &'a [u8],
    at: usize,
}

impl<'a> Iterator for Fields<'a> {
    type Item = RawField<'a>;

    fn next(&mut self) -> Option<RawField<'a>> {
        let head = self.head;
        let start = self.at;
        let rest = head.get(start..).filter(|r| !r.is_empty())?;
        let line_end = |from: usize| {
            head.get(from..)
                .and_then(|r| memchr::memchr(b'\n', r))
                .map_or(head.len(), |i| from + i + 1)
        };
        let first = line_end(start);
        // The lines after it that start with white space fold into it.
        let mut end = first;
        while matches!(head.get(end), Some(b' ' | b'\t')) {
            end = line_end(end);
        }
        self.at = end;
        let line = rest
            .get(..first - start)
            .unwrap_or_default()
            .strip_suffix(b"\r\n")
            .unwrap_or_default();
        let name_end = line.iter().position(|&b| b == b':').unwrap_or(line.len());
        let name = match String::from_utf8_lossy(line.get(..name_end).unwrap_or_default()) {
            Cow::Borrowed(name) => Cow::Borrowed(name.trim_end()),
            Cow::Owned(name) => Cow::Owned(name.trim_end().to_string()),
        };
        Some(RawField {
            name,
            raw: head.get(start..end).unwrap_or_default(),
        })
    }
}

/// [`split`], taking over `bytes` when it is a copy whose header lines all
/// end in CRLF already (a repaired paste: no second copy of it is made).
pub(crate) fn split_cow(bytes: Cow<'_, [u8]>) -> RawMessage {
    let Cow::Owned(mut head) = bytes else {
        return split(&bytes);
    };
    // The header's end (its blank line) if every line up to it ends CRLF.
    let mut at = 0;
    let end = loop {
        let Some(lf) = head.get(at..).and_then(|r| memchr::memchr(b'\n', r)) else {
            break None;
        };
        let line_end = at + lf;
        if line_end == at || (line_end == at + 1 && head.get(at) == Some(&b'\r')) {
            // The blank line.
            break Some((at, line_end + 1));
        }
        if line_end == 0 || head.get(line_end - 1) != Some(&b'\r') {
            return split(&head);
        }
        at = line_end + 1;
    };
    let Some((head_end, body_start)) = end else {
        return split(&head);
    };
    let body = head.get(body_start..).and_then(body);
    head.truncate(head_end);
    RawMessage { head, body }
}

/// Split header bytes into fields and body. A line starting with white space
/// continues the field above; the first empty line ends the header.
pub fn split(bytes: &[u8]) -> RawMessage {
    // The header lines, without their line ends, up to the blank line.
    let lines = || {
        let mut rest = bytes;
        std::iter::from_fn(move || {
            if rest.is_empty() {
                return None;
            }
            let (line, next) = match memchr::memchr(b'\n', rest) {
                Some(i) => (
                    rest.get(..i).unwrap_or_default(),
                    rest.get(i + 1..).unwrap_or_default(),
                ),
                None => (rest, &[][..]),
            };
            rest = next;
            Some((line.strip_suffix(b"\r").unwrap_or(line), next))
        })
    };
    // Sized first: one allocation, never grown.
    let (mut size, mut after) = (0usize, None);
    for (line, next) in lines() {
        if line.is_empty() {
            after = Some(next);
            break;
        }
        size += line.len() + 2;
    }
    let mut head = Vec::with_capacity(size);
    for (line, _) in lines() {
        if line.is_empty() {
            break;
        }
        head.extend_from_slice(line);
        head.extend_from_slice(b"\r\n");
    }
    RawMessage {
        head,
        body: after.and_then(body),
    }
}

/// The body as signatures hash it (CRLF line ends), or `None` when there is
/// nothing but white space after the blank line.
pub(crate) fn body(after_blank_line: &[u8]) -> Option<Vec<u8>> {
    (!after_blank_line.iter().all(u8::is_ascii_whitespace)).then(|| crlf(after_blank_line))
}

/// Bare LF line ends made CRLF (CR already before LF is kept).
fn crlf(bytes: &[u8]) -> Vec<u8> {
    // Sized exactly: grown by doubling, a body of short lines would briefly
    // be held three times over.
    let bare = memchr::memchr_iter(b'\n', bytes)
        .filter(|&i| i == 0 || bytes.get(i - 1) != Some(&b'\r'))
        .count();
    let mut out = Vec::with_capacity(bytes.len() + bare);
    let mut previous = 0u8;
    for &b in bytes {
        if b == b'\n' && previous != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        previous = b;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_join_their_field_and_the_body_is_crlf() {
        let m = split(b"A: 1\n  2\nB:x\r\n\nline\nend\n");
        let fields: Vec<RawField<'_>> = m.fields().collect();
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[0].raw, b"A: 1\r\n  2\r\n");
        assert_eq!(fields[0].value(), b" 1\r\n  2");
        assert_eq!(fields[1].name, "B");
        assert_eq!(m.body.as_deref(), Some(&b"line\r\nend\r\n"[..]));
    }

    #[test]
    fn a_copy_taken_over_splits_as_a_borrowed_block_does() {
        for bytes in [
            &b"A: 1\r\n  2\r\nB:x\r\n\r\nline\r\n"[..],
            b"A: 1\r\nB: 2\r\n\nbody",
            b"A: 1\nB: 2\r\n\r\n",
            b"A: 1\r\nB: 2\r\n",
            b"A: 1\r\nB: 2",
            b"A: x\r\r\n\r\n",
            b"\r\nA: 1\r\n",
            b"",
            b" lead: x\r\nA:1\r\n\r\n",
        ] {
            assert_eq!(
                split_cow(Cow::Owned(bytes.to_vec())),
                split(bytes),
                "{:?}",
                String::from_utf8_lossy(bytes)
            );
            assert_eq!(split_cow(Cow::Borrowed(bytes)), split(bytes));
        }
    }

    #[test]
    fn a_header_block_alone_has_no_body() {
        assert_eq!(split(b"A: 1\n").body, None);
        assert_eq!(split(b"A: 1\n\n\n").body, None);
    }
}
