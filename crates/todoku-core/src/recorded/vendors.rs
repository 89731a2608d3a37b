//! Vendor spam verdicts, decoded with their meaning: Microsoft 365 / Exchange
//! Online Protection, SpamAssassin, rspamd, Gmail and Yahoo headers.

use serde::Serialize;

use crate::span::Span;

/// One vendor header, decoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VendorVerdict {
    /// Who wrote it (`Microsoft 365`, `SpamAssassin`, `rspamd`, `Gmail`, `Yahoo`).
    pub vendor: &'static str,
    /// The header name as written.
    pub header: String,
    /// The header in the input.
    pub span: Span,
    /// Fields in order, each with its meaning when known: at most 64
    /// ([`MAX_ITEMS`]), the first.
    pub items: Vec<Item>,
    /// Fields beyond the first 64, not kept (absent when 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub items_omitted: usize,
    /// Whether this header says the message was judged spam (or bulk, or
    /// phishing), when it says so at all.
    pub spam: Option<bool>,
    /// One sentence for people.
    pub summary: String,
    /// The same in Japanese.
    pub summary_ja: String,
}

/// A `key: value` field of a vendor header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Item {
    /// The key as written (`SCL`, `SFV`, `score`, a rule name…).
    pub key: String,
    /// The value as written.
    pub value: String,
    /// What it means, when Todoku knows.
    pub meaning: Option<String>,
}

/// At most this many vendor headers are read (the topmost: the
/// receiver's own); the rest are counted.
pub const MAX_VERDICTS: usize = 50;

/// At most this many fields of one vendor header are kept (real ones have
/// a few dozen; a hostile one can have a million).
pub const MAX_ITEMS: usize = 64;

/// `serde`'s `skip_serializing_if` for the count of what was left out.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The fields of one header as they are read: the first [`MAX_ITEMS`]
/// kept, the rest counted (and never built).
#[derive(Default)]
struct Items {
    kept: Vec<Item>,
    omitted: usize,
}

impl Items {
    fn add(&mut self, make: impl FnOnce() -> Item) {
        if self.kept.len() < MAX_ITEMS {
            self.kept.push(make());
        } else {
            self.omitted += 1;
        }
    }
}

impl From<Vec<Item>> for Items {
    fn from(kept: Vec<Item>) -> Items {
        Items { kept, omitted: 0 }
    }
}

fn item(key: &str, value: &str, meaning: Option<String>) -> Item {
    Item {
        key: key.to_string(),
        value: value.to_string(),
        meaning,
    }
}

/// SCL, the spam confidence level (Microsoft).
fn scl(value: &str) -> Option<String> {
    Some(
        match value.trim().parse::<i32>().ok()? {
            -1 => "-1: filtering skipped (safe sender, trusted or internal mail)",
            0 | 1 => "not spam: delivered to the inbox",
            2..=4 => "not spam (2-4 are not used by current filtering)",
            5 | 6 => "spam: delivered to Junk Email or quarantined",
            7 => "spam (7 is not used by current filtering)",
            8 | 9 => "high confidence spam",
            _ => return None,
        }
        .to_string(),
    )
}

/// The BCL in Japanese.
fn bcl_ja(b: i32) -> &'static str {
    match b {
        0 => "一斉配信の送信者ではない",
        1..=3 => "苦情の少ない一斉配信の送信者",
        4..=7 => "苦情がある程度ある一斉配信の送信者（既定のしきい値は 7）",
        8 | 9 => "苦情の多い一斉配信の送信者",
        _ => "不明",
    }
}

/// BCL, the bulk complaint level (Microsoft).
fn bcl(value: &str) -> Option<String> {
    Some(
        match value.trim().parse::<i32>().ok()? {
            0 => "0: not from a bulk sender",
            1..=3 => "bulk sender with few complaints",
            4..=7 => "bulk sender with a mixed number of complaints (the default threshold is 7)",
            8 | 9 => "bulk sender that draws many complaints",
            _ => return None,
        }
        .to_string(),
    )
}

fn forefront(key: &str, value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    Some(match key {
        "SCL" => return scl(v),
        "CIP" => format!("the connecting IP address: {v}"),
        "CTRY" => format!("country of the connecting IP: {v}"),
        "LANG" => format!("language of the message: {v}"),
        "H" => format!("the HELO/EHLO name the sender gave: {v}"),
        "PTR" => format!("reverse DNS of the connecting IP: {v}"),
        "DIR" => match v {
            "INB" => "inbound".into(),
            "OUT" => "outbound".into(),
            "INT" => "internal".into(),
            _ => return None,
        },
        "IPV" => match v {
            "CAL" => "allowed: the connecting IP is on an IP Allow list".into(),
            "NLI" => "the connecting IP is on no reputation list".into(),
            _ => return None,
        },
        "SFV" => match v {
            "NSPM" => "not spam".into(),
            "SPM" => "spam".into(),
            "BLK" => "blocked: the sender is on the recipient's Blocked Senders list".into(),
            "SFE" => "filtering skipped: the sender is on the recipient's Safe Senders list".into(),
            "SKA" => "filtering skipped: allowed by the anti-spam policy's allow lists".into(),
            "SKB" => "marked spam: the sender is on the policy's block lists".into(),
            "SKI" => "filtering skipped: internal mail within the organisation".into(),
            "SKN" => "marked not spam before filtering (a mail flow rule)".into(),
            "SKQ" => "released from quarantine".into(),
            "SKS" => "marked spam before filtering (a mail flow rule)".into(),
            _ => return None,
        },
        "CAT" => match v {
            "NONE" => "no protection category applied".into(),
            "BULK" => "bulk mail".into(),
            "SPM" => "spam".into(),
            "HSPM" => "high confidence spam".into(),
            "PHSH" => "phishing".into(),
            "HPHSH" | "HPHISH" => "high confidence phishing".into(),
            "SPOOF" => {
                "spoofing: the From domain failed authentication (composite authentication)".into()
            }
            "DIMP" => "domain impersonation".into(),
            "UIMP" => "user impersonation".into(),
            "GIMP" => "mailbox intelligence impersonation".into(),
            "MALW" => "malware".into(),
            "INTOS" => "intra-organisation phishing".into(),
            "AMP" => "anti-malware policy".into(),
            "SAP" => "Safe Attachments policy".into(),
            "FTBP" => "file type block policy".into(),
            _ => return None,
        },
        "SRV" => match v {
            "BULK" => "identified as bulk (BCL threshold or a mail flow rule)".into(),
            "" => return None,
            _ => return None,
        },
        "SFTY" => match v {
            "9.19" => "safety tip: domain impersonation".into(),
            "9.20" => "safety tip: user impersonation".into(),
            "9.25" => "safety tip: first contact with this sender".into(),
            _ => format!("safety tip {v}"),
        },
        "SFP" => "spam filtering policy marker".into(),
        _ => return None,
    })
}

/// The `key<kv>value` pairs of `value` between `sep`s, trimmed, read as
/// they are asked for (never listed: a hostile header has millions).
fn pairs(value: &str, sep: char, kv: char) -> impl Iterator<Item = (&str, &str)> + Clone {
    value
        .split(sep)
        .filter(|s| !s.trim().is_empty())
        .map(move |s| match s.split_once(kv) {
            Some((k, v)) => (k.trim(), v.trim()),
            None => (s.trim(), ""),
        })
}

/// The header names [`decode`] knows, lower-cased.
const VENDOR_HEADERS: &[&str] = &[
    "x-forefront-antispam-report",
    "x-forefront-antispam-report-untrusted",
    "x-microsoft-antispam",
    "x-microsoft-antispam-untrusted",
    "x-ms-exchange-organization-scl",
    "x-microsoft-antispam-mailbox-delivery",
    "x-spam-status",
    "x-spam-score",
    "x-spam-flag",
    "x-spamd-result",
    "x-rspamd-action",
    "x-gm-spam",
    "x-gm-phishy",
    "x-yahoofilteredbulk",
];

/// Whether `name` is a vendor header [`decode`] reads: checked before the
/// value is copied, so other headers cost nothing.
pub(crate) fn is_vendor_header(name: &str) -> bool {
    VENDOR_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name))
}

/// What one decoder read: the vendor, the items, whether it says spam, and a
/// one-line summary in English and Japanese.
type Decoded = (&'static str, Items, Option<bool>, String, String);

/// Decode one header if it is a known vendor header.
pub(crate) fn decode(name: &str, value: &str, span: Span) -> Option<VendorVerdict> {
    let lname = name.to_ascii_lowercase();
    let value = crate::header::text::single_spaced(value);
    let (vendor, items, spam, summary, summary_ja) = match lname.as_str() {
        "x-forefront-antispam-report" | "x-forefront-antispam-report-untrusted" => {
            forefront_report(&value)
        }
        "x-microsoft-antispam" | "x-microsoft-antispam-untrusted" => microsoft_antispam(&value),
        "x-ms-exchange-organization-scl" => exchange_scl(&value),
        "x-microsoft-antispam-mailbox-delivery" => mailbox_delivery(&value),
        "x-spam-status" => spamassassin_status(&value),
        "x-spam-score" => {
            let score = value.trim();
            (
                "SpamAssassin",
                vec![item("score", score, None)].into(),
                None,
                format!("Spam score {score}."),
                format!("スパムスコア {score}。"),
            )
        }
        "x-spam-flag" => {
            let spam = value.trim().eq_ignore_ascii_case("yes");
            (
                "SpamAssassin",
                vec![item(
                    "flag",
                    value.trim(),
                    Some(if spam {
                        "marked as spam".into()
                    } else {
                        "not marked as spam".into()
                    }),
                )]
                .into(),
                Some(spam),
                format!("Spam flag: {}.", value.trim()),
                format!("スパムフラグ：{}。", value.trim()),
            )
        }
        "x-spamd-result" => rspamd_result(&value),
        "x-rspamd-action" => rspamd_action(&value),
        "x-gm-spam" | "x-gm-phishy" => {
            let flagged = value.trim() == "1";
            let what = if lname == "x-gm-spam" {
                "spam"
            } else {
                "phishing"
            };
            (
                "Gmail",
                vec![item(
                    name,
                    value.trim(),
                    Some(
                        format!("{} marked as {what}", if flagged { "" } else { "not" })
                            .trim()
                            .to_string(),
                    ),
                )]
                .into(),
                Some(flagged),
                format!("Gmail {what} flag: {}.", value.trim()),
                format!(
                    "Gmail の{}フラグ：{}。",
                    if lname == "x-gm-spam" {
                        "迷惑メール"
                    } else {
                        "フィッシング"
                    },
                    value.trim()
                ),
            )
        }
        "x-yahoofilteredbulk" => (
            "Yahoo",
            vec![item(
                name,
                value.trim(),
                Some("Yahoo filtered this message as bulk; the value is the sending IP".into()),
            )]
            .into(),
            Some(true),
            format!("Yahoo classified this as bulk mail from {}.", value.trim()),
            format!(
                "Yahoo は {} からの一斉配信メール（bulk）と判定しました。",
                value.trim()
            ),
        ),
        _ => return None,
    };
    Some(VendorVerdict {
        vendor,
        header: name.to_string(),
        span,
        items: items.kept,
        items_omitted: items.omitted,
        spam,
        summary,
        summary_ja,
    })
}

/// Microsoft 365's filtering report: SCL, SFV, CAT and the rest.
fn forefront_report(value: &str) -> Decoded {
    let fields = pairs(value, ';', ':');
    let get = |k: &str| fields.clone().find(|(key, _)| *key == k).map(|(_, v)| v);
    let mut items = Items::default();
    for (k, v) in fields.clone() {
        items.add(|| item(k, v, forefront(k, v)));
    }
    let scl_n = get("SCL").and_then(|v| v.parse::<i32>().ok());
    let sfv = get("SFV").unwrap_or_default();
    let cat = get("CAT").unwrap_or_default();
    let spam = matches!(sfv, "SPM" | "SKS" | "SKB" | "BLK")
        || scl_n.is_some_and(|s| s >= 5)
        || matches!(
            cat,
            "SPM" | "HSPM" | "PHSH" | "HPHSH" | "HPHISH" | "SPOOF" | "BULK" | "MALW"
        );
    let summary = format!(
        "Microsoft 365 filtering: SCL {} ({}), verdict {}{}.",
        get("SCL").unwrap_or("?"),
        scl_n
            .map(|s| if s >= 5 {
                "spam"
            } else if s < 0 {
                "skipped"
            } else {
                "not spam"
            })
            .unwrap_or("unknown"),
        forefront("SFV", sfv).unwrap_or_else(|| sfv.to_string()),
        if cat.is_empty() || cat == "NONE" {
            String::new()
        } else {
            format!(
                ", category {}",
                forefront("CAT", cat).unwrap_or_else(|| cat.to_string())
            )
        },
    );
    let summary_ja = format!(
        "Microsoft 365 のフィルター：SCL {}（{}）、判定 SFV {}{}。",
        get("SCL").unwrap_or("?"),
        scl_n
            .map(|s| if s >= 5 {
                "迷惑メール"
            } else if s < 0 {
                "判定省略"
            } else {
                "迷惑メールではない"
            })
            .unwrap_or("不明"),
        if sfv.is_empty() { "-" } else { sfv },
        if cat.is_empty() || cat == "NONE" {
            String::new()
        } else {
            format!("、分類 CAT {cat}")
        },
    );
    ("Microsoft 365", items, Some(spam), summary, summary_ja)
}

/// Microsoft 365's bulk (BCL) and phishing (PCL) levels.
fn microsoft_antispam(value: &str) -> Decoded {
    let fields = pairs(value, ';', ':');
    let mut items = Items::default();
    for (k, v) in fields.clone() {
        items.add(|| {
            let meaning = match k {
                "BCL" => bcl(v),
                "PCL" => v.parse::<i32>().ok().map(|p| {
                    format!(
                        "phishing confidence level {p} of 8{}",
                        if p >= 4 { ": likely phishing" } else { "" }
                    )
                }),
                _ => None,
            };
            item(k, v, meaning)
        });
    }
    let bcl_n = fields
        .clone()
        .find(|(k, _)| *k == "BCL")
        .and_then(|(_, v)| v.parse::<i32>().ok());
    let summary = match bcl_n {
        Some(b) => format!(
            "Microsoft 365 bulk complaint level {b}: {}.",
            bcl(&b.to_string()).unwrap_or_default()
        ),
        None => "Microsoft 365 anti-spam details.".to_string(),
    };
    let summary_ja = match bcl_n {
        Some(b) => format!(
            "Microsoft 365 のバルク苦情レベル（BCL）{b}：{}。",
            bcl_ja(b)
        ),
        None => "Microsoft 365 の迷惑メール対策の詳細。".to_string(),
    };
    (
        "Microsoft 365",
        items,
        bcl_n.map(|b| b >= 7),
        summary,
        summary_ja,
    )
}

/// Exchange's spam confidence level on its own.
fn exchange_scl(value: &str) -> Decoded {
    let meaning = scl(value);
    let spam = value.trim().parse::<i32>().ok().map(|s| s >= 5);
    let summary = format!(
        "Exchange spam confidence level {}: {}.",
        value.trim(),
        meaning.clone().unwrap_or_else(|| "unknown".into())
    );
    let summary_ja = format!(
        "Exchange の迷惑メール信頼度（SCL）{}：{}。",
        value.trim(),
        match value.trim().parse::<i32>().ok() {
            Some(-1) => "フィルター対象外（信頼済み・組織内）",
            Some(0..=4) => "迷惑メールではない",
            Some(5..=7) => "迷惑メール",
            Some(8 | 9) => "確度の高い迷惑メール",
            _ => "不明",
        }
    );
    (
        "Microsoft 365",
        vec![item("SCL", value.trim(), meaning)].into(),
        spam,
        summary,
        summary_ja,
    )
}

/// Where Microsoft 365 delivered the message (Inbox or Junk Email).
fn mailbox_delivery(value: &str) -> Decoded {
    let fields = pairs(value, ';', ':');
    let dest = fields.clone().find(|(k, _)| *k == "dest").map(|(_, v)| v);
    let mut items = Items::default();
    for (k, v) in fields.clone() {
        items.add(|| {
            let meaning = match (k, v) {
                ("dest", "I") => Some("delivered to the Inbox".into()),
                ("dest", "J") => Some("delivered to the Junk Email folder".into()),
                ("ucf", "1") => Some("the user's own filter (Junk Email rule) acted".into()),
                ("jmr", "1") => Some("the Junk Email rule moved the message".into()),
                _ => None,
            };
            item(k, v, meaning)
        });
    }
    let spam = dest.map(|d| d == "J");
    let summary = match dest {
        Some("J") => "The mailbox delivered this message to Junk Email.".to_string(),
        Some("I") => "The mailbox delivered this message to the Inbox.".to_string(),
        _ => "Mailbox delivery details.".to_string(),
    };
    let summary_ja = match dest {
        Some("J") => "メールボックスはこのメールを迷惑メールフォルダーに配信しました。",
        Some("I") => "メールボックスはこのメールを受信トレイに配信しました。",
        _ => "メールボックスへの配信の詳細。",
    }
    .to_string();
    ("Microsoft 365", items, spam, summary, summary_ja)
}

/// SpamAssassin's verdict, score, threshold and rules
/// (`Yes, score=5.4 required=5.0 tests=A,B autolearn=spam version=3.4.6`).
fn spamassassin_status(value: &str) -> Decoded {
    // `Yes, score=5.4 required=5.0 tests=A,B autolearn=spam version=3.4.6`
    let (flag, rest) = value.split_once(',').unwrap_or((value, ""));
    let spam = flag.trim().eq_ignore_ascii_case("yes");
    let mut items = Items::from(vec![item(
        "verdict",
        flag.trim(),
        Some(if spam {
            "spam".into()
        } else {
            "not spam".into()
        }),
    )]);
    let mut score = None;
    let mut required = None;
    // SpamAssassin folds the rule list after its commas.
    let rest = rest.replace(", ", ",");
    for part in rest.split_whitespace() {
        if let Some((k, v)) = part.split_once('=') {
            match k {
                "score" | "hits" => score = Some(v.to_string()),
                "required" => required = Some(v.to_string()),
                _ => {}
            }
            if k == "tests" {
                for rule in v.split(',').filter(|r| !r.is_empty()) {
                    items.add(|| item("rule", rule, None));
                }
            } else {
                items.add(|| item(k, v, None));
            }
        }
    }
    let summary = match (&score, &required) {
        (Some(s), Some(r)) => format!(
            "SpamAssassin scored {s} against a threshold of {r}: {}.",
            if spam { "spam" } else { "not spam" }
        ),
        _ => format!("SpamAssassin: {}.", if spam { "spam" } else { "not spam" }),
    };
    let spam_ja = if spam {
        "迷惑メール"
    } else {
        "迷惑メールではない"
    };
    let summary_ja = match (&score, &required) {
        (Some(s), Some(r)) => format!("SpamAssassin のスコア {s}（しきい値 {r}）：{spam_ja}。"),
        _ => format!("SpamAssassin：{spam_ja}。"),
    };
    ("SpamAssassin", items, Some(spam), summary, summary_ja)
}

/// rspamd's verdict line and symbols
/// (`default: False [3.40 / 15.00]; R_SPF_ALLOW(-0.20)[+ip4:…]; …`).
fn rspamd_result(value: &str) -> Decoded {
    // `default: False [3.40 / 15.00]; R_SPF_ALLOW(-0.20)[+ip4:…]; …`
    let mut parts = value.split(';');
    let head = parts.next().unwrap_or_default();
    let spam = head.contains("True");
    let mut items = Items::from(vec![item("verdict", head.trim(), None)]);
    for sym in parts.filter(|p| !p.trim().is_empty()) {
        let sym = sym.trim();
        let (name, rest) = sym.split_once('(').unwrap_or((sym, ""));
        let score = rest.split(')').next().unwrap_or_default();
        items.add(|| item(name, score, None));
    }
    (
        "rspamd",
        items,
        Some(spam),
        format!("rspamd: {}.", head.trim()),
        format!("rspamd の判定：{}。", head.trim()),
    )
}

/// rspamd's action, in words.
fn rspamd_action(value: &str) -> Decoded {
    let action = value.trim();
    let spam = !action.eq_ignore_ascii_case("no action");
    let meaning = match action.to_ascii_lowercase().as_str() {
        "no action" => "delivered normally",
        "add header" => "delivered with a spam header (usually to the spam folder)",
        "rewrite subject" => "delivered with the subject marked as spam",
        "greylist" => "temporarily rejected (greylisting)",
        "soft reject" => "temporarily rejected",
        "reject" => "rejected",
        _ => "",
    };
    (
        "rspamd",
        vec![item(
            "action",
            action,
            (!meaning.is_empty()).then(|| meaning.to_string()),
        )]
        .into(),
        Some(spam),
        format!("rspamd action: {action}."),
        format!(
            "rspamd の処理：{action}{}。",
            match action.to_ascii_lowercase().as_str() {
                "no action" => "（通常どおり配信）",
                "add header" => "（迷惑メールのヘッダーを付けて配信。通常は迷惑メールフォルダー）",
                "rewrite subject" => "（件名に迷惑メールの印を付けて配信）",
                "greylist" => "（一時的に拒否：グレイリスト）",
                "soft reject" => "（一時的に拒否）",
                "reject" => "（拒否）",
                _ => "",
            }
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPAN: Span = Span { start: 0, end: 0 };

    #[test]
    fn every_decoded_name_is_listed() {
        for name in VENDOR_HEADERS {
            assert!(decode(name, "1", SPAN).is_some(), "{name}");
        }
        assert!(is_vendor_header("X-Spam-Status") && !is_vendor_header("Subject"));
    }

    #[test]
    fn forefront_spam_with_meanings() {
        let v = decode(
            "X-Forefront-Antispam-Report",
            "CIP:203.0.113.9;CTRY:JP;LANG:ja;SCL:5;SRV:;IPV:NLI;SFV:SPM;H:DESKTOP-7QK3;PTR:;CAT:SPM;SFS:(13230031);DIR:INB;",
            SPAN,
        )
        .unwrap();
        assert_eq!(v.spam, Some(true));
        assert!(
            v.summary
                .contains("SCL 5 (spam), verdict spam, category spam"),
            "{}",
            v.summary
        );
        let h = v.items.iter().find(|i| i.key == "H").unwrap();
        assert_eq!(
            h.meaning.as_deref(),
            Some("the HELO/EHLO name the sender gave: DESKTOP-7QK3")
        );
        let ipv = v.items.iter().find(|i| i.key == "IPV").unwrap();
        assert_eq!(
            ipv.meaning.as_deref(),
            Some("the connecting IP is on no reputation list")
        );
    }

    #[test]
    fn microsoft_bcl_and_mailbox_delivery() {
        let v = decode("X-Microsoft-Antispam", "BCL:8;PCL:0;ARA:1444111002;", SPAN).unwrap();
        assert_eq!(v.spam, Some(true));
        assert!(v.summary.contains("many complaints"));
        let d = decode(
            "X-Microsoft-Antispam-Mailbox-Delivery",
            "ucf:0;jmr:0;auth:0;dest:J;ENG:(910001);",
            SPAN,
        )
        .unwrap();
        assert_eq!(d.spam, Some(true));
        assert_eq!(
            d.summary,
            "The mailbox delivered this message to Junk Email."
        );
    }

    #[test]
    fn spamassassin_and_rspamd() {
        let v = decode(
            "X-Spam-Status",
            "Yes, score=7.1 required=5.0 tests=BAYES_99,RDNS_NONE,\n\tHELO_NO_DOMAIN autolearn=no version=3.4.6",
            SPAN,
        )
        .unwrap();
        assert_eq!(v.spam, Some(true));
        assert_eq!(
            v.summary,
            "SpamAssassin scored 7.1 against a threshold of 5.0: spam."
        );
        let rules: Vec<_> = v
            .items
            .iter()
            .filter(|i| i.key == "rule")
            .map(|i| i.value.as_str())
            .collect();
        assert_eq!(rules, vec!["BAYES_99", "RDNS_NONE", "HELO_NO_DOMAIN"]);
        let r = decode("X-Spamd-Result", "default: False [0.90 / 15.00]; R_SPF_ALLOW(-0.20)[+ip4:192.0.2.0/24]; MIME_GOOD(-0.10)[text/plain]", SPAN).unwrap();
        assert_eq!(r.spam, Some(false));
        assert_eq!(r.items[1].key, "R_SPF_ALLOW");
        assert_eq!(r.items[1].value, "-0.20");
        assert_eq!(
            decode("X-Rspamd-Action", "add header", SPAN).unwrap().spam,
            Some(true)
        );
        assert!(decode("X-Unrelated", "x", SPAN).is_none());
    }
}
