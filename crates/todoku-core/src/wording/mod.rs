//! The words: languages and the findings catalogue.

pub mod catalogue;
