//! SPF macros (RFC 7208 section 7): parsing `%{ir.}`-style strings and
//! expanding them against the message's identities.

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
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c != '%' {
            let printable = ('\x21'..='\x7e').contains(&c) || (explanation && c == ' ');
            if !printable {
                return Err(MacroError(rest.to_string()));
            }
            literal.push(c);
            rest = rest.get(c.len_utf8()..).unwrap_or_default();
            continue;
        }
        let after = rest.get(1..).unwrap_or_default();
        match after.chars().next() {
            Some('%') => literal.push('%'),
            Some('_') => literal.push(' '),
            Some('-') => literal.push_str("%20"),
            Some('{') => {
                let close = after
                    .find('}')
                    .ok_or_else(|| MacroError(rest.to_string()))?;
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
    Ok(MacroString(parts))
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

impl MacroString {
    /// Expand the string.
    pub fn expand(&self, values: &MacroValues<'_>) -> String {
        let mut out = String::new();
        for part in &self.0 {
            match part {
                MacroPart::Literal(text) => out.push_str(text),
                MacroPart::Expand {
                    letter,
                    escape,
                    keep,
                    reverse,
                    delimiters,
                } => {
                    let value = letter_value(*letter, values);
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
                        url_escape(&joined, &mut out);
                    } else {
                        out.push_str(&joined);
                    }
                }
            }
        }
        out
    }
}

fn letter_value(letter: char, v: &MacroValues<'_>) -> String {
    match letter {
        's' => v.sender.to_string(),
        'l' => v.local.to_string(),
        'o' => v.sender_domain.to_string(),
        'd' => v.domain.to_string(),
        'i' => dotted_ip(v.ip),
        'p' => v.validated.unwrap_or("unknown").to_string(),
        'v' => match v.ip {
            IpAddr::V4(_) => "in-addr".to_string(),
            IpAddr::V6(_) => "ip6".to_string(),
        },
        'h' => v.helo.to_string(),
        'c' => v.ip.to_string(),
        'r' => "unknown".to_string(),
        't' => v.now.to_string(),
        _ => String::new(),
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
        parse_macro_string(text, true).unwrap().expand(&values(ip))
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
    fn upper_case_letters_are_url_escaped() {
        assert_eq!(expand("%{L}", "192.0.2.3"), "strong-bad");
        let mut values = values("192.0.2.3");
        values.local = "jack&jill=up";
        let s = parse_macro_string("%{L}", true).unwrap();
        assert_eq!(s.expand(&values), "jack%26jill%3Dup");
    }
}
