//! Making a pasted header block parseable without losing track of the
//! user's bytes.
//!
//! People paste what their client shows them: Gmail's "Show original" page
//! with its summary box on top (in any UI language: its buttons where their
//! wording is known, else its upper-case SPF/DKIM/DMARC rows), copies that
//! lost the indentation of folded lines (Outlook's Internet headers, the
//! very first Received too; webmail header views), HTML-escaped text (named
//! or numbered entities), a title or sentence before the headers ("view
//! source" dialogs), old Mac line ends. [`prepare`] returns the header block rewritten for parsing, an
//! [`OffsetMap`] back to the original input (every span in the report is an
//! offset into what the user gave), and notes saying what was changed.

pub mod cfb;
pub mod info;
pub mod mbox;
pub mod message;
pub mod msg;

use std::borrow::Cow;

use serde::Serialize;

use crate::span::Span;

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
    /// Every line of the block was indented alike (a quote, a code block, a
    /// page's box) and that indentation was removed.
    Dedented {
        /// Lines whose indentation was removed.
        lines: usize,
    },
    /// A MIME multipart body never closed its boundary: its last part was
    /// read to the end of the input.
    MimeUnclosed,
    /// A MIME multipart body had no usable boundary (no parameter, or no
    /// line uses it): it was read as one text part.
    MimeNoBoundary,
    /// MIME parts nested deeper than `limit` levels were not opened: the
    /// deepest one was read as text.
    MimeTooDeep {
        /// The levels opened.
        limit: usize,
    },
    /// Only the first `limit` MIME parts were read.
    MimeTooManyParts {
        /// The parts read.
        limit: usize,
    },
}

impl InputNote {
    /// What was repaired, as a clause in `lang` ("skipped Gmail's summary
    /// box (7 lines)").
    pub fn clause(&self, lang: crate::wording::Lang) -> String {
        use crate::wording::Lang::{En, Ja};
        match (self, lang) {
            (InputNote::SkippedGmailSummary { lines }, En) => {
                format!("skipped Gmail's summary box ({lines} lines)")
            }
            (InputNote::SkippedGmailSummary { lines }, Ja) => {
                format!("Gmail の概要欄（{lines} 行）を読み飛ばし")
            }
            (InputNote::SkippedLeadingText { lines }, En) => {
                format!("skipped {lines} lines of text before the headers")
            }
            (InputNote::SkippedLeadingText { lines }, Ja) => {
                format!("ヘッダーの前の文章 {lines} 行を読み飛ばし")
            }
            (InputNote::Reindented { lines }, En) => {
                format!("re-joined {lines} folded lines that had lost their indentation")
            }
            (InputNote::Reindented { lines }, Ja) => {
                format!("字下げが失われた折り返し行 {lines} 行をつなぎ直し")
            }
            (InputNote::HtmlEntitiesDecoded { count }, En) => {
                format!("decoded {count} HTML entities (&lt; &gt; &amp;)")
            }
            (InputNote::HtmlEntitiesDecoded { count }, Ja) => {
                format!("HTML 実体参照（&lt; &gt; &amp; など）{count} 個を元の文字に戻し")
            }
            (InputNote::BareCrLineEnds, En) => "read old Mac (CR) line ends".to_string(),
            (InputNote::BareCrLineEnds, Ja) => "古い Mac 形式（CR）の改行を読み取り".to_string(),
            (InputNote::Dedented { lines }, En) => {
                format!("removed the indentation shared by all {lines} lines")
            }
            (InputNote::Dedented { lines }, Ja) => {
                format!("全 {lines} 行に共通する字下げを取り除き")
            }
            (InputNote::MimeUnclosed, En) => {
                "read a MIME part whose boundary never closes to the end of the message".to_string()
            }
            (InputNote::MimeUnclosed, Ja) => {
                "境界が閉じられていない MIME パートをメッセージの末尾まで読み取り".to_string()
            }
            (InputNote::MimeNoBoundary, En) => {
                "read a multipart body without a usable boundary as one text part".to_string()
            }
            (InputNote::MimeNoBoundary, Ja) => {
                "使える境界（boundary）がないマルチパート本文を 1 つのテキストとして読み取り"
                    .to_string()
            }
            (InputNote::MimeTooDeep { limit }, En) => {
                format!("read MIME parts nested deeper than {limit} levels as text, unopened")
            }
            (InputNote::MimeTooDeep { limit }, Ja) => {
                format!(
                    "{limit} 段より深く入れ子になった MIME パートを開かずにテキストとして読み取り"
                )
            }
            (InputNote::MimeTooManyParts { limit }, En) => {
                format!("read only the first {limit} MIME parts")
            }
            (InputNote::MimeTooManyParts { limit }, Ja) => {
                format!("MIME パートは最初の {limit} 個だけを読み取り")
            }
        }
    }

    /// Every repair as one sentence in `lang`; `None` when nothing was
    /// repaired.
    pub fn sentence(notes: &[InputNote], lang: crate::wording::Lang) -> Option<String> {
        if notes.is_empty() {
            return None;
        }
        let clauses: Vec<String> = notes.iter().map(|n| n.clause(lang)).collect();
        Some(match lang {
            crate::wording::Lang::En => {
                format!("To read this paste, Todoku {}.", clauses.join("; "))
            }
            crate::wording::Lang::Ja => {
                format!("貼り付けを読み取るため、{}ました。", clauses.join("、"))
            }
        })
    }
}

/// Maps offsets in the prepared bytes back to the original input.
///
/// A repaired paste has an edit per re-indented line, per HTML entity, per
/// dedented line: a hostile paste has millions. Each edit is kept in two
/// to four bytes (issue 19 item 3: as `(usize, isize)` pairs, sixteen
/// bytes for a three-byte line, they made memory 17 times the input).
#[derive(Debug, Clone, Default)]
pub(crate) struct OffsetMap {
    /// Bytes of the original skipped before the prepared text starts.
    base: usize,
    /// The edits in order, each the prepared offset where it takes effect
    /// (from the previous one's) and the change of (original − prepared)
    /// there (zigzag): two LEB128 numbers.
    edits: Vec<u8>,
    /// After every [`CHECKPOINT`]-th edit: its prepared offset, the
    /// difference after it and where the next edit starts in `edits`.
    checkpoints: Vec<(usize, isize, usize)>,
    /// The last edit: how many there are, its offset and difference.
    count: usize,
    last: (usize, isize),
    /// When the prepared text was itself decoded out of the input (a
    /// quoted-printable text, a `> ` quote): the decoded text's map.
    then: Option<Box<OffsetMap>>,
}

/// Edits between two [`OffsetMap`] checkpoints: a lookup reads at most
/// this many.
const CHECKPOINT: usize = 32;

/// Appends `n` as LEB128.
fn push_leb(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// The LEB128 number at `*at`, moving `*at` past it.
fn read_leb(bytes: &[u8], at: &mut usize) -> u64 {
    let mut n = 0u64;
    let mut shift = 0;
    while let Some(&byte) = bytes.get(*at) {
        *at += 1;
        if shift < 64 {
            n |= u64::from(byte & 0x7f) << shift;
        }
        shift += 7;
        if byte & 0x80 == 0 {
            break;
        }
    }
    n
}

impl OffsetMap {
    /// From prepared offset `at` on (edits come in order of `at`), the
    /// original offset is the prepared one plus `delta`.
    pub(crate) fn push(&mut self, at: usize, delta: isize) {
        let (last_at, last_delta) = self.last;
        push_leb(&mut self.edits, at.saturating_sub(last_at) as u64);
        let change = delta.wrapping_sub(last_delta) as i64;
        push_leb(&mut self.edits, ((change << 1) ^ (change >> 63)) as u64);
        self.last = (at, delta);
        self.count += 1;
        if self.count.is_multiple_of(CHECKPOINT) {
            self.checkpoints.push((at, delta, self.edits.len()));
        }
    }

    pub(crate) fn offset(&self, prepared: usize) -> usize {
        // The last checkpoint at or before `prepared`, then the edits
        // after it up to `prepared`: the difference of the last edit at or
        // before it.
        let (mut at, mut delta, mut i) = match self
            .checkpoints
            .partition_point(|(at, _, _)| *at <= prepared)
        {
            0 => (0, 0, 0),
            n => self.checkpoints.get(n - 1).copied().unwrap_or((0, 0, 0)),
        };
        while i < self.edits.len() {
            let mut next = i;
            let gap = read_leb(&self.edits, &mut next) as usize;
            let zigzag = read_leb(&self.edits, &mut next);
            let change = ((zigzag >> 1) as i64 ^ -((zigzag & 1) as i64)) as isize;
            let edit_at = at.saturating_add(gap);
            if edit_at > prepared {
                break;
            }
            (at, delta, i) = (edit_at, delta.wrapping_add(change), next);
        }
        let here = (self.base as isize + prepared as isize + delta).max(0) as usize;
        match &self.then {
            Some(outer) => outer.offset(here),
            None => here,
        }
    }

    /// The same map for a text that starts `by` bytes into the input (a
    /// message inside the message the user gave).
    pub(crate) fn shift(&mut self, by: usize) {
        match &mut self.then {
            Some(outer) => outer.shift(by),
            None => self.base += by,
        }
    }

    /// The same map for a text decoded out of the input: `outer` maps the
    /// decoded text into the input.
    pub(crate) fn then(&mut self, outer: OffsetMap) {
        self.then = Some(Box::new(outer));
    }

    /// An empty map for a text decoded out of the input at `base`: its
    /// edits are [`OffsetMap::push`]ed as it is decoded (one where the
    /// difference changes: an `=XX`, a soft line break, a quote mark).
    pub(crate) fn starting(base: usize, edits: usize) -> OffsetMap {
        OffsetMap {
            base,
            edits: Vec::with_capacity(edits),
            ..OffsetMap::default()
        }
    }

    pub(crate) fn span(&self, s: Span) -> Span {
        Span {
            start: self.offset(s.start),
            end: self.offset(s.end),
        }
    }
}

/// The prepared header block and, beside it, the body.
#[derive(Debug)]
pub(crate) struct Prepared<'a> {
    /// The header block as the parser reads it, with the blank line after
    /// it; the body is not copied (only headers are parsed).
    pub(crate) bytes: Cow<'a, [u8]>,
    /// What follows the blank line, for the signatures' body hash:
    /// borrowed from the input unless lone CRs were repaired.
    pub(crate) body: Cow<'a, [u8]>,
    /// Whether anything follows the blank line.
    pub(crate) has_body: bool,
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
    // A field name is printable ASCII up to the colon, which may follow
    // white space (RFC 5322 4.5's obsolete `From : x`): stop at the first
    // other byte, which must be the colon, after at least one name byte.
    let Some(end) = line
        .iter()
        .position(|&b| b == b':' || !(33..=126).contains(&b))
    else {
        return false;
    };
    let colon = end
        + line
            .get(end..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
    end > 0 && line.get(colon) == Some(&b':')
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

/// The buttons under Gmail's "Show original" summary, in the languages
/// whose wording is known (compared ignoring ASCII case).
const GMAIL_MARKERS: [&[u8]; 4] = [
    b"Download original",
    b"Copy to clipboard",
    "元のメッセージをダウンロード".as_bytes(),
    "クリップボードにコピー".as_bytes(),
];

/// The title of Gmail's "Show original" page.
const GMAIL_TITLES: [&[u8]; 2] = [b"Original message", "元のメッセージ".as_bytes()];

/// How far down a paste Gmail's summary is looked for.
const GMAIL_SUMMARY_LINES: usize = 60;

fn eq_ignore_case(a: &[u8], b: &[u8]) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// A line of nothing but Gmail's buttons: one, or both side by side (a
/// table row copied with a tab between its cells).
fn gmail_marker_line(line: &[u8]) -> bool {
    let mut any = false;
    for cell in line.split(|&b| b == b'\t') {
        let cell = cell.trim_ascii();
        if cell.is_empty() {
            continue;
        }
        if !GMAIL_MARKERS.iter().any(|m| eq_ignore_case(cell, m)) {
            return false;
        }
        any = true;
    }
    any
}

/// A value Gmail writes in its summary's SPF, DKIM and DMARC rows, in every
/// language: an upper-case result, maybe quoted (`PASS with IP …`,
/// `'PASS'（ドメイン …）`). Raw headers write results in lower case.
fn gmail_verdict_value(value: &[u8]) -> bool {
    let value = value.trim_ascii();
    let value = value.strip_prefix(b"'").unwrap_or(value);
    [
        b"PASS".as_slice(),
        b"FAIL",
        b"SOFTFAIL",
        b"NEUTRAL",
        b"NONE",
        b"TEMPERROR",
        b"PERMERROR",
    ]
    .iter()
    .any(|word| {
        value.starts_with(word)
            && value
                .get(word.len())
                .is_none_or(|b| !b.is_ascii_alphanumeric())
    })
}

/// A row of the summary's SPF, DKIM or DMARC verdict: `SPF:<TAB>PASS …` on
/// one line (`Some(0)`) or `SPF:` with the value on the next line
/// (`Some(1)`, the lines the row takes after this one).
fn gmail_verdict_row(line: &[u8], next: Option<&[u8]>) -> Option<usize> {
    let line = line.trim_ascii();
    let rest = [b"SPF:".as_slice(), b"DKIM:", b"DMARC:"]
        .iter()
        .find_map(|label| line.strip_prefix(*label))?;
    if rest.is_empty() {
        next.filter(|n| gmail_verdict_value(n)).map(|_| 1)
    } else {
        (rest.first().is_some_and(|b| *b == b'\t' || *b == b' ') && gmail_verdict_value(rest))
            .then_some(0)
    }
}

/// A row of the summary copied as one line: a short label, a tab, a value
/// (`Message ID<TAB><…>`, `作成日:<TAB>…`).
fn gmail_tab_row(line: &[u8]) -> bool {
    memchr::memchr(b'\t', line).is_some_and(|at| at > 0 && at <= 40)
}

/// The last line of Gmail's "Show original" summary (title, table, buttons)
/// when the paste starts with it, in any of Gmail's languages: its buttons
/// where their wording is known, else its SPF/DKIM/DMARC verdict rows (the
/// same in every language: an upper-case result), or the rows after a
/// known title. The summary's verdicts are skipped with it: the raw
/// Authentication-Results below records the same results.
fn gmail_summary_end(bytes: &[u8]) -> Option<usize> {
    let line = |&(s, e): &(usize, usize)| bytes.get(s..e).unwrap_or_default();
    let top = || lines(bytes).take(GMAIL_SUMMARY_LINES).map(|l| line(&l));
    let (first, opening) = top()
        .enumerate()
        .find(|(_, l)| !l.trim_ascii().is_empty())?;
    let title = GMAIL_TITLES
        .iter()
        .any(|t| eq_ignore_case(opening.trim_ascii(), t));
    // A paste that opens with a header field is not Gmail's page (only its
    // buttons would say it is): no verdict rows are looked for in it.
    let opens_with_field = !title && starts_field(opening);
    let mut end = None;
    // The last one-line row after a known title, while the rows last.
    let mut after_title = title.then_some(first);
    let mut rows = top().enumerate().skip(first).peekable();
    while let Some((i, l)) = rows.next() {
        let next = rows.peek().map(|(_, n)| *n);
        if gmail_marker_line(l) {
            end = Some(i);
        } else if !opens_with_field && let Some(k) = gmail_verdict_row(l, next) {
            end = Some(i + k);
        }
        if let Some(last) = after_title
            && i > first
        {
            if gmail_tab_row(l) {
                after_title = Some(i);
            } else if !l.trim_ascii().is_empty() {
                end = end.max(Some(last));
                after_title = None;
            }
        }
    }
    end.max(after_title)
}

/// Header names that open a header block and that nobody starts a
/// sentence with: a line starting one begins the block even when the line
/// after it has lost its indentation (an Outlook copy whose very first
/// Received is unfolded).
fn trace_field(line: &[u8]) -> bool {
    let Some(colon) = memchr::memchr(b':', line) else {
        return false;
    };
    let name = line.get(..colon).unwrap_or_default().trim_ascii_end();
    let starts = |p: &[u8]| {
        name.get(..p.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(p))
    };
    [
        b"Received".as_slice(),
        b"Return-Path",
        b"Delivered-To",
        b"Received-SPF",
        b"Authentication-Results",
        b"DKIM-Signature",
    ]
    .iter()
    .any(|n| name.eq_ignore_ascii_case(n))
        || starts(b"X-")
        || starts(b"ARC-")
}

/// Spaces and tabs at the start of `line`.
fn indentation(line: &[u8]) -> usize {
    line.iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count()
}

/// A field with nothing after its colon (`Headers:` over a paste).
fn empty_field(line: &[u8]) -> bool {
    memchr::memchr(b':', line)
        .and_then(|colon| line.get(colon + 1..))
        .is_some_and(|value| value.trim_ascii().is_empty())
}

/// A paste indented as a whole (a quote, a code block, a page's box): its
/// first indented line from line `from` on, after lines of text at column
/// 0 that start no header field, is a field, and no line of its block (to
/// the first line of nothing but white space) is indented less. (line
/// number, offset, width)
fn indented_block(bytes: &[u8], from: usize) -> Option<(usize, usize, usize)> {
    let line = |&(s, e): &(usize, usize)| bytes.get(s..e).unwrap_or_default();
    let mut rest = lines(bytes).enumerate().skip(from);
    let (i, first) = loop {
        let (i, l) = rest.next()?;
        let text = line(&l);
        if text.trim_ascii().is_empty() {
            continue;
        }
        if indentation(text) > 0 {
            break (i, l);
        }
        if starts_field(text) && !empty_field(text) {
            return None;
        }
    };
    let width = indentation(line(&first));
    let field = line(&first).get(width..).unwrap_or_default();
    if width == 0 || !starts_field(field) || !usual_name(field) {
        return None;
    }
    for (_, l) in rest {
        let text = line(&l);
        if text.trim_ascii().is_empty() {
            break;
        }
        if indentation(text) < width {
            return None;
        }
    }
    Some((i, first.0, width))
}

/// Where the header block starts: after Gmail's summary, or at the first
/// line that starts a field and is followed by more header lines; and the
/// width of indentation every line of it has (0 but in an indented paste).
fn header_start(bytes: &[u8], notes: &mut Vec<InputNote>) -> (usize, usize) {
    let line = |&(s, e): &(usize, usize)| bytes.get(s..e).unwrap_or_default();
    let gmail = gmail_summary_end(bytes);
    let from = match gmail {
        Some(i) => i + 1,
        None => 0,
    };
    let skipped = |i: usize, notes: &mut Vec<InputNote>| {
        if i == 0 {
        } else if gmail.is_some() {
            notes.push(InputNote::SkippedGmailSummary { lines: i });
        } else if lines(bytes)
            .take(i)
            .any(|l| !line(&l).trim_ascii().is_empty())
        {
            notes.push(InputNote::SkippedLeadingText { lines: i });
        }
    };
    if let Some((i, start, width)) = indented_block(bytes, from) {
        skipped(i, notes);
        return (start, width);
    }
    let mut candidates = lines(bytes).enumerate().skip(from).peekable();
    let mut first = None;
    while let Some((i, l)) = candidates.next() {
        let next = candidates.peek().map(|(_, n)| line(n)).unwrap_or_default();
        if starts_field(line(&l))
            && (if next.is_empty() {
                // `Headers:` over a blank line labels a paste.
                !empty_field(line(&l))
            } else {
                starts_field(next)
                    || next.first().is_some_and(|b| *b == b' ' || *b == b'\t')
                    || !next.contains(&b':')
                    || trace_field(line(&l))
            })
        {
            first = Some((i, l));
            break;
        }
    }
    match first {
        Some((i, (s, _))) => {
            skipped(i, notes);
            (s, 0)
        }
        None => (0, 0),
    }
}

/// Whether a line lost its indentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lost {
    No,
    /// No indentation and no field name: a continuation line.
    Certain,
    /// A field name no header has (`09:02:08 +0000`, `(2603:1096::9) by`,
    /// `<mailto:…>`, `h=From:To`): a continuation line when the block lost
    /// its folding elsewhere too.
    Odd,
}

/// A field name as headers have them: a letter, then letters, digits, `-`,
/// `_` or `.` (RFC 5322 allows more; nothing sends more).
fn usual_name(line: &[u8]) -> bool {
    let name = memchr::memchr(b':', line)
        .and_then(|colon| line.get(..colon))
        .unwrap_or_default()
        .trim_ascii_end();
    name.first().is_some_and(u8::is_ascii_alphabetic)
        && name
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// A line with no indentation that does not start a field (and is not a
/// spaced name): its lost indentation is restored (the first line never is).
fn lost_indent(n: usize, line: &[u8], spaced: bool) -> Lost {
    if n == 0
        || spaced
        || line.is_empty()
        || line.first().is_some_and(|b| *b == b' ' || *b == b'\t')
    {
        Lost::No
    } else if !starts_field(line) {
        Lost::Certain
    } else if !usual_name(line) {
        Lost::Odd
    } else {
        Lost::No
    }
}

/// Prepare `input` for parsing. The header block is borrowed from `input`
/// when nothing in it needs changing (the usual paste), else copied.
pub(crate) fn prepare(input: &[u8]) -> Prepared<'_> {
    let mut notes = Vec::new();
    let bytes = repair_lone_crs(input, &mut notes);
    let (base, indent) = header_start(&bytes, &mut notes);
    let (block_len, blank) = block_extent(bytes.get(base..).unwrap_or_default(), indent);
    // The body (after the blank line) is not copied: borrowed from the
    // input, or split off the repaired copy.
    let body_at = (base + block_len + blank).min(bytes.len());
    let (head, body): (Cow<'_, [u8]>, Cow<'_, [u8]>) = match bytes {
        Cow::Borrowed(all) => {
            let (head, body) = all.split_at(body_at);
            (Cow::Borrowed(head), Cow::Borrowed(body))
        }
        Cow::Owned(mut all) => {
            let body = all.split_off(body_at);
            (Cow::Owned(all), Cow::Owned(body))
        }
    };
    let has_body = !body.is_empty();
    let block = head.get(base..base + block_len).unwrap_or_default();
    let escaped = html_escaped(block);
    let LineScan {
        lost,
        indented,
        spaced_names,
    } = scan_lines(block, base, indent);
    if !escaped && lost == 0 && indent == 0 {
        let bytes = match head {
            Cow::Borrowed(all) => Cow::Borrowed(all.get(base..).unwrap_or_default()),
            Cow::Owned(mut all) => {
                all.drain(..base.min(all.len()));
                Cow::Owned(all)
            }
        };
        return Prepared {
            bytes,
            body,
            has_body,
            map: OffsetMap {
                base,
                ..OffsetMap::default()
            },
            notes,
            spaced_names,
        };
    }
    let repair = Repair {
        base,
        block_len,
        blank,
        indent,
        escaped,
        lost,
        indented,
    };
    let (out, map) = rewrite(&head, &repair, &mut notes);
    Prepared {
        bytes: Cow::Owned(out),
        body,
        has_body,
        map,
        notes,
        spaced_names,
    }
}

/// `input` with each CR not followed by LF (old Mac files, or a mixture)
/// made a line end: same length, so no offsets move. Copied only when
/// there is one.
fn repair_lone_crs<'a>(input: &'a [u8], notes: &mut Vec<InputNote>) -> Cow<'a, [u8]> {
    let lone = |&i: &usize| input.get(i + 1) != Some(&b'\n');
    if memchr::memchr_iter(b'\r', input).any(|i| lone(&i)) {
        notes.push(InputNote::BareCrLineEnds);
        let mut copy = input.to_vec();
        for i in memchr::memchr_iter(b'\r', input).filter(lone) {
            if let Some(b) = copy.get_mut(i) {
                *b = b'\n';
            }
        }
        Cow::Owned(copy)
    } else {
        Cow::Borrowed(input)
    }
}

/// The header block's length in `rest` (from the block's start) and the
/// length of the blank line that ends it with its line end (0 if none).
fn block_extent(rest: &[u8], indent: usize) -> (usize, usize) {
    // The blank line that ends the block: empty, or in an indented
    // paste of nothing but white space.
    let blank_line = lines(rest).find(|&(s, e)| {
        s == e || (indent > 0 && rest.get(s..e).is_some_and(|l| l.trim_ascii().is_empty()))
    });
    match blank_line {
        Some((s, e)) => {
            let after = rest.get(e..).unwrap_or_default();
            let newline = if after.starts_with(b"\r\n") {
                2
            } else {
                usize::from(after.starts_with(b"\n"))
            };
            (s, e - s + newline)
        }
        None => (rest.len(), 0),
    }
}

/// Whether `block` is an HTML-escaped copy: only when it has no real angle
/// brackets.
fn html_escaped(block: &[u8]) -> bool {
    !block.contains(&b'<')
        && (contains(block, b"&lt;")
            || contains(block, b"&gt;")
            || contains(block, b"&amp;")
            || ESCAPED_NUMERIC
                .iter()
                .any(|e| contains_ignore_case(block, e)))
}

/// The indentation removed from `line` of a paste indented by `indent`.
fn cut(line: &[u8], indent: usize) -> usize {
    indentation(line).min(indent)
}

/// What a first pass over the block's lines finds.
struct LineScan {
    /// How many lines lost their indentation (0 unless one of them is
    /// certain: no colon at all). Which lines they are is decided again as
    /// they are copied: no list of them is kept.
    lost: usize,
    /// Lines whose indentation an indented paste loses.
    indented: usize,
    /// Lines like `Fr om: …` (name as written, span in the input).
    spaced_names: Vec<(String, Span)>,
}

/// The lines of `block` (at `base` of the input, indented by `indent`)
/// that lost their folding or indentation, and those with a spaced name.
fn scan_lines(block: &[u8], base: usize, indent: usize) -> LineScan {
    let mut spaced_names = Vec::new();
    let mut lost = 0usize;
    let mut folding_lost = false;
    let mut indented = 0usize;
    for (n, (s, e)) in lines(block).enumerate() {
        let line = block.get(s..e).unwrap_or_default();
        indented += usize::from(cut(line, indent) > 0);
        let s = s + cut(line, indent);
        let line = block.get(s..e).unwrap_or_default();
        let spaced = spaced_name(line);
        match lost_indent(n, line, spaced.is_some()) {
            Lost::No => {}
            Lost::Certain => {
                folding_lost = true;
                lost += 1;
            }
            Lost::Odd => lost += 1,
        }
        if let Some(name) = spaced {
            let at = base + s;
            spaced_names.push((
                name,
                Span {
                    start: at,
                    end: at + line.len(),
                },
            ));
        }
    }
    // A line like `09:02:08 +0000` or `(2603:1096::9) by …` reads as a
    // field only because a colon comes early: re-indented only in a block
    // that lost its folding elsewhere too, never in an intact one.
    if !folding_lost {
        lost = 0;
    }
    LineScan {
        lost,
        indented,
        spaced_names,
    }
}

/// Where the header block is and what [`rewrite`] repairs in it.
struct Repair {
    /// The block's start and length in the input, and its blank line's.
    base: usize,
    block_len: usize,
    blank: usize,
    /// The indentation of an indented paste (0: none).
    indent: usize,
    /// HTML entities are decoded.
    escaped: bool,
    /// Lines that lost their indentation, and lines indented by the paste
    /// ([`LineScan`]).
    lost: usize,
    indented: usize,
}

/// The header block of `head` and its blank line, repaired: the paste's
/// indentation removed, lost folding re-indented, HTML entities decoded;
/// with the map of the edits back to the input. What was repaired is noted
/// in `notes`.
fn rewrite(head: &[u8], r: &Repair, notes: &mut Vec<InputNote>) -> (Vec<u8>, OffsetMap) {
    let block = head.get(r.base..r.base + r.block_len).unwrap_or_default();
    // Sized once: a space per re-indented line is all it grows by.
    let mut out = Vec::with_capacity(r.block_len + r.blank + r.lost);
    // Two bytes per edit, as nearly all are: never grown for the lines'
    // edits (growing would briefly hold the edits twice over).
    let mut map = OffsetMap {
        base: r.base,
        edits: Vec::with_capacity(2 * (r.lost + r.indented) + 16),
        ..OffsetMap::default()
    };
    let mut delta: isize = 0;
    let mut entities = 0;
    let mut dedented = 0;
    let reindented = r.lost;
    for (n, (s, e)) in lines(block).enumerate() {
        let line = block.get(s..e).unwrap_or_default();
        let newline = block.get(e..).map_or(0, |after| {
            if after.starts_with(b"\r\n") {
                2
            } else {
                usize::from(after.starts_with(b"\n"))
            }
        });
        let removed = cut(line, r.indent);
        let line = line.get(removed..).unwrap_or_default();
        if removed > 0 {
            dedented += 1;
            delta += removed as isize;
            map.push(out.len(), delta);
        }
        // The same judgement as the count in `scan_lines`, on the same line.
        if reindented > 0 && lost_indent(n, line, spaced_name(line).is_some()) != Lost::No {
            out.push(b' ');
            delta -= 1;
            map.push(out.len(), delta);
        }
        if r.escaped {
            entities += decode_entities(line, &mut out, &mut map, &mut delta);
        } else {
            out.extend_from_slice(line);
        }
        out.extend_from_slice(block.get(e..e + newline).unwrap_or_default());
    }
    // The blank line: in an indented paste, its white space goes (a line
    // of white space would continue the block).
    let tail = head.get(r.base + r.block_len..).unwrap_or_default();
    let removed = if r.indent > 0 { indentation(tail) } else { 0 };
    if removed > 0 {
        delta += removed as isize;
        map.push(out.len(), delta);
    }
    out.extend_from_slice(tail.get(removed..).unwrap_or_default());
    if dedented > 0 {
        notes.push(InputNote::Dedented { lines: dedented });
    }
    if reindented > 0 {
        notes.push(InputNote::Reindented { lines: reindented });
    }
    if entities > 0 {
        notes.push(InputNote::HtmlEntitiesDecoded { count: entities });
    }
    (out, map)
}

/// `line` onto `out` with its HTML entities decoded, each an edit in `map`
/// (`delta`: original − prepared so far); how many there were.
fn decode_entities(
    line: &[u8],
    out: &mut Vec<u8>,
    map: &mut OffsetMap,
    delta: &mut isize,
) -> usize {
    let mut entities = 0;
    let mut i = 0;
    while i < line.len() {
        let rest = line.get(i..).unwrap_or_default();
        let entity = ENTITIES.into_iter().find(|(name, _)| {
            rest.get(..name.len())
                .is_some_and(|r| r.eq_ignore_ascii_case(name))
        });
        match entity {
            Some((name, ch)) => {
                out.push(ch);
                *delta += name.len() as isize - 1;
                map.push(out.len(), *delta);
                entities += 1;
                i += name.len();
            }
            None => {
                out.push(rest.first().copied().unwrap_or_default());
                i += 1;
            }
        }
    }
    entities
}

/// The entities an HTML-escaped copy has, named or numbered (decimal or
/// hexadecimal: `&#60;`, `&#x3C;`), compared ignoring ASCII case; `&nbsp;`
/// is a space (a page's indentation).
const ENTITIES: [(&[u8], u8); 16] = [
    (b"&lt;", b'<'),
    (b"&gt;", b'>'),
    (b"&amp;", b'&'),
    (b"&quot;", b'"'),
    (b"&apos;", b'\''),
    (b"&nbsp;", b' '),
    (b"&#60;", b'<'),
    (b"&#62;", b'>'),
    (b"&#38;", b'&'),
    (b"&#34;", b'"'),
    (b"&#39;", b'\''),
    (b"&#x3c;", b'<'),
    (b"&#x3e;", b'>'),
    (b"&#x26;", b'&'),
    (b"&#x22;", b'"'),
    (b"&#x27;", b'\''),
];

/// The numbered forms of `<`, `>` and `&` that mark an escaped copy.
const ESCAPED_NUMERIC: [&[u8]; 6] = [
    b"&#60;", b"&#62;", b"&#38;", b"&#x3c;", b"&#x3e;", b"&#x26;",
];

/// [`contains`], ignoring ASCII case after the first byte.
fn contains_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let mut from = 0;
    while let Some(at) = hay.get(from..).and_then(|h| memchr::memchr(first, h)) {
        let start = from + at + 1;
        if hay
            .get(start..start + rest.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(rest))
        {
            return true;
        }
        from = start;
    }
    false
}

/// Whether `needle` (which starts with a byte that is rare in headers, like
/// `&`) occurs in `hay`: jump between occurrences of its first byte rather
/// than comparing at every offset.
pub(crate) fn contains(hay: &[u8], needle: &[u8]) -> bool {
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
    fn the_compact_offset_map_answers_as_a_list_of_edits_would() {
        // Edits in order, some at the same offset, with deltas going up
        // and down by small and large steps (an indented paste removes
        // whole indentations).
        let mut x: u32 = 0x2545_F491;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x
        };
        let mut list: Vec<(usize, isize)> = Vec::new();
        let mut map = OffsetMap {
            base: 7,
            ..OffsetMap::default()
        };
        let (mut at, mut delta) = (0usize, 0isize);
        for _ in 0..1000 {
            at += (next() % 5) as usize;
            delta += match next() % 4 {
                0 => -1,
                1 => 3,
                2 => (next() % 5000) as isize,
                _ => -((next() % 700) as isize),
            };
            list.push((at, delta));
            map.push(at, delta);
        }
        for prepared in 0..at + 10 {
            let want = match list.partition_point(|(a, _)| *a <= prepared) {
                0 => 0,
                i => list[i - 1].1,
            };
            let want = (7 + prepared as isize + want).max(0) as usize;
            assert_eq!(map.offset(prepared), want, "{prepared}");
        }
        // Two to four bytes per edit here, not sixteen.
        assert!(map.edits.len() <= 4 * list.len(), "{}", map.edits.len());
    }

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
        let head =
            b"Received: from a by b; Mon, 1 Jan 2024 00:00:00 +0000\r\n\tmore\r\nFrom: x@y\r\n\r\n";
        let input = [head.as_slice(), b"body\r\n"].concat();
        let input = input.as_slice();
        let p = prepare(input);
        // The header block and its blank line, unchanged; the body not copied.
        assert_eq!(&*p.bytes, head.as_slice());
        assert!(
            matches!(p.bytes, Cow::Borrowed(_)),
            "nothing to change: not copied"
        );
        assert!(p.has_body);
        assert!(!prepare(head).has_body);
        assert!(p.notes.is_empty());
        assert_eq!(p.map.offset(17), 17);
    }

    #[test]
    fn lost_indentation_is_restored_and_offsets_map_back() {
        let input = b"Received: from a.example (a.example [192.0.2.1])\nby b.example with ESMTPS id X\nfor <u@b.example>; Mon, 1 Jan 2024 00:00:00 +0000\nFrom: x@a.example\n\n";
        let p = prepare(input);
        assert_eq!(p.notes, vec![InputNote::Reindented { lines: 2 }]);
        let text = String::from_utf8(p.bytes.to_vec()).unwrap();
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
        let text = String::from_utf8(p.bytes.to_vec()).unwrap();
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
    fn a_name_with_space_before_its_colon_starts_a_field_not_a_fold() {
        // authentication-milter's dmarc_multi.eml: a second From written
        // `From :` was re-indented into the first From.
        let input = b"From: a@x.example\r\nFrom : b@y.example\r\nTo: c@z.example\r\n\r\n";
        let p = prepare(input);
        assert!(p.notes.is_empty(), "{:?}", p.notes);
        assert_eq!(&*p.bytes, input.as_slice());
        assert!(!starts_field(b"Sub ject: x"));
        assert!(!starts_field(b" : x"));
    }

    #[test]
    fn lines_that_only_look_like_fields_rejoin_a_block_that_lost_its_folding() {
        // Exchange folds mid-date and before an IPv6 address in parentheses;
        // copied without indentation those lines start like `09:` and
        // `(2603:` fields. The first line is a Received whose next line has
        // a colon: it still starts the block.
        let input = b"Received: from a.example (2603:1096:404:1::23) by\nb.example with HTTPS; Mon, 23 Nov 2026\n09:02:08 +0000\nReceived: from c.example\n(2603:1096:404:1:cafe::45) by a.example\nwith SMTP; Mon, 23 Nov 2026 09:02:07 +0000\n\n";
        let p = prepare(input);
        assert_eq!(p.notes, vec![InputNote::Reindented { lines: 4 }]);
        let text = String::from_utf8(p.bytes.to_vec()).unwrap();
        assert!(text.contains("\n 09:02:08 +0000\n"), "{text}");
        assert!(text.contains("\n (2603:1096:404:1:cafe::45) by"), "{text}");
        // The second Received and its re-indented line map back.
        let at = text.find("Received: from c").unwrap();
        assert_eq!(&input[p.map.offset(at)..][..16], b"Received: from c");
        let at = text.find("(2603:1096:404:1:cafe").unwrap();
        assert_eq!(&input[p.map.offset(at)..][..21], b"(2603:1096:404:1:cafe");
    }

    #[test]
    fn an_intact_block_keeps_its_odd_field_names() {
        let input = b"Received: from a by b; Mon, 1 Jan 2024 00:00:00 +0000\n(x)-Odd: 1\n09: y\nFrom: x@y\n\n";
        let p = prepare(input);
        assert!(p.notes.is_empty(), "{:?}", p.notes);
        assert_eq!(&*p.bytes, input.as_slice());
    }

    #[test]
    fn gmail_summary_rows_and_buttons() {
        assert!(gmail_marker_line(b"Download Original\tCopy to clipboard\t"));
        assert!(gmail_marker_line("クリップボードにコピー".as_bytes()));
        assert!(!gmail_marker_line(b"Copy to clipboard, then paste"));
        assert!(!gmail_marker_line(b"\t"));
        assert_eq!(
            gmail_verdict_row(b"SPF:\tPASS with IP 192.0.2.1", None),
            Some(0)
        );
        assert_eq!(
            gmail_verdict_row(b"DMARC:", Some(b"'PASS' \xe8\xa9\xb3\xe7\xb4\xb0")),
            Some(1)
        );
        assert_eq!(gmail_verdict_row(b"SPF: pass", None), None);
        assert_eq!(gmail_verdict_row(b"SPF:\tPASSED", None), None);
        assert_eq!(gmail_verdict_row(b"DKIM:", None), None);
        // A block that opens with a field is no Gmail page, whatever follows.
        assert_eq!(gmail_summary_end(b"From: a@b\nSPF:\tPASS\n\n"), None);
        assert_eq!(
            gmail_summary_end(b"Original message\nSPF:\tPASS x\nDelivered-To: a@b\n"),
            Some(1)
        );
    }

    #[test]
    fn an_indented_paste_is_dedented_and_offsets_map_back() {
        let input = b"Headers:\n\n  Received: from a.example (a.example [192.0.2.1])\n      by b.example; Mon, 1 Jan 2024 00:00:00 +0000\n  From: x@a.example\n  \n  body\n";
        let p = prepare(input);
        assert_eq!(
            p.notes,
            vec![
                InputNote::SkippedLeadingText { lines: 2 },
                InputNote::Dedented { lines: 3 }
            ]
        );
        assert_eq!(
            &*p.bytes,
            b"Received: from a.example (a.example [192.0.2.1])\n    by b.example; Mon, 1 Jan 2024 00:00:00 +0000\nFrom: x@a.example\n\n".as_slice()
        );
        assert_eq!(&*p.body, b"  body\n".as_slice());
        let text = String::from_utf8(p.bytes.to_vec()).unwrap();
        for word in ["Received", "by b.example", "From:"] {
            let at = text.find(word).unwrap();
            let orig = p.map.offset(at);
            assert_eq!(&input[orig..orig + word.len()], word.as_bytes());
        }
        // A header field with nothing after it over a blank line is a label.
        let p = prepare(
            b"Headers:\n\nReceived: from a by b; Mon, 1 Jan 2024 00:00:00 +0000\nFrom: x@y\n\n",
        );
        assert!(p.bytes.starts_with(b"Received:"));
    }

    #[test]
    fn leading_sentence_is_skipped() {
        let input = b"Here are the headers you asked for:\n\nReturn-Path: <a@b.example>\nReceived: from x by y; Mon, 1 Jan 2024 00:00:00 +0000\n\n";
        let p = prepare(input);
        assert_eq!(p.notes, vec![InputNote::SkippedLeadingText { lines: 2 }]);
        assert!(p.bytes.starts_with(b"Return-Path:"));
        assert_eq!(p.map.offset(0), 37);
    }

    /// Regression: the CLI printed `(input: SkippedLeadingText { lines: 6 })`
    /// and the page English only; a repair is a sentence in both languages.
    #[test]
    fn repairs_are_told_as_one_sentence_in_either_language() {
        use crate::wording::Lang;
        let notes = [
            InputNote::SkippedGmailSummary { lines: 7 },
            InputNote::Reindented { lines: 2 },
        ];
        assert_eq!(
            InputNote::sentence(&notes, Lang::En).as_deref(),
            Some(
                "To read this paste, Todoku skipped Gmail's summary box (7 lines); re-joined 2 folded lines that had lost their indentation."
            )
        );
        let ja = InputNote::sentence(&notes, Lang::Ja).unwrap_or_default();
        assert!(
            ja.starts_with("貼り付けを読み取るため、Gmail の概要欄（7 行）"),
            "{ja}"
        );
        assert!(ja.ends_with("ました。") && !ja.contains('{'), "{ja}");
        assert_eq!(InputNote::sentence(&[], Lang::En), None);
    }
}
