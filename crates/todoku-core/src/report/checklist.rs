//! The mailbox providers' sender requirements, each judged met, not met or
//! not something the headers can show.

use serde::Serialize;

use crate::wording::Text;
use crate::wording::checklist::{CheckId, ListId};

/// Whether one requirement is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CheckState {
    /// Met, by this message's evidence.
    Pass,
    /// Not met.
    Fail,
    /// Headers and DNS cannot show it (spam rate, body content), or the
    /// evidence is missing (no Authentication-Results, live checks off).
    Unknown,
}

/// One requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CheckItem {
    /// Stable id, e.g. `dmarc_aligned`.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub id: CheckId,
    /// The requirement, summarised.
    pub requirement: Text,
    /// Met or not.
    pub state: CheckState,
    /// What decided it.
    pub evidence: String,
    /// The same in Japanese.
    pub evidence_ja: String,
    /// The finding with the fix, when not met: always one the report
    /// holds (none when no finding explains it).
    pub finding: Option<&'static str>,
}

/// One provider's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Checklist {
    /// `gmail_all`, `gmail_bulk`, `yahoo`, `outlook_high_volume`.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub id: ListId,
    /// e.g. Text { en: "Gmail: all senders", ja: "Gmail：すべての送信者" }.
    pub title: Text,
    /// The requirements.
    pub items: Vec<CheckItem>,
}
