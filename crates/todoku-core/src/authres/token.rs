//! The RFC 8601 tokenizer: CFWS, quoted strings, and the few specials.

use std::borrow::Cow;

use crate::Span;

/// A token with its byte span in the input; its text is borrowed from the
/// input unless unescaping or unfolding changed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Token<'a> {
    pub(super) kind: Kind<'a>,
    pub(super) span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Kind<'a> {
    /// `;`
    Semi,
    /// `=`
    Eq,
    /// `.`
    Dot,
    /// `/`
    Slash,
    /// `(comment)`, nesting and `\` quoting resolved.
    Comment(Cow<'a, str>),
    /// `"quoted string"`, unquoted.
    Quoted(Cow<'a, str>),
    /// Any other run of non-space characters.
    Atom(&'a str),
}

/// Splits `input` into tokens; white space (including folding) separates
/// tokens and is dropped. Unterminated comments and quoted strings run to the
/// end of the input and are reported through `problems`.
pub(super) fn tokenize<'a>(input: &'a str, problems: &mut Vec<(usize, String)>) -> Vec<Token<'a>> {
    let mut tokens = Vec::new();
    let mut chars = input.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let simple = |kind| Token {
            kind,
            span: Span {
                start,
                end: start + 1,
            },
        };
        match c {
            c if c.is_whitespace() => {}
            ';' => tokens.push(simple(Kind::Semi)),
            '=' => tokens.push(simple(Kind::Eq)),
            '.' => tokens.push(simple(Kind::Dot)),
            '/' => tokens.push(simple(Kind::Slash)),
            '(' => {
                let mut depth = 1usize;
                let mut escaped = false;
                let mut close = None;
                while let Some((i, c)) = chars.next() {
                    match c {
                        '\\' => {
                            escaped = true;
                            chars.next();
                        }
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                close = Some(i);
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                if close.is_none() {
                    problems.push((
                        start,
                        format!("unterminated comment {:?}", clip(&input[start..])),
                    ));
                }
                let inner = &input[start + 1..close.unwrap_or(input.len())];
                tokens.push(Token {
                    kind: Kind::Comment(unquote(inner, escaped)),
                    span: Span {
                        start,
                        end: close.map_or(input.len(), |i| i + 1),
                    },
                });
            }
            '"' => {
                let mut escaped = false;
                let mut close = None;
                while let Some((i, c)) = chars.next() {
                    match c {
                        '\\' => {
                            escaped = true;
                            chars.next();
                        }
                        '"' => {
                            close = Some(i);
                            break;
                        }
                        _ => {}
                    }
                }
                if close.is_none() {
                    problems.push((
                        start,
                        format!("unterminated quoted string {:?}", clip(&input[start..])),
                    ));
                }
                let inner = &input[start + 1..close.unwrap_or(input.len())];
                tokens.push(Token {
                    kind: Kind::Quoted(unquote(inner, escaped)),
                    span: Span {
                        start,
                        end: close.map_or(input.len(), |i| i + 1),
                    },
                });
            }
            ')' => {
                problems.push((start, "unbalanced \")\"".to_string()));
            }
            _ => {
                let mut end = start + c.len_utf8();
                while let Some(&(i, c)) = chars.peek() {
                    if c.is_whitespace() || matches!(c, ';' | '=' | '.' | '/' | '(' | ')' | '"') {
                        break;
                    }
                    end = i + c.len_utf8();
                    chars.next();
                }
                tokens.push(Token {
                    kind: Kind::Atom(&input[start..end]),
                    span: Span { start, end },
                });
            }
        }
    }
    tokens
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
