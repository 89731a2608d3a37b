//! Byte ranges into the user's input: every finding, hop and recorded result
//! points back at the text it came from.

use serde::Serialize;

/// A byte range `[start, end)` into the analysed input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}
