//! The offline pipeline: input -> header readers -> trace -> what the
//! receivers recorded -> judgement, assembled into a [`Report`]. The live
//! stage joins later (`crate::analyze_live`).

use std::borrow::Cow;

use crate::auth::live::LiveChecks;
use crate::diagnose::findings::{self, Facts, HeaderIndex};
use crate::diagnose::verdict;
use crate::header::address::{self, Mailbox};
use crate::header::charset::{self, Charsets};
use crate::header::datetime;
use crate::header::dkim_sig::{self, DkimSignature};
use crate::header::fields::{self, Field, Last, Name};
use crate::header::legacy;
use crate::header::received;
use crate::header::summary::{MAX_REPLY_TO, Summary};
use crate::header::text::{address_domain, lossy, single_spaced, single_spaced_owned};
use crate::input;
use crate::input::OffsetMap;
use crate::input::info::{
    HeaderRef, InputInfo, InputProblem, MAX_HEADER_REFS, MAX_INPUT_BYTES, Marks,
};
use crate::recorded::arc::{self, ArcCollector, ReceivedSpf};
use crate::recorded::receiver::{self, AuthResultsHeader};
use crate::recorded::vendors::{self, VendorVerdict};
use crate::report::{Auth, MAX_DKIM_SIGNATURES, Report, SCHEMA_VERSION};
use crate::span::Span;
use crate::trace::boundary::{self, TrustBoundary};
use crate::trace::hops::{self, Hop};
use crate::whole::{self, Attachment, Whole, WholeKind};
use std::ops::Range;

/// A field's value as written, unfolded and trimmed.
fn raw_value(field: Option<&Field<'_>>) -> Option<String> {
    Some(single_spaced(&lossy(field?.value)))
}

/// The first mailbox of an address list (the rest are not read).
fn first_mailbox(value: &[u8], charsets: &dyn Charsets) -> Option<Mailbox> {
    let mut first = None;
    address::parse_each(value, charsets, &mut |m| {
        first = Some(m);
        std::ops::ControlFlow::Break(())
    });
    first
}

/// The first [`MAX_REPLY_TO`] addresses of an address list, and how many
/// more there are.
fn addresses(value: &[u8], charsets: &dyn Charsets) -> (Vec<String>, usize) {
    let (mut kept, mut more) = (Vec::new(), 0);
    address::parse_each(value, charsets, &mut |m| {
        if let Some(a) = m.address {
            if kept.len() < MAX_REPLY_TO {
                kept.push(a);
            } else {
                more += 1;
            }
        }
        std::ops::ControlFlow::Continue(())
    });
    (kept, more)
}

/// An identifier field (`Message-ID`, `Return-Path`): the last `<…>` with
/// something in it, else the value's text outside brackets; `None` when
/// empty (`<>`).
fn identifier(value: &[u8]) -> Option<String> {
    let text = lossy(value);
    let keep = |c: char| !(c.is_ascii_whitespace() || c == '<' || c == '>');
    let mut last = None;
    let mut rest = text.as_str();
    while let Some(open) = rest.find('<') {
        let after = rest.get(open + 1..).unwrap_or_default();
        let Some(close) = after.find('>') else { break };
        let inner = after
            .get(..close)
            .unwrap_or_default()
            .trim_matches(|c: char| !keep(c));
        if !inner.is_empty() {
            last = Some(inner);
        }
        rest = after.get(close + 1..).unwrap_or_default();
    }
    if let Some(id) = last {
        return Some(id.to_string());
    }
    let bare: String = {
        let mut outside = String::new();
        let mut depth = 0;
        for c in text.chars() {
            match c {
                '<' => depth += 1,
                '>' if depth > 0 => depth -= 1,
                _ if depth == 0 => outside.push(c),
                _ => {}
            }
        }
        outside
    };
    let bare = bare.trim_matches(|c: char| !keep(c));
    (!bare.is_empty()).then(|| bare.to_string())
}

/// One hop from a Received (or X-Received) value.
fn hop_of(value: &[u8], span: Span, source: &'static str) -> Hop {
    // Checked as UTF-8 first: the lossy reading walks the bytes more slowly.
    let raw = match std::str::from_utf8(value) {
        Ok(text) => text.trim().to_string(),
        Err(_) => {
            // Trimmed in place: no second copy.
            let mut text = lossy(value);
            let end = text.trim_end().len();
            text.truncate(end);
            let start = text.len() - text.trim_start().len();
            text.drain(..start);
            text
        }
    };
    let parsed = received::parse(&raw);
    hops::hop_from(parsed, span, raw, source)
}

/// The report of `input` (a message, a bounce or a message carrying others),
/// analysing attached message `chosen` (from 0) when the input carries
/// messages as attachments (the first when there is no such one).
pub(crate) fn build_chosen(
    input: &[u8],
    chosen: usize,
    now: i64,
    charsets: &dyn Charsets,
) -> Report {
    let report = build_one(input, now, charsets);
    if input.len() > MAX_INPUT_BYTES || report.input.problem.is_some() {
        return report;
    }
    let plan = whole::classify(input, report.input.bounce_message);
    whole_report(report, plan, input, chosen, now, charsets)
}

/// The report of the input as one message (a bounce judged as a bounce).
pub(crate) fn build_one(input: &[u8], now: i64, charsets: &dyn Charsets) -> Report {
    // The checklists are judged once, by diagnosis::attach (a bounce has
    // none: they would judge MAILER-DAEMON).
    let all = Span {
        start: 0,
        end: input.len(),
    };
    let mut report = build_headers(input, all, now, charsets, false);
    if input.len() <= MAX_INPUT_BYTES {
        report.input.bounce_message =
            crate::recorded::bounce::is_bounce(input, &report.input, &report.summary);
        report.bounce =
            crate::recorded::bounce::decode_report(input, &report.input, &report.summary);
        if report.input.problem == Some(InputProblem::NoHeaders) && !report.bounce.is_empty() {
            report.verdict = verdict::rejection(&report.bounce);
        }
        if report.input.bounce_message {
            judge_bounce(&mut report, input);
        }
    }
    report
}

/// The addresses in the header fields called `names` of `report`.
fn field_addresses(report: &Report, input: &[u8], names: &[&str]) -> Vec<String> {
    report
        .input
        .headers
        .iter()
        .filter(|h| names.iter().any(|n| h.name.trim().eq_ignore_ascii_case(n)))
        .filter_map(|h| input.get(h.span.start..h.span.end))
        .flat_map(|field| {
            let colon = memchr::memchr(b':', field).map_or(0, |c| c + 1);
            whole::dsn::addresses(field.get(colon..).unwrap_or_default())
                .into_iter()
                .map(|(_, a)| a)
        })
        .collect()
}

/// Which message the report is about, once the input is classified: a
/// bounce's original, an attached message, or the input itself.
fn whole_report(
    report: Report,
    mut plan: whole::Plan,
    input: &[u8],
    chosen: usize,
    now: i64,
    charsets: &dyn Charsets,
) -> Report {
    let notes = std::mem::take(&mut plan.notes);
    let mut report = whole_report_of(report, plan, input, chosen, now, charsets);
    report.input.notes.extend(notes);
    report
}

/// [`whole_report`] before the MIME tree's notes are added.
fn whole_report_of(
    mut report: Report,
    plan: whole::Plan,
    input: &[u8],
    chosen: usize,
    now: i64,
    charsets: &dyn Charsets,
) -> Report {
    match plan.kind {
        WholeKind::Message => report,
        WholeKind::Bounce => {
            let norm = whole::mime::lf_lines(input);
            let inner = plan
                .original
                .map(|o| {
                    let decoded = whole::decode_original(&norm, o.span, plan.original_decoding);
                    build_decoded(input, o.span, decoded, now, charsets, true)
                })
                .filter(|r| r.input.problem.is_none());
            // The charset the bounce's text names (a Diagnostic-Code in
            // ISO-2022-JP says so itself).
            let dsn = plan
                .dsn
                .map(|d| whole::dsn::read(&norm, d, charsets, plan.text_charset))
                .unwrap_or_default();
            let recipients = if dsn.recipients.is_empty() {
                let text = plan.text.unwrap_or(Span {
                    start: report.input.header_block.map_or(0, |b| b.end),
                    end: plan.original.map_or(input.len(), |o| o.span.start),
                });
                let text = Span {
                    start: text.start.min(input.len()),
                    end: text.end.clamp(text.start.min(input.len()), input.len()),
                };
                let failed: Vec<String> = field_addresses(&report, input, &["X-Failed-Recipients"]);
                let mut exclude = field_addresses(&report, input, &["From", "To", "Return-Path"]);
                let mut prefer = Vec::new();
                if let Some(inner) = &inner {
                    exclude.extend(field_addresses(
                        inner,
                        input,
                        &["From", "Return-Path", "Sender", "Message-ID", "Reply-To"],
                    ));
                    prefer = field_addresses(inner, input, &["To", "Cc"]);
                }
                let charset = plan
                    .text_charset
                    .map(|legacy| whole::dsn::TextCharset { legacy, charsets });
                let read = |span: Span| {
                    let raw = norm.get(span.start..span.end).unwrap_or_default();
                    if !plan.text_qp {
                        return whole::dsn::from_text(
                            raw, span.start, &failed, &exclude, &prefer, charset,
                        );
                    }
                    // Read decoded; the spans are put back on the input.
                    let (decoded, map) = whole::mime::qp_decode(raw, span.start);
                    let back = |i: usize| map.offset(i.min(decoded.len())).min(span.end);
                    let mut found =
                        whole::dsn::from_text(&decoded, 0, &failed, &exclude, &prefer, charset);
                    for r in &mut found {
                        r.span = Span {
                            start: back(r.span.start),
                            end: back(r.span.end),
                        };
                    }
                    found
                };
                let mut found = read(text);
                // An Exchange notice quotes a summary of the original (To,
                // Subject, Sent) first and names the recipient below it.
                if found.is_empty()
                    && let Some(after) = plan.after
                {
                    found = read(after);
                }
                // A text that names no one (Verizon's 'could not be delivered
                // to mobile'), over an original sent to one address: that
                // address is the one not reached.
                if let ([only], true) = (prefer.as_slice(), found.is_empty() && failed.is_empty()) {
                    let raw = norm.get(text.start..text.end).unwrap_or_default();
                    found.push(whole::dsn::not_reached(raw, only.clone(), text, charset));
                }
                found
            } else {
                dsn.recipients
            };
            complete_statuses(&mut report, &recipients);
            let mut whole = Whole {
                kind: WholeKind::Bounce,
                reporting_mta: dsn.reporting_mta,
                recipients,
                original: plan.original,
                ..Whole::default()
            };
            let Some(mut inner) = inner else {
                whole.original = None;
                report.whole = whole;
                if report.input.bounce_message {
                    report.verdict = bounce_verdict(&report);
                }
                return report;
            };
            whole.analysed = plan.original.map(|o| o.span);
            whole.outer = Some(report.summary);
            whole.outer_header_block = report.input.header_block;
            inner.bounce = report.bounce;
            inner.whole = whole;
            // The copy a bounce returns is often cut (the first lines of the
            // header, a summary of To/Subject/Sent): a field absent from it
            // is not shown absent from the message that was sent.
            inner
                .findings
                .retain(|f| !f.id.starts_with("rfc5322.missing_"));
            rejection_findings(&mut inner, input);
            inner.verdict = bounce_verdict(&inner);
            inner
        }
        WholeKind::Attached => {
            let chosen = if chosen < plan.attachments.len() {
                chosen
            } else {
                0
            };
            let Some(&first) = plan.attachments.get(chosen) else {
                return report;
            };
            let attachments: Vec<Attachment> = plan
                .attachments
                .iter()
                .map(|&span| attachment(input, span, charsets))
                .collect();
            let mut inner = build_headers(input, first, now, charsets, false);
            if inner.input.problem.is_some() {
                return report;
            }
            inner.whole = Whole {
                kind: WholeKind::Attached,
                analysed: Some(first),
                outer: Some(report.summary),
                outer_header_block: report.input.header_block,
                attachments,
                chosen: Some(chosen),
                ..Whole::default()
            };
            inner
        }
    }
}

/// An attached message's Subject and From, for the list to choose from.
fn attachment(input: &[u8], span: Span, charsets: &dyn Charsets) -> Attachment {
    let slice = input.get(span.start..span.end).unwrap_or_default();
    let norm = whole::mime::lf_lines(slice);
    let start = norm
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(norm.len());
    let mut last = Last::default();
    for f in fields::split(norm.get(start..).unwrap_or_default()) {
        last.note(&f);
    }
    Attachment {
        span,
        subject: last
            .get(Name::Subject)
            .map(|f| single_spaced(&charset::decode_text(f.value, charsets))),
        from: last
            .get(Name::From)
            .and_then(|f| address::parse(f.value, charsets).into_iter().next())
            .and_then(|m| m.address),
    }
}

/// The verdict of a bounce: rejected (with its code) or returned.
/// Bare replies in the bounce's text (`550`) take the enhanced status its
/// recipients were reported with, when exactly one status of that class is
/// named: the raw text can split it (sisimai-074: `5.1.=` + `1` across a
/// quoted-printable soft line break), the decoded report does not.
fn complete_statuses(report: &mut Report, recipients: &[crate::whole::dsn::Recipient]) {
    let mut statuses: Vec<&str> = recipients
        .iter()
        .filter_map(|r| r.status.as_deref())
        .collect();
    statuses.sort_unstable();
    statuses.dedup();
    for code in &mut report.bounce {
        let Some(reply) = code.reply else { continue };
        let class = if reply / 100 == 5 { "5." } else { "4." };
        let mut same = statuses.iter().filter(|s| s.starts_with(class));
        if let (Some(status), None) = (same.next(), same.next())
            && let Some(completed) = crate::recorded::bounce::with_status(code, status)
        {
            *code = completed;
        }
    }
    // The recipients' decoded words (an ISO-2022-JP Diagnostic-Code the raw
    // scan could not read) name why a code of theirs was refused.
    for code in &mut report.bounce {
        let mut said = recipients
            .iter()
            .filter(|r| {
                (code.enhanced.is_some() && r.status == code.enhanced)
                    || (code.reply.is_some() && r.reply == code.reply)
            })
            .map(|r| r.said);
        if let (Some(Some(said)), None) = (said.next(), said.next())
            && let Some(again) = crate::recorded::bounce::with_said(code, said)
        {
            *code = again;
        }
    }
    // A 4xx the bounce says was not retried any more (`Action: failed`,
    // qmail's "in the queue too long") returned the message: it is no
    // deferral (sisimai-014, -020, -024).
    for code in &mut report.bounce {
        let mut same = recipients.iter().filter(|r| {
            (code.enhanced.is_some() && r.status == code.enhanced)
                || (code.reply.is_some() && r.reply == code.reply)
        });
        if same.any(crate::whole::dsn::Recipient::gave_up) {
            crate::recorded::bounce::given_up(code);
        }
    }
    crate::recorded::bounce::one_per_refusal(&mut report.bounce);
}

pub(crate) fn bounce_verdict(report: &Report) -> crate::report::verdict::Verdict {
    if report.bounce.is_empty() {
        verdict::returned(&report.whole.recipients)
    } else {
        verdict::rejection(&report.bounce)
    }
}

/// Families of findings about how a message travelled and authenticated:
/// for a bounce they would describe the bounce (MAILER-DAEMON has no DKIM
/// signature of its own), not the message the user sent.
const ENVELOPE_FAMILIES: &[&str] = &[
    "spf.",
    "dkim.",
    "dmarc.",
    "arc.",
    "helo.",
    "tls.",
    "iprev.",
    "unsubscribe.",
    "vendor.",
    "forwarding.",
    "dns.",
    "from.freemail_spoof",
    "clock.",
];

/// A bounce is judged for what it says about the original message: it was
/// not delivered. Findings about the bounce's own transport and
/// authentication go; no checklists are judged for it (they would judge
/// MAILER-DAEMON).
fn judge_bounce(report: &mut Report, input: &[u8]) {
    report
        .findings
        .retain(|f| !ENVELOPE_FAMILIES.iter().any(|fam| f.id.starts_with(fam)));
    rejection_findings(report, input);
    report.verdict = bounce_verdict(report);
}

/// What the rejection says was wrong with the original message, as the
/// finding whose fix applies.
fn rejection_findings(report: &mut Report, input: &[u8]) {
    // What the rejection says was wrong with the original message, as the
    // finding whose fix applies (a 5.7.26 names DMARC).
    let mut named: Vec<&'static str> = Vec::new();
    for code in &report.bounce {
        // Gmail's 5.7.26 has two texts: DMARC ("unauthenticated … DMARC
        // policy") and SPF ("has an SPF record with a hard fail policy (-all)
        // but it fails to pass SPF checks"), read from the reply's lines.
        let reply = input
            .get(code.span.start..code.span.end.saturating_add(400).min(input.len()))
            .map(|t| String::from_utf8_lossy(t).to_ascii_lowercase())
            .unwrap_or_default();
        let finding = match code.finding {
            Some("dmarc.fail")
                if reply.contains("spf record") && reply.contains("fails to pass spf") =>
            {
                Some("spf.fail")
            }
            other => other,
        };
        let Some(id) = finding
            .filter(|id| !named.contains(id))
            .and_then(crate::wording::catalogue::FindingId::parse)
        else {
            continue;
        };
        named.push(id.as_str());
        report.findings.push(crate::report::finding::finding(
            id,
            if code.temporary {
                crate::report::finding::Severity::Warning
            } else {
                crate::report::finding::Severity::Error
            },
            format!(
                "The receiver {} the message you sent ({}): {}",
                if code.temporary {
                    "deferred"
                } else {
                    "rejected"
                },
                code.label(),
                code.meaning.trim_end_matches('.')
            ) + ".",
            format!(
                "受信サーバーが、あなたの送ったメールを{}（{}）：{}",
                if code.temporary {
                    "保留しました"
                } else {
                    "拒否しました"
                },
                code.label(),
                code.meaning_ja
            ),
            &code.fix,
            vec![code.span],
        ));
    }
    crate::order::by_key(&mut report.findings, |f| f.severity as u64);
}

/// The report of the message at `window` of `input` (all of it, or a
/// message inside it); every span points into `input`.
///
/// `returned`: the message is the copy a bounce returns. It was not
/// delivered, so no receiver recorded a verdict on it: its headers end on
/// the sender's side (results written by the sender's own systems, such as
/// Microsoft 365's stamps inside the sending tenant), or at the server that
/// refused it, whose verdict is the bounce itself. Only what the sender
/// controls is judged: its signatures, its From, the HELO and TLS of its
/// server on a hop into another organisation. Hops written by the sender's
/// own organisation (the From domain's servers) are its internal ones.
fn build_headers(
    input: &[u8],
    window: Span,
    now: i64,
    charsets: &dyn Charsets,
    returned: bool,
) -> Report {
    build_decoded(input, window, None, now, charsets, returned)
}

/// [`build_headers`] of `window`, read as `decoded` gives it (a quoted
/// original in quoted-printable text or behind `> ` marks: the decoded
/// bytes and the map of their offsets into the input) when given.
fn build_decoded(
    input: &[u8],
    window: Span,
    decoded: Option<(Vec<u8>, crate::input::OffsetMap)>,
    now: i64,
    charsets: &dyn Charsets,
    returned: bool,
) -> Report {
    if input.len() > MAX_INPUT_BYTES {
        let problem = InputProblem::TooLarge {
            bytes: input.len(),
            limit: MAX_INPUT_BYTES,
        };
        return empty(input, now, Some(problem));
    }
    let (part, outer): (Cow<'_, [u8]>, _) = match decoded {
        Some((bytes, map)) => (Cow::Owned(bytes), Some(map)),
        None => (
            Cow::Borrowed(input.get(window.start..window.end).unwrap_or_default()),
            None,
        ),
    };
    if part.iter().all(u8::is_ascii_whitespace) {
        return empty(input, now, Some(InputProblem::Empty));
    }
    let mut prepared = input::prepare(&part);
    match outer {
        Some(map) => prepared.map.then(map),
        None => prepared.map.shift(window.start),
    }
    let map = &prepared.map;
    let block: &[u8] = &prepared.bytes;
    // A first pass counts the fields: the vectors below are sized from it.
    let (mut count, mut traces, mut named) = (0usize, 0usize, false);
    for f in fields::split(block) {
        count += 1;
        traces += usize::from(matches!(f.name, Name::Received | Name::XReceived));
        named |= !f.raw_name.contains([' ', '\t']);
    }
    // Lines whose "names" all hold white space (`Dec  1 10:00:01 mx
    // postfix/smtp[123]: connect to [10.4.2.17]:25: …`, a log line) are no
    // header block, unless they read as spaced names (`Fr om:`): issue 19
    // item 9, such text was reported as headers with no problems.
    if count == 0 || (!named && prepared.spaced_names.is_empty()) {
        return empty(input, now, Some(InputProblem::NoHeaders));
    }

    let FieldPass {
        last,
        index,
        header_refs,
        headers_omitted,
        bounce_marks,
        newest_first,
        omitted,
        auth_results,
        auth_results_omitted,
        dkim_signatures,
        dkim_signatures_omitted,
        vendor,
        verdicts_omitted,
        arc,
        received_spf,
        received_spf_traces_above,
        from_first,
        from_encoded,
        from_addresses,
        block_end,
    } = read_fields(block, map, input, count, traces, charsets);
    let hops_omitted = omitted.len();
    let mut recorded = recorded_results(
        auth_results,
        &newest_first,
        received_spf,
        received_spf_traces_above,
        returned,
    );
    recorded.headers_omitted = auth_results_omitted;
    let mut hops = hops::order_and_time(newest_first, omitted);
    add_arc(&mut recorded, arc);
    let trust_boundary = mark_boundary(&mut hops, &recorded, from_first.as_ref(), returned);
    let delivered_at = delivered_at(&hops, trust_boundary.as_ref());
    // A Date without a zone names no instant: not compared, not shown.
    let date = last
        .get(Name::Date)
        .and_then(|f| datetime::parse(&lossy(f.value)))
        .filter(|d| !d.zone_assumed);
    let date_ms = date.map(|d| d.unix_ms());
    let clock_skews = boundary::clock_skews(&hops, date_ms);
    let mut legacy_headers = Vec::new();
    let summary = summary(
        &last,
        from_first.as_ref(),
        date,
        map,
        charsets,
        &mut legacy_headers,
    );

    let findings = findings::evaluate(&Facts {
        hops: &hops,
        traces,
        boundary: trust_boundary.as_ref(),
        skews: &clock_skews,
        recorded: &recorded,
        dkim: &dkim_signatures,
        headers: &index,
        from_addresses,
        verdicts: &vendor,
        summary: &summary,
        from_encoded,
        from_present: last.get(Name::From).is_some(),
        message_id_raw: last
            .get(Name::MessageId)
            .map(|h| lossy(h.value).trim().to_string()),
        spaced_names: &prepared.spaced_names,
        legacy_headers: &legacy_headers,
        now,
        delivered_at,
        input,
        returned,
    });
    Report {
        schema_version: SCHEMA_VERSION,
        analysed_at: now,
        input: InputInfo {
            bytes: input.len(),
            header_count: count,
            has_body: prepared.has_body,
            bounce_message: false,
            problem: None,
            notes: prepared.notes.clone(),
            header_block: Some(map.span(Span {
                start: 0,
                end: block_end,
            })),
            headers: header_refs,
            outlook: None,
            headers_omitted,
            bounce_marks,
        },
        verdict: verdict::judge(&findings),
        fixes: Vec::new(),
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
        dkim_signatures_omitted,
        verdicts: vendor,
        verdicts_omitted,
        findings,
        bounce: Vec::new(),
        checklists: Vec::new(),
        whole: Whole::default(),
    }
}

/// What one pass over the header fields collects for the later stages.
struct FieldPass<'a> {
    /// The last field of each name the summary reads.
    last: Last<'a>,
    /// What the rules read of the fields (bounded).
    index: HeaderIndex<'a>,
    /// The fields the report lists, and how many more there are.
    header_refs: Vec<HeaderRef>,
    headers_omitted: usize,
    bounce_marks: Marks,
    /// The hops of the traces read, newest first, and the traces left out.
    newest_first: Vec<Hop>,
    omitted: Range<usize>,
    auth_results: Vec<AuthResultsHeader>,
    auth_results_omitted: usize,
    dkim_signatures: Vec<DkimSignature>,
    dkim_signatures_omitted: usize,
    vendor: Vec<VendorVerdict>,
    verdicts_omitted: usize,
    arc: ArcCollector,
    /// The first Received-SPF that reads, and how many traces are above it.
    received_spf: Option<ReceivedSpf>,
    received_spf_traces_above: usize,
    /// The last From's first mailbox.
    from_first: Option<Mailbox>,
    /// Whether a From holds an encoded word.
    from_encoded: bool,
    /// The most addresses any From names.
    from_addresses: usize,
    /// Where the header block ends in `block`.
    block_end: usize,
}

/// Every field of `block` read once, by the reader its name calls for
/// (`count` fields, `traces` of them Received or X-Received, counted
/// first so the vectors are sized up front); `map` puts offsets in `block`
/// back on `input`.
fn read_fields<'a>(
    block: &'a [u8],
    map: &OffsetMap,
    input: &[u8],
    count: usize,
    traces: usize,
    charsets: &dyn Charsets,
) -> FieldPass<'a> {
    // Sized up front: growing by doubling would briefly hold two copies of
    // the largest vectors, and WebAssembly memory never shrinks back.
    let omitted = hops::omitted(traces);
    let mut trace = 0usize;
    let mut pass = FieldPass {
        last: Last::default(),
        // What the rules read of the fields, and the fields the report
        // lists: both bounded, however many fields there are.
        index: HeaderIndex::default(),
        header_refs: Vec::with_capacity(count.min(MAX_HEADER_REFS)),
        headers_omitted: 0,
        bounce_marks: Marks::default(),
        newest_first: Vec::with_capacity(traces - omitted.len()),
        omitted,
        auth_results: Vec::new(),
        auth_results_omitted: 0,
        dkim_signatures: Vec::new(),
        dkim_signatures_omitted: 0,
        vendor: Vec::new(),
        verdicts_omitted: 0,
        arc: ArcCollector::default(),
        received_spf: None,
        received_spf_traces_above: 0,
        from_first: None,
        from_encoded: false,
        from_addresses: 0,
        block_end: 0,
    };
    let mut split = fields::split(block);
    for header in split.by_ref() {
        pass.last.note(&header);
        let span = map.span(Span {
            start: header.start,
            end: header.end(),
        });
        let name = header.raw_name;
        pass.index.note(name, span);
        if pass.header_refs.len() < MAX_HEADER_REFS {
            pass.header_refs.push(HeaderRef {
                name: name.to_string(),
                span,
            });
        } else {
            pass.headers_omitted += 1;
        }
        pass.bounce_marks
            .note(name, input.get(span.start..span.end).unwrap_or_default());
        if vendors::is_vendor_header(name) {
            if pass.vendor.len() < vendors::MAX_VERDICTS {
                // Borrowed when it is UTF-8: a vendor header can be most of
                // the input.
                let value = crate::header::text::lossy_cow(header.value);
                pass.vendor.extend(vendors::decode(name, &value, span));
            } else {
                pass.verdicts_omitted += 1;
            }
        }
        match header.name {
            Name::From => {
                pass.from_encoded |= header.value.windows(2).any(|w| w == b"=?");
                // Read one mailbox at a time: the first is kept, the
                // addresses counted (a From can name a million).
                let mut first = None;
                let mut count = 0;
                address::parse_each(header.value, charsets, &mut |m| {
                    count += usize::from(m.address.is_some());
                    first.get_or_insert(m);
                    std::ops::ControlFlow::Continue(())
                });
                pass.from_addresses = count.max(pass.from_addresses);
                pass.from_first = first;
            }
            Name::ReceivedSpf if pass.received_spf.is_none() => {
                pass.received_spf = arc::received_spf(&lossy(header.value), span);
                pass.received_spf_traces_above = trace;
            }
            Name::ArcAuthenticationResults | Name::ArcMessageSignature | Name::ArcSeal => {
                pass.arc
                    .add(&name.to_ascii_lowercase(), &lossy(header.value), span);
            }
            Name::DkimSignature => {
                if pass.dkim_signatures.len() < MAX_DKIM_SIGNATURES {
                    pass.dkim_signatures
                        .push(dkim_sig::parse(&lossy(header.value), span));
                } else {
                    pass.dkim_signatures_omitted += 1;
                }
            }
            // Gmail records its internal steps as X-Received.
            Name::Received | Name::XReceived => {
                if !pass.omitted.contains(&trace) {
                    let source = match header.name {
                        Name::Received => "Received",
                        _ => "X-Received",
                    };
                    pass.newest_first.push(hop_of(header.value, span, source));
                }
                trace += 1;
            }
            Name::AuthenticationResults => {
                if pass.auth_results.len() < receiver::MAX_HEADERS {
                    let value_start = header.value_start;
                    let to_input = |offset: usize| map.offset(value_start + offset);
                    pass.auth_results.push(receiver::parse_header(
                        header.value,
                        span,
                        trace,
                        &to_input,
                    ));
                } else {
                    pass.auth_results_omitted += 1;
                }
            }
            _ => {}
        }
    }
    pass.block_end = split.end();
    pass
}

/// What the receivers recorded (Authentication-Results, Received-SPF) as
/// the receiver's view, given the hops read (newest first); nothing is a
/// verdict on a `returned` copy.
fn recorded_results(
    auth_results: Vec<AuthResultsHeader>,
    newest_first: &[Hop],
    received_spf: Option<ReceivedSpf>,
    received_spf_traces_above: usize,
    returned: bool,
) -> receiver::Recorded {
    // Who handed each Received header's message to whom, newest first: the
    // receiver's own headers are the ones it wrote above its entry hop.
    let crossings: Vec<receiver::Crossing<'_>> = newest_first
        .iter()
        .map(|h| receiver::Crossing {
            by_host: h.by_host.as_deref(),
            from_host: h.from_host.as_deref(),
            from_ip: h.from_ip.as_deref().and_then(|ip| ip.parse().ok()),
        })
        .collect();
    let mut recorded = receiver::summarise(
        auth_results,
        &crossings,
        received_spf.as_ref(),
        received_spf_traces_above,
    );
    drop(crossings);
    if returned {
        // No receiver took the returned copy: the results in it are the
        // sender's own systems' (or a refusing server's, whose verdict is
        // the bounce). The headers stay listed; nothing is its verdict.
        recorded = receiver::Recorded {
            headers: recorded.headers,
            ..receiver::Recorded::default()
        };
    }
    recorded.received_spf = received_spf;
    recorded
}

/// The ARC sets collected, with the chain's structural problems, into
/// `recorded`.
fn add_arc(recorded: &mut receiver::Recorded, arc: ArcCollector) {
    recorded.arc_headers_omitted = arc.omitted;
    let above_max = arc.above_max;
    recorded.arc_sets = arc.finish();
    recorded.arc_problems = arc::chain_problems(&recorded.arc_sets);
    if let Some(i) = above_max {
        recorded.arc_problems.push(format!(
            "instance i={i}: RFC 8617 allows 1 to {}",
            arc::MAX_INSTANCE
        ));
    }
}

/// The trust boundary, marked on `hops`: the hop into the receiver that
/// checked SPF (from what it `recorded`); on a `returned` copy the hops the
/// From domain's servers wrote are internal.
fn mark_boundary(
    hops: &mut [Hop],
    recorded: &receiver::Recorded,
    from: Option<&Mailbox>,
    returned: bool,
) -> Option<TrustBoundary> {
    // The IP the receiver's SPF check was about. The receiver's own SPF
    // result names it (a Received-SPF it wrote included); a Received-SPF
    // alone counts only when no receiver wrote Authentication-Results (the
    // topmost one may be the sender's gateway's).
    let received_spf_ip = recorded
        .received_spf
        .as_ref()
        .and_then(|r| r.client_ip.as_deref())
        .and_then(|ip| ip.parse().ok());
    let evaluated = recorded
        .spf
        .as_ref()
        .and_then(|r| r.comments.iter().find_map(|c| boundary::first_ip(c)))
        .or(received_spf_ip.filter(|_| recorded.chosen.is_none()));
    // A returned original's hops written by the sender's own organisation
    // (servers in its From domain) are its internal transfers.
    let sender_domain = from
        .and_then(|m| m.address.as_deref())
        .and_then(address_domain)
        .filter(|_| returned);
    let own = |hop: &hops::Hop| {
        sender_domain.as_deref().is_some_and(|d| {
            hop.by_host
                .as_deref()
                .is_some_and(|b| crate::header::text::likely_aligned(b, d))
        })
    };
    boundary::mark(hops, evaluated, &own)
}

/// When the receiver took the message: its stamp on the hop into it, else
/// the newest dated hop.
fn delivered_at(hops: &[Hop], trust_boundary: Option<&TrustBoundary>) -> Option<i64> {
    trust_boundary
        .and_then(|b| hops.iter().find(|h| h.index == b.hop))
        .and_then(|h| h.unix_time)
        .or_else(|| hops.iter().rev().find_map(|h| h.unix_time))
}

/// The summary of the message (Subject, From, Date, …) from the `last`
/// field of each name; fields in legacy 8-bit or JIS bytes where RFC 2047
/// was due are decoded and listed in `legacy_headers`.
fn summary(
    last: &Last<'_>,
    from: Option<&Mailbox>,
    date: Option<datetime::Stamp>,
    map: &OffsetMap,
    charsets: &dyn Charsets,
    legacy_headers: &mut Vec<(String, &'static str, Span)>,
) -> Summary {
    type Reader = fn(&[u8], &dyn Charsets) -> Option<(String, &'static str)>;
    let mut legacy_text = |name: Name, read: Reader| -> Option<String> {
        let h = last.get(name)?;
        let (text, charset) = read(h.value, charsets)?;
        legacy_headers.push((
            h.raw_name.to_string(),
            charset,
            map.span(Span {
                start: h.start,
                end: h.end(),
            }),
        ));
        Some(single_spaced_owned(text))
    };
    let legacy_subject = legacy_text(Name::Subject, legacy::decode_text);
    // The decoded text read as the field's value (it has no line ends),
    // taken over: the name is cut out of it rather than copied.
    let legacy_from = legacy_text(Name::From, legacy::decode)
        .and_then(|text| address::first_name_owned(text, charsets));
    let from_address = from.and_then(|m| m.address.clone());
    // The envelope sender. A block copied before delivery has no
    // Return-Path; the From address then stands in for it. `<>` (a bounce)
    // is the null sender: none, so the live SPF check uses the HELO
    // (RFC 7208 2.4).
    let return_path = match last.get(Name::ReturnPath) {
        Some(f) => identifier(f.value),
        None => from_address.clone(),
    };
    let (reply_to, reply_to_omitted) = last
        .get(Name::ReplyTo)
        .map(|f| addresses(f.value, charsets))
        .unwrap_or_default();
    Summary {
        subject: legacy_subject.or_else(|| {
            let raw = last.get(Name::Subject)?.value;
            Some(charset::decode_text(raw, charsets))
        }),
        from_domain: from_address.as_deref().and_then(address_domain),
        from_name: legacy_from.or_else(|| from.and_then(|m| m.name.clone())),
        from: from_address,
        date: date.map(|d| {
            let text = d.rfc3339();
            match text.strip_suffix("+00:00") {
                Some(utc) => format!("{utc}Z"),
                None => text,
            }
        }),
        message_id: last.get(Name::MessageId).and_then(|f| identifier(f.value)),
        return_path,
        sender: last
            .get(Name::Sender)
            .and_then(|f| first_mailbox(f.value, charsets))
            .and_then(|m| m.address),
        reply_to,
        reply_to_omitted,
        list_id: raw_value(last.get(Name::ListId)),
        list_unsubscribe: raw_value(last.get(Name::ListUnsubscribe)),
        list_unsubscribe_post: raw_value(last.get(Name::ListUnsubscribePost)),
    }
}

/// The report of an input that could not be read at all (`bytes` long).
pub(crate) fn unreadable(bytes: usize, now: i64, problem: InputProblem) -> Report {
    let mut report = empty(&[], now, Some(problem));
    report.input.bytes = bytes;
    report
}

/// A report with nothing analysed yet.
fn empty(input: &[u8], now: i64, problem: Option<InputProblem>) -> Report {
    let verdict = verdict::nothing(problem.as_ref());
    Report {
        schema_version: SCHEMA_VERSION,
        analysed_at: now,
        input: InputInfo {
            bytes: input.len(),
            header_count: 0,
            has_body: false,
            bounce_message: false,
            problem,
            notes: Vec::new(),
            header_block: None,
            headers: Vec::new(),
            outlook: None,
            headers_omitted: 0,
            bounce_marks: Marks::default(),
        },
        verdict,
        fixes: Vec::new(),
        summary: Summary::default(),
        hops: Vec::new(),
        hops_omitted: 0,
        total_transit_seconds: None,
        trust_boundary: None,
        clock_skews: Vec::new(),
        auth: Auth::default(),
        dkim_signatures: Vec::new(),
        dkim_signatures_omitted: 0,
        verdicts: Vec::new(),
        verdicts_omitted: 0,
        findings: Vec::new(),
        bounce: Vec::new(),
        checklists: Vec::new(),
        whole: Whole::default(),
    }
}
