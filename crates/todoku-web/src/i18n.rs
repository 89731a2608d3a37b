//! The page's language: Japanese or English, from the browser's language,
//! switchable, remembered in localStorage. Report content comes from the
//! core in both languages (findings catalogue, verdict, checklists); this
//! module holds the page's own words.

use std::cell::Cell;

use todoku_core::wording::{Lang, Text};
use wasm_bindgen::prelude::*;
use web_sys::Element;

const STORAGE_LANG: &str = "todoku.lang";

thread_local! {
    static LANG: Cell<Lang> = const { Cell::new(Lang::En) };
}

/// The current language.
pub fn lang() -> Lang {
    LANG.with(Cell::get)
}

/// The page's own words: key, English, Japanese.
const WORDS: &[(&str, &str, &str)] = &[
    (
        "large-running",
        "Analysing in the background: ",
        "バックグラウンドで分析中：",
    ),
    ("cancel", "Cancel", "中止"),
    ("cancelled", "Analysis cancelled.", "分析を中止しました。"),
    (
        "large-note",
        "Large input: analysed in the background and shown as a summary; live DNS checks are skipped. Paste the header block alone for the full report.",
        "大きな入力のため、バックグラウンドで分析して要約を表示しています（DNS の再チェックは省略）。詳しいレポートはヘッダー部分だけを貼り付けてください。",
    ),
    (
        "large-counts",
        "Header fields, hops, seconds to analyse: ",
        "ヘッダー数・経路数・分析秒数：",
    ),
    (
        "live-pending",
        "Re-checking SPF, DKIM, DMARC, ARC and reverse DNS …",
        "SPF・DKIM・DMARC・ARC・逆引きを再チェックしています…",
    ),
    (
        "live-progress",
        "DNS answers so far: ",
        "受信した DNS 応答：",
    ),
    (
        "tagline",
        "Why did my mail land in spam? Paste the headers — they never leave this page.",
        "メールが迷惑メールになった・届かない理由を調べます。ヘッダーはこのページの外に送られません。",
    ),
    ("input-heading", "Message headers", "メールヘッダー"),
    (
        "input-label",
        "Paste the header block or the whole message source",
        "ヘッダー部分、またはメールのソース全体を貼り付けてください",
    ),
    ("analyze", "Analyze", "分析する"),
    (
        "file-label",
        "or open .eml or Outlook .msg files, or an mbox",
        "または .eml・Outlook の .msg ファイルか mbox を開く",
    ),
    ("settings", "DNS settings", "DNS の設定"),
    (
        "doh-label",
        "DNS-over-HTTPS resolvers (tried in order when one cannot be reached)",
        "DNS-over-HTTPS リゾルバー（つながらない場合は順に試します）",
    ),
    (
        "doh-note",
        "Live checks send only DNS names (such as _dmarc.example.com) to this resolver; it sees which domains you check.",
        "再チェックでこのリゾルバーに送るのは DNS 名（_dmarc.example.com など）だけです。調べたドメイン名はリゾルバーに知られます。",
    ),
    (
        "offline-label",
        "Offline mode: make no DNS queries",
        "オフラインモード：DNS 問い合わせをしない",
    ),
    ("lang-label", "Language", "言語"),
    ("findings", "Findings", "診断結果"),
    ("checklists", "Sender requirements", "送信者要件"),
    ("bounce", "Rejection decoded", "拒否メッセージの解読"),
    ("raw-headers", "Raw headers", "ヘッダー原文"),
    (
        "vendor-verdicts",
        "Spam filter verdicts",
        "スパムフィルタの判定",
    ),
    ("received-hops", "Received hops", "配送経路"),
    (
        "hops-omitted",
        "hops in between not read (a mail loop; see the finding)",
        "件の途中の経路は読み取っていません（メールループ。指摘を参照）",
    ),
    ("dmarc-now", "DMARC record now", "現在の DMARC レコード"),
    ("live", "Re-checked now", "現在の DNS で再チェック"),
    (
        "then-now",
        "Then (recorded) vs now",
        "受信時の記録と現在の比較",
    ),
    ("dns-evidence", "DNS evidence", "DNS の証拠"),
    (
        "nothing",
        "Nothing to report from the headers alone.",
        "ヘッダーだけからは指摘事項はありません。",
    ),
    ("show", " show in headers", " ヘッダー内で表示"),
    ("fix", "Fix: ", "対処："),
    ("export-md", "Copy as Markdown", "Markdown でコピー"),
    ("export-json", "Download JSON", "JSON をダウンロード"),
    (
        "export-redacted",
        "Copy redacted headers",
        "伏せ字にしたヘッダーをコピー",
    ),
    (
        "copied",
        "Copied to the clipboard; the text is also below.",
        "クリップボードにコピーしました（下にも表示しています）。",
    ),
    (
        "not-copied",
        "Select the text below and copy it.",
        "下の文字列を選択してコピーしてください。",
    ),
    (
        "downloaded",
        "todoku-report.json saved.",
        "todoku-report.json を保存しました。",
    ),
    (
        "timeline-title",
        "Time each hop took, coloured by encryption",
        "各経路の所要時間（色は暗号化の有無）",
    ),
    ("timeline-tls", "TLS", "TLS"),
    ("timeline-plain", "not encrypted", "暗号化なし"),
    ("timeline-internal", "internal", "組織内"),
    (
        "timeline-unknown",
        "encryption not recorded",
        "暗号化の記録なし",
    ),
    ("timeline-skew", "clock off", "時計のずれ"),
    (
        "redact-ips",
        "also mask IP addresses",
        "IP アドレスも伏せる",
    ),
    ("export-text", "Exported text", "書き出したテキスト"),
];

/// The page word for `key` in the current language (the key itself when unknown).
pub fn t(key: &'static str) -> &'static str {
    WORDS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map_or(key, |(_, en, ja)| Text { en, ja }.get(lang()))
}

/// Pick a core text in the current language.
pub fn pick(text: Text) -> &'static str {
    text.get(lang())
}

fn storage() -> Option<web_sys::Storage> {
    crate::dom::window().ok()?.local_storage().ok()?
}

/// The saved choice, else the browser's language.
pub fn initial() -> Lang {
    if let Some(saved) = storage().and_then(|s| s.get_item(STORAGE_LANG).ok().flatten()) {
        return Lang::from_tag(&saved);
    }
    crate::dom::window()
        .ok()
        .and_then(|w| w.navigator().language())
        .map_or(Lang::En, |tag| Lang::from_tag(&tag))
}

/// Switch to `lang`, remember it, and translate the page's static text
/// (elements with `data-i18n`).
pub fn set(lang: Lang) -> Result<(), JsValue> {
    LANG.with(|l| l.set(lang));
    if let Some(s) = storage() {
        let _ = s.set_item(STORAGE_LANG, lang.tag());
    }
    let document = crate::dom::window()?
        .document()
        .ok_or_else(|| JsValue::from_str("no document"))?;
    if let Some(root) = document.document_element() {
        root.set_attribute("lang", lang.tag())?;
    }
    let nodes = document.query_selector_all("[data-i18n]")?;
    for i in 0..nodes.length() {
        let Some(node) = nodes.item(i) else {
            continue;
        };
        let element: Element = node.dyn_into()?;
        if let Some(key) = element.get_attribute("data-i18n")
            && let Some((_, en, ja)) = WORDS.iter().find(|(k, _, _)| *k == key)
        {
            element.set_text_content(Some(Text { en, ja }.get(lang)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::WORDS;

    /// Every `t("key")` in the crate has both languages; a typo would show
    /// the key itself on the page.
    #[test]
    fn every_page_word_used_is_defined() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut used = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let code = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for (at, _) in code.match_indices("t(\"") {
                let before = code[..at].chars().last();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue; // e.g. `set(` or `get(`
                }
                let line_start = code[..at].rfind('\n').map_or(0, |i| i + 1);
                if code[line_start..at].trim_start().starts_with("//") {
                    continue;
                }
                let rest = &code[at + 3..];
                let key = &rest[..rest.find('"').unwrap()];
                used.push(key.to_string());
            }
        }
        assert!(used.len() > 20, "{used:?}");
        let missing: Vec<_> = used
            .iter()
            .filter(|k| {
                !WORDS
                    .iter()
                    .any(|(w, en, ja)| w == k && !en.is_empty() && !ja.is_empty())
            })
            .collect();
        assert!(
            missing.is_empty(),
            "page words without a translation: {missing:?}"
        );
    }
}
