//! The RFC 8601 tokenizer: CFWS, quoted strings, and the few specials.

use crate::Span;

/// A token with its byte span in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Token {
    pub(super) kind: Kind,
    pub(super) span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Kind {
    /// `;`
    Semi,
    /// `=`
    Eq,
    /// `.`
    Dot,
    /// `/`
    Slash,
    /// `(comment)`, nesting and `\` quoting resolved.
    Comment(String),
    /// `"quoted string"`, unquoted.
    Quoted(String),
    /// Any other run of non-space characters.
    Atom(String),
}

/// Splits `input` into tokens; white space (including folding) separates
/// tokens and is dropped. Unterminated comments and quoted strings run to the
/// end of the input and are reported through `problems`.
pub(super) fn tokenize(input: &str, problems: &mut Vec<(usize, String)>) -> Vec<Token> {
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
                let mut text = String::new();
                let mut end = input.len();
                while let Some((i, c)) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some((_, q)) = chars.next() {
                                text.push(q);
                            }
                        }
                        '(' => {
                            depth += 1;
                            text.push(c);
                        }
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                end = i + 1;
                                break;
                            }
                            text.push(c);
                        }
                        c => text.push(c),
                    }
                }
                if depth > 0 {
                    problems.push((
                        start,
                        format!("unterminated comment {:?}", clip(&input[start..])),
                    ));
                }
                tokens.push(Token {
                    kind: Kind::Comment(collapse(&text)),
                    span: Span { start, end },
                });
            }
            '"' => {
                let mut text = String::new();
                let mut end = None;
                while let Some((i, c)) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some((_, q)) = chars.next() {
                                text.push(q);
                            }
                        }
                        '"' => {
                            end = Some(i + 1);
                            break;
                        }
                        c => text.push(c),
                    }
                }
                if end.is_none() {
                    problems.push((
                        start,
                        format!("unterminated quoted string {:?}", clip(&input[start..])),
                    ));
                }
                tokens.push(Token {
                    kind: Kind::Quoted(collapse(&text)),
                    span: Span {
                        start,
                        end: end.unwrap_or(input.len()),
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
                    kind: Kind::Atom(input[start..end].to_string()),
                    span: Span { start, end },
                });
            }
        }
    }
    tokens
}

/// Unfolds: runs of white space (CR, LF, tabs) become one space.
fn collapse(text: &str) -> String {
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
    out
}

/// At most 40 characters of `s`, for quoting in messages.
pub(super) fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}
