//! Todoku's engine: everything about email, nothing about browsers or sockets.
//!
//! The contract is `bytes + &impl Resolver + now -> Report`:
//!
//! - [`analyze`] reads a pasted header block or a whole `.eml` and returns the
//!   offline part of the [`Report`] (summary, Received hops with delays). It is
//!   synchronous, deterministic and never panics.
//! - [`live::check_dmarc`] (and the later live checks) ask a [`auth::dns::Resolver`]
//!   and return evidence that the caller attaches to the report with
//!   [`Report::attach_live`]. The resolver is a trait so the browser (DoH over
//!   `fetch`), the CLI (native DoH) and tests (in-memory fixtures) plug in.
//!
//! The core never reads a clock: the caller passes `now` as Unix seconds.
#![forbid(unsafe_code)]

pub mod auth;
pub mod diagnose;
pub mod header;
pub mod input;
mod pipeline;
pub mod recorded;
pub mod report;
pub mod span;
pub mod trace;
pub mod wording;

pub use report::{
    Auth, HeaderRef, InputInfo, InputProblem, LiveChecks, MAX_INPUT_BYTES, Report, SCHEMA_VERSION,
    Summary,
};
pub use span::Span;
pub use wording::{Lang, Text};

/// Analyse a header block or a whole message, offline.
///
/// `now` is the analysis time in Unix seconds; it is recorded in the report and
/// never read from a clock, so the same input and `now` give the same report.
///
/// Text in the legacy CJK charsets is read with [`header::charset::builtin`]; see
/// [`analyze_with`] to supply another backend.
pub fn analyze(input: &[u8], now: i64) -> Report {
    analyze_with(input, now, header::charset::builtin())
}

/// [`analyze`], reading the legacy CJK charsets with `charsets` (the page
/// passes the browser's `TextDecoder`).
pub fn analyze_with(input: &[u8], now: i64, charsets: &dyn header::charset::Charsets) -> Report {
    let mut report = pipeline::build(input, now, charsets);
    if report.input.problem.is_none() && !report.input.bounce_message {
        // What the recorded results alone support (a free-mail From sent
        // elsewhere, forwarding, why DMARC failed), judged with no live checks.
        diagnose::live::attach(&mut report, LiveChecks::default());
    }
    report
}

/// Analyse, then run every live check through `resolver` and attach them.
///
/// Deterministic for a deterministic resolver: the same input, DNS answers
/// and `now` give the same report.
pub async fn analyze_live<R: auth::dns::Resolver>(input: &[u8], now: i64, resolver: &R) -> Report {
    analyze_live_with(input, now, resolver, header::charset::builtin()).await
}

/// [`analyze_live`], reading the legacy CJK charsets with `charsets`.
pub async fn analyze_live_with<R: auth::dns::Resolver>(
    input: &[u8],
    now: i64,
    resolver: &R,
    charsets: &dyn header::charset::Charsets,
) -> Report {
    let mut report = pipeline::build(input, now, charsets);
    // A bounce's own DNS says nothing about the message that was rejected.
    if report.input.problem.is_some() || report.input.bounce_message {
        return report;
    }
    let message = raw_message(input);
    let live = auth::live::run(&report, &message, resolver).await;
    diagnose::live::attach(&mut report, live);
    report
}

/// The message as the signature checks see it (after the same paste repair
/// [`analyze`] applies).
pub fn raw_message(input: &[u8]) -> input::message::RawMessage {
    let prepared = input::prepare(input);
    let mut message = input::message::split(&prepared.bytes);
    message.body = input::message::body(&prepared.body);
    message
}

/// The JSON Schema of [`Report`] (feature `schema`), as committed in
/// `docs/report.schema.json`.
#[cfg(feature = "schema")]
pub fn report_schema() -> schemars::Schema {
    schemars::schema_for!(Report)
}
