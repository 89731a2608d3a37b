//! Making a pasted header block parseable without losing track of the
//! user's bytes.
//!
//! People paste what their client shows them: Gmail's "Show original" page
//! with its summary box on top, webmail copies that lost the indentation of
//! folded lines, HTML-escaped text, a sentence before the headers, old Mac
//! line ends. [`prepare`] returns the header block rewritten for parsing, an
//! [`OffsetMap`] back to the original input (every span in the report is an
//! offset into what the user gave), and notes saying what was changed.

use serde::Serialize;

use crate::Span;

/// What [`prepare`] changed, so the user knows what was analysed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum InputNote {
    /// Text before the first header was skipped.
    SkippedLeadingText {
        /// Lines skipped.
        lines: usize,
    },
    /// Gmail's "Show original" summary box was skipped.
    SkippedGmailSummary {
        /// Lines skipped.
        lines: usize,
    },
    /// Continuation lines had lost their indentation and were re-indented.
    Reindented {
        /// Lines re-indented.
        lines: usize,
    },
    /// `&lt;` `&gt;` `&amp;` `&quot;` `&#39;` were decoded.
    HtmlEntitiesDecoded {
        /// Entities decoded.
        count: usize,
    },
    /// Lone CR line ends were read as line ends.
    BareCrLineEnds,
}

/// Maps offsets in the prepared bytes back to the original input.
#[derive(Debug, Clone, Default)]
pub(crate) struct OffsetMap {
    /// Bytes of the original skipped before the prepared text starts.
    base: usize,
    /// (prepared offset, original − prepared after it), in order.
    edits: Vec<(usize, isize)>,
}

impl OffsetMap {
    pub(crate) fn offset(&self, prepared: usize) -> usize {
        let delta = match self.edits.partition_point(|(at, _)| *at <= prepared) {
            0 => 0,
            i => self.edits.get(i - 1).map_or(0, |(_, d)| *d),
        };
        (self.base as isize + prepared as isize + delta).max(0) as usize
    }

    pub(crate) fn span(&self, s: Span) -> Span {
        Span {
            start: self.offset(s.start),
            end: self.offset(s.end),
        }
    }
}

/// The prepared header block (plus any body, untouched).
#[derive(Debug)]
pub(crate) struct Prepared {
    pub(crate) bytes: Vec<u8>,
    pub(crate) map: OffsetMap,
    pub(crate) notes: Vec<InputNote>,
    /// Lines like `Fr om: …`: a field name with a space that reads as a
    /// known header. (name as written, span in the original input)
    pub(crate) spaced_names: Vec<(String, Span)>,
}

/// `Fr om`, `Sub ject`: a name with inner spaces that squeezes to a header
/// people read as the sender or subject.
fn spaced_name(line: &[u8]) -> Option<String> {
    // A folded continuation (leading white space) is never a field.
    if line.first().is_none_or(|b| b.is_ascii_whitespace()) {
        return None;
    }
    // The name is letters, spaces and hyphens up to the colon: stop at the
    // first other byte, which must be the colon.
    let colon = line
        .iter()
        .position(|&b| !(b.is_ascii_alphabetic() || b == b' ' || b == b'-'))
        .filter(|&at| line.get(at) == Some(&b':'))?;
    let name = std::str::from_utf8(line.get(..colon)?).ok()?.trim_end();
    if name.len() > 30 || !name.contains(' ') {
        return None;
    }
    let squeezed: String = name
        .chars()
        .filter(|c| *c != ' ')
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(
        squeezed.as_str(),
        "from"
            | "sender"
            | "reply-to"
            | "to"
            | "cc"
            | "subject"
            | "date"
            | "return-path"
            | "message-id"
    )
    .then(|| name.to_string())
}

/// A line that starts a header field: `Name:` with RFC 5322 ftext.
fn starts_field(line: &[u8]) -> bool {
    // A field name is printable ASCII up to the colon: stop at the first
    // other byte, which must be the colon, after at least one name byte.
    match line
        .iter()
        .position(|&b| b == b':' || !(33..=126).contains(&b))
    {
        Some(colon) => colon > 0 && line.get(colon) == Some(&b':'),
        None => false,
    }
}

/// (start, end-without-newline) of every line, LF-terminated, as they are
/// needed (a header block's end is found without listing the body's lines).
fn lines(bytes: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        let rest = bytes.get(start..).filter(|r| !r.is_empty())?;
        let (line_end, next) = match memchr::memchr(b'\n', rest) {
            Some(at) => (start + at, start + at + 1),
            None => (bytes.len(), bytes.len()),
        };
        let end = if line_end > start && next > line_end && bytes.get(line_end - 1) == Some(&b'\r')
        {
            line_end - 1
        } else {
            line_end
        };
        let line = (start, end);
        start = next;
        Some(line)
    })
}

const GMAIL_MARKERS: [&[u8]; 2] = [b"Download original", b"Copy to clipboard"];

/// Where the header block starts: after Gmail's summary, or at the first
/// line that starts a field and is followed by more header lines.
fn header_start(bytes: &[u8], notes: &mut Vec<InputNote>) -> usize {
    let line = |&(s, e): &(usize, usize)| bytes.get(s..e).unwrap_or_default();
    // The last Gmail marker among the first 40 lines.
    let gmail = lines(bytes)
        .take(40)
        .enumerate()
        .filter(|(_, l)| GMAIL_MARKERS.iter().any(|m| line(l).trim_ascii() == *m))
        .last()
        .map(|(i, _)| i);
    let from = match gmail {
        Some(i) => i + 1,
        None => 0,
    };
    let mut candidates = lines(bytes).enumerate().skip(from).peekable();
    let mut first = None;
    while let Some((i, l)) = candidates.next() {
        let next = candidates.peek().map(|(_, n)| line(n)).unwrap_or_default();
        if starts_field(line(&l))
            && (next.is_empty()
                || starts_field(next)
                || next.first().is_some_and(|b| *b == b' ' || *b == b'\t')
                || !next.contains(&b':'))
        {
            first = Some((i, l));
            break;
        }
    }
    match first {
        Some((i, (s, _))) if i > 0 => {
            if gmail.is_some() {
                notes.push(InputNote::SkippedGmailSummary { lines: i });
            } else if lines(bytes)
                .take(i)
                .any(|l| !line(&l).trim_ascii().is_empty())
            {
                notes.push(InputNote::SkippedLeadingText { lines: i });
            }
            s
        }
        Some((_, (s, _))) => s,
        None => 0,
    }
}

/// Prepare `input` for parsing.
pub(crate) fn prepare(input: &[u8]) -> Prepared {
    let mut notes = Vec::new();
    // Old Mac line ends: same length, so no offsets move.
    // A CR not followed by LF (old Mac files, or a mixture) is a line end:
    // same length, so no offsets move.
    let mut bytes = input.to_vec();
    let mut lone_cr = false;
    let mut from = 0;
    while let Some(at) = bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\r'))
    {
        let i = from + at;
        if bytes.get(i + 1) != Some(&b'\n') {
            if let Some(b) = bytes.get_mut(i) {
                *b = b'\n';
            }
            lone_cr = true;
        }
        from = i + 1;
    }
    if lone_cr {
        notes.push(InputNote::BareCrLineEnds);
    }
    let base = header_start(&bytes, &mut notes);
    let rest = bytes.get(base..).unwrap_or_default();
    let block_end = lines(rest)
        .find(|&(s, e)| s == e)
        .map_or(rest.len(), |(s, _)| s);
    let (block, body) = rest.split_at(block_end.min(rest.len()));

    let mut out = Vec::with_capacity(block.len() + 64);
    let mut edits: Vec<(usize, isize)> = Vec::new();
    let mut delta: isize = 0;
    // HTML-escaped copies: only when the block has no real angle brackets.
    let escaped = !block.contains(&b'<')
        && (contains(block, b"&lt;") || contains(block, b"&gt;") || contains(block, b"&amp;"));
    let mut entities = 0;
    let mut reindented = 0;
    let mut spaced_names = Vec::new();
    for (n, (s, e)) in lines(block).enumerate() {
        let line = block.get(s..e).unwrap_or_default();
        let newline = block.get(e..).map_or(0, |r| {
            if r.starts_with(b"\r\n") {
                2
            } else if r.starts_with(b"\n") {
                1
            } else {
                0
            }
        });
        let spaced = spaced_name(line);
        if let Some(name) = &spaced {
            let at = base + s;
            spaced_names.push((
                name.clone(),
                Span {
                    start: at,
                    end: at + line.len(),
                },
            ));
        }
        if n > 0
            && spaced.is_none()
            && !line.is_empty()
            && !starts_field(line)
            && !line.first().is_some_and(|b| *b == b' ' || *b == b'\t')
        {
            out.push(b' ');
            delta -= 1;
            edits.push((out.len(), delta));
            reindented += 1;
        }
        if !escaped {
            out.extend_from_slice(line);
        }
        let mut i = if escaped { 0 } else { line.len() };
        while i < line.len() {
            let rest = line.get(i..).unwrap_or_default();
            let entity = if escaped {
                [
                    (b"&lt;".as_slice(), b'<'),
                    (b"&gt;", b'>'),
                    (b"&amp;", b'&'),
                    (b"&quot;", b'"'),
                    (b"&#39;", b'\''),
                ]
                .into_iter()
                .find(|(name, _)| rest.starts_with(name))
            } else {
                None
            };
            match entity {
                Some((name, ch)) => {
                    out.push(ch);
                    delta += name.len() as isize - 1;
                    edits.push((out.len(), delta));
                    entities += 1;
                    i += name.len();
                }
                None => {
                    out.push(rest.first().copied().unwrap_or_default());
                    i += 1;
                }
            }
        }
        out.extend_from_slice(block.get(e..e + newline).unwrap_or_default());
    }
    out.extend_from_slice(body);
    if reindented > 0 {
        notes.push(InputNote::Reindented { lines: reindented });
    }
    if entities > 0 {
        notes.push(InputNote::HtmlEntitiesDecoded { count: entities });
    }
    Prepared {
        bytes: out,
        map: OffsetMap { base, edits },
        notes,
        spaced_names,
    }
}

/// Whether `needle` (which starts with a byte that is rare in headers, like
/// `&`) occurs in `hay`: jump between occurrences of its first byte rather
/// than comparing at every offset.
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let mut from = 0;
    while let Some(at) = hay.get(from..).and_then(|h| memchr::memchr(first, h)) {
        let start = from + at + 1;
        if hay.get(start..start + rest.len()) == Some(rest) {
            return true;
        }
        from = start;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_finds_needles_at_the_edges_and_not_partial_ones() {
        assert!(contains(b"&lt;", b"&lt;"));
        assert!(contains(b"x &amp y &lt;", b"&lt;"));
        assert!(!contains(b"x &l", b"&lt;"));
        assert!(!contains(b"lt; &gt", b"&lt;"));
        assert!(contains(b"anything", b""));
    }

    #[test]
    fn untouched_input_maps_to_itself() {
        let input = b"Received: from a by b; Mon, 1 Jan 2024 00:00:00 +0000\r\n\tmore\r\nFrom: x@y\r\n\r\nbody\r\n";
        let p = prepare(input);
        assert_eq!(p.bytes, input.to_vec());
        assert!(p.notes.is_empty());
        assert_eq!(p.map.offset(17), 17);
    }

    #[test]
    fn lost_indentation_is_restored_and_offsets_map_back() {
        let input = b"Received: from a.example (a.example [192.0.2.1])\nby b.example with ESMTPS id X\nfor <u@b.example>; Mon, 1 Jan 2024 00:00:00 +0000\nFrom: x@a.example\n\n";
        let p = prepare(input);
        assert_eq!(p.notes, vec![InputNote::Reindented { lines: 2 }]);
        let text = String::from_utf8(p.bytes.clone()).unwrap();
        assert!(text.contains("\n by b.example"), "{text}");
        // "From:" in the prepared text maps to "From:" in the input.
        let at = text.find("From:").unwrap();
        let orig = p.map.offset(at);
        assert_eq!(&input[orig..orig + 5], b"From:");
    }

    #[test]
    fn gmail_summary_and_html_entities() {
        let input = "Original message\nMessage ID\t&lt;abc@x.example&gt;\nCreated at:\tMon, 1 Jan 2024\nFrom:\tTaro &lt;t@x.example&gt;\nSPF:\tPASS with IP 192.0.2.1 Learn more\nDownload original\nCopy to clipboard\nDelivered-To: u@y.example\nFrom: Taro &lt;t@x.example&gt;\nSubject: hi &amp; bye\n\n".as_bytes();
        let p = prepare(input);
        assert!(
            p.notes
                .contains(&InputNote::SkippedGmailSummary { lines: 7 }),
            "{:?}",
            p.notes
        );
        assert!(
            p.notes
                .contains(&InputNote::HtmlEntitiesDecoded { count: 3 }),
            "{:?}",
            p.notes
        );
        let text = String::from_utf8(p.bytes.clone()).unwrap();
        assert!(
            text.starts_with(
                "Delivered-To: u@y.example\nFrom: Taro <t@x.example>\nSubject: hi & bye"
            ),
            "{text}"
        );
        let at = text.find("Subject").unwrap();
        let orig = p.map.offset(at);
        assert_eq!(&input[orig..orig + 7], b"Subject");
    }

    #[test]
    fn mixed_line_ends_all_become_line_ends() {
        let input = b"Subject: a\rFrom: x@y.example\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n\n";
        let p = prepare(input);
        assert_eq!(p.notes, vec![InputNote::BareCrLineEnds]);
        assert_eq!(p.bytes.len(), input.len());
        assert!(
            p.bytes
                .starts_with(b"Subject: a\nFrom: x@y.example\r\nDate:")
        );
    }

    #[test]
    fn leading_sentence_is_skipped() {
        let input = b"Here are the headers you asked for:\n\nReturn-Path: <a@b.example>\nReceived: from x by y; Mon, 1 Jan 2024 00:00:00 +0000\n\n";
        let p = prepare(input);
        assert_eq!(p.notes, vec![InputNote::SkippedLeadingText { lines: 2 }]);
        assert!(p.bytes.starts_with(b"Return-Path:"));
        assert_eq!(p.map.offset(0), 37);
    }
}
