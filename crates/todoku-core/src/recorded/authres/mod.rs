//! Authentication-Results (RFC 8601): what a receiver recorded.
//!
//! [`parse`] reads one header value with a real tokenizer (comments, quoted
//! strings, `ptype.property`, `reason=`, versions). It is tolerant — vendor
//! quirks such as Microsoft's missing authserv-id or Yahoo's
//! `dmarc=success(p=REJECT)` still yield results — and precise: every
//! departure from the RFC grammar is kept in [`AuthResults::problems`],
//! quoting the input, so a strict reader can still reject it.

mod parse;
mod token;

pub use parse::parse;

use std::borrow::Cow;

use serde::Serialize;

/// A lower-cased method, result, ptype or property name: one of the words
/// receivers write all the time is borrowed from [`parse`]'s vocabulary, any
/// other is owned (a header has dozens of these; most are the same few).
pub type Word = Cow<'static, str>;

/// At most this many syntax problems are kept per header (the first found);
/// the rest are counted in [`AuthResults::problems_omitted`].
pub const MAX_PROBLEMS: usize = 32;
/// At most this many results are kept per header (the first); the rest are
/// counted in [`AuthResults::results_omitted`]. Real headers hold a handful.
pub const MAX_RESULTS: usize = 32;
/// At most this many properties, and this many comments, are kept per
/// result (the first); the rest are counted.
pub const MAX_PER_RESULT: usize = 16;

/// `serde`'s `skip_serializing_if` for the counts of what was left out.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// One parsed Authentication-Results header value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuthResults {
    /// The authserv-id: who wrote these results. `None` when the header has
    /// none (Microsoft 365 writes results without one).
    pub authserv_id: Option<String>,
    /// The optional version after the authserv-id (`1`).
    pub version: Option<String>,
    /// Results in header order. Empty for `none`. At most 32
    /// ([`MAX_RESULTS`]): the first.
    pub results: Vec<MethodResult>,
    /// Syntax problems, in input order. Empty for a conforming header.
    /// At most 32 ([`MAX_PROBLEMS`]): the first found.
    pub problems: Vec<SyntaxProblem>,
    /// Results beyond the first 32 ([`MAX_RESULTS`]), not kept (absent
    /// when 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub results_omitted: usize,
    /// Syntax problems beyond the first 32 ([`MAX_PROBLEMS`]), not kept
    /// (absent when 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub problems_omitted: usize,
}

/// One `method=result` clause with its reason, comments and properties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MethodResult {
    /// Method, lower-cased (`spf`, `dkim`, `dmarc`, `arc`, `iprev`, `compauth`…).
    pub method: Word,
    /// Method version (`dkim/1`), if given.
    pub method_version: Option<String>,
    /// Result, lower-cased (`pass`, `fail`, `softfail`, `bestguesspass`…).
    pub result: Word,
    /// `reason=` value.
    pub reason: Option<String>,
    /// Comments in the clause, in order, without their parentheses. At
    /// most 16 ([`MAX_PER_RESULT`]): the first.
    pub comments: Vec<String>,
    /// `ptype.property=value` pairs, in order. At most 16
    /// ([`MAX_PER_RESULT`]): the first.
    pub properties: Vec<Property>,
    /// Where the clause sits in the parsed value (byte offsets).
    pub span: crate::span::Span,
    /// Comments beyond the first 16 ([`MAX_PER_RESULT`]), not kept
    /// (absent when 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub comments_omitted: usize,
    /// Properties beyond the first 16 ([`MAX_PER_RESULT`]), not kept
    /// (absent when 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub properties_omitted: usize,
}

/// A `ptype.property=value` pair, e.g. `smtp.mailfrom=user@example.com`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Property {
    /// `smtp`, `header`, `body`, `policy`… lower-cased.
    pub ptype: Word,
    /// `mailfrom`, `from`, `d`, `i`, `b`… lower-cased.
    pub name: Word,
    /// The value, unquoted.
    pub value: String,
}

/// A departure from the RFC 8601 grammar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SyntaxProblem {
    /// Byte offset into the parsed value.
    pub offset: usize,
    /// What is wrong, quoting the input.
    pub message: String,
}

impl MethodResult {
    /// The value of `ptype.name`, if present (names compare case-insensitively).
    pub fn property(&self, ptype: &str, name: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|p| p.ptype.eq_ignore_ascii_case(ptype) && p.name.eq_ignore_ascii_case(name))
            .map(|p| p.value.as_str())
    }

    /// The domain in `ptype.name`'s value ([`domain_of`]): for
    /// `smtp.mailfrom`, the envelope sender's domain.
    pub fn property_domain(&self, ptype: &str, name: &str) -> Option<String> {
        domain_of(self.property(ptype, name)?)
    }
}

/// The domain in a pvalue (RFC 8601 2.2: `[[local-part] "@"] domain-name`):
/// after the LAST `@` of an address, whatever the local part holds (VERP
/// `bounce-77=user=example.com@bounce.esp.example`, SRS, BATV, `+` tags, a
/// quoted local part with an `@` in it), after the `@` of `@example.com`,
/// or the value itself when it is a bare domain (`smtp.mailfrom=example.com`,
/// as Microsoft writes it). Lower-cased, angle brackets and a trailing dot
/// dropped; `None` when nothing is left.
pub fn domain_of(value: &str) -> Option<String> {
    let value = value.trim().trim_matches(['<', '>']);
    let domain = value.rsplit_once('@').map_or(value, |(_, d)| d);
    let domain = domain.trim().trim_end_matches('.');
    (!domain.is_empty()).then(|| domain.to_ascii_lowercase())
}

/// Characters that force a value to be written as a quoted string.
fn needs_quotes(value: &str) -> bool {
    value.is_empty()
        || value.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(
                    c,
                    '(' | ')'
                        | '<'
                        | '>'
                        | ','
                        | ';'
                        | ':'
                        | '\\'
                        | '"'
                        | '/'
                        | '['
                        | ']'
                        | '?'
                        | '='
                )
        })
}

fn write_value(f: &mut std::fmt::Formatter<'_>, value: &str) -> std::fmt::Result {
    if needs_quotes(value) {
        f.write_str("\"")?;
        for c in value.chars() {
            if matches!(c, '"' | '\\') {
                f.write_str("\\")?;
            }
            write!(f, "{c}")?;
        }
        f.write_str("\"")
    } else {
        f.write_str(value)
    }
}

/// The clause in canonical RFC 8601 form, without comments:
/// `method[/version]=result [reason="…"] ptype.property=value…` (a property
/// written without a ptype is kept as `property=value`).
impl std::fmt::Display for MethodResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.method)?;
        if let Some(v) = &self.method_version {
            write!(f, "/{v}")?;
        }
        f.write_str("=")?;
        if self.result.is_empty() {
            f.write_str("\"\"")?;
        } else {
            f.write_str(&self.result)?;
        }
        if let Some(reason) = &self.reason {
            f.write_str(" reason=\"")?;
            for c in reason.chars() {
                if matches!(c, '"' | '\\') {
                    f.write_str("\\")?;
                }
                write!(f, "{c}")?;
            }
            f.write_str("\"")?;
        }
        for p in &self.properties {
            if p.ptype.is_empty() {
                write!(f, " {}=", p.name)?;
            } else {
                write!(f, " {}.{}=", p.ptype, p.name)?;
            }
            write_value(f, &p.value)?;
        }
        Ok(())
    }
}
