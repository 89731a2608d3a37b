//! Todoku's engine: everything about email, nothing about browsers or sockets.
//!
//! The contract is `bytes + &impl Resolver + now -> Report`:
//!
//! - [`analyze`] reads a pasted header block or a whole `.eml` and returns the
//!   offline part of the [`Report`] (summary, Received hops with delays). It is
//!   synchronous, deterministic and never panics.
//! - [`live::check_dmarc`] (and the later live checks) ask a [`dns::Resolver`]
//!   and return evidence that the caller attaches to the report with
//!   [`Report::attach_live`]. The resolver is a trait so the browser (DoH over
//!   `fetch`), the CLI (native DoH) and tests (in-memory fixtures) plug in.
//!
//! The core never reads a clock: the caller passes `now` as Unix seconds.
#![forbid(unsafe_code)]

pub mod address;
pub mod arc;
pub mod authres;
pub mod bounce;
pub mod boundary;
pub mod catalogue;
pub mod charset;
pub mod checklist;
mod datetime;
pub mod diagnosis;
pub mod dkim;
pub mod dkim_sig;
pub mod dmarc;
pub mod dns;
pub mod export;
mod fields;
pub mod findings;
pub mod hops;
pub mod input;
pub mod iprev;
mod legacy;
pub mod live;
pub mod lookup;
pub mod message;
mod received;
pub mod recorded;
mod report;
mod rfc2047;
pub mod spf;
mod text;
pub mod verdict;
pub mod verdicts;

pub use report::{
    Auth, HeaderRef, InputInfo, InputProblem, LiveChecks, MAX_INPUT_BYTES, Report, SCHEMA_VERSION,
    Span, Summary,
};

/// Analyse a header block or a whole message, offline.
///
/// `now` is the analysis time in Unix seconds; it is recorded in the report and
/// never read from a clock, so the same input and `now` give the same report.
///
/// Text in the legacy CJK charsets is read with [`charset::builtin`]; see
/// [`analyze_with`] to supply another backend.
pub fn analyze(input: &[u8], now: i64) -> Report {
    analyze_with(input, now, charset::builtin())
}

/// [`analyze`], reading the legacy CJK charsets with `charsets` (the page
/// passes the browser's `TextDecoder`).
pub fn analyze_with(input: &[u8], now: i64, charsets: &dyn charset::Charsets) -> Report {
    let mut report = report::build(input, now, charsets);
    if report.input.problem.is_none() && !report.input.bounce_message {
        // What the recorded results alone support (a free-mail From sent
        // elsewhere, forwarding, why DMARC failed), judged with no live checks.
        diagnosis::attach(&mut report, LiveChecks::default());
    }
    report
}

/// Analyse, then run every live check through `resolver` and attach them.
///
/// Deterministic for a deterministic resolver: the same input, DNS answers
/// and `now` give the same report.
pub async fn analyze_live<R: dns::Resolver>(input: &[u8], now: i64, resolver: &R) -> Report {
    analyze_live_with(input, now, resolver, charset::builtin()).await
}

/// [`analyze_live`], reading the legacy CJK charsets with `charsets`.
pub async fn analyze_live_with<R: dns::Resolver>(
    input: &[u8],
    now: i64,
    resolver: &R,
    charsets: &dyn charset::Charsets,
) -> Report {
    let mut report = report::build(input, now, charsets);
    // A bounce's own DNS says nothing about the message that was rejected.
    if report.input.problem.is_some() || report.input.bounce_message {
        return report;
    }
    let message = raw_message(input);
    let live = live::run(&report, &message, resolver).await;
    diagnosis::attach(&mut report, live);
    report
}

/// The message as the signature checks see it (after the same paste repair
/// [`analyze`] applies).
pub fn raw_message(input: &[u8]) -> message::RawMessage {
    let prepared = input::prepare(input);
    let mut message = message::split(&prepared.bytes);
    message.body = message::body(&prepared.body);
    message
}

/// The JSON Schema of [`Report`] (feature `schema`), as committed in
/// `docs/report.schema.json`.
#[cfg(feature = "schema")]
pub fn report_schema() -> schemars::Schema {
    schemars::schema_for!(Report)
}
