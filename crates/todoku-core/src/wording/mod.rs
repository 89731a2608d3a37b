//! The words: the two languages, a text in both, and the findings catalogue.

pub mod batch;
pub mod bounce;
pub mod catalogue;
pub mod checklist;
pub mod fixes;
mod lang;
pub mod page_help;
pub mod reasons;
pub mod results;
mod ui;

pub use lang::{Lang, Text};
pub use ui::Ui;
