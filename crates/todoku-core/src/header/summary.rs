//! The headline facts read from the header fields.

use serde::Serialize;

/// [`Summary::reply_to`] keeps at most this many addresses.
pub const MAX_REPLY_TO: usize = 50;

/// `serde`'s `skip_serializing_if` for the count of what was left out.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_zero(n: &usize) -> bool {
    *n == 0
}

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
    /// Reply-To addresses: at most 50 ([`MAX_REPLY_TO`]), the first.
    pub reply_to: Vec<String>,
    /// Reply-To addresses beyond the first 50, not kept (absent when 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub reply_to_omitted: usize,
    /// List-Id, as written.
    pub list_id: Option<String>,
    /// List-Unsubscribe, as written.
    pub list_unsubscribe: Option<String>,
    /// List-Unsubscribe-Post, as written.
    pub list_unsubscribe_post: Option<String>,
}
