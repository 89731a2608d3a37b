//! DKIM-Signature (RFC 6376 3.5) decoded as a tag list, with spans.

use serde::Serialize;

use crate::header::tags::{Item, MAX_TAGS, Problem, ProblemKind, TagList};
use crate::span::Span;

/// The report lists at most this many DKIM-Signature headers (the first,
/// top down; `crate::report::Report::dkim_signatures`), and the live stage
/// re-checks among them (issue 19 item 3).
pub const MAX_DKIM_SIGNATURES: usize = 50;

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

/// A tag-list problem in words.
fn problem_text(problem: &Problem<'_>) -> String {
    match problem.kind {
        // Only one trailing ";" is allowed (RFC 6376 3.2 tag-list).
        ProblemKind::Empty => "an empty tag (\";;\")".to_string(),
        ProblemKind::NoEquals => format!("tag without \"=\": {:?}", problem.text),
        ProblemKind::BadName => format!("invalid tag name: {:?}", problem.text),
        ProblemKind::Repeated => format!("the tag {}= appears twice", problem.name),
    }
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
    let list = TagList::parse(value);
    for item in list.items() {
        let (tag, val) = match item {
            Item::Problem(problem) => {
                sig.problems.push(problem_text(&problem));
                continue;
            }
            // RFC 6376 3.2: tag-name = ALPHA *ALNUMPUNC, and no tag twice
            // (both listed as problems above; the first of a name counts).
            Item::Tag(tag) if tag.valid_name && !tag.repeated => (tag.name, tag.value),
            Item::Tag(_) => continue,
        };
        sig.tag_names.push(tag.to_string());
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
    // Bounded (issue 19 item 1): what the reader left out is said, not listed.
    if list.problems_not_kept() > 0 {
        sig.problems.push(format!(
            "{} more malformed tags not listed",
            list.problems_not_kept()
        ));
    }
    if list.tags_not_read() > 0 {
        sig.problems.push(format!(
            "more than {MAX_TAGS} tags: the other {} were not read",
            list.tags_not_read()
        ));
    }
    for tag in required {
        if list.get(tag).is_none() {
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

    /// Regression (issue 19, item 1): 100k distinct tags (1 MB) took 28 s
    /// and listed every name in the report. Now 64 are read, the rest are
    /// counted and said (tests/growth_tags.rs measures the growth).
    #[test]
    fn a_flood_of_distinct_tags_is_bounded_and_said() {
        let mut value = String::from("v=1; a=rsa-sha256; d=example.com; s=s; h=from; bh=x; b=y");
        for n in 0..100_000 {
            value.push_str(&format!("; t{n}=1"));
        }
        let sig = parse(&value, crate::span::Span { start: 0, end: 0 });
        assert_eq!(sig.tag_names.len(), MAX_TAGS);
        assert_eq!(sig.tag_names.last().map(String::as_str), Some("t56"));
        assert_eq!(sig.signature.as_deref(), Some("y"));
        assert_eq!(
            sig.problems,
            vec![format!(
                "more than {MAX_TAGS} tags: the other {} were not read",
                7 + 100_000 - MAX_TAGS
            )]
        );
    }

    #[test]
    fn problems_are_bounded_and_the_rest_counted() {
        let value = "x; ".repeat(100) + "v=1; a=rsa-sha256; d=example.com; s=s; h=from; bh=x; b=y";
        let sig = parse(&value, Span { start: 0, end: 0 });
        assert_eq!(sig.problems.len(), 32 + 1, "{:?}", sig.problems);
        assert_eq!(sig.problems[0], "tag without \"=\": \"x\"");
        assert_eq!(sig.problems[32], "68 more malformed tags not listed");
        assert_eq!(sig.domain.as_deref(), Some("example.com"));
    }

    #[test]
    fn problems_keep_the_order_of_the_tags() {
        let sig = parse(
            "l=ten;; 1x=2; x=soon; d=a.test; d=b.test; junk",
            Span { start: 0, end: 0 },
        );
        assert_eq!(
            sig.problems,
            vec![
                "l= is not a number: \"ten\"",
                "an empty tag (\";;\")",
                "invalid tag name: \"1x=2\"",
                "x= is not a number: \"soon\"",
                "the tag d= appears twice",
                "tag without \"=\": \"junk\"",
                "required tag v= is missing",
                "required tag a= is missing",
                "required tag b= is missing",
                "required tag bh= is missing",
                "required tag h= is missing",
                "required tag s= is missing",
            ]
        );
        assert_eq!(sig.tag_names, vec!["l", "x", "d"]);
    }
}
