//! The [`Report`]: everything Todoku learned about one message, serialisable
//! as the stable JSON the CLI prints and the page renders.

use mail_parser::{HeaderForm, HeaderName, MessageParser};
use serde::Serialize;

use crate::arc::{self, ArcCollector, ReceivedSpf};
use crate::boundary::{self, ClockSkew, TrustBoundary};
use crate::charset::{self, Charsets};
use crate::dkim_sig::{self, DkimSignature};
use crate::findings::{self, Facts, Finding};
use crate::hops::{self, Hop};
use crate::input::{self, InputNote};
use crate::legacy;
use crate::live::{DnsEvidence, LiveArc, LiveDkim, LiveDmarc, LiveIprev, LiveSpf, ThenNow};
use crate::received;
use crate::recorded::{self, Recorded};
use crate::text::{address_domain, lossy};
use crate::verdict::{self, Verdict};
use crate::verdicts;

/// Version of the JSON shape; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Inputs larger than this are not analysed; the report says so instead.
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// A byte range `[start, end)` into the analysed input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

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
    /// Subject, From and other headline facts.
    pub summary: Summary,
    /// Received hops, oldest first. A chain longer than [`hops::MAX_HOPS`]
    /// keeps its oldest and newest `MAX_HOPS / 2`; `index` still counts
    /// every hop.
    pub hops: Vec<Hop>,
    /// Received hops counted but not read: the middle of a chain longer than
    /// [`hops::MAX_HOPS`] (a mail loop). 0 for any real delivery path.
    pub hops_omitted: usize,
    /// Seconds from the first to the last dated hop.
    pub total_transit_seconds: Option<i64>,
    /// The receiver's first contact with the outside world.
    pub trust_boundary: Option<TrustBoundary>,
    /// Hosts whose clocks disagree with their neighbours'.
    pub clock_skews: Vec<ClockSkew>,
    /// Authentication: what was recorded and what the live re-checks say.
    pub auth: Auth,
    /// DKIM-Signature headers, decoded, top first.
    pub dkim_signatures: Vec<DkimSignature>,
    /// Vendor spam verdicts, decoded, top first.
    pub verdicts: Vec<verdicts::Verdict>,
    /// Conclusions, errors first.
    pub findings: Vec<Finding>,
    /// SMTP rejections found in the input (a pasted bounce or DSN), decoded.
    pub bounce: Vec<crate::bounce::BounceCode>,
    /// Gmail, Yahoo and Outlook.com sender requirements, judged.
    pub checklists: Vec<crate::checklist::Checklist>,
}

/// Facts about the input itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InputInfo {
    /// Length of the input in bytes.
    pub bytes: usize,
    /// Number of header fields found.
    pub header_count: usize,
    /// Whether a body followed the header block.
    pub has_body: bool,
    /// Why the input could not be analysed, when it could not.
    pub problem: Option<InputProblem>,
    /// What was changed to read a messy paste (skipped text, re-indented lines…).
    pub notes: Vec<InputNote>,
    /// Where the header block is in the input (ends before the blank line).
    pub header_block: Option<Span>,
    /// Every header field in order: its name as written and where it is.
    pub headers: Vec<HeaderRef>,
}

/// A header field of the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HeaderRef {
    /// The name as written.
    pub name: String,
    /// The whole field (name, colon, value, line break).
    pub span: Span,
}

/// Reasons an input yields no analysis. Each carries what the user needs to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum InputProblem {
    /// Nothing but white space was given.
    Empty,
    /// No line of the form `Name: value` was found.
    NoHeaders,
    /// The input is larger than [`MAX_INPUT_BYTES`].
    TooLarge {
        /// Input size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
}

/// Headline facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Summary {
    /// Decoded Subject.
    pub subject: Option<String>,
    /// The (first) From address.
    pub from: Option<String>,
    /// The From display name, decoded.
    pub from_name: Option<String>,
    /// Domain of the From address, lower-cased: the DMARC identity.
    pub from_domain: Option<String>,
    /// The Date header, RFC 3339.
    pub date: Option<String>,
    /// Message-ID without angle brackets.
    pub message_id: Option<String>,
    /// Return-Path: the envelope sender (the SPF identity), without brackets.
    pub return_path: Option<String>,
    /// Sender, when present.
    pub sender: Option<String>,
    /// Reply-To addresses.
    pub reply_to: Vec<String>,
    /// List-Id, as written.
    pub list_id: Option<String>,
    /// List-Unsubscribe, as written.
    pub list_unsubscribe: Option<String>,
    /// List-Unsubscribe-Post, as written.
    pub list_unsubscribe_post: Option<String>,
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

/// Results of live DNS re-checks; empty until the live stage has run
/// ([`crate::analyze_live`] or [`crate::live::run`]).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LiveChecks {
    /// SPF for the trusted hop's address.
    pub spf: Option<LiveSpf>,
    /// DKIM, per signature.
    pub dkim: Option<LiveDkim>,
    /// The From domain's DMARC record and evaluation.
    pub dmarc: Option<LiveDmarc>,
    /// The ARC chain re-validated (absent without ARC headers).
    pub arc: Option<LiveArc>,
    /// Reverse DNS and HELO of the trusted hop.
    pub iprev: Option<LiveIprev>,
    /// Recorded then against re-checked now, per mechanism.
    pub comparison: Vec<ThenNow>,
    /// The resolver used.
    pub provider: Option<String>,
    /// How many sequential rounds of DNS questions the checks needed.
    pub rounds: u32,
    /// Every DNS question asked, in order, with the checks that needed it.
    pub evidence: Vec<DnsEvidence>,
}

impl Report {
    /// Attach the result of a lone live DMARC lookup.
    pub fn attach_live(&mut self, dmarc: LiveDmarc) {
        self.auth.live.dmarc = Some(dmarc);
    }

    fn empty(input: &[u8], now: i64, problem: Option<InputProblem>) -> Report {
        Report {
            schema_version: SCHEMA_VERSION,
            analysed_at: now,
            input: InputInfo {
                bytes: input.len(),
                header_count: 0,
                has_body: false,
                problem,
                notes: Vec::new(),
                header_block: None,
                headers: Vec::new(),
            },
            verdict: verdict::nothing(),
            summary: Summary::default(),
            hops: Vec::new(),
            hops_omitted: 0,
            total_transit_seconds: None,
            trust_boundary: None,
            clock_skews: Vec::new(),
            auth: Auth::default(),
            dkim_signatures: Vec::new(),
            verdicts: Vec::new(),
            findings: Vec::new(),
            bounce: Vec::new(),
            checklists: Vec::new(),
        }
    }
}

/// A header's value as written, unfolded and trimmed.
fn raw_value(headers: &mail_parser::Headers<'_>, name: &str) -> Option<String> {
    let h = headers.get(name)?;
    Some(
        lossy(h.raw_value())
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// One hop from a Received (or X-Received) value.
fn hop_of(value: &[u8], span: Span, source: &'static str) -> Hop {
    let raw = String::from_utf8_lossy(value).trim().to_string();
    let parsed = received::parse(&raw);
    hops::hop_from(parsed, span, raw, source)
}

pub(crate) fn build(input: &[u8], now: i64, charsets: &dyn Charsets) -> Report {
    let mut report = build_headers(input, now, charsets);
    if report.input.problem.is_none() {
        report.checklists = crate::checklist::evaluate(&report);
    }
    if input.len() <= MAX_INPUT_BYTES {
        report.bounce = crate::bounce::decode(input);
        if report.input.problem == Some(InputProblem::NoHeaders) && !report.bounce.is_empty() {
            report.verdict = verdict::rejection(&report.bounce);
        }
    }
    report
}

fn build_headers(input: &[u8], now: i64, charsets: &dyn Charsets) -> Report {
    if input.len() > MAX_INPUT_BYTES {
        let problem = InputProblem::TooLarge {
            bytes: input.len(),
            limit: MAX_INPUT_BYTES,
        };
        return Report::empty(input, now, Some(problem));
    }
    if input.iter().all(u8::is_ascii_whitespace) {
        return Report::empty(input, now, Some(InputProblem::Empty));
    }
    let prepared = input::prepare(input);
    let map = &prepared.map;
    let block: &[u8] = &prepared.bytes;
    // Received and Subject are read here (received.rs, charset.rs), not by
    // the parser: keep them raw instead of parsing them twice.
    let parsed = MessageParser::new()
        .header(HeaderName::Received, HeaderForm::Raw)
        .header(HeaderName::Subject, HeaderForm::Raw)
        .parse_headers(block);
    let Some(message) = parsed.filter(|m| !m.headers().is_empty()) else {
        return Report::empty(input, now, Some(InputProblem::NoHeaders));
    };
    let headers = message.headers();

    // Sized up front: growing by doubling would briefly hold two copies of
    // the largest vectors, and WebAssembly memory never shrinks back.
    let traces = headers
        .iter()
        .filter(|h| matches!(h.name(), HeaderName::Received | HeaderName::XReceived))
        .count();
    let omitted = hops::omitted(traces);
    let mut trace = 0usize;
    let mut newest_first = Vec::with_capacity(traces - omitted.len());
    let mut auth_results = Vec::new();
    let mut dkim_signatures = Vec::new();
    let mut received_spf_ip = None;
    let mut vendor = Vec::new();
    let mut from_encoded = false;
    let mut arc = ArcCollector::default();
    let mut received_spf: Option<ReceivedSpf> = None;
    let mut names = Vec::with_capacity(headers.len());
    let mut header_refs = Vec::with_capacity(headers.len());
    for header in headers.iter() {
        let span = map.span(Span {
            start: header.offset_field() as usize,
            end: header.offset_end() as usize,
        });
        names.push((header.raw_name().trim(), span));
        header_refs.push(HeaderRef {
            name: header.raw_name().trim().to_string(),
            span,
        });
        let name = header.raw_name().trim();
        if verdicts::is_vendor_header(name)
            && let Some(v) = verdicts::decode(name, &lossy(header.raw_value()), span)
        {
            vendor.push(v);
        }
        match header.name() {
            HeaderName::From => {
                from_encoded |= header.raw_value().windows(2).any(|w| w == b"=?");
            }
            HeaderName::ReceivedSpf if received_spf.is_none() => {
                received_spf = arc::received_spf(&lossy(header.raw_value()), span);
                received_spf_ip = received_spf
                    .as_ref()
                    .and_then(|r| r.client_ip.as_deref())
                    .and_then(|ip| ip.parse().ok());
            }
            HeaderName::ArcAuthenticationResults
            | HeaderName::ArcMessageSignature
            | HeaderName::ArcSeal => {
                let name = header.raw_name().trim().to_ascii_lowercase();
                arc.add(&name, &lossy(header.raw_value()), span);
            }
            HeaderName::DkimSignature => {
                dkim_signatures.push(dkim_sig::parse(&lossy(header.raw_value()), span));
            }
            // Gmail records its internal steps as X-Received.
            HeaderName::Received | HeaderName::XReceived => {
                if !omitted.contains(&trace) {
                    let source = match header.name() {
                        HeaderName::Received => "Received",
                        _ => "X-Received",
                    };
                    newest_first.push(hop_of(header.raw_value(), span, source));
                }
                trace += 1;
            }
            HeaderName::AuthenticationResults => {
                let value_start = header.offset_start() as usize;
                let to_input = |offset: usize| map.offset(value_start + offset);
                auth_results.push(recorded::parse_header(header.raw_value(), span, &to_input));
            }
            _ => {}
        }
    }
    let hops_omitted = omitted.len();
    let mut hops = hops::order_and_time(newest_first, omitted);
    let mut recorded = recorded::summarise(auth_results);
    recorded.arc_sets = arc.finish();
    recorded.arc_problems = arc::chain_problems(&recorded.arc_sets);
    recorded.received_spf = received_spf;
    // The IP the receiver's SPF check was about: Received-SPF client-ip=
    // (topmost), else an address in the recorded SPF result's comment.
    let evaluated = received_spf_ip.or_else(|| {
        recorded
            .spf
            .as_ref()
            .and_then(|r| r.comments.iter().find_map(|c| boundary::first_ip(c)))
    });
    let trust_boundary = boundary::mark(&mut hops, evaluated);
    let date_ms = headers
        .date()
        .filter(|d| d.is_valid())
        .map(|d| d.to_timestamp() * 1000);
    let clock_skews = boundary::clock_skews(&hops, date_ms);

    // Legacy 8-bit or JIS bytes where RFC 2047 was due: decode them and say so.
    let mut legacy_headers = Vec::new();
    let mut legacy_text = |name: &str| -> Option<String> {
        let h = headers.get(name)?;
        let (text, charset) = legacy::decode(h.raw_value(), charsets)?;
        legacy_headers.push((
            name.to_string(),
            charset,
            map.span(Span {
                start: h.offset_field() as usize,
                end: h.offset_end() as usize,
            }),
        ));
        Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    let legacy_subject = legacy_text("Subject");
    let legacy_from = legacy_text("From")
        // RFC 2047 words in a legacy charset (the parser reads them as UTF-8).
        .or_else(|| charset::decode_words(headers.get("From")?.raw_value(), charsets))
        .and_then(|text| {
            let value = format!(" {text}\r\n");
            let parsed = HeaderForm::Addresses.parse(value.as_bytes());
            parsed
                .value()
                .as_address()
                .and_then(|l| l.first())
                .and_then(|m| m.name())
                .map(str::to_string)
        });
    let from_addresses = headers
        .all_from()
        .map(|list| list.mailboxes().filter(|m| m.address().is_some()).count())
        .max()
        .unwrap_or(0);
    let from = headers.from().and_then(|list| list.first());
    let from_address = from.and_then(|m| m.address()).map(str::to_string);
    let summary = Summary {
        subject: legacy_subject.or_else(|| {
            let raw = headers.get("Subject")?.raw_value();
            Some(charset::decode_text(raw, charsets))
        }),
        from_domain: from_address.as_deref().and_then(address_domain),
        from_name: legacy_from.or_else(|| from.and_then(|m| m.name()).map(str::to_string)),
        from: from_address,
        date: headers
            .date()
            .filter(|d| d.is_valid())
            .map(|d| d.to_rfc3339()),
        message_id: headers.message_id().map(str::to_string),
        return_path: headers.return_address().map(str::to_string),
        sender: headers
            .sender()
            .and_then(|l| l.first())
            .and_then(|m| m.address())
            .map(str::to_string),
        reply_to: headers
            .reply_to()
            .map(|l| {
                l.mailboxes()
                    .filter_map(|m| m.address())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        list_id: raw_value(&headers, "List-Id"),
        list_unsubscribe: raw_value(&headers, "List-Unsubscribe"),
        list_unsubscribe_post: raw_value(&headers, "List-Unsubscribe-Post"),
    };

    let findings = findings::evaluate(&Facts {
        hops: &hops,
        traces,
        boundary: trust_boundary.as_ref(),
        skews: &clock_skews,
        recorded: &recorded,
        dkim: &dkim_signatures,
        headers: &names,
        from_addresses,
        verdicts: &vendor,
        summary: &summary,
        from_encoded,
        from_present: headers.from().is_some()
            || names.iter().any(|(n, _)| n.eq_ignore_ascii_case("from")),
        message_id_raw: headers
            .get("Message-ID")
            .map(|h| lossy(h.raw_value()).trim().to_string()),
        spaced_names: &prepared.spaced_names,
        legacy_headers: &legacy_headers,
        now,
    });
    let body_offset = message.root_part().offset_body() as usize;
    Report {
        schema_version: SCHEMA_VERSION,
        analysed_at: now,
        input: InputInfo {
            bytes: input.len(),
            header_count: headers.len(),
            has_body: prepared.has_body,
            problem: None,
            notes: prepared.notes.clone(),
            header_block: Some(map.span(Span {
                start: 0,
                end: body_offset.min(block.len()),
            })),
            headers: header_refs,
        },
        verdict: verdict::judge(&findings),
        summary,
        total_transit_seconds: hops::total_transit(&hops),
        trust_boundary,
        clock_skews,
        hops,
        hops_omitted,
        auth: Auth {
            recorded,
            live: LiveChecks::default(),
        },
        dkim_signatures,
        verdicts: vendor,
        findings,
        bounce: Vec::new(),
        checklists: Vec::new(),
    }
}
