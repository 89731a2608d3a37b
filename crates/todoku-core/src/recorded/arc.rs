//! ARC (RFC 8617) header sets and Received-SPF (RFC 7208 9.1), decoded as
//! recorded; [`verify`] re-validates the chain against live DNS.

use serde::Serialize;

use crate::header::tags::TagList;
use crate::recorded::authres::{self, AuthResults};
use crate::span::Span;

/// Tags of an ARC-Seal or ARC-Message-Signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ArcTags {
    /// `a=`
    pub algorithm: Option<String>,
    /// `d=`
    pub domain: Option<String>,
    /// `s=`
    pub selector: Option<String>,
    /// `cv=` (seals only): none, pass or fail.
    pub cv: Option<String>,
    /// `h=` (message signatures only), lower-cased.
    pub headers: Vec<String>,
    /// The header in the input.
    pub span: Option<Span>,
}

/// One ARC set: the three headers sharing an instance number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ArcSet {
    /// `i=`
    pub instance: u32,
    /// ARC-Authentication-Results: what that intermediary recorded.
    pub results: Option<AuthResults>,
    /// Where the ARC-Authentication-Results header is.
    pub results_span: Option<Span>,
    /// ARC-Message-Signature.
    pub signature: Option<ArcTags>,
    /// ARC-Seal.
    pub seal: Option<ArcTags>,
}

/// The `i=` tag, which must come first and be followed by a `;`, and the
/// tag list it starts.
fn instance(value: &str) -> Option<(u32, TagList<'_>)> {
    let list = TagList::parse(value);
    let first = list.tags().first().filter(|t| t.index == 0)?;
    let i = (list.parts() > 1 && first.name == "i")
        .then(|| first.value.parse().ok())
        .flatten()?;
    Some((i, list))
}

/// The tags after `i=` (the last of a name counts).
fn tags(list: &TagList<'_>, span: Span) -> ArcTags {
    let mut t = ArcTags {
        span: Some(span),
        ..ArcTags::default()
    };
    for tag in list.tags().iter().filter(|t| t.index > 0) {
        let v = tag.value;
        match tag.name {
            "a" => t.algorithm = Some(v.to_ascii_lowercase()),
            "d" => t.domain = Some(v.to_ascii_lowercase()),
            "s" => t.selector = Some(v.to_string()),
            "cv" => t.cv = Some(v.to_ascii_lowercase()),
            "h" => {
                t.headers = v
                    .split(':')
                    .map(|h| {
                        h.split_whitespace()
                            .collect::<String>()
                            .to_ascii_lowercase()
                    })
                    .filter(|h| !h.is_empty())
                    .collect();
            }
            _ => {}
        }
    }
    t
}

/// The highest ARC instance RFC 8617 allows (4.2.1: `i=` is 1 to 50).
pub const MAX_INSTANCE: u32 = 50;

/// Collects ARC headers (any order) into sets, sorted by instance: at most
/// one set per instance up to [`MAX_INSTANCE`], so a flood of ARC headers
/// costs no more than a full chain.
#[derive(Debug, Default)]
pub(crate) struct ArcCollector {
    sets: Vec<ArcSet>,
    /// Headers not read: their `i=` cannot be read, or is above
    /// [`MAX_INSTANCE`].
    pub(crate) omitted: usize,
    /// The highest instance above [`MAX_INSTANCE`] seen.
    pub(crate) above_max: Option<u32>,
}

impl ArcCollector {
    fn set(&mut self, i: u32) -> Option<&mut ArcSet> {
        let pos = match self.sets.iter().position(|s| s.instance == i) {
            Some(pos) => pos,
            None => {
                self.sets.push(ArcSet {
                    instance: i,
                    results: None,
                    results_span: None,
                    signature: None,
                    seal: None,
                });
                self.sets.len() - 1
            }
        };
        self.sets.get_mut(pos)
    }

    /// Add one header; `name` lower-cased.
    pub(crate) fn add(&mut self, name: &str, value: &str, span: Span) {
        let Some((i, list)) = instance(value) else {
            self.omitted += 1;
            return;
        };
        if i > MAX_INSTANCE {
            self.omitted += 1;
            self.above_max = self.above_max.max(Some(i));
            return;
        }
        match name {
            "arc-authentication-results" => {
                // The rest is an Authentication-Results value, not a tag list.
                let rest = value.split_once(';').map_or("", |(_, rest)| rest);
                if let Some(set) = self.set(i) {
                    set.results = Some(authres::parse(rest));
                    set.results_span = Some(span);
                }
            }
            "arc-message-signature" => {
                if let Some(set) = self.set(i) {
                    set.signature = Some(tags(&list, span));
                }
            }
            "arc-seal" => {
                if let Some(set) = self.set(i) {
                    set.seal = Some(tags(&list, span));
                }
            }
            _ => {}
        }
    }

    pub(crate) fn finish(mut self) -> Vec<ArcSet> {
        crate::order::by_key(&mut self.sets, |s| u64::from(s.instance));
        self.sets
    }
}

/// Structural problems of an ARC chain (RFC 8617 5.2 step 3), in words.
///
/// A newest seal with `cv=fail` is no structural problem: it is what a
/// sealer must write when the chain it received did not validate (5.1 step
/// 4.3, 5.1.2), and it makes the chain fail (5.2 step 2) without being
/// malformed. Only a `cv=fail` seal that a later set continues is one (5.2
/// step 3.3; 5.1.3: a broken chain cannot be continued).
pub fn chain_problems(sets: &[ArcSet]) -> Vec<String> {
    let mut out = Vec::new();
    let newest = sets.last().map(|s| s.instance);
    for (n, set) in sets.iter().enumerate() {
        let expected = n as u32 + 1;
        if set.instance != expected {
            out.push(format!(
                "instance i={} where i={expected} was expected",
                set.instance
            ));
        }
        for (part, missing) in [
            ("ARC-Authentication-Results", set.results.is_none()),
            ("ARC-Message-Signature", set.signature.is_none()),
            ("ARC-Seal", set.seal.is_none()),
        ] {
            if missing {
                out.push(format!("i={} has no {part}", set.instance));
            }
        }
        let cv = set.seal.as_ref().and_then(|s| s.cv.as_deref());
        match (set.instance, cv) {
            (1, Some(cv)) if cv != "none" => {
                out.push(format!("i=1 must seal cv=none, not cv={cv}"))
            }
            (i, Some("none")) if i > 1 => {
                out.push(format!("i={i} seals cv=none, but an earlier set exists"))
            }
            (i, Some("fail")) if Some(i) != newest => out.push(format!(
                "i={i} sealed the chain as failed (cv=fail), but a later set continues it"
            )),
            _ => {}
        }
    }
    out
}

/// A Received-SPF header (RFC 7208 9.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReceivedSpf {
    /// pass, fail, softfail, neutral, none, temperror, permerror.
    pub result: String,
    /// The comment after the result.
    pub comment: Option<String>,
    /// `client-ip=`
    pub client_ip: Option<String>,
    /// `envelope-from=`
    pub envelope_from: Option<String>,
    /// `helo=`
    pub helo: Option<String>,
    /// `receiver=`
    pub receiver: Option<String>,
    /// `identity=` (mailfrom or helo)
    pub identity: Option<String>,
    /// The header in the input.
    pub span: Span,
}

/// Decode a Received-SPF value.
pub fn received_spf(value: &str, span: Span) -> Option<ReceivedSpf> {
    let value = value.trim();
    let end = value
        .find(|c: char| c.is_whitespace() || c == '(' || c == ';')
        .unwrap_or(value.len());
    let result = value.get(..end)?.to_ascii_lowercase();
    if result.is_empty() {
        return None;
    }
    let rest = value.get(end..).unwrap_or_default();
    let comment = rest.trim_start().strip_prefix('(').and_then(|c| {
        let mut depth = 1usize;
        let close = c.char_indices().find(|&(_, ch)| {
            match ch {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            depth == 0
        })?;
        c.get(..close.0).map(str::to_string)
    });
    let after = match &comment {
        Some(c) => rest
            .get(rest.find(c.as_str()).map_or(0, |i| i + c.len() + 1)..)
            .unwrap_or_default(),
        None => rest,
    };
    // One pass over `key=value` words; the first of each name counts.
    const NAMES: [&str; 5] = ["client-ip", "envelope-from", "helo", "receiver", "identity"];
    let mut fields: [Option<String>; 5] = Default::default();
    for (k, v) in after
        .split([';', ' ', '\t', '\r', '\n'])
        .filter_map(|kv| kv.split_once('='))
    {
        if let Some(slot) = NAMES
            .iter()
            .position(|n| k.trim().eq_ignore_ascii_case(n))
            .and_then(|i| fields.get_mut(i))
            .filter(|slot| slot.is_none())
        {
            *slot = Some(v.trim().trim_matches('"').to_string());
        }
    }
    let [client_ip, envelope_from, helo, receiver, identity] = fields;
    Some(ReceivedSpf {
        result,
        client_ip,
        envelope_from,
        helo,
        receiver,
        identity,
        comment,
        span,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Span = Span { start: 0, end: 0 };

    #[test]
    fn arc_sets_are_grouped_and_checked() {
        let mut c = ArcCollector::default();
        c.add(
            "arc-seal",
            "i=2; a=rsa-sha256; t=1; cv=pass; d=lists.example; s=arc; b=x",
            S,
        );
        c.add("arc-message-signature", "i=2; a=rsa-sha256; c=relaxed/relaxed; d=lists.example; s=arc; h=from:to:subject; bh=x; b=y", S);
        c.add("arc-authentication-results", "i=2; lists.example; dkim=pass header.d=todoku.test; spf=pass smtp.mailfrom=todoku.test", S);
        c.add(
            "arc-seal",
            "i=1; a=rsa-sha256; cv=none; d=relay.example; s=s1; b=z",
            S,
        );
        c.add(
            "arc-authentication-results",
            "i=1; relay.example; spf=pass smtp.mailfrom=todoku.test",
            S,
        );
        let sets = c.finish();
        assert_eq!(
            sets.iter().map(|s| s.instance).collect::<Vec<_>>(),
            vec![1, 2]
        );
        assert_eq!(
            sets[1].results.as_ref().unwrap().authserv_id.as_deref(),
            Some("lists.example")
        );
        assert_eq!(
            sets[1].signature.as_ref().unwrap().headers,
            vec!["from", "to", "subject"]
        );
        assert_eq!(
            chain_problems(&sets),
            vec!["i=1 has no ARC-Message-Signature".to_string()]
        );
    }

    #[test]
    fn arc_tags_need_i_first_and_the_last_of_a_name_counts() {
        let mut c = ArcCollector::default();
        // No ";" after i=, or i= not first: the instance cannot be read.
        c.add("arc-seal", "i=1", S);
        c.add("arc-seal", "a=rsa-sha256; i=1; cv=none", S);
        c.add("arc-seal", "junk; i=1; cv=none", S);
        c.add(
            "arc-message-signature",
            " i = 1 ;\r\n d=One.Example; junk; d=Two.Example; h= From : To ",
            S,
        );
        c.add(
            "arc-authentication-results",
            "i=1; relay.example; spf=pass smtp.mailfrom=todoku.test",
            S,
        );
        let sets = c.finish();
        assert_eq!(sets.len(), 1);
        assert!(sets[0].seal.is_none(), "{:?}", sets[0].seal);
        let ams = sets[0].signature.as_ref().unwrap();
        assert_eq!(ams.domain.as_deref(), Some("two.example"));
        assert_eq!(ams.headers, vec!["from", "to"]);
        assert_eq!(
            sets[0].results.as_ref().unwrap().authserv_id.as_deref(),
            Some("relay.example")
        );
    }

    #[test]
    fn received_spf_fields() {
        let r = received_spf(
            "softfail (google.com: domain of transitioning a@todoku.test does not designate 203.0.113.9 as permitted sender) client-ip=203.0.113.9; envelope-from=a@todoku.test; helo=DESKTOP-7QK3;",
            S,
        )
        .unwrap();
        assert_eq!(r.result, "softfail");
        assert_eq!(r.client_ip.as_deref(), Some("203.0.113.9"));
        assert_eq!(r.envelope_from.as_deref(), Some("a@todoku.test"));
        assert_eq!(r.helo.as_deref(), Some("DESKTOP-7QK3"));
        assert!(r.comment.unwrap().contains("does not designate"));
        assert!(received_spf("", S).is_none());
    }
}
