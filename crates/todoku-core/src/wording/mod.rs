//! The words: the two languages, a text in both, and the findings catalogue.

pub mod catalogue;
mod lang;
pub mod reasons;
mod ui;

pub use lang::{Lang, Text};
pub use ui::Ui;
