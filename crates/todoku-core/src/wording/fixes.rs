//! The words of the "what to change" list (issue 18): one sentence per kind
//! of fix, in English and Japanese, with the message's own record name and
//! value put in. An exhaustive match per language, so a new kind without
//! its sentence does not compile.

use serde::Serialize;

use super::Lang;

/// What kind of change a fix asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FixKind {
    /// Add the sending server (`ip4:`/`ip6:`, or its provider's `include:`)
    /// to the envelope domain's SPF record.
    SpfAddSender,
    /// Publish an SPF record (the domain has none).
    SpfPublish,
    /// Repair an SPF record receivers cannot evaluate (too many lookups,
    /// or the cause is not known).
    SpfRepair,
    /// Remove the SPF mechanisms that point at names that no longer exist
    /// (more than 2 void lookups).
    SpfVoidLookups,
    /// Merge several SPF records into one.
    SpfMultipleRecords,
    /// Correct the SPF record's syntax.
    SpfSyntax,
    /// Publish the DKIM public key for the selector the signature names.
    DkimPublishKey,
    /// Turn on DKIM signing with the From domain (no signature at all).
    DkimEnableSigning,
    /// Make the signature verify: nothing may change the message after
    /// signing, and the published key must be the signing key's.
    DkimMatchKey,
    /// Sign with a longer key (2048-bit RSA).
    DkimLongerKey,
    /// Sign with rsa-sha256 instead of rsa-sha1.
    DkimSha256,
    /// Align SPF or DKIM with the From domain so DMARC passes.
    DmarcAlign,
    /// Publish a DMARC record.
    DmarcPublish,
    /// Repair a DMARC record receivers cannot read.
    DmarcRepair,
    /// Send through the provider's submission server with SMTP AUTH, and
    /// stop announcing the PC name in HELO/EHLO.
    ClientSubmission,
    /// Give the HELO name an address record.
    HeloAddress,
    /// Set the sending IP's reverse DNS (PTR) to the server's host name.
    ReverseDns,
    /// Turn on STARTTLS on the sending server.
    StartTls,
    /// Add one-click unsubscribe headers (RFC 8058).
    OneClickUnsubscribe,
    /// Send a free-mail From address only through that provider; a From at
    /// Microsoft 365's default domain (onmicrosoft.com): use your own.
    FreemailThroughProvider,
    /// The domain's DNS servers fail to answer.
    DnsHosting,
    /// A discussion list re-sent the post and changed it, so the author's
    /// DMARC fails: the list must rewrite From or leave the message alone,
    /// and seal with ARC. When the author's domain had an aligned
    /// signature, neither the reader nor the author can fix it; when it
    /// never had one, this is the list's part, after `dkim_sign_own_domain`.
    ListDmarcMitigation,
    /// A list post whose author's domain never signed as itself (only its
    /// provider's domain, `…gappssmtp.com`, `…onmicrosoft.com`, or nothing):
    /// turn on DKIM for the domain itself in that provider's settings.
    DkimSignOwnDomain,
    /// A bounce refused by policy for a reason no authentication finding
    /// explains (a rate limit, the sending IP's reputation, spam content):
    /// what the decoded reply says to do, first.
    BounceReply,
}

impl FixKind {
    /// The word the JSON uses (`spf_add_sender`).
    pub fn as_str(self) -> &'static str {
        match self {
            FixKind::SpfAddSender => "spf_add_sender",
            FixKind::SpfPublish => "spf_publish",
            FixKind::SpfRepair => "spf_repair",
            FixKind::SpfVoidLookups => "spf_void_lookups",
            FixKind::SpfMultipleRecords => "spf_multiple_records",
            FixKind::SpfSyntax => "spf_syntax",
            FixKind::DkimPublishKey => "dkim_publish_key",
            FixKind::DkimEnableSigning => "dkim_enable_signing",
            FixKind::DkimMatchKey => "dkim_match_key",
            FixKind::DkimLongerKey => "dkim_longer_key",
            FixKind::DkimSha256 => "dkim_sha256",
            FixKind::DmarcAlign => "dmarc_align",
            FixKind::DmarcPublish => "dmarc_publish",
            FixKind::DmarcRepair => "dmarc_repair",
            FixKind::ClientSubmission => "client_submission",
            FixKind::HeloAddress => "helo_address",
            FixKind::ReverseDns => "reverse_dns",
            FixKind::StartTls => "start_tls",
            FixKind::OneClickUnsubscribe => "one_click_unsubscribe",
            FixKind::FreemailThroughProvider => "freemail_through_provider",
            FixKind::DnsHosting => "dns_hosting",
            FixKind::ListDmarcMitigation => "list_dmarc_mitigation",
            FixKind::DkimSignOwnDomain => "dkim_sign_own_domain",
            FixKind::BounceReply => "bounce_reply",
        }
    }
}

/// The lead of a fix for a mailing list's own mail (From rewritten to the
/// list): who can make the change.
pub fn for_list_operator(list: &str) -> (String, String) {
    (
        format!("For the mailing list's operator ({list}): "),
        format!("メーリングリスト（{list}）の運営者向け："),
    )
}

/// The parts of a fix its sentence names.
#[derive(Debug, Clone, Copy, Default)]
pub struct FixWords<'a> {
    /// The DNS record or setting to change (`shop.example TXT`).
    pub name: &'a str,
    /// The value to set (`ip4:192.0.2.1`); empty when there is no one value.
    pub value: &'a str,
    /// Extra context: today's record, the whole record with the change made.
    pub context: &'a str,
    /// The sending server's address, when the sentence names it (a HELO
    /// that announced another address); empty otherwise.
    pub sender: &'a str,
}

/// Whether a HELO (`w.context` of a client-submission fix) is a bare
/// address, and whether it is another than the sender's.
fn helo_address(w: FixWords<'_>) -> (bool, bool) {
    let ip = w.context.parse::<std::net::IpAddr>().ok();
    let other = ip.is_some_and(|ip| {
        w.sender
            .parse::<std::net::IpAddr>()
            .is_ok_and(|sender| sender != ip)
    });
    (ip.is_some(), other)
}

/// The sentence for `kind` in `lang`, naming `w`'s record and value.
pub fn sentence(kind: FixKind, lang: Lang, w: FixWords<'_>) -> String {
    match lang {
        Lang::En => english(kind, w),
        Lang::Ja => japanese(kind, w),
    }
}

fn english(kind: FixKind, w: FixWords<'_>) -> String {
    let template = match kind {
        FixKind::SpfAddSender if w.value.is_empty() => {
            "Add the sending server's address (ip4:…) or your mail provider's include: to the SPF record {name}, before its final all."
        }
        FixKind::SpfAddSender => {
            "Add {value} to the SPF record {name}, before its final all (~all or -all)."
        }
        FixKind::SpfPublish => {
            "Publish an SPF record at {name} listing every server that sends your mail: {value}"
        }
        FixKind::SpfRepair => {
            "Correct the SPF record {name} so receivers can evaluate it (at most 10 DNS lookups: include, a, mx, ptr, exists, redirect)."
        }
        FixKind::SpfVoidLookups => {
            "Remove from the SPF record {name} the include:, a, mx and exists mechanisms whose names no longer exist: receivers allow at most 2 DNS lookups that find nothing (RFC 7208 4.6.4)."
        }
        FixKind::SpfMultipleRecords => {
            "Merge the SPF records at {name} into one: a domain may publish only one TXT record starting with v=spf1."
        }
        FixKind::SpfSyntax => {
            "Correct the syntax of the SPF record {name} so receivers can read it (check each term: ip4:, ip6:, include:, a, mx, ~all)."
        }
        FixKind::DkimPublishKey => {
            "Publish the DKIM public key at {name}: the TXT record (or CNAME) your mail service shows for this selector, {value}"
        }
        FixKind::DkimEnableSigning => {
            "Turn on DKIM signing for {value} in your mail service or server, and publish the public key it gives at {name}."
        }
        FixKind::DkimMatchKey => {
            "Make the key published at {name} the one the server signs with, and make sure nothing (a footer, a virus scanner, a list) changes the message after signing."
        }
        FixKind::DkimLongerKey => {
            "Sign with a new 2048-bit RSA key and publish it at {name} (keys shorter than 1024 bits are refused)."
        }
        FixKind::DkimSha256 => {
            "Sign with {value} instead of rsa-sha1 (the signer's algorithm setting); the key at {name} can stay."
        }
        FixKind::DmarcAlign => {
            "Make SPF or DKIM pass for the From domain {name}: sign with DKIM {value}, or send with an envelope sender (Return-Path) in {name} whose SPF lists the server."
        }
        FixKind::DmarcPublish => {
            "Publish a DMARC record at {name}: {value} (add rua=mailto:… to receive reports; tighten p= once all your mail passes)."
        }
        FixKind::DmarcRepair => {
            "Correct the DMARC record at {name}: it must start with v=DMARC1 and be the only one, e.g. {value}"
        }
        FixKind::ClientSubmission if helo_address(w).1 => {
            "The client at {sender} announced another address ({context}) in HELO/EHLO, a forgery typical of spam-sending malware. If this is your mail, check that computer for malware, and in the mail client's account settings ({name}) send through your provider's outgoing server with {value}."
        }
        FixKind::ClientSubmission if helo_address(w).0 => {
            "In the mail client's account settings ({name}), send through your provider's outgoing server with {value}; a sender that announces a bare IP address ({context}) in HELO/EHLO instead of a host name should not send straight to the recipient's server (a server should announce its host name: Postfix smtp_helo_name)."
        }
        FixKind::ClientSubmission => {
            "In the mail client's account settings ({name}), send through your provider's outgoing server with {value}; a client that names its PC ({context}) in HELO/EHLO should not send straight to the recipient's server."
        }
        FixKind::HeloAddress => {
            "Give the HELO name {name} an address record ({value}), or have the server announce a name that has one."
        }
        FixKind::ReverseDns => {
            "Ask whoever owns {context} (the hosting company or ISP, not your DNS provider) to set its reverse DNS {name} to {value}, a name that resolves back to the address."
        }
        FixKind::StartTls => {
            "Turn on STARTTLS on the sending server {name} ({value}). If that server is your provider's, not yours, ask the provider, or send through one of its servers that uses TLS."
        }
        FixKind::OneClickUnsubscribe => {
            "Add one-click unsubscribe to bulk mail: {value}, and sign both headers with DKIM."
        }
        FixKind::FreemailThroughProvider if tenant(kind, w) => {
            "Send From an address in your own domain instead of {name}: onmicrosoft.com's DNS records are Microsoft's, not yours."
        }
        FixKind::FreemailThroughProvider => {
            "Send mail From {name} only through that provider's own servers, or use an address in your own domain."
        }
        FixKind::DnsHosting => {
            "The DNS servers of {name} are failing to answer: ask your DNS hosting to fix them (every check of your mail depends on them)."
        }
        FixKind::ListDmarcMitigation if list_unaligned(w) => {
            "The mailing list {name} re-sends posts, so SPF is the list's, and its subject tag or footer would break even the author's own DKIM signature. On the list's side too: rewrite From to the list's address for DMARC domains (Mailman 3: dmarc_mitigate_action = munge_from) or leave the message unchanged, and add ARC."
        }
        FixKind::ListDmarcMitigation if list_recorded(w) => {
            "The mailing list {name} re-sent this post and changed it (subject tag, footer) or dropped the author's DKIM signature, so DMARC fails for the author's domain. Only the list can fix this: rewrite From to the list's address for DMARC domains (Mailman 3: dmarc_mitigate_action = munge_from) or leave the message unchanged, and add ARC."
        }
        FixKind::ListDmarcMitigation => {
            "The mailing list {name} re-sent this post and changed it (subject tag, footer) or dropped the author's DKIM signature, so DMARC fails for the author's domain wherever a receiver checks it. Only the list can fix this: rewrite From to the list's address for DMARC domains (Mailman 3: dmarc_mitigate_action = munge_from) or leave the message unchanged, and add ARC."
        }
        FixKind::BounceReply => "What the receiver's reply {name} asks for: {context}",
        FixKind::DkimSignOwnDomain if w.context.is_empty() => {
            "Sign {name}'s mail with DKIM as {name} itself ({value}): no signature of {name} shows in this message."
        }
        FixKind::DkimSignOwnDomain => {
            "Sign {name}'s mail with DKIM as {name} itself ({value}): today only {context} signs it, which DMARC does not count for {name}."
        }
    };
    let mut s = fill(template, w);
    if !w.context.is_empty()
        && matches!(
            kind,
            FixKind::SpfAddSender
                | FixKind::SpfRepair
                | FixKind::SpfVoidLookups
                | FixKind::SpfMultipleRecords
                | FixKind::SpfSyntax
        )
    {
        s.push_str(" Today: ");
        s.push_str(w.context);
    }
    if kind == FixKind::DkimSignOwnDomain || tenant(kind, w) {
        s.push_str(match provider(if tenant(kind, w) { w.name } else { w.context }) {
            Provider::GoogleWorkspace => {
                " Google Workspace: Admin console → Apps → Google Workspace → Gmail → Authenticate email, then publish the TXT record it shows and start authentication."
            }
            Provider::Microsoft365 => {
                " Microsoft 365: Microsoft Defender portal → Email authentication settings → DKIM, publish the two CNAME records it shows, then enable signing for the domain."
            }
            Provider::Other => {
                " Turn on DKIM for your own domain in that mail service's settings and publish the key it gives."
            }
        });
    }
    s
}

/// A From at Microsoft 365's default domain (`…@tenant.onmicrosoft.com`):
/// the free-mail fix's name, worded as the move to the organisation's own
/// domain, with Microsoft 365's DKIM steps.
fn tenant(kind: FixKind, w: FixWords<'_>) -> bool {
    kind == FixKind::FreemailThroughProvider && matches!(provider(w.name), Provider::Microsoft365)
}

/// Which provider signs for a domain that does not sign as itself.
enum Provider {
    GoogleWorkspace,
    Microsoft365,
    Other,
}

fn provider(signer: &str) -> Provider {
    let s = signer.trim_end_matches('.').to_ascii_lowercase();
    if s == "gappssmtp.com" || s.ends_with(".gappssmtp.com") {
        Provider::GoogleWorkspace
    } else if s == "onmicrosoft.com" || s.ends_with(".onmicrosoft.com") {
        Provider::Microsoft365
    } else {
        Provider::Other
    }
}

/// A list fix after the author's own (the author's domain never signed as
/// itself), by its context word: the list fix's context holds `broke` or
/// `unaligned`, then ` recorded` when a receiver recorded the DMARC
/// failure (else the failure is said as what a checking receiver finds).
fn list_unaligned(w: FixWords<'_>) -> bool {
    w.context.split(' ').any(|c| c == "unaligned")
}

/// A list fix for a DMARC failure a receiver recorded, by its context word.
fn list_recorded(w: FixWords<'_>) -> bool {
    w.context.split(' ').any(|c| c == "recorded")
}

fn japanese(kind: FixKind, w: FixWords<'_>) -> String {
    let template = match kind {
        FixKind::SpfAddSender if w.value.is_empty() => {
            "SPF レコード {name} の最後の all の前に、送信サーバーの IP アドレス（ip4:…）か利用中のメールサービスの include: を追加してください。"
        }
        FixKind::SpfAddSender => {
            "SPF レコード {name} の最後の all（~all や -all）の前に {value} を追加してください。"
        }
        FixKind::SpfPublish => {
            "{name} に、メールを送るすべてのサーバーを並べた SPF レコードを公開してください：{value}"
        }
        FixKind::SpfRepair => {
            "受信サーバーが評価できるよう SPF レコード {name} を修正してください（DNS 参照は include・a・mx・ptr・exists・redirect 合わせて 10 回まで）。"
        }
        FixKind::SpfVoidLookups => {
            "SPF レコード {name} から、もう存在しない名前を指す include・a・mx・exists を削除してください（結果が空になる DNS 参照は 2 回までです。RFC 7208 4.6.4）。"
        }
        FixKind::SpfMultipleRecords => {
            "{name} にある複数の SPF レコードを 1 件にまとめてください（v=spf1 で始まる TXT レコードは 1 ドメインに 1 件だけです）。"
        }
        FixKind::SpfSyntax => {
            "受信サーバーが読めるよう SPF レコード {name} の構文を直してください（ip4:、ip6:、include:、a、mx、~all などの各項目を確認します）。"
        }
        FixKind::DkimPublishKey => {
            "DKIM 公開鍵を {name} に公開してください。メールサービスがこのセレクター用に示す TXT レコード（または CNAME）です：{value}"
        }
        FixKind::DkimEnableSigning => {
            "メールサービスまたはサーバーで {value} の DKIM 署名を有効にし、示された公開鍵を {name} に登録してください。"
        }
        FixKind::DkimMatchKey => {
            "{name} に公開している鍵を署名に使う鍵と一致させ、署名の後でメッセージを変更するもの（フッター追加、ウイルス対策、メーリングリスト）がないか確認してください。"
        }
        FixKind::DkimLongerKey => {
            "2048 ビットの新しい RSA 鍵で署名し、{name} に公開してください（1024 ビット未満の鍵は受け付けられません）。"
        }
        FixKind::DkimSha256 => {
            "rsa-sha1 ではなく {value} で署名してください（署名ソフトのアルゴリズム設定）。{name} の鍵はそのままで構いません。"
        }
        FixKind::DmarcAlign => {
            "From のドメイン {name} で SPF か DKIM が合格するようにしてください。DKIM を {value} で署名するか、SPF にそのサーバーが載っている {name} のエンベロープ送信者（Return-Path）で送ります。"
        }
        FixKind::DmarcPublish => {
            "{name} に DMARC レコードを公開してください：{value}（レポートを受け取るなら rua=mailto:… を追加し、すべてのメールが合格してから p= を強めます）。"
        }
        FixKind::DmarcRepair => {
            "{name} の DMARC レコードを修正してください。v=DMARC1 で始まる 1 件だけにします。例：{value}"
        }
        FixKind::ClientSubmission if helo_address(w).1 => {
            "接続元 {sender} は HELO/EHLO で自分のものではない IP アドレス（{context}）を名乗っています。迷惑メールを送るウイルスによく見られる偽装です。自分のメールなら、そのパソコンのウイルスを確認し、メールソフトのアカウント設定（{name}）で契約しているメールサービスの送信サーバーを {value} で使ってください。"
        }
        FixKind::ClientSubmission if helo_address(w).0 => {
            "メールソフトのアカウント設定（{name}）で、契約しているメールサービスの送信サーバーを {value} で使ってください。HELO/EHLO でホスト名ではなく IP アドレス（{context}）をそのまま名乗る送信元から、相手のメールサーバーへ直接送らないでください（サーバーなら HELO 名にホスト名を設定します。Postfix は smtp_helo_name）。"
        }
        FixKind::ClientSubmission => {
            "メールソフトのアカウント設定（{name}）で、契約しているメールサービスの送信サーバーを {value} で使ってください。HELO/EHLO でパソコン名（{context}）を名乗るメールソフトから、相手のメールサーバーへ直接送らないでください。"
        }
        FixKind::HeloAddress => {
            "HELO 名 {name} に A レコード（{value}）を登録するか、A レコードのある名前を名乗るようサーバーを設定してください。"
        }
        FixKind::ReverseDns => {
            "{context} の管理者（DNS 事業者ではなく、ホスティング会社やプロバイダー）に、逆引き {name} を {value}（その IP に正引きできる名前）に設定するよう依頼してください。"
        }
        FixKind::StartTls => {
            "送信サーバー {name} で STARTTLS を有効にしてください（{value}）。プロバイダーやホスティング会社のサーバーなら、その事業者に確認するか、TLS を使う送信サーバーに切り替えてください。"
        }
        FixKind::OneClickUnsubscribe => {
            "一斉配信メールにワンクリック配信停止を追加してください：{value}。両方のヘッダーを DKIM 署名に含めます。"
        }
        FixKind::FreemailThroughProvider if tenant(kind, w) => {
            "{name} ではなく独自ドメインのアドレスを From にしてください。onmicrosoft.com の DNS レコードは Microsoft のもので、変更できません。"
        }
        FixKind::FreemailThroughProvider => {
            "{name} を From にしたメールは、そのサービス自身の送信サーバーからだけ送るか、独自ドメインのアドレスを使ってください。"
        }
        FixKind::DnsHosting => {
            "{name} の DNS サーバーが応答していません。DNS ホスティング事業者に修正を依頼してください（メールの認証はすべて DNS に依存します）。"
        }
        FixKind::ListDmarcMitigation if list_unaligned(w) => {
            "メーリングリスト {name} は投稿を送り直すため SPF はリストのものになり、件名のタグやフッターを付けると投稿者のドメイン自身の DKIM 署名も壊れます。リスト側でも、DMARC を公開するドメインの投稿は From をリストのアドレスに書き換える（Mailman 3 は dmarc_mitigate_action = munge_from）かメッセージを変更せず、ARC を付けてください。"
        }
        FixKind::ListDmarcMitigation if list_recorded(w) => {
            "メーリングリスト {name} が投稿を送り直し、件名のタグやフッターで変更したか投稿者の DKIM 署名を外したため、投稿者のドメインの DMARC が不合格です。直せるのはリスト側だけです：DMARC を公開するドメインの投稿は From をリストのアドレスに書き換える（Mailman 3 は dmarc_mitigate_action = munge_from）かメッセージを変更せず、ARC を付けてください。"
        }
        FixKind::ListDmarcMitigation => {
            "メーリングリスト {name} が投稿を送り直し、件名のタグやフッターで変更したか投稿者の DKIM 署名を外したため、DMARC を確認する受信サーバーでは投稿者のドメインの DMARC が不合格になります。直せるのはリスト側だけです：DMARC を公開するドメインの投稿は From をリストのアドレスに書き換える（Mailman 3 は dmarc_mitigate_action = munge_from）かメッセージを変更せず、ARC を付けてください。"
        }
        FixKind::BounceReply => "受信サーバーの応答 {name} への対処：{context}",
        FixKind::DkimSignOwnDomain if w.context.is_empty() => {
            "{name} のメールを {name} 自身のドメインで DKIM 署名してください（{value}）。このメールには {name} の署名がありません。"
        }
        FixKind::DkimSignOwnDomain => {
            "{name} のメールを {name} 自身のドメインで DKIM 署名してください（{value}）。今は {context} の署名しかなく、DMARC では {name} の認証になりません。"
        }
    };
    let mut s = fill(template, w);
    if !w.context.is_empty()
        && matches!(
            kind,
            FixKind::SpfAddSender
                | FixKind::SpfRepair
                | FixKind::SpfVoidLookups
                | FixKind::SpfMultipleRecords
                | FixKind::SpfSyntax
        )
    {
        s.push_str(" 現在のレコード：");
        s.push_str(w.context);
    }
    if kind == FixKind::DkimSignOwnDomain || tenant(kind, w) {
        s.push_str(match provider(if tenant(kind, w) { w.name } else { w.context }) {
            Provider::GoogleWorkspace => {
                "Google Workspace では、管理コンソールの「アプリ」→「Google Workspace」→「Gmail」→「メールの認証」で DKIM 鍵を作り、示された TXT レコードを DNS に登録してから「認証を開始」を押します。"
            }
            Provider::Microsoft365 => {
                "Microsoft 365 では、Microsoft Defender ポータルの「メール認証の設定」→「DKIM」でこのドメインを選び、示された 2 件の CNAME レコードを DNS に登録してから署名を有効にします。"
            }
            Provider::Other => {
                "利用中のメールサービスの設定で独自ドメインの DKIM を有効にし、示された公開鍵を DNS に登録してください。"
            }
        });
    }
    s
}

/// `template` with `{name}`, `{value}`, `{context}` and `{sender}` put in (one small
/// function instead of a `format!` per sentence: the page carries them all).
fn fill(template: &str, w: FixWords<'_>) -> String {
    let mut out = String::with_capacity(template.len() + w.name.len() + w.value.len());
    let mut rest = template;
    while let Some(at) = rest.find('{') {
        out.push_str(rest.get(..at).unwrap_or_default());
        let after = rest.get(at..).unwrap_or_default();
        let (word, skip) = if after.starts_with("{name}") {
            (w.name, "{name}".len())
        } else if after.starts_with("{value}") {
            (w.value, "{value}".len())
        } else if after.starts_with("{context}") {
            (w.context, "{context}".len())
        } else if after.starts_with("{sender}") {
            (w.sender, "{sender}".len())
        } else {
            ("{", 1)
        };
        out.push_str(word);
        rest = after.get(skip..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// End `sentence` (in `lang`) with the note that the fix also makes DMARC
/// pass. A sentence that ends in the record to publish (`… ~all`) gets its
/// full stop first, so the note does not run into the record.
pub fn append_also_dmarc(sentence: &mut String, lang: Lang) {
    let stop = match lang {
        Lang::En => '.',
        Lang::Ja => '。',
    };
    if !sentence.ends_with(stop) && !sentence.ends_with(['.', '。', '）', ')']) {
        sentence.push(stop);
    }
    sentence.push_str(also_dmarc(lang));
}

/// Added to a fix that also makes DMARC pass (its domain is aligned with
/// From), in `lang`.
pub fn also_dmarc(lang: Lang) -> &'static str {
    match lang {
        Lang::En => " Since that domain is the From domain's, DMARC then passes too.",
        Lang::Ja => "From と同じドメインなので、これで DMARC も合格します。",
    }
}

/// The heading of the list, in `lang`.
pub fn heading(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "What to change",
        Lang::Ja => "何を直すか",
    }
}

/// The link from a fix to the finding it comes from, in `lang`.
pub fn evidence_link(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "evidence",
        Lang::Ja => "根拠",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_puts_the_words_in_and_keeps_other_braces() {
        let w = FixWords {
            name: "shop.example TXT",
            value: "ip4:192.0.2.1",
            context: "v=spf1 ~all",
            sender: "",
        };
        assert_eq!(
            fill("Add {value} to {name} ({context}) {x} {", w),
            "Add ip4:192.0.2.1 to shop.example TXT (v=spf1 ~all) {x} {"
        );
        // A value that itself holds a placeholder is not expanded again.
        let tricky = FixWords {
            name: "{value}",
            value: "v",
            context: "",
            sender: "",
        };
        assert_eq!(fill("{name}/{value}", tricky), "{value}/v");
    }
}
