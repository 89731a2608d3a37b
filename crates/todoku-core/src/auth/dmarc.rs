//! DMARC (RFC 9989, with RFC 7489 noted where it differs): record syntax,
//! policy discovery and the Organizational Domain by DNS tree walk, identifier
//! alignment, and the result for the live SPF and DKIM checks.
//!
//! The tree walk replaces RFC 7489's public suffix list, so the browser needs
//! no 200 KB list that is out of date the day it ships.

use serde::Serialize;

use crate::auth::dkim::{DkimCheck, DkimResult};
use crate::auth::dns::{DnsFailure, Rcode, RecordType, Resolver};
use crate::auth::lookup::Lookups;
use crate::auth::spf::{SpfCheck, SpfResult};
use crate::header::tags::TagList;
use crate::header::text::within;

/// A requested handling policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Policy {
    /// Monitor only.
    None,
    /// Treat as suspicious (spam folder).
    Quarantine,
    /// Reject.
    Reject,
}

impl Policy {
    /// The policy named `value` (any case).
    pub fn parse(value: &str) -> Option<Policy> {
        match value.to_ascii_lowercase().as_str() {
            "none" => Some(Policy::None),
            "quarantine" => Some(Policy::Quarantine),
            "reject" => Some(Policy::Reject),
            _ => None,
        }
    }

    /// The word.
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::None => "none",
            Policy::Quarantine => "quarantine",
            Policy::Reject => "reject",
        }
    }
}

/// A parsed DMARC record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DmarcRecord {
    /// `p=`.
    pub p: Policy,
    /// `sp=`: for subdomains.
    pub sp: Option<Policy>,
    /// `np=`: for subdomains that do not exist (RFC 9989).
    pub np: Option<Policy>,
    /// `adkim=s`.
    pub strict_dkim: bool,
    /// `aspf=s`.
    pub strict_spf: bool,
    /// `pct=` (RFC 7489 only; RFC 9989 replaced it with `t=`).
    pub pct: Option<u8>,
    /// `t=y` (RFC 9989): testing, the policy is not applied in full.
    pub testing: bool,
    /// `psd=`: `y` a public suffix domain, `n` an organizational domain.
    pub psd: Option<char>,
    /// `rua=` addresses.
    pub rua: Vec<String>,
}

/// Parse a DMARC record; errors quote the bad tag.
pub fn parse_record(text: &str) -> Result<DmarcRecord, String> {
    if text.trim().is_empty() {
        return Err("the record is empty".to_string());
    }
    let mut record = DmarcRecord {
        p: Policy::None,
        sp: None,
        np: None,
        strict_dkim: false,
        strict_spf: false,
        pct: None,
        testing: false,
        psd: None,
        rua: Vec::new(),
    };
    let mut p = None;
    let list = TagList::parse(text);
    // Names are not case-sensitive here, unknown ones are ignored and the
    // last of a name counts.
    for tag in list.record_tags() {
        let tag = tag?;
        let (name, value, index) = (tag.name.to_ascii_lowercase(), tag.value, tag.index);
        let tag = tag.text;
        let bad = || format!("bad value in {tag:?}");
        if index == 0 {
            if name != "v" || value != "DMARC1" {
                return Err(format!("a DMARC record starts with v=DMARC1, not {tag:?}"));
            }
            continue;
        }
        match name.as_str() {
            "p" => p = Some(Policy::parse(value).ok_or_else(bad)?),
            "sp" => record.sp = Some(Policy::parse(value).ok_or_else(bad)?),
            "np" => record.np = Some(Policy::parse(value).ok_or_else(bad)?),
            "adkim" | "aspf" => {
                let strict = match value.to_ascii_lowercase().as_str() {
                    "s" => true,
                    "r" => false,
                    _ => return Err(bad()),
                };
                if name == "adkim" {
                    record.strict_dkim = strict;
                } else {
                    record.strict_spf = strict;
                }
            }
            "pct" => {
                let n: u8 = value.parse().map_err(|_| bad())?;
                if n > 100 {
                    return Err(bad());
                }
                record.pct = Some(n);
            }
            "t" => {
                record.testing = match value.to_ascii_lowercase().as_str() {
                    "y" => true,
                    "n" => false,
                    _ => return Err(bad()),
                }
            }
            "psd" => {
                let v = value.to_ascii_lowercase();
                record.psd = match v.as_str() {
                    "y" | "n" | "u" => v.chars().next(),
                    _ => return Err(bad()),
                }
            }
            "rf" => {
                if !value
                    .split(':')
                    .all(|f| matches!(f.trim().to_ascii_lowercase().as_str(), "afrf" | "iodef"))
                {
                    return Err(bad());
                }
            }
            "ri" => {
                value.parse::<u32>().map_err(|_| bad())?;
            }
            "rua" => {
                record.rua = value.split(',').map(|u| u.trim().to_string()).collect();
            }
            _ => {}
        }
    }
    match p {
        Some(p) => record.p = p,
        // RFC 7489 6.6.3: without p=, a record with rua= is read as p=none.
        None if !record.rua.is_empty() => record.p = Policy::None,
        None => return Err("the record has no p= (policy) tag".to_string()),
    }
    Ok(record)
}

/// Whether a TXT string is a DMARC record: its first tag is `v=DMARC1`.
pub(crate) fn is_dmarc(text: &str) -> bool {
    TagList::parse(text)
        .tags()
        .first()
        .is_some_and(|t| t.index == 0 && t.name == "v" && t.value == "DMARC1")
}

/// Lower-case, without leading or trailing dots.
pub fn normalise(domain: &str) -> String {
    domain.trim_matches('.').to_ascii_lowercase()
}

/// The names the tree walk asks, in order (RFC 9989 4.10): the domain, then
/// at most four labels, then one label fewer each time.
pub fn walk_targets(domain: &str) -> Vec<String> {
    let domain = normalise(domain);
    let labels: Vec<&str> = domain.split('.').filter(|l| !l.is_empty()).collect();
    let mut out = vec![labels.join(".")];
    let mut count = labels.len();
    if count == 0 {
        return out;
    }
    count = if count >= 5 { 4 } else { count - 1 };
    while count >= 1 {
        let start = labels.len() - count;
        out.push(labels.get(start..).unwrap_or_default().join("."));
        count -= 1;
    }
    out
}

/// One step of the walk: what `_dmarc.<name>` held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WalkStep {
    /// The domain asked about.
    pub domain: String,
    /// Its one valid DMARC record, if it had exactly one.
    pub record: Option<String>,
    /// Why the step found nothing usable, if it did not.
    pub note: Option<String>,
}

enum Found {
    Record(String, DmarcRecord),
    Nothing(String),
}

async fn ask<R: Resolver>(dns: &Lookups<'_, R>, domain: &str, round: u32) -> Result<Found, Stop> {
    let name = format!("_dmarc.{domain}");
    match dns.query(&name, RecordType::Txt, round, "dmarc").await {
        Ok(answer) => match answer.rcode {
            Rcode::NoError | Rcode::NxDomain => {
                let records: Vec<&str> = answer.txt().filter(|t| is_dmarc(t)).collect();
                match records.as_slice() {
                    [] => Ok(Found::Nothing("no record".to_string())),
                    [one] => match parse_record(one) {
                        Ok(parsed) => Ok(Found::Record((*one).to_string(), parsed)),
                        Err(e) => Ok(Found::Nothing(format!("invalid record: {e}"))),
                    },
                    many => Ok(Found::Nothing(format!(
                        "{} records; RFC 9989 says to use none",
                        many.len()
                    ))),
                }
            }
            rcode => Err(Stop::Temp(format!("DNS error {rcode:?} looking up {name}"))),
        },
        Err(failure) => Err(Stop::Unavailable(failure)),
    }
}

/// Every `_dmarc` name of a tree walk asked at once (they are independent;
/// the walk then reads the answers in order), so a walk costs one round.
async fn walk_all<R: Resolver>(
    dns: &Lookups<'_, R>,
    targets: &[String],
) -> Vec<Result<Found, Stop>> {
    crate::auth::lookup::join_all(targets.iter().map(|t| ask(dns, t, 1)).collect()).await
}

enum Stop {
    Temp(String),
    Unavailable(DnsFailure),
}

/// The Organizational Domain of `domain` by tree walk (RFC 9989 4.10.2).
pub async fn organizational_domain<R: Resolver>(
    domain: &str,
    dns: &Lookups<'_, R>,
) -> Result<String, String> {
    let targets = walk_targets(domain);
    let mut fewest: Option<String> = None;
    let answers = walk_all(dns, &targets).await;
    for (i, (target, found)) in targets.iter().zip(answers).enumerate() {
        let found = found.map_err(|s| match s {
            Stop::Temp(r) => r,
            Stop::Unavailable(f) => f.to_string(),
        })?;
        if let Found::Record(_, record) = found {
            match record.psd {
                Some('n') => return Ok(target.clone()),
                Some('y') if i > 0 => {
                    // The domain one label below the public suffix domain.
                    let labels: Vec<&str> = targets
                        .first()
                        .map(|d| d.split('.').collect())
                        .unwrap_or_default();
                    let keep = target.split('.').count() + 1;
                    let below = labels
                        .get(labels.len().saturating_sub(keep)..)
                        .unwrap_or_default()
                        .join(".");
                    return Ok(below);
                }
                _ => fewest = Some(target.clone()),
            }
        }
    }
    Ok(fewest.unwrap_or_else(|| normalise(domain)))
}

/// DMARC's result word, plus `unavailable` for a check the resolver could not make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum DmarcResult {
    /// An aligned SPF or DKIM pass.
    Pass,
    /// Neither aligned.
    Fail,
    /// No policy published.
    None,
    /// DNS failed at the domain's servers.
    TempError,
    /// Not a DMARC result: the resolver could not be asked.
    Unavailable,
}

impl DmarcResult {
    /// The word.
    pub fn as_str(self) -> &'static str {
        match self {
            DmarcResult::Pass => "pass",
            DmarcResult::Fail => "fail",
            DmarcResult::None => "none",
            DmarcResult::TempError => "temperror",
            DmarcResult::Unavailable => "unavailable",
        }
    }
}

/// Whether one authenticated identifier aligns with the From domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Alignment {
    /// `spf` or `dkim`.
    pub mechanism: String,
    /// The authenticated domain (MAIL FROM domain or `d=`).
    pub domain: String,
    /// Whether that check passed.
    pub passed: bool,
    /// Whether the domain aligns with the From domain under the record's mode.
    pub aligned: bool,
    /// `strict` or `relaxed`.
    pub mode: String,
}

/// The DMARC evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DmarcEvaluation {
    /// The result word.
    pub result: DmarcResult,
    /// Where the applicable record was found (the From domain or a parent).
    pub policy_domain: Option<String>,
    /// The record applied.
    pub record: Option<DmarcRecord>,
    /// The From domain's Organizational Domain.
    pub organizational_domain: Option<String>,
    /// The policy that applies to this From domain (p, sp or np).
    pub applied_policy: Option<Policy>,
    /// Each identifier considered.
    pub alignments: Vec<Alignment>,
    /// The tree walk.
    pub walk: Vec<WalkStep>,
    /// Why, in words, for errors and `none`.
    pub reason: Option<String>,
    /// Where RFC 7489 would judge differently (pct=, a parent found by PSL).
    pub rfc7489_note: Option<String>,
}

/// How many trailing labels `a` and `b` share (`mail.shop.test` and
/// `bounce.shop.test`: 2).
fn shared_labels(a: &str, b: &str) -> usize {
    a.rsplit('.')
        .zip(b.rsplit('.'))
        .take_while(|(x, y)| x == y)
        .count()
}

/// Whether the identifier `a` aligns with the From domain `from`: equal
/// (strict), or the same Organizational Domain (relaxed). See
/// [`aligned_with`], which [`evaluate`] calls with From's Organizational
/// Domain found once for every identifier.
pub async fn aligned<R: Resolver>(a: &str, from: &str, strict: bool, dns: &Lookups<'_, R>) -> bool {
    let from_org = if strict {
        None
    } else {
        organizational_domain(from, dns).await.ok()
    };
    aligned_with(a, from, from_org.as_deref(), strict, dns).await
}

/// [`aligned`], given From's Organizational Domain (`None`: it could not be
/// found, so nothing aligns in relaxed mode).
///
/// An Organizational Domain is always the domain itself or one of its parents
/// (see [`organizational_domain`]), so `a` can share From's only if `a` is
/// within it: `a`'s own tree is walked only then.
async fn aligned_with<R: Resolver>(
    a: &str,
    from: &str,
    from_org: Option<&str>,
    strict: bool,
    dns: &Lookups<'_, R>,
) -> bool {
    let (a, from) = (normalise(a), normalise(from));
    if a.is_empty() || from.is_empty() || a.contains("..") || from.contains("..") {
        return false;
    }
    if a == from {
        return true;
    }
    let Some(org) = from_org.filter(|_| !strict) else {
        return false;
    };
    if !within(&a, org) {
        return false;
    }
    organizational_domain(&a, dns).await.is_ok_and(|o| o == org)
}

/// Ask, ahead of the SPF and DKIM results, the DNS questions a DMARC
/// evaluation of `from_domain` is expected to need: the policy walk, and the
/// Organizational Domains of the identities the headers name (envelope
/// domain, `d=` domains) that share at least two labels with From.
/// [`evaluate`] then finds them answered, so DMARC adds no round of its own
/// to the live checks in those cases.
///
/// Not asked ahead, because they matter only in rare cases that the answers
/// asked here reveal (and then cost one more round): whether From exists
/// (only for a record's `np=`, see [`evaluate`]), and the walk of an identity
/// that shares only a top-level domain with From (only if that top-level
/// domain turns out to be From's Organizational Domain, see [`aligned`]).
pub async fn prefetch<R: Resolver>(from_domain: &str, identities: &[String], dns: &Lookups<'_, R>) {
    let from = normalise(from_domain);
    let targets = walk_targets(&from);
    let _ = crate::auth::lookup::join2(
        walk_all(dns, &targets),
        crate::auth::lookup::join_all(
            identities
                .iter()
                .map(|d| normalise(d))
                .filter(|d| *d != from && shared_labels(d, &from) >= 2)
                .map(|d| async move { organizational_domain(&d, dns).await })
                .collect(),
        ),
    )
    .await;
}

/// Evaluate DMARC for `from_domain` with the live SPF (MAIL FROM identity,
/// with its domain) and DKIM results.
pub async fn evaluate<R: Resolver>(
    from_domain: &str,
    spf: Option<(&SpfCheck, &str)>,
    dkim: &[DkimCheck],
    dns: &Lookups<'_, R>,
) -> DmarcEvaluation {
    let from = normalise(from_domain);
    let mut eval = DmarcEvaluation {
        result: DmarcResult::None,
        policy_domain: None,
        record: None,
        organizational_domain: None,
        applied_policy: None,
        alignments: Vec::new(),
        walk: Vec::new(),
        reason: None,
        rfc7489_note: None,
    };
    let found = match discover(&from, dns, &mut eval.walk).await {
        Ok(found) => found,
        Err((result, reason)) => {
            eval.result = result;
            eval.reason = Some(reason);
            return eval;
        }
    };
    let Some((policy_domain, record)) = found else {
        eval.reason = Some(format!(
            "neither {from} nor a parent domain publishes a DMARC record"
        ));
        return eval;
    };
    // From's Organizational Domain, once: the policy and every identifier's
    // alignment depend on it.
    let from_org = organizational_domain(&from, dns).await.ok();
    let org = from_org.clone().unwrap_or_else(|| policy_domain.clone());
    let spf_alignment = async {
        match spf {
            Some((_, domain)) => {
                Some(aligned_with(domain, &from, from_org.as_deref(), record.strict_spf, dns).await)
            }
            None => None,
        }
    };
    let dkim_alignments = crate::auth::lookup::join_all(
        dkim.iter()
            .map(|c| {
                aligned_with(
                    c.domain.as_deref().unwrap_or_default(),
                    &from,
                    from_org.as_deref(),
                    record.strict_dkim,
                    dns,
                )
            })
            .collect(),
    );
    // Whether From exists changes the policy only through np= on the
    // record of a parent (a subdomain of the Organizational Domain); only
    // then is it asked.
    let existence = async {
        if from != org && record.np.is_some() {
            exists(&from, dns).await
        } else {
            true
        }
    };
    let (from_exists, (spf_aligned, dkim_aligned)) = crate::auth::lookup::join2(
        existence,
        crate::auth::lookup::join2(spf_alignment, dkim_alignments),
    )
    .await;
    let applied = if from == org {
        record.p
    } else if !from_exists {
        record.np.or(record.sp).unwrap_or(record.p)
    } else {
        record.sp.unwrap_or(record.p)
    };
    if let Some(pct) = record.pct.filter(|p| *p < 100) {
        eval.rfc7489_note = Some(format!(
            "pct={pct}: RFC 7489 receivers apply the policy to {pct}% of failing mail; RFC 9989 dropped pct= for t=y"
        ));
    }
    if let (Some((check, domain)), Some(aligned)) = (spf, spf_aligned) {
        let passed = check.result == SpfResult::Pass;
        eval.alignments.push(Alignment {
            mechanism: "spf".to_string(),
            domain: normalise(domain),
            passed,
            aligned,
            mode: mode(record.strict_spf),
        });
    }
    // An aligned signature that could not be checked here (its key is too
    // large for this verifier, or the key could not be asked for) may have
    // passed at the receiver: without another aligned pass, DMARC is not
    // known here.
    let mut unchecked = None;
    for (check, aligned) in dkim.iter().zip(dkim_aligned) {
        let Some(d) = &check.domain else { continue };
        if aligned && check.result == DkimResult::Unavailable && unchecked.is_none() {
            unchecked = Some(check);
        }
        eval.alignments.push(Alignment {
            mechanism: "dkim".to_string(),
            domain: normalise(d),
            passed: check.result == DkimResult::Pass,
            aligned,
            mode: mode(record.strict_dkim),
        });
    }
    eval.result = if eval.alignments.iter().any(|a| a.passed && a.aligned) {
        DmarcResult::Pass
    } else if let Some(check) = unchecked {
        eval.reason = Some(format!(
            "the aligned DKIM signature of {} could not be checked here: {}",
            check.domain.as_deref().unwrap_or_default(),
            check.reason.as_deref().unwrap_or("no reason recorded")
        ));
        DmarcResult::Unavailable
    } else {
        DmarcResult::Fail
    };
    eval.policy_domain = Some(policy_domain);
    eval.organizational_domain = Some(org);
    eval.applied_policy = Some(applied);
    eval.record = Some(record);
    eval
}

/// Policy discovery: the first usable record up the tree from `from`, as
/// (the domain publishing it, the record), each step asked noted in
/// `walk`; `Err` (the result, why) when DNS stopped the walk.
async fn discover<R: Resolver>(
    from: &str,
    dns: &Lookups<'_, R>,
    walk: &mut Vec<WalkStep>,
) -> Result<Option<(String, DmarcRecord)>, (DmarcResult, String)> {
    let targets = walk_targets(from);
    let answers = walk_all(dns, &targets).await;
    for (target, answer) in targets.into_iter().zip(answers) {
        match answer {
            Ok(Found::Record(text, record)) => {
                walk.push(WalkStep {
                    domain: target.clone(),
                    record: Some(text),
                    note: None,
                });
                return Ok(Some((target, record)));
            }
            Ok(Found::Nothing(note)) => walk.push(WalkStep {
                domain: target,
                record: None,
                note: Some(note),
            }),
            Err(Stop::Temp(reason)) => return Err((DmarcResult::TempError, reason)),
            Err(Stop::Unavailable(failure)) => {
                return Err((DmarcResult::Unavailable, failure.to_string()));
            }
        }
    }
    Ok(None)
}

fn mode(strict: bool) -> String {
    if strict { "strict" } else { "relaxed" }.to_string()
}

/// RFC 9989 `np=`: a domain "does not exist" when A, AAAA and MX all say NXDOMAIN.
async fn exists<R: Resolver>(domain: &str, dns: &Lookups<'_, R>) -> bool {
    let answers = crate::auth::lookup::join_all(
        [RecordType::A, RecordType::Aaaa, RecordType::Mx]
            .into_iter()
            .map(|rtype| dns.query(domain, rtype, 1, "dmarc"))
            .collect(),
    )
    .await;
    answers
        .iter()
        .any(|a| !matches!(a, Ok(answer) if answer.rcode == Rcode::NxDomain))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::dns::{DnsAnswer, FixtureResolver};

    #[test]
    fn walk_targets_follow_rfc9989() {
        assert_eq!(
            walk_targets("a.b.c.d.e.mail.example.com"),
            [
                "a.b.c.d.e.mail.example.com",
                "e.mail.example.com",
                "mail.example.com",
                "example.com",
                "com"
            ]
        );
        assert_eq!(
            walk_targets("mail.example.com"),
            ["mail.example.com", "example.com", "com"]
        );
    }

    #[test]
    fn subdomain_uses_sp_and_the_org_domain_by_walk() {
        let r = FixtureResolver::new()
            .txt("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine")
            .txt("news.example.com", "x");
        let lookups = Lookups::new(&r);
        let e = pollster::block_on(evaluate("news.example.com", None, &[], &lookups));
        assert_eq!(e.result, DmarcResult::Fail);
        assert_eq!(e.policy_domain.as_deref(), Some("example.com"));
        assert_eq!(e.organizational_domain.as_deref(), Some("example.com"));
        assert_eq!(e.applied_policy, Some(Policy::Quarantine));
    }

    /// Whether `a` aligns with From `from`, run to completion.
    fn aligns<R: Resolver>(lookups: &Lookups<'_, R>, a: &str, from: &str, strict: bool) -> bool {
        pollster::block_on(aligned(a, from, strict, lookups))
    }

    /// The names a set of lookups asked, as `name/TYPE`.
    fn asked<R: Resolver>(lookups: &Lookups<'_, R>) -> Vec<String> {
        let mut names: Vec<String> = lookups
            .evidence()
            .iter()
            .map(|e| format!("{}/{:?}", e.name, e.rtype))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn np_applies_only_to_a_subdomain_that_does_not_exist() {
        let r = FixtureResolver::new()
            .txt(
                "_dmarc.example.com",
                "v=DMARC1; p=reject; sp=quarantine; np=none",
            )
            .answer(
                "www.example.com",
                RecordType::A,
                Ok(DnsAnswer::rcode(Rcode::NoError)),
            );
        let lookups = Lookups::new(&r);
        let ghost = pollster::block_on(evaluate("ghost.example.com", None, &[], &lookups));
        assert_eq!(ghost.applied_policy, Some(Policy::None));
        let www = pollster::block_on(evaluate("www.example.com", None, &[], &lookups));
        assert_eq!(www.applied_policy, Some(Policy::Quarantine));
        let asked = asked(&lookups);
        for rtype in ["A", "Aaaa", "Mx"] {
            assert!(
                asked.contains(&format!("ghost.example.com/{rtype}")),
                "{asked:?}"
            );
        }
    }

    #[test]
    fn whether_from_exists_is_asked_only_when_np_can_change_the_policy() {
        // The record at From itself (p= applies), and a parent's record
        // without np= (sp= applies either way): no A, AAAA or MX question.
        let r = FixtureResolver::new()
            .txt("_dmarc.shop.test", "v=DMARC1; p=reject; np=none")
            .txt("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine");
        let lookups = Lookups::new(&r);
        let own = pollster::block_on(evaluate("shop.test", None, &[], &lookups));
        assert_eq!(own.applied_policy, Some(Policy::Reject));
        let parent = pollster::block_on(evaluate("ghost.example.com", None, &[], &lookups));
        assert_eq!(parent.applied_policy, Some(Policy::Quarantine));
        let asked = asked(&lookups);
        assert!(
            asked.iter().all(|q| q.starts_with("_dmarc.")),
            "asked more than the walks: {asked:?}"
        );
    }

    #[test]
    fn an_identity_outside_from_s_organizational_domain_is_not_walked() {
        let r = FixtureResolver::new().txt("_dmarc.shop.test", "v=DMARC1; p=quarantine");
        let lookups = Lookups::new(&r);
        assert!(!aligns(&lookups, "bounce.esp.test", "shop.test", false));
        assert!(aligns(&lookups, "mail.shop.test", "shop.test", false));
        let asked = asked(&lookups);
        assert!(!asked.iter().any(|q| q.contains("esp.test")), "{asked:?}");
        assert!(
            asked.contains(&"_dmarc.mail.shop.test/Txt".to_string()),
            "{asked:?}"
        );
    }

    #[test]
    fn an_organizational_domain_at_a_top_level_domain_still_aligns_across_it() {
        // RFC 9989: with no psd= anywhere, the record with the fewest labels
        // names the Organizational Domain, here the whole of `test`.
        let r = FixtureResolver::new()
            .txt("_dmarc.shop.test", "v=DMARC1; p=quarantine")
            .txt("_dmarc.test", "v=DMARC1; p=none");
        let lookups = Lookups::new(&r);
        assert!(aligns(&lookups, "bounce.esp.test", "shop.test", false));
        assert!(!aligns(&lookups, "bounce.esp.test", "shop.test", true));
    }

    #[test]
    fn prefetch_asks_the_walks_of_identities_sharing_two_labels_with_from() {
        let r = FixtureResolver::new().txt("_dmarc.shop.test", "v=DMARC1; p=quarantine");
        let lookups = Lookups::new(&r);
        let identities = ["bounce.esp.test".to_string(), "mail.shop.test".to_string()];
        pollster::block_on(prefetch("shop.test", &identities, &lookups));
        assert_eq!(
            asked(&lookups),
            [
                "_dmarc.mail.shop.test/Txt",
                "_dmarc.shop.test/Txt",
                "_dmarc.test/Txt"
            ]
        );
    }

    #[test]
    fn psd_record_makes_the_label_below_the_org_domain() {
        let r = FixtureResolver::new().txt("_dmarc.gov.test", "v=DMARC1; p=reject; psd=y");
        let lookups = Lookups::new(&r);
        let org = pollster::block_on(organizational_domain("a.agency.gov.test", &lookups));
        assert_eq!(org.as_deref(), Ok("agency.gov.test"));
    }

    #[test]
    fn record_errors_quote_the_tag() {
        assert!(
            parse_record("v=DMARC1; p=bob")
                .unwrap_err()
                .contains("p=bob")
        );
        assert!(
            parse_record("v=DMARC1; pct=100")
                .unwrap_err()
                .contains("no p=")
        );
        assert_eq!(
            parse_record("v=DMARC1; rua=mailto:a@b.test").unwrap().p,
            Policy::None
        );
    }

    #[test]
    fn record_tags_are_read_in_order_case_blind_and_the_last_counts() {
        assert_eq!(
            parse_record("p=reject; v=DMARC1").unwrap_err(),
            "a DMARC record starts with v=DMARC1, not \"p=reject\""
        );
        assert_eq!(
            parse_record("v=DMARC1; junk; p=bob").unwrap_err(),
            "not a tag=value pair: \"junk\""
        );
        let record = parse_record("v=DMARC1;; P=reject; x-unknown=1; p=quarantine;").unwrap();
        assert_eq!(record.p, Policy::Quarantine);
        assert!(is_dmarc(" v = DMARC1 ; p=none"));
        assert!(!is_dmarc("p=none; v=DMARC1"));
        assert!(!is_dmarc("v=DMARC1x; p=none"));
    }

    /// Issue 19 item 1: a tag list is read to 64 tags at most; a longer
    /// record is refused rather than read in part.
    #[test]
    fn a_record_with_more_than_64_tags_is_refused() {
        let mut text = String::from("v=DMARC1");
        for n in 0..100 {
            text.push_str(&format!("; x{n}=1"));
        }
        text.push_str("; p=reject");
        assert!(
            parse_record(&text)
                .unwrap_err()
                .contains("more than 64 tags"),
            "{:?}",
            parse_record(&text)
        );
    }
}
