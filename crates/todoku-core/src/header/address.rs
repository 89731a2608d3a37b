//! Address lists (RFC 5322 section 3.4: `From`, `Sender`, `Reply-To`) read
//! as mailboxes: a display name and an address each.
//!
//! Real headers bend the grammar, so the reading is lenient, in the way
//! mail readers show these fields:
//! - Groups (`Team: a@x, b@y;`) give their members; the group's name is
//!   dropped.
//! - The display name is the phrase (words, quoted strings, RFC 2047
//!   encoded words, also inside quotes), wherever it is written around the
//!   `<address>`. White space between two encoded words goes.
//! - Comments join the name, in parentheses after the phrase or as the name
//!   when there is no phrase: `<x@y> (Web Archive)`.
//! - Without angle brackets, a run of text with an `@` is the address;
//!   without one, it is a name with no address.
//! - Comments inside an address are dropped, and so is folding; other
//!   spaces are kept as written (the DMARC domain check reports them).
//! - The value ends at a line end not followed by white space.

use std::ops::ControlFlow;

use crate::header::charset::Charsets;
use crate::header::rfc2047;

/// One mailbox of an address list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mailbox {
    /// Display name, decoded; `None` when empty.
    pub name: Option<String>,
    /// The address as written, without brackets and comments.
    pub address: Option<String>,
}

/// A piece of the phrase and whether it starts and ends with an encoded
/// word (two such pieces in a row join without a space).
struct Piece {
    text: String,
    starts_encoded: bool,
    ends_encoded: bool,
    /// For a piece of encoded words only: their charset and bytes, so that
    /// the next word in that charset joins them (a character split across
    /// two words).
    words: Option<(Vec<u8>, Vec<u8>)>,
}

/// Most bytes of encoded words joined in one display-name piece (each join
/// converts them again).
const MAX_JOINED: usize = 256;

/// The display-name phrase as it is read: the text of the pieces so far
/// joined, and the last piece apart (the next encoded word may join it).
/// A name of a million quoted strings is one String, not a million pieces
/// (issue 19 item 3).
#[derive(Default)]
struct Phrase {
    /// Every piece before the last, joined.
    joined: String,
    /// The piece last joined ends with an encoded word.
    previous_encoded: bool,
    last: Option<Piece>,
}

impl Phrase {
    fn push(&mut self, piece: Piece) {
        self.settle();
        self.last = Some(piece);
    }

    /// Nothing pushed yet.
    fn is_empty(&self) -> bool {
        self.last.is_none() && self.joined.is_empty()
    }

    fn last_mut(&mut self) -> Option<&mut Piece> {
        self.last.as_mut()
    }

    /// Joins the last piece to the text: with a space before it unless it
    /// and the piece before it meet at encoded words.
    fn settle(&mut self) {
        let Some(piece) = self.last.take() else {
            return;
        };
        if self.joined.is_empty() {
            // The first piece is taken over, not copied.
            self.joined = piece.text;
        } else {
            if !(self.previous_encoded && piece.starts_encoded) {
                self.joined.push(' ');
            }
            self.joined.push_str(&piece.text);
        }
        self.previous_encoded = piece.ends_encoded;
    }

    /// The whole phrase.
    fn finish(mut self) -> String {
        self.settle();
        self.joined
    }
}

#[derive(Default)]
struct Builder {
    phrase: Phrase,
    /// The comments, joined with a space.
    comments: String,
    angle: Option<String>,
    /// Words outside quotes and brackets, as runs of the value: words with
    /// only white space between them share a run; a comment between them
    /// starts a new one.
    bare: Vec<(usize, usize)>,
    bare_has_at: bool,
    /// The name so far when it is one bare run or one quoted string of the
    /// value, left in the value (see [`first_name_owned`]): read out only
    /// when more joins it.
    span: Option<(usize, usize)>,
    /// The first comment, when its text is the value's between its
    /// parentheses but for white space (see [`simple_comment`]), left in the
    /// value: where it starts and its text's span. Read out only when more
    /// joins it or a phrase comes before it.
    comment_span: Option<(usize, (usize, usize))>,
}

/// A name left in the value: its span, and whether its runs of white
/// space are still to be made one space each (a comment's).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Left {
    start: usize,
    end: usize,
    spaced: bool,
}

impl Builder {
    fn finish(&mut self, value: &[u8], out: Out<'_>) -> ControlFlow<()> {
        if let Some(span) = self.span {
            let bare_is_address =
                self.bare_has_at && self.angle.as_deref().is_none_or(str::is_empty);
            if self.comments.is_empty()
                && self.comment_span.is_none()
                && (self.bare.is_empty() || bare_is_address)
            {
                // The name is the span: handed over as it is.
                return self.hand_over(value, span, false, out);
            }
            self.settle_span(value);
        }
        if let Some((_, span)) = self.comment_span {
            let bare_is_address =
                self.bare_has_at && self.angle.as_deref().is_none_or(str::is_empty);
            if self.phrase.is_empty()
                && self.comments.is_empty()
                && (self.bare.is_empty() || bare_is_address)
            {
                // The name is the comment: handed over as it is.
                return self.hand_over(value, span, true, out);
            }
            self.settle_comment(value);
        }
        let b = std::mem::take(self);
        let mut phrase = b.phrase.finish();
        let mut address = b.angle.filter(|a| !a.is_empty());
        if address.is_none() && b.bare_has_at {
            address = Some(runs(value, &b.bare, ""));
        } else if !b.bare.is_empty() {
            // A bare run without `@` is part of the name.
            let text = runs(value, &b.bare, " ");
            if !phrase.is_empty() {
                phrase.push(' ');
            }
            phrase.push_str(&text);
        }
        let comments = b.comments;
        let name = match (phrase.is_empty(), comments.is_empty()) {
            (true, _) => comments,
            (false, true) => phrase,
            (false, false) => format!("{phrase} ({comments})"),
        };
        if name.is_empty() && address.is_none() {
            return ControlFlow::Continue(());
        }
        out(
            Mailbox {
                name: (!name.is_empty()).then_some(name),
                address,
            },
            None,
        )
    }

    /// The mailbox whose name is left in the value at `span`, handed over.
    fn hand_over(
        &mut self,
        value: &[u8],
        (start, end): (usize, usize),
        spaced: bool,
        out: Out<'_>,
    ) -> ControlFlow<()> {
        let b = std::mem::take(self);
        let address = match b.angle.filter(|a| !a.is_empty()) {
            None if b.bare_has_at => Some(runs(value, &b.bare, "")),
            angle => angle,
        };
        out(
            Mailbox {
                name: None,
                address,
            },
            Some(Left { start, end, spaced }),
        )
    }

    /// The comment left in the value made the first of the comments.
    fn settle_comment(&mut self, value: &[u8]) {
        if let Some((at, _)) = self.comment_span.take() {
            // Its text needs no charsets: it has no encoded word.
            let (text, _) = comment(value, at, &crate::header::charset::NoCharsets);
            self.push_comment(text);
        }
    }

    /// The span's text made the first piece of the phrase, as
    /// [`Builder::flush_bare`] would have made it.
    fn settle_span(&mut self, value: &[u8]) {
        if let Some((s, e)) = self.span.take() {
            self.phrase.push(Piece {
                text: unfold(value.get(s..e).unwrap_or_default()),
                starts_encoded: false,
                ends_encoded: false,
                words: None,
            });
        }
    }
}

/// Where [`parse_in`] hands each mailbox, with the span of the value that
/// is its name when the name was left there.
type Out<'a> = &'a mut dyn FnMut(Mailbox, Option<Left>) -> ControlFlow<()>;

/// The runs' text, unfolded, joined with `separator`.
fn runs(value: &[u8], runs: &[(usize, usize)], separator: &str) -> String {
    // The first run's text is taken over (one run is the usual case): no
    // list of the parts, no second copy of a long name.
    let mut out = String::new();
    for (n, &(s, e)) in runs.iter().enumerate() {
        let part = unfold(value.get(s..e).unwrap_or_default());
        if n == 0 {
            out = part;
        } else {
            out.push_str(separator);
            out.push_str(&part);
        }
    }
    out
}

/// The text with folding (a line end and the white space after it) removed.
fn unfold(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\r' => {}
            b'\n' => {
                while matches!(bytes.get(i + 1), Some(b' ' | b'\t')) {
                    i += 1;
                }
            }
            _ => out.push(b),
        }
        i += 1;
    }
    // Taken over when it is UTF-8: never held twice.
    String::from_utf8(out).unwrap_or_else(|e| crate::header::text::lossy(e.as_bytes()))
}

/// The value up to its end: a line end not followed by white space.
fn field_value(raw: &[u8]) -> &[u8] {
    let mut from = 0;
    while let Some(i) = raw
        .get(from..)
        .and_then(|r| memchr::memchr(b'\n', r))
        .map(|i| from + i)
    {
        if !matches!(raw.get(i + 1), Some(b' ' | b'\t')) {
            return raw.get(..i).unwrap_or_default();
        }
        from = i + 1;
    }
    raw
}

/// A comment starting at `value[at] == b'('`: its text (nested parentheses
/// kept, escapes resolved, each run of white space, folding included, made
/// one space, encoded words decoded) and the offset after it. Built once,
/// in a string of its size: a comment can be most of the input (issue 19
/// item 3).
fn comment(value: &[u8], at: usize, charsets: &dyn Charsets) -> (String, usize) {
    let mut size = 0;
    let _ = comment_walk(value, at, |_| size += 1);
    let mut bytes = Vec::with_capacity(size);
    let mut space = false;
    let next = comment_walk(value, at, |b| {
        if b.is_ascii_whitespace() {
            space = true;
        } else {
            if space && !bytes.is_empty() {
                bytes.push(b' ');
            }
            space = false;
            bytes.push(b);
        }
    });
    (text_of(bytes, charsets), next)
}

/// `bytes` as text (taken over when it is UTF-8) with its encoded words
/// decoded.
fn text_of(bytes: Vec<u8>, charsets: &dyn Charsets) -> String {
    let text =
        String::from_utf8(bytes).unwrap_or_else(|e| crate::header::text::lossy(e.as_bytes()));
    if memchr::memmem::find(text.as_bytes(), b"=?").is_some() {
        return decode_words(text.as_bytes(), charsets).text;
    }
    text
}

/// The bytes of the comment starting at `value[at] == b'('` handed to
/// `emit` (nested parentheses kept, escapes resolved), and the offset after
/// it.
fn comment_walk(value: &[u8], at: usize, mut emit: impl FnMut(u8)) -> usize {
    let mut depth = 0usize;
    let mut i = at;
    while let Some(&b) = value.get(i) {
        match b {
            b'\\' => {
                // A fold right after the backslash goes first: the escape
                // is for the byte after it.
                let fold = value
                    .get(i + 1..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|&&c| c == b'\r' || c == b'\n')
                    .count();
                if fold > 0 {
                    i += fold;
                    while matches!(value.get(i + 1), Some(b' ' | b'\t')) {
                        i += 1;
                    }
                }
                if let Some(&next) = value.get(i + 1) {
                    emit(next);
                }
                i += 1;
            }
            b'(' => {
                if depth > 0 {
                    emit(b);
                }
                depth += 1;
            }
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
                emit(b);
            }
            _ => emit(b),
        }
        i += 1;
    }
    value.len()
}

/// The span of the text of the comment starting at `value[at] == b'('`,
/// and the offset after it, when its text is that span's with each run of
/// white space made one space: no nested comment, no escape, no encoded
/// word, and something other than white space.
fn simple_comment(value: &[u8], at: usize) -> Option<((usize, usize), usize)> {
    let start = at + 1;
    let rest = value.get(start..)?;
    let end = start + memchr::memchr3(b'(', b')', b'\\', rest).unwrap_or(rest.len());
    let text = value.get(start..end)?;
    let next = match value.get(end) {
        None => end,
        Some(b')') => end + 1,
        Some(_) => return None,
    };
    (memchr::memmem::find(text, b"=?").is_none() && !text.iter().all(u8::is_ascii_whitespace))
        .then_some(((start, end), next))
}

/// The span of the text of the quoted string starting at
/// `value[at] == b'"'`, and the offset after it, when its text is that
/// span's: no escape, no line end, no encoded word, not empty.
fn simple_quoted(value: &[u8], at: usize) -> Option<((usize, usize), usize)> {
    let start = at + 1;
    let rest = value.get(start..)?;
    let end = start + memchr::memchr2(b'"', b'\\', rest).unwrap_or(rest.len());
    let text = value.get(start..end)?;
    let next = match value.get(end) {
        None => end + 1,
        Some(b'"') => end + 1,
        Some(_) => return None,
    };
    (!text.is_empty()
        && memchr::memchr2(b'\r', b'\n', text).is_none()
        && memchr::memmem::find(text, b"=?").is_none())
    .then_some(((start, end), next))
}

/// A quoted string starting at `value[at] == b'"'`: its bytes (escapes
/// resolved, line ends dropped, the white space after them kept), built
/// once in a vector of their size, and the offset after it.
fn quoted(value: &[u8], at: usize) -> (Vec<u8>, usize) {
    let mut size = 0;
    let _ = quoted_walk(value, at, |_| size += 1);
    let mut bytes = Vec::with_capacity(size);
    let next = quoted_walk(value, at, |b| {
        if b != b'\r' && b != b'\n' {
            bytes.push(b);
        }
    });
    (bytes, next)
}

/// The bytes of the quoted string starting at `value[at] == b'"'` handed
/// to `emit` (escapes resolved), and the offset after it.
fn quoted_walk(value: &[u8], at: usize, mut emit: impl FnMut(u8)) -> usize {
    let mut j = at + 1;
    while let Some(&c) = value.get(j) {
        match c {
            b'"' => break,
            b'\\' => {
                if let Some(&next) = value.get(j + 1) {
                    emit(next);
                }
                j += 1;
            }
            _ => emit(c),
        }
        j += 1;
    }
    j + 1
}

/// Text with encoded words decoded (white space between two of them
/// dropped); other text as written.
fn decode_words(text: &[u8], charsets: &dyn Charsets) -> Piece {
    let mut out = String::new();
    let mut starts_encoded = false;
    // The length of `out` just after the last encoded word, while nothing
    // but white space has followed it.
    let mut after_word: Option<usize> = None;
    let mut i = 0;
    while let Some(rest) = text.get(i..).filter(|r| !r.is_empty()) {
        if let Some(word) = rest
            .starts_with(b"=?")
            .then(|| rfc2047::word(rest))
            .flatten()
        {
            // The white space between two encoded words goes.
            if let Some(at) = after_word {
                out.truncate(at);
            }
            starts_encoded |= i == 0;
            rfc2047::convert(word.charset, &word.bytes, charsets, &mut out);
            after_word = Some(out.len());
            i += word.len;
        } else {
            let len = 1 + rest
                .get(1..)
                .unwrap_or_default()
                .iter()
                .position(|&b| b == b'=')
                .unwrap_or(rest.len() - 1);
            let run = rest.get(..len).unwrap_or_default();
            rfc2047::push_lossy(&mut out, run);
            if !run.iter().all(|&b| b == b' ' || b == b'\t') {
                after_word = None;
            }
            i += len;
        }
    }
    Piece {
        ends_encoded: after_word == Some(out.len()),
        text: out,
        starts_encoded,
        words: None,
    }
}

/// Every mailbox of an address-list value (the bytes after the colon).
pub fn parse(raw: &[u8], charsets: &dyn Charsets) -> Vec<Mailbox> {
    let mut out = Vec::new();
    parse_each(raw, charsets, &mut |m| {
        out.push(m);
        ControlFlow::Continue(())
    });
    out
}

/// The mailboxes of an address-list value handed to `out` one at a time,
/// until it breaks: a list of a million addresses is read without being
/// listed (issue 19 item 3).
pub fn parse_each(
    raw: &[u8],
    charsets: &dyn Charsets,
    out: &mut dyn FnMut(Mailbox) -> ControlFlow<()>,
) {
    parse_in(field_value(raw), charsets, false, &mut |m, _| out(m));
}

/// The display name of the first mailbox of `text` (a whole value read as
/// text, without line ends), taking `text` over: a name that is one run of
/// it is cut out of it in place, not copied. A From name of legacy 8-bit
/// bytes reads to two or three times their size, and the name and the
/// text it was read from held 5x the input at once (issue 19 item 3).
pub(crate) fn first_name_owned(text: String, charsets: &dyn Charsets) -> Option<String> {
    let mut first = None;
    parse_in(
        field_value(text.as_bytes()),
        charsets,
        true,
        &mut |m, span| {
            first = Some((m, span));
            ControlFlow::Break(())
        },
    );
    let (mailbox, left) = first?;
    let Some(Left {
        start: s,
        end: e,
        spaced,
    }) = left
    else {
        return mailbox.name;
    };
    let name = text.get(s..e)?;
    let name = if name.len() < text.len() / 2 {
        // A short name in a long value: copied, the value let go.
        name.to_string()
    } else {
        let mut text = text;
        text.truncate(e);
        text.drain(..s);
        text
    };
    Some(if spaced {
        ascii_single_spaced_owned(name)
    } else {
        name
    })
}

/// `text` with each run of ASCII white space made one space, and none at
/// either end, in place (as a comment's text is spaced).
fn ascii_single_spaced_owned(text: String) -> String {
    let mut bytes = text.into_bytes();
    let (mut write, mut space) = (0, false);
    for read in 0..bytes.len() {
        let Some(&b) = bytes.get(read) else { break };
        if b.is_ascii_whitespace() {
            space = true;
            continue;
        }
        if space && write > 0 {
            if let Some(w) = bytes.get_mut(write) {
                *w = b' ';
            }
            write += 1;
        }
        space = false;
        if let Some(w) = bytes.get_mut(write) {
            *w = b;
        }
        write += 1;
    }
    bytes.truncate(write);
    // Only ASCII bytes went or changed: still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| crate::header::text::lossy(e.as_bytes()))
}

/// The mailboxes of `value`, as [`parse_each`]; with `borrow`, a name that
/// is one bare run is left in `value` and its span handed over instead.
fn parse_in(value: &[u8], charsets: &dyn Charsets, borrow: bool, out: Out<'_>) {
    let mut mb = Builder::default();
    let mut i = 0;
    while let Some(&b) = value.get(i) {
        match b {
            // A stray `>` is as good as white space.
            b' ' | b'\t' | b'\r' | b'\n' | b'>' => i += 1,
            b'(' => {
                if borrow
                    && mb.comment_span.is_none()
                    && mb.comments.is_empty()
                    && let Some((span, next)) = simple_comment(value, i)
                {
                    mb.comment_span = Some((i, span));
                    i = next;
                    continue;
                }
                let (text, next) = comment(value, i, charsets);
                mb.comment(value, text);
                i = next;
            }
            b'"' => {
                mb.flush_bare(value, charsets, borrow);
                if borrow
                    && mb.span.is_none()
                    && mb.phrase.is_empty()
                    && let Some((span, next)) = simple_quoted(value, i)
                {
                    // The name so far is the quoted string as written:
                    // left in the value, as a bare run is.
                    mb.span = Some(span);
                    i = next;
                    continue;
                }
                let (text, next) = quoted(value, i);
                mb.settle_span(value);
                mb.phrase.push(quoted_piece(text, charsets));
                i = next;
            }
            b'<' => {
                let mut address = Vec::new();
                let mut j = i + 1;
                while let Some(&c) = value.get(j) {
                    match c {
                        b'>' => break,
                        // `<<<x@y>`: the innermost bracket holds the address.
                        b'<' => address.clear(),
                        b'(' => {
                            let (text, next) = comment(value, j, charsets);
                            mb.comment(value, text);
                            j = next;
                            continue;
                        }
                        _ => address.push(c),
                    }
                    j += 1;
                }
                let address = unfold(&address).trim().to_string();
                mb.flush_bare(value, charsets, borrow);
                if mb.angle.as_deref().is_none_or(str::is_empty) {
                    mb.angle = Some(address);
                }
                i = j + 1;
            }
            b',' => {
                mb.flush_bare(value, charsets, borrow);
                if mb.finish(value, out).is_break() {
                    return;
                }
                i += 1;
            }
            b';' => {
                mb.flush_bare(value, charsets, borrow);
                if mb.finish(value, out).is_break() {
                    return;
                }
                i += 1;
            }
            b':' if mb.angle.is_none() && !mb.bare_has_at => {
                // A group's name: dropped, its members follow.
                mb = Builder::default();
                i += 1;
            }
            _ => {
                // A word: part of a bare address or of the phrase.
                let start = i;
                while let Some(&c) = value.get(i) {
                    if matches!(
                        c,
                        b' ' | b'\t' | b'\r' | b'\n' | b'(' | b'"' | b'<' | b',' | b';'
                    ) || (c == b':'
                        && !mb.bare_has_at
                        && !value.get(start..i).is_some_and(|w| w.contains(&b'@')))
                    {
                        break;
                    }
                    i += 1;
                }
                // A byte no arm above takes and that stops a word at once
                // (`:` after an address) is a word of its own: every pass
                // must move on.
                if i == start {
                    i += 1;
                }
                let word = value.get(start..i).unwrap_or_default();
                // `a@x b@y`, or `a@x From : b@y` where a line lost its
                // line end: a complete address followed by a word that does
                // not continue it (`.x`, `@x`) ends the mailbox.
                if mb.bare_has_at
                    && mb.angle.is_none()
                    && let Some(&(s, e)) = mb.bare.last()
                    && !value
                        .get(s..e)
                        .is_some_and(|b| b.ends_with(b".") || b.ends_with(b"@"))
                    && !word.starts_with(b".")
                    && !word.starts_with(b"@")
                    && mb.finish(value, out).is_break()
                {
                    return;
                }
                if word.starts_with(b"=?") && rfc2047::word(word).is_some() {
                    mb.flush_bare(value, charsets, borrow);
                    mb.settle_span(value);
                    mb.push_word(word, charsets);
                } else {
                    mb.bare_has_at |= word.contains(&b'@');
                    match mb.bare.last_mut() {
                        Some(run)
                            if value
                                .get(run.1..start)
                                .is_some_and(|gap| gap.iter().all(u8::is_ascii_whitespace)) =>
                        {
                            run.1 = i;
                        }
                        _ => mb.bare.push((start, i)),
                    }
                }
            }
        }
    }
    mb.flush_bare(value, charsets, borrow);
    let _ = mb.finish(value, out);
}

impl Builder {
    /// A comment's text, joined to the others (after the one left in the
    /// value, if any).
    fn comment(&mut self, value: &[u8], text: String) {
        self.settle_comment(value);
        self.push_comment(text);
    }

    /// A comment's text joined to the others: taken over when it is the
    /// first.
    fn push_comment(&mut self, text: String) {
        if text.is_empty() {
            return;
        }
        if self.comments.is_empty() {
            self.comments = text;
        } else {
            self.comments.push(' ');
            self.comments.push_str(&text);
        }
    }

    /// A token of the phrase that is an encoded word: joined to the piece
    /// before it when that is encoded words in the same charset (RFC 2047
    /// drops the space between them), else a piece of its own.
    fn push_word(&mut self, token: &[u8], charsets: &dyn Charsets) {
        let single = rfc2047::word(token).filter(|w| w.len == token.len());
        if let Some(w) = &single
            && let Some(last) = self.phrase.last_mut()
            && let Some((label, bytes)) = &mut last.words
            && label.eq_ignore_ascii_case(w.charset)
            && bytes.len() + w.bytes.len() <= MAX_JOINED
        {
            bytes.extend_from_slice(&w.bytes);
            last.text.clear();
            rfc2047::convert(label, bytes, charsets, &mut last.text);
            return;
        }
        let mut piece = decode_words(token, charsets);
        piece.words = single.map(|w| (w.charset.to_vec(), w.bytes));
        self.phrase.push(piece);
    }

    /// A bare run followed by a quoted string or an encoded word is a
    /// phrase, not an address: move it there, unless it holds an `@` and
    /// an address is still wanted (it is then the address, finished when
    /// the mailbox ends).
    ///
    /// With `borrow`, a first piece that is one run of plain words (no
    /// folding, no encoded word) is left in the value as [`Builder::span`].
    fn flush_bare(&mut self, value: &[u8], charsets: &dyn Charsets, borrow: bool) {
        if self.bare_has_at && self.angle.is_none() {
            return;
        }
        if let [(s, e)] = self.bare[..]
            && borrow
            && self.span.is_none()
            && self.phrase.is_empty()
            && let Some(run) = value.get(s..e)
            && !run.iter().any(|&b| b == b'\r' || b == b'\n')
            && memchr::memmem::find(run, b"=?").is_none()
        {
            self.span = Some((s, e));
            self.bare.clear();
            self.bare_has_at = false;
            return;
        }
        if !self.bare.is_empty() {
            self.settle_span(value);
            let text = runs(value, &std::mem::take(&mut self.bare), " ");
            // Without encoded words the text is the piece: taken over, not
            // copied again (a name can be most of the input).
            let mut piece = if memchr::memmem::find(text.as_bytes(), b"=?").is_none() {
                Piece {
                    text,
                    starts_encoded: false,
                    ends_encoded: false,
                    words: None,
                }
            } else {
                decode_words(text.as_bytes(), charsets)
            };
            // Plain words: a space before the next piece.
            piece.starts_encoded = false;
            piece.ends_encoded = false;
            self.phrase.push(piece);
            self.bare_has_at = false;
        }
    }
}

/// A quoted string's bytes (see [`quoted`]) as a piece of the phrase:
/// taken over when they are UTF-8 with no encoded word.
fn quoted_piece(bytes: Vec<u8>, charsets: &dyn Charsets) -> Piece {
    if memchr::memmem::find(&bytes, b"=?").is_some() {
        return decode_words(&bytes, charsets);
    }
    Piece {
        text: String::from_utf8(bytes).unwrap_or_else(|e| crate::header::text::lossy(e.as_bytes())),
        starts_encoded: false,
        ends_encoded: false,
        words: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::charset::NoCharsets;

    fn one(raw: &str) -> (Option<String>, Option<String>) {
        let list = parse(raw.as_bytes(), &NoCharsets);
        let m = list.into_iter().next().unwrap_or_default();
        (m.name, m.address)
    }

    fn s(text: &str) -> Option<String> {
        Some(text.to_string())
    }

    #[test]
    fn a_character_split_across_two_words_of_a_name_is_joined() {
        // 日 and the first byte of 本, then the rest of 本.
        assert_eq!(
            one(" =?UTF-8?B?5pel5g==?= =?UTF-8?B?nKw=?= <taro@example.com>\r\n"),
            (s("日本"), s("taro@example.com"))
        );
        // Other charsets, plain words and quoted strings stay apart.
        assert_eq!(
            one(" =?UTF-8?B?5pel?= =?us-ascii?q?cafe?= x =?UTF-8?B?5pel?= <a@example.com>\r\n"),
            (s("日cafe x 日"), s("a@example.com"))
        );
    }

    #[test]
    fn name_and_address_in_the_usual_forms() {
        assert_eq!(
            one(" John Doe <jdoe@example.com>\r\n"),
            (s("John Doe"), s("jdoe@example.com"))
        );
        assert_eq!(
            one(" \"Doe, John\" <j@x.test>"),
            (s("Doe, John"), s("j@x.test"))
        );
        assert_eq!(one(" j@x.test"), (None, s("j@x.test")));
        assert_eq!(one(" j@x.test (John)"), (s("John"), s("j@x.test")));
        assert_eq!(
            one(" =?utf-8?q?Jos=C3=A9?= <j@x.test>"),
            (s("José"), s("j@x.test"))
        );
        assert_eq!(
            one(" =?utf-8?q?a?= =?utf-8?q?b?= <j@x.test>"),
            (s("ab"), s("j@x.test"))
        );
        assert_eq!(one(" <j@x.test>"), (None, s("j@x.test")));
        assert_eq!(one(" John Smith"), (s("John Smith"), None));
    }

    #[test]
    fn groups_give_their_members_and_lists_every_mailbox() {
        let list = parse(b" Team: a@x.test, B <b@y.test>; c@z.test", &NoCharsets);
        let addresses: Vec<_> = list.iter().filter_map(|m| m.address.as_deref()).collect();
        assert_eq!(addresses, ["a@x.test", "b@y.test", "c@z.test"]);
        assert!(parse(b" Undisclosed recipients:;", &NoCharsets).is_empty());
    }

    #[test]
    fn the_value_ends_at_an_unfolded_line_end() {
        let list = parse(b" a@x.test,\r\n b@y.test\r\nc@z.test\r\n", &NoCharsets);
        assert_eq!(list.len(), 2);
    }

    #[test]
    fn a_space_inside_an_encoded_word_is_kept() {
        // Only the white space between two words goes, not a space the
        // first word decodes to.
        assert_eq!(
            one(" =?utf-8?q?Jos=C3=A9_?= =?utf-8?q?Garc=C3=ADa?= <j@x.test>").0,
            s("José García")
        );
        assert_eq!(one(" \"=?utf-8?q?a?=  x\" <j@x.test>").0, s("a  x"));
    }

    #[test]
    fn comments_decode_and_a_missing_comma_splits_addresses() {
        assert_eq!(
            one(" Jason Lee (=?utf-8?q?=E6=9D=8E?=) <j@x.test>"),
            (s("Jason Lee (李)"), s("j@x.test"))
        );
        let list = parse(b" a@x.test b@y.test, c@z.test", &NoCharsets);
        let addresses: Vec<_> = list.iter().filter_map(|m| m.address.as_deref()).collect();
        assert_eq!(addresses, ["a@x.test", "b@y.test", "c@z.test"]);
        assert_eq!(
            one(" jdoe@test  . example"),
            (None, s("jdoe@test  . example"))
        );
    }

    #[test]
    fn colon_after_an_address_does_not_hang() {
        // Found by the bounded fuzzing: `:` after `<…>` stopped the word
        // scanner before its first byte and the loop never moved on.
        assert_eq!(one(" <a@x.test> :"), (s(":"), s("a@x.test")));
        assert_eq!(one(" a@x.test : b").1, s("a@x.test"));
    }

    #[test]
    fn a_forged_address_in_the_name_stays_in_the_name() {
        assert_eq!(
            one(" \"ceo@bank.example\" <x@evil.test>"),
            (s("ceo@bank.example"), s("x@evil.test"))
        );
        assert_eq!(
            one(" ceo@bank.example <x@evil.test>"),
            (s("ceo@bank.example"), s("x@evil.test"))
        );
    }

    /// The name cut out of the text in place is the name the list parser
    /// reads from it, whatever follows or surrounds the run.
    #[test]
    fn a_name_taken_from_owned_text_is_the_parsed_name() {
        for text in [
            "ÿÿÿ ÿÿ <a@t.test>",
            "x <a@t.test>, ÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿ",
            "ÿÿ (c) <a@t.test>",
            "ÿÿ \"q\" <a@t.test>",
            "ÿÿ =?utf-8?q?a?= <a@t.test>",
            "ÿÿ <a@t.test> tail",
            "ÿÿ a@t.test",
            "a@t.test ÿÿ",
            "Team: ÿÿ <a@t.test>;",
            "ÿÿ <>",
            "ÿÿ",
            "",
            // Quoted strings and comments, left in the text when they can
            // be (issue 19 item 3), read out when more joins them.
            "\"ÿÿ ÿ\" <a@t.test>",
            "\"ÿÿ\" x <a@t.test>",
            "x \"ÿÿ\" <a@t.test>",
            "\"ÿÿ\" \"y\" <a@t.test>",
            "\"ÿÿ\" =?utf-8?q?a?= <a@t.test>",
            "\"ÿ\\\"ÿ\" <a@t.test>",
            "\"ÿ =?utf-8?q?a?=\" <a@t.test>",
            "\"\" <a@t.test>",
            "\"  \" <a@t.test>",
            "\"ÿÿ",
            "\"ÿÿ\" (c) <a@t.test>",
            "\"ÿÿ\" a@t.test",
            "<a@t.test> (ÿÿ   ÿ\t ÿ)",
            "<a@t.test> ( ÿÿ )",
            "<a@t.test> (ÿÿ) (x)",
            "<a@t.test> () (ÿÿ)",
            "<a@t.test> (  )",
            "<a@t.test> (ÿ(n)ÿ)",
            "<a@t.test> (ÿ\\)ÿ)",
            "<a@t.test> (ÿ =?utf-8?q?a?=)",
            "<a@t.test> (ÿÿ",
            "<a(c)@t.test> (ÿÿ)",
            "(ÿÿ) <a@t.test>",
            "(ÿÿ) x <a@t.test>",
            "(ÿÿ) \"q\" <a@t.test>",
            "ÿÿ <a@t.test> (c)",
            "a@t.test (ÿÿ)",
            "(ÿÿ) a@t.test",
            "(ÿÿ), b@t.test",
            "Team: (ÿÿ) <a@t.test>;",
        ] {
            let parsed = parse(text.as_bytes(), &NoCharsets).into_iter().next();
            assert_eq!(
                first_name_owned(text.to_string(), &NoCharsets),
                parsed.and_then(|m| m.name),
                "{text}"
            );
        }
    }
}
