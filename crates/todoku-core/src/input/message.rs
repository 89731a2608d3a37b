//! The raw message as the signature checks see it: header fields as exact
//! bytes and the body, when there is one.
//!
//! DKIM and ARC hash bytes, not parsed values, so they work from this view
//! rather than from the decoded headers the rest of the report uses. The
//! header block is borrowed from the input when it can be: its line ends
//! are made CRLF (as on the wire) only as a field is hashed or read
//! ([`RawField::value`], `auth::dkim::canon::header`), so the view costs
//! no copy of a header block the report holds a decoded copy of (issue 19
//! item 3: a From name of 8-bit bytes read in windows-1252 is two bytes of
//! text per byte, and a copy of the block beside it passed 3x the input).

use std::borrow::Cow;

/// One header field, exactly as in the input: a view into its
/// [`RawMessage`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawField<'a> {
    /// The field name as written (no trailing white space).
    pub name: Cow<'a, str>,
    /// The whole field as written: name, colon, value, folding, final line
    /// end. Its line ends may be bare LFs (and the last line of a block
    /// without a blank line may have none): [`crlf_lines`] gives them as
    /// on the wire.
    pub raw: &'a [u8],
}

impl<'a> RawField<'a> {
    /// The bytes after the colon, folding included (line ends CRLF),
    /// without the final line end. Borrowed when the field's line ends are
    /// CRLF already.
    pub fn value(&self) -> Cow<'a, [u8]> {
        let value_of = |raw: &[u8]| -> (usize, usize) {
            let start = raw
                .iter()
                .position(|&b| b == b':')
                .map_or(raw.len(), |i| i + 1);
            let end = raw.len().saturating_sub(2).max(start);
            (start, end)
        };
        let raw = self.raw;
        if is_crlf(raw) {
            let (start, end) = value_of(raw);
            return Cow::Borrowed(raw.get(start..end).unwrap_or_default());
        }
        let mut wire = Vec::new();
        crlf_lines(raw, &mut wire);
        let (start, end) = value_of(&wire);
        wire.truncate(end);
        wire.drain(..start.min(end));
        Cow::Owned(wire)
    }
}

/// Whether `bytes` is already as [`crlf_lines`] gives it: every line ends
/// in CRLF, the last one included.
fn is_crlf(bytes: &[u8]) -> bool {
    (bytes.is_empty() || bytes.ends_with(b"\n"))
        && memchr::memchr_iter(b'\n', bytes).all(|i| i > 0 && bytes.get(i - 1) == Some(&b'\r'))
}

/// `bytes` appended to `out` line by line as on the wire: each line
/// (without its LF and one CR before it) followed by CRLF, a last line
/// without a line end too. A field already in that form is appended
/// unchanged.
pub fn crlf_lines(bytes: &[u8], out: &mut Vec<u8>) {
    let mut rest = bytes;
    while !rest.is_empty() {
        let (line, next) = match memchr::memchr(b'\n', rest) {
            Some(i) => (
                rest.get(..i).unwrap_or_default(),
                rest.get(i + 1..).unwrap_or_default(),
            ),
            None => (rest, &[][..]),
        };
        out.extend_from_slice(line.strip_suffix(b"\r").unwrap_or(line));
        out.extend_from_slice(b"\r\n");
        rest = next;
    }
}

/// Header fields top first, and the body if the input had one.
///
/// The fields are kept as the header block, borrowed from the input when
/// no repair copied it, and read from it as they are asked for
/// ([`RawMessage::fields`]): a block of a million fields costs no million
/// allocations, and no copy (issue 19 item 3).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawMessage<'a> {
    /// The header fields one after another, line ends as written.
    head: Cow<'a, [u8]>,
    /// The body with CRLF line ends; `None` for a pasted header block.
    pub body: Option<Vec<u8>>,
}

impl<'a> RawMessage<'a> {
    /// Every header field, top first.
    pub fn fields(&self) -> Fields<'_> {
        Fields {
            head: &self.head,
            at: 0,
        }
    }

    /// The same message owning its header block.
    pub fn into_owned(self) -> RawMessage<'static> {
        RawMessage {
            head: Cow::Owned(self.head.into_owned()),
            body: self.body,
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
        let line = rest.get(..first - start).unwrap_or_default();
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
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

/// Where the header ends in `bytes`: the length of the header lines and
/// where the body starts (after the blank line), if there is a blank line.
fn header_end(bytes: &[u8]) -> (usize, Option<usize>) {
    let mut at = 0;
    while at < bytes.len() {
        let rest = bytes.get(at..).unwrap_or_default();
        let (line, next) = match memchr::memchr(b'\n', rest) {
            Some(i) => (rest.get(..i).unwrap_or_default(), at + i + 1),
            None => (rest, bytes.len()),
        };
        if line.strip_suffix(b"\r").unwrap_or(line).is_empty() {
            return (at, Some(next));
        }
        at = next;
    }
    (bytes.len(), None)
}

/// [`split`], taking over `bytes` when it is a copy (a repaired paste: no
/// second copy of it is made).
pub(crate) fn split_cow(bytes: Cow<'_, [u8]>) -> RawMessage<'_> {
    match bytes {
        Cow::Borrowed(bytes) => split(bytes),
        Cow::Owned(mut head) => {
            let (head_end, body_start) = header_end(&head);
            let body = body_start.and_then(|at| head.get(at..)).and_then(body);
            head.truncate(head_end);
            RawMessage {
                head: Cow::Owned(head),
                body,
            }
        }
    }
}

/// Split header bytes into fields and body. A line starting with white space
/// continues the field above; the first empty line ends the header. The
/// header is borrowed from `bytes`.
pub fn split(bytes: &[u8]) -> RawMessage<'_> {
    let (head_end, body_start) = header_end(bytes);
    RawMessage {
        head: Cow::Borrowed(bytes.get(..head_end).unwrap_or_default()),
        body: body_start.and_then(|at| bytes.get(at..)).and_then(body),
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
        // As written (bare LFs), read with CRLF line ends.
        assert_eq!(fields[0].raw, b"A: 1\n  2\n");
        let mut wire = Vec::new();
        crlf_lines(fields[0].raw, &mut wire);
        assert_eq!(wire, b"A: 1\r\n  2\r\n");
        assert_eq!(&*fields[0].value(), b" 1\r\n  2");
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
