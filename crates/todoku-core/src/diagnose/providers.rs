//! Mail providers Todoku knows by name: free-mail domains, the domains
//! providers sign with for their customers, and the SPF include each
//! sending service documents. One list each, shared by the rules that
//! judge a From address, the advice given to a domain's owner, and the
//! SPF fixes.

use crate::header::text::within;

/// Free-mail domains: a message claiming one of them in From must come
/// through that provider, and nobody but the provider sets their DMARC or
/// DKIM.
pub(crate) const FREEMAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "yahoo.co.jp",
    "yahoo.co.uk",
    "ymail.com",
    "outlook.com",
    "outlook.jp",
    "hotmail.com",
    "hotmail.co.jp",
    "hotmail.co.uk",
    "hotmail.fr",
    "live.com",
    "live.jp",
    "msn.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "gmx.com",
    "gmx.net",
    "mail.ru",
    "yandex.ru",
    // Japanese carriers' and ISPs' consumer mailboxes: the address is the
    // subscriber's, the domain, its SPF and its DKIM are the carrier's.
    // docomo.ne.jp: docomo.ne.jp/service/docomo_mail/smtp_notice/;
    // au.com, ezweb.ne.jp: au.com/mobile/service/attention/faq ("auメール
    // (@au.com/@ezweb.ne.jp)"); softbank.ne.jp: softbank.jp/mobile/info/
    // personal/news/support/060928/; i.softbank.jp: softbank.jp/en/mobile/
    // iphone/service/mail/email_i/ ("E mail (i)"); nifty.com (@nifty),
    // biglobe.ne.jp (Biglobe), o2.pl (o2 Poczta), and gmx.de, mail.com,
    // naver.com: Thunderbird's ISP database (github.com/thunderbird/
    // autoconfig, ispdb/).
    "docomo.ne.jp",
    "ezweb.ne.jp",
    "au.com",
    "softbank.ne.jp",
    "i.softbank.jp",
    "nifty.com",
    "biglobe.ne.jp",
    "o2.pl",
    "gmx.de",
    "mail.com",
    "naver.com",
];

/// Where well-known sending services' addresses are published, by the end
/// of their servers' reverse names. Only includes the service documents
/// for its customers: Xserver's servers are `sv….xserver.jp` and its
/// manual gives `include:spf.sender.xserver.jp`; Tencent's enterprise mail
/// (exmail.qq.com) gives `include:spf.mail.qq.com`.
pub(crate) const SPF_INCLUDES: &[(&str, &str)] = &[
    ("google.com", "include:_spf.google.com"),
    ("outlook.com", "include:spf.protection.outlook.com"),
    ("sendgrid.net", "include:sendgrid.net"),
    ("amazonses.com", "include:amazonses.com"),
    ("mailgun.net", "include:mailgun.org"),
    ("mandrillapp.com", "include:spf.mandrillapp.com"),
    ("mcsv.net", "include:servers.mcsv.net"),
    ("xserver.jp", "include:spf.sender.xserver.jp"),
    ("exmail.qq.com", "include:spf.mail.qq.com"),
];

/// Domains a provider signs with on its customers' behalf: Microsoft 365's
/// tenant domains and Google Workspace's default signing domain. Their DKIM
/// keys and signing settings are the provider's.
const PROVIDER_SIGNING: &[&str] = &["onmicrosoft.com", "gappssmtp.com"];

fn lower(domain: &str) -> String {
    domain.trim_end_matches('.').to_ascii_lowercase()
}

/// Whether `domain` is a free-mail domain (exactly: a subdomain of one is
/// someone's own).
pub(crate) fn freemail(domain: &str) -> bool {
    FREEMAIL.contains(&lower(domain).as_str())
}

/// Whether the DKIM signing of `domain` is a provider's setting that the
/// reader cannot change: a free-mail domain, a domain a provider signs
/// customers' mail with, or a sending service's own domain.
pub(crate) fn provider_signs(domain: &str) -> bool {
    let d = lower(domain);
    freemail(&d)
        || PROVIDER_SIGNING.iter().any(|p| within(&d, p))
        || SPF_INCLUDES.iter().any(|(p, _)| within(&d, p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn providers_are_matched_by_label() {
        assert!(freemail("Gmail.com."));
        assert!(!freemail("mail.gmail.com.example"));
        assert!(!freemail("shop.example"));
        assert!(provider_signs("tenant.onmicrosoft.com"));
        assert!(provider_signs("shop-example.20230601.gappssmtp.com"));
        assert!(provider_signs("outlook.com"));
        assert!(!provider_signs("notonmicrosoft.com"));
        assert!(!provider_signs("shop.example"));
    }
}
