//! Live authentication: the DNS front (`dns`, `lookup`), each protocol's
//! checks (SPF, DKIM, DMARC, ARC, iprev) and `live::run`, which runs them all
//! and compares them with what the receiver recorded.

pub mod arc;
pub mod dkim;
pub mod dmarc;
pub mod dns;
pub mod iprev;
pub mod live;
pub mod lookup;
pub mod spf;
