//! Header readers: the header block split into fields, and a reader for each
//! kind of value (addresses, dates, Received, encoded words and charsets,
//! DKIM-Signature; tag lists, read once for every kind that uses them).

pub mod address;
pub(crate) mod base64;
pub mod charset;
pub(crate) mod datetime;
pub mod dkim_sig;
pub(crate) mod fields;
pub(crate) mod legacy;
pub(crate) mod received;
pub(crate) mod rfc2047;
pub mod summary;
pub mod tags;
pub(crate) mod text;
