//! SPF macros (RFC 7208 section 7): parsing `%{ir.}`-style strings and
//! expanding them against the message's identities.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::net::IpAddr;

/// One piece of a macro-string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MacroPart {
    /// Literal text (including what `%%`, `%_` and `%-` stand for).
    Literal(String),
    /// `%{letter digits r delimiters}`.
    Expand {
        /// The macro letter, lower-cased.
        letter: char,
        /// Upper-case letter: URL-escape the value.
        escape: bool,
        /// Keep this many right-hand parts.
        keep: Option<usize>,
        /// Reverse the parts first.
        reverse: bool,
        /// Characters to split on (`.` when empty).
        delimiters: String,
    },
}

/// A parsed macro-string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacroString(pub Vec<MacroPart>);

impl MacroString {
    /// Whether the string ends in a macro expansion (for the domain-end rule).
    pub fn ends_with_expand(&self) -> bool {
        matches!(self.0.last(), Some(MacroPart::Expand { .. }))
    }

    /// Whether the string uses this macro letter.
    pub fn uses(&self, letter: char) -> bool {
        self.0
            .iter()
            .any(|p| matches!(p, MacroPart::Expand { letter: l, .. } if *l == letter))
    }
}

/// A malformed macro, quoting where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacroError(pub String);

/// Parse a macro-string. `explanation` allows the `c`, `r` and `t` letters,
/// which only an `exp=` explanation text may use.
pub fn parse_macro_string(text: &str, explanation: bool) -> Result<MacroString, MacroError> {
    parse_macro_prefix(text, explanation, usize::MAX).map(|(parsed, _)| parsed)
}

/// Parse at most `limit` octets of a macro-string: the parse stops before
/// the first literal character or macro that would end past `limit`, so no
/// more than that is read. Returns the parsed part and how many octets of
/// `text` it covers (the rest is unread).
pub fn parse_macro_prefix(
    text: &str,
    explanation: bool,
    limit: usize,
) -> Result<(MacroString, usize), MacroError> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    let read = |rest: &str| text.len() - rest.len();
    while let Some(c) = rest.chars().next() {
        let room = limit.saturating_sub(read(rest));
        if c != '%' {
            if c.len_utf8() > room {
                break;
            }
            let printable = ('\x21'..='\x7e').contains(&c) || (explanation && c == ' ');
            if !printable {
                return Err(MacroError(rest.to_string()));
            }
            literal.push(c);
            rest = rest.get(c.len_utf8()..).unwrap_or_default();
            continue;
        }
        if room < 2 && rest.len() >= 2 {
            break;
        }
        let after = rest.get(1..).unwrap_or_default();
        match after.chars().next() {
            Some('%') => literal.push('%'),
            Some('_') => literal.push(' '),
            Some('-') => literal.push_str("%20"),
            Some('{') => {
                // The closing brace within what may be read: `%` + up to it.
                let window = head(after, room.saturating_sub(1));
                let Some(close) = window.find('}') else {
                    if window.len() < after.len() {
                        // It may close past the limit: not read.
                        break;
                    }
                    return Err(MacroError(rest.to_string()));
                };
                let body = after.get(1..close).unwrap_or_default();
                if !literal.is_empty() {
                    parts.push(MacroPart::Literal(std::mem::take(&mut literal)));
                }
                parts.push(
                    expand_part(body, explanation).ok_or_else(|| MacroError(rest.to_string()))?,
                );
                rest = after.get(close + 1..).unwrap_or_default();
                continue;
            }
            _ => return Err(MacroError(rest.to_string())),
        }
        rest = after.get(1..).unwrap_or_default();
    }
    if !literal.is_empty() {
        parts.push(MacroPart::Literal(literal));
    }
    Ok((MacroString(parts), read(rest)))
}

/// The longest start of `text` of at most `n` octets.
fn head(text: &str, n: usize) -> &str {
    let mut n = n.min(text.len());
    while !text.is_char_boundary(n) {
        n -= 1;
    }
    text.get(..n).unwrap_or_default()
}

fn expand_part(body: &str, explanation: bool) -> Option<MacroPart> {
    let mut chars = body.chars();
    let raw = chars.next()?;
    let letter = raw.to_ascii_lowercase();
    let allowed = match letter {
        's' | 'l' | 'o' | 'd' | 'i' | 'p' | 'h' | 'v' => true,
        'c' | 'r' | 't' => explanation,
        _ => false,
    };
    if !allowed {
        return None;
    }
    let rest = chars.as_str();
    let digits_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let (digits, rest) = rest.split_at(digits_end);
    let keep = if digits.is_empty() {
        None
    } else {
        // RFC 7208 7.3: a DIGIT transformer must be nonzero.
        let n: usize = digits.get(..digits.len().min(4))?.parse().ok()?;
        if n == 0 {
            return None;
        }
        Some(n)
    };
    let (reverse, delimiters) = match rest.strip_prefix(['r', 'R']) {
        Some(d) => (true, d),
        None => (false, rest),
    };
    if !delimiters
        .chars()
        .all(|c| matches!(c, '.' | '-' | '+' | ',' | '/' | '_' | '='))
    {
        return None;
    }
    Some(MacroPart::Expand {
        letter,
        escape: raw.is_ascii_uppercase(),
        keep,
        reverse,
        delimiters: delimiters.to_string(),
    })
}

/// The values the macro letters stand for.
#[derive(Debug, Clone)]
pub struct MacroValues<'a> {
    /// `s`: the sender, `local@domain`.
    pub sender: &'a str,
    /// `l`: its local part.
    pub local: &'a str,
    /// `o`: its domain.
    pub sender_domain: &'a str,
    /// `d`: the domain being checked now.
    pub domain: &'a str,
    /// `i`, `c`, `v`: the client address.
    pub ip: IpAddr,
    /// `h`: the HELO name.
    pub helo: &'a str,
    /// `p`: the validated reverse name (looked up by the caller when used).
    pub validated: Option<&'a str>,
    /// `t`: the check's time, Unix seconds.
    pub now: i64,
}

/// The dotted form `%{i}` uses: dotted quad, or 32 dot-separated nibbles
/// (upper-case hex, as in the RFC 7208 7.4 example).
pub fn dotted_ip(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let mut out = String::with_capacity(63);
            for byte in v6.octets() {
                for nibble in [byte >> 4, byte & 0xf] {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    let _ = write!(out, "{nibble:X}");
                }
            }
            out
        }
    }
}

/// The most characters a macro-string may expand to (RFC 7208 7.3 then
/// truncates a domain name to 253; this bounds the work before that).
pub const MAX_EXPANDED: usize = 4096;

/// The most octets of macro values (sender, local part, domains, HELO, the
/// address) one expansion may read: with it, expanding costs time linear in
/// the macro-string, however often a long value is repeated.
pub const MAX_VALUE_READ: usize = 8192;

/// An expansion kept to a number of characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    /// The first characters of the expansion, at most the cap asked for.
    pub text: String,
    /// How many more characters the expansion has.
    pub more: usize,
    /// Characters in `text`.
    kept: usize,
}

impl Expansion {
    fn push(&mut self, c: char, cap: usize) {
        if self.more == 0 && self.kept < cap {
            self.text.push(c);
            self.kept += 1;
        } else {
            self.more += 1;
        }
    }

    fn push_str(&mut self, s: &str, cap: usize) {
        for c in s.chars() {
            self.push(c, cap);
        }
    }
}

impl MacroString {
    /// Expand the string (RFC 7208 7.3); an error past [`MAX_EXPANDED`]
    /// characters or [`MAX_VALUE_READ`] octets of values.
    pub fn expand(&self, values: &MacroValues<'_>) -> Result<String, MacroError> {
        let expansion = self.expand_capped(values, MAX_EXPANDED)?;
        if expansion.more > 0 {
            return Err(MacroError(format!(
                "the macros expand to more than {MAX_EXPANDED} characters"
            )));
        }
        Ok(expansion.text)
    }

    /// Expand the string, keeping at most `cap` characters and counting the
    /// rest; an error past [`MAX_VALUE_READ`] octets of values.
    pub fn expand_capped(
        &self,
        values: &MacroValues<'_>,
        cap: usize,
    ) -> Result<Expansion, MacroError> {
        let mut out = Expansion {
            text: String::new(),
            more: 0,
            kept: 0,
        };
        let mut read = 0usize;
        let mut scratch = String::new();
        for part in &self.0 {
            match part {
                MacroPart::Literal(text) => out.push_str(text, cap),
                MacroPart::Expand {
                    letter,
                    escape,
                    keep,
                    reverse,
                    delimiters,
                } => {
                    let value = letter_value(*letter, values);
                    read = read.saturating_add(value.len());
                    if read > MAX_VALUE_READ {
                        return Err(MacroError(format!(
                            "the macros read more than {MAX_VALUE_READ} octets of values"
                        )));
                    }
                    let delims: &[char] = &['.', '-', '+', ',', '/', '_', '='];
                    let chosen: Vec<char> = if delimiters.is_empty() {
                        vec!['.']
                    } else {
                        delimiters.chars().filter(|c| delims.contains(c)).collect()
                    };
                    let mut pieces: Vec<&str> = value.split(chosen.as_slice()).collect();
                    if *reverse {
                        pieces.reverse();
                    }
                    if let Some(n) = keep {
                        let skip = pieces.len().saturating_sub(*n);
                        pieces.drain(..skip);
                    }
                    let joined = pieces.join(".");
                    if *escape {
                        scratch.clear();
                        url_escape(&joined, &mut scratch);
                        out.push_str(&scratch, cap);
                    } else {
                        out.push_str(&joined, cap);
                    }
                }
            }
        }
        Ok(out)
    }
}

fn letter_value<'v>(letter: char, v: &MacroValues<'v>) -> Cow<'v, str> {
    match letter {
        's' => Cow::Borrowed(v.sender),
        'l' => Cow::Borrowed(v.local),
        'o' => Cow::Borrowed(v.sender_domain),
        'd' => Cow::Borrowed(v.domain),
        'i' => Cow::Owned(dotted_ip(v.ip)),
        'p' => Cow::Borrowed(v.validated.unwrap_or("unknown")),
        'v' => Cow::Borrowed(match v.ip {
            IpAddr::V4(_) => "in-addr",
            IpAddr::V6(_) => "ip6",
        }),
        'h' => Cow::Borrowed(v.helo),
        'c' => Cow::Owned(v.ip.to_string()),
        'r' => Cow::Borrowed("unknown"),
        't' => Cow::Owned(v.now.to_string()),
        _ => Cow::Borrowed(""),
    }
}

fn url_escape(text: &str, out: &mut String) {
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(ip: &str) -> MacroValues<'static> {
        MacroValues {
            sender: "strong-bad@email.example.com",
            local: "strong-bad",
            sender_domain: "email.example.com",
            domain: "email.example.com",
            ip: ip.parse().unwrap(),
            helo: "mx.example.org",
            validated: None,
            now: 0,
        }
    }

    fn expand(text: &str, ip: &str) -> String {
        parse_macro_string(text, true)
            .unwrap()
            .expand(&values(ip))
            .unwrap()
    }

    // The examples of RFC 7208 section 7.4.
    #[test]
    fn rfc7208_section_7_4_examples() {
        let v4 = "192.0.2.3";
        assert_eq!(expand("%{s}", v4), "strong-bad@email.example.com");
        assert_eq!(expand("%{o}", v4), "email.example.com");
        assert_eq!(expand("%{d4}", v4), "email.example.com");
        assert_eq!(expand("%{d3}", v4), "email.example.com");
        assert_eq!(expand("%{d2}", v4), "example.com");
        assert_eq!(expand("%{d1}", v4), "com");
        assert_eq!(expand("%{dr}", v4), "com.example.email");
        assert_eq!(expand("%{d2r}", v4), "example.email");
        assert_eq!(expand("%{l}", v4), "strong-bad");
        assert_eq!(expand("%{l-}", v4), "strong.bad");
        assert_eq!(expand("%{lr}", v4), "strong-bad");
        assert_eq!(expand("%{lr-}", v4), "bad.strong");
        assert_eq!(expand("%{l1r-}", v4), "strong");
        assert_eq!(
            expand("%{ir}.%{v}._spf.%{d2}", v4),
            "3.2.0.192.in-addr._spf.example.com"
        );
        assert_eq!(
            expand("%{lr-}.lp._spf.%{d2}", v4),
            "bad.strong.lp._spf.example.com"
        );
        assert_eq!(
            expand("%{ir}.%{v}._spf.%{d2}", "2001:db8::cb01"),
            "1.0.B.C.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B.D.0.1.0.0.2.ip6._spf.example.com"
        );
    }

    #[test]
    fn bad_macros_are_errors() {
        assert!(parse_macro_string("%{q}", false).is_err());
        assert!(parse_macro_string("%{d0}", false).is_err());
        assert!(parse_macro_string("%{c}", false).is_err(), "c only in exp");
        assert!(parse_macro_string("%{c}", true).is_ok());
        assert!(parse_macro_string("100%", false).is_err());
        assert!(parse_macro_string("%{d", false).is_err());
    }

    #[test]
    fn a_prefix_parse_stops_before_the_token_that_crosses_the_limit() {
        let parsed = |text: &str, limit: usize| {
            let (m, read) = parse_macro_prefix(text, true, limit).unwrap();
            (m.expand(&values("192.0.2.3")).unwrap(), read)
        };
        assert_eq!(parsed("ab%{l}cd", 2), ("ab".to_string(), 2));
        assert_eq!(parsed("ab%{l}cd", 5), ("ab".to_string(), 2));
        assert_eq!(parsed("ab%{l}cd", 6), ("abstrong-bad".to_string(), 6));
        assert_eq!(parsed("a%%b", 2), ("a".to_string(), 1));
        assert_eq!(parsed("a%%b", 3), ("a%".to_string(), 3));
        // A brace that closes only past the limit is not looked for there.
        assert_eq!(parsed("a%{l", 3), ("a".to_string(), 1));
        assert!(parse_macro_prefix("a%{l", true, 10).is_err());
        assert_eq!(parsed("a%{l}", usize::MAX), ("astrong-bad".to_string(), 5));
    }

    #[test]
    fn a_capped_expansion_keeps_characters_and_counts_the_rest() {
        let mut v = values("192.0.2.3");
        v.local = "日本語のローカル";
        let m = parse_macro_string("<%{l}>", true).unwrap();
        let e = m.expand_capped(&v, 4).unwrap();
        assert_eq!((e.text.as_str(), e.more), ("<日本語", 6));
        let e = m.expand_capped(&v, 100).unwrap();
        assert_eq!((e.text.as_str(), e.more), ("<日本語のローカル>", 0));
    }

    #[test]
    fn upper_case_letters_are_url_escaped() {
        assert_eq!(expand("%{L}", "192.0.2.3"), "strong-bad");
        let mut values = values("192.0.2.3");
        values.local = "jack&jill=up";
        let s = parse_macro_string("%{L}", true).unwrap();
        assert_eq!(s.expand(&values).unwrap(), "jack%26jill%3Dup");
    }
}
