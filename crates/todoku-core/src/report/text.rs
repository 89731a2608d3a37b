//! The report's sentences and row texts as the front ends show them, in a
//! language passed explicitly: the page and the CLI call these, so both say
//! the same thing in the same words (the fixed labels are
//! [`crate::wording::Ui`]).

use crate::auth::dns::DnsFailure;
use crate::auth::live::{DmarcLookup, LiveChecks, LiveDmarc};
use crate::recorded::receiver::Recorded;
use crate::trace::boundary::TrustBoundary;
use crate::wording::results::{ResultWord, shown};
use crate::wording::{Lang, Ui};

/// "Recorded by the receiver (mx.google.com)".
pub fn recorded_heading(rec: &Recorded, lang: Lang) -> String {
    let title = Ui::RecordedBy.get(lang);
    match (&rec.authserv_id, lang) {
        (Some(id), Lang::En) => format!("{title} ({id})"),
        (Some(id), Lang::Ja) => format!("{title}（{id}）"),
        (None, _) if rec.headers.is_empty() => title.to_string(),
        (None, Lang::En) => format!("{title} ({})", Ui::NoAuthservId.en()),
        (None, Lang::Ja) => format!("{title}（{}）", Ui::NoAuthservId.ja()),
    }
}

/// The trust-boundary sentence: where the receiver met the outside world.
pub fn trust_boundary(b: &TrustBoundary, lang: Lang) -> String {
    // A hop that names no receiving host: the receiver, unnamed.
    let (by, by_ja) = match b.by_host.as_deref() {
        Some(host) => (format!(" ({host})"), format!("（{host}）")),
        None => (String::new(), String::new()),
    };
    match lang {
        Lang::En => {
            let who = match (&b.ip, &b.helo) {
                (Some(ip), Some(helo)) => format!("{ip} (HELO {helo})"),
                (Some(ip), None) => ip.clone(),
                _ => "an unknown client".to_string(),
            };
            format!(
                "The receiver{by} first met the outside world at hop {}: {who}. Its SPF and reverse-DNS checks were about this client; hops below it are the sender's own claims.",
                b.hop
            )
        }
        Lang::Ja => {
            let who = match (&b.ip, &b.helo) {
                (Some(ip), Some(helo)) => format!("{ip}（HELO {helo}）"),
                (Some(ip), None) => ip.clone(),
                _ => "不明な接続元".to_string(),
            };
            format!(
                "受信サーバー{by_ja}が外部から受け取ったのは経路 {} の {who} からです。SPF と逆引きの確認はこの接続元についてのもので、それより前の経路は送信側の自己申告です。",
                b.hop
            )
        }
    }
}

/// "Total transit time: 51 s", "… 4 d 16 h"; a negative total (the hops'
/// clocks disagree) is no time at all.
pub fn total_transit(seconds: i64, lang: Lang) -> String {
    let time = if seconds < 0 {
        match lang {
            Lang::En => "cannot be told: the servers' clocks disagree".to_string(),
            Lang::Ja => "サーバーの時計が合っていないため分かりません".to_string(),
        }
    } else {
        elapsed(seconds, lang, false)
    };
    match lang {
        Lang::En => format!("{}: {time}", Ui::TotalTransit.en()),
        Lang::Ja => format!("{}：{time}", Ui::TotalTransit.ja()),
    }
}

/// A time between two hops in the units a reader takes in at a glance:
/// `51 s`, `6 min 45 s`, `3 h 12 min`, `4 d 16 h` (`51 秒`, `6 分 45 秒`,
/// `3 時間 12 分`, `4 日 16 時間`); with `+` or `-` when `signed` (a hop's
/// delay). A hold of 405,266 seconds read "+405266s".
pub fn elapsed(seconds: i64, lang: Lang, signed: bool) -> String {
    let sign = match (signed, seconds < 0) {
        (_, true) => "-",
        (true, false) => "+",
        (false, false) => "",
    };
    let s = seconds.unsigned_abs();
    let (big, small, units) = match s {
        0..120 => (s, 0, 0),
        120..7200 => (s / 60, s % 60, 1),
        7200..172_800 => (s / 3600, s % 3600 / 60, 2),
        _ => (s / 86_400, s % 86_400 / 3600, 3),
    };
    let names: [(&str, &str); 4] = match lang {
        Lang::En => [("s", ""), ("min", "s"), ("h", "min"), ("d", "h")],
        Lang::Ja => [("秒", ""), ("分", "秒"), ("時間", "分"), ("日", "時間")],
    };
    let (b, sm) = names.get(units).copied().unwrap_or_default();
    if units == 0 {
        format!("{sign}{big} {b}")
    } else {
        format!("{sign}{big} {b} {small} {sm}")
    }
}

/// "… 12 hops in between not read (a mail loop; see the finding)".
pub fn hops_omitted(gap: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("… {gap} {}", Ui::HopsOmitted.en()),
        Lang::Ja => format!("… {gap} {}", Ui::HopsOmitted.ja()),
    }
}

/// The line above the live checks: resolver, questions, rounds.
pub fn live_heading(live: &LiveChecks, lang: Lang) -> String {
    let via = live.provider.as_deref().unwrap_or("—");
    // Offline, or no live check made (the CLI's --offline, a bounce's
    // returned copy): not "Via — — 0 DNS question(s) in 0 round(s)".
    let none_asked = live.provider.is_none() && live.evidence.is_empty();
    if via == "offline" || none_asked {
        let said = match (lang, none_asked) {
            (Lang::En, false) => "Offline mode: no DNS question was asked.",
            (Lang::En, true) => "No DNS question was asked.",
            (Lang::Ja, false) => "オフラインモード：DNS には問い合わせていません。",
            (Lang::Ja, true) => "DNS には問い合わせていません。",
        };
        return said.to_string();
    }
    match lang {
        Lang::En => format!(
            "Via {via} — {} DNS question(s) in {} round(s).",
            live.evidence.len(),
            live.rounds
        ),
        Lang::Ja => format!(
            "{via} 経由：DNS 問い合わせ {} 件、{} 回に分けて実施。",
            live.evidence.len(),
            live.rounds
        ),
    }
}

/// A reason the core wrote in English, in `lang`: the DNS failures
/// ([`DnsFailure::sentence`]) are translated; other reasons (a record's
/// syntax error, a verifier's message) through [`crate::wording::reasons`];
/// what no template fits stays as written.
pub fn reason(text: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return text.to_string();
    }
    // A result word inside a reason ("… (i=1) is unavailable: …").
    if let Some(word) = ResultWord::parse(text) {
        return word.get(lang).to_string();
    }
    for example in DnsFailure::examples() {
        let en = example.sentence(Lang::En);
        let ja = example.sentence(Lang::Ja);
        if en == text {
            return ja;
        }
        // The parametrised ones: the fixed part before the value.
        if let (Some((en_head, _)), Some((ja_head, _))) = (en.split_once(": "), ja.split_once('：'))
            && let Some(rest) = text
                .strip_prefix(en_head)
                .and_then(|r| r.strip_prefix(": "))
        {
            return format!("{ja_head}：{rest}");
        }
        if let (Some((en_head, _)), Some((ja_head, ja_tail))) =
            (en.split_once(" ("), ja.split_once('（'))
            && let Some(rest) = text
                .strip_prefix(en_head)
                .and_then(|r| r.strip_prefix(" ("))
            && let Some((value, _)) = rest.split_once(' ')
        {
            let unit_and_tail = ja_tail.split_once(' ').map_or(ja_tail, |(_, t)| t);
            return format!("{ja_head}（{value} {unit_and_tail}");
        }
        if let DnsFailure::Http { .. } = example
            && let Some(status) = text.strip_prefix("the DNS resolver answered HTTP status ")
        {
            return format!("DNS リゾルバーが HTTP ステータス {status} を返しました");
        }
    }
    crate::wording::reasons::translate(text, lang, &|v| reason(v, lang))
}

/// The From domain's DMARC record now: a status word for styling and the
/// text to show (the record itself when found).
pub fn dmarc_record(live: &LiveDmarc, lang: Lang) -> (&'static str, String) {
    match (&live.lookup, lang) {
        (DmarcLookup::Found { record, .. }, _) => ("found", record.clone()),
        (DmarcLookup::None { .. }, _) => ("none", Ui::NoDmarcRecord.get(lang).to_string()),
        (DmarcLookup::Multiple { records }, Lang::En) => (
            "multiple",
            format!(
                "{} DMARC records: receivers apply none of them.",
                records.len()
            ),
        ),
        (DmarcLookup::Multiple { records }, Lang::Ja) => (
            "multiple",
            format!(
                "DMARC レコードが {} 個あります。受信サーバーはどれも適用しません。",
                records.len()
            ),
        ),
        (DmarcLookup::Temperror { rcode }, Lang::En) => (
            "temperror",
            format!("The domain's DNS failed to answer ({rcode:?})."),
        ),
        (DmarcLookup::Temperror { rcode }, Lang::Ja) => (
            "temperror",
            format!("ドメインの DNS が応答できませんでした（{rcode:?}）。"),
        ),
        (DmarcLookup::Unavailable { failure }, Lang::En) => {
            ("unavailable", format!("Not checked: {failure}."))
        }
        (DmarcLookup::Unavailable { failure }, Lang::Ja) => (
            "unavailable",
            format!("確認できませんでした：{}。", failure.sentence(Lang::Ja)),
        ),
    }
}

/// One row of the live checks: what was checked, the result word, and the
/// detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveRow {
    /// A stable id for the page (`live-spf`, `live-dkim-0`, …).
    pub id: String,
    /// What was checked (`SPF example.com`, `DKIM d=… s=…`).
    pub label: String,
    /// The result word (`pass`, `fail`, `unavailable`, …), for styling.
    pub result: &'static str,
    /// The result word as the reader sees it
    /// ([`crate::wording::results::shown`]).
    pub shown: &'static str,
    /// Why, or what matched.
    pub detail: String,
}

/// Every live check as rows: SPF (envelope sender, HELO), each DKIM
/// signature, DMARC, ARC, reverse DNS.
pub fn live_rows(live: &LiveChecks, lang: Lang) -> Vec<LiveRow> {
    let mut rows = Vec::new();
    if let Some(spf) = &live.spf {
        spf_rows(spf, lang, &mut rows);
    }
    for (i, sig) in live
        .dkim
        .iter()
        .flat_map(|d| d.signatures.iter())
        .enumerate()
    {
        rows.push(dkim_row(i, sig, lang));
    }
    if let Some(d) = &live.dmarc {
        rows.push(dmarc_row(d, lang));
    }
    if let Some(a) = &live.arc {
        rows.push(LiveRow::new(
            "live-arc",
            match lang {
                Lang::En => format!("ARC chain ({} set(s))", a.check.instances),
                Lang::Ja => format!("ARC チェーン（{} 組）", a.check.instances),
            },
            a.check.result.as_str(),
            lang,
            reason(&a.check.summary(), lang),
        ));
    }
    if let Some(i) = &live.iprev {
        rows.push(iprev_row(i, lang));
    }
    rows
}

/// Between two parts of a row's detail.
const SEP: &str = " · ";

impl LiveRow {
    /// A row whose result word is `result`, shown in `lang`.
    fn new(
        id: impl Into<String>,
        label: String,
        result: &'static str,
        lang: Lang,
        detail: String,
    ) -> LiveRow {
        LiveRow {
            id: id.into(),
            label,
            result,
            shown: shown(result, lang),
            detail,
        }
    }
}

/// The SPF rows: the envelope sender's check (with the term that matched)
/// and the HELO name's.
fn spf_rows(spf: &crate::auth::live::LiveSpf, lang: Lang, rows: &mut Vec<LiveRow>) {
    if let Some(c) = &spf.mail_from_check {
        let detail = c
            .reason
            .as_deref()
            .map(|r| reason(r, lang))
            .or_else(|| {
                c.trace
                    .iter()
                    .rev()
                    .find(|s| matches!(s.outcome, crate::auth::spf::SpfOutcome::Matched(_)))
                    .map(|s| match lang {
                        Lang::En => format!("{} matched {}", spf.ip, s.term),
                        Lang::Ja => format!("{} は {} に一致", spf.ip, s.term),
                    })
            })
            .unwrap_or_default();
        rows.push(LiveRow::new(
            "live-spf",
            format!("SPF {}", c.domain),
            c.result.as_str(),
            lang,
            detail,
        ));
    }
    if let Some(c) = &spf.helo_check {
        rows.push(LiveRow::new(
            "live-spf-helo",
            format!("SPF HELO {}", c.domain),
            c.result.as_str(),
            lang,
            c.reason
                .as_deref()
                .map(|r| reason(r, lang))
                .unwrap_or_default(),
        ));
    }
}

/// The row of DKIM signature `i`, with its warnings.
fn dkim_row(i: usize, sig: &crate::auth::dkim::DkimCheck, lang: Lang) -> LiveRow {
    let mut detail = sig
        .reason
        .as_deref()
        .map(|r| reason(r, lang))
        .unwrap_or_default();
    if sig.body == crate::auth::dkim::BodyCheck::NoBody
        && sig.result == crate::auth::dkim::DkimResult::Pass
    {
        detail = match lang {
            Lang::En => "headers verified; the body was not given, so bh= was not checked",
            Lang::Ja => {
                "ヘッダーは検証できました。本文がないため bh=（本文ハッシュ）は確認していません"
            }
        }
        .to_string();
    }
    for w in &sig.warnings {
        detail.push_str(if detail.is_empty() { "" } else { SEP });
        detail.push_str(&reason(w, lang));
    }
    LiveRow::new(
        format!("live-dkim-{i}"),
        format!(
            "DKIM d={} s={}",
            sig.domain.as_deref().unwrap_or("—"),
            sig.selector.as_deref().unwrap_or("—")
        ),
        sig.result.as_str(),
        lang,
        detail,
    )
}

/// The DMARC row: the policy found and the aligned passes, or why none.
fn dmarc_row(d: &crate::auth::live::LiveDmarc, lang: Lang) -> LiveRow {
    let detail = match &d.evaluation {
        Some(e) => match (&e.policy_domain, e.applied_policy) {
            (Some(at), Some(p)) => {
                let aligned = e
                    .alignments
                    .iter()
                    .filter(|a| a.passed && a.aligned)
                    .map(|a| format!("{} {}", a.mechanism, a.domain))
                    .collect::<Vec<_>>()
                    .join(", ");
                match lang {
                    Lang::En => format!(
                        "policy p={} found at _dmarc.{at}; aligned pass: {aligned}",
                        p.as_str()
                    ),
                    Lang::Ja => format!(
                        "_dmarc.{at} のポリシー p={}。From と一致して合格：{}",
                        p.as_str(),
                        if aligned.is_empty() {
                            "なし"
                        } else {
                            &aligned
                        }
                    ),
                }
            }
            _ => e
                .reason
                .as_deref()
                .map(|r| reason(r, lang))
                .unwrap_or_default(),
        },
        None => match &d.lookup {
            DmarcLookup::Found { .. } => String::new(),
            _ => dmarc_record(d, lang).1,
        },
    };
    LiveRow::new(
        "live-dmarc-eval",
        format!("DMARC {}", d.domain),
        d.result.as_str(),
        lang,
        detail,
    )
}

/// The iprev row: the confirmed name, and a HELO name that does not
/// resolve.
fn iprev_row(i: &crate::auth::live::LiveIprev, lang: Lang) -> LiveRow {
    let mut detail = i
        .check
        .confirmed_name
        .clone()
        .or(i.check.reason.as_deref().map(|r| reason(r, lang)))
        .unwrap_or_default();
    if let (Some(helo), Some(false)) = (&i.check.helo, i.check.helo_resolves) {
        detail.push_str(&match lang {
            Lang::En => format!("{SEP}HELO {helo} does not resolve"),
            Lang::Ja => format!("{SEP}HELO 名 {helo} は DNS で引けません"),
        });
    }
    LiveRow::new(
        "live-iprev",
        format!("iprev {}", i.check.ip),
        i.check.result.as_str(),
        lang,
        detail,
    )
}

/// One ARC set as the receiver's chain recorded it: who sealed, its cv=
/// and the results it carried.
pub fn arc_set(set: &crate::recorded::arc::ArcSet, lang: Lang) -> String {
    let seal = set.seal.as_ref();
    let by = seal.and_then(|t| t.domain.as_deref()).unwrap_or("?");
    let cv = seal.and_then(|t| t.cv.as_deref()).unwrap_or("?");
    let said = set
        .results
        .as_ref()
        .map(|r| {
            r.results
                .iter()
                .map(|m| format!("{}={}", m.method, m.result))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    match lang {
        Lang::En => format!(
            "ARC i={} sealed by {by} (cv={cv}); it recorded: {said}",
            set.instance
        ),
        Lang::Ja => format!(
            "ARC i={}（署名者 {by}、cv={cv}）の記録：{said}",
            set.instance
        ),
    }
}

/// A then-vs-now row's explanation in `lang`.
pub fn then_now(c: &crate::auth::live::ThenNow, lang: Lang) -> &str {
    match lang {
        Lang::En => &c.explanation,
        Lang::Ja => &c.explanation_ja,
    }
}

/// A vendor verdict's summary in `lang`.
pub fn vendor_summary(v: &crate::recorded::vendors::VendorVerdict, lang: Lang) -> &str {
    match lang {
        Lang::En => &v.summary,
        Lang::Ja => &v.summary_ja,
    }
}

/// What a vendor header's field means, in `lang`, when Todoku knows.
pub fn vendor_meaning(item: &crate::recorded::vendors::Item, lang: Lang) -> Option<String> {
    item.meaning.as_deref().map(|m| reason(m, lang))
}

/// A checklist row's evidence in `lang`, with the finding that has the fix.
pub fn check_evidence(item: &crate::report::checklist::CheckItem, lang: Lang) -> String {
    let evidence = match lang {
        Lang::En => &item.evidence,
        Lang::Ja => &item.evidence_ja,
    };
    match (item.finding, lang) {
        (Some(id), Lang::En) => format!("{evidence} — {} {id}", Ui::SeeFinding.en()),
        (Some(id), Lang::Ja) => format!("{evidence} — {}{id}", Ui::SeeFinding.ja()),
        (None, _) => evidence.clone(),
    }
}

/// A decoded rejection: its meaning and fix in `lang`.
pub fn bounce(code: &crate::recorded::bounce::BounceCode, lang: Lang) -> (&str, &str) {
    match lang {
        Lang::En => (&code.meaning, &code.fix),
        Lang::Ja => (&code.meaning_ja, &code.fix_ja),
    }
}

/// Where a rejection's finding is: below, or not in these headers.
pub fn bounce_finding(id: &str, shown: bool, lang: Lang) -> String {
    match (shown, lang) {
        (true, Lang::En) => format!("See the finding {id} below."),
        (true, Lang::Ja) => format!("下の診断結果 {id} を参照してください。"),
        (false, Lang::En) => format!("Related finding: {id} (not seen in these headers)."),
        (false, Lang::Ja) => {
            format!("関連する診断結果：{id}（このヘッダーからは見つかりませんでした）。")
        }
    }
}

/// A severity as a word in `lang`.
pub fn severity(s: crate::report::finding::Severity, lang: Lang) -> &'static str {
    use crate::report::finding::Severity;
    match s {
        Severity::Error => Ui::SeverityError,
        Severity::Warning => Ui::SeverityWarning,
        Severity::Info => Ui::SeverityInfo,
        Severity::Pass => Ui::SeverityPass,
    }
    .get(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (review of delivered mail): a list's moderation hold read
    /// "+405266s" and a total over hops whose clocks disagree "-41 秒".
    #[test]
    fn times_between_hops_read_in_units() {
        assert_eq!(elapsed(3, Lang::En, true), "+3 s");
        assert_eq!(elapsed(119, Lang::En, false), "119 s");
        assert_eq!(elapsed(405, Lang::En, true), "+6 min 45 s");
        assert_eq!(elapsed(-405, Lang::Ja, true), "-6 分 45 秒");
        assert_eq!(elapsed(11_520, Lang::En, false), "3 h 12 min");
        assert_eq!(elapsed(405_266, Lang::En, true), "+4 d 16 h");
        assert_eq!(elapsed(405_266, Lang::Ja, true), "+4 日 16 時間");
        assert_eq!(total_transit(51, Lang::En), "Total transit time: 51 s");
        let skewed = total_transit(-41, Lang::Ja);
        assert!(!skewed.contains("-41"), "{skewed}");
        assert!(skewed.contains("時計"), "{skewed}");
    }

    /// Regression (review of the bounces): with no live check made (the
    /// CLI's --offline, a bounce's returned copy) the heading read
    /// "Via — — 0 DNS question(s) in 0 round(s)."
    #[test]
    fn no_live_check_says_no_question_was_asked() {
        let none = LiveChecks::default();
        assert_eq!(live_heading(&none, Lang::En), "No DNS question was asked.");
        assert_eq!(
            live_heading(&none, Lang::Ja),
            "DNS には問い合わせていません。"
        );
        let offline = LiveChecks {
            provider: Some("offline".to_string()),
            ..LiveChecks::default()
        };
        assert!(live_heading(&offline, Lang::En).starts_with("Offline mode"));
        let asked = LiveChecks {
            provider: Some("cloudflare".to_string()),
            ..LiveChecks::default()
        };
        assert!(live_heading(&asked, Lang::En).starts_with("Via cloudflare"));
    }

    /// Every DNS failure the live checks can write is read back into
    /// Japanese, whatever its value.
    /// Every meaning the vendor decoders write reads in Japanese (the
    /// decoders run over each header they know, with the values that have
    /// a meaning).
    #[test]
    fn vendor_field_meanings_read_in_japanese() {
        let headers = [
            (
                "X-Forefront-Antispam-Report",
                "CIP:192.0.2.1;CTRY:JP;LANG:ja;SCL:5;SRV:BULK;IPV:NLI;SFV:SPM;H:DESKTOP-7QK3;PTR:mail.example.jp;CAT:SPOOF;SFTY:9.25;DIR:INB;SFP:1102",
            ),
            ("X-Microsoft-Antispam", "BCL:8;PCL:5"),
            (
                "X-Microsoft-Antispam-Mailbox-Delivery",
                "ucf:1;jmr:1;dest:J",
            ),
            ("X-MS-Exchange-Organization-SCL", "-1"),
            ("X-Spam-Flag", "YES"),
            ("X-Gm-Spam", "1"),
            ("X-Gm-Phishy", "0"),
            ("X-YahooFilteredBulk", "192.0.2.1"),
            ("X-Rspamd-Action", "add header"),
        ];
        let span = crate::span::Span { start: 0, end: 0 };
        let mut english = Vec::new();
        for (name, value) in headers {
            let v = crate::recorded::vendors::decode(name, value, span).unwrap();
            for item in &v.items {
                if let Some(ja) = vendor_meaning(item, Lang::Ja)
                    && ja.is_ascii()
                    && ja.chars().any(|c| c.is_ascii_alphabetic())
                {
                    english.push(format!("{name} {}: {ja}", item.key));
                }
            }
        }
        assert!(english.is_empty(), "{english:#?}");
    }

    /// The DNS evidence lines (shown with the live checks and under a
    /// finding) had their words in English only.
    #[test]
    fn dns_evidence_lines_read_in_japanese() {
        use crate::auth::dns::{DnsAnswer, Rcode, RecordType};
        use crate::auth::live::{DnsEvidence, DnsOutcome};
        let evidence = |outcome| DnsEvidence {
            name: "_dmarc.shop.test".into(),
            rtype: RecordType::Txt,
            provider: "https://dns.test/dns-query".into(),
            asked_by: Vec::new(),
            outcome,
            latency_ms: Some(12),
        };
        let mut empty = DnsAnswer::records(Vec::new());
        empty.rcode = Rcode::NxDomain;
        empty.authenticated = true;
        let e = evidence(DnsOutcome::Answer(empty));
        assert!(
            e.summary().contains("no records, DNSSEC-validated (AD)"),
            "{}",
            e.summary()
        );
        let ja = e.summary_in(Lang::Ja);
        assert!(ja.contains("レコードなし、DNSSEC 検証済み（AD）"), "{ja}");
        assert!(ja.starts_with("_dmarc.shop.test TXT → "), "{ja}");
        let e = evidence(DnsOutcome::Failure(DnsFailure::Timeout));
        assert_eq!(
            e.summary_in(Lang::Ja),
            "_dmarc.shop.test TXT → DNS リゾルバーが時間内に応答しませんでした [12 ms]"
        );
    }

    #[test]
    fn every_dns_failure_reason_reads_in_japanese() {
        for f in DnsFailure::examples() {
            assert_eq!(
                reason(&f.sentence(Lang::En), Lang::Ja),
                f.sentence(Lang::Ja),
                "{f:?}"
            );
        }
        let f = DnsFailure::DeadlineExceeded { limit_ms: 4500 };
        assert_eq!(reason(&f.to_string(), Lang::Ja), f.sentence(Lang::Ja));
        let f = DnsFailure::Network {
            detail: "TypeError: Failed to fetch".into(),
        };
        assert_eq!(reason(&f.to_string(), Lang::Ja), f.sentence(Lang::Ja));
        // A reason that is not a DNS failure stays as written.
        assert_eq!(
            reason("body hash did not verify", Lang::Ja),
            "body hash did not verify"
        );
    }
}
