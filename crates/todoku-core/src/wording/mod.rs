//! The words: the two languages, a text in both, and the findings catalogue.

pub mod bounce;
pub mod catalogue;
mod lang;

pub use lang::{Lang, Text};
