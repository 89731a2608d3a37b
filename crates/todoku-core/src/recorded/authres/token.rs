//! The RFC 8601 tokenizer: CFWS, quoted strings, and the few specials.

use std::borrow::Cow;

use super::{MAX_PROBLEMS, SyntaxProblem};
use crate::span::Span;

/// A token with its byte span in the input; its text is borrowed from the
/// input (a comment's or quoted string's text is unquoted when asked for).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Token<'a> {
    pub(super) kind: Kind<'a>,
    pub(super) span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind<'a> {
    /// `;`
    Semi,
    /// `=`
    Eq,
    /// `.`
    Dot,
    /// `/`
    Slash,
    /// `(comment)`.
    Comment(Text<'a>),
    /// `"quoted string"`.
    Quoted(Text<'a>),
    /// Any other run of non-space characters.
    Atom(&'a str),
}

/// The inside of a comment or quoted string, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Text<'a> {
    inner: &'a str,
    /// A `\` occurs in it.
    escaped: bool,
}

impl<'a> Text<'a> {
    /// The text: `\` quoting resolved, unfolded (nesting is kept as
    /// written). Borrowed when neither changes anything.
    pub(super) fn get(self) -> Cow<'a, str> {
        unquote(self.inner, self.escaped)
    }
}

/// Syntax problems found so far: the first [`MAX_PROBLEMS`] are kept, the
/// rest only counted (a hostile header can hold one per byte).
#[derive(Debug, Default)]
pub(super) struct Problems {
    pub(super) kept: Vec<SyntaxProblem>,
    pub(super) omitted: usize,
}

impl Problems {
    /// Note a problem at `offset`; its message is written only if kept.
    pub(super) fn add(&mut self, offset: usize, message: impl FnOnce() -> String) {
        if self.kept.len() < MAX_PROBLEMS {
            self.kept.push(SyntaxProblem {
                offset,
                message: message(),
            });
        } else {
            self.omitted += 1;
        }
    }
}

/// The token that starts at or after byte `i` of `input` (white space,
/// folding included, separates tokens and is skipped; so is an unbalanced
/// `)`), and the offset after it; `None` at the end. Unterminated comments
/// and quoted strings run to the end of the input. Tokens are read one at
/// a time, never listed: a header of a million `;` costs no memory.
pub(super) fn lex<'a>(
    input: &'a str,
    mut i: usize,
    mut problems: Option<&mut Problems>,
) -> Option<(Token<'a>, usize)> {
    let bytes = input.as_bytes();
    let text = |from: usize, to: usize| input.get(from..to).unwrap_or_default();
    loop {
        let &b = bytes.get(i)?;
        let start = i;
        let space = space_at(input, i);
        if space > 0 {
            i += space;
            continue;
        }
        let simple = |kind| {
            Some((
                Token {
                    kind,
                    span: Span {
                        start,
                        end: start + 1,
                    },
                },
                start + 1,
            ))
        };
        return match b {
            b';' => simple(Kind::Semi),
            b'=' => simple(Kind::Eq),
            b'.' => simple(Kind::Dot),
            b'/' => simple(Kind::Slash),
            b')' => {
                if let Some(problems) = problems.as_mut() {
                    problems.add(start, || "unbalanced \")\"".to_string());
                }
                i += 1;
                continue;
            }
            b'(' | b'"' => {
                // The delimiters are ASCII, so a byte scan never stops inside
                // a multi-byte character.
                let quote = b == b'"';
                let mut depth = 1usize;
                let mut escaped = false;
                let mut close = None;
                let mut j = start + 1;
                while let Some(&c) = bytes.get(j) {
                    match c {
                        b'\\' => {
                            escaped = true;
                            j += 1;
                        }
                        b'"' if quote => {
                            close = Some(j);
                            break;
                        }
                        b'(' if !quote => depth += 1,
                        b')' if !quote => {
                            depth -= 1;
                            if depth == 0 {
                                close = Some(j);
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                if close.is_none()
                    && let Some(problems) = problems.as_mut()
                {
                    let what = if quote { "quoted string" } else { "comment" };
                    problems.add(start, || {
                        format!("unterminated {what} {:?}", clip(text(start, bytes.len())))
                    });
                }
                let end = close.map_or(bytes.len(), |c| c + 1);
                let inner = Text {
                    inner: text(start + 1, close.unwrap_or(bytes.len())),
                    escaped,
                };
                Some((
                    Token {
                        kind: if quote {
                            Kind::Quoted(inner)
                        } else {
                            Kind::Comment(inner)
                        },
                        span: Span { start, end },
                    },
                    end,
                ))
            }
            _ => {
                let mut end = start;
                while let Some(&c) = bytes.get(end) {
                    // ASCII is decided here; only a non-ASCII character
                    // needs `space_at`'s decoding.
                    let stop = match c {
                        b';' | b'=' | b'.' | b'/' | b'(' | b')' | b'"' => true,
                        0x80.. => space_at(input, end) > 0,
                        _ => ascii_space(c),
                    };
                    if stop {
                        break;
                    }
                    end += utf8_len(c);
                }
                // `end` stops at a character boundary, or at the end.
                let end = end.min(bytes.len());
                Some((
                    Token {
                        kind: Kind::Atom(text(start, end)),
                        span: Span { start, end },
                    },
                    end,
                ))
            }
        };
    }
}

/// The ASCII characters `char::is_whitespace` accepts.
fn ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// The length in bytes of the white space character at byte `i` (a
/// character boundary), or 0: what `char::is_whitespace` accepts.
fn space_at(input: &str, i: usize) -> usize {
    match input.as_bytes().get(i) {
        Some(&b) if ascii_space(b) => 1,
        Some(&b) if b >= 0x80 => input
            .get(i..)
            .and_then(|rest| rest.chars().next())
            .filter(|c| c.is_whitespace())
            .map_or(0, char::len_utf8),
        _ => 0,
    }
}

/// The length of the UTF-8 sequence a lead byte starts.
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xf0.. => 4,
        0xe0.. => 3,
        0xc0.. => 2,
        _ => 1,
    }
}

/// The text of a comment or quoted string: `\` quoting resolved (only when
/// `escaped`), then unfolded. Borrowed when neither changes anything.
fn unquote(inner: &str, escaped: bool) -> Cow<'_, str> {
    if !escaped {
        return collapse(inner);
    }
    let mut text = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => text.extend(chars.next()),
            c => text.push(c),
        }
    }
    Cow::Owned(collapse(&text).into_owned())
}

/// Unfolds: runs of white space (CR, LF, tabs) become one space, and white
/// space at either end goes.
fn collapse(text: &str) -> Cow<'_, str> {
    // Already unfolded: no white space but single spaces between words.
    let bytes = text.as_bytes();
    let unfolded = text.chars().all(|c| c == ' ' || !c.is_whitespace())
        && !bytes.windows(2).any(|w| w == b"  ")
        && bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ');
    if unfolded {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// At most 40 characters of `s`, for quoting in messages.
pub(super) fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}
