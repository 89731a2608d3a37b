//! SPF record syntax (RFC 7208 section 4.5, 4.6 and the ABNF in section 12).
//!
//! Parsing is separate from evaluation: a record that does not parse is a
//! `permerror` before any mechanism is tried, and the error quotes the term.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::macros::{MacroString, parse_macro_string};

/// `+`, `-`, `~` or `?` in front of a mechanism.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    /// `+` (the default): pass.
    Pass,
    /// `-`: fail.
    Fail,
    /// `~`: softfail.
    SoftFail,
    /// `?`: neutral.
    Neutral,
}

/// One mechanism (RFC 7208 section 5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mechanism {
    /// `all`.
    All,
    /// `include:<domain-spec>`.
    Include(MacroString),
    /// `a[:<domain-spec>][/v4][//v6]`.
    A {
        /// Target (the current domain when absent).
        domain: Option<MacroString>,
        /// IPv4 prefix length.
        v4: u8,
        /// IPv6 prefix length.
        v6: u8,
    },
    /// `mx[:<domain-spec>][/v4][//v6]`.
    Mx {
        /// Target (the current domain when absent).
        domain: Option<MacroString>,
        /// IPv4 prefix length.
        v4: u8,
        /// IPv6 prefix length.
        v6: u8,
    },
    /// `ptr[:<domain-spec>]`.
    Ptr(Option<MacroString>),
    /// `ip4:<network>[/len]`.
    Ip4(Ipv4Addr, u8),
    /// `ip6:<network>[/len]`.
    Ip6(Ipv6Addr, u8),
    /// `exists:<domain-spec>`.
    Exists(MacroString),
}

impl Mechanism {
    /// Whether evaluating this mechanism costs one of the ten DNS lookups.
    pub fn counts_lookup(&self) -> bool {
        matches!(
            self,
            Mechanism::Include(_)
                | Mechanism::A { .. }
                | Mechanism::Mx { .. }
                | Mechanism::Ptr(_)
                | Mechanism::Exists(_)
        )
    }
}

/// A qualifier and a mechanism, with the term as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// The qualifier.
    pub qualifier: Qualifier,
    /// The mechanism.
    pub mechanism: Mechanism,
    /// The term's text, for the trace.
    pub text: String,
}

/// A parsed `v=spf1` record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Directives in order.
    pub directives: Vec<Directive>,
    /// `redirect=`, with its text.
    pub redirect: Option<(MacroString, String)>,
    /// `exp=`.
    pub exp: Option<MacroString>,
}

/// Why a record did not parse; the message quotes the offending term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The term (or fragment) at fault.
    pub term: String,
    /// What is wrong with it.
    pub problem: &'static str,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {:?}", self.problem, self.term)
    }
}

fn err(term: &str, problem: &'static str) -> SyntaxError {
    SyntaxError {
        term: term.to_string(),
        problem,
    }
}

/// Whether a TXT string is an SPF version 1 record: `v=spf1` (any case)
/// followed by a space or the end (RFC 7208 4.5).
pub fn is_spf1(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 6
        && bytes
            .get(..6)
            .is_some_and(|v| v.eq_ignore_ascii_case(b"v=spf1"))
        && bytes.get(6).is_none_or(|&b| b == b' ')
}

/// Parse a record that [`is_spf1`] accepted.
pub fn parse(text: &str) -> Result<Record, SyntaxError> {
    let rest = text.get(6..).unwrap_or_default();
    let mut record = Record {
        directives: Vec::new(),
        redirect: None,
        exp: None,
    };
    for term in rest.split(' ').filter(|t| !t.is_empty()) {
        if let Some((name, value)) = modifier_parts(term) {
            let lower = name.to_ascii_lowercase();
            match lower.as_str() {
                "redirect" | "exp" => {
                    let spec = domain_spec(value, term)?;
                    let slot_taken = if lower == "redirect" {
                        record.redirect.replace((spec, term.to_string())).is_some()
                    } else {
                        record.exp.replace(spec).is_some()
                    };
                    if slot_taken {
                        return Err(err(term, "modifier given twice"));
                    }
                }
                _ => {
                    // Unknown modifiers are ignored, but must be well-formed.
                    parse_macro_string(value, false)
                        .map_err(|_| err(term, "bad macro in modifier"))?;
                }
            }
            continue;
        }
        record.directives.push(directive(term)?);
    }
    Ok(record)
}

/// `name=value` when `name` is a modifier name (ALPHA *(ALPHA/DIGIT/-/_/.)).
fn modifier_parts(term: &str) -> Option<(&str, &str)> {
    let (name, value) = term.split_once('=')?;
    let mut chars = name.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    .then_some((name, value))
}

fn directive(term: &str) -> Result<Directive, SyntaxError> {
    let (qualifier, body) = match term.as_bytes().first() {
        Some(b'+') => (Qualifier::Pass, term.get(1..).unwrap_or_default()),
        Some(b'-') => (Qualifier::Fail, term.get(1..).unwrap_or_default()),
        Some(b'~') => (Qualifier::SoftFail, term.get(1..).unwrap_or_default()),
        Some(b'?') => (Qualifier::Neutral, term.get(1..).unwrap_or_default()),
        _ => (Qualifier::Pass, term),
    };
    // The mechanism name ends at ':' or '/'.
    let end = body.find([':', '/']).unwrap_or(body.len());
    let (name, tail) = body.split_at(end);
    let mechanism = match name.to_ascii_lowercase().as_str() {
        "all" if tail.is_empty() => Mechanism::All,
        "include" => Mechanism::Include(required_spec(tail, term)?),
        "exists" => Mechanism::Exists(required_spec(tail, term)?),
        "a" | "mx" => {
            let (spec, cidr) = split_cidr(tail);
            let domain = match spec.strip_prefix(':') {
                Some(spec) => Some(domain_spec(spec, term)?),
                None if spec.is_empty() => None,
                None => return Err(err(term, "unexpected text after mechanism")),
            };
            let (v4, v6) = dual_cidr(cidr, term)?;
            if name.eq_ignore_ascii_case("a") {
                Mechanism::A { domain, v4, v6 }
            } else {
                Mechanism::Mx { domain, v4, v6 }
            }
        }
        "ptr" => match tail.strip_prefix(':') {
            Some(spec) => Mechanism::Ptr(Some(domain_spec(spec, term)?)),
            None if tail.is_empty() => Mechanism::Ptr(None),
            None => return Err(err(term, "ptr takes no prefix length")),
        },
        "ip4" => {
            let value = tail
                .strip_prefix(':')
                .ok_or_else(|| err(term, "ip4 needs an address"))?;
            let (addr, len) = match value.split_once('/') {
                Some((addr, len)) => (addr, cidr_len(len, 32, term)?),
                None => (value, 32),
            };
            let addr = parse_ipv4(addr).ok_or_else(|| err(term, "not an IPv4 address"))?;
            Mechanism::Ip4(addr, len)
        }
        "ip6" => {
            let value = tail
                .strip_prefix(':')
                .ok_or_else(|| err(term, "ip6 needs an address"))?;
            let (addr, len) = match value.split_once('/') {
                Some((addr, len)) => (addr, cidr_len(len, 128, term)?),
                None => (value, 128),
            };
            let addr: Ipv6Addr = addr.parse().map_err(|_| err(term, "not an IPv6 address"))?;
            Mechanism::Ip6(addr, len)
        }
        _ => return Err(err(term, "unknown mechanism")),
    };
    Ok(Directive {
        qualifier,
        mechanism,
        text: term.to_string(),
    })
}

/// Dotted-quad only: `1.2.3` or `1.2.3.4.5` are errors, as is anything with
/// leading `+` or spaces.
fn parse_ipv4(text: &str) -> Option<Ipv4Addr> {
    if text.split('.').count() != 4 || !text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    text.parse().ok()
}

fn required_spec(tail: &str, term: &str) -> Result<MacroString, SyntaxError> {
    let spec = tail
        .strip_prefix(':')
        .ok_or_else(|| err(term, "mechanism needs a domain"))?;
    domain_spec(spec, term)
}

/// Split `:<domain-spec>/24//64` into the domain part and the CIDR part. The
/// CIDR is read from the end (`/N`, `//N` or `/N//N` with digits only), so a
/// domain-spec may itself contain `/` or `:` (RFC 7208 test `a-colon-domain`).
fn split_cidr(tail: &str) -> (&str, &str) {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mut end = tail.len();
    // An IPv6 length: `//N`.
    if let Some(i) = tail.rfind("//")
        && tail.get(i + 2..).is_some_and(digits)
    {
        end = i;
    }
    // An IPv4 length before it: `/N`.
    let head = tail.get(..end).unwrap_or_default();
    if let Some(i) = head.rfind('/')
        && head.get(i + 1..).is_some_and(digits)
    {
        end = i;
    }
    tail.split_at(end)
}

fn dual_cidr(cidr: &str, term: &str) -> Result<(u8, u8), SyntaxError> {
    if cidr.is_empty() {
        return Ok((32, 128));
    }
    let body = cidr.strip_prefix('/').unwrap_or(cidr);
    if let Some(v6) = body.strip_prefix('/') {
        return Ok((32, cidr_len(v6, 128, term)?));
    }
    match body.split_once("//") {
        Some((v4, v6)) => Ok((cidr_len(v4, 32, term)?, cidr_len(v6, 128, term)?)),
        None => Ok((cidr_len(body, 32, term)?, 128)),
    }
}

/// A prefix length: digits without a leading zero (but "0" itself), at most `max`.
fn cidr_len(text: &str, max: u8, term: &str) -> Result<u8, SyntaxError> {
    let valid_digits = !text.is_empty()
        && text.len() <= 3
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    let value: u16 = if valid_digits {
        text.parse().unwrap_or(u16::MAX)
    } else {
        u16::MAX
    };
    if value > u16::from(max) {
        return Err(err(term, "bad prefix length"));
    }
    Ok(u8::try_from(value).unwrap_or(max))
}

/// `domain-spec = macro-string domain-end`, with
/// `domain-end = ("." toplabel ["."]) / macro-expand`.
fn domain_spec(text: &str, term: &str) -> Result<MacroString, SyntaxError> {
    if text.is_empty() {
        return Err(err(term, "empty domain"));
    }
    let spec = parse_macro_string(text, false).map_err(|_| err(term, "bad macro"))?;
    if !spec.ends_with_expand() {
        let trimmed = text.strip_suffix('.').unwrap_or(text);
        let top = trimmed.rsplit_once('.').map(|(_, top)| top);
        if !top.is_some_and(is_toplabel) {
            return Err(err(term, "domain does not end in a valid top label"));
        }
    }
    Ok(spec)
}

/// `toplabel = (*alphanum ALPHA *alphanum) / (1*alphanum "-" *(alphanum / "-") alphanum)`.
pub(crate) fn is_toplabel(label: &str) -> bool {
    let bytes = label.as_bytes();
    let (Some(first), Some(last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    if !bytes
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
    {
        return false;
    }
    if bytes.contains(&b'-') {
        first.is_ascii_alphanumeric() && last.is_ascii_alphanumeric()
    } else {
        bytes.iter().any(u8::is_ascii_alphabetic)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_needs_a_space_or_the_end() {
        assert!(is_spf1("v=spf1"));
        assert!(is_spf1("V=SPF1 -all"));
        assert!(!is_spf1("v=spf10"));
        assert!(!is_spf1("v=spf1-all"));
    }

    #[test]
    fn cidr_forms() {
        let r =
            parse("v=spf1 a/24//64 mx:example.com//0 ip4:192.0.2.0/24 ip6:2001:db8::/32").unwrap();
        assert!(matches!(
            r.directives[0].mechanism,
            Mechanism::A {
                domain: None,
                v4: 24,
                v6: 64
            }
        ));
        assert!(matches!(
            r.directives[1].mechanism,
            Mechanism::Mx {
                domain: Some(_),
                v4: 32,
                v6: 0
            }
        ));
        assert_eq!(
            r.directives[2].mechanism,
            Mechanism::Ip4(Ipv4Addr::new(192, 0, 2, 0), 24)
        );
    }

    #[test]
    fn errors_quote_the_term() {
        let e = parse("v=spf1 ip4:192.0.2.300 -all").unwrap_err();
        assert_eq!(e.term, "ip4:192.0.2.300");
        assert_eq!(e.to_string(), "not an IPv4 address: \"ip4:192.0.2.300\"");
        assert!(parse("v=spf1 a:foo.1").is_err(), "numeric top label");
        assert!(parse("v=spf1 a/33").is_err());
        assert!(parse("v=spf1 redirect=a.test redirect=b.test").is_err());
        assert!(parse("v=spf1 foo").is_err());
    }

    #[test]
    fn unknown_modifiers_are_ignored_but_checked() {
        assert!(parse("v=spf1 moo.cow-far_out=man:dog/cat -all").is_ok());
        assert!(parse("v=spf1 foo=%{q} -all").is_err());
    }
}
