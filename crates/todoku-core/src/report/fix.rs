//! One entry of the "what to change" list: the record or setting, the value
//! to set, a sentence in both languages and the findings it answers.

use serde::Serialize;

pub use crate::wording::fixes::FixKind;

/// One change that would fix what the findings show, most important first
/// in [`crate::Report::fixes`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Fix {
    /// What kind of change.
    pub kind: FixKind,
    /// The finding ids this change answers; the first is its evidence.
    pub findings: Vec<&'static str>,
    /// The DNS record or setting to change (`shop.example TXT`).
    pub name: String,
    /// The value to set (`ip4:192.0.2.1`), when there is one value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// What to do, in English.
    pub sentence: String,
    /// The same in Japanese.
    pub sentence_ja: String,
}
