//! Rejections decoded: the SMTP replies in a bounce (`550-5.7.26 …`,
//! `421 4.7.0 [TSS04] …`) named, explained and tied to the finding whose fix
//! applies. The codes are the receivers' published ones (Gmail's sender
//! guidelines, Outlook.com's high-volume rules, Yahoo's [TSSxx] deferrals)
//! and the IANA enhanced status codes for authentication (RFC 7372, 8617).

use std::collections::HashMap;

use serde::Serialize;

use crate::header::summary::Summary;
use crate::input::info::{InputInfo, InputProblem};
use crate::span::Span;
use crate::wording::catalogue::FindingId;

/// One SMTP reply found in a bounce.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BounceCode {
    /// The three-digit reply, e.g. 550.
    pub reply: Option<u16>,
    /// The enhanced status code, e.g. `5.7.26`; none when the reply has
    /// none (`550 Mailbox unavailable`).
    pub enhanced: Option<String>,
    /// Yahoo's bracketed reason, e.g. `TSS04`.
    pub tag: Option<String>,
    /// The receiver the text names: `gmail`, `outlook`, `yahoo`, or none.
    pub provider: Option<String>,
    /// 4xx: deferred, the sender retries; 5xx: refused for good. False
    /// for a 4xx the bounce says the sending server stopped retrying (a
    /// DSN's `Action: failed`): the message came back.
    pub temporary: bool,
    /// What the receiver objected to.
    pub meaning: String,
    /// What to change.
    pub fix: String,
    /// What the receiver objected to, in Japanese.
    pub meaning_ja: String,
    /// What to change, in Japanese.
    pub fix_ja: String,
    /// The finding whose fix applies, when the report can show one.
    pub finding: Option<&'static str>,
    /// What the reply's words say it was, when they say it clearly
    /// ([`said`]); the meaning and fix follow them when the code alone
    /// says no more than "refused" ([`generic_status`]).
    pub said: Option<Said>,
    /// The line it was found on.
    pub span: Span,
}

impl BounceCode {
    /// `550 5.7.26 [TSS04]`: the reply, the code and any bracketed reason.
    pub fn label(&self) -> String {
        let parts: Vec<String> = self
            .reply
            .map(|r| r.to_string())
            .into_iter()
            .chain(self.enhanced.clone())
            .collect();
        format!(
            "{}{}",
            parts.join(" "),
            self.tag
                .as_deref()
                .map(|t| format!(" [{t}]"))
                .unwrap_or_default()
        )
    }

    /// A 4xx the sending server stopped retrying: the message came back
    /// (a DSN's `Action: failed`, qmail's "in the queue too long").
    pub fn gave_up(&self) -> bool {
        let class = self.enhanced.as_deref().and_then(|e| e.get(..1));
        !self.temporary && class.map_or(self.reply.is_some_and(|r| r / 100 == 4), |c| c == "4")
    }

    /// The meaning without its lead (`A permanent status 5.1.1: `), in
    /// `lang`: why, for a sentence that names the code itself.
    pub fn reason(&self, lang: crate::wording::Lang) -> &str {
        let (meaning, leads, colon) = match lang {
            crate::wording::Lang::En => (&self.meaning, ["A permanent ", "A temporary "], ": "),
            crate::wording::Lang::Ja => (&self.meaning_ja, ["恒久的な", "一時的な"], "："),
        };
        if !leads.iter().any(|l| meaning.starts_with(l)) {
            return meaning;
        }
        match meaning.split_once(colon) {
            Some((_, why)) => why,
            None => crate::wording::bounce::reason(None, self.reply).get(lang),
        }
    }

    /// The enhanced code, else the reply (`5.7.26`, `550`).
    pub fn code(&self) -> String {
        self.enhanced
            .clone()
            .or_else(|| self.reply.map(|r| r.to_string()))
            .unwrap_or_default()
    }
}

/// What a rejection's own words say, read from its text and the SMTP
/// command it answered (`in reply to MAIL FROM command`), whatever its
/// code: a generic status (`5.0.0`, `5.1.0`, `4.7.650`) or a bare reply
/// (`550 … No such user`) says only "refused", the words say why. The names
/// follow the reasons bounce parsers use (sisimai's userunknown, suspend,
/// mailboxfull, badreputation/toomanyconn, and a refusal at MAIL FROM).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Said {
    /// The recipient's mailbox does not exist (user unknown, no such user,
    /// not in the directory).
    UserUnknown,
    /// The recipient's account is disabled, suspended or closed.
    Disabled,
    /// The recipient's mailbox is full.
    MailboxFull,
    /// The receiver limits mail from the sending IP for its reputation or
    /// its volume (Outlook.com's 4.7.650, QQ's frequency limit).
    RateLimited,
    /// The sender (the envelope address or its server) was refused, at
    /// MAIL FROM: no recipient was even named.
    SenderRejected,
    /// The receiver takes mail only from authenticated users or providers'
    /// servers: sent straight from a PC's or home network's address (OP25B,
    /// "use the smtp server of your ISP"), or relaying refused without
    /// SMTP AUTH.
    UseSubmission,
}

impl Said {
    /// Every reason, in the order above.
    pub const ALL: [Said; 6] = [
        Said::UserUnknown,
        Said::Disabled,
        Said::MailboxFull,
        Said::RateLimited,
        Said::SenderRejected,
        Said::UseSubmission,
    ];

    /// Its name in the JSON (`user_unknown`), and in a batch row's
    /// `bounce.` id.
    pub fn as_str(self) -> &'static str {
        match self {
            Said::UserUnknown => "user_unknown",
            Said::Disabled => "disabled",
            Said::MailboxFull => "mailbox_full",
            Said::RateLimited => "rate_limited",
            Said::SenderRejected => "sender_rejected",
            Said::UseSubmission => "use_submission",
        }
    }

    /// What a status with a row of its own says in these terms (`5.1.1`:
    /// the mailbox does not exist), for a bounce whose words say nothing
    /// more.
    pub fn of_status(status: &str) -> Option<Said> {
        match status.get(1..)? {
            ".1.1" => Some(Said::UserUnknown),
            ".2.1" => Some(Said::Disabled),
            ".2.2" => Some(Said::MailboxFull),
            _ => None,
        }
    }

    /// Its words in both languages.
    pub fn words(self) -> crate::wording::bounce::SaidWords {
        use crate::wording::bounce as w;
        match self {
            Said::UserUnknown => w::USER_UNKNOWN,
            Said::Disabled => w::DISABLED,
            Said::MailboxFull => w::MAILBOX_FULL,
            Said::RateLimited => w::RATE_LIMITED,
            Said::SenderRejected => w::SENDER_REJECTED,
            Said::UseSubmission => w::USE_SUBMISSION,
        }
    }
}

/// Words of a rate limit or a bad reputation of the sending IP.
const RATE_LIMITED_WORDS: &[&str] = &[
    "rate limited",
    "rate-limited",
    "ratelimited",
    "ip reputation",
    "poor reputation",
    "bad reputation",
    "low reputation",
    "frequency limited",
    "too many connections",
    "too many concurrent",
];

/// Words of a disabled, suspended or closed account.
const DISABLED_WORDS: &[&str] = &[
    "disabled or discontinued",
    "account has been disabled",
    "account is disabled",
    "account disabled",
    "mailbox disabled",
    "mailbox is disabled",
    "account has been suspended",
    "account is suspended",
    "account suspended",
    "mailbox is frozen",
    "account is inactive",
    "account has been deactivated",
    "account is deactivated",
    "account has been closed",
    "account is closed",
];

/// Words of a full mailbox.
const FULL_WORDS: &[&str] = &[
    "mailbox full",
    "mailbox is full",
    "mailfolder is full",
    "mail folder is full",
    "over quota",
    "quota exceeded",
    "exceeded storage",
    "mailbox size limit exceeded",
];

/// Words of a mailbox that does not exist, in English and as Lotus Domino
/// writes them in Japanese.
const UNKNOWN_WORDS: &[&str] = &[
    "user unknown",
    "unknown user",
    "no such user",
    "unknown recipient",
    "recipient unknown",
    "invalid recipient",
    "recipient not found",
    "user not found",
    "no mailbox here",
    "no such mailbox",
    "mailbox not found",
    "mailbox does not exist",
    "user does not exist",
    "address does not exist",
    "account that you tried to reach does not exist",
    "does not have an account",
    "user doesn't have a",
    "not listed in domino directory",
    "not listed in public name & address book",
    "no valid recipients",
    "ディレクトリには見つかりません",
    "ディレクトリのリストにありません",
];

/// Words of a refused sender.
const SENDER_WORDS: &[&str] = &[
    "sender rejected",
    "sender address rejected",
    "sender denied",
    "sender refused",
];

/// Words of a receiver that wants authenticated submission: mail straight
/// from a PC or a home network refused (OP25B and its kin), relaying
/// refused without SMTP AUTH (sisimai-040, sisimai-088).
const SUBMISSION_WORDS: &[&str] = &[
    "smtp server of your isp",
    "use your isp",
    "use your provider",
    "smtp authentication",
    "authentication required",
    "not permitted to relay",
    "relay access denied",
    "relaying denied",
    "relay not permitted",
    "relaying not allowed",
    "we do not relay",
    "dynamic ip",
    "dynamic address",
    "dial-up",
    "dialup",
];

/// The SMTP command a reply answered, as bounces state it: Postfix `(in
/// reply to MAIL FROM command)`, Exim `after MAIL FROM:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Command {
    MailFrom,
    Other,
}

fn command_of(text: &str) -> Option<Command> {
    let t = text.to_ascii_lowercase();
    if t.contains("in reply to mail from") || t.contains("after mail from") {
        Some(Command::MailFrom)
    } else if t.contains("in reply to rcpt to")
        || t.contains("after rcpt to")
        || t.contains("in reply to end of data")
        || t.contains("in reply to data")
        || t.contains("after end of data")
        || t.contains("final data")
    {
        Some(Command::Other)
    } else {
        None
    }
}

/// What `text` (a reply and the bounce's words around it) says the
/// rejection was, when its words say it clearly.
pub fn said(text: &str) -> Option<Said> {
    let lower = text.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    // A rate limit is about the sending IP at any command.
    if has(RATE_LIMITED_WORDS) {
        return Some(Said::RateLimited);
    }
    // Refused for how it was sent (straight from a PC, without SMTP
    // AUTH), at MAIL FROM or later: the fix is the submission server.
    if has(SUBMISSION_WORDS) {
        return Some(Said::UseSubmission);
    }
    // At MAIL FROM no recipient has been named yet: whatever the words,
    // the sender was refused.
    if command_of(&lower) == Some(Command::MailFrom) || has(SENDER_WORDS) {
        return Some(Said::SenderRejected);
    }
    if has(DISABLED_WORDS) {
        return Some(Said::Disabled);
    }
    if has(FULL_WORDS) {
        return Some(Said::MailboxFull);
    }
    if has(UNKNOWN_WORDS) {
        return Some(Said::UserUnknown);
    }
    None
}

/// Words of a bounce whose sending server stopped retrying a deferred
/// message (qmail, Exim, sendmail): it is returned, not deferred.
const GAVE_UP_WORDS: &[&str] = &[
    "not going to try again",
    "in the queue too long",
    "too long in the queue",
    "retry timeout exceeded",
    "cannot send message for",
    "giving up",
];

/// Whether `text` says the sending server gave up retrying.
pub fn gave_up_words(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    GAVE_UP_WORDS.iter().any(|w| lower.contains(w))
}

/// `code` (a 4xx) as a bounce that returned the message reports it: the
/// sending server stopped retrying, so it must be sent again once the cause
/// is fixed (sisimai-024: `Action: failed` over Outlook.com's 4.7.650 was
/// "deferred, the sender retries").
pub(crate) fn given_up(code: &mut BounceCode) {
    use crate::wording::bounce::{EXPIRED, GAVE_UP, TEMPORARY};
    if !code.temporary {
        return;
    }
    code.temporary = false;
    code.meaning = code.meaning.replace(TEMPORARY.en, EXPIRED.en);
    code.meaning_ja = code.meaning_ja.replace(TEMPORARY.ja, EXPIRED.ja);
    // The rate limit's fix says so itself.
    if code.said != Some(Said::RateLimited) {
        code.fix.insert(0, ' ');
        code.fix.insert_str(0, GAVE_UP.en);
        code.fix_ja.insert_str(0, GAVE_UP.ja);
    }
}

/// Whether the words `said` stand for `status`: when it says no more than
/// "refused" ([`generic_status`]), and for `x.7.1` ("delivery not
/// authorized", which many receivers give any refused recipient) when
/// the words name the recipient's mailbox (unknown, disabled, full).
pub fn by_words(said: Option<Said>, status: Option<&str>) -> Option<Said> {
    let said = said?;
    let mailbox = matches!(said, Said::UserUnknown | Said::Disabled | Said::MailboxFull);
    let not_authorized = status.is_some_and(|s| s.get(1..) == Some(".7.1"));
    (generic_status(status) || (mailbox && not_authorized)).then_some(said)
}

/// Whether `status` says no more than "refused": none, a `x.y.0` or
/// `x.0.y` code, or one RFC 3463 does not list (`4.7.650`, `5.1.351`).
/// The reply's words say more there ([`said`]).
pub fn generic_status(status: Option<&str>) -> bool {
    let Some(status) = status else {
        return true;
    };
    let mut parts = status.split('.').skip(1);
    let (subject, detail) = (parts.next().unwrap_or("0"), parts.next().unwrap_or("0"));
    subject == "0" || detail == "0" || !crate::wording::bounce::listed(subject, detail)
}

/// An enhanced status code explained: by one provider (`provider`) or by
/// its RFC (`None`, used when no provider row matches).
struct Known {
    provider: Option<&'static str>,
    /// The enhanced codes (`x.7.26`) the row explains.
    codes: &'static [&'static str],
    meaning: &'static str,
    fix: &'static str,
    meaning_ja: &'static str,
    fix_ja: &'static str,
    finding: Option<FindingId>,
}

const KNOWN: &[Known] = &[
    Known {
        provider: Some("gmail"),
        codes: &["x.7.23", "x.7.25"],
        meaning: "Gmail: the sending IP has no PTR record, or the PTR name does not resolve back to the IP.",
        fix: "Ask the owner of the IP (hosting provider or ISP) for a PTR record naming the server, and give that name an A/AAAA record with the same IP.",
        meaning_ja: "Gmail：送信元 IP に逆引き（PTR）レコードがないか、PTR の名前が同じ IP に正引きできません。",
        fix_ja: "IP の管理者（ホスティング会社やプロバイダー）に、サーバー名を返す PTR レコードを設定してもらい、その名前に同じ IP の A/AAAA レコードを登録してください。",
        finding: Some(FindingId::IprevMissing),
    },
    Known {
        provider: Some("gmail"),
        codes: &["x.7.26"],
        meaning: "Gmail: the message is unauthenticated: neither SPF nor DKIM passed, or it failed the From domain's DMARC policy.",
        fix: "Make SPF and DKIM pass for the sending server, with at least one aligned with the From domain.",
        meaning_ja: "Gmail：認証されていないメールです。SPF も DKIM も合格していないか、From ドメインの DMARC ポリシーで不合格になりました。",
        fix_ja: "送信サーバーで SPF と DKIM を合格させ、少なくとも一方を From ドメインと一致（アライメント）させてください。",
        finding: Some(FindingId::DmarcFail),
    },
    Known {
        provider: Some("gmail"),
        codes: &["x.7.27"],
        meaning: "Gmail: SPF did not pass for this message.",
        fix: "List the sending server in the envelope domain's SPF record (its IP or its provider's include).",
        meaning_ja: "Gmail：このメールは SPF に合格していません。",
        fix_ja: "エンベロープ送信者のドメインの SPF レコードに、送信サーバー（IP か、メールサービスの include:）を追加してください。",
        finding: Some(FindingId::SpfFail),
    },
    Known {
        provider: Some("gmail"),
        codes: &["x.7.28"],
        meaning: "Gmail: an unusual rate of mail or of spam complaints from this sender; it is rate-limited.",
        fix: "Cannot be told from the headers: slow down, check Postmaster Tools' spam rate (keep it under 0.3%, ideally 0.1%), and send only to people who asked.",
        meaning_ja: "Gmail：この送信者からのメール量または迷惑メール報告が異常に多いため、送信が制限されています。",
        fix_ja: "ヘッダーからは分かりません。送信ペースを落とし、Postmaster Tools の迷惑メール率（0.3% 未満、できれば 0.1% 未満）を確認し、希望した人にだけ送ってください。",
        finding: None,
    },
    Known {
        provider: Some("gmail"),
        codes: &["x.7.29"],
        meaning: "Gmail: the message was not sent over TLS.",
        fix: "Enable STARTTLS on the sending server (Postfix `smtp_tls_security_level = may`).",
        meaning_ja: "Gmail：このメールは TLS で送られていません。",
        fix_ja: "送信サーバーで STARTTLS を有効にしてください（Postfix なら `smtp_tls_security_level = may`）。",
        finding: Some(FindingId::TlsNotUsed),
    },
    Known {
        provider: Some("gmail"),
        codes: &["x.7.30"],
        meaning: "Gmail: DKIM did not pass for this message.",
        fix: "Sign with DKIM and publish the selector's key; check the signature survives (no changes after signing).",
        meaning_ja: "Gmail：このメールは DKIM に合格していません。",
        fix_ja: "DKIM で署名し、セレクターの公開鍵を DNS に登録してください。署名後にメールを書き換えないことも確認してください。",
        finding: Some(FindingId::DkimFail),
    },
    Known {
        provider: Some("gmail"),
        codes: &["x.7.31", "x.7.40"],
        meaning: "Gmail: the sending domain has no DMARC record (bulk senders need one).",
        fix: "Publish `_dmarc.<domain>` TXT `v=DMARC1; p=none; rua=mailto:…` at least.",
        meaning_ja: "Gmail：送信ドメインに DMARC レコードがありません（大量送信者には必須です）。",
        fix_ja: "少なくとも `_dmarc.<ドメイン>` に TXT レコード `v=DMARC1; p=none; rua=mailto:…` を公開してください。",
        finding: Some(FindingId::DmarcMissing),
    },
    Known {
        provider: Some("gmail"),
        codes: &["x.7.32"],
        meaning: "Gmail: the From domain is not aligned with the domain SPF or DKIM authenticated.",
        fix: "Sign DKIM with the From domain (custom DKIM at the sending service) or use a Return-Path under it.",
        meaning_ja: "Gmail：From ドメインが、SPF や DKIM で認証されたドメインと一致（アライメント）していません。",
        fix_ja: "From ドメインで DKIM 署名する（送信サービスの独自ドメイン DKIM）か、Return-Path をそのドメイン配下にしてください。",
        finding: Some(FindingId::DmarcNotAligned),
    },
    Known {
        provider: Some("gmail"),
        codes: &["x.7.0"],
        meaning: "Gmail deferred or refused the message as suspicious (often unauthenticated mail from an IP with little reputation).",
        fix: "Authenticate (SPF, DKIM, DMARC), fix reverse DNS, and send less from a new IP until it has a reputation.",
        meaning_ja: "Gmail が不審なメールとして受信を保留または拒否しました（実績の少ない IP からの未認証メールによくあります）。",
        fix_ja: "SPF・DKIM・DMARC で認証し、逆引きを整え、新しい IP からは実績ができるまで送信量を抑えてください。",
        finding: None,
    },
    Known {
        provider: Some("gmail"),
        codes: &["x.7.1"],
        meaning: "Gmail refused the message by policy (spam content, a blocked sender, or an authentication failure the text names).",
        fix: "Read the rest of the reply; check the authentication results and the sending IP's reputation.",
        meaning_ja: "Gmail がポリシーにより受信を拒否しました（迷惑メールの内容、ブロックされた送信者、または応答文にある認証の失敗）。",
        fix_ja: "応答文の続きを読み、認証結果と送信 IP の評判を確認してください。",
        finding: None,
    },
    Known {
        provider: Some("outlook"),
        codes: &["x.7.515"],
        meaning: "Outlook.com: the sending domain does not meet the required authentication level (high-volume senders need SPF, DKIM and DMARC passing).",
        fix: "Make SPF and DKIM pass and publish DMARC (at least p=none) aligned with the From domain.",
        meaning_ja: "Outlook.com：送信ドメインが必要な認証レベルを満たしていません（大量送信者は SPF・DKIM・DMARC の合格が必要です）。",
        fix_ja: "SPF と DKIM を合格させ、From ドメインと一致した DMARC（少なくとも p=none）を公開してください。",
        finding: Some(FindingId::DmarcFail),
    },
    Known {
        provider: Some("yahoo"),
        codes: &["x.7.9"],
        meaning: "Yahoo: not accepted for policy reasons (often failed authentication or DMARC).",
        fix: "Make SPF and DKIM pass, aligned with From, and publish DMARC.",
        meaning_ja: "Yahoo：ポリシー上の理由で受け付けられませんでした（多くは認証または DMARC の失敗）。",
        fix_ja: "SPF と DKIM を From と一致させて合格させ、DMARC を公開してください。",
        finding: Some(FindingId::DmarcFail),
    },
    Known {
        provider: None,
        codes: &["x.7.20"],
        meaning: "No passing DKIM signature was found (RFC 7372).",
        fix: "Sign with DKIM and publish the key.",
        meaning_ja: "合格する DKIM 署名がありません（RFC 7372）。",
        fix_ja: "DKIM で署名し、公開鍵を DNS に登録してください。",
        finding: Some(FindingId::DkimNone),
    },
    Known {
        provider: None,
        codes: &["x.7.21"],
        meaning: "No acceptable DKIM signature was found (RFC 7372): the signatures fail or use a weak key or hash.",
        fix: "Sign with rsa-sha256 and a 2048-bit key, and make sure the signature verifies.",
        meaning_ja: "受け入れ可能な DKIM 署名がありません（RFC 7372）。署名が不合格か、弱い鍵やハッシュを使っています。",
        fix_ja: "rsa-sha256 と 2048 ビットの鍵で署名し、署名が検証されることを確認してください。",
        finding: Some(FindingId::DkimFail),
    },
    Known {
        provider: None,
        codes: &["x.7.22"],
        meaning: "No valid DKIM signature by the author's domain (RFC 7372).",
        fix: "Sign DKIM with the From domain.",
        meaning_ja: "送信者（From）のドメインによる有効な DKIM 署名がありません（RFC 7372）。",
        fix_ja: "From ドメインで DKIM 署名してください。",
        finding: Some(FindingId::DmarcNotAligned),
    },
    Known {
        provider: None,
        codes: &["x.7.23"],
        meaning: "SPF validation failed (RFC 7372).",
        fix: "List the sending server in the envelope domain's SPF record.",
        meaning_ja: "SPF の検証に失敗しました（RFC 7372）。",
        fix_ja: "エンベロープ送信者のドメインの SPF レコードに送信サーバーを追加してください。",
        finding: Some(FindingId::SpfFail),
    },
    Known {
        provider: None,
        codes: &["x.7.24"],
        meaning: "SPF could not be evaluated (RFC 7372): the record is broken or the DNS failed.",
        fix: "Fix the SPF record's syntax and stay under 10 DNS lookups.",
        meaning_ja: "SPF を評価できませんでした（RFC 7372）。レコードが壊れているか、DNS が失敗しました。",
        fix_ja: "SPF レコードの構文を直し、DNS 参照を 10 回以内に収めてください。",
        finding: Some(FindingId::SpfPermerror),
    },
    Known {
        provider: None,
        codes: &["x.7.25"],
        meaning: "Reverse DNS validation failed (RFC 7372).",
        fix: "Set a PTR record for the sending IP that resolves back to it.",
        meaning_ja: "逆引き（PTR）の検証に失敗しました（RFC 7372）。",
        fix_ja: "送信 IP に、同じ IP に正引きできる PTR レコードを設定してください。",
        finding: Some(FindingId::IprevMissing),
    },
    Known {
        provider: None,
        codes: &["x.7.26"],
        meaning: "Several authentication checks failed (RFC 7372).",
        fix: "Make SPF and DKIM pass, aligned with From.",
        meaning_ja: "複数の認証チェックに失敗しました（RFC 7372）。",
        fix_ja: "SPF と DKIM を From と一致させて合格させてください。",
        finding: Some(FindingId::DmarcFail),
    },
    Known {
        provider: None,
        codes: &["x.7.29"],
        meaning: "ARC validation failed (RFC 8617).",
        fix: "The forwarder's ARC chain is broken: the forwarder should seal correctly, or the sender rely on aligned DKIM.",
        meaning_ja: "ARC の検証に失敗しました（RFC 8617）。",
        fix_ja: "転送者の ARC チェーンが壊れています。転送者が正しく ARC 署名するか、送信者が From と一致する DKIM で署名してください。",
        finding: Some(FindingId::ArcFail),
    },
];

/// The common RFC 3463 status codes that are not about authentication, as
/// a sender reads them (the class digit aside: `x.1.1`).
fn common_status(enhanced: &str) -> Option<(crate::wording::Text, crate::wording::Text)> {
    use crate::wording::Text;
    let t = |en, ja| Text { en, ja };
    let detail = enhanced.get(1..)?;
    Some(match detail {
        ".1.1" => (
            t(
                "the recipient's address does not exist",
                "宛先のメールアドレスが存在しません",
            ),
            t(
                "Check the address for typos, or ask the recipient for the right one; remove it from your lists.",
                "アドレスの綴りを確認するか、正しいアドレスを相手に確認してください。宛先リストからは削除してください。",
            ),
        ),
        ".1.2" => (
            t(
                "the recipient's domain does not exist or takes no mail",
                "宛先のドメインが存在しないか、メールを受け付けていません",
            ),
            t(
                "Check the part after @ for typos.",
                "@ より後ろ（ドメイン名）の綴りを確認してください。",
            ),
        ),
        ".1.10" => (
            t(
                "the recipient address was not found (Microsoft 365), or the recipient's domain accepts no mail (null MX, RFC 7505)",
                "宛先のアドレスが見つかりません（Microsoft 365）。または宛先のドメインがメールを受け付けていません（null MX、RFC 7505）",
            ),
            t(
                "Check the address with the recipient, or use another address for them.",
                "宛先のアドレスを相手に確認するか、相手の別のアドレスを使ってください。",
            ),
        ),
        ".2.1" => (
            t(
                "the recipient's mailbox is disabled",
                "宛先のメールボックスが停止されています",
            ),
            t(
                "Reach the recipient another way; the mailbox does not take mail now.",
                "別の手段で相手に連絡してください。このメールボックスは現在受信できません。",
            ),
        ),
        ".2.2" => (
            t(
                "the recipient's mailbox is full",
                "宛先のメールボックスが満杯です",
            ),
            t(
                "Send again later, or reach the recipient another way.",
                "時間をおいて再送するか、別の手段で相手に連絡してください。",
            ),
        ),
        ".3.4" | ".2.3" => (
            t("the message is too large", "メールのサイズが大きすぎます"),
            t(
                "Send smaller attachments, or share the file by link.",
                "添付ファイルを小さくするか、ファイルはリンクで共有してください。",
            ),
        ),
        ".4.1" => (
            t(
                "the receiving server did not answer",
                "受信サーバーが応答しませんでした",
            ),
            t(
                "Usually temporary on the receiving side; if it lasts, check the recipient domain's MX.",
                "多くは受信側の一時的な問題です。続く場合は宛先ドメインの MX を確認してください。",
            ),
        ),
        ".4.4" => (
            t(
                "no route to the receiving server (its MX could not be used)",
                "受信サーバーに届ける経路がありません（MX を使えませんでした）",
            ),
            t(
                "Check the recipient domain's MX records and the address's spelling.",
                "宛先ドメインの MX レコードと、アドレスの綴りを確認してください。",
            ),
        ),
        ".4.7" => (
            t(
                "the message waited too long in the queue and expired",
                "送信待ちの時間が長すぎて期限切れになりました",
            ),
            t(
                "The receiving server kept deferring it; read the earlier replies for why.",
                "受信サーバーが受け取りを保留し続けました。理由は前の応答文を見てください。",
            ),
        ),
        _ => return None,
    })
}

/// Yahoo's bracketed reasons.
/// (tag, meaning, fix, meaning in Japanese, fix in Japanese).
type Tag = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);
const YAHOO_TAGS: &[Tag] = &[
    (
        "TSS04",
        "Yahoo: deferred because of unexpected volume or user complaints from this IP.",
        "Slow down and reduce complaints (remove inactive recipients, honour unsubscribes); Yahoo retries later.",
        "Yahoo：この IP からの想定外の量、または利用者からの迷惑メール報告のため、受信を保留しました。",
        "送信ペースを落とし、苦情を減らしてください（反応のない宛先を外し、配信停止に応じる）。Yahoo は後で再試行を受け付けます。",
    ),
    (
        "TSS09",
        "Yahoo: all mail from this IP is deferred permanently after sustained complaints or volume.",
        "Stop and clean the list; contact Yahoo's sender support once complaint rates are down.",
        "Yahoo：苦情や量が続いたため、この IP からのメールをすべて保留し続けています。",
        "送信を止めて宛先リストを整理し、苦情率が下がってから Yahoo の送信者サポートに連絡してください。",
    ),
    (
        "TSS11",
        "Yahoo: deferred because of user complaints.",
        "Reduce complaints: confirm subscriptions and add one-click unsubscribe.",
        "Yahoo：利用者からの迷惑メール報告のため、受信を保留しました。",
        "苦情を減らしてください。購読の意思を確認し、ワンクリック配信停止を付けてください。",
    ),
];

fn provider_of(text: &str) -> Option<&'static str> {
    let t = text.to_ascii_lowercase();
    if t.contains("gsmtp") || t.contains("google.com") || t.contains("gmail") {
        Some("gmail")
    } else if t.contains("outlook.com") || t.contains("hotmail") || t.contains("protection.outlook")
    {
        Some("outlook")
    } else if t.contains("yahoo") || t.contains("[tss") {
        Some("yahoo")
    } else {
        None
    }
}

/// The most distinct codes kept: a real bounce has a handful; the cap keeps
/// the report small whatever the input holds.
pub const MAX_CODES: usize = 64;

/// Bytes of a line read before and after a code for the receiver's name
/// and Yahoo's tag (real reply lines are far shorter; a 2 MB line is not
/// read whole for every code).
const WINDOW_BEFORE: usize = 256;
const WINDOW_AFTER: usize = 768;

/// Local parts of the addresses bounces come from.
const DAEMONS: &[&str] = &[
    "mailer-daemon",
    "mailer_daemon",
    "mailerdaemon",
    "mail-daemon",
    "postmaster",
    "post_master",
];

/// Display names of the same (`Mail Delivery System <…>`).
const DAEMON_NAMES: &[&str] = &[
    "mail delivery system",
    "mail delivery subsystem",
    "mailer-daemon",
    "mailer daemon",
];

/// Subjects of non-delivery messages as MTAs write them, lower-cased
/// (Postfix, sendmail, Exim, qmail, Exchange, Gmail, Domino, Japanese
/// carriers), matched anywhere in the decoded Subject so that a forwarded
/// one (`Fwd: Returned mail: …`) counts too.
const SUBJECTS: &[&str] = &[
    "undelivered mail",
    "undelivered message",
    "undeliverable",
    "delivery status notification",
    "mail delivery failed",
    "delivery failure",
    "failure delivery",
    "failure notice",
    "returned mail",
    "delivery has failed",
    "delivery failed",
    "mail delivery status",
    "non-delivery",
    "nondeliverable",
    "could not be delivered",
    "message not delivered",
    "mail system error",
    "warning: could not send",
    "delayed mail",
    "returned to sender",
    "mail failure",
    "不達",
    "配信エラー",
    "配送エラー",
    "配信不能",
];

fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len().max(1))
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// Whether `report` (of `input`) is a bounce: a delivery status notification
/// (RFC 3464 in an RFC 6522 `multipart/report; report-type=delivery-status`)
/// or a non-delivery message as MTAs write them (sent by MAILER-DAEMON or
/// postmaster, `X-Failed-Recipients`, a non-delivery Subject). Read from the
/// header block only.
/// (The fields it reads were noted as the header block was read, into
/// `info`; `_input` is kept for callers.)
pub fn is_bounce(input: &[u8], info: &InputInfo, summary: &Summary) -> bool {
    if info.problem.is_some() {
        return false;
    }
    let marks = info.bounce_marks;
    if marks.delivery_status || marks.failed_recipients {
        return true;
    }
    let s = summary;
    // `postmaster` is also a person's mailbox (notices, replies): from it,
    // a bounce's subject or words are needed too (below); the daemons'
    // names are enough on their own.
    let daemon = |addr: &str| {
        let local = addr.rsplit_once('@').map_or(addr, |(l, _)| l);
        let local = local.trim_matches(|c: char| matches!(c, '<' | '>' | '"' | ' '));
        DAEMONS
            .iter()
            .filter(|d| !d.starts_with("post"))
            .any(|d| local.eq_ignore_ascii_case(d))
    };
    if [
        s.from.as_deref(),
        s.sender.as_deref(),
        s.return_path.as_deref(),
    ]
    .into_iter()
    .flatten()
    .any(daemon)
    {
        return true;
    }
    // ASCII case folding: the page carries no Unicode case tables, and the
    // Japanese subjects have no case. Matched in place: a lower-cased copy
    // of a long Subject or name would be held beside it (issue 19 item 3).
    let has = |t: &Option<String>, patterns: &[&str]| {
        t.as_deref().is_some_and(|t| {
            patterns
                .iter()
                .any(|p| contains_ci(t.as_bytes(), p.as_bytes()))
        })
    };
    if has(&s.from_name, DAEMON_NAMES) || has(&s.subject, SUBJECTS) {
        return true;
    }
    let postmaster = [s.from.as_deref(), s.sender.as_deref()]
        .into_iter()
        .flatten()
        .any(|a| {
            let local = a.rsplit_once('@').map_or(a, |(l, _)| l);
            local.eq_ignore_ascii_case("postmaster") || local.eq_ignore_ascii_case("post_master")
        });
    postmaster && says_undelivered(input, info)
}

/// Words of a non-delivery notice in the first part of the body.
const UNDELIVERED_WORDS: &[&[u8]] = &[
    b"could not be delivered",
    b"couldn't be delivered",
    b"undeliverable",
    b"undelivered",
    b"was rejected",
    b"delivery failed",
    b"delivery has failed",
    b"did not reach",
    b"permanent error",
    b"user unknown",
    b"unknown user",
    b"no such user",
    b"invalid user",
    b"address rejected",
    b"requested action not taken",
    b"mailbox full",
    b"not delivered",
];

/// The body (its first 8 KB) says a message was not delivered.
fn says_undelivered(input: &[u8], info: &InputInfo) -> bool {
    let start = info.header_block.map_or(0, |b| b.end);
    let body = input.get(start..).unwrap_or_default();
    let body = body.get(..body.len().min(8 * 1024)).unwrap_or(body);
    UNDELIVERED_WORDS.iter().any(|w| contains_ci(body, w))
}

/// The header block is itself a delivery-status part (a pasted
/// `Reporting-MTA: …` / `Final-Recipient: …` / `Status: …` group).
fn is_dsn_fields(info: &InputInfo) -> bool {
    info.bounce_marks.dsn_fields
}

/// The rejections in `input`, read where a rejection can be:
/// - input without a header block (a pasted SMTP reply or bounce text):
///   the whole text;
/// - a bounce ([`is_bounce`]): its body, and any text pasted before the
///   header block; a header block that is itself a delivery-status part:
///   all of it;
/// - any other message: only text pasted before its header block, never
///   the header block (version numbers, IP addresses) nor the body.
pub(crate) fn decode_report(input: &[u8], info: &InputInfo, summary: &Summary) -> Vec<BounceCode> {
    match info.problem {
        Some(InputProblem::NoHeaders) => decode(input),
        Some(_) => Vec::new(),
        None => {
            let Some(block) = info.header_block else {
                return Vec::new();
            };
            if is_dsn_fields(info) {
                return decode(input);
            }
            let lead = input.get(..block.start).unwrap_or_default();
            let body = if is_bounce(input, info, summary) {
                input.get(block.end..).unwrap_or_default()
            } else {
                &[]
            };
            scan(&[(0, lead), (block.end, body)])
        }
    }
}

/// `c.s.d` at `at`: class one digit, subject and detail 1-3 digits, not
/// followed by more of a number or a word. The end offset.
fn enhanced_at(bytes: &[u8], at: usize) -> Option<usize> {
    let class = *bytes.get(at)?;
    if !class.is_ascii_digit() || bytes.get(at + 1) != Some(&b'.') {
        return None;
    }
    let mut end = at + 2;
    let mut parts = 0;
    loop {
        let start = end;
        while bytes.get(end).is_some_and(u8::is_ascii_digit) && end - start < 3 {
            end += 1;
        }
        if end == start {
            return None;
        }
        parts += 1;
        if parts == 2 {
            break;
        }
        if bytes.get(end) != Some(&b'.') {
            return None;
        }
        end += 1;
    }
    let word = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
    let next = bytes.get(end);
    if word(next) || (next == Some(&b'.') && word(bytes.get(end + 1))) {
        return None;
    }
    Some(end)
}

/// A rejection: reply class 4 or 5 (a `2xx`/`2.x.x` in a transcript is a
/// success, not a rejection).
fn rejection(reply: Option<u16>, code: Option<&[u8]>) -> bool {
    let class = code.and_then(|c| c.first().copied()).or_else(|| {
        reply
            .and_then(|r| u8::try_from(r / 100).ok())
            .map(|d| b'0' + d)
    });
    matches!(class, Some(b'4' | b'5'))
}

/// What one line gave: its reply and code, and where it stands.
struct Hit<'a> {
    reply: Option<u16>,
    code: Option<&'a [u8]>,
    span: Span,
    /// The line around the code, and the line before it: where the
    /// receiver's name is.
    window: &'a [u8],
    after: &'a [u8],
    prev: &'a [u8],
    /// A bare reply read only because it begins its line: kept only when
    /// the text has no other rejection (a line of the returned message's
    /// body may begin with `550 `).
    weak: bool,
}

/// Codes found so far, each distinct code once (by enhanced code, else by
/// reply), first occurrence first; linear in the number of lines.
#[derive(Default)]
struct Found<'a> {
    hits: Vec<Hit<'a>>,
    by_code: HashMap<&'a [u8], usize>,
    by_reply: HashMap<u16, usize>,
    /// The first code on the current line, repeated or not: its window and
    /// the line before, where the receiver may be named.
    line_first: Option<(&'a [u8], &'a [u8])>,
    /// The first receiver a code's line (or the line before it) names.
    receiver: Option<&'static str>,
}

impl<'a> Found<'a> {
    fn add(&mut self, hit: Hit<'a>) {
        if !rejection(hit.reply, hit.code) {
            return;
        }
        self.line_first.get_or_insert((hit.window, hit.prev));
        let index = match hit.code {
            Some(code) => self.by_code.get(code),
            None => hit.reply.and_then(|r| self.by_reply.get(&r)),
        };
        if let Some(&i) = index {
            // `Status: 5.1.1` first, `550 5.1.1 …` later: keep the reply.
            // A reply read only by where it stands gives way to the same
            // reply where a bounce marks one (`said:`, `smtp;`).
            if let Some(old) = self.hits.get_mut(i)
                && ((old.reply.is_none() && hit.reply.is_some()) || (old.weak && !hit.weak))
            {
                *old = hit;
            }
            return;
        }
        if self.hits.len() >= MAX_CODES {
            return;
        }
        match (hit.code, hit.reply) {
            (Some(code), _) => {
                self.by_code.insert(code, self.hits.len());
            }
            (None, Some(reply)) => {
                self.by_reply.insert(reply, self.hits.len());
            }
            (None, None) => return,
        }
        self.hits.push(hit);
    }
}

/// Does the text before `at` (spaces trimmed) end with one of `marks`?
fn after_mark(line: &[u8], at: usize, marks: &[&[u8]]) -> bool {
    let mut end = at;
    while end > 0 && line.get(end - 1).is_some_and(|b| *b == b' ' || *b == b'\t') {
        end -= 1;
    }
    let before = line.get(..end).unwrap_or_default();
    marks.iter().any(|m| {
        before.len() >= m.len()
            && before
                .get(before.len() - m.len()..)
                .is_some_and(|t| t.eq_ignore_ascii_case(m))
    })
}

/// What may precede an SMTP reply that has no enhanced code: the places
/// bounces quote one (`said:`, `Diagnostic-Code: smtp;`, sendmail's `<<<`,
/// Exim's `host … [192.0.2.1]:`).
const REPLY_MARKS: &[&[u8]] = &[
    b"said:",
    b"smtp;",
    b"<<<",
    b"]:",
    b"reason:",
    b"error:",
    b"response:",
    b"reply:",
    b"error_code :",
    b"error_code:",
    b"failed with:",
];

/// Zoho's fields for the reply and the status (`ERROR_CODE :550, ERROR_CODE
/// :5.1.1 …`): a reply there ends at a comma.
const ERROR_CODE_MARKS: &[&[u8]] = &[b"error_code :", b"error_code:"];

/// A reply that begins its line, as a bounce quotes the server's answer
/// under a heading of its own (m-FILTER's `-------server message` then
/// `550 unknown user <…>`): one of the rejection replies of RFC 5321
/// (421, 450-452, 550-554), then a space and words (a letter or `<`), not
/// a number that happens to start a line of prose (`500 items`).
fn alone_on_its_line(line: &[u8], at: usize, start: usize, reply: u16) -> bool {
    let words = line
        .get(at + 4)
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'<');
    at == start
        && line.get(at + 3) == Some(&b' ')
        && words
        && matches!(reply, 421 | 450..=452 | 550..=554)
}

/// Every code on `line`: an SMTP reply with an enhanced code (`550 5.1.1`,
/// `550-5.7.26`, `550 #5.1.0`), a DSN `Status:` field, a Diagnostic-Code's
/// `smtp; 5.1.0`, a `#5.1.1` marker (qmail, Exchange), and a reply without
/// an enhanced code where bounces quote one. A bare `x.y.z` (a version,
/// an IP address) is none of these.
fn scan_line<'a>(line: &'a [u8], span: Span, prev: &'a [u8], found: &mut Found<'a>) {
    let window = |at: usize| {
        let start = at.saturating_sub(WINDOW_BEFORE);
        let end = line.len().min(at + WINDOW_AFTER);
        (
            line.get(start..end).unwrap_or_default(),
            line.get(at..end).unwrap_or_default(),
        )
    };
    let hit = |reply: Option<u16>, code: Option<&'a [u8]>, at: usize| {
        let (window, after) = window(at);
        Hit {
            reply,
            code,
            span,
            window,
            after,
            prev,
            // Read only by where it stands ([`alone_on_its_line`]).
            weak: code.is_none()
                && line.get(at + 3) == Some(&b' ')
                && !after_mark(line, at, REPLY_MARKS),
        }
    };
    // Quote marks of a forwarded bounce (`> Status: 5.1.1`).
    let start = line
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'>'))
        .unwrap_or(line.len());
    let status_field = line
        .get(start..start + 7)
        .is_some_and(|t| t.eq_ignore_ascii_case(b"status:"));
    // A reply without an enhanced code waits for a `#5.5.0` later on the
    // line (qmail: `550 Unknown user … (#5.5.0)`).
    let mut pending: Option<(u16, usize)> = None;
    let mut i = 0;
    while let Some(d) = line
        .get(i..)
        .and_then(|rest| rest.iter().position(u8::is_ascii_digit))
    {
        let at = i + d;
        let run = line
            .get(at..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let run_end = at + run;
        i = run_end;
        let prev_byte = at.checked_sub(1).and_then(|p| line.get(p)).copied();
        if prev_byte.is_some_and(|p| p.is_ascii_alphanumeric() || b"._-/".contains(&p)) {
            continue;
        }
        if run == 3 {
            let reply = line
                .get(at..run_end)
                .and_then(|r| std::str::from_utf8(r).ok())
                .and_then(|r| r.parse::<u16>().ok())
                .filter(|r| (200..600).contains(r));
            let sep = line.get(run_end).copied();
            let zoho = sep == Some(b',') && after_mark(line, at, ERROR_CODE_MARKS);
            // Postfix wraps a long reply right after its number (`said:
            // 550` at the end of the line, the words indented below).
            let wrapped = sep.is_none() && after_mark(line, at, REPLY_MARKS);
            let (Some(reply), Some(b' ' | b'-' | b',') | None) = (reply, sep) else {
                continue;
            };
            if sep.is_none() && !wrapped {
                continue;
            }
            if sep == Some(b',') && !zoho {
                continue;
            }
            let mut c = run_end + 1;
            if line.get(c).is_some_and(|b| b"'\"#".contains(b)) {
                c += 1;
            }
            if let Some(end) = enhanced_at(line, c) {
                i = end;
                let agrees = line.get(c).copied() == line.get(at).copied();
                if agrees {
                    if let Some((r, p)) = pending.take() {
                        found.add(hit(Some(r), None, p));
                    }
                    found.add(hit(Some(reply), line.get(c..end), at));
                }
                continue;
            }
            let text_follows = line.get(run_end + 1).is_none_or(|b| !b.is_ascii_digit());
            let marked = after_mark(line, at, REPLY_MARKS)
                || (at == start && sep == Some(b'-'))
                || alone_on_its_line(line, at, start, reply);
            if text_follows
                && marked
                && matches!(line.get(at), Some(b'4' | b'5'))
                && let Some((r, p)) = pending.replace((reply, at))
            {
                found.add(hit(Some(r), None, p));
            }
            continue;
        }
        if run != 1 {
            continue;
        }
        let Some(end) = enhanced_at(line, at) else {
            continue;
        };
        i = end;
        let marked = prev_byte == Some(b'#')
            || (status_field
                && line
                    .get(start + 7..at)
                    .is_some_and(|t| t.iter().all(|b| *b == b' ' || *b == b'\t')))
            || after_mark(line, at, &[b"smtp;"])
            || after_mark(line, at, ERROR_CODE_MARKS);
        if !marked {
            continue;
        }
        let class = line.get(at).copied();
        let reply = match pending.take() {
            Some((r, _)) if u8::try_from(r / 100).ok().map(|d| b'0' + d) == class => Some(r),
            Some((r, p)) => {
                found.add(hit(Some(r), None, p));
                None
            }
            None => None,
        };
        found.add(hit(reply, line.get(at..end), at));
    }
    if let Some((r, p)) = pending {
        found.add(hit(Some(r), None, p));
    }
}

/// The pieces of `input` between line ends (LF, CRLF or a lone CR), with
/// their offsets; empty pieces skipped. Found with memchr: a pasted .eml
/// can be tens of megabytes.
fn split_lines(input: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut at = 0;
    std::iter::from_fn(move || {
        loop {
            let rest = input.get(at..)?;
            if rest.is_empty() {
                return None;
            }
            let len = memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
            let start = at;
            at += len + 1;
            if len > 0 {
                return Some((start, rest.get(..len).unwrap_or_default()));
            }
        }
    })
}

/// Every SMTP rejection in `input`, read as text (a pasted reply or bounce).
pub fn decode(input: &[u8]) -> Vec<BounceCode> {
    scan(&[(0, input)])
}

/// The codes in these pieces of the input (offset, bytes).
fn scan(regions: &[(usize, &[u8])]) -> Vec<BounceCode> {
    let mut found = Found::default();
    for &(offset, text) in regions {
        let mut prev: &[u8] = &[];
        for (start, line) in split_lines(text) {
            let span = Span {
                start: offset + start,
                end: offset + start + line.len(),
            };
            let tail = prev.get(prev.len().saturating_sub(WINDOW_BEFORE)..);
            scan_line(line, span, tail.unwrap_or_default(), &mut found);
            // Once per line with a code, until a receiver is named: linear.
            if let Some((window, prev)) = found.line_first.take()
                && found.receiver.is_none()
            {
                found.receiver = provider_of(&String::from_utf8_lossy(window))
                    .or_else(|| provider_of(&String::from_utf8_lossy(prev)));
            }
            prev = line;
        }
    }
    let Found {
        mut hits, receiver, ..
    } = found;
    if hits.iter().any(|h| !h.weak) {
        hits.retain(|h| !h.weak);
    }
    // `550 Unknown user` and `550 5.1.1 …` elsewhere: one rejection.
    let replies: Vec<u16> = hits
        .iter()
        .filter(|h| h.code.is_some())
        .filter_map(|h| h.reply)
        .collect();
    hits.retain(|h| h.code.is_some() || h.reply.is_none_or(|r| !replies.contains(&r)));
    // A reply spread over lines names its receiver once (`- gsmtp` at the
    // end, or `host …google.com said:` on the line before): the first
    // receiver any code's line names stands for the others.
    let mut codes: Vec<BounceCode> = hits
        .iter()
        .map(|h| {
            let own = provider_of(&String::from_utf8_lossy(h.window));
            let code = h.code.map(|c| String::from_utf8_lossy(c).into_owned());
            // The reply's words: its paragraph (a Postfix reply wraps over
            // indented lines and ends in `(in reply to MAIL FROM command)`;
            // a DSN group's `Status:` stands beside its Diagnostic-Code).
            let words = regions
                .iter()
                .find(|(offset, text)| (*offset..offset + text.len()).contains(&h.span.start))
                .map(|(offset, text)| own_words(text, h.span.start - offset, h.reply, h.code))
                .unwrap_or_default();
            explain(
                &String::from_utf8_lossy(h.after),
                own.or(receiver),
                h.reply,
                code,
                said(&String::from_utf8_lossy(words)),
                h.span,
            )
        })
        .collect();
    one_per_refusal(&mut codes);
    codes
}

/// One entry per refusal: a bounce states one refusal several times (the
/// text's `550` completed with the DSN's `Status: 5.0.0`, and that
/// `Status:` again), and a transcript adds what followed it (`503 5.0.0
/// Need RCPT`: the receiver's answer to DATA after every recipient was
/// refused). Kept: the first place of each, with its reply. (A DSN's
/// `Status: 5.0.0` beside the receiver's own `550 5.1.1` stays: the
/// bounce states both codes.)
pub(crate) fn one_per_refusal(codes: &mut Vec<BounceCode>) {
    let mut kept: Vec<BounceCode> = Vec::new();
    for code in std::mem::take(codes) {
        let same = kept.iter_mut().find(|k| {
            k.enhanced.is_some()
                && k.enhanced == code.enhanced
                && (k.reply.is_none() || code.reply.is_none() || k.reply == code.reply)
        });
        match same {
            Some(k) => {
                if k.reply.is_none() && code.reply.is_some() {
                    *k = code;
                }
            }
            None => kept.push(code),
        }
    }
    // `503` (bad sequence) beside the refusal that caused it.
    let refusal = kept.iter().any(|o| o.reply != Some(503));
    let drop: Vec<bool> = kept
        .iter()
        .map(|c| c.reply == Some(503) && refusal)
        .collect();
    let mut at = 0;
    kept.retain(|_| {
        at += 1;
        !drop.get(at - 1).copied().unwrap_or(false)
    });
    *codes = kept;
}

/// At most this many bytes after a code are read for its words.
const WORDS_REACH: usize = 1024;

/// A reply's own words: from its line at `at` in `text` to the end of its
/// paragraph (a line of spaces counts as blank), or to the next line that
/// starts another reply (`503 5.0.0 Need RCPT` after `550 5.1.1 User
/// unknown`), at most [`WORDS_REACH`] bytes. A Postfix reply wraps over
/// indented lines and ends in `(in reply to MAIL FROM command)`.
fn own_words<'a>(text: &'a [u8], at: usize, reply: Option<u16>, code: Option<&[u8]>) -> &'a [u8] {
    // A quoted blank line (`>`) ends a paragraph too.
    let blank = |line: &[u8]| line.iter().all(|b| b.is_ascii_whitespace() || *b == b'>');
    // Another reply: three digits and a space or dash at the line's start
    // (after quote marks), other than this one's continuation
    // (`550-5.7.26` lines of one Gmail reply).
    let other_reply = |line: &[u8]| {
        let lead = line
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'>' | b'<'))
            .count();
        let line = line.get(lead..).unwrap_or_default();
        let (Some(digits), Some(b' ' | b'-')) = (line.get(..3), line.get(3)) else {
            return false;
        };
        if !digits.iter().all(u8::is_ascii_digit) {
            return false;
        }
        let same_reply = reply.is_some_and(|r| r.to_string().as_bytes() == digits);
        let same_code = code.is_none_or(|c| line.get(4..4 + c.len()) == Some(c));
        !(same_reply && same_code)
    };
    let line_start = text
        .get(..at)
        .and_then(|t| memchr::memrchr(b'\n', t))
        .map_or(0, |i| i + 1)
        .max(at.saturating_sub(WORDS_REACH));
    let ceiling = text.len().min(at + WORDS_REACH);
    let Some(near) = text.get(line_start..ceiling) else {
        return &[];
    };
    let mut end = memchr::memchr(b'\n', near).map_or(near.len(), |i| i + 1);
    while end < near.len() {
        let rest = near.get(end..).unwrap_or_default();
        let line_end = memchr::memchr(b'\n', rest).map_or(near.len(), |i| end + i);
        let line = near.get(end..line_end).unwrap_or_default();
        if blank(line) || other_reply(line) {
            break;
        }
        end = line_end + 1;
    }
    near.get(..end.min(near.len())).unwrap_or_default()
}

/// A code the text gave as a bare reply (`550`) whose enhanced status the
/// bounce's decoded report names for the same refusal (a DSN's `Status:`, or
/// a status the raw text split across a quoted-printable soft line break):
/// explained again with that status. Only a status of the reply's class
/// (5.x.x for 5xx, 4.x.x for 4xx) is taken.
pub(crate) fn with_status(code: &BounceCode, status: &str) -> Option<BounceCode> {
    let reply = code.reply?;
    let class = status.as_bytes().first().copied()?;
    let fits = code.enhanced.is_none()
        && matches!((class, reply / 100), (b'5', 5) | (b'4', 4))
        && status.split('.').count() == 3
        && status
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if !fits {
        return None;
    }
    let provider = KNOWN
        .iter()
        .filter_map(|k| k.provider)
        .find(|p| Some(*p) == code.provider.as_deref());
    let mut completed = explain(
        "",
        provider,
        Some(reply),
        Some(status.to_string()),
        code.said,
        code.span,
    );
    completed.tag.clone_from(&code.tag);
    Some(completed)
}

/// `code` explained again by `said`, the words the bounce's decoded text
/// gives for the same refusal (a Diagnostic-Code in ISO-2022-JP the raw
/// scan could not read), when it had none of its own.
pub(crate) fn with_said(code: &BounceCode, said: Said) -> Option<BounceCode> {
    if code.said.is_some() || code.tag.is_some() {
        return None;
    }
    let provider = KNOWN
        .iter()
        .filter_map(|k| k.provider)
        .find(|p| Some(*p) == code.provider.as_deref());
    let mut again = explain(
        "",
        provider,
        code.reply,
        code.enhanced.clone(),
        Some(said),
        code.span,
    );
    again.tag.clone_from(&code.tag);
    // A Yahoo tag or a provider's row keeps its own words.
    (again.meaning != code.meaning).then_some(again)
}

fn explain(
    after: &str,
    provider: Option<&'static str>,
    reply: Option<u16>,
    enhanced: Option<String>,
    said: Option<Said>,
    span: Span,
) -> BounceCode {
    let generic = enhanced
        .as_deref()
        .map(|e| format!("x{}", e.get(1..).unwrap_or_default()));
    let known = generic.as_deref().and_then(|generic| {
        KNOWN
            .iter()
            .find(|k| k.codes.contains(&generic) && k.provider.is_some() && k.provider == provider)
            .or_else(|| {
                KNOWN
                    .iter()
                    .find(|k| k.codes.contains(&generic) && k.provider.is_none())
            })
    });
    let tag = after
        .split('[')
        .skip(1)
        .filter_map(|t| t.split(']').next())
        .find(|t| t.starts_with("TSS") || t.starts_with("BL") || t.starts_with("PH"))
        .map(str::to_string);
    let yahoo = tag
        .as_deref()
        .and_then(|t| YAHOO_TAGS.iter().find(|(name, ..)| *name == t));
    let temporary = enhanced.as_deref().is_some_and(|e| e.starts_with('4'))
        || reply.is_some_and(|r| (400..500).contains(&r));
    let (kind, kind_ja) = if temporary {
        ("A temporary", "一時的な")
    } else {
        ("A permanent", "恒久的な")
    };
    let generic = enhanced.as_deref().and_then(common_status);
    let by_words = by_words(said, enhanced.as_deref()).map(Said::words);
    // A code that says only "refused" (`5.0.0`, `4.7.650`, a bare `550`)
    // whose words say why: read by its words.
    let by_words = by_words.filter(|_| yahoo.is_none() && known.is_none());
    let (meaning, fix, meaning_ja, fix_ja, finding) = if let Some(words) = by_words {
        let (m, f) = (words.reason, words.fix);
        // "A permanent status 5.0.0: …", "A permanent refusal (reply
        // 550): …".
        let (what, what_ja) = match (&enhanced, reply) {
            (Some(e), _) => (format!("status {e}"), format!("エラー {e}")),
            (None, Some(r)) => (
                format!("refusal (reply {r})"),
                format!("拒否（応答コード {r}）"),
            ),
            (None, None) => ("refusal".to_string(), "拒否".to_string()),
        };
        let (meaning, meaning_ja) = (
            format!("{kind} {what}: {}", m.en),
            format!("{kind_ja}{what_ja}：{}", m.ja),
        );
        (
            meaning,
            f.en.to_string(),
            meaning_ja,
            f.ja.to_string(),
            None,
        )
    } else {
        match (yahoo, known) {
            (Some((_, meaning, fix, meaning_ja, fix_ja)), _) => (
                (*meaning).to_string(),
                (*fix).to_string(),
                (*meaning_ja).to_string(),
                (*fix_ja).to_string(),
                None,
            ),
            (None, Some(k)) => (
                k.meaning.to_string(),
                k.fix.to_string(),
                k.meaning_ja.to_string(),
                k.fix_ja.to_string(),
                k.finding.map(FindingId::as_str),
            ),
            (None, None) => {
                let (meaning, meaning_ja) = match (&enhanced, reply, generic) {
                    (Some(e), _, Some((s, _))) => (
                        format!("{kind} status {e}: {}.", s.en),
                        format!("{kind_ja}エラー {e}：{}。", s.ja),
                    ),
                    // Any other code reads as RFC 3463 words it: by its detail,
                    // else its subject (`5.1.351`: an address refused), else its
                    // class; the same words as the bounce's recipient lines.
                    (Some(e), _, None) => {
                        let why = crate::wording::bounce::reason(Some(e), reply);
                        (
                            format!("{kind} status {e}: {}", why.en),
                            format!("{kind_ja}エラー {e}：{}", why.ja),
                        )
                    }
                    (None, Some(r), _) => (
                        format!(
                            "{kind} refusal (reply {r}) without an enhanced status code; the reply text says why."
                        ),
                        format!(
                            "{kind_ja}拒否（応答コード {r}、拡張ステータスコードなし）。理由は応答文に書かれています。"
                        ),
                    ),
                    (None, None, _) => (
                        format!("{kind} refusal; the reply text says why."),
                        format!("{kind_ja}拒否。理由は応答文に書かれています。"),
                    ),
                };
                let (fix, fix_ja) = match generic {
                    Some((_, fix)) => (fix.en, fix.ja),
                    None => (
                        "Read the reply text; the findings below show what the headers say.",
                        "応答文を読んでください。ヘッダーから分かることは下の診断結果にあります。",
                    ),
                };
                (
                    meaning,
                    fix.to_string(),
                    meaning_ja,
                    fix_ja.to_string(),
                    None,
                )
            }
        }
    };
    BounceCode {
        reply,
        enhanced,
        tag,
        provider: provider.map(str::to_string),
        temporary,
        meaning,
        fix,
        meaning_ja,
        fix_ja,
        finding,
        said,
        span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_at_lf_crlf_and_cr() {
        for (input, want) in [
            (&b""[..], vec![]),
            (b"\n", vec![]),
            (b"a", vec![(0, &b"a"[..])]),
            (b"a\r\nb", vec![(0, &b"a"[..]), (3, b"b")]),
            (b"a\rb\n\nc\n", vec![(0, &b"a"[..]), (2, b"b"), (5, b"c")]),
        ] {
            let ours: Vec<(usize, &[u8])> = split_lines(input).collect();
            assert_eq!(ours, want, "{input:?}");
        }
    }

    /// Regression (sisimai-004 and -006, m-FILTER): the server's answer
    /// stands alone under `-------server message`; it was not read, and the
    /// bounce said "no status code" instead of "the address does not exist".
    #[test]
    fn a_reply_that_begins_its_line_under_a_heading_is_read() {
        for (text, words) in [
            (
                &b"-------server message\n550 unknown user <kijitora@example.com>\n\n-------SMTP command\nDATA\n"[..],
                "unknown user",
            ),
            (
                b"-------server message\r\n550 kijitora@example.org... No such user\r\n",
                "No such user",
            ),
        ] {
            let codes = decode(text);
            assert_eq!(codes.len(), 1, "{codes:?}");
            assert_eq!(codes[0].reply, Some(550));
            assert_eq!(codes[0].said, Some(Said::UserUnknown), "{words}: {codes:?}");
        }
    }

    /// A line of prose that begins with a number is no reply (`500 items`,
    /// not a rejection reply; `550 yen` is one, by its form, and is kept only
    /// when nothing else in the text is a rejection).
    #[test]
    fn a_number_that_begins_a_line_is_a_reply_only_in_form_and_alone() {
        assert!(decode(b"We shipped\n500 items today\n").is_empty());
        assert!(decode(b"5500 boxes\n").is_empty());
        assert!(decode(b"550\n").is_empty());
        let codes = decode(
            b"host mx.example.test[192.0.2.1] said: 550 5.1.1 <a@example.test>: User unknown\n\nPrice list\n550 yen for shipping\n",
        );
        assert_eq!(codes.len(), 1, "{codes:?}");
        assert_eq!(codes[0].enhanced.as_deref(), Some("5.1.1"));
    }

    /// Regression (sisimai-048): "Server mx22.example.org[192.0.2.222]
    /// failed with: 550 <…> No such user here" read as "no status code".
    #[test]
    fn a_reply_after_failed_with_is_read() {
        let codes = decode(b"Delivery failed for the following reason:\nServer mx22.example.org[192.0.2.222] failed with: 550 <kijitora@example.org> No such user here\n");
        assert_eq!(codes.len(), 1, "{codes:?}");
        assert_eq!(codes[0].reply, Some(550));
        assert_eq!(codes[0].said, Some(Said::UserUnknown));
    }

    /// Review of the bounces (sisimai-040: "Please use the smtp server of
    /// your ISP", sisimai-088: "Please turn on SMTP Authentication … not
    /// permitted to relay"): refusals of mail sent straight from a PC or
    /// without SMTP AUTH read as a refused sender or "refused", with
    /// blocklist advice. They name the submission server.
    #[test]
    fn a_refusal_of_mail_sent_without_submission_says_so() {
        for text in [
            "550 5.7.0 <taro@shop.test>... Please use the smtp server of your ISP.",
            "550-Please turn on SMTP Authentication in your mail client.",
            "554 5.7.1 <hanako@example.test>: Relay access denied",
            "550 5.7.1 Mail from dynamic IP addresses is not accepted",
        ] {
            assert_eq!(said(text), Some(Said::UseSubmission), "{text}");
        }
        // Not an authentication failure of the message (DMARC, Gmail's
        // 5.7.26), nor a mailbox.
        for text in [
            "550-5.7.26 This mail is unauthenticated, which poses a security risk",
            "550 5.1.1 <a@example.test>: Recipient address rejected: User unknown",
        ] {
            assert_ne!(said(text), Some(Said::UseSubmission), "{text}");
        }
        assert_eq!(Said::ALL.len(), 6);
        assert!(Said::ALL.iter().all(|s| !s.words().fix.ja.is_empty()));
    }

    #[test]
    fn zoho_error_code_fields_give_the_reply_and_status() {
        // Zoho writes the reply and the status as `ERROR_CODE :` fields.
        let codes = decode(b"kijitora@example.co.jp Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <kijitora@example.co.jp>... User Unknown");
        assert_eq!(codes.len(), 1, "{codes:?}");
        assert_eq!(codes[0].reply, Some(550));
        assert_eq!(codes[0].enhanced.as_deref(), Some("5.1.1"));
        // A number after a comma elsewhere is no reply.
        assert!(decode(b"Invalid Address, count 550, version 5.1.1").is_empty());
    }

    #[test]
    fn gmail_multi_line_dmarc_rejection_is_one_code() {
        let text = "550-5.7.26 Unauthenticated email from shop.test is not accepted due to\r\n550-5.7.26 domain's DMARC policy. Please contact the administrator of\r\n550 5.7.26 shop.test domain. a1si123 - gsmtp\r\n";
        let codes = decode(text.as_bytes());
        assert_eq!(codes.len(), 1, "{codes:?}");
        let c = &codes[0];
        assert_eq!(c.reply, Some(550));
        assert_eq!(c.enhanced.as_deref(), Some("5.7.26"));
        assert!(!c.temporary);
        assert_eq!(c.finding, Some("dmarc.fail"));
        assert_eq!(c.span.start, 0);
    }

    #[test]
    fn gmail_codes_name_the_requirement() {
        for (text, finding, temporary) in [
            (
                "421-4.7.23 ... PTR record ... - gsmtp",
                "iprev.missing",
                true,
            ),
            ("421-4.7.27 ... SPF ... - gsmtp", "spf.fail", true),
            ("550-5.7.30 ... DKIM ... - gsmtp", "dkim.fail", false),
            (
                "421-4.7.32 ... aligned ... - gsmtp",
                "dmarc.not_aligned",
                true,
            ),
            ("550 5.7.40 ... DMARC ... gsmtp", "dmarc.missing", false),
            ("421-4.7.29 ... TLS ... gsmtp", "tls.not_used", true),
        ] {
            let c = &decode(text.as_bytes())[0];
            assert_eq!(c.provider.as_deref(), Some("gmail"));
            assert_eq!(c.finding, Some(finding), "{text}");
            assert_eq!(c.temporary, temporary, "{text}");
        }
    }

    #[test]
    fn outlook_yahoo_and_unknown_codes() {
        let o = &decode(b"550 5.7.515 Access denied, sending domain shop.test doesn't meet the required authentication level. [x.prod.protection.outlook.com]")[0];
        assert_eq!(o.provider.as_deref(), Some("outlook"));
        assert!(o.meaning.starts_with("Outlook.com"));
        let y = &decode(b"421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes")[0];
        assert_eq!(y.tag.as_deref(), Some("TSS04"));
        assert!(y.meaning.starts_with("Yahoo: deferred"));
        assert!(y.temporary);
        let u = &decode(b"554 5.1.1 <nobody@example.net>: Recipient address rejected")[0];
        assert_eq!(u.finding, None);
        assert!(u.meaning.contains("5.1.1"));
    }

    /// Regression (issue 18): a non-authentication code read "not one of the
    /// authentication codes Todoku knows", in English only. The common
    /// RFC 3463 codes are named, in both languages, each with its fix.
    /// sisimai-010: Exchange's `550 5.1.351` was explained as "not one of
    /// the authentication codes Todoku knows" while its recipient line said
    /// the address was refused. Every code Todoku has no row for reads by
    /// its RFC 3463 subject (x.1: address, x.7: policy), else its class.
    #[test]
    fn unlisted_status_codes_read_by_their_subject_not_as_unknown() {
        let cases: [(&[u8], &str, &str); 4] = [
            (
                b"550 5.1.351 Requested action not taken: mailbox unavailable",
                "address",
                "アドレス",
            ),
            (
                // (Without words that say why: `rate limited` is read by
                // the words, below.)
                b"451 4.7.650 The mail server [192.0.2.1] is not accepted now",
                "policy",
                "ポリシー",
            ),
            (
                b"550 5.7.1 Service unavailable; client host blocked",
                "policy",
                "ポリシー",
            ),
            (b"550 5.0.0 <a@example.net>... Unknown", "refused", "拒否"),
        ];
        for (reply, en, ja) in cases {
            let code = &decode(reply)[0];
            let text = String::from_utf8_lossy(reply);
            assert!(
                !code.meaning.contains("authentication codes"),
                "{text}: {}",
                code.meaning
            );
            assert!(code.meaning.contains(en), "{text}: {}", code.meaning);
            assert!(code.meaning_ja.contains(ja), "{text}: {}", code.meaning_ja);
        }
    }

    #[test]
    fn common_status_codes_are_named_in_both_languages() {
        let u = &decode(b"550 5.1.1 <nobody@example.net>: Recipient address rejected")[0];
        assert!(
            u.meaning.contains("the recipient's address does not exist"),
            "{}",
            u.meaning
        );
        assert!(
            u.meaning_ja.contains("宛先のメールアドレスが存在しません"),
            "{}",
            u.meaning_ja
        );
        assert!(u.fix_ja.contains("綴り"), "{}", u.fix_ja);
        let full = &decode(b"452 4.2.2 <a@example.net>: Mailbox full")[0];
        assert!(full.temporary);
        assert!(full.meaning_ja.contains("満杯"), "{}", full.meaning_ja);
        // RFC 3463 subject 3: the receiving mail system.
        let other = &decode(b"550 5.3.0 <a@example.net>: Other")[0];
        assert!(other.meaning.contains("mail system"), "{}", other.meaning);
        assert!(
            other.meaning_ja.contains("メールシステム"),
            "{}",
            other.meaning_ja
        );
        // Yahoo's tags and the authentication codes have Japanese too.
        let y = &decode(b"421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred")[0];
        assert!(y.meaning_ja.starts_with("Yahoo："), "{}", y.meaning_ja);
        for k in KNOWN {
            assert!(
                !k.meaning_ja.is_empty() && !k.fix_ja.is_empty(),
                "{:?}",
                k.codes
            );
        }
    }

    /// Review D8: a generic status (`5.0.0`, `5.1.0`, `4.7.650`) or a
    /// bare reply was read as "refused" ("not a code Todoku can decode"),
    /// while its words said why: no such user, an account disabled or
    /// discontinued (Yahoo! JAPAN's `[#102]`), a rate limit for the IP's
    /// reputation (Outlook.com), a sender refused at MAIL FROM (Cox). The
    /// words and the SMTP command now give the meaning and the fix; a code
    /// with a row of its own keeps its row.
    #[test]
    fn generic_codes_are_read_by_the_reply_words_not_as_refused() {
        let one = |text: &str| {
            let codes = decode(text.as_bytes());
            assert_eq!(codes.len(), 1, "{text}: {codes:?}");
            codes.into_iter().next().unwrap()
        };
        for text in [
            "kijitora@example.com: [192.0.2.5], said: 550 kijitora@example.com... No such user",
            "550 5.0.0 <kijitora@example.com>... No such user",
        ] {
            let c = one(text);
            assert_eq!(c.said, Some(Said::UserUnknown), "{text}");
            assert!(
                c.meaning.contains("does not exist"),
                "{text}: {}",
                c.meaning
            );
            assert!(
                c.meaning_ja.contains("存在しません"),
                "{text}: {}",
                c.meaning_ja
            );
        }
        let y = one(
            "host mx.mail.yahoo.co.jp[192.0.2.9] said: 554 delivery error: dd Sorry your message to hanako@yahoo.co.jp cannot be delivered. This account has been disabled or discontinued [#102]. - mta4012.mail.kks.yahoo.co.jp (in reply to end of DATA command)",
        );
        assert_eq!(y.said, Some(Said::Disabled));
        assert!(y.meaning.contains("disabled"), "{}", y.meaning);
        assert!(y.fix_ja.contains("削除"), "{}", y.fix_ja);
        let o = one(
            "host outlook-com.olc.protection.outlook.com[52.101.68.1] said: 451 4.7.650 The mail server [192.0.2.25] has been temporarily rate limited due to IP reputation. (in reply to MAIL FROM command)",
        );
        assert_eq!(o.said, Some(Said::RateLimited));
        assert!(o.temporary);
        assert!(o.meaning.contains("reputation"), "{}", o.meaning);
        assert!(o.fix.contains("SNDS"), "{}", o.fix);
        assert!(o.fix_ja.contains("SNDS"), "{}", o.fix_ja);
        // Postfix wraps the reply; the command closes it.
        let cox = "<r@cox.example>: host cxr.mx.a.cloudfilter.net[34.212.80.54] said: 550\n    5.1.0 <bounce@mailer.example.com> sender rejected. Refer to Error\n    Codes section. AUP#CDRBL (in reply to MAIL FROM command)\n\nnext paragraph: user unknown\n";
        let c = one(cox);
        assert_eq!(c.said, Some(Said::SenderRejected));
        assert!(c.meaning.contains("refused the sender"), "{}", c.meaning);
        assert!(!c.meaning.contains("address was refused"), "{}", c.meaning);
        assert!(c.meaning_ja.contains("送信者"), "{}", c.meaning_ja);
        // At MAIL FROM no recipient was named: even 'user unknown' is
        // about the sender.
        let c = one(
            "host mx.example.net said: 550 5.1.0 <me@example.org>... User unknown (in reply to MAIL FROM command)",
        );
        assert_eq!(c.said, Some(Said::SenderRejected));
        // A code with its own row keeps it; a generic code without words
        // stays "refused".
        let full = one("550 5.7.26 Unauthenticated email is not accepted, user unknown - gsmtp");
        assert_eq!(full.finding, Some("dmarc.fail"));
        let plain = one("550 5.0.0 Refused");
        assert_eq!(plain.said, None);
        assert!(plain.meaning.contains("refused"), "{}", plain.meaning);
    }

    /// Review D8: sendmail's transcript gives `503 5.0.0 Need RCPT` after
    /// the recipient was refused; it is the refusal's consequence, not a
    /// second refusal, and got a decoding block of its own.
    #[test]
    fn a_503_after_a_refusal_is_not_a_second_refusal() {
        let codes = decode(b">>> RCPT To:<a@example.com>\n<<< 550 5.1.1 <a@example.com>... User unknown\n>>> DATA\n<<< 503 5.0.0 Need RCPT (recipient)\n");
        let labels: Vec<String> = codes.iter().map(BounceCode::label).collect();
        assert_eq!(labels, ["550 5.1.1"]);
        // Alone, a 503 is what the bounce says.
        assert_eq!(decode(b"<<< 503 5.0.0 Need RCPT (recipient)").len(), 1);
    }

    #[test]
    fn version_numbers_and_ips_are_not_codes() {
        assert!(decode(b"Postfix 3.5.17 on 192.0.2.25, TLS1.2").is_empty());
        assert!(decode(b"id 15.20.8000.10").is_empty());
    }
}
