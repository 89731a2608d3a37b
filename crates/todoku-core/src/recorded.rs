//! What the receiving side recorded: its Authentication-Results, chosen and
//! summarised per mechanism.

use serde::Serialize;

use crate::Span;
use crate::arc::{ArcSet, ReceivedSpf};
use crate::authres::{self, AuthResults, MethodResult};

/// One Authentication-Results header as found in the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuthResultsHeader {
    /// The whole header field in the input.
    pub span: Span,
    /// The parsed value (result spans are absolute input offsets when the
    /// header is valid UTF-8).
    pub parsed: AuthResults,
}

/// The results the final receiver recorded, per mechanism.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Recorded {
    /// Which Authentication-Results header these come from: the topmost one,
    /// added by the final receiver (headers lower down were written earlier,
    /// possibly by a forwarder, or forged by the sender).
    pub chosen: Option<usize>,
    /// Its authserv-id.
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
    /// All Authentication-Results headers, top (newest) first.
    pub headers: Vec<AuthResultsHeader>,
    /// The topmost Received-SPF header.
    pub received_spf: Option<ReceivedSpf>,
    /// ARC sets by instance (what each intermediary recorded and sealed).
    pub arc_sets: Vec<ArcSet>,
    /// Structural problems of the ARC chain, in words.
    pub arc_problems: Vec<String>,
}

/// Parse one header's raw value; `to_input` maps an offset within the value
/// to an offset in the original input.
pub(crate) fn parse_header(
    raw_value: &[u8],
    field: Span,
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
            let mut ar = authres::parse(&String::from_utf8_lossy(raw_value));
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
    }
}

fn first(results: &[MethodResult], method: &str) -> Option<MethodResult> {
    results.iter().find(|r| r.method == method).cloned()
}

/// Summarise the headers (top first).
pub(crate) fn summarise(headers: Vec<AuthResultsHeader>) -> Recorded {
    let Some(top) = headers.first() else {
        return Recorded::default();
    };
    let results = &top.parsed.results;
    let spfs: Vec<&MethodResult> = results.iter().filter(|r| r.method == "spf").collect();
    let spf = spfs
        .iter()
        .find(|r| r.property("smtp", "mailfrom").is_some())
        .or_else(|| spfs.first())
        .map(|r| (*r).clone());
    Recorded {
        chosen: Some(0),
        authserv_id: top.parsed.authserv_id.clone(),
        spf,
        dkim: results
            .iter()
            .filter(|r| r.method == "dkim")
            .cloned()
            .collect(),
        dmarc: first(results, "dmarc"),
        arc: first(results, "arc"),
        compauth: first(results, "compauth"),
        iprev: first(results, "iprev"),
        headers,
        received_spf: None,
        arc_sets: Vec::new(),
        arc_problems: Vec::new(),
    }
}
