//! The message's path: Received hops in order with their delays, the trust
//! boundary (where the receiving organisation took the message) and clock skew.

pub mod boundary;
pub mod hops;
