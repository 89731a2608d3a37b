//! The reasons the live checks write (in English, in the JSON) read back in
//! Japanese: each template's `{}` is a value (a domain, a number, a record
//! or a nested reason, itself read again); the Japanese names the values
//! `{0}`, `{1}` … in its own order. A reason no template fits stays as
//! written (it quotes a record or a library's message).

use super::Lang;

/// (English template, Japanese template).
const REASONS: &[(&str, &str)] = &[
    // SPF (auth/spf).
    (
        "not a valid domain to check: {}",
        "確認できるドメイン名ではありません：{0}",
    ),
    (
        "{} publishes no SPF record",
        "{0} は SPF レコードを公開していません",
    ),
    (
        "DNS error {} looking up {} {}",
        "{1} {2} の DNS 問い合わせでエラー {0}",
    ),
    (
        "DNS error {} looking up {}",
        "{1} の DNS 問い合わせでエラー {0}",
    ),
    (
        "more than {} lookups found nothing (the last: {})",
        "結果が空の DNS 参照が {0} 回を超えました（最後：{1}）",
    ),
    (
        "more than {} DNS-querying terms (the 11th: {})",
        "DNS 参照を伴う項目が {0} 個を超えました（11 個目：{1}）",
    ),
    (
        "{} publishes {} SPF records; exactly one is allowed",
        "{0} は SPF レコードを {1} 個公開しています。1 個だけにしてください",
    ),
    (
        "syntax error in {}'s record: {}",
        "{0} のレコードに構文エラー：{1}",
    ),
    (
        "redirect to an invalid domain: {}",
        "redirect 先が不正なドメインです：{0}",
    ),
    (
        "redirect target {} publishes no SPF record",
        "redirect 先の {0} は SPF レコードを公開していません",
    ),
    (
        "macro expansion stopped: {}",
        "マクロの展開が止まりました：{0}",
    ),
    (
        "{} has {} MX records; SPF allows 10",
        "{0} の MX レコードが {1} 個あります。SPF では 10 個までです",
    ),
    (
        "include of an invalid domain: {}",
        "include 先が不正なドメインです：{0}",
    ),
    (
        "include:{} publishes no SPF record",
        "include:{0} は SPF レコードを公開していません",
    ),
    (
        "include:{}: temperror",
        "include:{0}：temperror（一時的なエラー）",
    ),
    (
        "include:{}: permerror",
        "include:{0}：permerror（恒久的なエラー）",
    ),
    // DKIM (auth/dkim).
    (
        "not re-checked: limit of {} signatures (those aligned with From first, then top first)",
        "再チェックしていません：署名は {0} 個まで（From と一致するものを先に、次に上から順に）",
    ),
    (
        "rsa-sha1 is obsolete (RFC 8301); many receivers no longer accept it: sign with rsa-sha256",
        "rsa-sha1 は廃止されています（RFC 8301）。多くの受信サーバーが受け付けません。rsa-sha256 で署名してください",
    ),
    (
        "the signature expired at {} (x=); receivers that check after that treat it as invalid",
        "署名の有効期限（x=）は {0} に切れています。それ以降に確認する受信サーバーは無効として扱います",
    ),
    (
        "l={} signs only part of the body: anyone can append content that still verifies",
        "l={0} で本文の一部しか署名していません。誰でも内容を追加でき、署名は有効なままです",
    ),
    (
        "the key at {} says t=y (testing): receivers may ignore this signature",
        "{0} の公開鍵は t=y（テスト中）です。受信サーバーはこの署名を無視することがあります",
    ),
    (
        "the key at {} is {} bits; 2048 is the current recommendation",
        "{0} の公開鍵は {1} ビットです。現在の推奨は 2048 ビットです",
    ),
    (
        "the key at {} is {} bits; RFC 8301 says keys under 1024 bits are not valid",
        "{0} の公開鍵は {1} ビットです。RFC 8301 では 1024 ビット未満の鍵は無効です",
    ),
    (
        "the key at {} is an RSA key of {} bits; Todoku verifies RSA keys up to {} bits, so it did not check this signature (larger keys are allowed, and the receiver may well have verified it)",
        "{0} の公開鍵は {1} ビットの RSA 鍵です。Todoku が検証できるのは {2} ビットまでなので、この署名は確認していません（大きな鍵は許されており、受信サーバーは検証できている可能性があります）",
    ),
    (
        "unsupported version v={}",
        "対応していないバージョンです：v={0}",
    ),
    ("unknown algorithm a={}", "不明なアルゴリズムです：a={0}"),
    (
        "unknown canonicalization c={}",
        "不明な正規化方式です：c={0}",
    ),
    (
        "h= does not include From, which RFC 6376 requires",
        "h= に From がありません（RFC 6376 で必須）",
    ),
    ("i={} is not within d={}", "i={0} が d={1} の範囲外です"),
    ("x={} is before t=", "x={0} が t= より前です"),
    (
        "b= is not valid base64",
        "b= が正しい base64 ではありません",
    ),
    (
        "bh= is not valid base64",
        "bh= が正しい base64 ではありません",
    ),
    (
        "the signature (b=) does not verify: a signed header was changed, or the key does not match",
        "署名（b=）が検証できません。署名対象のヘッダーが書き換えられたか、公開鍵が合っていません",
    ),
    (
        "l={} is longer than the body ({} bytes)",
        "l={0} が本文（{1} バイト）より長くなっています",
    ),
    (
        "the body hash (bh=) does not match: the body was changed after signing",
        "本文ハッシュ（bh=）が一致しません。署名の後で本文が書き換えられています",
    ),
    ("no key published at {}", "{0} に公開鍵がありません"),
    (
        "the key record at {} is invalid: {}",
        "{0} の公開鍵レコードが不正です：{1}",
    ),
    (
        "the key at {} is revoked (empty p=)",
        "{0} の公開鍵は失効しています（p= が空）",
    ),
    (
        "the key at {} is not for email (s=)",
        "{0} の公開鍵はメール用ではありません（s=）",
    ),
    (
        "the key at {} has t=s, so i= must be exactly d={}",
        "{0} の公開鍵は t=s なので、i= は d={1} と完全に一致する必要があります",
    ),
    ("the key cannot be used: {}", "公開鍵を使えません：{0}"),
    ("verification failed: {}", "署名の検証に失敗しました：{0}"),
    // Vendor verdict fields (recorded/vendors): what each value means.
    (
        "-1: filtering skipped (safe sender, trusted or internal mail)",
        "-1：フィルター対象外（安全な送信者、信頼済み、組織内）",
    ),
    (
        "not spam: delivered to the inbox",
        "迷惑メールではない：受信トレイに配信",
    ),
    (
        "not spam (2-4 are not used by current filtering)",
        "迷惑メールではない（2〜4 は現在のフィルターでは使われません）",
    ),
    (
        "spam: delivered to Junk Email or quarantined",
        "迷惑メール：迷惑メールフォルダーに配信、または検疫",
    ),
    (
        "spam (7 is not used by current filtering)",
        "迷惑メール（7 は現在のフィルターでは使われません）",
    ),
    ("high confidence spam", "確度の高い迷惑メール"),
    ("0: not from a bulk sender", "0：一斉配信の送信者ではない"),
    (
        "bulk sender with few complaints",
        "苦情の少ない一斉配信の送信者",
    ),
    (
        "bulk sender with a mixed number of complaints (the default threshold is 7)",
        "苦情がある程度ある一斉配信の送信者（既定のしきい値は 7）",
    ),
    (
        "bulk sender that draws many complaints",
        "苦情の多い一斉配信の送信者",
    ),
    (
        "phishing confidence level {} of 8: likely phishing",
        "フィッシングの確度 {0}（8 段階）：フィッシングの可能性が高い",
    ),
    (
        "phishing confidence level {} of 8",
        "フィッシングの確度 {0}（8 段階）",
    ),
    ("the connecting IP address: {}", "接続元 IP アドレス：{0}"),
    ("country of the connecting IP: {}", "接続元 IP の国：{0}"),
    ("language of the message: {}", "メールの言語：{0}"),
    (
        "the HELO/EHLO name the sender gave: {}",
        "送信側が名乗った HELO/EHLO 名：{0}",
    ),
    (
        "reverse DNS of the connecting IP: {}",
        "接続元 IP の逆引き：{0}",
    ),
    ("inbound", "受信"),
    ("outbound", "送信"),
    ("internal", "組織内"),
    (
        "allowed: the connecting IP is on an IP Allow list",
        "許可：接続元 IP が IP 許可リストにあります",
    ),
    (
        "the connecting IP is on no reputation list",
        "接続元 IP はどの評価リストにも載っていません",
    ),
    ("not spam", "迷惑メールではない"),
    ("spam", "迷惑メール"),
    (
        "blocked: the sender is on the recipient's Blocked Senders list",
        "ブロック：送信者が受信者の受信拒否リストにあります",
    ),
    (
        "filtering skipped: the sender is on the recipient's Safe Senders list",
        "フィルター対象外：送信者が受信者の差出人セーフリストにあります",
    ),
    (
        "filtering skipped: allowed by the anti-spam policy's allow lists",
        "フィルター対象外：迷惑メール対策ポリシーの許可リストで許可",
    ),
    (
        "marked spam: the sender is on the policy's block lists",
        "迷惑メール扱い：送信者がポリシーのブロックリストにあります",
    ),
    (
        "filtering skipped: internal mail within the organisation",
        "フィルター対象外：組織内のメール",
    ),
    (
        "marked not spam before filtering (a mail flow rule)",
        "フィルター前に迷惑メールではないと判定（メールフロールール）",
    ),
    ("released from quarantine", "検疫から解放"),
    (
        "marked spam before filtering (a mail flow rule)",
        "フィルター前に迷惑メールと判定（メールフロールール）",
    ),
    ("no protection category applied", "保護カテゴリの適用なし"),
    ("bulk mail", "一斉配信メール"),
    ("phishing", "フィッシング"),
    ("high confidence phishing", "確度の高いフィッシング"),
    (
        "spoofing: the From domain failed authentication (composite authentication)",
        "なりすまし：From ドメインが認証に失敗（複合認証）",
    ),
    ("domain impersonation", "ドメインのなりすまし"),
    ("user impersonation", "ユーザーのなりすまし"),
    (
        "mailbox intelligence impersonation",
        "メールボックス インテリジェンスによるなりすまし検出",
    ),
    ("malware", "マルウェア"),
    ("intra-organisation phishing", "組織内フィッシング"),
    ("anti-malware policy", "マルウェア対策ポリシー"),
    ("Safe Attachments policy", "安全な添付ファイル ポリシー"),
    (
        "file type block policy",
        "ファイルの種類のブロック ポリシー",
    ),
    (
        "identified as bulk (BCL threshold or a mail flow rule)",
        "一斉配信と判定（BCL のしきい値、またはメールフロールール）",
    ),
    (
        "safety tip: domain impersonation",
        "安全のヒント：ドメインのなりすまし",
    ),
    (
        "safety tip: user impersonation",
        "安全のヒント：ユーザーのなりすまし",
    ),
    (
        "safety tip: first contact with this sender",
        "安全のヒント：この送信者からの初めてのメール",
    ),
    ("safety tip {}", "安全のヒント {0}"),
    (
        "spam filtering policy marker",
        "迷惑メールフィルター ポリシーの印",
    ),
    ("delivered to the Inbox", "受信トレイに配信"),
    (
        "delivered to the Junk Email folder",
        "迷惑メールフォルダーに配信",
    ),
    (
        "the user's own filter (Junk Email rule) acted",
        "利用者自身のフィルター（迷惑メールのルール）が動作",
    ),
    (
        "the Junk Email rule moved the message",
        "迷惑メールのルールがメールを移動",
    ),
    ("marked as spam", "迷惑メールと判定"),
    ("not marked as spam", "迷惑メールと判定されていない"),
    ("marked as phishing", "フィッシングと判定"),
    ("not marked as phishing", "フィッシングと判定されていない"),
    (
        "Yahoo filtered this message as bulk; the value is the sending IP",
        "Yahoo が一斉配信メールとして振り分けました（値は送信元 IP）",
    ),
    ("delivered normally", "通常どおり配信"),
    (
        "delivered with a spam header (usually to the spam folder)",
        "迷惑メールのヘッダーを付けて配信（通常は迷惑メールフォルダー）",
    ),
    (
        "delivered with the subject marked as spam",
        "件名に迷惑メールの印を付けて配信",
    ),
    (
        "temporarily rejected (greylisting)",
        "一時的に拒否（グレイリスト）",
    ),
    ("temporarily rejected", "一時的に拒否"),
    ("rejected", "拒否"),
    // The page's resolver (todoku-web) and the CLI's.
    (
        "the resolver answered with a redirect to another address (redirects are not followed)",
        "リゾルバーが別のアドレスへのリダイレクトを返しました（リダイレクトはたどりません）",
    ),
    ("fetch failed", "通信に失敗しました"),
    // ARC (auth/arc).
    (
        "the newest ARC-Message-Signature (i={}) is {}: {}",
        "最新の ARC-Message-Signature（i={0}）は {1}：{2}",
    ),
    ("the ARC-Seal i={} is {}: {}", "ARC-Seal i={0} は {1}：{2}"),
    ("no ARC headers", "ARC ヘッダーはありません"),
    (
        "the newest ARC-Seal (i={}) says cv=fail: an intermediary already found the chain broken",
        "最新の ARC-Seal（i={0}）が cv=fail です。途中の転送者がすでにチェーンの破損を検出しています",
    ),
    (
        "ARC set i={} has {} {} header fields; exactly one is required",
        "ARC の組 i={0} に {2} ヘッダーが {1} 個あります。ちょうど 1 個が必要です",
    ),
    (
        "the ARC-Seal i={} says cv={}; it must say cv={}",
        "ARC-Seal i={0} は cv={1} ですが、cv={2} でなければなりません",
    ),
    (
        "the ARC-Seal has an h= tag, which RFC 8617 4.1.3 forbids",
        "ARC-Seal に h= タグがあります（RFC 8617 4.1.3 で禁止）",
    ),
    (
        "the seal (b=) does not verify: an ARC header was changed, or the key does not match",
        "ARC-Seal の署名（b=）が検証できません。ARC ヘッダーが書き換えられたか、公開鍵が合っていません",
    ),
    (
        "ARC seals must use SHA-256; a={} is not allowed",
        "ARC-Seal は SHA-256 を使う必要があります。a={0} は使えません",
    ),
    (
        "{} ARC sets; at most {} are allowed",
        "ARC の組が {0} 個あります。{1} 個までです",
    ),
    (
        "{} has no valid instance (i={})",
        "{0} に正しい番号（i=）がありません（i={1}）",
    ),
    (
        "ARC-Authentication-Results does not start with \"i=<number>;\": {}",
        "ARC-Authentication-Results が「i=<番号>;」で始まっていません：{0}",
    ),
    // The receiver's ARC sets as recorded (recorded/arc).
    (
        "instance i={} where i={} was expected",
        "i={1} があるべきところに i={0} があります",
    ),
    ("i={} has no {}", "i={0} に {1} がありません"),
    (
        "i=1 must seal cv=none, not cv={}",
        "i=1 は cv=none で封印する必要があります（cv={0} になっています）",
    ),
    (
        "i={} seals cv=none, but an earlier set exists",
        "i={0} が cv=none で封印していますが、それより前の組があります",
    ),
    (
        "i={} sealed the chain as failed (cv=fail), but a later set continues it",
        "i={0} がチェーンを不合格として封印した（cv=fail）後に、さらに組が追加されています",
    ),
    (
        "{} set(s) sealed by {}; every hop's message signature still verifies",
        "{0} 組、署名者 {1}。すべての経路のメッセージ署名が今も検証できます",
    ),
    (
        "{} set(s) sealed by {}; message signatures older than i={} no longer verify: the message was changed before that hop",
        "{0} 組、署名者 {1}。i={2} より古いメッセージ署名は検証できません。その経路より前にメールが書き換えられています",
    ),
    ("{} set(s) sealed by {}; {}", "{0} 組、署名者 {1}。{2}"),
    // Reverse DNS (auth/iprev).
    (
        "{} has no reverse DNS (PTR) name",
        "{0} に逆引き（PTR）の名前がありません",
    ),
    (
        "{}'s reverse name {} does not resolve back to {}",
        "{0} の逆引き名 {1} が {2} に正引きで戻りません",
    ),
    // DMARC (auth/dmarc).
    (
        "neither {} nor a parent domain publishes a DMARC record",
        "{0} にも親ドメインにも DMARC レコードがありません",
    ),
    (
        "the aligned DKIM signature of {} could not be checked here: {}",
        "From と一致する {0} の DKIM 署名は、ここでは確認できませんでした：{1}",
    ),
];

/// The values `text` gives `template`'s `{}`s, when it fits.
fn fit<'t>(template: &str, text: &'t str) -> Option<Vec<&'t str>> {
    let mut parts = template.split("{}");
    let first = parts.next()?;
    let mut rest = text.strip_prefix(first)?;
    let literals: Vec<&str> = parts.collect();
    let mut values = Vec::with_capacity(literals.len());
    for (i, literal) in literals.iter().enumerate() {
        let last = i + 1 == literals.len();
        let at = if last {
            if literal.is_empty() {
                rest.len()
            } else if rest.ends_with(literal) {
                rest.len() - literal.len()
            } else {
                return None;
            }
        } else if literal.is_empty() {
            return None;
        } else {
            rest.find(literal)?
        };
        let (value, after) = rest.split_at(at);
        if value.is_empty() {
            return None;
        }
        values.push(value);
        rest = after.get(literal.len()..)?;
    }
    rest.is_empty().then_some(values)
}

/// `text`, a reason written by the live checks, in `lang`; `nested`
/// translates the values (the DNS failures live elsewhere).
pub fn translate(text: &str, lang: Lang, nested: &dyn Fn(&str) -> String) -> String {
    if lang == Lang::En {
        return text.to_string();
    }
    for (en, ja) in REASONS {
        if let Some(values) = fit(en, text) {
            let mut out = (*ja).to_string();
            for (i, v) in values.iter().enumerate() {
                out = out.replace(&format!("{{{i}}}"), &nested(v));
            }
            return out;
        }
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_names_each_value_once_in_japanese() {
        for (en, ja) in REASONS {
            let n = en.matches("{}").count();
            for i in 0..n {
                assert_eq!(ja.matches(&format!("{{{i}}}")).count(), 1, "{en} / {ja}");
            }
            assert!(!ja.contains(&format!("{{{n}}}")), "{ja}");
        }
    }

    #[test]
    fn reasons_read_in_japanese_with_their_values() {
        let same = |s: &str| s.to_string();
        assert_eq!(
            translate(
                "the signature expired at 1733239126 (x=); receivers that check after that treat it as invalid",
                Lang::Ja,
                &same
            ),
            "署名の有効期限（x=）は 1733239126 に切れています。それ以降に確認する受信サーバーは無効として扱います"
        );
        assert_eq!(
            translate(
                "DNS error ServFail looking up TXT example.com",
                Lang::Ja,
                &same
            ),
            "TXT example.com の DNS 問い合わせでエラー ServFail"
        );
        assert_eq!(
            translate("body hash did not verify", Lang::Ja, &same),
            "body hash did not verify"
        );
        assert_eq!(translate("x", Lang::En, &same), "x");
        // ARC: the receiver's sets (recorded) and the live chain check.
        assert_eq!(
            translate(
                "i=2 sealed the chain as failed (cv=fail), but a later set continues it",
                Lang::Ja,
                &same
            ),
            "i=2 がチェーンを不合格として封印した（cv=fail）後に、さらに組が追加されています"
        );
        assert_eq!(
            translate(
                "the newest ARC-Seal (i=2) says cv=fail: an intermediary already found the chain broken",
                Lang::Ja,
                &same
            ),
            "最新の ARC-Seal（i=2）が cv=fail です。途中の転送者がすでにチェーンの破損を検出しています"
        );
    }
}
