//! The RFC 8601 grammar over the token stream, tolerant and precise.
//!
//! Tokens are read one at a time ([`lex`]), never listed, segment by
//! segment (the text between top-level `;`): what parsing holds stays
//! within a small bound of what it keeps, whatever the header holds (issue
//! 19 item 3: a header of a million `;` took 66 MB as a token list).

use std::borrow::Cow;

use super::token::{Kind, Problems, Token, clip, lex};
use super::{AuthResults, MAX_PER_RESULT, MAX_RESULTS, MethodResult, Property, Word};
use crate::span::Span;

/// Parse an Authentication-Results (or ARC-Authentication-Results, after its
/// `i=` tag) header value. Never fails: problems are reported, not thrown.
pub fn parse(value: &str) -> AuthResults {
    let mut p = Parser {
        input: value,
        problems: Problems::default(),
    };
    let mut out = AuthResults {
        authserv_id: None,
        version: None,
        results: Vec::new(),
        problems: Vec::new(),
        results_omitted: 0,
        problems_omitted: 0,
    };
    let mut saw_none = false;
    let mut at = Some(0);
    let mut first = true;
    while let Some(from) = at {
        let segment = p.segment(from);
        at = segment.next;
        if std::mem::take(&mut first) {
            if looks_like_resinfo(&segment) {
                // Microsoft 365 writes results without an authserv-id.
                p.problem(0, || "no authserv-id before the first result".to_string());
            } else {
                p.header_start(&segment, &mut out);
                continue;
            }
        }
        // The first two tokens that are not comments: none, one or more.
        match (segment.meaningful.first(), segment.meaningful.get(1)) {
            (None, _) => {}
            (Some(only), None) if matches!(&only.kind, Kind::Atom(a) if a.eq_ignore_ascii_case("none")) =>
            {
                saw_none = true;
            }
            _ => {
                if let Some(result) = p.resinfo(&segment) {
                    if out.results.len() < MAX_RESULTS {
                        out.results.push(result);
                    } else {
                        out.results_omitted += 1;
                    }
                }
            }
        }
    }
    if saw_none && !out.results.is_empty() {
        p.problem(0, || "\"none\" together with results".to_string());
    }
    if out.authserv_id.is_none() && out.results.is_empty() && !saw_none {
        p.problem(0, || format!("no results in {:?}", clip(value)));
    }
    out.problems = p.problems.kept;
    out.problems_omitted = p.problems.omitted;
    crate::order::by_key(&mut out.problems, |p| crate::order::key(p.offset));
    out
}

/// The text between two top-level `;` (or the ends of the value), as one
/// reading of its tokens found it.
struct Segment<'a> {
    /// Where its tokens are read from.
    from: usize,
    /// Where they stop: its `;`, or the end of the value.
    until: usize,
    /// Its first two tokens that are not comments.
    meaningful: Vec<Token<'a>>,
    /// From the start of its first token to the end of its last one.
    span: Option<Span>,
    /// Where the next segment starts, after the `;`; `None` at the end.
    next: Option<usize>,
}

/// A segment starts with `keyword =` or `keyword /`: a result, not an authserv-id.
fn looks_like_resinfo(segment: &Segment<'_>) -> bool {
    matches!(
        (
            segment.meaningful.first().map(|t| &t.kind),
            segment.meaningful.get(1).map(|t| &t.kind)
        ),
        (Some(Kind::Atom(a)), Some(Kind::Eq | Kind::Slash)) if is_keyword(a)
    )
}

/// RFC 8601 Keyword: letters, digits and hyphens, not starting or ending with a hyphen.
fn is_keyword(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// An unquoted value may not contain MIME tspecials other than `.`, `@` (as
/// in `local@domain`) — `:` in an unquoted IPv6 address is the classic case.
fn bad_unquoted(value: &str) -> bool {
    value.chars().any(|c| {
        c.is_control()
            || matches!(
                c,
                '(' | ')' | '<' | '>' | ',' | ';' | ':' | '\\' | '"' | '/' | '[' | ']' | '?' | '='
            )
    })
}

/// An unquoted pvalue that needs quotes. A `local-part@domain` may hold in
/// its local part what RFC 5322 allows there (atext and dots, or a quoted
/// string: `bounce-77=user=example.com@…`); the domain, like any other
/// value, may not hold MIME tspecials other than `.`.
fn bad_unquoted_pvalue(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return bad_unquoted(value);
    };
    let quoted = local.len() >= 2 && local.starts_with('"') && local.ends_with('"');
    let atext = |c: char| {
        c.is_alphanumeric()
            || !c.is_ascii()
            || matches!(
                c,
                '!' | '#'
                    | '$'
                    | '%'
                    | '&'
                    | '\''
                    | '*'
                    | '+'
                    | '-'
                    | '/'
                    | '='
                    | '?'
                    | '^'
                    | '_'
                    | '`'
                    | '{'
                    | '|'
                    | '}'
                    | '~'
                    | '.'
            )
    };
    bad_unquoted(domain) || !(quoted || local.chars().all(atext))
}

struct Parser<'a> {
    input: &'a str,
    problems: Problems,
}

/// A cursor over one segment's tokens that collects comments as it goes.
struct Cursor<'a> {
    input: &'a str,
    /// Where the next token is read from.
    pos: usize,
    /// Where the segment's tokens stop.
    until: usize,
    /// The token read at an offset, and the offset after it.
    peeked: Option<(usize, Token<'a>, usize)>,
    /// Whether comments are kept (a result's are; the authserv-id's are not).
    keep_comments: bool,
    comments: Vec<String>,
    comments_omitted: usize,
    /// The last value run scanned: where it starts and ends, and the offset
    /// after its last atom with an `@` (see [`Cursor::run`]).
    last_run: Option<(usize, usize, Option<usize>)>,
}

impl<'a> Cursor<'a> {
    fn new(input: &'a str, segment: &Segment<'a>, keep_comments: bool) -> Self {
        Cursor {
            input,
            pos: segment.from,
            until: segment.until,
            peeked: None,
            keep_comments,
            comments: Vec::new(),
            comments_omitted: 0,
            last_run: None,
        }
    }

    /// The token at or after offset `at`, comments included, and the
    /// offset after it; `None` at the end of the segment.
    fn raw(&mut self, at: usize) -> Option<(Token<'a>, usize)> {
        if let Some((from, t, next)) = self.peeked
            && from == at
        {
            return Some((t, next));
        }
        let (t, next) = lex(self.input, at, None).filter(|(t, _)| t.span.start < self.until)?;
        self.peeked = Some((at, t, next));
        Some((t, next))
    }

    fn skip_comments(&mut self) {
        while let Some((
            Token {
                kind: Kind::Comment(c),
                ..
            },
            next,
        )) = self.raw(self.pos)
        {
            if !self.keep_comments {
            } else if self.comments.len() < MAX_PER_RESULT {
                self.comments.push(c.get().into_owned());
            } else {
                self.comments_omitted += 1;
            }
            self.pos = next;
        }
    }

    fn peek(&mut self) -> Option<Token<'a>> {
        self.skip_comments();
        self.raw(self.pos).map(|(t, _)| t)
    }

    /// Past the token [`Cursor::peek`] gave.
    fn advance(&mut self) {
        if let Some((_, next)) = self.raw(self.pos) {
            self.pos = next;
        }
    }

    fn next(&mut self) -> Option<Token<'a>> {
        let t = self.peek()?;
        self.advance();
        Some(t)
    }

    /// A pvalue (RFC 8601 2.2: `value / [[local-part] "@"] domain-name`):
    /// a quoted string, a quoted local part with its `@domain`
    /// (`"john doe"@example.com`, kept with its quotes), or a run of
    /// adjacent atoms, dots and slashes (`example.com`, `@example.com`,
    /// base64 `header.b=BP/1+Q4i`). `=` belongs to the run only in a local
    /// part, before the run's last `@`: RFC 5322 atext has `=` (and `/`),
    /// so VERP, SRS and BATV senders (`bounce-77=user=example.com@…`,
    /// `SRS0=HHH=TT=example.com=user@…`, `prvs=1234abcd=user@…`) are one
    /// value. The flag says the whole value was one quoted string.
    fn value(&mut self) -> Option<(String, bool, Span)> {
        let first = self.peek()?;
        match &first.kind {
            Kind::Quoted(q) => {
                self.advance();
                let adjacent_at = self.raw(self.pos).is_some_and(|(t, _)| {
                    t.span.start == first.span.end
                        && matches!(&t.kind, Kind::Atom(a) if a.starts_with('@'))
                });
                let q = q.get();
                if !adjacent_at {
                    return Some((q.into_owned(), true, first.span));
                }
                // `"local part"@domain`: the domain is atoms and dots.
                let (domain, end) = self.run(false);
                let mut text = String::with_capacity(q.len() + domain.len() + 4);
                text.push('"');
                for c in q.chars() {
                    if matches!(c, '"' | '\\') {
                        text.push('\\');
                    }
                    text.push(c);
                }
                text.push('"');
                text.push_str(domain);
                Some((
                    text,
                    false,
                    Span {
                        start: first.span.start,
                        end,
                    },
                ))
            }
            Kind::Atom(_) | Kind::Dot | Kind::Slash => {
                let (text, end) = self.run(true);
                Some((
                    text.to_string(),
                    false,
                    Span {
                        start: first.span.start,
                        end,
                    },
                ))
            }
            _ => None,
        }
    }

    /// The run of adjacent atoms and dots at the cursor (slashes too, and
    /// `=` before the run's last `@`, when `local_part`), its text and
    /// where it ends. Its tokens are adjacent, so its text is the input
    /// between its ends. Linear in the segment: an `=` that ends a value
    /// leaves the rest of its run to be read again as names and values, so
    /// the run's extent is scanned once and kept for those later reads.
    fn run(&mut self, local_part: bool) -> (&'a str, usize) {
        // The run starts at its first token (the cursor may be on the
        // white space before it).
        let Some((head, _)) = self.raw(self.pos) else {
            return ("", 0);
        };
        let first = head.span.start;
        let (stop, after_last_at) = match self.last_run {
            Some((from, stop, at)) if local_part && from <= first && first < stop => (stop, at),
            _ => {
                let (stop, at) = self.extent(first, local_part);
                if local_part {
                    self.last_run = Some((first, stop, at));
                }
                (stop, at)
            }
        };
        // An `=` after the last `@` (or in a run without one) ends the value.
        let from = after_last_at.map_or(first, |a| a.max(first));
        let take = self
            .input
            .get(from..stop)
            .and_then(|rest| memchr::memchr(b'=', rest.as_bytes()))
            .map_or(stop, |i| from + i);
        self.pos = take;
        let end = if take > first { take } else { head.span.end };
        (self.input.get(first..take).unwrap_or_default(), end)
    }

    /// Where the run of adjacent value tokens from offset `first` ends, and
    /// the offset after its last atom with an `@`.
    fn extent(&mut self, first: usize, local_part: bool) -> (usize, Option<usize>) {
        let mut end = first;
        let mut after_last_at = None;
        while let Some((t, next)) = self.raw(end) {
            if t.span.start != end {
                break;
            }
            match &t.kind {
                Kind::Atom(a) => {
                    if a.contains('@') {
                        after_last_at = Some(next);
                    }
                }
                Kind::Dot => {}
                Kind::Slash | Kind::Eq if local_part => {}
                _ => break,
            }
            end = next;
        }
        (end, after_last_at)
    }
}

/// The words receivers write in nearly every header (RFC 8601 and IANA's
/// registry, and the vendors' in the corpora), lower-case, by first letter.
fn vocabulary(first: u8) -> &'static [&'static str] {
    match first.to_ascii_lowercase() {
        b'a' => &["a", "action", "arc", "auth"],
        b'b' => &["b", "bestguesspass", "bimi", "bits", "body"],
        b'c' => &["chain", "cipher", "compauth"],
        b'd' => &["d", "dkim", "dkim-adsp", "dkim-atps", "dmarc"],
        b'f' => &["fail", "from"],
        b'h' => &["hardfail", "header", "helo"],
        b'i' => &["i", "ip", "iprev"],
        b'm' => &["mailfrom"],
        b'n' => &["neutral", "none"],
        b'o' => &["oldest-pass"],
        b'p' => &["p", "pass", "pct", "permerror", "policy"],
        b'r' => &["rcptto", "reason", "remote-ip"],
        b's' => &["s", "smtp", "softfail", "sp", "spf"],
        b't' => &["temperror"],
        b'v' => &["version"],
        b'x' => &[
            "x-google-dkim",
            "x-original-dkim",
            "x-ptr",
            "x-return-mx",
            "x-tls",
        ],
        _ => &[],
    }
}

/// A name, lower-cased: one of the [`vocabulary`] words is borrowed, so the
/// common names cost no allocation.
fn word(s: &str) -> Word {
    let first = s.bytes().next().unwrap_or_default();
    match vocabulary(first).iter().find(|w| w.eq_ignore_ascii_case(s)) {
        Some(w) => Cow::Borrowed(w),
        None => Cow::Owned(s.to_ascii_lowercase()),
    }
}

fn name_of(t: &Token<'_>) -> Option<(Word, bool)> {
    match &t.kind {
        Kind::Atom(a) => Some((word(a), false)),
        Kind::Quoted(q) => Some((word(&q.get()), true)),
        _ => None,
    }
}

fn describe(t: &Token<'_>) -> String {
    match &t.kind {
        Kind::Semi => "\";\"".into(),
        Kind::Eq => "\"=\"".into(),
        Kind::Dot => "\".\"".into(),
        Kind::Slash => "\"/\"".into(),
        Kind::Comment(c) => format!("comment {:?}", clip(&c.get())),
        Kind::Quoted(q) => format!("\"{}\"", clip(&q.get())),
        Kind::Atom(a) => format!("{:?}", clip(a)),
    }
}

impl<'a> Parser<'a> {
    fn problem(&mut self, offset: usize, message: impl FnOnce() -> String) {
        self.problems.add(offset, message);
    }

    /// The segment whose tokens start at `from`, read once: the lexer's
    /// problems are reported here, and only here.
    fn segment(&mut self, from: usize) -> Segment<'a> {
        let mut segment = Segment {
            from,
            until: self.input.len(),
            meaningful: Vec::new(),
            span: None,
            next: None,
        };
        let mut at = from;
        while let Some((t, next)) = lex(self.input, at, Some(&mut self.problems)) {
            if t.kind == Kind::Semi {
                segment.until = t.span.start;
                segment.next = Some(next);
                break;
            }
            if !matches!(t.kind, Kind::Comment(_)) && segment.meaningful.len() < 2 {
                segment.meaningful.push(t);
            }
            segment.span = Some(Span {
                start: segment.span.map_or(t.span.start, |s| s.start),
                end: t.span.end,
            });
            at = next;
        }
        segment
    }

    fn header_start(&mut self, segment: &Segment<'a>, out: &mut AuthResults) {
        let mut c = Cursor::new(self.input, segment, false);
        match c.value() {
            Some((id, quoted, span)) => {
                if !quoted && bad_unquoted(&id) {
                    self.problem(span.start, || {
                        format!("authserv-id {:?} must be quoted", clip(&id))
                    });
                }
                out.authserv_id = Some(id);
            }
            None => {
                let at = c.peek().map_or(0, |t| t.span.start);
                self.problem(at, || "missing authserv-id".to_string());
            }
        }
        if let Some(Token {
            kind: Kind::Atom(v),
            ..
        }) = c.peek()
            && v.bytes().all(|b| b.is_ascii_digit())
        {
            out.version = Some(v.to_string());
            c.advance();
        }
        while let Some(t) = c.next() {
            self.problem(t.span.start, || {
                format!("unexpected {} after the authserv-id", describe(&t))
            });
        }
    }

    /// One method's result (`method[/version]=result` and its properties)
    /// from `segment`; `None` when it names no method or no `=`.
    fn resinfo(&mut self, segment: &Segment<'a>) -> Option<MethodResult> {
        let Span { start, end } = segment.span.unwrap_or(Span { start: 0, end: 0 });
        let text = self.input.get(start..end).unwrap_or_default();
        let mut c = Cursor::new(self.input, segment, true);
        let (method, method_version, result) = self.method_head(&mut c, start, end, text)?;
        let mut out = MethodResult {
            method,
            method_version,
            result,
            reason: None,
            comments: Vec::new(),
            properties: Vec::new(),
            span: Span { start, end },
            comments_omitted: 0,
            properties_omitted: 0,
        };
        while let Some(t) = c.next() {
            self.property(&mut c, &t, text, &mut out);
        }
        out.comments = c.comments;
        out.comments_omitted = c.comments_omitted;
        Some(out)
    }

    /// `method[/version]=result` at the start of a resinfo (`text`, from
    /// `start` to `end` of the input); `None` without a method or `=`.
    fn method_head(
        &mut self,
        c: &mut Cursor<'a>,
        start: usize,
        end: usize,
        text: &str,
    ) -> Option<(Word, Option<String>, Word)> {
        let Some((method, quoted)) = c.next().as_ref().and_then(name_of) else {
            self.problem(start, || format!("expected a method in {:?}", clip(text)));
            return None;
        };
        if quoted || !is_keyword(&method) {
            self.problem(start, || {
                format!("method {:?} is not a keyword", clip(&method))
            });
        }
        let mut method_version = None;
        if matches!(c.peek().map(|t| t.kind), Some(Kind::Slash)) {
            c.advance();
            match c.next() {
                Some(Token {
                    kind: Kind::Atom(v),
                    ..
                }) if v.bytes().all(|b| b.is_ascii_digit()) => method_version = Some(v.to_string()),
                other => {
                    let at = other.map_or(end, |t| t.span.start);
                    self.problem(at, || {
                        format!("expected a method version in {:?}", clip(text))
                    });
                }
            }
        }
        match c.next() {
            Some(Token { kind: Kind::Eq, .. }) => {}
            other => {
                let at = other.map_or(end, |t| t.span.start);
                self.problem(at, || {
                    format!("expected \"=\" after method in {:?}", clip(text))
                });
                return None;
            }
        }
        let result = match c.peek().as_ref().and_then(name_of) {
            Some((r, q)) => {
                c.advance();
                if q {
                    self.problem(start, || format!("result {:?} is quoted", clip(&r)));
                }
                r
            }
            None => {
                self.problem(end, || format!("missing result in {:?}", clip(text)));
                Word::Borrowed("")
            }
        };
        Some((method, method_version, result))
    }

    /// One `reason=value` or `ptype.property=value` of a resinfo (`text`),
    /// starting at token `t`, into `out`.
    fn property(&mut self, c: &mut Cursor<'a>, t: &Token<'_>, text: &str, out: &mut MethodResult) {
        let Some((name, quoted_name)) = name_of(t) else {
            self.problem(t.span.start, || {
                format!("unexpected {} in {:?}", describe(t), clip(text))
            });
            return;
        };
        if quoted_name {
            self.problem(t.span.start, || format!("name {:?} is quoted", clip(&name)));
        }
        // `reason=value`, or `ptype.property=value`.
        let (mut ptype, mut property) = if matches!(c.peek().map(|t| t.kind), Some(Kind::Dot)) {
            c.advance();
            match c.next().as_ref().and_then(name_of) {
                Some((p, _)) => (name, p),
                None => {
                    self.problem(t.span.start, || {
                        format!("expected a property after {:?}.", clip(&name))
                    });
                    return;
                }
            }
        } else {
            (Word::Borrowed(""), name)
        };
        // `"smtp.mailfrom"=…`: a quoted name holding both parts.
        if ptype.is_empty()
            && quoted_name
            && let Some((pt, pr)) = property.split_once('.')
        {
            (ptype, property) = (word(pt), word(pr));
        }
        match c.peek() {
            Some(Token { kind: Kind::Eq, .. }) => c.advance(),
            _ => {
                self.problem(t.span.start, || {
                    format!("expected \"=\" after {:?}", clip(&property))
                });
                return;
            }
        }
        let value = match c.value() {
            Some((v, quoted, span)) => {
                if !quoted && bad_unquoted_pvalue(&v) {
                    self.problem(span.start, || {
                        format!("value {:?} must be quoted", clip(&v))
                    });
                }
                v
            }
            None => {
                self.problem(t.span.start, || {
                    format!("missing value for {:?}", clip(&property))
                });
                String::new()
            }
        };
        if ptype.is_empty() && property == "reason" && out.reason.is_none() {
            out.reason = Some(value);
        } else {
            if ptype.is_empty() {
                self.problem(t.span.start, || {
                    format!(
                        "property {:?} has no ptype (expected ptype.property)",
                        clip(&property)
                    )
                });
            }
            if out.properties.len() < MAX_PER_RESULT {
                out.properties.push(Property {
                    ptype,
                    name: property,
                    value,
                });
            } else {
                out.properties_omitted += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_example_with_comment_reason_and_properties() {
        let ar = parse(
            "example.com 1; dkim=pass (good signature) header.d=example.net header.b=oINEO8hg; \
             spf=softfail reason=\"not listed\" smtp.mailfrom=user@example.net",
        );
        assert_eq!(ar.problems, vec![]);
        assert_eq!(ar.authserv_id.as_deref(), Some("example.com"));
        assert_eq!(ar.version.as_deref(), Some("1"));
        assert_eq!(ar.results.len(), 2);
        let dkim = &ar.results[0];
        assert_eq!((&*dkim.method, &*dkim.result), ("dkim", "pass"));
        assert_eq!(dkim.comments, vec!["good signature"]);
        assert_eq!(dkim.property("header", "d"), Some("example.net"));
        assert_eq!(dkim.property("HEADER", "B"), Some("oINEO8hg"));
        let spf = &ar.results[1];
        assert_eq!(spf.reason.as_deref(), Some("not listed"));
        assert_eq!(spf.property("smtp", "mailfrom"), Some("user@example.net"));
        assert_eq!(
            spf.to_string(),
            "spf=softfail reason=\"not listed\" smtp.mailfrom=user@example.net"
        );
    }

    #[test]
    fn microsoft_without_authserv_id_is_parsed_and_flagged() {
        let ar = parse(
            "spf=pass (sender IP is 209.85.128.41) smtp.mailfrom=gmail.com; dkim=pass \
             (signature was verified) header.d=gmail.com;dmarc=pass action=none \
             header.from=gmail.com;compauth=pass reason=100",
        );
        assert_eq!(ar.authserv_id, None);
        let methods: Vec<_> = ar
            .results
            .iter()
            .map(|r| (&*r.method, &*r.result))
            .collect();
        assert_eq!(
            methods,
            vec![
                ("spf", "pass"),
                ("dkim", "pass"),
                ("dmarc", "pass"),
                ("compauth", "pass")
            ]
        );
        assert_eq!(ar.results[3].reason.as_deref(), Some("100"));
        assert!(
            ar.problems
                .iter()
                .any(|p| p.message.contains("no authserv-id"))
        );
    }

    #[test]
    fn yahoo_result_with_attached_comment() {
        let ar = parse(
            "atlas.yahoo.com; dkim=pass header.i=@x.example; dmarc=success(p=REJECT) header.from=x.example;",
        );
        assert_eq!(ar.problems, vec![]);
        assert_eq!(ar.results[1].result, "success");
        assert_eq!(ar.results[1].comments, vec!["p=REJECT"]);
    }

    #[test]
    fn unquoted_ipv6_is_kept_but_flagged() {
        let ar = parse("mail.example; iprev=pass policy.iprev=2001:db8::1 (mx.example)");
        assert_eq!(
            ar.results[0].property("policy", "iprev"),
            Some("2001:db8::1")
        );
        assert!(
            ar.problems
                .iter()
                .any(|p| p.message.contains("\"2001:db8::1\" must be quoted")),
            "{:?}",
            ar.problems
        );
    }

    /// The `smtp.mailfrom` value and domain of one SPF result, and the
    /// header's problems.
    fn mailfrom(value: &str) -> (Option<String>, Option<String>, Vec<String>) {
        let ar = parse(&format!(
            "mx.example.net; spf=pass {value} header.from=example.com"
        ));
        let spf = ar.results.first();
        // The property after the value is read as its own, whole.
        if let Some(spf) = spf {
            assert_eq!(
                spf.property("header", "from"),
                Some("example.com"),
                "{value}"
            );
        }
        (
            spf.and_then(|r| r.property("smtp", "mailfrom").map(str::to_string)),
            spf.and_then(|r| r.property_domain("smtp", "mailfrom")),
            ar.problems.into_iter().map(|p| p.message).collect(),
        )
    }

    #[test]
    fn verp_srs_batv_mailfrom_is_one_value_with_the_domain_after_the_last_at() {
        for (address, domain) in [
            // VERP: the recipient encoded in the local part.
            (
                "bounce-77=user=example.com@bounce.esp.example",
                "bounce.esp.example",
            ),
            // SRS0 and SRS1 (the hash may hold `/` and `+`).
            (
                "SRS0=HHH=TT=example.com=user@forwarder.example",
                "forwarder.example",
            ),
            (
                "SRS0=g8c/=vm=example.com=user@forwarder.example",
                "forwarder.example",
            ),
            (
                "SRS1=X+yz=relay.example==HHH=TT=example.com=user@forwarder.example",
                "forwarder.example",
            ),
            // BATV.
            ("prvs=1234abcd=user@example.com", "example.com"),
            ("msprvs1=19134a62c2=user@Example.COM", "example.com"),
            // `+` tags, and atext such as `/`, `?` and `'`.
            ("user+tag@example.com", "example.com"),
            (
                "list-bounces+user=example.com@lists.example",
                "lists.example",
            ),
            ("o'brien/sales?@example.com", "example.com"),
            // Only the domain, with or without `@`.
            ("@example.com", "example.com"),
            ("example.com", "example.com"),
        ] {
            let (value, got, problems) = mailfrom(&format!("smtp.mailfrom={address}"));
            assert_eq!(value.as_deref(), Some(address), "{address}");
            assert_eq!(got.as_deref(), Some(domain), "{address}");
            assert_eq!(problems, Vec::<String>::new(), "{address}");
        }
    }

    #[test]
    fn quoted_local_part_and_quoted_mailfrom_keep_the_domain() {
        // A quoted local part: kept with its quotes, the domain after it.
        let (value, domain, problems) = mailfrom("smtp.mailfrom=\"john doe\"@example.com");
        assert_eq!(value.as_deref(), Some("\"john doe\"@example.com"));
        assert_eq!(domain.as_deref(), Some("example.com"));
        assert_eq!(problems, Vec::<String>::new());
        let (value, domain, _) = mailfrom("smtp.mailfrom=\"a@b\"@example.com");
        assert_eq!(value.as_deref(), Some("\"a@b\"@example.com"));
        assert_eq!(domain.as_deref(), Some("example.com"));
        // The whole address quoted (mailing lists write this).
        let (value, domain, problems) = mailfrom(
            "smtp.mailfrom=\"usrp-users-bounces+lists+usrp-users=example.com@lists.example\"",
        );
        assert_eq!(
            value.as_deref(),
            Some("usrp-users-bounces+lists+usrp-users=example.com@lists.example")
        );
        assert_eq!(domain.as_deref(), Some("lists.example"));
        assert_eq!(problems, Vec::<String>::new());
        // A quoted-string value stays one value when written again.
        let ar = parse("mx.example.net; spf=pass smtp.mailfrom=\"john doe\"@example.com");
        let again = parse(&format!("mx.example.net; {}", ar.results[0]));
        assert_eq!(again.results[0].properties, ar.results[0].properties);
    }

    #[test]
    fn slashes_in_unquoted_values_stay_in_the_value() {
        // Base64 `header.b` as vendors write it, unquoted.
        let ar = parse("mx.example.net; dkim=pass header.d=example.com header.b=BP/1+Q4i");
        let dkim = &ar.results[0];
        assert_eq!(dkim.property("header", "b"), Some("BP/1+Q4i"));
        assert_eq!(dkim.property("header", "d"), Some("example.com"));
        // Not RFC-conforming (`/` is a tspecial): one problem, nothing lost.
        assert_eq!(ar.problems.len(), 1, "{:?}", ar.problems);
        assert!(ar.problems[0].message.contains("must be quoted"));
    }

    #[test]
    fn an_equals_sign_outside_a_local_part_still_ends_the_value() {
        // `=` after the domain, or in a value with no `@`: not a local part.
        let ar = parse("mx.example.net; spf=pass smtp.mailfrom=user@example.com=x");
        assert_eq!(
            ar.results[0].property("smtp", "mailfrom"),
            Some("user@example.com")
        );
        assert!(!ar.problems.is_empty());
        let ar = parse("mx.example.net; dkim=pass header.b=abc=def header.d=example.com");
        assert_eq!(ar.results[0].property("header", "b"), Some("abc"));
        assert_eq!(ar.results[0].property("header", "d"), Some("example.com"));
        // An unquoted local part may not hold an `@` or a space.
        let ar = parse("mx.example.net; spf=pass smtp.mailfrom=a@b@example.com");
        assert_eq!(
            ar.results[0].property_domain("smtp", "mailfrom").as_deref(),
            Some("example.com")
        );
        assert!(
            ar.problems
                .iter()
                .any(|p| p.message.contains("must be quoted")),
            "{:?}",
            ar.problems
        );
    }

    #[test]
    fn a_long_run_of_equals_signs_without_an_at_is_read_in_linear_time() {
        // Each `=` cuts the value and the rest of the run is read again as
        // name and value: the run must not be scanned once per cut.
        let n = 60_000;
        let run = "x=".repeat(n);
        let ar = parse(&format!("mx.example.net; spf=pass smtp.mailfrom={run}x"));
        assert_eq!(ar.results.len(), 1);
        assert_eq!(ar.results[0].property("smtp", "mailfrom"), Some("x"));
        // With an `@` at the end it is one (long, VERP-like) value.
        let ar = parse(&format!(
            "mx.example.net; spf=pass smtp.mailfrom={run}x@example.com"
        ));
        assert_eq!(
            ar.results[0].property_domain("smtp", "mailfrom").as_deref(),
            Some("example.com")
        );
    }

    #[test]
    fn problems_results_properties_and_comments_are_kept_up_to_a_bound_and_counted_beyond() {
        // 100 unexpected tokens after the authserv-id: one problem each.
        let ar = parse(&format!("mx.example.net {}", "x ".repeat(100)));
        assert_eq!(ar.problems.len(), super::super::MAX_PROBLEMS);
        assert_eq!(ar.problems_omitted, 100 - super::super::MAX_PROBLEMS);
        // The first found are the ones kept, in input order.
        assert_eq!(ar.problems[0].offset, "mx.example.net ".len());
        assert!(ar.problems.windows(2).all(|w| w[0].offset < w[1].offset));

        let ar = parse(&format!("mx.example.net; {}", "spf=pass; ".repeat(50)));
        assert_eq!(ar.results.len(), MAX_RESULTS);
        assert_eq!(ar.results_omitted, 50 - MAX_RESULTS);
        assert!(ar.problems.is_empty());

        let ar = parse(&format!(
            "mx.example.net; dkim=pass {} {}",
            "(c) ".repeat(20),
            (0..40)
                .map(|i| format!("header.d{i}=example.com"))
                .collect::<Vec<_>>()
                .join(" ")
        ));
        let dkim = &ar.results[0];
        assert_eq!(
            (dkim.comments.len(), dkim.comments_omitted),
            (MAX_PER_RESULT, 20 - MAX_PER_RESULT)
        );
        assert_eq!(
            (dkim.properties.len(), dkim.properties_omitted),
            (MAX_PER_RESULT, 40 - MAX_PER_RESULT)
        );
        assert_eq!(dkim.property("header", "d0"), Some("example.com"));
        assert_eq!(dkim.property("header", "d39"), None);
    }

    #[test]
    fn a_flood_of_semicolons_is_read_as_empty_segments() {
        let ar = parse(&format!("mx.example.net;{}", ";".repeat(100_000)));
        assert_eq!(ar.authserv_id.as_deref(), Some("mx.example.net"));
        assert!(ar.results.is_empty());
        assert!(ar.problems.is_empty(), "{:?}", ar.problems);
        let ar = parse(&format!("mx.example.net;{}spf=pass", ";".repeat(100_000)));
        assert_eq!(ar.results.len(), 1);
        assert_eq!(ar.results[0].span.start, "mx.example.net;".len() + 100_000);
    }

    #[test]
    fn none_and_garbage_never_panic() {
        assert_eq!(parse("example.com; none").results, vec![]);
        assert!(parse("example.com; none").problems.is_empty());
        for s in [
            "",
            ";",
            "(",
            "\"",
            "a=(",
            "x; =",
            "x; a/=b",
            "x; a=b c.=d",
            "é; é=é é.é=é",
            "x; a=b c=\"",
            ")(",
            "x; a=b c.d=\"q\"@",
            "x; a=b c.d=\"q\"@=",
            "x; a=b c.d=e=f=g",
            "x; a=b c.d=/=@",
            "x; a=b c.d==@x",
        ] {
            let _ = parse(s);
        }
        assert!(!parse("").problems.is_empty());
    }
}
