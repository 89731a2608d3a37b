//! The header block split into fields (RFC 5322 section 2.2): a line that
//! does not start with white space starts a field, `Name:` then the value;
//! the lines after it that do (folding) continue it; the first empty line
//! ends the block. Offsets are kept so every finding can point at its bytes.
//!
//! The block comes from [`crate::input::prepare`], which has already made a
//! messy paste regular. What is left to tolerate: white space before a name
//! (skipped), white space before the colon (`Subject :`, trimmed), a line
//! with no colon (skipped with its folded lines, each of which may start a
//! field of its own), and a line of nothing but white space, which ends the
//! block where no field is open and folds into the field above otherwise.

use std::borrow::Cow;

/// The fields the report reads by name; the rest are [`Name::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Name {
    From,
    Sender,
    ReplyTo,
    ReturnPath,
    Date,
    Subject,
    MessageId,
    Received,
    XReceived,
    ReceivedSpf,
    AuthenticationResults,
    ArcAuthenticationResults,
    ArcMessageSignature,
    ArcSeal,
    DkimSignature,
    Other,
}

const KNOWN: [(&str, Name); 15] = [
    ("from", Name::From),
    ("sender", Name::Sender),
    ("reply-to", Name::ReplyTo),
    ("return-path", Name::ReturnPath),
    ("date", Name::Date),
    ("subject", Name::Subject),
    ("message-id", Name::MessageId),
    ("received", Name::Received),
    ("x-received", Name::XReceived),
    ("received-spf", Name::ReceivedSpf),
    ("authentication-results", Name::AuthenticationResults),
    ("arc-authentication-results", Name::ArcAuthenticationResults),
    ("arc-message-signature", Name::ArcMessageSignature),
    ("arc-seal", Name::ArcSeal),
    ("dkim-signature", Name::DkimSignature),
];

impl Name {
    fn of(name: &str) -> Name {
        KNOWN
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
            .map_or(Name::Other, |(_, n)| *n)
    }
}

/// One header field of the block.
#[derive(Debug, Clone)]
pub(crate) struct Field<'a> {
    /// The name as written, white space before the colon trimmed.
    pub(crate) raw_name: Cow<'a, str>,
    pub(crate) name: Name,
    /// Offset of the name's first byte.
    pub(crate) start: usize,
    /// Offset just after the colon.
    pub(crate) value_start: usize,
    /// Offset just after the field's last line end.
    pub(crate) end: usize,
    /// The value: after the colon to the end, folding and the last line end
    /// included.
    pub(crate) value: &'a [u8],
}

/// The fields of `block`, top first, and the offset where the block ended
/// (after its blank line, or the end of `block`).
pub(crate) fn split(block: &[u8]) -> (Vec<Field<'_>>, usize) {
    // Sized for a typical header: one field per ~80 bytes.
    let mut fields: Vec<Field<'_>> = Vec::with_capacity(block.len() / 80 + 4);
    // Whether the field above can still take folded lines.
    let mut open = false;
    let mut at = 0;
    while at < block.len() {
        let rest = block.get(at..).unwrap_or_default();
        let next = memchr::memchr(b'\n', rest).map_or(block.len(), |i| at + i + 1);
        let line = block.get(at..next).unwrap_or_default();
        let folded = matches!(line.first(), Some(b' ' | b'\t'));
        if folded && open {
            if let Some(field) = fields.last_mut() {
                field.end = next;
                field.value = block.get(field.value_start..next).unwrap_or_default();
            }
            at = next;
            continue;
        }
        let skip = line
            .iter()
            .take_while(|&&b| matches!(b, b' ' | b'\t' | b'\r' | b'\x0c'))
            .count();
        match line.get(skip) {
            None => return (fields, block.len()),
            Some(b'\n') => return (fields, next),
            Some(_) => {}
        }
        let start = at + skip;
        open = match field_name(line.get(skip..).unwrap_or_default()) {
            Some((name_len, colon)) => {
                let raw = block.get(start..start + name_len).unwrap_or_default();
                let raw_name = String::from_utf8_lossy(raw);
                fields.push(Field {
                    name: Name::of(&raw_name),
                    raw_name,
                    start,
                    value_start: start + colon + 1,
                    end: next,
                    value: block.get(start + colon + 1..next).unwrap_or_default(),
                });
                true
            }
            // Not a field: its folded lines are each tried as a field.
            None => false,
        };
        at = next;
    }
    (fields, block.len())
}

/// (length of the trimmed name, offset of the colon) of a field line.
/// Colons at the very start belong to the name, as a reader that looks for
/// the first colon after at least one byte would have it.
fn field_name(line: &[u8]) -> Option<(usize, usize)> {
    let lead = line.iter().take_while(|&&b| b == b':').count();
    let rest = line.get(lead..).unwrap_or_default();
    let colon =
        lead + memchr::memchr2(b':', b'\n', rest).filter(|&i| rest.get(i) == Some(&b':'))?;
    let name = line.get(..colon).unwrap_or_default();
    let len = name
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(0, |i| i + 1);
    (len > 0).then_some((len, colon))
}

/// The last field named `name` (as the header's final say: a field added
/// on top by a forwarder does not replace the original below it).
pub(crate) fn last<'f, 'a>(fields: &'f [Field<'a>], name: Name) -> Option<&'f Field<'a>> {
    fields.iter().rev().find(|f| f.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(block: &[u8]) -> Vec<String> {
        split(block)
            .0
            .iter()
            .map(|f| f.raw_name.to_string())
            .collect()
    }

    #[test]
    fn fields_keep_their_folding_and_offsets() {
        let block = b"Subject: a\r\n b\r\nFrom : x@y\r\n\r\nbody: no\r\n";
        let (fields, end) = split(block);
        assert_eq!(end, 30);
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[0].name, Name::Subject);
        assert_eq!(fields[0].value, b" a\r\n b\r\n");
        assert_eq!(
            (fields[0].start, fields[0].value_start, fields[0].end),
            (0, 8, 16)
        );
        assert_eq!(fields[1].raw_name, "From");
        assert_eq!(fields[1].name, Name::From);
        assert_eq!(fields[1].value, b" x@y\r\n");
    }

    #[test]
    fn lines_without_a_colon_are_skipped_and_blank_lines_end_the_block() {
        assert_eq!(names(b"A: 1\nnot a field\n  B: 2\nC: 3\n"), ["A", "B", "C"]);
        assert_eq!(names(b"A: 1\n \nB: 2\n"), ["A", "B"]);
        assert_eq!(names(b"no colon\n \nB: 2\n"), Vec::<String>::new());
        assert_eq!(names(b"::x: 1\n: 2\n\x0cY: 3"), ["::x", "Y"]);
        assert_eq!(split(b"A: 1\n \n").0[0].value, b" 1\n \n");
    }

    #[test]
    fn the_last_of_a_name_is_found_in_any_case() {
        let (fields, _) = split(b"DATE: 1\nX: 2\ndate: 3\n");
        assert_eq!(
            last(&fields, Name::Date).map(|f| f.value),
            Some(&b" 3\n"[..])
        );
        assert!(last(&fields, Name::From).is_none());
    }
}
