//! The one-sentence verdict: the findings that matter most, in words a
//! sender understands. (English; the Japanese catalogue comes with issue 5.)

use serde::Serialize;

use crate::findings::{Finding, Severity};

/// How the message is likely to fare, judged from the headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outlook {
    /// Errors: likely rejected or filtered to spam.
    Filtered,
    /// Warnings only: delivered, but at risk with stricter receivers.
    AtRisk,
    /// Nothing wrong in the headers.
    Clean,
    /// Nothing could be analysed (see `input.problem`).
    Unknown,
}

/// The headline of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Verdict {
    /// Filtered, at risk, or clean.
    pub outlook: Outlook,
    /// One sentence.
    pub sentence: String,
    /// The finding ids the sentence names, most important first.
    pub because: Vec<&'static str>,
}

/// Short reasons, in order of impact on delivery.
const REASONS: &[(&str, &str)] = &[
    ("from.encoded_word_attack", "the From header is forged"),
    ("rfc5322.malformed_field_name", "a header imitates another"),
    (
        "vendor.spam_verdict",
        "the receiving filter marked it as spam",
    ),
    (
        "from.freemail_spoof",
        "it claims a free-mail From address but was not sent by that provider",
    ),
    ("dmarc.fail", "DMARC failed"),
    (
        "dmarc.not_aligned",
        "SPF/DKIM pass only for another domain, so DMARC is not aligned",
    ),
    ("spf.fail", "SPF failed"),
    ("rfc5322.missing_from", "it has no From header"),
    ("rfc5322.malformed_from", "its From address cannot be read"),
    ("rfc5322.duplicate_from", "it has two From headers"),
    ("dkim.fail", "the DKIM signature did not verify"),
    ("dkim.key_missing", "the DKIM key is not published"),
    ("dns.broken", "the domain's DNS is failing"),
    ("dkim.permerror", "the DKIM signature is broken"),
    (
        "dkim.signature_malformed",
        "the DKIM signature is malformed",
    ),
    ("dkim.from_not_signed", "DKIM does not sign the From header"),
    ("spf.permerror", "the SPF record is broken"),
    ("dmarc.permerror", "the DMARC record is broken"),
    ("spf.softfail", "SPF soft-failed"),
    (
        "iprev.missing",
        "the sending IP has no matching reverse DNS",
    ),
    ("dkim.key_weak", "the DKIM key is too short"),
    ("dkim.none", "the message has no DKIM signature"),
    ("dmarc.missing", "the domain has no DMARC record"),
    ("spf.none", "the domain has no SPF record"),
    (
        "helo.not_fqdn",
        "the sending computer announces a bare PC name",
    ),
    ("helo.no_dns", "the server's HELO name does not resolve"),
    (
        "dkim.temperror",
        "the DKIM key could not be fetched at receipt",
    ),
    ("spf.temperror", "SPF could not be checked at receipt"),
    (
        "unsubscribe.one_click_missing",
        "one-click unsubscribe is missing",
    ),
    ("tls.not_used", "the last hop was not encrypted"),
    ("arc.fail", "the ARC chain failed"),
    (
        "rfc5322.unencoded_8bit",
        "headers are raw legacy-charset text",
    ),
    ("dkim.weak_hash", "DKIM uses rsa-sha1"),
    (
        "from.display_name_address",
        "the From name shows another address",
    ),
];

fn rank(id: &str) -> usize {
    REASONS
        .iter()
        .position(|(r, _)| *r == id)
        .unwrap_or(REASONS.len())
}

fn reason(f: &Finding) -> String {
    REASONS.iter().find(|(r, _)| *r == f.id).map_or_else(
        || f.message.trim_end_matches('.').to_string(),
        |(_, text)| (*text).to_string(),
    )
}

/// Join up to two reasons: "A", "A and B".
fn join(reasons: &[String]) -> String {
    match reasons {
        [] => String::new(),
        [a] => a.clone(),
        [a, b, ..] => format!("{a} and {b}"),
    }
}

/// The verdict when the input could not be analysed.
pub(crate) fn nothing() -> Verdict {
    Verdict {
        outlook: Outlook::Unknown,
        sentence: "Nothing was analysed: no email header was found.".to_string(),
        because: Vec::new(),
    }
}

/// The verdict for a pasted rejection without headers.
pub(crate) fn rejection(codes: &[crate::bounce::BounceCode]) -> Verdict {
    let Some(first) = codes.iter().find(|c| c.finding.is_some()).or(codes.first()) else {
        return nothing();
    };
    let how = if first.temporary {
        "Deferred (the sender retries)"
    } else {
        "Rejected"
    };
    Verdict {
        outlook: Outlook::Filtered,
        sentence: format!("{how} with {}: {}", first.enhanced, first.meaning),
        because: first.finding.into_iter().collect(),
    }
}

/// The verdict for these findings.
pub(crate) fn judge(findings: &[Finding]) -> Verdict {
    let pick = |severity: Severity| {
        let mut chosen: Vec<&Finding> =
            findings.iter().filter(|f| f.severity == severity).collect();
        chosen.sort_by_key(|f| rank(f.id));
        chosen.dedup_by_key(|f| f.id);
        chosen.truncate(2);
        chosen
    };
    let errors = pick(Severity::Error);
    if !errors.is_empty() {
        let reasons: Vec<String> = errors.iter().map(|f| reason(f)).collect();
        return Verdict {
            outlook: Outlook::Filtered,
            sentence: format!(
                "Likely rejected or filtered as spam because {}.",
                join(&reasons)
            ),
            because: errors.iter().map(|f| f.id).collect(),
        };
    }
    let warnings = pick(Severity::Warning);
    if !warnings.is_empty() {
        let reasons: Vec<String> = warnings.iter().map(|f| reason(f)).collect();
        return Verdict {
            outlook: Outlook::AtRisk,
            sentence: format!(
                "Probably delivered, but at risk because {}.",
                join(&reasons)
            ),
            because: warnings.iter().map(|f| f.id).collect(),
        };
    }
    Verdict {
        outlook: Outlook::Clean,
        sentence: "No problems found in the headers.".to_string(),
        because: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(id: &'static str, severity: Severity) -> Finding {
        Finding {
            id,
            severity,
            message: format!("{id} message."),
            detail: String::new(),
            evidence: Vec::new(),
            dns: Vec::new(),
        }
    }

    #[test]
    fn errors_are_named_by_impact() {
        let v = judge(&[
            f("helo.not_fqdn", Severity::Warning),
            f("spf.softfail", Severity::Warning),
            f("dmarc.fail", Severity::Error),
            f("vendor.spam_verdict", Severity::Error),
        ]);
        assert_eq!(v.outlook, Outlook::Filtered);
        assert_eq!(
            v.sentence,
            "Likely rejected or filtered as spam because the receiving filter marked it as spam and DMARC failed."
        );
        assert_eq!(v.because, vec!["vendor.spam_verdict", "dmarc.fail"]);
    }

    #[test]
    fn warnings_only_and_clean() {
        let v = judge(&[
            f("tls.not_used", Severity::Warning),
            f("spf.softfail", Severity::Warning),
            f("dkim.pass", Severity::Pass),
        ]);
        assert_eq!(
            v.sentence,
            "Probably delivered, but at risk because SPF soft-failed and the last hop was not encrypted."
        );
        assert_eq!(
            judge(&[f("spf.pass", Severity::Pass)]).outlook,
            Outlook::Clean
        );
    }
}
