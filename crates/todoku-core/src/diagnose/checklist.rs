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

/// A yes/no/unknown with its evidence.
#[derive(Clone)]
struct Fact {
    state: CheckState,
    evidence: String,
}

fn fact(state: CheckState, evidence: impl Into<String>) -> Fact {
    Fact {
        state,
        evidence: evidence.into(),
    }
}

/// The recorded result word of a method, else the live one.
fn word<'r>(report: &'r Report, method: &str) -> Option<(&'r str, &'static str)> {
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
        return Some((w, "recorded by the receiver"));
    }
    let now = match method {
        "spf" => live.spf.as_ref().map(|s| s.result.as_str()),
        "dkim" => live.dkim.as_ref().map(|d| d.result.as_str()),
        "dmarc" => live.dmarc.as_ref().map(|d| d.result.as_str()),
        _ => None,
    };
    now.filter(|w| *w != "unavailable")
        .map(|w| (w, "re-checked now"))
}

fn passes(report: &Report, method: &str) -> Fact {
    match word(report, method) {
        Some((w, source)) if w == "pass" => {
            fact(CheckState::Pass, format!("{method}={w} ({source})"))
        }
        Some((w, source)) => fact(CheckState::Fail, format!("{method}={w} ({source})")),
        None => fact(
            CheckState::Unknown,
            format!("no {method} result: no Authentication-Results and no live check"),
        ),
    }
}

fn either(a: Fact, b: Fact) -> Fact {
    let evidence = format!("{}; {}", a.evidence, b.evidence);
    let state = match (a.state, b.state) {
        (CheckState::Pass, _) | (_, CheckState::Pass) => CheckState::Pass,
        (CheckState::Fail, CheckState::Fail) => CheckState::Fail,
        _ => CheckState::Unknown,
    };
    fact(state, evidence)
}

fn both(a: Fact, b: Fact) -> Fact {
    let evidence = format!("{}; {}", a.evidence, b.evidence);
    let state = match (a.state, b.state) {
        (CheckState::Pass, CheckState::Pass) => CheckState::Pass,
        (CheckState::Fail, _) | (_, CheckState::Fail) => CheckState::Fail,
        _ => CheckState::Unknown,
    };
    fact(state, evidence)
}

fn has(report: &Report, id: &str) -> bool {
    report.findings.iter().any(|f| f.id == id)
}

fn reverse_dns(report: &Report) -> Fact {
    match &report.auth.live.iprev {
        Some(i) => match i.check.result.as_str() {
            "pass" => fact(
                CheckState::Pass,
                format!(
                    "{} ↔ {}",
                    i.check.ip,
                    i.check.confirmed_name.as_deref().unwrap_or("?")
                ),
            ),
            "fail" => fact(
                CheckState::Fail,
                i.check.reason.clone().unwrap_or_else(|| "no PTR".into()),
            ),
            _ => fact(CheckState::Unknown, "reverse DNS could not be checked"),
        },
        None => fact(CheckState::Unknown, "no sending IP to check"),
    }
}

fn tls(report: &Report) -> Fact {
    if has(report, "tls.not_used") {
        return fact(CheckState::Fail, "the hop into the receiver was plain SMTP");
    }
    let hop = report
        .trust_boundary
        .as_ref()
        .and_then(|b| report.hops.iter().find(|h| h.index == b.hop));
    match hop.and_then(crate::trace::hops::Hop::encrypted) {
        Some(true) => fact(CheckState::Pass, "TLS on the hop into the receiver"),
        // Plain inside one organisation never crossed the internet.
        Some(false) if hop.is_some_and(crate::trace::hops::Hop::within_organisation) => {
            fact(CheckState::Unknown, "the receiver did not record TLS")
        }
        Some(false) => fact(CheckState::Fail, "the hop into the receiver was plain SMTP"),
        None => fact(CheckState::Unknown, "the receiver did not record TLS"),
    }
}

fn format_ok(report: &Report) -> Fact {
    let broken: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.id.starts_with("rfc5322.") && f.severity == Severity::Error)
        .map(|f| f.id)
        .collect();
    if broken.is_empty() {
        fact(CheckState::Pass, "no RFC 5322 errors in the headers")
    } else {
        fact(CheckState::Fail, broken.join(", "))
    }
}

fn not_impersonating(report: &Report) -> Fact {
    if has(report, "from.freemail_spoof") {
        fact(
            CheckState::Fail,
            "a free-mail From address not sent by that provider",
        )
    } else {
        fact(
            CheckState::Pass,
            "From is not a free-mail address sent elsewhere",
        )
    }
}

fn dmarc_record(report: &Report) -> Fact {
    if let Some(live) = &report.auth.live.dmarc {
        return match &live.lookup {
            crate::auth::live::DmarcLookup::Found { record, .. } => fact(
                CheckState::Pass,
                format!("_dmarc.{}: {record}", live.domain),
            ),
            crate::auth::live::DmarcLookup::None { .. }
            | crate::auth::live::DmarcLookup::Multiple { .. } => fact(
                CheckState::Fail,
                format!("no usable record at _dmarc.{}", live.domain),
            ),
            _ => fact(CheckState::Unknown, "the DMARC record could not be fetched"),
        };
    }
    match word(report, "dmarc") {
        Some(("none", _)) => fact(CheckState::Fail, "dmarc=none recorded: no record"),
        Some((w, source)) => fact(
            CheckState::Pass,
            format!("dmarc={w} ({source}): a record exists"),
        ),
        None => fact(CheckState::Unknown, "no DMARC result"),
    }
}

fn one_click(report: &Report) -> Fact {
    if has(report, "unsubscribe.one_click_missing") {
        fact(
            CheckState::Fail,
            "bulk-looking mail without List-Unsubscribe-Post one-click",
        )
    } else if has(report, "unsubscribe.one_click") {
        fact(
            CheckState::Pass,
            "List-Unsubscribe (https) + List-Unsubscribe-Post: One-Click",
        )
    } else {
        fact(
            CheckState::Unknown,
            "the message does not look like bulk mail",
        )
    }
}

fn cannot_tell(what: &str) -> Fact {
    fact(
        CheckState::Unknown,
        format!("{what} cannot be seen in headers"),
    )
}

fn item(id: &'static str, requirement: Text, f: Fact, finding: &'static str) -> CheckItem {
    CheckItem {
        id,
        requirement,
        finding: (f.state == CheckState::Fail).then_some(finding),
        state: f.state,
        evidence: f.evidence,
    }
}

/// Every checklist for this report.
pub fn evaluate(report: &Report) -> Vec<Checklist> {
    let c = common(report);
    vec![
        gmail_all(&c, report),
        gmail_bulk(&c),
        yahoo(&c),
        outlook_high_volume(&c),
    ]
}

/// The items more than one list shares, each judged once.
struct Common {
    authenticated: CheckItem,
    rdns: CheckItem,
    tls: CheckItem,
    format: CheckItem,
    spf_and_dkim: CheckItem,
    record: CheckItem,
    aligned: CheckItem,
    unsubscribe: CheckItem,
    spf: CheckItem,
    dkim: CheckItem,
}

fn common(report: &Report) -> Common {
    // Each fact and item is judged once; the lists that share one get a copy.
    let spf = passes(report, "spf");
    let dkim = passes(report, "dkim");
    let dmarc = passes(report, "dmarc");
    let authenticated = item(
        "spf_or_dkim",
        Text {
            en: "SPF or DKIM passes for the sending domain",
            ja: "送信ドメインで SPF か DKIM が合格",
        },
        either(spf.clone(), dkim.clone()),
        "spf.fail",
    );
    let rdns = item(
        "reverse_dns",
        Text {
            en: "The sending IP has forward-confirmed reverse DNS (PTR)",
            ja: "送信 IP の逆引き（PTR）と正引きが一致",
        },
        reverse_dns(report),
        "iprev.missing",
    );
    let tls = item(
        "tls",
        Text {
            en: "The connection to the receiver uses TLS",
            ja: "受信サーバーへの接続が TLS",
        },
        tls(report),
        "tls.not_used",
    );
    let format = item(
        "rfc5322",
        Text {
            en: "The message is formatted per RFC 5322",
            ja: "RFC 5322 に沿った形式",
        },
        format_ok(report),
        "rfc5322.missing_from",
    );
    let spf_and_dkim = item(
        "spf_and_dkim",
        Text {
            en: "Both SPF and DKIM pass",
            ja: "SPF と DKIM の両方が合格",
        },
        both(spf.clone(), dkim.clone()),
        "dkim.fail",
    );
    let record = item(
        "dmarc_record",
        Text {
            en: "The From domain publishes DMARC (p=none at least)",
            ja: "From ドメインが DMARC を公開（p=none 以上）",
        },
        dmarc_record(report),
        "dmarc.missing",
    );
    let aligned = item(
        "dmarc_aligned",
        Text {
            en: "DMARC passes: SPF or DKIM aligned with the From domain",
            ja: "DMARC 合格：SPF か DKIM が From ドメインと一致",
        },
        dmarc,
        "dmarc.not_aligned",
    );
    let unsubscribe = item(
        "one_click_unsubscribe",
        Text {
            en: "Marketing mail has one-click unsubscribe (RFC 8058)",
            ja: "配信メールにワンクリック配信停止（RFC 8058）",
        },
        one_click(report),
        "unsubscribe.one_click_missing",
    );
    let spf = item(
        "spf",
        Text {
            en: "SPF passes",
            ja: "SPF が合格",
        },
        spf,
        "spf.fail",
    );
    let dkim = item(
        "dkim",
        Text {
            en: "DKIM passes",
            ja: "DKIM が合格",
        },
        dkim,
        "dkim.fail",
    );
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
    }
}

/// The spam-rate item: it cannot be judged from one message.
fn spam_rate(limit: Text) -> CheckItem {
    item(
        "spam_rate",
        limit,
        cannot_tell("the spam complaint rate (Postmaster Tools / Yahoo Sender Hub)"),
        "vendor.spam_verdict",
    )
}

/// Gmail's rules for every sender.
fn gmail_all(c: &Common, report: &Report) -> Checklist {
    Checklist {
        id: "gmail_all",
        title: Text {
            en: "Gmail: all senders",
            ja: "Gmail：すべての送信者",
        },
        items: vec![
            c.authenticated.clone(),
            c.rdns.clone(),
            c.tls.clone(),
            c.format.clone(),
            item(
                "no_impersonation",
                Text {
                    en: "Do not impersonate Gmail (no @gmail.com From sent elsewhere)",
                    ja: "Gmail になりすまさない（@gmail.com の From を他から送らない）",
                },
                not_impersonating(report),
                "from.freemail_spoof",
            ),
            spam_rate(Text {
                en: "Spam rate below 0.3% in Postmaster Tools",
                ja: "迷惑メール率 0.3% 未満（Postmaster Tools）",
            }),
        ],
    }
}

/// Gmail's further rules for bulk senders (5,000+ a day).
fn gmail_bulk(c: &Common) -> Checklist {
    Checklist {
        id: "gmail_bulk",
        title: Text {
            en: "Gmail: bulk senders (5,000+ a day)",
            ja: "Gmail：大量送信者（1 日 5,000 通以上）",
        },
        items: vec![
            c.spf_and_dkim.clone(),
            c.record.clone(),
            c.aligned.clone(),
            c.unsubscribe.clone(),
            c.rdns.clone(),
            c.tls.clone(),
            spam_rate(Text {
                en: "Spam rate below 0.1% (never 0.3% or more)",
                ja: "迷惑メール率 0.1% 未満（0.3% 以上は不可）",
            }),
        ],
    }
}

/// Yahoo Mail's rules.
fn yahoo(c: &Common) -> Checklist {
    Checklist {
        id: "yahoo",
        title: Text {
            en: "Yahoo Mail",
            ja: "Yahoo メール",
        },
        items: vec![
            c.authenticated.clone(),
            c.rdns.clone(),
            c.format.clone(),
            c.record.clone(),
            c.aligned.clone(),
            c.unsubscribe.clone(),
            spam_rate(Text {
                en: "Spam rate below 0.3%",
                ja: "迷惑メール率 0.3% 未満",
            }),
        ],
    }
}

/// Outlook.com's rules for high-volume senders.
fn outlook_high_volume(c: &Common) -> Checklist {
    Checklist {
        id: "outlook_high_volume",
        title: Text {
            en: "Outlook.com: high-volume senders (5,000+ a day)",
            ja: "Outlook.com：大量送信者（1 日 5,000 通以上）",
        },
        items: vec![
            c.spf.clone(),
            c.dkim.clone(),
            c.record.clone(),
            c.aligned.clone(),
        ],
    }
}
