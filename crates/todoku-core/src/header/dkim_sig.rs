//! DKIM-Signature (RFC 6376 3.5) decoded as a tag list, with spans.

use serde::Serialize;

use crate::span::Span;

/// A decoded DKIM-Signature header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DkimSignature {
    /// `v=`
    pub version: Option<String>,
    /// `a=`, e.g. `rsa-sha256`.
    pub algorithm: Option<String>,
    /// `c=`, e.g. `relaxed/relaxed` (default `simple/simple`).
    pub canonicalization: Option<String>,
    /// `d=`: the signing domain.
    pub domain: Option<String>,
    /// `s=`: the selector.
    pub selector: Option<String>,
    /// `h=`: signed header names, lower-cased, in order.
    pub headers: Vec<String>,
    /// `i=`: the agent or user identifier.
    pub identity: Option<String>,
    /// `l=`: body length limit.
    pub body_length: Option<u64>,
    /// `t=`: signature timestamp (Unix seconds).
    pub timestamp: Option<i64>,
    /// `x=`: expiry (Unix seconds).
    pub expires: Option<i64>,
    /// `bh=`, white space removed.
    pub body_hash: Option<String>,
    /// `b=`, white space removed.
    pub signature: Option<String>,
    /// `cv=`: the chain validation status an ARC-Seal carries.
    pub cv: Option<String>,
    /// Every tag name present, in order.
    pub tag_names: Vec<String>,
    /// The header field in the input.
    pub span: Span,
    /// Tags that could not be read, quoted.
    pub problems: Vec<String>,
}

/// The tags a DKIM-Signature must carry (RFC 6376 3.5).
pub const DKIM_REQUIRED: &[&str] = &["v", "a", "b", "bh", "d", "h", "s"];
/// The tags an ARC-Message-Signature must carry (RFC 8617 4.1.2).
pub const AMS_REQUIRED: &[&str] = &["i", "a", "b", "bh", "d", "h", "s"];
/// The tags an ARC-Seal must carry (RFC 8617 4.1.3).
pub const SEAL_REQUIRED: &[&str] = &["i", "a", "b", "cv", "d", "s"];

impl DkimSignature {
    /// The key record name, `s._domainkey.d`, when both are present.
    pub fn key_name(&self) -> Option<String> {
        Some(format!(
            "{}._domainkey.{}",
            self.selector.as_deref()?,
            self.domain.as_deref()?
        ))
    }

    /// How many times `name` is listed in `h=`.
    pub fn signed_count(&self, name: &str) -> usize {
        self.headers
            .iter()
            .filter(|h| h.eq_ignore_ascii_case(name))
            .count()
    }
}

/// `value` without white space (folding inside base64 and tag values).
fn squeeze(value: &str) -> String {
    if value.is_ascii() {
        // The ASCII white space `char::is_whitespace` knows, without decoding;
        // sized once (a b= value is hundreds of bytes).
        let mut out = String::with_capacity(value.len());
        out.extend(
            value
                .bytes()
                .filter(|b| !b.is_ascii_whitespace() && *b != 0x0b)
                .map(char::from),
        );
        return out;
    }
    value.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Decode a DKIM-Signature value. Never fails; unreadable tags are listed.
pub fn parse(value: &str, span: Span) -> DkimSignature {
    parse_with(value, span, DKIM_REQUIRED)
}

/// Decode a DKIM-style tag list (DKIM-Signature, ARC-Message-Signature,
/// ARC-Seal), listing each of `required` that is absent as a problem.
pub fn parse_with(value: &str, span: Span, required: &[&str]) -> DkimSignature {
    let mut sig = DkimSignature {
        version: None,
        algorithm: None,
        canonicalization: None,
        domain: None,
        selector: None,
        headers: Vec::new(),
        identity: None,
        body_length: None,
        timestamp: None,
        expires: None,
        body_hash: None,
        signature: None,
        cv: None,
        tag_names: Vec::new(),
        span,
        problems: Vec::new(),
    };
    let mut seen: Vec<&str> = Vec::new();
    // Membership in a set: a flood of distinct tags must stay linear.
    let mut seen_set: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let specs: Vec<&str> = value.split(';').collect();
    for (index, spec) in specs.iter().enumerate() {
        if spec.trim().is_empty() {
            // Only one trailing ";" is allowed (RFC 6376 3.2 tag-list).
            if index + 1 < specs.len() {
                sig.problems.push("an empty tag (\";;\")".to_string());
            }
            continue;
        }
        let Some((tag, val)) = spec.split_once('=') else {
            sig.problems
                .push(format!("tag without \"=\": {:?}", spec.trim()));
            continue;
        };
        let tag = tag.trim();
        let val = val.trim();
        // RFC 6376 3.2: tag-name = ALPHA *ALNUMPUNC, and no tag twice.
        let mut chars = tag.chars();
        if !(chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_'))
        {
            sig.problems
                .push(format!("invalid tag name: {:?}", spec.trim()));
            continue;
        }
        if !seen_set.insert(tag) {
            sig.problems.push(format!("the tag {tag}= appears twice"));
            continue;
        }
        seen.push(tag);
        let number = |problems: &mut Vec<String>| match squeeze(val).parse::<u64>() {
            Ok(n) => Some(n),
            Err(_) => {
                problems.push(format!("{tag}= is not a number: {val:?}"));
                None
            }
        };
        match tag {
            "v" => sig.version = Some(val.to_string()),
            "a" => sig.algorithm = Some(val.to_ascii_lowercase()),
            "c" => sig.canonicalization = Some(val.to_ascii_lowercase()),
            "d" => sig.domain = Some(val.trim_end_matches('.').to_ascii_lowercase()),
            "s" => sig.selector = Some(val.to_string()),
            "h" => {
                sig.headers = val
                    .split(':')
                    .map(|h| squeeze(h).to_ascii_lowercase())
                    .filter(|h| !h.is_empty())
                    .collect();
            }
            "i" => sig.identity = Some(val.to_string()),
            "l" => sig.body_length = number(&mut sig.problems),
            "t" => sig.timestamp = number(&mut sig.problems).and_then(|n| i64::try_from(n).ok()),
            "x" => sig.expires = number(&mut sig.problems).and_then(|n| i64::try_from(n).ok()),
            "cv" => sig.cv = Some(val.to_string()),
            "bh" => sig.body_hash = Some(squeeze(val)),
            "b" => sig.signature = Some(squeeze(val)),
            _ => {}
        }
    }
    sig.tag_names = seen.iter().map(|t| (*t).to_string()).collect();
    for tag in required {
        if !seen_set.contains(tag) {
            sig.problems.push(format!("required tag {tag}= is missing"));
        }
    }
    sig
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_folded_gmail_style_signature() {
        let sig = parse(
            " v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n        d=Gmail.com; s=20120113;\r\n        h=mime-version:date:message-id:subject:from:to:content-type;\r\n        bh=2f2TQdW2+LvAjDQiv8+jr1l3/3EOZp+Gp0P1YbMNKTk=;\r\n        b=vV7a8hT9nqVmIZ+RzVF4\r\n         cMykdBDw==",
            Span { start: 0, end: 0 },
        );
        assert_eq!(sig.problems, Vec::<String>::new());
        assert_eq!(sig.domain.as_deref(), Some("gmail.com"));
        assert_eq!(
            sig.key_name().as_deref(),
            Some("20120113._domainkey.gmail.com")
        );
        assert_eq!(sig.headers.len(), 7);
        assert_eq!(sig.signed_count("From"), 1);
        assert_eq!(
            sig.signature.as_deref(),
            Some("vV7a8hT9nqVmIZ+RzVF4cMykdBDw==")
        );
    }

    #[test]
    fn duplicate_tags_and_bad_tag_names_are_listed() {
        let sig = parse(
            "v=1; a=rsa-sha256; d=x.test; d=y.test; 1x=2; ==; s=s; h=from; bh=AA==; b=AA==",
            Span { start: 0, end: 0 },
        );
        assert_eq!(sig.domain.as_deref(), Some("x.test"));
        assert!(sig.problems.iter().any(|p| p == "the tag d= appears twice"));
        assert!(
            sig.problems
                .iter()
                .any(|p| p == "invalid tag name: \"1x=2\"")
        );
        assert!(sig.problems.iter().any(|p| p == "invalid tag name: \"==\""));
        assert_eq!(sig.problems.len(), 3);
    }

    #[test]
    fn bad_numbers_and_missing_tags_are_listed() {
        let sig = parse(
            "v=1; a=rsa-sha1; l=ten; x=12; d=x.test",
            Span { start: 0, end: 0 },
        );
        assert_eq!(sig.expires, Some(12));
        assert!(
            sig.problems
                .iter()
                .any(|p| p.contains("l= is not a number: \"ten\""))
        );
        assert!(sig.problems.iter().any(|p| p.contains("s= is missing")));
    }

    /// Regression (issue 19, item 1): the duplicate-tag check compared each
    /// tag with every earlier one, so 100k distinct tags (1 MB) took 28 s.
    /// Counted in comparisons, not time: a set keeps it linear.
    #[test]
    fn a_flood_of_distinct_tags_is_read_in_linear_work() {
        let mut value = String::from("v=1; a=rsa-sha256; d=example.com; s=s; h=from; bh=x; b=y");
        for n in 0..100_000 {
            value.push_str(&format!("; t{n}=1"));
        }
        let sig = parse(&value, crate::span::Span { start: 0, end: 0 });
        assert_eq!(sig.tag_names.len(), 7 + 100_000);
        assert!(sig.problems.is_empty(), "{:?}", sig.problems.first());
    }
}
