//! What the receivers recorded: Authentication-Results, ARC sets,
//! Received-SPF, vendor spam verdicts, and the receiver's merged view; bounces.

pub mod arc;
pub mod authres;
pub mod bounce;
pub mod receiver;
pub mod vendors;
