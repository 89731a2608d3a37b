//! Todoku's engine: everything about email, nothing about browsers or sockets.
//!
//! The contract is `bytes + &impl Resolver + now -> Report`, in three phases
//! that the page, the CLI and the tests all call:
//!
//! 1. [`analyze`] reads a pasted header block or a whole `.eml` and returns
//!    the offline [`Report`]: what the receiver recorded, the hops, and every
//!    finding that needs no DNS. Synchronous, deterministic, never panics.
//! 2. [`check_live`] asks a [`auth::dns::Resolver`] everything the live
//!    re-checks need (SPF, DKIM keys, DMARC, ARC, iprev) and returns the
//!    [`LiveChecks`] with their DNS evidence; it does not touch the report.
//! 3. [`attach_live`] takes those in and judges again (findings, verdict,
//!    checklists).
//!
//! [`analyze_live`] is the three in a row. The resolver is a trait so the
//! browser (DoH over `fetch`), the CLI (native DoH) and tests (in-memory
//! fixtures) plug in. The core never reads a clock: the caller passes `now`
//! as Unix seconds.
#![forbid(unsafe_code)]

pub mod auth;
pub mod diagnose;
pub mod header;
pub mod input;
mod order;
mod pipeline;
pub mod recorded;
pub mod report;
pub mod span;
pub mod trace;
pub mod whole;
pub mod wording;

pub use auth::live::LiveChecks;
pub use header::summary::Summary;
pub use input::info::{HeaderRef, InputInfo, InputProblem, MAX_INPUT_BYTES};
pub use report::{Auth, Report, SCHEMA_VERSION};
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

/// The input analysed as one message, as it is, without the whole-input
/// stage (a bounce judged as the bounce, a message with attached messages
/// as the carrier): what the labels of tests/realworld judge.
pub fn analyze_message(input: &[u8], now: i64) -> Report {
    let mut report = pipeline::build_one(input, now, header::charset::builtin());
    diagnose::live::attach(&mut report, LiveChecks::default());
    report
}

/// [`analyze`], reading the legacy CJK charsets with `charsets` (the page
/// passes the browser's `TextDecoder`).
pub fn analyze_with(input: &[u8], now: i64, charsets: &dyn header::charset::Charsets) -> Report {
    let mut report = build(input, 0, now, charsets);
    // What the recorded results alone support (a free-mail From sent
    // elsewhere, forwarding, why DMARC failed), judged with no live checks.
    diagnose::live::attach(&mut report, LiveChecks::default());
    report
}

/// [`analyze_with`], analysing the attached message `index` (from 0) of an
/// input that carries messages as attachments (a message forwarded with
/// several): the page's choice among them. An index past the last one, or
/// an input without attached messages, gives what [`analyze_with`] gives.
pub fn analyze_attached(
    input: &[u8],
    index: usize,
    now: i64,
    charsets: &dyn header::charset::Charsets,
) -> Report {
    let mut report = build(input, index, now, charsets);
    diagnose::live::attach(&mut report, LiveChecks::default());
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
    // The offline judgement is not made first: attach_live judges once,
    // with everything (the live stage reads none of what it would change).
    let mut report = build(input, 0, now, charsets);
    let live = check_live(&report, input, resolver, auth::dkim::key::builtin()).await;
    attach_live(&mut report, live);
    report
}

/// What [`analyze`] reads from `input`: the input itself, or for an Outlook
/// `.msg` (recognised by the compound file signature, not a file name) the
/// text of its transport headers, which the report's spans then point into.
#[derive(Debug)]
pub struct Opened<'a> {
    /// The bytes analysed.
    pub text: std::borrow::Cow<'a, [u8]>,
    /// What the `.msg` was, when the input was one and had headers.
    pub outlook: Option<input::msg::OutlookMsg>,
    /// Why nothing can be analysed (a `.msg` without headers or unreadable).
    pub problem: Option<InputProblem>,
}

/// The text [`analyze_with`] analyses for `input` (see [`Opened`]).
pub fn open<'a>(input: &'a [u8], charsets: &dyn header::charset::Charsets) -> Opened<'a> {
    use std::borrow::Cow;
    if !input::cfb::is_cfb(input) || input.len() > MAX_INPUT_BYTES {
        return Opened {
            text: Cow::Borrowed(input),
            outlook: None,
            problem: None,
        };
    }
    match input::msg::transport_headers(input, charsets) {
        Ok((text, outlook)) => Opened {
            text: Cow::Owned(text.into_bytes()),
            outlook: Some(outlook),
            problem: None,
        },
        Err(error) => Opened {
            text: Cow::Borrowed(&[]),
            outlook: None,
            problem: Some(match error {
                input::msg::MsgError::Unreadable(e) => InputProblem::OutlookUnreadable {
                    reason: e.reason().to_string(),
                },
                input::msg::MsgError::NoTransportHeaders {
                    message_class,
                    draft,
                    attached_with_headers,
                } => InputProblem::OutlookNoHeaders {
                    message_class,
                    draft,
                    attached_with_headers,
                },
            }),
        },
    }
}

/// The offline pipeline on what [`open`] gives.
fn build(
    input: &[u8],
    chosen: usize,
    now: i64,
    charsets: &dyn header::charset::Charsets,
) -> Report {
    let opened = open(input, charsets);
    if let Some(problem) = opened.problem {
        return pipeline::unreadable(input.len(), now, problem);
    }
    let mut report = pipeline::build_chosen(&opened.text, chosen, now, charsets);
    report.input.outlook = opened.outlook;
    report
}

/// Whether [`check_live`] asks anything for `report`: not for an input that
/// could not be read, nor for a bounce (its returned headers end at the
/// sender's own server, so the IP they show is the user's submission, not
/// what the receiver judged). A caller shows "re-checking …" only when this
/// holds, since otherwise no live result ever comes.
pub fn live_checks_apply(report: &Report) -> bool {
    report.input.problem.is_none() && !report.input.bounce_message && !report.whole.is_bounce()
}

/// Phase two: every live check for `report`, made by [`analyze`] from the
/// same `input` (the bytes given to [`analyze`], a `.msg` file too), asked through `resolver`; signatures are verified with
/// `signatures` ([`auth::dkim::key::builtin`], or the page's WebCrypto).
///
/// Nothing is asked for an input that could not be read or for a bounce (a
/// bounce's own DNS says nothing about the message that was rejected): the
/// result is then empty.
pub async fn check_live<R: auth::dns::Resolver>(
    report: &Report,
    input: &[u8],
    resolver: &R,
    signatures: &dyn auth::dkim::key::Signatures,
) -> LiveChecks {
    if !live_checks_apply(report) {
        return LiveChecks::default();
    }
    // The message the report is about: a bounce's original or an attached
    // message, else the input.
    // Spans point into the opened text (a .msg's transport headers).
    let opened = open(input, header::charset::builtin());
    let text: &[u8] = &opened.text;
    let analysed = report
        .whole
        .analysed
        .and_then(|s| text.get(s.start..s.end))
        .unwrap_or(text);
    let message = raw_message(analysed);
    auth::live::run_with(report.live_request(), &message, resolver, signatures).await
}

/// Phase three: store `live` in `report`, add the findings it supports and
/// judge the verdict and checklists again.
pub fn attach_live(report: &mut Report, live: LiveChecks) {
    diagnose::live::attach(report, live);
}

/// The message as the signature checks see it (after the same paste repair
/// [`analyze`] applies). Its header block is borrowed from `input` when
/// nothing was repaired (issue 19 item 3: no copy of it beside the report).
pub fn raw_message(input: &[u8]) -> input::message::RawMessage<'_> {
    use std::borrow::Cow;
    let opened = open(input, header::charset::builtin());
    match opened.text {
        Cow::Borrowed(text) => raw_message_of(text),
        // A .msg's transport headers, read into a string of their own.
        Cow::Owned(text) => raw_message_of(&text).into_owned(),
    }
}

/// [`raw_message`] of the opened text.
fn raw_message_of(text: &[u8]) -> input::message::RawMessage<'_> {
    let input::Prepared { bytes, body, .. } = input::prepare(text);
    // A repaired copy is taken over, not copied again.
    let mut message = input::message::split_cow(bytes);
    message.body = input::message::body(&body);
    message
}

/// The JSON Schema of [`Report`] (feature `schema`), as committed in
/// `docs/report.schema.json`.
#[cfg(feature = "schema")]
pub fn report_schema() -> schemars::Schema {
    schemars::schema_for!(Report)
}
