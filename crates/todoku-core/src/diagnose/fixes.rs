//! "What to change" (issue 18): the findings turned into a short list of
//! changes, most important first, each naming the record or setting and the
//! value to set, and the findings it answers (its evidence).
//!
//! Judged as a postmaster would: only errors and warnings ask for a change
//! (a clean message gets none), a failure the findings already explain away
//! (SPF broken by forwarding is information) asks for none, and one change
//! that answers several findings is listed once (the SPF line that also
//! makes DMARC pass).

use std::net::IpAddr;

use crate::diagnose::verdict::rank;
use crate::header::text::{address_domain, likely_aligned, server_name, within};
use crate::recorded::bounce::{BounceCode, Said};
use crate::report::Report;
use crate::report::finding::{Finding, Severity};
use crate::report::fix::{Fix, FixKind};
use crate::wording::Lang;
use crate::wording::fixes::{FixWords, append_also_dmarc, sentence};

/// The fixes for `report`'s findings, most important first.
pub fn plan(report: &Report) -> Vec<Fix> {
    // A bounce refused for a reason other than authentication or policy
    // (no such user, a full mailbox, null MX): what to change is the
    // address or the recipient's side, which the decoded rejection says;
    // the original's own sender settings did not cause it.
    // A policy code (`5.7.1`) whose reply says "Invalid recipient" is
    // about the address too (sisimai-032).
    // A bounce with no code whose recipient lines read the reason from
    // the words ('User unknown', 'mailfolder is full') is the same
    // (sisimai-008, -070 listed DKIM and STARTTLS for them).
    let recipients = &report.whole.recipients;
    let recipients_side = report.bounce.is_empty()
        && !recipients.is_empty()
        && recipients.iter().all(|r| {
            matches!(
                r.said,
                Some(Said::UserUnknown | Said::Disabled | Said::MailboxFull)
            )
        });
    if report.whole.is_bounce()
        && (recipients_side
            || !report.bounce.is_empty() && !report.bounce.iter().any(is_policy_refusal))
    {
        return Vec::new();
    }
    let facts = Facts::of(report);
    let mut ranked: Vec<((Severity, usize), Fix)> = Vec::new();
    if report.whole.is_bounce() {
        bounce_replies(report, &mut ranked);
    }
    for f in &report.findings {
        if !matches!(f.severity, Severity::Error | Severity::Warning) {
            continue;
        }
        let key = (f.severity, rank(f.id));
        for fix in fixes_for(f, report, &facts) {
            // One change answering several findings is listed once, at the
            // place of the most important of them.
            if let Some((k, same)) = ranked
                .iter_mut()
                .find(|(_, g)| g.kind == fix.kind && g.name == fix.name)
            {
                if !same.findings.contains(&f.id) {
                    same.findings.push(f.id);
                }
                *k = (*k).min(key);
                continue;
            }
            ranked.push((key, fix));
        }
    }
    // DMARC fails because neither SPF nor DKIM passed for the From domain:
    // when a change above makes one of them pass for it, that change is the
    // DMARC fix too.
    let aligned_fix = ranked.iter().position(|(_, g)| {
        matches!(
            g.kind,
            FixKind::SpfAddSender | FixKind::SpfPublish | FixKind::DkimPublishKey
        ) && facts
            .from_domain
            .as_deref()
            .is_some_and(|from| aligned(&g.name, from))
    });
    if let (Some(at), Some(dmarc)) = (
        aligned_fix,
        ranked
            .iter()
            .position(|(_, g)| g.kind == FixKind::DmarcAlign),
    ) {
        let (dmarc_key, dmarc_fix) = ranked.remove(dmarc);
        let at = if dmarc < at { at - 1 } else { at };
        if let Some((k, g)) = ranked.get_mut(at) {
            for id in dmarc_fix.findings {
                if !g.findings.contains(&id) {
                    g.findings.push(id);
                }
            }
            append_also_dmarc(&mut g.sentence, Lang::En);
            append_also_dmarc(&mut g.sentence_ja, Lang::Ja);
            *k = (*k).min(dmarc_key);
        }
    }
    // A mail client sending straight to the receiver (a PC name or a
    // forged address in HELO) is told to use its provider's submission
    // server on port 587 with STARTTLS: that is the TLS fix too, not
    // STARTTLS on a server that does not exist (mikel-022).
    if ranked
        .iter()
        .any(|(_, g)| g.kind == FixKind::ClientSubmission)
    {
        let mut tls: Vec<&'static str> = Vec::new();
        ranked.retain(|(_, g)| {
            let start_tls = g.kind == FixKind::StartTls;
            if start_tls {
                tls.extend(&g.findings);
            }
            !start_tls
        });
        if let Some((_, g)) = ranked
            .iter_mut()
            .find(|(_, g)| g.kind == FixKind::ClientSubmission)
        {
            for id in tls {
                if !g.findings.contains(&id) {
                    g.findings.push(id);
                }
            }
        }
    }
    // Severity in the high half, the position below it.
    crate::order::by_key(&mut ranked, |((s, n), _)| {
        (*s as u64) << 32 | crate::order::key(*n).min(u64::from(u32::MAX))
    });
    let mut fixes: Vec<Fix> = ranked.into_iter().map(|(_, f)| f).collect();
    // A list post whose From the list rewrote to its own address (DMARC
    // mitigation) is the list's mail: its records are the list operator's
    // to change, not the reader's (usrp-005 asked a subscriber to publish
    // lists.ettus.com's SPF and DMARC).
    // Only the list's own records: an author's key that a receiver could
    // not find stays the author's (usrp-000).
    if let Some(list) = discussion_list(report).filter(|l| {
        report
            .summary
            .from_domain
            .as_deref()
            .is_some_and(|from| within(&from.to_ascii_lowercase(), l))
    }) {
        let (en, ja) = crate::wording::fixes::for_list_operator(&list);
        let records_of_list = |name: &str| within(&record_domain(name).to_ascii_lowercase(), &list);
        for f in fixes.iter_mut().filter(|f| records_of_list(&f.name)) {
            f.sentence.insert_str(0, &en);
            f.sentence_ja.insert_str(0, &ja);
        }
    }
    fixes
}

/// Whether a bounce's refusal is by the receiver's policy (`x.7.y`), not
/// about the recipient's address or mailbox, whatever its code says.
fn is_policy_refusal(c: &BounceCode) -> bool {
    // Words that name the sender's side make it one whatever the code
    // (sisimai-088: `550 5.0.0`, "Please turn on SMTP Authentication").
    if matches!(
        c.said,
        Some(Said::RateLimited | Said::SenderRejected | Said::UseSubmission)
    ) {
        return true;
    }
    c.enhanced
        .as_deref()
        .is_some_and(|e| e.starts_with("5.7.") || e.starts_with("4.7."))
        && !matches!(
            c.said,
            Some(Said::UserUnknown | Said::Disabled | Said::MailboxFull)
        )
}

/// A bounce refused by policy for a reason no finding of the original
/// explains, when its reply says what it was (a rate limit or the IP's
/// reputation, the sender refused at MAIL FROM, a provider's own code):
/// what the decoded reply asks for comes first (sisimai-024: Outlook.com's
/// 4.7.650 put "turn on DKIM" alone at the top, sisimai-040: "use the smtp
/// server of your ISP" likewise). A code a finding explains (`5.7.26`:
/// dmarc.fail) gets that finding's fixes instead; a bare policy code says
/// no more than "read the reply", which the decoded rejection already says.
fn bounce_replies(report: &Report, ranked: &mut Vec<((Severity, usize), Fix)>) {
    for c in &report.bounce {
        let told = c.said.is_some() || c.provider.is_some();
        if !is_policy_refusal(c) || c.finding.is_some() || !told {
            continue;
        }
        let label = c.label();
        if ranked.iter().any(|(_, g)| g.sentence.ends_with(&c.fix)) {
            continue;
        }
        let say = |lang, context: &str| {
            let words = FixWords {
                name: &label,
                context,
                ..FixWords::default()
            };
            sentence(FixKind::BounceReply, lang, words)
        };
        let (en, ja) = (say(Lang::En, &c.fix), say(Lang::Ja, &c.fix_ja));
        ranked.push((
            (Severity::Error, 0),
            Fix {
                kind: FixKind::BounceReply,
                findings: Vec::new(),
                sentence: en,
                sentence_ja: ja,
                name: label,
                value: None,
            },
        ));
    }
}

/// Whether the record `name` (`shop.example TXT`, `k1._domainkey.shop.example
/// TXT`) belongs to a domain aligned with From.
fn aligned(name: &str, from: &str) -> bool {
    likely_aligned(record_domain(name), from)
}

/// The domain a fix's record belongs to: `k1._domainkey.shop.example TXT`
/// and `_dmarc.shop.example TXT` are shop.example's.
fn record_domain(name: &str) -> &str {
    let domain = name.split(' ').next().unwrap_or_default();
    let domain = domain.split_once("._domainkey.").map_or(domain, |(_, d)| d);
    domain.strip_prefix("_dmarc.").unwrap_or(domain)
}

/// What the fixes name, read once from the report.
struct Facts {
    /// The envelope (MAIL FROM) domain SPF was checked for.
    envelope: Option<String>,
    /// The sending server's address (the hop into the receiver).
    ip: Option<IpAddr>,
    /// Its reverse-DNS name, when it is a host name ([`server_name`]: not
    /// a placeholder such as `host` or `unknown`).
    rdns: Option<String>,
    /// The HELO name it announced, as announced (a PC name, an address).
    helo: Option<String>,
    /// The HELO name when it is a host name ([`server_name`]): what a fix
    /// may call the server (a bare address, often forged, is not).
    helo_name: Option<String>,
    /// The From domain.
    from_domain: Option<String>,
    /// SPF's record today, from the live check of the envelope domain.
    spf_record: Option<String>,
    /// The discussion list that re-sent the message, when the receiver's
    /// results are about the list's sending ([`relayed_list`]).
    list: Option<String>,
}

/// The domain of the discussion list (Mailman, Google Groups, groups.io …)
/// that re-sent this message to the receiver, when the receiver's results
/// are about the list's sending rather than the author's: the message has
/// a List-Id and a discussion list's marks (List-Post, X-Mailman-Version,
/// Mailing-list, X-BeenThere), the envelope the receiver checked is the
/// list's, and From is not. (Results the list's own inbound recorded, about
/// the author's submission, are the author's: openbmc-013.)
fn relayed_list(report: &Report, envelope: Option<&str>) -> Option<String> {
    let domain = discussion_list(report)?;
    let from = report.summary.from_domain.as_deref()?;
    (envelope.is_some_and(|e| likely_aligned(e, &domain)) && !likely_aligned(from, &domain))
        .then_some(domain)
}

/// The domain of the discussion list (List-Id with a discussion list's
/// marks: List-Post, X-Mailman-Version, Mailing-list, X-BeenThere) that
/// sent this message.
fn discussion_list(report: &Report) -> Option<String> {
    let id = report.summary.list_id.as_deref()?;
    let discussion = [
        "list-post",
        "x-mailman-version",
        "mailing-list",
        "x-beenthere",
    ]
    .iter()
    .any(|n| {
        report
            .input
            .headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case(n))
    });
    if !discussion {
        return None;
    }
    // `"Description" <usrp-users.lists.ettus.com>`: the list's name, then its domain.
    let inner = id.rsplit_once('<').map_or(id, |(_, r)| r);
    let inner = inner
        .split('>')
        .next()
        .unwrap_or_default()
        .trim()
        .trim_end_matches('.')
        .to_ascii_lowercase();
    Some(match inner.split_once('.') {
        Some((_, d)) if d.contains('.') => d.to_string(),
        _ => inner,
    })
}

impl Facts {
    fn of(report: &Report) -> Facts {
        let live_spf = report.auth.live.spf.as_ref();
        let check = live_spf.and_then(|s| s.mail_from_check.as_ref());
        let boundary = report.trust_boundary.as_ref();
        // The identity the receiver checked comes first: the live check
        // takes the Return-Path, which a list or forwarder rewrote after
        // the hop the receiver judged (openbmc-013: recorded for the
        // author's server, Return-Path the list's).
        let recorded_envelope = report
            .auth
            .recorded
            .spf
            .as_ref()
            .and_then(|r| r.property_domain("smtp", "mailfrom"));
        let envelope = recorded_envelope
            .or_else(|| check.map(|c| c.domain.to_ascii_lowercase()))
            .or_else(|| {
                report
                    .summary
                    .return_path
                    .as_deref()
                    .and_then(address_domain)
            })
            .or_else(|| report.summary.from_domain.clone());
        let ip = check
            .map(|c| c.ip)
            .or_else(|| boundary.and_then(|b| b.ip.as_deref()?.parse().ok()));
        let rdns = report.sending_rdns();
        Facts {
            ip,
            rdns: rdns
                .filter(|r| server_name(r))
                .map(|r| r.trim_end_matches('.').to_ascii_lowercase()),
            helo: boundary.and_then(|b| b.helo.clone()),
            helo_name: boundary
                .and_then(|b| b.helo.clone())
                .filter(|h| server_name(h)),
            from_domain: report.summary.from_domain.clone(),
            spf_record: check
                .filter(|c| {
                    envelope
                        .as_deref()
                        .is_some_and(|e| c.domain.eq_ignore_ascii_case(e))
                })
                .and_then(|c| c.record.clone()),
            list: relayed_list(report, envelope.as_deref()),
            envelope,
        }
    }

    /// The SPF mechanism that covers the sending server: its provider's
    /// include when the reverse DNS names a known service, else its address.
    fn spf_mechanism(&self) -> Option<String> {
        let service = self.rdns.as_deref().and_then(|name| {
            crate::diagnose::live::SPF_INCLUDES
                .iter()
                .find(|(suffix, _)| within(name, suffix))
                .map(|(_, include)| (*include).to_string())
        });
        service.or_else(|| {
            self.ip.map(|ip| match ip {
                IpAddr::V4(v4) => format!("ip4:{v4}"),
                IpAddr::V6(v6) => format!("ip6:{v6}"),
            })
        })
    }
}

/// A fix with its sentences (one copy: the page carries every call).
#[inline(never)]
fn make(
    kind: FixKind,
    id: &'static str,
    name: String,
    value: Option<String>,
    context: &str,
) -> Fix {
    make_from(kind, id, name, value, context, "")
}

/// [`make`] with the sending server's address for the sentence.
fn make_from(
    kind: FixKind,
    id: &'static str,
    name: String,
    value: Option<String>,
    context: &str,
    sender: &str,
) -> Fix {
    let words = FixWords {
        name: &name,
        value: value.as_deref().unwrap_or_default(),
        context,
        sender,
    };
    Fix {
        kind,
        findings: vec![id],
        sentence: sentence(kind, Lang::En, words),
        sentence_ja: sentence(kind, Lang::Ja, words),
        name,
        value,
    }
}

/// The DKIM key record the finding `f` is about. A finding points at its
/// evidence: a DKIM-Signature (the live checks), or the receiver's recorded
/// result, which names its signature by `header.b` (the start of `b=`),
/// `header.d`/`header.i` and `header.s`. Only a finding that points at
/// neither (a bounce's) takes the first signature with the From domain,
/// else the first: the topmost signature is often a list's or a relay's
/// that nobody judged (usrp-000: the list's emwd.com signature, added after
/// the receiver recorded mobicom.mn's failure).
fn dkim_key_name(f: &Finding, report: &Report, facts: &Facts) -> Option<String> {
    let sigs = &report.dkim_signatures;
    if let Some(sig) = sigs.iter().find(|s| f.evidence.contains(&s.span)) {
        return sig.key_name();
    }
    if let Some(result) = report
        .auth
        .recorded
        .dkim
        .iter()
        .find(|d| f.evidence.contains(&d.span))
    {
        return recorded_key_name(result, sigs);
    }
    let from = facts.from_domain.as_deref();
    sigs.iter()
        .find(|s| {
            s.domain
                .as_deref()
                .zip(from)
                .is_some_and(|(d, f)| likely_aligned(d, f))
        })
        .or_else(|| sigs.first())
        .and_then(|s| s.key_name())
}

/// The key record of the signature a recorded DKIM result is about: the
/// DKIM-Signature whose `b=` starts with `header.b`, else the one with its
/// `header.d` (or `header.i`'s domain) and `header.s`; when none is in the
/// message, the record named from the result itself.
fn recorded_key_name(
    result: &crate::recorded::authres::MethodResult,
    sigs: &[crate::header::dkim_sig::DkimSignature],
) -> Option<String> {
    let b = result
        .property("header", "b")
        .map(|b| b.trim_matches('"'))
        .filter(|b| b.len() >= 6);
    let domain = result
        .property("header", "d")
        .map(str::to_string)
        .or_else(|| result.property("header", "i").and_then(address_domain))
        .map(|d| d.trim_end_matches('.').to_ascii_lowercase());
    let selector = result.property("header", "s");
    let by_b = b.and_then(|b| {
        sigs.iter().find(|s| {
            s.signature.as_deref().is_some_and(|sig| sig.starts_with(b))
                && domain
                    .as_deref()
                    .zip(s.domain.as_deref())
                    .is_none_or(|(d, sd)| d.eq_ignore_ascii_case(sd.trim_end_matches('.')))
        })
    });
    let by_name = || {
        let domain = domain.as_deref()?;
        sigs.iter().find(|s| {
            s.domain
                .as_deref()
                .is_some_and(|d| d.trim_end_matches('.').eq_ignore_ascii_case(domain))
                && selector
                    .zip(s.selector.as_deref())
                    .is_none_or(|(a, b)| a.eq_ignore_ascii_case(b))
        })
    };
    if let Some(sig) = by_b.or_else(by_name) {
        return sig.key_name();
    }
    let domain = domain?;
    Some(format!(
        "{}._domainkey.{domain}",
        selector.unwrap_or("(selector)")
    ))
}

/// The author's DKIM signatures on a list post, as far as the message
/// shows them.
struct AuthorSignatures {
    /// One of them was aligned with From (a result any receiver recorded,
    /// the list's inbound MX included, or a DKIM-Signature still present):
    /// a DMARC failure after the list is the list's doing.
    aligned: bool,
    /// The first other domain that signed for the author (Google
    /// Workspace's `…gappssmtp.com`, Microsoft 365's `…onmicrosoft.com`, a
    /// provider's own), if any.
    other: Option<String>,
}

impl AuthorSignatures {
    /// `lists`: the list's domain and the name of the server that
    /// delivered its copy (usrp: lists.ettus.com, sent by mm2.emwd.com).
    fn of(report: &Report, lists: &[&str], from: &str) -> AuthorSignatures {
        let recorded = || {
            report
                .auth
                .recorded
                .headers
                .iter()
                .flat_map(|h| h.parsed.results.iter())
                .filter(|r| &*r.method == "dkim")
                .filter_map(|r| {
                    r.property("header", "d")
                        .map(str::to_string)
                        .or_else(|| r.property("header", "i").and_then(address_domain))
                })
        };
        // The list's own signature is in the list's domain or its server's
        // (usrp: d=emwd.com); a provider may sign List-Id too (EarthLink
        // does), so that does not tell them apart.
        let listed = |d: &str| lists.iter().any(|l| likely_aligned(d, l));
        let sigs = || {
            report
                .dkim_signatures
                .iter()
                .filter_map(|s| s.domain.clone())
        };
        let aligned = recorded().any(|d| likely_aligned(&d, from))
            || sigs().any(|d| likely_aligned(&d, from));
        let other = recorded()
            .chain(sigs())
            .map(|d| d.trim_end_matches('.').to_ascii_lowercase())
            .find(|d| !listed(d) && !likely_aligned(d, from));
        AuthorSignatures { aligned, other }
    }
}

/// The fixes for a list post's failures: DMARC for the author's domain
/// failing because the list re-sent it (SPF is the list's) and DKIM did not
/// carry it. When the author's domain had an aligned signature, the list
/// broke or removed it, and only the list can fix that. When it never had
/// one (only Google Workspace's gappssmtp.com or Microsoft 365's
/// onmicrosoft.com signed, usrp-016 and usrp-032, or nothing did, usrp-012),
/// the first fix is the author's domain signing as itself, and the list's
/// part comes second.
/// `None` when the finding is not one of them.
fn list_fix(f: &Finding, report: &Report, facts: &Facts) -> Option<Vec<Fix>> {
    let list = facts.list.as_ref()?;
    let from = facts.from_domain.as_deref().unwrap_or_default();
    let authors_signature_failed = report.auth.recorded.dkim.iter().any(|d| {
        d.result != "pass"
            && d.property("header", "d")
                .or_else(|| d.property("header", "i"))
                .is_some_and(|v| likely_aligned(v, from))
    });
    // Whether a receiver recorded DMARC: the sentence states the failure
    // as a fact only then.
    let recorded = report
        .auth
        .recorded
        .dmarc
        .as_ref()
        .is_some_and(|d| matches!(&*d.result, "fail" | "failure"));
    let server = facts.rdns.as_deref().or(facts.helo_name.as_deref());
    let lists: Vec<&str> = std::iter::once(list.as_str()).chain(server).collect();
    let author = AuthorSignatures::of(report, &lists, from);
    let mitigate = |situation: &str| {
        make(
            FixKind::ListDmarcMitigation,
            f.id,
            list.clone(),
            None,
            &format!("{situation}{}", if recorded { " recorded" } else { "" }),
        )
    };
    // No aligned signature of the author's shows anywhere (not at the
    // list's inbound MX, not in the message): the list did not break one.
    let dmarc = || match author.aligned {
        false if !from.is_empty() => vec![
            make(
                FixKind::DkimSignOwnDomain,
                f.id,
                from.to_string(),
                Some(format!("d={from}")),
                author.other.as_deref().unwrap_or_default(),
            ),
            mitigate(LIST_UNALIGNED),
        ],
        _ => vec![mitigate(LIST_BROKE)],
    };
    match f.id {
        "dmarc.fail" | "dmarc.not_aligned" | "from.freemail_spoof" => Some(dmarc()),
        "dkim.fail" | "dkim.permerror" if authors_signature_failed => {
            Some(vec![mitigate(LIST_BROKE)])
        }
        // No signature of the author's reached the receiver: the list may
        // have removed it, so the author's signing cannot be judged here.
        "dkim.none" => Some(Vec::new()),
        _ => None,
    }
}

/// The list changed the post and broke (or removed) the author's aligned
/// signature: [`crate::wording::fixes`] words the list's fix so.
const LIST_BROKE: &str = "broke";
/// The author's domain never signed as itself: the list's part of the fix.
const LIST_UNALIGNED: &str = "unaligned";

fn fixes_for(f: &Finding, report: &Report, facts: &Facts) -> Vec<Fix> {
    let fixes = list_fix(f, report, facts)
        .unwrap_or_else(|| fix_for(f, report, facts).into_iter().collect());
    // From at Microsoft 365's default domain (tenant.onmicrosoft.com): no
    // customer edits onmicrosoft.com's DNS, so a record asked for there is
    // the move to the organisation's own domain (openbmc-012).
    let ms = |d: &str| within(&d.to_ascii_lowercase(), "onmicrosoft.com");
    let Some(from) = facts.from_domain.as_deref().filter(|d| ms(d)) else {
        return fixes;
    };
    let from = report
        .summary
        .from
        .clone()
        .unwrap_or_else(|| from.to_string());
    fixes
        .into_iter()
        .map(|fix| match record_domain(&fix.name) {
            zone if ms(zone) => make(
                FixKind::FreemailThroughProvider,
                f.id,
                from.clone(),
                None,
                "",
            ),
            _ => fix,
        })
        .collect()
}

fn fix_for(f: &Finding, report: &Report, facts: &Facts) -> Option<Fix> {
    let id = f.id;
    let envelope = facts.envelope.clone();
    let from = facts.from_domain.clone();
    // A free-mail From sent from elsewhere: nobody but the provider can
    // sign as gmail.com or list servers in its SPF, so the DMARC and DKIM
    // failures are answered by the free-mail fix (openbmc-013).
    let freemail = report
        .findings
        .iter()
        .any(|f| f.id == "from.freemail_spoof");
    // Its SPF record is the provider's too: nobody else can add a server.
    let providers_spf = matches!(id, "spf.softfail" | "spf.fail" | "spf.none")
        && envelope
            .as_deref()
            .is_some_and(crate::diagnose::providers::freemail);
    let providers_dkim = id == "dkim.none"
        && from
            .as_deref()
            .is_some_and(crate::diagnose::providers::freemail);
    if freemail && (providers_spf || matches!(id, "dmarc.fail" | "dmarc.not_aligned" | "dkim.none"))
    {
        return Some(make(
            FixKind::FreemailThroughProvider,
            id,
            report.summary.from.clone().or(from)?,
            None,
            "",
        ));
    }
    // The provider's own mail: its DKIM and SPF are its settings.
    if providers_spf || providers_dkim {
        return None;
    }
    let key = || dkim_key_name(f, report, facts).map(|k| format!("{k} TXT"));
    Some(match id {
        "spf.softfail" | "spf.fail" => make(
            FixKind::SpfAddSender,
            id,
            format!("{} TXT", envelope?),
            facts.spf_mechanism(),
            facts.spf_record.as_deref().unwrap_or_default(),
        ),
        "spf.none" => {
            let mechanism = facts.spf_mechanism();
            let value = match &mechanism {
                Some(m) => format!("v=spf1 {m} ~all"),
                None => "v=spf1 ip4:… ~all".to_string(),
            };
            make(
                FixKind::SpfPublish,
                id,
                format!("{} TXT", envelope?),
                Some(value),
                "",
            )
        }
        "spf.permerror" => {
            // The cause the receiver recorded chooses the repair.
            use crate::wording::catalogue::SpfCause;
            let cause = report
                .auth
                .recorded
                .spf
                .as_ref()
                .filter(|r| f.evidence.contains(&r.span))
                .map_or(SpfCause::Unknown, crate::diagnose::findings::spf_cause);
            let kind = match cause {
                SpfCause::VoidLookups => FixKind::SpfVoidLookups,
                SpfCause::MultipleRecords => FixKind::SpfMultipleRecords,
                SpfCause::Syntax => FixKind::SpfSyntax,
                SpfCause::TooManyLookups | SpfCause::Unknown => FixKind::SpfRepair,
            };
            make(
                kind,
                id,
                format!("{} TXT", envelope?),
                None,
                facts.spf_record.as_deref().unwrap_or_default(),
            )
        }
        "dkim.key_missing" => make(
            FixKind::DkimPublishKey,
            id,
            key()?,
            Some("v=DKIM1; k=rsa; p=…".to_string()),
            "",
        ),
        "dkim.none" => {
            let from = from?;
            make(
                FixKind::DkimEnableSigning,
                id,
                format!("(selector)._domainkey.{from} TXT"),
                Some(format!("d={from}")),
                "",
            )
        }
        "dkim.fail" | "dkim.permerror" => {
            // The receiver's reason chooses the fix: a key missing from DNS
            // is published at the name the failing result gives, a failed
            // key lookup has no change to ask for, the rest is a signature
            // that no longer matches.
            use crate::wording::catalogue::DkimCause;
            let recorded = report
                .auth
                .recorded
                .dkim
                .iter()
                .find(|r| f.evidence.contains(&r.span));
            match recorded.map(crate::diagnose::findings::dkim_cause) {
                Some(DkimCause::KeyMissing) => {
                    // The failing result's own signature (dkim_key_name).
                    let name = key()?;
                    make(
                        FixKind::DkimPublishKey,
                        id,
                        name,
                        Some("v=DKIM1; k=rsa; p=…".to_string()),
                        "",
                    )
                }
                Some(DkimCause::KeyLookupFailed) => return None,
                _ => make(FixKind::DkimMatchKey, id, key()?, None, ""),
            }
        }
        "dkim.key_weak" => make(FixKind::DkimLongerKey, id, key()?, None, ""),
        "dkim.weak_hash" => make(
            FixKind::DkimSha256,
            id,
            key()?,
            Some("a=rsa-sha256".to_string()),
            "",
        ),
        "dmarc.fail" | "dmarc.not_aligned" => {
            let from = from?;
            make(
                FixKind::DmarcAlign,
                id,
                from.clone(),
                Some(format!("d={from}")),
                "",
            )
        }
        "dmarc.missing" => make(
            FixKind::DmarcPublish,
            id,
            format!("_dmarc.{} TXT", from?),
            Some("v=DMARC1; p=none".to_string()),
            "",
        ),
        "dmarc.permerror" => make(
            FixKind::DmarcRepair,
            id,
            format!("_dmarc.{} TXT", from?),
            Some("v=DMARC1; p=none".to_string()),
            "",
        ),
        "helo.not_fqdn" => make_from(
            FixKind::ClientSubmission,
            id,
            "SMTP".to_string(),
            Some("port 587 (STARTTLS) + SMTP AUTH".to_string()),
            facts.helo.as_deref().unwrap_or("?"),
            &facts.ip.map(|ip| ip.to_string()).unwrap_or_default(),
        ),
        "helo.no_dns" => {
            let helo = facts.helo.clone()?;
            let value = match facts.ip? {
                IpAddr::V4(v4) => format!("A {v4}"),
                IpAddr::V6(v6) => format!("AAAA {v6}"),
            };
            make(FixKind::HeloAddress, id, helo, Some(value), "")
        }
        "iprev.missing" => {
            let ip = facts.ip?;
            let host = facts
                .helo_name
                .clone()
                .unwrap_or_else(|| "mail.…".to_string());
            make(
                FixKind::ReverseDns,
                id,
                format!("{ip} PTR"),
                Some(host),
                &ip.to_string(),
            )
        }
        "tls.not_used" => {
            // The server by a name it really has: its reverse DNS, else a
            // HELO that is a host name, else its address (never a bare
            // address it announced, which may be another's: mikel-022).
            let server = facts
                .rdns
                .clone()
                .or_else(|| facts.helo_name.clone())
                .or_else(|| facts.ip.map(|ip| ip.to_string()))?;
            make(
                FixKind::StartTls,
                id,
                server,
                Some("Postfix: smtp_tls_security_level = may".to_string()),
                "",
            )
        }
        "unsubscribe.one_click_missing" => make(
            FixKind::OneClickUnsubscribe,
            id,
            "List-Unsubscribe".to_string(),
            Some(
                "List-Unsubscribe: <https://…>, List-Unsubscribe-Post: List-Unsubscribe=One-Click"
                    .to_string(),
            ),
            "",
        ),
        "from.freemail_spoof" => make(
            FixKind::FreemailThroughProvider,
            id,
            report.summary.from.clone().or(from)?,
            None,
            "",
        ),
        "dns.broken" => make(FixKind::DnsHosting, id, from.or(envelope)?, None, ""),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn a_record_name_is_aligned_by_its_domain() {
        assert!(aligned("shop.example TXT", "shop.example"));
        assert!(aligned("k1._domainkey.shop.example TXT", "shop.example"));
        assert!(!aligned("bounce.esp.example TXT", "shop.example"));
    }
}
