//! The one-sentence verdict: the findings that matter most, in words a
//! sender understands. (English; the Japanese catalogue comes with issue 5.)

use crate::report::finding::{Finding, Severity};
use crate::report::verdict::{Outlook, Verdict};

/// Short reasons, in order of impact on delivery: (id, English, Japanese).
const REASONS: &[(&str, &str, &str)] = &[
    (
        "from.encoded_word_attack",
        "the From header is forged",
        "From ヘッダーの偽装",
    ),
    (
        "rfc5322.malformed_field_name",
        "a header imitates another",
        "ヘッダーを装う行",
    ),
    (
        "vendor.spam_verdict",
        "the receiving filter marked it as spam",
        "受信サーバーのフィルターによる迷惑メール判定",
    ),
    (
        "from.freemail_spoof",
        "it claims a free-mail From address but was not sent by that provider",
        "フリーメールの From を別サーバーから送信",
    ),
    ("dmarc.fail", "DMARC failed", "DMARC 不合格"),
    (
        "dmarc.not_aligned",
        "SPF/DKIM pass only for another domain, so DMARC is not aligned",
        "SPF/DKIM のアライメント不一致",
    ),
    (
        "receiver.auth_required",
        "Gmail/Yahoo require SPF or DKIM to pass and neither did",
        "Gmail・Yahoo の必須要件（SPF か DKIM の合格）を満たしていない",
    ),
    ("spf.fail", "SPF failed", "SPF fail"),
    (
        "rfc5322.missing_from",
        "it has no From header",
        "From ヘッダーなし",
    ),
    (
        "rfc5322.malformed_from",
        "its From address cannot be read",
        "From のアドレスが読めない",
    ),
    (
        "rfc5322.duplicate_from",
        "it has two From headers",
        "From ヘッダーが複数",
    ),
    (
        "dkim.fail",
        "the DKIM signature did not verify",
        "DKIM 署名の検証失敗",
    ),
    (
        "dkim.key_missing",
        "the DKIM key is not published",
        "DKIM 公開鍵が未公開",
    ),
    (
        "dns.broken",
        "the domain's DNS is failing",
        "ドメインの DNS 障害",
    ),
    (
        "dkim.permerror",
        "the DKIM signature is broken",
        "DKIM 署名の破損",
    ),
    (
        "dkim.signature_malformed",
        "the DKIM signature is malformed",
        "DKIM 署名の形式不正",
    ),
    (
        "dkim.from_not_signed",
        "DKIM does not sign the From header",
        "DKIM が From を署名していない",
    ),
    (
        "spf.permerror",
        "the SPF record is broken",
        "SPF レコードの破損",
    ),
    (
        "dmarc.permerror",
        "the DMARC record is broken",
        "DMARC レコードの破損",
    ),
    ("spf.softfail", "SPF soft-failed", "SPF softfail"),
    (
        "iprev.missing",
        "the sending IP has no matching reverse DNS",
        "送信 IP の逆引き不一致",
    ),
    (
        "dkim.key_weak",
        "the DKIM key is too short",
        "DKIM 鍵が短い",
    ),
    (
        "dkim.none",
        "the message has no DKIM signature",
        "DKIM 署名なし",
    ),
    (
        "dmarc.missing",
        "the domain has no DMARC record",
        "DMARC レコードなし",
    ),
    (
        "spf.none",
        "the domain has no SPF record",
        "SPF レコードなし",
    ),
    (
        "helo.not_fqdn",
        "the sending computer announces a bare PC name",
        "HELO/EHLO でパソコン名を名乗っている",
    ),
    (
        "helo.no_dns",
        "the server's HELO name does not resolve",
        "HELO/EHLO のホスト名が DNS で引けない",
    ),
    (
        "dkim.temperror",
        "the DKIM key could not be fetched at receipt",
        "受信時に DKIM 鍵を取得できなかった",
    ),
    (
        "spf.temperror",
        "SPF could not be checked at receipt",
        "受信時に SPF を確認できなかった",
    ),
    (
        "unsubscribe.one_click_missing",
        "one-click unsubscribe is missing",
        "ワンクリック配信停止なし",
    ),
    (
        "tls.not_used",
        "the last hop was not encrypted",
        "受信サーバーへの経路が暗号化されていない",
    ),
    ("arc.fail", "the ARC chain failed", "ARC 不合格"),
    (
        "rfc5322.unencoded_8bit",
        "headers are raw legacy-charset text",
        "エンコードされていない 8 ビット文字のヘッダー",
    ),
    ("dkim.weak_hash", "DKIM uses rsa-sha1", "DKIM が rsa-sha1"),
    (
        "from.display_name_address",
        "the From name shows another address",
        "表示名に別のアドレス",
    ),
    (
        "received.loop",
        "it went round a mail loop",
        "メールのループ",
    ),
    (
        "rfc5322.duplicate_date",
        "it has two Date headers",
        "Date ヘッダーが複数",
    ),
    (
        "rfc5322.duplicate_message_id",
        "it has two Message-ID headers",
        "Message-ID が複数",
    ),
    (
        "dkim.expired",
        "the DKIM signature had expired",
        "DKIM 署名の期限切れ",
    ),
    (
        "dmarc.temperror",
        "DMARC could not be checked at receipt",
        "受信時に DMARC を確認できなかった",
    ),
    (
        "arc.structure",
        "the ARC chain is malformed",
        "ARC チェーンの形式不正",
    ),
    (
        "dkim.body_length",
        "the DKIM signature covers only part of the body (l=)",
        "DKIM 署名が本文の一部だけ（l=）",
    ),
    (
        "rfc5322.missing_date",
        "it has no Date header",
        "Date ヘッダーなし",
    ),
    (
        "rfc5322.missing_message_id",
        "it has no Message-ID",
        "Message-ID なし",
    ),
    (
        "rfc5322.malformed_message_id",
        "its Message-ID is malformed",
        "Message-ID の形式不正",
    ),
    (
        "rfc5322.multiple_from_addresses",
        "From lists several addresses",
        "From に複数のアドレス",
    ),
    (
        "rfc5322.duplicate_subject",
        "it has two Subject headers",
        "Subject が 2 つ",
    ),
];

pub(crate) fn rank(id: &str) -> usize {
    REASONS
        .iter()
        .position(|(r, _, _)| *r == id)
        .unwrap_or(REASONS.len())
}

/// The short reason for a finding, as a clause that continues "because …":
/// a catalogue title when the list has none, its first letter lowered
/// (never the finding's own message, a whole sentence of its own).
fn reason(f: &Finding) -> String {
    if let Some(r) = crate::wording::catalogue::variant_reason(f.id, f.title) {
        return r.en.to_string();
    }
    REASONS.iter().find(|(r, _, _)| *r == f.id).map_or_else(
        || lowered(f.title.en.trim_end_matches('.')),
        |(_, text, _)| (*text).to_string(),
    )
}

fn reason_ja(f: &Finding) -> String {
    if let Some(r) = crate::wording::catalogue::variant_reason(f.id, f.title) {
        return r.ja.to_string();
    }
    REASONS
        .iter()
        .find(|(r, _, _)| *r == f.id)
        .map_or_else(|| f.title.ja.to_string(), |(_, _, ja)| (*ja).to_string())
}

/// Join up to two reasons: "A", "A and B".
fn join(reasons: &[String]) -> String {
    match reasons {
        [] => String::new(),
        [a] => a.clone(),
        [a, b, ..] => format!("{a} and {b}"),
    }
}

/// The verdict when nothing was analysed: the input problem's sentence
/// (an empty input, no header, a too large input), else no header found.
pub(crate) fn nothing(problem: Option<&crate::input::info::InputProblem>) -> Verdict {
    use crate::wording::Lang;
    let (sentence, sentence_ja) = match problem {
        Some(problem) => (problem.sentence(Lang::En), problem.sentence(Lang::Ja)),
        None => (
            "Nothing was analysed: no email header was found.".to_string(),
            "メールヘッダーが見つからないため、何も分析できませんでした。".to_string(),
        ),
    };
    Verdict {
        outlook: Outlook::Unknown,
        sentence,
        sentence_ja,
        because: Vec::new(),
    }
}

/// `text` with its first letter lowered when it begins a plain word
/// (ASCII only: the page carries no Unicode case tables).
fn lowered(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) if chars.clone().next().is_some_and(|n| n.is_ascii_lowercase()) => {
            std::iter::once(c.to_ascii_lowercase())
                .chain(chars)
                .collect()
        }
        _ => text.to_string(),
    }
}

/// `text` as a clause after a colon: [`lowered`], ending with a full stop.
fn clause(text: &str) -> String {
    let mut out = lowered(text.trim_end_matches('.'));
    out.push('.');
    out
}

/// The verdict for a pasted rejection without headers: how it was refused,
/// with which code and why, in both languages (the Japanese said only "see
/// below"; the English repeated the code: "Rejected with 5.1.1: A permanent
/// status 5.1.1: …").
pub(crate) fn rejection(codes: &[crate::recorded::bounce::BounceCode]) -> Verdict {
    use crate::wording::Lang;
    use crate::wording::bounce::{EXPIRED, GAVE_UP, TEMPORARY};
    let Some(first) = codes.iter().find(|c| c.finding.is_some()).or(codes.first()) else {
        return nothing(None);
    };
    let code = first.code();
    let (en, ja) = (first.reason(Lang::En), first.reason(Lang::Ja));
    // A provider's own meaning ("Gmail: …") keeps its capital.
    let mut en = if en.len() == first.meaning.len() {
        format!("{}.", en.trim_end_matches('.'))
    } else {
        clause(en)
    };
    let mut ja = ja.trim_end_matches('。').to_string();
    ja.push('。');
    let (how, how_ja) = if first.gave_up() {
        // The code's own words, when it says more than "temporary".
        if [TEMPORARY, EXPIRED].iter().any(|t| ja == t.ja) {
            en = clause(GAVE_UP.en);
            ja.clear();
        } else {
            en.push(' ');
            en.push_str(GAVE_UP.en);
        }
        ja.push_str(GAVE_UP.ja);
        ("Returned undelivered", "で返送されました")
    } else if first.temporary {
        (
            "Deferred (the sender retries)",
            "で一時的に受信を保留されました",
        )
    } else {
        ("Rejected", "で受信を拒否されました")
    };
    let (sentence, sentence_ja) = (
        format!("{how} with {code}: {en}"),
        format!("{code} {how_ja}：{ja}"),
    );
    Verdict {
        outlook: Outlook::Filtered,
        sentence,
        sentence_ja,
        because: first.finding.into_iter().collect(),
    }
}

/// The verdict for a bounce that names no status code: the reason its
/// recipient lines read from the words ('User unknown', 'mailfolder is
/// full') when they all agree, with its fix (sisimai-008, -070 said only
/// "no status code; its text says why").
pub(crate) fn returned(recipients: &[crate::whole::dsn::Recipient]) -> Verdict {
    use crate::recorded::bounce::Said;
    let said = |r: &crate::whole::dsn::Recipient| {
        r.said
            .or_else(|| r.status.as_deref().and_then(Said::of_status))
    };
    let mut each = recipients.iter().map(said);
    let agreed = each
        .next()
        .flatten()
        .filter(|s| each.all(|o| o == Some(*s)));
    if let Some(s) = agreed {
        let w = s.words();
        return Verdict {
            outlook: Outlook::Filtered,
            sentence: format!("Returned undelivered: {} {}", clause(w.reason.en), w.fix.en),
            sentence_ja: format!("配信できずに返送されました：{}{}", w.reason.ja, w.fix.ja),
            because: Vec::new(),
        };
    }
    Verdict {
        outlook: Outlook::Filtered,
        sentence: "Returned undelivered: this is a bounce, and it gives no status code; its text says why.".to_string(),
        sentence_ja: "配信できずに返送されました（このメールはエラー通知で、ステータスコードはありません。理由は本文に書かれています）。".to_string(),
        because: Vec::new(),
    }
}

/// The verdict for a copy no receiving server judged (see
/// [`crate::diagnose::findings::unjudged`]) and with nothing wrong in it:
/// clean, but saying that no receiver's judgement is in these headers.
pub(crate) fn unjudged() -> Verdict {
    Verdict {
        outlook: Outlook::Clean,
        sentence: "No problems found, but no receiving server judged this copy: it only passed the sender's own submission or internal servers, so the headers cannot show how a receiver treats it.".to_string(),
        sentence_ja: "ヘッダーに問題は見つかりませんでした。ただし、この写しは送信側のサーバーや組織内の配送しか通っておらず、受信サーバーの判定は含まれていません（受信側での扱いはこのヘッダーからは分かりません）。".to_string(),
        because: Vec::new(),
    }
}

/// The verdict for these findings.
pub(crate) fn judge(findings: &[Finding]) -> Verdict {
    let pick = |severity: Severity| {
        let mut chosen: Vec<&Finding> =
            findings.iter().filter(|f| f.severity == severity).collect();
        crate::order::by_key(&mut chosen, |f| crate::order::key(rank(f.id)));
        chosen.dedup_by_key(|f| f.id);
        chosen.truncate(2);
        chosen
    };
    let errors = pick(Severity::Error);
    if !errors.is_empty() {
        let reasons: Vec<String> = errors.iter().map(|f| reason(f)).collect();
        let reasons_ja: Vec<String> = errors.iter().map(|f| reason_ja(f)).collect();
        return Verdict {
            outlook: Outlook::Filtered,
            sentence: format!(
                "Likely rejected or filtered as spam because {}.",
                join(&reasons)
            ),
            sentence_ja: format!(
                "拒否または迷惑メール扱いになる可能性が高いです（理由：{}）。",
                reasons_ja.join("、")
            ),
            because: errors.iter().map(|f| f.id).collect(),
        };
    }
    let warnings = pick(Severity::Warning);
    if !warnings.is_empty() {
        let reasons: Vec<String> = warnings.iter().map(|f| reason(f)).collect();
        let reasons_ja: Vec<String> = warnings.iter().map(|f| reason_ja(f)).collect();
        return Verdict {
            outlook: Outlook::AtRisk,
            sentence: format!(
                "Probably delivered, but at risk because {}.",
                join(&reasons)
            ),
            sentence_ja: format!(
                "おおむね届きますが、判定の厳しい受信サーバーでは迷惑メール扱いされるおそれがあります（理由：{}）。",
                reasons_ja.join("、")
            ),
            because: warnings.iter().map(|f| f.id).collect(),
        };
    }
    Verdict {
        outlook: Outlook::Clean,
        sentence: "No problems found in the headers.".to_string(),
        sentence_ja: "ヘッダーに問題は見つかりませんでした。".to_string(),
        because: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(id: &'static str, severity: Severity) -> Finding {
        Finding {
            id,
            severity,
            message: format!("{id} message."),
            message_ja: format!("{id} のメッセージ。"),
            detail: String::new(),
            evidence: Vec::new(),
            dns: Vec::new(),
            cause: None,
            cause_ja: None,
            title: crate::wording::catalogue::title(id),
            detail_ja: "",
        }
    }

    #[test]
    fn errors_are_named_by_impact() {
        let v = judge(&[
            f("helo.not_fqdn", Severity::Warning),
            f("spf.softfail", Severity::Warning),
            f("dmarc.fail", Severity::Error),
            f("vendor.spam_verdict", Severity::Error),
        ]);
        assert_eq!(v.outlook, Outlook::Filtered);
        assert_eq!(
            v.sentence,
            "Likely rejected or filtered as spam because the receiving filter marked it as spam and DMARC failed."
        );
        assert_eq!(v.because, vec!["vendor.spam_verdict", "dmarc.fail"]);
        assert_eq!(
            v.sentence_ja,
            "拒否または迷惑メール扱いになる可能性が高いです（理由：受信サーバーのフィルターによる迷惑メール判定、DMARC 不合格）。"
        );
    }

    #[test]
    fn warnings_only_and_clean() {
        let v = judge(&[
            f("tls.not_used", Severity::Warning),
            f("spf.softfail", Severity::Warning),
            f("dkim.pass", Severity::Pass),
        ]);
        assert_eq!(
            v.sentence,
            "Probably delivered, but at risk because SPF soft-failed and the last hop was not encrypted."
        );
        assert_eq!(
            judge(&[f("spf.pass", Severity::Pass)]).outlook,
            Outlook::Clean
        );
    }

    /// Regression: "…at risk because The DKIM signature for … has expired"
    /// — a finding without a short reason put its whole message, capital
    /// and all, in the middle of the verdict sentence.
    #[test]
    fn every_warning_or_error_reads_as_a_clause_of_the_sentence() {
        // Findings that are only ever info or pass.
        const NEVER_WARNS: &[&str] = &[
            "spf.pass",
            "spf.neutral",
            "dkim.pass",
            "dkim.not_oversigned",
            "dkim.key_too_large",
            "dmarc.pass",
            "clock.skew",
            "unsubscribe.one_click",
            "rfc5322.missing_subject",
            "dmarc.policy_none",
            "dns.transient",
            "forwarding.spf_broken",
        ];
        for entry in crate::wording::catalogue::ENTRIES {
            if NEVER_WARNS.contains(&entry.id) || !entry.id.contains('.') || entry.id == "no.such" {
                continue;
            }
            assert!(
                REASONS.iter().any(|(id, _, _)| *id == entry.id),
                "{} has no short reason for the verdict sentence",
                entry.id
            );
        }
        let v = judge(&[f("dkim.expired", Severity::Warning)]);
        assert_eq!(
            v.sentence,
            "Probably delivered, but at risk because the DKIM signature had expired."
        );
        assert!(
            v.sentence_ja.starts_with("おおむね届きますが"),
            "{}",
            v.sentence_ja
        );
    }
}
