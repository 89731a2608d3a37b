//! The report's headline: how the message is likely to fare, in one sentence.

use serde::Serialize;

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

impl Outlook {
    /// The word the JSON uses (`filtered`, `at_risk`, `clean`, `unknown`).
    pub fn as_str(self) -> &'static str {
        match self {
            Outlook::Filtered => "filtered",
            Outlook::AtRisk => "at_risk",
            Outlook::Clean => "clean",
            Outlook::Unknown => "unknown",
        }
    }
}

/// The headline of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Verdict {
    /// Filtered, at risk, or clean.
    pub outlook: Outlook,
    /// One sentence.
    pub sentence: String,
    /// The same in Japanese.
    pub sentence_ja: String,
    /// The finding ids the sentence names, most important first.
    pub because: Vec<&'static str>,
}
