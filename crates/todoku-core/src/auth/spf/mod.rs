//! SPF (RFC 7208): `check_host()` against live DNS, with a trace of every term
//! tried and the lookups it cost.
//!
//! [`record`] is the syntax, [`macros`] the macro language, and this module
//! the evaluation. DNS goes through [`Lookups`], so every answer is evidence.

pub mod macros;
pub mod record;

use std::fmt::Write as _;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;

use serde::Serialize;

use crate::auth::dns::{DnsAnswer, DnsFailure, DnsRecord, Rcode, RecordType};
use crate::auth::lookup::Lookups;
use macros::{MacroString, MacroValues, dotted_ip, parse_macro_prefix};
use record::{Directive, Mechanism, Qualifier, Record, is_spf1};

/// RFC 7208 section 4.6.4: at most ten terms that cause DNS queries.
pub const LOOKUP_LIMIT: u32 = 10;
/// RFC 7208 section 4.6.4: at most two lookups that find nothing.
pub const VOID_LIMIT: u32 = 2;

/// An SPF result (RFC 7208 section 2.6), plus `unavailable` for a check that
/// could not be made because the resolver itself was unreachable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum SpfResult {
    /// The address is authorised.
    Pass,
    /// The address is explicitly not authorised.
    Fail,
    /// Probably not authorised (`~`).
    SoftFail,
    /// No statement (`?`, or nothing matched).
    Neutral,
    /// No SPF record, or no valid domain to check.
    None,
    /// A transient DNS error at the domain's servers.
    TempError,
    /// The domain's record is broken.
    PermError,
    /// Not an SPF result: the resolver could not be asked.
    Unavailable,
}

impl SpfResult {
    /// The result word as Received-SPF / Authentication-Results write it.
    pub fn as_str(self) -> &'static str {
        match self {
            SpfResult::Pass => "pass",
            SpfResult::Fail => "fail",
            SpfResult::SoftFail => "softfail",
            SpfResult::Neutral => "neutral",
            SpfResult::None => "none",
            SpfResult::TempError => "temperror",
            SpfResult::PermError => "permerror",
            SpfResult::Unavailable => "unavailable",
        }
    }

    fn of(qualifier: Qualifier) -> SpfResult {
        match qualifier {
            Qualifier::Pass => SpfResult::Pass,
            Qualifier::Fail => SpfResult::Fail,
            Qualifier::SoftFail => SpfResult::SoftFail,
            Qualifier::Neutral => SpfResult::Neutral,
        }
    }
}

/// One step of the evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SpfStep {
    /// Nesting: 0 for the checked domain, 1 inside its include/redirect, ...
    pub depth: u32,
    /// The domain whose record holds the term.
    pub domain: String,
    /// The term as written (or `record` for the record lookup itself).
    pub term: String,
    /// What came of it (in the JSON, the English words: `none`, `found:
    /// v=spf1 …`, `2 records`, `matched: softfail`, `no match`, `redirect
    /// to …`, or the DNS failure).
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub outcome: SpfOutcome,
}

/// What came of one step of the SPF evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpfOutcome {
    /// The domain publishes no SPF record.
    NoRecord,
    /// The domain's one SPF record.
    Found(String),
    /// The domain publishes several SPF records (a permerror).
    Records(usize),
    /// The term matched: its qualifier's result.
    Matched(SpfResult),
    /// The term did not match.
    NoMatch,
    /// The record redirects to this domain.
    Redirect(String),
    /// The lookup failed (the reason, in English).
    Failed(String),
}

impl SpfOutcome {
    /// The outcome in `lang`.
    pub fn sentence(&self, lang: crate::wording::Lang) -> String {
        use crate::wording::Lang::{En, Ja};
        match (self, lang) {
            (SpfOutcome::NoRecord, En) => "none".to_string(),
            (SpfOutcome::NoRecord, Ja) => "レコードなし".to_string(),
            (SpfOutcome::Found(record), En) => format!("found: {record}"),
            (SpfOutcome::Found(record), Ja) => format!("レコード：{record}"),
            (SpfOutcome::Records(n), En) => format!("{n} records"),
            (SpfOutcome::Records(n), Ja) => format!("レコードが {n} 個"),
            (SpfOutcome::Matched(r), En) => format!("matched: {}", r.as_str()),
            (SpfOutcome::Matched(r), Ja) => format!("一致：{}", r.as_str()),
            (SpfOutcome::NoMatch, En) => "no match".to_string(),
            (SpfOutcome::NoMatch, Ja) => "一致せず".to_string(),
            (SpfOutcome::Redirect(target), En) => format!("redirect to {target}"),
            (SpfOutcome::Redirect(target), Ja) => format!("{target} へ redirect"),
            (SpfOutcome::Failed(reason), En) => reason.clone(),
            (SpfOutcome::Failed(reason), Ja) => {
                crate::wording::reasons::translate(reason, Ja, &|v| v.to_string())
            }
        }
    }
}

impl Serialize for SpfOutcome {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.sentence(crate::wording::Lang::En))
    }
}

/// The outcome of `check_host()` for one identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SpfCheck {
    /// The result word.
    pub result: SpfResult,
    /// The domain checked.
    pub domain: String,
    /// The client address.
    pub ip: IpAddr,
    /// The checked domain's record, when one was found.
    pub record: Option<String>,
    /// Why the result is an error, quoting the cause.
    pub reason: Option<String>,
    /// The domain's explanation (`exp=`) on fail: at most 512 characters,
    /// then "… [cut: N more characters]" when it was longer (of the record,
    /// only the first 2,048 octets are expanded; the rest is counted).
    pub explanation: Option<String>,
    /// Terms that cost a DNS lookup (limit 10).
    pub lookups: u32,
    /// Lookups that found nothing (limit 2).
    pub void_lookups: u32,
    /// Every term tried.
    pub trace: Vec<SpfStep>,
}

/// The most octets of an `exp=` explanation record read.
pub const EXPLANATION_READ: usize = 2048;

/// The most characters of an explanation kept; the rest is counted in a
/// closing "… [cut: N more characters]".
pub const EXPLANATION_CAP: usize = 512;

/// The identities `check_host()` needs.
#[derive(Debug, Clone)]
pub struct SpfRequest<'a> {
    /// The client address.
    pub ip: IpAddr,
    /// The MAIL FROM address; empty for a null sender (the HELO is used).
    pub mail_from: &'a str,
    /// The HELO/EHLO name.
    pub helo: &'a str,
    /// Time for the `%{t}` macro, Unix seconds.
    pub now: i64,
}

#[derive(Debug)]
enum Stop {
    Temp(String),
    Perm(String),
    Unavailable(DnsFailure),
}

struct Eval<'l, 'r, R> {
    dns: &'l Lookups<'r, R>,
    ip: IpAddr,
    sender: String,
    local: String,
    sender_domain: String,
    helo: String,
    now: i64,
    lookups: u32,
    voids: u32,
    trace: Vec<SpfStep>,
    round: u32,
}

type Boxed<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Check the MAIL FROM identity (or, for a null sender, the HELO identity).
pub async fn check<R: crate::auth::dns::Resolver>(
    request: &SpfRequest<'_>,
    dns: &Lookups<'_, R>,
) -> SpfCheck {
    let (local, domain) = match request.mail_from.rsplit_once('@') {
        Some((local, domain)) if !request.mail_from.is_empty() => (
            if local.is_empty() {
                "postmaster"
            } else {
                local
            },
            domain,
        ),
        _ if request.mail_from.is_empty() => ("postmaster", request.helo),
        _ => ("postmaster", request.mail_from),
    };
    check_host(request, local, domain, dns).await
}

/// Check the HELO identity (RFC 7208 section 2.3).
pub async fn check_helo<R: crate::auth::dns::Resolver>(
    request: &SpfRequest<'_>,
    dns: &Lookups<'_, R>,
) -> SpfCheck {
    check_host(request, "postmaster", request.helo, dns).await
}

async fn check_host<R: crate::auth::dns::Resolver>(
    request: &SpfRequest<'_>,
    local: &str,
    domain: &str,
    dns: &Lookups<'_, R>,
) -> SpfCheck {
    let ip = unmap(request.ip);
    let domain = domain.trim_end_matches('.').to_string();
    let mut eval = Eval {
        dns,
        ip,
        sender: format!("{local}@{domain}"),
        local: local.to_string(),
        sender_domain: domain.clone(),
        helo: request.helo.to_string(),
        now: request.now,
        lookups: 0,
        voids: 0,
        trace: Vec::new(),
        round: 0,
    };
    let mut check = SpfCheck {
        result: SpfResult::None,
        domain: domain.clone(),
        ip,
        record: None,
        reason: None,
        explanation: None,
        lookups: 0,
        void_lookups: 0,
        trace: Vec::new(),
    };
    if !valid_domain(&domain) {
        check.reason = Some(format!("not a valid domain to check: {domain:?}"));
        return check;
    }
    let outcome = eval.run(domain.clone(), 0, true).await;
    match outcome {
        Ok(Evaluated {
            result,
            explanation,
            record,
        }) => {
            check.result = result;
            check.explanation = explanation;
            check.record = record;
            if result == SpfResult::None {
                check.reason = Some(format!("{domain} publishes no SPF record"));
            }
        }
        Err(Stop::Temp(reason)) => {
            check.result = SpfResult::TempError;
            check.reason = Some(reason);
        }
        Err(Stop::Perm(reason)) => {
            check.result = SpfResult::PermError;
            check.reason = Some(reason);
        }
        Err(Stop::Unavailable(failure)) => {
            check.result = SpfResult::Unavailable;
            check.reason = Some(failure.to_string());
        }
    }
    if check.record.is_none() {
        check.record = eval
            .trace
            .iter()
            .find(|s| s.depth == 0 && s.term == "record")
            .and_then(|s| match &s.outcome {
                SpfOutcome::Found(record) => Some(record.clone()),
                _ => None,
            });
    }
    check.lookups = eval.lookups;
    check.void_lookups = eval.voids;
    check.trace = eval.trace;
    check
}

/// An IPv4-mapped IPv6 address is checked as IPv4.
fn unmap(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// RFC 7208 4.3: a multi-label name with labels of 1 to 63 octets.
fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|l| !l.is_empty() && l.len() <= 63)
        && !domain.starts_with('[')
}

struct Evaluated {
    result: SpfResult,
    explanation: Option<String>,
    record: Option<String>,
}

impl<R: crate::auth::dns::Resolver> Eval<'_, '_, R> {
    fn step(&mut self, depth: u32, domain: &str, term: &str, outcome: SpfOutcome) {
        self.trace.push(SpfStep {
            depth,
            domain: domain.to_string(),
            term: term.to_string(),
            outcome,
        });
    }

    fn values<'v>(&'v self, domain: &'v str, validated: Option<&'v str>) -> MacroValues<'v> {
        MacroValues {
            sender: &self.sender,
            local: &self.local,
            sender_domain: &self.sender_domain,
            domain,
            ip: self.ip,
            helo: &self.helo,
            validated,
            now: self.now,
        }
    }

    async fn ask(&mut self, name: &str, rtype: RecordType) -> Result<DnsAnswer, Stop> {
        self.round += 1;
        match self.dns.query(name, rtype, self.round, "spf").await {
            Ok(answer) => Ok(answer),
            Err(DnsFailure::InvalidName { name }) => {
                // Treated like a name that does not exist.
                let _ = name;
                Ok(DnsAnswer::rcode(Rcode::NxDomain))
            }
            Err(failure) => Err(Stop::Unavailable(failure)),
        }
    }

    /// Answer records of the asked type, or a temperror for a DNS failure.
    fn usable<'a>(
        answer: &'a DnsAnswer,
        name: &str,
        rtype: RecordType,
    ) -> Result<Vec<&'a DnsRecord>, Stop> {
        match answer.rcode {
            Rcode::NoError | Rcode::NxDomain => Ok(answer
                .records
                .iter()
                .filter(|r| record_type(r) == rtype)
                .collect()),
            rcode => Err(Stop::Temp(format!(
                "DNS error {rcode:?} looking up {} {name}",
                rtype.as_str()
            ))),
        }
    }

    fn void(&mut self, name: &str) -> Result<(), Stop> {
        self.voids += 1;
        if self.voids > VOID_LIMIT {
            return Err(Stop::Perm(format!(
                "more than {VOID_LIMIT} lookups found nothing (the last: {name})"
            )));
        }
        Ok(())
    }

    fn count(&mut self, term: &str) -> Result<(), Stop> {
        self.lookups += 1;
        if self.lookups > LOOKUP_LIMIT {
            return Err(Stop::Perm(format!(
                "more than {LOOKUP_LIMIT} DNS-querying terms (the 11th: {term})"
            )));
        }
        Ok(())
    }

    /// Look up and select the domain's one SPF record.
    async fn fetch_record(&mut self, domain: &str, depth: u32) -> Result<Option<String>, Stop> {
        let answer = self.ask(domain, RecordType::Txt).await?;
        let records = Self::usable(&answer, domain, RecordType::Txt).inspect_err(|e| {
            if let Stop::Temp(reason) = e {
                self.trace.push(SpfStep {
                    depth,
                    domain: domain.to_string(),
                    term: "record".to_string(),
                    outcome: SpfOutcome::Failed(reason.clone()),
                });
            }
        })?;
        let spf: Vec<String> = records
            .iter()
            .filter_map(|r| match r {
                DnsRecord::Txt { text, .. } if is_spf1(text) => Some(text.clone()),
                _ => None,
            })
            .collect();
        match spf.as_slice() {
            [] => {
                self.step(depth, domain, "record", SpfOutcome::NoRecord);
                Ok(None)
            }
            [one] => {
                self.step(depth, domain, "record", SpfOutcome::Found(one.clone()));
                Ok(Some(one.clone()))
            }
            many => {
                self.step(depth, domain, "record", SpfOutcome::Records(many.len()));
                Err(Stop::Perm(format!(
                    "{domain} publishes {} SPF records; exactly one is allowed",
                    many.len()
                )))
            }
        }
    }

    fn run(&mut self, domain: String, depth: u32, top: bool) -> Boxed<'_, Result<Evaluated, Stop>> {
        Box::pin(async move {
            let Some(text) = self.fetch_record(&domain, depth).await? else {
                return Ok(Evaluated {
                    result: SpfResult::None,
                    explanation: None,
                    record: None,
                });
            };
            let record = record::parse(&text)
                .map_err(|e| Stop::Perm(format!("syntax error in {domain}'s record: {e}")))?;
            for directive in &record.directives {
                if directive.mechanism.counts_lookup() {
                    self.count(&directive.text)?;
                }
                if self.matches(directive, &domain, depth).await? {
                    let result = SpfResult::of(directive.qualifier);
                    self.step(depth, &domain, &directive.text, SpfOutcome::Matched(result));
                    let explanation = if top && result == SpfResult::Fail {
                        self.explain(&record, &domain).await
                    } else {
                        None
                    };
                    return Ok(Evaluated {
                        result,
                        explanation,
                        record: Some(text),
                    });
                }
                self.step(depth, &domain, &directive.text, SpfOutcome::NoMatch);
            }
            // RFC 7208 6.1: redirect applies only when nothing matched and
            // the record has no "all" (which always matches, so we're here
            // only without one).
            if let Some((spec, term)) = &record.redirect {
                self.count(term)?;
                let target = self.expand_domain(spec, &domain).await?;
                self.step(depth, &domain, term, SpfOutcome::Redirect(target.clone()));
                if !valid_domain(&target) {
                    return Err(Stop::Perm(format!(
                        "redirect to an invalid domain: {target:?}"
                    )));
                }
                let inner = self.run(target.clone(), depth + 1, top).await?;
                if inner.result == SpfResult::None {
                    return Err(Stop::Perm(format!(
                        "redirect target {target} publishes no SPF record"
                    )));
                }
                return Ok(Evaluated {
                    result: inner.result,
                    explanation: inner.explanation,
                    record: Some(text),
                });
            }
            Ok(Evaluated {
                result: SpfResult::Neutral,
                explanation: None,
                record: Some(text),
            })
        })
    }

    /// Expand a domain-spec, truncating over-long results from the left
    /// (RFC 7208 7.3); a permerror past [`macros::MAX_EXPANDED`] characters
    /// or [`macros::MAX_VALUE_READ`] octets of macro values.
    async fn expand_domain(&mut self, spec: &MacroString, domain: &str) -> Result<String, Stop> {
        let validated = if spec.uses('p') {
            self.validated_name(None).await?
        } else {
            None
        };
        let mut name = spec
            .expand(&self.values(domain, validated.as_deref()))
            .map_err(|e| Stop::Perm(format!("macro expansion stopped: {}", e.0)))?;
        let mut trimmed = name.trim_end_matches('.');
        while trimmed.len() > 253 {
            match trimmed.split_once('.') {
                Some((_, rest)) => trimmed = rest,
                None => break,
            }
        }
        name = trimmed.to_string();
        Ok(name)
    }

    /// The target of `a`, `mx` or `ptr`: the expanded domain-spec, or the
    /// current domain when the term names none.
    async fn target(&mut self, spec: Option<&MacroString>, domain: &str) -> Result<String, Stop> {
        match spec {
            Some(spec) => self.expand_domain(spec, domain).await,
            None => Ok(domain.to_string()),
        }
    }

    async fn matches(&mut self, d: &Directive, domain: &str, depth: u32) -> Result<bool, Stop> {
        match &d.mechanism {
            Mechanism::All => Ok(true),
            Mechanism::Ip4(net, len) => Ok(match self.ip {
                IpAddr::V4(ip) => prefix_eq(&ip.octets(), &net.octets(), *len),
                IpAddr::V6(_) => false,
            }),
            Mechanism::Ip6(net, len) => Ok(match self.ip {
                IpAddr::V6(ip) => prefix_eq(&ip.octets(), &net.octets(), *len),
                IpAddr::V4(_) => false,
            }),
            Mechanism::A {
                domain: spec,
                v4,
                v6,
            } => {
                let target = self.target(spec.as_ref(), domain).await?;
                self.address_match(&target, *v4, *v6, true).await
            }
            Mechanism::Mx {
                domain: spec,
                v4,
                v6,
            } => {
                let target = self.target(spec.as_ref(), domain).await?;
                if !valid_domain(&target) {
                    self.void(&target)?;
                    return Ok(false);
                }
                let answer = self.ask(&target, RecordType::Mx).await?;
                let records = Self::usable(&answer, &target, RecordType::Mx)?;
                let hosts: Vec<String> = records
                    .iter()
                    .filter_map(|r| match r {
                        DnsRecord::Mx { exchange, .. } => Some(exchange.clone()),
                        _ => None,
                    })
                    .collect();
                if hosts.is_empty() {
                    self.void(&target)?;
                    return Ok(false);
                }
                if hosts.len() > 10 {
                    return Err(Stop::Perm(format!(
                        "{target} has {} MX records; SPF allows 10",
                        hosts.len()
                    )));
                }
                for host in hosts {
                    if self.address_match(&host, *v4, *v6, false).await? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Mechanism::Ptr(spec) => {
                let target = self.target(spec.as_ref(), domain).await?;
                let validated = self.validated_name(Some(&target)).await?;
                Ok(validated.is_some())
            }
            Mechanism::Exists(spec) => {
                let target = self.expand_domain(spec, domain).await?;
                if !valid_domain(&target) {
                    self.void(&target)?;
                    return Ok(false);
                }
                let answer = self.ask(&target, RecordType::A).await?;
                let found = !Self::usable(&answer, &target, RecordType::A)?.is_empty();
                if !found {
                    self.void(&target)?;
                }
                Ok(found)
            }
            Mechanism::Include(spec) => {
                let target = self.expand_domain(spec, domain).await?;
                if !valid_domain(&target) {
                    return Err(Stop::Perm(format!(
                        "include of an invalid domain: {target:?}"
                    )));
                }
                let inner = self.run(target.clone(), depth + 1, false).await?;
                match inner.result {
                    SpfResult::Pass => Ok(true),
                    SpfResult::Fail | SpfResult::SoftFail | SpfResult::Neutral => Ok(false),
                    SpfResult::None => Err(Stop::Perm(format!(
                        "include:{target} publishes no SPF record"
                    ))),
                    SpfResult::TempError => Err(Stop::Temp(format!("include:{target}: temperror"))),
                    SpfResult::PermError | SpfResult::Unavailable => {
                        Err(Stop::Perm(format!("include:{target}: permerror")))
                    }
                }
            }
        }
    }

    /// Does `name` have an address in the client's network? `void_counts`
    /// is false for the per-exchange lookups of `mx`.
    async fn address_match(
        &mut self,
        name: &str,
        v4: u8,
        v6: u8,
        void_counts: bool,
    ) -> Result<bool, Stop> {
        if !valid_domain(name) {
            if void_counts {
                self.void(name)?;
            }
            return Ok(false);
        }
        let rtype = match self.ip {
            IpAddr::V4(_) => RecordType::A,
            IpAddr::V6(_) => RecordType::Aaaa,
        };
        let answer = self.ask(name, rtype).await?;
        let records = Self::usable(&answer, name, rtype)?;
        if records.is_empty() && void_counts {
            self.void(name)?;
        }
        Ok(records.iter().any(|r| match (r, self.ip) {
            (DnsRecord::A { addr, .. }, IpAddr::V4(ip)) => {
                prefix_eq(&ip.octets(), &addr.octets(), v4)
            }
            (DnsRecord::Aaaa { addr, .. }, IpAddr::V6(ip)) => {
                prefix_eq(&ip.octets(), &addr.octets(), v6)
            }
            _ => false,
        }))
    }

    /// RFC 7208 5.5: the client's reverse names (at most 10) that resolve
    /// back to it; with `target`, the first that is `target` or under it.
    /// Without `target` (the `%{p}` macro), prefer the checked domain.
    async fn validated_name(&mut self, target: Option<&str>) -> Result<Option<String>, Stop> {
        let reverse = reverse_name(self.ip);
        let answer = match self.ask(&reverse, RecordType::Ptr).await {
            Ok(answer) => answer,
            Err(Stop::Unavailable(f)) => return Err(Stop::Unavailable(f)),
            Err(_) => return Ok(None),
        };
        let names = crate::auth::dns::ptr_names(&answer.records);
        if target.is_some() && names.is_empty() {
            self.void(&reverse)?;
        }
        let under = |name: &str, target: &str| {
            let (name, target) = (name.to_ascii_lowercase(), target.to_ascii_lowercase());
            let target = target.trim_end_matches('.');
            crate::header::text::within(&name, target)
        };
        let mut candidates: Vec<&String> = match target {
            Some(t) => names.iter().filter(|n| under(n, t)).collect(),
            None => names.iter().collect(),
        };
        if target.is_none() {
            let domain = self.sender_domain.clone();
            crate::order::by_key(&mut candidates, |n| u64::from(!under(n, &domain)));
        }
        let rtype = match self.ip {
            IpAddr::V4(_) => RecordType::A,
            IpAddr::V6(_) => RecordType::Aaaa,
        };
        for name in candidates {
            let Ok(answer) = self.ask(name, rtype).await else {
                continue;
            };
            let confirmed = answer.records.iter().any(|r| match (r, self.ip) {
                (DnsRecord::A { addr, .. }, IpAddr::V4(ip)) => *addr == ip,
                (DnsRecord::Aaaa { addr, .. }, IpAddr::V6(ip)) => *addr == ip,
                _ => false,
            });
            if confirmed {
                return Ok(Some(name.clone()));
            }
        }
        Ok(None)
    }

    /// The `exp=` explanation; any problem means no explanation. At most
    /// [`EXPLANATION_READ`] octets of the record are read and
    /// [`EXPLANATION_CAP`] characters of its expansion kept, then a marker
    /// says how many more there were.
    async fn explain(&mut self, record: &Record, domain: &str) -> Option<String> {
        let spec = record.exp.as_ref()?;
        let target = self.expand_domain(spec, domain).await.ok()?;
        if !valid_domain(&target) {
            return None;
        }
        let answer = self.ask(&target, RecordType::Txt).await.ok()?;
        let texts: Vec<&str> = answer.txt().collect();
        let [text] = texts.as_slice() else {
            return None;
        };
        let (macro_text, read) = parse_macro_prefix(text, true, EXPLANATION_READ).ok()?;
        let unread = text.get(read..).map_or(0, |t| t.chars().count());
        let validated = if macro_text.uses('p') {
            self.validated_name(None).await.ok()?
        } else {
            None
        };
        let expansion = macro_text
            .expand_capped(&self.values(domain, validated.as_deref()), EXPLANATION_CAP)
            .ok()?;
        let more = expansion.more + unread;
        let mut explanation = expansion.text;
        if more > 0 {
            let _ = write!(explanation, "… [cut: {more} more characters]");
        }
        Some(explanation)
    }
}

fn record_type(record: &DnsRecord) -> RecordType {
    match record {
        DnsRecord::Txt { .. } => RecordType::Txt,
        DnsRecord::A { .. } => RecordType::A,
        DnsRecord::Aaaa { .. } => RecordType::Aaaa,
        DnsRecord::Mx { .. } => RecordType::Mx,
        DnsRecord::Ptr { .. } => RecordType::Ptr,
        DnsRecord::Cname { .. } => RecordType::Cname,
    }
}

/// Whether the first `len` bits of `a` and `b` agree.
fn prefix_eq(a: &[u8], b: &[u8], len: u8) -> bool {
    let len = usize::from(len);
    let full = len / 8;
    let rest = len % 8;
    if a.get(..full) != b.get(..full) {
        return false;
    }
    if rest == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rest);
    match (a.get(full), b.get(full)) {
        (Some(x), Some(y)) => x & mask == y & mask,
        _ => false,
    }
}

/// `4.3.2.1.in-addr.arpa` / nibble `ip6.arpa` name for a PTR lookup.
pub fn reverse_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, d] = v4.octets();
            format!("{d}.{c}.{b}.{a}.in-addr.arpa")
        }
        IpAddr::V6(_) => {
            let dotted = dotted_ip(ip);
            let mut nibbles: Vec<&str> = dotted.split('.').collect();
            nibbles.reverse();
            format!("{}.ip6.arpa", nibbles.join("."))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::dns::FixtureResolver;

    fn run(resolver: &FixtureResolver, ip: &str, from: &str) -> SpfCheck {
        let lookups = Lookups::new(resolver);
        let request = SpfRequest {
            ip: ip.parse().unwrap(),
            mail_from: from,
            helo: "mail.example.net",
            now: 0,
        };
        pollster::block_on(check(&request, &lookups))
    }

    #[test]
    fn softfail_names_the_record_and_traces_the_terms() {
        let r = FixtureResolver::new().txt("example.com", "v=spf1 ip4:192.0.2.0/24 ~all");
        let c = run(&r, "203.0.113.9", "a@example.com");
        assert_eq!(c.result, SpfResult::SoftFail);
        assert_eq!(c.record.as_deref(), Some("v=spf1 ip4:192.0.2.0/24 ~all"));
        let terms: Vec<_> = c
            .trace
            .iter()
            .map(|s| (s.term.clone(), s.outcome.sentence(crate::wording::Lang::En)))
            .collect();
        let terms: Vec<(&str, &str)> = terms
            .iter()
            .map(|(t, o)| (t.as_str(), o.as_str()))
            .collect();
        assert_eq!(
            terms,
            [
                ("record", "found: v=spf1 ip4:192.0.2.0/24 ~all"),
                ("ip4:192.0.2.0/24", "no match"),
                ("~all", "matched: softfail")
            ]
        );
        assert_eq!(
            run(&r, "192.0.2.77", "a@example.com").result,
            SpfResult::Pass
        );
    }

    #[test]
    fn include_loop_hits_the_lookup_limit() {
        let r = FixtureResolver::new().txt("loop.test", "v=spf1 include:loop.test -all");
        let c = run(&r, "192.0.2.1", "a@loop.test");
        assert_eq!(c.result, SpfResult::PermError);
        assert_eq!(c.lookups, 11);
        assert!(c.reason.unwrap().contains("more than 10"));
    }

    #[test]
    fn unreachable_resolver_is_not_an_spf_result() {
        let r = FixtureResolver::new().answer(
            "example.com",
            RecordType::Txt,
            Err(DnsFailure::Http { status: 403 }),
        );
        let c = run(&r, "192.0.2.1", "a@example.com");
        assert_eq!(c.result, SpfResult::Unavailable);
    }

    /// Issue 19 item 6: a 50 KB `exp=` record became a 50 KB explanation
    /// (182,500 characters with macros). Now 2,048 octets of it are read,
    /// 512 characters kept, and the rest counted in the marker.
    #[test]
    fn a_50_kb_explanation_is_cut_with_a_marker() {
        let sender = "a@example.com";
        let marker = |n: usize| format!("… [cut: {n} more characters]");
        // Literal text after one macro.
        let text = format!("%{{s}} is not allowed. {}", "A".repeat(50_000));
        let r = FixtureResolver::new()
            .txt("example.com", "v=spf1 -all exp=why.example.com")
            .txt("why.example.com", &text);
        let c = run(&r, "192.0.2.1", sender);
        assert_eq!(c.result, SpfResult::Fail);
        let explanation = c.explanation.unwrap();
        // The whole expansion: the sender, then the record after `%{s}`.
        let full = sender.len() + text.len() - "%{s}".len();
        let expected_start = format!("{sender} is not allowed. AAA");
        assert!(explanation.starts_with(&expected_start));
        assert!(explanation.ends_with(&marker(full - EXPLANATION_CAP)));
        assert_eq!(
            explanation.chars().count(),
            EXPLANATION_CAP + marker(full - EXPLANATION_CAP).chars().count()
        );

        // Nothing but macros: 12,500 of `%{s}`; 512 of them are read.
        let text = "%{s}".repeat(12_500);
        let r = FixtureResolver::new()
            .txt("example.com", "v=spf1 -all exp=why.example.com")
            .txt("why.example.com", &text);
        let explanation = run(&r, "192.0.2.1", sender).explanation.unwrap();
        let read = EXPLANATION_READ / "%{s}".len();
        let more = read * sender.len() - EXPLANATION_CAP + (text.len() - EXPLANATION_READ);
        assert_eq!(
            explanation,
            format!(
                "{}{}",
                sender.repeat(40).get(..EXPLANATION_CAP).unwrap(),
                marker(more)
            )
        );

        // A short one is whole, without a marker.
        let r = FixtureResolver::new()
            .txt("example.com", "v=spf1 -all exp=why.example.com")
            .txt("why.example.com", "%{i} is not one of our servers");
        assert_eq!(
            run(&r, "192.0.2.1", sender).explanation.as_deref(),
            Some("192.0.2.1 is not one of our servers")
        );
    }

    /// Issue 19 item 6: macro expansion of a domain-spec was unbounded: a
    /// long local part repeated by `%{l}` grew without limit (then RFC 7208
    /// 7.3 cut it to 253), and `%{l1}` read the whole value for each copy
    /// while writing one label. Past 4,096 characters of expansion or 8,192
    /// octets of values read, the record is a permerror.
    #[test]
    fn macro_heavy_domain_specs_are_bounded_permerrors() {
        let long_local = format!("{}@example.com", "a".repeat(1_000));
        let r = FixtureResolver::new().txt(
            "example.com",
            "v=spf1 exists:%{l}%{l}%{l}%{l}%{l}.example.com -all",
        );
        let c = run(&r, "192.0.2.1", &long_local);
        assert_eq!(c.result, SpfResult::PermError);
        assert!(c.reason.unwrap().contains("more than 4096 characters"));
        // Four copies, 4,000 characters and a dot-free 1,000-octet label:
        // under the bound, so the usual handling (invalid name, void lookup).
        let r = FixtureResolver::new().txt(
            "example.com",
            "v=spf1 exists:%{l}%{l}%{l}%{l}.example.com -all",
        );
        assert_eq!(run(&r, "192.0.2.1", &long_local).result, SpfResult::Fail);

        // One short label per copy, but the whole 99-octet local part read
        // each time: 100 copies read 9,900 octets.
        let dotted = format!("{}a@example.com", "a.".repeat(49));
        let spec = "%{l1}".repeat(100);
        let r = FixtureResolver::new().txt(
            "example.com",
            &format!("v=spf1 exists:{spec}.example.com -all"),
        );
        let c = run(&r, "192.0.2.1", &dotted);
        assert_eq!(c.result, SpfResult::PermError);
        assert!(c.reason.unwrap().contains("more than 8192 octets"));
        // 80 copies read 7,920: the name is made (and found to be void).
        let spec = "%{l1}".repeat(80);
        let r = FixtureResolver::new().txt(
            "example.com",
            &format!("v=spf1 exists:{spec}.example.com -all"),
        );
        let c = run(&r, "192.0.2.1", &dotted);
        assert_eq!(c.result, SpfResult::Fail);
        assert!(
            c.trace
                .iter()
                .any(|s| s.domain == "example.com" && s.term.starts_with("exists:")),
            "{:?}",
            c.trace
        );
    }

    #[test]
    fn reverse_names() {
        assert_eq!(
            reverse_name("192.0.2.3".parse().unwrap()),
            "3.2.0.192.in-addr.arpa"
        );
        assert!(reverse_name("2001:db8::1".parse().unwrap()).starts_with("1.0.0.0."));
        assert!(reverse_name("2001:db8::1".parse().unwrap()).ends_with("8.B.D.0.1.0.0.2.ip6.arpa"));
    }

    /// The step outcomes became an enum (issue 18): the JSON keeps its
    /// words, and each outcome has its Japanese.
    #[test]
    fn step_outcomes_keep_their_json_words_and_read_in_japanese() {
        use crate::wording::Lang;
        for (outcome, json, ja) in [
            (SpfOutcome::NoRecord, "none", "レコードなし"),
            (
                SpfOutcome::Found("v=spf1 -all".into()),
                "found: v=spf1 -all",
                "レコード：v=spf1 -all",
            ),
            (SpfOutcome::Records(2), "2 records", "レコードが 2 個"),
            (
                SpfOutcome::Matched(SpfResult::SoftFail),
                "matched: softfail",
                "一致：softfail",
            ),
            (SpfOutcome::NoMatch, "no match", "一致せず"),
            (
                SpfOutcome::Redirect("_spf.example.com".into()),
                "redirect to _spf.example.com",
                "_spf.example.com へ redirect",
            ),
        ] {
            assert_eq!(serde_json::to_value(&outcome).unwrap(), json);
            assert_eq!(outcome.sentence(Lang::Ja), ja);
        }
    }
}
