//! A finding: what Todoku concludes, with a stable id (docs/findings.md), a
//! severity, a one-line message, the explanation and fix, and the evidence.

use serde::Serialize;

use crate::span::Span;

/// How much a finding matters for delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Likely causes rejection or the spam folder.
    Error,
    /// Hurts reputation or will fail under stricter receivers.
    Warning,
    /// Worth knowing; no action needed.
    Info,
    /// A requirement that is met.
    Pass,
}

impl Severity {
    /// The word the JSON uses (`error`, `warning`, `info`, `pass`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Pass => "pass",
        }
    }
}

/// One conclusion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Finding {
    /// Stable id, e.g. `spf.softfail`.
    pub id: &'static str,
    /// Severity.
    pub severity: Severity,
    /// One line, in English.
    pub message: String,
    /// The same line in Japanese.
    pub message_ja: String,
    /// Why it matters and what to change.
    pub detail: String,
    /// Where in the input the evidence is.
    pub evidence: Vec<Span>,
    /// The DNS answers behind a finding from the live re-checks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dns: Vec<crate::auth::live::DnsEvidence>,
    /// The root cause in this message's own terms, from the live checks
    /// (the record, the address, the include to add); English, since it
    /// quotes records and names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// The same root cause in Japanese.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause_ja: Option<String>,
    /// The catalogue's one-line title, English and Japanese.
    pub title: crate::wording::Text,
    /// Why it matters and what to change, in Japanese.
    pub detail_ja: &'static str,
}

impl Finding {
    /// The one-line message in `lang`.
    pub fn message(&self, lang: crate::wording::Lang) -> &str {
        match lang {
            crate::wording::Lang::En => &self.message,
            crate::wording::Lang::Ja => &self.message_ja,
        }
    }

    /// The root cause in `lang`, when the live checks found one.
    pub fn cause(&self, lang: crate::wording::Lang) -> Option<&str> {
        match lang {
            crate::wording::Lang::En => self.cause.as_deref(),
            crate::wording::Lang::Ja => self.cause_ja.as_deref().or(self.cause.as_deref()),
        }
    }
}

pub(crate) fn finding(
    id: crate::wording::catalogue::FindingId,
    severity: Severity,
    message: String,
    message_ja: String,
    detail: &str,
    evidence: Vec<Span>,
) -> Finding {
    Finding {
        id: id.as_str(),
        severity,
        message,
        message_ja,
        detail: detail.to_string(),
        evidence,
        dns: Vec::new(),
        cause: None,
        cause_ja: None,
        title: id.title(),
        detail_ja: id.detail_ja(),
    }
}
