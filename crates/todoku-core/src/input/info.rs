//! What the input was: its size, its header fields, and why it could not be
//! analysed when it could not.

use serde::Serialize;

use crate::input::InputNote;
use crate::span::Span;

/// Inputs larger than this are not analysed; the report says so instead.
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// Facts about the input itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InputInfo {
    /// Length of the input in bytes.
    pub bytes: usize,
    /// Number of header fields found.
    pub header_count: usize,
    /// Whether a body followed the header block.
    pub has_body: bool,
    /// The message is a bounce (a delivery status notification or a
    /// non-delivery message): the report is about the original message's
    /// fate, and the bounce's own authentication is not judged.
    #[serde(default)]
    pub bounce_message: bool,
    /// Why the input could not be analysed, when it could not.
    pub problem: Option<InputProblem>,
    /// What was changed to read a messy paste (skipped text, re-indented lines…).
    pub notes: Vec<InputNote>,
    /// Where the header block is in the input (ends before the blank line).
    pub header_block: Option<Span>,
    /// Every header field in order: its name as written and where it is.
    pub headers: Vec<HeaderRef>,
}

/// A header field of the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HeaderRef {
    /// The name as written.
    pub name: String,
    /// The whole field (name, colon, value, line break).
    pub span: Span,
}

/// Reasons an input yields no analysis. Each carries what the user needs to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum InputProblem {
    /// Nothing but white space was given.
    Empty,
    /// No line of the form `Name: value` was found.
    NoHeaders,
    /// The input is larger than [`MAX_INPUT_BYTES`].
    TooLarge {
        /// Input size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
}
