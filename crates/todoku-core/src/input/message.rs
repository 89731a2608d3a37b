//! The raw message as the signature checks see it: header fields as exact
//! bytes (line ends made CRLF, as on the wire) and the body, when there is one.
//!
//! DKIM and ARC hash bytes, not parsed values, so they work from this view
//! rather than from the decoded headers the rest of the report uses.

/// One header field, exactly as in the input apart from line ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawField {
    /// The field name as written (no trailing white space).
    pub name: String,
    /// The whole field: name, colon, value, folding, final CRLF.
    pub raw: Vec<u8>,
}

impl RawField {
    /// The bytes after the colon, folding included, without the final CRLF.
    pub fn value(&self) -> &[u8] {
        let start = self
            .raw
            .iter()
            .position(|&b| b == b':')
            .map_or(self.raw.len(), |i| i + 1);
        let end = self.raw.len().saturating_sub(2).max(start);
        self.raw.get(start..end).unwrap_or_default()
    }
}

/// Header fields top first, and the body if the input had one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawMessage {
    /// Every header field, top first.
    pub fields: Vec<RawField>,
    /// The body with CRLF line ends; `None` for a pasted header block.
    pub body: Option<Vec<u8>>,
}

/// Split header bytes into fields and body. A line starting with white space
/// continues the field above; the first empty line ends the header.
pub fn split(bytes: &[u8]) -> RawMessage {
    let mut message = RawMessage::default();
    let mut rest = bytes;
    while !rest.is_empty() {
        let (line, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (
                rest.get(..i).unwrap_or_default(),
                rest.get(i + 1..).unwrap_or_default(),
            ),
            None => (rest, &[][..]),
        };
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            message.body = body(next);
            return message;
        }
        let continuation = matches!(line.first(), Some(b' ' | b'\t'));
        match message.fields.last_mut() {
            Some(field) if continuation => {
                field.raw.extend_from_slice(line);
                field.raw.extend_from_slice(b"\r\n");
            }
            _ => {
                let name_end = line.iter().position(|&b| b == b':').unwrap_or(line.len());
                let name = String::from_utf8_lossy(line.get(..name_end).unwrap_or_default())
                    .trim_end()
                    .to_string();
                let mut raw = line.to_vec();
                raw.extend_from_slice(b"\r\n");
                message.fields.push(RawField { name, raw });
            }
        }
        rest = next;
    }
    message
}

/// The body as signatures hash it (CRLF line ends), or `None` when there is
/// nothing but white space after the blank line.
pub(crate) fn body(after_blank_line: &[u8]) -> Option<Vec<u8>> {
    (!after_blank_line.iter().all(u8::is_ascii_whitespace)).then(|| crlf(after_blank_line))
}

/// Bare LF line ends made CRLF (CR already before LF is kept).
fn crlf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 32);
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
        assert_eq!(m.fields.len(), 2);
        assert_eq!(m.fields[0].raw, b"A: 1\r\n  2\r\n");
        assert_eq!(m.fields[0].value(), b" 1\r\n  2");
        assert_eq!(m.fields[1].name, "B");
        assert_eq!(m.body.as_deref(), Some(&b"line\r\nend\r\n"[..]));
    }

    #[test]
    fn a_header_block_alone_has_no_body() {
        assert_eq!(split(b"A: 1\n").body, None);
        assert_eq!(split(b"A: 1\n\n\n").body, None);
    }
}
