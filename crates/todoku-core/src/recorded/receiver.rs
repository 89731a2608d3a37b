//! What the receiving side recorded: its Authentication-Results, chosen and
//! summarised per mechanism.

use serde::Serialize;

use crate::recorded::arc::{ArcSet, ReceivedSpf};
use crate::recorded::authres::{self, AuthResults, MethodResult};
use crate::span::Span;

/// One Authentication-Results header as found in the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuthResultsHeader {
    /// The whole header field in the input.
    pub span: Span,
    /// The parsed value (result spans are absolute input offsets when the
    /// header is valid UTF-8).
    pub parsed: AuthResults,
    /// How many Received/X-Received fields stand above it: headers with the
    /// same count were written at the same step of the message's way.
    #[serde(skip)]
    pub(crate) traces_above: usize,
}

/// The results the receiving organisation recorded when the message arrived,
/// per mechanism: every Authentication-Results header with its authserv-id
/// merged (receivers often write one header per method).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Recorded {
    /// The topmost Authentication-Results header of the receiver (headers of
    /// other organisations lower down were written earlier, by a forwarder
    /// or the sender's own systems, or forged).
    pub chosen: Option<usize>,
    /// The receiver's authserv-id.
    pub authserv_id: Option<String>,
    /// SPF: the `smtp.mailfrom` result if there is one, else the first
    /// (typically `smtp.helo`).
    pub spf: Option<MethodResult>,
    /// Every DKIM result (one per signature).
    pub dkim: Vec<MethodResult>,
    /// DMARC.
    pub dmarc: Option<MethodResult>,
    /// ARC.
    pub arc: Option<MethodResult>,
    /// Microsoft's composite authentication (`compauth`).
    pub compauth: Option<MethodResult>,
    /// Reverse DNS (`iprev`).
    pub iprev: Option<MethodResult>,
    /// All Authentication-Results headers, top (newest) first: at most 50
    /// ([`MAX_HEADERS`]).
    pub headers: Vec<AuthResultsHeader>,
    /// Authentication-Results headers below the first 50: counted, not
    /// read.
    pub headers_omitted: usize,
    /// The topmost Received-SPF header.
    pub received_spf: Option<ReceivedSpf>,
    /// ARC sets by instance (what each intermediary recorded and sealed):
    /// instances 1 to 50, all RFC 8617 allows.
    pub arc_sets: Vec<ArcSet>,
    /// ARC headers not read: those whose instance is above 50, or whose
    /// `i=` cannot be read.
    pub arc_headers_omitted: usize,
    /// Structural problems of the ARC chain, in words.
    pub arc_problems: Vec<String>,
}

/// [`Recorded::headers`] keeps at most this many Authentication-Results
/// headers (the topmost: the receiver's own are at the top).
pub const MAX_HEADERS: usize = 50;

/// Parse one header's raw value; `to_input` maps an offset within the value
/// to an offset in the original input.
pub(crate) fn parse_header(
    raw_value: &[u8],
    field: Span,
    traces_above: usize,
    to_input: &dyn Fn(usize) -> usize,
) -> AuthResultsHeader {
    let parsed = match std::str::from_utf8(raw_value) {
        Ok(text) => {
            let mut ar = authres::parse(text);
            for r in &mut ar.results {
                r.span = Span {
                    start: to_input(r.span.start),
                    end: to_input(r.span.end),
                };
            }
            for p in &mut ar.problems {
                p.offset = to_input(p.offset);
            }
            ar
        }
        Err(_) => {
            // Offsets into a lossy copy would not match the input: point at the field.
            let mut ar = authres::parse(&crate::header::text::lossy_cow(raw_value));
            for r in &mut ar.results {
                r.span = field;
            }
            for p in &mut ar.problems {
                p.offset = field.start;
            }
            ar
        }
    };
    AuthResultsHeader {
        span: field,
        parsed,
        traces_above,
    }
}

/// One Received header, as far as the receiver's view needs it.
pub(crate) struct Crossing<'a> {
    /// The host that wrote it.
    pub(crate) by_host: Option<&'a str>,
    /// The host it came from.
    pub(crate) from_host: Option<&'a str>,
    /// The client address.
    pub(crate) from_ip: Option<std::net::IpAddr>,
}

impl Crossing<'_> {
    /// A hop inside the organisation named by `authserv_id`: written by one
    /// of its hosts, from one of its hosts or a private or loopback address.
    fn inside(&self, authserv_id: &str) -> bool {
        let ours = |host: Option<&str>| {
            host.is_some_and(|h| crate::header::text::likely_aligned(h, authserv_id))
        };
        ours(self.by_host)
            && (ours(self.from_host)
                || self
                    .from_ip
                    .is_some_and(|ip| crate::trace::boundary::is_private(&ip)))
    }
}

/// Whether a header can be a receiver's verdict. Results without an
/// authserv-id that judge no SPF and no composite authentication are what
/// Microsoft 365 writes inside the *sending* tenant (`dkim=none (message not
/// signed) header.d=none; dmarc=none action=none`): the sender's own systems,
/// before the message left them.
fn receivers(h: &AuthResultsHeader) -> bool {
    let ar = &h.parsed;
    ar.authserv_id.is_some()
        || ar
            .results
            .iter()
            .any(|r| matches!(&*r.method, "spf" | "compauth"))
}

fn same_receiver(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        (None, None) => true,
        _ => false,
    }
}

/// A Received-SPF header turned into the result it states, for a receiver
/// that wrote no SPF in its Authentication-Results.
fn spf_from_received(r: &ReceivedSpf) -> MethodResult {
    let mut properties = Vec::new();
    let helo_identity = r
        .identity
        .as_deref()
        .is_some_and(|i| i.eq_ignore_ascii_case("helo"));
    match (&r.envelope_from, &r.helo) {
        (Some(from), _) if !helo_identity && !from.is_empty() => {
            properties.push(authres::Property {
                ptype: "smtp".into(),
                name: "mailfrom".into(),
                value: from.clone(),
            });
        }
        (_, Some(helo)) => properties.push(authres::Property {
            ptype: "smtp".into(),
            name: "helo".into(),
            value: helo.clone(),
        }),
        _ => {}
    }
    MethodResult {
        method: "spf".into(),
        method_version: None,
        result: r.result.clone().into(),
        reason: None,
        comments: r
            .comment
            .iter()
            .cloned()
            .chain(r.client_ip.as_ref().map(|ip| format!("client-ip={ip}")))
            .collect(),
        properties,
        span: r.span,
        comments_omitted: 0,
        properties_omitted: 0,
    }
}

/// Summarise the headers (top first) as the receiver's view: the topmost
/// header that can be a receiver's verdict names the receiver; all of its
/// headers are merged. Each method's result is taken from the receiver's
/// headers written when the message arrived (the most Received fields
/// above them): a later re-check by the same organisation, after it changed
/// the message (a list adding its footer), is context, not its verdict.
/// The receiver's Received-SPF counts when its headers give no SPF.
pub(crate) fn summarise(
    headers: Vec<AuthResultsHeader>,
    crossings: &[Crossing<'_>],
    received_spf: Option<&ReceivedSpf>,
    received_spf_traces_above: usize,
) -> Recorded {
    let chosen = headers.iter().position(receivers);
    let authserv_id = chosen.and_then(|i| headers.get(i)?.parsed.authserv_id.clone());
    // The steps the receiver wrote in: from its topmost header down through
    // the Received headers of its own internal hops, never below the hop the
    // message entered by (a header with its name further down was in the
    // message when it arrived: a forgery, or an earlier pass).
    let top = chosen
        .and_then(|i| headers.get(i))
        .map_or(0, |h| h.traces_above);
    let mut lowest = top;
    if let Some(id) = authserv_id.as_deref() {
        while crossings.get(lowest).is_some_and(|c| c.inside(id)) {
            lowest += 1;
        }
    }
    // The receiver's headers, oldest step first (stable within one step).
    let mut own: Vec<&AuthResultsHeader> = match chosen {
        Some(_) => headers
            .iter()
            .filter(|h| receivers(h))
            .filter(|h| same_receiver(h.parsed.authserv_id.as_deref(), authserv_id.as_deref()))
            .filter(|h| (top..=lowest).contains(&h.traces_above))
            .collect(),
        None => Vec::new(),
    };
    crate::order::by_key(&mut own, |h| u64::MAX - crate::order::key(h.traces_above));
    // The results of one method from the oldest step that has any.
    let step_of = |method: &str| -> Vec<MethodResult> {
        let Some(step) = own
            .iter()
            .find(|h| h.parsed.results.iter().any(|r| r.method == method))
            .map(|h| h.traces_above)
        else {
            return Vec::new();
        };
        own.iter()
            .filter(|h| h.traces_above == step)
            .flat_map(|h| h.parsed.results.iter().filter(|r| r.method == method))
            .cloned()
            .collect()
    };
    let spfs = step_of("spf");
    let mut spf = spfs
        .iter()
        .find(|r| r.property("smtp", "mailfrom").is_some())
        .or_else(|| spfs.first())
        .cloned();
    // A Received-SPF written by the receiver (at or after its arrival step).
    let arrival = own.first().map_or(usize::MAX, |h| h.traces_above);
    const SPF_RESULTS: &[&str] = &[
        "pass",
        "fail",
        "softfail",
        "neutral",
        "none",
        "temperror",
        "permerror",
    ];
    if spf.is_none()
        && let Some(r) = received_spf
            .filter(|_| received_spf_traces_above <= arrival)
            .filter(|r| SPF_RESULTS.contains(&r.result.as_str()))
    {
        spf = Some(spf_from_received(r));
    }
    let first = |method: &str| step_of(method).into_iter().next();
    Recorded {
        chosen,
        authserv_id,
        spf,
        dkim: step_of("dkim"),
        dmarc: first("dmarc"),
        arc: first("arc"),
        compauth: first("compauth"),
        iprev: first("iprev"),
        headers,
        headers_omitted: 0,
        received_spf: None,
        arc_sets: Vec::new(),
        arc_headers_omitted: 0,
        arc_problems: Vec::new(),
    }
}
