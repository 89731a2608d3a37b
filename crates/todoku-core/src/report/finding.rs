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
    /// One line.
    pub message: String,
    /// Why it matters and what to change.
    pub detail: String,
    /// Where in the input the evidence is.
    pub evidence: Vec<Span>,
    /// The DNS answers behind a finding from the live re-checks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dns: Vec<crate::auth::live::DnsEvidence>,
    /// The root cause in this message's own terms, from the live checks
    /// (the record, the address, the include to add); English, since it
    /// quotes records and names. Shown in both languages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// The catalogue's one-line title, English and Japanese.
    pub title: crate::wording::Text,
    /// Why it matters and what to change, in Japanese.
    pub detail_ja: &'static str,
}

pub(crate) fn finding(
    id: &'static str,
    severity: Severity,
    message: String,
    detail: &str,
    evidence: Vec<Span>,
) -> Finding {
    Finding {
        id,
        severity,
        message,
        detail: detail.to_string(),
        evidence,
        dns: Vec::new(),
        cause: None,
        title: crate::wording::catalogue::title(id),
        detail_ja: crate::wording::catalogue::entry(id).map_or("", |e| e.detail_ja),
    }
}
