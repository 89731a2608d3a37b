//! The page's and the terminal's own words: headings, labels, buttons,
//! each in English and Japanese. One macro table makes the enum and the
//! matches, so a word without both languages does not compile; the key is
//! what `data-i18n` attributes in www/index.html name.

use super::Lang;

macro_rules! words {
    ($($(#[$doc:meta])* $name:ident $key:literal => $en:literal, $ja:literal;)*) => {
        /// A word or label of the page or the CLI.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Ui {
            $($(#[$doc])* #[doc = $en] $name,)*
        }

        impl Ui {
            /// Every word.
            pub const ALL: &'static [Ui] = &[$(Ui::$name,)*];

            /// The key (`data-i18n` attributes name it).
            pub fn key(self) -> &'static str {
                match self {
                    $(Ui::$name => $key,)*
                }
            }

            /// The English word.
            pub fn en(self) -> &'static str {
                match self {
                    $(Ui::$name => $en,)*
                }
            }

            /// The Japanese word.
            pub fn ja(self) -> &'static str {
                match self {
                    $(Ui::$name => $ja,)*
                }
            }
        }
    };
}

words! {
    LargeRunning "large-running" => "Analysing in the background: ", "バックグラウンドで分析中：";
    Cancel "cancel" => "Cancel", "中止";
    Cancelled "cancelled" => "Analysis cancelled.", "分析を中止しました。";
    LargeNote "large-note" => "Large input: analysed in the background and shown as a summary; live DNS checks are skipped. Paste the header block alone for the full report.", "大きな入力のため、バックグラウンドで分析して要約を表示しています（DNS の再チェックは省略）。詳しいレポートはヘッダー部分だけを貼り付けてください。";
    LargeCounts "large-counts" => "Header fields, hops, seconds to analyse: ", "ヘッダー数・経路数・分析秒数：";
    LivePending "live-pending" => "Re-checking SPF, DKIM, DMARC, ARC and reverse DNS …", "SPF・DKIM・DMARC・ARC・逆引きを再チェックしています…";
    LiveProgress "live-progress" => "DNS answers so far: ", "受信した DNS 応答：";
    Tagline "tagline" => "Why did my mail land in spam? Paste the headers — they never leave this page.", "メールが迷惑メールになった・届かない理由を調べます。ヘッダーはこのページの外に送られません。";
    InputHeading "input-heading" => "Message headers", "メールヘッダー";
    InputLabel "input-label" => "Paste the header block or the whole message source", "ヘッダー部分、またはメールのソース全体を貼り付けてください";
    Analyze "analyze" => "Analyze", "分析する";
    FileLabel "file-label" => "or open .eml or Outlook .msg files, or an mbox", "または .eml・Outlook の .msg ファイルか mbox を開く";
    Settings "settings" => "DNS settings", "DNS の設定";
    DohLabel "doh-label" => "DNS-over-HTTPS resolvers (tried in order when one cannot be reached)", "DNS-over-HTTPS リゾルバー（つながらない場合は順に試します）";
    DohNote "doh-note" => "Live checks send only DNS names (such as _dmarc.example.com) to this resolver; it sees which domains you check.", "再チェックでこのリゾルバーに送るのは DNS 名（_dmarc.example.com など）だけです。調べたドメイン名はリゾルバーに知られます。";
    OfflineLabel "offline-label" => "Offline mode: make no DNS queries", "オフラインモード：DNS 問い合わせをしない";
    LangLabel "lang-label" => "Language", "言語";
    Findings "findings" => "Findings", "診断結果";
    Checklists "checklists" => "Sender requirements", "送信者要件";
    Bounce "bounce" => "Rejection decoded", "拒否メッセージの解読";
    RawHeaders "raw-headers" => "Raw headers", "ヘッダー原文";
    VendorVerdicts "vendor-verdicts" => "Spam filter verdicts", "迷惑メールフィルターの判定";
    ReceivedHops "received-hops" => "Received hops", "配送経路";
    HopsOmitted "hops-omitted" => "hops in between not read (a mail loop; see the finding)", "件の途中の経路は読み取っていません（メールループ。指摘を参照）";
    DmarcNow "dmarc-now" => "DMARC record now", "現在の DMARC レコード";
    Live "live" => "Re-checked now", "現在の DNS で再チェック";
    ThenNow "then-now" => "Then (recorded) vs now", "受信時の記録と現在の比較";
    DnsEvidence "dns-evidence" => "DNS evidence", "DNS の証拠";
    Nothing "nothing" => "Nothing to report from the headers alone.", "ヘッダーだけからは指摘事項はありません。";
    Show "show" => " show in headers", " ヘッダー内で表示";
    Fix "fix" => "Fix: ", "対処：";
    ExportMd "export-md" => "Copy as Markdown", "Markdown でコピー";
    ExportJson "export-json" => "Download JSON", "JSON をダウンロード";
    ExportRedacted "export-redacted" => "Copy redacted headers", "伏せ字にしたヘッダーをコピー";
    Copied "copied" => "Copied to the clipboard; the text is also below.", "クリップボードにコピーしました（下にも表示しています）。";
    NotCopied "not-copied" => "Select the text below and copy it.", "下の文字列を選択してコピーしてください。";
    Downloaded "downloaded" => "todoku-report.json saved.", "todoku-report.json を保存しました。";
    TimelineTitle "timeline-title" => "Time each hop took, coloured by encryption", "各経路の所要時間（色は暗号化の有無）";
    TimelineTls "timeline-tls" => "TLS", "TLS";
    TimelinePlain "timeline-plain" => "not encrypted", "暗号化なし";
    TimelineInternal "timeline-internal" => "internal", "組織内";
    TimelineUnknown "timeline-unknown" => "encryption not recorded", "暗号化の記録なし";
    TimelineSkew "timeline-skew" => "clock off", "時計のずれ";
    RedactIps "redact-ips" => "also mask IP addresses", "IP アドレスも伏せる";
    ExportText "export-text" => "Exported text", "書き出したテキスト";
    // The report's section headings and labels, shared by the page and the CLI.
    Subject "subject" => "Subject", "件名";
    FromLabel "from" => "From", "差出人";
    Date "date" => "Date", "日付";
    RecordedBy "recorded-by" => "Recorded by the receiver", "受信サーバーの記録";
    NoAuthservId "no-authserv-id" => "no authserv-id", "authserv-id なし";
    NoAuthResults "no-auth-results" => "No Authentication-Results header: the receiver recorded no SPF/DKIM/DMARC results here.", "Authentication-Results ヘッダーがありません。受信サーバーはここに SPF・DKIM・DMARC の結果を記録していません。";
    ColMethod "col-method" => "Method", "方式";
    ColResult "col-result" => "Result", "結果";
    ColDetails "col-details" => "Details", "詳細";
    ColNote "col-note" => "Receiver's note", "受信サーバーの注記";
    HopsOldestFirst "hops-oldest-first" => "Received hops (oldest first)", "配送経路（古い順）";
    NoReceived "no-received" => "No Received headers.", "Received ヘッダーがありません。";
    ColHop "col-hop" => "#", "#";
    ColFrom "col-from" => "From", "送信元";
    ColBy "col-by" => "By", "受信サーバー";
    ColWith "col-with" => "With", "方式";
    ColTls "col-tls" => "TLS", "TLS";
    ColTime "col-time" => "Time", "時刻";
    ColDelay "col-delay" => "Delay", "遅延";
    TotalTransit "total-transit" => "Total transit time", "配送にかかった時間の合計";
    Seconds "seconds" => "s", "秒";
    Deferred "deferred" => "deferred", "一時的な拒否（保留）";
    Refused "refused" => "refused", "拒否";
    FindingLabel "finding" => "finding", "診断結果";
    SeverityError "severity-error" => "error", "エラー";
    SeverityWarning "severity-warning" => "warning", "警告";
    SeverityInfo "severity-info" => "info", "情報";
    SeverityPass "severity-pass" => "pass", "合格";
    StatePass "state-pass" => "ok", "OK";
    StateFail "state-fail" => "FAIL", "不可";
    StateUnknown "state-unknown" => "?", "？";
    SeeFinding "see-finding" => "see", "参照：";
    NoEnvelopeSender "no-envelope-sender" => "(no envelope sender)", "（エンベロープ送信者なし）";
    NoDmarcRecord "no-dmarc-record" => "No DMARC record.", "DMARC レコードはありません。";
    PolicyApplies "policy-applies" => "policy that applies", "適用されるポリシー";
    ForHelo "for-helo" => "HELO", "HELO";
    NoSection "no-section" => "-", "-";
    BounceNeedsHeaders "bounce-needs-headers" => "Paste the headers of the rejected message too (or the whole bounce) to see which record to fix.", "どのレコードを直すべきか調べるには、拒否されたメールのヘッダー（またはエラーメール全体）も貼り付けてください。";
    SomethingWrong "something-wrong" => "Something went wrong: ", "エラーが発生しました：";
    RawCut "raw-cut" => "(The header block is longer than shown here; all of it was analysed.)", "（ヘッダー部分はここに表示した範囲より長いですが、すべて分析しています。）";
    FindingDns "finding-dns" => "DNS answers behind this finding", "この診断結果の根拠となる DNS 応答";
    MarkdownTitle "markdown-title" => "Todoku report", "Todoku 診断レポート";
    StaleReport "stale-report" => "the report was still in use when the live checks came back; analyse again", "再チェックの結果が届いたときにレポートが使用中でした。もう一度分析してください";
}

impl Ui {
    /// The word in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en(),
            Lang::Ja => self.ja(),
        }
    }

    /// The word whose key is `key`.
    pub fn from_key(key: &str) -> Option<Ui> {
        Ui::ALL.iter().copied().find(|w| w.key() == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_every_word_has_both_languages() {
        for (i, w) in Ui::ALL.iter().enumerate() {
            assert!(!w.en().is_empty() && !w.ja().is_empty(), "{w:?}");
            assert_eq!(Ui::from_key(w.key()), Some(*w), "duplicate key {}", w.key());
            assert!(Ui::ALL.iter().skip(i + 1).all(|o| o.key() != w.key()));
        }
    }
}
