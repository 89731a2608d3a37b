//! The page's getting-started words (issue 18): how to get the headers out
//! of each mail client, the sample messages, drop and paste anywhere, the
//! collapsed sections' one-line summaries, times in the reader's zone and
//! the resolver choice. Both languages, one exhaustive match each, so a
//! word without its translation does not compile.

use super::Lang;

/// A mail client or device the page explains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Client {
    /// Gmail in a browser.
    GmailWeb,
    /// Classic Outlook for Windows.
    OutlookDesktop,
    /// New Outlook for Windows and Outlook on the web.
    OutlookWeb,
    /// Yahoo! JAPAN メール.
    YahooJapan,
    /// Thunderbird.
    Thunderbird,
    /// Apple Mail on a Mac.
    AppleMail,
    /// 秀丸メール and Becky!.
    HidemaruBecky,
    /// Mail apps on iPhone and Android.
    Phone,
}

/// Every client, in the order the page lists them.
pub const CLIENTS: &[Client] = &[
    Client::GmailWeb,
    Client::OutlookDesktop,
    Client::OutlookWeb,
    Client::YahooJapan,
    Client::Thunderbird,
    Client::AppleMail,
    Client::HidemaruBecky,
    Client::Phone,
];

impl Client {
    /// The client's name as its users know it.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Client::GmailWeb, Lang::En) => "Gmail (web)",
            (Client::GmailWeb, Lang::Ja) => "Gmail（ブラウザ）",
            (Client::OutlookDesktop, Lang::En) => "Outlook for Windows (classic)",
            (Client::OutlookDesktop, Lang::Ja) => "Outlook（従来のデスクトップ版）",
            (Client::OutlookWeb, Lang::En) => "New Outlook / Outlook on the web",
            (Client::OutlookWeb, Lang::Ja) => "新しい Outlook / Outlook on the web",
            (Client::YahooJapan, _) => "Yahoo! JAPAN メール",
            (Client::Thunderbird, _) => "Thunderbird",
            (Client::AppleMail, Lang::En) => "Apple Mail (Mac)",
            (Client::AppleMail, Lang::Ja) => "Apple メール（Mac）",
            (Client::HidemaruBecky, Lang::En) => "Hidemaru Mail (秀丸メール) / Becky!",
            (Client::HidemaruBecky, Lang::Ja) => "秀丸メール / Becky!",
            (Client::Phone, Lang::En) => "iPhone / Android mail apps",
            (Client::Phone, Lang::Ja) => "iPhone・Android のメールアプリ",
        }
    }

    /// How to get the headers out, in one or two sentences.
    pub fn steps(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Client::GmailWeb, Lang::En) => {
                "Open the message, click ⋮ (More) next to Reply, choose “Show original”, then “Copy to clipboard” and paste here (or “Download original” and drop the file here)."
            }
            (Client::GmailWeb, Lang::Ja) => {
                "メールを開き、返信ボタンの横の ⋮（その他）→「メッセージのソースを表示」を選び、「クリップボードにコピー」してここに貼り付けます（「オリジナルをダウンロード」したファイルをドロップしても構いません）。"
            }
            (Client::OutlookDesktop, Lang::En) => {
                "Open the message in its own window (double-click), then File → Properties: copy everything in “Internet headers”."
            }
            (Client::OutlookDesktop, Lang::Ja) => {
                "メールをダブルクリックして別ウィンドウで開き、ファイル → プロパティ →「インターネット ヘッダー」欄の内容をすべてコピーします。"
            }
            (Client::OutlookWeb, Lang::En) => {
                "Open the message, click … (More actions) → View → View message source, and copy all of it."
            }
            (Client::OutlookWeb, Lang::Ja) => {
                "メールを開き、…（その他の操作）→ 表示 → メッセージのソースを表示 を選び、すべてコピーします。"
            }
            (Client::YahooJapan, Lang::En) => {
                "Open the message and show its detailed headers (詳細ヘッダー); copy all of them."
            }
            (Client::YahooJapan, Lang::Ja) => {
                "メールを開いて「詳細ヘッダー」を表示し、すべてコピーします。"
            }
            (Client::Thunderbird, Lang::En) => {
                "Select the message and press Ctrl+U (⌘U on a Mac) to see its source; copy all of it, or save the message (.eml) and drop the file here."
            }
            (Client::Thunderbird, Lang::Ja) => {
                "メールを選んで Ctrl+U（Mac は ⌘U）でソースを表示し、すべてコピーします。メールを .eml で保存してドロップしても構いません。"
            }
            (Client::AppleMail, Lang::En) => {
                "Select the message, then View → Message → Raw Source (⌥⌘U), or View → Message → All Headers; copy the headers."
            }
            (Client::AppleMail, Lang::Ja) => {
                "メールを選び、表示 → メッセージ → ソース（⌥⌘U）または 表示 → メッセージ → すべてのヘッダー を選んで、ヘッダーをコピーします。"
            }
            (Client::HidemaruBecky, Lang::En) => {
                "Show all header lines of the message (both programs can; the item's name varies by version: look in the View (表示) menu for “ヘッダ”), then copy from the very first header line (Return-Path:, Received: …) to the blank line before the body. Or save the message as a file and drop it here."
            }
            (Client::HidemaruBecky, Lang::Ja) => {
                "メールのヘッダーをすべて表示し（どちらのソフトにもあり、項目名は版により違うので「表示」メニューで「ヘッダ」を含む項目を探します）、先頭のヘッダー行（Return-Path:・Received: など）から本文の前の空行までをコピーします。メールをファイルに保存してここにドロップしても構いません。"
            }
            (Client::Phone, Lang::En) => {
                "The phone apps (Gmail, Outlook, iPhone Mail) cannot show headers. Open the same mailbox on a computer in a browser (Gmail, Outlook.com, Yahoo! JAPAN メール) and follow its steps above, or forward the message as an attachment to someone who can."
            }
            (Client::Phone, Lang::Ja) => {
                "スマートフォンのメールアプリ（Gmail・Outlook・iPhone の「メール」）ではヘッダーを表示できません。パソコンのブラウザで同じメールボックス（Gmail・Outlook.com・Yahoo! JAPAN メール）を開いて上の手順で取り出すか、調べられる人にメールを添付ファイルとして転送してください。"
            }
        }
    }
}

/// A sample message the page offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sample {
    /// A PC-name HELO through a hosting SMTP server, SPF softfail.
    HostingSoftfail,
    /// Gmail to Gmail, everything passes.
    GmailClean,
    /// A bounce: the address does not exist.
    Bounce,
}

/// Every sample, in the order the page offers them.
pub const SAMPLES: &[Sample] = &[Sample::HostingSoftfail, Sample::GmailClean, Sample::Bounce];

impl Sample {
    /// The sample's button label.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Sample::HostingSoftfail, Lang::En) => {
                "Office PC through a hosting server: SPF softfail"
            }
            (Sample::HostingSoftfail, Lang::Ja) => {
                "事務所のパソコンからレンタルサーバー経由：SPF softfail"
            }
            (Sample::GmailClean, Lang::En) => "Gmail to Gmail: no problems",
            (Sample::GmailClean, Lang::Ja) => "Gmail から Gmail：問題なし",
            (Sample::Bounce, Lang::En) => "A bounce: the address does not exist",
            (Sample::Bounce, Lang::Ja) => "エラーメール：宛先のアドレスが存在しない",
        }
    }
}

/// The page's own getting-started words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    /// Heading of the how-to.
    HelpHeading,
    /// Heading of the samples.
    SamplesHeading,
    /// Under the samples: what they are.
    SamplesNote,
    /// Drop a file or paste anywhere on the page.
    DropAnywhere,
    /// Shown while a file is dragged over the page.
    DropNow,
    /// Summary of the collapsed checklists: `failed` / `total` unmet.
    ChecklistsSummary,
    /// Summary of the collapsed raw headers.
    RawSummary,
    /// Summary of the collapsed hop details.
    HopsSummary,
    /// Times are shown in the reader's zone.
    LocalTimeNote,
    /// A group of hops inside one organisation.
    InternalGroup,
    /// The resolver choice's label.
    ResolverChoice,
    /// The custom resolver option.
    ResolverCustom,
    /// A custom resolver the page's security policy blocks.
    ResolverBlocked,
    /// The share-link button.
    ShareButton,
    /// What the share link holds, above its preview.
    SharePreview,
    /// The copy button beside the link.
    ShareCopy,
    /// The headers are too large for a link.
    ShareTooLarge,
    /// The page was opened from a share link.
    ShareOpened,
}

/// `word` in `lang`.
pub fn word(word: Word, lang: Lang) -> &'static str {
    match (word, lang) {
        (Word::HelpHeading, Lang::En) => "How do I get the headers?",
        (Word::HelpHeading, Lang::Ja) => "ヘッダーの取り出し方",
        (Word::SamplesHeading, Lang::En) => "Try a sample",
        (Word::SamplesHeading, Lang::Ja) => "サンプルで試す",
        (Word::SamplesNote, Lang::En) => {
            "Messages written for Todoku: their addresses and signatures are invented, so they are analysed without DNS checks."
        }
        (Word::SamplesNote, Lang::Ja) => {
            "Todoku 用に作ったメールです。アドレスや署名は架空のため、DNS の再チェックなしで分析します。"
        }
        (Word::DropAnywhere, Lang::En) => {
            "You can also drop an .eml file anywhere on this page, or paste anywhere (Ctrl+V / ⌘V)."
        }
        (Word::DropAnywhere, Lang::Ja) => {
            ".eml ファイルはページのどこにドロップしても、ヘッダーはどこで貼り付けても（Ctrl+V / ⌘V）分析できます。"
        }
        (Word::DropNow, Lang::En) => "Drop the file to analyse it",
        (Word::DropNow, Lang::Ja) => "ここにドロップして分析",
        (Word::ChecklistsSummary, Lang::En) => "requirements not met",
        (Word::ChecklistsSummary, Lang::Ja) => "件の要件を満たしていません",
        (Word::RawSummary, Lang::En) => "header fields; the evidence is marked",
        (Word::RawSummary, Lang::Ja) => "個のヘッダー（根拠に印を付けています）",
        (Word::HopsSummary, Lang::En) => "hops; total transit",
        (Word::HopsSummary, Lang::Ja) => "経路・配送時間の合計",
        (Word::LocalTimeNote, Lang::En) => {
            "Times are in your time zone; hover over one to see it as the server wrote it."
        }
        (Word::LocalTimeNote, Lang::Ja) => {
            "時刻はお使いのタイムゾーンで表示しています。ポインターを合わせるとサーバーが記録した時刻を表示します。"
        }
        (Word::InternalGroup, Lang::En) => "Inside one organisation (not judged)",
        (Word::InternalGroup, Lang::Ja) => "組織内の転送（判定の対象外）",
        (Word::ResolverChoice, Lang::En) => "DNS-over-HTTPS service",
        (Word::ResolverChoice, Lang::Ja) => "DNS-over-HTTPS サービス",
        (Word::ResolverCustom, Lang::En) => "Other (enter the URL below)",
        (Word::ResolverCustom, Lang::Ja) => "その他（下に URL を入力）",
        (Word::ResolverBlocked, Lang::En) => {
            "This resolver is blocked: the page's security policy (Content-Security-Policy) lets it contact only the services listed above and resolvers on this computer (localhost), so that nothing you paste can be sent anywhere else. To use your own DoH server, run this page from your own copy with the server added to the policy, or reach it through localhost."
        }
        (Word::ResolverBlocked, Lang::Ja) => {
            "このリゾルバーはブロックされます。貼り付けた内容が他所へ送られないよう、このページのセキュリティポリシー（Content-Security-Policy）は上の一覧のサービスとこのパソコン上（localhost）のリゾルバーにしか接続できません。独自の DoH サーバーを使うには、そのサーバーをポリシーに加えた自分用のコピーでこのページを動かすか、localhost 経由で接続してください。"
        }
        (Word::ShareButton, Lang::En) => "Private share link",
        (Word::ShareButton, Lang::Ja) => "共有リンク（非公開）",
        (Word::SharePreview, Lang::En) => {
            "The link holds exactly the text below: these headers with local parts and message ids masked, compressed into the part of the link after #, which browsers never send to a server. Whoever has the link can read it. Links are limited to 32 KB."
        }
        (Word::SharePreview, Lang::Ja) => {
            "リンクに含まれるのは下の内容だけです（アドレスの @ より前とメッセージ ID を伏せたヘッダー）。圧縮して # より後ろに入れており、この部分はブラウザーからサーバーへ送られません。リンクを知っている人は読めます。リンクは 32 KB までです。"
        }
        (Word::ShareCopy, Lang::En) => "Copy link",
        (Word::ShareCopy, Lang::Ja) => "リンクをコピー",
        (Word::ShareTooLarge, Lang::En) => {
            "These headers are too large for a link (over 32 KB compressed): use the redacted copy instead."
        }
        (Word::ShareTooLarge, Lang::Ja) => {
            "ヘッダーが大きすぎてリンクにできません（圧縮後 32 KB 超）。伏せ字にしたヘッダーのコピーを使ってください。"
        }
        (Word::ShareOpened, Lang::En) => {
            "Opened from a share link: these are the sender's redacted headers."
        }
        (Word::ShareOpened, Lang::Ja) => {
            "共有リンクから開きました。送り主が伏せ字にしたヘッダーです。"
        }
    }
}

/// The DNS-over-HTTPS services the page offers, all allowed by its
/// Content-Security-Policy (scripts/post-build.mjs): name and RFC 8484 URL.
pub const RESOLVERS: &[(&str, &str)] = &[
    (
        "Cloudflare (1.1.1.1)",
        "https://cloudflare-dns.com/dns-query",
    ),
    ("Google Public DNS", "https://dns.google/dns-query"),
    ("Quad9", "https://dns.quad9.net/dns-query"),
    ("IIJ Public DNS", "https://public.dns.iij.jp/dns-query"),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 18: the 秀丸メール / Becky! steps copy the whole header block
    /// (Return-Path and a receiver's Authentication-Results can sit above
    /// the first Received:), name no menu path Todoku cannot vouch for, and
    /// give the route that always works: save the message, drop the file.
    #[test]
    fn hidemaru_and_becky_steps_copy_from_the_first_header_line_and_offer_the_file_route() {
        for lang in [Lang::En, Lang::Ja] {
            let steps = Client::HidemaruBecky.steps(lang);
            assert!(steps.contains("Return-Path:"), "{steps}");
            assert!(!steps.contains("最初の「Received:」の行から"), "{steps}");
            assert!(
                !steps.contains("from the first “Received:” line"),
                "{steps}"
            );
            assert!(steps.contains("ヘッダ"), "{steps}");
        }
        assert!(
            Client::HidemaruBecky
                .steps(Lang::En)
                .contains("drop it here")
        );
        assert!(Client::HidemaruBecky.steps(Lang::Ja).contains("ドロップ"));
    }
}
