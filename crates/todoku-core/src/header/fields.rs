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
    ListId,
    ListUnsubscribe,
    ListUnsubscribePost,
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

const KNOWN: [(&str, Name); 18] = [
    ("from", Name::From),
    ("sender", Name::Sender),
    ("reply-to", Name::ReplyTo),
    ("return-path", Name::ReturnPath),
    ("date", Name::Date),
    ("subject", Name::Subject),
    ("message-id", Name::MessageId),
    ("list-id", Name::ListId),
    ("list-unsubscribe", Name::ListUnsubscribe),
    ("list-unsubscribe-post", Name::ListUnsubscribePost),
    ("received", Name::Received),
    ("x-received", Name::XReceived),
    ("received-spf", Name::ReceivedSpf),
    ("authentication-results", Name::AuthenticationResults),
    ("arc-authentication-results", Name::ArcAuthenticationResults),
    ("arc-message-signature", Name::ArcMessageSignature),
    ("arc-seal", Name::ArcSeal),
    ("dkim-signature", Name::DkimSignature),
];

/// How many names [`Last`] keeps: the first entries of [`KNOWN`], the
/// single-instance fields whose last occurrence the summary reads.
const KEPT: usize = 10;

impl Name {
    fn of(name: &str) -> Name {
        KNOWN
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
            .map_or(Name::Other, |(_, n)| *n)
    }

    /// The slot of a name [`Last`] keeps: the kept names come first in the
    /// enum, in [`KNOWN`]'s order (a test checks), so it is the variant's
    /// index.
    fn kept(self) -> Option<usize> {
        let slot = self as usize;
        (slot < KEPT).then_some(slot)
    }
}

/// One header field of the block.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field<'a> {
    /// The name as written, white space before the colon trimmed (U+FFFD
    /// when it is not UTF-8, which `input::prepare` lets through only on a
    /// paste's first line).
    pub(crate) raw_name: &'a str,
    pub(crate) name: Name,
    /// Offset of the name's first byte.
    pub(crate) start: usize,
    /// Offset just after the colon.
    pub(crate) value_start: usize,
    /// The value: after the colon to the end, folding and the last line end
    /// included.
    pub(crate) value: &'a [u8],
}

impl Field<'_> {
    /// Offset just after the field's last line end.
    pub(crate) fn end(&self) -> usize {
        self.value_start + self.value.len()
    }
}

/// The fields of a header block, top first, read as they are asked for (no
/// list of them is kept: a large paste costs no memory for it).
#[derive(Debug, Clone)]
pub(crate) struct Fields<'a> {
    block: &'a [u8],
    at: usize,
    /// Where the block ended (after its blank line, or the end of
    /// `block`), once the fields are all read.
    end: Option<usize>,
}

/// The fields of `block`.
pub(crate) fn split(block: &[u8]) -> Fields<'_> {
    Fields {
        block,
        at: 0,
        end: None,
    }
}

impl Fields<'_> {
    /// Offset where the block ended: after its blank line, or the end of the
    /// block (read to the end first if needed).
    pub(crate) fn end(&mut self) -> usize {
        while self.end.is_none() && self.next().is_some() {}
        self.end.unwrap_or(self.block.len())
    }

    fn line_end(&self, at: usize) -> usize {
        let rest = self.block.get(at..).unwrap_or_default();
        memchr::memchr(b'\n', rest).map_or(self.block.len(), |i| at + i + 1)
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = Field<'a>;

    fn next(&mut self) -> Option<Field<'a>> {
        let block = self.block;
        while self.end.is_none() {
            let at = self.at;
            let next = self.line_end(at);
            let line = block.get(at..next).unwrap_or_default();
            let skip = line
                .iter()
                .take_while(|&&b| matches!(b, b' ' | b'\t' | b'\r' | b'\x0c'))
                .count();
            match line.get(skip) {
                None => self.end = Some(block.len()),
                Some(b'\n') => self.end = Some(next),
                Some(_) => {}
            }
            if self.end.is_some() {
                break;
            }
            self.at = next;
            let start = at + skip;
            // Not a field: each of its folded lines is tried as a field.
            let Some((name_len, colon)) = field_name(line.get(skip..).unwrap_or_default()) else {
                continue;
            };
            // The lines after it that start with white space fold into it.
            let mut end = next;
            while matches!(block.get(end), Some(b' ' | b'\t')) {
                end = self.line_end(end);
            }
            self.at = end;
            let raw = block.get(start..start + name_len).unwrap_or_default();
            let raw_name = std::str::from_utf8(raw).unwrap_or("\u{fffd}");
            let value_start = start + colon + 1;
            return Some(Field {
                raw_name,
                name: Name::of(raw_name),
                start,
                value_start,
                value: block.get(value_start..end).unwrap_or_default(),
            });
        }
        None
    }
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

/// The last field of each name the summary reads (the header's final say:
/// a field added on top by a forwarder does not replace the original below
/// it), noted while the fields are read.
#[derive(Debug, Default)]
pub(crate) struct Last<'a> {
    fields: [Option<Field<'a>>; KEPT],
}

impl<'a> Last<'a> {
    /// Keep `field` if it is one of the names kept.
    pub(crate) fn note(&mut self, field: &Field<'a>) {
        if let Some(slot) = field.name.kept().and_then(|i| self.fields.get_mut(i)) {
            *slot = Some(*field);
        }
    }

    /// The last field named `name`.
    pub(crate) fn get(&self, name: Name) -> Option<&Field<'a>> {
        self.fields.get(name.kept()?)?.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(block: &[u8]) -> Vec<String> {
        split(block).map(|f| f.raw_name.to_string()).collect()
    }

    #[test]
    fn fields_keep_their_folding_and_offsets() {
        let block = b"Subject: a\r\n b\r\nFrom : x@y\r\n\r\nbody: no\r\n";
        let mut split = split(block);
        let fields: Vec<_> = split.by_ref().collect();
        assert_eq!(split.end(), 30);
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[0].name, Name::Subject);
        assert_eq!(fields[0].value, b" a\r\n b\r\n");
        assert_eq!(
            (fields[0].start, fields[0].value_start, fields[0].end()),
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
        assert_eq!(
            split(b"A: 1\n \n").next().map(|f| f.value),
            Some(&b" 1\n \n"[..])
        );
        assert_eq!(split(b"A: 1\n").end(), 5);
        assert_eq!(names(b"X-\xff: 1\n"), ["\u{fffd}"]);
    }

    #[test]
    fn kept_names_are_the_first_of_known_in_enum_order() {
        for (i, (name, n)) in KNOWN.iter().enumerate() {
            assert_eq!(Name::of(name), *n);
            assert_eq!(n.kept(), (i < KEPT).then_some(i), "{name}");
        }
        assert_eq!(Name::Other.kept(), None);
    }

    #[test]
    fn the_last_of_a_name_is_kept_in_any_case() {
        let mut last = Last::default();
        for f in split(b"DATE: 1\nX: 2\ndate: 3\nReceived: 4\n") {
            last.note(&f);
        }
        assert_eq!(last.get(Name::Date).map(|f| f.value), Some(&b" 3\n"[..]));
        assert!(last.get(Name::From).is_none());
        assert!(last.get(Name::Received).is_none(), "not a kept name");
    }
}
