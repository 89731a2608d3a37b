//! Live re-checks: questions asked through a [`Resolver`] now, not what the
//! receiver recorded then. Each result carries its DNS evidence.
//!
//! [`run`] is the whole live stage: iprev, the DMARC record, SPF (MAIL FROM
//! and HELO of the trusted hop) and the DKIM signatures (at most
//! [`dkim::MAX_LIVE_SIGNATURES`]) are asked at once (one [`Lookups`] merges
//! duplicate questions), in that order, so a resolver that answers one
//! question at a time within a time limit answers DMARC and iprev first;
//! DMARC's evaluation follows, since it needs the SPF and DKIM results; then
//! each mechanism is compared with what the receiver recorded.

use std::net::IpAddr;

use serde::Serialize;

use crate::wording::Lang;

use crate::auth::arc::{self, ArcCheck, ArcResult};
use crate::auth::dkim::{self, DkimCheck, DkimResult};
use crate::auth::dmarc::{self, DmarcEvaluation, DmarcResult};
use crate::auth::dns::{DnsAnswer, DnsFailure, DnsRecord, Rcode, RecordType, Resolver};
use crate::auth::iprev::{self, IprevCheck};
use crate::auth::lookup::{Lookups, join2};
use crate::auth::spf::{self, SpfCheck, SpfRequest, SpfResult};
use crate::header::dkim_sig::DkimSignature;
use crate::header::summary::Summary;
use crate::header::tags::TagList;
use crate::input::message::RawMessage;
use crate::recorded::receiver::Recorded;
use crate::span::Span;
use crate::trace::boundary::TrustBoundary;

/// Results of live DNS re-checks; empty until the live stage has run
/// ([`crate::analyze_live`] or [`crate::auth::live::run`]).
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

/// One DNS question and what came back, kept as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DnsEvidence {
    /// The name asked.
    pub name: String,
    /// The type asked.
    pub rtype: RecordType,
    /// Which resolver answered (or failed).
    pub provider: String,
    /// The checks that needed this answer (`spf`, `dkim`, `dmarc`, `iprev`, `arc`).
    pub asked_by: Vec<String>,
    /// The answer, or why there was none.
    pub outcome: DnsOutcome,
    /// How long the exchange took, when the transport measured it.
    pub latency_ms: Option<u32>,
}

impl DnsEvidence {
    /// One line: the question, the records (TXT quoted, TTLs), the DNSSEC
    /// AD flag or the failure, and the time taken when measured.
    pub fn summary(&self) -> String {
        self.summary_in(Lang::En)
    }

    /// [`DnsEvidence::summary`] in `lang` (the records as they are).
    pub fn summary_in(&self, lang: Lang) -> String {
        let outcome = match &self.outcome {
            DnsOutcome::Answer(answer) => {
                let records: Vec<String> = answer
                    .records
                    .iter()
                    .map(|r| match r {
                        DnsRecord::Txt { text, ttl } => format!("\"{text}\" (TTL {ttl})"),
                        DnsRecord::A { addr, ttl } => format!("{addr} (TTL {ttl})"),
                        DnsRecord::Aaaa { addr, ttl } => format!("{addr} (TTL {ttl})"),
                        DnsRecord::Mx {
                            preference,
                            exchange,
                            ttl,
                        } => format!("{preference} {exchange} (TTL {ttl})"),
                        DnsRecord::Ptr { name, ttl } => format!("{name} (TTL {ttl})"),
                        DnsRecord::Cname { name, ttl } => format!("CNAME {name} (TTL {ttl})"),
                    })
                    .collect();
                let ad = match (answer.authenticated, lang) {
                    (false, _) => "",
                    (true, Lang::En) => ", DNSSEC-validated (AD)",
                    (true, Lang::Ja) => "、DNSSEC 検証済み（AD）",
                };
                match (records.is_empty(), lang) {
                    (true, Lang::En) => format!("{:?}, no records{ad}", answer.rcode),
                    (true, Lang::Ja) => format!("{:?}、レコードなし{ad}", answer.rcode),
                    (false, _) => format!("{}{ad}", records.join(" | ")),
                }
            }
            DnsOutcome::Failure(f) => f.sentence(lang),
        };
        let took = self
            .latency_ms
            .map(|ms| format!(" [{ms} ms]"))
            .unwrap_or_default();
        format!("{} {} → {outcome}{took}", self.name, self.rtype.as_str())
    }
}

/// An answer or a failure to get one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DnsOutcome {
    /// The resolver answered (any rcode).
    Answer(DnsAnswer),
    /// No DNS answer was obtained.
    Failure(DnsFailure),
}

/// DMARC now: what the From domain publishes at `_dmarc.<domain>`, and the
/// evaluation with the live SPF and DKIM results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LiveDmarc {
    /// The From domain checked.
    pub domain: String,
    /// The result word (`pass`, `fail`, `none`, `temperror`, `unavailable`).
    pub result: DmarcResult,
    /// What is at `_dmarc.<domain>` itself.
    pub lookup: DmarcLookup,
    /// The DNS question behind `lookup`.
    pub evidence: DnsEvidence,
    /// Policy discovery, alignment and the policy that applies (absent when
    /// only the record lookup was made).
    pub evaluation: Option<DmarcEvaluation>,
}

/// The outcome of looking up a domain's DMARC record (RFC 7489 6.6.3 step 1-3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum DmarcLookup {
    /// Exactly one record starting with `v=DMARC1`.
    Found {
        /// The record text.
        record: String,
        /// Its `p=` value, if present.
        policy: Option<String>,
    },
    /// No DMARC record at this name (NXDOMAIN, NODATA, or only other TXT records).
    None {
        /// The response code.
        rcode: Rcode,
    },
    /// More than one DMARC record: RFC 7489 says to apply none of them.
    Multiple {
        /// The records found.
        records: Vec<String>,
    },
    /// The domain's DNS failed (SERVFAIL and the like): a temporary error.
    Temperror {
        /// The response code.
        rcode: Rcode,
    },
    /// The check could not be made (offline, resolver unreachable, bad reply).
    Unavailable {
        /// Why.
        failure: DnsFailure,
    },
}

/// The first `p=` of a record, as written.
fn policy_of(record: &str) -> Option<String> {
    TagList::parse(record)
        .get("p")
        .map(|tag| tag.value.to_string())
}

async fn dmarc_lookup<R: Resolver>(domain: &str, dns: &Lookups<'_, R>) -> LiveDmarc {
    let name = format!("_dmarc.{}", domain.trim_end_matches('.'));
    let outcome = match dns.query(&name, RecordType::Txt, 1, "dmarc").await {
        Ok(answer) => DnsOutcome::Answer(answer),
        Err(failure) => DnsOutcome::Failure(failure),
    };
    let lookup = match &outcome {
        DnsOutcome::Failure(failure) => DmarcLookup::Unavailable {
            failure: failure.clone(),
        },
        DnsOutcome::Answer(answer) => classify(answer),
    };
    let result = match &lookup {
        // A record found is always evaluated (stage 2 of `run_with`), which
        // sets the result; until then nothing has passed.
        DmarcLookup::Found { .. } => DmarcResult::Fail,
        DmarcLookup::None { .. } | DmarcLookup::Multiple { .. } => DmarcResult::None,
        DmarcLookup::Temperror { .. } => DmarcResult::TempError,
        DmarcLookup::Unavailable { .. } => DmarcResult::Unavailable,
    };
    LiveDmarc {
        domain: domain.to_string(),
        result,
        lookup,
        evidence: dns
            .evidence_of(&name, RecordType::Txt)
            .unwrap_or_else(|| DnsEvidence {
                name,
                rtype: RecordType::Txt,
                provider: dns.provider(),
                asked_by: vec!["dmarc".to_string()],
                outcome,
                latency_ms: None,
            }),
        evaluation: None,
    }
}

/// SPF now, for the trusted hop's address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LiveSpf {
    /// The MAIL FROM identity's result word (the one DMARC uses), else HELO's.
    pub result: SpfResult,
    /// The address checked: the trusted hop's client.
    pub ip: IpAddr,
    /// The envelope sender checked (empty for a null sender).
    pub mail_from: Option<String>,
    /// `check_host()` for MAIL FROM.
    pub mail_from_check: Option<SpfCheck>,
    /// `check_host()` for the HELO name.
    pub helo_check: Option<SpfCheck>,
    /// Every DNS answer SPF needed.
    pub evidence: Vec<DnsEvidence>,
}

/// DKIM now, per signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LiveDkim {
    /// The best result among the signatures (`pass` if any passes).
    pub result: DkimResult,
    /// Each signature, top first. At most `MAX_LIVE_SIGNATURES` (8) are
    /// re-checked, those aligned with From first; the rest are `unavailable`
    /// with the reason "not re-checked: limit of 8 signatures …".
    pub signatures: Vec<DkimCheck>,
    /// The key lookups.
    pub evidence: Vec<DnsEvidence>,
}

/// iprev now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LiveIprev {
    /// The check.
    #[serde(flatten)]
    pub check: IprevCheck,
    /// Its lookups.
    pub evidence: Vec<DnsEvidence>,
}

/// ARC now: the chain re-validated against today's keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LiveArc {
    /// The check.
    #[serde(flatten)]
    pub check: ArcCheck,
    /// Its lookups.
    pub evidence: Vec<DnsEvidence>,
}

/// What the receiver recorded then against what the re-check says now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ThenNow {
    /// `spf`, `dkim`, `dmarc`, `arc` or `iprev` (with `d=` for DKIM: `dkim
    /// example.com`; `dkim (N more)` is one row for the signatures past the
    /// limit of those re-checked live).
    pub mechanism: String,
    /// The recorded result word.
    pub then: Option<String>,
    /// The live result word.
    pub now: Option<String>,
    /// The class of the difference.
    pub class: ThenNowClass,
    /// The difference in words.
    pub explanation: String,
    /// The same in Japanese.
    pub explanation_ja: String,
}

/// How a recorded result compares with today's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ThenNowClass {
    /// The same word then and now.
    Same,
    /// A DNS failure at delivery that resolves now.
    TransientDnsFailure,
    /// A DNS failure then and now.
    DnsStillBroken,
    /// It passed then (or fails now): a record changed since.
    ChangedSinceDelivery,
    /// It failed then and passes now.
    FixedOrPathDependent,
    /// The receiver recorded nothing for it.
    NotRecorded,
    /// The live check could not be made.
    NotRechecked,
}

impl ThenNowClass {
    /// The word the JSON uses (`same`, `transient_dns_failure`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ThenNowClass::Same => "same",
            ThenNowClass::TransientDnsFailure => "transient_dns_failure",
            ThenNowClass::DnsStillBroken => "dns_still_broken",
            ThenNowClass::ChangedSinceDelivery => "changed_since_delivery",
            ThenNowClass::FixedOrPathDependent => "fixed_or_path_dependent",
            ThenNowClass::NotRecorded => "not_recorded",
            ThenNowClass::NotRechecked => "not_rechecked",
        }
    }

    /// The difference in words, in `lang` (`then` and `now` are the result
    /// words, `-` when absent).
    pub fn explain(self, lang: Lang, mechanism: &str, then: &str, now: &str) -> String {
        match lang {
            Lang::En => match self {
                ThenNowClass::NotRechecked => {
                    "The live check could not be made, so only the recorded result is known."
                        .to_string()
                }
                ThenNowClass::NotRecorded => {
                    format!("The receiver recorded no {mechanism} result; today it is {now}.")
                }
                ThenNowClass::DnsStillBroken => "A DNS failure then and still now: the domain's DNS hosting is broken, not a passing glitch.".to_string(),
                ThenNowClass::Same => format!("Unchanged since delivery: {now}."),
                ThenNowClass::TransientDnsFailure => format!("A temporary DNS failure at delivery; the records resolve now ({now}), so it was transient."),
                ThenNowClass::ChangedSinceDelivery => format!("It was {then} at delivery and is {now} now: a record changed since (an edited SPF record, a rotated or removed DKIM key), or the receiver saw a different path."),
                ThenNowClass::FixedOrPathDependent => format!("It was {then} at delivery and is {now} now: fixed since, or the receiver evaluated a different hop or a modified message than the one pasted."),
            },
            Lang::Ja => match self {
                ThenNowClass::NotRechecked => {
                    "再チェックできなかったため、受信時の記録だけが分かっています。".to_string()
                }
                ThenNowClass::NotRecorded => {
                    format!("受信サーバーは {mechanism} の結果を記録していません。現在は {now} です。")
                }
                ThenNowClass::DnsStillBroken => "受信時も現在も DNS が失敗しています。一時的な不調ではなく、ドメインの DNS サーバーに問題があります。".to_string(),
                ThenNowClass::Same => format!("受信時から変わっていません：{now}。"),
                ThenNowClass::TransientDnsFailure => format!("受信時は一時的な DNS の失敗でした。現在は引けるので（{now}）、一時的なものでした。"),
                ThenNowClass::ChangedSinceDelivery => format!("受信時は {then}、現在は {now} です。その後にレコードが変わった（SPF レコードの編集、DKIM 鍵の交換や削除）か、受信サーバーが別の経路を見ています。"),
                ThenNowClass::FixedOrPathDependent => format!("受信時は {then}、現在は {now} です。その後に直されたか、受信サーバーが貼り付けたものとは別の経路や書き換えられたメールを評価しています。"),
            },
        }
    }
}

/// Compare a recorded word with a live word.
pub fn compare(mechanism: &str, then: Option<&str>, now: Option<&str>) -> ThenNow {
    let is_error = |w: &str| matches!(w, "temperror" | "permerror");
    let class = match (then, now) {
        (_, None | Some("unavailable")) => ThenNowClass::NotRechecked,
        (None, Some(_)) => ThenNowClass::NotRecorded,
        (Some("temperror"), Some("temperror")) => ThenNowClass::DnsStillBroken,
        (Some(then), Some(now)) if then == now => ThenNowClass::Same,
        (Some("temperror"), Some(_)) => ThenNowClass::TransientDnsFailure,
        (Some(then), Some(now)) if then == "pass" || is_error(now) || now == "fail" => {
            ThenNowClass::ChangedSinceDelivery
        }
        (Some(_), Some(_)) => ThenNowClass::FixedOrPathDependent,
    };
    let (t, n) = (then.unwrap_or("-"), now.unwrap_or("-"));
    ThenNow {
        mechanism: mechanism.to_string(),
        then: then.map(str::to_string),
        now: now.map(str::to_string),
        class,
        explanation: class.explain(Lang::En, mechanism, t, n),
        explanation_ja: class.explain(Lang::Ja, mechanism, t, n),
    }
}

/// What the live stage reads of an offline analysis
/// ([`crate::Report::live_request`]).
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The analysis time (Unix seconds): signature expiry is judged at it.
    pub now: i64,
    /// From, Return-Path and the other identities.
    pub summary: &'a Summary,
    /// The hop into the receiver: the address and HELO checked.
    pub trust_boundary: Option<&'a TrustBoundary>,
    /// The DKIM-Signature fields the report lists, top first.
    pub dkim_signatures: &'a [DkimSignature],
    /// The DKIM-Signature fields below them, not listed.
    pub dkim_signatures_omitted: usize,
    /// What the receiver recorded, to compare with now.
    pub recorded: &'a Recorded,
}

/// Everything the live stage asks, for one offline analysis (signatures verified by
/// [`crate::auth::dkim::key::builtin`]).
pub async fn run<R: Resolver>(
    request: Request<'_>,
    message: &RawMessage<'_>,
    resolver: &R,
) -> LiveChecks {
    run_with(
        request,
        message,
        resolver,
        crate::auth::dkim::key::builtin(),
    )
    .await
}

/// [`run`], verifying signatures with `signatures` (the page passes WebCrypto).
pub async fn run_with<R: Resolver>(
    request: Request<'_>,
    message: &RawMessage<'_>,
    resolver: &R,
    signatures: &dyn crate::auth::dkim::key::Signatures,
) -> LiveChecks {
    let dns = Lookups::new(resolver).with_signatures(signatures);
    let now = request.now;
    let boundary = request.trust_boundary;
    let ip: Option<IpAddr> = boundary
        .and_then(|b| b.ip.as_deref())
        .and_then(|ip| ip.parse().ok());
    let helo = boundary.and_then(|b| b.helo.as_deref());
    // The envelope the receiver checked at the hop re-checked here: its
    // recorded smtp.mailfrom, then Return-Path. A list's copy carries the
    // list's Return-Path, while the results of the list's inbound (the hop
    // the boundary names) are about the author's envelope (openbmc-041:
    // SPF of lists.ozlabs.org for the author's qq.com server would have
    // read as "spf none -> fail", a change that never happened).
    let recorded_envelope = request
        .recorded
        .spf
        .as_ref()
        .and_then(|r| r.property("smtp", "mailfrom"))
        .filter(|v| v.contains('.'));
    let mail_from = recorded_envelope
        .or(request.summary.return_path.as_deref())
        .map(|r| r.trim_matches(|c| c == '<' || c == '>').to_string());
    let from_domain = request.summary.from_domain.as_deref();
    // The signatures the report lists (the first 50), in order: the ones
    // considered for the live check.
    let spans: Vec<Span> = request.dkim_signatures.iter().map(|s| s.span).collect();

    // Stage 1: everything independent, at once.
    let spf_future = async { Some(live_spf(ip?, helo, mail_from.as_deref(), now, &dns).await) };
    let dkim_future = async {
        let signatures = dkim::check_all(message, &spans, &dns, now, from_domain).await;
        (!signatures.is_empty()).then(|| LiveDkim {
            result: best(&signatures),
            signatures,
            evidence: Vec::new(),
        })
    };
    let iprev_future = async {
        Some(LiveIprev {
            check: iprev::check(ip?, helo, &dns).await,
            evidence: Vec::new(),
        })
    };
    let dmarc_future = async {
        let domain = from_domain?;
        // What DMARC is expected to ask, asked now with the rest (see
        // prefetch): for the signatures re-checked live, the others cannot pass.
        let identities = dmarc_identities(&request, domain, mail_from.as_deref());
        let (lookup, ()) = join2(
            dmarc_lookup(domain, &dns),
            dmarc::prefetch(domain, &identities, &dns),
        )
        .await;
        Some(lookup)
    };
    let arc_future = live_arc(message, request.recorded, now, &dns);
    // Polled in this order: a resolver that answers one question at a time
    // (the CLI's) within an overall time limit answers iprev and DMARC
    // before SPF, and all three before the signatures' keys.
    let (((iprev, mut dmarc), spf), (dkim, arc)) = join2(
        join2(join2(iprev_future, dmarc_future), spf_future),
        join2(dkim_future, arc_future),
    )
    .await;

    // Stage 2: DMARC needs SPF and DKIM.
    dns.next_stage();
    if let (Some(live), Some(domain)) = (dmarc.as_mut(), from_domain) {
        evaluate_dmarc(live, domain, spf.as_ref(), dkim.as_ref(), &dns).await;
    }

    let mut live = LiveChecks {
        spf,
        dkim,
        dmarc,
        arc,
        iprev,
        comparison: Vec::new(),
        provider: Some(dns.provider()),
        rounds: dns.rounds(),
        evidence: dns.evidence(),
    };
    file_evidence(&mut live, &dns);
    let signature_count = request.dkim_signatures.len() + request.dkim_signatures_omitted;
    live.comparison = comparisons(request.recorded, &live, signature_count);
    live
}

/// SPF for the trusted hop: MAIL FROM and HELO checked at once; the result
/// is MAIL FROM's when there is one (RFC 7208 2.3), else HELO's.
async fn live_spf<R: Resolver>(
    ip: IpAddr,
    helo: Option<&str>,
    mail_from: Option<&str>,
    now: i64,
    dns: &Lookups<'_, R>,
) -> LiveSpf {
    let helo_name = helo.unwrap_or_default();
    let request = SpfRequest {
        ip,
        mail_from: mail_from.unwrap_or_default(),
        helo: helo_name,
        now,
    };
    let (mail_from_check, helo_check) = join2(
        async {
            match mail_from {
                Some(_) => Some(spf::check(&request, dns).await),
                None => None,
            }
        },
        async {
            if helo_name.is_empty() {
                None
            } else {
                Some(spf::check_helo(&request, dns).await)
            }
        },
    )
    .await;
    let result = mail_from_check
        .as_ref()
        .or(helo_check.as_ref())
        .map_or(SpfResult::None, |c| c.result);
    LiveSpf {
        result,
        ip,
        mail_from: mail_from.map(str::to_string),
        mail_from_check,
        helo_check,
        evidence: Vec::new(),
    }
}

/// The identities DMARC will ask about for `domain`: the signing domains of
/// the signatures re-checked live and the envelope sender's domain.
fn dmarc_identities(request: &Request<'_>, domain: &str, mail_from: Option<&str>) -> Vec<String> {
    let domains: Vec<Option<&str>> = request
        .dkim_signatures
        .iter()
        .map(|s| s.domain.as_deref())
        .collect();
    let chosen = dkim::chosen_for_live(&domains, Some(domain));
    let mut identities: Vec<String> = domains
        .iter()
        .zip(chosen)
        .filter(|(_, chosen)| *chosen)
        .filter_map(|(d, _)| d.map(str::to_string))
        .collect();
    if let Some(envelope) = mail_from.and_then(|m| m.rsplit_once('@')) {
        identities.push(envelope.1.to_string());
    }
    identities
}

/// The ARC chain re-validated, its sets pointing at the headers the
/// receiver's view recorded; `None` without ARC headers.
async fn live_arc<R: Resolver>(
    message: &RawMessage<'_>,
    recorded: &Recorded,
    now: i64,
    dns: &Lookups<'_, R>,
) -> Option<LiveArc> {
    let mut check = arc::check(message, dns, now).await;
    if check.result == ArcResult::None {
        return None;
    }
    for set in &mut check.sets {
        if let Some(seen) = recorded
            .arc_sets
            .iter()
            .find(|r| r.instance == set.instance)
        {
            if let Some(span) = seen.seal.as_ref().and_then(|t| t.span) {
                set.seal.span = span;
            }
            if let Some(span) = seen.signature.as_ref().and_then(|t| t.span) {
                set.message_signature.span = span;
            }
        }
    }
    Some(LiveArc {
        check,
        evidence: Vec::new(),
    })
}

/// DMARC's evaluation from the SPF and DKIM results just checked; nothing
/// when the record could not be asked (nothing more can be learnt from this
/// resolver).
async fn evaluate_dmarc<R: Resolver>(
    live: &mut LiveDmarc,
    domain: &str,
    spf: Option<&LiveSpf>,
    dkim: Option<&LiveDkim>,
    dns: &Lookups<'_, R>,
) {
    if matches!(live.lookup, DmarcLookup::Unavailable { .. }) {
        return;
    }
    let spf_identity = spf.and_then(|s| {
        let check = s.mail_from_check.as_ref()?;
        Some((check, check.domain.as_str()))
    });
    // The signatures not re-checked cannot pass: DMARC's alignment
    // questions are not asked for them.
    let signatures: Vec<DkimCheck> = dkim
        .map(|d| d.signatures.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|s| !s.is_not_rechecked())
        .cloned()
        .collect();
    let evaluation = dmarc::evaluate(domain, spf_identity, &signatures, dns).await;
    live.result = evaluation.result;
    live.evaluation = Some(evaluation);
}

/// Each check's own DNS questions, from the evidence of them all.
fn file_evidence<R: Resolver>(live: &mut LiveChecks, dns: &Lookups<'_, R>) {
    if let Some(s) = live.spf.as_mut() {
        s.evidence = dns.evidence_for("spf");
    }
    if let Some(d) = live.dkim.as_mut() {
        d.evidence = dns.evidence_for("dkim");
    }
    if let Some(i) = live.iprev.as_mut() {
        i.evidence = dns.evidence_for("iprev");
    }
    if let Some(a) = live.arc.as_mut() {
        a.evidence = dns.evidence_for("arc");
    }
}

fn best(signatures: &[DkimCheck]) -> DkimResult {
    let rank = |r: DkimResult| match r {
        DkimResult::Pass => 0,
        DkimResult::Fail => 1,
        DkimResult::PermError => 2,
        DkimResult::TempError => 3,
        DkimResult::Unavailable => 4,
    };
    signatures
        .iter()
        .map(|s| s.result)
        .min_by_key(|r| rank(*r))
        .unwrap_or(DkimResult::PermError)
}

/// `signature_count`: the message's DKIM-Signature fields, listed or not.
fn comparisons(rec: &Recorded, live: &LiveChecks, signature_count: usize) -> Vec<ThenNow> {
    let mut out = Vec::new();
    if rec.spf.is_some() || live.spf.is_some() {
        out.push(compare(
            "spf",
            rec.spf.as_ref().map(|r| &*r.result),
            live.spf.as_ref().map(|s| s.result.as_str()),
        ));
    }
    if let Some(dkim) = &live.dkim {
        for sig in dkim.signatures.iter().filter(|s| !s.is_not_rechecked()) {
            let d = sig.domain.clone().unwrap_or_default();
            let then = rec.dkim.iter().find(|r| {
                r.properties.iter().any(|p| {
                    p.ptype == "header"
                        && (p.name == "d" || p.name == "i")
                        && p.value.to_ascii_lowercase().ends_with(&d)
                })
            });
            out.push(compare(
                &format!("dkim {d}"),
                then.map(|r| &*r.result),
                Some(sig.result.as_str()),
            ));
        }
        // The signatures past the limit, listed in the report or not: one
        // row for all of them.
        let rechecked = dkim
            .signatures
            .iter()
            .filter(|s| !s.is_not_rechecked())
            .count();
        let skipped = signature_count.saturating_sub(rechecked);
        if skipped > 0 {
            let mut row = compare(
                &format!("dkim ({skipped} more)"),
                None,
                Some(DkimResult::Unavailable.as_str()),
            );
            row.explanation = format!(
                "{skipped} more signature(s) not re-checked: limit of {} signatures (those aligned with From first, then top first); only what the receiver recorded is known for them.",
                dkim::MAX_LIVE_SIGNATURES
            );
            row.explanation_ja = format!(
                "ほかの {skipped} 個の署名は再チェックしていません（上限 {} 個。From と一致するものを先に、次に上から順に）。これらは受信サーバーの記録だけが分かっています。",
                dkim::MAX_LIVE_SIGNATURES
            );
            out.push(row);
        }
    }
    if rec.dmarc.is_some() || live.dmarc.is_some() {
        out.push(compare(
            "dmarc",
            rec.dmarc.as_ref().map(|r| &*r.result),
            live.dmarc.as_ref().map(|d| d.result.as_str()),
        ));
    }
    if rec.arc.is_some() || live.arc.is_some() {
        out.push(compare(
            "arc",
            rec.arc.as_ref().map(|r| &*r.result),
            live.arc.as_ref().map(|a| a.check.result.as_str()),
        ));
    }
    if rec.iprev.is_some() || live.iprev.is_some() {
        out.push(compare(
            "iprev",
            rec.iprev.as_ref().map(|r| &*r.result),
            live.iprev.as_ref().map(|i| i.check.result.as_str()),
        ));
    }
    out
}

fn classify(answer: &DnsAnswer) -> DmarcLookup {
    match answer.rcode {
        Rcode::NoError | Rcode::NxDomain => {
            let mut found: Vec<String> = answer
                .txt()
                .filter(|t| dmarc::is_dmarc(t))
                .map(str::to_string)
                .collect();
            match found.len() {
                0 => DmarcLookup::None {
                    rcode: answer.rcode,
                },
                1 => {
                    let record = found.remove(0);
                    DmarcLookup::Found {
                        policy: policy_of(&record),
                        record,
                    }
                }
                _ => DmarcLookup::Multiple { records: found },
            }
        }
        rcode => DmarcLookup::Temperror { rcode },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::dns::FixtureResolver;

    fn run(resolver: &FixtureResolver, domain: &str) -> DmarcLookup {
        pollster::block_on(dmarc_lookup(domain, &Lookups::new(resolver))).lookup
    }

    #[test]
    fn evidence_lines_quote_txt_and_show_ttl_ad_failure_and_time() {
        let mut answer = DnsAnswer::records(vec![DnsRecord::Txt {
            ttl: 60,
            text: "v=spf1 -all".into(),
        }]);
        answer.authenticated = true;
        let mut e = DnsEvidence {
            name: "x.test".into(),
            rtype: RecordType::Txt,
            provider: "p".into(),
            asked_by: vec!["spf".into()],
            outcome: DnsOutcome::Answer(answer),
            latency_ms: Some(31),
        };
        assert_eq!(
            e.summary(),
            "x.test TXT → \"v=spf1 -all\" (TTL 60), DNSSEC-validated (AD) [31 ms]"
        );
        e.outcome = DnsOutcome::Answer(DnsAnswer::rcode(Rcode::NxDomain));
        e.latency_ms = None;
        assert_eq!(e.summary(), "x.test TXT → NxDomain, no records");
        e.outcome = DnsOutcome::Failure(DnsFailure::DeadlineExceeded { limit_ms: 20_000 });
        assert!(e.summary().contains("time limit (20000 ms) ran out"));
    }

    #[test]
    fn finds_the_one_dmarc_record_among_other_txt() {
        let r = FixtureResolver::new()
            .txt("_dmarc.example.com", "google-site-verification=abc")
            .txt(
                "_dmarc.example.com",
                "v=DMARC1; p=reject; rua=mailto:x@example.com",
            );
        assert_eq!(
            run(&r, "Example.com."),
            DmarcLookup::Found {
                record: "v=DMARC1; p=reject; rua=mailto:x@example.com".into(),
                policy: Some("reject".into()),
            }
        );
    }

    #[test]
    fn nxdomain_and_nodata_and_other_txt_are_none() {
        let r = FixtureResolver::new().txt("_dmarc.other.test", "v=spf1 -all");
        assert_eq!(
            run(&r, "missing.test"),
            DmarcLookup::None {
                rcode: Rcode::NxDomain
            }
        );
        assert_eq!(
            run(&r, "other.test"),
            DmarcLookup::None {
                rcode: Rcode::NoError
            }
        );
    }

    #[test]
    fn a_record_must_start_with_the_version_tag() {
        let r = FixtureResolver::new().txt("_dmarc.late.test", "p=none; v=DMARC1");
        assert!(matches!(run(&r, "late.test"), DmarcLookup::None { .. }));
    }

    #[test]
    fn the_policy_shown_is_the_first_p_as_written() {
        assert_eq!(
            policy_of("v=DMARC1; junk; p = Reject ; p=none").as_deref(),
            Some("Reject")
        );
        assert_eq!(policy_of("v=DMARC1; P=none"), None);
        assert_eq!(policy_of("v=DMARC1; rua=mailto:a@b.test"), None);
    }

    #[test]
    fn two_records_are_reported_not_chosen_between() {
        let r = FixtureResolver::new()
            .txt("_dmarc.two.test", "v=DMARC1; p=none")
            .txt("_dmarc.two.test", "v=DMARC1; p=reject");
        assert!(
            matches!(run(&r, "two.test"), DmarcLookup::Multiple { records } if records.len() == 2)
        );
    }

    #[test]
    fn servfail_is_temperror_and_transport_failure_is_unavailable() {
        let r = FixtureResolver::new()
            .answer(
                "_dmarc.broken.test",
                RecordType::Txt,
                Ok(DnsAnswer::rcode(Rcode::ServFail)),
            )
            .answer(
                "_dmarc.blocked.test",
                RecordType::Txt,
                Err(DnsFailure::Http { status: 403 }),
            );
        assert_eq!(
            run(&r, "broken.test"),
            DmarcLookup::Temperror {
                rcode: Rcode::ServFail
            }
        );
        assert_eq!(
            run(&r, "blocked.test"),
            DmarcLookup::Unavailable {
                failure: DnsFailure::Http { status: 403 }
            }
        );
    }

    #[test]
    fn offline_resolver_is_unavailable_and_names_itself() {
        let resolver = crate::auth::dns::NullResolver;
        let live = pollster::block_on(dmarc_lookup("example.com", &Lookups::new(&resolver)));
        assert_eq!(
            live.lookup,
            DmarcLookup::Unavailable {
                failure: DnsFailure::Offline
            }
        );
        assert_eq!(live.result, DmarcResult::Unavailable);
        assert_eq!(live.evidence.provider, "offline");
        assert_eq!(live.evidence.name, "_dmarc.example.com");
    }
}
