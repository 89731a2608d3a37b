//! The headline facts read from the header fields.

use serde::Serialize;

/// Headline facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Summary {
    /// Decoded Subject.
    pub subject: Option<String>,
    /// The (first) From address.
    pub from: Option<String>,
    /// The From display name, decoded.
    pub from_name: Option<String>,
    /// Domain of the From address, lower-cased: the DMARC identity.
    pub from_domain: Option<String>,
    /// The Date header, RFC 3339.
    pub date: Option<String>,
    /// Message-ID without angle brackets.
    pub message_id: Option<String>,
    /// Return-Path: the envelope sender (the SPF identity), without brackets.
    pub return_path: Option<String>,
    /// Sender, when present.
    pub sender: Option<String>,
    /// Reply-To addresses.
    pub reply_to: Vec<String>,
    /// List-Id, as written.
    pub list_id: Option<String>,
    /// List-Unsubscribe, as written.
    pub list_unsubscribe: Option<String>,
    /// List-Unsubscribe-Post, as written.
    pub list_unsubscribe_post: Option<String>,
}
