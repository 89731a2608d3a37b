//! DNS-over-HTTPS (RFC 8484), sans I/O.
//!
//! This crate builds GET requests and decodes `application/dns-message`
//! answers; it knows nothing about email. The HTTP exchange itself is done by a
//! thin transport: the browser's `fetch` (in `todoku-web`) or [`native`] (with
//! the `native` feature) for the CLI.
//!
//! ```
//! let wire = todoku_doh::encode_query("_dmarc.example.com", todoku_doh::TYPE_TXT).unwrap();
//! let url = todoku_doh::get_url("https://dns.example/dns-query", &wire);
//! assert!(url.starts_with("https://dns.example/dns-query?dns="));
//! ```
#![forbid(unsafe_code)]

mod budget;
mod decode;
mod query;

#[cfg(feature = "native")]
pub mod native;

pub use budget::Budget;
pub use decode::{
    DecodeError, MAX_CNAME_CHAIN, MEDIA_TYPE, Record, RecordData, Response, check_media_type,
    decode_response,
};
pub use query::{ACCEPT, QueryError, encode_query, get_url};

/// TXT type code.
pub const TYPE_TXT: u16 = 16;
