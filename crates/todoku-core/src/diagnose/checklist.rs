//! Sender requirement checklists: Gmail (all senders, bulk senders), Yahoo
//! and Outlook.com high-volume senders, each requirement judged from this
//! message and the live DNS as met, not met, or not something headers can
//! show (spam rates, list hygiene). The wording summarises the providers'
//! published guidelines (Gmail and Yahoo since February 2024, Outlook.com
//! since May 2025).

use crate::Report;
use crate::report::checklist::{CheckItem, CheckState, Checklist};
use crate::report::finding::Severity;
use crate::wording::Text;
use crate::wording::checklist::{CheckId, ListId};

/// A yes/no/unknown with its evidence.
#[derive(Clone)]
struct Fact {
    state: CheckState,
    evidence: String,
    evidence_ja: String,
}

fn fact(state: CheckState, evidence: impl Into<String>, evidence_ja: impl Into<String>) -> Fact {
    Fact {
        state,
        evidence: evidence.into(),
        evidence_ja: evidence_ja.into(),
    }
}

/// Where a result word came from.
#[derive(Clone, Copy)]
enum Source {
    /// The receiver's Authentication-Results.
    Recorded,
    /// Todoku's live re-check.
    Live,
}

impl Source {
    fn text(self) -> Text {
        match self {
            Source::Recorded => Text {
                en: "recorded by the receiver",
                ja: "受信サーバーの記録",
            },
            Source::Live => Text {
                en: "re-checked now",
                ja: "現在の DNS で再チェック",
            },
        }
    }
}

/// The recorded result word of a method, else the live one.
fn word<'r>(report: &'r Report, method: &str) -> Option<(&'r str, Source)> {
    let rec = &report.auth.recorded;
    let live = &report.auth.live;
    let recorded = match method {
        "spf" => rec.spf.as_ref().map(|r| &*r.result),
        "dkim" => rec
            .dkim
            .iter()
            .find(|r| r.result == "pass")
            .or(rec.dkim.first())
            .map(|r| &*r.result),
        "dmarc" => rec.dmarc.as_ref().map(|r| &*r.result),
        _ => None,
    };
    if let Some(w) = recorded {
        return Some((w, Source::Recorded));
    }
    let now = match method {
        "spf" => live.spf.as_ref().map(|s| s.result.as_str()),
        "dkim" => live.dkim.as_ref().map(|d| d.result.as_str()),
        "dmarc" => live.dmarc.as_ref().map(|d| d.result.as_str()),
        _ => None,
    };
    now.filter(|w| *w != "unavailable")
        .map(|w| (w, Source::Live))
}

fn passes(report: &Report, method: &str) -> Fact {
    let said = word(report, method);
    if method == "dkim"
        && report.dkim_signatures.is_empty()
        && report.dkim_signatures_omitted == 0
        && said.is_none()
    {
        // A copy no receiver took: servers sign as mail leaves, so the
        // missing signature says nothing about the mail as sent.
        if crate::diagnose::findings::unjudged_report(report) {
            return fact(
                CheckState::Unknown,
                "no DKIM-Signature, but no receiving server took this copy",
                "DKIM-Signature はありませんが、受信サーバーに届く前の写しです",
            );
        }
        // No signature at all: DKIM cannot have passed (RFC 6376 3.9 asks
        // for a DKIM-Signature field to verify).
        return fact(
            CheckState::Fail,
            "no DKIM-Signature in the message",
            "DKIM-Signature がありません",
        );
    }
    match said {
        Some((w, source)) => fact(
            if w == "pass" {
                CheckState::Pass
            } else {
                CheckState::Fail
            },
            format!("{method}={w} ({})", source.text().en),
            format!("{method}={w}（{}）", source.text().ja),
        ),
        None => fact(
            CheckState::Unknown,
            format!("no {method} result: no Authentication-Results and no live check"),
            format!(
                "{} の結果なし（Authentication-Results も再チェックもありません）",
                method.to_ascii_uppercase()
            ),
        ),
    }
}

fn either(a: Fact, b: Fact) -> Fact {
    let evidence = format!("{}; {}", a.evidence, b.evidence);
    let evidence_ja = format!("{}、{}", a.evidence_ja, b.evidence_ja);
    let state = match (a.state, b.state) {
        (CheckState::Pass, _) | (_, CheckState::Pass) => CheckState::Pass,
        (CheckState::Fail, CheckState::Fail) => CheckState::Fail,
        _ => CheckState::Unknown,
    };
    fact(state, evidence, evidence_ja)
}

fn both(a: Fact, b: Fact) -> Fact {
    let evidence = format!("{}; {}", a.evidence, b.evidence);
    let evidence_ja = format!("{}、{}", a.evidence_ja, b.evidence_ja);
    let state = match (a.state, b.state) {
        (CheckState::Pass, CheckState::Pass) => CheckState::Pass,
        (CheckState::Fail, _) | (_, CheckState::Fail) => CheckState::Fail,
        _ => CheckState::Unknown,
    };
    fact(state, evidence, evidence_ja)
}

fn has(report: &Report, id: &str) -> bool {
    report.findings.iter().any(|f| f.id == id)
}

fn reverse_dns(report: &Report) -> Fact {
    match &report.auth.live.iprev {
        Some(i) => match i.check.result.as_str() {
            "pass" => {
                let pair = format!(
                    "{} ↔ {}",
                    i.check.ip,
                    i.check.confirmed_name.as_deref().unwrap_or("?")
                );
                fact(CheckState::Pass, pair.clone(), pair)
            }
            "fail" => fact(
                CheckState::Fail,
                i.check.reason.clone().unwrap_or_else(|| "no PTR".into()),
                if i.check.ptr_names.is_empty() {
                    format!("{} に逆引き（PTR）がありません", i.check.ip)
                } else {
                    format!(
                        "{} の逆引き名 {} が元の IP に戻りません",
                        i.check.ip,
                        i.check.ptr_names.join(", ")
                    )
                },
            ),
            _ => fact(
                CheckState::Unknown,
                "reverse DNS could not be checked",
                "逆引きを確認できませんでした",
            ),
        },
        None => fact(
            CheckState::Unknown,
            "no sending IP to check",
            "確認する送信 IP がありません",
        ),
    }
}

fn tls(report: &Report) -> Fact {
    let plain = || {
        fact(
            CheckState::Fail,
            "the hop into the receiver was plain SMTP",
            "受信サーバーへの経路が暗号化なしの SMTP でした",
        )
    };
    let unrecorded = || {
        fact(
            CheckState::Unknown,
            "the receiver did not record TLS",
            "受信サーバーは TLS の有無を記録していません",
        )
    };
    if has(report, "tls.not_used") {
        return plain();
    }
    let hop = report
        .trust_boundary
        .as_ref()
        .and_then(|b| report.hops.iter().find(|h| h.index == b.hop));
    match hop.and_then(crate::trace::hops::Hop::encrypted) {
        Some(true) => fact(
            CheckState::Pass,
            "TLS on the hop into the receiver",
            "受信サーバーへの経路は TLS",
        ),
        // Plain inside one organisation never crossed the internet.
        Some(false) if hop.is_some_and(crate::trace::hops::Hop::within_organisation) => {
            unrecorded()
        }
        Some(false) => plain(),
        None => unrecorded(),
    }
}

/// Whether the headers are well formed: not while the report holds an
/// rfc5322.* warning or error (a missing Date or Message-ID, a duplicate
/// Subject count as much as a missing From), named by their titles.
fn format_ok(report: &Report) -> Fact {
    let (mut en, mut ja) = (String::new(), String::new());
    for f in report.findings.iter().filter(|f| {
        f.id.starts_with("rfc5322.") && matches!(f.severity, Severity::Error | Severity::Warning)
    }) {
        if !en.is_empty() {
            en.push_str("; ");
            ja.push('、');
        }
        en.push_str(f.title.en);
        ja.push_str(f.title.ja);
    }
    if en.is_empty() {
        fact(
            CheckState::Pass,
            "no RFC 5322 errors in the headers",
            "ヘッダーに RFC 5322 の誤りはありません",
        )
    } else {
        fact(CheckState::Fail, en, ja)
    }
}

fn not_impersonating(report: &Report) -> Fact {
    if has(report, "from.freemail_spoof") {
        fact(
            CheckState::Fail,
            "a free-mail From address not sent by that provider",
            "フリーメールの From アドレスを、そのサービス以外から送っています",
        )
    } else {
        fact(
            CheckState::Pass,
            "From is not a free-mail address sent elsewhere",
            "From は他から送られたフリーメールのアドレスではありません",
        )
    }
}

fn dmarc_record(report: &Report) -> Fact {
    if let Some(live) = &report.auth.live.dmarc {
        return match &live.lookup {
            crate::auth::live::DmarcLookup::Found { record, .. } => fact(
                CheckState::Pass,
                format!("_dmarc.{}: {record}", live.domain),
                format!("_dmarc.{}：{record}", live.domain),
            ),
            crate::auth::live::DmarcLookup::None { .. }
            | crate::auth::live::DmarcLookup::Multiple { .. } => fact(
                CheckState::Fail,
                format!("no usable record at _dmarc.{}", live.domain),
                format!("_dmarc.{} に使えるレコードがありません", live.domain),
            ),
            _ if word(report, "dmarc").is_some() => recorded_dmarc_record(report),
            _ => fact(
                CheckState::Unknown,
                "the DMARC record could not be fetched",
                "DMARC レコードを取得できませんでした",
            ),
        };
    }
    recorded_dmarc_record(report)
}

/// Whether a DMARC record existed, as the receiver's result shows: any
/// result but none (RFC 7489 11.2: none means no policy was found).
fn recorded_dmarc_record(report: &Report) -> Fact {
    match word(report, "dmarc") {
        Some(("none", _)) => fact(
            CheckState::Fail,
            "dmarc=none recorded: no record",
            "dmarc=none の記録：レコードがありません",
        ),
        Some(("permerror", source)) => fact(
            CheckState::Fail,
            format!(
                "dmarc=permerror ({}): the record is unusable",
                source.text().en
            ),
            format!(
                "dmarc=permerror（{}）：レコードが使えません",
                source.text().ja
            ),
        ),
        Some((w @ ("pass" | "fail" | "bestguesspass"), source)) => fact(
            CheckState::Pass,
            format!("dmarc={w} ({}): a record exists", source.text().en),
            format!("dmarc={w}（{}）：レコードがあります", source.text().ja),
        ),
        Some((w, source)) => fact(
            CheckState::Unknown,
            format!("dmarc={w} ({})", source.text().en),
            format!("dmarc={w}（{}）", source.text().ja),
        ),
        None => fact(
            CheckState::Unknown,
            "no DMARC result",
            "DMARC の結果がありません",
        ),
    }
}

fn one_click(report: &Report) -> Fact {
    if has(report, "unsubscribe.one_click_missing") {
        fact(
            CheckState::Fail,
            "bulk-looking mail without List-Unsubscribe-Post one-click",
            "一斉配信のようですが、List-Unsubscribe-Post のワンクリック配信停止がありません",
        )
    } else if has(report, "unsubscribe.one_click") {
        let both = "List-Unsubscribe (https) + List-Unsubscribe-Post: One-Click";
        fact(CheckState::Pass, both, both)
    } else {
        fact(
            CheckState::Unknown,
            "the message does not look like bulk mail",
            "一斉配信メールには見えません",
        )
    }
}

fn cannot_tell(what: Text) -> Fact {
    fact(
        CheckState::Unknown,
        format!("{} cannot be seen in headers", what.en),
        format!("{}はヘッダーからは分かりません", what.ja),
    )
}

/// The finding with the fix for a requirement that is not met: the first
/// of `candidates` (an id, or a family such as `spf.`) that is in the
/// report and is not a pass, so that the row never points at a finding the
/// report does not show.
fn finding_for(report: &Report, candidates: &[&'static str]) -> Option<&'static str> {
    candidates.iter().find_map(|c| {
        report
            .findings
            .iter()
            .filter(|f| f.severity != Severity::Pass)
            .find(|f| {
                if c.ends_with('.') {
                    f.id.starts_with(c)
                } else {
                    f.id == *c
                }
            })
            .map(|f| f.id)
    })
}

/// A requirement judged, before a list states it.
#[derive(Clone)]
struct Judged {
    id: CheckId,
    state: CheckState,
    evidence: String,
    evidence_ja: String,
    finding: Option<&'static str>,
}

fn item(report: &Report, id: CheckId, f: Fact, candidates: &[&'static str]) -> Judged {
    Judged {
        id,
        finding: if f.state == CheckState::Fail {
            finding_for(report, candidates)
        } else {
            None
        },
        state: f.state,
        evidence: f.evidence,
        evidence_ja: f.evidence_ja,
    }
}

/// `list` with its requirements, each worded as that list states it.
fn list(list: ListId, items: &[&Judged]) -> Checklist {
    Checklist {
        id: list,
        title: list.title(),
        items: items
            .iter()
            .map(|j| CheckItem {
                id: j.id,
                requirement: j.id.requirement(list),
                state: j.state,
                evidence: j.evidence.clone(),
                evidence_ja: j.evidence_ja.clone(),
                finding: j.finding,
            })
            .collect(),
    }
}

/// Every checklist for this report.
pub fn evaluate(report: &Report) -> Vec<Checklist> {
    let c = common(report);
    vec![
        // Gmail's rules for every sender.
        list(
            ListId::GmailAll,
            &[
                &c.authenticated,
                &c.rdns,
                &c.tls,
                &c.format,
                &c.impersonation,
                &c.spam_rate,
            ],
        ),
        // Gmail's further rules for bulk senders (5,000+ a day).
        list(
            ListId::GmailBulk,
            &[
                &c.spf_and_dkim,
                &c.record,
                &c.aligned,
                &c.unsubscribe,
                &c.rdns,
                &c.tls,
                &c.spam_rate,
            ],
        ),
        // Yahoo Mail's rules.
        list(
            ListId::Yahoo,
            &[
                &c.authenticated,
                &c.rdns,
                &c.format,
                &c.record,
                &c.aligned,
                &c.unsubscribe,
                &c.spam_rate,
            ],
        ),
        // Outlook.com's rules for high-volume senders.
        list(
            ListId::OutlookHighVolume,
            &[&c.spf, &c.dkim, &c.record, &c.aligned],
        ),
    ]
}

/// Every requirement, each judged once (several lists share most).
struct Common {
    authenticated: Judged,
    rdns: Judged,
    tls: Judged,
    format: Judged,
    spf_and_dkim: Judged,
    record: Judged,
    aligned: Judged,
    unsubscribe: Judged,
    spf: Judged,
    dkim: Judged,
    impersonation: Judged,
    spam_rate: Judged,
}

fn common(report: &Report) -> Common {
    // Each fact and item is judged once; the lists that share one get a copy
    // worded as that list states it.
    let spf = passes(report, "spf");
    let dkim = passes(report, "dkim");
    let dmarc = passes(report, "dmarc");
    let authenticated = item(
        report,
        CheckId::SpfOrDkim,
        either(spf.clone(), dkim.clone()),
        &["spf.", "dkim."],
    );
    let rdns = item(
        report,
        CheckId::ReverseDns,
        reverse_dns(report),
        &["iprev.missing"],
    );
    let tls = item(report, CheckId::Tls, tls(report), &["tls.not_used"]);
    let format = item(report, CheckId::Rfc5322, format_ok(report), &["rfc5322."]);
    let spf_and_dkim = item(
        report,
        CheckId::SpfAndDkim,
        both(spf.clone(), dkim.clone()),
        &["spf.", "dkim."],
    );
    let record = item(
        report,
        CheckId::DmarcRecord,
        dmarc_record(report),
        &["dmarc.missing"],
    );
    let aligned = item(
        report,
        CheckId::DmarcAligned,
        dmarc,
        &["dmarc.not_aligned", "dmarc.", "from.freemail_spoof"],
    );
    let unsubscribe = item(
        report,
        CheckId::OneClickUnsubscribe,
        one_click(report),
        &["unsubscribe.one_click_missing"],
    );
    let spf = item(report, CheckId::Spf, spf, &["spf."]);
    let dkim = item(report, CheckId::Dkim, dkim, &["dkim."]);
    Common {
        authenticated,
        rdns,
        tls,
        format,
        spf_and_dkim,
        record,
        aligned,
        unsubscribe,
        spf,
        dkim,
        impersonation: item(
            report,
            CheckId::NoImpersonation,
            not_impersonating(report),
            &["from.freemail_spoof"],
        ),
        spam_rate: spam_rate(),
    }
}

/// The spam-rate item: it cannot be judged from one message.
fn spam_rate() -> Judged {
    let f = cannot_tell(Text {
        en: "the spam complaint rate (Postmaster Tools / Yahoo Sender Hub)",
        ja: "迷惑メール率（Postmaster Tools・Yahoo Sender Hub）",
    });
    Judged {
        id: CheckId::SpamRate,
        state: f.state,
        evidence: f.evidence,
        evidence_ja: f.evidence_ja,
        finding: None,
    }
}
