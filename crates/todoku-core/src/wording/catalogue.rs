//! The findings catalogue in both languages: for every finding id, a
//! one-line title in English and Japanese, and the explanation with the fix
//! in Japanese (the English explanation is the finding's `detail`, which can
//! name the message's own hosts and records).
//!
//! docs/findings.md describes when each id is given; tests/catalogue.rs
//! checks that every id the code can emit is here and documented there.

use super::Text;

/// One catalogue entry.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// The finding id.
    pub id: &'static str,
    /// One-line title.
    pub title: Text,
    /// Why it matters and what to change, in Japanese.
    pub detail_ja: &'static str,
}

macro_rules! findings {
    ($($name:ident $key:literal => $en:literal, $ja:literal, $detail:literal;)*) => {
        /// A finding id. One macro table makes the enum, its id, its title in
        /// each language and its Japanese explanation: an id without all of
        /// them does not compile. The JSON carries [`FindingId::as_str`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum FindingId {
            $(#[doc = $key] $name,)*
        }

        impl FindingId {
            /// Every id, in the order of docs/findings.md.
            pub const ALL: &'static [FindingId] = &[$(FindingId::$name,)*];

            /// The id as the JSON and docs/findings.md write it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(FindingId::$name => $key,)*
                }
            }

            /// The one-line title in English.
            pub const fn title_en(self) -> &'static str {
                match self {
                    $(FindingId::$name => $en,)*
                }
            }

            /// The one-line title in Japanese.
            pub const fn title_ja(self) -> &'static str {
                match self {
                    $(FindingId::$name => $ja,)*
                }
            }

            /// Why it matters and what to change, in Japanese.
            pub const fn detail_ja(self) -> &'static str {
                match self {
                    $(FindingId::$name => $detail,)*
                }
            }
        }

        /// Every finding id, in the order of docs/findings.md.
        pub const ENTRIES: &[Entry] = &[$(Entry {
            id: $key,
            title: Text { en: $en, ja: $ja },
            detail_ja: $detail,
        },)*];
    };
}

findings! {
    SpfPass "spf.pass" => "SPF passed", "SPF に合格しています",
        "受信サーバーで SPF が合格（pass）でした。送信サーバーは送信ドメインの SPF レコードに含まれています。";
    SpfSoftfail "spf.softfail" => "SPF soft-failed: the sending server is not in the SPF record", "SPF softfail：送信サーバーが SPF レコードに含まれていません",
        "送信元 IP が SPF レコードに含まれておらず、レコードが ~all で終わっています。迷惑メール判定の大きな要因です。送信サーバーの IP（ip4:…）か、利用しているメールサービスの include: を SPF レコードに追加してください。";
    SpfFail "spf.fail" => "SPF failed: the sending server is not allowed", "SPF fail：送信サーバーが許可されていません",
        "送信元 IP が SPF レコードで明示的に拒否されています（-all）。受信拒否や迷惑メール扱いになります。正規の送信サーバーなら ip4:/include: で SPF レコードに追加してください。";
    SpfNone "spf.none" => "No SPF record", "SPF レコードがありません",
        "送信ドメインに SPF レコードがありません。Gmail・Yahoo は SPF か DKIM の認証を必須としています。「v=spf1 include:（メールサービス） -all」のような TXT レコードを公開してください。";
    SpfNeutral "spf.neutral" => "SPF neutral", "SPF neutral（判定なし）",
        "SPF レコードが ?all で終わっているため、送信元を保証も否定もしていません。送信サーバーを列挙して ~all か -all で終えてください。";
    SpfPermerror "spf.permerror" => "The SPF record is broken", "SPF レコードが壊れています",
        "SPF レコードの構文誤り、または DNS 参照が 10 回を超えています（include の入れ子など）。受信サーバーは SPF なしと同じに扱うか拒否します。レコードを修正し、参照回数を 10 回以内に収めてください。";
    SpfTemperror "spf.temperror" => "SPF could not be checked (DNS error)", "SPF を確認できませんでした（DNS エラー）",
        "受信時に送信ドメインの DNS が一時的に応答しませんでした。繰り返す場合は DNS ホスティングの障害を疑ってください。";
    DkimPass "dkim.pass" => "DKIM passed", "DKIM 署名の検証に合格しています",
        "DKIM 署名が検証されました。";
    DkimFail "dkim.fail" => "The DKIM signature does not verify", "DKIM 署名が検証できません",
        "署名後にメッセージが書き換えられたか（メーリングリスト、転送、ウイルス対策のフッター追加など）、公開鍵が署名に合っていません。署名の後で本文やヘッダーを変更しないこと、公開している鍵と署名に使う鍵を一致させることを確認してください。";
    DkimTemperror "dkim.temperror" => "The DKIM key could not be fetched (DNS error)", "DKIM 公開鍵を取得できませんでした（DNS エラー）",
        "受信時に selector._domainkey の DNS 問い合わせが失敗しました。現在の再チェックで解決済みか、まだ失敗しているかを確認してください。続く場合は DNS ホスティングの問題です。";
    DkimPermerror "dkim.permerror" => "The DKIM signature or key is malformed", "DKIM 署名または公開鍵の形式が不正です",
        "署名タグや公開鍵レコードが読めません。メールサービスが示す DKIM レコードをそのまま（分割された文字列も含めて）登録し直してください。";
    DkimNone "dkim.none" => "No DKIM signature", "DKIM 署名がありません",
        "メッセージに DKIM 署名がありません。Gmail の大量送信者要件では SPF と DKIM の両方が必要です。送信サービスで独自ドメインの DKIM 署名を有効にし、公開鍵を DNS に登録してください。";
    DkimSignatureMalformed "dkim.signature_malformed" => "The DKIM-Signature header is malformed", "DKIM-Signature ヘッダーの形式が不正です",
        "必須タグの欠落や読めないタグがあります。署名するソフトウェアの設定を確認してください。";
    DkimWeakHash "dkim.weak_hash" => "DKIM uses rsa-sha1", "DKIM が rsa-sha1 を使っています",
        "rsa-sha1 は RFC 8301 で廃止され、多くの受信サーバーは受け付けません。rsa-sha256 で署名してください。";
    DkimBodyLength "dkim.body_length" => "DKIM signs only part of the body (l=)", "DKIM が本文の一部しか署名していません（l=）",
        "l= タグがあると、署名の後ろに誰でも文章を追加でき、署名は有効なままです。l= を使わずに署名してください。";
    DkimExpired "dkim.expired" => "The DKIM signature has expired (x=)", "DKIM 署名の有効期限が切れています（x=）",
        "x= の時刻を過ぎた署名は無効と扱われます。有効期限を長くするか、x= を付けないでください。";
    DkimFromNotSigned "dkim.from_not_signed" => "DKIM does not sign the From header", "DKIM が From ヘッダーを署名していません",
        "RFC 6376 は From の署名を必須としています。h= に from を含めてください。";
    DkimNotOversigned "dkim.not_oversigned" => "From is signed only once (not oversigned)", "From ヘッダーがオーバーサイン（h= への二重指定）されていません",
        "h= に from を 2 回書く（オーバーサイン）と、あとから From を追加する改ざんを防げます。対応していれば有効にしてください。";
    DmarcPass "dmarc.pass" => "DMARC passed", "DMARC に合格しています",
        "From のドメインと一致（アライン）した SPF か DKIM が合格しています。";
    DmarcFail "dmarc.fail" => "DMARC failed", "DMARC に不合格です",
        "From のドメインと一致（アライン）する SPF・DKIM の合格がありません。ドメインの DMARC ポリシーにより、p=quarantine なら迷惑メール扱い、p=reject なら受信拒否になります（p=none なら処置なし）。送信サービスで From ドメインの DKIM 署名を設定するか、Return-Path を自ドメインにしてください。";
    DmarcMissing "dmarc.missing" => "No DMARC record", "DMARC レコードがありません",
        "Gmail・Yahoo は大量送信者に DMARC を必須としています。まず _dmarc TXT に「v=DMARC1; p=none; rua=mailto:…」を公開してレポートを集め、問題がなければ quarantine → reject へ進めてください。";
    DmarcTemperror "dmarc.temperror" => "DMARC could not be checked (DNS error)", "DMARC を確認できませんでした（DNS エラー）",
        "受信時に _dmarc の DNS 問い合わせが失敗しました。DNS ホスティングの状態を確認してください。";
    DmarcPermerror "dmarc.permerror" => "The DMARC record is broken", "DMARC レコードが壊れています",
        "DMARC レコードの構文が不正です（v=DMARC1 が先頭にない、p= の値が誤り など）。正しい形式で公開し直してください。";
    ReceiverAuthRequired "receiver.auth_required" => "Gmail/Yahoo require SPF or DKIM to pass, and neither did", "Gmail・Yahoo が必須とする SPF か DKIM の合格がありません",
        "受信したのは Gmail か Yahoo のサーバーで、どちらもすべての送信者に SPF か DKIM の合格を求めています。どちらも合格していないメールは迷惑メールフォルダーに入り、Gmail では 2025 年 11 月から受信を拒否されることもあります（550 5.7.26 など）。SPF レコードに送信サーバー（または利用しているメールサービスの include:）を加えるか、送信サービスで独自ドメインの DKIM 署名を有効にしてください。";
    ArcStructure "arc.structure" => "The ARC chain is malformed", "ARC チェーンの構造が不正です",
        "ARC ヘッダーの組が欠けている、番号が飛んでいる、または不合格（cv=fail）と封印されたチェーンに後から組が追加されています。転送した中継者の ARC 設定の問題です。";
    ArcFail "arc.fail" => "ARC failed", "ARC の検証に不合格です",
        "転送経路の ARC チェーンが検証できませんでした。転送で SPF/DKIM が壊れた場合の救済が効きません。";
    HeloNotFqdn "helo.not_fqdn" => "The sender announces a bare computer name in HELO", "HELO/EHLO でパソコン名を名乗っています",
        "送信側が HELO/EHLO で DESKTOP-… のようなパソコン名や localhost を名乗っています。受信サーバーは正しいホスト名を期待します。メールソフトの設定を変更してください：秀丸メール「トラブル対策」→「送信時のHELO/EHLOコマンドで自コンピュータ名指定」をオフ、Thunderbird は設定エディタで mail.smtpserver.default.hello_argument に正しいホスト名、Becky! は SMTP の詳細設定、Outlook と Apple Mail はプロバイダの送信サーバー経由で送る設定に。サーバーならホスト名（Postfix の smtp_helo_name）を設定してください。";
    TlsNotUsed "tls.not_used" => "The last hop was not encrypted", "受信サーバーへの経路が暗号化されていません",
        "受信サーバーへの接続が TLS なし（平文 SMTP）でした。TLS を求める受信サーバーもあります。送信サーバーで STARTTLS を有効にしてください（Postfix: smtp_tls_security_level = may）。";
    ClockSkew "clock.skew" => "A server's clock is off", "サーバーの時計がずれています",
        "経路上のサーバーの時刻、または送信者の Date がずれています。遅延の計算が狂い、未来の日付は迷惑メールの特徴と見なされます。NTP で時刻を合わせてください。";
    ReceivedLoop "received.loop" => "A mail loop: too many Received headers", "メールループ：Received ヘッダーが多すぎます",
        "メールがサーバーを通過するたびに Received ヘッダーが 1 行増えます。100 を超えるのは転送がループしている証拠で、サーバーは「554 5.4.6 too many hops」で拒否します（RFC 5321 6.3）。互いに転送し合っている転送設定・エイリアス・メーリングリストを、繰り返し現れるホストや宛先（for …）から探し、どちらかの転送をやめてください。";
    VendorSpamVerdict "vendor.spam_verdict" => "The receiving filter marked it as spam", "受信サーバーのフィルターが迷惑メールと判定しました",
        "受信サーバー（Microsoft 365、SpamAssassin、rspamd、Gmail、Yahoo など）のスパム判定ヘッダーが迷惑メール・一括メールを示しています。認証の問題を直し、送信先リストを見直してください。";
    UnsubscribeOneClick "unsubscribe.one_click" => "One-click unsubscribe is present", "ワンクリック配信停止があります",
        "List-Unsubscribe（https）と List-Unsubscribe-Post: List-Unsubscribe=One-Click がそろっています。";
    UnsubscribeOneClickMissing "unsubscribe.one_click_missing" => "One-click unsubscribe is missing", "ワンクリック配信停止がありません",
        "一括送信メールに見えますが、RFC 8058 のワンクリック配信停止がありません。Gmail・Yahoo の大量送信者要件です。List-Unsubscribe に https の URL を入れ、List-Unsubscribe-Post: List-Unsubscribe=One-Click を追加し、2 日以内に停止処理してください。";
    FromEncodedWordAttack "from.encoded_word_attack" => "The From header is forged with encoded words", "From ヘッダーがエンコードで偽装されています",
        "From の表示名に制御文字や別のアドレスが隠されています（Mailsploit 型の攻撃）。フィッシングの可能性があります。";
    FromDisplayNameAddress "from.display_name_address" => "The From name shows a different address", "From の表示名に別のアドレスがあります",
        "表示名にメールアドレスが書かれ、実際の送信アドレスと違います。なりすましの特徴と見なされます。表示名には名前だけを入れてください。";
    Rfc5322MissingFrom "rfc5322.missing_from" => "No From header", "From ヘッダーがありません",
        "RFC 5322 で必須の From がありません。ほとんどの受信サーバーが拒否します。";
    Rfc5322MissingDate "rfc5322.missing_date" => "No Date header", "Date ヘッダーがありません",
        "RFC 5322 で必須の Date がありません。送信ソフトに付けさせてください。";
    Rfc5322MissingMessageId "rfc5322.missing_message_id" => "No Message-ID", "Message-ID がありません",
        "Message-ID がないメールは迷惑メールの特徴です。送信ソフトで付与してください。";
    Rfc5322MissingSubject "rfc5322.missing_subject" => "No Subject", "件名がありません",
        "件名のないメールは迷惑メールと見なされやすくなります。";
    Rfc5322DuplicateFrom "rfc5322.duplicate_from" => "From appears twice", "From ヘッダーが複数あります",
        "From が複数あるメールは不正な形式で、拒否されます。";
    Rfc5322DuplicateDate "rfc5322.duplicate_date" => "Date appears twice", "Date ヘッダーが複数あります",
        "Date は 1 回だけ書けます。";
    Rfc5322DuplicateMessageId "rfc5322.duplicate_message_id" => "Message-ID appears twice", "Message-ID が複数あります",
        "Message-ID は 1 回だけ書けます。";
    Rfc5322DuplicateSubject "rfc5322.duplicate_subject" => "Subject appears twice", "件名（Subject）が複数あります",
        "Subject は 1 回だけ書けます。";
    Rfc5322MultipleFromAddresses "rfc5322.multiple_from_addresses" => "From lists several addresses", "From に複数のアドレスがあります",
        "From に複数のアドレスがあると Sender ヘッダーが必要になり、多くの受信サーバーが拒否します。";
    Rfc5322MalformedFieldName "rfc5322.malformed_field_name" => "A header imitates another", "別のヘッダーを装う行があります",
        "「Fr om:」のように本物のヘッダーに見せかけた行があります。偽装の可能性があります。";
    Rfc5322Unencoded8bit "rfc5322.unencoded_8bit" => "Headers are raw legacy-charset text", "ヘッダーにエンコードされていない 8 ビット文字があります",
        "ISO-2022-JP や Shift_JIS、Latin-1 などのヘッダーが MIME エンコード（=?ISO-2022-JP?B?…?=）されずに書かれています。文字化けや拒否の原因になります。送信ソフトの設定で MIME エンコードしてください。";
    Rfc5322MalformedFrom "rfc5322.malformed_from" => "The From address cannot be read", "From のアドレスが読めません",
        "From があっても正しいアドレスになっていません。DMARC の判定ができず、拒否されます。";
    Rfc5322MalformedMessageId "rfc5322.malformed_message_id" => "Message-ID is malformed", "Message-ID の形式が不正です",
        "Message-ID は <一意の文字列@ドメイン> の形式にしてください。";
    HeloNoDns "helo.no_dns" => "The HELO name does not resolve", "HELO/EHLO のホスト名が DNS で引けません",
        "送信サーバーが名乗るホスト名に A/AAAA レコードがありません。サーバーのホスト名を DNS に登録し、その名前を HELO で名乗ってください。";
    IprevMissing "iprev.missing" => "No matching reverse DNS for the sending IP", "送信 IP の逆引き（PTR）が一致しません",
        "Gmail・Yahoo は送信 IP に PTR レコードがあり、その名前が同じ IP に正引きできること（FCrDNS）を求めています。PTR は IP の持ち主（ホスティング会社やプロバイダ）に設定を依頼し、その名前に同じ IP の A/AAAA レコードを登録してください。";
    DkimKeyMissing "dkim.key_missing" => "The DKIM key is not published", "DKIM 公開鍵が公開されていません",
        "署名の selector に対応する公開鍵が DNS にありません（または失効しています）。メールサービスが示す DKIM レコード（多くは CNAME）を登録するか、公開済みの selector で署名してください。";
    DkimKeyTooLarge "dkim.key_too_large" => "The DKIM key is larger than Todoku can verify", "DKIM 公開鍵が Todoku で検証できる大きさを超えています",
        "公開鍵が 4096 ビットを超える RSA 鍵のため、Todoku ではこの署名を再チェックしていません。鍵の不備ではありません（RFC 8301 は検証側に 1024〜4096 ビットへの対応を求め、それより大きい鍵も認めています）。受信サーバーは検証できている可能性が十分にあり、判断には受信サーバーの Authentication-Results を見てください。受信サーバーで DKIM permerror が記録されている場合に限り、新しいセレクターで 2048 ビットの鍵に切り替えてください。";
    DkimKeyWeak "dkim.key_weak" => "The DKIM key is too short", "DKIM 公開鍵の鍵長が短すぎます",
        "1024 ビット未満の RSA 鍵は無効（RFC 8301）、推奨は 2048 ビットです。新しい selector で 2048 ビット鍵を作って公開し、署名を切り替えてください。";
    DmarcPolicyNone "dmarc.policy_none" => "DMARC is p=none (monitoring only)", "DMARC が p=none（監視のみ）です",
        "p=none は Gmail・Yahoo の最低要件を満たしますが、なりすましは防げません。レポートで自社のメールがすべて合格するのを確かめたら p=quarantine、さらに p=reject へ進めてください。";
    DmarcNotAligned "dmarc.not_aligned" => "SPF/DKIM pass only for another domain (not aligned)", "SPF/DKIM が別ドメインでしか合格していません（アライメント不一致）",
        "DMARC には From のドメイン（または同じ組織ドメイン）での SPF か DKIM の合格が必要です。配信サービスで独自ドメインの DKIM（ドメイン認証）を設定するか、Return-Path を自ドメインのサブドメインにしてください。";
    DnsBroken "dns.broken" => "The domain's DNS is failing", "ドメインの DNS が障害を起こしています",
        "受信時にも今も DNS 問い合わせが失敗しています（SERVFAIL やタイムアウト）。受信サーバーは SPF/DKIM/DMARC を確認できず、遅延や迷惑メール扱いになります。レジストリの NS 設定、DNSSEC、DNS ホスティングの状態を確認してください。";
    DnsTransient "dns.transient" => "A DNS failure at delivery has cleared", "配信時の DNS 障害は解消しています",
        "受信時には DNS 問い合わせが失敗しましたが、今は解決できます。一時的な障害でした。繰り返す場合は DNS ホスティングを見直してください。";
    ForwardingSpfBroken "forwarding.spf_broken" => "SPF failed because the message was forwarded", "転送されたため SPF に不合格になりました",
        "転送（メーリングリスト、エイリアス、自動転送）では転送者のサーバーから送り直すため、元ドメインの SPF は仕組み上失敗します。DKIM が From と一致して合格していれば DMARC は通ります。送信者は DKIM を From ドメインで署名し、転送者は SRS と ARC を使ってください。";
    FromFreemailSpoof "from.freemail_spoof" => "A free-mail From address sent from elsewhere", "フリーメールの From を別のサーバーから送っています",
        "フリーメールのアドレスを From にして、そのサービス以外のサーバーから送ると、そのドメインの DMARC に合格しません。Gmail・Yahoo などの受信サーバーは、このようなメールを迷惑メール扱いにするか拒否します。そのプロバイダの SMTP から送るか、自分のドメインのアドレスを使ってください。";
}

impl FindingId {
    /// The title in both languages.
    pub const fn title(self) -> Text {
        Text {
            en: self.title_en(),
            ja: self.title_ja(),
        }
    }

    /// The id written `id`, if it is one.
    pub fn parse(id: &str) -> Option<FindingId> {
        FindingId::ALL.iter().copied().find(|f| f.as_str() == id)
    }
}

/// dmarc.fail's explanation (English, Japanese) for the policy the From
/// domain published, as the receiver recorded it or, failing that, as DNS
/// publishes it now: `p_none` when that is `p=none`. Under it the domain
/// asks for no action, so the text must not threaten quarantine or reject;
/// otherwise the text names what each policy does.
pub const fn dmarc_fail_detail(p_none: bool) -> (&'static str, &'static str) {
    match p_none {
        true => (
            "Neither SPF nor DKIM passed for a domain aligned with the From domain. The domain publishes p=none, asking receivers to take no action, so this alone does not get the message refused; but Gmail and Yahoo require bulk senders to pass DMARC, and receivers may still file the message as spam. Make DKIM sign with the From domain, or send from servers in its SPF record with a matching envelope sender.",
            "From のドメインと一致（アライン）する SPF・DKIM の合格がありません。ポリシーは p=none で処置を求めていないため、これだけでは拒否されませんが、Gmail・Yahoo は大量送信者に DMARC 合格を求めており、迷惑メールに振り分けられることもあります。送信サービスで From ドメインの DKIM 署名を設定するか、Return-Path を自ドメインにしてください。",
        ),
        // p=quarantine, p=reject or not known: the text names what each does.
        false => (
            "Neither SPF nor DKIM passed for a domain aligned with the From domain, so the domain's DMARC policy applies (p=quarantine: spam folder; p=reject: refused; p=none: no action). Make DKIM sign with the From domain, or send from servers in its SPF record with a matching envelope sender.",
            FindingId::DmarcFail.detail_ja(),
        ),
    }
}

/// What a receiver's recorded DKIM failure says went wrong, read from its
/// `reason=` and comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DkimCause {
    /// No key at `selector._domainkey.domain` ("key not found in DNS",
    /// "no key").
    KeyMissing,
    /// The key lookup failed ("DNS error", a time-out).
    KeyLookupFailed,
    /// Nothing more said, or the signature itself did not verify.
    Other,
}

/// dkim.fail's and dkim.permerror's explanation (English, Japanese) for
/// what the receiver said went wrong; `None` keeps the catalogue's text.
pub const fn dkim_fail_detail(cause: DkimCause) -> Option<(&'static str, &'static str)> {
    match cause {
        DkimCause::KeyMissing => Some((
            "The receiver found no public key for the signature's selector (selector._domainkey.<domain> has no key record, or it was removed): not a change to the message. Publish the key record your mail service shows for this selector (often a CNAME), or sign with a selector whose key is published.",
            FindingId::DkimKeyMissing.detail_ja(),
        )),
        DkimCause::KeyLookupFailed => Some((
            "The receiver's DNS query for the signature's key (selector._domainkey.<domain>) failed at receipt: not a change to the message. Check that the key record resolves now; if it still fails, the domain's DNS hosting is at fault.",
            FindingId::DkimTemperror.detail_ja(),
        )),
        DkimCause::Other => None,
    }
}

/// What a receiver's recorded SPF permerror names as its cause, read from
/// its comment and `reason=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpfCause {
    /// More than 2 lookups that found nothing (RFC 7208 4.6.4).
    VoidLookups,
    /// More than 10 DNS-querying mechanisms (RFC 7208 4.6.4).
    TooManyLookups,
    /// More than one `v=spf1` record (RFC 7208 4.5).
    MultipleRecords,
    /// A syntax error or an unknown mechanism or modifier.
    Syntax,
    /// Not said.
    Unknown,
}

/// The explanation of a recorded SPF pass or neutral that Gmail reached by
/// "best guess" (English, Japanese): the domain publishes no SPF record.
pub const SPF_BEST_GUESS: (&str, &str) = (
    "The domain publishes no SPF record: the receiver only guessed (\"best guess record\"). Publish `v=spf1 … ~all` listing your servers.",
    "このドメインには SPF レコードがなく、受信サーバー（Gmail）が推測（best guess）で判定しただけです。送信サーバーを並べた SPF レコード（v=spf1 … ~all）を公開してください。",
);

/// spf.permerror's explanation (English, Japanese) for the cause the
/// receiver recorded.
pub const fn spf_permerror_detail(cause: SpfCause) -> (&'static str, &'static str) {
    match cause {
        SpfCause::VoidLookups => (
            "The record points at names that no longer exist: more than 2 of its DNS lookups found nothing (void lookups, RFC 7208 4.6.4), so receivers stop and treat SPF as broken. Remove the include:, a, mx and exists mechanisms whose names return no record (a retired service, a deleted host).",
            "SPF レコードが、もう存在しない名前を参照しています。結果が空になる DNS 参照（void lookup）が 2 回を超えたため、受信サーバーは評価を打ち切り、SPF が壊れているものとして扱います（RFC 7208 4.6.4）。解約したサービスや削除したホストなど、レコードが返らない名前を指す include・a・mx・exists を削除してください。",
        ),
        SpfCause::TooManyLookups => (
            "Evaluating the record takes more than 10 DNS lookups (include, a, mx, ptr, exists, redirect, counted through nested includes; RFC 7208 4.6.4), so receivers treat SPF as broken. Remove includes you no longer use, or replace a and mx with ip4:/ip6:.",
            "SPF レコードの評価に DNS 参照が 10 回を超えて必要です（include の入れ子も含め include・a・mx・ptr・exists・redirect を数えます。RFC 7208 4.6.4）。受信サーバーは SPF が壊れているものとして扱います。使っていない include を削除するか、a・mx を ip4:/ip6: に置き換えてください。",
        ),
        SpfCause::MultipleRecords => (
            "The domain publishes more than one SPF record (TXT starting with v=spf1); RFC 7208 4.5 makes that an error, so receivers treat SPF as broken. Merge them into one record.",
            "ドメインに SPF レコード（v=spf1 で始まる TXT）が複数あります。RFC 7208 4.5 ではエラーになり、受信サーバーは SPF が壊れているものとして扱います。1 件にまとめてください。",
        ),
        SpfCause::Syntax => (
            "The receiver could not read the SPF record: a syntax error or an unknown mechanism or modifier. Receivers treat SPF as broken. Check each term's spelling (ip4:, ip6:, include:, a, mx, ~all).",
            "SPF レコードの構文に誤りがあるか、知らないメカニズム・修飾子が含まれていて、受信サーバーが読めませんでした。受信サーバーは SPF が壊れているものとして扱います。各項目（ip4:、ip6:、include:、a、mx、~all など）の綴りを確認してください。",
        ),
        SpfCause::Unknown => (
            "The SPF record is broken (syntax error, more than 10 DNS lookups, or more than 2 that found nothing) and is treated as absent. Fix or flatten the record.",
            FindingId::SpfPermerror.detail_ja(),
        ),
    }
}

/// helo.not_fqdn when the HELO is an address without brackets (mikel-022:
/// `HELO 209.5.178.248` from 222.47.112.31): not a PC name, and when the
/// address is not the client's own, a forgery. Its own title, short reason
/// for the headline, and explanation (English, Japanese).
#[derive(Debug, Clone, Copy)]
pub struct Variant {
    /// The finding id it specialises.
    pub id: &'static str,
    /// One-line title.
    pub title: Text,
    /// The short reason the headline gives ("because …").
    pub reason: Text,
    /// Why it matters and what to change, in English.
    pub detail: &'static str,
    /// The same in Japanese.
    pub detail_ja: &'static str,
}

/// The HELO is the client's own address, bare (no brackets).
pub const HELO_BARE_IP: Variant = Variant {
    id: "helo.not_fqdn",
    title: Text {
        en: "The sender announces a bare IP address in HELO",
        ja: "HELO/EHLO で IP アドレスをそのまま名乗っています",
    },
    reason: Text {
        en: "the sender announces a bare IP address in HELO",
        ja: "HELO/EHLO で IP アドレスをそのまま名乗っている",
    },
    detail: "RFC 5321 asks a client to announce its host name in HELO/EHLO, or its own address in brackets ([192.0.2.1]) when it has none. A bare address is neither, and spam filters count it against the message. A server should announce its host name (Postfix smtp_helo_name, Exim helo_data); a mail client should send through the provider's submission server (port 587, authenticated) rather than straight to the recipient.",
    detail_ja: "HELO/EHLO ではホスト名を名乗り、名前がない場合も [192.0.2.1] のように角かっこで囲んだ自分のアドレスを使う決まりです（RFC 5321）。角かっこのない IP アドレスはどちらでもなく、迷惑メールフィルターの減点対象です。サーバーならホスト名（Postfix の smtp_helo_name、Exim の helo_data）を設定し、メールソフトならプロバイダの送信サーバー（ポート 587、SMTP 認証あり）経由で送ってください。",
};

/// The HELO is a bare address that is not the client's.
pub const HELO_FORGED_IP: Variant = Variant {
    id: "helo.not_fqdn",
    title: Text {
        en: "The sender announces someone else's IP address in HELO",
        ja: "HELO/EHLO で自分のものではない IP アドレスを名乗っています",
    },
    reason: Text {
        en: "the sender announces someone else's IP address in HELO",
        ja: "HELO/EHLO で別の IP アドレスを名乗っている",
    },
    detail: "The client announced an address in HELO/EHLO that is not the one it connected from. That is a forgery typical of spam-sending malware, and spam filters weigh it heavily. If this is your mail, check the sending computer for malware and send through your provider's submission server (port 587, authenticated); a server should announce its own host name.",
    detail_ja: "接続元とは別の IP アドレスを HELO/EHLO で名乗っています。迷惑メールを送るウイルスによく見られる偽装で、迷惑メールフィルターは強く減点します。自分のメールなら、送信したパソコンのウイルスを確認し、プロバイダの送信サーバー（ポート 587、SMTP 認証あり）経由で送ってください。サーバーなら自分のホスト名を名乗るよう設定してください。",
};

/// The short reason for a finding whose title is one of the variants.
pub fn variant_reason(id: &str, title: Text) -> Option<Text> {
    [HELO_BARE_IP, HELO_FORGED_IP]
        .into_iter()
        .find(|v| v.id == id && v.title == title)
        .map(|v| v.reason)
}

/// The entry for `id`.
pub fn entry(id: &str) -> Option<&'static Entry> {
    ENTRIES.iter().find(|e| e.id == id)
}

/// The title of `id`, or the id itself when uncatalogued.
pub fn title(id: &'static str) -> Text {
    entry(id).map_or(Text { en: id, ja: id }, |e| e.title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_texts_present() {
        for (i, a) in ENTRIES.iter().enumerate() {
            assert!(
                !ENTRIES.iter().skip(i + 1).any(|b| b.id == a.id),
                "{} twice",
                a.id
            );
            assert!(!a.title.en.is_empty() && !a.title.ja.is_empty() && !a.detail_ja.is_empty());
        }
        assert_eq!(
            title("spf.fail").ja,
            "SPF fail：送信サーバーが許可されていません"
        );
        assert_eq!(title("no.such").en, "no.such");
    }
}
