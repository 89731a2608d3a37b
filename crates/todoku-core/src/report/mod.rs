//! The [`Report`]: everything Todoku learned about one message, serialisable
//! as the stable JSON the CLI prints and the page renders
//! (docs/report.schema.json). The types of each part live with the stage that
//! makes it; the ones the judgement makes (findings, verdict, checklists)
//! live here, so the report depends on no rule.

pub mod batch;
pub mod checklist;
pub mod export;
pub mod finding;
pub mod fix;
pub mod text;
pub mod verdict;

use serde::Serialize;

use crate::auth::live::{LiveChecks, Request};
use crate::header::dkim_sig::DkimSignature;
use crate::header::summary::Summary;
use crate::input::info::InputInfo;
use crate::recorded::bounce::BounceCode;
use crate::recorded::receiver::Recorded;
use crate::recorded::vendors;
use crate::trace::boundary::{ClockSkew, TrustBoundary};
use crate::trace::hops::Hop;
use crate::whole::Whole;
use checklist::Checklist;
use finding::Finding;
use fix::Fix;
use verdict::Verdict;

/// [`Report::dkim_signatures`] lists at most this many signatures (the
/// first, top down); the live stage considers these (kept in the header
/// stage, which the live stage may read).
pub use crate::header::dkim_sig::MAX_DKIM_SIGNATURES;

/// Version of the JSON shape; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// The full analysis of one message.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Report {
    /// See [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The `now` the caller passed, Unix seconds.
    pub analysed_at: i64,
    /// What the input was.
    pub input: InputInfo,
    /// The one-sentence verdict, from the findings.
    pub verdict: Verdict,
    /// What to change, most important first, each naming the record or
    /// setting and the value; empty when nothing needs changing.
    pub fixes: Vec<Fix>,
    /// Subject, From and other headline facts.
    pub summary: Summary,
    /// Received hops, oldest first. A chain longer than [`crate::trace::hops::MAX_HOPS`]
    /// keeps its oldest and newest `MAX_HOPS / 2`; `index` still counts
    /// every hop.
    pub hops: Vec<Hop>,
    /// Received hops counted but not read: the middle of a chain longer than
    /// [`crate::trace::hops::MAX_HOPS`] (a mail loop). 0 for any real delivery path.
    pub hops_omitted: usize,
    /// Seconds from the first to the last dated hop.
    pub total_transit_seconds: Option<i64>,
    /// The receiver's first contact with the outside world.
    pub trust_boundary: Option<TrustBoundary>,
    /// Hosts whose clocks disagree with their neighbours'.
    pub clock_skews: Vec<ClockSkew>,
    /// Authentication: what was recorded and what the live re-checks say.
    pub auth: Auth,
    /// DKIM-Signature headers, decoded, top first: at most 50
    /// ([`MAX_DKIM_SIGNATURES`]).
    pub dkim_signatures: Vec<DkimSignature>,
    /// DKIM-Signature headers beyond the first 50: counted, not decoded
    /// nor verified.
    pub dkim_signatures_omitted: usize,
    /// Vendor spam verdicts, decoded, top first: at most 50
    /// ([`vendors::MAX_VERDICTS`]).
    pub verdicts: Vec<vendors::VendorVerdict>,
    /// Vendor spam verdict headers beyond the first 50: counted, not read.
    pub verdicts_omitted: usize,
    /// Conclusions, errors first.
    pub findings: Vec<Finding>,
    /// SMTP rejections found in the input (a pasted bounce or DSN), decoded.
    pub bounce: Vec<BounceCode>,
    /// Gmail, Yahoo and Outlook.com sender requirements, judged.
    pub checklists: Vec<Checklist>,
    /// What the input was as a whole (one message, a bounce, a message
    /// with attached messages) and which message the rest of the report is
    /// about.
    pub whole: Whole,
}

/// Authentication results.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Auth {
    /// What the receiver recorded (Authentication-Results).
    pub recorded: Recorded,
    /// Live re-checks made from where Todoku runs.
    pub live: LiveChecks,
}

impl Report {
    /// The sending server's reverse-DNS name: the trusted hop's, else the
    /// first PTR name the live iprev check found.
    pub fn sending_rdns(&self) -> Option<String> {
        self.trust_boundary
            .as_ref()
            .and_then(|b| b.rdns.clone())
            .or_else(|| {
                let iprev = self.auth.live.iprev.as_ref()?;
                iprev.check.ptr_names.first().cloned()
            })
    }

    /// What the live stage needs from this report (the analysis time, the
    /// From and envelope domains, the trusted hop, the signatures and the
    /// receiver's record), so that stage never reads the report itself.
    pub fn live_request(&self) -> Request<'_> {
        Request {
            now: self.analysed_at,
            summary: &self.summary,
            trust_boundary: self.trust_boundary.as_ref(),
            dkim_signatures: &self.dkim_signatures,
            dkim_signatures_omitted: self.dkim_signatures_omitted,
            recorded: &self.auth.recorded,
        }
    }
}
