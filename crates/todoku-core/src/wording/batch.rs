//! The words of a batch (many messages, an mbox): the table's verdict
//! column and the summary's sentence per sending domain, in both languages.

use super::Lang;

/// The verdict column: `filtered`, `at_risk`, `clean` or `unknown` in words.
pub fn verdict_label(verdict: &str, lang: Lang) -> &'static str {
    match (verdict, lang) {
        ("filtered", Lang::En) => "likely rejected or spam",
        ("filtered", Lang::Ja) => "拒否・迷惑メールの可能性大",
        ("at_risk", Lang::En) => "delivered, at risk",
        ("at_risk", Lang::Ja) => "届くが要注意",
        ("clean", Lang::En) => "no problem found",
        ("clean", Lang::Ja) => "問題なし",
        (_, Lang::En) => "not analysed",
        (_, Lang::Ja) => "分析できず",
    }
}

/// The domain of a group, or the words for messages without a From domain.
fn domain_words(domain: Option<&str>, lang: Lang) -> String {
    // "from example.jp" / "example.jp からの"; a message without a From
    // domain is not "from no From domain".
    match (domain, lang) {
        (Some(d), Lang::En) => format!("from {d}"),
        (Some(d), Lang::Ja) => format!("{d} からの"),
        (None, Lang::En) => "without a From domain".to_string(),
        (None, Lang::Ja) => "From ドメインのない".to_string(),
    }
}

/// Where the group's most common problem came from: one address, or the
/// most common of several.
fn from_ip(ip: Option<&str>, other_ips: usize, lang: Lang) -> String {
    match (ip, other_ips, lang) {
        (None, _, _) => String::new(),
        (Some(ip), 0, Lang::En) => format!(" (sent from {ip})"),
        (Some(ip), 0, Lang::Ja) => format!("（送信元 {ip}）"),
        (Some(ip), n, Lang::En) => format!(
            " (sent from {ip} and {n} other address{})",
            if n == 1 { "" } else { "es" }
        ),
        (Some(ip), n, Lang::Ja) => format!("（送信元 {ip} ほか {n} 件のアドレス）"),
    }
}

/// "38 of 50 messages from example.co.jp: SPF soft-failed: … (sent from
/// 203.0.113.45)";
/// `problem` is the finding's title, `None` when the group had none.
pub fn group_sentence(
    lang: Lang,
    domain: Option<&str>,
    with_problem: usize,
    messages: usize,
    problem: Option<&str>,
    ip: Option<&str>,
    other_ips: usize,
) -> String {
    let domain = domain_words(domain, lang);
    let plural = if messages == 1 { "" } else { "s" };
    match (problem, lang) {
        (None, Lang::En) => format!("{messages} message{plural} {domain}: no problem found"),
        (None, Lang::Ja) => format!("{domain} {messages} 通: 問題なし"),
        (Some(problem), Lang::En) => format!(
            "{with_problem} of {messages} message{plural} {domain}: {problem}{}",
            from_ip(ip, other_ips, lang)
        ),
        (Some(problem), Lang::Ja) => format!(
            "{domain} {messages} 通のうち {with_problem} 通: {problem}{}",
            from_ip(ip, other_ips, lang)
        ),
    }
}

/// A file or message that could not be analysed, as the row's error.
pub fn unreadable_file(reason: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("could not be read: {reason}"),
        Lang::Ja => format!("読み取れませんでした: {reason}"),
    }
}

/// A mailbox message larger than the limit, skipped.
pub fn message_too_large(bytes: u64, lang: Lang) -> String {
    match lang {
        Lang::En => format!("a message of {bytes} bytes, larger than Todoku analyses; skipped"),
        Lang::Ja => {
            format!("{bytes} バイトのメールで、Todoku が分析できる大きさを超えるため飛ばしました")
        }
    }
}

/// The totals line: "50 messages: 3 likely rejected or spam, 10 at risk, …".
pub fn totals(
    lang: Lang,
    messages: usize,
    filtered: usize,
    at_risk: usize,
    clean: usize,
    unknown: usize,
) -> String {
    match lang {
        Lang::En => format!(
            "{messages} message{}: {filtered} likely rejected or spam, {at_risk} at risk, {clean} with no problem found, {unknown} not analysed",
            if messages == 1 { "" } else { "s" }
        ),
        Lang::Ja => format!(
            "{messages} 通: 拒否・迷惑メールの可能性大 {filtered} 通、要注意 {at_risk} 通、問題なし {clean} 通、分析できず {unknown} 通"
        ),
    }
}

/// The page's batch table: its headings, filter, progress and buttons, as
/// `(key, words)` pairs (`{n}` in `progress` is the count so far; in
/// `checking` and `check-cancelled`, `{n}` rows of the `{m}` chosen). The
/// verdict column uses [`verdict_label`].
pub fn page_words(lang: Lang) -> &'static [(&'static str, &'static str)] {
    match lang {
        Lang::En => &[
            ("heading", "Messages"),
            ("summary", "By sending domain"),
            ("date", "Date"),
            ("from", "From"),
            ("subject", "Subject"),
            ("verdict", "Verdict"),
            ("finding", "Top finding"),
            ("filter", "Show messages with"),
            ("filter-all", "any finding"),
            ("progress", "{n} messages analysed …"),
            ("done", "{n} messages analysed."),
            ("cancel", "Cancel"),
            ("export-csv", "Download CSV"),
            ("export-jsonl", "Download JSON lines"),
            ("cancelled", "Cancelled after {n} messages."),
            ("open", "Select a row to see that message's full report."),
            ("sort", "Sort by this column"),
            (
                "more",
                "The first {n} rows are shown; sort or filter to see the others.",
            ),
            ("choose", "Choose"),
            ("choose-all", "Choose all rows shown"),
            ("check", "Re-check chosen rows over DNS"),
            (
                "check-note",
                "The table is made from the messages alone: no DNS questions are asked until you re-check chosen rows.",
            ),
            ("checking", "Re-checking over DNS: {n} of {m} rows done …"),
            ("checked", "{n} rows re-checked over DNS."),
            (
                "check-cancelled",
                "DNS re-check stopped after {n} of {m} rows.",
            ),
            ("checked-now", "checked over DNS now"),
        ],
        Lang::Ja => &[
            ("heading", "メール一覧"),
            ("summary", "送信ドメインごとの概要"),
            ("date", "日時"),
            ("from", "差出人"),
            ("subject", "件名"),
            ("verdict", "判定"),
            ("finding", "主な指摘"),
            ("filter", "表示する指摘"),
            ("filter-all", "すべて"),
            ("progress", "{n} 通を分析済み …"),
            ("done", "{n} 通を分析しました。"),
            ("cancel", "中止"),
            ("export-csv", "CSV をダウンロード"),
            ("export-jsonl", "JSON Lines をダウンロード"),
            ("cancelled", "{n} 通で中止しました。"),
            ("open", "行を選ぶと、そのメールの詳しい結果を表示します。"),
            ("sort", "この列で並べ替え"),
            (
                "more",
                "最初の {n} 行を表示しています。ほかの行は並べ替えか絞り込みで表示できます。",
            ),
            ("choose", "選択"),
            ("choose-all", "表示中の行をすべて選択"),
            ("check", "選んだ行を DNS で再確認"),
            (
                "check-note",
                "この表はメールの内容だけから作っています。選んだ行を再確認するまで DNS への問い合わせはしません。",
            ),
            ("checking", "DNS で再確認中: {m} 行のうち {n} 行完了 …"),
            ("checked", "{n} 行を DNS で再確認しました。"),
            (
                "check-cancelled",
                "DNS の再確認を {m} 行のうち {n} 行で中止しました。",
            ),
            ("checked-now", "DNS で今確認済み"),
        ],
    }
}
